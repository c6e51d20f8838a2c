/* hazard_replay.c — the hazard's events against its row and photos.  See
 * hazard_replay.h. */
#include "core/hazard_replay.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/event.h"
#include "core/hazard_photo.h"
#include "util/str.h"

/* The report's own fields (columns 10.. of hazard_row's query) as the
 * SHA-256 of their canonical JSON. */
static void report_digest(struct db_stmt *st, char out[65])
{
    static const char *const text[] = {"address",          "place_name", "reporter_name",
                                       "reporter_contact", "channel",    "attributes"};
    static const int text_col[] = {10, 15, 17, 18, 19, 21};
    static const char *const ids[] = {"grid_unit_id", "place_unit_id", "reporter_id", "api_key_id"};
    static const int id_col[] = {13, 14, 16, 20};
    json_t *o = json_object();
    for (int k = 0; k < 6; k++)
        json_object_set_new(o, text[k], verify_text_json(db_column_text(st, text_col[k])));
    for (int k = 0; k < 4; k++)
        json_object_set_new(o, ids[k],
                            db_column_is_null(st, id_col[k])
                                ? json_null()
                                : json_integer(db_column_int64(st, id_col[k])));
    for (int k = 0; k < 2; k++)
        json_object_set_new(
            o, k ? "longitude" : "latitude",
            db_column_is_null(st, 11 + k) ? json_null() : json_real(db_column_double(st, 11 + k)));
    char *canon = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)canon, strlen(canon));
    str_hex(h, sizeof h, out);
    free(canon);
    json_decref(o);
}

static json_t *int_or_null(struct db_stmt *st, int col)
{
    return db_column_is_null(st, col) ? json_null() : json_integer(db_column_int64(st, col));
}

static json_t *text_or_null(struct db_stmt *st, int col)
{
    return db_column_is_null(st, col) ? json_null() : verify_text_json(db_column_text(st, col));
}

/* The hazard row of id as the object replay builds (*row NULL when there is
 * none).  A db code. */
static int hazard_row(struct db *db, int64_t id, json_t **row)
{
    *row = NULL;
    struct db_stmt *st = db_prepare(
        db, "SELECT c.code, h.level, h.plan, h.proposed_unit_id, h.duplicate_of, h.listed_at,"
            " h.delisted_at, h.closed_at, h.acceptance_due, h.submitted_on, h.address, h.latitude,"
            " h.longitude, h.grid_unit_id, h.place_unit_id, h.place_name, h.reporter_id,"
            " h.reporter_name, h.reporter_contact, h.channel, h.api_key_id, h.attributes"
            " FROM hazards h LEFT JOIN hazard_categories c ON c.id = h.category_id"
            " WHERE h.item_id = ?1");
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, id);
    int rc = db_step(st);
    if (rc == DB_ROW) {
        char sha[65];
        report_digest(st, sha);
        json_t *plan = db_column_is_null(st, 2) ? NULL : json_loads(db_column_text(st, 2), 0, NULL);
        *row = json_pack("{s:o,s:o,s:o,s:o,s:o,s:b,s:o,s:b,s:o,s:b,s:o,s:o,s:o,s:s}", "category",
                         text_or_null(st, 0), "level", text_or_null(st, 1), "plan",
                         plan ? plan : text_or_null(st, 2), "proposed_unit_id", int_or_null(st, 3),
                         "duplicate_of", int_or_null(st, 4), "listed", !db_column_is_null(st, 5),
                         "listed_at", int_or_null(st, 5), "delisted", !db_column_is_null(st, 6),
                         "delisted_at", int_or_null(st, 6), "closed", !db_column_is_null(st, 7),
                         "closed_at", int_or_null(st, 7), "acceptance_due", text_or_null(st, 8),
                         "submitted_on", text_or_null(st, 9), "report_sha256", sha);
    }
    db_finalize(st);
    return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

int hazard_create_record(struct db *db, int64_t id, json_t *data, struct err *e)
{
    json_t *row;
    int rc = hazard_row(db, id, &row);
    json_t *photos = rc == DB_OK && row ? hazard_photos_record(db, id, 0, &rc) : NULL;
    if (rc != DB_OK || !row) {
        json_decref(row);
        return err_db(e, rc == DB_OK ? DB_ERR : rc, "recording the hazard");
    }
    json_object_set_new(data, "hazard",
                        json_pack("{s:O,s:O,s:O}", "category", json_object_get(row, "category"),
                                  "proposed_unit_id", json_object_get(row, "proposed_unit_id"),
                                  "report_sha256", json_object_get(row, "report_sha256")));
    if (json_array_size(photos))
        json_object_set_new(data, "photos", photos);
    else
        json_decref(photos);
    json_decref(row);
    return 0;
}

/* ---- replay ---- */

/* Copy data's key into state, or forget it there when the event does not
 * carry it (an older event: the value is not established). */
static void copy_or_forget(json_t *state, json_t *data, const char *key)
{
    json_t *v = json_object_get(data, key);
    if (v)
        json_object_set(state, key, v);
    else
        json_object_del(state, key);
}

static void copy_if(json_t *state, json_t *data, const char *key)
{
    json_t *v = json_object_get(data, key);
    if (v) json_object_set(state, key, v);
}

/* A photo record into state's photos, keyed by its id. */
static void photo_fold(json_t *state, json_t *record)
{
    json_int_t id = json_integer_value(json_object_get(record, "photo_id"));
    char key[24];
    snprintf(key, sizeof key, "%lld", (long long)id);
    json_t *r = json_deep_copy(record);
    json_object_del(r, "legacy");
    json_object_set_new(json_object_get(state, "photos"), key, r);
}

static void create_fold(json_t *state, json_t *data)
{
    static const char *const none[] = {"level",          "plan",        "duplicate_of",
                                       "listed_at",      "delisted_at", "closed_at",
                                       "acceptance_due", "submitted_on"};
    for (size_t k = 0; k < sizeof none / sizeof *none; k++)
        json_object_set_new(state, none[k], json_null());
    json_object_set_new(state, "listed", json_false());
    json_object_set_new(state, "delisted", json_false());
    json_object_set_new(state, "closed", json_false());
    json_object_set_new(state, "photos", json_object());
    json_t *h = json_object_get(data, "hazard"), *p;
    copy_if(state, h, "category");
    copy_if(state, h, "proposed_unit_id");
    copy_if(state, h, "report_sha256");
    size_t i;
    json_array_foreach(json_object_get(data, "photos"), i, p) photo_fold(state, p);
}

/* verify and cancel close the hazard (and delist it when listed). */
static void close_fold(json_t *state, json_t *data)
{
    json_object_set_new(state, "closed", json_true());
    copy_or_forget(state, data, "closed_at");
    if (json_is_true(json_object_get(data, "delisted"))) {
        json_object_set_new(state, "delisted", json_true());
        copy_or_forget(state, data, "delisted_at");
    }
    copy_if(state, data, "duplicate_of");
}

void hazard_replay(json_t *state, int64_t seq, const char *action, int64_t at, json_t *data)
{
    (void)seq, (void)at;
    if (!strcmp(action, "create")) {
        create_fold(state, data);
    } else if (!strcmp(action, "triage")) {
        copy_if(state, data, "level");
        copy_if(state, data, "category");
        copy_if(state, data, "plan");
        copy_if(state, data, "proposed_unit_id");
    } else if (!strcmp(action, "assign") && json_is_true(json_object_get(data, "listed"))) {
        json_object_set_new(state, "listed", json_true());
        copy_or_forget(state, data, "listed_at");
    } else if (!strcmp(action, "submit")) {
        copy_if(state, data, "acceptance_due");
        copy_or_forget(state, data, "submitted_on");
    } else if (!strcmp(action, "verify") || !strcmp(action, "cancel")) {
        close_fold(state, data);
    } else if (!strcmp(action, "photo") && json_object_get(state, "photos")) {
        photo_fold(state, data);
    }
}

/* ---- the check ---- */

/* One stored photo against what the events recorded of it. */
static void photo_check(struct db_stmt *st, int64_t item, json_t *photos, struct verify_log *v)
{
    int64_t id = db_column_int64(st, 0);
    char key[24], sha[65] = "";
    snprintf(key, sizeof key, "%lld", (long long)id);
    json_t *want = json_object_get(photos, key);
    if (!want) {
        verify_problem(v,
                       "item %lld: photo %lld is not covered by any event (added behind the"
                       " chain's back)",
                       (long long)item, (long long)id);
        return;
    }
    if (hazard_photo_sha256(db_column_text(st, 4), db_column_bytes(st, 4), sha) ||
        strcmp(sha, json_string_value(json_object_get(want, "sha256"))))
        verify_problem(v,
                       "item %lld: photo %lld: its bytes do not match the SHA-256 its event"
                       " recorded",
                       (long long)item, (long long)id);
    json_t *row =
        json_pack("{s:I,s:s,s:s,s:I}", "photo_id", (json_int_t)id, "phase", db_column_text(st, 1),
                  "mime", db_column_text(st, 2), "bytes", (json_int_t)db_column_int64(st, 3));
    json_t *w = json_deep_copy(want);
    json_object_del(w, "sha256");
    char prefix[48];
    snprintf(prefix, sizeof prefix, "photo %lld ", (long long)id);
    verify_fields(v, item, prefix, "photo row", w, row);
    json_decref(w);
    json_decref(row);
    json_object_del(photos, key);
}

static int photos_check(struct db *db, int64_t item, json_t *photos, struct verify_log *v)
{
    struct db_stmt *st = db_prepare(db, "SELECT id, phase, mime, bytes, data FROM hazard_photos"
                                        " WHERE item_id = ?1 ORDER BY id");
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, item);
    int rc;
    while ((rc = db_step(st)) == DB_ROW)
        photo_check(st, item, photos, v);
    db_finalize(st);
    const char *key;
    json_t *w;
    json_object_foreach(photos, key, w) verify_problem(
        v, "item %lld: photo %s that its events recorded is missing", (long long)item, key);
    return rc == DB_DONE ? DB_OK : rc;
}

int hazard_replay_check(struct db *db, int64_t id, json_t *state, struct verify_log *v)
{
    json_t *row;
    int rc = hazard_row(db, id, &row);
    if (rc != DB_OK) return rc;
    if (!row) {
        verify_problem(v, "item %lld: its hazard row is missing", (long long)id);
        return DB_OK;
    }
    json_t *want = json_deep_copy(state), *photos = json_object_get(want, "photos");
    json_incref(photos);
    json_object_del(want, "photos");
    verify_fields(v, id, "hazard ", "hazard row", want, row);
    rc = photos ? photos_check(db, id, photos, v) : DB_OK;
    json_decref(photos);
    json_decref(want);
    json_decref(row);
    return rc;
}

int hazard_replay_upgrade(struct db *db, struct err *e)
{
    struct actor system = {0, "system", 0, ROLE_ADMIN};
    json_t *items = json_array(), *it;
    struct db_stmt *st = db_prepare(db, "SELECT DISTINCT item_id FROM hazard_photos"
                                        " ORDER BY item_id");
    int rc = st ? DB_OK : DB_ERR;
    while (st && (rc = db_step(st)) == DB_ROW)
        json_array_append_new(items, json_integer(db_column_int64(st, 0)));
    db_finalize(st);
    size_t i;
    json_array_foreach(items, i, it)
    {
        if (rc != DB_DONE && rc != DB_OK) break;
        json_t *photos = hazard_photos_record(db, json_integer_value(it), 0, &rc), *p;
        size_t k;
        json_array_foreach(photos, k, p)
        {
            json_object_set_new(p, "legacy", json_true());
            if (rc == DB_OK) rc = event_append(db, json_integer_value(it), &system, "photo", p);
        }
        json_decref(photos);
    }
    json_decref(items);
    return rc == DB_OK || rc == DB_DONE ? 0 : err_db(e, rc, "recording the photos");
}
