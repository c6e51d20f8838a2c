/* hazard_json.h — reading hazards: one hazard's own part (the item's JSON
 * carries it under "hazard"), the triage queue and a reporter's own
 * reports, and a hazard's grid and place (who else sees it). */
#ifndef LUOSHI_CORE_HAZARD_JSON_H
#define LUOSHI_CORE_HAZARD_JSON_H

#include <jansson.h>
#include <stdint.h>

#include "core/core.h"
#include "db/db.h"

/* The hazard part of an item as JSON (caller owns): category, level,
 * location, place, reporter, attributes, photos (ids and phases), duplicate
 * links, plan, listing dates, acceptance due, proposed unit.  NULL with e
 * (404 when the item is not a hazard). */
json_t *hazard_json(struct db *db, int64_t item_id, struct err *e);

/* Hazards as {"hazards":[{"id","title","status","category","category_name",
 * "level","address","created_at","grid","place","proposed_unit_id",
 * "proposed_unit","lead_unit","deadline","duplicate_of","original_status",
 * "description","photo_url"}]} (photo_url: the first report photo's, or null)
 * (a duplicate's progress is its original's), newest first, at most limit:
 * mode "mine" the actor's own reports, "triage" those waiting for triage
 * (draft or returned).  NULL with e. */
json_t *hazard_list_json(struct db *db, const struct actor *a, const char *mode, int limit,
                         struct err *e);

/* The hazard's grid and place units (0 when none).  DB_OK, DB_DONE when the
 * item has no hazard row, or an error. */
int hazard_units(struct db *db, int64_t item_id, int64_t *grid, int64_t *place);

#endif
