/* count_cache.c — a small fixed table of (key, stamp, count, time), one mutex.
 * A collision simply overwrites: the cache only ever saves work. */
#include "core/count_cache.h"

#include <pthread.h>
#include <string.h>

#include "util/time.h"

#define CC_SLOTS  512
#define CC_KEY    480
#define CC_TTL_MS 5000

struct cc_slot {
    char key[CC_KEY];
    int64_t stamp, count, at;
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

int64_t count_cache_stamp(struct db *db)
{
    int64_t v = 0;
    int rc = db_query_int64(db, "SELECT coalesce(max(id), 0) FROM events", 0, 0, &v);
    return rc == DB_OK ? v : rc;
}

int count_cache_get(const char *key, int64_t stamp, int64_t *count)
{
    if (strlen(key) >= CC_KEY) return 0;
    struct cc_slot *s = &cc_slots[cc_hash(key)];
    int64_t now = time_now_ms();
    int hit = 0;
    pthread_mutex_lock(&cc_mu);
    if (s->stamp == stamp && now - s->at < CC_TTL_MS && strcmp(s->key, key) == 0) {
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
    s->at = time_now_ms();
    pthread_mutex_unlock(&cc_mu);
}
