/* open311.c — Open311 GeoReport v2 under /open311/v2 (docs/open311.md).
 *
 * One route per method (pattern /open311/v2/ followed by a star) leads here; this file is the small
 * sub-dispatcher for the spec's resources, each answered from one JSON model
 * rendered as JSON or XML by the suffix: discovery, services, service
 * definitions, POST requests (with an api_key), GET requests (filters, the
 * 90-day window, page/page_size), one request, tokens (not supported: every
 * service is realtime) and mySociety's servicerequestupdates.  Hazard
 * categories are the services; hazards are the requests.  Errors are the
 * spec's list: 403 for a missing or wrong key, 404 for unknown things, 400
 * for the rest.  What it reads comes from core (core/hazard_public.h, the
 * categories, the settings): no SQL here. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/open311.h"
#include "core/apikey.h"
#include "core/hazard.h"
#include "core/hazard_public.h"
#include "core/item.h"
#include "core/request.h"
#include "core/unit.h"
#include "core/setting.h"
#include "http/req.h"
#include "http/server.h"
#include "http/write.h"
#include "util/str.h"
#include "util/time.h"
#include "util/utf8.h"

#define O311_PREFIX    "/open311/v2/"
#define O311_WINDOW_MS (90LL * 86400 * 1000) /* the longest date range, and the default */
#define O311_MAX       1000                  /* requests in one answer, and the default */
#define O311_MAX_IDS   100                   /* ids in one service_request_id list */

struct o311 {
    struct req *r;
    int xml;
    char resource[64]; /* the path after the prefix, without the format suffix */
};

static void o311_send(struct o311 *o, int status, const char *root, json_t *v)
{
    buf_reset(&o->r->out);
    if (o->xml) {
        open311_xml(&o->r->out, root, v);
        json_decref(v);
        req_reply_body(o->r, status, "text/xml; charset=utf-8");
        return;
    }
    /* 15 significant digits: a coordinate reads as it was given (28.89, not
     * jansson's round-trip 28.890000000000001), and the degrees keep far more
     * than the 7 decimals a phone's fix has */
    char *s = json_dumps(v, JSON_COMPACT | JSON_REAL_PRECISION(15));
    json_decref(v);
    buf_puts(&o->r->out, s ? s : "null");
    free(s);
    req_reply_body(o->r, status, "application/json; charset=utf-8");
}

static void o311_error(struct o311 *o, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void o311_error(struct o311 *o, int status, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    utf8_sanitize(msg);
    o311_send(o, status, "errors", json_pack("[{s:i,s:s}]", "code", status, "description", msg));
}

/* An optional argument: query for GET, form for POST; "" counts as absent. */
static const char *o311_arg(struct o311 *o, const char *name)
{
    const char *v = strcmp(o->r->method, "POST") ? req_query(o->r, name) : req_form(o->r, name);
    return v && *v ? v : NULL;
}

static void iso(int64_t ms, char out[40])
{
    time_format_iso(ms, out, 40);
}

/* ---- discovery and services ---- */

static void o311_discovery(struct o311 *o, struct db *db)
{
    const char *keys[] = {"open311.changeset", "open311.contact", "open311.key_service"};
    const char *vals[3];
    struct err e = {0};
    for (int k = 0; k < 3; k++) {
        if (setting_text(db, keys[k], o->r->arena, &vals[k], &e)) {
            o311_error(o, 500, "the discovery settings cannot be read");
            return;
        }
        if (!vals[k]) vals[k] = "";
    }
    /* the configured public address, never the request's Host */
    const char *url = arena_printf(o->r->arena, "%s/open311/v2", o->r->server->public_url);
    json_t *v = json_pack("{s:s,s:s,s:s,s:[{s:s,s:s,s:s,s:s,s:[s,s]}]}", "changeset", vals[0],
                          "contact", vals[1], "key_service", vals[2], "endpoints", "specification",
                          "http://wiki.open311.org/GeoReport_v2", "url", url, "changeset", vals[0],
                          "type", "production", "formats", "text/xml", "application/json");
    o311_send(o, 200, "discovery", v);
}

static json_t *o311_categories(struct o311 *o, struct db *db)
{
    struct err e = {0};
    json_t *c = hazard_categories_json(db, &e);
    if (!c) o311_error(o, 500, "the services cannot be read");
    return c;
}

/* The request categories as the service group "enterprise" (企业诉求), so
 * a 12345 platform can hand requests over.  0, or -1 after replying. */
static int o311_request_services(struct o311 *o, struct db *db, json_t *out)
{
    struct err e = {0};
    json_t *c = request_categories_json(db, &e), *x;
    size_t i;
    if (!c) {
        json_decref(out);
        o311_error(o, 500, "the services cannot be read");
        return -1;
    }
    json_array_foreach(json_object_get(c, "categories"), i, x)
    {
        json_t *d = json_sprintf("企业诉求：%lld 个工作日内答复 (an enterprise's request, answered"
                                 " within %lld working days)",
                                 (long long)json_integer_value(json_object_get(x, "limit_days")),
                                 (long long)json_integer_value(json_object_get(x, "limit_days")));
        json_array_append_new(out, json_pack("{s:O,s:O,s:o,s:b,s:s,s:O,s:s}", "service_code",
                                             json_object_get(x, "code"), "service_name",
                                             json_object_get(x, "name"), "description", d,
                                             "metadata", 1, "type", "realtime", "keywords",
                                             json_object_get(x, "name_en"), "group", "enterprise"));
    }
    json_decref(c);
    return 0;
}

/* 1 when code is a request category (the group enterprise), 0 when not, or
 * a negative db code. */
static int o311_is_request(struct db *db, const char *code)
{
    int64_t days;
    int rc = request_category_days(db, code, &days);
    return rc == DB_OK ? 1 : rc == DB_DONE ? 0 : rc;
}

static void o311_services(struct o311 *o, struct db *db)
{
    json_t *c = o311_categories(o, db);
    if (!c) return;
    json_t *out = json_array();
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(c, "categories"), i, x)
    {
        json_array_append_new(
            out, json_pack("{s:O,s:O,s:O,s:b,s:s,s:O,s:O}", "service_code",
                           json_object_get(x, "code"), "service_name", json_object_get(x, "name"),
                           "description", json_object_get(x, "description"), "metadata",
                           json_array_size(json_object_get(x, "attributes")) > 0, "type",
                           "realtime", "keywords", json_object_get(x, "name_en"), "group",
                           json_object_get(x, "group")));
    }
    json_decref(c);
    if (o311_request_services(o, db, out)) return;
    o311_send(o, 200, "services", out);
}

static void o311_definition(struct o311 *o, struct db *db, const char *code)
{
    json_t *c = o311_categories(o, db);
    if (!c) return;
    json_t *found = NULL;
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(c, "categories"), i, x)
    {
        if (!strcmp(json_string_value(json_object_get(x, "code")), code)) found = x;
    }
    if (!found) {
        json_decref(c);
        if (o311_is_request(db, code) == 1)
            o311_send(o, 200, "service_definition",
                      json_pack("{s:s,s:[{s:b,s:s,s:s,s:b,s:n,s:i,s:s}]}", "service_code", code,
                                "attributes", "variable", 1, "code", "enterprise", "datatype",
                                "string", "required", 1, "datatype_description", "order", 1,
                                "description",
                                "提出诉求的企业的单位代码 (the code of the enterprise"
                                " that asks)"));
        else
            o311_error(o, 404, "no service with code '%.60s'", code);
        return;
    }
    json_t *attrs = json_array();
    json_array_foreach(json_object_get(found, "attributes"), i, x)
    {
        json_t *a = json_pack(
            "{s:b,s:O,s:O,s:O,s:O,s:I,s:O}", "variable", 1, "code", json_object_get(x, "code"),
            "datatype", json_object_get(x, "datatype"), "required", json_object_get(x, "required"),
            "datatype_description", json_null(), "order", (json_int_t)i + 1, "description",
            json_object_get(x, "description"));
        json_t *vals = json_object_get(x, "values");
        if (vals) json_object_set(a, "values", vals);
        json_array_append_new(attrs, a);
    }
    json_t *v = json_pack("{s:s,s:o}", "service_code", code, "attributes", attrs);
    json_decref(c);
    o311_send(o, 200, "service_definition", v);
}

/* ---- requests ---- */

/* The Open311 status of an internal one: closed when done, archived or cancelled. */
static const char *o311_status(const char *status)
{
    return !strcmp(status, "done") || !strcmp(status, "archived") || !strcmp(status, "cancelled")
               ? "closed"
               : "open";
}

/* A text as Open311 writes it: null when absent or empty. */
static json_t *opt_str(const char *s)
{
    return s && *s ? json_string(s) : json_null();
}

static json_t *request_row(const struct hazard_public *h)
{
    char id[24], req_at[40], upd_at[40], notes[64];
    snprintf(id, sizeof id, "%lld", (long long)h->id);
    iso(h->created_at, req_at);
    iso(h->closed_at ? h->closed_at : h->updated_at, upd_at);
    /* the office's latest public note, else only what the status says */
    if (h->duplicate_of)
        snprintf(notes, sizeof notes, "duplicate of %lld", (long long)h->duplicate_of);
    else
        snprintf(notes, sizeof notes, "%s", h->status);
    json_t *expected = json_null();
    if (h->deadline) {
        char e[64];
        snprintf(e, sizeof e, "%.10sT23:59:59%s", h->deadline, req_at + 19);
        expected = json_string(e);
    }
    return json_pack("{s:s,s:s,s:o,s:o,s:s,s:o,s:o,s:n,s:s,s:s,s:o,s:o,s:n,s:n,s:o,s:o,s:n}",
                     "service_request_id", id, "status", o311_status(h->status), "status_notes",
                     json_string(h->public_note ? h->public_note : notes), "service_name",
                     json_string(h->category_name), "service_code", h->category_code, "description",
                     opt_str(h->description), "agency_responsible", opt_str(h->unit_name),
                     "service_notice", "requested_datetime", req_at, "updated_datetime", upd_at,
                     "expected_datetime", expected, "address", opt_str(h->address), "address_id",
                     "zipcode", "lat", h->has_lat ? json_real(h->lat) : json_null(), "long",
                     h->has_lon ? json_real(h->lon) : json_null(), "media_url");
}

/* Append each hazard handed over to the JSON array ctx. */
static int append_request(void *ctx, const struct hazard_public *h)
{
    json_array_append_new(ctx, request_row(h));
    return 0;
}

/* 1 when s is one of the comma-separated values in list (NULL list: any). */
static int in_list(const char *list, const char *s)
{
    if (!list) return 1;
    size_t n = strlen(s);
    for (const char *p = list; *p;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        if (len == n && !strncmp(p, s, n)) return 1;
        if (!comma) break;
        p = comma + 1;
    }
    return 0;
}

static void o311_one(struct o311 *o, struct db *db, int64_t id)
{
    json_t *arr = json_array();
    struct err e = {0};
    int rc = hazard_public_get(db, id, append_request, arr, &e);
    if (rc == 0) rc = request_public_get(db, id, append_request, arr, &e);
    if (rc <= 0) {
        json_decref(arr);
        if (rc < 0)
            o311_error(o, 500, "the request cannot be read");
        else
            o311_error(o, 404, "no service request %lld", (long long)id);
        return;
    }
    o311_send(o, 200, "service_requests", arr);
}

/* start_date/end_date: the window, at most 90 days, by default the latest 90. */
static int o311_window(struct o311 *o, int64_t *from, int64_t *to)
{
    const char *s = o311_arg(o, "start_date"), *e = o311_arg(o, "end_date");
    int zone = 480; /* a bare date is city time (Asia/Shanghai) */
    if ((s && open311_parse_datetime(s, zone, from)) ||
        (e && open311_parse_datetime(e, zone, to))) {
        o311_error(o, 400, "start_date and end_date must be W3C datetimes with a time zone");
        return -1;
    }
    if (!e) *to = s ? *from + O311_WINDOW_MS : time_now_ms();
    if (!s) *from = *to - O311_WINDOW_MS;
    if (*to < *from) {
        o311_error(o, 400, "end_date is before start_date");
        return -1;
    }
    if (*to - *from > O311_WINDOW_MS) {
        o311_error(o, 400, "the date range may span at most 90 days");
        return -1;
    }
    return 0;
}

static int o311_int(struct o311 *o, const char *name, int64_t def, int64_t max, int64_t *out)
{
    const char *v = o311_arg(o, name);
    *out = def;
    if (v && (str_to_int64(v, strlen(v), out) || *out < 1 || *out > max)) {
        o311_error(o, 400, "%s must be an integer from 1 to %lld", name, (long long)max);
        return -1;
    }
    return 0;
}

/* GET requests with service_request_id: those ids only, other filters ignored. */
static void o311_by_ids(struct o311 *o, struct db *db, const char *ids)
{
    json_t *arr = json_array();
    int n = 0;
    for (const char *p = ids; *p && n < O311_MAX_IDS; n++) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        int64_t id;
        if (str_to_int64(p, len, &id) || id < 1) {
            json_decref(arr);
            o311_error(o, 400, "service_request_id must list integer ids");
            return;
        }
        struct err e = {0};
        if (hazard_public_get(db, id, append_request, arr, &e) < 0) {
            json_decref(arr);
            o311_error(o, 500, "the requests cannot be read");
            return;
        }
        if (!comma) break;
        p = comma + 1;
    }
    o311_send(o, 200, "service_requests", arr);
}

/* A page of the requests in a window, filtered by service codes and
 * statuses (NULL: any), page page of size size. */
struct o311_page {
    const char *codes, *status;
    int64_t skip, size;
    json_t *arr;
};

static int page_row(void *ctx, const struct hazard_public *h)
{
    struct o311_page *pg = ctx;
    if (!in_list(pg->codes, h->category_code) || !in_list(pg->status, o311_status(h->status)))
        return 0;
    if (pg->skip > 0) {
        pg->skip--;
        return 0;
    }
    json_array_append_new(pg->arr, request_row(h));
    return (int64_t)json_array_size(pg->arr) >= pg->size;
}

static void o311_requests(struct o311 *o, struct db *db)
{
    const char *ids = o311_arg(o, "service_request_id");
    if (ids) {
        o311_by_ids(o, db, ids);
        return;
    }
    const char *codes = o311_arg(o, "service_code"), *status = o311_arg(o, "status");
    int bad = 0;
    for (const char *p = status; p && *p && !bad;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        bad = !(len == 4 && !strncmp(p, "open", 4)) && !(len == 6 && !strncmp(p, "closed", 6));
        p = comma ? comma + 1 : p + len;
    }
    if (bad) {
        o311_error(o, 400, "status must be open, closed or both (comma-separated)");
        return;
    }
    int64_t from, to, page, size;
    if (o311_window(o, &from, &to) || o311_int(o, "page", 1, 1000000, &page) ||
        o311_int(o, "page_size", O311_MAX, O311_MAX, &size))
        return;
    struct o311_page pg = {codes, status, (page - 1) * size, size, json_array()};
    struct err e = {0};
    if (hazard_public_window(db, from, to, page_row, &pg, &e)) {
        json_decref(pg.arr);
        o311_error(o, 500, "the requests cannot be read");
        return;
    }
    o311_send(o, 200, "service_requests", pg.arr);
}

/* ---- POST requests ---- */

struct o311_new {
    struct write_job job;
    struct o311 o;
    struct open311_post p;
    struct hazard_input in;
    int is_request;           /* a request category: an enterprise's request, not a hazard */
    struct request_input rin; /* …its own fields */
    struct item_input item;   /* …and the item */
    struct actor actor;
    const char *keyname, *username, *who, *contact, *address;
};

static int o311_new_run(struct db *db, struct write_job *j)
{
    struct o311_new *n = WRITE_OF(j, struct o311_new);
    if (n->is_request) return item_create(db, j->actor, &n->item, &j->id, &j->e);
    return hazard_create(db, j->actor, &n->in, &j->id, &j->e);
}

static void o311_new_done(struct req *r, struct write_job *j)
{
    struct o311_new *n = WRITE_OF(j, struct o311_new);
    char id[24];
    n->o.r = r;
    snprintf(id, sizeof id, "%lld", (long long)j->id);
    o311_send(
        &n->o, 200, "service_requests",
        json_pack("[{s:s,s:s,s:n}]", "service_request_id", id, "service_notice",
                  n->is_request
                      ? "已受理，将交办责任单位按时限答复 (received; it will be assigned and"
                        " answered within its time limit)"
                      : "已受理，将研判后交办责任单位 (received; it will be triaged and assigned)",
                  "account_id"));
}

/* Open311's errors: 404, 400 for bad input, 500 for the rest. */
static void o311_new_refused(struct req *r, struct write_job *j)
{
    struct o311_new *n = WRITE_OF(j, struct o311_new);
    const struct err *e = &j->e;
    n->o.r = r;
    int st = e->status == 404 ? 404 : e->status >= 500 || !e->status ? 500 : 400;
    o311_error(&n->o, st, "%s", e->status ? e->message : "the request could not be stored");
}

static void o311_new_release(struct write_job *j)
{
    open311_post_free(&WRITE_OF(j, struct o311_new)->p);
}

static const struct write_ops o311_new_ops = {.run = o311_new_run,
                                              .done = o311_new_done,
                                              .refused = o311_new_refused,
                                              .release = o311_new_release};

/* Fill the hazard input from the form.  0, or -1 after replying. */
static int o311_new_input(struct o311_new *n)
{
    struct open311_post *p = &n->p;
    struct hazard_input *in = &n->in;
    memset(in, 0, sizeof *in);
    in->category = p->service_code;
    in->description = p->description ? p->description : "";
    in->channel = "open311";
    struct arena *a = n->o.r->arena; /* whole texts: the input's checks say how long */
    if (p->address_string || p->address_id) {
        n->address = arena_printf(a, "%s%s%s", p->address_string ? p->address_string : "",
                                  p->address_string && p->address_id ? " " : "",
                                  p->address_id && !p->address_string ? p->address_id : "");
        in->address = n->address;
    }
    in->has_location = p->has_location, in->lat = p->lat, in->lon = p->lon;
    n->who =
        arena_printf(a, "%s%s%s", p->first_name ? p->first_name : "",
                     p->first_name && p->last_name ? " " : "", p->last_name ? p->last_name : "");
    n->contact = arena_printf(a, "%s%s%s", p->email ? p->email : "",
                              p->email && p->phone ? " " : "", p->phone ? p->phone : "");
    in->reporter_name = n->who;
    in->reporter_contact = n->contact;
    in->attributes = json_object_size(p->attributes) ? p->attributes : NULL;
    return 0;
}

/* An enterprise's request handed over (a 12345 platform): the enterprise by
 * its unit code (attribute[enterprise]), the description as its text and,
 * cut, its title.  0, or -1 after replying. */
static int o311_request_input(struct o311_new *n, struct db *db)
{
    struct open311_post *p = &n->p;
    const char *code = json_string_value(json_object_get(p->attributes, "enterprise"));
    int64_t unit = code ? unit_id_by_code(db, code) : 0;
    const char *bad = !code      ? "attribute[enterprise] is required: the code of the enterprise"
                      : unit < 0 ? NULL
                      : !unit    ? "attribute[enterprise] names no unit"
                      : !p->description || !*p->description ? "description is required"
                                                            : NULL;
    if (unit < 0 || bad) {
        open311_post_free(p);
        o311_error(&n->o, unit < 0 ? 500 : 400, "%s", bad ? bad : "the units cannot be read");
        return -1;
    }
    n->is_request = 1;
    n->rin = (struct request_input){p->service_code, "open311", unit};
    char title[121];
    utf8_copy(title, sizeof title, p->description);
    n->item = (struct item_input){.kind_input = &n->rin,
                                  .kind = "request",
                                  .title = arena_printf(n->o.r->arena, "%s", title),
                                  .description = p->description,
                                  .source = "report",
                                  .feedback_cycle = "none"};
    return 0;
}

static void o311_post(struct o311 *o, struct db *db)
{
    struct o311_new *n = WRITE_NEW(o->r, struct o311_new, &o311_new_ops);
    n->o = *o;
    if (open311_post_parse(o->r->form, o->r->nform, &n->p, &n->job.e)) {
        open311_post_free(&n->p);
        o311_error(o, 400, "%s", n->job.e.message);
        return;
    }
    int64_t key_id = 0;
    int rc = n->p.api_key ? apikey_check(db, n->p.api_key, &key_id, o->r->arena, &n->keyname) : 0;
    if (rc <= 0) {
        open311_post_free(&n->p);
        if (rc < 0)
            o311_error(o, 500, "the key cannot be checked now");
        else
            o311_error(o, 403, n->p.api_key ? "the api_key is not valid" : "api_key is required");
        return;
    }
    int is_request = n->p.service_code ? o311_is_request(db, n->p.service_code) : 0;
    if (is_request == 1 && o311_request_input(n, db)) return;
    const char *missing =
        !n->p.service_code ? "service_code is required"
        : is_request < 0   ? "the services cannot be read"
        : !is_request && !n->p.has_location && !n->p.address_string && !n->p.address_id
            ? "a location is required: lat and long, address_string or address_id"
            : NULL;
    if (missing) {
        open311_post_free(&n->p);
        o311_error(o, 400, "%s", missing);
        return;
    }
    if (!is_request) o311_new_input(n);
    n->in.api_key_id = key_id;
    n->username = arena_printf(o->r->arena, "open311:%s", n->keyname);
    n->actor = (struct actor){0, n->username, 0, 0};
    n->job.actor = &n->actor;
    write_start(o->r, &n->job);
}

/* ---- servicerequestupdates (mySociety) ---- */

/* The steps of the loop in words, and whether each is an update of its own
 * (step 1: the public follows the report through it) or only when it
 * changed the status or carries a public note (step 0: the office's work on
 * it stays inside). */
static const struct update_step {
    const char *action, *words;
    int step;
} update_steps[] = {
    {"create", "reported 已上报", 1},
    {"triage", "triaged 已研判", 1},
    {"assign", "assigned 已交办", 1},
    {"accept", "accepted 已签收", 1},
    {"return", "returned 已退回", 1},
    {"feedback", "progress 进展反馈", 0},
    {"submit", "rectified 已整改待核查", 1},
    {"reject", "sent back for rework 返工", 1},
    {"verify", "verified and closed 已核查销号", 1},
    {"cancel", "cancelled 已撤销", 1},
    {"archive", "archived 已归档", 1},
    {"escalate", "escalated 督办", 0},
    {"urge", "urged 催办", 0},
};

static const struct update_step *update_step(const char *action)
{
    for (size_t i = 0; i < sizeof update_steps / sizeof *update_steps; i++)
        if (!strcmp(update_steps[i].action, action)) return &update_steps[i];
    return NULL;
}

/* An update: the step in words, and the office's public note when there is
 * one; never the texts of the loop. */
static json_t *update_row(const struct hazard_public_event *ev, const char *status)
{
    char uid[24], rid[24], when[40];
    snprintf(uid, sizeof uid, "%lld", (long long)ev->id);
    snprintf(rid, sizeof rid, "%lld", (long long)ev->item_id);
    iso(ev->at, when);
    const struct update_step *st = update_step(ev->action);
    const char *words = st ? st->words : ev->action;
    json_t *text =
        ev->public_note ? json_sprintf("%s: %s", words, ev->public_note) : json_string(words);
    return json_pack("{s:s,s:s,s:s,s:s,s:o,s:n}", "update_id", uid, "service_request_id", rid,
                     "status", o311_status(status), "updated_datetime", when, "description",
                     text ? text : json_string(words), "media_url");
}

/* The updates of a window: each hazard's status is followed through its
 * whole chain, and the events inside the window that are steps of the loop,
 * changed the status or carry a public note are listed. */
struct o311_updates {
    int64_t from, to, item;
    char status[16];
    json_t *arr;
};

static int update_event(void *ctx, const struct hazard_public_event *ev)
{
    struct o311_updates *u = ctx;
    if (ev->item_id != u->item)
        u->item = ev->item_id, snprintf(u->status, sizeof u->status, "draft");
    if (ev->status) snprintf(u->status, sizeof u->status, "%s", ev->status);
    const struct update_step *st = update_step(ev->action);
    int public = ev->status || ev->public_note || (st && st->step);
    if (public && ev->at >= u->from && ev->at <= u->to)
        json_array_append_new(u->arr, update_row(ev, u->status));
    return json_array_size(u->arr) >= O311_MAX;
}

static void o311_updates(struct o311 *o, struct db *db)
{
    struct o311_updates u = {.status = "draft"};
    if (o311_window(o, &u.from, &u.to)) return;
    u.arr = json_array();
    struct err e = {0};
    if (hazard_public_events(db, u.from, u.to, update_event, &u, &e)) {
        json_decref(u.arr);
        o311_error(o, 500, "the updates cannot be read");
        return;
    }
    o311_send(o, 200, "service_request_updates", u.arr);
}

/* ---- the sub-dispatcher ---- */

/* Split the path into resource and format; 0, or -1 after a 404. */
static int o311_parse_path(struct o311 *o)
{
    const char *rest = o->r->path + strlen(O311_PREFIX);
    const char *dot = strrchr(rest, '.');
    size_t n = dot ? (size_t)(dot - rest) : 0;
    o->xml = 0;
    if (dot && !strcmp(dot, ".xml")) o->xml = 1;
    if (!dot || (strcmp(dot, ".json") && strcmp(dot, ".xml")) || n == 0 ||
        n >= sizeof o->resource) {
        o311_error(o, 404, "unknown resource or format: use .json or .xml");
        return -1;
    }
    memcpy(o->resource, rest, n);
    o->resource[n] = '\0';
    return 0;
}

void api_open311(struct req *r)
{
    struct o311 o = {.r = r};
    if (o311_parse_path(&o)) return;
    struct db *db = req_db(r);
    if (!db) {
        o311_error(&o, 503, "the database cannot be reached");
        return;
    }
    const char *res = o.resource;
    int64_t id;
    if (!strcmp(r->method, "POST")) {
        if (!strcmp(res, "requests"))
            o311_post(&o, db);
        else
            o311_error(&o, 404, "only requests accept POST");
    } else if (!strcmp(res, "discovery")) {
        o311_discovery(&o, db);
    } else if (!strcmp(res, "services")) {
        o311_services(&o, db);
    } else if (!strncmp(res, "services/", 9) && res[9]) {
        o311_definition(&o, db, res + 9);
    } else if (!strcmp(res, "requests")) {
        o311_requests(&o, db);
    } else if (!strcmp(res, "servicerequestupdates")) {
        o311_updates(&o, db);
    } else if (!strncmp(res, "requests/", 9)) {
        if (str_to_int64(res + 9, strlen(res + 9), &id) || id < 1)
            o311_error(&o, 404, "no service request '%.40s'", res + 9);
        else
            o311_one(&o, db, id);
    } else if (!strncmp(res, "tokens/", 7)) {
        o311_error(&o, 400,
                   "tokens are not supported: every service is realtime and returns"
                   " its service_request_id at once");
    } else {
        o311_error(&o, 404, "no resource '%.60s'", res);
    }
}
