/* hazard_photo.h — a hazard's photos: the report's (phase "report") and the
 * rectified site's (phase "after"), stored in the database as base64.
 *
 * Checking what an upload is, who may add one to which hazard when, and
 * reading one back.  Serving them is api/hazards.c's (GET /photos/{id}). */
#ifndef LUOSHI_CORE_HAZARD_PHOTO_H
#define LUOSHI_CORE_HAZARD_PHOTO_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/core.h"
#include "db/db.h"

#define HAZARD_PHOTO_MAX    (5 * 1024 * 1024)    /* bytes of one photo */
#define HAZARD_PHOTOS_MAX   4                    /* photos in one report */
#define HAZARD_PHOTO_SIDE   12000                /* pixels of a side, as the header declares */
#define HAZARD_PHOTO_PIXELS (50LL * 1000 * 1000) /* pixels in all (50 megapixels) */

/* One decoded photo (data borrowed from the caller). */
struct hazard_photo {
    const unsigned char *data;
    size_t len;
    const char *mime; /* "image/jpeg" or "image/png" (from hazard_photo_check) */
};

/* The kind of an image from its first bytes and structure: "image/jpeg"
 * (SOI … EOI), "image/png" (signature and an IHDR of a non-empty image), or
 * NULL when it is neither, longer than HAZARD_PHOTO_MAX, or its header
 * declares a side over HAZARD_PHOTO_SIDE or more than HAZARD_PHOTO_PIXELS
 * (a JPEG's first frame header, a PNG's IHDR). */
const char *hazard_photo_check(const unsigned char *p, size_t n);

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

/* Add a photo to hazard item_id as hazard_photo_add does, and append the
 * event that vouches for it: "photo" with {"photo_id","phase","mime","bytes",
 * "sha256"} (the SHA-256 of the bytes, in hex).  The caller checked who may
 * (hazard_photo_may).  0 with *photo_id, or -1 with e. */
int hazard_photo_upload(struct db *db, const struct actor *a, int64_t item_id, const char *phase,
                        const unsigned char *data, size_t len, int64_t *photo_id, struct err *e);
/* The photos of item_id with an id above after, as their events record them:
 * [{"photo_id","phase","mime","bytes","sha256"}] by id (caller owns), or NULL
 * with *rc a db code. */
json_t *hazard_photos_record(struct db *db, int64_t item_id, int64_t after, int *rc);
/* The hex SHA-256 of the bytes a stored photo's base64 text holds into out.
 * 0, or -1 when the text is not base64. */
int hazard_photo_sha256(const char *b64, size_t len, char out[65]);

#endif
