/* hazard_json.c — a hazard's JSON part, the hazard lists, and its grid and
 * place.  See hazard_json.h.  The item's own fields are item.c's; this file
 * reads only what the hazards table and its neighbours hold. */
#include "core/hazard_json.h"

#include <stdio.h>
#include <string.h>

#include "util/time.h"

int hazard_units(struct db *db, int64_t item_id, int64_t *grid, int64_t *place)
{
    struct db_stmt *st =
        db_prepare(db, "SELECT grid_unit_id, place_unit_id FROM hazards WHERE item_id = ?1");
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, item_id);
    int rc = db_step(st);
    *grid = *place = 0;
    if (rc == DB_ROW) *grid = db_column_int64(st, 0), *place = db_column_int64(st, 1), rc = DB_OK;
    db_finalize(st);
    return rc;
}
static json_t *opt_int(struct db_stmt *st, int c)
{
    return db_column_is_null(st, c) ? json_null() : json_integer(db_column_int64(st, c));
}

/* The light of a major hazard's acceptance (复查验收, issue 17 defect 13)
 * while it waits for it: red once acceptance_due (column due) has passed,
 * yellow on the day, green before; null for any other hazard or status. */
static json_t *acceptance_light(struct db_stmt *st, int due, int level, int status)
{
    if (db_column_is_null(st, due) || db_column_is_null(st, level) ||
        db_column_is_null(st, status) || strcmp(db_column_text(st, level), "major") ||
        strcmp(db_column_text(st, status), "submitted"))
        return json_null();
    char today[11];
    date_format(time_today(), today);
    int c = strcmp(db_column_text(st, due), today);
    return json_string(c < 0 ? "red" : c == 0 ? "yellow" : "green");
}

static json_t *opt_time(struct db_stmt *st, int c)
{
    if (db_column_is_null(st, c)) return json_null();
    char at[40];
    time_format_iso(db_column_int64(st, c), at, sizeof at);
    return json_string(at);
}

static json_t *opt_text(struct db_stmt *st, int c)
{
    return db_column_is_null(st, c) ? json_null() : json_string(db_column_text(st, c));
}

/* The ids of the hazards that duplicate item id, as an array. */
static json_t *duplicate_list(struct db *db, int64_t id)
{
    json_t *arr = json_array();
    struct db_stmt *st =
        db_prepare(db, "SELECT item_id FROM hazards WHERE duplicate_of = ?1 ORDER BY item_id");
    if (!st) return arr;
    db_bind_int64(st, 1, id);
    while (db_step(st) == DB_ROW)
        json_array_append_new(arr, json_integer(db_column_int64(st, 0)));
    db_finalize(st);
    return arr;
}

static json_t *photo_list(struct db *db, int64_t id)
{
    json_t *arr = json_array();
    struct db_stmt *st = db_prepare(db, "SELECT id, phase, mime, bytes, created_at FROM"
                                        " hazard_photos WHERE item_id = ?1 ORDER BY id");
    if (!st) return arr;
    db_bind_int64(st, 1, id);
    while (db_step(st) == DB_ROW) {
        int64_t pid = db_column_int64(st, 0);
        char url[40], at[40];
        snprintf(url, sizeof url, "/photos/%lld", (long long)pid);
        time_format_iso(db_column_int64(st, 4), at, sizeof at);
        json_array_append_new(
            arr, json_pack("{s:I,s:s,s:s,s:I,s:s,s:s}", "id", (json_int_t)pid, "phase",
                           db_column_text(st, 1), "mime", db_column_text(st, 2), "bytes",
                           (json_int_t)db_column_int64(st, 3), "url", url, "created_at", at));
    }
    db_finalize(st);
    return arr;
}

/* The hazard row hazard_json's query stepped onto, as its JSON part. */
static json_t *hazard_row_json(struct db_stmt *st)
{
    json_t *h = json_object();
    json_object_set_new(h, "category", opt_text(st, 0));
    json_object_set_new(h, "category_name", opt_text(st, 1));
    json_object_set_new(h, "category_name_en", opt_text(st, 20));
    json_object_set_new(h, "level", opt_text(st, 2));
    json_object_set_new(h, "address", opt_text(st, 3));
    json_object_set_new(
        h, "lat", db_column_is_null(st, 4) ? json_null() : json_real(db_column_double(st, 4)));
    json_object_set_new(
        h, "long", db_column_is_null(st, 5) ? json_null() : json_real(db_column_double(st, 5)));
    json_object_set_new(h, "grid_unit_id", opt_int(st, 6));
    json_object_set_new(h, "place_unit_id", opt_int(st, 7));
    json_object_set_new(h, "place_name", opt_text(st, 8));
    json_object_set_new(h, "reporter_id", opt_int(st, 9));
    json_object_set_new(h, "reporter_name", opt_text(st, 19));
    json_object_set_new(h, "channel", opt_text(st, 10));
    json_t *attrs = json_loads(db_column_text(st, 11), 0, NULL);
    json_object_set_new(h, "attributes", attrs ? attrs : json_object());
    json_object_set_new(h, "duplicate_of", opt_int(st, 12));
    json_object_set_new(h, "proposed_unit_id", opt_int(st, 13));
    json_t *plan = db_column_is_null(st, 14) ? NULL : json_loads(db_column_text(st, 14), 0, NULL);
    json_object_set_new(h, "plan", plan ? plan : json_null());
    json_object_set_new(h, "listed_at", opt_time(st, 15));
    json_object_set_new(h, "delisted_at", opt_time(st, 16));
    json_object_set_new(h, "acceptance_due", opt_text(st, 17));
    json_object_set_new(h, "closed_at", opt_time(st, 18));
    json_object_set_new(h, "campaign_id", opt_int(st, 21));
    json_object_set_new(h, "acceptance_light", acceptance_light(st, 17, 2, 22));
    return h;
}

json_t *hazard_json(struct db *db, int64_t item_id, struct err *e)
{
    struct db_stmt *st = db_prepare(
        db, "SELECT c.code, c.name, h.level, h.address, h.latitude, h.longitude, h.grid_unit_id,"
            " h.place_unit_id, h.place_name, h.reporter_id, h.channel, h.attributes,"
            " h.duplicate_of, h.proposed_unit_id, h.plan, h.listed_at, h.delisted_at,"
            " h.acceptance_due, h.closed_at, h.reporter_name, c.name_en,"
            " (SELECT campaign_id FROM campaign_items ci WHERE ci.item_id = h.item_id),"
            " (SELECT status FROM items si WHERE si.id = h.item_id)"
            " FROM hazards h LEFT JOIN hazard_categories c ON c.id = h.category_id"
            " WHERE h.item_id = ?1");
    if (!st) {
        err_db(e, DB_ERR, "reading the hazard");
        return NULL;
    }
    db_bind_int64(st, 1, item_id);
    int rc = db_step(st);
    if (rc != DB_ROW) {
        db_finalize(st);
        if (rc == DB_DONE)
            err_set(e, 404, "not_found", "item %lld is not a hazard", (long long)item_id),
                err_detail(e, "item");
        else
            err_db(e, rc, "reading the hazard");
        return NULL;
    }
    json_t *h = hazard_row_json(st);
    db_finalize(st);
    json_object_set_new(h, "duplicates", duplicate_list(db, item_id));
    json_object_set_new(h, "photos", photo_list(db, item_id));
    return h;
}

json_t *hazard_list_json(struct db *db, const struct actor *a, const char *mode, int limit,
                         struct err *e)
{
    int mine = !strcmp(mode, "mine");
    struct db_stmt *st = db_prepare(
        db,
        "SELECT i.id, i.title, i.status, c.code, c.name, h.level, h.address, i.created_at,"
        " g.name, coalesce(p.name, h.place_name), h.proposed_unit_id, pu.name, lu.name,"
        " i.deadline, h.duplicate_of, o.status, i.description, (SELECT min(hp.id) FROM"
        " hazard_photos hp WHERE hp.item_id = i.id AND hp.phase = 'report')"
        " FROM items i JOIN hazards h ON h.item_id = i.id"
        " LEFT JOIN items o ON o.id = h.duplicate_of"
        " LEFT JOIN hazard_categories c ON c.id = h.category_id"
        " LEFT JOIN units g ON g.id = h.grid_unit_id LEFT JOIN units p ON p.id = h.place_unit_id"
        " LEFT JOIN units pu ON pu.id = h.proposed_unit_id"
        " LEFT JOIN units lu ON lu.id = i.lead_unit_id WHERE i.kind = 'hazard' AND"
        " ((?1 = 1 AND h.reporter_id = ?2) OR (?1 = 0 AND i.status IN ('draft','returned')))"
        " ORDER BY i.id DESC LIMIT ?3");
    if (!st) {
        err_db(e, DB_ERR, "listing hazards");
        return NULL;
    }
    db_bind_int64(st, 1, mine);
    db_bind_int64(st, 2, a->user_id);
    db_bind_int64(st, 3, limit);
    json_t *arr = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        json_t *h = json_pack("{s:I,s:s,s:s}", "id", (json_int_t)db_column_int64(st, 0), "title",
                              db_column_text(st, 1), "status", db_column_text(st, 2));
        static const char *const keys[] = {
            NULL, NULL,   NULL,    "category", "category_name", "level",     "address",
            NULL, "grid", "place", NULL,       "proposed_unit", "lead_unit", "deadline"};
        for (int k = 3; k < 14; k++)
            if (keys[k]) json_object_set_new(h, keys[k], opt_text(st, k));
        json_object_set_new(h, "created_at", opt_time(st, 7));
        json_object_set_new(h, "proposed_unit_id", opt_int(st, 10));
        json_object_set_new(h, "duplicate_of", opt_int(st, 14));
        json_object_set_new(h, "original_status", opt_text(st, 15));
        json_object_set_new(h, "description", opt_text(st, 16));
        json_object_set_new(h, "photo_url",
                            db_column_is_null(st, 17)
                                ? json_null()
                                : json_sprintf("/photos/%lld", (long long)db_column_int64(st, 17)));
        json_array_append_new(arr, h);
    }
    db_finalize(st);
    if (rc != DB_DONE) {
        json_decref(arr);
        err_db(e, rc, "listing hazards");
        return NULL;
    }
    return json_pack("{s:o}", "hazards", arr);
}
