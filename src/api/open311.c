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
 * for the rest. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/open311.h"
#include "core/apikey.h"
#include "core/hazard.h"
#include "http/req.h"
#include "util/str.h"
#include "util/time.h"

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
    char *s = json_dumps(v, JSON_COMPACT);
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
    char vals[3][256] = {"", "", ""};
    for (int k = 0; k < 3; k++) {
        struct db_stmt *st = db_prepare(db, "SELECT value FROM settings WHERE key = ?1");
        if (!st) continue;
        db_bind_text(st, 1, keys[k], (size_t)-1);
        if (db_step(st) == DB_ROW) snprintf(vals[k], sizeof vals[k], "%s", db_column_text(st, 0));
        db_finalize(st);
    }
    const char *host = req_header(o->r, "Host");
    const char *proto = req_header(o->r, "X-Forwarded-Proto");
    char url[300];
    snprintf(url, sizeof url, "%s://%.200s/open311/v2",
             proto && !strcmp(proto, "https") ? "https" : "http", host ? host : "localhost");
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

#define REQ_SQL                                                                                    \
    "SELECT i.id, i.status, i.description, c.code, c.name, u.name, i.created_at, i.updated_at,"    \
    " h.closed_at, i.deadline, h.address, h.latitude, h.longitude, h.duplicate_of"                 \
    " FROM items i JOIN hazards h ON h.item_id = i.id JOIN hazard_categories c"                    \
    " ON c.id = h.category_id LEFT JOIN units u ON u.id = i.lead_unit_id WHERE i.kind = 'hazard'"

static json_t *opt_str(struct db_stmt *st, int c)
{
    return db_column_is_null(st, c) || !*db_column_text(st, c) ? json_null()
                                                               : json_string(db_column_text(st, c));
}

static json_t *request_row(struct db_stmt *st)
{
    char id[24], req_at[40], upd_at[40], notes[64];
    const char *status = db_column_text(st, 1);
    snprintf(id, sizeof id, "%lld", (long long)db_column_int64(st, 0));
    iso(db_column_int64(st, 6), req_at);
    iso(db_column_is_null(st, 8) ? db_column_int64(st, 7) : db_column_int64(st, 8), upd_at);
    if (!db_column_is_null(st, 13))
        snprintf(notes, sizeof notes, "duplicate of %lld", (long long)db_column_int64(st, 13));
    else
        snprintf(notes, sizeof notes, "%s", status);
    json_t *expected = json_null();
    if (!db_column_is_null(st, 9)) {
        char e[64];
        snprintf(e, sizeof e, "%sT23:59:59%s", db_column_text(st, 9), req_at + 19);
        expected = json_string(e);
    }
    return json_pack(
        "{s:s,s:s,s:s,s:o,s:s,s:o,s:o,s:n,s:s,s:s,s:o,s:o,s:n,s:n,s:o,s:o,s:n}",
        "service_request_id", id, "status", o311_status(status), "status_notes", notes,
        "service_name", json_string(db_column_text(st, 4)), "service_code", db_column_text(st, 3),
        "description", opt_str(st, 2), "agency_responsible", opt_str(st, 5), "service_notice",
        "requested_datetime", req_at, "updated_datetime", upd_at, "expected_datetime", expected,
        "address", opt_str(st, 10), "address_id", "zipcode", "lat",
        db_column_is_null(st, 11) ? json_null() : json_real(db_column_double(st, 11)), "long",
        db_column_is_null(st, 12) ? json_null() : json_real(db_column_double(st, 12)), "media_url");
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
    struct db_stmt *st = db_prepare(db, REQ_SQL " AND i.id = ?1");
    if (!st) {
        o311_error(o, 500, "the request cannot be read");
        return;
    }
    db_bind_int64(st, 1, id);
    json_t *row = db_step(st) == DB_ROW ? request_row(st) : NULL;
    db_finalize(st);
    if (!row) {
        o311_error(o, 404, "no service request %lld", (long long)id);
        return;
    }
    json_t *arr = json_array();
    json_array_append_new(arr, row);
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
        struct db_stmt *st = db_prepare(db, REQ_SQL " AND i.id = ?1");
        if (st) {
            db_bind_int64(st, 1, id);
            if (db_step(st) == DB_ROW) json_array_append_new(arr, request_row(st));
            db_finalize(st);
        }
        if (!comma) break;
        p = comma + 1;
    }
    o311_send(o, 200, "service_requests", arr);
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
    struct db_stmt *st = db_prepare(db, REQ_SQL " AND i.created_at >= ?1 AND i.created_at <= ?2"
                                                " ORDER BY i.created_at DESC, i.id DESC");
    if (!st) {
        o311_error(o, 500, "the requests cannot be read");
        return;
    }
    db_bind_int64(st, 1, from);
    db_bind_int64(st, 2, to);
    json_t *arr = json_array();
    int64_t skip = (page - 1) * size;
    while (db_step(st) == DB_ROW && (int64_t)json_array_size(arr) < size) {
        if (!in_list(codes, db_column_text(st, 3)) ||
            !in_list(status, o311_status(db_column_text(st, 1))))
            continue;
        if (skip > 0) {
            skip--;
            continue;
        }
        json_array_append_new(arr, request_row(st));
    }
    db_finalize(st);
    o311_send(o, 200, "service_requests", arr);
}

/* ---- POST requests ---- */

struct o311_new {
    struct o311 o;
    struct open311_post p;
    struct hazard_input in;
    struct actor actor;
    char keyname[64], username[80], who[160], contact[300], address[300];
    int64_t id;
    struct err e;
};

static int o311_new_job(struct db *db, void *ctx)
{
    struct o311_new *n = ctx;
    memset(&n->e, 0, sizeof n->e);
    return hazard_create(db, &n->actor, &n->in, &n->id, &n->e) ? DB_ERR : DB_OK;
}

static void o311_new_done(struct req *r)
{
    struct o311_new *n = r->state;
    open311_post_free(&n->p);
    n->o.r = r;
    if (r->job_rc != DB_OK) {
        int st = n->e.status == 404 ? 404 : n->e.status >= 500 || !n->e.status ? 500 : 400;
        o311_error(&n->o, st, "%s", n->e.status ? n->e.message : "the request could not be stored");
        return;
    }
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)n->id);
    o311_send(&n->o, 200, "service_requests",
              json_pack("[{s:s,s:s,s:n}]", "service_request_id", id, "service_notice",
                        "已受理，将研判后交办责任单位 (received; it will be triaged and assigned)",
                        "account_id"));
}

/* Fill the hazard input from the form.  0, or -1 after replying. */
static int o311_new_input(struct o311_new *n)
{
    struct open311_post *p = &n->p;
    struct hazard_input *in = &n->in;
    memset(in, 0, sizeof *in);
    in->category = p->service_code;
    in->description = p->description ? p->description : "";
    in->channel = "open311";
    if (p->address_string || p->address_id) {
        snprintf(n->address, sizeof n->address, "%s%s%s",
                 p->address_string ? p->address_string : "",
                 p->address_string && p->address_id ? " " : "",
                 p->address_id && !p->address_string ? p->address_id : "");
        in->address = n->address;
    }
    in->has_location = p->has_location, in->lat = p->lat, in->lon = p->lon;
    snprintf(n->who, sizeof n->who, "%s%s%s", p->first_name ? p->first_name : "",
             p->first_name && p->last_name ? " " : "", p->last_name ? p->last_name : "");
    snprintf(n->contact, sizeof n->contact, "%s%s%s", p->email ? p->email : "",
             p->email && p->phone ? " " : "", p->phone ? p->phone : "");
    in->reporter_name = n->who;
    in->reporter_contact = n->contact;
    in->attributes = json_object_size(p->attributes) ? p->attributes : NULL;
    return 0;
}

static void o311_post(struct o311 *o, struct db *db)
{
    struct o311_new *n = arena_alloc(o->r->arena, sizeof *n);
    n->o = *o;
    if (open311_post_parse(o->r->form, o->r->nform, &n->p, &n->e)) {
        open311_post_free(&n->p);
        o311_error(o, 400, "%s", n->e.message);
        return;
    }
    int64_t key_id = 0;
    int rc = n->p.api_key ? apikey_check(db, n->p.api_key, &key_id, n->keyname) : 0;
    if (rc <= 0) {
        open311_post_free(&n->p);
        if (rc < 0)
            o311_error(o, 500, "the key cannot be checked now");
        else
            o311_error(o, 403, n->p.api_key ? "the api_key is not valid" : "api_key is required");
        return;
    }
    const char *missing = !n->p.service_code ? "service_code is required"
                          : !n->p.has_location && !n->p.address_string && !n->p.address_id
                              ? "a location is required: lat and long, address_string or address_id"
                              : NULL;
    if (missing) {
        open311_post_free(&n->p);
        o311_error(o, 400, "%s", missing);
        return;
    }
    o311_new_input(n);
    n->in.api_key_id = key_id;
    snprintf(n->username, sizeof n->username, "open311:%s", n->keyname);
    n->actor = (struct actor){0, n->username, 0, 0};
    req_defer_write(o->r, o311_new_job, n, o311_new_done);
}

/* ---- servicerequestupdates (mySociety) ---- */

static const char *update_words(const char *action)
{
    static const char *const map[][2] = {
        {"create", "reported 已上报"},
        {"triage", "triaged 已研判"},
        {"assign", "assigned 已交办"},
        {"accept", "accepted 已签收"},
        {"return", "returned 已退回"},
        {"feedback", "progress 进展反馈"},
        {"submit", "rectified 已整改待核查"},
        {"reject", "sent back for rework 返工"},
        {"verify", "verified and closed 已核查销号"},
        {"cancel", "cancelled 已撤销"},
        {"archive", "archived 已归档"},
        {"escalate", "escalated 督办"},
        {"urge", "urged 催办"},
    };
    for (size_t i = 0; i < sizeof map / sizeof *map; i++)
        if (!strcmp(map[i][0], action)) return map[i][1];
    return action;
}

static json_t *update_row(int64_t eid, int64_t item, int64_t at, const char *action,
                          const char *status, json_t *data)
{
    char uid[24], rid[24], when[40], text[600];
    snprintf(uid, sizeof uid, "%lld", (long long)eid);
    snprintf(rid, sizeof rid, "%lld", (long long)item);
    iso(at, when);
    const char *why = json_string_value(json_object_get(data, "reason"));
    if (!why) why = json_string_value(json_object_get(data, "text"));
    snprintf(text, sizeof text, "%s%s%.500s", update_words(action), why ? ": " : "",
             why ? why : "");
    return json_pack("{s:s,s:s,s:s,s:s,s:s,s:n}", "update_id", uid, "service_request_id", rid,
                     "status", o311_status(status), "updated_datetime", when, "description", text,
                     "media_url");
}

static void o311_updates(struct o311 *o, struct db *db)
{
    int64_t from, to;
    if (o311_window(o, &from, &to)) return;
    /* a photo event vouches for an upload's bytes: no update to the public */
    struct db_stmt *st =
        db_prepare(db, "SELECT e.id, e.item_id, e.at, e.action, e.data FROM events e JOIN items i"
                       " ON i.id = e.item_id WHERE i.kind = 'hazard' AND e.action <> 'photo'"
                       " AND e.item_id IN (SELECT item_id FROM events WHERE at >= ?1 AND at <= ?2)"
                       " ORDER BY e.item_id, e.seq");
    if (!st) {
        o311_error(o, 500, "the updates cannot be read");
        return;
    }
    db_bind_int64(st, 1, from);
    db_bind_int64(st, 2, to);
    json_t *arr = json_array();
    int64_t item = 0;
    char status[16] = "draft";
    while (db_step(st) == DB_ROW && json_array_size(arr) < O311_MAX) {
        if (db_column_int64(st, 1) != item)
            item = db_column_int64(st, 1), snprintf(status, sizeof status, "draft");
        json_t *data = json_loads(db_column_text(st, 4), 0, NULL);
        const char *to_status =
            json_string_value(json_object_get(json_object_get(data, "after"), "status"));
        if (to_status) snprintf(status, sizeof status, "%s", to_status);
        int64_t at = db_column_int64(st, 2);
        if (at >= from && at <= to)
            json_array_append_new(arr, update_row(db_column_int64(st, 0), item, at,
                                                  db_column_text(st, 3), status, data));
        json_decref(data);
    }
    db_finalize(st);
    o311_send(o, 200, "service_request_updates", arr);
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
