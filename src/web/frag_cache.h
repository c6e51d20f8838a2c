/* frag_cache.h — parts of pages kept between views (the dashboard's cards).
 *
 * A part whose every input is named by stamps that change with what it
 * reads (the data stamp, the score stamp, the configuration stamp; see
 * core/count_cache.h and core/assessment.h) is rendered once and put into
 * later pages as it was, while the day, the language, the scope (who sees
 * what) and the stamps are the same.  A part rendered under stamps read
 * before it is never newer than its key, so a kept part is never stale.
 * Slots are picked by scope and language; a slot taken by another key is
 * simply rendered again.  One mutex per cache.  Not used outside src/web/.
 *
 * A part that is slow to compute (the year's 考核 score over a city: seconds
 * at 100,000 items) is not computed again in a view: while its slot holds
 * the part of the same language and scope under older stamps or of an
 * earlier day (the first view of a morning), and the last computation took
 * frag_cache_wait_ms or more, frag_cache_kept() puts that part into the page
 * and hands one caller the claim to compute it again away from the request
 * (page_later); the views meanwhile show the last one.  Under steady writes
 * to its inputs (every acceptance changes the score stamp) each view used to
 * compute it anew: the dashboard served 14 views a second over 100,000 items
 * while an entry was recorded every half second (bench/README.md).  A part computed faster than
 * that is computed in the view, as before, so a small city always shows its newest figures. */
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
    int busy;        /* a claim to compute it again is out (frag_cache_kept) */
    int64_t cost_ms; /* what its last computation took */
    struct frag_key key;
    struct html_frag frag;
};

/* From this long a computation on (ms), a stale part is shown while it is
 * computed again away from the view (luoshi serve --card-wait). */
extern int64_t frag_cache_wait_ms;

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
/* As frag_cache_get, and else, when the slot holds the part of the same
 * language and scope under other stamps or of another day whose computation
 * took frag_cache_wait_ms or more, that part: 1 then too.  *claim is set to 1
 * when the caller is the one to compute it again (and must then end with
 * frag_cache_put or frag_cache_unclaim), else 0. */
int frag_cache_kept(struct frag_cache *c, const struct frag_key *key, struct buf *out, int *claim);
/* Keep f, computed in cost_ms, under key (taken over: f is empty afterwards);
 * the slot's claim ends. */
void frag_cache_put(struct frag_cache *c, const struct frag_key *key, struct html_frag *f,
                    int64_t cost_ms);
/* End the claim on key's slot without a new part (the computation failed). */
void frag_cache_unclaim(struct frag_cache *c, const struct frag_key *key);

#endif
