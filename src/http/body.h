/* body.h — request body parsing shared by the dispatcher and the fuzz targets. */
#ifndef LUOSHI_HTTP_BODY_H
#define LUOSHI_HTTP_BODY_H

#include <stddef.h>

#include "http/req.h"
#include "util/arena.h"

/* The deepest nesting of arrays and objects in a JSON text (strings skipped;
 * malformed text gives some number, never an error: jansson judges syntax). */
int json_depth(const char *s, size_t n);
/* Parse an application/x-www-form-urlencoded body into at most max fields,
 * allocated in a.  Returns 0 with *fields and *nfields set, or -1 when the body
 * is malformed (bad %-escape), decodes to NUL or invalid UTF-8, or has more
 * than max fields. */
int form_parse(struct arena *a, const char *s, size_t n, struct req_field **fields, int *nfields,
               int max);

#endif
