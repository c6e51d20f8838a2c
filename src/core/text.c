/* text.c — trimming and checking typed text.  See text.h. */
#include "core/text.h"

#include <string.h>

#include "util/mem.h"
#include "util/str.h"
#include "util/utf8.h"

int text_field(json_t *body, const char *name, size_t max, int required, const char **out,
               struct err *e)
{
    json_t *v = json_object_get(body, name);
    if (!v || json_is_null(v)) {
        if (required) return err_set(e, 422, "missing_field", "field '%s' is required", name);
        return 0;
    }
    if (!json_is_string(v)) return err_set(e, 422, "invalid_field", "'%s' must be a string", name);
    const char *s = json_string_value(v);
    size_t len = json_string_length(v), start;
    if (strlen(s) != len)
        return err_set(e, 422, "invalid_field", "'%s' must not contain NUL characters", name);
    size_t n = str_trim(s, len, &start);
    if (!n) {
        if (required) return err_set(e, 422, "missing_field", "'%s' must not be empty", name);
        return 0;
    }
    size_t chars = utf8_count(s + start, n);
    if (chars > max)
        return err_set(e, 422, "invalid_field", "'%s' is too long (%zu characters, at most %zu)",
                       name, chars, max);
    if (n != len) { /* store what was meant: the text without its blank ends */
        json_object_set_new(body, name, json_stringn(s + start, n));
        v = json_object_get(body, name);
    }
    *out = json_string_value(v);
    return 0;
}

char *text_trimmed(const char *s)
{
    if (!s) return NULL;
    size_t start, n = str_trim(s, strlen(s), &start);
    if (!n) return NULL;
    char *copy = xmalloc(n + 1);
    memcpy(copy, s + start, n);
    copy[n] = '\0';
    return copy;
}

int text_int_field(json_t *body, const char *name, int64_t min, int64_t max, int64_t *out,
                   struct err *e)
{
    json_t *v = json_object_get(body, name);
    if (!v || json_is_null(v)) return 0;
    if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max)
        return err_set(e, 422, "invalid_field", "'%s' must be an integer from %lld to %lld", name,
                       (long long)min, (long long)max);
    *out = json_integer_value(v);
    return 0;
}
