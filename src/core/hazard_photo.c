/* hazard_photo.c — checking, storing, permitting and reading hazard photos.
 * See hazard_photo.h.  The photos a report carries arrive through
 * hazard_input.c; this file only knows one photo at a time. */
#include "core/hazard_photo.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/event.h"
#include "core/perm.h"
#include "util/mem.h"
#include "util/str.h"
#include "util/time.h"

/* The width and height a JPEG declares: the first start-of-frame marker's.
 * 0 when there is none before the scan (nothing declared: nothing to refuse). */
static int jpeg_size(const unsigned char *p, size_t n, uint32_t *w, uint32_t *h)
{
    size_t i = 2;
    while (i + 9 < n) {
        if (p[i] != 0xff) return 0;
        unsigned m = p[i + 1];
        if (m == 0xff) { /* fill byte */
            i++;
            continue;
        }
        size_t len = (size_t)p[i + 2] << 8 | p[i + 3];
        /* SOF0-SOF15 but DHT (C4), JPG (C8) and DAC (CC) */
        if (m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 && m != 0xcc) {
            *h = (uint32_t)p[i + 5] << 8 | p[i + 6];
            *w = (uint32_t)p[i + 7] << 8 | p[i + 8];
            return 1;
        }
        if (m == 0xda || len < 2) return 0; /* the scan: no frame header came first */
        i += 2 + len;
    }
    return 0;
}

/* 1 when w x h is a picture we keep: each side and the area within limits
 * (a header declaring 65536 x 65536 would decode to 16 GiB in a viewer). */
static int size_ok(uint32_t w, uint32_t h)
{
    return w && h && w <= HAZARD_PHOTO_SIDE && h <= HAZARD_PHOTO_SIDE &&
           (uint64_t)w * h <= HAZARD_PHOTO_PIXELS;
}

const char *hazard_photo_check(const unsigned char *p, size_t n)
{
    static const unsigned char png[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    uint32_t w = 0, h = 0;
    if (n > HAZARD_PHOTO_MAX) return NULL;
    if (n >= 4 && p[0] == 0xff && p[1] == 0xd8 && p[2] == 0xff && p[n - 2] == 0xff &&
        p[n - 1] == 0xd9)
        return !jpeg_size(p, n, &w, &h) || size_ok(w, h) ? "image/jpeg" : NULL;
    /* signature, then the IHDR chunk: length 13, type, width and height */
    if (n >= 33 && !memcmp(p, png, 8) && !memcmp(p + 8, "\0\0\0\rIHDR", 8)) {
        w = (uint32_t)p[16] << 24 | (uint32_t)p[17] << 16 | (uint32_t)p[18] << 8 | p[19];
        h = (uint32_t)p[20] << 24 | (uint32_t)p[21] << 16 | (uint32_t)p[22] << 8 | p[23];
        if (size_ok(w, h)) return "image/png";
    }
    return NULL;
}

int hazard_photo_add(struct db *db, const struct actor *a, int64_t item_id, const char *phase,
                     const unsigned char *data, size_t len, int64_t *photo_id, struct err *e)
{
    const char *mime = hazard_photo_check(data, len);
    if (!mime)
        return err_set(e, 422, "invalid_photo",
                       "a photo must be a JPEG or PNG image of at most %d bytes, %d pixels a"
                       " side and %lld pixels in all",
                       HAZARD_PHOTO_MAX, HAZARD_PHOTO_SIDE, (long long)HAZARD_PHOTO_PIXELS);
    size_t b64len = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL);
    char *b64 = xmalloc(b64len);
    sodium_bin2base64(b64, b64len, data, len, sodium_base64_VARIANT_ORIGINAL);
    struct db_stmt *st =
        db_prepare(db, "INSERT INTO hazard_photos (item_id, phase, mime, bytes, data, uploaded_by,"
                       " created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id");
    int rc = DB_ERR;
    if (st) {
        db_bind_int64(st, 1, item_id);
        db_bind_text(st, 2, phase, (size_t)-1);
        db_bind_text(st, 3, mime, (size_t)-1);
        db_bind_int64(st, 4, (int64_t)len);
        db_bind_text(st, 5, b64, (size_t)-1);
        if (a->user_id)
            db_bind_int64(st, 6, a->user_id);
        else
            db_bind_null(st, 6);
        db_bind_int64(st, 7, time_now_ms());
        rc = db_step(st);
        if (rc == DB_ROW) *photo_id = db_column_int64(st, 0), rc = DB_OK;
        db_finalize(st);
    }
    free(b64);
    return rc == DB_OK ? 0 : err_db(e, rc, "storing a photo");
}

int hazard_photo_may(struct db *db, const struct actor *a, int64_t item_id, const char *phase,
                     struct err *e)
{
    int after = phase && !strcmp(phase, "after");
    if (!phase || (!after && strcmp(phase, "report")))
        return err_set(e, 422, "invalid_parameter", "'phase' must be report or after");
    struct db_stmt *st = db_prepare(db, "SELECT i.status, i.lead_unit_id, h.grid_unit_id,"
                                        " h.place_unit_id FROM items i JOIN hazards h"
                                        " ON h.item_id = i.id WHERE i.id = ?1");
    if (!st) return err_db(e, DB_ERR, "reading the hazard");
    db_bind_int64(st, 1, item_id);
    int rc = db_step(st);
    char status[16] = "";
    int64_t lead = 0, grid = 0, place = 0;
    if (rc == DB_ROW) {
        snprintf(status, sizeof status, "%s", db_column_text(st, 0));
        lead = db_column_int64(st, 1), grid = db_column_int64(st, 2),
        place = db_column_int64(st, 3);
    }
    db_finalize(st);
    /* a hazard the actor cannot see is one that does not exist, for them */
    int seen = rc == DB_ROW ? perm_item_visible(db, a, item_id) : 0;
    if (rc == DB_DONE || seen == 0)
        return err_set(e, 404, "not_found", "no hazard with id %lld", (long long)item_id),
               err_detail(e, "item");
    if (rc != DB_ROW) return err_db(e, rc, "reading the hazard");
    if (seen < 0) return err_db(e, seen, "reading the hazard");
    int sup = (a->roles & (ROLE_ADMIN | ROLE_SUPERVISOR)) != 0;
    int mine = after ? (a->roles & ROLE_HANDLER) && lead && lead == a->unit_id
                     : (a->roles & ROLE_REPORTER) && a->unit_id &&
                           (grid == a->unit_id || place == a->unit_id);
    if (!sup && !mine)
        return err_set(e, 403, "forbidden",
                       after ? "the rectification's photos are the lead"
                               " unit's"
                             : "the report's photos are the"
                               " reporter's");
    int ok = after ? !strcmp(status, "accepted") || !strcmp(status, "in_progress")
                   : !strcmp(status, "draft");
    if (!ok)
        return err_set(e, 409, "invalid_status",
                       "photos of phase %s cannot be added to a hazard"
                       " that is %s",
                       phase, status);
    return 0;
}

int hazard_photo_get(struct db *db, int64_t photo_id, int64_t *item_id, char mime[16], char **b64)
{
    struct db_stmt *st =
        db_prepare(db, "SELECT item_id, mime, data FROM hazard_photos WHERE id = ?1");
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, photo_id);
    int rc = db_step(st);
    if (rc == DB_ROW) {
        *item_id = db_column_int64(st, 0);
        snprintf(mime, 16, "%s", db_column_text(st, 1));
        *b64 = xstrdup(db_column_text(st, 2));
        rc = DB_OK;
    }
    db_finalize(st);
    return rc;
}

int hazard_photo_sha256(const char *b64, size_t len, char out[65])
{
    unsigned char *bin = xmalloc(len + 1), h[crypto_hash_sha256_BYTES];
    size_t n = 0;
    int ok = sodium_base642bin(bin, len + 1, b64, len, NULL, &n, NULL,
                               sodium_base64_VARIANT_ORIGINAL) == 0;
    if (ok) {
        crypto_hash_sha256(h, bin, n);
        str_hex(h, sizeof h, out);
    }
    free(bin);
    return ok ? 0 : -1;
}

/* A photo's record as its event carries it. */
static json_t *photo_record(int64_t id, const char *phase, const char *mime, int64_t bytes,
                            const char *sha)
{
    return json_pack("{s:I,s:s,s:s,s:I,s:s}", "photo_id", (json_int_t)id, "phase", phase, "mime",
                     mime, "bytes", (json_int_t)bytes, "sha256", sha);
}

json_t *hazard_photos_record(struct db *db, int64_t item_id, int64_t after, int *rc)
{
    struct db_stmt *st = db_prepare(db, "SELECT id, phase, mime, bytes, data FROM hazard_photos"
                                        " WHERE item_id = ?1 AND id > ?2 ORDER BY id");
    if (!st) return *rc = DB_ERR, NULL;
    db_bind_int64(st, 1, item_id);
    db_bind_int64(st, 2, after);
    json_t *list = json_array();
    while ((*rc = db_step(st)) == DB_ROW) {
        char sha[65] = "";
        hazard_photo_sha256(db_column_text(st, 4), db_column_bytes(st, 4), sha);
        json_array_append_new(list,
                              photo_record(db_column_int64(st, 0), db_column_text(st, 1),
                                           db_column_text(st, 2), db_column_int64(st, 3), sha));
    }
    db_finalize(st);
    if (*rc != DB_DONE) return json_decref(list), NULL;
    *rc = DB_OK;
    return list;
}

int hazard_photo_upload(struct db *db, const struct actor *a, int64_t item_id, const char *phase,
                        const unsigned char *data, size_t len, int64_t *photo_id, struct err *e)
{
    if (hazard_photo_add(db, a, item_id, phase, data, len, photo_id, e)) return -1;
    unsigned char h[crypto_hash_sha256_BYTES];
    char sha[65];
    crypto_hash_sha256(h, data, len);
    str_hex(h, sizeof h, sha);
    json_t *d = photo_record(*photo_id, phase, hazard_photo_check(data, len), (int64_t)len, sha);
    int rc = event_append(db, item_id, a, "photo", d);
    json_decref(d);
    if (rc == DB_RETRY) return err_set(e, 503, "busy", "the item changed meanwhile; retry");
    return rc == DB_OK ? 0 : err_db(e, rc, "recording the photo");
}
