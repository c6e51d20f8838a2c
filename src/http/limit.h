/* limit.h — what one client may hold of the server at once: connections or
 * requests in flight per client address, and the bytes of request bodies in
 * flight over all clients (the body budget).
 *
 * The server counts a direct client's connections by its address (refused
 * at accept beyond the limit), and, behind a trusted proxy, the requests in
 * flight of each forwarded address (refused with 503 beyond it), so a few
 * addresses cannot take every connection slot.  The budget bounds the
 * memory of bodies being received: a body is reserved before its first byte
 * is kept, and one that does not fit is refused (503 with Retry-After)
 * instead of read.  All functions are thread-safe. */
#ifndef LUOSHI_HTTP_LIMIT_H
#define LUOSHI_HTTP_LIMIT_H

#include <stddef.h>

struct addr_counts;

/* Counts per address text, each allowed up to max.  Never NULL. */
struct addr_counts *addr_counts_new(int max);
/* Count one more for address: 1 when it is within max (counted), 0 when
 * the address already holds max (nothing counted). */
int addr_counts_take(struct addr_counts *c, const char *address);
/* The count for address now (0 when none). */
int addr_counts_get(struct addr_counts *c, const char *address);
/* Give back one that addr_counts_take counted. */
void addr_counts_give(struct addr_counts *c, const char *address);
/* Free the table.  NULL is ignored. */
void addr_counts_free(struct addr_counts *c);

/* The bytes of bodies in flight, at most max in all. */
struct body_budget;

/* A budget of max bytes.  Never NULL. */
struct body_budget *body_budget_new(size_t max);
/* Reserve n bytes: 1 when they fit (reserved), 0 when they would pass the
 * maximum (nothing reserved). */
int body_budget_take(struct body_budget *b, size_t n);
/* Give back n reserved bytes. */
void body_budget_give(struct body_budget *b, size_t n);
/* The bytes reserved now. */
size_t body_budget_used(struct body_budget *b);
/* Free the budget.  NULL is ignored. */
void body_budget_free(struct body_budget *b);

#endif
