/* notice_pdf.c — a notice as a 公文 in PDF (GB/T 9704-2012, through pdf.h):
 * the red 版头 with the issuing office's mark and the 发文字号 (督通〔2030〕3号:
 * the setting notice.number_prefix before the notice's number), the title,
 * 主送 (notice.main_to), the sections of the HTML page (一、总体情况 …
 * 四、逐月情况 with their tables, 五、企业诉求办理情况 and the 考核 scores
 * when the notice has them), the 落款 and date, the checkpoint line of an
 * issued notice, and the 版记 (抄送 notice.copy_to, the office and the date
 * 印发).  It reads only the computed struct notice: the same figures as
 * every other output. */
#include <stdio.h>
#include <string.h>

#include "notice/notice.h"
#include "notice/pdf.h"
#include "util/arena.h"
#include "util/time.h"

/* "2030年4月1日" in a (the standard writes the date in Arabic numerals). */
static const char *date_zh(struct arena *a, int32_t day)
{
    int y, m, d;
    date_split(day, &y, &m, &d);
    return arena_printf(a, "%d年%d月%d日", y, m, d);
}

static const char *num(struct arena *a, int64_t v)
{
    return arena_printf(a, "%lld", (long long)v);
}

static void unit_row(struct pdf *d, struct arena *a, const struct notice_unit *u, int total)
{
    double avg = notice_avg_days(u);
    const char *cells[13] = {
        total     ? ""
        : u->rank ? arena_printf(a, "%d", u->rank)
                  : "—",
        u->name,
        num(a, u->assigned),
        num(a, u->accepted_on_time),
        arena_printf(a, "%lld/%lld", (long long)u->feedback_on_time, (long long)u->feedback_due),
        num(a, u->done),
        num(a, u->done_on_time),
        num(a, u->overdue),
        num(a, u->extended),
        num(a, u->rejected),
        avg >= 0 ? arena_printf(a, "%.1f", avg) : "—",
        arena_printf(a, "%.1f%%", 100.0 * notice_rate(u)),
        arena_printf(a, "%g", u->deductions),
    };
    pdf_table_row(d, cells, total);
}

static void units_table(struct pdf *d, struct arena *a, const struct notice *n)
{
    static const double w[13] = {0.06, 0.17, 0.06, 0.07, 0.10, 0.06, 0.07,
                                 0.06, 0.06, 0.06, 0.07, 0.10, 0.06};
    static const char *const head[13] = {
        "排名", "单位", "交办", "按时签收",     "按时反馈/应反馈", "办结", "按期办结",
        "逾期", "延期", "退办", "平均办结天数", "按期办结率",      "扣分"};
    static const struct pdf_table t = {13, w, head, 0x1ffcu, 9.0}; /* 小五: 13 columns */
    pdf_para(d, PDF_HEAD1, "二、各单位落实情况及排名");
    if (!n->n_units) {
        pdf_para(d, PDF_BODY, "本期无交办事项。");
        return;
    }
    pdf_table_begin(d, &t);
    for (int k = 0; k < n->n_units; k++)
        unit_row(d, a, &n->units[k], 0);
    unit_row(d, a, &n->total, 1);
    pdf_table_end(d);
    pdf_para(d, PDF_SMALL, "按期办结率＝按期办结数÷交办数；本期无交办事项的单位列出但不排名。");
}

static void red_table(struct pdf *d, struct arena *a, const struct notice *n)
{
    static const double w[6] = {0.08, 0.30, 0.16, 0.13, 0.09, 0.24};
    static const char *const head[6] = {"编号", "事项", "牵头单位", "期限", "逾期天数", "最近反馈"};
    static const struct pdf_table t = {6, w, head, 0x11u, 0};
    pdf_para(d, PDF_HEAD1, "三、逾期未办结事项");
    if (!n->n_red) {
        pdf_para(d, PDF_BODY, "无逾期未办结事项。");
        return;
    }
    pdf_table_begin(d, &t);
    for (int k = 0; k < n->n_red; k++) {
        const struct notice_red *r = &n->red[k];
        const char *cells[6] = {
            num(a, r->id),
            r->title,
            r->unit_name,
            r->deadline,
            arena_printf(a, "%d", r->days_overdue),
            r->last_feedback ? arena_printf(a, "%s %s", r->last_feedback_on, r->last_feedback)
                             : "未反馈",
        };
        pdf_table_row(d, cells, 0);
    }
    pdf_table_end(d);
}

static void months_table(struct pdf *d, struct arena *a, const struct notice *n)
{
    static const double w[5] = {0.24, 0.19, 0.19, 0.19, 0.19};
    static const char *const head[5] = {"月份", "月末逾期", "红灯", "黄灯", "绿灯"};
    static const struct pdf_table t = {5, w, head, 0x1eu, 0};
    pdf_para(d, PDF_HEAD1, "四、逐月情况");
    pdf_table_begin(d, &t);
    for (int k = 0; k < n->n_months; k++) {
        const struct notice_month *m = &n->months[k];
        const char *cells[5] = {m->month, num(a, m->overdue), m->has_lights ? num(a, m->red) : "—",
                                m->has_lights ? num(a, m->yellow) : "—",
                                m->has_lights ? num(a, m->green) : "—"};
        pdf_table_row(d, cells, 0);
    }
    pdf_table_end(d);
    pdf_para(d, PDF_BODY,
             arena_printf(a, "当前灯色：红灯%lld项，黄灯%lld项，绿灯%lld项。",
                          (long long)n->lights_now[2], (long long)n->lights_now[1],
                          (long long)n->lights_now[0]));
}

/* A requests figure: a count, or a rate "12.5%" ("—" without a base). */
static const char *req_cell(struct arena *a, json_t *t, const char *key, int rate)
{
    json_t *v = json_object_get(t, key);
    if (!rate) return num(a, (int64_t)json_integer_value(v));
    if (!json_is_number(v)) return "—";
    return arena_printf(a, rate == 2 ? "%.1f" : "%.1f%%", json_number_value(v));
}

static void requests_row(struct pdf *d, struct arena *a, json_t *t, const char *name, int bold)
{
    const char *cells[10] = {
        name,
        req_cell(a, t, "received", 0),
        req_cell(a, t, "signed_on_time", 0),
        req_cell(a, t, "closed", 0),
        req_cell(a, t, "on_time_rate", 1),
        req_cell(a, t, "rated", 0),
        req_cell(a, t, "satisfaction", 1),
        req_cell(a, t, "rating_rate", 1),
        req_cell(a, t, "redo_rate", 1),
        req_cell(a, t, "avg_reply_days", 2),
    };
    pdf_table_row(d, cells, bold);
}

/* 五、企业诉求办理情况, as the HTML page has it (none without figures). */
static void requests_table(struct pdf *d, struct arena *a, const struct notice *n)
{
    static const double w[10] = {0.19, 0.08, 0.09, 0.08, 0.10, 0.08, 0.09, 0.09, 0.09, 0.11};
    static const char *const head[10] = {"承办单位",   "受理",        "按时签收", "办结",
                                         "按期办结率", "已评价",      "满意率",   "参评率",
                                         "重办率",     "平均答复天数"};
    static const struct pdf_table t = {10, w, head, 0x3feu, 0};
    if (!n->requests) return;
    json_t *units = json_object_get(n->requests, "units"), *u;
    pdf_para(d, PDF_HEAD1, "五、企业诉求办理情况");
    if (!json_array_size(units)) {
        pdf_para(d, PDF_BODY, "本期无企业诉求。");
        return;
    }
    pdf_table_begin(d, &t);
    size_t i;
    json_array_foreach(units, i, u)
    {
        const char *name = json_string_value(json_object_get(u, "unit"));
        requests_row(d, a, u, name && *name ? name : "尚未交办", 0);
    }
    requests_row(d, a, json_object_get(n->requests, "total"), "合计", 1);
    pdf_table_end(d);
}

static void remediation_row(struct pdf *d, struct arena *a, json_t *t, const char *name, int bold)
{
    double target = json_number_value(json_object_get(t, "target_mu"));
    double done = json_number_value(json_object_get(t, "done_mu"));
    const char *cells[6] = {
        name,
        num(a, (int64_t)json_integer_value(json_object_get(t, "items"))),
        num(a, (int64_t)json_integer_value(json_object_get(t, "done"))),
        arena_printf(a, "%.2f", target),
        arena_printf(a, "%.2f", done),
        target > 0 ? arena_printf(a, "%.1f%%", 100.0 * done / target) : "—",
    };
    pdf_table_row(d, cells, bold);
}

/* 六、低效用地整治情况, as the HTML page has it (none without remediations). */
static void remediation_table(struct pdf *d, struct arena *a, const struct notice *n)
{
    static const double w[6] = {0.30, 0.14, 0.12, 0.16, 0.16, 0.12};
    static const char *const head[6] = {"牵头单位",   "整治事项",     "已验收",
                                        "目标（亩）", "已完成（亩）", "完成率"};
    static const struct pdf_table t = {6, w, head, 0x3eu, 0};
    if (!n->remediation) return;
    json_t *total = json_object_get(n->remediation, "total"), *u;
    pdf_para(d, PDF_HEAD1, "六、低效用地整治情况");
    pdf_para(d, PDF_BODY,
             arena_printf(a,
                          "截至本期末，低效用地整治事项%lld项，已验收%lld项；整治目标%.2f亩，"
                          "已完成%.2f亩。",
                          (long long)json_integer_value(json_object_get(total, "items")),
                          (long long)json_integer_value(json_object_get(total, "done")),
                          json_number_value(json_object_get(total, "target_mu")),
                          json_number_value(json_object_get(total, "done_mu"))));
    pdf_table_begin(d, &t);
    size_t i;
    json_array_foreach(json_object_get(n->remediation, "towns"), i, u)
        remediation_row(d, a, u, json_string_value(json_object_get(u, "name")), 0);
    remediation_row(d, a, total, "合计", 1);
    pdf_table_end(d);
}

/* 按分管领导统计, as the HTML page has it (none without leaders). */
static void leaders_table(struct pdf *d, struct arena *a, const struct notice *n)
{
    static const double w[7] = {0.22, 0.11, 0.11, 0.13, 0.15, 0.11, 0.17};
    static const char *const head[7] = {"分管领导",   "交办", "办结",      "按期办结",
                                        "按期办结率", "逾期", "逾期未办结"};
    static const struct pdf_table t = {7, w, head, 0x7eu, 0};
    if (!n->n_leaders) return;
    pdf_para(d, PDF_HEAD1, notice_leaders_heading(n));
    pdf_table_begin(d, &t);
    for (int k = 0; k < n->n_leaders; k++) {
        const struct notice_leader *l = &n->leaders[k];
        const char *cells[7] = {l->name,
                                num(a, l->assigned),
                                num(a, l->done),
                                num(a, l->done_on_time),
                                arena_printf(a, "%.1f%%", 100.0 * notice_leader_rate(l)),
                                num(a, l->overdue),
                                num(a, l->red)};
        pdf_table_row(d, cells, 0);
    }
    pdf_table_end(d);
    pdf_para(d, PDF_SMALL,
             "按事项的责任领导统计，口径与单位排名相同；未指定责任领导的事项不列入。");
}

/* 附：考核情况: the scores of the assessed units in scope (none without). */
static void assessment_table(struct pdf *d, struct arena *a, const struct notice *n)
{
    static const double w[4] = {0.40, 0.20, 0.20, 0.20};
    static const char *const head[4] = {"单位", "类别名次", "得分", "本期变动"};
    static const struct pdf_table t = {4, w, head, 0xeu, 0};
    if (!n->assessment) return;
    json_t *units = json_object_get(n->assessment, "units"), *u;
    pdf_para(d, PDF_HEAD1,
             arena_printf(a, "附：%lld年度考核情况",
                          (long long)json_integer_value(json_object_get(n->assessment, "year"))));
    pdf_table_begin(d, &t);
    size_t i;
    json_array_foreach(units, i, u)
    {
        const char *name = json_string_value(json_object_get(u, "unit_name"));
        const char *cells[4] = {
            name ? name : "",
            arena_printf(a, "%lld/%lld", (long long)json_integer_value(json_object_get(u, "rank")),
                         (long long)json_integer_value(json_object_get(u, "rank_of"))),
            arena_printf(a, "%g", json_number_value(json_object_get(u, "score"))),
            arena_printf(a, "%g", json_number_value(json_object_get(u, "period_points"))),
        };
        pdf_table_row(d, cells, 0);
    }
    pdf_table_end(d);
}

/* 落款, date, the checkpoint line and the 版记. */
static void foot(struct pdf *d, struct arena *a, const struct notice *n, const char *issued_on)
{
    int32_t day = n->cutoff_day;
    if (issued_on) date_parse(issued_on, strlen(issued_on), &day);
    pdf_keep(d, n->p.checkpoint_seq ? 6.0 : 4.0); /* the 落款 with its date, on one page */
    pdf_skip(d, 2.0);
    pdf_para(d, PDF_RIGHT4, n->office);
    pdf_para(d, PDF_RIGHT4, date_zh(a, day));
    if (n->p.checkpoint_seq)
        pdf_para(d, PDF_SMALL,
                 arena_printf(a, "防篡改校验：签发时第 %lld 号检查点，校验码 %.64s",
                              (long long)n->p.checkpoint_seq, n->p.checkpoint_root));
    pdf_colophon(d, n->doc.copy_to, n->office, date_zh(a, day));
}

int notice_pdf(const struct notice *n, const char *number, const char *issued_on, struct buf *out,
               struct err *e)
{
    struct arena *a = arena_new();
    struct pdf_fonts f = {n->doc.font_title, n->doc.font_body, n->doc.font_kai, n->doc.font_hei};
    const char *title = arena_printf(a, "关于%s至%s%s重点工作落实情况的通报", date_zh(a, n->p.from),
                                     date_zh(a, n->p.to), n->scope_name);
    struct pdf *d = pdf_begin(out, title, issued_on, &f);
    pdf_red_head(
        d, arena_printf(a, "%s文件", n->office),
        number ? arena_printf(a, "%s%s", n->doc.number_prefix, number) : "（预览，未编号）", 0);
    pdf_title(d, title);
    pdf_para(d, PDF_PLAIN, arena_printf(a, "%s：", n->doc.main_to));
    pdf_para(d, PDF_HEAD1, "一、总体情况");
    pdf_para(d, PDF_BODY, n->summary);
    units_table(d, a, n);
    red_table(d, a, n);
    months_table(d, a, n);
    requests_table(d, a, n);
    remediation_table(d, a, n);
    leaders_table(d, a, n);
    assessment_table(d, a, n);
    foot(d, a, n, issued_on);
    int rc = pdf_end(d, e);
    arena_free(a);
    return rc;
}
