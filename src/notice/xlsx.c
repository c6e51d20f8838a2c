/* xlsx.c — a notice as an Excel workbook through libxlsxwriter: a sheet per
 * table (概况, 单位排名, 逾期事项, 逐月情况, and 按分管领导统计 and 考核情况
 * when the notice has those sections), headings bold, widths set,
 * figures written as numbers and rates as percentages, so the workbook sorts
 * and sums in Excel.  libxlsxwriter writes a file: it is assembled under
 * $TMPDIR (else /tmp), read into the buffer and removed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "notice/assessment_section.h"
#include "notice/notice.h"
#include "util/file.h"
#include "util/time.h"

struct fmts {
    lxw_format *head, *pct, *dec, *wrap;
};

static void heads(lxw_worksheet *ws, const struct fmts *f, const char *const *h, const double *w,
                  int n)
{
    for (int c = 0; c < n; c++) {
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, w[c], NULL);
        worksheet_write_string(ws, 0, (lxw_col_t)c, h[c], f->head);
    }
    worksheet_freeze_panes(ws, 1, 0);
}

static void sheet_summary(lxw_workbook *wb, const struct fmts *f, const struct notice *n,
                          const char *number)
{
    lxw_worksheet *ws = workbook_add_worksheet(wb, "概况");
    static const char *const h[] = {"项目", "内容"};
    static const double w[] = {16, 100};
    heads(ws, f, h, w, 2);
    char from[11], to[11], as_of[11];
    date_format(n->p.from, from);
    date_format(n->p.to, to);
    date_format(n->cutoff_day, as_of);
    const char *rows[][2] = {{"标题", "督查通报"},    {"文号", number ? number : "预览"},
                             {"发文单位", n->office}, {"范围", n->scope_name},
                             {"起始日期", from},      {"截止日期", to},
                             {"数据截至", as_of},     {"摘要", n->summary}};
    for (int r = 0; r < 8; r++) {
        worksheet_write_string(ws, (lxw_row_t)(r + 1), 0, rows[r][0], NULL);
        worksheet_write_string(ws, (lxw_row_t)(r + 1), 1, rows[r][1], r == 7 ? f->wrap : NULL);
    }
}

static void unit_line(lxw_worksheet *ws, const struct fmts *f, lxw_row_t row,
                      const struct notice_unit *u, int total)
{
    if (!total && u->rank) worksheet_write_number(ws, row, 0, u->rank, NULL);
    worksheet_write_string(ws, row, 1, total ? "" : u->code, NULL);
    worksheet_write_string(ws, row, 2, u->name, total ? f->head : NULL);
    const int64_t v[] = {u->assigned, u->accepted_on_time, u->feedback_due, u->feedback_on_time,
                         u->done,     u->done_on_time,     u->overdue,      u->extended,
                         u->rejected};
    for (int k = 0; k < 9; k++)
        worksheet_write_number(ws, row, (lxw_col_t)(3 + k), (double)v[k], NULL);
    double avg = notice_avg_days(u);
    if (avg >= 0) worksheet_write_number(ws, row, 12, avg, f->dec);
    worksheet_write_number(ws, row, 13, notice_rate(u), f->pct);
    worksheet_write_number(ws, row, 14, u->deductions, NULL);
}

static void sheet_units(lxw_workbook *wb, const struct fmts *f, const struct notice *n)
{
    lxw_worksheet *ws = workbook_add_worksheet(wb, "单位排名");
    static const char *const h[] = {"排名",   "单位代码", "单位",         "交办",       "按时签收",
                                    "应反馈", "按时反馈", "办结",         "按期办结",   "逾期",
                                    "延期",   "退办",     "平均办结天数", "按期办结率", "扣分"};
    static const double w[] = {6, 10, 20, 8, 10, 8, 10, 8, 10, 8, 8, 8, 14, 12, 8};
    heads(ws, f, h, w, 15);
    for (int k = 0; k < n->n_units; k++)
        unit_line(ws, f, (lxw_row_t)(k + 1), &n->units[k], 0);
    unit_line(ws, f, (lxw_row_t)(n->n_units + 1), &n->total, 1);
}

static void sheet_red(lxw_workbook *wb, const struct fmts *f, const struct notice *n)
{
    lxw_worksheet *ws = workbook_add_worksheet(wb, "逾期事项");
    static const char *const h[] = {"编号",     "事项",         "牵头单位", "期限",
                                    "逾期天数", "最近反馈日期", "最近反馈"};
    static const double w[] = {8, 40, 20, 12, 10, 14, 50};
    heads(ws, f, h, w, 7);
    for (int k = 0; k < n->n_red; k++) {
        const struct notice_red *r = &n->red[k];
        lxw_row_t row = (lxw_row_t)(k + 1);
        worksheet_write_number(ws, row, 0, (double)r->id, NULL);
        worksheet_write_string(ws, row, 1, r->title, NULL);
        worksheet_write_string(ws, row, 2, r->unit_name, NULL);
        worksheet_write_string(ws, row, 3, r->deadline, NULL);
        worksheet_write_number(ws, row, 4, r->days_overdue, NULL);
        if (r->last_feedback) {
            worksheet_write_string(ws, row, 5, r->last_feedback_on, NULL);
            worksheet_write_string(ws, row, 6, r->last_feedback, NULL);
        }
    }
}

static void sheet_months(lxw_workbook *wb, const struct fmts *f, const struct notice *n)
{
    lxw_worksheet *ws = workbook_add_worksheet(wb, "逐月情况");
    static const char *const h[] = {"月份", "月末逾期", "红灯", "黄灯", "绿灯", "已关闭"};
    static const double w[] = {10, 10, 8, 8, 8, 8};
    heads(ws, f, h, w, 6);
    for (int k = 0; k < n->n_months; k++) {
        const struct notice_month *m = &n->months[k];
        lxw_row_t row = (lxw_row_t)(k + 1);
        worksheet_write_string(ws, row, 0, m->month, NULL);
        worksheet_write_number(ws, row, 1, (double)m->overdue, NULL);
        if (!m->has_lights) continue;
        const int64_t v[] = {m->red, m->yellow, m->green, m->none};
        for (int j = 0; j < 4; j++)
            worksheet_write_number(ws, row, (lxw_col_t)(2 + j), (double)v[j], NULL);
    }
}

static void sheet_leaders(lxw_workbook *wb, const struct fmts *f, const struct notice *n)
{
    if (!n->n_leaders) return;
    lxw_worksheet *ws = workbook_add_worksheet(wb, "按分管领导统计");
    static const char *const h[] = {"分管领导", "交办",       "办结",      "按期办结",
                                    "逾期",     "逾期未办结", "按期办结率"};
    static const double w[] = {16, 8, 8, 10, 8, 12, 12};
    heads(ws, f, h, w, 7);
    for (int k = 0; k < n->n_leaders; k++) {
        const struct notice_leader *l = &n->leaders[k];
        lxw_row_t row = (lxw_row_t)(k + 1);
        const int64_t v[] = {l->assigned, l->done, l->done_on_time, l->overdue, l->red};
        worksheet_write_string(ws, row, 0, l->name, NULL);
        for (int j = 0; j < 5; j++)
            worksheet_write_number(ws, row, (lxw_col_t)(1 + j), (double)v[j], NULL);
        worksheet_write_number(ws, row, 6, notice_leader_rate(l), f->pct);
    }
}

int notice_xlsx(const struct notice *n, const char *number, struct buf *out, struct err *e)
{
    char path[512];
    if (file_temp("luoshi-notice", path, sizeof path, e)) return -1;
    lxw_workbook *wb = workbook_new(path);
    if (!wb) {
        unlink(path);
        return err_set(e, 500, "internal", "cannot start the XLSX workbook");
    }
    struct fmts f = {workbook_add_format(wb), workbook_add_format(wb), workbook_add_format(wb),
                     workbook_add_format(wb)};
    format_set_bold(f.head);
    format_set_num_format(f.pct, "0.0%");
    format_set_num_format(f.dec, "0.0");
    format_set_text_wrap(f.wrap);
    sheet_summary(wb, &f, n, number);
    sheet_units(wb, &f, n);
    sheet_red(wb, &f, n);
    sheet_months(wb, &f, n);
    sheet_leaders(wb, &f, n);
    notice_assessment_xlsx(n, wb, f.head);
    lxw_error rc = workbook_close(wb);
    int ret = 0;
    struct err re = {0};
    if (rc != LXW_NO_ERROR || file_read(path, 0, out, &re))
        ret = err_set(e, 500, "internal", "cannot write the XLSX workbook: %s",
                      rc != LXW_NO_ERROR ? lxw_strerror(rc) : re.message);
    unlink(path);
    return ret;
}
