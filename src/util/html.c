/* html.c — the escaping printf for HTML and SVG, the XML escaper and the
 * URL encoder.  See html.h.
 *
 * html_vprintf walks the format itself: literal text is copied, each
 * conversion is cut out with its flags, width, precision and length and
 * handed to buf_printf with exactly the argument type printf would read, except
 * %s and %c, whose text goes through html_escape.  That keeps gcc's format
 * checking (the attribute says "printf") while making escaping the default.
 * HTML and XML share one escaping loop; they differ in the apostrophe's
 * entity and in XML's control characters.  It deliberately knows nothing of
 * pages, languages or requests. */
#include "util/html.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

/* The replacement for c, or NULL when c is written as is: HTML's entities,
 * or with xml XML's (&apos;, and a space for a control character XML 1.0
 * cannot carry). */
static const char *markup_entity(unsigned char c, int xml)
{
    switch (c) {
    case '&':
        return "&amp;";
    case '<':
        return "&lt;";
    case '>':
        return "&gt;";
    case '"':
        return "&quot;";
    case '\'':
        return xml ? "&apos;" : "&#39;";
    default:
        return xml && c < 0x20 && c != '\t' && c != '\n' && c != '\r' ? " " : NULL;
    }
}

/* The one escaping loop: runs of plain bytes are appended in one go. */
static int markup_escape_n(struct buf *b, const char *s, size_t n, int xml)
{
    size_t run = 0; /* bytes since the last entity */
    for (size_t i = 0; i < n; i++) {
        const char *ent = markup_entity((unsigned char)s[i], xml);
        if (!ent) {
            run++;
            continue;
        }
        if (run && buf_append(b, s + i - run, run)) return -1;
        run = 0;
        if (buf_puts(b, ent)) return -1;
    }
    return run ? buf_append(b, s + n - run, run) : 0;
}

int html_escape_n(struct buf *b, const char *s, size_t n)
{
    return markup_escape_n(b, s, n, 0);
}

int xml_escape_n(struct buf *b, const char *s, size_t n)
{
    return markup_escape_n(b, s, n, 1);
}

int xml_escape(struct buf *b, const char *s)
{
    return s ? xml_escape_n(b, s, strlen(s)) : 0;
}

int html_escape(struct buf *b, const char *s)
{
    return s ? html_escape_n(b, s, strlen(s)) : 0;
}

int html_raw(struct buf *b, const char *s)
{
    return s ? buf_puts(b, s) : 0;
}

void html_frag_init(struct html_frag *f, size_t max)
{
    buf_init(&f->html, max);
}

int html_frag_put(struct buf *b, const struct html_frag *f)
{
    if (f->html.err) {
        b->err = 1;
        return -1;
    }
    return f->html.len ? buf_append(b, f->html.data, f->html.len) : 0;
}

void html_frag_free(struct html_frag *f)
{
    buf_free(&f->html);
}

static int url_unreserved(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.' || c == '~';
}

int html_url(struct buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) {
        char enc[3] = {'%', hex[*p >> 4], hex[*p & 15]};
        if (url_unreserved(*p) ? buf_putc(b, *p) : buf_append(b, enc, 3)) return -1;
    }
    return 0;
}

char *url_encode(struct arena *a, const char *s)
{
    struct buf b;
    buf_init(&b, s ? 3 * strlen(s) + 1 : 1); /* each byte becomes at most %XX */
    html_url(&b, s);
    char *out = arena_strdup(a, buf_cstr(&b));
    buf_free(&b);
    return out;
}

/* The byte length of at most max bytes of s, cut back so that no UTF-8
 * sequence is split. */
static size_t utf8_prefix(const char *s, size_t max)
{
    size_t n = strnlen(s, max);
    if (n == max && s[n] != '\0')
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    return n;
}

/* One conversion spec, cut apart: flags, width, precision, length, letter. */
struct spec {
    char flags[8];
    int width_star, width; /* width -1: none */
    int prec_star, prec;   /* prec -1: none */
    char length[3];        /* "", "h", "hh", "l", "ll", "z", "j", "t", "L" */
    char conv;
};

/* A decimal run at *p (at most 9 digits, ample for widths). */
static int spec_number(const char **p)
{
    int n = 0;
    for (int i = 0; **p >= '0' && **p <= '9'; (*p)++, i++)
        if (i < 9) n = n * 10 + (**p - '0');
    return n;
}

/* Cut the spec at fmt (just after '%') into sp; returns the position after
 * it, or NULL for a spec this writer does not know (a bug in our format). */
static const char *spec_parse(const char *fmt, struct spec *sp)
{
    const char *p = fmt;
    size_t nf = 0;
    memset(sp, 0, sizeof *sp);
    sp->width = sp->prec = -1;
    while (*p && strchr("-+ #0", *p) && nf < sizeof sp->flags - 1)
        sp->flags[nf++] = *p++;
    if (*p == '*')
        sp->width_star = 1, p++;
    else if (*p >= '1' && *p <= '9')
        sp->width = spec_number(&p);
    if (*p == '.') {
        p++;
        if (*p == '*')
            sp->prec_star = 1, p++;
        else
            sp->prec = spec_number(&p);
    }
    size_t ln = 0;
    while (*p && strchr("hlzjtL", *p) && ln < 2)
        sp->length[ln++] = *p++;
    if (!*p || !strchr("diuoxXcsfFeEgGp%", *p)) return NULL;
    sp->conv = *p++;
    return p;
}

/* Format an integer conversion (fmt is "%<flags>*.*<length><conv>"),
 * reading the argument type printf would. */
static int put_int(struct buf *b, const struct spec *sp, const char *t, int w, int prec,
                   va_list *ap)
{
    int is_signed = sp->conv == 'd' || sp->conv == 'i';
    const char *l = sp->length;
    if (!strcmp(l, "ll"))
        return is_signed ? buf_printf(b, t, w, prec, va_arg(*ap, long long))
                         : buf_printf(b, t, w, prec, va_arg(*ap, unsigned long long));
    if (!strcmp(l, "l"))
        return is_signed ? buf_printf(b, t, w, prec, va_arg(*ap, long))
                         : buf_printf(b, t, w, prec, va_arg(*ap, unsigned long));
    if (!strcmp(l, "z"))
        return is_signed ? buf_printf(b, t, w, prec, va_arg(*ap, ssize_t))
                         : buf_printf(b, t, w, prec, va_arg(*ap, size_t));
    if (!strcmp(l, "j"))
        return is_signed ? buf_printf(b, t, w, prec, va_arg(*ap, intmax_t))
                         : buf_printf(b, t, w, prec, va_arg(*ap, uintmax_t));
    if (!strcmp(l, "t")) return buf_printf(b, t, w, prec, va_arg(*ap, ptrdiff_t));
    /* h, hh and none: promoted to int */
    return is_signed ? buf_printf(b, t, w, prec, va_arg(*ap, int))
                     : buf_printf(b, t, w, prec, va_arg(*ap, unsigned));
}

/* %s and %c: the text escaped, padded to the width (in source bytes) like
 * printf pads. */
static int put_text(struct buf *b, const struct spec *sp, int w, int prec, va_list *ap)
{
    char c[1];
    const char *s;
    size_t n;
    if (sp->conv == 'c') {
        c[0] = (char)va_arg(*ap, int);
        s = c, n = 1;
    } else {
        s = va_arg(*ap, const char *);
        if (!s) s = "";
        n = prec >= 0 ? utf8_prefix(s, (size_t)prec) : strlen(s);
    }
    int left = strchr(sp->flags, '-') != NULL || w < 0;
    size_t width = w < 0 ? (size_t) - (long)w : (size_t)w;
    size_t pad = width > n ? width - n : 0;
    for (size_t i = 0; !left && i < pad; i++)
        buf_putc(b, ' ');
    int rc = html_escape_n(b, s, n);
    for (size_t i = 0; left && i < pad; i++)
        buf_putc(b, ' ');
    return rc || b->err ? -1 : 0;
}

/* Write one conversion; the '*' arguments come first, as in printf.  Every
 * number goes to buf_printf as "%<flags>*.*<length><conv>", so there is one
 * call shape per argument type; a negative precision means "none". */
static int put_spec(struct buf *b, const struct spec *sp, va_list *ap)
{
    int w = sp->width_star ? va_arg(*ap, int) : sp->width < 0 ? 0 : sp->width;
    int prec = sp->prec_star ? va_arg(*ap, int) : sp->prec;
    if (sp->conv == 's' || sp->conv == 'c') return put_text(b, sp, w, prec, ap);
    char t[24];
    snprintf(t, sizeof t, "%%%s*.*%s%c", sp->flags, sp->length, sp->conv);
    switch (sp->conv) {
    case 'd':
    case 'i':
    case 'u':
    case 'o':
    case 'x':
    case 'X':
        return put_int(b, sp, t, w, prec, ap) ? -1 : 0;
    case 'p':
        return buf_printf(b, "%*p", w, va_arg(*ap, void *));
    default:
        if (!strcmp(sp->length, "L")) return buf_printf(b, t, w, prec, va_arg(*ap, long double));
        return buf_printf(b, t, w, prec, va_arg(*ap, double));
    }
}

int html_vprintf(struct buf *b, const char *fmt, va_list ap)
{
    va_list args;
    va_copy(args, ap);
    int rc = 0;
    const char *p = fmt;
    while (*p && !rc) {
        const char *pct = strchr(p, '%');
        size_t lit = pct ? (size_t)(pct - p) : strlen(p);
        if (lit && buf_append(b, p, lit)) rc = -1;
        if (!pct) break;
        struct spec sp;
        const char *next = spec_parse(pct + 1, &sp);
        if (!next) {
            rc = -1; /* an unknown conversion: write nothing more */
            break;
        }
        if (sp.conv == '%')
            rc = buf_putc(b, '%');
        else
            rc = put_spec(b, &sp, &args);
        p = next;
    }
    va_end(args);
    return rc || b->err ? -1 : 0;
}

int html_printf(struct buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = html_vprintf(b, fmt, ap);
    va_end(ap);
    return rc;
}
