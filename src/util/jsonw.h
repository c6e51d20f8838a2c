/* jsonw.h — writing JSON text straight into a buffer.
 *
 * For hot paths (item lists) where building a tree of jansson values only
 * to print it costs more than the query.  Everything else uses jansson.
 * The caller writes the punctuation ({ } [ ] , :) itself; these write values. */
#ifndef LUOSHI_UTIL_JSONW_H
#define LUOSHI_UTIL_JSONW_H

#include <stdint.h>

#include "util/buf.h"

/* A JSON string: quoted, with " \ and control characters escaped; UTF-8
 * passes through (the text must already be valid UTF-8), byte for byte as
 * jansson writes it (\b \f \n \r \t, other controls \u00XX).  NULL writes
 * null. */
void jw_str(struct buf *b, const char *s);
/* "key": — a key (written as jw_str) and its colon. */
void jw_key(struct buf *b, const char *key);
/* An integer. */
void jw_int(struct buf *b, int64_t v);
/* A number that round-trips, as jansson writes it: 17 significant digits,
 * ".0" kept on integers, the exponent without '+' or leading zeros. */
void jw_real(struct buf *b, double v);

#endif
