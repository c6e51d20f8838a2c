/* delegate.h — 转办/分办: a unit splits an item it leads into sub-items for
 * the units below it (a town's grids, a bureau's sections) or for the item's
 * cooperating units, and runs their loop itself (issue 18).
 *
 * The office creates any item; a handler creates only such a sub-item: of an
 * item its own unit leads and has accepted (accepted or in progress), led by
 * a unit strictly below its own in the unit tree or by one of the item's
 * cooperating units, due no later than the item.  The sub-item remembers the
 * unit that split it off (items.delegated_by): that unit sees it from its
 * draft on and holds the delegator's capacity on it (perm.h, the lifecycle's
 * "delegator" rows: assign, urge, extensions, verify or reject, cancel), so
 * the office is not asked; the item's progress rolls up from its sub-items
 * as any parent's does, and the lead unit stays accountable for the item. */
#ifndef LUOSHI_CORE_DELEGATE_H
#define LUOSHI_CORE_DELEGATE_H

#include <stdint.h>

#include "core/core.h"
#include "core/item.h"
#include "db/db.h"

/* Create an item as a through POST /api/v1/items or a page: the office
 * (admin, supervisor) as item_create does; anyone else only a sub-item by
 * the rule above, with in's delegated_by set to a's unit — or, of a kind
 * whose units create it (kind.h's unit_creates: a challenge), an item at the
 * top, whose create hook decides who may.  Inside a write
 * transaction.  0 with *id, or -1 with e: 403 forbidden (detail "delegate":
 * no parent, or not the parent's lead unit's handler), 409 invalid_status
 * (the parent is not accepted or in progress), 422 invalid_field (detail
 * "delegate_unit" or "delegate_deadline"), or item_create's errors. */
int delegate_item_create(struct db *db, const struct actor *a, const struct item_input *in,
                         int64_t *id, struct err *e);

/* Check a delegator's assignment of sub-item id: lead (and the co-units,
 * n_co of them) must be below a's unit or cooperate on the parent, and
 * deadline ("YYYY-MM-DD") must not be after the parent's.  0, or -1 with e
 * (422 invalid_field as above, or the storage error). */
int delegate_check_assign(struct db *db, const struct actor *a, int64_t id, int64_t lead,
                          const int64_t *co, int n_co, const char *deadline, struct err *e);

#endif
