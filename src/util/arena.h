/* arena.h — a region allocator: many small allocations, one free.
 *
 * Each HTTP request gets one (h2o's req->pool); everything a handler builds
 * for its response lives in it and goes away in one arena_free() after the
 * response is queued, so handlers rarely call free(). */
#ifndef LUOSHI_UTIL_ARENA_H
#define LUOSHI_UTIL_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena;

/* A new, empty arena.  Never NULL. */
struct arena *arena_new(void);
/* n bytes, aligned for any type, zeroed; lives until arena_free(). */
void *arena_alloc(struct arena *a, size_t n);
/* A copy of s (NUL-terminated) in the arena; NULL gives NULL. */
char *arena_strdup(struct arena *a, const char *s);
/* A NUL-terminated copy of s[0..n) in the arena. */
char *arena_strndup(struct arena *a, const char *s, size_t n);
/* printf into the arena. */
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* vprintf into the arena (ap is used up, as vsnprintf uses it). */
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
/* Free every allocation and the arena itself.  NULL is ignored. */
void arena_free(struct arena *a);

#endif
