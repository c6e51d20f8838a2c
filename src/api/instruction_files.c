/* instruction_files.c — /api/v1/instruction-files: the 批示件 register
 * (core/instruction_file.h): register, list by month (also as a CSV or
 * XLSX file), read, turn into an item, close. */
#include <string.h>

#include "api/api.h"
#include "api/export.h"
#include "core/instruction_file.h"
#include "core/item.h"
#include "http/req.h"
#include "http/write.h"
#include "notice/item_export.h"

/* The list's files (v's, borrowed) as flat rows for table_export: the state
 * in Chinese, the items counted, those closed. */
static json_t *ifile_rows(json_t *v)
{
    static const char *const keys[] = {"number", "issued_on", "text", "due"};
    json_t *rows = json_array(), *f, *it;
    size_t i, k;
    json_array_foreach(json_object_get(v, "instruction_files"), i, f)
    {
        json_t *row = json_object();
        for (k = 0; k < sizeof keys / sizeof *keys; k++)
            json_object_set(row, keys[k], json_object_get(f, keys[k]));
        json_object_set(row, "leader", json_object_get(json_object_get(f, "leader"), "name"));
        const char *state = json_string_value(json_object_get(f, "state"));
        json_object_set_new(row, "state",
                            json_string(!strcmp(state, "closed")     ? "已办结"
                                        : !strcmp(state, "answered") ? "已反馈"
                                                                     : "办理中"));
        int64_t done = 0;
        json_array_foreach(json_object_get(f, "items"), k, it)
        {
            const char *st = json_string_value(json_object_get(it, "status"));
            done += !strcmp(st, "done") || !strcmp(st, "archived") || !strcmp(st, "cancelled");
        }
        json_object_set_new(row, "items",
                            json_integer(json_array_size(json_object_get(f, "items"))));
        json_object_set_new(row, "closed_items", json_integer(done));
        json_array_append_new(rows, row);
    }
    return rows;
}

/* The list v (taken) as a file: 批示件-YYYY-MM-DD. */
static void ifiles_file(struct req *r, json_t *v, int xlsx)
{
    static const struct table_col cols[] = {
        {"编号", 18, "number", TABLE_TEXT},     {"批示日期", 12, "issued_on", TABLE_DATE},
        {"批示领导", 16, "leader", TABLE_TEXT}, {"批示内容", 50, "text", TABLE_TEXT},
        {"办理期限", 12, "due", TABLE_DATE},    {"状态", 10, "state", TABLE_TEXT},
        {"转办事项", 10, "items", TABLE_INT},   {"已办结事项", 10, "closed_items", TABLE_INT}};
    struct err e = {0};
    json_t *rows = ifile_rows(v);
    json_decref(v);
    int fd;
    uint64_t size;
    int rc = table_export(rows, cols, sizeof cols / sizeof *cols, "批示件",
                          xlsx ? ITEM_EXPORT_XLSX : ITEM_EXPORT_CSV, &fd, &size, &e);
    json_decref(rows);
    if (rc)
        req_reply_err(r, &e);
    else
        api_send_export(r, fd, size, xlsx, "instructions", "批示件");
}

void api_ifiles_list(struct req *r)
{
    int format = api_format(r);
    if (format < 0) return;
    const char *month = req_query(r, "month");
    if (month && !*month) month = NULL;
    if (month && (strlen(month) != 7 || month[4] != '-')) {
        req_reply_error(r, 422, "invalid_parameter", NULL, "'month' must be YYYY-MM");
        return;
    }
    struct err e = {0};
    struct db *db = api_db(r);
    if (!db) return;
    json_t *v = ifile_list_json(db, r->actor, month, &e);
    if (!v)
        req_reply_err(r, &e);
    else if (format != API_FORMAT_JSON)
        ifiles_file(r, v, format == API_FORMAT_XLSX);
    else
        req_reply_json(r, 200, v);
}

void api_ifile_get(struct req *r)
{
    struct err e = {0};
    struct db *db = api_db(r);
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
