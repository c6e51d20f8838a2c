/* export.c — the project list as CSV and XLSX.  See export.h.
 *
 * The columns are one table (`cols`), shared by both formats: each column
 * has its Chinese heading, its XLSX width and how to get its value from a
 * plan row, as text or as a number. */
#include "notice/export.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "core/kind.h"
#include "util/csv.h"
#include "util/file.h"
#include "util/time.h"

struct name_zh {
    const char *code, *zh;
};

static const struct name_zh statuses[] = {
    {"draft", "草稿"},         {"assigned", "已交办"},  {"accepted", "已签收"},
    {"in_progress", "办理中"}, {"submitted", "待销号"}, {"done", "已办结"},
    {"archived", "已归档"},    {"returned", "已退回"},  {"suspended", "已中止"},
    {"cancelled", "已撤销"},
};
static const struct name_zh lights[] = {
    {"green", "绿灯"}, {"yellow", "黄灯"}, {"red", "红灯"}, {"none", "—"}};

static const char *zh(const struct name_zh *t, size_t n, const char *code)
{
    for (size_t k = 0; k < n; k++)
        if (!strcmp(t[k].code, code)) return t[k].zh;
    return code;
}

const char *export_status_zh(const char *s)
{
    return zh(statuses, sizeof statuses / sizeof *statuses, s);
}

const char *export_kind_zh(const char *s)
{
    const struct kind *k = kind_find(s);
    return k ? k->label_zh : s;
}

const char *export_light_zh(const char *s)
{
    return zh(lights, sizeof lights / sizeof *lights, s);
}

/* What a column holds: text (NULL for an empty cell), a number (has 0 for an
 * empty cell), or the deadline (a date). */
enum col_kind { COL_TEXT, COL_NUMBER, COL_DATE };

struct col {
    const char *heading;
    double width;
    enum col_kind kind;
    const char *(*text)(const struct plan_row *r);
    double (*number)(const struct plan_row *r, int *has);
};

static const char *c_number(const struct plan_row *r)
{
    return r->number;
}
static const char *c_title(const struct plan_row *r)
{
    return r->title;
}
static const char *c_kind(const struct plan_row *r)
{
    return export_kind_zh(r->kind);
}
static const char *c_status(const struct plan_row *r)
{
    return export_status_zh(r->status);
}
static const char *c_light(const struct plan_row *r)
{
    return export_light_zh(r->light);
}
static const char *c_lead(const struct plan_row *r)
{
    return r->lead_name;
}
static const char *c_co(const struct plan_row *r)
{
    return r->co_names;
}
static const char *c_deadline(const struct plan_row *r)
{
    return r->deadline;
}
static const char *c_unit(const struct plan_row *r)
{
    return r->metric_unit;
}

static double n_progress(const struct plan_row *r, int *has)
{
    *has = 1;
    return r->progress;
}

static double n_target(const struct plan_row *r, int *has)
{
    *has = r->has_metric;
    return r->target;
}

static double n_value(const struct plan_row *r, int *has)
{
    *has = r->has_value;
    return r->value;
}

static const struct col cols[] = {
    {"序号", 8, COL_TEXT, c_number, NULL},         {"事项", 56, COL_TEXT, c_title, NULL},
    {"类型", 8, COL_TEXT, c_kind, NULL},           {"状态", 10, COL_TEXT, c_status, NULL},
    {"预警", 8, COL_TEXT, c_light, NULL},          {"牵头单位", 24, COL_TEXT, c_lead, NULL},
    {"配合单位", 30, COL_TEXT, c_co, NULL},        {"期限", 12, COL_DATE, c_deadline, NULL},
    {"进度(%)", 9, COL_NUMBER, NULL, n_progress},  {"指标目标", 11, COL_NUMBER, NULL, n_target},
    {"指标当前值", 11, COL_NUMBER, NULL, n_value}, {"指标单位", 9, COL_TEXT, c_unit, NULL},
};
#define NCOLS (sizeof cols / sizeof *cols)

const char export_csv_header[] =
    "序号,事项,类型,状态,预警,牵头单位,配合单位,期限,进度(%),指标目标,指标当前值,指标单位\r\n";

/* ---- CSV ---- */

int export_plan_csv(const struct plan *p, struct buf *out)
{
    struct csv c;
    csv_init(&c, out);
    buf_puts(out, "\xEF\xBB\xBF");
    buf_puts(out, export_csv_header);
    for (size_t k = 0; k < p->n; k++) {
        const struct plan_row *r = &p->rows[k];
        for (size_t j = 0; j < NCOLS; j++) {
            int has = 1;
            double v = cols[j].number ? cols[j].number(r, &has) : 0;
            if (!cols[j].number)
                csv_text(&c, cols[j].text(r));
            else if (has)
                csv_number(&c, v);
            else
                csv_empty(&c);
        }
        csv_row_end(&c);
    }
    return out->err ? -1 : 0;
}

/* ---- XLSX ---- */

#define XLSX_INDENT_MAX 8

struct xlsx_formats {
    lxw_format *head, *date, *number, *indent[XLSX_INDENT_MAX + 1];
};

static void xlsx_formats(lxw_workbook *wb, struct xlsx_formats *f)
{
    f->head = workbook_add_format(wb);
    format_set_bold(f->head);
    format_set_bg_color(f->head, 0xDDE6F0);
    format_set_border(f->head, LXW_BORDER_THIN);
    f->date = workbook_add_format(wb);
    format_set_num_format(f->date, "yyyy-mm-dd");
    f->number = workbook_add_format(wb);
    format_set_num_format(f->number, "General");
    for (int k = 0; k <= XLSX_INDENT_MAX; k++) {
        f->indent[k] = workbook_add_format(wb);
        format_set_indent(f->indent[k], (uint8_t)k);
    }
}

static void xlsx_row(lxw_worksheet *ws, const struct xlsx_formats *f, lxw_row_t row,
                     const struct plan_row *r)
{
    for (lxw_col_t c = 0; c < NCOLS; c++) {
        const struct col *col = &cols[c];
        if (col->kind == COL_NUMBER) {
            int has;
            double v = col->number(r, &has);
            if (has) worksheet_write_number(ws, row, c, v, f->number);
            continue;
        }
        const char *s = col->text(r);
        if (!s || !*s) continue;
        int32_t day;
        if (col->kind == COL_DATE && !date_parse(s, strlen(s), &day)) {
            int y, m, d;
            date_split(day, &y, &m, &d);
            lxw_datetime dt = {y, m, d, 0, 0, 0};
            worksheet_write_datetime(ws, row, c, &dt, f->date);
        } else {
            lxw_format *fmt =
                col->text == c_title
                    ? f->indent[r->depth < XLSX_INDENT_MAX ? r->depth : XLSX_INDENT_MAX]
                    : NULL;
            worksheet_write_string(ws, row, c, s, fmt);
        }
    }
}

int export_plan_xlsx(const struct plan *p, struct buf *out, struct err *e)
{
    char path[512];
    if (file_temp("luoshi-plan", path, sizeof path, e)) return -1;
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *ws = wb ? workbook_add_worksheet(wb, "项目清单") : NULL;
    if (!ws) {
        if (wb) workbook_close(wb);
        unlink(path);
        return err_set(e, 500, "internal", "cannot start the XLSX workbook");
    }
    struct xlsx_formats f;
    xlsx_formats(wb, &f);
    for (lxw_col_t c = 0; c < NCOLS; c++) {
        worksheet_set_column(ws, c, c, cols[c].width, NULL);
        worksheet_write_string(ws, 0, c, cols[c].heading, f.head);
    }
    worksheet_freeze_panes(ws, 1, 0);
    for (size_t k = 0; k < p->n; k++)
        xlsx_row(ws, &f, (lxw_row_t)(k + 1), &p->rows[k]);
    lxw_error rc = workbook_close(wb);
    int ret = 0;
    struct err re = {0};
    if (rc != LXW_NO_ERROR || file_read(path, 0, out, &re))
        ret = err_set(e, 500, "internal", "cannot write the XLSX workbook: %s",
                      rc != LXW_NO_ERROR ? lxw_strerror(rc) : re.message);
    unlink(path);
    return ret;
}
