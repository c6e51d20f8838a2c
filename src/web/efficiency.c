/* efficiency.c — the 亩均效益评价 pages (core/efficiency.h), without
 * JavaScript.  GET /efficiency?year=Y is the office's year (the state, the
 * data upload, the config as its JSON, the steps each behind a confirmation
 * box, the results with class counts by town, the objections with accept
 * and reject), and for anyone else their own enterprise's published result
 * with the objection form.  POST /efficiency (the office: op=data|config|
 * evaluate|publish|finalize|decide) and POST /efficiency/objection (an
 * enterprise) make the same core calls as the API; each answers with the
 * year's page again (303), or the page with the refusal above it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/efficiency.h"
#include "http/multipart.h"
#include "http/write.h"
#include "util/str.h"
#include "util/time.h"
#include "web/page.h"
#include "web/web.h"

/* ?year= or the form's year (default this year). */
static int page_year(const char *v)
{
    int y, m, d;
    int64_t n;
    date_split(time_today(), &y, &m, &d);
    if (v && !str_to_int64(v, strlen(v), &n) && n >= 2000 && n <= 9998) return (int)n;
    return y;
}

static const char *str(json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

static void results_table(struct req *r, json_t *v)
{
    struct buf *o = &r->out;
    size_t i;
    json_t *x;
    html_printf(o,
                "<table class=\"list\" id=\"eff-results\"><thead><tr><th>%s</th><th>%s</th>"
                "<th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead>"
                "<tbody>",
                T(r, "eff.rank"), T(r, "eff.credit_code"), T(r, "eff.name"), T(r, "eff.town"),
                T(r, "eff.track"), T(r, "eff.score"), T(r, "eff.class"), T(r, "eff.label"));
    json_array_foreach(json_object_get(v, "results"), i, x)
    {
        html_printf(
            o,
            "<tr><td>%lld</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%.2f</td>"
            "<td>%s</td><td>%s</td></tr>",
            (long long)json_integer_value(json_object_get(x, "rank_city")), str(x, "credit_code"),
            str(x, "name"), str(x, "town_name"), i18n_label(r, "eff.t", str(x, "track")),
            json_number_value(json_object_get(x, "score")), str(x, "class"), str(x, "label"));
    }
    html_printf(o, "</tbody></table>");
}

static void counts_table(struct req *r, json_t *v)
{
    struct buf *o = &r->out;
    size_t i;
    json_t *x;
    html_printf(o,
                "<h2>%s</h2><table class=\"list\" id=\"eff-counts\"><thead><tr><th>%s</th>"
                "<th>A</th><th>B</th><th>C</th><th>D</th></tr></thead><tbody>",
                T(r, "eff.counts"), T(r, "eff.town"));
    json_array_foreach(json_object_get(v, "class_counts"), i, x)
    {
        html_printf(o, "<tr><td>%s</td><td>%lld</td><td>%lld</td><td>%lld</td><td>%lld</td></tr>",
                    str(x, "town_name"), (long long)json_integer_value(json_object_get(x, "A")),
                    (long long)json_integer_value(json_object_get(x, "B")),
                    (long long)json_integer_value(json_object_get(x, "C")),
                    (long long)json_integer_value(json_object_get(x, "D")));
    }
    html_printf(o, "</tbody></table>");
}

/* A form posting op for year, with a confirmation box when confirm. */
static void step_form(struct req *r, int year, const char *op, int confirm)
{
    html_printf(&r->out,
                "<form method=\"post\" action=\"/efficiency\" enctype=\"multipart/form-data\" "
                "class=\"inline\"><input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                "<input type=\"hidden\" name=\"year\" value=\"%d\">"
                "<input type=\"hidden\" name=\"op\" value=\"%s\">",
                r->session.csrf, year, op);
    if (confirm)
        html_printf(&r->out,
                    "<label><input type=\"checkbox\" name=\"confirm\" value=\"1\" "
                    "required> %s</label> ",
                    T(r, "eff.confirm"));
    html_printf(&r->out, "<button type=\"submit\" id=\"eff-%s\">%s</button></form> ", op,
                i18n_label(r, "eff.op", op));
}

static void office_forms(struct req *r, struct db *db, int year, const char *state)
{
    struct buf *o = &r->out;
    struct err e = {0};
    int open = !strcmp(state, "open") || !strcmp(state, "evaluated");
    if (open) {
        json_t *c = efficiency_config_get_json(db, year, &e);
        char *text = c ? json_dumps(json_object_get(c, "config"), JSON_INDENT(1)) : NULL;
        html_printf(o,
                    "<section class=\"card form\"><h2>%s</h2><form method=\"post\" "
                    "action=\"/efficiency\" enctype=\"multipart/form-data\">"
                    "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                    "<input type=\"hidden\" name=\"year\" value=\"%d\">"
                    "<input type=\"hidden\" name=\"op\" value=\"data\">"
                    "<input id=\"eff-file\" name=\"file\" type=\"file\" required "
                    "accept=\".xlsx,.csv\"> <button type=\"submit\">%s</button></form>"
                    "<h2>%s</h2><form method=\"post\" action=\"/efficiency\" "
                    "enctype=\"multipart/form-data\"><input type=\"hidden\" name=\"csrf\" "
                    "value=\"%s\"><input type=\"hidden\" name=\"year\" value=\"%d\">"
                    "<input type=\"hidden\" name=\"op\" value=\"config\">"
                    "<textarea name=\"config\" id=\"eff-config\" rows=\"12\">%s</textarea>"
                    "<div class=\"buttons\"><button type=\"submit\">%s</button></div></form>"
                    "</section>",
                    T(r, "eff.upload"), r->session.csrf, year, T(r, "eff.upload_button"),
                    T(r, "eff.config"), r->session.csrf, year, text ? text : "", T(r, "eff.save"));
        free(text);
        json_decref(c);
    }
    html_printf(o, "<section class=\"card\"><h2>%s</h2>", T(r, "eff.steps"));
    if (open) step_form(r, year, "evaluate", 0);
    if (!strcmp(state, "evaluated")) step_form(r, year, "publish", 1);
    if (!strcmp(state, "published")) step_form(r, year, "finalize", 1);
    html_printf(o, "</section>");
}

static void objection_rows(struct req *r, json_t *list, int office, int year)
{
    struct buf *o = &r->out;
    size_t i;
    json_t *x;
    html_printf(o, "<h2>%s</h2><ul id=\"eff-objections\">", T(r, "eff.objections"));
    json_array_foreach(json_object_get(list, "objections"), i, x)
    {
        html_printf(o, "<li>%s · %s · %s", str(x, "name"), str(x, "text"),
                    i18n_label(r, "eff.s", str(x, "status")));
        if (office && !strcmp(str(x, "status"), "pending"))
            html_printf(o,
                        "<form method=\"post\" action=\"/efficiency\" "
                        "enctype=\"multipart/form-data\"><input type=\"hidden\" name=\"csrf\" "
                        "value=\"%s\"><input type=\"hidden\" name=\"year\" value=\"%d\">"
                        "<input type=\"hidden\" name=\"op\" value=\"decide\">"
                        "<input type=\"hidden\" name=\"id\" value=\"%lld\">"
                        "<select name=\"decision\"><option value=\"accept\">%s</option>"
                        "<option value=\"reject\">%s</option></select> "
                        "<input name=\"reason\" required placeholder=\"%s\"> "
                        "<input name=\"data\" placeholder='{\"electricity_mwh\":10}'> "
                        "<button type=\"submit\">%s</button></form>",
                        r->session.csrf, year,
                        (long long)json_integer_value(json_object_get(x, "id")), T(r, "eff.accept"),
                        T(r, "eff.reject"), T(r, "eff.reason"), T(r, "eff.decide"));
        html_printf(o, "</li>");
    }
    html_printf(o, "</ul>");
}

static void own_result(struct req *r, json_t *v, int year)
{
    struct buf *o = &r->out;
    json_t *x = json_array_get(json_object_get(v, "results"), 0);
    if (!x) {
        html_printf(o, "<p id=\"eff-none\">%s</p>", T(r, "eff.none"));
        return;
    }
    html_printf(o,
                "<section class=\"card\" id=\"eff-own\"><p>%s · %s%s%.2f · %s%s%s · %s</p>"
                "</section>",
                str(x, "name"), T(r, "eff.score"), T(r, "colon"),
                json_number_value(json_object_get(x, "score")), T(r, "eff.class"), T(r, "colon"),
                str(x, "class"), str(x, "label"));
    if (strcmp(str(v, "state"), "published")) return;
    html_printf(o,
                "<section class=\"card form\"><h2>%s</h2><form method=\"post\" "
                "action=\"/efficiency/objection\"><input type=\"hidden\" name=\"csrf\" "
                "value=\"%s\"><input type=\"hidden\" name=\"year\" value=\"%d\">"
                "<textarea name=\"text\" required rows=\"4\"></textarea>"
                "<label>%s <input name=\"attachment_ids\"></label>"
                "<div class=\"buttons\"><button type=\"submit\" id=\"eff-object\">%s</button>"
                "</div></form></section>",
                T(r, "eff.object"), r->session.csrf, year, T(r, "eff.attachments"),
                T(r, "eff.object_button"));
}

static void efficiency_page(struct req *r, int year, int status, const char *error)
{
    struct db *db = page_db(r);
    struct err e = {0};
    if (!db) return;
    json_t *v = efficiency_results_json(db, r->actor, year, &e);
    json_t *objs = v ? efficiency_objections_json(db, r->actor, year, &e) : NULL;
    if (!objs) {
        json_decref(v);
        page_fail(r, &e);
        return;
    }
    int office = actor_sees_all(r->actor);
    layout_begin(r, T(r, "eff.title"), NAV_NONE, NULL);
    html_printf(&r->out, "<h1>%s %d</h1><p id=\"eff-state\">%s%s%s</p>", T(r, "eff.title"), year,
                T(r, "eff.state"), T(r, "colon"), i18n_label(r, "eff.st", str(v, "state")));
    if (error) html_printf(&r->out, "<p class=\"alert\" role=\"alert\">%s</p>", error);
    if (office && r->actor->roles & (ROLE_ADMIN | ROLE_SUPERVISOR))
        office_forms(r, db, year, str(v, "state"));
    if (office) {
        results_table(r, v);
        counts_table(r, v);
    } else {
        own_result(r, v, year);
    }
    objection_rows(r, objs, office && r->actor->roles & (ROLE_ADMIN | ROLE_SUPERVISOR), year);
    json_decref(v);
    json_decref(objs);
    layout_end(r, status);
}

void web_efficiency(struct req *r)
{
    efficiency_page(r, page_year(req_query(r, "year")), 200, NULL);
}

struct eff_page_job {
    struct write_job job;
    int year;
    const char *op;
    json_t *body;
    struct eff_plan *plan;
};

static int page_run(struct db *db, struct write_job *j)
{
    struct eff_page_job *x = WRITE_OF(j, struct eff_page_job);
    int year = x->year;
    if (!strcmp(x->op, "data")) return efficiency_plan_store(db, j->actor, year, x->plan, &j->e);
    if (!strcmp(x->op, "config")) return efficiency_config_set(db, j->actor, year, x->body, &j->e);
    if (!strcmp(x->op, "decide"))
        return efficiency_objection_decide(db, j->actor, j->id, x->body, &year, &j->e);
    if (!strcmp(x->op, "object"))
        return efficiency_objection_add(db, j->actor, year, x->body, &j->id, &j->e);
    return efficiency_step(db, j->actor, year, x->op, &j->e);
}

static void page_done(struct req *r, struct write_job *j)
{
    write_redirect(r, "/efficiency?year=%d", WRITE_OF(j, struct eff_page_job)->year);
}

static void page_refused(struct req *r, struct write_job *j)
{
    efficiency_page(r, WRITE_OF(j, struct eff_page_job)->year, j->e.status ? j->e.status : 500,
                    req_err_text(r, &j->e));
}

static void page_release(struct write_job *j)
{
    struct eff_page_job *x = WRITE_OF(j, struct eff_page_job);
    efficiency_plan_free(x->plan);
    json_decref(x->body);
}

static const struct write_ops page_ops = {.what = "changing the evaluation",
                                          .run = page_run,
                                          .done = page_done,
                                          .refused = page_refused,
                                          .release = page_release};

/* The form's JSON field name into x->body (NULL when absent); 0, or -1. */
static int form_json(struct req *r, const char *name, struct eff_page_job *x)
{
    const char *t = req_form(r, name);
    if (!t || !*t) return 0;
    x->body = json_loads(t, 0, NULL);
    return x->body ? 0 : -1;
}

/* 0 for a plan without problems, else -1 with e naming each (row, column, code). */
static int plan_problems(const struct eff_plan *p, struct err *e)
{
    json_t *v = efficiency_plan_json(p), *x;
    size_t i, n = json_array_size(json_object_get(v, "problems"));
    char text[600] = "";
    json_array_foreach(json_object_get(v, "problems"), i, x)
    {
        size_t len = strlen(text);
        snprintf(text + len, sizeof text - len, "%s%lld %s %s", i ? "; " : "",
                 (long long)json_integer_value(json_object_get(x, "row")), str(x, "column"),
                 str(x, "code"));
    }
    json_decref(v);
    if (!n) return 0;
    err_set(e, 422, "efficiency_data_invalid", "%s", text);
    return err_subject(e, text);
}

/* The form field name, "" when absent. */
static const char *field(struct req *r, const char *name)
{
    const char *v = req_form(r, name);
    return v ? v : "";
}

/* What op needs from the form into x; 0, or -1 with e. */
static int page_input(struct req *r, struct eff_page_job *x, struct err *e)
{
    struct db *db = page_db(r);
    if (!db) return err_set(e, 503, "database_unavailable", "the database cannot be reached");
    if (!strcmp(x->op, "data")) {
        const struct req_file *f = multipart_file(r, "file");
        if (!f || !f->len) return err_set(e, 400, "file_empty", "choose a file");
        if (efficiency_plan_read(db, f->data, f->len, &x->plan, e)) return -1;
        return plan_problems(x->plan, e);
    }
    if (!strcmp(x->op, "config") && form_json(r, "config", x))
        return err_set(e, 422, "invalid_field", "the config is not JSON");
    if (!strcmp(x->op, "decide")) {
        const char *id = req_form(r, "id");
        x->body =
            json_pack("{s:s,s:s}", "decision", field(r, "decision"), "reason", field(r, "reason"));
        json_t *data = NULL;
        const char *d = req_form(r, "data");
        if (d && *d && !(data = json_loads(d, 0, NULL)))
            return err_set(e, 422, "invalid_field", "the corrected data is not JSON");
        if (data) json_object_set_new(x->body, "data", data);
        if (!id || str_to_int64(id, strlen(id), &x->job.id))
            return err_set(e, 422, "invalid_field", "no objection");
    }
    return 0;
}

void web_efficiency_post(struct req *r)
{
    static const char *const ops[] = {"data",    "config",   "evaluate",
                                      "publish", "finalize", "decide"};
    struct eff_page_job *x = WRITE_NEW(r, struct eff_page_job, &page_ops);
    const char *op = req_form(r, "op");
    x->year = page_year(req_form(r, "year"));
    for (size_t i = 0; op && i < sizeof ops / sizeof ops[0]; i++)
        if (!strcmp(op, ops[i])) x->op = ops[i];
    if (!x->op) err_set(&x->job.e, 422, "invalid_field", "no such step");
    if (x->op && page_input(r, x, &x->job.e)) {
        write_refuse(r, &x->job);
        return;
    }
    if (!x->op) {
        write_refuse(r, &x->job);
        return;
    }
    write_start(r, &x->job);
}

void web_efficiency_objection(struct req *r)
{
    struct eff_page_job *x = WRITE_NEW(r, struct eff_page_job, &page_ops);
    const char *ids = req_form(r, "attachment_ids");
    x->year = page_year(req_form(r, "year"));
    x->op = "object";
    x->body = json_pack("{s:s,s:[]}", "text", field(r, "text"), "attachment_ids");
    for (const char *p = ids; p && *p;) {
        char *end;
        long long n = strtoll(p, &end, 10);
        if (end == p) break;
        json_array_append_new(json_object_get(x->body, "attachment_ids"), json_integer(n));
        p = end + strspn(end, ", ");
    }
    write_start(r, &x->job);
}
