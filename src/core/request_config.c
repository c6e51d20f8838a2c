/* request_config.c — what the office configures of requests: the categories
 * with their time limits (an admin changes a name or a limit, or adds a
 * category) and the routing rules category × area → unit that name the
 * lead unit when a request is assigned without one (request_act.c).  Every
 * change is an event of the configuration chain (config_chain.c, sections
 * request_categories and request_routes) with its actor.  See request.h. */
#include <stdio.h>
#include <string.h>

#include "core/config_chain.h"
#include "core/request.h"
#include "core/unit.h"
#include "util/time.h"

/* ---- the categories ---- */

/* A code: 1 to 40 of a-z, 0-9 and '_', starting with a letter. */
static int code_ok(const char *code)
{
    size_t n = strlen(code);
    if (!n || n > 40 || code[0] < 'a' || code[0] > 'z') return 0;
    for (size_t i = 0; i < n; i++)
        if (!((code[i] >= 'a' && code[i] <= 'z') || (code[i] >= '0' && code[i] <= '9') ||
              code[i] == '_'))
            return 0;
    return 1;
}

static int category_check(const struct request_category *c, struct err *e)
{
    if (!c->code || !code_ok(c->code))
        return err_set(e, 422, "invalid_field",
                       "'code' must be 1 to 40 of a-z, 0-9 and _, starting with a letter");
    if (c->limit_days != -1 && (c->limit_days < 0 || c->limit_days > 60))
        return err_set(e, 422, "invalid_field", "'limit_days' must be 0 to 60 working days"),
               err_detail(e, "request_limit");
    return 0;
}

/* Insert category c (name and limit_days required, name_en defaults to the
 * name) after the others.  0, or -1 with e. */
static int category_add(struct db *db, const struct request_category *c, struct err *e)
{
    if (!c->name || c->limit_days < 0)
        return err_set(e, 422, "missing_field",
                       "a new category needs 'name' and 'limit_days' (working days)");
    struct db_stmt *st = db_prepare(
        db, "INSERT INTO request_categories (code, name, name_en, limit_days, sort) VALUES"
            " (?1, ?2, ?3, ?4, (SELECT coalesce(max(sort), 0) + 1 FROM request_categories))");
    if (!st) return err_db(e, DB_ERR, "adding a category");
    db_bind_text(st, 1, c->code, (size_t)-1);
    db_bind_text(st, 2, c->name, (size_t)-1);
    db_bind_text(st, 3, c->name_en ? c->name_en : c->name, (size_t)-1);
    db_bind_int64(st, 4, c->limit_days);
    int rc = db_step(st);
    db_finalize(st);
    return rc == DB_DONE ? 0 : err_db(e, rc, "adding a category");
}

/* Change what c gives of the existing category (NULL, -1: kept). */
static int category_change(struct db *db, const struct request_category *c, struct err *e)
{
    struct db_stmt *st = db_prepare(
        db, "UPDATE request_categories SET name = coalesce(?2, name), name_en = coalesce(?3,"
            " name_en), limit_days = CASE WHEN ?4 < 0 THEN limit_days ELSE ?4 END WHERE code = ?1");
    if (!st) return err_db(e, DB_ERR, "changing a category");
    db_bind_text(st, 1, c->code, (size_t)-1);
    if (c->name)
        db_bind_text(st, 2, c->name, (size_t)-1);
    else
        db_bind_null(st, 2);
    if (c->name_en)
        db_bind_text(st, 3, c->name_en, (size_t)-1);
    else
        db_bind_null(st, 3);
    db_bind_int64(st, 4, c->limit_days);
    int rc = db_step(st);
    db_finalize(st);
    return rc == DB_DONE ? 0 : err_db(e, rc, "changing a category");
}

int request_category_set(struct db *db, const struct actor *a, const struct request_category *c,
                         int *added, struct err *e)
{
    if (category_check(c, e)) return -1;
    json_t *before = NULL;
    int rc = config_row(db, CONFIG_REQUEST_CATEGORIES, c->code, &before);
    if (rc != DB_OK) return err_db(e, rc, "reading the categories");
    *added = before == NULL;
    if (*added ? category_add(db, c, e) : category_change(db, c, e)) {
        json_decref(before);
        return -1;
    }
    return config_record(db, a, *added ? "add" : "set", CONFIG_REQUEST_CATEGORIES, c->code, before,
                         e);
}

/* ---- routing ---- */

/* The current rule's id and unit for category × area (0: city-wide): 1, 0
 * when there is none, or a db code. */
static int route_current(struct db *db, const char *category, int64_t area, int64_t *id,
                         int64_t *unit)
{
    struct db_stmt *st = db_prepare(db, "SELECT id, unit_id FROM request_routes WHERE category = ?1"
                                        " AND coalesce(area_unit_id, 0) = ?2 AND valid_to IS NULL");
    if (!st) return DB_ERR;
    db_bind_text(st, 1, category, (size_t)-1);
    db_bind_int64(st, 2, area);
    int rc = db_step(st);
    if (rc == DB_ROW) *id = db_column_int64(st, 0), *unit = db_column_int64(st, 1);
    db_finalize(st);
    return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : rc;
}

int request_route_propose(struct db *db, const char *category, int64_t requester, int64_t *unit)
{
    int64_t u = requester, id;
    for (int depth = 0; u && depth < 8; depth++) {
        int rc = route_current(db, category, u, &id, unit);
        if (rc) return rc;
        char kind[16];
        int64_t parent = 0;
        rc = unit_kind_parent(db, u, kind, &parent);
        if (rc < 0) return rc;
        u = rc ? parent : 0;
    }
    return route_current(db, category, 0, &id, unit);
}

/* Close the current rule category × area at now (history is kept). */
static int route_close(struct db *db, const struct actor *a, const char *category, int64_t area,
                       int64_t now, struct err *e)
{
    int64_t id = 0, unit;
    int rc = route_current(db, category, area, &id, &unit);
    if (rc < 0) return err_db(e, rc, "routing");
    if (!rc) return 0;
    char key[24];
    json_t *before;
    config_key_id(id, key);
    rc = config_row(db, CONFIG_REQUEST_ROUTES, key, &before);
    if (rc != DB_OK) return err_db(e, rc, "routing");
    struct db_stmt *st = db_prepare(db, "UPDATE request_routes SET valid_to = ?2 WHERE id = ?1");
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
    return config_record(db, a, "close", CONFIG_REQUEST_ROUTES, key, before, e);
}

/* 422 unless category and the units given (0: none) exist. */
static int route_check(struct db *db, const char *category, int64_t area, int64_t unit,
                       struct err *e)
{
    int64_t days;
    int rc = request_category_days(db, category, &days);
    if (rc == DB_DONE)
        return err_set(e, 422, "invalid_field", "no request category '%.40s'", category),
               err_detail(e, "request_category");
    if (rc != DB_OK) return err_db(e, rc, "reading the categories");
    for (int k = 0; k < 2; k++) {
        int64_t u = k ? unit : area;
        if (!u) continue;
        rc = unit_exists(db, u);
        if (rc < 0) return err_db(e, rc, "checking units");
        if (!rc)
            return err_set(e, 422, "invalid_field", "no unit with id %lld", (long long)u),
                   err_detail(e, "unit");
    }
    return 0;
}

int request_route_set(struct db *db, const struct actor *a, const char *category,
                      int64_t area_unit_id, int64_t unit_id, struct err *e)
{
    if (route_check(db, category, area_unit_id, unit_id, e)) return -1;
    int64_t now = time_now_ms();
    if (route_close(db, a, category, area_unit_id, now, e)) return -1;
    if (!unit_id) return 0; /* unit 0: the rule is removed */
    struct db_stmt *st =
        db_prepare(db, "INSERT INTO request_routes (category, area_unit_id, unit_id, valid_from,"
                       " created_by) VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id");
    if (!st) return err_db(e, DB_ERR, "routing");
    db_bind_text(st, 1, category, (size_t)-1);
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
    return config_record(db, a, "set", CONFIG_REQUEST_ROUTES, key, NULL, e);
}

static json_t *route_json(struct db_stmt *st)
{
    char from[40];
    time_format_iso(db_column_int64(st, 7), from, sizeof from);
    return json_pack(
        "{s:I, s:s, s:s, s:o, s:o, s:I, s:s, s:s}", "id", (json_int_t)db_column_int64(st, 0),
        "category", db_column_text(st, 1), "category_name", db_column_text(st, 2), "area_unit_id",
        db_column_is_null(st, 3) ? json_null() : json_integer(db_column_int64(st, 3)), "area_name",
        db_column_is_null(st, 4) ? json_null() : json_string(db_column_text(st, 4)), "unit_id",
        (json_int_t)db_column_int64(st, 5), "unit_name", db_column_text(st, 6), "valid_from", from);
}

json_t *request_routes_json(struct db *db, struct err *e)
{
    struct db_stmt *st = db_prepare(
        db, "SELECT r.id, r.category, c.name, r.area_unit_id, a.name, r.unit_id, u.name,"
            " r.valid_from FROM request_routes r JOIN request_categories c ON c.code = r.category"
            " JOIN units u ON u.id = r.unit_id LEFT JOIN units a ON a.id = r.area_unit_id"
            " WHERE r.valid_to IS NULL"
            /* city-wide rules (no area) first on both drivers: PostgreSQL sorts NULL last */
            " ORDER BY c.sort, r.category, r.area_unit_id IS NOT NULL, r.area_unit_id, r.id");
    if (!st) return err_db(e, DB_ERR, "reading routes"), NULL;
    json_t *arr = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW)
        json_array_append_new(arr, route_json(st));
    db_finalize(st);
    if (rc != DB_DONE) {
        json_decref(arr);
        return err_db(e, rc, "reading routes"), NULL;
    }
    return json_pack("{s:o}", "routes", arr);
}
