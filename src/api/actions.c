/* actions.c — the supervision loop over the API: taking an action on an
 * item, the item's loop records, batch feedback and the inbox.
 *
 * The writes are core/action.h's item_act run as durable write jobs; the
 * reads are core/feedback.h and core/inbox.h.  Object-level checks (may this
 * user see or act on this item) are core's, never done here. */
#include <string.h>

#include "api/api.h"
#include "core/action.h"
#include "core/feedback.h"
#include "core/inbox.h"
#include "core/item.h"
#include "http/req.h"

#define BATCH_MAX 100 /* items in one batch feedback */

/* The reader connection or a 503 already replied. */
static struct db *api_db(struct req *r)
{
    struct db *db = req_db(r);
    if (!db)
        req_reply_error(r, 503, "database_unavailable", NULL, "the database cannot be reached");
    return db;
}

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
    req_reply_error(r, e->status ? e->status : 500, e->code ? e->code : "internal", extra, "%s",
                    e->message);
}

/* ---- POST /api/v1/items/{id}/actions ---- */

struct act_job {
    const struct actor *actor;
    int64_t id;
    json_t *body;
    struct err e;
};

static int act_job_run(struct db *db, void *ctx)
{
    struct act_job *j = ctx;
    memset(&j->e, 0, sizeof j->e);
    int rc = item_act(db, j->actor, j->id, j->body, &j->e);
    if (rc == DB_RETRY) return DB_RETRY;
    return rc ? DB_ERR : DB_OK;
}

static void act_job_done(struct req *r)
{
    struct act_job *j = r->state;
    if (r->job_rc != DB_OK) {
        if (!j->e.status) err_db(&j->e, r->job_rc, "taking the action");
        reply_act_err(r, &j->e, 0);
        return;
    }
    struct err e = {0};
    struct db *db = api_db(r);
    if (!db) return;
    json_t *v = item_get_json(db, r->actor, j->id, &e);
    if (!v) {
        req_reply_err(r, &e);
        return;
    }
    req_reply_json(r, 200, v);
}

void api_item_act(struct req *r)
{
    struct act_job *j = arena_alloc(r->arena, sizeof *j);
    memset(j, 0, sizeof *j);
    j->actor = r->actor;
    j->id = r->params[0];
    j->body = r->json;
    req_defer_write(r, act_job_run, j, act_job_done);
}

/* ---- GET /api/v1/items/{id}/records ---- */

void api_item_records(struct req *r)
{
    struct err e = {0};
    struct db *db = api_db(r);
    if (!db) return;
    json_t *v = feedback_item_json(db, r->actor, r->params[0], &e);
    if (!v) {
        req_reply_err(r, &e);
        return;
    }
    req_reply_json(r, 200, v);
}

/* ---- POST /api/v1/feedback ---- */

struct batch_job {
    const struct actor *actor;
    size_t n;
    int64_t ids[BATCH_MAX];
    json_t *bodies[BATCH_MAX]; /* {"action":"feedback",…} each, owned */
    int64_t failed;            /* the item that was refused */
    struct err e;
};

/* Check the batch's shape and build one feedback action per item.  0 or -1
 * with e and *failed (the item that is wrong, 0 when the shape is). */
static int batch_parse(json_t *body, struct batch_job *j, struct err *e)
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
            if (j->ids[k] == json_integer_value(id))
                return err_set(e, 422, "invalid_field",
                               "item %lld is listed twice: report once per item",
                               (long long)j->ids[k]);
        j->ids[i] = json_integer_value(id);
        json_t *b = json_deep_copy(it);
        json_object_del(b, "id");
        json_object_set_new(b, "action", json_string("feedback"));
        j->bodies[i] = b;
        j->n = i + 1;
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

static int batch_job_run(struct db *db, void *ctx)
{
    struct batch_job *j = ctx;
    memset(&j->e, 0, sizeof j->e);
    j->failed = 0;
    for (size_t k = 0; k < j->n; k++) {
        int rc = item_act(db, j->actor, j->ids[k], j->bodies[k], &j->e);
        if (rc == DB_RETRY) return DB_RETRY;
        if (rc) {
            prefix_item(&j->e, j->ids[k]);
            j->failed = j->ids[k];
            return DB_ERR; /* the pool rolls back every report of the batch */
        }
    }
    return DB_OK;
}

static void batch_free(struct batch_job *j)
{
    for (size_t k = 0; k < j->n; k++)
        json_decref(j->bodies[k]);
    j->n = 0;
}

static void batch_job_done(struct req *r)
{
    struct batch_job *j = r->state;
    if (r->job_rc != DB_OK) {
        if (!j->e.status) err_db(&j->e, r->job_rc, "recording the feedback");
        reply_act_err(r, &j->e, j->failed);
        batch_free(j);
        return;
    }
    struct err e = {0};
    struct db *db = api_db(r);
    if (!db) {
        batch_free(j);
        return;
    }
    json_t *arr = json_array();
    for (size_t k = 0; k < j->n; k++) {
        json_t *v = item_get_json(db, r->actor, j->ids[k], &e);
        if (!v) {
            json_decref(arr);
            batch_free(j);
            req_reply_err(r, &e);
            return;
        }
        json_array_append_new(arr, v);
    }
    batch_free(j);
    req_reply_json(r, 200, json_pack("{s:o}", "items", arr));
}

void api_feedback_batch(struct req *r)
{
    struct batch_job *j = arena_alloc(r->arena, sizeof *j);
    memset(j, 0, sizeof *j);
    j->actor = r->actor;
    if (batch_parse(r->json, j, &j->e)) {
        batch_free(j);
        req_reply_err(r, &j->e);
        return;
    }
    req_defer_write(r, batch_job_run, j, batch_job_done);
}

/* ---- GET /api/v1/inbox ---- */

void api_inbox(struct req *r)
{
    struct err e = {0};
    struct db *db = api_db(r);
    if (!db) return;
    json_t *v = inbox_json(db, r->actor, &e);
    if (!v) {
        req_reply_err(r, &e);
        return;
    }
    req_reply_json(r, 200, v);
}
