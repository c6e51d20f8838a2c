/* perm.h — the one place that answers "may this actor see this item?".
 *
 * Route-level checks (is the user logged in, do they hold the role) are the
 * HTTP dispatcher's, from the route table.  Object-level checks live here so
 * no handler writes its own.  Admins, supervisors and leaders see every item;
 * everyone else sees the items whose lead unit or a cooperating unit is their
 * own unit once the item has been assigned (items.assigned_on) — a draft is
 * the office's until then, even with a lead unit proposed (issue 17, major
 * 4); a kind may add more (kind.h's
 * visible hook and its SQL twin
 * KIND_VISIBLE_SQL: a hazard is also visible in its grid unit and its place,
 * the reporting grid worker's or enterprise's own unit, so reporters see
 * their own reports).  A kind's rule may show the item without its internal
 * record: the enterprise that filed a request sees its status, the reply and
 * its rating, never the office's and the units' events and records
 * (perm_item_internal, KIND_INTERNAL_SQL). */
#ifndef LUOSHI_CORE_PERM_H
#define LUOSHI_CORE_PERM_H

#include <stdint.h>

#include "core/core.h"
#include "core/kind.h"
#include "db/db.h"

/* 1 when a sees the item, 0 when not (or it does not exist), negative db code on error. */
int perm_item_visible(struct db *db, const struct actor *a, int64_t item_id);

/* 1 when a sees the item's internal record too — its events, its loop's
 * records (feedback, urges, instructions …) and its proof: by the unit rule
 * or a kind's rule that shows it (KIND_INTERNAL_SQL); 0 when a sees none of
 * it or only the item itself (a request's enterprise), negative db code on
 * error. */
int perm_item_internal(struct db *db, const struct actor *a, int64_t item_id);
/* For an item a already sees: 0 when a may read its internal record, or -1
 * with e (403 forbidden, detail "internal", or the storage error). */
int perm_item_record(struct db *db, const struct actor *a, int64_t item_id, struct err *e);

/* SQL condition for list queries: true when the item aliased "i" is visible
 * to the actor whose "sees all" flag is ?1 and unit is ?2.  Callers bind
 * ?1 = actor_sees_all(a), ?2 = a->unit_id. */
#define PERM_VISIBLE_SQL                                                                           \
    "(?1 = 1 OR (i.assigned_on IS NOT NULL AND (i.lead_unit_id = ?2 OR EXISTS (SELECT 1 FROM"      \
    " item_units iu WHERE iu.item_id = i.id AND iu.unit_id = ?2)))" KIND_VISIBLE_SQL ")"
/* The same for the internal record (perm_item_internal). */
#define PERM_INTERNAL_SQL                                                                          \
    "(?1 = 1 OR (i.assigned_on IS NOT NULL AND (i.lead_unit_id = ?2 OR EXISTS (SELECT 1 FROM"      \
    " item_units iu WHERE iu.item_id = i.id AND iu.unit_id = ?2)))" KIND_INTERNAL_SQL ")"

/* 1 when an item whose assignment day is assigned_on ("" or NULL: never
 * assigned) is its units' work: a draft, or a draft cancelled before it was
 * assigned, never was. */
int perm_unit_work(const char *assigned_on);

#endif
