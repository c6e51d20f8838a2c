/* limit.c — per-address counts and the body budget.  See limit.h.
 *
 * The counts are a small hash table of chained entries under one mutex; an
 * entry goes when its count returns to 0, so memory follows the addresses
 * connected now, never the addresses ever seen. */
#include "http/limit.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/mem.h"

#define COUNTS_BUCKETS 1024

struct count_entry {
    struct count_entry *next;
    int n;
    char address[];
};

struct addr_counts {
    pthread_mutex_t mu;
    int max;
    struct count_entry *buckets[COUNTS_BUCKETS];
};

static size_t bucket_of(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return (size_t)(h % COUNTS_BUCKETS);
}

struct addr_counts *addr_counts_new(int max)
{
    struct addr_counts *c = xcalloc(1, sizeof *c);
    pthread_mutex_init(&c->mu, NULL);
    c->max = max;
    return c;
}

/* The entry of address in its bucket's chain, with the link pointing at it. */
static struct count_entry **entry_find(struct addr_counts *c, const char *address)
{
    struct count_entry **p = &c->buckets[bucket_of(address)];
    while (*p && strcmp((*p)->address, address))
        p = &(*p)->next;
    return p;
}

int addr_counts_take(struct addr_counts *c, const char *address)
{
    pthread_mutex_lock(&c->mu);
    struct count_entry **p = entry_find(c, address);
    int ok = !*p || (*p)->n < c->max;
    if (ok && !*p) {
        size_t len = strlen(address);
        struct count_entry *e = xcalloc(1, sizeof *e + len + 1);
        memcpy(e->address, address, len + 1);
        *p = e;
    }
    if (ok) (*p)->n++;
    pthread_mutex_unlock(&c->mu);
    return ok;
}

int addr_counts_get(struct addr_counts *c, const char *address)
{
    pthread_mutex_lock(&c->mu);
    struct count_entry **p = entry_find(c, address);
    int n = *p ? (*p)->n : 0;
    pthread_mutex_unlock(&c->mu);
    return n;
}

void addr_counts_give(struct addr_counts *c, const char *address)
{
    pthread_mutex_lock(&c->mu);
    struct count_entry **p = entry_find(c, address);
    if (*p && --(*p)->n <= 0) {
        struct count_entry *e = *p;
        *p = e->next;
        free(e);
    }
    pthread_mutex_unlock(&c->mu);
}

void addr_counts_free(struct addr_counts *c)
{
    if (!c) return;
    for (size_t i = 0; i < COUNTS_BUCKETS; i++)
        while (c->buckets[i]) {
            struct count_entry *e = c->buckets[i];
            c->buckets[i] = e->next;
            free(e);
        }
    pthread_mutex_destroy(&c->mu);
    free(c);
}

struct body_budget {
    pthread_mutex_t mu;
    size_t max, used;
};

struct body_budget *body_budget_new(size_t max)
{
    struct body_budget *b = xcalloc(1, sizeof *b);
    pthread_mutex_init(&b->mu, NULL);
    b->max = max;
    return b;
}

int body_budget_take(struct body_budget *b, size_t n)
{
    pthread_mutex_lock(&b->mu);
    int ok = n <= b->max - b->used;
    if (ok) b->used += n;
    pthread_mutex_unlock(&b->mu);
    return ok;
}

void body_budget_give(struct body_budget *b, size_t n)
{
    pthread_mutex_lock(&b->mu);
    b->used -= n <= b->used ? n : b->used;
    pthread_mutex_unlock(&b->mu);
}

size_t body_budget_used(struct body_budget *b)
{
    pthread_mutex_lock(&b->mu);
    size_t n = b->used;
    pthread_mutex_unlock(&b->mu);
    return n;
}

void body_budget_free(struct body_budget *b)
{
    if (!b) return;
    pthread_mutex_destroy(&b->mu);
    free(b);
}
