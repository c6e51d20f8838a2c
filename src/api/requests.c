/* requests.c — the enterprise request's own endpoints (docs/requests.md):
 * filing by an enterprise (POST /api/v1/requests, the same body and the
 * same core path as POST /api/v1/items with kind request), the categories
 * with their time limits, and the figures.  The loop's actions are the
 * items' (POST /api/v1/items/{id}/actions). */
#include <string.h>

#include "api/api.h"
#include "core/request.h"
#include "http/req.h"
#include "util/str.h"
#include "util/time.h"

static struct db *api_db(struct req *r)
{
    struct db *db = req_db(r);
    if (!db)
        req_reply_error(r, 503, "database_unavailable", NULL, "the database cannot be reached");
    return db;
}

void api_requests_create(struct req *r)
{
    json_t *kind = json_is_object(r->json) ? json_object_get(r->json, "kind") : NULL;
    if (kind && !(json_is_string(kind) && !strcmp(json_string_value(kind), "request"))) {
        req_reply_error(r, 422, "invalid_field", NULL,
                        "POST /api/v1/requests files requests: 'kind' is 'request' or absent");
        return;
    }
    if (json_is_object(r->json)) json_object_set_new(r->json, "kind", json_string("request"));
    api_items_create(r);
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
