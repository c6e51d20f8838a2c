/* hazard.c — reports, triage, the hazard's steps of the loop, photos and
 * routing.  See hazard.h.  Campaign figures are campaign.c's; the Open311
 * surface is api/open311.c's, which comes here to create. */
#include "core/hazard.h"

#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/campaign.h"
#include "core/item.h"
#include "core/unit.h"
#include "util/mem.h"
#include "util/str.h"
#include "util/time.h"
#include "util/utf8.h"

static const char *const plan_parts[] = {"targets",     "measures",   "funds",
                                         "responsible", "time_limit", "safety"};
#define PLAN_PARTS    6
#define PLAN_PART_MAX 2000

/* ---- photos ---- */

const char *hazard_photo_check(const unsigned char *p, size_t n)
{
    static const unsigned char png[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    if (n > HAZARD_PHOTO_MAX) return NULL;
    if (n >= 4 && p[0] == 0xff && p[1] == 0xd8 && p[2] == 0xff && p[n - 2] == 0xff &&
        p[n - 1] == 0xd9)
        return "image/jpeg";
    /* signature, then the IHDR chunk: length 13, type, width and height > 0 */
    if (n >= 33 && !memcmp(p, png, 8) && !memcmp(p + 8, "\0\0\0\rIHDR", 8)) {
        uint32_t w = (uint32_t)p[16] << 24 | (uint32_t)p[17] << 16 | (uint32_t)p[18] << 8 | p[19];
        uint32_t h = (uint32_t)p[20] << 24 | (uint32_t)p[21] << 16 | (uint32_t)p[22] << 8 | p[23];
        if (w && h && w <= 1u << 16 && h <= 1u << 16) return "image/png";
    }
    return NULL;
}

int hazard_photo_add(struct db *db, const struct actor *a, int64_t item_id, const char *phase,
                     const unsigned char *data, size_t len, int64_t *photo_id, struct err *e)
{
    const char *mime = hazard_photo_check(data, len);
    if (!mime)
        return err_set(e, 422, "invalid_photo",
                       "a photo must be a JPEG or PNG image of at most %d bytes", HAZARD_PHOTO_MAX);
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
    if (rc == DB_DONE)
        return err_set(e, 404, "not_found", "no hazard with id %lld", (long long)item_id);
    if (rc != DB_ROW) return err_db(e, rc, "reading the hazard");
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

/* ---- parsing a report ---- */

static int str_field(json_t *body, const char *name, size_t max, int required, const char **out,
                     struct err *e)
{
    json_t *v = json_object_get(body, name);
    if (!v || json_is_null(v)) {
        if (required) return err_set(e, 422, "missing_field", "field '%s' is required", name);
        return 0;
    }
    if (!json_is_string(v)) return err_set(e, 422, "invalid_field", "'%s' must be a string", name);
    const char *s = json_string_value(v);
    if (strlen(s) != json_string_length(v))
        return err_set(e, 422, "invalid_field", "'%s' must not contain NUL characters", name);
    size_t n = utf8_count(s, json_string_length(v));
    if (required && n == 0) return err_set(e, 422, "missing_field", "'%s' must not be empty", name);
    if (n > max)
        return err_set(e, 422, "invalid_field", "'%s' is too long (at most %zu characters)", name,
                       max);
    *out = s;
    return 0;
}

static int id_field(json_t *body, const char *name, int64_t *out, struct err *e)
{
    json_t *v = json_object_get(body, name);
    if (!v || json_is_null(v)) return 0;
    if (!json_is_integer(v) || json_integer_value(v) <= 0)
        return err_set(e, 422, "invalid_field", "'%s' must be a positive integer id", name);
    *out = json_integer_value(v);
    return 0;
}

static int location_fields(json_t *body, struct hazard_input *in, struct err *e)
{
    json_t *la = json_object_get(body, "lat"), *lo = json_object_get(body, "long");
    int has_la = la && !json_is_null(la), has_lo = lo && !json_is_null(lo);
    if (!has_la && !has_lo) return 0;
    if (!has_la || !has_lo || !json_is_number(la) || !json_is_number(lo))
        return err_set(e, 422, "invalid_field",
                       "'lat' and 'long' must be given together as numbers");
    in->lat = json_number_value(la), in->lon = json_number_value(lo);
    if (!isfinite(in->lat) || !isfinite(in->lon) || fabs(in->lat) > 90 || fabs(in->lon) > 180)
        return err_set(e, 422, "invalid_field", "'lat' must be within ±90 and 'long' within ±180");
    in->has_location = 1;
    return 0;
}

static int photo_fields(json_t *body, struct hazard_input *in, struct err *e)
{
    json_t *v = json_object_get(body, "photos");
    if (!v || json_is_null(v)) return 0;
    if (!json_is_array(v) || json_array_size(v) > HAZARD_PHOTOS_MAX)
        return err_set(e, 422, "invalid_field", "'photos' must be an array of at most %d images",
                       HAZARD_PHOTOS_MAX);
    size_t i;
    json_t *p;
    json_array_foreach(v, i, p)
    {
        if (!json_is_string(p))
            return err_set(e, 422, "invalid_field", "'photos' must hold base64 strings");
        size_t n = json_string_length(p), len = 0;
        unsigned char *bin = xmalloc(n / 4 * 3 + 3);
        in->owned[in->nphotos] = bin;
        if (sodium_base642bin(bin, n / 4 * 3 + 3, json_string_value(p), n, " \r\n", &len, NULL,
                              sodium_base64_VARIANT_ORIGINAL))
            return err_set(e, 422, "invalid_photo", "photo %zu is not valid base64", i + 1);
        const char *mime = hazard_photo_check(bin, len);
        if (!mime)
            return err_set(e, 422, "invalid_photo", "photo %zu is not a JPEG or PNG image", i + 1);
        in->photos[in->nphotos++] = (struct hazard_photo){bin, len, mime};
    }
    return 0;
}

int hazard_input_parse(json_t *body, struct hazard_input *in, struct err *e)
{
    static const char *const known[] = {
        "category",     "description",   "title",      "address",    "lat",         "long",
        "grid_unit_id", "place_unit_id", "place_name", "attributes", "campaign_id", "photos"};
    memset(in, 0, sizeof *in);
    if (!json_is_object(body)) return err_set(e, 400, "invalid_json", "the body must be an object");
    const char *key;
    json_t *v;
    json_object_foreach(body, key, v)
    {
        size_t k = 0;
        while (k < sizeof known / sizeof *known && strcmp(key, known[k]))
            k++;
        if (k == sizeof known / sizeof *known)
            return err_set(e, 422, "unknown_field", "unknown field '%s'", key);
    }
    in->channel = "api";
    json_t *attrs = json_object_get(body, "attributes");
    if (attrs && !json_is_null(attrs)) {
        if (!json_is_object(attrs))
            return err_set(e, 422, "invalid_field", "'attributes' must be an object");
        in->attributes = attrs;
    }
    return str_field(body, "category", 40, 1, &in->category, e) ||
                   str_field(body, "description", HAZARD_DESC_MAX, 1, &in->description, e) ||
                   str_field(body, "title", 200, 0, &in->title, e) ||
                   str_field(body, "address", HAZARD_ADDRESS_MAX, 0, &in->address, e) ||
                   str_field(body, "place_name", 200, 0, &in->place_name, e) ||
                   id_field(body, "grid_unit_id", &in->grid_unit_id, e) ||
                   id_field(body, "place_unit_id", &in->place_unit_id, e) ||
                   id_field(body, "campaign_id", &in->campaign_id, e) ||
                   location_fields(body, in, e) || photo_fields(body, in, e)
               ? -1
               : 0;
}

void hazard_input_free(struct hazard_input *in)
{
    for (int k = 0; k < HAZARD_PHOTOS_MAX; k++)
        free(in->owned[k]), in->owned[k] = NULL;
}

/* ---- categories ---- */

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
static int attributes_check(struct db *db, int64_t category_id, json_t *given, struct err *e)
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
        if (empty && json_is_true(json_object_get(d, "required"))) {
            ret = err_set(e, 422, "missing_attribute", "attribute '%s' is required", code);
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

/* ---- units ---- */

/* The kind and parent of a unit.  1 found, 0 not, negative db code. */
static int unit_info(struct db *db, int64_t id, char kind[16], int64_t *parent)
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

/* ---- routing ---- */

/* The current rule for category × area (0 = city-wide): 1 with *unit, 0, or db code. */
static int route_lookup(struct db *db, int64_t category_id, int64_t area, int64_t *unit)
{
    struct db_stmt *st =
        db_prepare(db, area ? "SELECT unit_id FROM hazard_routes WHERE category_id = ?1"
                              " AND area_unit_id = ?2 AND valid_to IS NULL"
                            : "SELECT unit_id FROM hazard_routes WHERE category_id = ?1"
                              " AND area_unit_id IS NULL AND valid_to IS NULL AND ?2 = 0");
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
        rc = unit_info(db, u, kind, &parent);
        if (rc < 0) return rc;
        u = rc ? parent : 0;
    }
    return route_lookup(db, category_id, 0, unit);
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
        if (!rc) return err_set(e, 422, "invalid_field", "no unit with id %lld", (long long)u);
    }
    int64_t now = time_now_ms();
    struct db_stmt *st = db_prepare(
        db, area_unit_id ? "UPDATE hazard_routes SET valid_to = ?3 WHERE category_id = ?1"
                           " AND area_unit_id = ?2 AND valid_to IS NULL"
                         : "UPDATE hazard_routes SET valid_to = ?3 WHERE category_id = ?1"
                           " AND area_unit_id IS NULL AND valid_to IS NULL AND ?2 = 0");
    if (!st) return err_db(e, DB_ERR, "routing");
    db_bind_int64(st, 1, cat);
    db_bind_int64(st, 2, area_unit_id);
    db_bind_int64(st, 3, now);
    int rc = db_step(st);
    db_finalize(st);
    if (rc != DB_DONE) return err_db(e, rc, "routing");
    st = db_prepare(db, "INSERT INTO hazard_routes (category_id, area_unit_id, unit_id,"
                        " valid_from, created_by) VALUES (?1, ?2, ?3, ?4, ?5)");
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
    rc = db_step(st);
    db_finalize(st);
    return rc == DB_DONE ? 0 : err_db(e, rc, "routing");
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

/* ---- creating ---- */

int hazard_row_init(struct db *db, int64_t item_id, const struct actor *a)
{
    struct db_stmt *st =
        db_prepare(db, "INSERT INTO hazards (item_id, reporter_id) VALUES (?1, ?2)");
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, item_id);
    if (a->user_id)
        db_bind_int64(st, 2, a->user_id);
    else
        db_bind_null(st, 2);
    int rc = db_step(st);
    db_finalize(st);
    return rc == DB_DONE ? DB_OK : rc;
}

/* Fill the grid or place from the reporter's own unit, and check both. */
static int create_units(struct db *db, const struct actor *a, struct hazard_input *in,
                        struct err *e)
{
    char kind[16];
    int64_t parent;
    if (!in->grid_unit_id && !in->place_unit_id && a->unit_id) {
        int rc = unit_info(db, a->unit_id, kind, &parent);
        if (rc < 0) return err_db(e, rc, "reading units");
        if (rc && !strcmp(kind, "grid")) in->grid_unit_id = a->unit_id;
        if (rc && !strcmp(kind, "enterprise")) in->place_unit_id = a->unit_id;
    }
    for (int k = 0; k < 2; k++) {
        int64_t u = k ? in->place_unit_id : in->grid_unit_id;
        if (!u) continue;
        int rc = unit_info(db, u, kind, &parent);
        if (rc < 0) return err_db(e, rc, "reading units");
        if (!rc) return err_set(e, 422, "invalid_field", "no unit with id %lld", (long long)u);
        if (!k && strcmp(kind, "grid") && strcmp(kind, "town"))
            return err_set(e, 422, "invalid_field", "'grid_unit_id' must name a grid or a town");
    }
    if (!in->address && !in->has_location && !in->grid_unit_id && !in->place_unit_id)
        return err_set(e, 422, "missing_location",
                       "give a location: 'lat' and 'long', an 'address', or a grid or place");
    return 0;
}

static int create_row(struct db *db, const struct hazard_input *in, int64_t id, int64_t cat,
                      int64_t proposed)
{
    struct db_stmt *st = db_prepare(
        db, "UPDATE hazards SET category_id = ?2, address = ?3, latitude = ?4, longitude = ?5,"
            " grid_unit_id = ?6, place_unit_id = ?7, place_name = ?8, reporter_name = ?9,"
            " reporter_contact = ?10, channel = ?11, api_key_id = ?12, attributes = ?13,"
            " proposed_unit_id = ?14 WHERE item_id = ?1");
    if (!st) return DB_ERR;
    char *attrs =
        in->attributes ? json_dumps(in->attributes, JSON_COMPACT | JSON_SORT_KEYS) : xstrdup("{}");
    db_bind_int64(st, 1, id);
    db_bind_int64(st, 2, cat);
    db_bind_text(st, 3, in->address ? in->address : "", (size_t)-1);
    if (in->has_location)
        db_bind_double(st, 4, in->lat), db_bind_double(st, 5, in->lon);
    else
        db_bind_null(st, 4), db_bind_null(st, 5);
    if (in->grid_unit_id)
        db_bind_int64(st, 6, in->grid_unit_id);
    else
        db_bind_null(st, 6);
    if (in->place_unit_id)
        db_bind_int64(st, 7, in->place_unit_id);
    else
        db_bind_null(st, 7);
    db_bind_text(st, 8, in->place_name ? in->place_name : "", (size_t)-1);
    db_bind_text(st, 9, in->reporter_name ? in->reporter_name : "", (size_t)-1);
    db_bind_text(st, 10, in->reporter_contact ? in->reporter_contact : "", (size_t)-1);
    db_bind_text(st, 11, in->channel ? in->channel : "api", (size_t)-1);
    if (in->api_key_id)
        db_bind_int64(st, 12, in->api_key_id);
    else
        db_bind_null(st, 12);
    db_bind_text(st, 13, attrs, (size_t)-1);
    if (proposed)
        db_bind_int64(st, 14, proposed);
    else
        db_bind_null(st, 14);
    int rc = db_step(st);
    db_finalize(st);
    free(attrs);
    return rc == DB_DONE ? DB_OK : rc;
}

/* The default title: category, then the start of the address or description. */
static const char *default_title(struct db *db, int64_t cat, const struct hazard_input *in,
                                 char *out, size_t outlen)
{
    char name[64] = "";
    struct db_stmt *st = db_prepare(db, "SELECT name FROM hazard_categories WHERE id = ?1");
    if (st) {
        db_bind_int64(st, 1, cat);
        if (db_step(st) == DB_ROW) snprintf(name, sizeof name, "%s", db_column_text(st, 0));
        db_finalize(st);
    }
    const char *what = in->address && *in->address ? in->address : in->description;
    size_t n = strlen(what), cut = 0;
    uint32_t cp;
    for (int chars = 0; cut < n && chars < 40; chars++)
        cut += utf8_decode(what + cut, n - cut, &cp);
    snprintf(out, outlen, "%s隐患：%.*s", name, (int)cut, what);
    return out;
}

int hazard_create(struct db *db, const struct actor *a, const struct hazard_input *in0, int64_t *id,
                  struct err *e)
{
    struct hazard_input in = *in0;
    int64_t cat = hazard_category_id(db, in.category);
    if (cat < 0) return err_db(e, (int)cat, "reading categories");
    if (!cat) return err_set(e, 404, "unknown_category", "no hazard category '%.40s'", in.category);
    if (utf8_count(in.description, strlen(in.description)) > HAZARD_DESC_MAX ||
        (in.address && utf8_count(in.address, strlen(in.address)) > HAZARD_ADDRESS_MAX) ||
        (in.reporter_name && strlen(in.reporter_name) > 300) ||
        (in.reporter_contact && strlen(in.reporter_contact) > 300))
        return err_set(e, 422, "invalid_field",
                       "the description (%d characters), address (%d) or reporter is too long",
                       HAZARD_DESC_MAX, HAZARD_ADDRESS_MAX);
    if (create_units(db, a, &in, e) || attributes_check(db, cat, in.attributes, e)) return -1;
    char title[400];
    struct item_input it = {0};
    it.kind = "hazard";
    it.title = in.title ? in.title : default_title(db, cat, &in, title, sizeof title);
    it.description = in.description;
    it.source = in.campaign_id ? "campaign" : "report";
    it.feedback_cycle = "none";
    if (item_create(db, a, &it, id, e)) return -1;
    int64_t proposed = 0;
    int rc = hazard_route_propose(db, cat, in.grid_unit_id, in.place_unit_id, &proposed);
    if (rc >= 0) rc = create_row(db, &in, *id, cat, rc == 1 ? proposed : 0);
    if (rc != DB_OK) return err_db(e, rc, "recording the hazard");
    for (int k = 0; k < in.nphotos; k++) {
        int64_t pid;
        if (hazard_photo_add(db, a, *id, "report", in.photos[k].data, in.photos[k].len, &pid, e))
            return -1;
    }
    return campaign_attach_hazard(db, *id, in.campaign_id, e);
}

/* ---- reading ---- */

static json_t *opt_int(struct db_stmt *st, int c)
{
    return db_column_is_null(st, c) ? json_null() : json_integer(db_column_int64(st, c));
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

/* ids of rows that one query with one id parameter returns, as an array. */
static json_t *id_list(struct db *db, const char *sql, int64_t id)
{
    json_t *arr = json_array();
    struct db_stmt *st = db_prepare(db, sql);
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
    struct db_stmt *st = db_prepare(
        db, "SELECT id, phase, mime, bytes FROM hazard_photos WHERE item_id = ?1 ORDER BY id");
    if (!st) return arr;
    db_bind_int64(st, 1, id);
    while (db_step(st) == DB_ROW) {
        int64_t pid = db_column_int64(st, 0);
        char url[40];
        snprintf(url, sizeof url, "/photos/%lld", (long long)pid);
        json_array_append_new(arr,
                              json_pack("{s:I,s:s,s:s,s:I,s:s}", "id", (json_int_t)pid, "phase",
                                        db_column_text(st, 1), "mime", db_column_text(st, 2),
                                        "bytes", (json_int_t)db_column_int64(st, 3), "url", url));
    }
    db_finalize(st);
    return arr;
}

json_t *hazard_json(struct db *db, int64_t item_id, struct err *e)
{
    struct db_stmt *st = db_prepare(
        db, "SELECT c.code, c.name, h.level, h.address, h.latitude, h.longitude, h.grid_unit_id,"
            " h.place_unit_id, h.place_name, h.reporter_id, h.channel, h.attributes,"
            " h.duplicate_of, h.proposed_unit_id, h.plan, h.listed_at, h.delisted_at,"
            " h.acceptance_due, h.closed_at, h.reporter_name, c.name_en,"
            " (SELECT campaign_id FROM campaign_items ci WHERE ci.item_id = h.item_id)"
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
            err_set(e, 404, "not_found", "item %lld is not a hazard", (long long)item_id);
        else
            err_db(e, rc, "reading the hazard");
        return NULL;
    }
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
    db_finalize(st);
    json_object_set_new(h, "duplicates",
                        id_list(db,
                                "SELECT item_id FROM hazards WHERE duplicate_of = ?1"
                                " ORDER BY item_id",
                                item_id));
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
        " i.deadline, h.duplicate_of, o.status FROM items i JOIN hazards h ON h.item_id = i.id"
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

/* ---- triage and the loop ---- */

/* The six-part plan: an object with every part a non-empty string. */
static int plan_check(json_t *plan, struct err *e)
{
    if (!json_is_object(plan))
        return err_set(e, 422, "invalid_field", "'plan' must be an object of the six parts");
    const char *key;
    json_t *v;
    json_object_foreach(plan, key, v)
    {
        int k = 0;
        while (k < PLAN_PARTS && strcmp(key, plan_parts[k]))
            k++;
        if (k == PLAN_PARTS)
            return err_set(e, 422, "invalid_field", "the plan has no part '%.40s'", key);
        if (!json_is_string(v) ||
            utf8_count(json_string_value(v), json_string_length(v)) > PLAN_PART_MAX)
            return err_set(e, 422, "invalid_field",
                           "plan part '%s' must be text of at most %d"
                           " characters",
                           key, PLAN_PART_MAX);
    }
    return 0;
}

/* The number of the six parts the stored plan is missing (6 when none). */
static int plan_missing(const char *text, char *names, size_t len)
{
    json_t *plan = text ? json_loads(text, 0, NULL) : NULL;
    int missing = 0;
    size_t used = 0;
    names[0] = '\0';
    for (int k = 0; k < PLAN_PARTS; k++) {
        const char *v = json_string_value(json_object_get(plan, plan_parts[k]));
        size_t i = 0;
        while (v && (v[i] == ' ' || v[i] == '\n' || v[i] == '\t'))
            i++;
        if (v && v[i]) continue;
        missing++;
        int n = snprintf(names + used, len - used, "%s%s", used ? ", " : "", plan_parts[k]);
        if (n > 0 && (size_t)n < len - used) used += (size_t)n;
    }
    json_decref(plan);
    return missing;
}

/* The triage columns of a hazard. */
struct hz_state {
    int64_t category_id, grid, place, proposed;
    char level[16];
    char *plan; /* owned */
};

static int hz_load(struct db *db, int64_t id, struct hz_state *s)
{
    struct db_stmt *st = db_prepare(db, "SELECT category_id, level, grid_unit_id, place_unit_id,"
                                        " proposed_unit_id, plan FROM hazards WHERE item_id = ?1");
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, id);
    int rc = db_step(st);
    memset(s, 0, sizeof *s);
    if (rc == DB_ROW) {
        s->category_id = db_column_int64(st, 0);
        snprintf(s->level, sizeof s->level, "%s",
                 db_column_is_null(st, 1) ? "" : db_column_text(st, 1));
        s->grid = db_column_int64(st, 2);
        s->place = db_column_int64(st, 3);
        s->proposed = db_column_int64(st, 4);
        s->plan = db_column_is_null(st, 5) ? NULL : xstrdup(db_column_text(st, 5));
        rc = DB_OK;
    }
    db_finalize(st);
    return rc;
}

static int hz_store(struct db *db, int64_t id, const struct hz_state *s)
{
    struct db_stmt *st = db_prepare(db, "UPDATE hazards SET category_id = ?2, level = ?3,"
                                        " proposed_unit_id = ?4, plan = ?5 WHERE item_id = ?1");
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, id);
    if (s->category_id)
        db_bind_int64(st, 2, s->category_id);
    else
        db_bind_null(st, 2);
    if (s->level[0])
        db_bind_text(st, 3, s->level, (size_t)-1);
    else
        db_bind_null(st, 3);
    if (s->proposed)
        db_bind_int64(st, 4, s->proposed);
    else
        db_bind_null(st, 4);
    db_bind_text(st, 5, s->plan, (size_t)-1);
    int rc = db_step(st);
    db_finalize(st);
    return rc == DB_DONE ? DB_OK : rc;
}

/* Triage's fields into s; *recat set when the category changed. */
static int triage_fields(struct db *db, json_t *body, json_t *data, struct hz_state *s, int *recat,
                         struct err *e)
{
    json_t *v = json_object_get(body, "level");
    if (v && !json_is_null(v)) {
        const char *l = json_string_value(v);
        if (!l || (strcmp(l, "general") && strcmp(l, "major")))
            return err_set(e, 422, "invalid_field", "'level' must be general or major");
        snprintf(s->level, sizeof s->level, "%s", l);
        json_object_set(data, "level", v);
    }
    v = json_object_get(body, "category");
    if (v && !json_is_null(v)) {
        int64_t cat = json_is_string(v) ? hazard_category_id(db, json_string_value(v)) : 0;
        if (cat < 0) return err_db(e, (int)cat, "reading categories");
        if (!cat) return err_set(e, 422, "invalid_field", "'category' must be a category's code");
        *recat = s->category_id && cat != s->category_id;
        s->category_id = cat;
        json_object_set(data, "category", v);
    }
    v = json_object_get(body, "plan");
    if (v && !json_is_null(v)) {
        if (plan_check(v, e)) return -1;
        free(s->plan);
        s->plan = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);
        json_object_set(data, "plan", v);
    }
    return 0;
}

/* The deadline and lead unit a triage names, into deadline ("" when none)
 * and *lead (0 when none). */
static int triage_choices(struct db *db, json_t *body, int64_t *lead, char deadline[11],
                          struct err *e)
{
    json_t *v = json_object_get(body, "deadline");
    int32_t day;
    if (v && !json_is_null(v)) {
        if (!json_is_string(v) || date_parse(json_string_value(v), json_string_length(v), &day))
            return err_set(e, 422, "invalid_field", "'deadline' must be a real date as YYYY-MM-DD");
        date_format(day, deadline);
    }
    v = json_object_get(body, "lead_unit_id");
    if (!v || json_is_null(v)) return 0;
    if (!json_is_integer(v) || json_integer_value(v) <= 0)
        return err_set(e, 422, "invalid_field", "'lead_unit_id' must be a positive integer id");
    int rc = unit_exists(db, json_integer_value(v));
    if (rc < 0) return err_db(e, rc, "checking units");
    if (rc == 0)
        return err_set(e, 422, "invalid_field", "no unit with id %lld",
                       (long long)json_integer_value(v));
    *lead = json_integer_value(v);
    return 0;
}

/* Route the categorised hazard s: its proposed unit, and the lead when the
 * triage named none (re-routed when the category changed: recat). */
static int triage_route(struct db *db, struct hz_state *s, int recat, json_t *data, int64_t *lead,
                        struct err *e)
{
    int64_t proposed = 0;
    int rc = hazard_route_propose(db, s->category_id, s->grid, s->place, &proposed);
    if (rc < 0) return err_db(e, rc, "routing");
    if (rc && proposed != s->proposed)
        json_object_set_new(data, "proposed_unit_id", json_integer(proposed));
    s->proposed = rc ? proposed : 0;
    if (!*lead && s->proposed) {
        *lead = s->proposed;
        if (recat) json_object_set_new(data, "rerouted", json_true());
    }
    return 0;
}

int hazard_triage(struct db *db, const struct actor *a, int64_t item_id, json_t *body, json_t *data,
                  int64_t *lead, char deadline[11], struct err *e)
{
    (void)a;
    struct hz_state s;
    int rc = hz_load(db, item_id, &s), recat = 0, ret = -1;
    if (rc != DB_OK) return err_db(e, rc == DB_DONE ? DB_ERR : rc, "reading the hazard");
    *lead = 0;
    deadline[0] = '\0';
    if (triage_fields(db, body, data, &s, &recat, e) || triage_choices(db, body, lead, deadline, e))
        goto out;
    if (s.category_id && triage_route(db, &s, recat, data, lead, e)) goto out;
    rc = hz_store(db, item_id, &s);
    if (rc != DB_OK) {
        err_db(e, rc, "triaging");
        goto out;
    }
    ret = campaign_attach_hazard(db, item_id, 0, e);
out:
    free(s.plan);
    return ret;
}

/* Set one timestamp or date column of the hazard row. */
static int hz_set(struct db *db, int64_t id, const char *sql, int64_t v, const char *text)
{
    struct db_stmt *st = db_prepare(db, sql);
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, id);
    if (text)
        db_bind_text(st, 2, text, (size_t)-1);
    else if (v)
        db_bind_int64(st, 2, v);
    else
        db_bind_null(st, 2);
    int rc = db_step(st);
    db_finalize(st);
    return rc == DB_DONE ? DB_OK : rc;
}

static int hz_assign(struct db *db, const struct actor *a, int64_t id, json_t *data, int *listed,
                     struct err *e)
{
    struct hz_state s;
    int rc = hz_load(db, id, &s);
    if (rc != DB_OK) return err_db(e, rc == DB_DONE ? DB_ERR : rc, "reading the hazard");
    char missing[128];
    int ret = 0, n = plan_missing(s.plan, missing, sizeof missing);
    if (!s.level[0] || !s.category_id)
        ret = err_set(e, 409, "triage_required",
                      "triage the hazard first: it needs a level and a category");
    else if (!strcmp(s.level, "major") && n)
        ret = err_set(e, 409, "plan_required",
                      "a major hazard needs the six-part remediation plan before assignment;"
                      " missing: %s",
                      missing);
    free(s.plan);
    if (ret || strcmp(s.level, "major")) return ret;
    /* 挂牌督办: the listing is recorded once, as escalation level 3 */
    int64_t now = time_now_ms(), already = 0;
    rc = db_query_int64(db,
                        "SELECT count(*) FROM hazards WHERE item_id = ?1 AND listed_at IS NOT NULL",
                        1, id, &already);
    if (rc != DB_OK) return err_db(e, rc, "listing");
    if (already) return 0;
    rc = hz_set(db, id, "UPDATE hazards SET listed_at = ?2 WHERE item_id = ?1", now, NULL);
    struct db_stmt *st = rc == DB_OK ? db_prepare(db, "INSERT INTO escalations (item_id, user_id,"
                                                      " at, level, text) VALUES (?1, ?2, ?3, 3,"
                                                      " '重大隐患挂牌督办')")
                                     : NULL;
    if (!st) return err_db(e, rc == DB_OK ? DB_ERR : rc, "listing");
    db_bind_int64(st, 1, id);
    if (a->user_id)
        db_bind_int64(st, 2, a->user_id);
    else
        db_bind_null(st, 2);
    db_bind_int64(st, 3, now);
    rc = db_step(st);
    db_finalize(st);
    if (rc != DB_DONE) return err_db(e, rc, "listing");
    json_object_set_new(data, "listed", json_true());
    *listed = 1;
    return 0;
}

static int hz_submit(struct db *db, int64_t id, json_t *data, struct err *e)
{
    int64_t photos = 0, days = 10;
    int rc = db_query_int64(db,
                            "SELECT count(*) FROM hazard_photos WHERE item_id = ?1"
                            " AND phase = 'after'",
                            1, id, &photos);
    if (rc != DB_OK) return err_db(e, rc, "reading photos");
    if (!photos)
        return err_set(e, 409, "photo_required",
                       "upload a photo of the rectified site (phase after) before submitting");
    struct db_stmt *st =
        db_prepare(db, "SELECT value FROM settings WHERE key = 'hazard.acceptance_days'");
    if (st && db_step(st) == DB_ROW) {
        int64_t v;
        const char *s = db_column_text(st, 0);
        if (!str_to_int64(s, strlen(s), &v) && v > 0 && v < 366) days = v;
    }
    db_finalize(st);
    char today[11], due[11];
    date_format(time_today(), today);
    date_format(time_today() + (int32_t)days, due);
    rc = hz_set(db, id, "UPDATE hazards SET submitted_on = ?2 WHERE item_id = ?1", 0, today);
    if (rc == DB_OK)
        rc = hz_set(db, id, "UPDATE hazards SET acceptance_due = ?2 WHERE item_id = ?1", 0, due);
    if (rc != DB_OK) return err_db(e, rc, "submitting");
    json_object_set_new(data, "after_photos", json_integer(photos));
    json_object_set_new(data, "acceptance_due", json_string(due));
    return 0;
}

static int hz_close(struct db *db, int64_t id, json_t *data, int verify, struct err *e)
{
    int64_t now = time_now_ms(), listed = 0;
    int rc = hz_set(db, id, "UPDATE hazards SET closed_at = ?2 WHERE item_id = ?1", now, NULL);
    if (rc == DB_OK && verify)
        rc = db_query_int64(db,
                            "SELECT count(*) FROM hazards WHERE item_id = ?1"
                            " AND listed_at IS NOT NULL AND delisted_at IS NULL",
                            1, id, &listed);
    if (rc == DB_OK && listed) {
        rc = hz_set(db, id, "UPDATE hazards SET delisted_at = ?2 WHERE item_id = ?1", now, NULL);
        json_object_set_new(data, "delisted", json_true()); /* 摘牌 */
    }
    return rc == DB_OK ? 0 : err_db(e, rc, "closing the hazard");
}

static int hz_duplicate(struct db *db, int64_t id, json_t *body, json_t *data, struct err *e)
{
    json_t *v = json_object_get(body, "duplicate_of");
    if (!v || json_is_null(v)) return 0;
    if (!json_is_integer(v) || json_integer_value(v) <= 0 || json_integer_value(v) == id)
        return err_set(e, 422, "invalid_field", "'duplicate_of' must be another hazard's id");
    int64_t orig = json_integer_value(v), n = 0;
    /* the original is a hazard that is not itself a duplicate: links stay one deep */
    int rc = db_query_int64(db,
                            "SELECT count(*) FROM hazards WHERE item_id = ?1"
                            " AND duplicate_of IS NULL",
                            1, orig, &n);
    if (rc != DB_OK) return err_db(e, rc, "reading the original");
    if (!n)
        return err_set(e, 422, "invalid_field", "item %lld is not an original hazard",
                       (long long)orig);
    rc = hz_set(db, id, "UPDATE hazards SET duplicate_of = ?2 WHERE item_id = ?1", orig, NULL);
    if (rc != DB_OK) return err_db(e, rc, "linking the duplicate");
    json_object_set(data, "duplicate_of", v);
    return 0;
}

int hazard_act(struct db *db, const struct actor *a, int64_t item_id, const char *action,
               json_t *body, json_t *data, int *listed, struct err *e)
{
    *listed = 0;
    if (!strcmp(action, "assign")) return hz_assign(db, a, item_id, data, listed, e);
    if (!strcmp(action, "submit")) return hz_submit(db, item_id, data, e);
    if (!strcmp(action, "verify")) return hz_close(db, item_id, data, 1, e);
    if (!strcmp(action, "cancel"))
        return hz_duplicate(db, item_id, body, data, e) || hz_close(db, item_id, data, 0, e);
    return 0;
}
