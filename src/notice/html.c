/* html.c — a notice as an A4 page in the manner of a government notice:
 * issuing office in red, 督查通报, the number (〔2030〕3号), a red rule, the
 * title line, numbered sections with tables, the office and date at the foot.
 * The look is assets/notice.css (screen and @media print).  The standalone
 * document carries it inline, in one <style> block holding exactly the
 * asset's bytes, so that a notice saved or mailed keeps its look; the
 * server's Content-Security-Policy allows that block by its SHA-256 (and
 * no other inline style or script); the pages link the asset instead.  Everything is
 * written with html_printf (util/html.h), whose %s escapes every text from
 * the database; markup without arguments goes through html_raw. */
#include <stdio.h>
#include <string.h>

#include "notice/assessment_section.h"
#include "notice/notice.h"
#include "util/embedded.h"
#include "util/html.h"
#include "util/time.h"

static void date_zh(struct buf *b, int32_t day)
{
    int y, m, d;
    date_split(day, &y, &m, &d);
    html_printf(b, "%d年%d月%d日", y, m, d);
}

static void cell_n(struct buf *b, int64_t v)
{
    html_printf(b, "<td class=\"num\">%lld</td>", (long long)v);
}

static void unit_row(struct buf *b, const struct notice_unit *u, int total)
{
    if (total)
        html_printf(b, "<tr class=\"total\"><td></td><td>%s</td>", u->name);
    else if (u->rank)
        html_printf(b, "<tr><td class=\"num\">%d</td><td>%s</td>", u->rank, u->name);
    else
        html_printf(b, "<tr><td class=\"num\">—</td><td>%s</td>", u->name);
    cell_n(b, u->assigned);
    cell_n(b, u->accepted_on_time);
    html_printf(b, "<td class=\"num\">%lld/%lld</td>", (long long)u->feedback_on_time,
                (long long)u->feedback_due);
    cell_n(b, u->done);
    cell_n(b, u->done_on_time);
    html_printf(b, "<td class=\"num%s\">%lld</td>", u->overdue ? " bad" : "",
                (long long)u->overdue);
    cell_n(b, u->extended);
    cell_n(b, u->rejected);
    double avg = notice_avg_days(u);
    if (avg >= 0)
        html_printf(b, "<td class=\"num\">%.1f</td>", avg);
    else
        html_raw(b, "<td class=\"num\">—</td>");
    html_printf(b, "<td class=\"num\">%.1f%%</td><td class=\"num\">%g</td></tr>",
                100.0 * notice_rate(u), u->deductions);
}

static void units_table(struct buf *b, const struct notice *n)
{
    html_raw(b, "<section><h3>二、各单位落实情况及排名</h3>");
    if (!n->n_units) {
        html_raw(b, "<p>本期无交办事项。</p></section>");
        return;
    }
    html_raw(b, "<table class=\"units\"><thead><tr><th>排名</th><th>单位</th><th>交办</th>"
                "<th>按时签收</th><th>按时反馈/应反馈</th><th>办结</th><th>按期办结</th>"
                "<th>逾期</th><th>延期</th><th>退办</th><th>平均办结天数</th>"
                "<th>按期办结率</th><th>扣分</th></tr></thead><tbody>");
    for (int k = 0; k < n->n_units; k++)
        unit_row(b, &n->units[k], 0);
    unit_row(b, &n->total, 1);
    html_raw(b, "</tbody></table><p class=\"note\">按期办结率＝按期办结数÷交办数；本期无交办事项的"
                "单位列出但不排名。</p></section>");
}

static void red_table(struct buf *b, const struct notice *n)
{
    html_raw(b, "<section><h3>三、逾期未办结事项</h3>");
    if (!n->n_red) {
        html_raw(b, "<p>无逾期未办结事项。</p></section>");
        return;
    }
    html_raw(b, "<table class=\"red\"><thead><tr><th>编号</th><th>事项</th><th>牵头单位</th>"
                "<th>期限</th><th>逾期天数</th><th>最近反馈</th></tr></thead><tbody>");
    for (int k = 0; k < n->n_red; k++) {
        const struct notice_red *r = &n->red[k];
        html_printf(b,
                    "<tr><td class=\"num\">%lld</td><td>%s</td><td>%s</td><td>%s</td>"
                    "<td class=\"num bad\">%d</td><td>",
                    (long long)r->id, r->title, r->unit_name, r->deadline, r->days_overdue);
        if (r->last_feedback)
            html_printf(b, "<span class=\"when\">%s</span> %s</td></tr>", r->last_feedback_on,
                        r->last_feedback);
        else
            html_raw(b, "未反馈</td></tr>");
    }
    html_raw(b, "</tbody></table></section>");
}

static void months_table(struct buf *b, const struct notice *n)
{
    html_raw(b, "<section><h3>四、逐月情况</h3><table class=\"months\"><thead><tr><th>月份</th>"
                "<th>月末逾期</th><th>红灯</th><th>黄灯</th><th>绿灯</th></tr></thead><tbody>");
    for (int k = 0; k < n->n_months; k++) {
        const struct notice_month *m = &n->months[k];
        html_printf(b, "<tr><td>%s</td>", m->month);
        cell_n(b, m->overdue);
        if (m->has_lights) {
            cell_n(b, m->red);
            cell_n(b, m->yellow);
            cell_n(b, m->green);
        } else {
            html_raw(b, "<td class=\"num\">—</td><td class=\"num\">—</td><td class=\"num\">—</td>");
        }
        html_raw(b, "</tr>");
    }
    html_printf(b,
                "</tbody></table><p class=\"note\">当前灯色：红灯%lld项，黄灯%lld项，绿灯%lld项。"
                "</p></section>",
                (long long)n->lights_now[2], (long long)n->lights_now[1],
                (long long)n->lights_now[0]);
}

/* The signed checkpoint the notice was issued under (its seq and root:
 * digits and hex, nothing to escape), so that a printed notice can be
 * checked against the published roots. */
static void checkpoint_line(struct buf *b, const struct notice *n)
{
    if (!n->p.checkpoint_seq) return;
    html_printf(b,
                "<p class=\"checkpoint\">防篡改校验：签发时第 %lld 号检查点，校验码 "
                "<code>%.64s</code></p>",
                (long long)n->p.checkpoint_seq, n->p.checkpoint_root);
}

int notice_html_article(const struct notice *n, const char *number, const char *issued_on,
                        struct buf *b)
{
    int32_t day;
    html_printf(b,
                "<article class=\"notice\"><header class=\"notice-head\"><p class=\"office\">%s"
                "</p><h1>督查通报</h1><p class=\"number\">%s</p></header><h2>关于",
                n->office, number ? number : "（预览，未编号）");
    date_zh(b, n->p.from);
    html_raw(b, "至");
    date_zh(b, n->p.to);
    html_printf(b, "%s重点工作落实情况的通报</h2><section><h3>一、总体情况</h3><p>%s</p></section>",
                n->scope_name, n->summary);
    units_table(b, n);
    red_table(b, n);
    months_table(b, n);
    notice_requests_html(n, b);
    notice_remediation_html(n, b);
    notice_leaders_html(n, b);
    notice_assessment_html(n, b);
    html_printf(b, "<footer class=\"notice-foot\"><p class=\"office\">%s</p><p class=\"date\">",
                n->office);
    if (issued_on && !date_parse(issued_on, strlen(issued_on), &day)) date_zh(b, day);
    html_raw(b, "</p>");
    checkpoint_line(b, n);
    html_raw(b, "</footer></article>");
    return b->err ? -1 : 0;
}

int notice_html(const struct notice *n, const char *number, const char *issued_on, struct buf *b)
{
    html_printf(b,
                "<!doctype html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                "<title>督查通报 %s</title><link rel=\"icon\" href=\"data:,\"><style>",
                number ? number : "预览");
    /* the asset is ours, compiled in, and holds no "</style>": inline as it is */
    const struct embedded_file *css = embedded_find("assets/notice.css");
    if (css) buf_append(b, css->data, css->len);
    html_raw(b, "</style></head>\n<body class=\"notice-doc\">");
    notice_html_article(n, number, issued_on, b);
    html_raw(b, "</body></html>\n");
    return b->err ? -1 : 0;
}

const char *notice_html_find_article(const char *doc, size_t *len)
{
    const char *a = strstr(doc, "<article class=\"notice\">");
    const char *z = a ? strstr(a, "</article>") : NULL;
    if (!z) return NULL;
    *len = (size_t)(z + strlen("</article>") - a);
    return a;
}
