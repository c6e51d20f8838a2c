/* buf.h — a growable byte buffer with a mandatory maximum (curl's dynbuf).
 *
 * Append functions take the buffer by pointer and never hand back a moved
 * pointer.  When an append would pass `max`, it fails, leaves the buffer as it
 * was, and sets `err`, so a caller can do many appends and check once. */
#ifndef LUOSHI_UTIL_BUF_H
#define LUOSHI_UTIL_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
    char *data; /* NULL until the first append */
    size_t len; /* bytes in use, not counting the NUL kept after them */
    size_t cap; /* bytes allocated */
    size_t max; /* most bytes the buffer may hold; 0 = no limit */
    int err;    /* set when an append was refused */
};

/* Make b empty with the given maximum length (0 = unlimited).  Allocates nothing. */
void buf_init(struct buf *b, size_t max);
/* Append n bytes.  Returns 0, or -1 when that would pass b->max (b unchanged, err set). */
int buf_append(struct buf *b, const void *p, size_t n);
/* Append a NUL-terminated string.  Returns as buf_append. */
int buf_puts(struct buf *b, const char *s);
/* Append one byte.  Returns as buf_append. */
int buf_putc(struct buf *b, int c);
/* Append printf-formatted text.  Returns as buf_append. */
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* va_list form of buf_printf. */
int buf_vprintf(struct buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* A NUL-terminated view of the contents ("" when empty), valid until the next append. */
const char *buf_cstr(struct buf *b);
/* Hand the malloc'd, NUL-terminated contents to the caller (who frees them) and
 * reset b to empty; *len (if not NULL) gets the length.  Never returns NULL. */
char *buf_detach(struct buf *b, size_t *len);
/* Forget the contents but keep the allocation. */
void buf_reset(struct buf *b);
/* Free the allocation; b is empty afterwards and may be reused. */
void buf_free(struct buf *b);

#endif
