/* tree.c — the plan tree page (项目清单): an item's subtree, plan → goal →
 * task → milestone, with outline numbers, owners (lead and cooperating
 * units), deadlines, lights and progress bars, and links to the CSV and XLSX
 * exports of the same list (GET /api/v1/items/{id}/tree?format=…, which a
 * logged-in browser may fetch with its cookie).
 *
 * The tree and what the viewer may see of it are core's (plan_load); the
 * depth is shown by indentation classes d0…d8 in style.css (no inline style). */
#include "core/plan.h"
#include "web/page.h"
#include "web/web.h"

#define TREE_INDENT_MAX 8

static void tree_row(struct req *r, const struct plan_row *row)
{
    struct buf *o = &r->out;
    int d = row->depth > TREE_INDENT_MAX ? TREE_INDENT_MAX : row->depth;
    html_printf(o,
                "<tr class=\"d%d\"><td class=\"t\"><span class=\"num\">%s</span>"
                "<a href=\"/items/%lld\">%s</a> <span class=\"kind\">%s</span></td>"
                "<td class=\"u\">%s",
                d, row->number, (long long)row->id, row->title, i18n_label(r, "kind", row->kind),
                row->lead_name ? row->lead_name : "—");
    if (row->co_names && *row->co_names)
        html_printf(o, "<small>%s %s</small>", T(r, "tree.with"), row->co_names);
    html_printf(o, "</td><td class=\"d\">%s</td><td class=\"l\">",
                row->deadline ? row->deadline : "—");
    page_light(r, row->light);
    html_printf(o,
                "</td><td class=\"p\"><progress max=\"100\" value=\"%d\"></progress> "
                "<b>%d%%</b>",
                row->progress, row->progress);
    if (row->has_metric)
        html_printf(o, "<small>%g / %g %s</small>", row->has_value ? row->value : 0.0, row->target,
                    row->metric_unit ? row->metric_unit : "");
    html_raw(o, "</td><td class=\"s\">");
    page_status(r, row->status);
    html_raw(o, "</td></tr>");
}

void web_item_tree(struct req *r)
{
    struct err e = {0};
    struct db *db = page_db(r);
    if (!db) return;
    struct plan p = {0};
    if (plan_load(db, r->actor, r->params[0], &p, &e)) {
        page_fail(r, &e);
        return;
    }
    struct buf *o = &r->out;
    long long id = (long long)r->params[0];
    layout_begin(r, T(r, "tree.title"), NAV_ITEMS, NULL);
    html_printf(o,
                "<p class=\"crumbs\"><a href=\"/items\">%s</a> › <a href=\"/items/%lld\">#%lld</a>"
                "</p><h1>%s <small>%s %zu</small></h1>",
                T(r, "items.title"), id, id, T(r, "tree.title"), T(r, "items.total"), p.n);
    html_printf(
        o,
        "<p class=\"exports\"><a class=\"button\" href=\"/api/v1/items/%lld/tree?format=csv\" "
        "download>%s CSV</a> <a class=\"button\" "
        "href=\"/api/v1/items/%lld/tree?format=xlsx\" download>%s Excel</a></p>",
        id, T(r, "tree.export"), id, T(r, "tree.export"));
    html_printf(o,
                "<section class=\"card list\"><table class=\"items tree\"><thead><tr><th>%s</th>"
                "<th>%s</th><th>%s</th><th class=\"l\">%s</th><th>%s</th><th>%s</th></tr>"
                "</thead><tbody>",
                T(r, "items.col_title"), T(r, "items.col_lead"), T(r, "items.col_deadline"),
                T(r, "items.col_light"), T(r, "item.progress"), T(r, "items.col_status"));
    for (size_t i = 0; i < p.n; i++)
        tree_row(r, &p.rows[i]);
    html_raw(o, "</tbody></table></section>");
    plan_free(&p);
    layout_end(r, 200);
}
