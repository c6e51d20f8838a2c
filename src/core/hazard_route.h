/* hazard_route.h — routing (属地/行业 分派): which unit a hazard of a category
 * at a place goes to.  Rules are category × area (a grid, a town, or the
 * whole city) → unit, kept with their history (valid_from, valid_to);
 * triage takes the proposal unless the supervisor names another unit. */
#ifndef LUOSHI_CORE_HAZARD_ROUTE_H
#define LUOSHI_CORE_HAZARD_ROUTE_H

#include <jansson.h>
#include <stdint.h>

#include "core/core.h"
#include "db/db.h"

/* The responsible unit routing proposes for category at the location
 * (grid or place, walking up to its town, then the city-wide rule).
 * 1 with *unit, 0 when no rule applies, or a negative db code. */
int hazard_route_propose(struct db *db, int64_t category_id, int64_t grid, int64_t place,
                         int64_t *unit);
/* Set the rule category × area (0 = city-wide) → unit, closing the current
 * one (history is kept).  0 or -1 with e (422 unknown category or unit). */
int hazard_route_set(struct db *db, const struct actor *a, const char *category,
                     int64_t area_unit_id, int64_t unit_id, struct err *e);
/* {"routes":[…]}: the current rules, or every rule ever with history set. */
json_t *hazard_routes_json(struct db *db, int history, struct err *e);

#endif
