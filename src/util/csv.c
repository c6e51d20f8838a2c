/* csv.c — RFC 4180 cells with the formula guard.  See csv.h. */
#include "util/csv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void csv_init(struct csv *c, struct buf *out)
{
    c->out = out;
    c->cells = 0;
}

/* The comma before every cell but a row's first. */
static int csv_sep(struct csv *c)
{
    return c->cells++ ? buf_putc(c->out, ',') : 0;
}

/* 1 when a spreadsheet would read a text starting with ch as a formula. */
static int csv_formula_start(char ch)
{
    return ch == '=' || ch == '+' || ch == '-' || ch == '@' || ch == '\t' || ch == '\r';
}

int csv_text(struct csv *c, const char *s)
{
    if (csv_sep(c)) return -1;
    if (!s || !*s) return 0;
    int guard = csv_formula_start(s[0]);
    if (!guard && !strpbrk(s, ",\"\r\n")) return buf_puts(c->out, s);
    struct buf *b = c->out;
    buf_puts(b, guard ? "\"'" : "\"");
    for (const char *run = s;;) {
        const char *q = strchr(run, '"');
        if (!q) {
            buf_puts(b, run);
            break;
        }
        buf_append(b, run, (size_t)(q - run) + 1);
        buf_putc(b, '"'); /* the quote doubled */
        run = q + 1;
    }
    buf_putc(b, '"');
    return b->err ? -1 : 0;
}

int csv_empty(struct csv *c)
{
    return csv_sep(c);
}

int csv_int(struct csv *c, int64_t v)
{
    return csv_sep(c) ? -1 : buf_printf(c->out, "%lld", (long long)v);
}

int csv_number(struct csv *c, double v)
{
    if (csv_sep(c)) return -1;
    char tmp[40];
    if (v == (double)(long long)v && v > -1e15 && v < 1e15) {
        snprintf(tmp, sizeof tmp, "%lld", (long long)v);
        return buf_puts(c->out, tmp);
    }
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*g", prec, v);
        if (strtod(tmp, NULL) == v) break;
    }
    return buf_puts(c->out, tmp);
}

int csv_fixed(struct csv *c, double v, int decimals)
{
    if (decimals < 0 || decimals > 9) decimals = 9;
    return csv_sep(c) ? -1 : buf_printf(c->out, "%.*f", decimals, v);
}

int csv_row_end(struct csv *c)
{
    c->cells = 0;
    return buf_puts(c->out, "\r\n");
}
