/* campaign.h — monthly themed campaigns (一月一主题平安大整治).
 *
 * A campaign is a theme for one month, the hazard categories it covers and
 * the units it targets (none: the whole city).  Items attach to at most one
 * campaign: a hazard reported or triaged in the campaign's month, in one of
 * its categories and inside one of its target units (or their subtrees),
 * attaches by itself; tasks and other items attach by hand.  Its figures
 * (found, fixed, overdue, open; by town and by grid) are counted live from
 * the items, never stored. */
#ifndef LUOSHI_CORE_CAMPAIGN_H
#define LUOSHI_CORE_CAMPAIGN_H

#include <jansson.h>
#include <stdint.h>

#include "core/core.h"
#include "db/db.h"

/* Create a campaign from {"theme", "month" (YYYY-MM), "description"?,
 * "categories": [codes], "unit_ids"?: [ids]} inside a write job.
 * 0 with *id, or -1 with e (400/422). */
int campaign_create(struct db *db, const struct actor *a, json_t *body, int64_t *id, struct err *e);
/* Attach a hazard: to campaign_id when not 0 (it must exist: 422), else to
 * the campaign that covers it this month, if any.  An attached item stays.
 * 0, or -1 with e. */
int campaign_attach_hazard(struct db *db, int64_t item_id, int64_t campaign_id, struct err *e);
/* Attach any item by hand (409 already_attached when it belongs to another
 * campaign).  0, or -1 with e (404 no such campaign or item). */
int campaign_attach_item(struct db *db, int64_t campaign_id, int64_t item_id, struct err *e);
/* {"campaigns":[{"id","theme","month","description","categories","unit_ids"}]}
 * newest month first.  NULL with e. */
json_t *campaign_list_json(struct db *db, struct err *e);
/* One campaign with its figures: {"campaign":{…}, "figures":{"found","fixed",
 * "overdue","open","major"}, "by_town":[{"unit_id","name", …figures}],
 * "by_grid":[…], "tasks":{"total","done","overdue"}, "items":[ids]}.  Found
 * counts the attached hazards that are not duplicates; fixed those done or
 * archived; overdue those open past their deadline.  "items" lists only the
 * ids of the items a may see (the figures count them all, as numbers).
 * NULL with e (404). */
json_t *campaign_figures_json(struct db *db, const struct actor *a, int64_t id, struct err *e);

#endif
