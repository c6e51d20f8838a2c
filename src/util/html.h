/* html.h — the one way luoshi writes HTML, SVG and XML: a printf whose %s
 * escapes, and the escaper under it.  Pages (web/), notices and their charts
 * (notice/html.c, notice/svg.c) and the Open311 XML (api/open311_form.c)
 * all write through here; it lives in util so that notice needs no web
 * header and nothing keeps an escaper of its own.
 *
 * html_printf() formats like printf, except that every %s argument (and %c)
 * is HTML-escaped: & < > " ' become entities, so text is safe both between
 * tags and inside double- or single-quoted attribute values.  The format
 * string itself is written as is: it is a literal of ours.  Output that is
 * already HTML goes through html_raw(), the long, greppable path; URL
 * components go through html_url() (or url_encode() then %s).  Numbers (%d,
 * %lld, %zu, %.1f …) are written as printf writes them.
 *
 * Raw output takes a literal.  The format of html_printf and the argument of
 * html_raw are string literals of ours, and `make lint` (tools/lint.c, rule
 * "html") fails on any other.  HTML that cannot be a literal — a part built
 * before the page it goes into, a rendered article — is a struct html_frag:
 * built by the functions of this header into frag.html and put into the page
 * by html_frag_put(), the one way non-literal HTML enters a page.  Its type
 * keeps it apart from text (a const char * is never taken where a fragment
 * is), and the lint also refuses a buf_* write into a fragment (x.html,
 * x->html) or, in src/web, into the page itself (&r->out, or its alias o).
 * Translations are text: T() goes through %s and is escaped like any other
 * argument; a sentence that needs markup is split around literal markup. */
#ifndef LUOSHI_UTIL_HTML_H
#define LUOSHI_UTIL_HTML_H

#include <stdarg.h>
#include <stddef.h>

#include "util/arena.h"
#include "util/buf.h"

/* Append fmt formatted to b with every %s / %c argument HTML-escaped (a NULL
 * %s writes nothing).  Supports the flags, width, precision ('*' too) and
 * length modifiers of printf for d i u o x X c s f F e E g G p %; precision
 * on %s limits the bytes read, never splitting a UTF-8 sequence.  Returns 0,
 * or -1 when b refused an append (b->err set). */
int html_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* va_list form of html_printf. */
int html_vprintf(struct buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Append s HTML-escaped (NULL writes nothing).  Returns as buf_append. */
int html_escape(struct buf *b, const char *s);
/* Append s[0..n) HTML-escaped.  Returns as buf_append. */
int html_escape_n(struct buf *b, const char *s, size_t n);
/* Append s[0..n) escaped for XML 1.0 text and attribute values: the same
 * five characters as html_escape_n, ' as &apos;, and the control characters
 * XML 1.0 cannot carry (below 0x20 except tab, LF and CR) as spaces.
 * Returns as buf_append. */
int xml_escape_n(struct buf *b, const char *s, size_t n);
/* Append s (NULL writes nothing) as xml_escape_n does.  Returns as buf_append. */
int xml_escape(struct buf *b, const char *s);
/* Append s unchanged: only for text that is already safe HTML (our own
 * markup).  Every use is a place to review.  Returns as buf_append. */
int html_raw(struct buf *b, const char *s);
/* A fragment of HTML written only through this header (see above). */
struct html_frag {
    struct buf html; /* write with html_printf(&f.html, …) and friends only */
};
/* Make f empty with the given maximum length (0 = unlimited). */
void html_frag_init(struct html_frag *f, size_t max);
/* Append the fragment f to b unchanged.  Returns 0, or -1 when b refused the
 * append or f's own building was refused (f->html.err: a cut fragment is
 * never put into a page; b->err is set then too). */
int html_frag_put(struct buf *b, const struct html_frag *f);
/* Free f's memory; f is empty again afterwards. */
void html_frag_free(struct html_frag *f);
/* Append s percent-encoded as a URL component: every byte but A-Z a-z 0-9
 * - _ . ~ becomes %XX, so the result is also safe in an HTML attribute.
 * Returns as buf_append. */
int html_url(struct buf *b, const char *s);
/* s percent-encoded as html_url() does, as a NUL-terminated string in arena a
 * (never NULL; NULL gives ""). */
char *url_encode(struct arena *a, const char *s);

#endif
