/* throttle.c — an open-addressed table of (key hash, count, window start).
 * Collisions overwrite the oldest slot of a small probe run, so memory is
 * fixed however many names an attacker tries; the cost is that a flood of
 * distinct keys can evict a counter, which only loosens the throttle. */
#include "util/throttle.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "util/mem.h"

#define THROTTLE_SLOTS 4096
#define THROTTLE_PROBE 8

struct slot {
    uint64_t key;
    int count;
    int64_t start;
};

struct throttle {
    pthread_mutex_t mu;
    int limit;
    int64_t window;
    struct slot slots[THROTTLE_SLOTS];
};

static uint64_t key_hash(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h ? h : 1;
}

struct throttle *throttle_new(int limit, int64_t window_ms)
{
    struct throttle *t = xcalloc(1, sizeof *t);
    pthread_mutex_init(&t->mu, NULL);
    t->limit = limit;
    t->window = window_ms;
    return t;
}

/* The slot for key: its own, or (create) the stalest of its probe run. */
static struct slot *throttle_slot(struct throttle *t, uint64_t h, int create)
{
    struct slot *oldest = NULL;
    for (int i = 0; i < THROTTLE_PROBE; i++) {
        struct slot *s = &t->slots[(h + (uint64_t)i) % THROTTLE_SLOTS];
        if (s->key == h) return s;
        if (!oldest || s->start < oldest->start) oldest = s;
    }
    if (!create) return NULL;
    memset(oldest, 0, sizeof *oldest);
    oldest->key = h;
    return oldest;
}

int throttle_blocked(struct throttle *t, const char *key, int64_t now)
{
    pthread_mutex_lock(&t->mu);
    struct slot *s = throttle_slot(t, key_hash(key), 0);
    int blocked = s && now - s->start < t->window && s->count >= t->limit;
    pthread_mutex_unlock(&t->mu);
    return blocked;
}

void throttle_fail(struct throttle *t, const char *key, int64_t now)
{
    pthread_mutex_lock(&t->mu);
    struct slot *s = throttle_slot(t, key_hash(key), 1);
    if (now - s->start >= t->window) s->count = 0, s->start = now;
    s->count++;
    pthread_mutex_unlock(&t->mu);
}

void throttle_clear(struct throttle *t, const char *key)
{
    pthread_mutex_lock(&t->mu);
    struct slot *s = throttle_slot(t, key_hash(key), 0);
    if (s) memset(s, 0, sizeof *s);
    pthread_mutex_unlock(&t->mu);
}

void throttle_free(struct throttle *t)
{
    if (!t) return;
    pthread_mutex_destroy(&t->mu);
    free(t);
}
