/* feedback.h — reading the supervision loop's records of an item: feedback,
 * extension requests, urges, escalations and instructions, and the loop's
 * state (next expected feedback, lateness, escalation level, the waiting
 * extension request).  Writing them is action.h's. */
#ifndef LUOSHI_CORE_FEEDBACK_H
#define LUOSHI_CORE_FEEDBACK_H

#include <jansson.h>
#include <stdint.h>

#include "core/core.h"
#include "db/db.h"

/* The loop's records of item_id as the actor may see them, oldest first:
 *
 *   {"loop": {"feedback_cycle", "feedback_due" (date|null), "feedback_late" (bool),
 *             "assigned_on" (date|null), "escalation" ("general"|"key"|"listed"|null),
 *             "pending_extension": the waiting request (an object as in "extensions") | null},
 *    "feedback":     [{"id","at","unit_id","unit_code","unit_name","user","is_lead","text",
 *                      "progress","value","due","late"}],
 *    "extensions":   [{"id","requested_at","requested_by","old_deadline","new_deadline","reason",
 *                      "status","decided_at","decided_by","decision_text"}],
 *    "urges":        [{"id","at","user","text","auto"}],
 *    "escalations":  [{"id","at","user","level","text"}],
 *    "instructions": [{"id","at","user","text"}]}
 *
 * Times are ISO 8601 with the city's offset; "user" is the username (null for
 * the system).  Returns a new object, or NULL with e: 404 no such item, 403
 * not visible to a, 5xx storage. */
json_t *feedback_item_json(struct db *db, const struct actor *a, int64_t item_id, struct err *e);

#endif
