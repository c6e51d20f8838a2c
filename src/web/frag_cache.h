/* frag_cache.h — parts of pages kept between views (the dashboard's cards).
 *
 * A part whose every input is named by stamps that change with what it
 * reads (the data stamp, the score stamp, the configuration stamp; see
 * core/count_cache.h and core/assessment.h) is rendered once and put into
 * later pages as it was, while the day, the language, the scope (who sees
 * what) and the stamps are the same.  A part rendered under stamps read
 * before it is never newer than its key, so a kept part is never stale.
 * Slots are picked by scope and language; a slot taken by another key is
 * simply rendered again.  One mutex per cache.  Not used outside src/web/. */
#ifndef LUOSHI_WEB_FRAG_CACHE_H
#define LUOSHI_WEB_FRAG_CACHE_H

#include <pthread.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/html.h"

#define FRAG_SLOTS 16

/* What a kept part was rendered under: all of it must match. */
struct frag_key {
    int lang;
    int32_t day;
    int64_t scope;    /* 0: every item; else the unit's id + 1 */
    int64_t stamp[4]; /* the stamps its inputs change */
};

struct frag_slot {
    int used;
    struct frag_key key;
    struct html_frag frag;
};

struct frag_cache {
    pthread_mutex_t mu;
    struct frag_slot slot[FRAG_SLOTS];
};

#define FRAG_CACHE_INIT                                                                            \
    {                                                                                              \
        PTHREAD_MUTEX_INITIALIZER,                                                                 \
        {                                                                                          \
            {                                                                                      \
                0                                                                                  \
            }                                                                                      \
        }                                                                                          \
    }

/* Put the part kept under key into out: 1, or 0 when there is none. */
int frag_cache_get(struct frag_cache *c, const struct frag_key *key, struct buf *out);
/* Keep f under key (taken over: f is empty afterwards). */
void frag_cache_put(struct frag_cache *c, const struct frag_key *key, struct html_frag *f);

#endif
