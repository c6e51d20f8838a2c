/* unit.c — the unit tree: validation, insertion, lookup and listing.
 * A unit is renamed, given another kind or moved under another parent
 * (unit_edit), never deleted: items and events point at units forever, so a
 * unit that ends is renamed, not removed. */
#include "core/unit.h"

#include <stdio.h>
#include <string.h>

#include "core/config_chain.h"
#include "util/time.h"
#include "util/str.h"
#include "util/utf8.h"

static const char *const unit_kinds[] = {"department", "taskforce",  "town",
                                         "grid",       "enterprise", "university"};

int unit_kind_valid(const char *kind)
{
    for (size_t i = 0; i < sizeof unit_kinds / sizeof *unit_kinds; i++)
        if (strcmp(kind, unit_kinds[i]) == 0) return 1;
    return 0;
}

static int unit_code_valid(const char *code)
{
    size_t n = strlen(code);
    if (n == 0 || n > 64) return 0;
    for (size_t i = 0; i < n; i++) {
        char c = code[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.'))
            return 0;
    }
    return 1;
}

int64_t unit_id_by_code(struct db *db, const char *code)
{
    struct db_stmt *st = db_prepare(db, "SELECT id FROM units WHERE code = ?1");
    if (!st) return DB_ERR;
    db_bind_text(st, 1, code, (size_t)-1);
    int rc = db_step(st);
    int64_t id = rc == DB_ROW ? db_column_int64(st, 0) : (rc == DB_DONE ? 0 : rc);
    db_finalize(st);
    return id;
}

int unit_exists(struct db *db, int64_t id)
{
    int64_t n = 0;
    int rc = db_query_int64(db, "SELECT count(*) FROM units WHERE id = ?1", 1, id, &n);
    return rc == DB_OK ? n > 0 : rc;
}

int unit_add(struct db *db, const struct actor *a, const char *code, const char *name,
             const char *kind, const char *parent_code, int64_t *id, struct err *e)
{
    if (!unit_code_valid(code))
        return err_set(e, 422, "invalid_field",
                       "code must be 1-64 letters, digits, '-', '_' or '.'");
    size_t start, nl = str_trim(name, strlen(name), &start); /* stored without blank ends */
    name += start;
    if (nl == 0 || utf8_count(name, nl) > 100)
        return err_set(e, 422, "invalid_field", "name must be 1-100 characters");
    if (!unit_kind_valid(kind))
        return err_set(e, 422, "invalid_field",
                       "kind must be one of department, taskforce, town, grid, enterprise, "
                       "university");
    int64_t parent = 0;
    if (parent_code && *parent_code) {
        parent = unit_id_by_code(db, parent_code);
        if (parent < 0) return err_db(e, (int)parent, "unit lookup");
        if (parent == 0)
            return err_set(e, 404, "not_found", "no unit with code %s", parent_code),
                   err_detail(e, "unit");
    }
    struct db_stmt *st =
        db_prepare(db, "INSERT INTO units (code, name, kind, parent_id, created_at)"
                       " VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id");
    if (!st) return err_db(e, DB_ERR, "adding a unit");
    db_bind_text(st, 1, code, (size_t)-1);
    db_bind_text(st, 2, name, nl);
    db_bind_text(st, 3, kind, (size_t)-1);
    if (parent)
        db_bind_int64(st, 4, parent);
    else
        db_bind_null(st, 4);
    db_bind_int64(st, 5, time_now_ms());
    int rc = db_step(st);
    if (rc == DB_ROW) *id = db_column_int64(st, 0);
    db_finalize(st);
    if (rc == DB_UNIQUE)
        return err_set(e, 409, "conflict", "a unit with code %s already exists", code);
    if (rc != DB_ROW) return err_db(e, rc, "adding a unit");
    char key[24];
    config_key_id(*id, key);
    return config_record(db, a, "add", CONFIG_UNITS, key, NULL, e);
}

/* 1 when unit id is under (or is) top, walking up from id; 0 when not; a
 * negative db code.  The walk is bounded, so a cycle written by hand ends. */
static int unit_under(struct db *db, int64_t id, int64_t top)
{
    for (int depth = 0; id && depth < 64; depth++) {
        if (id == top) return 1;
        char kind[16];
        int rc = unit_kind_parent(db, id, kind, &id);
        if (rc <= 0) return rc;
    }
    return 0;
}

/* The id of parent_code for unit id ("" or NULL: none, 0): 0 with *parent,
 * or -1 with e (404, or 422 when it is id itself or under it). */
static int unit_new_parent(struct db *db, int64_t id, const char *parent_code, int64_t *parent,
                           struct err *e)
{
    *parent = 0;
    if (!parent_code || !*parent_code) return 0;
    *parent = unit_id_by_code(db, parent_code);
    if (*parent < 0) return err_db(e, (int)*parent, "unit lookup");
    if (*parent == 0)
        return err_set(e, 404, "not_found", "no unit with code %s", parent_code),
               err_detail(e, "unit");
    int rc = unit_under(db, *parent, id);
    if (rc < 0) return err_db(e, rc, "unit lookup");
    if (rc)
        return err_set(e, 422, "invalid_field", "a unit cannot be moved under itself"),
               err_detail(e, "parent_cycle");
    return 0;
}

int unit_edit(struct db *db, const struct actor *a, const char *code, const char *name,
              const char *kind, const char *parent_code, struct err *e)
{
    size_t start, nl = str_trim(name, strlen(name), &start);
    name += start;
    if (nl == 0 || utf8_count(name, nl) > 100)
        return err_set(e, 422, "invalid_field", "name must be 1-100 characters");
    if (!unit_kind_valid(kind))
        return err_set(e, 422, "invalid_field",
                       "kind must be one of department, taskforce, town, grid, enterprise, "
                       "university");
    int64_t id = unit_id_by_code(db, code), parent;
    if (id < 0) return err_db(e, (int)id, "unit lookup");
    if (!id) return err_set(e, 404, "not_found", "no unit with code %s", code);
    if (unit_new_parent(db, id, parent_code, &parent, e)) return -1;
    char key[24];
    json_t *before = NULL;
    config_key_id(id, key);
    int rc = config_row(db, CONFIG_UNITS, key, &before);
    if (rc != DB_OK) return err_db(e, rc, "editing a unit");
    struct db_stmt *st =
        db_prepare(db, "UPDATE units SET name = ?2, kind = ?3, parent_id = ?4 WHERE id = ?1");
    rc = DB_ERR;
    if (st) {
        db_bind_int64(st, 1, id);
        db_bind_text(st, 2, name, nl);
        db_bind_text(st, 3, kind, (size_t)-1);
        if (parent)
            db_bind_int64(st, 4, parent);
        else
            db_bind_null(st, 4);
        rc = db_step(st);
        db_finalize(st);
    }
    if (rc != DB_DONE) {
        json_decref(before);
        return err_db(e, rc, "editing a unit");
    }
    return config_record(db, a, "edit", CONFIG_UNITS, key, before, e);
}

json_t *unit_list_json(struct db *db, struct err *e)
{
    struct db_stmt *st =
        db_prepare(db, "SELECT id, code, name, kind, parent_id FROM units ORDER BY code");
    if (!st) {
        err_db(e, DB_ERR, "listing units");
        return NULL;
    }
    json_t *units = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        json_t *u = json_pack("{s:I,s:s,s:s,s:s}", "id", (json_int_t)db_column_int64(st, 0), "code",
                              db_column_text(st, 1), "name", db_column_text(st, 2), "kind",
                              db_column_text(st, 3));
        json_object_set_new(u, "parent_id",
                            db_column_is_null(st, 4) ? json_null()
                                                     : json_integer(db_column_int64(st, 4)));
        json_array_append_new(units, u);
    }
    db_finalize(st);
    if (rc != DB_DONE) {
        json_decref(units);
        err_db(e, rc, "listing units");
        return NULL;
    }
    return json_pack("{s:o}", "units", units);
}

int unit_kind_parent(struct db *db, int64_t id, char kind[16], int64_t *parent)
{
    struct db_stmt *st = db_prepare(db, "SELECT kind, parent_id FROM units WHERE id = ?1");
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, id);
    int rc = db_step(st);
    if (rc == DB_ROW) {
        snprintf(kind, 16, "%s", db_column_text(st, 0));
        *parent = db_column_int64(st, 1);
    }
    db_finalize(st);
    return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : rc;
}
