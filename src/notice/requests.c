/* requests.c — a notice's requests section (企业诉求办理情况): the figures
 * of the enterprise requests filed in the notice's days, per lead unit and
 * in total, exactly as GET /api/v1/requests/stats answers them for the same
 * days (core/request.h computes both).  A city notice and the requests
 * scope count every lead unit, a unit notice that unit as lead unit; the
 * other item scopes (campaign, meeting, plan) have no requests section (NULL).  Rendered into the
 * JSON
 * ("requests"), the print page (section 五) and the CSV (a table of its own).
 * docs/notices.md describes it. */
#include <stdio.h>

#include "core/request.h"
#include "notice/notice.h"
#include "util/csv.h"
#include "util/html.h"
#include "util/time.h"

int notice_requests_compute(struct db *db, struct notice *n, struct err *e)
{
    n->requests = NULL;
    if (n->p.scope != NOTICE_SCOPE_NONE && n->p.scope != NOTICE_SCOPE_REQUESTS) return 0;
    char from[11], to[11];
    date_format(n->p.from, from);
    date_format(n->p.to, to);
    n->requests = request_stats_json(db, from, to, n->scope_unit_id, e);
    return n->requests ? 0 : -1;
}

void notice_requests_json(const struct notice *n, json_t *o)
{
    json_object_set_new(o, "requests", n->requests ? json_deep_copy(n->requests) : json_null());
}

static int64_t num(json_t *t, const char *key)
{
    return (int64_t)json_integer_value(json_object_get(t, key));
}

/* A rate cell: "100.0%", or "—" when its base is 0. */
static void cell_rate(struct buf *b, json_t *t, const char *key)
{
    json_t *v = json_object_get(t, key);
    if (json_is_number(v))
        html_printf(b, "<td class=\"num\">%.1f%%</td>", json_number_value(v));
    else
        html_raw(b, "<td class=\"num\">—</td>");
}

static void html_row(struct buf *b, json_t *t, const char *name, int total)
{
    if (total) /* markup: never through an escaped %s */
        html_raw(b, "<tr class=\"total\">");
    else
        html_raw(b, "<tr>");
    html_printf(b,
                "<td>%s</td><td class=\"num\">%lld</td><td class=\"num\">%lld</td>"
                "<td class=\"num\">%lld</td>",
                name, (long long)num(t, "received"), (long long)num(t, "signed_on_time"),
                (long long)num(t, "closed"));
    cell_rate(b, t, "on_time_rate");
    html_printf(b, "<td class=\"num\">%lld</td>", (long long)num(t, "rated"));
    cell_rate(b, t, "satisfaction");
    cell_rate(b, t, "rating_rate");
    cell_rate(b, t, "redo_rate");
    json_t *avg = json_object_get(t, "avg_reply_days");
    if (json_is_number(avg))
        html_printf(b, "<td class=\"num\">%.1f</td></tr>", json_number_value(avg));
    else
        html_raw(b, "<td class=\"num\">—</td></tr>");
}

void notice_requests_html(const struct notice *n, struct buf *b)
{
    if (!n->requests) return;
    json_t *units = json_object_get(n->requests, "units"), *u;
    html_raw(b, "<section class=\"requests\"><h3>五、企业诉求办理情况</h3>");
    if (!json_array_size(units)) {
        html_raw(b, "<p>本期无企业诉求。</p></section>");
        return;
    }
    html_raw(b, "<table class=\"units requests\"><thead><tr><th>承办单位</th><th>受理</th>"
                "<th>按时签收</th><th>办结</th><th>按期办结率</th><th>已评价</th><th>满意率</th>"
                "<th>参评率</th><th>重办率</th><th>平均答复天数</th></tr></thead><tbody>");
    size_t i;
    json_array_foreach(units, i, u)
    {
        const char *name = json_string_value(json_object_get(u, "unit"));
        html_row(b, u, name && *name ? name : "尚未交办", 0);
    }
    html_row(b, json_object_get(n->requests, "total"), "合计", 1);
    html_raw(b,
             "</tbody></table><p class=\"note\">按本期受理的诉求统计。满意率＝（满意＋基本满意）÷"
             "已评价；参评率＝已评价÷办结；重办率＝重办过的÷办结；平均答复天数为受理至最近一次"
             "答复的自然日。</p></section>");
}

static void csv_rate(struct csv *c, json_t *t, const char *key)
{
    json_t *v = json_object_get(t, key);
    if (json_is_number(v))
        csv_fixed(c, json_number_value(v), 1);
    else
        csv_empty(c);
}

static void csv_row(struct csv *c, json_t *t, const char *name)
{
    static const char *const counts[] = {"received", "signed_on_time", "closed", "closed_on_time",
                                         "rated",    "satisfied",      "basic",  "unsatisfied",
                                         "redone",   "explained"};
    static const char *const rates[] = {"satisfaction", "rating_rate", "redo_rate", "on_time_rate",
                                        "avg_reply_days"};
    csv_text(c, name);
    for (size_t k = 0; k < sizeof counts / sizeof *counts; k++)
        csv_int(c, num(t, counts[k]));
    for (size_t k = 0; k < sizeof rates / sizeof *rates; k++)
        csv_rate(c, t, rates[k]);
    csv_row_end(c);
}

void notice_requests_csv(const struct notice *n, struct csv *c)
{
    static const char *const head[] = {"承办单位",  "受理",      "按时签收",      "办结",
                                       "按期办结",  "已评价",    "满意",          "基本满意",
                                       "不满意",    "重办",      "说明办结",      "满意率(%)",
                                       "参评率(%)", "重办率(%)", "按期办结率(%)", "平均答复天数"};
    if (!n->requests) return;
    csv_row_end(c);
    csv_text(c, "企业诉求办理情况");
    csv_row_end(c);
    for (size_t k = 0; k < sizeof head / sizeof *head; k++)
        csv_text(c, head[k]);
    csv_row_end(c);
    size_t i;
    json_t *u;
    json_array_foreach(json_object_get(n->requests, "units"), i, u)
    {
        const char *name = json_string_value(json_object_get(u, "unit"));
        csv_row(c, u, name && *name ? name : "尚未交办");
    }
    csv_row(c, json_object_get(n->requests, "total"), "合计");
}
