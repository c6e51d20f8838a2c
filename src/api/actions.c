/* actions.c — the supervision loop over the API: taking an action on an
 * item, the item's loop records, batch feedback and the inbox.
 *
 * The writes are core/action.h's item_act run as durable write jobs; the
 * reads are core/feedback.h and core/inbox.h.  Object-level checks (may this
 * user see or act on this item) are core's, never done here. */
#include <string.h>

#include "api/api.h"
#include "api/export.h"
#include "core/action.h"
#include "core/batch.h"
#include "core/feedback.h"
#include "core/perm.h"
#include "core/review.h"
#include "core/inbox.h"
#include "notice/item_export.h"
#include "util/time.h"
#include "core/item.h"
#include "http/req.h"
#include "http/write.h"

#define BATCH_MAX 100 /* items in one batch feedback */

/* Reply with e, adding "allowed_actions" to an invalid_transition and
 * "item_id" when item_id is not 0 (batch feedback names the failing item). */
static void reply_act_err(struct req *r, const struct err *e, int64_t item_id)
{
    json_t *extra = json_object();
    if (e->code && !strcmp(e->code, "invalid_transition")) {
        json_t *allowed = json_array();
        const char *s = e->allowed;
        while (*s) {
            const char *sp = strchr(s, ' ');
            size_t n = sp ? (size_t)(sp - s) : strlen(s);
            if (n) json_array_append_new(allowed, json_stringn(s, n));
            s += n + (sp != NULL);
        }
        json_object_set_new(extra, "allowed_actions", allowed);
    }
    if (item_id) json_object_set_new(extra, "item_id", json_integer(item_id));
    req_reply_err_extra(r, e, extra);
}

/* ---- POST /api/v1/items/{id}/actions ---- */

/* The action job: the item, and the review that holds the report when its
 * unit reviews its clerks' reports first (core/review.h). */
struct act_job {
    struct write_job job;
    json_t *body;
    int64_t held;
};

static int act_run(struct db *db, struct write_job *j)
{
    struct act_job *x = WRITE_OF(j, struct act_job);
    return review_act(db, j->actor, j->id, x->body, &x->held, &j->e);
}

/* 200 with the item, or 202 {"review"} when the report waits for the unit
 * head. */
static void act_done(struct req *r, struct write_job *j)
{
    struct act_job *x = WRITE_OF(j, struct act_job);
    if (!x->held) {
        write_reply_loaded(r, item_get_json, j->id, 200, NULL);
        return;
    }
    write_reply_loaded(r, review_get_json, x->held, 202, NULL);
}

static void act_refused(struct req *r, struct write_job *j)
{
    reply_act_err(r, &j->e, 0);
}

/* The item as the actor now sees it. */
static const struct write_ops act_ops = {
    .what = "taking the action", .run = act_run, .done = act_done, .refused = act_refused};

void api_item_act(struct req *r)
{
    struct act_job *b = WRITE_NEW(r, struct act_job, &act_ops);
    b->job.id = r->params[0];
    b->body = r->json;
    write_start(r, &b->job);
}

/* ---- GET /api/v1/items/{id}/records ---- */

void api_item_records(struct req *r)
{
    struct err e = {0};
    struct db *db = api_db(r);
    if (!db) return;
    json_t *v = feedback_item_json(db, r->actor, r->params[0], &e);
    if (v && perm_item_record(db, r->actor, r->params[0], &e)) json_decref(v), v = NULL;
    if (!v) {
        req_reply_err(r, &e);
        return;
    }
    req_reply_json(r, 200, v);
}

/* ---- POST /api/v1/feedback ---- */

struct batch_job {
    struct write_job job;
    struct batch_action acts[BATCH_MAX]; /* {"action":"feedback",…} each */
    size_t n;
    int64_t failed; /* the item that was refused */
};

/* Check the batch's shape and build one feedback action per item.  0 or -1
 * with e. */
static int batch_parse(json_t *body, struct batch_job *x, struct err *e)
{
    if (!json_is_object(body)) return err_set(e, 400, "invalid_json", "the body must be an object");
    json_t *items = json_object_get(body, "items");
    if (!items) return err_set(e, 422, "missing_field", "field 'items' is required");
    if (json_object_size(body) != 1)
        return err_set(e, 422, "unknown_field", "the body takes only 'items'");
    if (!json_is_array(items) || json_array_size(items) == 0 || json_array_size(items) > BATCH_MAX)
        return err_set(e, 422, "invalid_field", "'items' must be an array of 1 to %d reports",
                       BATCH_MAX);
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it)
    {
        json_t *id = json_object_get(it, "id");
        if (!json_is_object(it) || !json_is_integer(id) || json_integer_value(id) <= 0)
            return err_set(e, 422, "invalid_field",
                           "items[%zu] must be an object with a positive integer 'id'", i);
        for (size_t k = 0; k < i; k++)
            if (x->acts[k].item_id == json_integer_value(id))
                return err_set(e, 422, "invalid_field",
                               "item %lld is listed twice: report once per item",
                               (long long)x->acts[k].item_id);
        json_t *b = json_deep_copy(it);
        json_object_del(b, "id");
        json_object_set_new(b, "action", json_string("feedback"));
        x->acts[i] = (struct batch_action){json_integer_value(id), b, 0};
        x->n = i + 1;
    }
    return 0;
}

/* Put "item ID: " before e's message (cut at the end if need be). */
static void prefix_item(struct err *e, int64_t id)
{
    char pre[32];
    size_t np = (size_t)snprintf(pre, sizeof pre, "item %lld: ", (long long)id);
    size_t ml = strlen(e->message);
    if (np + ml >= sizeof e->message) ml = sizeof e->message - np - 1;
    memmove(e->message + np, e->message, ml);
    memcpy(e->message, pre, np);
    e->message[np + ml] = '\0';
}

static int batch_run(struct db *db, struct write_job *j)
{
    struct batch_job *x = WRITE_OF(j, struct batch_job);
    int rc = batch_act(db, j->actor, x->acts, x->n, &x->failed, &j->e);
    if (rc && rc != DB_RETRY) prefix_item(&j->e, x->failed);
    return rc; /* the pool rolls back every report of the batch */
}

/* 200 {"items":[…]}: each item as the caller now sees it. */
static void batch_done(struct req *r, struct write_job *j)
{
    struct batch_job *x = WRITE_OF(j, struct batch_job);
    struct err e = {0};
    struct db *db = api_db(r);
    if (!db) return;
    json_t *arr = json_array();
    for (size_t k = 0; k < x->n; k++) {
        json_t *v = item_get_json(db, r->actor, x->acts[k].item_id, &e);
        if (!v) {
            json_decref(arr);
            req_reply_err(r, &e);
            return;
        }
        json_array_append_new(arr, v);
    }
    json_t *answer = json_pack("{s:o}", "items", arr), *held = json_array();
    for (size_t k = 0; k < x->n; k++)
        if (x->acts[k].held) json_array_append_new(held, json_integer(x->acts[k].held));
    /* the reports held for the unit head (core/review.h), only when any */
    if (json_array_size(held))
        json_object_set_new(answer, "held_review_ids", held);
    else
        json_decref(held);
    req_reply_json(r, 200, answer);
}

static void batch_refused(struct req *r, struct write_job *j)
{
    reply_act_err(r, &j->e, WRITE_OF(j, struct batch_job)->failed);
}

static void batch_release(struct write_job *j)
{
    struct batch_job *x = WRITE_OF(j, struct batch_job);
    batch_free(x->acts, x->n);
}

static const struct write_ops batch_ops = {.what = "recording the feedback",
                                           .run = batch_run,
                                           .done = batch_done,
                                           .refused = batch_refused,
                                           .release = batch_release};

void api_feedback_batch(struct req *r)
{
    struct batch_job *x = WRITE_NEW(r, struct batch_job, &batch_ops);
    if (batch_parse(r->json, x, &x->job.e)) {
        write_refuse(r, &x->job);
        return;
    }
    write_start(r, &x->job);
}

/* ---- GET /api/v1/inbox ---- */

/* The inbox as a file to download (format csv or xlsx): 待办-YYYY-MM-DD. */
static void inbox_file(struct req *r, json_t *v, int xlsx)
{
    struct err e = {0};
    int fd;
    uint64_t size;
    int rc = inbox_export(v, xlsx ? ITEM_EXPORT_XLSX : ITEM_EXPORT_CSV, &fd, &size, &e);
    json_decref(v);
    if (rc) {
        req_reply_err(r, &e);
        return;
    }
    api_send_export(r, fd, size, xlsx, "inbox", "待办");
}

void api_inbox(struct req *r)
{
    struct err e = {0};
    int format = api_format(r);
    if (format < 0) return;
    struct db *db = api_db(r);
    if (!db) return;
    if (format == API_FORMAT_JSON) {
        /* written as read: a handler's lists hold hundreds of entries */
        buf_reset(&r->out);
        if (inbox_write(db, r->actor, &r->out, &e)) {
            buf_reset(&r->out);
            req_reply_err(r, &e);
            return;
        }
        req_reply_body(r, 200, "application/json; charset=utf-8");
        return;
    }
    json_t *v = inbox_json(db, r->actor, &e);
    if (!v) {
        req_reply_err(r, &e);
        return;
    }
    inbox_file(r, v, format == API_FORMAT_XLSX);
}

/* ---- GET /api/v1/inbox/counts ---- */

void api_inbox_counts(struct req *r)
{
    struct err e = {0};
    struct db *db = api_db(r);
    if (!db) return;
    json_t *v = inbox_counts_json(db, r->actor, &e);
    if (!v) {
        req_reply_err(r, &e);
        return;
    }
    req_reply_json(r, 200, v);
}
