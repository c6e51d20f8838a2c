/* count_cache.c — a small fixed table of (key, stamp, count), one mutex.
 * A collision simply overwrites: the cache only ever saves work. */
#include "core/count_cache.h"

#include <pthread.h>
#include <string.h>

#define CC_SLOTS 512
#define CC_KEY   480

struct cc_slot {
    char key[CC_KEY];
    int64_t stamp, count;
};

static struct cc_slot cc_slots[CC_SLOTS];
static pthread_mutex_t cc_mu = PTHREAD_MUTEX_INITIALIZER;

static unsigned cc_hash(const char *s)
{
    unsigned h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h % CC_SLOTS;
}

int count_cache_stamp(struct db *db, int64_t *stamp)
{
    return db_stamp(db, DB_STAMP_DATA, stamp);
}

int count_cache_get(const char *key, int64_t stamp, int64_t *count)
{
    if (strlen(key) >= CC_KEY) return 0;
    struct cc_slot *s = &cc_slots[cc_hash(key)];
    int hit = 0;
    pthread_mutex_lock(&cc_mu);
    if (s->key[0] && s->stamp == stamp && strcmp(s->key, key) == 0) {
        *count = s->count;
        hit = 1;
    }
    pthread_mutex_unlock(&cc_mu);
    return hit;
}

void count_cache_put(const char *key, int64_t stamp, int64_t count)
{
    if (strlen(key) >= CC_KEY) return;
    struct cc_slot *s = &cc_slots[cc_hash(key)];
    pthread_mutex_lock(&cc_mu);
    memcpy(s->key, key, strlen(key) + 1);
    s->stamp = stamp;
    s->count = count;
    pthread_mutex_unlock(&cc_mu);
}
