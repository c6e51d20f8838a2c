/* hazards.c — the hazard loop and campaigns over /api/v1: reporting a
 * hazard, reading it with its hazard part, photos (raw upload and serving),
 * categories, routing rules, campaigns and their figures.
 *
 * The loop's actions (triage, assign … verify) go through POST
 * /api/v1/items/{id}/actions like every item's; writes here are core
 * functions run as durable write jobs.  Object-level checks are core's
 * (perm.h, hazard_photo_may). */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "core/campaign.h"
#include "core/hazard.h"
#include "core/item.h"
#include "core/perm.h"
#include "http/req.h"
#include "util/str.h"

/* The reader connection or a 503 already replied. */
static struct db *api_db(struct req *r)
{
    struct db *db = req_db(r);
    if (!db)
        req_reply_error(r, 503, "database_unavailable", NULL, "the database cannot be reached");
    return db;
}

/* The item JSON with its "hazard" part, or NULL after replying. */
static json_t *hazard_item(struct req *r, int64_t id)
{
    struct err e = {0};
    struct db *db = api_db(r);
    if (!db) return NULL;
    json_t *v = item_get_json(db, r->actor, id, &e);
    json_t *h = v ? hazard_json(db, id, &e) : NULL;
    if (!h) {
        json_decref(v);
        req_reply_err(r, &e);
        return NULL;
    }
    json_object_set_new(v, "hazard", h);
    return v;
}

/* ---- POST /api/v1/hazards ---- */

struct hazard_new {
    struct hazard_input in;
    const struct actor *actor;
    int64_t id;
    struct err e;
};

static int hazard_new_job(struct db *db, void *ctx)
{
    struct hazard_new *n = ctx;
    memset(&n->e, 0, sizeof n->e);
    return hazard_create(db, n->actor, &n->in, &n->id, &n->e) ? DB_ERR : DB_OK;
}

static void hazard_new_done(struct req *r)
{
    struct hazard_new *n = r->state;
    hazard_input_free(&n->in);
    if (r->job_rc != DB_OK) {
        if (!n->e.status) err_db(&n->e, r->job_rc, "reporting a hazard");
        req_reply_err(r, &n->e);
        return;
    }
    json_t *v = hazard_item(r, n->id);
    if (!v) return;
    req_add_header(r, "Location", arena_printf(r->arena, "/api/v1/hazards/%lld", (long long)n->id));
    req_reply_json(r, 201, v);
}

void api_hazards_create(struct req *r)
{
    struct hazard_new *n = arena_alloc(r->arena, sizeof *n);
    if (hazard_input_parse(r->json, &n->in, &n->e)) {
        hazard_input_free(&n->in);
        req_reply_err(r, &n->e);
        return;
    }
    n->actor = r->actor;
    req_defer_write(r, hazard_new_job, n, hazard_new_done);
}

void api_hazard_get(struct req *r)
{
    json_t *v = hazard_item(r, r->params[0]);
    if (v) req_reply_json(r, 200, v);
}

/* ---- photos ---- */

struct photo_new {
    const struct actor *actor;
    int64_t item_id, photo_id;
    const char *phase;
    const unsigned char *data;
    size_t len;
    struct err e;
};

static int photo_new_job(struct db *db, void *ctx)
{
    struct photo_new *p = ctx;
    memset(&p->e, 0, sizeof p->e);
    if (hazard_photo_may(db, p->actor, p->item_id, p->phase, &p->e)) return DB_ERR;
    return hazard_photo_upload(db, p->actor, p->item_id, p->phase, p->data, p->len, &p->photo_id,
                               &p->e)
               ? DB_ERR
               : DB_OK;
}

static void photo_new_done(struct req *r)
{
    struct photo_new *p = r->state;
    if (r->job_rc != DB_OK) {
        if (!p->e.status) err_db(&p->e, r->job_rc, "storing a photo");
        req_reply_err(r, &p->e);
        return;
    }
    const char *url = arena_printf(r->arena, "/photos/%lld", (long long)p->photo_id);
    req_add_header(r, "Location", url);
    req_reply_json(r, 201,
                   json_pack("{s:I,s:I,s:s,s:s}", "id", (json_int_t)p->photo_id, "item_id",
                             (json_int_t)p->item_id, "phase", p->phase, "url", url));
}

void api_item_photo_add(struct req *r)
{
    struct photo_new *p = arena_alloc(r->arena, sizeof *p);
    p->actor = r->actor;
    p->item_id = r->params[0];
    p->phase = req_query(r, "phase");
    if (!p->phase || !*p->phase) p->phase = "report";
    p->data = (const unsigned char *)r->body.data;
    p->len = r->body.len;
    if (!p->data || !hazard_photo_check(p->data, p->len)) {
        req_reply_error(r, 422, "invalid_photo", NULL,
                        "the body is not a JPEG or PNG image of at most %d bytes",
                        HAZARD_PHOTO_MAX);
        return;
    }
    req_defer_write(r, photo_new_job, p, photo_new_done);
}

void api_photo_get(struct req *r)
{
    struct db *db = req_db(r);
    if (!db) {
        req_reply_error(r, 503, "database_unavailable", NULL, "the database cannot be reached");
        return;
    }
    int64_t item = 0;
    char mime[16];
    char *b64 = NULL;
    int rc = hazard_photo_get(db, r->params[0], &item, mime, &b64);
    int vis = rc == DB_OK ? perm_item_visible(db, r->actor, item) : 0;
    if (rc == DB_OK && vis == 0 && (r->actor->roles & ROLE_REPORTER)) {
        /* a reporter sees the photos of the hazards of their grid or place */
        int64_t grid = 0, place = 0;
        if (hazard_units(db, item, &grid, &place) == DB_OK)
            vis = r->actor->unit_id && (grid == r->actor->unit_id || place == r->actor->unit_id);
    }
    if (rc != DB_OK || vis <= 0) {
        free(b64);
        if (rc == DB_OK || rc == DB_DONE)
            req_reply_error(r, 404, "not_found", NULL, "no such photo");
        else
            req_reply_error(r, 503, "database_unavailable", NULL, "the database cannot be read");
        return;
    }
    size_t n = strlen(b64), len = 0;
    buf_reset(&r->out);
    char *bin = arena_alloc(r->arena, n / 4 * 3 + 3);
    if (sodium_base642bin((unsigned char *)bin, n / 4 * 3 + 3, b64, n, NULL, &len, NULL,
                          sodium_base64_VARIANT_ORIGINAL) ||
        buf_append(&r->out, bin, len)) {
        free(b64);
        req_reply_error(r, 500, "internal", NULL, "the stored photo cannot be read");
        return;
    }
    free(b64);
    req_add_header(r, "Cache-Control", "private, max-age=86400");
    req_reply_body(r, 200, strcmp(mime, "image/png") ? "image/jpeg" : "image/png");
}

/* ---- categories and routing ---- */

void api_hazard_categories(struct req *r)
{
    struct err e = {0};
    struct db *db = api_db(r);
    if (!db) return;
    json_t *v = hazard_categories_json(db, &e);
    if (v)
        req_reply_json(r, 200, v);
    else
        req_reply_err(r, &e);
}

void api_hazard_routes(struct req *r)
{
    struct err e = {0};
    struct db *db = api_db(r);
    if (!db) return;
    const char *h = req_query(r, "history");
    json_t *v = hazard_routes_json(db, h && !strcmp(h, "1"), &e);
    if (v)
        req_reply_json(r, 200, v);
    else
        req_reply_err(r, &e);
}

struct route_set {
    const struct actor *actor;
    const char *category;
    int64_t area, unit;
    struct err e;
};

static int route_set_job(struct db *db, void *ctx)
{
    struct route_set *s = ctx;
    memset(&s->e, 0, sizeof s->e);
    return hazard_route_set(db, s->actor, s->category, s->area, s->unit, &s->e) ? DB_ERR : DB_OK;
}

static void route_set_done(struct req *r)
{
    struct route_set *s = r->state;
    if (r->job_rc != DB_OK) {
        if (!s->e.status) err_db(&s->e, r->job_rc, "routing");
        req_reply_err(r, &s->e);
        return;
    }
    api_hazard_routes(r);
}

void api_hazard_routes_set(struct req *r)
{
    struct route_set *s = arena_alloc(r->arena, sizeof *s);
    json_t *area = json_object_get(r->json, "area_unit_id");
    json_t *unit = json_object_get(r->json, "unit_id");
    s->category = json_string_value(json_object_get(r->json, "category"));
    if (!json_is_object(r->json) || json_object_size(r->json) > 3 || !s->category ||
        !json_is_integer(unit) || (area && !json_is_null(area) && !json_is_integer(area))) {
        req_reply_error(r, 422, "invalid_field", NULL,
                        "send {\"category\": code, \"area_unit_id\": id or null, \"unit_id\": id}");
        return;
    }
    s->actor = r->actor;
    s->unit = json_integer_value(unit);
    s->area = json_is_integer(area) ? json_integer_value(area) : 0;
    req_defer_write(r, route_set_job, s, route_set_done);
}

/* ---- campaigns ---- */

void api_campaigns_list(struct req *r)
{
    struct err e = {0};
    struct db *db = api_db(r);
    if (!db) return;
    json_t *v = campaign_list_json(db, &e);
    if (v)
        req_reply_json(r, 200, v);
    else
        req_reply_err(r, &e);
}

void api_campaign_get(struct req *r)
{
    struct err e = {0};
    struct db *db = api_db(r);
    if (!db) return;
    json_t *v = campaign_figures_json(db, r->params[0], &e);
    if (v)
        req_reply_json(r, 200, v);
    else
        req_reply_err(r, &e);
}

struct campaign_job {
    const struct actor *actor;
    json_t *body;
    int64_t id, item_id;
    struct err e;
};

static int campaign_new_job(struct db *db, void *ctx)
{
    struct campaign_job *j = ctx;
    memset(&j->e, 0, sizeof j->e);
    return campaign_create(db, j->actor, j->body, &j->id, &j->e) ? DB_ERR : DB_OK;
}

static int campaign_attach_job(struct db *db, void *ctx)
{
    struct campaign_job *j = ctx;
    memset(&j->e, 0, sizeof j->e);
    return campaign_attach_item(db, j->id, j->item_id, &j->e) ? DB_ERR : DB_OK;
}

static void campaign_job_done(struct req *r)
{
    struct campaign_job *j = r->state;
    if (r->job_rc != DB_OK) {
        if (!j->e.status) err_db(&j->e, r->job_rc, "writing the campaign");
        req_reply_err(r, &j->e);
        return;
    }
    struct err e = {0};
    struct db *db = api_db(r);
    if (!db) return;
    json_t *v = campaign_figures_json(db, j->id, &e);
    if (!v) {
        req_reply_err(r, &e);
        return;
    }
    req_reply_json(r, j->item_id ? 200 : 201, v);
}

void api_campaigns_create(struct req *r)
{
    struct campaign_job *j = arena_alloc(r->arena, sizeof *j);
    j->actor = r->actor;
    j->body = r->json;
    req_defer_write(r, campaign_new_job, j, campaign_job_done);
}

void api_campaign_attach(struct req *r)
{
    struct campaign_job *j = arena_alloc(r->arena, sizeof *j);
    json_t *item = json_object_get(r->json, "item_id");
    if (!json_is_object(r->json) || json_object_size(r->json) != 1 || !json_is_integer(item) ||
        json_integer_value(item) <= 0) {
        req_reply_error(r, 422, "invalid_field", NULL, "send {\"item_id\": id}");
        return;
    }
    j->actor = r->actor;
    j->id = r->params[0];
    j->item_id = json_integer_value(item);
    req_defer_write(r, campaign_attach_job, j, campaign_job_done);
}
