/* frag_cache.c — parts of pages kept between views (frag_cache.h). */
#include <string.h>

#include "web/frag_cache.h"

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

void frag_cache_put(struct frag_cache *c, const struct frag_key *key, struct html_frag *f)
{
    struct frag_slot *s = slot_of(c, key), old;
    pthread_mutex_lock(&c->mu);
    old = *s;
    s->used = 1;
    s->key = *key;
    s->frag = *f;
    pthread_mutex_unlock(&c->mu);
    html_frag_init(f, 0);
    if (old.used) html_frag_free(&old.frag);
}
