/* errtext.h — every error code in words, in Chinese and in English: one
 * table, and the message a reader of either language gets.
 *
 * An error (util/err.h) carries a snake_case code, which never changes with
 * the language (clients test it), and an English message with the detail
 * (err_set's).  A reader of Chinese — the pages by default, the API when
 * Accept-Language does not ask for English — gets the table's Chinese text
 * instead: the row "code:detail" when the error names a detail
 * (err_detail), else the row "code:field" for the field the message quotes
 * first ('deadline' …), else the row of the code followed by the field's
 * label; and what the error is about in the data's words (err_subject)
 * after it.  A reader of English gets the English message as it is.  A
 * message a page wrote in its reader's language (err_say) is shown as it
 * is.  A unit test holds the table to every code set anywhere in src/. */
#ifndef LUOSHI_CORE_ERRTEXT_H
#define LUOSHI_CORE_ERRTEXT_H

#include <stddef.h>

#include "util/err.h"

/* One row: a code ("not_found") or a code with a detail or a field
 * ("not_found:meeting", "invalid_field:progress"), and its text in both
 * languages (whole sentences, no formats). */
struct errtext {
    const char *key, *zh, *en;
};

/* The table, sorted by key (for tests): *n gets its length. */
const struct errtext *errtext_table(size_t *n);
/* The labels of the fields messages name ("deadline" → 期限), sorted by
 * name, in the same shape (for tests). */
const struct errtext *errtext_fields(size_t *n);
/* The row of key, or NULL. */
const struct errtext *errtext_find(const char *key);
/* The message of e for a reader of English (en 1) or Chinese (en 0), as the
 * header says, into out (outlen bytes, cut at a character boundary);
 * returns out.  An error without a code reads as "internal". */
const char *errtext_message(const struct err *e, int en, char *out, size_t outlen);
/* The field e's message quotes first ('name', a lowercase identifier) into
 * out, or "" when it quotes none; returns out. */
const char *errtext_field(const struct err *e, char *out, size_t outlen);

#endif
