/* render.c — a notice as JSON and as CSV.  See notice.h; the field names are
 * docs/notices.md's.  Both read only the computed struct notice. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "notice/notice.h"
#include "notice/scope.h"
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
    if (n->p.checkpoint_seq) /* the signed checkpoint it was issued under */
        json_object_set_new(o, "checkpoint",
                            json_pack("{s:I,s:s}", "seq", (json_int_t)n->p.checkpoint_seq, "root",
                                      n->p.checkpoint_root));
    return o;
}

/* ---- CSV ---- */

/* One field, quoted when it holds , " CR or LF; a text a spreadsheet would
 * take for a formula gets a leading apostrophe. */
static void csv_field(struct buf *b, const char *s, int last)
{
    int quote = strpbrk(s, ",\"\r\n") != NULL;
    if (quote) buf_putc(b, '"');
    if (*s == '=' || *s == '+' || *s == '-' || *s == '@') buf_putc(b, '\'');
    for (const char *p = s; *p; p++) {
        if (*p == '"') buf_putc(b, '"');
        buf_putc(b, *p);
    }
    if (quote) buf_putc(b, '"');
    buf_puts(b, last ? "\r\n" : ",");
}

static void csv_unit(struct buf *b, const struct notice_unit *u, const char *rank)
{
    csv_field(b, rank, 0);
    csv_field(b, u->code, 0);
    csv_field(b, u->name, 0);
    double avg = notice_avg_days(u);
    char avgs[32] = "";
    if (avg >= 0) snprintf(avgs, sizeof avgs, "%.1f", avg);
    buf_printf(b, "%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%s,%.1f,%g\r\n",
               (long long)u->assigned, (long long)u->accepted_on_time, (long long)u->feedback_due,
               (long long)u->feedback_on_time, (long long)u->done, (long long)u->done_on_time,
               (long long)u->overdue, (long long)u->extended, (long long)u->rejected, avgs,
               100.0 * notice_rate(u), u->deductions);
}

int notice_csv(const struct notice *n, const char *number, struct buf *b)
{
    char from[11], to[11];
    date_format(n->p.from, from);
    date_format(n->p.to, to);
    buf_puts(b, "\xEF\xBB\xBF");
    buf_printf(b, "督查通报,%s,%s,%s 至 %s\r\n", number ? number : "预览", n->scope_name, from, to);
    buf_puts(b, "\r\n单位排名\r\n排名,单位代码,单位,交办,按时签收,应反馈,按时反馈,办结,按期办结,"
                "逾期,延期,退办,平均办结天数,按期办结率(%),扣分\r\n");
    for (int k = 0; k < n->n_units; k++) {
        char rank[16] = "";
        if (n->units[k].rank) snprintf(rank, sizeof rank, "%d", n->units[k].rank);
        csv_unit(b, &n->units[k], rank);
    }
    csv_unit(b, &n->total, "合计");
    buf_puts(b, "\r\n逾期事项\r\n编号,事项,牵头单位,期限,逾期天数,最近反馈日期,最近反馈\r\n");
    for (int k = 0; k < n->n_red; k++) {
        const struct notice_red *r = &n->red[k];
        buf_printf(b, "%lld,", (long long)r->id);
        csv_field(b, r->title, 0);
        csv_field(b, r->unit_name, 0);
        buf_printf(b, "%s,%d,", r->deadline, r->days_overdue);
        csv_field(b, r->last_feedback ? r->last_feedback_on : "", 0);
        csv_field(b, r->last_feedback ? r->last_feedback : "", 1);
    }
    buf_puts(b, "\r\n逐月情况\r\n月份,月末逾期,红灯,黄灯,绿灯,已关闭\r\n");
    for (int k = 0; k < n->n_months; k++) {
        const struct notice_month *m = &n->months[k];
        buf_printf(b, "%s,%lld", m->month, (long long)m->overdue);
        if (m->has_lights)
            buf_printf(b, ",%lld,%lld,%lld,%lld\r\n", (long long)m->red, (long long)m->yellow,
                       (long long)m->green, (long long)m->none);
        else
            buf_puts(b, ",,,,\r\n");
    }
    return b->err ? -1 : 0;
}
