/* reviews.c — review before a unit reports over the API (core/review.h):
 * the reviews a head decides and a clerk follows, the head's decision, and
 * the office's per-unit setting.  Who may decide is core's check. */
#include <string.h>

#include "api/api.h"
#include "core/review.h"
#include "http/req.h"
#include "http/write.h"

/* ---- GET /api/v1/reviews ---- */

void api_reviews(struct req *r)
{
    struct err e = {0};
    struct db *db = api_db(r);
    if (!db) return;
    const char *status = req_query(r, "status");
    json_t *v = review_list_json(db, r->actor, status && *status ? status : NULL, &e);
    if (!v) {
        req_reply_err(r, &e);
        return;
    }
    req_reply_json(r, 200, v);
}

/* ---- POST /api/v1/reviews/{id} ---- */

static int decide_run(struct db *db, struct write_job *j)
{
    return review_decide(db, j->actor, j->id, WRITE_OF(j, struct write_body)->body, &j->e);
}

static const struct write_ops decide_ops = {
    .what = "deciding the review", .run = decide_run, .load = review_get_json, .status = 200};

void api_review_decide(struct req *r)
{
    struct write_body *b = WRITE_NEW(r, struct write_body, &decide_ops);
    b->job.id = r->params[0];
    b->body = r->json;
    write_start(r, &b->job);
}

/* ---- GET /api/v1/units/review, POST /api/v1/units/{id}/review ---- */

void api_units_review(struct req *r)
{
    struct db *db = req_db(r);
    json_t *ids = db ? review_units_json(db) : NULL;
    if (!ids) {
        req_reply_error(r, 503, "database_unavailable", NULL, "the units cannot be read");
        return;
    }
    req_reply_json(r, 200, json_pack("{s:o}", "unit_ids", ids));
}

struct unit_review_job {
    struct write_job job;
    int on;
};

static int unit_review_run(struct db *db, struct write_job *j)
{
    return review_unit_set(db, j->actor, j->id, WRITE_OF(j, struct unit_review_job)->on, &j->e);
}

static void unit_review_done(struct req *r, struct write_job *j)
{
    req_reply_json(r, 200,
                   json_pack("{s:I,s:b}", "unit_id", (json_int_t)j->id, "review_reports",
                             WRITE_OF(j, struct unit_review_job)->on));
}

static const struct write_ops unit_review_ops = {
    .what = "setting the unit's review", .run = unit_review_run, .done = unit_review_done};

void api_unit_review_set(struct req *r)
{
    struct unit_review_job *x = WRITE_NEW(r, struct unit_review_job, &unit_review_ops);
    x->job.id = r->params[0];
    json_t *on = json_object_get(r->json, "review_reports");
    if (!json_is_object(r->json) || json_object_size(r->json) != 1 || !json_is_boolean(on)) {
        err_set(&x->job.e, 422, "invalid_field", "send {\"review_reports\": true|false}");
        write_refuse(r, &x->job);
        return;
    }
    x->on = json_is_true(on);
    write_start(r, &x->job);
}
