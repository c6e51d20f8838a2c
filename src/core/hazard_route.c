/* hazard_route.c — routing rules: proposing a unit, setting a rule, listing
 * them.  See hazard_route.h.  The proposal is taken at triage
 * (hazard_act.c) and shown when a report arrives (hazard_input.c). */
#include "core/hazard_route.h"

#include <stdio.h>

#include "core/config_chain.h"
#include "core/hazard_category.h"
#include "core/unit.h"
#include "util/time.h"

/* The current rule for category × area (0 = city-wide): 1 with *unit, 0, or db code. */
static int route_lookup(struct db *db, int64_t category_id, int64_t area, int64_t *unit)
{
    struct db_stmt *st = area ? db_prepare(db, "SELECT unit_id FROM hazard_routes"
                                               " WHERE category_id = ?1 AND area_unit_id = ?2"
                                               " AND valid_to IS NULL")
                              : db_prepare(db, "SELECT unit_id FROM hazard_routes"
                                               " WHERE category_id = ?1 AND area_unit_id IS NULL"
                                               " AND valid_to IS NULL AND ?2 = 0");
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, category_id);
    db_bind_int64(st, 2, area);
    int rc = db_step(st);
    if (rc == DB_ROW) *unit = db_column_int64(st, 0);
    db_finalize(st);
    return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : rc;
}

int hazard_route_propose(struct db *db, int64_t category_id, int64_t grid, int64_t place,
                         int64_t *unit)
{
    int64_t u = grid ? grid : place;
    for (int depth = 0; u && depth < 8; depth++) {
        int rc = route_lookup(db, category_id, u, unit);
        if (rc) return rc;
        char kind[16];
        int64_t parent = 0;
        rc = unit_kind_parent(db, u, kind, &parent);
        if (rc < 0) return rc;
        u = rc ? parent : 0;
    }
    return route_lookup(db, category_id, 0, unit);
}

/* Close the current rule category × area (0 = city-wide), if any, at now:
 * an event of the configuration chain.  0, or -1 with e. */
static int route_close(struct db *db, const struct actor *a, int64_t cat, int64_t area, int64_t now,
                       struct err *e)
{
    struct db_stmt *st = area ? db_prepare(db, "SELECT id FROM hazard_routes"
                                               " WHERE category_id = ?1 AND area_unit_id = ?2"
                                               " AND valid_to IS NULL")
                              : db_prepare(db, "SELECT id FROM hazard_routes"
                                               " WHERE category_id = ?1 AND area_unit_id IS NULL"
                                               " AND valid_to IS NULL AND ?2 = 0");
    if (!st) return err_db(e, DB_ERR, "routing");
    db_bind_int64(st, 1, cat);
    db_bind_int64(st, 2, area);
    int rc = db_step(st);
    int64_t id = rc == DB_ROW ? db_column_int64(st, 0) : 0;
    db_finalize(st);
    if (rc != DB_ROW) return rc == DB_DONE ? 0 : err_db(e, rc, "routing");
    char key[24];
    json_t *before;
    config_key_id(id, key);
    rc = config_row(db, CONFIG_ROUTES, key, &before);
    if (rc != DB_OK) return err_db(e, rc, "routing");
    st = db_prepare(db, "UPDATE hazard_routes SET valid_to = ?2 WHERE id = ?1");
    rc = DB_ERR;
    if (st) {
        db_bind_int64(st, 1, id);
        db_bind_int64(st, 2, now);
        rc = db_step(st);
        db_finalize(st);
    }
    if (rc != DB_DONE) {
        json_decref(before);
        return err_db(e, rc, "routing");
    }
    return config_record(db, a, "close", CONFIG_ROUTES, key, before, e);
}

int hazard_route_set(struct db *db, const struct actor *a, const char *category,
                     int64_t area_unit_id, int64_t unit_id, struct err *e)
{
    int64_t cat = hazard_category_id(db, category);
    if (cat < 0) return err_db(e, (int)cat, "reading categories");
    if (!cat) return err_set(e, 422, "invalid_field", "no hazard category '%.40s'", category);
    for (int k = 0; k < 2; k++) {
        int64_t u = k ? unit_id : area_unit_id;
        if (!u) continue;
        int rc = unit_exists(db, u);
        if (rc < 0) return err_db(e, rc, "checking units");
        if (!rc)
            return err_set(e, 422, "invalid_field", "no unit with id %lld", (long long)u),
                   err_detail(e, "unit");
    }
    int64_t now = time_now_ms();
    if (route_close(db, a, cat, area_unit_id, now, e)) return -1;
    struct db_stmt *st =
        db_prepare(db, "INSERT INTO hazard_routes (category_id, area_unit_id, unit_id,"
                       " valid_from, created_by) VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id");
    if (!st) return err_db(e, DB_ERR, "routing");
    db_bind_int64(st, 1, cat);
    if (area_unit_id)
        db_bind_int64(st, 2, area_unit_id);
    else
        db_bind_null(st, 2);
    db_bind_int64(st, 3, unit_id);
    db_bind_int64(st, 4, now);
    if (a->user_id)
        db_bind_int64(st, 5, a->user_id);
    else
        db_bind_null(st, 5);
    int rc = db_step(st);
    char key[24];
    config_key_id(rc == DB_ROW ? db_column_int64(st, 0) : 0, key);
    db_finalize(st);
    if (rc != DB_ROW) return err_db(e, rc, "routing");
    return config_record(db, a, "set", CONFIG_ROUTES, key, NULL, e);
}

json_t *hazard_routes_json(struct db *db, int history, struct err *e)
{
    struct db_stmt *st = db_prepare(
        db, "SELECT r.id, c.code, c.name, r.area_unit_id, a.name, r.unit_id, u.code, u.name,"
            " r.valid_from, r.valid_to FROM hazard_routes r"
            " JOIN hazard_categories c ON c.id = r.category_id"
            " JOIN units u ON u.id = r.unit_id LEFT JOIN units a ON a.id = r.area_unit_id"
            " WHERE ?1 = 1 OR r.valid_to IS NULL"
            /* city-wide rules (no area) first on both drivers: PostgreSQL sorts NULL last */
            " ORDER BY c.sort, r.area_unit_id IS NOT NULL, r.area_unit_id, r.id");
    if (!st) {
        err_db(e, DB_ERR, "reading routes");
        return NULL;
    }
    db_bind_int64(st, 1, history ? 1 : 0);
    json_t *arr = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        char from[40], to[40] = "";
        time_format_iso(db_column_int64(st, 8), from, sizeof from);
        if (!db_column_is_null(st, 9)) time_format_iso(db_column_int64(st, 9), to, sizeof to);
        json_array_append_new(
            arr,
            json_pack("{s:I,s:s,s:s,s:o,s:o,s:I,s:s,s:s,s:s,s:o}", "id",
                      (json_int_t)db_column_int64(st, 0), "category", db_column_text(st, 1),
                      "category_name", db_column_text(st, 2), "area_unit_id",
                      db_column_is_null(st, 3) ? json_null() : json_integer(db_column_int64(st, 3)),
                      "area_name",
                      db_column_is_null(st, 4) ? json_null() : json_string(db_column_text(st, 4)),
                      "unit_id", (json_int_t)db_column_int64(st, 5), "unit_code",
                      db_column_text(st, 6), "unit_name", db_column_text(st, 7), "valid_from", from,
                      "valid_to", to[0] ? json_string(to) : json_null()));
    }
    db_finalize(st);
    if (rc != DB_DONE) {
        json_decref(arr);
        err_db(e, rc, "reading routes");
        return NULL;
    }
    return json_pack("{s:o}", "routes", arr);
}
