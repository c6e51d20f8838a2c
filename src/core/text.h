/* text.h — the one reader of the texts people type: titles, descriptions,
 * reasons, opinions (issue 17, major 6).
 *
 * A text is trimmed of the blank at either end (str_trim: spaces, tabs,
 * line breaks, the ideographic space of a Chinese keyboard) and stored
 * trimmed; a required text that is empty or only blank is missing (422
 * missing_field, "'NAME' must not be empty"), so no item is titled with
 * spaces and no return carries a reason of nothing.  Every surface (the
 * API, the pages, Open311, the CLI) reaches these through core. */
#ifndef LUOSHI_CORE_TEXT_H
#define LUOSHI_CORE_TEXT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

/* Read body[name] as text of at most max characters into *out.  Absent or
 * null: *out is left as it was, a default (422 missing_field when
 * required).  Not a string, or holding a NUL: 422 invalid_field.  Otherwise
 * it is trimmed and written back into body trimmed (so *out, borrowed from
 * body, is what gets stored); blank is then like absent (422 missing_field
 * "'NAME' must not be empty" when required); longer than max characters:
 * 422 invalid_field.  0, or -1 with e. */
int text_field(json_t *body, const char *name, size_t max, int required, const char **out,
               struct err *e);
/* Read body[name] as an integer from min to max into *out.  Absent or null:
 * *out is left as it was.  Anything else outside the range, or not an
 * integer: 422 invalid_field.  0, or -1 with e. */
int text_int_field(json_t *body, const char *name, int64_t min, int64_t max, int64_t *out,
                   struct err *e);
/* A trimmed copy of s (memory the caller frees), or NULL when s is NULL or
 * blank. */
char *text_trimmed(const char *s);

#endif
