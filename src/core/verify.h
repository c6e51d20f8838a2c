/* verify.h — what `luoshi verify` found, as a list of problems.
 *
 * Each check (the item events and their replay, the configuration chain,
 * the checkpoints) reports every problem it finds here, one line each
 * naming the item or configuration entry and what differs, and goes on; the
 * caller prints the lines.  Only the first `max` lines are kept, the rest
 * counted, so a database rewritten wholesale does not flood the terminal. */
#ifndef LUOSHI_CORE_VERIFY_H
#define LUOSHI_CORE_VERIFY_H

#include <jansson.h>
#include <stdint.h>

#include "util/buf.h"

struct verify_log {
    struct buf lines; /* the kept problems, each ending in '\n' */
    int64_t problems; /* every problem found */
    int64_t max;      /* how many lines to keep */
};

/* An empty log that keeps up to max lines. */
void verify_log_init(struct verify_log *v, int64_t max);
/* Free the kept lines. */
void verify_log_free(struct verify_log *v);
/* Record one problem (a line without its newline). */
void verify_problem(struct verify_log *v, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Text as a JSON string; bytes that are not UTF-8 (written behind the
 * program's back) as "invalid-utf8:" and their hex, so that whatever a
 * table holds has a canonical JSON form.  Never NULL. */
json_t *verify_text_json(const char *s);
/* Record each field of expected (what the events establish) that actual (a
 * stored row as the same object) lacks or holds otherwise, as "item ITEM:
 * PREFIXFIELD: the ROW says X, its events say Y". */
void verify_fields(struct verify_log *v, int64_t item, const char *prefix, const char *row,
                   json_t *expected, json_t *actual);

#endif
