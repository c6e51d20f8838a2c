/* admin.c — the admin section (管理): the intake keyword → unit table, the
 * working-day calendar, the rules in settings and the 考核 deductions
 * ledger (the request categories are admin_requests.c's).  Admins change the table, the calendar
 * and the rules; supervisors read all four (the route table says so).  Values are checked by core,
 * as for the JSON twins in api/admin.c; a refused form comes back with core's message and what was
 * typed. */
#include <string.h>

#include "core/calendar.h"
#include "core/deduction.h"
#include "core/meeting.h"
#include "core/setting.h"
#include "http/write.h"
#include "util/str.h"
#include "util/time.h"
#include "web/page.h"
#include "web/web.h"

void web_admin_tabs(struct req *r, const char *on)
{
    /* the last five are for admins only */
    static const char *const tabs[][2] = {{"/admin/keywords", "admin.keywords"},
                                          {"/admin/calendar", "admin.calendar"},
                                          {"/admin/settings", "admin.settings"},
                                          {"/admin/request-categories", "admin.request_categories"},
                                          {"/admin/deductions", "admin.deductions"},
                                          {"/admin/history", "admin.history"},
                                          {"/admin/users", "admin.users"},
                                          {"/admin/units", "admin.units"},
                                          {"/admin/apikeys", "admin.apikeys"},
                                          {"/admin/channels", "admin.channels"},
                                          {"/admin/outbox", "admin.outbox"}};
    size_t n = sizeof tabs / sizeof tabs[0] - ((r->actor->roles & ROLE_ADMIN) ? 0 : 5);
    html_printf(&r->out, "<nav class=\"tabs\" aria-label=\"%s\">", T(r, "nav.admin"));
    for (size_t i = 0; i < n; i++) {
        html_printf(&r->out, "<a href=\"%s\"", tabs[i][0]);
        if (!strcmp(on, tabs[i][0])) html_raw(&r->out, " class=\"on\" aria-current=\"page\"");
        html_printf(&r->out, ">%s</a>", T(r, tabs[i][1]));
    }
    html_raw(&r->out, "</nav>");
}

static const char *form_val(struct req *r, const char *name)
{
    const char *v = req_form(r, name);
    return v ? v : "";
}

/* One row of the table, with its remove button for admins. */
static void keyword_row(struct req *r, json_t *k, int admin)
{
    struct buf *o = &r->out;
    const char *kw = json_string_value(json_object_get(k, "keyword"));
    const char *code = json_string_value(json_object_get(k, "unit_code"));
    html_printf(o, "<tr><td>%s</td><td>%s <code>%s</code></td>", kw,
                json_string_value(json_object_get(k, "unit_name")), code);
    if (admin)
        html_printf(o,
                    "<td><form method=\"post\" action=\"/admin/keywords\">"
                    "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                    "<input type=\"hidden\" name=\"op\" value=\"remove\">"
                    "<input type=\"hidden\" name=\"keyword\" value=\"%s\">"
                    "<input type=\"hidden\" name=\"unit_code\" value=\"%s\">"
                    "<button type=\"submit\">%s</button></form></td>",
                    r->session.csrf, kw, code, T(r, "admin.remove"));
    html_raw(o, "</tr>");
}

static void keyword_add_form(struct req *r, json_t *units)
{
    struct buf *o = &r->out;
    const char *cur = form_val(r, "unit_code");
    html_printf(o,
                "<section class=\"card form\"><h2>%s</h2>"
                "<form method=\"post\" action=\"/admin/keywords\">"
                "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                "<input type=\"hidden\" name=\"op\" value=\"add\">"
                "<label for=\"keyword\">%s</label><input id=\"keyword\" name=\"keyword\" "
                "required maxlength=\"20\" value=\"%s\">"
                "<label for=\"unit_code\">%s</label><select id=\"unit_code\" name=\"unit_code\" "
                "required><option value=\"\">%s</option>",
                T(r, "admin.keyword_add"), r->session.csrf, T(r, "admin.keyword"),
                form_val(r, "keyword"), T(r, "admin.unit"), T(r, "new.choose"));
    size_t i;
    json_t *u;
    json_array_foreach(units, i, u)
    {
        const char *code = json_string_value(json_object_get(u, "code"));
        html_printf(o, "<option value=\"%s\"%s>%s</option>", code,
                    !strcmp(code, cur) ? " selected" : "",
                    json_string_value(json_object_get(u, "name")));
    }
    html_printf(o,
                "</select><div class=\"buttons\"><button type=\"submit\" class=\"primary\">%s"
                "</button></div></form></section>",
                T(r, "admin.add"));
}

/* The keyword page, with an error from a refused form. */
static void keywords_page(struct req *r, int status, const char *error)
{
    struct db *db = page_db(r);
    if (!db) return;
    struct err e = {0};
    json_t *rules = meeting_rules_json(db, &e);
    if (!rules) {
        page_fail(r, &e);
        return;
    }
    json_t *owner;
    json_t *units = page_units(r, &owner);
    if (!units) {
        json_decref(rules);
        return;
    }
    int admin = (r->actor->roles & ROLE_ADMIN) != 0;
    struct buf *o = &r->out;
    layout_begin(r, T(r, "admin.keywords"), NAV_NONE, NULL);
    html_printf(o, "<h1>%s</h1>", T(r, "admin.keywords"));
    web_admin_tabs(r, "/admin/keywords");
    if (error)
        html_printf(o, "<p class=\"alert\" role=\"alert\">%s%s%s</p>", T(r, "admin.error"),
                    T(r, "colon"), error);
    html_printf(
        o,
        "<p>%s</p><section class=\"card\"><table class=\"admin\"><thead><tr><th>%s</th><th>%s</th>",
        T(r, "admin.keywords_hint"), T(r, "admin.keyword"), T(r, "admin.unit"));
    if (admin) html_printf(o, "<th>%s</th>", T(r, "admin.action"));
    html_raw(o, "</tr></thead><tbody>");
    size_t i;
    json_t *k;
    json_t *rows = json_object_get(rules, "rules");
    json_array_foreach(rows, i, k) keyword_row(r, k, admin);
    html_raw(o, "</tbody></table>");
    if (!json_array_size(rows)) html_printf(o, "<p class=\"empty\">%s</p>", T(r, "admin.none"));
    html_raw(o, "</section>");
    if (admin) keyword_add_form(r, units);
    json_decref(owner);
    json_decref(rules);
    layout_end(r, status);
}

void web_admin_keywords(struct req *r)
{
    keywords_page(r, 200, NULL);
}

struct keyword_form {
    struct write_job job;
    const char *keyword, *unit_code;
    int remove;
};

static int keyword_form_run(struct db *db, struct write_job *j)
{
    struct keyword_form *k = WRITE_OF(j, struct keyword_form);
    return k->remove ? meeting_rule_remove(db, j->actor, k->keyword, k->unit_code, &j->e)
                     : meeting_rule_add(db, j->actor, k->keyword, k->unit_code, &j->id, &j->e);
}

static const struct write_ops keyword_form_ops = {.what = "changing the keyword table",
                                                  .run = keyword_form_run,
                                                  .next = "/admin/keywords",
                                                  .form = keywords_page};

void web_admin_keywords_post(struct req *r)
{
    const char *op = form_val(r, "op");
    if (strcmp(op, "add") && strcmp(op, "remove")) {
        keywords_page(r, 422, T(r, "admin.bad_op"));
        return;
    }
    struct keyword_form *k = WRITE_NEW(r, struct keyword_form, &keyword_form_ops);
    k->remove = !strcmp(op, "remove");
    k->keyword = form_val(r, "keyword");
    k->unit_code = form_val(r, "unit_code");
    write_start(r, &k->job);
}

/* The filter form of the ledger: unit and month. */
static void deductions_filters(struct req *r, json_t *units, int64_t unit, const char *month)
{
    struct buf *o = &r->out;
    html_printf(o,
                "<form method=\"get\" action=\"/admin/deductions\" class=\"filters card\">"
                "<label><span>%s</span><select id=\"unit\" name=\"unit\">"
                "<option value=\"\">%s</option>",
                T(r, "admin.unit"), T(r, "admin.all_units"));
    size_t i;
    json_t *u;
    json_array_foreach(units, i, u)
    {
        int64_t id = json_integer_value(json_object_get(u, "id"));
        html_printf(o, "<option value=\"%lld\"%s>%s</option>", (long long)id,
                    id == unit ? " selected" : "", json_string_value(json_object_get(u, "name")));
    }
    html_printf(o,
                "</select></label><label><span>%s</span><input id=\"month\" name=\"month\" "
                "type=\"month\" placeholder=\"YYYY-MM\" value=\"%s\"></label>"
                "<div class=\"buttons\"><button type=\"submit\">%s</button></div></form>",
                T(r, "admin.month"), month, T(r, "admin.filter"));
}

static void deductions_tables(struct req *r, json_t *v)
{
    struct buf *o = &r->out;
    html_printf(o,
                "<section class=\"card\"><h2>%s</h2><table "
                "class=\"admin\"><thead><tr><th>%s</th><th>%s</th>"
                "<th>%s</th></tr></thead><tbody>",
                T(r, "admin.totals"), T(r, "admin.unit"), T(r, "admin.count"),
                T(r, "admin.points"));
    size_t i;
    json_t *t;
    json_array_foreach(json_object_get(v, "totals"), i, t)
        html_printf(o, "<tr><td>%s</td><td>%lld</td><td>%g</td></tr>",
                    json_string_value(json_object_get(t, "unit_name")),
                    (long long)json_integer_value(json_object_get(t, "count")),
                    json_real_value(json_object_get(t, "points")));
    html_printf(o,
                "</tbody></table></section><section class=\"card\"><h2>%s</h2><table "
                "class=\"admin\"><thead><tr>"
                "<th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
                T(r, "admin.ledger"), T(r, "admin.at"), T(r, "admin.unit"), T(r, "admin.item"),
                T(r, "admin.rule"), T(r, "admin.points"));
    json_array_foreach(json_object_get(v, "deductions"), i, t)
        html_printf(o,
                    "<tr><td>%s</td><td>%s</td><td><a href=\"/items/%lld\">%s</a></td><td>%s "
                    "<small>%s</small></td><td>%g</td></tr>",
                    page_time(r, json_string_value(json_object_get(t, "at"))),
                    json_string_value(json_object_get(t, "unit_name")),
                    (long long)json_integer_value(json_object_get(t, "item_id")),
                    json_string_value(json_object_get(t, "item_title")),
                    i18n_label(r, "deduction", json_string_value(json_object_get(t, "rule"))),
                    json_string_value(json_object_get(t, "ref")),
                    json_real_value(json_object_get(t, "points")));
    html_raw(o, "</tbody></table>");
    if (!json_array_size(json_object_get(v, "deductions")))
        html_printf(o, "<p class=\"empty\">%s</p>", T(r, "admin.none"));
    html_raw(o, "</section>");
}

void web_admin_deductions(struct req *r)
{
    const char *unit_s = req_query(r, "unit"), *month = req_query(r, "month");
    int64_t unit = 0;
    if (!month) month = "";
    if (unit_s && *unit_s && (str_to_int64(unit_s, strlen(unit_s), &unit) || unit <= 0)) {
        web_error_page(r, 422, "unit must be a unit id");
        return;
    }
    struct db *db = page_db(r);
    if (!db) return;
    struct err e = {0};
    json_t *v = deduction_list_json(db, unit, month, &e);
    if (!v) {
        page_fail(r, &e);
        return;
    }
    json_t *owner;
    json_t *units = page_units(r, &owner);
    if (!units) {
        json_decref(v);
        return;
    }
    struct buf *o = &r->out;
    layout_begin(r, T(r, "admin.deductions"), NAV_NONE, NULL);
    html_printf(o, "<h1>%s</h1>", T(r, "admin.deductions"));
    web_admin_tabs(r, "/admin/deductions");
    html_printf(o, "<p>%s</p>", T(r, "admin.deductions_hint"));
    deductions_filters(r, units, unit, month);
    deductions_tables(r, v);
    json_decref(owner);
    json_decref(v);
    layout_end(r, 200);
}

/* One setting's row: key, meaning, value (an input for admins), default. */
static void setting_row(struct req *r, json_t *v, const char *typed, int admin)
{
    struct buf *o = &r->out;
    const char *key = json_string_value(json_object_get(v, "key"));
    long long min = json_integer_value(json_object_get(v, "min"));
    long long max = json_integer_value(json_object_get(v, "max"));
    const char *val =
        typed ? typed
              : arena_printf(r->arena, "%lld",
                             (long long)json_integer_value(json_object_get(v, "value")));
    html_printf(o, "<tr><td><code>%s</code></td><td>%s <small>(%lld–%lld)</small></td><td>", key,
                i18n_label(r, "setting", key), min, max);
    if (admin)
        html_printf(o,
                    "<input name=\"%s\" aria-label=\"%s\" type=\"number\" min=\"%lld\" "
                    "max=\"%lld\" step=\"1\" value=\"%s\" required>",
                    key, key, min, max, val);
    else
        html_printf(o, "%s", val);
    html_printf(o, "</td><td>%lld</td></tr>",
                (long long)json_integer_value(json_object_get(v, "default")));
}

/* The settings page; on a refused form, its status, message and the typed values. */
static void settings_page(struct req *r, int status, const char *error)
{
    struct db *db = page_db(r);
    if (!db) return;
    struct err e = {0};
    json_t *v = setting_list_json(db, &e);
    if (!v) {
        page_fail(r, &e);
        return;
    }
    int admin = (r->actor->roles & ROLE_ADMIN) != 0;
    struct buf *o = &r->out;
    layout_begin(r, T(r, "admin.settings"), NAV_NONE, NULL);
    html_printf(o, "<h1>%s</h1>", T(r, "admin.settings"));
    web_admin_tabs(r, "/admin/settings");
    if (error)
        html_printf(o, "<p class=\"alert\" role=\"alert\">%s%s%s</p>", T(r, "admin.error"),
                    T(r, "colon"), error);
    html_printf(o, "<p>%s</p><section class=\"card form\">", T(r, "admin.settings_hint"));
    if (admin)
        html_printf(o,
                    "<form method=\"post\" action=\"/admin/settings\">"
                    "<input type=\"hidden\" name=\"csrf\" value=\"%s\">",
                    r->session.csrf);
    html_printf(
        o,
        "<table "
        "class=\"admin\"><thead><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead>"
        "<tbody>",
        T(r, "admin.setting"), T(r, "admin.meaning"), T(r, "admin.value"), T(r, "admin.default"));
    size_t i;
    json_t *s;
    json_array_foreach(json_object_get(v, "settings"), i, s) setting_row(
        r, s, error ? req_form(r, json_string_value(json_object_get(s, "key"))) : NULL, admin);
    html_raw(o, "</tbody></table>");
    if (admin)
        html_printf(o,
                    "<div class=\"buttons\"><button type=\"submit\" class=\"primary\">%s"
                    "</button></div></form>",
                    T(r, "admin.save"));
    html_raw(o, "</section>");
    json_decref(v);
    layout_end(r, status);
}

void web_admin_settings(struct req *r)
{
    settings_page(r, 200, NULL);
}

static int settings_form_run(struct db *db, struct write_job *j)
{
    return setting_update(db, j->actor, WRITE_OF(j, struct write_body)->body, &j->e);
}

static const struct write_ops settings_form_ops = {.what = "writing the settings",
                                                   .run = settings_form_run,
                                                   .next = "/admin/settings",
                                                   .form = settings_page,
                                                   .release = write_body_release};

/* The posted fields as setting_update's object: numbers as integers, other
 * text as strings so core refuses them in its words. */
void web_admin_settings_post(struct req *r)
{
    struct write_body *b = WRITE_NEW(r, struct write_body, &settings_form_ops);
    size_t n;
    const struct setting_def *d = setting_defs(&n);
    b->body = json_object();
    for (size_t i = 0; i < n; i++) {
        const char *v = req_form(r, d[i].key);
        int64_t x;
        if (!v || !*v) continue;
        json_object_set_new(b->body, d[i].key,
                            str_to_int64(v, strlen(v), &x) ? json_string(v) : json_integer(x));
    }
    write_start(r, &b->job);
}

/* The year links above the calendar. */
static void calendar_years(struct req *r, json_t *v, int year)
{
    struct buf *o = &r->out;
    html_raw(o, "<p class=\"years\">");
    size_t i;
    json_t *y;
    json_array_foreach(json_object_get(v, "years"), i, y)
    {
        long long n = json_integer_value(y);
        if (n == year)
            html_printf(o, "<b>%lld</b> ", n);
        else
            html_printf(o, "<a href=\"/admin/calendar?year=%lld\">%lld</a> ", n, n);
    }
    html_raw(o, "</p>");
}

static void calendar_row(struct req *r, json_t *d, int admin)
{
    struct buf *o = &r->out;
    const char *date = json_string_value(json_object_get(d, "date"));
    const char *wd = arena_printf(r->arena, "%lld",
                                  (long long)json_integer_value(json_object_get(d, "weekday")));
    html_printf(o, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td>", date,
                i18n_label(r, "weekday", wd),
                i18n_label(r, "calendar", json_string_value(json_object_get(d, "kind"))),
                json_string_value(json_object_get(d, "name")));
    if (admin)
        html_printf(o,
                    "<td><form method=\"post\" action=\"/admin/calendar\">"
                    "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                    "<input type=\"hidden\" name=\"op\" value=\"remove\">"
                    "<input type=\"hidden\" name=\"date\" value=\"%s\">"
                    "<button type=\"submit\">%s</button></form></td>",
                    r->session.csrf, date, T(r, "admin.remove"));
    html_raw(o, "</tr>");
}

/* The add and import forms (admins). */
static void calendar_forms(struct req *r)
{
    struct buf *o = &r->out;
    const char *kind = form_val(r, "kind");
    html_printf(o,
                "<section class=\"card form\"><h2>%s</h2>"
                "<form method=\"post\" action=\"/admin/calendar\">"
                "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                "<input type=\"hidden\" name=\"op\" value=\"add\">"
                "<label for=\"date\">%s</label><input id=\"date\" name=\"date\" type=\"date\" "
                "required placeholder=\"YYYY-MM-DD\" value=\"%s\">"
                "<label for=\"kind\">%s</label><select id=\"kind\" name=\"kind\">",
                T(r, "admin.calendar_add"), r->session.csrf, T(r, "admin.date"),
                form_val(r, "date"), T(r, "admin.kind"));
    static const char *const kinds[] = {"holiday", "workday"};
    for (size_t i = 0; i < 2; i++)
        html_printf(o, "<option value=\"%s\"%s>%s</option>", kinds[i],
                    !strcmp(kind, kinds[i]) ? " selected" : "",
                    i18n_label(r, "calendar", kinds[i]));
    html_printf(o,
                "</select><label for=\"name\">%s</label><input id=\"name\" name=\"name\" "
                "maxlength=\"60\" value=\"%s\"><div class=\"buttons\"><button type=\"submit\" "
                "class=\"primary\">%s</button></div></form></section>",
                T(r, "admin.day_name"), form_val(r, "name"), T(r, "admin.add"));
    html_printf(o,
                "<section class=\"card form\"><h2>%s</h2>"
                "<form method=\"post\" action=\"/admin/calendar\">"
                "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                "<input type=\"hidden\" name=\"op\" value=\"import\">"
                "<label for=\"text\">%s</label><textarea id=\"text\" name=\"text\" rows=\"8\" "
                "placeholder=\"2026-10-01 holiday 国庆节\">%s</textarea>"
                "<div class=\"buttons\"><button type=\"submit\">%s</button></div></form></section>",
                T(r, "admin.calendar_import"), r->session.csrf, T(r, "admin.calendar_format"),
                form_val(r, "text"), T(r, "admin.import"));
}

static void calendar_page(struct req *r, int year, int status, const char *error)
{
    struct db *db = page_db(r);
    if (!db) return;
    struct err e = {0};
    json_t *v = calendar_year_json(db, year, &e);
    if (!v) {
        page_fail(r, &e);
        return;
    }
    int admin = (r->actor->roles & ROLE_ADMIN) != 0;
    struct buf *o = &r->out;
    layout_begin(r, T(r, "admin.calendar"), NAV_NONE, arena_printf(r->arena, "year=%d", year));
    html_printf(o, "<h1>%s <small>%d</small></h1>", T(r, "admin.calendar"), year);
    web_admin_tabs(r, "/admin/calendar");
    page_calendar_warning(r, db);
    if (error)
        html_printf(o, "<p class=\"alert\" role=\"alert\">%s%s%s</p>", T(r, "admin.error"),
                    T(r, "colon"), error);
    html_printf(o, "<p>%s</p>", T(r, "admin.calendar_hint"));
    calendar_years(r, v, year);
    html_printf(o,
                "<section class=\"card\"><table "
                "class=\"admin\"><thead><tr><th>%s</th><th>%s</th><th>%s</th>"
                "<th>%s</th>",
                T(r, "admin.date"), T(r, "admin.weekday"), T(r, "admin.kind"),
                T(r, "admin.day_name"));
    if (admin) html_printf(o, "<th>%s</th>", T(r, "admin.action"));
    html_raw(o, "</tr></thead><tbody>");
    size_t i;
    json_t *d;
    json_array_foreach(json_object_get(v, "days"), i, d) calendar_row(r, d, admin);
    html_raw(o, "</tbody></table>");
    if (!json_array_size(json_object_get(v, "days")))
        html_printf(o, "<p class=\"empty\">%s</p>", T(r, "admin.none"));
    html_raw(o, "</section>");
    if (admin) calendar_forms(r);
    json_decref(v);
    layout_end(r, status);
}

/* The year asked for (?year= or the form's date), else this year; -1 when bad. */
static int calendar_year_of(const char *s)
{
    int y, m, d;
    int64_t v;
    date_split(time_today(), &y, &m, &d);
    if (!s || !*s) return y;
    if (strlen(s) >= 4 && !str_to_int64(s, 4, &v) && (strlen(s) == 4 || s[4] == '-') && v >= 1900 &&
        v <= 9998)
        return (int)v;
    return -1;
}

void web_admin_calendar(struct req *r)
{
    int year = calendar_year_of(req_query(r, "year"));
    if (year < 0) {
        web_error_page(r, 422, "year must be from 1900 to 9998");
        return;
    }
    calendar_page(r, year, 200, NULL);
}

struct calendar_form {
    struct write_job job;
    const char *text; /* calendar text to import (add and import) */
    int32_t remove;   /* the day to remove, or -1 */
    int year, count;
};

static int calendar_form_run(struct db *db, struct write_job *j)
{
    struct calendar_form *f = WRITE_OF(j, struct calendar_form);
    if (f->remove >= 0) return calendar_remove(db, j->actor, f->remove, &j->e);
    return calendar_import(db, j->actor, f->text, strlen(f->text), &f->count, &j->e);
}

static void calendar_form_done(struct req *r, struct write_job *j)
{
    write_redirect(r, "/admin/calendar?year=%d", WRITE_OF(j, struct calendar_form)->year);
}

static void calendar_form_refused(struct req *r, struct write_job *j)
{
    calendar_page(r, WRITE_OF(j, struct calendar_form)->year, j->e.status, req_err_text(r, &j->e));
}

static const struct write_ops calendar_form_ops = {.what = "changing the calendar",
                                                   .run = calendar_form_run,
                                                   .done = calendar_form_done,
                                                   .refused = calendar_form_refused};

void web_admin_calendar_post(struct req *r)
{
    struct calendar_form *f = WRITE_NEW(r, struct calendar_form, &calendar_form_ops);
    const char *op = form_val(r, "op"), *date = form_val(r, "date");
    int32_t day;
    f->remove = -1;
    f->year = calendar_year_of(date);
    if (f->year < 0) f->year = calendar_year_of(NULL);
    if (!strcmp(op, "import")) {
        f->text = form_val(r, "text");
        const char *first = f->text + strspn(f->text, " \t\r\n#");
        int y = calendar_year_of(first);
        if (y > 0 && *first) f->year = y;
    } else if (!strcmp(op, "add") || !strcmp(op, "remove")) {
        const char *name = form_val(r, "name");
        if (date_parse(date, strlen(date), &day) || strpbrk(name, "\r\n")) {
            calendar_page(r, f->year, 422, T(r, "admin.bad_date"));
            return;
        }
        if (!strcmp(op, "remove"))
            f->remove = day;
        else
            f->text = arena_printf(r->arena, "%s %s %s", date, form_val(r, "kind"), name);
    } else {
        calendar_page(r, f->year, 422, T(r, "admin.bad_op"));
        return;
    }
    write_start(r, &f->job);
}
