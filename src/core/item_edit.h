/* item_edit.h — the office's correction of an open item (the `edit` action,
 * issue 15 part 2): its title, description, feedback cycle, metric and
 * cooperating units.
 *
 * action.c runs it as the edit action's step; this file reads the fields,
 * compares them with what the item holds and writes what differs.  The
 * deadline is not here: it keeps its own path (request_extension and the
 * office's decision).  Whether the edit may happen (who, which status) is
 * the lifecycle table's. */
#ifndef LUOSHI_CORE_ITEM_EDIT_H
#define LUOSHI_CORE_ITEM_EDIT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "util/err.h"

/* Apply body's edit to item id (whose lead unit is lead_unit_id), inside the
 * caller's transaction.  Writes the description, feedback cycle, metric
 * target and unit, and the cooperating units that differ from the item's,
 * and records each changed one in before/after (objects the caller owns)
 * under the item row's column names ("co_unit_ids" as sorted arrays).  A
 * changed title is not written but copied into title (title_len bytes),
 * and a changed cycle into cycle (cycle_len bytes), for the caller to store
 * and diff; *changed is the number of fields that differ (title included).
 * 0, or -1 with e: 422 invalid_field / missing_field for a bad value, or a
 * database error. */
int item_edit_apply(struct db *db, int64_t id, int64_t lead_unit_id, json_t *body, json_t *before,
                    json_t *after, char *title, size_t title_len, char *cycle, size_t cycle_len,
                    int *changed, struct err *e);

#endif
