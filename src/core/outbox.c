/* outbox.c — the outbox's rows: queueing, what is due, recording the
 * results with back-off and dead letters, and the admins' view and retry.
 * See outbox.h; the sender thread and the digests are outbox_send.c. */
#include "core/outbox.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/mem.h"
#include "util/str.h"
#include "util/time.h"

int outbox_queue(struct db *db, const struct outbox_new *n)
{
    struct db_stmt *st = db_prepare(
        db, "INSERT INTO outbox (key, channel, user_id, message_id, item_id, action, address,"
            " subject, body, link, next_at, since, created_at)"
            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)"
            " ON CONFLICT (key) DO NOTHING");
    if (!st) return DB_ERR;
    db_bind_text(st, 1, n->key, (size_t)-1);
    db_bind_text(st, 2, n->channel, (size_t)-1);
    const int64_t ids[] = {n->user_id, n->message_id, n->item_id};
    for (int k = 0; k < 3; k++)
        if (ids[k])
            db_bind_int64(st, 3 + k, ids[k]);
        else
            db_bind_null(st, 3 + k);
    db_bind_text(st, 6, n->action, (size_t)-1);
    db_bind_text(st, 7, n->address ? n->address : "", (size_t)-1);
    db_bind_text(st, 8, n->subject, (size_t)-1);
    db_bind_text(st, 9, n->body, (size_t)-1);
    db_bind_text(st, 10, n->link ? n->link : "", (size_t)-1);
    db_bind_int64(st, 11, n->next_at);
    db_bind_int64(st, 12, n->now);
    int rc = db_step(st);
    db_finalize(st);
    return rc == DB_DONE ? DB_OK : rc;
}

static void col_copy(struct db_stmt *st, int col, char *out, size_t n)
{
    const char *s = db_column_is_null(st, col) ? "" : db_column_text(st, col);
    snprintf(out, n, "%s", s ? s : "");
}

static char *col_dup(struct db_stmt *st, int col)
{
    const char *s = db_column_is_null(st, col) ? "" : db_column_text(st, col);
    return xstrdup(s ? s : "");
}

static void row_read(struct db_stmt *st, struct outbox_row *r)
{
    memset(r, 0, sizeof *r);
    r->id = db_column_int64(st, 0);
    col_copy(st, 1, r->key, sizeof r->key);
    col_copy(st, 2, r->channel, sizeof r->channel);
    r->user_id = db_column_int64(st, 3);
    r->message_id = db_column_int64(st, 4);
    r->item_id = db_column_int64(st, 5);
    col_copy(st, 6, r->action, sizeof r->action);
    col_copy(st, 7, r->address, sizeof r->address);
    r->subject = col_dup(st, 8);
    r->body = col_dup(st, 9);
    r->link = col_dup(st, 10);
    r->attempts = (int)db_column_int64(st, 11);
    r->created_at = db_column_int64(st, 12);
    col_copy(st, 13, r->username, sizeof r->username);
    col_copy(st, 14, r->name, sizeof r->name);
    col_copy(st, 15, r->unit_code, sizeof r->unit_code);
    col_copy(st, 16, r->unit_name, sizeof r->unit_name);
}

int outbox_due(struct db *db, int64_t now, size_t max, struct outbox_row **rows, size_t *n)
{
    *rows = NULL;
    *n = 0;
    struct db_stmt *st = db_prepare(
        db, "SELECT o.id, o.key, o.channel, o.user_id, o.message_id, o.item_id, o.action,"
            " o.address, o.subject, o.body, o.link, o.attempts, o.created_at, u.username, u.name,"
            " un.code, un.name FROM outbox o LEFT JOIN users u ON u.id = o.user_id"
            " LEFT JOIN units un ON un.id = u.unit_id"
            " WHERE o.status = 'pending' AND o.next_at <= ?1 ORDER BY o.next_at, o.id LIMIT ?2");
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, now);
    db_bind_int64(st, 2, (int64_t)max);
    int rc;
    *rows = xcalloc(max ? max : 1, sizeof **rows);
    while ((rc = db_step(st)) == DB_ROW && *n < max)
        row_read(st, &(*rows)[(*n)++]);
    db_finalize(st);
    if (rc == DB_ROW || rc == DB_DONE) return DB_OK;
    outbox_rows_free(*rows, *n);
    *rows = NULL, *n = 0;
    return rc;
}

void outbox_rows_free(struct outbox_row *rows, size_t n)
{
    for (size_t k = 0; rows && k < n; k++) {
        free(rows[k].subject);
        free(rows[k].body);
        free(rows[k].link);
    }
    free(rows);
}

/* ---- the rules and the results ---- */

int outbox_rules_load(struct db *db, struct outbox_rules *r)
{
    static const struct {
        const char *key;
        int min, max, def;
        size_t off;
    } keys[] = {
        {"outbox.retry_base_seconds", 1, 3600, 30, offsetof(struct outbox_rules, retry_base_s)},
        {"outbox.retry_max_seconds", 1, 86400, 3600, offsetof(struct outbox_rules, retry_max_s)},
        {"outbox.dead_after_hours", 1, 720, 24, offsetof(struct outbox_rules, dead_after_h)},
        {"outbox.digest_hour", 0, 23, 8, offsetof(struct outbox_rules, digest_hour)},
    };
    int rc = DB_OK;
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        int *field = (int *)(void *)((char *)r + keys[k].off);
        *field = keys[k].def;
        struct db_stmt *st = db_prepare(db, "SELECT value FROM settings WHERE key = ?1");
        if (!st) return DB_ERR;
        db_bind_text(st, 1, keys[k].key, (size_t)-1);
        int step = db_step(st);
        int64_t v;
        const char *s = step == DB_ROW ? db_column_text(st, 0) : NULL;
        if (s && !str_to_int64(s, strlen(s), &v) && v >= keys[k].min && v <= keys[k].max)
            *field = (int)v;
        if (step != DB_ROW && step != DB_DONE) rc = step;
        db_finalize(st);
    }
    return rc;
}

int64_t outbox_backoff_ms(const struct outbox_rules *r, int attempts)
{
    int64_t s = r->retry_base_s;
    for (int k = 1; k < attempts && s < r->retry_max_s; k++)
        s *= 2;
    return (s < r->retry_max_s ? s : r->retry_max_s) * 1000;
}

/* Record one failed attempt: its next try, or dead past the day. */
static int record_failure(struct db *db, const struct outbox_result *x, int64_t now,
                          const struct outbox_rules *r, int *dead)
{
    struct db_stmt *st =
        db_prepare(db, "SELECT attempts, since FROM outbox WHERE id = ?1 AND status = 'pending'");
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, x->id);
    int rc = db_step(st);
    int attempts = rc == DB_ROW ? (int)db_column_int64(st, 0) + 1 : 0;
    int64_t since = rc == DB_ROW ? db_column_int64(st, 1) : 0;
    db_finalize(st);
    if (rc != DB_ROW) return rc == DB_DONE ? DB_OK : rc;
    int gone = now - since >= (int64_t)r->dead_after_h * 3600000;
    st = db_prepare(db, "UPDATE outbox SET attempts = ?2, last_error = ?3, next_at = ?4,"
                        " status = ?5 WHERE id = ?1");
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, x->id);
    db_bind_int64(st, 2, attempts);
    db_bind_text(st, 3, x->error, (size_t)-1);
    db_bind_int64(st, 4, now + outbox_backoff_ms(r, attempts));
    db_bind_text(st, 5, gone ? "dead" : "pending", (size_t)-1);
    rc = db_step(st);
    db_finalize(st);
    if (gone && dead) (*dead)++;
    return rc == DB_DONE ? DB_OK : rc;
}

int outbox_record(struct db *db, const struct outbox_result *res, size_t n, int64_t now,
                  const struct outbox_rules *r, int *dead)
{
    int rc = DB_OK;
    for (size_t k = 0; k < n && rc == DB_OK; k++) {
        if (!res[k].ok) {
            rc = record_failure(db, &res[k], now, r, dead);
            continue;
        }
        struct db_stmt *st =
            db_prepare(db, "UPDATE outbox SET status = 'sent', sent_at = ?2,"
                           " attempts = attempts + 1, last_error = '' WHERE id = ?1");
        if (!st) return DB_ERR;
        db_bind_int64(st, 1, res[k].id);
        db_bind_int64(st, 2, now);
        rc = db_step(st);
        db_finalize(st);
        rc = rc == DB_DONE ? DB_OK : rc;
    }
    return rc;
}

/* ---- for admins ---- */

static json_t *time_or_null(struct db_stmt *st, int col)
{
    if (db_column_is_null(st, col)) return json_null();
    char t[40];
    time_format_iso(db_column_int64(st, col), t, sizeof t);
    return json_string(t);
}

static json_t *admin_row(struct db_stmt *st)
{
    json_t *user = db_column_is_null(st, 3)
                       ? json_null()
                       : json_pack("{s:I,s:s}", "id", (json_int_t)db_column_int64(st, 3),
                                   "username", db_column_text(st, 4));
    json_t *item = db_column_is_null(st, 5) ? json_null() : json_integer(db_column_int64(st, 5));
    return json_pack("{s:I,s:s,s:s,s:s,s:o,s:o,s:s,s:s,s:s,s:I,s:o,s:o,s:o,s:s}", "id",
                     (json_int_t)db_column_int64(st, 0), "key", db_column_text(st, 1), "channel",
                     db_column_text(st, 2), "status", db_column_text(st, 12), "user", user,
                     "item_id", item, "action", db_column_text(st, 6), "address",
                     db_column_text(st, 7), "subject", db_column_text(st, 8), "attempts",
                     (json_int_t)db_column_int64(st, 9), "next_at", time_or_null(st, 10),
                     "created_at", time_or_null(st, 11), "sent_at", time_or_null(st, 13),
                     "last_error", db_column_text(st, 14));
}

#define ADMIN_COLS                                                                                 \
    "SELECT o.id, o.key, o.channel, o.user_id, coalesce(u.username, ''), o.item_id, o.action,"     \
    " o.address, o.subject, o.attempts, o.next_at, o.created_at, o.status, o.sent_at,"             \
    " o.last_error FROM outbox o LEFT JOIN users u ON u.id = o.user_id"

/* The rows of status, or of pending and dead (status NULL), newest first. */
static struct db_stmt *admin_stmt(struct db *db, const char *status)
{
    return status ? db_prepare(db, ADMIN_COLS " WHERE o.status = ?1 ORDER BY o.id DESC"
                                              " LIMIT ?2 OFFSET ?3")
                  : db_prepare(db, ADMIN_COLS " WHERE o.status IN ('pending','dead')"
                                              " ORDER BY o.id DESC LIMIT ?1 OFFSET ?2");
}

static int admin_count(struct db *db, const char *status, int64_t *n)
{
    struct db_stmt *st = db_prepare(db, "SELECT count(*) FROM outbox WHERE status = ?1");
    if (!st) return DB_ERR;
    db_bind_text(st, 1, status, (size_t)-1);
    int rc = db_step(st);
    if (rc == DB_ROW) *n = db_column_int64(st, 0), rc = DB_OK;
    db_finalize(st);
    return rc;
}

json_t *outbox_list_json(struct db *db, const char *status, int64_t offset, int64_t limit,
                         struct err *e)
{
    if (status && strcmp(status, "pending") && strcmp(status, "dead") && strcmp(status, "sent"))
        return err_set(e, 422, "invalid_field", "'status' must be pending, dead or sent"), NULL;
    int64_t pending = 0, dead = 0;
    int rc = admin_count(db, "pending", &pending);
    if (rc == DB_OK) rc = admin_count(db, "dead", &dead);
    struct db_stmt *st = rc == DB_OK ? admin_stmt(db, status) : NULL;
    if (!st) return err_db(e, rc == DB_OK ? DB_ERR : rc, "reading the outbox"), NULL;
    int p = status ? 2 : 1; /* where limit and offset go */
    if (status) db_bind_text(st, 1, status, (size_t)-1);
    db_bind_int64(st, p, limit);
    db_bind_int64(st, p + 1, offset);
    json_t *rows = json_array();
    while ((rc = db_step(st)) == DB_ROW)
        json_array_append_new(rows, admin_row(st));
    db_finalize(st);
    if (rc != DB_DONE) {
        json_decref(rows);
        return err_db(e, rc, "reading the outbox"), NULL;
    }
    return json_pack("{s:{s:I,s:I},s:o,s:I,s:I}", "counts", "pending", (json_int_t)pending, "dead",
                     (json_int_t)dead, "rows", rows, "offset", (json_int_t)offset, "limit",
                     (json_int_t)limit);
}

int outbox_retry(struct db *db, int64_t id, struct err *e)
{
    struct db_stmt *st = db_prepare(db, "SELECT status FROM outbox WHERE id = ?1");
    if (!st) return err_db(e, DB_ERR, "reading the outbox");
    db_bind_int64(st, 1, id);
    int rc = db_step(st);
    char status[16] = "";
    if (rc == DB_ROW) col_copy(st, 0, status, sizeof status);
    db_finalize(st);
    if (rc == DB_DONE) return err_set(e, 404, "not_found", "no outbox row %lld", (long long)id);
    if (rc != DB_ROW) return err_db(e, rc, "reading the outbox");
    if (!strcmp(status, "sent"))
        return err_set(e, 409, "already_sent", "outbox row %lld was delivered", (long long)id);
    st = db_prepare(db, "UPDATE outbox SET status = 'pending', next_at = ?2, since = ?2"
                        " WHERE id = ?1");
    if (!st) return err_db(e, DB_ERR, "retrying");
    db_bind_int64(st, 1, id);
    db_bind_int64(st, 2, time_now_ms());
    rc = db_step(st);
    db_finalize(st);
    return rc == DB_DONE ? 0 : err_db(e, rc, "retrying");
}

int outbox_retry_dead(struct db *db, int64_t *n, struct err *e)
{
    struct db_stmt *st = db_prepare(db, "UPDATE outbox SET status = 'pending', next_at = ?1,"
                                        " since = ?1 WHERE status = 'dead'");
    if (!st) return err_db(e, DB_ERR, "retrying");
    db_bind_int64(st, 1, time_now_ms());
    int rc = db_step(st);
    db_finalize(st);
    if (rc != DB_DONE) return err_db(e, rc, "retrying");
    *n = db_changes(db);
    return 0;
}
