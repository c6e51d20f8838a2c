/* message.c — reading and marking in-app messages.  See message.h. */
#include "core/message.h"

#include <stdio.h>
#include <string.h>

#include "util/time.h"

int message_unread(struct db *db, int64_t user_id, int64_t *n)
{
    *n = 0;
    struct db_stmt *st =
        db_prepare(db, "SELECT coalesce(sum(unread), 0) FROM message_tally WHERE user_id = ?1");
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, user_id);
    int rc = db_step(st);
    if (rc == DB_ROW) *n = db_column_int64(st, 0), rc = DB_OK;
    db_finalize(st);
    return rc;
}

#define MESSAGE_COLS                                                                               \
    "SELECT m.id, m.item_id, i.title, i.status, m.action, m.actor, m.title, m.text, m.at,"         \
    " m.read_at FROM messages m LEFT JOIN items i ON i.id = m.item_id WHERE m.user_id = ?1"

static json_t *message_row(struct db_stmt *st)
{
    char at[40], link[48];
    time_format_iso(db_column_int64(st, 8), at, sizeof at);
    json_t *item = json_null(), *item_id = json_null(), *href = json_null();
    if (!db_column_is_null(st, 1) && !db_column_is_null(st, 2)) {
        json_int_t id = (json_int_t)db_column_int64(st, 1);
        item = json_pack("{s:I,s:s,s:s}", "id", id, "title", db_column_text(st, 2), "status",
                         db_column_text(st, 3));
        item_id = json_integer(id);
        snprintf(link, sizeof link, "/items/%lld", (long long)id);
        href = json_string(link);
    }
    return json_pack("{s:I,s:o,s:o,s:s,s:s,s:s,s:s,s:o,s:s,s:b}", "id",
                     (json_int_t)db_column_int64(st, 0), "item_id", item_id, "item", item, "action",
                     db_column_text(st, 4), "actor", db_column_text(st, 5), "title",
                     db_column_text(st, 6), "text", db_column_text(st, 7), "link", href, "at", at,
                     "read", !db_column_is_null(st, 9));
}

json_t *message_list_json(struct db *db, int64_t user_id, int unread_only, int64_t offset,
                          int64_t limit, struct err *e)
{
    if (limit < 1 || limit > MESSAGE_LIMIT_MAX || offset < 0)
        return err_set(e, 422, "invalid_field", "'limit' must be 1 to %d and 'offset' at least 0",
                       MESSAGE_LIMIT_MAX),
               NULL;
    int64_t unread = 0;
    db_read_begin(db);
    int rc = message_unread(db, user_id, &unread);
    struct db_stmt *st =
        rc != DB_OK   ? NULL
        : unread_only ? db_prepare(db, MESSAGE_COLS " AND m.read_at IS NULL ORDER BY m.id DESC"
                                                    " LIMIT ?2 OFFSET ?3")
                      : db_prepare(db, MESSAGE_COLS " ORDER BY m.id DESC LIMIT ?2 OFFSET ?3");
    json_t *arr = json_array();
    if (st) {
        db_bind_int64(st, 1, user_id);
        db_bind_int64(st, 2, limit);
        db_bind_int64(st, 3, offset);
        while ((rc = db_step(st)) == DB_ROW)
            json_array_append_new(arr, message_row(st));
        db_finalize(st);
    }
    db_read_end(db);
    if (!st || rc != DB_DONE) {
        json_decref(arr);
        return err_db(e, st ? rc : rc == DB_OK ? DB_ERR : rc, "reading the messages"), NULL;
    }
    return json_pack("{s:o,s:I,s:I,s:I}", "messages", arr, "unread_count", (json_int_t)unread,
                     "offset", (json_int_t)offset, "limit", (json_int_t)limit);
}

/* Mark one message read.  DB_OK or a db code; *changed grows by 0 or 1. */
static int mark_one(struct db *db, int64_t user_id, int64_t id, int64_t now, int64_t *changed)
{
    struct db_stmt *st = db_prepare(db, "UPDATE messages SET read_at = ?3 WHERE user_id = ?1"
                                        " AND id = ?2 AND read_at IS NULL");
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, user_id);
    db_bind_int64(st, 2, id);
    db_bind_int64(st, 3, now);
    int rc = db_step(st);
    db_finalize(st);
    if (rc != DB_DONE) return rc;
    *changed += db_changes(db);
    return DB_OK;
}

/* The body's shape: {"ids":[…]} or {"all":true}.  0, or -1 with e. */
static int read_body_check(json_t *body, json_t **ids, struct err *e)
{
    if (!json_is_object(body)) return err_set(e, 400, "invalid_json", "the body must be an object");
    json_t *all = json_object_get(body, "all");
    *ids = json_object_get(body, "ids");
    if (json_object_size(body) != 1 || (!all && !*ids))
        return err_set(e, 422, "invalid_field", "send {\"ids\":[…]} or {\"all\":true}");
    if (all && !json_is_true(all)) return err_set(e, 422, "invalid_field", "'all' must be true");
    if (*ids && (!json_is_array(*ids) || json_array_size(*ids) < 1 ||
                 json_array_size(*ids) > MESSAGE_READ_MAX))
        return err_set(e, 422, "invalid_field", "'ids' must be an array of 1 to %d ids",
                       MESSAGE_READ_MAX);
    size_t i;
    json_t *v;
    json_array_foreach(*ids, i,
                       v) if (!json_is_integer(v) ||
                              json_integer_value(v) <=
                                  0) return err_set(e, 422, "invalid_field",
                                                    "'ids' must hold positive message ids");
    return 0;
}

int message_mark_read(struct db *db, int64_t user_id, json_t *body, int64_t *changed, struct err *e)
{
    json_t *ids = NULL;
    *changed = 0;
    if (read_body_check(body, &ids, e)) return -1;
    int64_t now = time_now_ms();
    int rc = DB_OK;
    if (!ids) {
        struct db_stmt *st = db_prepare(db, "UPDATE messages SET read_at = ?2 WHERE user_id = ?1"
                                            " AND read_at IS NULL");
        if (!st) return err_db(e, DB_ERR, "marking messages read");
        db_bind_int64(st, 1, user_id);
        db_bind_int64(st, 2, now);
        rc = db_step(st);
        db_finalize(st);
        if (rc == DB_DONE) *changed = db_changes(db), rc = DB_OK;
    }
    size_t i;
    json_t *v;
    json_array_foreach(ids, i, v)
    {
        if (rc != DB_OK) break;
        rc = mark_one(db, user_id, json_integer_value(v), now, changed);
    }
    return rc == DB_OK ? 0 : err_db(e, rc, "marking messages read");
}
