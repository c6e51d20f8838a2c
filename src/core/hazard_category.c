/* hazard_category.c — reading the hazard taxonomy and checking a report's
 * attributes against it.  See hazard_category.h.  Categories are written by
 * migrations and the admin pages' SQL, not here. */
#include "core/hazard_category.h"

#include <string.h>

int64_t hazard_category_id(struct db *db, const char *code)
{
    struct db_stmt *st =
        db_prepare(db, "SELECT id FROM hazard_categories WHERE code = ?1 AND active = 1");
    if (!st) return DB_ERR;
    db_bind_text(st, 1, code, (size_t)-1);
    int rc = db_step(st);
    int64_t id = rc == DB_ROW ? db_column_int64(st, 0) : rc == DB_DONE ? 0 : rc;
    db_finalize(st);
    return id;
}

json_t *hazard_categories_json(struct db *db, struct err *e)
{
    struct db_stmt *st = db_prepare(db, "SELECT id, code, name, name_en, grp, description,"
                                        " attributes FROM hazard_categories WHERE active = 1"
                                        " ORDER BY sort, id");
    if (!st) {
        err_db(e, DB_ERR, "reading categories");
        return NULL;
    }
    json_t *arr = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        json_t *attrs = json_loads(db_column_text(st, 6), 0, NULL);
        json_array_append_new(
            arr,
            json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:o}", "id", (json_int_t)db_column_int64(st, 0),
                      "code", db_column_text(st, 1), "name", db_column_text(st, 2), "name_en",
                      db_column_text(st, 3), "group", db_column_text(st, 4), "description",
                      db_column_text(st, 5), "attributes", attrs ? attrs : json_array()));
    }
    db_finalize(st);
    if (rc != DB_DONE) {
        json_decref(arr);
        err_db(e, rc, "reading categories");
        return NULL;
    }
    return json_pack("{s:o}", "categories", arr);
}

/* The category's attribute definitions (caller owns), or NULL. */
static json_t *category_attributes(struct db *db, int64_t category_id)
{
    struct db_stmt *st = db_prepare(db, "SELECT attributes FROM hazard_categories WHERE id = ?1");
    if (!st) return NULL;
    db_bind_int64(st, 1, category_id);
    json_t *v = db_step(st) == DB_ROW ? json_loads(db_column_text(st, 0), 0, NULL) : NULL;
    db_finalize(st);
    return v;
}

/* Check given attribute values against the category's definitions: required
 * ones present, list values among the keys, nothing unknown. */
int hazard_attributes_check(struct db *db, int64_t category_id, json_t *given, struct err *e)
{
    json_t *defs = category_attributes(db, category_id);
    if (!defs) return err_db(e, DB_ERR, "reading the category");
    int ret = 0;
    size_t i;
    json_t *d;
    json_array_foreach(defs, i, d)
    {
        const char *code = json_string_value(json_object_get(d, "code"));
        json_t *v = given ? json_object_get(given, code) : NULL;
        int empty = !v || json_is_null(v) || (json_is_string(v) && !json_string_length(v));
        const char *desc = json_string_value(json_object_get(d, "description"));
        if (empty && json_is_true(json_object_get(d, "required"))) {
            ret = err_set(e, 422, "missing_attribute", "attribute '%s' is required", code);
            err_subject(e, desc && *desc ? desc : code);
            break;
        }
        json_t *values = json_object_get(d, "values");
        if (!empty && json_is_array(values)) {
            size_t k, found = 0;
            json_t *val;
            json_array_foreach(values, k, val)
            {
                if (json_is_string(v) &&
                    !strcmp(json_string_value(json_object_get(val, "key")), json_string_value(v)))
                    found = 1;
            }
            if (!found) {
                ret =
                    err_set(e, 422, "invalid_attribute", "attribute '%s' has no such value", code);
                err_subject(e, desc && *desc ? desc : code);
                break;
            }
        }
    }
    const char *key;
    json_t *v;
    if (!ret && given) json_object_foreach(given, key, v)
        {
            int known = 0;
            json_array_foreach(defs, i, d)
            {
                if (!strcmp(key, json_string_value(json_object_get(d, "code")))) known = 1;
            }
            if (!known) {
                ret = err_set(e, 422, "invalid_attribute", "the category has no attribute '%.40s'",
                              key);
                break;
            }
            if (!json_is_string(v) || json_string_length(v) > 500) {
                ret = err_set(e, 422, "invalid_attribute",
                              "attribute '%.40s' must be a string of at most 500 bytes", key);
                break;
            }
        }
    json_decref(defs);
    return ret;
}
