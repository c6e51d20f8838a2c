/* str.c — strict parsing and small string helpers.  See str.h. */
#include "util/str.h"

#include <errno.h>
#include <math.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "util/mem.h"

int str_to_int64(const char *s, size_t len, int64_t *out)
{
    char tmp[32];
    if (len == 0 || len >= sizeof tmp) return -1;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (!((c >= '0' && c <= '9') || (i == 0 && c == '-' && len > 1))) return -1;
    }
    memcpy(tmp, s, len);
    tmp[len] = '\0';
    errno = 0;
    char *end;
    long long v = strtoll(tmp, &end, 10);
    if (errno || *end) return -1;
    *out = v;
    return 0;
}

int str_to_double(const char *s, size_t len, double *out)
{
    char tmp[64];
    if (len == 0 || len >= sizeof tmp) return -1;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E'))
            return -1;
    }
    memcpy(tmp, s, len);
    tmp[len] = '\0';
    errno = 0;
    char *end;
    double v = strtod(tmp, &end);
    if (errno || *end || !isfinite(v)) return -1;
    *out = v;
    return 0;
}

int str_starts(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

int str_eq(const char *a, const char *b)
{
    if (!a || !b) return a == b;
    return strcmp(a, b) == 0;
}

void str_hex(const unsigned char *p, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[p[i] >> 4];
        out[2 * i + 1] = digits[p[i] & 15];
    }
    out[2 * n] = '\0';
}

int str_secret_eq(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    unsigned char d = (unsigned char)(la != lb);
    size_t n = la < lb ? la : lb;
    for (size_t i = 0; i < n; i++)
        d |= (unsigned char)(a[i] ^ b[i]);
    return d == 0;
}

char *str_base64(const unsigned char *p, size_t n)
{
    size_t len = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL);
    char *out = xmalloc(len);
    sodium_bin2base64(out, len, p, n, sodium_base64_VARIANT_ORIGINAL);
    return out;
}

int str_unbase64(const char *s, size_t len, size_t max, unsigned char **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    /* room for what len characters can hold, but never more than max (+3,
     * so an over-long text fails by its length, not by a short buffer) */
    size_t room = len / 4 * 3 + 3;
    if (room > max + 3) room = max + 3;
    unsigned char *bin = xmalloc(room ? room : 1);
    if (sodium_base642bin(bin, room, s, len, " \r\n", n, NULL, sodium_base64_VARIANT_ORIGINAL) ||
        *n > max) {
        free(bin);
        *n = 0;
        return -1;
    }
    *out = bin;
    return 0;
}

/* The length of the blank character at s[0..len), or 0 when it is not one. */
static size_t blank_at(const unsigned char *s, size_t len)
{
    if (*s == ' ' || (*s >= '\t' && *s <= '\r')) return 1;
    if (len >= 2 && s[0] == 0xc2 && s[1] == 0xa0) return 2;
    if (len >= 3 && s[0] == 0xe3 && s[1] == 0x80 && s[2] == 0x80) return 3;
    if (len >= 3 && s[0] == 0xe2 && s[1] == 0x80 && s[2] == 0x8b) return 3;
    if (len >= 3 && s[0] == 0xef && s[1] == 0xbb && s[2] == 0xbf) return 3;
    return 0;
}

/* The length of the blank character ending at s[len - 1], or 0. */
static size_t blank_before(const unsigned char *s, size_t len)
{
    for (size_t k = 1; k <= 3 && k <= len; k++)
        if (blank_at(s + len - k, k) == k) return k;
    return 0;
}

size_t str_trim(const char *s, size_t len, size_t *start)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t a = 0, b = len, k;
    while (a < b && (k = blank_at(u + a, b - a)) > 0)
        a += k;
    while (b > a && (k = blank_before(u + a, b - a)) > 0)
        b -= k;
    *start = a;
    return b - a;
}
