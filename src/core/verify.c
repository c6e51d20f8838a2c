/* verify.c — the list of problems `luoshi verify` found.  See verify.h. */
#include "core/verify.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "util/mem.h"
#include "util/str.h"
#include "util/utf8.h"

void verify_log_init(struct verify_log *v, int64_t max)
{
    buf_init(&v->lines, 0);
    v->problems = 0;
    v->max = max;
}

void verify_log_free(struct verify_log *v)
{
    buf_free(&v->lines);
}

void verify_problem(struct verify_log *v, const char *fmt, ...)
{
    if (v->problems++ >= v->max) return;
    va_list ap;
    va_start(ap, fmt);
    size_t from = v->lines.len;
    buf_vprintf(&v->lines, fmt, ap);
    va_end(ap);
    if (v->lines.data) utf8_sanitize(v->lines.data + from); /* precisions cut bytes */
    buf_putc(&v->lines, '\n');
}

void verify_fields(struct verify_log *v, int64_t item, const char *prefix, const char *row,
                   json_t *expected, json_t *actual)
{
    const char *field;
    json_t *want;
    json_object_foreach(expected, field, want)
    {
        json_t *have = json_object_get(actual, field);
        if (have && json_equal(have, want)) continue;
        char *h = have ? json_dumps(have, JSON_ENCODE_ANY | JSON_COMPACT) : NULL;
        char *w = json_dumps(want, JSON_ENCODE_ANY | JSON_COMPACT);
        verify_problem(v, "item %lld: %s%s: the %s says %.200s, its events say %.200s",
                       (long long)item, prefix, field, row, h ? h : "nothing", w ? w : "?");
        free(h);
        free(w);
    }
}

json_t *verify_text_json(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (utf8_validate(s ? s : "", n, NULL)) return json_stringn(s ? s : "", n);
    char *hex = xmalloc(2 * n + 14);
    memcpy(hex, "invalid-utf8:", 13);
    str_hex((const unsigned char *)s, n, hex + 13);
    json_t *v = json_string(hex);
    free(hex);
    return v;
}
