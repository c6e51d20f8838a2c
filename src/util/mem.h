/* mem.h — allocation that never returns NULL.
 *
 * luoshi is a long-lived server: when memory runs out there is nothing sensible
 * left to do, so these log and abort instead of handing every caller a NULL to
 * check (Fossil's fossil_malloc).  Everything they return is freed with free(). */
#ifndef LUOSHI_UTIL_MEM_H
#define LUOSHI_UTIL_MEM_H

#include <stddef.h>

/* malloc(n), or abort with a message on failure.  n == 0 allocates 1 byte. */
void *xmalloc(size_t n);
/* calloc(count, size), or abort; also aborts when count * size overflows. */
void *xcalloc(size_t count, size_t size);
/* realloc(p, n), or abort.  p may be NULL. */
void *xrealloc(void *p, size_t n);
/* A malloc'd copy of the NUL-terminated string s. */
char *xstrdup(const char *s);
/* A malloc'd, NUL-terminated copy of the first n bytes of s (s need not be terminated). */
char *xstrndup(const char *s, size_t n);

#endif
