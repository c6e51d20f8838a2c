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
#include "api/export.h"
#include "core/campaign.h"
#include "core/hazard.h"
#include "core/item.h"
#include "core/perm.h"
#include "http/req.h"
#include "http/write.h"
#include "notice/export.h"
#include "notice/item_export.h"
#include "util/str.h"

/* The item JSON as a sees it, with its "hazard" part; NULL with e. */
static json_t *hazard_load(struct db *db, const struct actor *a, int64_t id, struct err *e)
{
    json_t *v = item_get_json(db, a, id, e);
    json_t *h = v ? hazard_json(db, id, e) : NULL;
    if (!h) {
        json_decref(v);
        return NULL;
    }
    json_object_set_new(v, "hazard", h);
    return v;
}

/* ---- POST /api/v1/hazards ---- */

struct hazard_new {
    struct write_job job;
    struct hazard_input in;
};

static int hazard_new_run(struct db *db, struct write_job *j)
{
    return hazard_create(db, j->actor, &WRITE_OF(j, struct hazard_new)->in, &j->id, &j->e);
}

static void hazard_new_release(struct write_job *j)
{
    hazard_input_free(&WRITE_OF(j, struct hazard_new)->in);
}

/* 201 with the new hazard as the reporter sees it. */
static const struct write_ops hazard_new_ops = {.what = "reporting a hazard",
                                                .run = hazard_new_run,
                                                .load = hazard_load,
                                                .status = 201,
                                                .location = "/api/v1/hazards/",
                                                .release = hazard_new_release};

void api_hazards_create(struct req *r)
{
    struct hazard_new *n = WRITE_NEW(r, struct hazard_new, &hazard_new_ops);
    if (hazard_input_parse(r->json, &n->in, &n->job.e)) {
        write_refuse(r, &n->job);
        return;
    }
    write_start(r, &n->job);
}

void api_hazard_get(struct req *r)
{
    write_reply_loaded(r, hazard_load, r->params[0], 200, NULL);
}

/* ---- photos ---- */

struct photo_new {
    struct write_job job; /* id: the photo's */
    int64_t item_id;
    const char *phase;
    const unsigned char *data;
    size_t len;
};

static int photo_new_run(struct db *db, struct write_job *j)
{
    struct photo_new *p = WRITE_OF(j, struct photo_new);
    if (hazard_photo_may(db, j->actor, p->item_id, p->phase, &j->e)) return -1;
    return hazard_photo_upload(db, j->actor, p->item_id, p->phase, p->data, p->len, &j->id, &j->e);
}

static void photo_new_done(struct req *r, struct write_job *j)
{
    struct photo_new *p = WRITE_OF(j, struct photo_new);
    const char *url = arena_printf(r->arena, "/photos/%lld", (long long)j->id);
    write_reply_json(r, 201, url,
                     json_pack("{s:I,s:I,s:s,s:s}", "id", (json_int_t)j->id, "item_id",
                               (json_int_t)p->item_id, "phase", p->phase, "url", url));
}

static const struct write_ops photo_new_ops = {
    .what = "storing a photo", .run = photo_new_run, .done = photo_new_done};

void api_item_photo_add(struct req *r)
{
    struct photo_new *p = WRITE_NEW(r, struct photo_new, &photo_new_ops);
    p->item_id = r->params[0];
    p->phase = req_query(r, "phase");
    if (!p->phase || !*p->phase) p->phase = "report";
    p->data = (const unsigned char *)r->body.data;
    p->len = r->body.len;
    if (!p->data || !hazard_photo_check(p->data, p->len)) {
        req_reply_error(r, 422, "invalid_photo", NULL,
                        "the body is not a JPEG or PNG image of at most %d bytes, %d pixels a"
                        " side and %lld pixels in all",
                        HAZARD_PHOTO_MAX, HAZARD_PHOTO_SIDE, (long long)HAZARD_PHOTO_PIXELS);
        return;
    }
    write_start(r, &p->job);
}

void api_photo_get(struct req *r)
{
    struct db *db = api_db(r);
    if (!db) return;
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
    /* private: no copy may outlive the session (the server's default no-store) */
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
    struct write_job job;
    const char *category;
    int64_t area, unit;
};

static int route_set_run(struct db *db, struct write_job *j)
{
    struct route_set *s = WRITE_OF(j, struct route_set);
    return hazard_route_set(db, j->actor, s->category, s->area, s->unit, &j->e);
}

/* The rules as they are now, as GET answers them. */
static void route_set_done(struct req *r, struct write_job *j)
{
    (void)j;
    api_hazard_routes(r);
}

static const struct write_ops route_set_ops = {
    .what = "routing", .run = route_set_run, .done = route_set_done};

void api_hazard_routes_set(struct req *r)
{
    struct route_set *s = WRITE_NEW(r, struct route_set, &route_set_ops);
    json_t *area = json_object_get(r->json, "area_unit_id");
    json_t *unit = json_object_get(r->json, "unit_id");
    s->category = json_string_value(json_object_get(r->json, "category"));
    if (!json_is_object(r->json) || json_object_size(r->json) > 3 || !s->category ||
        !json_is_integer(unit) || (area && !json_is_null(area) && !json_is_integer(area))) {
        req_reply_error(r, 422, "invalid_field", NULL,
                        "send {\"category\": code, \"area_unit_id\": id or null, \"unit_id\": id}");
        return;
    }
    s->unit = json_integer_value(unit);
    s->area = json_is_integer(area) ? json_integer_value(area) : 0;
    write_start(r, &s->job);
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

/* it's value of key, or JSON null when it has none (a new reference). */
static json_t *value_or_null(json_t *it, const char *key)
{
    json_t *v = json_object_get(it, key);
    return v ? json_incref(v) : json_null();
}

/* A campaign's items the caller sees (ids) as flat rows for table_export,
 * statuses and lights in Chinese as the item list's export has them; NULL
 * with e. */
static json_t *campaign_rows(struct db *db, const struct actor *a, json_t *ids, struct err *e)
{
    static const char *const keys[] = {"id", "title", "deadline", "progress", "created_at"};
    json_t *rows = json_array(), *id;
    size_t i;
    json_array_foreach(ids, i, id)
    {
        json_t *it = item_get_json(db, a, json_integer_value(id), e);
        if (!it) return json_decref(rows), NULL;
        json_t *row = json_object();
        for (size_t k = 0; k < sizeof keys / sizeof *keys; k++)
            json_object_set_new(row, keys[k], value_or_null(it, keys[k]));
        const char *status = json_string_value(json_object_get(it, "status"));
        const char *light = json_string_value(json_object_get(it, "light"));
        json_object_set_new(row, "status", json_string(status ? export_status_zh(status) : ""));
        json_object_set_new(row, "light", json_string(light ? export_light_zh(light) : ""));
        json_object_set_new(row, "lead", value_or_null(json_object_get(it, "lead_unit"), "name"));
        json_array_append_new(rows, row);
        json_decref(it);
    }
    return rows;
}

/* The campaign's items as a file (format csv or xlsx): 专项行动-YYYY-MM-DD. */
static void campaign_file(struct req *r, struct db *db, json_t *v, int xlsx)
{
    static const struct table_col cols[] = {
        {"编号", 8, "id", TABLE_INT},          {"事项", 40, "title", TABLE_TEXT},
        {"状态", 10, "status", TABLE_TEXT},    {"预警", 8, "light", TABLE_TEXT},
        {"牵头单位", 22, "lead", TABLE_TEXT},  {"期限", 12, "deadline", TABLE_DATE},
        {"进度(%)", 8, "progress", TABLE_INT}, {"上报时间", 26, "created_at", TABLE_TEXT}};
    struct err e = {0};
    json_t *rows = campaign_rows(db, r->actor, json_object_get(v, "items"), &e);
    json_decref(v);
    int fd;
    uint64_t size;
    if (!rows || table_export(rows, cols, sizeof cols / sizeof *cols, "专项行动",
                              xlsx ? ITEM_EXPORT_XLSX : ITEM_EXPORT_CSV, &fd, &size, &e)) {
        json_decref(rows);
        req_reply_err(r, &e);
        return;
    }
    json_decref(rows);
    api_send_export(r, fd, size, xlsx, "campaign", "专项行动");
}

void api_campaign_get(struct req *r)
{
    struct err e = {0};
    int format = api_format(r);
    if (format < 0) return;
    struct db *db = api_db(r);
    if (!db) return;
    json_t *v = campaign_figures_json(db, r->actor, r->params[0], &e);
    if (v && format != API_FORMAT_JSON)
        campaign_file(r, db, v, format == API_FORMAT_XLSX);
    else if (v)
        req_reply_json(r, 200, v);
    else
        req_reply_err(r, &e);
}

static int campaign_new_run(struct db *db, struct write_job *j)
{
    return campaign_create(db, j->actor, WRITE_OF(j, struct write_body)->body, &j->id, &j->e);
}

/* An item's id in the body ({"item_id"}, checked) attached to campaign j->id. */
static int campaign_attach_run(struct db *db, struct write_job *j)
{
    json_t *item = json_object_get(WRITE_OF(j, struct write_body)->body, "item_id");
    return campaign_attach_item(db, j->id, json_integer_value(item), &j->e);
}

static json_t *campaign_load(struct db *db, const struct actor *a, int64_t id, struct err *e)
{
    return campaign_figures_json(db, a, id, e);
}

/* The campaign's figures: 201 for a new one, 200 after attaching. */
static const struct write_ops campaign_new_ops = {
    .what = "writing the campaign", .run = campaign_new_run, .load = campaign_load, .status = 201};
static const struct write_ops campaign_attach_ops = {.what = "writing the campaign",
                                                     .run = campaign_attach_run,
                                                     .load = campaign_load,
                                                     .status = 200};

void api_campaigns_create(struct req *r)
{
    struct write_body *b = WRITE_NEW(r, struct write_body, &campaign_new_ops);
    b->body = r->json;
    write_start(r, &b->job);
}

void api_campaign_attach(struct req *r)
{
    json_t *item = json_object_get(r->json, "item_id");
    if (!json_is_object(r->json) || json_object_size(r->json) != 1 || !json_is_integer(item) ||
        json_integer_value(item) <= 0) {
        req_reply_error(r, 422, "invalid_field", NULL, "send {\"item_id\": id}");
        return;
    }
    struct write_body *b = WRITE_NEW(r, struct write_body, &campaign_attach_ops);
    b->job.id = r->params[0];
    b->body = r->json;
    write_start(r, &b->job);
}
