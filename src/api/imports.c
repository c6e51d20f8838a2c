/* imports.c — POST /api/v1/imports?name=FILE[&dry_run=1]: a 任务分解表 (an
 * .xlsx or CSV file as the raw body) into items, all or nothing
 * (core/import.h).
 *
 * The file is read and checked on the request thread (with a reader
 * connection: units and the calendar); a dry run answers the plan — every
 * row with what it would become and its problems — and writes nothing.
 * Otherwise the write job stores it: 201 with the plan and each row's item,
 * or 422 import_invalid with the same plan when any row has a problem (so a
 * script sees them all without a second call). */
#include <string.h>

#include "api/api.h"
#include "core/import.h"
#include "http/req.h"
#include "http/write.h"

struct import_new {
    struct write_job job; /* id: the import's */
    struct import_plan plan;
};

static int import_new_run(struct db *db, struct write_job *j)
{
    struct import_new *p = WRITE_OF(j, struct import_new);
    for (size_t i = 0; i < p->plan.n; i++) /* a retried run starts again */
        p->plan.rows[i].item_id = 0;
    return import_store(db, j->actor, &p->plan, &j->id, &j->e);
}

static void import_new_done(struct req *r, struct write_job *j)
{
    struct import_new *p = WRITE_OF(j, struct import_new);
    json_t *v = import_plan_json(&p->plan);
    json_object_set_new(v, "import_id", json_integer(j->id));
    json_object_set_new(v, "dry_run", json_false());
    write_reply_json(r, 201, NULL, v);
}

static void import_new_refused(struct req *r, struct write_job *j)
{
    struct import_new *p = WRITE_OF(j, struct import_new);
    json_t *extra = NULL;
    if (!strcmp(j->e.code, "import_invalid")) {
        json_t *v = import_plan_json(&p->plan);
        extra = json_pack("{s:O,s:O}", "rows", json_object_get(v, "rows"), "problems",
                          json_object_get(v, "problems"));
        json_decref(v);
    }
    req_reply_err_extra(r, &j->e, extra);
}

static void import_new_release(struct write_job *j)
{
    import_plan_free(&WRITE_OF(j, struct import_new)->plan);
}

static const struct write_ops import_new_ops = {.what = "storing the import",
                                                .run = import_new_run,
                                                .done = import_new_done,
                                                .refused = import_new_refused,
                                                .release = import_new_release};

/* 1 for dry_run=1|true, 0 for absent, 0 or false; -1 for anything else. */
static int dry_run_of(struct req *r)
{
    const char *v = req_query(r, "dry_run");
    if (!v || !strcmp(v, "0") || !strcmp(v, "false")) return 0;
    return !strcmp(v, "1") || !strcmp(v, "true") ? 1 : -1;
}

void api_imports_create(struct req *r)
{
    struct err e = {0};
    int dry = dry_run_of(r);
    if (dry < 0) {
        req_reply_error(r, 422, "invalid_field", NULL, "'dry_run' must be 1, true, 0 or false");
        return;
    }
    struct db *db = api_db(r);
    if (!db) return;
    if (!r->body.len) {
        req_reply_error(r, 400, "file_empty", NULL, "the file is empty (0 bytes)");
        return;
    }
    struct import_new *p = WRITE_NEW(r, struct import_new, &import_new_ops);
    if (import_plan_read(db, r->body.data, r->body.len, req_query(r, "name"), &p->plan, &e)) {
        p->job.e = e;
        write_refuse(r, &p->job);
        return;
    }
    if (dry) {
        json_t *v = import_plan_json(&p->plan);
        json_object_set_new(v, "dry_run", json_true());
        req_reply_json(r, 200, v);
        import_plan_free(&p->plan);
        return;
    }
    write_start(r, &p->job);
}
