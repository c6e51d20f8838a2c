/* body.c — parsing request bodies: the nesting depth of JSON (checked before
 * jansson sees it) and urlencoded forms.  Pure functions over bytes, so the
 * fuzz targets exercise exactly what the server runs. */
#include "http/body.h"

#include <string.h>

#include "util/utf8.h"

/* The deepest nesting of arrays and objects in a JSON text (strings skipped). */
int json_depth(const char *s, size_t n)
{
    int depth = 0, max = 0, in_str = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (in_str) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_str = 0;
        } else if (c == '"') {
            in_str = 1;
        } else if (c == '[' || c == '{') {
            if (++depth > max) max = depth;
        } else if (c == ']' || c == '}') {
            depth--;
        }
    }
    return max;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Percent-decode s[0..n) into the arena; NULL when malformed, holding NUL, or not UTF-8. */
static char *form_decode(struct arena *a, const char *s, size_t n)
{
    char *out = arena_alloc(a, n + 1), *o = out;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '+') {
            *o++ = ' ';
        } else if (s[i] == '%') {
            if (i + 2 >= n) return NULL;
            int h = hexval(s[i + 1]), l = hexval(s[i + 2]);
            if (h < 0 || l < 0) return NULL;
            *o++ = (char)(h * 16 + l);
            i += 2;
        } else {
            *o++ = s[i];
        }
    }
    *o = '\0';
    if (memchr(out, '\0', (size_t)(o - out)) || !utf8_validate(out, (size_t)(o - out), NULL))
        return NULL;
    return out;
}

int form_parse(struct arena *a, const char *s, size_t n, struct req_field **fields, int *nfields,
               int max)
{
    struct req_field *f = arena_alloc(a, (size_t)max * sizeof *f);
    int count = 0;
    size_t i = 0;
    while (i < n) {
        size_t end = i;
        while (end < n && s[end] != '&')
            end++;
        size_t eq = i;
        while (eq < end && s[eq] != '=')
            eq++;
        if (end > i) {
            if (count == max) return -1;
            char *name = form_decode(a, s + i, eq - i);
            char *value = eq < end ? form_decode(a, s + eq + 1, end - eq - 1) : arena_strdup(a, "");
            if (!name || !value) return -1;
            f[count].name = name;
            f[count].value = value;
            count++;
        }
        i = end + 1;
    }
    *fields = f;
    *nfields = count;
    return 0;
}
