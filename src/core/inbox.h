/* inbox.h — a unit's inbox (待办): what waits for the caller, as lists of
 * items, for GET /api/v1/inbox and the inbox page.
 *
 * The lists depend on who asks.  A handler (承办人) sees their own unit's
 * work as the lead unit (牵头单位); supervisors, admins and leaders see the
 * whole city's deadlines; supervisors and admins also see what waits for
 * them.  Nothing here writes. */
#ifndef LUOSHI_CORE_INBOX_H
#define LUOSHI_CORE_INBOX_H

#include <jansson.h>

#include "core/core.h"
#include "db/db.h"

#define INBOX_LIST_MAX 200 /* entries per list */

/* The inbox of actor a:
 *
 *   {"to_accept":  assigned to the handler's unit, waiting to be signed for (待签收),
 *    "to_report":  accepted or in_progress work of the handler's unit, next
 *                  expected feedback first (待反馈),
 *    "due_soon":   open work (assigned, accepted, in_progress) whose deadline is
 *                  today or within the light warning window (即将到期),
 *    "overdue":    open work past its deadline (已逾期),
 *    "returned":   for a handler: in_progress work the supervisor sent back
 *                  (reject) and not reported on since (被退回); for a
 *                  supervisor: items a unit returned, waiting to be reassigned,
 *    "to_verify":  for a supervisor: submitted items waiting for verification (待销号)}
 *
 * due_soon and overdue cover the handler's unit, or the whole city for
 * supervisors, admins and leaders.  Lists a role has no part in are empty.
 * Each entry is {"id","title","status","light","deadline","feedback_due",
 * "feedback_late","progress","escalation","lead_unit":{"id","code","name"}|null};
 * each list holds at most INBOX_LIST_MAX.  Returns a new object, or NULL
 * with e (5xx storage). */
json_t *inbox_json(struct db *db, const struct actor *a, struct err *e);

#endif
