/* hazard_input.c — parsing a hazard report, checking it and storing it.
 * See hazard_input.h.  Creating the item itself is item.c's, which calls the
 * hazard kind's hooks (kind_hazard.c) to come back here. */
#include "core/hazard_input.h"

#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/hazard_category.h"
#include "core/hazard_route.h"
#include "core/item.h"
#include "core/text.h"
#include "core/unit.h"
#include "util/mem.h"
#include "util/str.h"
#include "util/utf8.h"

/* ---- parsing a report ---- */

static int str_field(json_t *body, const char *name, size_t max, int required, const char **out,
                     struct err *e)
{
    return text_field(body, name, max, required, out, e);
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

/* ---- checking and storing ---- */

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
        int rc = unit_kind_parent(db, a->unit_id, kind, &parent);
        if (rc < 0) return err_db(e, rc, "reading units");
        if (rc && !strcmp(kind, "grid")) in->grid_unit_id = a->unit_id;
        if (rc && !strcmp(kind, "enterprise")) in->place_unit_id = a->unit_id;
    }
    for (int k = 0; k < 2; k++) {
        int64_t u = k ? in->place_unit_id : in->grid_unit_id;
        if (!u) continue;
        int rc = unit_kind_parent(db, u, kind, &parent);
        if (rc < 0) return err_db(e, rc, "reading units");
        if (!rc)
            return err_set(e, 422, "invalid_field", "no unit with id %lld", (long long)u),
                   err_detail(e, "unit");
        if (!k && strcmp(kind, "grid") && strcmp(kind, "town"))
            return err_set(e, 422, "invalid_field", "'grid_unit_id' must name a grid or a town");
    }
    if (!in->address && !in->has_location && !in->grid_unit_id && !in->place_unit_id)
        return err_set(e, 422, "missing_location",
                       "give a location: 'lat' and 'long', an 'address', or a grid or place");
    return 0;
}

/* Bind text s to column k of st without its blank ends ("" for NULL). */
static void bind_trimmed(struct db_stmt *st, int k, const char *s)
{
    size_t start = 0, n = s ? str_trim(s, strlen(s), &start) : 0;
    db_bind_text(st, k, n ? s + start : "", n);
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
    bind_trimmed(st, 3, in->address);
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
    bind_trimmed(st, 8, in->place_name);
    bind_trimmed(st, 9, in->reporter_name);
    bind_trimmed(st, 10, in->reporter_contact);
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
    char name[241] = ""; /* the category's name, cut between characters past 240 bytes */
    struct db_stmt *st = db_prepare(db, "SELECT name FROM hazard_categories WHERE id = ?1");
    if (st) {
        db_bind_int64(st, 1, cat);
        if (db_step(st) == DB_ROW) utf8_copy(name, sizeof name, db_column_text(st, 0));
        db_finalize(st);
    }
    const char *what = in->address && *in->address ? in->address : in->description;
    size_t start, n = str_trim(what, strlen(what), &start), cut = 0;
    uint32_t cp;
    what += start;
    for (int chars = 0; cut < n && chars < 40; chars++)
        cut += utf8_decode(what + cut, n - cut, &cp);
    snprintf(out, outlen, "%s隐患：%.*s", name, (int)cut, what);
    return out;
}

int hazard_report_check(struct db *db, const struct actor *a, struct hazard_input *in,
                        const char **title, struct err *e)
{
    size_t start; /* a description may be empty (Open311's is optional); the item trims it */
    if (!in->description) in->description = "";
    if (in->address && !str_trim(in->address, strlen(in->address), &start))
        in->address = NULL; /* a blank address is no address */
    int64_t cat = hazard_category_id(db, in->category);
    if (cat < 0) return err_db(e, (int)cat, "reading categories");
    if (!cat)
        return err_set(e, 404, "unknown_category", "no hazard category '%.40s'", in->category);
    if (utf8_count(in->description, strlen(in->description)) > HAZARD_DESC_MAX ||
        (in->address && utf8_count(in->address, strlen(in->address)) > HAZARD_ADDRESS_MAX) ||
        (in->reporter_name && strlen(in->reporter_name) > 300) ||
        (in->reporter_contact && strlen(in->reporter_contact) > 300))
        return err_set(e, 422, "invalid_field",
                       "the description (%d characters), address (%d) or reporter is too long",
                       HAZARD_DESC_MAX, HAZARD_ADDRESS_MAX);
    if (create_units(db, a, in, e) || hazard_attributes_check(db, cat, in->attributes, e))
        return -1;
    in->category_id = cat;
    if (!*title) *title = default_title(db, cat, in, in->default_title, sizeof in->default_title);
    return 0;
}

int hazard_report_store(struct db *db, const struct actor *a, int64_t item_id,
                        const struct hazard_input *in, struct err *e)
{
    int64_t proposed = 0;
    int rc =
        hazard_route_propose(db, in->category_id, in->grid_unit_id, in->place_unit_id, &proposed);
    if (rc >= 0) rc = create_row(db, in, item_id, in->category_id, rc == 1 ? proposed : 0);
    if (rc != DB_OK) return err_db(e, rc, "recording the hazard");
    for (int k = 0; k < in->nphotos; k++) {
        int64_t pid;
        if (hazard_photo_add(db, a, item_id, "report", in->photos[k].data, in->photos[k].len, &pid,
                             e))
            return -1;
    }
    return 0;
}

int hazard_create(struct db *db, const struct actor *a, const struct hazard_input *in0, int64_t *id,
                  struct err *e)
{
    struct hazard_input in = *in0; /* the kind's hooks fill in its derived fields */
    struct item_input it = {0};
    it.kind = "hazard";
    it.title = in.title;
    it.description = in.description;
    it.source = in.campaign_id ? "campaign" : "report";
    it.feedback_cycle = "none";
    it.kind_input = &in;
    return item_create(db, a, &it, id, e);
}
