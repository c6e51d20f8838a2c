/* leader.h — the responsible leader (责任领导/分管领导) of items: figures by
 * leader (按分管领导统计) for the dashboard (issue 18).  The leader itself is
 * an item column (items.leader_id, set at creation and intake: item.h's
 * item_input, the list filter `leader`); this file only counts. */
#ifndef LUOSHI_CORE_LEADER_H
#define LUOSHI_CORE_LEADER_H

#include <jansson.h>

#include "core/core.h"
#include "db/db.h"

/* [{"leader":{"id","name"},"open","overdue","done"}…] over the items a sees
 * that have a responsible leader, by leader id: open is assigned to
 * submitted (returned and suspended too), overdue the open ones past their
 * deadline (before today, "YYYY-MM-DD"), done is done or archived.  Caller
 * owns; NULL with e on a storage error. */
json_t *leader_figures_json(struct db *db, const struct actor *a, const char *today, struct err *e);

#endif
