/* assessment_export.c — the yearly 考核 as CSV and XLSX (see
 * assessment_export.h).  The figures are written as numbers, never as text,
 * and every text cell of the CSV passes util/csv.h's formula guard. */
#include "notice/assessment_export.h"

#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "core/assessment.h"
#include "util/csv.h"
#include "util/file.h"

static const char *const rank_head[] = {"名次", "单位", "类别",     "基础分",
                                        "扣分", "加分", "领导评价", "得分"};
static const char *const entry_head[] = {"单位",     "日期", "项目", "分值",
                                         "事项编号", "事项", "说明", "记录人"};
#define NRANK  (sizeof rank_head / sizeof rank_head[0])
#define NENTRY (sizeof entry_head / sizeof entry_head[0])
static const char *const sums[] = {"base", "deducted", "added", "evaluation", "score"};

static const char *unit_kind_zh(const char *kind)
{
    return !strcmp(kind, "department") ? "部门" : !strcmp(kind, "taskforce") ? "专班" : "镇街";
}

static const char *str(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

int assessment_export_csv(json_t *v, struct buf *out)
{
    struct csv c;
    size_t i;
    json_t *u;
    csv_init(&c, out);
    buf_puts(out, "\xEF\xBB\xBF");
    for (size_t k = 0; k < NRANK; k++)
        csv_text(&c, rank_head[k]);
    csv_row_end(&c);
    json_array_foreach(json_object_get(v, "units"), i, u)
    {
        csv_int(&c, json_integer_value(json_object_get(u, "rank")));
        csv_text(&c, str(u, "unit_name"));
        csv_text(&c, unit_kind_zh(str(u, "unit_kind")));
        for (size_t k = 0; k < sizeof sums / sizeof sums[0]; k++)
            csv_number(&c, json_number_value(json_object_get(u, sums[k])));
        if (csv_row_end(&c)) return -1;
    }
    return 0;
}

static void heads(lxw_worksheet *ws, const char *const *h, size_t n, lxw_format *f)
{
    for (size_t k = 0; k < n; k++) {
        worksheet_set_column(ws, (lxw_col_t)k, (lxw_col_t)k, k == 5 || k == 6 ? 36 : 12, NULL);
        worksheet_write_string(ws, 0, (lxw_col_t)k, h[k], f);
    }
    worksheet_freeze_panes(ws, 1, 0);
}

static void rank_rows(lxw_worksheet *ws, json_t *v)
{
    size_t i;
    json_t *u;
    json_array_foreach(json_object_get(v, "units"), i, u)
    {
        lxw_row_t r = (lxw_row_t)(i + 1);
        worksheet_write_number(ws, r, 0, (double)json_integer_value(json_object_get(u, "rank")),
                               NULL);
        worksheet_write_string(ws, r, 1, str(u, "unit_name"), NULL);
        worksheet_write_string(ws, r, 2, unit_kind_zh(str(u, "unit_kind")), NULL);
        for (size_t k = 0; k < sizeof sums / sizeof sums[0]; k++)
            worksheet_write_number(ws, r, (lxw_col_t)(3 + k),
                                   json_number_value(json_object_get(u, sums[k])), NULL);
    }
}

static void entry_rows(lxw_worksheet *ws, json_t *v)
{
    size_t i, k;
    json_t *u, *en;
    lxw_row_t r = 1;
    json_array_foreach(json_object_get(v, "units"), i, u)
    {
        json_array_foreach(json_object_get(u, "entries"), k, en)
        {
            char day[11] = "";
            strncat(day, str(en, "at"), 10);
            worksheet_write_string(ws, r, 0, str(u, "unit_name"), NULL);
            worksheet_write_string(ws, r, 1, day, NULL);
            worksheet_write_string(ws, r, 2, assessment_label_zh(str(en, "rule")), NULL);
            worksheet_write_number(ws, r, 3, json_number_value(json_object_get(en, "points")),
                                   NULL);
            json_t *item = json_object_get(en, "item_id");
            if (json_is_integer(item))
                worksheet_write_number(ws, r, 4, (double)json_integer_value(item), NULL);
            if (*str(en, "item_title"))
                worksheet_write_string(ws, r, 5, str(en, "item_title"), NULL);
            if (*str(en, "reason")) worksheet_write_string(ws, r, 6, str(en, "reason"), NULL);
            if (*str(en, "actor")) worksheet_write_string(ws, r, 7, str(en, "actor"), NULL);
            r++;
        }
    }
}

int assessment_export_xlsx(json_t *v, struct buf *out, struct err *e)
{
    char path[512];
    if (file_temp("luoshi-assessment", path, sizeof path, e)) return -1;
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *ranks = wb ? workbook_add_worksheet(wb, "考核排名") : NULL;
    lxw_worksheet *entries = ranks ? workbook_add_worksheet(wb, "考核明细") : NULL;
    if (!entries) {
        if (wb) workbook_close(wb);
        unlink(path);
        return err_set(e, 500, "internal", "cannot start the XLSX workbook");
    }
    lxw_format *head = workbook_add_format(wb);
    format_set_bold(head);
    format_set_bg_color(head, 0xDDE6F0);
    heads(ranks, rank_head, NRANK, head);
    heads(entries, entry_head, NENTRY, head);
    rank_rows(ranks, v);
    entry_rows(entries, v);
    lxw_error rc = workbook_close(wb);
    int ret = 0;
    struct err re = {0};
    if (rc != LXW_NO_ERROR || file_read(path, 0, out, &re))
        ret = err_set(e, 500, "internal", "cannot write the XLSX workbook: %s",
                      rc != LXW_NO_ERROR ? lxw_strerror(rc) : re.message);
    unlink(path);
    return ret;
}
