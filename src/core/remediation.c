/* remediation.c — opening a remediation for a C/D enterprise of a
 * finalized evaluation, the figures by town, and what the events vouch for
 * of the kind's row (`luoshi verify`).  See remediation.h; the kind's row is
 * kind_remediation.c's. */
#include "core/remediation.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/action.h"
#include "core/efficiency.h"
#include "core/item.h"
#include "core/setting.h"
#include "core/unit.h"
#include "util/arena.h"
#include "util/time.h"

/* The enterprise's name into name (for the title). */
static int enterprise_name(struct db *db, int64_t unit, char *name, size_t len, struct err *e)
{
    struct db_stmt *st = db_prepare(db, "SELECT name FROM units WHERE id = ?1");
    if (!st) return err_db(e, DB_ERR, "reading units");
    db_bind_int64(st, 1, unit);
    int rc = db_step(st);
    if (rc == DB_ROW) snprintf(name, len, "%s", db_column_text(st, 0));
    db_finalize(st);
    if (rc == DB_DONE)
        return err_set(e, 422, "invalid_field", "no unit with id %lld", (long long)unit),
               err_detail(e, "unit");
    return rc == DB_ROW ? 0 : err_db(e, rc, "reading units");
}

/* Assign new item id to the lead its create gave it, by the deadline. */
static int open_assign(struct db *db, const struct actor *a, int64_t id, const char *deadline,
                       struct err *e)
{
    json_t *body = json_pack("{s:s, s:s}", "action", "assign", "deadline", deadline);
    int rc = item_act(db, a, id, body, e);
    json_decref(body);
    return rc;
}

int remediation_open(struct db *db, const struct actor *a, const struct remediation_open *o,
                     int64_t *id, struct err *e)
{
    char name[400], title[KIND_TITLE_BYTES];
    if (enterprise_name(db, o->enterprise_unit_id, name, sizeof name, e)) return -1;
    snprintf(title, sizeof title, "%lld年度低效用地整治：%s（%s类）", (long long)o->year, name,
             o->klass);
    struct remediation_input r = {.enterprise_unit_id = o->enterprise_unit_id,
                                  .year = o->year,
                                  .klass = o->klass,
                                  .mode = "upgrade"};
    struct item_input in = {.kind = "remediation",
                            .kind_input = &r,
                            .title = title,
                            .description = "",
                            .source = "evaluation",
                            .feedback_cycle = "monthly",
                            .has_metric = 1,
                            .metric_target = o->land_mu,
                            .metric_unit = "亩",
                            .n_co = o->n_co < ITEM_MAX_CO_UNITS ? o->n_co : ITEM_MAX_CO_UNITS};
    for (int k = 0; k < in.n_co; k++)
        in.co_unit_ids[k] = o->co_units[k];
    if (item_create(db, a, &in, id, e)) return -1;
    return open_assign(db, a, *id, o->deadline, e);
}

/* ---- the figures by town ---- */

static json_t *figures(int64_t items, int64_t done, double target, double done_mu)
{
    return json_pack("{s:I, s:I, s:f, s:f}", "items", (json_int_t)items, "done", (json_int_t)done,
                     "target_mu", round(target * 100) / 100, "done_mu", round(done_mu * 100) / 100);
}

/* The rows of st (unit id, code, name, items, done, target, done) as
 * {"towns","total"}, finalizing st; NULL with e (storage) or, when none
 * and empty_null, with e clear. */
static json_t *summary_rows(struct db_stmt *st, int empty_null, struct err *e)
{
    json_t *towns = json_array();
    int64_t n = 0, done = 0;
    double target = 0, done_mu = 0;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        json_t *t = figures(db_column_int64(st, 3), db_column_int64(st, 4), db_column_double(st, 5),
                            db_column_double(st, 6));
        json_object_set_new(t, "unit_id", json_integer(db_column_int64(st, 0)));
        json_object_set_new(t, "code", json_string(db_column_text(st, 1)));
        json_object_set_new(t, "name", json_string(db_column_text(st, 2)));
        json_array_append_new(towns, t);
        n += db_column_int64(st, 3), done += db_column_int64(st, 4);
        target += db_column_double(st, 5), done_mu += db_column_double(st, 6);
    }
    db_finalize(st);
    if (rc != DB_DONE || (empty_null && !n)) {
        json_decref(towns);
        if (rc != DB_DONE) err_db(e, rc, "reading the remediations");
        return NULL;
    }
    return json_pack("{s:o, s:o}", "towns", towns, "total", figures(n, done, target, done_mu));
}

json_t *remediation_summary_json(struct db *db, int64_t year, struct err *e)
{
    struct db_stmt *st = db_prepare(
        db, "SELECT u.id, u.code, u.name, count(*),"
            " sum(CASE WHEN i.status IN ('done','archived') THEN 1 ELSE 0 END),"
            " coalesce(sum(i.metric_target), 0),"
            " coalesce(sum(CASE WHEN i.metric_value > i.metric_target THEN i.metric_target"
            " ELSE coalesce(i.metric_value, 0) END), 0)"
            " FROM remediations r JOIN items i ON i.id = r.item_id"
            " JOIN units u ON u.id = i.lead_unit_id"
            " WHERE i.status <> 'cancelled' AND (?1 = 0 OR r.year = ?1)"
            " GROUP BY u.id, u.code, u.name ORDER BY u.code");
    if (!st) return err_db(e, DB_ERR, "reading the remediations"), NULL;
    db_bind_int64(st, 1, year);
    json_t *v = summary_rows(st, 0, e);
    if (v) json_object_set_new(v, "year", year ? json_integer(year) : json_null());
    return v;
}

json_t *remediation_asof_json(struct db *db, int64_t unit, int64_t cutoff, struct err *e)
{
    struct db_stmt *st = db_prepare(
        db, "SELECT u.id, u.code, u.name, count(*),"
            " sum(CASE WHEN x.done_at <= ?1 THEN 1 ELSE 0 END), coalesce(sum(x.t), 0),"
            " coalesce(sum(CASE WHEN x.v > x.t THEN x.t ELSE x.v END), 0)"
            " FROM (SELECT i.lead_unit_id AS unit, f.done_at, coalesce(i.metric_target, 0) AS t,"
            " coalesce((SELECT b.metric_value FROM feedback b WHERE b.item_id = i.id AND"
            " b.is_lead = 1 AND b.metric_value IS NOT NULL AND b.at <= ?1 ORDER BY b.id DESC"
            " LIMIT 1), 0) AS v FROM remediations r JOIN items i ON i.id = r.item_id"
            " LEFT JOIN item_facts f ON f.item_id = i.id WHERE i.status <> 'cancelled' AND"
            " i.created_at <= ?1 AND (?2 = 0 OR i.lead_unit_id = ?2)) x"
            " JOIN units u ON u.id = x.unit GROUP BY u.id, u.code, u.name ORDER BY u.code");
    if (!st) return err_db(e, DB_ERR, "reading the remediations"), NULL;
    db_bind_int64(st, 1, cutoff);
    db_bind_int64(st, 2, unit);
    return summary_rows(st, 1, e);
}

/* ---- what the events vouch for ---- */

/* Set key of state to data's field (a missing one as null). */
static void fold(json_t *state, const char *key, json_t *data)
{
    json_t *v = json_object_get(data, key);
    json_object_set(state, key, v ? v : json_null());
}

void remediation_replay(json_t *state, int64_t seq, const char *action, int64_t at, json_t *data)
{
    (void)seq, (void)at;
    if (!strcmp(action, "create")) {
        json_t *r = json_object_get(data, "remediation");
        if (!json_is_object(r)) return; /* not one this code made */
        static const char *const keys[] = {"enterprise_unit_id", "year", "class", "mode", "plan"};
        for (size_t k = 0; k < sizeof keys / sizeof *keys; k++)
            fold(state, keys[k], r);
    } else if (!strcmp(action, "plan")) {
        if (json_object_get(data, "plan")) fold(state, "plan", data);
        if (json_object_get(data, "mode")) fold(state, "mode", data);
    }
}

static json_t *int_or_null(struct db_stmt *st, int col)
{
    return db_column_is_null(st, col) ? json_null() : json_integer(db_column_int64(st, col));
}

static json_t *text_or_null(struct db_stmt *st, int col)
{
    return db_column_is_null(st, col) ? json_null() : verify_text_json(db_column_text(st, col));
}

int remediation_replay_check(struct db *db, int64_t id, json_t *state, struct verify_log *v)
{
    struct db_stmt *st = db_prepare(db, "SELECT enterprise_unit_id, year, class, mode, plan"
                                        " FROM remediations WHERE item_id = ?1");
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, id);
    int rc = db_step(st);
    if (rc == DB_ROW) {
        json_t *row = json_pack("{s:o,s:o,s:o,s:o,s:o}", "enterprise_unit_id", int_or_null(st, 0),
                                "year", int_or_null(st, 1), "class", text_or_null(st, 2), "mode",
                                text_or_null(st, 3), "plan", text_or_null(st, 4));
        verify_fields(v, id, "remediation ", "remediation row", state, row);
        json_decref(row);
    } else if (rc == DB_DONE) {
        verify_problem(v, "item %lld: its remediation row is missing", (long long)id);
    }
    db_finalize(st);
    return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

/* ---- the evaluation's finalize ---- */

/* The cooperating units named by remediation.co_units into co (at most
 * max), their number into *n. */
static int co_units_of(struct db *db, int64_t *co, int max, int *n, struct err *e)
{
    struct arena *ar = arena_new();
    const char *codes = NULL;
    *n = 0;
    if (setting_text(db, "remediation.co_units", ar, &codes, e)) {
        arena_free(ar);
        return -1;
    }
    char list[256];
    snprintf(list, sizeof list, "%s", codes && *codes ? codes : REMEDIATION_CO_UNITS);
    char *save = NULL;
    for (char *c = strtok_r(list, ", ", &save); c && *n < max; c = strtok_r(NULL, ", ", &save)) {
        int64_t id = unit_id_by_code(db, c);
        if (id > 0) co[(*n)++] = id;
    }
    arena_free(ar);
    return 0;
}

int remediation_open_year(struct db *db, const struct actor *a, int year, struct err *e)
{
    int64_t co[8];
    struct remediation_open o = {.year = year, .co_units = co};
    if (co_units_of(db, co, 8, &o.n_co, e)) return -1;
    json_t *v = efficiency_results_json(db, a, year, e), *r;
    if (!v) return -1;
    char deadline[11];
    date_format(time_today() + 365, deadline);
    o.deadline = deadline;
    size_t i;
    int rc = 0;
    json_array_foreach(json_object_get(v, "results"), i, r)
    {
        const char *cls = json_string_value(json_object_get(r, "class"));
        if (!cls || (strcmp(cls, "C") && strcmp(cls, "D"))) continue;
        int64_t id;
        o.enterprise_unit_id = json_integer_value(json_object_get(r, "enterprise_unit_id"));
        o.klass = cls;
        o.land_mu = json_number_value(json_object_get(r, "land_mu"));
        if ((rc = remediation_open(db, a, &o, &id, e))) break;
    }
    json_decref(v);
    return rc;
}

int remediation_of_year(struct db *db, int64_t year, int64_t enterprise, int64_t *id)
{
    struct db_stmt *st = db_prepare(db, "SELECT item_id FROM remediations WHERE year = ?1 AND"
                                        " enterprise_unit_id = ?2");
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, year);
    db_bind_int64(st, 2, enterprise);
    int rc = db_step(st);
    *id = rc == DB_ROW ? db_column_int64(st, 0) : 0;
    db_finalize(st);
    return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}
