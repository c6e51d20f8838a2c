/* batch.h — several actions of the supervision loop as one write: every
 * one is taken, or (the caller rolling back) none.  Batch feedback over the
 * API and the pages, and the triage page's triage-then-assign, are batches;
 * each action is core/action.h's item_act (through core/review.h). */
#ifndef LUOSHI_CORE_BATCH_H
#define LUOSHI_CORE_BATCH_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/core.h"
#include "db/db.h"

/* One action of a batch: the item and the body item_act takes. */
struct batch_action {
    int64_t item_id;
    json_t *body; /* {"action": …, …}; owned by the batch (batch_free) */
    int64_t held; /* set by batch_act: the review holding the report, else 0 */
};

/* Take acts[0..n) in order as a, inside the caller's write transaction,
 * each as core/review.h's review_act (a clerk's report in a unit under
 * review is held: acts[k].held gets its review).
 * Returns 0 when all were taken; DB_RETRY when an item changed meanwhile
 * (the write job should run again); else -1 with e (item_act's refusal) and
 * *failed the refused action's item.  On any failure the caller must roll
 * back: earlier actions were written. */
int batch_act(struct db *db, const struct actor *a, struct batch_action *acts, size_t n,
              int64_t *failed, struct err *e);
/* Release the bodies of acts[0..n). */
void batch_free(struct batch_action *acts, size_t n);

#endif
