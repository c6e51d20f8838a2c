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

/* The export written by write(ctx, path or FILE) into a temporary file,
 * opened again for reading (*fd) and unlinked. */
struct export_job {
    struct db *db;
    const struct actor *a;
    const struct item_filter *f;
    json_t *inbox, *rows; /* the inbox, or a JSON table's rows */
    const struct table_col *cols;
    size_t ncols;
    const char *sheet;
};

static int export_table_csv(const struct export_job *j, FILE *fp, struct err *e);
static int export_table_xlsx(const struct export_job *j, const char *path, struct err *e);

static int export_inbox_csv(json_t *inbox, FILE *fp, struct err *e);
static int export_inbox_xlsx(json_t *inbox, const char *path, struct err *e);

static int export_run(const struct export_job *j, enum item_export_format format, int *fd,
                      uint64_t *size, struct err *e)
{
    char path[512];
    *fd = -1;
    if (file_temp("luoshi-export", path, sizeof path, e)) return -1;
    int ret;
    if (format == ITEM_EXPORT_CSV) {
        FILE *fp = fopen(path, "wb");
        ret = !fp        ? err_set(e, 500, "io_error", "cannot open the export file")
              : j->inbox ? export_inbox_csv(j->inbox, fp, e)
              : j->rows  ? export_table_csv(j, fp, e)
                         : export_csv(j->db, j->a, j->f, fp, e);
        if (fp && fclose(fp) && !ret) ret = err_set(e, 500, "io_error", "cannot write the export");
    } else {
        ret = j->inbox  ? export_inbox_xlsx(j->inbox, path, e)
              : j->rows ? export_table_xlsx(j, path, e)
                        : export_xlsx(j->db, j->a, j->f, path, e);
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

int item_export(struct db *db, const struct actor *a, const struct item_filter *f,
                enum item_export_format format, int *fd, uint64_t *size, struct err *e)
{
    struct export_job j = {.db = db, .a = a, .f = f};
    return export_run(&j, format, fd, size, e);
}

/* ---- the inbox ---- */

static const char *const inbox_heads[] = {"清单", "编号",     "事项", "类型",    "状态",
                                          "预警", "牵头单位", "期限", "进度(%)", "说明"};
static const double inbox_widths[] = {14, 8, 48, 8, 10, 8, 22, 12, 9, 40};
#define INBOX_NCOLS (sizeof inbox_heads / sizeof *inbox_heads)

static const char *list_zh(const char *key)
{
    static const char *const t[][2] = {{"acceptance_due", "重大隐患验收到期"},
                                       {"due_soon", "即将到期"},
                                       {"escalated", "重点、挂牌督办"},
                                       {"extensions", "延期申请"},
                                       {"instructed", "领导批示"},
                                       {"instruction_results", "批示件办理结果"},
                                       {"my_instructions", "我的批示"},
                                       {"overdue", "已逾期"},
                                       {"returned", "被退回"},
                                       {"to_accept", "待签收"},
                                       {"to_answer", "待答复"},
                                       {"to_assign", "待交办"},
                                       {"to_check", "待核查"},
                                       {"to_follow_up", "待回访"},
                                       {"to_rate", "待评价"},
                                       {"to_report", "待反馈"},
                                       {"to_score", "待评分"},
                                       {"to_triage", "待研判"},
                                       {"to_verify", "待销号"},
                                       {"urged", "催办督办"}};
    for (size_t k = 0; k < sizeof t / sizeof *t; k++)
        if (!strcmp(t[k][0], key)) return t[k][1];
    return key;
}

static const char *jstr(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

/* Column k of an inbox entry as text ("" for the number columns). */
static const char *inbox_text(const char *list, json_t *it, size_t k)
{
    switch (k) {
    case 0:
        return list_zh(list);
    case 2:
        return jstr(it, "title");
    case 3:
        return export_kind_zh(jstr(it, "kind"));
    case 4:
        return export_status_zh(jstr(it, "status"));
    case 5:
        return export_light_zh(jstr(it, "light"));
    case 6:
        return jstr(json_object_get(it, "lead_unit"), "name");
    case 7:
        return jstr(it, "deadline");
    case 9:
        return jstr(json_object_get(it, "why"), "text");
    default:
        return "";
    }
}

/* 1 when list key holds items (the office's 考核 objections and the reports
 * held for review, core/review.h, do not). */
static int item_list_key(json_t *list, const char *key)
{
    return json_is_array(list) && strcmp(key, "objections") && strcmp(key, "reviews") &&
           strcmp(key, "reviews_returned");
}

static int export_inbox_csv(json_t *inbox, FILE *fp, struct err *e)
{
    struct csv_out o = {.f = fp};
    buf_init(&o.b, 0);
    csv_init(&o.c, &o.b);
    buf_puts(&o.b, "\xEF\xBB\xBF");
    for (size_t k = 0; k < INBOX_NCOLS; k++)
        csv_text(&o.c, inbox_heads[k]);
    csv_row_end(&o.c);
    const char *key;
    json_t *list, *it;
    size_t i;
    json_object_foreach(inbox, key, list)
    {
        if (!item_list_key(list, key)) continue;
        json_array_foreach(list, i, it)
        {
            for (size_t k = 0; k < INBOX_NCOLS; k++) {
                if (k == 1 || k == 8)
                    csv_int(&o.c,
                            json_integer_value(json_object_get(it, k == 1 ? "id" : "progress")));
                else
                    csv_text(&o.c, inbox_text(key, it, k));
            }
            csv_row_end(&o.c);
        }
    }
    int ret = csv_flush(&o, e);
    buf_free(&o.b);
    return ret;
}

static void inbox_xlsx_row(lxw_worksheet *ws, lxw_format *date, lxw_row_t row, const char *key,
                           json_t *it)
{
    for (lxw_col_t k = 0; k < INBOX_NCOLS; k++) {
        const char *s = inbox_text(key, it, k);
        int32_t day;
        if (k == 1 || k == 8) {
            worksheet_write_number(
                ws, row, k,
                (double)json_integer_value(json_object_get(it, k == 1 ? "id" : "progress")), NULL);
        } else if (k == 7 && *s && !date_parse(s, strlen(s), &day)) {
            int y, m, d;
            date_split(day, &y, &m, &d);
            lxw_datetime dt = {y, m, d, 0, 0, 0};
            worksheet_write_datetime(ws, row, k, &dt, date);
        } else if (*s) {
            worksheet_write_string(ws, row, k, s, NULL);
        }
    }
}

static int export_inbox_xlsx(json_t *inbox, const char *path, struct err *e)
{
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = NULL};
    lxw_workbook *wb = workbook_new_opt(path, &opt);
    lxw_worksheet *ws = wb ? workbook_add_worksheet(wb, "待办") : NULL;
    if (!ws) {
        if (wb) workbook_close(wb);
        return err_set(e, 500, "internal", "cannot start the XLSX workbook");
    }
    lxw_format *head = workbook_add_format(wb), *date = workbook_add_format(wb);
    format_set_bold(head);
    format_set_bg_color(head, 0xDDE6F0);
    format_set_num_format(date, "yyyy-mm-dd");
    for (lxw_col_t k = 0; k < INBOX_NCOLS; k++) {
        worksheet_set_column(ws, k, k, inbox_widths[k], NULL);
        worksheet_write_string(ws, 0, k, inbox_heads[k], head);
    }
    worksheet_freeze_panes(ws, 1, 0);
    lxw_row_t row = 0;
    const char *key;
    json_t *list, *it;
    size_t i;
    json_object_foreach(inbox, key, list)
    {
        if (!item_list_key(list, key)) continue;
        json_array_foreach(list, i, it) inbox_xlsx_row(ws, date, ++row, key, it);
    }
    lxw_error rc = workbook_close(wb);
    return rc == LXW_NO_ERROR ? 0
                              : err_set(e, 500, "internal", "cannot write the XLSX workbook: %s",
                                        lxw_strerror(rc));
}

int inbox_export(json_t *inbox, enum item_export_format format, int *fd, uint64_t *size,
                 struct err *e)
{
    struct export_job j = {.inbox = inbox};
    return export_run(&j, format, fd, size, e);
}

/* ---- a JSON table ---- */

static int export_table_csv(const struct export_job *j, FILE *fp, struct err *e)
{
    struct csv_out o = {.f = fp};
    buf_init(&o.b, 0);
    csv_init(&o.c, &o.b);
    buf_puts(&o.b, "\xEF\xBB\xBF");
    for (size_t k = 0; k < j->ncols; k++)
        csv_text(&o.c, j->cols[k].heading);
    csv_row_end(&o.c);
    size_t i;
    json_t *row;
    json_array_foreach(j->rows, i, row)
    {
        for (size_t k = 0; k < j->ncols; k++) {
            json_t *v = json_object_get(row, j->cols[k].key);
            if (json_is_integer(v) && j->cols[k].type == TABLE_INT)
                csv_int(&o.c, json_integer_value(v));
            else if (json_is_number(v))
                csv_number(&o.c, json_number_value(v));
            else
                csv_text(&o.c, json_string_value(v));
        }
        csv_row_end(&o.c);
    }
    int ret = csv_flush(&o, e);
    buf_free(&o.b);
    return ret;
}

static void table_xlsx_cell(lxw_worksheet *ws, lxw_format *date, lxw_row_t row, lxw_col_t k,
                            const struct table_col *c, json_t *v)
{
    const char *s = json_string_value(v);
    int32_t day;
    if (json_is_number(v)) {
        worksheet_write_number(ws, row, k, json_number_value(v), NULL);
    } else if (c->type == TABLE_DATE && s && strlen(s) >= 10 && !date_parse(s, 10, &day)) {
        int y, m, d;
        date_split(day, &y, &m, &d);
        lxw_datetime dt = {y, m, d, 0, 0, 0};
        worksheet_write_datetime(ws, row, k, &dt, date);
    } else if (s && *s) {
        worksheet_write_string(ws, row, k, s, NULL);
    }
}

static int export_table_xlsx(const struct export_job *j, const char *path, struct err *e)
{
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = NULL};
    lxw_workbook *wb = workbook_new_opt(path, &opt);
    lxw_worksheet *ws = wb ? workbook_add_worksheet(wb, j->sheet) : NULL;
    if (!ws) {
        if (wb) workbook_close(wb);
        return err_set(e, 500, "internal", "cannot start the XLSX workbook");
    }
    lxw_format *head = workbook_add_format(wb), *date = workbook_add_format(wb);
    format_set_bold(head);
    format_set_bg_color(head, 0xDDE6F0);
    format_set_num_format(date, "yyyy-mm-dd");
    for (lxw_col_t k = 0; k < j->ncols; k++) {
        worksheet_set_column(ws, k, k, j->cols[k].width, NULL);
        worksheet_write_string(ws, 0, k, j->cols[k].heading, head);
    }
    worksheet_freeze_panes(ws, 1, 0);
    size_t i;
    json_t *row;
    json_array_foreach(j->rows, i, row)
    {
        for (lxw_col_t k = 0; k < j->ncols; k++)
            table_xlsx_cell(ws, date, (lxw_row_t)(i + 1), k, &j->cols[k],
                            json_object_get(row, j->cols[k].key));
    }
    lxw_error rc = workbook_close(wb);
    return rc == LXW_NO_ERROR ? 0
                              : err_set(e, 500, "internal", "cannot write the XLSX workbook: %s",
                                        lxw_strerror(rc));
}

int table_export(json_t *rows, const struct table_col *tcols, size_t n, const char *sheet,
                 enum item_export_format format, int *fd, uint64_t *size, struct err *e)
{
    struct export_job j = {.rows = rows, .cols = tcols, .ncols = n, .sheet = sheet};
    return export_run(&j, format, fd, size, e);
}
