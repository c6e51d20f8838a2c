/* requests.c — the enterprise request's own endpoints (docs/requests.md):
 * filing by an enterprise (POST /api/v1/requests, the same body and the
 * same core path as POST /api/v1/items with kind request), the categories
 * with their time limits (read by everyone, set by admins), the routing
 * rules category × area → unit (the office's), and the figures.  The
 * loop's actions are the items' (POST /api/v1/items/{id}/actions). */
#include <string.h>

#include "api/api.h"
#include "core/request.h"
#include "http/req.h"
#include "http/write.h"
#include "util/str.h"
#include "util/time.h"

void api_requests_create(struct req *r)
{
    json_t *kind = json_is_object(r->json) ? json_object_get(r->json, "kind") : NULL;
    if (kind && !(json_is_string(kind) && !strcmp(json_string_value(kind), "request"))) {
        req_reply_error(r, 422, "invalid_field", NULL,
                        "POST /api/v1/requests files requests: 'kind' is 'request' or absent");
        return;
    }
    if (json_is_object(r->json)) json_object_set_new(r->json, "kind", json_string("request"));
    api_items_file(r);
}

void api_request_categories(struct req *r)
{
    struct err e = {0};
    struct db *db = api_db(r);
    if (!db) return;
    json_t *v = request_categories_json(db, &e);
    if (v)
        req_reply_json(r, 200, v);
    else
        req_reply_err(r, &e);
}

/* ---- setting a category ---- */

struct category_set {
    struct write_job job;
    struct request_category c;
    int added;
};

static int category_set_run(struct db *db, struct write_job *j)
{
    struct category_set *s = WRITE_OF(j, struct category_set);
    return request_category_set(db, j->actor, &s->c, &s->added, &j->e);
}

/* The categories as they are now: 201 when one was added, 200 otherwise. */
static void category_set_done(struct req *r, struct write_job *j)
{
    struct err e = {0};
    struct db *db = api_db(r);
    if (!db) return;
    json_t *v = request_categories_json(db, &e);
    if (v)
        req_reply_json(r, WRITE_OF(j, struct category_set)->added ? 201 : 200, v);
    else
        req_reply_err(r, &e);
}

static const struct write_ops category_set_ops = {
    .what = "setting a category", .run = category_set_run, .done = category_set_done};

/* An optional string field of the body into *out; -1 after a 422. */
static int opt_string(struct req *r, const char *name, size_t max, const char **out)
{
    json_t *v = json_object_get(r->json, name);
    *out = NULL;
    if (!v || json_is_null(v)) return 0;
    if (!json_is_string(v) || !json_string_length(v) || json_string_length(v) > max) {
        req_reply_error(r, 422, "invalid_field", NULL, "'%s' must be text of 1 to %zu bytes", name,
                        max);
        return -1;
    }
    *out = json_string_value(v);
    return 0;
}

void api_request_categories_set(struct req *r)
{
    json_t *days = json_is_object(r->json) ? json_object_get(r->json, "limit_days") : NULL;
    if (!json_is_object(r->json) || !json_is_string(json_object_get(r->json, "code")) ||
        (days && !json_is_null(days) && !json_is_integer(days))) {
        req_reply_error(r, 422, "invalid_field", NULL,
                        "send {\"code\", \"name\", \"name_en\", \"limit_days\": working days}");
        return;
    }
    struct category_set *s = WRITE_NEW(r, struct category_set, &category_set_ops);
    s->c.code = json_string_value(json_object_get(r->json, "code"));
    s->c.limit_days = json_is_integer(days) ? json_integer_value(days) : -1;
    if (s->c.limit_days < -1) s->c.limit_days = 61; /* refused by core's range */
    if (opt_string(r, "name", 200, &s->c.name) || opt_string(r, "name_en", 200, &s->c.name_en))
        return;
    write_start(r, &s->job);
}

/* ---- routing ---- */

void api_request_routes(struct req *r)
{
    struct err e = {0};
    struct db *db = api_db(r);
    if (!db) return;
    json_t *v = request_routes_json(db, &e);
    if (v)
        req_reply_json(r, 200, v);
    else
        req_reply_err(r, &e);
}

struct route_set {
    struct write_job job;
    const char *category;
    int64_t area, unit;
};

static int route_set_run(struct db *db, struct write_job *j)
{
    struct route_set *s = WRITE_OF(j, struct route_set);
    return request_route_set(db, j->actor, s->category, s->area, s->unit, &j->e);
}

static void route_set_done(struct req *r, struct write_job *j)
{
    (void)j;
    api_request_routes(r);
}

static const struct write_ops route_set_ops = {
    .what = "routing", .run = route_set_run, .done = route_set_done};

void api_request_routes_set(struct req *r)
{
    json_t *area = json_object_get(r->json, "area_unit_id");
    json_t *unit = json_object_get(r->json, "unit_id");
    const char *category = json_string_value(json_object_get(r->json, "category"));
    if (!json_is_object(r->json) || json_object_size(r->json) > 3 || !category ||
        !(json_is_integer(unit) || json_is_null(unit)) ||
        (area && !json_is_null(area) && !json_is_integer(area))) {
        req_reply_error(r, 422, "invalid_field", NULL,
                        "send {\"category\": code, \"area_unit_id\": id or null, \"unit_id\": id"
                        " (null: remove the rule)}");
        return;
    }
    struct route_set *s = WRITE_NEW(r, struct route_set, &route_set_ops);
    s->category = category;
    s->unit = json_is_integer(unit) ? json_integer_value(unit) : 0;
    s->area = json_is_integer(area) ? json_integer_value(area) : 0;
    write_start(r, &s->job);
}

/* A date of the query (YYYY-MM-DD) or NULL; -1 after a 422. */
static int query_date(struct req *r, const char *name, const char **out)
{
    int32_t day;
    *out = req_query(r, name);
    if (*out && !**out) *out = NULL;
    if (*out && date_parse(*out, strlen(*out), &day)) {
        req_reply_error(r, 422, "invalid_field", NULL, "'%s' must be a date as YYYY-MM-DD", name);
        return -1;
    }
    return 0;
}

void api_request_stats(struct req *r)
{
    const char *from, *to, *u = req_query(r, "unit");
    int64_t unit = 0;
    if (query_date(r, "from", &from) || query_date(r, "to", &to)) return;
    if (u && *u && (str_to_int64(u, strlen(u), &unit) || unit <= 0)) {
        req_reply_error(r, 422, "invalid_field", NULL, "'unit' must be a unit id");
        return;
    }
    struct err e = {0};
    struct db *db = api_db(r);
    if (!db) return;
    json_t *v = request_stats_json(db, from, to, unit, &e);
    if (v)
        req_reply_json(r, 200, v);
    else
        req_reply_err(r, &e);
}
