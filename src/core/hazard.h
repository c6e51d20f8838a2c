/* hazard.h — hazards (隐患): the kind-specific part of items of kind hazard.
 *
 * A hazard is an item (item.h) plus one row of `hazards`: category (from the
 * configurable taxonomy hazard_categories, which are also the Open311
 * services), level (general 一般 / major 重大, set at triage), location
 * (address, latitude/longitude, grid unit), the place or enterprise, the
 * reporter, per-category attributes, photos, the duplicate link, and for major
 * hazards the six-part remediation plan, listing (挂牌督办) and delisting
 * (摘牌).  Routing (category × grid or town → responsible unit, with history)
 * proposes the lead unit at triage.
 *
 * The loop itself is the lifecycle table's (lifecycle.h); action.c calls
 * hazard_triage for the `triage` action and hazard_act after every other
 * action on a hazard, in the same transaction.  Nothing here knows HTTP. */
#ifndef LUOSHI_CORE_HAZARD_H
#define LUOSHI_CORE_HAZARD_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/core.h"
#include "db/db.h"

#define HAZARD_PHOTO_MAX   (5 * 1024 * 1024) /* bytes of one photo */
#define HAZARD_PHOTOS_MAX  4                 /* photos in one report */
#define HAZARD_DESC_MAX    4000              /* characters (Open311's limit) */
#define HAZARD_ADDRESS_MAX 200

/* One decoded photo (data borrowed from the caller). */
struct hazard_photo {
    const unsigned char *data;
    size_t len;
    const char *mime; /* "image/jpeg" or "image/png" (from hazard_photo_check) */
};

/* A validated new report.  Strings are borrowed from where they were parsed. */
struct hazard_input {
    const char *title, *description, *category, *address, *place_name;
    const char *reporter_name, *reporter_contact, *channel; /* channel: api, web, open311 */
    int has_location;
    double lat, lon;
    int64_t grid_unit_id, place_unit_id, api_key_id, campaign_id;
    json_t *attributes; /* {code: value} or NULL (borrowed) */
    struct hazard_photo photos[HAZARD_PHOTOS_MAX];
    int nphotos;
    unsigned char *owned[HAZARD_PHOTOS_MAX]; /* decoded base64 (hazard_input_free) */
};

/* The kind of an image from its first bytes and structure: "image/jpeg"
 * (SOI … EOI), "image/png" (signature and an IHDR of a non-empty image), or
 * NULL when it is neither or longer than HAZARD_PHOTO_MAX. */
const char *hazard_photo_check(const unsigned char *p, size_t n);

/* Parse a POST /api/v1/hazards body: {"category", "description", "title"?,
 * "address"?, "lat"?, "long"?, "grid_unit_id"?, "place_unit_id"?,
 * "place_name"?, "attributes"?, "campaign_id"?, "photos"?: [base64 JPEG/PNG]}.
 * Unknown fields are refused.  0, or -1 with e (400/422).  Free with
 * hazard_input_free. */
int hazard_input_parse(json_t *body, struct hazard_input *in, struct err *e);
void hazard_input_free(struct hazard_input *in);

/* Create the hazard item (status draft, source report) with its row, photos
 * and campaign link, inside a write job.  The reporter's own unit fills the
 * grid (a grid unit) or the place (an enterprise) when not given.  Checks the
 * category, units and attributes (422).  0 with *id, or -1 with e. */
int hazard_create(struct db *db, const struct actor *a, const struct hazard_input *in, int64_t *id,
                  struct err *e);
/* The empty hazard row of a new item of kind hazard (item_create calls it).
 * Returns a db code. */
int hazard_row_init(struct db *db, int64_t item_id, const struct actor *a);

/* The hazard's grid and place units (0 when none).  DB_OK, DB_DONE when the
 * item has no hazard row, or an error. */
int hazard_units(struct db *db, int64_t item_id, int64_t *grid, int64_t *place);

/* The hazard part of an item as JSON (caller owns): category, level,
 * location, place, reporter, attributes, photos (ids and phases), duplicate
 * links, plan, listing dates, acceptance due, proposed unit.  NULL with e. */
json_t *hazard_json(struct db *db, int64_t item_id, struct err *e);

/* The `triage` action's step: fields level, category (code), lead_unit_id,
 * deadline, plan.  Records them, proposes the lead unit from routing when not
 * given (or re-routes when the category changes), and hands back the item's
 * new lead unit (*lead, 0 keeps it) and deadline (deadline[0] '\0' keeps it).
 * Writes what changed into data.  0, or -1 with e (422). */
int hazard_triage(struct db *db, const struct actor *a, int64_t item_id, json_t *body, json_t *data,
                  int64_t *lead, char deadline[11], struct err *e);
/* After the step of any other action on a hazard: assign needs a triaged
 * hazard (and the complete plan when major: 409 plan_required) and lists a
 * major one (*listed = 1: the caller raises the item's escalation to
 * 挂牌); submit needs an after-photo and starts the acceptance clock; verify
 * delists and closes; cancel records duplicate_of.  0, or -1 with e. */
int hazard_act(struct db *db, const struct actor *a, int64_t item_id, const char *action,
               json_t *body, json_t *data, int *listed, struct err *e);

/* Add one photo to a hazard (phase "report" or "after"); the caller checked
 * who may.  0 with *photo_id, or -1 with e. */
int hazard_photo_add(struct db *db, const struct actor *a, int64_t item_id, const char *phase,
                     const unsigned char *data, size_t len, int64_t *photo_id, struct err *e);
/* May a add a photo of phase ("report" or "after") to hazard item_id?  The
 * report's photos: a supervisor, or the reporter's grid or place while the
 * hazard is a draft; the rectification's ("after"): the lead unit's handler
 * (or a supervisor) while it is accepted or in progress.  0 when allowed, or
 * -1 with e (404 not a hazard, 403, 409 wrong status, 422 bad phase). */
int hazard_photo_may(struct db *db, const struct actor *a, int64_t item_id, const char *phase,
                     struct err *e);
/* A photo's item, type and base64 data (*b64: a copy the caller frees).
 * DB_OK, DB_DONE when missing, or an error. */
int hazard_photo_get(struct db *db, int64_t photo_id, int64_t *item_id, char mime[16], char **b64);

/* Hazards as {"hazards":[{"id","title","status","category","category_name",
 * "level","address","created_at","grid","place","proposed_unit_id",
 * "proposed_unit","lead_unit","deadline","duplicate_of","original_status"}]}
 * (a duplicate's progress is its original's), newest first, at most limit:
 * mode "mine" the actor's own reports, "triage" those waiting for triage
 * (draft or returned).  NULL with e. */
json_t *hazard_list_json(struct db *db, const struct actor *a, const char *mode, int limit,
                         struct err *e);

/* The category id of code (0 when unknown or inactive; negative db code). */
int64_t hazard_category_id(struct db *db, const char *code);
/* {"categories":[{"id","code","name","name_en","group","description","attributes"}]}. */
json_t *hazard_categories_json(struct db *db, struct err *e);

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
