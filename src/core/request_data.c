/* request_data.c — what is read of requests besides one item: the
 * categories with their time limits, the deadline a category gives, and the
 * figures per lead unit (GET /api/v1/requests/stats, the /requests/stats
 * page).  See request.h.  The figures are counted here from the rows, in C
 * where the working-day calendar decides (on-time signing). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/action.h"
#include "core/calendar.h"
#include "core/request.h"
#include "util/mem.h"
#include "util/time.h"

int request_category_days(struct db *db, const char *category, int64_t *days)
{
    struct db_stmt *st =
        db_prepare(db, "SELECT limit_days FROM request_categories WHERE code = ?1");
    if (!st) return DB_ERR;
    db_bind_text(st, 1, category, (size_t)-1);
    int rc = db_step(st);
    if (rc == DB_ROW) *days = db_column_int64(st, 0), rc = DB_OK;
    db_finalize(st);
    return rc;
}

int request_deadline(struct db *db, const char *category, int32_t today, char out[11],
                     struct err *e)
{
    int64_t days = 0;
    int rc = request_category_days(db, category, &days);
    if (rc == DB_DONE)
        return err_set(e, 422, "invalid_field", "no request category '%s'", category),
               err_detail(e, "request_category");
    struct calendar cal = {0};
    if (rc == DB_OK) rc = calendar_load(db, &cal);
    if (rc != DB_OK) return err_db(e, rc, "reading the calendar");
    int32_t day = days ? calendar_add_working_days(&cal, today, (int)days)
                       : calendar_next_working_day(&cal, today);
    calendar_free(&cal);
    date_format(day, out);
    return 0;
}

json_t *request_categories_json(struct db *db, struct err *e)
{
    struct db_stmt *st = db_prepare(db, "SELECT code, name, name_en, limit_days FROM"
                                        " request_categories ORDER BY sort, code");
    if (!st) return err_db(e, DB_ERR, "reading the categories"), NULL;
    json_t *arr = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW)
        json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:I}", "code", db_column_text(st, 0),
                                             "name", db_column_text(st, 1), "name_en",
                                             db_column_text(st, 2), "limit_days",
                                             (json_int_t)db_column_int64(st, 3)));
    db_finalize(st);
    if (rc != DB_DONE) {
        json_decref(arr);
        return err_db(e, rc, "reading the categories"), NULL;
    }
    return json_pack("{s:o}", "categories", arr);
}

/* ---- the figures ---- */

/* One unit's counts (the city's total is one too). */
struct tally {
    int64_t unit_id;
    char unit[200];
    int64_t received, signed_on_time, closed, closed_on_time, rated, satisfied, basic, unsatisfied,
        redone, explained, replied, reply_days;
};

static json_t *rate(int64_t n, int64_t base)
{
    return base ? json_real(round(1000.0 * (double)n / (double)base) / 10.0) : json_null();
}

static json_t *tally_json(const struct tally *t, int with_unit)
{
    int64_t good = t->satisfied + t->basic;
    json_t *o = json_pack(
        "{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:o, s:o, s:o, s:o, s:o}", "received",
        (json_int_t)t->received, "signed_on_time", (json_int_t)t->signed_on_time, "closed",
        (json_int_t)t->closed, "closed_on_time", (json_int_t)t->closed_on_time, "rated",
        (json_int_t)t->rated, "satisfied", (json_int_t)t->satisfied, "basic", (json_int_t)t->basic,
        "unsatisfied", (json_int_t)t->unsatisfied, "redone", (json_int_t)t->redone, "explained",
        (json_int_t)t->explained, "satisfaction", rate(good, t->rated), "rating_rate",
        rate(t->rated, t->closed), "redo_rate", rate(t->redone, t->closed), "on_time_rate",
        rate(t->closed_on_time, t->closed), "avg_reply_days",
        t->replied ? json_real(round(10.0 * (double)t->reply_days / (double)t->replied) / 10.0)
                   : json_null());
    if (with_unit) {
        json_object_set_new(o, "unit_id", t->unit_id ? json_integer(t->unit_id) : json_null());
        json_object_set_new(o, "unit", json_string(t->unit));
    }
    return o;
}

static int32_t day_of(struct db_stmt *st, int c)
{
    int32_t d;
    if (db_column_is_null(st, c)) return -1;
    const char *s = db_column_text(st, c);
    return s && !date_parse(s, strlen(s), &d) ? d : -1;
}

/* Count the current row of the statement in stats_stmt's columns into t. */
static void tally_add(struct tally *t, struct db_stmt *st, const struct calendar *cal)
{
    int32_t assigned = day_of(st, 2), accepted = day_of(st, 3), deadline = day_of(st, 4),
            filed = day_of(st, 5), replied = day_of(st, 6);
    const char *status = db_column_text(st, 7), *rating = db_column_text(st, 8);
    t->received++;
    /* signed (签收) by the working day after it was assigned */
    if (assigned >= 0 && accepted >= 0 && accepted <= calendar_add_working_days(cal, assigned, 1))
        t->signed_on_time++;
    int closed = status && (!strcmp(status, "done") || !strcmp(status, "archived"));
    if (closed) {
        t->closed++;
        if (replied >= 0 && deadline >= 0 && replied <= deadline) t->closed_on_time++;
    }
    if (replied >= 0 && filed >= 0) t->replied++, t->reply_days += replied - filed;
    if (!db_column_is_null(st, 8)) {
        t->rated++;
        if (!strcmp(rating, "satisfied")) t->satisfied++;
        if (!strcmp(rating, "basic")) t->basic++;
        if (!strcmp(rating, "unsatisfied")) t->unsatisfied++;
    }
    if (db_column_int64(st, 9) > 0) t->redone++;
    if (db_column_int64(st, 10)) t->explained++;
}

/* The requests filed in [from, to], read from the requests (CROSS JOIN keeps
 * SQLite from walking every item of the city to find them: the dashboard
 * shows the year's figures on every view). */
static struct db_stmt *stats_stmt(struct db *db, const char *from, const char *to, int64_t unit)
{
    struct db_stmt *st = db_prepare(
        db,
        "SELECT i.lead_unit_id, coalesce(u.name, ''), r.assigned_on, r.accepted_on,"
        " i.deadline, r.filed_on, r.replied_on, i.status, r.rating, r.redo_count,"
        " r.explanation IS NOT NULL FROM requests r CROSS JOIN items i"
        " LEFT JOIN units u ON u.id = i.lead_unit_id"
        " WHERE i.id = r.item_id AND i.status <> 'cancelled' AND (?1 IS NULL OR r.filed_on >= ?1)"
        " AND (?2 IS NULL OR r.filed_on <= ?2) AND (?3 = 0 OR i.lead_unit_id = ?3)"
        " ORDER BY coalesce(i.lead_unit_id, 0), i.id");
    if (!st) return NULL;
    if (from)
        db_bind_text(st, 1, from, (size_t)-1);
    else
        db_bind_null(st, 1);
    if (to)
        db_bind_text(st, 2, to, (size_t)-1);
    else
        db_bind_null(st, 2);
    db_bind_int64(st, 3, unit);
    return st;
}

json_t *request_stats_json(struct db *db, const char *from, const char *to, int64_t unit,
                           struct err *e)
{
    struct calendar cal = {0};
    int rc = calendar_load(db, &cal);
    if (rc != DB_OK) return err_db(e, rc, "reading the calendar"), NULL;
    struct db_stmt *st = stats_stmt(db, from, to, unit);
    if (!st) {
        calendar_free(&cal);
        return err_db(e, DB_ERR, "counting requests"), NULL;
    }
    json_t *units = json_array();
    struct tally total = {0}, cur = {.unit_id = -1};
    while ((rc = db_step(st)) == DB_ROW) {
        int64_t u = db_column_int64(st, 0);
        if (u != cur.unit_id) {
            if (cur.unit_id >= 0) json_array_append_new(units, tally_json(&cur, 1));
            memset(&cur, 0, sizeof cur);
            cur.unit_id = u;
            snprintf(cur.unit, sizeof cur.unit, "%s", db_column_text(st, 1));
        }
        tally_add(&cur, st, &cal);
        tally_add(&total, st, &cal);
    }
    db_finalize(st);
    calendar_free(&cal);
    if (cur.unit_id >= 0) json_array_append_new(units, tally_json(&cur, 1));
    if (rc != DB_DONE) {
        json_decref(units);
        return err_db(e, rc, "counting requests"), NULL;
    }
    return json_pack("{s:o, s:o, s:o, s:o}", "from", from ? json_string(from) : json_null(), "to",
                     to ? json_string(to) : json_null(), "units", units, "total",
                     tally_json(&total, 0));
}

/* ---- what Open311 shows ---- */

int request_public_get(struct db *db, int64_t id, hazard_public_fn fn, void *ctx, struct err *e)
{
    struct db_stmt *st = db_prepare(
        db, "SELECT i.id, i.status, r.category, c.name, u.name, i.created_at, i.updated_at,"
            " i.deadline, (SELECT e.data FROM events e WHERE e.item_id = i.id AND e.data LIKE"
            " '%\"public_note\":%' ORDER BY e.seq DESC LIMIT 1) FROM items i JOIN requests r"
            " ON r.item_id = i.id JOIN request_categories c ON c.code = r.category"
            " LEFT JOIN units u ON u.id = i.lead_unit_id WHERE i.kind = 'request' AND i.id = ?1");
    if (!st) return err_db(e, DB_ERR, "reading a request");
    db_bind_int64(st, 1, id);
    int rc = db_step(st), stop = 0;
    if (rc == DB_ROW) {
        const char *status = db_column_text(st, 1);
        int closed =
            !strcmp(status, "done") || !strcmp(status, "archived") || !strcmp(status, "cancelled");
        json_t *note = db_column_is_null(st, 8) ? NULL : json_loads(db_column_text(st, 8), 0, NULL);
        struct hazard_public h = {
            .id = db_column_int64(st, 0),
            .status = status,
            .category_code = db_column_text(st, 2),
            .category_name = db_column_text(st, 3),
            .unit_name = db_column_is_null(st, 4) ? NULL : db_column_text(st, 4),
            .created_at = db_column_int64(st, 5),
            .updated_at = db_column_int64(st, 6),
            .closed_at = closed ? db_column_int64(st, 6) : 0,
            .deadline = db_column_is_null(st, 7) ? NULL : db_column_text(st, 7),
            .public_note = json_string_value(json_object_get(note, ACTION_PUBLIC_NOTE))};
        stop = fn(ctx, &h);
        json_decref(note);
    }
    db_finalize(st);
    if (rc != DB_ROW && rc != DB_DONE) return err_db(e, rc, "reading a request");
    return stop ? -1 : rc == DB_ROW;
}
