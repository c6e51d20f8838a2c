/* instruction_files.c — /api/v1/instruction-files: the 批示件 register
 * (core/instruction_file.h): register, list by month, read, turn into an
 * item, close. */
#include <string.h>

#include "api/api.h"
#include "core/instruction_file.h"
#include "core/item.h"
#include "http/req.h"
#include "http/write.h"

/* The reader connection or a 503 already replied. */
static struct db *ifile_db(struct req *r)
{
    struct db *db = req_db(r);
    if (!db)
        req_reply_error(r, 503, "database_unavailable", NULL, "the database cannot be reached");
    return db;
}

void api_ifiles_list(struct req *r)
{
    const char *month = req_query(r, "month");
    if (month && !*month) month = NULL;
    if (month && (strlen(month) != 7 || month[4] != '-')) {
        req_reply_error(r, 422, "invalid_parameter", NULL, "'month' must be YYYY-MM");
        return;
    }
    struct err e = {0};
    struct db *db = ifile_db(r);
    if (!db) return;
    json_t *v = ifile_list_json(db, r->actor, month, &e);
    if (!v)
        req_reply_err(r, &e);
    else
        req_reply_json(r, 200, v);
}

void api_ifile_get(struct req *r)
{
    struct err e = {0};
    struct db *db = ifile_db(r);
    if (!db) return;
    json_t *v = ifile_get_json(db, r->actor, r->params[0], &e);
    if (!v)
        req_reply_err(r, &e);
    else
        req_reply_json(r, 200, v);
}

struct ifile_job {
    struct write_job job;
    int64_t id;   /* the file spawned from or closed */
    json_t *body; /* borrowed from r->json */
};

static int create_run(struct db *db, struct write_job *j)
{
    return ifile_create(db, j->actor, WRITE_OF(j, struct ifile_job)->body, &j->id, &j->e);
}

static int spawn_run(struct db *db, struct write_job *j)
{
    struct ifile_job *x = WRITE_OF(j, struct ifile_job);
    return ifile_spawn(db, j->actor, x->id, x->body, &j->id, &j->e);
}

static int close_run(struct db *db, struct write_job *j)
{
    struct ifile_job *x = WRITE_OF(j, struct ifile_job);
    j->id = x->id;
    return ifile_close(db, j->actor, x->id, &j->e);
}

static const struct write_ops create_ops = {.what = "registering an instruction",
                                            .run = create_run,
                                            .load = ifile_get_json,
                                            .status = 201,
                                            .location = "/api/v1/instruction-files/"};
static const struct write_ops spawn_ops = {.what = "creating an item",
                                           .run = spawn_run,
                                           .load = item_get_json,
                                           .status = 201,
                                           .location = "/api/v1/items/"};
static const struct write_ops close_ops = {
    .what = "closing an instruction", .run = close_run, .load = ifile_get_json, .status = 200};

static void ifile_start(struct req *r, const struct write_ops *ops)
{
    struct ifile_job *x = WRITE_NEW(r, struct ifile_job, ops);
    x->id = r->params[0];
    x->body = r->json;
    write_start(r, &x->job);
}

void api_ifiles_create(struct req *r)
{
    ifile_start(r, &create_ops);
}

void api_ifile_spawn(struct req *r)
{
    ifile_start(r, &spawn_ops);
}

void api_ifile_close(struct req *r)
{
    ifile_start(r, &close_ops);
}
