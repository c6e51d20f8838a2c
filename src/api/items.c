/* items.c — /api/v1/items: list, create, read, events. */
#include <string.h>

#include "api/api.h"
#include "api/export.h"
#include "core/delegate.h"
#include "core/event.h"
#include "core/item.h"
#include "core/perm.h"
#include "http/req.h"
#include "http/write.h"
#include "notice/item_export.h"
#include "util/time.h"

#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

static const char *query_get(void *ctx, const char *name)
{
    return req_query(ctx, name);
}

/* The list as a file to download (format csv or xlsx): 事项台账-YYYY-MM-DD. */
static void items_export(struct req *r, struct db *db, const struct item_filter *f, int xlsx)
{
    struct err e = {0};
    int fd;
    uint64_t size;
    if (item_export(db, r->actor, f, xlsx ? ITEM_EXPORT_XLSX : ITEM_EXPORT_CSV, &fd, &size, &e)) {
        req_reply_err(r, &e);
        return;
    }
    api_send_export(r, fd, size, xlsx, "items", "事项台账");
}

void api_items_list(struct req *r)
{
    struct item_filter f;
    struct err e = {0};
    int format = api_format(r);
    if (format < 0) return;
    if (item_filter_parse(query_get, r, &f, &e)) {
        req_reply_err(r, &e);
        return;
    }
    struct db *db = api_db(r);
    if (!db) return;
    if (format != API_FORMAT_JSON) {
        items_export(r, db, &f, format == API_FORMAT_XLSX);
        return;
    }
    buf_reset(&r->out);
    if (item_list_write(db, r->actor, &f, &r->out, &e)) {
        req_reply_err(r, &e);
        return;
    }
    req_reply_body(r, 200, "application/json; charset=utf-8");
}

struct item_new {
    struct write_job job;
    struct item_input in;
    int filed; /* POST /api/v1/requests: a request filed, no sub-item rule */
};

static int item_new_run(struct db *db, struct write_job *j)
{
    struct item_new *n = WRITE_OF(j, struct item_new);
    if (n->filed) return item_create(db, j->actor, &n->in, &j->id, &j->e);
    return delegate_item_create(db, j->actor, &n->in, &j->id, &j->e);
}

/* 201 with the item as the creator sees it, written straight into the
 * answer (item_get_write: the fast path of item_get_json). */
static void item_new_done(struct req *r, struct write_job *j)
{
    int64_t id = j->id;
    struct err e = {0};
    struct db *db = api_db(r);
    if (!db) return;
    buf_reset(&r->out);
    if (item_get_write(db, r->actor, id, &r->out, &e)) {
        req_reply_err(r, &e);
        return;
    }
    req_add_header(r, "Location", arena_printf(r->arena, "/api/v1/items/%lld", (long long)id));
    req_reply_body(r, 201, "application/json; charset=utf-8");
}

static const struct write_ops item_new_ops = {
    .what = "creating an item", .run = item_new_run, .done = item_new_done};

/* POST /api/v1/items, or (filed) POST /api/v1/requests with its kind set. */
static void items_create(struct req *r, int filed)
{
    struct item_new *n = WRITE_NEW(r, struct item_new, &item_new_ops);
    n->filed = filed;
    if (item_input_parse(r->json, &n->in, &n->job.e)) {
        write_refuse(r, &n->job);
        return;
    }
    write_start(r, &n->job);
}

void api_items_create(struct req *r)
{
    items_create(r, 0);
}

void api_items_file(struct req *r)
{
    items_create(r, 1);
}

void api_item_get(struct req *r)
{
    struct err e = {0};
    struct db *db = api_db(r);
    if (!db) return;
    json_t *v = item_get_json(db, r->actor, r->params[0], &e);
    if (!v) {
        req_reply_err(r, &e);
        return;
    }
    req_reply_json(r, 200, v);
}

void api_item_events(struct req *r)
{
    struct err e = {0};
    struct db *db = api_db(r);
    if (!db) return;
    int vis = perm_item_visible(db, r->actor, r->params[0]);
    if (vis < 0) {
        err_db(&e, vis, "reading events");
        req_reply_err(r, &e);
        return;
    }
    if (!vis) {
        /* tell apart "no such item" from "not yours" as GET /items/{id} does */
        json_t *item = item_get_json(db, r->actor, r->params[0], &e);
        json_decref(item);
        req_reply_err(r, &e);
        return;
    }
    json_t *v = perm_item_record(db, r->actor, r->params[0], &e)
                    ? NULL
                    : event_list_json(db, r->params[0], &e);
    if (!v) {
        req_reply_err(r, &e);
        return;
    }
    req_reply_json(r, 200, v);
}
