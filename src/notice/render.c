/* render.c — a notice as JSON and as CSV (through util/csv.h, the one CSV
 * writer).  See notice.h; the field names are docs/notices.md's.  Both read
 * only the computed struct notice. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "notice/assessment_section.h"
#include "notice/notice.h"
#include "notice/scope.h"
#include "util/csv.h"
#include "util/time.h"

static json_t *figures(const struct notice_unit *u, int with_unit)
{
    json_t *o = json_object();
    if (with_unit) {
        json_object_set_new(o, "code", json_string(u->code));
        json_object_set_new(o, "name", json_string(u->name));
    }
    json_object_set_new(o, "assigned", json_integer(u->assigned));
    json_object_set_new(o, "accepted_on_time", json_integer(u->accepted_on_time));
    json_object_set_new(o, "feedback_due", json_integer(u->feedback_due));
    json_object_set_new(o, "feedback_on_time", json_integer(u->feedback_on_time));
    json_object_set_new(o, "done", json_integer(u->done));
    json_object_set_new(o, "done_on_time", json_integer(u->done_on_time));
    json_object_set_new(o, "overdue", json_integer(u->overdue));
    json_object_set_new(o, "extended", json_integer(u->extended));
    json_object_set_new(o, "rejected", json_integer(u->rejected));
    double avg = notice_avg_days(u);
    json_object_set_new(o, "avg_days_to_done", avg < 0 ? json_null() : json_real(avg));
    json_object_set_new(o, "on_time_rate", json_real(round(notice_rate(u) * 10000) / 10000));
    if (with_unit) json_object_set_new(o, "rank", u->rank ? json_integer(u->rank) : json_null());
    json_object_set_new(o, "deductions", json_real(u->deductions));
    return o;
}

static json_t *unit_refs(const struct notice *n, const int *idx, int count)
{
    json_t *a = json_array();
    for (int k = 0; k < count; k++) {
        const struct notice_unit *u = &n->units[idx[k]];
        json_array_append_new(a, json_pack("{s:s,s:s,s:i,s:f}", "code", u->code, "name", u->name,
                                           "rank", u->rank, "on_time_rate",
                                           round(notice_rate(u) * 10000) / 10000));
    }
    return a;
}

static const char *unit_code(const struct notice *n, int64_t id)
{
    for (int k = 0; k < n->n_units; k++)
        if (n->units[k].id == id) return n->units[k].code;
    return "";
}

static json_t *red_json(const struct notice *n)
{
    json_t *a = json_array();
    for (int k = 0; k < n->n_red; k++) {
        const struct notice_red *r = &n->red[k];
        json_t *fb = r->last_feedback ? json_pack("{s:s,s:s}", "on", r->last_feedback_on, "text",
                                                  r->last_feedback)
                                      : json_null();
        json_array_append_new(a, json_pack("{s:I,s:s,s:s,s:s,s:s,s:i,s:o}", "id", (json_int_t)r->id,
                                           "title", r->title, "unit", unit_code(n, r->unit_id),
                                           "unit_name", r->unit_name, "deadline", r->deadline,
                                           "days_overdue", r->days_overdue, "last_feedback", fb));
    }
    return a;
}

static json_t *lights_json(const int64_t v[4])
{
    json_t *o = json_object();
    for (int k = 0; k < 4; k++)
        json_object_set_new(o, notice_lights[k], json_integer(v[k]));
    return o;
}

static json_t *months_json(const struct notice *n)
{
    json_t *a = json_array();
    for (int k = 0; k < n->n_months; k++) {
        const struct notice_month *m = &n->months[k];
        json_t *o = json_pack("{s:s,s:I}", "month", m->month, "overdue", (json_int_t)m->overdue);
        const int64_t v[4] = {m->green, m->yellow, m->red, m->none};
        for (int j = 0; j < 4; j++)
            json_object_set_new(o, notice_lights[j],
                                m->has_lights ? json_integer(v[j]) : json_null());
        json_array_append_new(a, o);
    }
    return a;
}

json_t *notice_json(const struct notice *n, const char *number)
{
    char from[11], to[11], as_of[11], cutoff[40];
    date_format(n->p.from, from);
    date_format(n->p.to, to);
    date_format(n->cutoff_day, as_of);
    time_format_iso(n->cutoff_ms, cutoff, sizeof cutoff);
    json_t *units = json_array();
    for (int k = 0; k < n->n_units; k++)
        json_array_append_new(units, figures(&n->units[k], 1));
    json_t *o = json_pack("{s:s,s:o,s:s,s:s,s:s}", "title", "督查通报", "number",
                          number ? json_string(number) : json_null(), "office", n->office, "from",
                          from, "to", to);
    json_object_set_new(o, "scope",
                        json_pack("{s:o,s:s}", "unit",
                                  n->p.unit_code[0] ? json_string(n->p.unit_code) : json_null(),
                                  "name", n->scope_name));
    if (notice_scope_key(n->p.scope))
        json_object_set_new(json_object_get(o, "scope"), notice_scope_key(n->p.scope),
                            json_integer(n->p.scope_id));
    json_object_set_new(o, "as_of", json_string(as_of));
    json_object_set_new(o, "cutoff", json_string(cutoff));
    json_object_set_new(o, "accept_working_days", json_integer(n->accept_working_days));
    json_object_set_new(o, "units", units);
    json_object_set_new(o, "total", figures(&n->total, 0));
    json_object_set_new(o, "top", unit_refs(n, n->top, n->n_top));
    json_object_set_new(o, "bottom", unit_refs(n, n->bottom, n->n_bottom));
    json_object_set_new(o, "red_list", red_json(n));
    json_object_set_new(o, "lights_now", lights_json(n->lights_now));
    json_object_set_new(o, "months", months_json(n));
    json_object_set_new(o, "summary", json_string(n->summary));
    notice_requests_json(n, o);
    notice_remediation_json(n, o);
    notice_leaders_json(n, o);
    if (n->assessment) json_object_set(o, "assessment", n->assessment);
    if (n->p.checkpoint_seq) /* the signed checkpoint it was issued under */
        json_object_set_new(o, "checkpoint",
                            json_pack("{s:I,s:s}", "seq", (json_int_t)n->p.checkpoint_seq, "root",
                                      n->p.checkpoint_root));
    return o;
}

/* ---- CSV ---- */

/* One unit's row: rank, code and name as text, the figures as numbers. */
static void csv_unit(struct csv *c, const struct notice_unit *u, const char *rank)
{
    csv_text(c, rank);
    csv_text(c, u->code);
    csv_text(c, u->name);
    const int64_t v[] = {u->assigned, u->accepted_on_time, u->feedback_due, u->feedback_on_time,
                         u->done,     u->done_on_time,     u->overdue,      u->extended,
                         u->rejected};
    for (size_t k = 0; k < sizeof v / sizeof *v; k++)
        csv_int(c, v[k]);
    double avg = notice_avg_days(u);
    if (avg >= 0)
        csv_fixed(c, avg, 1);
    else
        csv_empty(c);
    csv_fixed(c, 100.0 * notice_rate(u), 1);
    csv_number(c, u->deductions);
    csv_row_end(c);
}

/* A table's title line and its heading row (the names comma-separated). */
static void csv_heading(struct csv *c, const char *title, const char *const *names, size_t n)
{
    csv_row_end(c);
    csv_text(c, title);
    csv_row_end(c);
    for (size_t k = 0; k < n; k++)
        csv_text(c, names[k]);
    csv_row_end(c);
}

static void csv_units(struct csv *c, const struct notice *n)
{
    static const char *const head[] = {
        "排名",     "单位代码", "单位", "交办", "按时签收",     "应反馈",        "按时反馈", "办结",
        "按期办结", "逾期",     "延期", "退办", "平均办结天数", "按期办结率(%)", "扣分"};
    csv_heading(c, "单位排名", head, sizeof head / sizeof *head);
    for (int k = 0; k < n->n_units; k++) {
        char rank[16] = "";
        if (n->units[k].rank) snprintf(rank, sizeof rank, "%d", n->units[k].rank);
        csv_unit(c, &n->units[k], rank);
    }
    csv_unit(c, &n->total, "合计");
}

static void csv_red(struct csv *c, const struct notice *n)
{
    static const char *const head[] = {"编号",     "事项",         "牵头单位", "期限",
                                       "逾期天数", "最近反馈日期", "最近反馈"};
    csv_heading(c, "逾期事项", head, sizeof head / sizeof *head);
    for (int k = 0; k < n->n_red; k++) {
        const struct notice_red *r = &n->red[k];
        csv_int(c, r->id);
        csv_text(c, r->title);
        csv_text(c, r->unit_name);
        csv_text(c, r->deadline);
        csv_int(c, r->days_overdue);
        csv_text(c, r->last_feedback ? r->last_feedback_on : NULL);
        csv_text(c, r->last_feedback);
        csv_row_end(c);
    }
}

static void csv_months(struct csv *c, const struct notice *n)
{
    static const char *const head[] = {"月份", "月末逾期", "红灯", "黄灯", "绿灯", "已关闭"};
    csv_heading(c, "逐月情况", head, sizeof head / sizeof *head);
    for (int k = 0; k < n->n_months; k++) {
        const struct notice_month *m = &n->months[k];
        const int64_t v[] = {m->red, m->yellow, m->green, m->none};
        csv_text(c, m->month);
        csv_int(c, m->overdue);
        for (int j = 0; j < 4; j++)
            if (m->has_lights)
                csv_int(c, v[j]);
            else
                csv_empty(c);
        csv_row_end(c);
    }
}

int notice_csv(const struct notice *n, const char *number, struct buf *b)
{
    char from[11], to[11], period[40];
    date_format(n->p.from, from);
    date_format(n->p.to, to);
    snprintf(period, sizeof period, "%s 至 %s", from, to);
    struct csv c;
    csv_init(&c, b);
    buf_puts(b, "\xEF\xBB\xBF");
    csv_text(&c, "督查通报");
    csv_text(&c, number ? number : "预览");
    csv_text(&c, n->scope_name);
    csv_text(&c, period);
    csv_row_end(&c);
    csv_units(&c, n);
    csv_red(&c, n);
    csv_months(&c, n);
    notice_requests_csv(n, &c);
    notice_remediation_csv(n, &c);
    notice_leaders_csv(n, &c);
    notice_assessment_csv(n, &c);
    return b->err ? -1 : 0;
}
