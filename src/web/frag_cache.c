/* frag_cache.c — parts of pages kept between views (frag_cache.h). */
#include <string.h>

#include "web/frag_cache.h"
#include "web/web.h"

int64_t frag_cache_wait_ms = 100;

void web_card_wait(int64_t ms)
{
    frag_cache_wait_ms = ms;
}

static struct frag_slot *slot_of(struct frag_cache *c, const struct frag_key *key)
{
    return &c->slot[(size_t)(key->scope * 2 + key->lang) % FRAG_SLOTS];
}

static int key_eq(const struct frag_key *a, const struct frag_key *b)
{
    return a->lang == b->lang && a->day == b->day && a->scope == b->scope &&
           !memcmp(a->stamp, b->stamp, sizeof a->stamp);
}

int frag_cache_get(struct frag_cache *c, const struct frag_key *key, struct buf *out)
{
    struct frag_slot *s = slot_of(c, key);
    int hit = 0;
    pthread_mutex_lock(&c->mu);
    if (s->used && key_eq(&s->key, key)) hit = html_frag_put(out, &s->frag) == 0;
    pthread_mutex_unlock(&c->mu);
    return hit;
}

int frag_cache_kept(struct frag_cache *c, const struct frag_key *key, struct buf *out, int *claim)
{
    struct frag_slot *s = slot_of(c, key);
    int hit = 0;
    *claim = 0;
    pthread_mutex_lock(&c->mu);
    if (s->used && key_eq(&s->key, key)) {
        hit = html_frag_put(out, &s->frag) == 0;
    } else if (s->used && s->key.lang == key->lang && s->key.scope == key->scope &&
               s->cost_ms >= frag_cache_wait_ms) {
        hit = html_frag_put(out, &s->frag) == 0;
        if (hit && !s->busy) s->busy = *claim = 1;
    }
    pthread_mutex_unlock(&c->mu);
    return hit;
}

void frag_cache_put(struct frag_cache *c, const struct frag_key *key, struct html_frag *f,
                    int64_t cost_ms)
{
    struct frag_slot *s = slot_of(c, key), old;
    pthread_mutex_lock(&c->mu);
    old = *s;
    s->used = 1;
    s->busy = 0;
    s->cost_ms = cost_ms;
    s->key = *key;
    s->frag = *f;
    pthread_mutex_unlock(&c->mu);
    html_frag_init(f, 0);
    if (old.used) html_frag_free(&old.frag);
}

void frag_cache_unclaim(struct frag_cache *c, const struct frag_key *key)
{
    struct frag_slot *s = slot_of(c, key);
    pthread_mutex_lock(&c->mu);
    s->busy = 0;
    pthread_mutex_unlock(&c->mu);
}
