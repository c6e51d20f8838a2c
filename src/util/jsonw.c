/* jsonw.c — JSON value writers.  See jsonw.h. */
#include "util/jsonw.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

void jw_str(struct buf *b, const char *s)
{
    if (!s) {
        buf_append(b, "null", 4);
        return;
    }
    buf_putc(b, '"');
    const char *run = s;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        buf_append(b, run, (size_t)(s - run));
        run = s + 1;
        switch (c) {
        case '"':
            buf_append(b, "\\\"", 2);
            break;
        case '\\':
            buf_append(b, "\\\\", 2);
            break;
        case '\n':
            buf_append(b, "\\n", 2);
            break;
        case '\r':
            buf_append(b, "\\r", 2);
            break;
        case '\t':
            buf_append(b, "\\t", 2);
            break;
        default:
            buf_printf(b, "\\u%04x", c);
        }
    }
    buf_append(b, run, (size_t)(s - run));
    buf_putc(b, '"');
}

void jw_key(struct buf *b, const char *key)
{
    jw_str(b, key);
    buf_putc(b, ':');
}

void jw_int(struct buf *b, int64_t v)
{
    /* digits from the end, by hand: snprintf was a tenth of an item list */
    char tmp[24], *p = tmp + sizeof tmp;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do
        *--p = (char)('0' + u % 10);
    while (u /= 10);
    if (v < 0) *--p = '-';
    buf_append(b, p, (size_t)(tmp + sizeof tmp - p));
}

void jw_real(struct buf *b, double v)
{
    char tmp[40];
    int n = snprintf(tmp, sizeof tmp, "%.17g", v);
    buf_append(b, tmp, (size_t)n);
    if (!strpbrk(tmp, ".eEni")) buf_append(b, ".0", 2);
}
