/* remediation.c — the remediations page (/remediations): the remediation
 * of low-efficiency industrial land (低效用地整治, docs/remediation.md) by
 * town — items, done, the 亩 to free or upgrade and the 亩 done — for the
 * office and the leaders, with a link to the items themselves.  The figures
 * are core's (remediation_summary_json); each item's page is item.c's. */
#include <string.h>

#include "core/remediation.h"
#include "util/str.h"
#include "web/page.h"
#include "web/web.h"

static void figures_row(struct req *r, json_t *t, const char *name, int64_t unit)
{
    double target = json_number_value(json_object_get(t, "target_mu"));
    double done = json_number_value(json_object_get(t, "done_mu"));
    if (unit)
        html_printf(&r->out,
                    "<tr><th scope=\"row\"><a href=\"/items?kind=remediation&amp;unit=%lld\">%s</a>"
                    "</th>",
                    (long long)unit, name);
    else
        html_printf(&r->out, "<tr class=\"total\"><th scope=\"row\">%s</th>", name);
    html_printf(&r->out, "<td>%lld</td><td>%lld</td><td>%.2f</td><td>%.2f</td><td>%s</td></tr>",
                (long long)json_integer_value(json_object_get(t, "items")),
                (long long)json_integer_value(json_object_get(t, "done")), target, done,
                target > 0 ? arena_printf(r->arena, "%.1f%%", 100.0 * done / target) : "—");
}

static void figures_table(struct req *r, json_t *v)
{
    static const char *const heads[] = {"rem.town",      "rem.items",   "rem.done",
                                        "rem.target_mu", "rem.done_mu", "rem.rate"};
    html_raw(&r->out, "<div class=\"scroll\"><table class=\"figures\"><thead><tr>");
    for (size_t k = 0; k < sizeof heads / sizeof *heads; k++)
        html_printf(&r->out, "<th scope=\"col\">%s</th>", T(r, heads[k]));
    html_raw(&r->out, "</tr></thead><tbody>");
    size_t i;
    json_t *t;
    json_array_foreach(json_object_get(v, "towns"), i, t)
        figures_row(r, t, json_string_value(json_object_get(t, "name")),
                    json_integer_value(json_object_get(t, "unit_id")));
    figures_row(r, json_object_get(v, "total"), T(r, "rem.total"), 0);
    html_raw(&r->out, "</tbody></table></div>");
}

void web_remediations(struct req *r)
{
    const char *y = req_query(r, "year");
    int64_t year = 0;
    if (y && *y && (str_to_int64(y, strlen(y), &year) || year < 2000 || year > 2100)) year = 0;
    struct db *db = page_db(r);
    if (!db) return;
    struct err e = {0};
    json_t *v = remediation_summary_json(db, year, &e);
    if (!v) {
        page_fail(r, &e);
        return;
    }
    layout_begin(r, T(r, "rem.title"), NAV_NONE, NULL);
    html_printf(&r->out,
                "<h1>%s</h1><p class=\"note\">%s</p><form class=\"filters\" method=\"get\""
                " action=\"/remediations\"><label for=\"year\">%s</label><input id=\"year\""
                " name=\"year\" type=\"number\" min=\"2000\" max=\"2100\" value=\"%s\">"
                "<button type=\"submit\">%s</button></form>",
                T(r, "rem.title"), T(r, "rem.intro"), T(r, "rem.year"),
                year ? arena_printf(r->arena, "%lld", (long long)year) : "", T(r, "rem.show"));
    if (!json_array_size(json_object_get(v, "towns")))
        html_printf(&r->out, "<p class=\"empty\">%s</p>", T(r, "rem.empty"));
    else
        figures_table(r, v);
    html_printf(&r->out, "<p><a href=\"/items?kind=remediation\">%s →</a></p>", T(r, "rem.list"));
    json_decref(v);
    layout_end(r, 200);
}

void remediation_dashboard(struct req *r, struct db *db)
{
    if (!(r->actor->roles & (ROLE_ADMIN | ROLE_SUPERVISOR | ROLE_LEADER))) return;
    struct err e = {0};
    json_t *v = remediation_summary_json(db, 0, &e);
    json_t *t = json_object_get(v, "total");
    if (!v || !json_integer_value(json_object_get(t, "items"))) {
        json_decref(v); /* the rest of the dashboard stands without it */
        return;
    }
    double target = json_number_value(json_object_get(t, "target_mu"));
    double done = json_number_value(json_object_get(t, "done_mu"));
    html_printf(&r->out,
                "<section class=\"card remediation-tile\"><h2>%s</h2><dl class=\"figures\">"
                "<div><dt>%s</dt><dd>%lld</dd></div><div><dt>%s</dt><dd>%.2f</dd></div>"
                "<div><dt>%s</dt><dd>%.2f</dd></div><div><dt>%s</dt><dd>%s</dd></div></dl>"
                "<p class=\"more\"><a href=\"/remediations\">%s →</a></p></section>",
                T(r, "rem.title"), T(r, "rem.items"),
                (long long)json_integer_value(json_object_get(t, "items")), T(r, "rem.target_mu"),
                target, T(r, "rem.done_mu"), done, T(r, "rem.rate"),
                target > 0 ? arena_printf(r->arena, "%.1f%%", 100.0 * done / target) : "—",
                T(r, "rem.by_town"));
    json_decref(v);
}

void remediation_item_fields(struct req *r, json_t *part)
{
    if (!json_is_object(part)) return;
    struct buf *o = &r->out;
    html_printf(o, "<dt>%s</dt><dd>%s</dd>", T(r, "remediation.enterprise"),
                json_string_value(json_object_get(part, "enterprise")));
    json_t *year = json_object_get(part, "year");
    if (json_is_integer(year))
        html_printf(o, "<dt>%s</dt><dd>%lld · %s %s</dd>", T(r, "remediation.year"),
                    (long long)json_integer_value(year), T(r, "remediation.class"),
                    json_string_value(json_object_get(part, "class")));
    html_printf(o, "<dt>%s</dt><dd>%s</dd>", T(r, "remediation.mode"),
                i18n_label(r, "mode", json_string_value(json_object_get(part, "mode"))));
    const char *plan = json_string_value(json_object_get(part, "plan"));
    html_printf(o, "<dt>%s</dt><dd class=\"text\">%s</dd>", T(r, "remediation.plan"),
                plan && *plan ? plan : "—");
}
