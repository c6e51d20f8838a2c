/* admin.c — the JSON twins of the admin pages: the intake keyword → unit
 * table, the working-day calendar, the rules in settings and the 考核
 * deductions ledger.  Who may call what is the route
 * table's business (admins write, supervisors read); the rules on values are
 * core's (core/meeting.c for keywords, core/deduction.c for the ledger). */
#include <string.h>

#include "api/api.h"
#include "api/export.h"
#include "core/calendar.h"
#include "core/deduction.h"
#include "core/meeting.h"
#include "core/setting.h"
#include "http/req.h"
#include "http/write.h"
#include "notice/item_export.h"
#include "util/str.h"
#include "util/time.h"

void api_keywords_list(struct req *r)
{
    struct err e = {0};
    struct db *db = api_db(r);
    if (!db) return;
    json_t *v = meeting_rules_json(db, &e);
    if (v)
        req_reply_json(r, 200, v);
    else
        req_reply_err(r, &e);
}

struct keyword_job {
    struct write_job job;
    const char *keyword, *unit_code;
    int remove;
};

static int keyword_run(struct db *db, struct write_job *j)
{
    struct keyword_job *k = WRITE_OF(j, struct keyword_job);
    return k->remove ? meeting_rule_remove(db, j->actor, k->keyword, k->unit_code, &j->e)
                     : meeting_rule_add(db, j->actor, k->keyword, k->unit_code, &j->id, &j->e);
}

static void keyword_done(struct req *r, struct write_job *j)
{
    struct keyword_job *k = WRITE_OF(j, struct keyword_job);
    if (k->remove)
        req_reply_json(r, 200, json_pack("{s:b}", "removed", 1));
    else
        req_reply_json(r, 201,
                       json_pack("{s:I,s:s,s:s}", "id", (json_int_t)j->id, "keyword", k->keyword,
                                 "unit_code", k->unit_code));
}

static const struct write_ops keyword_ops = {
    .what = "changing the keyword table", .run = keyword_run, .done = keyword_done};

/* Both POSTs take {"keyword","unit_code"}. */
static void keyword_post(struct req *r, int remove)
{
    const char *kw = json_string_value(json_object_get(r->json, "keyword"));
    const char *code = json_string_value(json_object_get(r->json, "unit_code"));
    if (!json_is_object(r->json) || json_object_size(r->json) != 2 || !kw || !code) {
        req_reply_error(r, 422, "invalid_field", NULL,
                        "send {\"keyword\": text, \"unit_code\": a unit's code}");
        return;
    }
    struct keyword_job *k = WRITE_NEW(r, struct keyword_job, &keyword_ops);
    k->keyword = kw;
    k->unit_code = code;
    k->remove = remove;
    write_start(r, &k->job);
}

void api_keywords_add(struct req *r)
{
    keyword_post(r, 0);
}

void api_keywords_remove(struct req *r)
{
    keyword_post(r, 1);
}

/* The deductions as a file to download (format csv or xlsx): 扣分台账-YYYY-MM-DD. */
static void deductions_file(struct req *r, json_t *v, int xlsx)
{
    static const struct table_col cols[] = {
        {"编号", 8, "id", TABLE_INT},          {"单位", 22, "unit_name", TABLE_TEXT},
        {"事项编号", 9, "item_id", TABLE_INT}, {"事项", 40, "item_title", TABLE_TEXT},
        {"规则", 14, "rule", TABLE_TEXT},      {"依据", 14, "ref", TABLE_TEXT},
        {"扣分", 8, "points", TABLE_NUMBER},   {"记录时间", 26, "at", TABLE_TEXT},
        {"说明", 30, "note", TABLE_TEXT}};
    struct err e = {0};
    int fd;
    uint64_t size;
    int rc = table_export(json_object_get(v, "deductions"), cols, sizeof cols / sizeof *cols,
                          "扣分台账", xlsx ? ITEM_EXPORT_XLSX : ITEM_EXPORT_CSV, &fd, &size, &e);
    json_decref(v);
    if (rc) {
        req_reply_err(r, &e);
        return;
    }
    api_send_export(r, fd, size, xlsx, "deductions", "扣分台账");
}

void api_deductions(struct req *r)
{
    struct err e = {0};
    const char *unit = req_query(r, "unit"), *month = req_query(r, "month");
    int format = api_format(r);
    if (format < 0) return;
    int64_t unit_id = 0;
    if (unit && *unit && (str_to_int64(unit, strlen(unit), &unit_id) || unit_id <= 0)) {
        req_reply_error(r, 422, "invalid_field", NULL, "unit must be a unit id");
        return;
    }
    struct db *db = api_db(r);
    if (!db) return;
    json_t *v = deduction_list_json(db, unit_id, month, &e);
    if (v && format != API_FORMAT_JSON)
        deductions_file(r, v, format == API_FORMAT_XLSX);
    else if (v)
        req_reply_json(r, 200, v);
    else
        req_reply_err(r, &e);
}

void api_settings(struct req *r)
{
    struct err e = {0};
    struct db *db = api_db(r);
    if (!db) return;
    json_t *v = setting_list_json(db, &e);
    if (v)
        req_reply_json(r, 200, v);
    else
        req_reply_err(r, &e);
}

static int settings_run(struct db *db, struct write_job *j)
{
    return setting_update(db, j->actor, WRITE_OF(j, struct write_body)->body, &j->e);
}

/* The rules as they are now, as GET answers them. */
static void settings_done(struct req *r, struct write_job *j)
{
    (void)j;
    api_settings(r);
}

static const struct write_ops settings_ops = {
    .what = "writing the settings", .run = settings_run, .done = settings_done};

void api_settings_set(struct req *r)
{
    struct write_body *x = WRITE_NEW(r, struct write_body, &settings_ops);
    x->body = r->json;
    write_start(r, &x->job);
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
    struct db *db = api_db(r);
    if (!db) return;
    json_t *v = calendar_year_json(db, (int)year, &e);
    if (v)
        req_reply_json(r, 200, v);
    else
        req_reply_err(r, &e);
}

struct calendar_job {
    struct write_job job;
    const char *text; /* borrowed from r->json; NULL for none */
    json_t *remove;   /* borrowed array of dates, or NULL */
    int imported, removed;
};

static int calendar_run(struct db *db, struct write_job *j)
{
    struct calendar_job *c = WRITE_OF(j, struct calendar_job);
    c->imported = c->removed = 0;
    size_t i;
    json_t *d;
    json_array_foreach(c->remove, i, d)
    {
        int32_t day;
        const char *s = json_string_value(d);
        if (!s || date_parse(s, strlen(s), &day))
            return err_set(&j->e, 422, "invalid_field", "remove takes dates as YYYY-MM-DD");
        if (calendar_remove(db, j->actor, day, &j->e)) return -1;
        c->removed++;
    }
    if (c->text && calendar_import(db, j->actor, c->text, strlen(c->text), &c->imported, &j->e))
        return -1;
    return 0;
}

static void calendar_done(struct req *r, struct write_job *j)
{
    struct calendar_job *c = WRITE_OF(j, struct calendar_job);
    req_reply_json(r, 200, json_pack("{s:i,s:i}", "imported", c->imported, "removed", c->removed));
}

static const struct write_ops calendar_ops = {
    .what = "changing the calendar", .run = calendar_run, .done = calendar_done};

void api_calendar_set(struct req *r)
{
    json_t *text = json_object_get(r->json, "text"), *remove = json_object_get(r->json, "remove");
    size_t known = (text != NULL) + (remove != NULL);
    if (!json_is_object(r->json) || !known || json_object_size(r->json) != known ||
        (text && !json_is_string(text)) || (remove && !json_is_array(remove))) {
        req_reply_error(r, 422, "invalid_field", NULL,
                        "send {\"text\": lines \"YYYY-MM-DD holiday|workday [name]\", "
                        "\"remove\": [dates]} (either or both)");
        return;
    }
    struct calendar_job *c = WRITE_NEW(r, struct calendar_job, &calendar_ops);
    c->text = json_string_value(text);
    c->remove = remove;
    write_start(r, &c->job);
}
