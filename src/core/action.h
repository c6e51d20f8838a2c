/* action.h — taking an action on an item: the supervision loop's one entry.
 *
 * POST /items/{id}/actions, the item page's forms and the scheduler all come
 * here.  The lifecycle table (lifecycle.h) says whether the action may
 * happen; this file validates the action's fields, writes the change with
 * the item's version check, records the action in its own table (feedback,
 * extensions, urges, escalations, instructions), appends the event and rolls
 * progress up to the parents, all in the caller's transaction.
 *
 * The body is {"action": NAME, …fields}; unknown fields are refused.
 *
 *   assign             lead_unit_id?, co_unit_ids?, deadline? | working_days?
 *                      (the item must end up with a lead unit and a deadline)
 *   accept             —
 *   return             reason
 *   feedback           text, progress? (0-100), value? (the metric's current value);
 *                      a cooperating unit sends text only
 *   request_extension  deadline (after the current one), reason; 422 deadline_passed
 *                      once the deadline is over, 409 extension_pending if one waits
 *   approve_extension  text?          (409 no_pending_extension when none waits)
 *   deny_extension     text?
 *   submit             text
 *   verify             reason? (required while a sub-item is open: 409 children_open)
 *   reject             reason         (back to in_progress)
 *   urge               text
 *   escalate           level (general 一般, key 重点, listed 挂牌; higher than now), text?
 *   instruct           text
 *   cancel             reason, duplicate_of? (a hazard: the original it repeats)
 *   suspend            reason?
 *   resume             —              (back to the status before suspend)
 *   archive            —
 *   triage             level?, category?, lead_unit_id?, deadline?, plan? (hazards, hazard.h)
 *
 * On a hazard, hazard_act (hazard.h) runs first with its own preconditions
 * (triage before assign, the major hazard's plan, an after-photo to submit)
 * and records listing, acceptance and delisting.
 *
 * docs/lifecycle.md describes each in full. */
#ifndef LUOSHI_CORE_ACTION_H
#define LUOSHI_CORE_ACTION_H

#include <jansson.h>
#include <stdint.h>

#include "core/core.h"
#include "db/db.h"

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

/* The names of the escalation levels 1..3 ("general", "key", "listed"), or
 * NULL for another level. */
const char *action_escalation_name(int level);

#endif
