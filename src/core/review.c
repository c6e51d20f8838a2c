/* review.c — review before a unit reports (see review.h).  The held report
 * is the action's own body, so approving it is item_act with that body as
 * its author: one validation path, the same events, feedback rows and
 * lights as a report that was never held.  What this file owns is the
 * unit_reviews rows, the setting, and who may decide. */
#include "core/review.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/action.h"
#include "core/event.h"
#include "core/setting.h"
#include "core/user.h"
#include "util/time.h"
#include "util/utf8.h"

#define REVIEW_LIST_MAX 200

int review_unit_on(struct db *db, int64_t unit_id, int *on)
{
    *on = 0;
    struct db_stmt *st = db_prepare(db, "SELECT s.value FROM settings s JOIN units u"
                                        " ON s.key = 'unit.review_reports.' || u.code"
                                        " WHERE u.id = ?1");
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, unit_id);
    int rc = db_step(st);
    if (rc == DB_ROW) *on = !db_column_is_null(st, 0) && !strcmp(db_column_text(st, 0), "1");
    db_finalize(st);
    return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

int review_unit_set(struct db *db, const struct actor *a, int64_t unit_id, int on, struct err *e)
{
    struct db_stmt *st = db_prepare(db, "SELECT code FROM units WHERE id = ?1");
    if (!st) return err_db(e, DB_ERR, "reading the unit");
    db_bind_int64(st, 1, unit_id);
    char key[96] = "";
    int rc = db_step(st);
    if (rc == DB_ROW) snprintf(key, sizeof key, "unit.review_reports.%s", db_column_text(st, 0));
    db_finalize(st);
    if (rc == DB_DONE)
        return err_set(e, 404, "not_found", "no unit with id %lld", (long long)unit_id),
               err_detail(e, "unit");
    if (rc != DB_ROW) return err_db(e, rc, "reading the unit");
    return setting_write(db, a, key, on ? "1" : "0", e);
}

json_t *review_units_json(struct db *db)
{
    struct db_stmt *st = db_prepare(db, "SELECT u.id FROM units u JOIN settings s"
                                        " ON s.key = 'unit.review_reports.' || u.code"
                                        " WHERE s.value = '1' ORDER BY u.id");
    if (!st) return NULL;
    json_t *arr = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW)
        json_array_append_new(arr, json_integer(db_column_int64(st, 0)));
    db_finalize(st);
    if (rc != DB_DONE) json_decref(arr), arr = NULL;
    return arr;
}

/* 1 when a's action on an item is held for review: a feedback or a
 * submission by someone of a unit under review who is neither its head
 * nor of the office.  Sets *rc on a storage error. */
static int review_holds(struct db *db, const struct actor *a, const char *action, int *rc)
{
    if (strcmp(action, "feedback") && strcmp(action, "submit")) return 0;
    if (!a->user_id || !a->unit_id || (a->roles & (ROLE_HEAD | ROLE_SUPERVISOR | ROLE_ADMIN)))
        return 0;
    int on = 0;
    *rc = review_unit_on(db, a->unit_id, &on);
    return *rc == DB_OK && on;
}

/* The action checked whole and undone: item_act inside a savepoint rolled
 * back whatever it did.  0, or item_act's refusal. */
static int review_try(struct db *db, const struct actor *a, int64_t item_id, json_t *body,
                      struct err *e)
{
    int rc = db_savepoint(db);
    if (rc != DB_OK) return err_db(e, rc, "checking the report");
    int ret = item_act(db, a, item_id, body, e);
    rc = db_rollback_to(db);
    if (rc == DB_OK) rc = db_release(db);
    if (rc != DB_OK && !ret) ret = err_db(e, rc, "checking the report");
    return ret;
}

int review_act(struct db *db, const struct actor *a, int64_t item_id, json_t *body, int64_t *held,
               struct err *e)
{
    *held = 0;
    const char *action = json_string_value(json_object_get(body, "action"));
    int rc = DB_OK;
    if (!action || !review_holds(db, a, action, &rc)) {
        if (rc != DB_OK) return err_db(e, rc, "reading the unit's setting");
        return item_act(db, a, item_id, body, e);
    }
    int ret = review_try(db, a, item_id, body, e);
    if (ret) return ret;
    char *text = json_dumps(body, JSON_COMPACT | JSON_SORT_KEYS);
    struct db_stmt *st =
        db_prepare(db, "INSERT INTO unit_reviews (item_id, unit_id, action, body, author_id,"
                       " written_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id");
    rc = DB_ERR;
    if (st && text) {
        db_bind_int64(st, 1, item_id);
        db_bind_int64(st, 2, a->unit_id);
        db_bind_text(st, 3, action, (size_t)-1);
        db_bind_text(st, 4, text, (size_t)-1);
        db_bind_int64(st, 5, a->user_id);
        db_bind_int64(st, 6, time_now_ms());
        rc = db_step(st);
        if (rc == DB_ROW) *held = db_column_int64(st, 0), rc = DB_OK;
    }
    if (st) db_finalize(st);
    free(text);
    return rc == DB_OK ? 0 : err_db(e, rc, "holding the report for review");
}

/* ---- deciding ---- */

/* The review row a decision needs. */
struct review_row {
    int64_t item_id, unit_id, author_id;
    char action[16], status[16];
    json_t *body; /* owned */
};

static int row_load(struct db *db, int64_t id, struct review_row *r, struct err *e)
{
    struct db_stmt *st = db_prepare(db, "SELECT item_id, unit_id, author_id, action, status, body"
                                        " FROM unit_reviews WHERE id = ?1");
    if (!st) return err_db(e, DB_ERR, "reading the review");
    db_bind_int64(st, 1, id);
    int rc = db_step(st);
    if (rc == DB_ROW) {
        r->item_id = db_column_int64(st, 0);
        r->unit_id = db_column_int64(st, 1);
        r->author_id = db_column_int64(st, 2);
        snprintf(r->action, sizeof r->action, "%s", db_column_text(st, 3));
        snprintf(r->status, sizeof r->status, "%s", db_column_text(st, 4));
        r->body = json_loads(db_column_text(st, 5), 0, NULL);
    }
    db_finalize(st);
    if (rc == DB_DONE) return err_set(e, 404, "not_found", "no review with id %lld", (long long)id);
    if (rc != DB_ROW) return err_db(e, rc, "reading the review");
    if (!r->body) return err_set(e, 500, "internal", "review %lld has no body", (long long)id);
    return 0;
}

/* Who may decide r: its head, never its author; only once. */
static int decide_check(const struct actor *a, const struct review_row *r, struct err *e)
{
    if (a->user_id == r->author_id)
        return err_set(e, 403, "review_own",
                       "a report is reviewed by the unit head, not its author");
    if (!(a->roles & ROLE_HEAD) || a->unit_id != r->unit_id)
        return err_set(e, 403, "forbidden", "only a head of the unit reviews its reports");
    if (strcmp(r->status, "pending"))
        return err_set(e, 409, "review_decided", "the report is %s already", r->status);
    return 0;
}

/* The send-back's reason from body: 1..REVIEW_REASON_MAX characters. */
static int decide_reason(json_t *body, const char **reason, struct err *e)
{
    json_t *v = json_object_get(body, "reason");
    *reason = json_string_value(v);
    if (!v || (json_is_string(v) && !**reason))
        return err_set(e, 422, "missing_field", "field 'reason' is required");
    if (!*reason || utf8_count(*reason, strlen(*reason)) > REVIEW_REASON_MAX)
        return err_set(e, 422, "invalid_field", "'reason' must be text of at most %d characters",
                       REVIEW_REASON_MAX);
    return 0;
}

/* The body's decision: 1 approve, 0 return; -1 with e. */
static int decide_parse(json_t *body, const char **reason, struct err *e)
{
    if (!json_is_object(body)) return err_set(e, 400, "invalid_json", "the body must be an object");
    const char *key;
    json_t *v;
    json_object_foreach(body, key, v)
    {
        if (strcmp(key, "decision") && strcmp(key, "reason"))
            return err_set(e, 422, "unknown_field", "'%s' is not a field here", key);
    }
    const char *d = json_string_value(json_object_get(body, "decision"));
    if (!d) return err_set(e, 422, "missing_field", "field 'decision' is required");
    if (!strcmp(d, "approve")) {
        if (json_object_get(body, "reason"))
            return err_set(e, 422, "invalid_field", "an approval takes no reason");
        return 1;
    }
    if (!strcmp(d, "return")) return decide_reason(body, reason, e) ? -1 : 0;
    return err_set(e, 422, "invalid_field", "'decision' must be approve or return");
}

/* Take the held action as its author, after the head's approval event. */
static int decide_approve(struct db *db, const struct actor *a, struct review_row *r, json_t *data,
                          struct err *e)
{
    struct user_row u;
    int rc = user_find_id(db, r->author_id, &u);
    if (rc != 1) return err_db(e, rc < 0 ? rc : DB_ERR, "reading the report's author");
    struct actor author = {u.id, u.username, u.unit_id, u.roles};
    rc = event_append(db, r->item_id, a, "review_approve", data);
    if (rc == DB_RETRY) return err_set(e, 503, "busy", "the item changed meanwhile"), DB_RETRY;
    if (rc != DB_OK) return err_db(e, rc, "recording the approval");
    return item_act(db, &author, r->item_id, r->body, e);
}

/* Mark the review decided. */
static int decide_store(struct db *db, const struct actor *a, int64_t id, int approve,
                        const char *reason, struct err *e)
{
    struct db_stmt *st = db_prepare(db, "UPDATE unit_reviews SET status = ?2, reviewer_id = ?3,"
                                        " reviewed_at = ?4, reason = ?5"
                                        " WHERE id = ?1 AND status = 'pending'");
    if (!st) return err_db(e, DB_ERR, "deciding the review");
    db_bind_int64(st, 1, id);
    db_bind_text(st, 2, approve ? "approved" : "returned", (size_t)-1);
    db_bind_int64(st, 3, a->user_id);
    db_bind_int64(st, 4, time_now_ms());
    if (reason)
        db_bind_text(st, 5, reason, (size_t)-1);
    else
        db_bind_null(st, 5);
    int rc = db_step(st);
    db_finalize(st);
    if (rc != DB_DONE) return err_db(e, rc, "deciding the review");
    return 0;
}

int review_decide(struct db *db, const struct actor *a, int64_t id, json_t *body, struct err *e)
{
    const char *reason = NULL;
    int approve = decide_parse(body, &reason, e);
    if (approve < 0) return -1;
    struct review_row r = {0};
    int ret = row_load(db, id, &r, e);
    if (!ret) ret = decide_check(a, &r, e);
    if (!ret) {
        json_t *data = json_pack("{s:I,s:s,s:I}", "review_id", (json_int_t)id, "action", r.action,
                                 "author_id", (json_int_t)r.author_id);
        if (reason) json_object_set_new(data, "reason", json_string(reason));
        if (approve) {
            ret = decide_approve(db, a, &r, data, e);
        } else {
            int rc = event_append(db, r.item_id, a, "review_return", data);
            if (rc == DB_RETRY)
                ret = DB_RETRY, err_set(e, 503, "busy", "the item changed meanwhile");
            else if (rc != DB_OK)
                ret = err_db(e, rc, "recording the send-back");
        }
        json_decref(data);
    }
    if (!ret) ret = decide_store(db, a, id, approve, reason, e);
    json_decref(r.body);
    return ret;
}

/* ---- reading ---- */

#define REVIEW_COLS                                                                                \
    "SELECT r.id, r.item_id, i.title, r.unit_id, r.action, r.body, r.author_id,"                   \
    " coalesce(nullif(au.name, ''), au.username), r.written_at, r.status, r.reviewer_id,"          \
    " coalesce(nullif(rv.name, ''), rv.username), r.reviewed_at, r.reason"                         \
    " FROM unit_reviews r JOIN items i ON i.id = r.item_id"                                        \
    " JOIN users au ON au.id = r.author_id LEFT JOIN users rv ON rv.id = r.reviewer_id"

static json_t *person(struct db_stmt *st, int id_col)
{
    if (db_column_is_null(st, id_col)) return json_null();
    return json_pack("{s:I,s:s}", "id", (json_int_t)db_column_int64(st, id_col), "name",
                     db_column_text(st, id_col + 1));
}

static json_t *when(struct db_stmt *st, int col)
{
    if (db_column_is_null(st, col)) return json_null();
    char iso[40];
    time_format_iso(db_column_int64(st, col), iso, sizeof iso);
    return json_string(iso);
}

/* The current row of a REVIEW_COLS statement. */
static json_t *row_json(struct db_stmt *st)
{
    json_t *body = json_loads(db_column_text(st, 5), 0, NULL);
    if (!body) body = json_object();
    json_t *text = json_object_get(body, "text"), *progress = json_object_get(body, "progress");
    json_t *o =
        json_pack("{s:I,s:I,s:s,s:I,s:s,s:O,s:O,s:o,s:o,s:o,s:s,s:o,s:o}", "id",
                  (json_int_t)db_column_int64(st, 0), "item_id", (json_int_t)db_column_int64(st, 1),
                  "title", db_column_text(st, 2), "unit_id", (json_int_t)db_column_int64(st, 3),
                  "action", db_column_text(st, 4), "text", text ? text : json_null(), "progress",
                  progress ? progress : json_null(), "body", body, "author", person(st, 6),
                  "written_at", when(st, 8), "status", db_column_text(st, 9), "reviewer",
                  person(st, 10), "reviewed_at", when(st, 12));
    json_object_set_new(
        o, "reason", db_column_is_null(st, 13) ? json_null() : json_string(db_column_text(st, 13)));
    return o;
}

/* The rows of st into a new array (caller owns), or NULL on a db error. */
static json_t *rows_json(struct db_stmt *st)
{
    if (!st) return NULL;
    json_t *arr = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW)
        json_array_append_new(arr, row_json(st));
    db_finalize(st);
    if (rc != DB_DONE) json_decref(arr), arr = NULL;
    return arr;
}

/* Bind ?1 the head's unit (0 when a is no head), ?2 a's user id. */
static void bind_who(struct db_stmt *st, const struct actor *a)
{
    if (!st) return;
    db_bind_int64(st, 1, (a->roles & ROLE_HEAD) ? a->unit_id : 0);
    db_bind_int64(st, 2, a->user_id);
}

json_t *review_get_json(struct db *db, const struct actor *a, int64_t id, struct err *e)
{
    struct db_stmt *st =
        db_prepare(db, REVIEW_COLS " WHERE r.id = ?3 AND (r.unit_id = ?1 OR r.author_id = ?2)");
    bind_who(st, a);
    if (st) db_bind_int64(st, 3, id);
    json_t *arr = rows_json(st);
    if (!arr) return err_db(e, DB_ERR, "reading the review"), NULL;
    json_t *one = json_array_get(arr, 0);
    json_t *v = one ? json_pack("{s:O}", "review", one) : NULL;
    json_decref(arr);
    if (!v) err_set(e, 404, "not_found", "no review with id %lld", (long long)id);
    return v;
}

json_t *review_list_json(struct db *db, const struct actor *a, const char *status, struct err *e)
{
    if (status && strcmp(status, "pending") && strcmp(status, "approved") &&
        strcmp(status, "returned"))
        return err_set(e, 422, "invalid_field", "status must be pending, approved or returned"),
               NULL;
    struct db_stmt *st = db_prepare(db, REVIEW_COLS " WHERE (r.unit_id = ?1 OR r.author_id = ?2)"
                                                    " AND (?3 = '' OR r.status = ?3)"
                                                    " ORDER BY r.id DESC LIMIT 200");
    bind_who(st, a);
    if (st) db_bind_text(st, 3, status ? status : "", (size_t)-1);
    json_t *arr = rows_json(st);
    if (!arr) return err_db(e, DB_ERR, "listing the reviews"), NULL;
    return json_pack("{s:o}", "reviews", arr);
}

int review_inbox(struct db *db, const struct actor *a, json_t **waiting, json_t **returned)
{
    *waiting = *returned = NULL;
    struct db_stmt *st = (a->roles & ROLE_HEAD) && a->unit_id
                             ? db_prepare(db, REVIEW_COLS " WHERE r.unit_id = ?1 AND ?2 > 0"
                                                          " AND r.status = 'pending'"
                                                          " ORDER BY r.id LIMIT 200")
                             : NULL;
    bind_who(st, a);
    *waiting = st ? rows_json(st) : json_array();
    st = db_prepare(db, REVIEW_COLS " WHERE r.author_id = ?2 AND ?1 >= 0"
                                    " AND r.status = 'returned' AND NOT EXISTS (SELECT 1"
                                    " FROM unit_reviews n WHERE n.author_id = r.author_id"
                                    " AND n.item_id = r.item_id AND n.action = r.action"
                                    " AND n.id > r.id) ORDER BY r.id LIMIT 200");
    bind_who(st, a);
    *returned = rows_json(st);
    if (*waiting && *returned) return DB_OK;
    json_decref(*waiting), json_decref(*returned);
    *waiting = *returned = NULL;
    return DB_ERR;
}

int review_pending_count(struct db *db, const struct actor *a, int64_t *n)
{
    *n = 0;
    if (!(a->roles & ROLE_HEAD) || !a->unit_id) return DB_OK;
    return db_query_int64(db,
                          "SELECT count(*) FROM unit_reviews WHERE unit_id = ?1"
                          " AND status = 'pending'",
                          1, a->unit_id, n);
}
