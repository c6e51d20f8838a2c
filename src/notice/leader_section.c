/* leader_section.c — a notice's figures by responsible leader (按分管领导统计,
 * issue 18): for each leader (items.leader_id) with items in the notice's
 * figures, the items assigned in the period, done, done on time, the
 * on-time rate and overdue, counted by notice.c in the same scan and by the
 * same rules as the units' figures (so a leader's numbers are the sums of
 * their items' unit figures), and their items on the red list.  Items
 * without a leader are not listed.  Rendered into the JSON ("by_leader"),
 * the print page and the PDF (a numbered section after the others) and the
 * CSV and XLSX (a table or sheet of its own); docs/notices.md describes it. */
#include <math.h>

#include "notice/notice.h"
#include "util/csv.h"
#include "util/html.h"

double notice_leader_rate(const struct notice_leader *l)
{
    return l->assigned ? (double)l->done_on_time / (double)l->assigned : 0.0;
}

void notice_leaders_json(const struct notice *n, json_t *o)
{
    json_t *a = json_array();
    for (int k = 0; k < n->n_leaders; k++) {
        const struct notice_leader *l = &n->leaders[k];
        json_array_append_new(
            a, json_pack("{s:I,s:s,s:I,s:I,s:I,s:f,s:I,s:I}", "leader_id", (json_int_t)l->id,
                         "name", l->name, "assigned", (json_int_t)l->assigned, "done",
                         (json_int_t)l->done, "done_on_time", (json_int_t)l->done_on_time,
                         "on_time_rate", round(notice_leader_rate(l) * 10000) / 10000, "overdue",
                         (json_int_t)l->overdue, "red", (json_int_t)l->red));
    }
    json_object_set_new(o, "by_leader", a);
}

const char *notice_leaders_heading(const struct notice *n)
{
    if (n->remediation) return "七、按分管领导统计";
    return n->requests ? "六、按分管领导统计" : "五、按分管领导统计";
}

static void cell_n(struct buf *b, int64_t v)
{
    html_printf(b, "<td class=\"num\">%lld</td>", (long long)v);
}

void notice_leaders_html(const struct notice *n, struct buf *b)
{
    if (!n->n_leaders) return;
    html_printf(b,
                "<section class=\"leaders\"><h3>%s</h3><table class=\"units leaders\"><thead><tr>"
                "<th>分管领导</th><th>交办</th><th>办结</th><th>按期办结</th><th>按期办结率</th>"
                "<th>逾期</th><th>逾期未办结（截至本期末）</th></tr></thead><tbody>",
                notice_leaders_heading(n));
    for (int k = 0; k < n->n_leaders; k++) {
        const struct notice_leader *l = &n->leaders[k];
        html_printf(b, "<tr><td>%s</td>", l->name);
        cell_n(b, l->assigned);
        cell_n(b, l->done);
        cell_n(b, l->done_on_time);
        html_printf(b, "<td class=\"num\">%.1f%%</td>", 100.0 * notice_leader_rate(l));
        html_printf(b, "<td class=\"num%s\">%lld</td>", l->overdue ? " bad" : "",
                    (long long)l->overdue);
        cell_n(b, l->red);
        html_raw(b, "</tr>");
    }
    html_raw(b, "</tbody></table><p class=\"note\">按事项的责任领导统计，口径与单位排名相同；"
                "未指定责任领导的事项不列入。</p></section>");
}

void notice_leaders_csv(const struct notice *n, struct csv *c)
{
    static const char *const head[] = {"分管领导", "交办",       "办结",         "按期办结",
                                       "逾期",     "逾期未办结", "按期办结率(%)"};
    if (!n->n_leaders) return;
    csv_row_end(c);
    csv_text(c, "按分管领导统计");
    csv_row_end(c);
    for (size_t k = 0; k < sizeof head / sizeof *head; k++)
        csv_text(c, head[k]);
    csv_row_end(c);
    for (int k = 0; k < n->n_leaders; k++) {
        const struct notice_leader *l = &n->leaders[k];
        csv_text(c, l->name);
        csv_int(c, l->assigned);
        csv_int(c, l->done);
        csv_int(c, l->done_on_time);
        csv_int(c, l->overdue);
        csv_int(c, l->red);
        csv_fixed(c, 100.0 * notice_leader_rate(l), 1);
        csv_row_end(c);
    }
}
