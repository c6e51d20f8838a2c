/* efficiency_objection.c — an enterprise's objection (异议) to its published
 * 亩均 result and the office's decision (efficiency.h).  Accepting applies
 * the correction to the enterprise's row, so the next read of the results
 * re-scores it; the row before and after goes to the year's record. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/efficiency.h"
#include "core/efficiency_internal.h"
#include "core/text.h"
#include "util/time.h"

#define TEXT_MAX 2000

static const char *const input_cols[EFF_INPUTS] = {"tax_wan",   "value_added_wan", "revenue_wan",
                                                   "employees", "energy_tce",      "emission_t",
                                                   "rd_wan",    "electricity_mwh"};

/* {"year","unit_id"…} of the actor's row that year: 1 found, 0 none, or a db code. */
static int has_row(struct db *db, int year, int64_t unit)
{
    struct db_stmt *st =
        db_prepare(db, "SELECT 1 FROM efficiency_data WHERE year = ?1 AND unit_id = ?2");
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, year);
    db_bind_int64(st, 2, unit);
    int rc = db_step(st);
    db_finalize(st);
    return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : rc;
}

static int attachments_check(struct db *db, json_t *ids, struct err *e)
{
    size_t i;
    json_t *v;
    if (!ids) return 0;
    if (!json_is_array(ids) || json_array_size(ids) > 20)
        return err_set(e, 422, "invalid_field", "'attachment_ids' must be up to 20 ids");
    json_array_foreach(ids, i, v)
    {
        int64_t n = 0;
        if (!json_is_integer(v) || json_integer_value(v) <= 0)
            return err_set(e, 422, "invalid_field", "'attachment_ids' must be positive ids");
        int rc = db_query_int64(db, "SELECT count(*) FROM attachments WHERE id = ?1", 1,
                                json_integer_value(v), &n);
        if (rc != DB_OK) return err_db(e, rc, "reading the attachments");
        if (!n)
            return err_set(e, 422, "invalid_field", "there is no attachment %lld",
                           (long long)json_integer_value(v));
    }
    return 0;
}

static int objection_window(struct db *db, int year, struct err *e)
{
    const char *state;
    int64_t until;
    int rc = efficiency_state(db, year, &state, &until);
    if (rc != DB_OK) return err_db(e, rc, "reading the year's state");
    if (strcmp(state, "published"))
        return err_set(e, 409, "efficiency_state", "the %d evaluation is %s, not published", year,
                       state);
    if (time_now_ms() >= until)
        return err_set(e, 409, "objection_window_closed", "the objection window has closed");
    return 0;
}

int efficiency_objection_add(struct db *db, const struct actor *a, int year, json_t *body,
                             int64_t *id, struct err *e)
{
    const char *text = NULL;
    int64_t pending = 0;
    if (!json_is_object(body)) return err_set(e, 422, "invalid_field", "send a JSON object");
    json_t *ids = json_object_get(body, "attachment_ids");
    if (text_field(body, "text", TEXT_MAX, 1, &text, e) || attachments_check(db, ids, e)) return -1;
    int rc = has_row(db, year, a->unit_id);
    if (rc < 0) return err_db(e, rc, "reading the data");
    if (!rc)
        return err_set(e, 403, "forbidden",
                       "only an evaluated enterprise may object to its result");
    if (objection_window(db, year, e)) return -1;
    struct db_stmt *st = db_prepare(db, "SELECT count(*) FROM efficiency_objections WHERE year = ?1"
                                        " AND unit_id = ?2 AND status = 'pending'");
    if (!st) return err_db(e, DB_ERR, "reading the objections");
    db_bind_int64(st, 1, year);
    db_bind_int64(st, 2, a->unit_id);
    if ((rc = db_step(st)) == DB_ROW) pending = db_column_int64(st, 0);
    db_finalize(st);
    if (rc != DB_ROW) return err_db(e, rc, "reading the objections");
    if (pending)
        return err_set(e, 409, "efficiency_objection_pending", "an objection is already pending");
    json_t *none = ids ? NULL : json_array(); /* ours to give back; ids is the body's */
    char *idtext = json_dumps(ids ? ids : none, JSON_COMPACT);
    json_decref(none);
    st = db_prepare(db, "INSERT INTO efficiency_objections (year, unit_id, text, attachment_ids,"
                        " created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id");
    rc = DB_ERR;
    if (st && idtext) {
        db_bind_int64(st, 1, year);
        db_bind_int64(st, 2, a->unit_id);
        db_bind_text(st, 3, text, (size_t)-1);
        db_bind_text(st, 4, idtext, (size_t)-1);
        if (a->user_id)
            db_bind_int64(st, 5, a->user_id);
        else
            db_bind_null(st, 5);
        db_bind_int64(st, 6, time_now_ms());
        if ((rc = db_step(st)) == DB_ROW) *id = db_column_int64(st, 0);
    }
    db_finalize(st);
    free(idtext);
    if (rc != DB_ROW) return err_db(e, rc, "recording the objection");
    return efficiency_log(
        db, a, year, "objection",
        json_pack("{s:I,s:I}", "objection_id", (json_int_t)*id, "unit_id", (json_int_t)a->unit_id),
        e);
}

/* The data row of unit in year into *r, and its JSON into *json. */
static int row_read(struct db *db, int year, int64_t unit, struct eff_row *r, json_t **json)
{
    struct db_stmt *st = db_prepare(
        db, "SELECT scale, land_mu, tax_wan, value_added_wan, revenue_wan, employees, energy_tce,"
            " emission_t, rd_wan, electricity_mwh FROM efficiency_data WHERE year = ?1 AND"
            " unit_id = ?2");
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, year);
    db_bind_int64(st, 2, unit);
    int rc = db_step(st);
    memset(r, 0, sizeof *r);
    if (rc == DB_ROW) {
        r->above = !strcmp(db_column_text(st, 0), "above");
        r->land_mu = db_column_double(st, 1);
        for (int i = 0; i < EFF_INPUTS; i++)
            if (!db_column_is_null(st, 2 + i)) {
                r->in[i] = db_column_double(st, 2 + i);
                r->have |= 1u << i;
            }
    }
    db_finalize(st);
    if (rc != DB_ROW) return rc == DB_DONE ? DB_ERR : rc;
    *json = json_pack("{s:s,s:f}", "scale", r->above ? "above" : "below", "land_mu", r->land_mu);
    for (int i = 0; i < EFF_INPUTS; i++)
        json_object_set_new(*json, input_cols[i],
                            r->have >> i & 1 ? json_real(r->in[i]) : json_null());
    return DB_OK;
}

/* One field of a correction into *r. */
static int correct_one(struct eff_row *r, const char *key, json_t *v, struct err *e)
{
    double d = json_number_value(v);
    if (!strcmp(key, "scale")) {
        const char *s = json_string_value(v);
        if (!s || (strcmp(s, "above") && strcmp(s, "below")))
            return err_set(e, 422, "invalid_field", "'scale' must be above or below");
        r->above = !strcmp(s, "above");
        return 0;
    }
    int i = 0;
    while (i < EFF_INPUTS && strcmp(input_cols[i], key))
        i++;
    if (i == EFF_INPUTS && strcmp(key, "land_mu"))
        return err_set(e, 422, "invalid_field", "'%s' is not a column of the data", key);
    if (json_is_null(v) && i < EFF_INPUTS) {
        r->have &= ~(1u << i);
        return 0;
    }
    if (!json_is_number(v) || !isfinite(d) || d < 0)
        return err_set(e, 422, "invalid_field", "'%s' must be a number from 0", key);
    if (i == EFF_INPUTS)
        r->land_mu = d;
    else
        r->in[i] = d, r->have |= 1u << i;
    return 0;
}

static int row_write(struct db *db, int year, int64_t unit, const struct eff_row *r, struct err *e)
{
    struct db_stmt *st =
        db_prepare(db, "UPDATE efficiency_data SET scale = ?3, land_mu = ?4, tax_wan = ?5,"
                       " value_added_wan = ?6, revenue_wan = ?7, employees = ?8, energy_tce = ?9,"
                       " emission_t = ?10, rd_wan = ?11, electricity_mwh = ?12 WHERE year = ?1 AND"
                       " unit_id = ?2");
    if (!st) return err_db(e, DB_ERR, "correcting the data");
    db_bind_int64(st, 1, year);
    db_bind_int64(st, 2, unit);
    db_bind_text(st, 3, r->above ? "above" : "below", (size_t)-1);
    db_bind_double(st, 4, r->land_mu);
    for (int i = 0; i < EFF_INPUTS; i++) {
        if (r->have >> i & 1)
            db_bind_double(st, 5 + i, r->in[i]);
        else
            db_bind_null(st, 5 + i);
    }
    int rc = db_step(st);
    db_finalize(st);
    return rc == DB_DONE ? 0 : err_db(e, rc, "correcting the data");
}

/* Apply the correction data (an object, or NULL) to unit's row; the log's
 * detail gets "before" and "after". */
static int correct(struct db *db, int year, int64_t unit, json_t *data, json_t *detail,
                   struct err *e)
{
    struct eff_row r;
    json_t *before = NULL, *after = NULL;
    const char *key;
    json_t *v;
    int rc = row_read(db, year, unit, &r, &before);
    if (rc != DB_OK) return err_db(e, rc, "reading the data");
    json_object_set_new(detail, "before", before);
    if (!data) return 0;
    if (!json_is_object(data)) return err_set(e, 422, "invalid_field", "'data' must be an object");
    json_object_foreach(data, key, v)
    {
        if (correct_one(&r, key, v, e)) return -1;
    }
    if (row_write(db, year, unit, &r, e)) return -1;
    rc = row_read(db, year, unit, &r, &after);
    if (rc != DB_OK) return err_db(e, rc, "reading the data");
    json_object_set_new(detail, "after", after);
    return 0;
}

/* The objection's year and unit, when it is pending: 0, or -1 with e. */
static int objection_find(struct db *db, int64_t id, int *year, int64_t *unit, struct err *e)
{
    struct db_stmt *st = db_prepare(db, "SELECT unit_id, status, year FROM efficiency_objections"
                                        " WHERE id = ?1");
    if (!st) return err_db(e, DB_ERR, "reading the objection");
    db_bind_int64(st, 1, id);
    int rc = db_step(st), pending = 0;
    if (rc == DB_ROW) {
        *unit = db_column_int64(st, 0);
        pending = !strcmp(db_column_text(st, 1), "pending");
        *year = (int)db_column_int64(st, 2);
    }
    db_finalize(st);
    if (rc == DB_DONE) return err_set(e, 404, "not_found", "there is no such objection");
    if (rc != DB_ROW) return err_db(e, rc, "reading the objection");
    if (!pending) return err_set(e, 409, "objection_decided", "the objection was decided");
    return 0;
}

static int decision_store(struct db *db, const struct actor *a, int64_t id, int accept,
                          const char *reason, json_t *data, struct err *e)
{
    char *text = data ? json_dumps(data, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    struct db_stmt *st = db_prepare(
        db, "UPDATE efficiency_objections SET status = ?2, decision_reason = ?3, correction = ?4,"
            " decided_by = ?5, decided_at = ?6 WHERE id = ?1");
    int rc = DB_ERR;
    if (st) {
        db_bind_int64(st, 1, id);
        db_bind_text(st, 2, accept ? "accepted" : "rejected", (size_t)-1);
        db_bind_text(st, 3, reason, (size_t)-1);
        if (text)
            db_bind_text(st, 4, text, (size_t)-1);
        else
            db_bind_null(st, 4);
        if (a->user_id)
            db_bind_int64(st, 5, a->user_id);
        else
            db_bind_null(st, 5);
        db_bind_int64(st, 6, time_now_ms());
        rc = db_step(st);
    }
    db_finalize(st);
    free(text);
    return rc == DB_DONE ? 0 : err_db(e, rc, "recording the decision");
}

int efficiency_objection_decide(struct db *db, const struct actor *a, int64_t id, json_t *body,
                                int *year_out, struct err *e)
{
    const char *decision = NULL, *reason = NULL, *state;
    int64_t unit = 0, until;
    int year = 0;
    if (!json_is_object(body)) return err_set(e, 422, "invalid_field", "send a JSON object");
    if (text_field(body, "decision", 10, 1, &decision, e) ||
        text_field(body, "reason", TEXT_MAX, 1, &reason, e))
        return -1;
    int accept = !strcmp(decision, "accept");
    json_t *data = json_object_get(body, "data");
    if (!accept && strcmp(decision, "reject"))
        return err_set(e, 422, "invalid_field", "'decision' must be accept or reject");
    if (!accept && data)
        return err_set(e, 422, "invalid_field", "a rejection carries no corrected data");
    if (objection_find(db, id, &year, &unit, e)) return -1;
    *year_out = year;
    int rc = efficiency_state(db, year, &state, &until);
    if (rc != DB_OK) return err_db(e, rc, "reading the year's state");
    if (strcmp(state, "published"))
        return err_set(e, 409, "efficiency_state", "the %d evaluation is %s", year, state);
    json_t *detail = json_pack("{s:I,s:I,s:s,s:s}", "objection_id", (json_int_t)id, "unit_id",
                               (json_int_t)unit, "decision", decision, "reason", reason);
    if ((accept && correct(db, year, unit, data, detail, e)) ||
        decision_store(db, a, id, accept, reason, data, e)) {
        json_decref(detail);
        return -1;
    }
    return efficiency_log(db, a, year, accept ? "objection_accepted" : "objection_rejected", detail,
                          e);
}

json_t *efficiency_objections_json(struct db *db, const struct actor *a, int year, struct err *e)
{
    int all = actor_sees_all(a);
    struct db_stmt *st = db_prepare(
        db, "SELECT o.id, o.unit_id, en.credit_code, u.name, o.text, o.attachment_ids, o.status,"
            " o.decision_reason, o.correction, o.created_at, o.decided_at"
            " FROM efficiency_objections o JOIN units u ON u.id = o.unit_id"
            " JOIN enterprises en ON en.unit_id = o.unit_id"
            " WHERE o.year = ?1 AND (?2 = 1 OR o.unit_id = ?3) ORDER BY o.id");
    if (!st) return err_db(e, DB_ERR, "reading the objections"), NULL;
    db_bind_int64(st, 1, year);
    db_bind_int64(st, 2, all);
    db_bind_int64(st, 3, a->unit_id);
    json_t *rows = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        char at[40], dat[40];
        time_format_iso(db_column_int64(st, 9), at, sizeof at);
        time_format_iso(db_column_int64(st, 10), dat, sizeof dat);
        json_t *ids = json_loads(db_column_text(st, 5), 0, NULL);
        json_t *corr =
            db_column_is_null(st, 8) ? json_null() : json_loads(db_column_text(st, 8), 0, NULL);
        json_array_append_new(
            rows,
            json_pack("{s:I,s:I,s:s,s:s,s:s,s:o,s:s,s:o,s:o,s:s,s:o}", "id",
                      (json_int_t)db_column_int64(st, 0), "enterprise_unit_id",
                      (json_int_t)db_column_int64(st, 1), "credit_code", db_column_text(st, 2),
                      "name", db_column_text(st, 3), "text", db_column_text(st, 4),
                      "attachment_ids", ids ? ids : json_array(), "status", db_column_text(st, 6),
                      "decision_reason",
                      db_column_is_null(st, 7) ? json_null() : json_string(db_column_text(st, 7)),
                      "correction", corr ? corr : json_null(), "created_at", at, "decided_at",
                      db_column_is_null(st, 10) ? json_null() : json_string(dat)));
    }
    db_finalize(st);
    if (rc != DB_DONE) {
        json_decref(rows);
        return err_db(e, rc, "reading the objections"), NULL;
    }
    return json_pack("{s:i,s:o}", "year", year, "objections", rows);
}
