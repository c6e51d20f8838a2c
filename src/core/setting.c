/* setting.c — the editable rules (see setting.h).  Reading is lenient like
 * the rules' own loaders; writing is strict, so a stored value is never one
 * the loaders would silently ignore. */
#include "core/setting.h"

#include <stdio.h>
#include <string.h>

#include "core/action.h"
#include "core/attachment.h"
#include "core/config_chain.h"
#include "util/str.h"

/* Sorted by key (a unit test checks it).  Ranges are those of
 * light_rules_load and scheduler_rules_load, narrowed to integers, of the
 * hazard's acceptance (hazard_submit_record) and the notice's 签收 limit
 * (notice.c), the request's rating window (request_act.c), and the outbox's (core/outbox.h:
 * retries, dead letters, the digest's hour): every number the docs name is settable. */
static const struct setting_def defs[] = {
    {"attachment.max_bytes", 1, ATTACHMENT_MAX_CAP, ATTACHMENT_MAX_DEFAULT},
    {"deduction.late_feedback", -100, 0, -1},
    {"deduction.overdue", -100, 0, -2},
    {"escalation.general_after", 0, 366, 3},
    {"escalation.key_after", 0, 366, 10},
    {"escalation.listed_after", 0, 366, 20},
    {"hazard.acceptance_days", 1, 365, 10},
    {"light.behind_red", 1, 100, 30},
    {"light.behind_yellow", 1, 100, 10},
    {"light.warn_working_days", 0, 30, 3},
    {"notice.accept_working_days", 0, 30, 1},
    {"notice.sign_own", 0, 1, 0},
    {"outbox.dead_after_hours", 1, 720, 24},
    {"outbox.digest_hour", 0, 23, 8},
    {"outbox.retry_base_seconds", 1, 3600, 30},
    {"outbox.retry_max_seconds", 1, 86400, 3600},
    {"request.rate_days", 1, 90, 7},
    {"scheduler.urge_feedback", 0, 1, 1},
    {"scheduler.urge_overdue", 0, 1, 1},
};
#define NDEFS (sizeof defs / sizeof defs[0])

const struct setting_def *setting_defs(size_t *n)
{
    *n = NDEFS;
    return defs;
}

static const struct setting_def *def_find(const char *key)
{
    for (size_t i = 0; i < NDEFS; i++)
        if (!strcmp(defs[i].key, key)) return &defs[i];
    return NULL;
}

/* The effective value of d: stored and in range, else the default.  Sets *rc
 * on a database error. */
static int setting_value(struct db *db, const struct setting_def *d, int *rc)
{
    struct db_stmt *st = db_prepare(db, "SELECT value FROM settings WHERE key = ?1");
    if (!st) {
        *rc = DB_ERR;
        return d->def;
    }
    db_bind_text(st, 1, d->key, (size_t)-1);
    int step = db_step(st), v = d->def;
    if (step == DB_ROW) {
        const char *s = db_column_text(st, 0);
        int64_t n;
        if (s && !str_to_int64(s, strlen(s), &n) && n >= d->min && n <= d->max) v = (int)n;
    } else if (step != DB_DONE) {
        *rc = step;
    }
    db_finalize(st);
    return v;
}

json_t *setting_list_json(struct db *db, struct err *e)
{
    int rc = DB_OK;
    json_t *a = json_array();
    for (size_t i = 0; i < NDEFS; i++)
        json_array_append_new(a, json_pack("{s:s,s:i,s:i,s:i,s:i}", "key", defs[i].key, "value",
                                           setting_value(db, &defs[i], &rc), "default", defs[i].def,
                                           "min", defs[i].min, "max", defs[i].max));
    if (rc != DB_OK) {
        json_decref(a);
        return err_db(e, rc, "reading the settings"), NULL;
    }
    return json_pack("{s:o}", "settings", a);
}

/* Check values; fill *yellow and *red with the light thresholds after it. */
static int setting_check(struct db *db, json_t *values, struct err *e)
{
    const char *key;
    json_t *v;
    if (!json_is_object(values) || !json_object_size(values))
        return err_set(e, 422, "invalid_field", "send an object of setting → integer");
    json_object_foreach(values, key, v)
    {
        const struct setting_def *d = def_find(key);
        if (!d)
            return err_set(e, 422, "invalid_field", "no setting '%s'", key),
                   err_detail(e, "no_setting"), err_subject(e, key);
        if (!json_is_integer(v) || json_integer_value(v) < d->min ||
            json_integer_value(v) > d->max) {
            char range[80];
            snprintf(range, sizeof range, "%s（%d 到 %d）", key, d->min, d->max);
            return err_set(e, 422, "invalid_field", "%s must be an integer from %d to %d", key,
                           d->min, d->max),
                   err_detail(e, "setting_range"), err_subject(e, range);
        }
    }
    int rc = DB_OK;
    json_t *y = json_object_get(values, "light.behind_yellow");
    json_t *r = json_object_get(values, "light.behind_red");
    int yellow =
        y ? (int)json_integer_value(y) : setting_value(db, def_find("light.behind_yellow"), &rc);
    int red = r ? (int)json_integer_value(r) : setting_value(db, def_find("light.behind_red"), &rc);
    if (rc != DB_OK) return err_db(e, rc, "reading the settings");
    if (red < yellow) {
        char both[48];
        snprintf(both, sizeof both, "红灯 %d、黄灯 %d", red, yellow);
        return err_set(e, 422, "invalid_field",
                       "light.behind_red (%d) must be at least light.behind_yellow (%d)", red,
                       yellow),
               err_detail(e, "setting_order"), err_subject(e, both);
    }
    return 0;
}

int setting_write(struct db *db, const struct actor *a, const char *key, const char *value,
                  struct err *e)
{
    json_t *before;
    int rc = config_row(db, CONFIG_SETTINGS, key, &before);
    if (rc != DB_OK) return err_db(e, rc, "reading a setting");
    struct db_stmt *st = db_prepare(db, "INSERT INTO settings (key, value) VALUES (?1, ?2)"
                                        " ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    rc = DB_ERR;
    if (st) {
        db_bind_text(st, 1, key, (size_t)-1);
        db_bind_text(st, 2, value, (size_t)-1);
        rc = db_step(st);
        db_finalize(st);
    }
    if (rc != DB_DONE) {
        json_decref(before);
        return err_db(e, rc, "writing a setting");
    }
    return config_record(db, a, "set", CONFIG_SETTINGS, key, before, e);
}

int setting_update(struct db *db, const struct actor *a, json_t *values, struct err *e)
{
    if (setting_check(db, values, e)) return -1;
    const char *key;
    json_t *v;
    json_object_foreach(values, key, v)
    {
        char text[24];
        snprintf(text, sizeof text, "%lld", (long long)json_integer_value(v));
        if (setting_write(db, a, key, text, e)) return -1;
    }
    /* lights are derived: the schedule's thresholds apply to every item now */
    if (json_object_get(values, "light.behind_yellow") ||
        json_object_get(values, "light.behind_red"))
        return action_reschedule(db, e);
    return 0;
}

int setting_text(struct db *db, const char *key, struct arena *a, const char **value, struct err *e)
{
    *value = NULL;
    struct db_stmt *st = db_prepare(db, "SELECT value FROM settings WHERE key = ?1");
    if (!st) return err_db(e, DB_ERR, "reading the settings");
    db_bind_text(st, 1, key, (size_t)-1);
    int rc = db_step(st);
    if (rc == DB_ROW && !db_column_is_null(st, 0)) *value = arena_strdup(a, db_column_text(st, 0));
    db_finalize(st);
    return rc == DB_ROW || rc == DB_DONE ? 0 : err_db(e, rc, "reading the settings");
}
