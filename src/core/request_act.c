/* request_act.c — the request's steps around the loop's actions (kind.h's
 * kind_step): the deadline from its category on assign, the reply (答复)
 * on submit, the day it was done, and its own actions after that: the
 * requester's rate, the office's follow_up (回访), redo (重办) after an
 * unsatisfied rating, and explain (closing an unsatisfied request whose
 * demand lies outside policy, counted apart).  Each records what it set in
 * the event's data.  What a request is and who sees it is kind_request.c's. */
#include <stdio.h>
#include <string.h>

#include "core/calendar.h"
#include "core/lifecycle.h"
#include "core/request.h"
#include "core/text.h"
#include "util/str.h"
#include "util/time.h"

/* What the steps read of a request's row. */
struct request_row {
    char category[41], rating[16], done_on[11];
    int explained;
    int64_t redo_count;
};

static void copy_text(struct db_stmt *st, int c, char *out, size_t n)
{
    snprintf(out, n, "%s", db_column_is_null(st, c) ? "" : db_column_text(st, c));
}

static int row_load(struct db *db, int64_t id, struct request_row *r, struct err *e)
{
    struct db_stmt *st = db_prepare(db, "SELECT category, rating, done_on, explanation IS NOT NULL,"
                                        " redo_count FROM requests WHERE item_id = ?1");
    if (!st) return err_db(e, DB_ERR, "reading the request");
    db_bind_int64(st, 1, id);
    int rc = db_step(st);
    if (rc == DB_ROW) {
        copy_text(st, 0, r->category, sizeof r->category);
        copy_text(st, 1, r->rating, sizeof r->rating);
        copy_text(st, 2, r->done_on, sizeof r->done_on);
        r->explained = db_column_int64(st, 3) != 0;
        r->redo_count = db_column_int64(st, 4);
    }
    db_finalize(st);
    if (rc == DB_DONE) return err_set(e, 500, "internal", "the request has no row");
    return rc == DB_ROW ? 0 : err_db(e, rc, "reading the request");
}

/* Run st (prepared by the caller; NULL when that failed) with ?1 the item
 * and ?2 text (NULL: SQL NULL); finalized here. */
static int row_set(struct db_stmt *st, int64_t id, const char *text, struct err *e)
{
    int rc = db_run_id_text(st, id, text);
    return rc == DB_DONE ? 0 : err_db(e, rc, "recording the request");
}

/* Today as YYYY-MM-DD. */
static void today_text(char out[11])
{
    date_format(time_today(), out);
}

/* ---- assign, submit, verify ---- */

/* Without a lead unit given (or one the item has), the routing rule for
 * the category and the enterprise's town names it (recorded as routed_to). */
static int request_route(struct kind_act *x, struct err *e)
{
    json_t *u = json_object_get(x->body, "lead_unit_id");
    if ((u && !json_is_null(u)) || x->lead_unit_id) return 0;
    struct db_stmt *st =
        db_prepare(x->db, "SELECT category, requester_unit_id FROM requests WHERE item_id = ?1");
    if (!st) return err_db(e, DB_ERR, "reading the request");
    db_bind_int64(st, 1, x->id);
    int rc = db_step(st);
    int64_t unit = 0;
    if (rc == DB_ROW)
        rc = request_route_propose(x->db, db_column_text(st, 0), db_column_int64(st, 1), &unit);
    db_finalize(st);
    if (rc < 0) return err_db(e, rc, "routing the request");
    if (rc == 1) {
        x->lead_unit_id = unit;
        json_object_set_new(x->data, "routed_to", json_integer(unit));
    }
    return 0;
}

/* Without a deadline given (or one the item has), the category's limit in
 * working days from today sets it. */
static int request_assign(struct kind_act *x, struct err *e)
{
    json_t *d = json_object_get(x->body, "deadline"), *w = json_object_get(x->body, "working_days");
    struct request_row r;
    if (request_route(x, e)) return -1;
    if ((d && !json_is_null(d)) || (w && !json_is_null(w)) || x->deadline[0]) return 0;
    if (row_load(x->db, x->id, &r, e)) return -1;
    if (request_deadline(x->db, r.category, time_today(), x->deadline, e)) return -1;
    json_object_set_new(x->data, "category_deadline", json_string(x->deadline));
    return 0;
}

/* The day of this round's assignment, for on-time signing. */
static int request_assign_record(struct kind_act *x, struct err *e)
{
    char today[11];
    today_text(today);
    return row_set(db_prepare(x->db, "UPDATE requests SET assigned_on = ?2 WHERE item_id = ?1"),
                   x->id, today, e);
}

/* The day the lead unit signed for it (签收), for the figures. */
static int request_accept_record(struct kind_act *x, struct err *e)
{
    char today[11];
    today_text(today);
    return row_set(db_prepare(x->db, "UPDATE requests SET accepted_on = ?2 WHERE item_id = ?1"),
                   x->id, today, e);
}

/* The reply is what the requester reads: required, kept in the event. */
static int request_submit_check(struct kind_act *x, struct err *e)
{
    const char *reply = NULL;
    if (text_field(x->body, "reply", REQUEST_TEXT_MAX, 1, &reply, e)) return -1;
    json_object_set_new(x->data, "reply", json_string(reply));
    return 0;
}

static int request_submit_record(struct kind_act *x, struct err *e)
{
    char today[11];
    today_text(today);
    const char *reply = json_string_value(json_object_get(x->data, "reply"));
    if (row_set(db_prepare(x->db, "UPDATE requests SET reply = ?2 WHERE item_id = ?1"), x->id,
                reply, e))
        return -1;
    return row_set(db_prepare(x->db, "UPDATE requests SET replied_on = ?2 WHERE item_id = ?1"),
                   x->id, today, e);
}

/* The day it was done opens the requester's window to rate it. */
static int request_verify_record(struct kind_act *x, struct err *e)
{
    char today[11];
    today_text(today);
    return row_set(db_prepare(x->db, "UPDATE requests SET done_on = ?2 WHERE item_id = ?1"), x->id,
                   today, e);
}

/* ---- rate ---- */

/* The days after done within which the requester rates (request.rate_days). */
static int64_t rate_days(struct db *db)
{
    int64_t days = 7, v;
    struct db_stmt *st =
        db_prepare(db, "SELECT value FROM settings WHERE key = 'request.rate_days'");
    if (st && db_step(st) == DB_ROW) {
        const char *s = db_column_text(st, 0);
        if (s && !str_to_int64(s, strlen(s), &v) && v > 0 && v <= 90) days = v;
    }
    db_finalize(st);
    return days;
}

/* Once per round, within request.rate_days of done, and not once explained. */
static int request_rate_may(struct kind_act *x, struct err *e)
{
    struct request_row r;
    if (row_load(x->db, x->id, &r, e)) return -1;
    if (r.rating[0] || r.explained)
        return err_set(e, 409, "already_rated", "the request is already rated");
    int32_t done;
    if (!r.done_on[0] || date_parse(r.done_on, strlen(r.done_on), &done)) return 0;
    int64_t days = rate_days(x->db);
    if (time_today() > done + days)
        return err_set(e, 409, "rating_closed", "a request is rated within %lld days of its reply",
                       (long long)days);
    return 0;
}

static int request_rate(struct kind_act *x, struct err *e)
{
    const char *rating = NULL, *comment = NULL;
    if (text_field(x->body, "rating", 20, 1, &rating, e) ||
        text_field(x->body, "comment", REQUEST_TEXT_MAX, 0, &comment, e))
        return -1;
    if (strcmp(rating, "satisfied") && strcmp(rating, "basic") && strcmp(rating, "unsatisfied"))
        return err_set(e, 422, "invalid_field", "'rating' must be satisfied, basic or unsatisfied");
    if (!strcmp(rating, "unsatisfied") && !comment)
        return err_set(e, 422, "missing_field",
                       "field 'comment' is required with 'unsatisfied': say what is missing");
    char today[11];
    today_text(today);
    if (row_set(db_prepare(x->db, "UPDATE requests SET rating = ?2 WHERE item_id = ?1"), x->id,
                rating, e) ||
        row_set(db_prepare(x->db, "UPDATE requests SET rating_comment = ?2 WHERE item_id = ?1"),
                x->id, comment ? comment : "", e) ||
        row_set(db_prepare(x->db, "UPDATE requests SET rated_on = ?2 WHERE item_id = ?1"), x->id,
                today, e))
        return -1;
    json_object_set_new(x->data, "rating", json_string(rating));
    if (comment) json_object_set_new(x->data, "comment", json_string(comment));
    return 0;
}

/* ---- the office's: follow_up, redo, explain ---- */

static int request_follow_up(struct kind_act *x, struct err *e)
{
    const char *result = NULL;
    if (text_field(x->body, "result", REQUEST_TEXT_MAX, 1, &result, e)) return -1;
    char today[11];
    today_text(today);
    if (row_set(db_prepare(x->db, "UPDATE requests SET follow_up = ?2 WHERE item_id = ?1"), x->id,
                result, e) ||
        row_set(db_prepare(x->db, "UPDATE requests SET followed_up_on = ?2 WHERE item_id = ?1"),
                x->id, today, e))
        return -1;
    json_object_set_new(x->data, "result", json_string(result));
    return 0;
}

/* Redo and explain answer an unsatisfied rating, once. */
static int request_unsatisfied_may(struct kind_act *x, struct err *e)
{
    struct request_row r;
    if (row_load(x->db, x->id, &r, e)) return -1;
    if (strcmp(r.rating, "unsatisfied") || r.explained)
        return err_set(e, 409, "not_unsatisfied",
                       "only a request its requester rated unsatisfied is redone or explained");
    return 0;
}

/* A new round's start: the reply, rating and follow-up of the last one are
 * in its events. */
static int redo_clear(struct db *db, int64_t id, struct err *e)
{
    struct db_stmt *st = db_prepare(
        db, "UPDATE requests SET redo_count = redo_count + 1, reply = NULL, replied_on = NULL,"
            " done_on = NULL, rating = NULL, rating_comment = '', rated_on = NULL,"
            " follow_up = NULL, followed_up_on = NULL WHERE item_id = ?1 AND ?2 IS NULL");
    return row_set(st, id, NULL, e);
}

/* The listing (挂牌) the third redo brings, as escalate records it. */
static int redo_listed(struct kind_act *x, const char *reason, struct err *e)
{
    struct db_stmt *st = db_prepare(x->db, "INSERT INTO escalations (item_id, user_id, at, level,"
                                           " text) VALUES (?1, ?2, ?3, 3, ?4)");
    if (!st) return err_db(e, DB_ERR, "listing the request");
    db_bind_int64(st, 1, x->id);
    if (x->a->user_id)
        db_bind_int64(st, 2, x->a->user_id);
    else
        db_bind_null(st, 2);
    db_bind_int64(st, 3, time_now_ms());
    db_bind_text(st, 4, reason, (size_t)-1);
    int rc = db_step(st);
    db_finalize(st);
    if (rc != DB_DONE) return err_db(e, rc, "listing the request");
    x->escalation = 3;
    return 0;
}

static int request_redo(struct kind_act *x, struct err *e)
{
    const char *reason = NULL, *deadline = NULL;
    if (text_field(x->body, "reason", REQUEST_TEXT_MAX, 1, &reason, e) ||
        text_field(x->body, "deadline", 10, 0, &deadline, e))
        return -1;
    int32_t day;
    struct request_row r;
    if (deadline && date_parse(deadline, strlen(deadline), &day))
        return err_set(e, 422, "invalid_field", "'deadline' must be a real date as YYYY-MM-DD");
    if (row_load(x->db, x->id, &r, e)) return -1;
    if (deadline && day < time_today())
        return err_set(e, 422, "invalid_field", "'deadline' must not be in the past");
    if (deadline)
        snprintf(x->deadline, sizeof x->deadline, "%s", deadline);
    else if (request_deadline(x->db, r.category, time_today(), x->deadline, e))
        return -1;
    if (redo_clear(x->db, x->id, e) || request_assign_record(x, e)) return -1;
    if (r.redo_count + 1 >= REQUEST_REDO_LISTED && redo_listed(x, reason, e)) return -1;
    json_object_set_new(x->data, "reason", json_string(reason));
    json_object_set_new(x->data, "deadline", json_string(x->deadline));
    json_object_set_new(x->data, "redo_count", json_integer(r.redo_count + 1));
    return 0;
}

static int request_explain(struct kind_act *x, struct err *e)
{
    const char *text = NULL;
    if (text_field(x->body, "text", REQUEST_TEXT_MAX, 1, &text, e)) return -1;
    if (row_set(db_prepare(x->db, "UPDATE requests SET explanation = ?2 WHERE item_id = ?1"), x->id,
                text, e))
        return -1;
    json_object_set_new(x->data, "text", json_string(text));
    return 0;
}

/* Sorted by action. */
const struct kind_step request_steps[] = {
    {"accept", NULL, request_accept_record, NULL},
    {"assign", request_assign, request_assign_record, NULL},
    {"explain", request_explain, NULL, request_unsatisfied_may},
    {"follow_up", request_follow_up, NULL, NULL},
    {"rate", request_rate, NULL, request_rate_may},
    {"redo", request_redo, NULL, request_unsatisfied_may},
    {"submit", request_submit_check, request_submit_record, NULL},
    {"verify", NULL, request_verify_record, NULL},
    {NULL, NULL, NULL, NULL},
};
