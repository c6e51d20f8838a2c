/* efficiency_register.c — the enterprise register (efficiency.h): a unit of
 * kind 'enterprise' given its 统一社会信用代码 and industry, and its land
 * parcels (地块).  The data import registers the enterprises it creates
 * itself (efficiency_data.c); this is for the ones that exist already (an
 * enterprise that files requests) and for the parcels. */
#include <math.h>
#include <string.h>

#include "core/efficiency.h"
#include "core/unit.h"

/* The enterprise unit called code into *id; 0, or -1 with e. */
static int enterprise_unit(struct db *db, const char *code, int64_t *id, struct err *e)
{
    char kind[16];
    int64_t parent;
    *id = code ? unit_id_by_code(db, code) : 0;
    if (*id < 0) return err_db(e, (int)*id, "reading the units");
    if (!*id) return err_set(e, 404, "not_found", "there is no unit '%s'", code ? code : "");
    int rc = unit_kind_parent(db, *id, kind, &parent);
    if (rc < 0) return err_db(e, rc, "reading the units");
    if (strcmp(kind, "enterprise"))
        return err_set(e, 422, "invalid_field", "unit '%s' is a %s, not an enterprise", code, kind);
    return 0;
}

int efficiency_enterprise_register(struct db *db, const char *unit_code, const char *credit,
                                   const char *industry, struct err *e)
{
    int64_t id;
    if (enterprise_unit(db, unit_code, &id, e)) return -1;
    if (!efficiency_credit_code_ok(credit))
        return err_set(e, 422, "bad_credit_code",
                       "'%s' is not a 统一社会信用代码 (18 characters, its check character)",
                       credit ? credit : "");
    struct db_stmt *st = db_prepare(
        db, "INSERT INTO enterprises (unit_id, credit_code, industry) VALUES (?1, ?2, ?3)"
            " ON CONFLICT (unit_id) DO UPDATE SET credit_code = excluded.credit_code,"
            " industry = excluded.industry");
    int rc = DB_ERR;
    if (st) {
        db_bind_int64(st, 1, id);
        db_bind_text(st, 2, credit, (size_t)-1);
        db_bind_text(st, 3, industry ? industry : "", (size_t)-1);
        rc = db_step(st);
        db_finalize(st);
    }
    if (rc == DB_UNIQUE)
        return err_set(e, 409, "conflict", "credit code %s belongs to another enterprise", credit);
    return rc == DB_DONE ? 0 : err_db(e, rc, "registering the enterprise");
}

int efficiency_parcel_set(struct db *db, const char *unit_code, const char *number, double area_mu,
                          const char *land_use, struct err *e)
{
    int64_t id;
    if (enterprise_unit(db, unit_code, &id, e)) return -1;
    if (!number || !*number || strlen(number) > 64)
        return err_set(e, 422, "invalid_field", "a parcel needs its number (up to 64 bytes)");
    if (!isfinite(area_mu) || area_mu < 0)
        return err_set(e, 422, "negative_land", "a parcel's area is a number of 亩 from 0");
    struct db_stmt *st = db_prepare(
        db, "INSERT INTO enterprise_parcels (unit_id, number, area_mu, land_use) VALUES (?1, ?2,"
            " ?3, ?4) ON CONFLICT (unit_id, number) DO UPDATE SET area_mu = excluded.area_mu,"
            " land_use = excluded.land_use");
    int rc = DB_ERR;
    if (st) {
        db_bind_int64(st, 1, id);
        db_bind_text(st, 2, number, (size_t)-1);
        db_bind_double(st, 3, area_mu);
        db_bind_text(st, 4, land_use ? land_use : "", (size_t)-1);
        rc = db_step(st);
        db_finalize(st);
    }
    return rc == DB_DONE ? 0 : err_db(e, rc, "storing the parcel");
}

static json_t *parcels_json(struct db *db, int64_t id, double *total, struct err *e)
{
    struct db_stmt *st = db_prepare(db, "SELECT number, area_mu, land_use FROM enterprise_parcels"
                                        " WHERE unit_id = ?1 ORDER BY number");
    if (!st) return err_db(e, DB_ERR, "reading the parcels"), NULL;
    db_bind_int64(st, 1, id);
    json_t *rows = json_array();
    int rc;
    *total = 0;
    while ((rc = db_step(st)) == DB_ROW) {
        *total += db_column_double(st, 1);
        json_array_append_new(rows,
                              json_pack("{s:s,s:f,s:s}", "number", db_column_text(st, 0), "area_mu",
                                        db_column_double(st, 1), "use", db_column_text(st, 2)));
    }
    db_finalize(st);
    if (rc != DB_DONE) {
        json_decref(rows);
        return err_db(e, rc, "reading the parcels"), NULL;
    }
    return rows;
}

json_t *efficiency_enterprise_json(struct db *db, const char *unit_code, struct err *e)
{
    int64_t id;
    double total;
    if (enterprise_unit(db, unit_code, &id, e)) return NULL;
    struct db_stmt *st = db_prepare(
        db, "SELECT u.code, u.name, u.parent_id, en.credit_code, en.industry FROM units u"
            " LEFT JOIN enterprises en ON en.unit_id = u.id WHERE u.id = ?1");
    if (!st) return err_db(e, DB_ERR, "reading the enterprise"), NULL;
    db_bind_int64(st, 1, id);
    int rc = db_step(st);
    json_t *v = NULL;
    if (rc == DB_ROW)
        v = json_pack("{s:I,s:s,s:s,s:o,s:o,s:s}", "unit_id", (json_int_t)id, "code",
                      db_column_text(st, 0), "name", db_column_text(st, 1), "town_unit_id",
                      db_column_is_null(st, 2) ? json_null() : json_integer(db_column_int64(st, 2)),
                      "credit_code",
                      db_column_is_null(st, 3) ? json_null() : json_string(db_column_text(st, 3)),
                      "industry", db_column_is_null(st, 4) ? "" : db_column_text(st, 4));
    db_finalize(st);
    if (!v) return err_db(e, rc == DB_DONE ? DB_ERR : rc, "reading the enterprise"), NULL;
    json_t *parcels = parcels_json(db, id, &total, e);
    if (!parcels) return json_decref(v), NULL;
    json_object_set_new(v, "parcels", parcels);
    json_object_set_new(v, "parcel_mu", json_real(total));
    return v;
}
