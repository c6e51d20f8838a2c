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
 * their own reports).  The unit tree widens the unit rule (issue 18): a unit
 * also sees, read-only, the assigned items of the units below it, and every
 * item it split off one of its own to a unit below it (转办/分办), whose
 * loop it runs in the office's place (LC_DELEGATOR).  A kind's rule may show the item without its
 * internal record: the enterprise that filed a request sees its status, the reply and its rating,
 * never the office's and the units' events and records (perm_item_internal, KIND_INTERNAL_SQL). */
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

/* The units strictly below unit U (an SQL expression binding it) in the
 * unit tree, as a subquery for IN: a town's grids, a bureau's sections and
 * theirs.  Not correlated with the row, so the database walks the tree once
 * per statement. */
#define PERM_BELOW_SQL(U)                                                                          \
    "(WITH RECURSIVE perm_below(id) AS (SELECT id FROM units WHERE parent_id = " U                 \
    " UNION SELECT pu.id FROM units pu JOIN perm_below pb ON pu.parent_id = pb.id)"                \
    " SELECT id FROM perm_below)"
/* The unit rule over the item aliased "i" for the actor whose "sees all"
 * flag is ALL and unit is U (SQL expressions): an assigned item whose lead or
 * a cooperating unit is U or a unit below it (the unit tree: below is
 * read-only, lifecycle_caps gives no capacity for it), and any item U
 * split off one of its own (items.delegated_by: the delegating unit sees
 * its sub-items from their draft on). */
#define PERM_UNIT_SQL(ALL, U)                                                                      \
    "(" ALL " = 1 OR (i.assigned_on IS NOT NULL AND (i.lead_unit_id = " U                          \
    " OR i.lead_unit_id IN " PERM_BELOW_SQL(                                                       \
        U) " OR EXISTS (SELECT 1 FROM item_units iu WHERE iu.item_id = i.id AND"                   \
           " (iu.unit_id = " U                                                                     \
           " OR iu.unit_id IN " PERM_BELOW_SQL(U) ")))) OR i.delegated_by = " U
/* SQL condition for list queries: true when the item aliased "i" is visible
 * to the actor whose "sees all" flag is ?1 and unit is ?2.  Callers bind
 * ?1 = actor_sees_all(a), ?2 = a->unit_id. */
#define PERM_VISIBLE_SQL PERM_UNIT_SQL("?1", "?2") KIND_VISIBLE_SQL ")"
/* The ids of the items the unit ?2 sees by PERM_VISIBLE_SQL, below the id
 * bound B (an SQL expression), read from the indexes of each rule: a
 * subquery for "i.id IN", so that an actor who does not see every item
 * reads their unit's items rather than walking the city's (a grid's or an
 * enterprise's handful among a million).  Each branch is exactly one rule's
 * items, ids as "id", with the caller's TAIL: "" for all of them, or
 * " ORDER BY id DESC LIMIT n" for the newest n of each, whose union holds
 * the newest n visible items (every branch's items are visible, so none of
 * the n can be missing from its branch's n).  It is PERM_VISIBLE_SQL's
 * twin for one who does not see every item (?1 = 0), used in its place:
 * the same rules, one branch per OR there (the kinds' are kind.h's
 * KIND_VISIBLE_IDS_SQL), so a rule changes in both; item_count_test holds
 * a unit's lists to perm_item_visible, kind_test each kind's rule. */
#define PERM_UNIT_IDS_SQL(B, TAIL)                                                                 \
    "(SELECT id FROM (SELECT pi.id AS id FROM items pi WHERE pi.lead_unit_id = ?2"                 \
    " AND pi.assigned_on IS NOT NULL AND pi.id < " B TAIL ") AS pb"                                \
    " UNION SELECT id FROM (SELECT pi.id AS id FROM items pi WHERE " PERM_HAS_BELOW_SQL            \
    " AND pi.lead_unit_id IN " PERM_BELOW_U_SQL                                                    \
    " AND pi.assigned_on IS NOT NULL AND pi.id < " B TAIL ") AS pb"                                \
    " UNION SELECT id FROM (SELECT pu.item_id AS id FROM item_units pu WHERE pu.unit_id = ?2"      \
    " AND pu.item_id < " B PERM_ASSIGNED_SQL("pu") TAIL                                            \
        ") AS pb"                                                                                  \
        " UNION SELECT id FROM (SELECT DISTINCT pu.item_id AS id FROM item_units pu"               \
        " WHERE " PERM_HAS_BELOW_SQL " AND pu.unit_id IN " PERM_BELOW_U_SQL                        \
        " AND pu.item_id < " B PERM_ASSIGNED_SQL("pu") TAIL                                        \
        ") AS pb"                                                                                  \
        " UNION SELECT id FROM (SELECT pi.id AS id FROM items pi WHERE pi.delegated_by = ?2"       \
        " AND pi.id < " B TAIL ") AS pb" KIND_VISIBLE_IDS_SQL(B, TAIL) ")"
/* B for every id (a literal both engines read as a 64-bit integer). */
#define PERM_NO_BOUND    "9223372036854775807"
#define PERM_BELOW_U_SQL PERM_BELOW_SQL("?2")
/* The unit ?2 has units below it: the branches of the units below are
 * skipped at once without (PostgreSQL, guessing hundreds of units below
 * any unit, would rather walk every item newest first looking for them). */
#define PERM_HAS_BELOW_SQL "EXISTS (SELECT 1 FROM units pw WHERE pw.parent_id = ?2)"
/* The item whose id X.item_id names has been assigned. */
#define PERM_ASSIGNED_SQL(X)                                                                       \
    " AND EXISTS (SELECT 1 FROM items px WHERE px.id = " X ".item_id"                              \
    " AND px.assigned_on IS NOT NULL)"

/* The same for the internal record (perm_item_internal). */
#define PERM_INTERNAL_SQL PERM_UNIT_SQL("?1", "?2") KIND_INTERNAL_SQL ")"

/* The capacities the unit tree adds for actor a on item id (OR them into
 * lifecycle_caps'): LC_DELEGATOR when a holds the handler role in the unit
 * that split the item off (items.delegated_by), and LC_LEAD when is_lead
 * (a's unit leads it, assigned) and a is a grid's reporter without the
 * handler role (网格员: a task given to the grid is the grid's to take).
 * A db code; *caps 0 on error. */
int perm_chain_caps(struct db *db, const struct actor *a, int64_t id, int is_lead, unsigned *caps);
/* 1 when unit is strictly below unit top in the unit tree, 0 when not,
 * negative db code on error. */
int perm_unit_below(struct db *db, int64_t top, int64_t unit);

/* 1 when an item whose assignment day is assigned_on ("" or NULL: never
 * assigned) is its units' work: a draft, or a draft cancelled before it was
 * assigned, never was. */
int perm_unit_work(const char *assigned_on);

#endif
