/* html.h — the one way pages write HTML: a printf whose %s escapes.
 *
 * html_printf() formats like printf, except that every %s argument (and %c)
 * is HTML-escaped: & < > " ' become entities, so text is safe both between
 * tags and inside double- or single-quoted attribute values.  The format
 * string itself is written as is: it is a literal of ours.  Output that is
 * already HTML goes through html_raw(), the long, greppable path; URL
 * components go through html_url() (or url_encode() then %s).  Numbers (%d,
 * %lld, %zu, %.1f …) are written as printf writes them. */
#ifndef LUOSHI_WEB_HTML_H
#define LUOSHI_WEB_HTML_H

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
/* Append s unchanged: only for text that is already safe HTML (our own
 * markup).  Every use is a place to review.  Returns as buf_append. */
int html_raw(struct buf *b, const char *s);
/* Append s percent-encoded as a URL component: every byte but A-Z a-z 0-9
 * - _ . ~ becomes %XX, so the result is also safe in an HTML attribute.
 * Returns as buf_append. */
int html_url(struct buf *b, const char *s);
/* s percent-encoded as html_url() does, as a NUL-terminated string in arena a
 * (never NULL; NULL gives ""). */
char *url_encode(struct arena *a, const char *s);

#endif
