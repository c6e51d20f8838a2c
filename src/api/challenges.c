/* challenges.c — the challenge's own endpoints (docs/challenges.md): the
 * public board (GET /api/v1/board, no login), filing an application
 * (POST /api/v1/items/{id}/applications, applicants) and reading them
 * (GET, the office all, an applicant its own).  The challenge's actions
 * (publish, review, award, verify, disburse …) are the items'
 * (POST /api/v1/items/{id}/actions); what each may see is core's. */
#include "api/api.h"
#include "core/challenge.h"
#include "http/req.h"
#include "http/write.h"

void api_board(struct req *r)
{
    struct err e = {0};
    struct db *db = api_db(r);
    if (!db) return;
    json_t *v = challenge_board_json(db, &e);
    if (v)
        req_reply_json(r, 200, v);
    else
        req_reply_err(r, &e);
}

void api_challenge_applications(struct req *r)
{
    struct err e = {0};
    struct db *db = api_db(r);
    if (!db) return;
    json_t *v = challenge_applications_json(db, r->actor, r->params[0], &e);
    if (v)
        req_reply_json(r, 200, v);
    else
        req_reply_err(r, &e);
}

/* ---- filing one ---- */

struct apply_job {
    struct write_job job;
    int64_t item;
    json_t *body;
};

static int apply_run(struct db *db, struct write_job *j)
{
    struct apply_job *x = WRITE_OF(j, struct apply_job);
    return challenge_apply(db, j->actor, x->item, x->body, &j->id, &j->e);
}

/* The application as its applicant now sees it. */
static const struct write_ops apply_ops = {.what = "filing the application",
                                           .run = apply_run,
                                           .load = challenge_application_json,
                                           .status = 201};

void api_challenge_apply(struct req *r)
{
    struct apply_job *x = WRITE_NEW(r, struct apply_job, &apply_ops);
    x->item = r->params[0];
    x->body = r->json;
    write_start(r, &x->job);
}
