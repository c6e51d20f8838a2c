/* clean.c — stage 1 of intake: the boundary where raw bytes become trusted
 * text.  It validates UTF-8 once (rejecting, with the byte offset, rather than
 * repairing), normalises line ends and the many Unicode spaces, and drops
 * control and zero-width characters.  It does not touch layout: joining lines
 * and trimming them is lines.c's job. */
#include <string.h>

#include "intake/internal.h"
#include "util/utf8.h"

/* What to do with the character starting at s[i]: returns the bytes it takes
 * and sets *out and *out_len to its replacement (*out_len 0 = drop it; *out NULL =
 * keep it as it is). */
static size_t clean_classify(const char *s, size_t len, size_t i, const char **out, size_t *out_len)
{
    unsigned char c = (unsigned char)s[i];
    *out = NULL;
    *out_len = 1;
    if (c < 0x80) {
        if (c == '\r') {
            *out = "\n";
            return (i + 1 < len && s[i + 1] == '\n') ? 2 : 1;
        }
        if (c == '\t') {
            *out = " ";
        } else if ((c < 0x20 && c != '\n') || c == 0x7F) {
            *out_len = 0;
        }
        return 1;
    }
    uint32_t cp;
    size_t n = utf8_decode(s + i, len - i, &cp);
    if (cp == 0x3000 || cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F ||
        cp == 0x205F) {
        *out = " ";
    } else if (cp == 0x2028 || cp == 0x2029 || cp == 0x85) {
        *out = "\n";
    } else if ((cp >= 0x80 && cp <= 0x9F) || (cp >= 0x200B && cp <= 0x200F) || cp == 0x2060 ||
               cp == 0xFEFF || (cp >= 0x202A && cp <= 0x202E)) {
        *out_len = 0;
    }
    return n;
}

/* 1 when the character at s[i] may need work: ASCII controls and the lead
 * bytes of the few multi-byte ranges clean_classify changes. */
static int clean_special(unsigned char c)
{
    if (c < 0x80) return c < 0x20 || c == 0x7F;
    return c == 0xC2 || c == 0xE2 || c == 0xE3 || c == 0xEF;
}

int intake_clean(const char *data, size_t len, char *out, size_t *out_len, size_t *bad_offset)
{
    if (!utf8_validate(data, len, bad_offset)) return INTAKE_EUTF8;
    size_t i = 0, run = 0, o = 0;
    INTAKE_OPS(len);
    while (i < len) {
        if (!clean_special((unsigned char)data[i])) {
            i++;
            continue;
        }
        const char *rep;
        size_t rep_len;
        size_t n = clean_classify(data, len, i, &rep, &rep_len);
        if (rep || rep_len == 0) {
            memcpy(out + o, data + run, i - run);
            o += i - run;
            if (rep) out[o++] = rep[0];
            run = i + n;
        }
        i += n;
    }
    memcpy(out + o, data + run, len - run);
    o += len - run;
    out[o] = '\0';
    *out_len = o;
    return INTAKE_OK;
}
