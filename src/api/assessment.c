/* assessment.c — the 考核 API: GET /api/v1/assessment (the year's scores,
 * ?period=month|quarter&n= for a month's or a quarter's, ?format=csv|xlsx
 * for the files), POST /api/v1/assessment/entries (the
 * office's entries, a leader's evaluation, withdrawals), and the year's
 * rules (GET and POST /api/v1/assessment/rules).  Who may call a route is
 * the route table's business; who sees which unit and who adds which entry
 * is core/assessment.c's; the files are notice/assessment_export.c's. */
#include <string.h>

#include "api/api.h"
#include "api/export.h"
#include "core/assessment.h"
#include "http/req.h"
#include "http/write.h"
#include "notice/assessment_export.h"
#include "util/str.h"
#include "util/time.h"

/* ?year= (default this year) into *year; 0, or -1 after answering 422. */
static int year_param(struct req *r, int *year)
{
    const char *y = req_query(r, "year");
    int ty, tm, td;
    date_split(time_today(), &ty, &tm, &td);
    int64_t v = ty;
    if (y && (str_to_int64(y, strlen(y), &v) || v < 2000 || v > 9998)) {
        req_reply_error(r, 422, "invalid_field", NULL, "year must be from 2000 to 9998");
        return -1;
    }
    *year = (int)v;
    return 0;
}

/* ?year=, ?period= and ?n= into w; 0, or -1 after answering 422. */
static int window_param(struct req *r, struct assessment_window *w)
{
    const char *period = req_query(r, "period"), *n = req_query(r, "n");
    int year;
    int64_t k = 0;
    if (year_param(r, &year)) return -1;
    if (n && *n && (str_to_int64(n, strlen(n), &k) || k < 1 || k > 12)) {
        req_reply_error(r, 422, "invalid_parameter", NULL, "'n' must be a month or a quarter");
        return -1;
    }
    struct err e = {0};
    if (assessment_window_set(w, year, period && *period ? period : NULL, (int)k, &e)) {
        req_reply_err(r, &e);
        return -1;
    }
    return 0;
}

void api_assessment(struct req *r)
{
    const char *unit = req_query(r, "unit");
    struct assessment_window w;
    int64_t unit_id = 0;
    int format = api_format(r);
    if (format < 0) return;
    if (unit && *unit && (str_to_int64(unit, strlen(unit), &unit_id) || unit_id <= 0)) {
        req_reply_error(r, 422, "invalid_field", NULL, "unit must be a unit id");
        return;
    }
    if (window_param(r, &w)) return;
    struct db *db = api_db(r);
    if (!db) return;
    struct err e = {0};
    json_t *v = assessment_window_json(db, r->actor, &w, unit_id, &e);
    if (!v) {
        req_reply_err(r, &e);
        return;
    }
    if (format == API_FORMAT_JSON)
        req_reply_json(r, 200, json_incref(v));
    else
        api_send_table(r, v, format == API_FORMAT_XLSX, assessment_export_csv,
                       assessment_export_xlsx, arena_printf(r->arena, "assessment-%s", w.period));
    json_decref(v);
}

static int entry_run(struct db *db, struct write_job *j)
{
    return assessment_entry_add(db, j->actor, WRITE_OF(j, struct write_body)->body, &j->id, &j->e);
}

static void entry_done(struct req *r, struct write_job *j)
{
    req_reply_json(r, 201, json_pack("{s:I}", "id", (json_int_t)j->id));
}

static const struct write_ops entry_ops = {
    .what = "recording an assessment entry", .run = entry_run, .done = entry_done};

void api_assessment_entry_add(struct req *r)
{
    struct write_body *x = WRITE_NEW(r, struct write_body, &entry_ops);
    x->body = r->json;
    write_start(r, &x->job);
}

void api_assessment_rules(struct req *r)
{
    int year;
    if (year_param(r, &year)) return;
    struct db *db = api_db(r);
    if (!db) return;
    struct err e = {0};
    json_t *v = assessment_rules_json(db, year, &e);
    if (v)
        req_reply_json(r, 200, v);
    else
        req_reply_err(r, &e);
}

struct rules_job {
    struct write_job job;
    int year;
    json_t *rules; /* borrowed from r->json */
};

static int rules_run(struct db *db, struct write_job *j)
{
    struct rules_job *x = WRITE_OF(j, struct rules_job);
    return assessment_rules_set(db, j->actor, x->year, x->rules, &j->e);
}

static void rules_done(struct req *r, struct write_job *j)
{
    struct err e = {0};
    struct db *db = api_db(r);
    if (!db) return;
    json_t *v = assessment_rules_json(db, WRITE_OF(j, struct rules_job)->year, &e);
    if (v)
        req_reply_json(r, 200, v);
    else
        req_reply_err(r, &e);
}

static const struct write_ops rules_ops = {
    .what = "writing the assessment rules", .run = rules_run, .done = rules_done};

void api_assessment_rules_set(struct req *r)
{
    json_t *year = json_object_get(r->json, "year"), *rules = json_object_get(r->json, "rules");
    if (!json_is_object(r->json) || json_object_size(r->json) != 2 || !json_is_integer(year) ||
        json_integer_value(year) < 2000 || json_integer_value(year) > 9998 ||
        !json_is_object(rules)) {
        req_reply_error(r, 422, "invalid_field", NULL,
                        "send {\"year\": 2000..9998, \"rules\": {rule: integer points}}");
        return;
    }
    struct rules_job *x = WRITE_NEW(r, struct rules_job, &rules_ops);
    x->year = (int)json_integer_value(year);
    x->rules = rules;
    write_start(r, &x->job);
}

struct objection_job {
    struct write_job job;
    int64_t id;   /* the entry objected to, or the objection decided */
    json_t *body; /* borrowed from r->json */
};

static int objection_run(struct db *db, struct write_job *j)
{
    struct objection_job *x = WRITE_OF(j, struct objection_job);
    return assessment_objection_add(db, j->actor, x->id, x->body, &j->id, &j->e);
}

static const struct write_ops objection_ops = {
    .what = "recording an objection", .run = objection_run, .done = entry_done};

void api_assessment_objection_add(struct req *r)
{
    struct objection_job *x = WRITE_NEW(r, struct objection_job, &objection_ops);
    x->id = r->params[0];
    x->body = r->json;
    write_start(r, &x->job);
}

void api_assessment_objections(struct req *r)
{
    const char *status = req_query(r, "status");
    struct db *db = api_db(r);
    if (!db) return;
    struct err e = {0};
    json_t *v = assessment_objections_json(db, r->actor, status && *status ? status : NULL, &e);
    if (v)
        req_reply_json(r, 200, v);
    else
        req_reply_err(r, &e);
}

static int decide_run(struct db *db, struct write_job *j)
{
    struct objection_job *x = WRITE_OF(j, struct objection_job);
    return assessment_objection_decide(db, j->actor, x->id, x->body, &j->e);
}

/* The objection as it now is (the office sees every one). */
static void decide_done(struct req *r, struct write_job *j)
{
    struct db *db = api_db(r);
    if (!db) return;
    struct err e = {0};
    json_t *v = assessment_objections_json(db, r->actor, NULL, &e), *o;
    if (!v) {
        req_reply_err(r, &e);
        return;
    }
    size_t i;
    json_t *found = NULL;
    json_array_foreach(json_object_get(v, "objections"), i, o)
    {
        if (json_integer_value(json_object_get(o, "id")) == WRITE_OF(j, struct objection_job)->id)
            found = o;
    }
    if (found)
        req_reply_json(r, 200, json_incref(found));
    else
        req_reply_error(r, 404, "not_found", NULL, "there is no such objection");
    json_decref(v);
}

static const struct write_ops decide_ops = {
    .what = "deciding an objection", .run = decide_run, .done = decide_done};

void api_assessment_objection_decide(struct req *r)
{
    struct objection_job *x = WRITE_NEW(r, struct objection_job, &decide_ops);
    x->id = r->params[0];
    x->body = r->json;
    write_start(r, &x->job);
}
