/* text.c — small helpers the intake stages use over valid UTF-8 byte strings:
 * stepping by character, display width, punctuation classes, literal search
 * and trimming.  Inputs are trusted to be valid UTF-8 (clean.c validated them);
 * nothing here allocates except intake_text_dup_nospace, and nothing here hands
 * bytes >= 0x80 to <ctype.h>. */
#include <stdlib.h>
#include <string.h>

#include "intake/internal.h"
#include "util/mem.h"
#include "util/utf8.h"

_Thread_local size_t intake_ops;

size_t intake_text_next(const char *s, size_t len, size_t i, uint32_t *cp)
{
    const unsigned char *u = (const unsigned char *)s + i;
    INTAKE_OPS(1);
    if (u[0] < 0x80) {
        *cp = u[0];
        return i + 1;
    }
    /* the text is valid UTF-8 (clean.c checked), so decode without checks;
     * the common CJK case is three bytes */
    if (u[0] >= 0xE0 && u[0] < 0xF0 && len - i >= 3) {
        *cp = ((uint32_t)(u[0] & 0x0F) << 12) | ((uint32_t)(u[1] & 0x3F) << 6) | (u[2] & 0x3F);
        return i + 3;
    }
    return i + utf8_decode(s + i, len - i, cp);
}

size_t intake_text_prev(const char *s, size_t i)
{
    if (i == 0) return 0;
    i--;
    INTAKE_OPS(1);
    while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
        i--;
    return i;
}

uint32_t intake_text_at(const char *s, size_t len, size_t i)
{
    uint32_t cp = 0;
    if (i < len) intake_text_next(s, len, i, &cp);
    return cp;
}

uint32_t intake_text_before(const char *s, size_t i)
{
    uint32_t cp = 0;
    if (i == 0) return 0;
    size_t p = intake_text_prev(s, i);
    intake_text_next(s, i, p, &cp);
    return cp;
}

int intake_text_width(uint32_t cp)
{
    if (cp < 0x1100) return 1;
    if (cp >= 0x2000 && cp <= 0x206F) return 2; /* “ ” ‘ ’ — … in Chinese type are full-width */
    if (cp >= 0x2E80 && cp <= 0xA4CF) return 2;
    if (cp >= 0xAC00 && cp <= 0xD7A3) return 2;
    if (cp >= 0xF900 && cp <= 0xFAFF) return 2;
    if (cp >= 0xFE30 && cp <= 0xFE4F) return 2;
    if (cp >= 0xFF00 && cp <= 0xFF60) return 2;
    if (cp >= 0xFFE0 && cp <= 0xFFE6) return 2;
    if (cp >= 0x20000 && cp <= 0x3FFFD) return 2;
    return 1;
}

int intake_text_is_han(uint32_t cp)
{
    return (cp >= 0x3400 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
           (cp >= 0x20000 && cp <= 0x3FFFF);
}

int intake_text_has(const char *s, size_t len, size_t i, const char *lit)
{
    size_t n = strlen(lit);
    INTAKE_OPS(1);
    return i <= len && len - i >= n && memcmp(s + i, lit, n) == 0;
}

int intake_text_starts(const char *s, size_t len, const char *lit)
{
    return intake_text_has(s, len, 0, lit);
}

int intake_text_ends(const char *s, size_t len, const char *lit)
{
    size_t n = strlen(lit);
    return len >= n && memcmp(s + len - n, lit, n) == 0;
}

size_t intake_text_find(const char *s, size_t len, size_t from, const char *lit)
{
    size_t n = strlen(lit);
    if (from > len) return (size_t)-1;
    const char *hit = memmem(s + from, len - from, lit, n);
    INTAKE_OPS(hit ? (size_t)(hit - s) - from + n : len - from);
    return hit ? (size_t)(hit - s) : (size_t)-1;
}

int intake_text_is_clause_mark(uint32_t cp)
{
    switch (cp) {
    case 0xFF0C: /* ， */
    case 0xFF1B: /* ； */
    case 0x3002: /* 。 */
    case 0xFF01: /* ！ */
    case 0xFF1F: /* ？ */
    case 0xFF1A: /* ： */
    case ',':
    case ';':
    case '!':
    case '?':
    case ':':
        return 1;
    default:
        return 0;
    }
}

int intake_text_is_sentence_mark(uint32_t cp)
{
    return cp == 0x3002 || cp == 0xFF01 || cp == 0xFF1F || cp == '!' || cp == '?' || cp == 0x2026;
}

/* Closing quotes and brackets that may follow the mark ending a sentence. */
static int text_is_closer(uint32_t cp)
{
    return cp == 0x201D || cp == 0x2019 || cp == 0xFF09 || cp == 0x300D || cp == 0x300F ||
           cp == ')' || cp == '"' || cp == 0x300B;
}

int intake_text_ends_sentence(const char *s, size_t len)
{
    size_t i = len;
    int closers = 0;
    while (i > 0) {
        uint32_t cp = intake_text_before(s, i);
        if (text_is_closer(cp) && closers < 3) {
            closers++;
            i = intake_text_prev(s, i);
            continue;
        }
        if (cp == '.' && !closers) {
            /* an ASCII period ends a sentence only after a letter or CJK text */
            size_t p = intake_text_prev(s, i);
            uint32_t b = intake_text_before(s, p);
            return b != 0 && !(b >= '0' && b <= '9');
        }
        return intake_text_is_sentence_mark(cp);
    }
    return 0;
}

struct intake_span intake_text_trim(const char *s, size_t len)
{
    struct intake_span sp = {0, len};
    while (sp.start < sp.end && s[sp.start] == ' ')
        sp.start++;
    while (sp.end > sp.start && s[sp.end - 1] == ' ')
        sp.end--;
    INTAKE_OPS(1 + sp.start + (len - sp.end));
    return sp;
}

size_t intake_text_trim_marks(const char *s, size_t len)
{
    while (len > 0) {
        uint32_t cp = intake_text_before(s, len);
        if (cp != ' ' && cp != 0x3001 && !intake_text_is_clause_mark(cp)) break;
        len = intake_text_prev(s, len);
    }
    return len;
}

size_t intake_text_count(const char *s, size_t len)
{
    size_t n = 0;
    INTAKE_OPS(len);
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

char *intake_text_dup_nospace(const char *s, size_t len)
{
    char *out = xmalloc(len + 1);
    size_t o = 0;
    INTAKE_OPS(len);
    for (size_t i = 0; i < len; i++)
        if (s[i] != ' ') out[o++] = s[i];
    out[o] = '\0';
    return out;
}

static void words_mark(uint64_t *set, uint32_t cp)
{
    set[(cp >> 6) & 63] |= 1ULL << (cp & 63);
}

static int words_may(const uint64_t *set, uint32_t cp)
{
    return (set[(cp >> 6) & 63] >> (cp & 63)) & 1;
}

void intake_words_prepare(struct intake_words *l)
{
    memset(l->first, 0, sizeof l->first);
    memset(l->last, 0, sizeof l->last);
    for (l->n = 0; l->w[l->n]; l->n++) {
        const char *w = l->w[l->n];
        size_t n = strlen(w);
        uint32_t cp;
        if (l->n >= INTAKE_WORDS_MAX || n == 0 || n > 255) abort(); /* a broken table */
        l->len[l->n] = (unsigned char)n;
        intake_text_next(w, n, 0, &cp);
        words_mark(l->first, cp);
        words_mark(l->last, intake_text_before(w, n));
    }
}

size_t intake_words_at(const struct intake_words *l, const char *s, size_t len, size_t i)
{
    uint32_t cp;
    if (i >= len) return 0;
    intake_text_next(s, len, i, &cp);
    if (!words_may(l->first, cp)) return 0;
    for (size_t k = 0; k < l->n; k++)
        if (len - i >= l->len[k] && !memcmp(s + i, l->w[k], l->len[k])) return l->len[k];
    return 0;
}

size_t intake_words_ending(const struct intake_words *l, const char *s, size_t from, size_t to)
{
    if (to <= from || !words_may(l->last, intake_text_before(s, to))) return 0;
    INTAKE_OPS(1);
    for (size_t k = 0; k < l->n; k++)
        if (to - from >= l->len[k] && !memcmp(s + to - l->len[k], l->w[k], l->len[k]))
            return l->len[k];
    return 0;
}
