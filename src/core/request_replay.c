/* request_replay.c — what a request's events vouch for of its row, and
 * `luoshi verify`'s check of it (the kind's replay hooks, kind.h).  The
 * create event carries the category, the channel and the requester; submit
 * the reply; rate the rating and its comment; follow_up its result; redo the
 * new count (and clears the round's reply, rating and follow-up); explain
 * its text.  The days (replied_on, done_on …) are the events' own times and
 * are not compared. */
#include <string.h>

#include "core/request.h"

/* Set key of state to data's field (a missing one as null). */
static void fold(json_t *state, const char *key, json_t *data, const char *field)
{
    json_t *v = json_object_get(data, field);
    json_object_set(state, key, v ? v : json_null());
}

static void create_fold(json_t *state, json_t *data)
{
    json_t *r = json_object_get(data, "request");
    if (!json_is_object(r)) return; /* not one this code made */
    fold(state, "category", r, "category");
    fold(state, "channel", r, "channel");
    fold(state, "requester_unit_id", r, "requester_unit_id");
    json_object_set_new(state, "redo_count", json_integer(0));
}

/* A redo starts a new round: what the last one answered is in its events. */
static void redo_fold(json_t *state, json_t *data)
{
    fold(state, "redo_count", data, "redo_count");
    json_object_set_new(state, "reply", json_null());
    json_object_set_new(state, "rating", json_null());
    json_object_set_new(state, "rating_comment", json_string(""));
    json_object_set_new(state, "follow_up", json_null());
}

void request_replay(json_t *state, int64_t seq, const char *action, int64_t at, json_t *data)
{
    (void)seq, (void)at;
    if (!strcmp(action, "create")) {
        create_fold(state, data);
    } else if (!strcmp(action, "submit")) {
        fold(state, "reply", data, "reply");
    } else if (!strcmp(action, "rate")) {
        fold(state, "rating", data, "rating");
        json_t *c = json_object_get(data, "comment");
        json_object_set_new(state, "rating_comment", c ? json_incref(c) : json_string(""));
    } else if (!strcmp(action, "follow_up")) {
        fold(state, "follow_up", data, "result");
    } else if (!strcmp(action, "redo")) {
        redo_fold(state, data);
    } else if (!strcmp(action, "explain")) {
        fold(state, "explanation", data, "text");
    }
}

static json_t *text_or_null(struct db_stmt *st, int col)
{
    return db_column_is_null(st, col) ? json_null() : verify_text_json(db_column_text(st, col));
}

int request_replay_check(struct db *db, int64_t id, json_t *state, struct verify_log *v)
{
    struct db_stmt *st =
        db_prepare(db, "SELECT category, channel, requester_unit_id, reply, rating, rating_comment,"
                       " follow_up, explanation, redo_count FROM requests WHERE item_id = ?1");
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, id);
    int rc = db_step(st);
    if (rc == DB_ROW) {
        json_t *row = json_pack(
            "{s:o,s:o,s:I,s:o,s:o,s:o,s:o,s:o,s:I}", "category", text_or_null(st, 0), "channel",
            text_or_null(st, 1), "requester_unit_id", (json_int_t)db_column_int64(st, 2), "reply",
            text_or_null(st, 3), "rating", text_or_null(st, 4), "rating_comment",
            text_or_null(st, 5), "follow_up", text_or_null(st, 6), "explanation",
            text_or_null(st, 7), "redo_count", (json_int_t)db_column_int64(st, 8));
        verify_fields(v, id, "request ", "request row", state, row);
        json_decref(row);
    } else if (rc == DB_DONE) {
        verify_problem(v, "item %lld: its request row is missing", (long long)id);
    }
    db_finalize(st);
    return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}
