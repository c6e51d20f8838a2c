/* efficiency.c — a year of the 亩均效益评价 as the office moves it
 * (efficiency.h): its config and its state, both settings rows written
 * through setting_write (so each change is an event of the configuration
 * chain with its actor), the steps evaluate → publish → finalize, and the
 * year's record (efficiency_log).  The scores are efficiency_results.c's,
 * the objections efficiency_objection.c's. */
#include "core/efficiency.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/efficiency_internal.h"
#include "core/remediation.h"
#include "core/setting.h"
#include "util/str.h"
#include "util/time.h"

#define DAY_MS 86400000LL

/* The text of settings row key into out ("" when absent).  A db code. */
static int setting_get(struct db *db, const char *key, char *out, size_t size)
{
    struct db_stmt *st = db_prepare(db, "SELECT value FROM settings WHERE key = ?1");
    out[0] = '\0';
    if (!st) return DB_ERR;
    db_bind_text(st, 1, key, (size_t)-1);
    int rc = db_step(st);
    if (rc == DB_ROW) snprintf(out, size, "%s", db_column_text(st, 0));
    db_finalize(st);
    return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

int efficiency_config_load(struct db *db, int year, struct eff_config *c)
{
    char key[48];
    efficiency_config_default(c);
    snprintf(key, sizeof key, "efficiency.%04d.config", year);
    struct db_stmt *st = db_prepare(db, "SELECT value FROM settings WHERE key = ?1");
    if (!st) return DB_ERR;
    db_bind_text(st, 1, key, (size_t)-1);
    int rc = db_step(st);
    if (rc == DB_ROW) {
        json_t *v = json_loads(db_column_text(st, 0), 0, NULL);
        struct err e = {0};
        if (v) efficiency_config_apply(c, v, &e); /* an unusable row keeps the defaults */
        json_decref(v);
    }
    db_finalize(st);
    return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

int efficiency_state(struct db *db, int year, const char **state, int64_t *until)
{
    char key[48], text[32];
    static const char *const states[] = {"evaluated", "published", "final"};
    *state = "open", *until = 0;
    snprintf(key, sizeof key, "efficiency.%04d.state", year);
    int rc = setting_get(db, key, text, sizeof text);
    for (size_t i = 0; rc == DB_OK && i < 3; i++)
        if (!strcmp(text, states[i])) *state = states[i];
    if (rc != DB_OK || !strcmp(*state, "open") || !strcmp(*state, "evaluated")) return rc;
    snprintf(key, sizeof key, "efficiency.%04d.published_at", year);
    rc = setting_get(db, key, text, sizeof text);
    int64_t at = 0;
    struct eff_config c;
    if (rc == DB_OK && str_to_int64(text, strlen(text), &at)) at = 0;
    if (rc == DB_OK) rc = efficiency_config_load(db, year, &c);
    if (rc == DB_OK) *until = at + c.objection_days * DAY_MS;
    return rc;
}

int efficiency_check_open(struct db *db, int year, struct err *e)
{
    const char *state;
    int64_t until;
    int rc = efficiency_state(db, year, &state, &until);
    if (rc != DB_OK) return err_db(e, rc, "reading the year's state");
    if (strcmp(state, "open") && strcmp(state, "evaluated"))
        return err_set(e, 409, "efficiency_frozen",
                       "the %d evaluation is %s: its data and config are frozen", year, state);
    return 0;
}

int efficiency_log(struct db *db, const struct actor *a, int year, const char *action,
                   json_t *detail, struct err *e)
{
    char *text = json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(detail);
    struct db_stmt *st = db_prepare(db, "INSERT INTO efficiency_log (year, at, actor, action,"
                                        " detail) VALUES (?1, ?2, ?3, ?4, ?5)");
    int rc = DB_ERR;
    if (st && text) {
        db_bind_int64(st, 1, year);
        db_bind_int64(st, 2, time_now_ms());
        db_bind_text(st, 3, a && a->username ? a->username : "system", (size_t)-1);
        db_bind_text(st, 4, action, (size_t)-1);
        db_bind_text(st, 5, text, (size_t)-1);
        rc = db_step(st);
    }
    db_finalize(st);
    free(text);
    return rc == DB_DONE ? 0 : err_db(e, rc, "recording the evaluation");
}

int efficiency_config_set(struct db *db, const struct actor *a, int year, json_t *patch,
                          struct err *e)
{
    struct eff_config c;
    char key[48];
    if (efficiency_check_open(db, year, e)) return -1;
    int rc = efficiency_config_load(db, year, &c);
    if (rc != DB_OK) return err_db(e, rc, "reading the config");
    if (efficiency_config_apply(&c, patch, e)) return -1;
    json_t *v = efficiency_config_json(&c);
    char *text = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(v);
    snprintf(key, sizeof key, "efficiency.%04d.config", year);
    int ret = setting_write(db, a, key, text, e);
    free(text);
    return ret;
}

json_t *efficiency_config_get_json(struct db *db, int year, struct err *e)
{
    struct eff_config c;
    const char *state;
    int64_t until;
    int rc = efficiency_config_load(db, year, &c);
    if (rc == DB_OK) rc = efficiency_state(db, year, &state, &until);
    if (rc != DB_OK) return err_db(e, rc, "reading the config"), NULL;
    return json_pack("{s:i,s:s,s:o}", "year", year, "state", state, "config",
                     efficiency_config_json(&c));
}

static int state_write(struct db *db, const struct actor *a, int year, const char *state,
                       struct err *e)
{
    char key[48];
    snprintf(key, sizeof key, "efficiency.%04d.state", year);
    return setting_write(db, a, key, state, e);
}

static int step_finalize(struct db *db, int year, int64_t until, struct err *e)
{
    int64_t pending;
    if (time_now_ms() < until) {
        char at[40];
        time_format_iso(until, at, sizeof at);
        return err_set(e, 409, "objection_window_open", "the objection window is open until %s",
                       at);
    }
    int rc = db_query_int64(db,
                            "SELECT count(*) FROM efficiency_objections WHERE year = ?1 AND"
                            " status = 'pending'",
                            1, year, &pending);
    if (rc != DB_OK) return err_db(e, rc, "counting the objections");
    if (pending)
        return err_set(e, 409, "objections_pending", "%lld objection(s) wait for a decision",
                       (long long)pending);
    return 0;
}

int efficiency_step(struct db *db, const struct actor *a, int year, const char *step, struct err *e)
{
    const char *state;
    int64_t until, n;
    int rc = efficiency_state(db, year, &state, &until);
    if (rc != DB_OK) return err_db(e, rc, "reading the year's state");
    int evaluate = !strcmp(step, "evaluate"), publish = !strcmp(step, "publish");
    const char *need = evaluate ? "open" : publish ? "evaluated" : "published";
    if (strcmp(state, need) && !(evaluate && !strcmp(state, "evaluated")))
        return err_set(e, 409, "efficiency_state", "the %d evaluation is %s; %s needs it %s", year,
                       state, step, need);
    if (evaluate) {
        rc =
            db_query_int64(db, "SELECT count(*) FROM efficiency_data WHERE year = ?1", 1, year, &n);
        if (rc != DB_OK) return err_db(e, rc, "counting the data");
        if (!n) return err_set(e, 422, "efficiency_no_data", "there is no data for %d", year);
    }
    if (!evaluate && !publish && step_finalize(db, year, until, e)) return -1;
    if (publish) {
        char key[48], text[24];
        snprintf(key, sizeof key, "efficiency.%04d.published_at", year);
        snprintf(text, sizeof text, "%lld", (long long)time_now_ms());
        if (setting_write(db, a, key, text, e)) return -1;
    }
    if (state_write(db, a, year, evaluate ? "evaluated" : publish ? "published" : "final", e))
        return -1;
    if (!evaluate && !publish && remediation_open_year(db, a, year, e)) return -1;
    return efficiency_log(db, a, year, step, json_object(), e);
}
