/* remediation_section.c — a notice's 低效用地整治 section: the remediations
 * (docs/remediation.md) by lead unit as they stood at the notice's cutoff —
 * items, verified, the 亩 to remediate and the 亩 done by the last value
 * each lead unit reported — and the city's total against its target
 * (core/remediation.h computes them).  Only a city or unit notice with any
 * remediation has it.  Rendered into the JSON ("remediation"), the print
 * page and the PDF (section 六) and the CSV (a table of its own);
 * docs/notices.md describes it. */
#include "core/remediation.h"
#include "notice/notice.h"
#include "util/csv.h"
#include "util/html.h"

int notice_remediation_compute(struct db *db, struct notice *n, struct err *e)
{
    n->remediation = NULL;
    if (n->p.scope != NOTICE_SCOPE_NONE) return 0;
    n->remediation = remediation_asof_json(db, n->scope_unit_id, n->cutoff_ms, e);
    return n->remediation || !e->status ? 0 : -1;
}

void notice_remediation_json(const struct notice *n, json_t *o)
{
    json_object_set_new(o, "remediation",
                        n->remediation ? json_deep_copy(n->remediation) : json_null());
}

static double mu(json_t *t, const char *key)
{
    return json_number_value(json_object_get(t, key));
}

static long long count(json_t *t, const char *key)
{
    return (long long)json_integer_value(json_object_get(t, key));
}

static void html_row(struct buf *b, json_t *t, const char *name, int total)
{
    double target = mu(t, "target_mu"), done = mu(t, "done_mu");
    if (total) /* markup: never through an escaped %s */
        html_raw(b, "<tr class=\"total\">");
    else
        html_raw(b, "<tr>");
    html_printf(b,
                "<td>%s</td><td class=\"num\">%lld</td><td class=\"num\">%lld</td>"
                "<td class=\"num\">%.2f</td><td class=\"num\">%.2f</td>",
                name, count(t, "items"), count(t, "done"), target, done);
    if (target > 0)
        html_printf(b, "<td class=\"num\">%.1f%%</td></tr>", 100.0 * done / target);
    else
        html_raw(b, "<td class=\"num\">—</td></tr>");
}

void notice_remediation_html(const struct notice *n, struct buf *b)
{
    if (!n->remediation) return;
    json_t *t = json_object_get(n->remediation, "total"), *u;
    html_printf(b,
                "<section class=\"remediation\"><h3>六、低效用地整治情况</h3><p>截至本期末，"
                "低效用地整治事项%lld项，已验收%lld项；整治目标%.2f亩，已完成%.2f亩。</p>",
                count(t, "items"), count(t, "done"), mu(t, "target_mu"), mu(t, "done_mu"));
    html_raw(b, "<table class=\"units remediation\"><thead><tr><th>牵头单位</th><th>整治事项</th>"
                "<th>已验收</th><th>目标（亩）</th><th>已完成（亩）</th><th>完成率</th></tr>"
                "</thead><tbody>");
    size_t i;
    json_array_foreach(json_object_get(n->remediation, "towns"), i, u)
        html_row(b, u, json_string_value(json_object_get(u, "name")), 0);
    html_row(b, t, "合计", 1);
    html_raw(b, "</tbody></table><p class=\"note\">已完成亩数取各事项牵头单位截至本期末最近一次"
                "反馈的数值，不超过其目标。</p></section>");
}

static void csv_row(struct csv *c, json_t *t, const char *name)
{
    csv_text(c, name);
    csv_int(c, count(t, "items"));
    csv_int(c, count(t, "done"));
    csv_fixed(c, mu(t, "target_mu"), 2);
    csv_fixed(c, mu(t, "done_mu"), 2);
    csv_row_end(c);
}

void notice_remediation_csv(const struct notice *n, struct csv *c)
{
    static const char *const head[] = {"牵头单位", "整治事项", "已验收", "目标(亩)", "已完成(亩)"};
    if (!n->remediation) return;
    csv_row_end(c);
    csv_text(c, "低效用地整治情况");
    csv_row_end(c);
    for (size_t k = 0; k < sizeof head / sizeof *head; k++)
        csv_text(c, head[k]);
    csv_row_end(c);
    size_t i;
    json_t *u;
    json_array_foreach(json_object_get(n->remediation, "towns"), i, u)
        csv_row(c, u, json_string_value(json_object_get(u, "name")));
    csv_row(c, json_object_get(n->remediation, "total"), "合计");
}
