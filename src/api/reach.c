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
#include "core/channel.h"
#include "core/message.h"
#include "core/outbox.h"
#include "core/prefs.h"
#include "core/setting.h"
#include "http/req.h"
#include "http/write.h"
#include "util/str.h"

/* The reader connection or a 503 already replied. */
static struct db *reach_db(struct req *r)
{
    struct db *db = req_db(r);
    if (!db)
        req_reply_error(r, 503, "database_unavailable", NULL, "the database cannot be reached");
    return db;
}

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

void api_messages(struct req *r)
{
    int64_t offset = 0, limit = 25, unread = 0;
    if (query_int(r, "offset", 0, 1000000000, &offset) ||
        query_int(r, "limit", 1, MESSAGE_LIMIT_MAX, &limit) ||
        query_int(r, "unread", 0, 1, &unread))
        return;
    struct db *db = reach_db(r);
    if (!db) return;
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
    struct db *db = reach_db(r);
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
    struct db *db = reach_db(r);
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
    struct db *db = reach_db(r);
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
    struct db *db = reach_db(r);
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
