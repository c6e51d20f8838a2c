/* campaign.c (web) — the campaigns (一月一主题) and one campaign's figures:
 * found, fixed, overdue and open hazards, overall and by town and by grid,
 * and the tasks attached.  Figures are core's (campaign_figures_json),
 * counted live; this file only lays them out. */
#include <string.h>

#include "core/campaign.h"
#include "core/hazard.h"
#include "core/unit.h"
#include "http/write.h"
#include "util/str.h"
#include "web/page.h"
#include "web/web.h"

static void figures_row(struct req *r, const char *name, json_t *f)
{
    html_printf(&r->out,
                "<tr><th scope=\"row\">%s</th><td>%lld</td><td>%lld</td><td>%lld</td><td>%lld</td>"
                "<td>%lld</td></tr>",
                name, (long long)json_integer_value(json_object_get(f, "found")),
                (long long)json_integer_value(json_object_get(f, "fixed")),
                (long long)json_integer_value(json_object_get(f, "overdue")),
                (long long)json_integer_value(json_object_get(f, "open")),
                (long long)json_integer_value(json_object_get(f, "major")));
}

static void figures_head(struct req *r, const char *first)
{
    html_printf(&r->out,
                "<table class=\"figures\"><thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s"
                "</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                "<th scope=\"col\">%s</th></tr></thead><tbody>",
                first, T(r, "campaign.found"), T(r, "campaign.fixed"), T(r, "campaign.overdue"),
                T(r, "campaign.open"), T(r, "campaign.major"));
}

static void figures_table(struct req *r, const char *title, const char *first, json_t *rows)
{
    html_printf(&r->out, "<section class=\"card\"><h2>%s</h2>", title);
    figures_head(r, first);
    size_t i;
    json_t *f;
    json_array_foreach(rows, i, f)
    {
        const char *name = json_string_value(json_object_get(f, "name"));
        figures_row(r, name && *name ? name : T(r, "campaign.no_area"), f);
    }
    html_raw(&r->out, "</tbody></table></section>");
}

static void campaigns_new(struct req *r, struct db *db);

void web_campaigns(struct req *r)
{
    struct db *db = page_db(r);
    if (!db) return;
    struct err e = {0};
    json_t *list = campaign_list_json(db, &e);
    if (!list) {
        page_fail(r, &e);
        return;
    }
    struct buf *o = &r->out;
    layout_begin(r, T(r, "campaign.title"), NAV_NONE, NULL);
    html_raw(&r->out, "<link rel=\"stylesheet\" href=\"/static/hazard.css\">");
    html_printf(o, "<h1>%s</h1><section class=\"card\">", T(r, "campaign.title"));
    figures_head(r, T(r, "campaign.theme"));
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(list, "campaigns"), i, c)
    {
        int64_t id = json_integer_value(json_object_get(c, "id"));
        json_t *f = campaign_figures_json(db, r->actor, id, &e);
        const char *name =
            arena_printf(r->arena, "%s %s", json_string_value(json_object_get(c, "month")),
                         json_string_value(json_object_get(c, "theme")));
        html_printf(o, "<tr><th scope=\"row\"><a href=\"/campaigns/%lld\">%s</a></th>",
                    (long long)id, name);
        json_t *g = json_object_get(f, "figures");
        static const char *const keys[] = {"found", "fixed", "overdue", "open", "major"};
        for (int k = 0; k < 5; k++)
            html_printf(o, "<td>%lld</td>",
                        (long long)json_integer_value(json_object_get(g, keys[k])));
        html_raw(o, "</tr>");
        json_decref(f);
    }
    if (!json_array_size(json_object_get(list, "campaigns")))
        html_printf(o, "<tr><td colspan=\"6\">%s</td></tr>", T(r, "campaign.none"));
    html_raw(o, "</tbody></table></section>");
    json_decref(list);
    campaigns_new(r, db);
    layout_end(r, 200);
}

void web_campaign(struct req *r)
{
    struct db *db = page_db(r);
    if (!db) return;
    struct err e = {0};
    json_t *v = campaign_figures_json(db, r->actor, r->params[0], &e);
    if (!v) {
        page_fail(r, &e);
        return;
    }
    struct buf *o = &r->out;
    json_t *c = json_object_get(v, "campaign");
    const char *theme = json_string_value(json_object_get(c, "theme"));
    layout_begin(r, theme, NAV_NONE, NULL);
    html_raw(&r->out, "<link rel=\"stylesheet\" href=\"/static/hazard.css\">");
    html_printf(o, "<h1>%s</h1><p class=\"muted\">%s · %s:", theme,
                json_string_value(json_object_get(c, "month")), T(r, "campaign.categories"));
    size_t i;
    json_t *k;
    json_array_foreach(json_object_get(c, "categories"), i, k)
        html_printf(o, " %s", i18n_label(r, "category", json_string_value(k)));
    html_printf(o, "</p><p>%s</p>", json_string_value(json_object_get(c, "description")));
    html_printf(o, "<section class=\"card\"><h2>%s</h2>", T(r, "campaign.all"));
    figures_head(r, T(r, "campaign.scope")); /* no empty header cell (WCAG 1.3.1) */
    figures_row(r, T(r, "campaign.total"), json_object_get(v, "figures"));
    html_raw(o, "</tbody></table></section>");
    figures_table(r, T(r, "campaign.by_town"), T(r, "campaign.town"),
                  json_object_get(v, "by_town"));
    figures_table(r, T(r, "campaign.by_grid"), T(r, "campaign.grid"),
                  json_object_get(v, "by_grid"));
    json_t *t = json_object_get(v, "tasks");
    html_printf(o,
                "<section class=\"card\"><h2>%s</h2><p>%s %lld · %s %lld · %s %lld</p>"
                "<p><a href=\"/items?kind=hazard\">%s</a></p></section>",
                T(r, "campaign.tasks"), T(r, "campaign.total"),
                (long long)json_integer_value(json_object_get(t, "total")), T(r, "status.done"),
                (long long)json_integer_value(json_object_get(t, "done")), T(r, "campaign.overdue"),
                (long long)json_integer_value(json_object_get(t, "overdue")),
                T(r, "campaign.all_hazards"));
    json_decref(v);
    layout_end(r, 200);
}

/* ---- a new campaign (supervisors) ---- */

/* The form under the list: theme, month, description, categories, towns. */
static void campaign_form(struct req *r, json_t *cats, json_t *units)
{
    struct buf *o = &r->out;
    html_printf(
        o,
        "<section class=\"card form\"><h2>%s</h2><form method=\"post\" action=\"/campaigns\">"
        "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
        "<label for=\"theme\">%s</label><input id=\"theme\" name=\"theme\" required"
        " maxlength=\"200\"><label for=\"month\">%s</label><input id=\"month\" name=\"month\""
        " type=\"month\" required placeholder=\"YYYY-MM\"><label for=\"description\">%s</label>"
        "<textarea id=\"description\" name=\"description\" rows=\"2\"></textarea>"
        "<fieldset><legend>%s</legend>",
        T(r, "campaign.new"), r->session.csrf, T(r, "campaign.theme"), T(r, "campaign.month"),
        T(r, "report.description"), T(r, "campaign.categories"));
    size_t i;
    json_t *c;
    json_array_foreach(cats, i, c)
    {
        const char *code = json_string_value(json_object_get(c, "code"));
        html_printf(o,
                    "<label class=\"check\"><input type=\"checkbox\" name=\"category\" "
                    "value=\"%s\"> %s</label>",
                    code, i18n_label(r, "category", code));
    }
    html_printf(o, "</fieldset><fieldset><legend>%s</legend>", T(r, "campaign.towns"));
    json_array_foreach(units, i, c)
    {
        if (strcmp(json_string_value(json_object_get(c, "kind")), "town")) continue;
        html_printf(o,
                    "<label class=\"check\"><input type=\"checkbox\" name=\"unit_id\" "
                    "value=\"%lld\"> %s</label>",
                    (long long)json_integer_value(json_object_get(c, "id")),
                    json_string_value(json_object_get(c, "name")));
    }
    html_printf(o,
                "</fieldset><div class=\"buttons\"><button type=\"submit\" "
                "class=\"primary\">%s</button></div></form></section>",
                T(r, "campaign.create"));
}

static void campaigns_new(struct req *r, struct db *db)
{
    if (!(r->actor->roles & (ROLE_ADMIN | ROLE_SUPERVISOR))) return;
    struct err e = {0};
    json_t *cats = hazard_categories_json(db, &e);
    json_t *owner = NULL, *units = unit_list_json(db, &e);
    owner = units;
    if (cats && units)
        campaign_form(r, json_object_get(cats, "categories"), json_object_get(units, "units"));
    json_decref(cats);
    json_decref(owner);
}

static int campaign_new_run(struct db *db, struct write_job *j)
{
    return campaign_create(db, j->actor, WRITE_OF(j, struct write_body)->body, &j->id, &j->e);
}

static const struct write_ops campaign_new_ops = {.what = "creating the campaign",
                                                  .run = campaign_new_run,
                                                  .next = "/campaigns/",
                                                  .release = write_body_release};

void web_campaigns_post(struct req *r)
{
    struct write_body *b = WRITE_NEW(r, struct write_body, &campaign_new_ops);
    const char *theme = req_form(r, "theme"), *month = req_form(r, "month"),
               *desc = req_form(r, "description");
    b->body =
        json_pack("{s:s,s:s,s:s,s:[],s:[]}", "theme", theme ? theme : "", "month",
                  month ? month : "", "description", desc ? desc : "", "categories", "unit_ids");
    for (int i = 0; i < r->nform; i++) {
        int64_t id;
        const char *v = r->form[i].value;
        if (!strcmp(r->form[i].name, "category"))
            json_array_append_new(json_object_get(b->body, "categories"), json_string(v));
        else if (!strcmp(r->form[i].name, "unit_id") && !str_to_int64(v, strlen(v), &id))
            json_array_append_new(json_object_get(b->body, "unit_ids"), json_integer(id));
    }
    write_start(r, &b->job);
}
