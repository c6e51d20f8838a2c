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
        case '\b':
            buf_append(b, "\\b", 2);
            break;
        case '\f':
            buf_append(b, "\\f", 2);
            break;
        default: /* as jansson writes them: upper-case hex */
            buf_printf(b, "\\u%04X", c);
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
    char *x = memchr(tmp, 'e', (size_t)n);
    if (!x) {
        buf_append(b, tmp, (size_t)n);
        if (!strpbrk(tmp, ".ni")) buf_append(b, ".0", 2);
        return;
    }
    /* jansson's exponent: no '+', no leading zeros (1e+20 → 1e20, 1e-05 → 1e-5) */
    buf_append(b, tmp, (size_t)(x - tmp) + 1);
    const char *p = x + 1;
    if (*p == '-') buf_putc(b, '-');
    if (*p == '-' || *p == '+') p++;
    while (*p == '0' && p[1])
        p++;
    buf_append(b, p, strlen(p));
}
