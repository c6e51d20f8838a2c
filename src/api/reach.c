/* reach.c — reaching people over the API: the caller's in-app messages and
 * their preferences, and for admins the delivery channels and the outbox.
 *
 * Reads are core's message.h, prefs.h, channel.h and outbox.h; writes run
 * as durable write jobs.  A user reads and changes only their own messages
 * and preferences (the actor's id, never one from the request); channels
 * and the outbox are admin routes (app/routes.c).  Secrets never come
 * back. */
#include <string.h>

#include "api/api.h"
#include "api/export.h"
#include "core/channel.h"
#include "core/message.h"
#include "core/outbox.h"
#include "core/prefs.h"
#include "core/setting.h"
#include "http/req.h"
#include "http/write.h"
#include "notice/item_export.h"
#include "util/str.h"

/* An integer query parameter within [min, max] into *out (kept when absent);
 * 0, or -1 with a 422 replied. */
static int query_int(struct req *r, const char *name, int64_t min, int64_t max, int64_t *out)
{
    const char *s = req_query(r, name);
    if (!s) return 0;
    if (str_to_int64(s, strlen(s), out) || *out < min || *out > max) {
        req_reply_error(r, 422, "invalid_parameter", NULL,
                        "'%s' must be an integer from %lld to %lld", name, (long long)min,
                        (long long)max);
        return -1;
    }
    return 0;
}

/* ---- GET /api/v1/messages ---- */

/* The most messages one export holds (a user's whole history is far less). */
#define MESSAGE_EXPORT_MAX 100000

/* The caller's messages (unread ones only when unread), newest first, as
 * flat rows for table_export; NULL with e. */
static json_t *messages_rows(struct db *db, int64_t user_id, int unread, struct err *e)
{
    json_t *rows = json_array();
    for (int64_t offset = 0; offset < MESSAGE_EXPORT_MAX; offset += MESSAGE_LIMIT_MAX) {
        json_t *v = message_list_json(db, user_id, unread, offset, MESSAGE_LIMIT_MAX, e);
        if (!v) return json_decref(rows), NULL;
        json_t *page = json_object_get(v, "messages"), *m;
        size_t i;
        json_array_foreach(page, i, m)
        {
            json_t *row = json_deep_copy(m);
            json_object_set_new(
                row, "read",
                json_string(json_is_true(json_object_get(m, "read")) ? "已读" : "未读"));
            json_array_append_new(rows, row);
        }
        size_t n = json_array_size(page);
        json_decref(v);
        if (n < MESSAGE_LIMIT_MAX) break;
    }
    return rows;
}

/* The messages as a file to download (format csv or xlsx): 消息-YYYY-MM-DD. */
static void messages_file(struct req *r, struct db *db, int unread, int xlsx)
{
    static const struct table_col cols[] = {
        {"编号", 8, "id", TABLE_INT},          {"时间", 26, "at", TABLE_TEXT},
        {"标题", 30, "title", TABLE_TEXT},     {"内容", 50, "text", TABLE_TEXT},
        {"事项编号", 9, "item_id", TABLE_INT}, {"发送人", 14, "actor", TABLE_TEXT},
        {"动作", 12, "action", TABLE_TEXT},    {"状态", 8, "read", TABLE_TEXT}};
    struct err e = {0};
    json_t *rows = messages_rows(db, r->actor->user_id, unread, &e);
    if (!rows) {
        req_reply_err(r, &e);
        return;
    }
    int fd;
    uint64_t size;
    int rc = table_export(rows, cols, sizeof cols / sizeof *cols, "消息",
                          xlsx ? ITEM_EXPORT_XLSX : ITEM_EXPORT_CSV, &fd, &size, &e);
    json_decref(rows);
    if (rc)
        req_reply_err(r, &e);
    else
        api_send_export(r, fd, size, xlsx, "messages", "消息");
}

void api_messages(struct req *r)
{
    int64_t offset = 0, limit = 25, unread = 0;
    int format = api_format(r);
    if (format < 0) return;
    if (query_int(r, "offset", 0, 1000000000, &offset) ||
        query_int(r, "limit", 1, MESSAGE_LIMIT_MAX, &limit) ||
        query_int(r, "unread", 0, 1, &unread))
        return;
    struct db *db = api_db(r);
    if (!db) return;
    if (format != API_FORMAT_JSON) {
        messages_file(r, db, (int)unread, format == API_FORMAT_XLSX);
        return;
    }
    struct err e = {0};
    json_t *v = message_list_json(db, r->actor->user_id, (int)unread, offset, limit, &e);
    if (v)
        req_reply_json(r, 200, v);
    else
        req_reply_err(r, &e);
}

/* ---- POST /api/v1/messages/read ---- */

struct read_job {
    struct write_job job;
    json_t *body;
    int64_t marked;
};

static int read_run(struct db *db, struct write_job *j)
{
    struct read_job *x = WRITE_OF(j, struct read_job);
    return message_mark_read(db, j->actor->user_id, x->body, &x->marked, &j->e);
}

/* {"marked": n, "unread_count": n} */
static void read_done(struct req *r, struct write_job *j)
{
    struct read_job *x = WRITE_OF(j, struct read_job);
    struct db *db = api_db(r);
    int64_t unread = 0;
    if (!db) return;
    if (message_unread(db, r->actor->user_id, &unread) != DB_OK) {
        req_reply_error(r, 503, "database_unavailable", NULL, "cannot count the messages");
        return;
    }
    req_reply_json(r, 200,
                   json_pack("{s:I,s:I}", "marked", (json_int_t)x->marked, "unread_count",
                             (json_int_t)unread));
}

static const struct write_ops read_ops = {
    .what = "marking messages read", .run = read_run, .done = read_done};

void api_messages_read(struct req *r)
{
    struct read_job *x = WRITE_NEW(r, struct read_job, &read_ops);
    x->body = r->json;
    write_start(r, &x->job);
}

/* ---- GET and POST /api/v1/me/prefs ---- */

void api_prefs(struct req *r)
{
    struct db *db = api_db(r);
    if (!db) return;
    struct err e = {0};
    json_t *v = prefs_json(db, r->actor->user_id, &e);
    if (v)
        req_reply_json(r, 200, v);
    else
        req_reply_err(r, &e);
}

static int prefs_run(struct db *db, struct write_job *j)
{
    return prefs_set(db, j->actor->user_id, WRITE_OF(j, struct write_body)->body, &j->e);
}

static void prefs_done(struct req *r, struct write_job *j)
{
    (void)j;
    api_prefs(r);
}

static const struct write_ops prefs_ops = {
    .what = "storing the preferences", .run = prefs_run, .done = prefs_done};

void api_prefs_set(struct req *r)
{
    struct write_body *x = WRITE_NEW(r, struct write_body, &prefs_ops);
    x->body = r->json;
    write_start(r, &x->job);
}

/* ---- GET and POST /api/v1/channels ---- */

void api_channels(struct req *r)
{
    struct db *db = api_db(r);
    if (!db) return;
    struct err e = {0};
    const char *base = NULL;
    json_t *v = channel_list_json(db, &e);
    if (v && setting_text(db, "notify.base_url", r->arena, &base, &e)) {
        json_decref(v);
        v = NULL;
    }
    if (!v) {
        req_reply_err(r, &e);
        return;
    }
    json_object_set_new(v, "base_url", json_string(base ? base : ""));
    req_reply_json(r, 200, v);
}

/* {"base_url"?, "email"?: {…}, "webhook"?: {…}, "dingtalk"?: {…}}, all or nothing. */
static int channels_run(struct db *db, struct write_job *j)
{
    json_t *body = WRITE_OF(j, struct write_body)->body, *v;
    const char *key;
    if (!json_is_object(body) || !json_object_size(body))
        return err_set(&j->e, 422, "invalid_field",
                       "send {\"base_url\", \"email\", \"webhook\", \"dingtalk\"}, any of them");
    json_object_foreach(body, key, v)
    {
        if (!strcmp(key, "base_url")) {
            if (channel_base_url_set(db, j->actor, json_string_value(v), &j->e)) return -1;
        } else if (!channel_bit(key)) {
            return err_set(&j->e, 422, "unknown_field", "no channel '%.40s'", key);
        } else if (channel_set(db, j->actor, key, v, &j->e)) {
            return -1;
        }
    }
    return 0;
}

static void channels_done(struct req *r, struct write_job *j)
{
    (void)j;
    api_channels(r);
}

static const struct write_ops channels_ops = {
    .what = "storing the channels", .run = channels_run, .done = channels_done};

void api_channels_set(struct req *r)
{
    struct write_body *x = WRITE_NEW(r, struct write_body, &channels_ops);
    x->body = r->json;
    write_start(r, &x->job);
}

/* ---- GET /api/v1/outbox, POST /api/v1/outbox/retry ---- */

void api_outbox(struct req *r)
{
    int64_t offset = 0, limit = 50;
    const char *status = req_query(r, "status");
    if (query_int(r, "offset", 0, 1000000000, &offset) || query_int(r, "limit", 1, 500, &limit))
        return;
    struct db *db = api_db(r);
    if (!db) return;
    struct err e = {0};
    json_t *v = outbox_list_json(db, status && *status ? status : NULL, offset, limit, &e);
    if (v)
        req_reply_json(r, 200, v);
    else
        req_reply_err(r, &e);
}

struct retry_job {
    struct write_job job;
    json_t *body;
    int64_t retried;
};

/* {"id": N} or {"dead": true} */
static int retry_run(struct db *db, struct write_job *j)
{
    struct retry_job *x = WRITE_OF(j, struct retry_job);
    json_t *id = json_object_get(x->body, "id"), *dead = json_object_get(x->body, "dead");
    x->retried = 0;
    if (!json_is_object(x->body) || json_object_size(x->body) != 1 ||
        (!json_is_integer(id) && !json_is_true(dead)))
        return err_set(&j->e, 422, "invalid_field", "send {\"id\": N} or {\"dead\": true}");
    if (dead) return outbox_retry_dead(db, &x->retried, &j->e);
    if (outbox_retry(db, json_integer_value(id), &j->e)) return -1;
    x->retried = 1;
    return 0;
}

static void retry_done(struct req *r, struct write_job *j)
{
    req_reply_json(
        r, 200, json_pack("{s:I}", "retried", (json_int_t)WRITE_OF(j, struct retry_job)->retried));
}

static const struct write_ops retry_ops = {
    .what = "retrying deliveries", .run = retry_run, .done = retry_done};

void api_outbox_retry(struct req *r)
{
    struct retry_job *x = WRITE_NEW(r, struct retry_job, &retry_ops);
    x->body = r->json;
    write_start(r, &x->job);
}
