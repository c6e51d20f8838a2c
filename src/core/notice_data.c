/* notice_data.c — the notice's reads.  See notice_data.h.
 *
 * The queries are those notice.c and scope.c ran themselves before they
 * moved here: they read covering indexes of item_facts, feedback and items
 * (migration 007) and were measured with bench/notice_bench.c, so a change
 * to one is a change to the benchmark's figures.  A row is turned into a
 * plain struct and handed to the caller's function; each column is read
 * once. */
#include "core/notice_data.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/light.h"
#include "util/mem.h"
#include "util/time.h"

/* Where a scan's rows go: the caller's function (of the scan's row type)
 * and its context. */
struct sink {
    notice_fact_fn fact;
    notice_tally_fn tally;
    void *ctx;
};

/* Step st to the end, handing each row to row(st, k); finalises st.  0, -1
 * when the caller's function stopped, or -1 with e on a storage error. */
static int each(struct db_stmt *st, int (*row)(struct db_stmt *, const struct sink *),
                const struct sink *k, const char *what, struct err *e)
{
    int rc = DB_DONE, stop = 0;
    while (!stop && (rc = db_step(st)) == DB_ROW)
        stop = row(st, k);
    db_finalize(st);
    if (stop) return -1;
    return rc == DB_DONE ? 0 : err_db(e, rc, what);
}

/* Column k of st, or none when it is NULL. */
static int64_t col_or(struct db_stmt *st, int k, int64_t none)
{
    return db_column_is_null(st, k) ? none : db_column_int64(st, k);
}

int notice_data_units(struct db *db, struct arena *a, struct notice_data_unit **units, int *n,
                      struct err *e)
{
    *units = NULL;
    *n = 0;
    struct db_stmt *st =
        db_prepare(db, "SELECT id, code, name, coalesce(parent_id, 0) FROM units ORDER BY id");
    if (!st) return err_db(e, DB_ERR, "reading units");
    int rc, cap = 0;
    while ((rc = db_step(st)) == DB_ROW) {
        if (*n == cap) {
            cap = cap ? 2 * cap : 64;
            *units = xrealloc(*units, sizeof **units * (size_t)cap);
        }
        struct notice_data_unit *u = &(*units)[(*n)++];
        u->id = db_column_int64(st, 0);
        u->code = arena_strdup(a, db_column_text(st, 1));
        u->name = arena_strdup(a, db_column_text(st, 2));
        u->parent_id = db_column_int64(st, 3);
    }
    db_finalize(st);
    return rc == DB_DONE ? 0 : err_db(e, rc, "reading units");
}

int notice_data_calendar(struct db *db, struct calendar *c, struct err *e)
{
    int rc = calendar_load(db, c);
    return rc == DB_OK ? 0 : err_db(e, rc, "reading the calendar");
}

/* ---- item facts ---- */

static int assigned_row(struct db_stmt *st, const struct sink *k)
{
    int64_t assigned = db_column_int64(st, 4);
    struct notice_fact f = {
        .item_id = db_column_int64(st, 0),
        .unit_id = db_column_int64(st, 1),
        .status = db_column_text(st, 2),
        .deadline = db_column_is_null(st, 3) ? NULL : db_column_text(st, 3),
        .assigned_at = assigned,
        .accepted_at = col_or(st, 5, INT64_MAX),
        .accept_from = col_or(st, 6, assigned),
        .done_at = col_or(st, 7, INT64_MAX),
        .extensions = db_column_int64(st, 8),
        .rejects = db_column_int64(st, 9),
    };
    return k->fact(k->ctx, &f);
}

int notice_data_assigned(struct db *db, int64_t from_ms, int64_t cutoff_ms, notice_fact_fn fn,
                         void *ctx, struct err *e)
{
    struct db_stmt *st = db_prepare(
        db, "SELECT f.item_id, f.lead_unit_id, f.status, f.deadline, f.first_assigned_at,"
            " f.accepted_at, f.accept_from, f.done_at,"
            " CASE WHEN f.extensions > 0 THEN (SELECT count(*) FROM extensions x"
            "  WHERE x.item_id = f.item_id AND x.status = 'approved' AND x.decided_at < ?2)"
            " ELSE 0 END,"
            " CASE WHEN f.rejects > 0 THEN (SELECT count(*) FROM events ev"
            "  WHERE ev.item_id = f.item_id AND ev.action = 'reject' AND ev.at < ?2) ELSE 0 END"
            " FROM item_facts f"
            " WHERE f.first_assigned_at >= ?1 AND f.first_assigned_at < ?2"
            " AND f.status <> 'cancelled' AND f.lead_unit_id IS NOT NULL");
    if (!st) return err_db(e, DB_ERR, "reading items");
    db_bind_int64(st, 1, from_ms);
    db_bind_int64(st, 2, cutoff_ms);
    return each(st, assigned_row, &(struct sink){.fact = fn, .ctx = ctx}, "reading items", e);
}

static int open_row(struct db_stmt *st, const struct sink *k)
{
    struct notice_fact f = {
        .item_id = db_column_int64(st, 0),
        .unit_id = db_column_int64(st, 1),
        .deadline = db_column_text(st, 2),
        .assigned_at = db_column_int64(st, 3),
        .done_at = col_or(st, 4, INT64_MAX),
    };
    return k->fact(k->ctx, &f);
}

int notice_data_open(struct db *db, int64_t done_from, int64_t assigned_before,
                     const char *deadline_by, notice_fact_fn fn, void *ctx, struct err *e)
{
    struct db_stmt *st = db_prepare(
        db, "SELECT f.item_id, f.lead_unit_id, f.deadline, f.first_assigned_at, f.done_at"
            " FROM item_facts f WHERE (f.done_at IS NULL OR f.done_at >= ?1)"
            " AND f.first_assigned_at < ?2 AND f.deadline <= ?3"
            " AND f.status NOT IN ('cancelled','suspended','returned')"
            " AND f.lead_unit_id IS NOT NULL");
    if (!st) return err_db(e, DB_ERR, "reading overdue items");
    db_bind_int64(st, 1, done_from);
    db_bind_int64(st, 2, assigned_before);
    db_bind_text(st, 3, deadline_by, (size_t)-1);
    return each(st, open_row, &(struct sink){.fact = fn, .ctx = ctx}, "reading overdue items", e);
}

static int overdue_row(struct db_stmt *st, const struct sink *k)
{
    struct notice_fact f = {
        .unit_id = db_column_int64(st, 0),
        .deadline = db_column_text(st, 1),
        .assigned_at = db_column_int64(st, 2),
        .done_at = col_or(st, 3, INT64_MAX),
    };
    return k->fact(k->ctx, &f);
}

int notice_data_overdue(struct db *db, int64_t done_from, int64_t assigned_before,
                        const char *deadline_by, notice_fact_fn fn, void *ctx, struct err *e)
{
    struct db_stmt *st =
        db_prepare(db, "SELECT f.lead_unit_id, f.deadline, f.first_assigned_at, f.done_at"
                       " FROM item_facts f WHERE (f.done_at IS NULL OR f.done_at >= ?3)"
                       " AND f.deadline <= ?1 AND f.first_assigned_at < ?2"
                       " AND f.status NOT IN ('cancelled','suspended','returned')"
                       " AND f.lead_unit_id IS NOT NULL");
    if (!st) return err_db(e, DB_ERR, "reading overdue items");
    db_bind_text(st, 1, deadline_by, (size_t)-1);
    db_bind_int64(st, 2, assigned_before);
    db_bind_int64(st, 3, done_from);
    return each(st, overdue_row, &(struct sink){.fact = fn, .ctx = ctx}, "reading overdue items",
                e);
}

int notice_data_fact_unit(struct db *db, int64_t item_id, int64_t *unit, struct err *e)
{
    struct db_stmt *st = db_prepare(db, "SELECT lead_unit_id FROM item_facts WHERE item_id = ?1"
                                        " AND status <> 'cancelled'"
                                        " AND lead_unit_id IS NOT NULL");
    if (!st) return err_db(e, DB_ERR, "reading feedback");
    db_bind_int64(st, 1, item_id);
    int rc = db_step(st);
    *unit = rc == DB_ROW ? db_column_int64(st, 0) : 0;
    db_finalize(st);
    return rc == DB_ROW || rc == DB_DONE ? 0 : err_db(e, rc, "reading feedback");
}

int notice_data_leaders(struct db *db, notice_leader_fn fn, void *ctx, struct err *e)
{
    struct db_stmt *st = db_prepare(db, "SELECT i.id, i.leader_id, u.name FROM items i"
                                        " JOIN users u ON u.id = i.leader_id"
                                        " WHERE i.leader_id IS NOT NULL ORDER BY i.id");
    if (!st) return err_db(e, DB_ERR, "reading the items' leaders");
    int rc = DB_DONE, stop = 0;
    while (!stop && (rc = db_step(st)) == DB_ROW) {
        struct notice_data_leader l = {db_column_int64(st, 0), db_column_int64(st, 1),
                                       db_column_text(st, 2)};
        stop = fn(ctx, &l);
    }
    db_finalize(st);
    if (stop) return -1;
    return rc == DB_DONE ? 0 : err_db(e, rc, "reading the items' leaders");
}

/* ---- feedback, deductions, lights ---- */

static int report_row(struct db_stmt *st, const struct sink *k)
{
    struct notice_tally t = {.item_id = db_column_int64(st, 0),
                             .late = db_column_int64(st, 1) != 0};
    return k->tally(k->ctx, &t);
}

int notice_data_reports(struct db *db, const char *from, const char *last, notice_tally_fn fn,
                        void *ctx, struct err *e)
{
    struct db_stmt *st = db_prepare(db, "SELECT item_id, late FROM feedback"
                                        " WHERE due >= ?1 AND due <= ?2 AND is_lead = 1");
    if (!st) return err_db(e, DB_ERR, "reading feedback");
    db_bind_text(st, 1, from, (size_t)-1);
    db_bind_text(st, 2, last, (size_t)-1);
    return each(st, report_row, &(struct sink){.tally = fn, .ctx = ctx}, "reading feedback", e);
}

static int unit_count_row(struct db_stmt *st, const struct sink *k)
{
    struct notice_tally t = {.unit_id = db_column_int64(st, 0), .count = db_column_int64(st, 1)};
    return k->tally(k->ctx, &t);
}

int notice_data_missed(struct db *db, const char *from, const char *last, notice_tally_fn fn,
                       void *ctx, struct err *e)
{
    struct db_stmt *st = db_prepare(db, "SELECT lead_unit_id, count(*) FROM items"
                                        " WHERE feedback_due >= ?1 AND feedback_due <= ?2"
                                        " AND status IN ('assigned','accepted','in_progress')"
                                        " AND lead_unit_id IS NOT NULL GROUP BY lead_unit_id");
    if (!st) return err_db(e, DB_ERR, "reading feedback");
    db_bind_text(st, 1, from, (size_t)-1);
    db_bind_text(st, 2, last, (size_t)-1);
    return each(st, unit_count_row, &(struct sink){.tally = fn, .ctx = ctx}, "reading feedback", e);
}

static int deduction_row(struct db_stmt *st, const struct sink *k)
{
    struct notice_tally t = {.unit_id = db_column_int64(st, 0), .points = db_column_double(st, 1)};
    return k->tally(k->ctx, &t);
}

static int deduction_item_row(struct db_stmt *st, const struct sink *k)
{
    struct notice_tally t = {.unit_id = db_column_int64(st, 0),
                             .points = db_column_double(st, 1),
                             .item_id = db_column_int64(st, 2)};
    return k->tally(k->ctx, &t);
}

int notice_data_deductions(struct db *db, int64_t from_ms, int64_t cutoff_ms, int per_item,
                           notice_tally_fn fn, void *ctx, struct err *e)
{
    struct db_stmt *st = per_item ? db_prepare(db, "SELECT unit_id, points, item_id FROM deductions"
                                                   " WHERE at >= ?1 AND at < ?2")
                                  : db_prepare(db, "SELECT unit_id, sum(points) FROM deductions"
                                                   " WHERE at >= ?1 AND at < ?2 GROUP BY unit_id");
    if (!st) return err_db(e, DB_ERR, "reading deductions");
    db_bind_int64(st, 1, from_ms);
    db_bind_int64(st, 2, cutoff_ms);
    return each(st, per_item ? deduction_item_row : deduction_row,
                &(struct sink){.tally = fn, .ctx = ctx}, "reading deductions", e);
}

static int light_row(struct db_stmt *st, const struct sink *k)
{
    struct notice_tally t = {.unit_id = db_column_int64(st, 0),
                             .light = db_column_text(st, 1),
                             .count = db_column_int64(st, 2)};
    return k->tally(k->ctx, &t);
}

/* The closed items, LIGHT_SQL's 'none' by status alone, are counted apart
 * so both queries read ranges of the index items_light (migration 007). */
int notice_data_lights(struct db *db, notice_tally_fn fn, void *ctx, struct err *e)
{
    char today[11], warn[11];
    light_dates(db, today, warn);
    struct db_stmt *st =
        db_prepare(db, "SELECT coalesce(lead_unit_id, 0), 'none', count(*) FROM items"
                       " WHERE status IN ('done','archived','cancelled','suspended')"
                       " GROUP BY status, lead_unit_id");
    if (!st) return err_db(e, DB_ERR, "reading lights");
    if (each(st, light_row, &(struct sink){.tally = fn, .ctx = ctx}, "reading lights", e))
        return -1;
    st = db_prepare(db, "SELECT coalesce(i.lead_unit_id, 0), " LIGHT_SQL(
                            "?1", "?2") ", count(*) FROM items i WHERE i.status < 'archived'"
                                        " OR (i.status > 'archived' AND i.status < 'cancelled')"
                                        " OR (i.status > 'cancelled' AND i.status < 'done')"
                                        " OR (i.status > 'done' AND i.status < 'suspended')"
                                        " OR i.status > 'suspended' GROUP BY 1, 2");
    if (!st) return err_db(e, DB_ERR, "reading lights");
    db_bind_text(st, 1, today, (size_t)-1);
    db_bind_text(st, 2, warn, (size_t)-1);
    return each(st, light_row, &(struct sink){.tally = fn, .ctx = ctx}, "reading lights", e);
}

static int history_row(struct db_stmt *st, const struct sink *k)
{
    struct notice_tally t = {.month = db_column_text(st, 0),
                             .light = db_column_text(st, 1),
                             .unit_id = db_column_int64(st, 2),
                             .count = db_column_int64(st, 3)};
    return k->tally(k->ctx, &t);
}

int notice_data_history(struct db *db, const char *first, const char *last, notice_tally_fn fn,
                        void *ctx, struct err *e)
{
    /* light_history is the scheduler's (migration 003): none before it runs */
    struct db_stmt *st = db_prepare(
        db, "SELECT lh.month, lh.light, i.lead_unit_id, count(*) FROM light_history lh"
            " JOIN items i ON i.id = lh.item_id WHERE lh.month >= ?1 AND lh.month <= ?2"
            " AND i.lead_unit_id IS NOT NULL GROUP BY lh.month, lh.light, i.lead_unit_id");
    if (!st) return err_db(e, DB_ERR, "reading the light history");
    db_bind_text(st, 1, first, (size_t)-1);
    db_bind_text(st, 2, last, (size_t)-1);
    return each(st, history_row, &(struct sink){.tally = fn, .ctx = ctx},
                "reading the light history", e);
}

static int item_history_row(struct db_stmt *st, const struct sink *k)
{
    struct notice_tally t = {
        .month = db_column_text(st, 0), .light = db_column_text(st, 1), .count = 1};
    return k->tally(k->ctx, &t);
}

int notice_data_item_history(struct db *db, int64_t item_id, const char *first, const char *last,
                             notice_tally_fn fn, void *ctx, struct err *e)
{
    struct db_stmt *st = db_prepare(db, "SELECT month, light FROM light_history"
                                        " WHERE item_id = ?1 AND month >= ?2 AND month <= ?3");
    if (!st) return err_db(e, DB_ERR, "reading the light history");
    db_bind_int64(st, 1, item_id);
    db_bind_text(st, 2, first, (size_t)-1);
    db_bind_text(st, 3, last, (size_t)-1);
    return each(st, item_history_row, &(struct sink){.tally = fn, .ctx = ctx},
                "reading the light history", e);
}

/* ---- the red list, item scopes, items due soon ---- */

int notice_data_red_detail(struct db *db, int64_t item_id, int64_t cutoff_ms, struct arena *a,
                           const char **title, const char **text, int64_t *at, struct err *e)
{
    struct db_stmt *st =
        db_prepare(db, "SELECT i.title, lf.text, lf.at FROM items i"
                       " LEFT JOIN feedback lf ON lf.id = (SELECT max(fb.id) FROM feedback fb"
                       "  WHERE fb.item_id = i.id AND fb.is_lead = 1 AND fb.at < ?2)"
                       " WHERE i.id = ?1");
    if (!st) return err_db(e, DB_ERR, "reading overdue items");
    db_bind_int64(st, 1, item_id);
    db_bind_int64(st, 2, cutoff_ms);
    int rc = db_step(st);
    *text = NULL;
    *at = 0;
    if (rc == DB_ROW) {
        *title = arena_strdup(a, db_column_text(st, 0));
        if (!db_column_is_null(st, 1)) {
            *text = arena_strdup(a, db_column_text(st, 1));
            *at = db_column_int64(st, 2);
        }
    }
    db_finalize(st);
    return rc == DB_ROW ? 0 : err_db(e, rc == DB_DONE ? DB_ERR : rc, "reading overdue items");
}

/* The item columns every scope query selects, ?1 the scope's id, ?2 today
 * and ?3 the warning date. */
#define ITEM_COLUMNS                                                                               \
    "SELECT i.id, coalesce(i.lead_unit_id, 0), i.status, coalesce(i.feedback_due, "                \
    "''), " LIGHT_SQL("?2", "?3")

/* The statement reading the items of scope kind (the plan's subtree is a
 * recursive query, as both drivers speak it), NULL on failure. */
static struct db_stmt *scope_items_stmt(struct db *db, int kind)
{
    switch (kind) {
    case NOTICE_SCOPE_CAMPAIGN:
        return db_prepare(db, ITEM_COLUMNS " FROM items i JOIN campaign_items ci"
                                           " ON ci.item_id = i.id"
                                           " WHERE ci.campaign_id = ?1 ORDER BY i.id");
    case NOTICE_SCOPE_MEETING:
        return db_prepare(db, ITEM_COLUMNS " FROM items i WHERE i.meeting_id = ?1 ORDER BY i.id");
    case NOTICE_SCOPE_REQUESTS:
        return db_prepare(db, ITEM_COLUMNS " FROM items i WHERE i.kind = 'request' AND ?1 = ?1"
                                           " ORDER BY i.id");
    default:
        return db_prepare(
            db, "WITH RECURSIVE plan(id) AS (SELECT id FROM items WHERE id = ?1"
                " UNION SELECT c.id FROM items c JOIN plan ON c.parent_id = plan.id) " ITEM_COLUMNS
                " FROM items i JOIN plan ON plan.id = i.id ORDER BY i.id");
    }
}

/* The statement reading the name of scope kind, NULL on failure. */
static struct db_stmt *scope_name_stmt(struct db *db, int kind)
{
    switch (kind) {
    case NOTICE_SCOPE_CAMPAIGN:
        return db_prepare(db, "SELECT theme || '（' || month || '）' FROM campaigns WHERE id = ?1");
    case NOTICE_SCOPE_MEETING:
        return db_prepare(db, "SELECT name FROM meetings WHERE id = ?1");
    default:
        return db_prepare(db, "SELECT title FROM items WHERE id = ?1");
    }
}

static const char *const scope_missing[] = {NULL, "no campaign %lld", "no meeting %lld",
                                            "no item %lld to take as a plan"};

static int scope_name(struct db *db, int kind, int64_t id, struct arena *a, const char **name,
                      struct err *e)
{
    struct db_stmt *st = scope_name_stmt(db, kind);
    if (!st) return err_db(e, DB_ERR, "reading the notice's scope");
    db_bind_int64(st, 1, id);
    int rc = db_step(st);
    if (rc == DB_ROW) *name = arena_strdup(a, db_column_text(st, 0));
    db_finalize(st);
    if (rc == DB_DONE) return err_set(e, 404, "not_found", scope_missing[kind], (long long)id);
    return rc == DB_ROW ? 0 : err_db(e, rc, "reading the notice's scope");
}

int notice_data_scope(struct db *db, int kind, int64_t id, struct arena *a, const char **name,
                      struct notice_scope_item **items, int *n, struct err *e)
{
    *items = NULL;
    *n = 0;
    if (kind <= NOTICE_SCOPE_NONE || kind > NOTICE_SCOPE_REQUESTS)
        return err_set(e, 500, "internal", "no item scope %d", kind);
    if (kind == NOTICE_SCOPE_REQUESTS)
        *name = "企业诉求";
    else if (scope_name(db, kind, id, a, name, e))
        return -1;
    char today[11], warn[11];
    light_dates(db, today, warn);
    struct db_stmt *st = scope_items_stmt(db, kind);
    if (!st) return err_db(e, DB_ERR, "reading the notice's items");
    db_bind_int64(st, 1, id);
    db_bind_text(st, 2, today, (size_t)-1);
    db_bind_text(st, 3, warn, (size_t)-1);
    int rc, cap = 0;
    while ((rc = db_step(st)) == DB_ROW) {
        if (*n == cap) {
            cap = cap ? 2 * cap : 64;
            *items = xrealloc(*items, sizeof **items * (size_t)cap);
        }
        struct notice_scope_item *it = &(*items)[(*n)++];
        it->id = db_column_int64(st, 0);
        it->unit_id = db_column_int64(st, 1);
        snprintf(it->status, sizeof it->status, "%s", db_column_text(st, 2));
        snprintf(it->feedback_due, sizeof it->feedback_due, "%s", db_column_text(st, 3));
        snprintf(it->light, sizeof it->light, "%s", db_column_text(st, 4));
    }
    db_finalize(st);
    return rc == DB_DONE ? 0 : err_db(e, rc, "reading the notice's items");
}

int notice_data_facts_stamp(struct db *db, int64_t *facts, int64_t *config)
{
    struct db_stmt *st = db_prepare(db, "SELECT (SELECT sum(stamp) FROM facts_stamp),"
                                        " (SELECT stamp FROM config_stamp WHERE id = 1)");
    if (!st) return DB_ERR;
    int rc = db_step(st);
    if (rc == DB_ROW) *facts = db_column_int64(st, 0), *config = db_column_int64(st, 1), rc = DB_OK;
    db_finalize(st);
    return rc;
}

json_t *notice_data_due_soon(struct db *db, int64_t unit_id, int days, int limit, struct err *e)
{
    /* by the deadline's index in its order, stopping at the limit: the
     * status's index would read every item due within the days and sort
     * them (1,351 rows a view over 100,000 items), hence "|| ''" */
    int32_t today = time_today();
    char from[11], to[11];
    date_format(today, from);
    date_format(today + days, to);
    struct db_stmt *st = db_prepare(
        db, "SELECT i.id, i.title, i.deadline, coalesce(u.name, '') FROM items i"
            " LEFT JOIN units u ON u.id = i.lead_unit_id"
            " WHERE i.deadline >= ?1 AND i.deadline <= ?2"
            " AND i.status || '' IN ('assigned','accepted','in_progress','submitted','returned')"
            " AND (?3 = 0 OR i.lead_unit_id = ?3) ORDER BY i.deadline, i.id LIMIT ?4");
    if (!st) {
        err_db(e, DB_ERR, "reading items due soon");
        return NULL;
    }
    db_bind_text(st, 1, from, (size_t)-1);
    db_bind_text(st, 2, to, (size_t)-1);
    db_bind_int64(st, 3, unit_id);
    db_bind_int64(st, 4, limit);
    json_t *a = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW)
        json_array_append_new(a, json_pack("{s:I,s:s,s:s,s:s}", "id",
                                           (json_int_t)db_column_int64(st, 0), "title",
                                           db_column_text(st, 1), "deadline", db_column_text(st, 2),
                                           "unit", db_column_text(st, 3)));
    db_finalize(st);
    if (rc != DB_DONE) {
        json_decref(a);
        err_db(e, rc, "reading items due soon");
        return NULL;
    }
    return a;
}
