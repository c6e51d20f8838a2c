/* item_export.c — the item list as CSV and XLSX.  See item_export.h.
 *
 * The columns are one table (`cols`), shared by both formats: heading,
 * XLSX width and how a row gives its value.  CSV goes through a 64 KiB
 * buffer flushed to the file; XLSX through libxlsxwriter in constant_memory
 * mode (each row is flushed as the next begins). */
#include "notice/item_export.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <fcntl.h>

#include <xlsxwriter.h>

#include "notice/export.h"
#include "util/csv.h"
#include "util/file.h"
#include "util/time.h"

#define CSV_FLUSH ((size_t)64 << 10)

enum col_type { C_TEXT, C_INT, C_NUMBER, C_DATE, C_TIME };

struct col {
    const char *heading;
    double width;
    enum col_type type;
};

static const struct col cols[] = {
    {"编号", 8, C_INT},         {"事项", 48, C_TEXT},         {"类型", 8, C_TEXT},
    {"状态", 10, C_TEXT},       {"预警", 8, C_TEXT},          {"牵头单位", 22, C_TEXT},
    {"期限", 12, C_DATE},       {"进度(%)", 9, C_INT},        {"反馈周期", 10, C_TEXT},
    {"指标目标", 11, C_NUMBER}, {"指标当前值", 11, C_NUMBER}, {"指标单位", 9, C_TEXT},
    {"来源", 8, C_TEXT},        {"创建时间", 18, C_TIME},
};
#define NCOLS (sizeof cols / sizeof *cols)

const char item_export_csv_header[] = "编号,事项,类型,状态,预警,牵头单位,期限,进度(%),反馈周期,"
                                      "指标目标,指标当前值,指标单位,来源,创建时间\r\n";

static const char *cycle_zh(const char *c)
{
    static const char *const t[][2] = {{"none", "不需定期反馈"},
                                       {"weekly", "每周"},
                                       {"biweekly", "每两周"},
                                       {"monthly", "每月"},
                                       {"quarterly", "每季度"}};
    for (size_t k = 0; k < sizeof t / sizeof *t; k++)
        if (!strcmp(t[k][0], c)) return t[k][1];
    return c;
}

static const char *source_zh(const char *s)
{
    static const char *const t[][2] = {{"plan", "规划"},        {"meeting", "会议"},
                                       {"instruction", "批示"}, {"campaign", "专项行动"},
                                       {"report", "上报"},      {"import", "导入"}};
    for (size_t k = 0; k < sizeof t / sizeof *t; k++)
        if (!strcmp(t[k][0], s)) return t[k][1];
    return s;
}

/* Column k of r: its text (C_TEXT, C_DATE) or number (*has 0: empty). */
static const char *col_text(const struct item_list_row *r, size_t k)
{
    switch (k) {
    case 1:
        return r->title;
    case 2:
        return export_kind_zh(r->kind);
    case 3:
        return export_status_zh(r->status);
    case 4:
        return export_light_zh(r->light);
    case 5:
        return r->lead_name;
    case 6:
        return r->deadline;
    case 8:
        return cycle_zh(r->cycle);
    case 11:
        return r->unit;
    case 12:
        return source_zh(r->source);
    default:
        return "";
    }
}

static double col_number(const struct item_list_row *r, size_t k, int *has)
{
    *has = 1;
    switch (k) {
    case 0:
        return (double)r->id;
    case 7:
        return r->progress;
    case 9:
        *has = r->has_target;
        return r->target;
    case 10:
        *has = r->has_value;
        return r->value;
    default:
        *has = 0;
        return 0;
    }
}

/* The creation time as city-local parts. */
static lxw_datetime local_time(int64_t ms)
{
    int y, m, d, minute = time_minute_of_day(ms);
    date_split(time_day_of(ms), &y, &m, &d);
    return (lxw_datetime){y, m, d, minute / 60, minute % 60, 0};
}

/* ---- CSV ---- */

struct csv_out {
    FILE *f;
    struct buf b;
    struct csv c;
};

static int csv_flush(struct csv_out *o, struct err *e)
{
    if (o->b.len && fwrite(o->b.data, 1, o->b.len, o->f) != o->b.len)
        return err_set(e, 500, "io_error", "cannot write the CSV export");
    buf_reset(&o->b);
    return 0;
}

static int csv_item(void *ctx, const struct item_list_row *r, struct err *e)
{
    struct csv_out *o = ctx;
    for (size_t k = 0; k < NCOLS; k++) {
        int has;
        double v = col_number(r, k, &has);
        if (cols[k].type == C_TIME) {
            lxw_datetime t = local_time(r->created_at);
            char at[32];
            snprintf(at, sizeof at, "%04d-%02d-%02d %02d:%02d", t.year, t.month, t.day, t.hour,
                     t.min);
            csv_text(&o->c, at);
        } else if (cols[k].type == C_INT) {
            csv_int(&o->c, (int64_t)v);
        } else if (cols[k].type == C_NUMBER) {
            if (has)
                csv_number(&o->c, v);
            else
                csv_empty(&o->c);
        } else {
            csv_text(&o->c, col_text(r, k));
        }
    }
    csv_row_end(&o->c);
    return o->b.len >= CSV_FLUSH ? csv_flush(o, e) : 0;
}

static int export_csv(struct db *db, const struct actor *a, const struct item_filter *f, FILE *fp,
                      struct err *e)
{
    struct csv_out o = {.f = fp};
    buf_init(&o.b, 0);
    csv_init(&o.c, &o.b);
    buf_puts(&o.b, "\xEF\xBB\xBF");
    buf_puts(&o.b, item_export_csv_header);
    int ret = item_list_each(db, a, f, ITEM_EXPORT_MAX, csv_item, &o, e);
    if (!ret) ret = csv_flush(&o, e);
    buf_free(&o.b);
    return ret;
}

/* ---- XLSX ---- */

struct xlsx_out {
    lxw_worksheet *ws;
    lxw_format *date, *time;
    lxw_row_t row;
};

static int xlsx_item(void *ctx, const struct item_list_row *r, struct err *e)
{
    (void)e;
    struct xlsx_out *o = ctx;
    lxw_row_t row = ++o->row;
    for (lxw_col_t k = 0; k < NCOLS; k++) {
        int has;
        double v = col_number(r, k, &has);
        const char *s = col_text(r, k);
        int32_t day;
        if (cols[k].type == C_TIME) {
            lxw_datetime t = local_time(r->created_at);
            worksheet_write_datetime(o->ws, row, k, &t, o->time);
        } else if (cols[k].type == C_INT || cols[k].type == C_NUMBER) {
            if (has) worksheet_write_number(o->ws, row, k, v, NULL);
        } else if (cols[k].type == C_DATE && *s && !date_parse(s, strlen(s), &day)) {
            int y, m, d;
            date_split(day, &y, &m, &d);
            lxw_datetime dt = {y, m, d, 0, 0, 0};
            worksheet_write_datetime(o->ws, row, k, &dt, o->date);
        } else if (*s) {
            worksheet_write_string(o->ws, row, k, s, NULL);
        }
    }
    return 0;
}

static int export_xlsx(struct db *db, const struct actor *a, const struct item_filter *f,
                       const char *path, struct err *e)
{
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = NULL};
    lxw_workbook *wb = workbook_new_opt(path, &opt);
    lxw_worksheet *ws = wb ? workbook_add_worksheet(wb, "事项台账") : NULL;
    if (!ws) {
        if (wb) workbook_close(wb);
        return err_set(e, 500, "internal", "cannot start the XLSX workbook");
    }
    lxw_format *head = workbook_add_format(wb);
    format_set_bold(head);
    format_set_bg_color(head, 0xDDE6F0);
    format_set_border(head, LXW_BORDER_THIN);
    struct xlsx_out o = {
        .ws = ws, .date = workbook_add_format(wb), .time = workbook_add_format(wb)};
    format_set_num_format(o.date, "yyyy-mm-dd");
    format_set_num_format(o.time, "yyyy-mm-dd hh:mm");
    for (lxw_col_t k = 0; k < NCOLS; k++) {
        worksheet_set_column(ws, k, k, cols[k].width, NULL);
        worksheet_write_string(ws, 0, k, cols[k].heading, head);
    }
    worksheet_freeze_panes(ws, 1, 0);
    int ret = item_list_each(db, a, f, ITEM_EXPORT_MAX, xlsx_item, &o, e);
    lxw_error rc = workbook_close(wb);
    if (!ret && rc != LXW_NO_ERROR)
        ret = err_set(e, 500, "internal", "cannot write the XLSX workbook: %s", lxw_strerror(rc));
    return ret;
}

int item_export(struct db *db, const struct actor *a, const struct item_filter *f,
                enum item_export_format format, int *fd, uint64_t *size, struct err *e)
{
    char path[512];
    *fd = -1;
    if (file_temp("luoshi-items", path, sizeof path, e)) return -1;
    int ret;
    if (format == ITEM_EXPORT_CSV) {
        FILE *fp = fopen(path, "wb");
        ret = fp ? export_csv(db, a, f, fp, e)
                 : err_set(e, 500, "io_error", "cannot open the export file");
        if (fp && fclose(fp) && !ret) ret = err_set(e, 500, "io_error", "cannot write the export");
    } else {
        ret = export_xlsx(db, a, f, path, e);
    }
    struct stat sb;
    if (!ret && ((*fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 || fstat(*fd, &sb)))
        ret = err_set(e, 500, "io_error", "cannot read the export file");
    unlink(path);
    if (ret) {
        if (*fd >= 0) close(*fd);
        *fd = -1;
        return -1;
    }
    *size = (uint64_t)sb.st_size;
    return 0;
}
