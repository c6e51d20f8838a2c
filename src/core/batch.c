/* batch.c — actions taken together.  See batch.h. */
#include "core/batch.h"

#include "core/review.h"

int batch_act(struct db *db, const struct actor *a, struct batch_action *acts, size_t n,
              int64_t *failed, struct err *e)
{
    *failed = 0;
    for (size_t k = 0; k < n; k++) {
        int64_t held = 0;
        int rc = review_act(db, a, acts[k].item_id, acts[k].body, &held, e);
        acts[k].held = held;
        if (rc == DB_RETRY) return DB_RETRY;
        if (rc) {
            *failed = acts[k].item_id;
            return -1;
        }
    }
    return 0;
}

void batch_free(struct batch_action *acts, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        json_decref(acts[k].body);
        acts[k].body = NULL;
    }
}
