/* hazard_input.h — a hazard report (隐患上报): its fields, parsing them from
 * JSON, and creating the hazard item from them.
 *
 * A report becomes an item of kind hazard through item_create like any
 * item: the hazard kind's create hook (kind_hazard.c) checks the report with
 * hazard_report_check and its after-create hook writes the hazard row with
 * hazard_row_init and hazard_report_store.  The API (POST /api/v1/hazards),
 * the report page and Open311 all come here. */
#ifndef LUOSHI_CORE_HAZARD_INPUT_H
#define LUOSHI_CORE_HAZARD_INPUT_H

#include <jansson.h>
#include <stdint.h>

#include "core/core.h"
#include "core/hazard_photo.h"
#include "db/db.h"

#define HAZARD_DESC_MAX    4000 /* characters (Open311's limit) */
#define HAZARD_ADDRESS_MAX 200

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
    int64_t category_id;                     /* set by hazard_report_check */
    char default_title[480]; /* hazard_report_check's title when none was given (fits whole) */
};

/* Parse a POST /api/v1/hazards body: {"category", "description", "title"?,
 * "address"?, "lat"?, "long"?, "grid_unit_id"?, "place_unit_id"?,
 * "place_name"?, "attributes"?, "campaign_id"?, "photos"?: [base64 JPEG/PNG]}.
 * Unknown fields are refused.  0, or -1 with e (400/422).  Free with
 * hazard_input_free. */
int hazard_input_parse(json_t *body, struct hazard_input *in, struct err *e);
/* Free what hazard_input_parse decoded (the photos); in stays readable. */
void hazard_input_free(struct hazard_input *in);

/* Create the hazard item (status draft, source report, or campaign when
 * campaign_id is given) with its row, photos and campaign link, inside a
 * write job, through item_create.  The reporter's own unit fills the grid (a
 * grid unit) or the place (an enterprise) when not given.  0 with *id, or -1
 * with e (404 unknown_category, 422 bad fields, units or attributes). */
int hazard_create(struct db *db, const struct actor *a, const struct hazard_input *in, int64_t *id,
                  struct err *e);

/* Check a report before its item is written: the category (404
 * unknown_category), the lengths, the units (filling the grid or place from
 * the reporter's unit) and the attributes; sets in->category_id, and
 * *title to a default made of the category and the address or description
 * when it is NULL (pointing into in).  0, or -1 with e. */
int hazard_report_check(struct db *db, const struct actor *a, struct hazard_input *in,
                        const char **title, struct err *e);
/* The empty hazard row of a new item of kind hazard, with a as its
 * reporter.  Returns a db code. */
int hazard_row_init(struct db *db, int64_t item_id, const struct actor *a);
/* Fill the new hazard row of item_id from a checked report (with the
 * routing proposal) and store its photos.  0, or -1 with e. */
int hazard_report_store(struct db *db, const struct actor *a, int64_t item_id,
                        const struct hazard_input *in, struct err *e);

#endif
