/* efficiency.c — the 亩均效益评价 API under /api/v1/efficiency/{year}/: data
 * (a sheet as the raw body, ?dry_run=1), config (GET, POST), evaluate,
 * results (?format=json|csv|xlsx), publish, objections (GET, POST, and the
 * office's decision on one), finalize.  Who may call a route is the route
 * table's business; who sees which row and what each step allows is
 * core/efficiency.c's; the files are notice/efficiency_export.c's. */
#include <string.h>

#include "api/api.h"
#include "api/export.h"
#include "core/efficiency.h"
#include "http/req.h"
#include "http/write.h"
#include "notice/efficiency_export.h"

/* The year of the path into *year; 0, or -1 after answering 422. */
static int year_of(struct req *r, int *year)
{
    if (r->params[0] < 2000 || r->params[0] > 9998) {
        req_reply_error(r, 422, "invalid_parameter", NULL, "the year must be from 2000 to 9998");
        return -1;
    }
    *year = (int)r->params[0];
    return 0;
}

/* Answer v (stolen) with 200, or e when v is NULL. */
static void reply(struct req *r, int status, json_t *v, struct err *e)
{
    if (v)
        req_reply_json(r, status, v);
    else
        req_reply_err(r, e);
}

struct data_job {
    struct write_job job;
    int year;
    struct eff_plan *plan;
};

static int data_run(struct db *db, struct write_job *j)
{
    struct data_job *x = WRITE_OF(j, struct data_job);
    return efficiency_plan_store(db, j->actor, x->year, x->plan, &j->e);
}

static void data_done(struct req *r, struct write_job *j)
{
    json_t *v = efficiency_plan_json(WRITE_OF(j, struct data_job)->plan);
    json_object_set_new(v, "dry_run", json_false());
    req_reply_json(r, 201, v);
}

static void data_refused(struct req *r, struct write_job *j)
{
    struct data_job *x = WRITE_OF(j, struct data_job);
    json_t *extra = NULL;
    if (x->plan && !strcmp(j->e.code, "efficiency_data_invalid")) {
        json_t *v = efficiency_plan_json(x->plan);
        extra = json_pack("{s:O}", "problems", json_object_get(v, "problems"));
        json_decref(v);
    }
    req_reply_err_extra(r, &j->e, extra);
}

static void data_release(struct write_job *j)
{
    efficiency_plan_free(WRITE_OF(j, struct data_job)->plan);
}

static const struct write_ops data_ops = {.what = "storing the year's data",
                                          .run = data_run,
                                          .done = data_done,
                                          .refused = data_refused,
                                          .release = data_release};

void api_efficiency_data(struct req *r)
{
    struct err e = {0};
    const char *dry = req_query(r, "dry_run");
    int year;
    if (year_of(r, &year)) return;
    if (dry && strcmp(dry, "0") && strcmp(dry, "1") && strcmp(dry, "true") &&
        strcmp(dry, "false")) {
        req_reply_error(r, 422, "invalid_field", NULL, "'dry_run' must be 1, true, 0 or false");
        return;
    }
    struct db *db = api_db(r);
    if (!db) return;
    if (!r->body.len) {
        req_reply_error(r, 400, "file_empty", NULL, "the file is empty (0 bytes)");
        return;
    }
    struct data_job *x = WRITE_NEW(r, struct data_job, &data_ops);
    x->year = year;
    if (efficiency_plan_read(db, r->body.data, r->body.len, &x->plan, &e)) {
        x->job.e = e;
        write_refuse(r, &x->job);
        return;
    }
    if (dry && (!strcmp(dry, "1") || !strcmp(dry, "true"))) {
        json_t *v = efficiency_plan_json(x->plan);
        json_object_set_new(v, "dry_run", json_true());
        req_reply_json(r, 200, v);
        efficiency_plan_free(x->plan);
        x->plan = NULL;
        return;
    }
    write_start(r, &x->job);
}

void api_efficiency_config(struct req *r)
{
    struct err e = {0};
    int year;
    struct db *db;
    if (year_of(r, &year) || !(db = api_db(r))) return;
    reply(r, 200, efficiency_config_get_json(db, year, &e), &e);
}

struct year_job {
    struct write_job job;
    int year;
    const char *step; /* evaluate, publish, finalize; NULL: the config */
    int64_t id;       /* the objection decided */
    json_t *body;     /* borrowed from r->json */
};

static int config_run(struct db *db, struct write_job *j)
{
    struct year_job *x = WRITE_OF(j, struct year_job);
    return efficiency_config_set(db, j->actor, x->year, x->body, &j->e);
}

static void config_done(struct req *r, struct write_job *j)
{
    struct err e = {0};
    struct db *db = api_db(r);
    if (db)
        reply(r, 200, efficiency_config_get_json(db, WRITE_OF(j, struct year_job)->year, &e), &e);
}

static const struct write_ops config_ops = {
    .what = "writing the evaluation's config", .run = config_run, .done = config_done};

void api_efficiency_config_set(struct req *r)
{
    int year;
    if (year_of(r, &year)) return;
    struct year_job *x = WRITE_NEW(r, struct year_job, &config_ops);
    x->year = year;
    x->body = r->json;
    write_start(r, &x->job);
}

static int step_run(struct db *db, struct write_job *j)
{
    struct year_job *x = WRITE_OF(j, struct year_job);
    return efficiency_step(db, j->actor, x->year, x->step, &j->e);
}

/* The results after a step; finalize adds the C and D enterprises. */
static void step_done(struct req *r, struct write_job *j)
{
    struct year_job *x = WRITE_OF(j, struct year_job);
    struct err e = {0};
    struct db *db = api_db(r);
    if (!db) return;
    json_t *v = efficiency_results_json(db, r->actor, x->year, &e);
    if (v && !strcmp(x->step, "finalize"))
        json_object_set_new(v, "remediation", efficiency_remediation_json(db, x->year, v));
    reply(r, 200, v, &e);
}

static const struct write_ops step_ops = {
    .what = "moving the evaluation on", .run = step_run, .done = step_done};

static void step(struct req *r, const char *name)
{
    int year;
    if (year_of(r, &year)) return;
    struct year_job *x = WRITE_NEW(r, struct year_job, &step_ops);
    x->year = year;
    x->step = name;
    write_start(r, &x->job);
}

void api_efficiency_evaluate(struct req *r)
{
    step(r, "evaluate");
}

void api_efficiency_publish(struct req *r)
{
    step(r, "publish");
}

void api_efficiency_finalize(struct req *r)
{
    step(r, "finalize");
}

void api_efficiency_results(struct req *r)
{
    struct err e = {0};
    int year, format = api_format(r);
    struct db *db;
    if (format < 0 || year_of(r, &year) || !(db = api_db(r))) return;
    if (format == API_FORMAT_JSON) { /* 100,000 rows: written straight, no JSON tree */
        buf_reset(&r->out);
        if (efficiency_results_write(db, r->actor, year, &r->out, &e))
            req_reply_err(r, &e);
        else
            req_reply_body(r, 200, "application/json; charset=utf-8");
        return;
    }
    json_t *v = efficiency_results_json(db, r->actor, year, &e);
    if (!v) {
        reply(r, 200, v, &e);
        return;
    }
    api_send_table(r, v, format == API_FORMAT_XLSX, efficiency_export_csv, efficiency_export_xlsx,
                   arena_printf(r->arena, "efficiency-%d", year));
    json_decref(v);
}

void api_efficiency_objections(struct req *r)
{
    struct err e = {0};
    int year;
    struct db *db;
    if (year_of(r, &year) || !(db = api_db(r))) return;
    reply(r, 200, efficiency_objections_json(db, r->actor, year, &e), &e);
}

static int objection_run(struct db *db, struct write_job *j)
{
    struct year_job *x = WRITE_OF(j, struct year_job);
    return efficiency_objection_add(db, j->actor, x->year, x->body, &j->id, &j->e);
}

static void objection_done(struct req *r, struct write_job *j)
{
    req_reply_json(r, 201, json_pack("{s:I,s:s}", "id", (json_int_t)j->id, "status", "pending"));
}

static const struct write_ops objection_ops = {
    .what = "recording an objection", .run = objection_run, .done = objection_done};

void api_efficiency_objection_add(struct req *r)
{
    int year;
    if (year_of(r, &year)) return;
    struct year_job *x = WRITE_NEW(r, struct year_job, &objection_ops);
    x->year = year;
    x->body = r->json;
    write_start(r, &x->job);
}

static int decide_run(struct db *db, struct write_job *j)
{
    struct year_job *x = WRITE_OF(j, struct year_job);
    return efficiency_objection_decide(db, j->actor, x->id, x->body, &x->year, &j->e);
}

/* The objection as it now is. */
static void decide_done(struct req *r, struct write_job *j)
{
    struct year_job *x = WRITE_OF(j, struct year_job);
    struct err e = {0};
    struct db *db = api_db(r);
    if (!db) return;
    json_t *v = efficiency_objections_json(db, r->actor, x->year, &e), *o, *found = NULL;
    size_t i;
    if (!v) {
        req_reply_err(r, &e);
        return;
    }
    json_array_foreach(json_object_get(v, "objections"), i, o)
    {
        if (json_integer_value(json_object_get(o, "id")) == x->id) found = o;
    }
    if (found)
        req_reply_json(r, 200, json_incref(found));
    else
        req_reply_error(r, 404, "not_found", NULL, "there is no such objection");
    json_decref(v);
}

static const struct write_ops decide_ops = {
    .what = "deciding an objection", .run = decide_run, .done = decide_done};

void api_efficiency_objection_decide(struct req *r)
{
    struct year_job *x = WRITE_NEW(r, struct year_job, &decide_ops);
    x->id = r->params[0];
    x->body = r->json;
    write_start(r, &x->job);
}
