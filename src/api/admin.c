/* admin.c — the JSON twins of the admin pages: the intake keyword → unit
 * table, the working-day calendar, the rules in settings and the 考核
 * deductions ledger.  Who may call what is the route
 * table's business (admins write, supervisors read); the rules on values are
 * core's (core/meeting.c for keywords, core/deduction.c for the ledger). */
#include <string.h>

#include "api/api.h"
#include "core/calendar.h"
#include "core/deduction.h"
#include "core/meeting.h"
#include "core/setting.h"
#include "http/req.h"
#include "util/str.h"
#include "util/time.h"

static struct db *admin_db(struct req *r)
{
    struct db *db = req_db(r);
    if (!db)
        req_reply_error(r, 503, "database_unavailable", NULL, "the database cannot be reached");
    return db;
}

void api_keywords_list(struct req *r)
{
    struct err e = {0};
    struct db *db = admin_db(r);
    if (!db) return;
    json_t *v = meeting_rules_json(db, &e);
    if (v)
        req_reply_json(r, 200, v);
    else
        req_reply_err(r, &e);
}

struct keyword_job {
    const struct actor *actor;
    const char *keyword, *unit_code;
    int remove;
    int64_t id;
    struct err e;
};

static int keyword_job(struct db *db, void *ctx)
{
    struct keyword_job *k = ctx;
    memset(&k->e, 0, sizeof k->e);
    int rc = k->remove ? meeting_rule_remove(db, k->actor, k->keyword, k->unit_code, &k->e)
                       : meeting_rule_add(db, k->actor, k->keyword, k->unit_code, &k->id, &k->e);
    return rc ? DB_ERR : DB_OK;
}

static void keyword_done(struct req *r)
{
    struct keyword_job *k = r->state;
    if (r->job_rc != DB_OK) {
        if (!k->e.status) err_db(&k->e, r->job_rc, "changing the keyword table");
        req_reply_err(r, &k->e);
    } else if (k->remove) {
        req_reply_json(r, 200, json_pack("{s:b}", "removed", 1));
    } else {
        req_reply_json(r, 201,
                       json_pack("{s:I,s:s,s:s}", "id", (json_int_t)k->id, "keyword", k->keyword,
                                 "unit_code", k->unit_code));
    }
}

/* Both POSTs take {"keyword","unit_code"}. */
static void keyword_post(struct req *r, int remove)
{
    struct keyword_job *k = arena_alloc(r->arena, sizeof *k);
    const char *kw = json_string_value(json_object_get(r->json, "keyword"));
    const char *code = json_string_value(json_object_get(r->json, "unit_code"));
    if (!json_is_object(r->json) || json_object_size(r->json) != 2 || !kw || !code) {
        req_reply_error(r, 422, "invalid_field", NULL,
                        "send {\"keyword\": text, \"unit_code\": a unit's code}");
        return;
    }
    k->keyword = arena_strdup(r->arena, kw);
    k->unit_code = arena_strdup(r->arena, code);
    k->remove = remove;
    k->actor = r->actor;
    req_defer_write(r, keyword_job, k, keyword_done);
}

void api_keywords_add(struct req *r)
{
    keyword_post(r, 0);
}

void api_keywords_remove(struct req *r)
{
    keyword_post(r, 1);
}

void api_deductions(struct req *r)
{
    struct err e = {0};
    const char *unit = req_query(r, "unit"), *month = req_query(r, "month");
    int64_t unit_id = 0;
    if (unit && *unit && (str_to_int64(unit, strlen(unit), &unit_id) || unit_id <= 0)) {
        req_reply_error(r, 422, "invalid_field", NULL, "unit must be a unit id");
        return;
    }
    struct db *db = admin_db(r);
    if (!db) return;
    json_t *v = deduction_list_json(db, unit_id, month, &e);
    if (v)
        req_reply_json(r, 200, v);
    else
        req_reply_err(r, &e);
}

void api_settings(struct req *r)
{
    struct err e = {0};
    struct db *db = admin_db(r);
    if (!db) return;
    json_t *v = setting_list_json(db, &e);
    if (v)
        req_reply_json(r, 200, v);
    else
        req_reply_err(r, &e);
}

struct settings_job {
    const struct actor *actor;
    json_t *values; /* borrowed from r->json */
    struct err e;
};

static int settings_job(struct db *db, void *ctx)
{
    struct settings_job *j = ctx;
    memset(&j->e, 0, sizeof j->e);
    return setting_update(db, j->actor, j->values, &j->e) ? DB_ERR : DB_OK;
}

static void settings_done(struct req *r)
{
    struct settings_job *j = r->state;
    if (r->job_rc != DB_OK) {
        if (!j->e.status) err_db(&j->e, r->job_rc, "writing the settings");
        req_reply_err(r, &j->e);
        return;
    }
    api_settings(r);
}

void api_settings_set(struct req *r)
{
    struct settings_job *j = arena_alloc(r->arena, sizeof *j);
    j->values = r->json;
    j->actor = r->actor;
    req_defer_write(r, settings_job, j, settings_done);
}

void api_calendar(struct req *r)
{
    struct err e = {0};
    const char *y = req_query(r, "year");
    int ty, tm, td;
    date_split(time_today(), &ty, &tm, &td);
    int64_t year = ty;
    if (y && (str_to_int64(y, strlen(y), &year) || year < 1900 || year > 9998)) {
        req_reply_error(r, 422, "invalid_field", NULL, "year must be from 1900 to 9998");
        return;
    }
    struct db *db = admin_db(r);
    if (!db) return;
    json_t *v = calendar_year_json(db, (int)year, &e);
    if (v)
        req_reply_json(r, 200, v);
    else
        req_reply_err(r, &e);
}

struct calendar_job {
    const struct actor *actor;
    const char *text; /* borrowed from r->json; NULL for none */
    json_t *remove;   /* borrowed array of dates, or NULL */
    int imported, removed;
    struct err e;
};

static int calendar_job(struct db *db, void *ctx)
{
    struct calendar_job *j = ctx;
    memset(&j->e, 0, sizeof j->e);
    j->imported = j->removed = 0;
    size_t i;
    json_t *d;
    json_array_foreach(j->remove, i, d)
    {
        int32_t day;
        const char *s = json_string_value(d);
        if (!s || date_parse(s, strlen(s), &day))
            return err_set(&j->e, 422, "invalid_field", "remove takes dates as YYYY-MM-DD"), DB_ERR;
        if (calendar_remove(db, j->actor, day, &j->e)) return DB_ERR;
        j->removed++;
    }
    if (j->text && calendar_import(db, j->actor, j->text, strlen(j->text), &j->imported, &j->e))
        return DB_ERR;
    return DB_OK;
}

static void calendar_done(struct req *r)
{
    struct calendar_job *j = r->state;
    if (r->job_rc != DB_OK) {
        if (!j->e.status) err_db(&j->e, r->job_rc, "changing the calendar");
        req_reply_err(r, &j->e);
        return;
    }
    req_reply_json(r, 200, json_pack("{s:i,s:i}", "imported", j->imported, "removed", j->removed));
}

void api_calendar_set(struct req *r)
{
    struct calendar_job *j = arena_alloc(r->arena, sizeof *j);
    json_t *text = json_object_get(r->json, "text");
    j->remove = json_object_get(r->json, "remove");
    size_t known = (text != NULL) + (j->remove != NULL);
    if (!json_is_object(r->json) || !known || json_object_size(r->json) != known ||
        (text && !json_is_string(text)) || (j->remove && !json_is_array(j->remove))) {
        req_reply_error(r, 422, "invalid_field", NULL,
                        "send {\"text\": lines \"YYYY-MM-DD holiday|workday [name]\", "
                        "\"remove\": [dates]} (either or both)");
        return;
    }
    j->text = json_string_value(text);
    j->actor = r->actor;
    req_defer_write(r, calendar_job, j, calendar_done);
}
