/* action.h — taking an action on an item: the supervision loop's one entry.
 *
 * POST /items/{id}/actions, the item page's forms and the scheduler all come
 * here.  The lifecycle table (lifecycle.h) says whether the action may
 * happen; this file validates the action's fields, writes the change with
 * the item's version check, records the action in its own table (feedback,
 * extensions, urges, escalations, instructions), appends the event, tells
 * the people it concerns (core/notify.h: messages and the outbox) and rolls
 * progress up to the parents, all in the caller's transaction.
 *
 * The body is {"action": NAME, …fields}: the fields each action takes and
 * which are required are action_spec.h's list (unknown fields are refused).
 * On an item whose kind has steps for the action (kind.h), the kind's
 * before step runs after those checks and before the step here (a hazard's
 * triage before assign, its plan, an after-photo to submit; and the whole of
 * a kind's own action such as triage), and its after step runs next (a
 * hazard's listing, acceptance clock, closing), in the same transaction.
 *
 * docs/lifecycle.md describes each in full. */
#ifndef LUOSHI_CORE_ACTION_H
#define LUOSHI_CORE_ACTION_H

#include <jansson.h>
#include <stdint.h>

#include "core/core.h"
#include "db/db.h"

/* The field every action takes besides its own (optional, the office's
 * only): a note written for the public, published by Open311 with the
 * status the action leads to. */
#define ACTION_PUBLIC_NOTE "public_note"

/* Take the action body describes on item item_id as actor a, inside the
 * caller's write transaction (a db_pool write job).  body is borrowed.
 *
 * Returns 0 when done (read the item again with item_get_json for the
 * response).  Returns -1 with e filled when refused: 400/422 bad body or
 * fields, 404 no such item, 403 the actor may not see the item or may not
 * take this action (another role may), 409 "invalid_transition" (e->allowed
 * lists what the actor may do instead) or another 409 precondition, 5xx
 * storage.  Returns DB_RETRY (with e 503 "busy") when the item changed
 * meanwhile: the write job should return DB_RETRY so the pool runs it again.
 * On any failure the caller must roll back: rows may have been written. */
int item_act(struct db *db, const struct actor *a, int64_t item_id, json_t *body, struct err *e);

/* 1 when action name on an item of kind can run: it has a row in the action
 * list and a step here for every kind, or the kind's own before step. */
int action_implemented(const char *kind, const char *name);
/* Of names[0..n) — the actions the lifecycle allows actor a with capacities
 * caps on item id (lifecycle_allowed) — keep those the item allows now,
 * whatever their fields, by the same checks the actions run: an extension
 * decided only while a request waits, requested only before the deadline
 * and while none waits, and the kind's own (kind_step's may: a major hazard
 * verified only by the office).  Compacts names in place and returns how
 * many remain; on a storage error it keeps them all (the action will say). */
size_t action_allowed_now(struct db *db, const struct actor *a, int64_t id, unsigned caps,
                          const char **names, size_t n);
/* Recompute every open item's behind-schedule dates (the yellow and red
 * days of the pro-rata schedule) under the light rules stored now, inside
 * the caller's write: a change of the thresholds shows in every light at
 * once, not at each item's next change.  Derived columns only: no event,
 * the version kept.  0, or -1 with e. */
int action_reschedule(struct db *db, struct err *e);

/* The names of the escalation levels 1..3 ("general", "key", "listed"), or
 * NULL for another level. */
const char *action_escalation_name(int level);

#endif
