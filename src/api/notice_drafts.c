/* notice_drafts.c — a notice's draft (拟稿) → sign-off (签发) over the API
 * (core/notice_draft.h, notice/draft.h): a supervisor drafts
 * (POST /api/v1/notice-drafts) and edits (POST /api/v1/notice-drafts/{id});
 * a leader or an admin reads it with the number it would take and signs it
 * (POST /api/v1/notice-drafts/{id}/sign {"confirm":true}), which issues the
 * notice.  Without "confirm": true the sign is refused with 422
 * confirm_required naming that number: signing cannot be undone. */
#include <string.h>

#include "api/api.h"
#include "core/notice_draft.h"
#include "http/req.h"
#include "http/server.h"
#include "http/write.h"
#include "notice/draft.h"
#include "notice/notice.h"

/* The draft with "will_take" (the 发文字号 it would take if signed now)
 * while unsigned. */
static json_t *draft_load(struct db *db, const struct actor *a, int64_t id, struct err *e)
{
    (void)a;
    json_t *v = notice_draft_json(db, id, e);
    if (!v || !json_is_null(json_object_get(v, "notice_id"))) return v;
    char number[128];
    if (notice_draft_number(db, number, e)) {
        json_decref(v);
        return NULL;
    }
    json_object_set_new(v, "will_take", json_string(number));
    return v;
}

void api_notice_draft_get(struct req *r)
{
    struct db *db = api_db(r);
    if (!db) return;
    struct err e = {0};
    json_t *v = draft_load(db, r->actor, r->params[0], &e);
    if (v)
        req_reply_json(r, 200, v);
    else
        req_reply_err(r, &e);
}

struct draft_job {
    struct write_job job;
    json_t *body;
    const char *from, *to, *unit;
};

static int draft_run(struct db *db, struct write_job *j)
{
    struct draft_job *x = WRITE_OF(j, struct draft_job);
    return notice_draft_create(db, j->actor, x->from, x->to, x->unit, x->body, &j->id, &j->e);
}

static const struct write_ops draft_ops = {.what = "storing the draft",
                                           .run = draft_run,
                                           .load = draft_load,
                                           .status = 201,
                                           .location = "/api/v1/notice-drafts/"};

static const char *body_str(json_t *body, const char *name, int *bad)
{
    json_t *v = json_object_get(body, name);
    if (!v || json_is_null(v)) return NULL;
    if (!json_is_string(v)) *bad = 1;
    return json_string_value(v);
}

void api_notice_drafts_create(struct req *r)
{
    int bad = !json_is_object(r->json);
    struct draft_job *x = WRITE_NEW(r, struct draft_job, &draft_ops);
    x->body = r->json;
    x->from = bad ? NULL : body_str(r->json, "from", &bad);
    x->to = bad ? NULL : body_str(r->json, "to", &bad);
    x->unit = bad ? NULL : body_str(r->json, "unit", &bad);
    struct notice_params p;
    if (bad)
        err_set(&x->job.e, 422, "invalid_field",
                "the body is {\"from\",\"to\",\"unit\",\"main_to\",\"copy_to\",\"summary\"}"
                " with strings (unit may be null)");
    if (bad || notice_params_parse(x->from, x->to, x->unit, &p, &x->job.e)) {
        write_refuse(r, &x->job);
        return;
    }
    write_start(r, &x->job);
}

static int edit_run(struct db *db, struct write_job *j)
{
    return notice_draft_edit(db, j->actor, j->id, WRITE_OF(j, struct write_body)->body, &j->e);
}

static const struct write_ops edit_ops = {
    .what = "editing the draft", .run = edit_run, .load = draft_load, .status = 200};

void api_notice_draft_edit(struct req *r)
{
    struct write_body *x = WRITE_NEW(r, struct write_body, &edit_ops);
    x->body = r->json;
    x->job.id = r->params[0];
    if (!json_is_object(r->json)) {
        err_set(&x->job.e, 400, "invalid_json", "the body must be an object");
        write_refuse(r, &x->job);
        return;
    }
    write_start(r, &x->job);
}

struct sign_job {
    struct write_job job;
    int64_t draft;
    const struct checkpoint_key *signer;
};

static int sign_run(struct db *db, struct write_job *j)
{
    struct sign_job *x = WRITE_OF(j, struct sign_job);
    return notice_draft_sign(db, j->actor, x->draft, x->signer, &j->id, &j->e);
}

static void sign_done(struct req *r, struct write_job *j)
{
    write_reply_loaded(r, draft_load, WRITE_OF(j, struct sign_job)->draft, 200, NULL);
}

static const struct write_ops sign_ops = {
    .what = "signing the draft", .run = sign_run, .done = sign_done};

void api_notice_draft_sign(struct req *r)
{
    struct sign_job *x = WRITE_NEW(r, struct sign_job, &sign_ops);
    x->draft = r->params[0];
    x->signer = r->server->signer;
    if (!json_is_true(json_object_get(r->json, "confirm"))) {
        struct db *db = req_db(r);
        char number[128] = "";
        if (db && notice_draft_number(db, number, &x->job.e)) {
            write_refuse(r, &x->job);
            return;
        }
        err_set(&x->job.e, 422, "confirm_required",
                "signing issues the notice as %s and cannot be undone (签发后不可撤回);"
                " send {\"confirm\": true}",
                number);
        write_refuse(r, &x->job);
        return;
    }
    write_start(r, &x->job);
}
