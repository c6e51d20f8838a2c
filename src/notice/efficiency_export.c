/* efficiency_export.c — a year's 亩均 results as CSV and XLSX (see
 * efficiency_export.h).  Figures are numbers, never text; every text cell
 * of the CSV passes util/csv.h's formula guard. */
#include "notice/efficiency_export.h"

#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "util/csv.h"
#include "util/file.h"

static const char *const head[] = {"市排名",         "镇街排名",       "统一社会信用代码",
                                   "企业名称",       "镇街",           "组别",
                                   "用地面积（亩）", "得分",           "类别",
                                   "政策",           "亩均税收",       "亩均增加值",
                                   "单位能耗增加值", "单位排放增加值", "全员劳动生产率",
                                   "研发经费占比",   "单位电耗税收"};
static const char *const keys[] = {"tax_per_mu",   "va_per_mu", "va_per_energy", "va_per_emission",
                                   "productivity", "rd_ratio",  "tax_per_mwh"};
#define NHEAD (sizeof head / sizeof head[0])
#define NKEYS (sizeof keys / sizeof keys[0])

static const char *str(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

static const char *track_zh(const char *t)
{
    return !strcmp(t, "above") ? "规上" : !strcmp(t, "below") ? "规下" : "规下（3亩以下）";
}

/* The points of indicator k of row r, or NULL when its track has none. */
static json_t *points(json_t *r, size_t k)
{
    return json_object_get(json_object_get(json_object_get(r, "indicators"), keys[k]), "points");
}

int efficiency_export_csv(json_t *v, struct buf *out)
{
    struct csv c;
    size_t i;
    json_t *r;
    csv_init(&c, out);
    buf_puts(out, "\xEF\xBB\xBF");
    for (size_t k = 0; k < NHEAD; k++)
        csv_text(&c, head[k]);
    csv_row_end(&c);
    json_array_foreach(json_object_get(v, "results"), i, r)
    {
        csv_int(&c, json_integer_value(json_object_get(r, "rank_city")));
        csv_int(&c, json_integer_value(json_object_get(r, "rank_town")));
        csv_text(&c, str(r, "credit_code"));
        csv_text(&c, str(r, "name"));
        csv_text(&c, str(r, "town_name"));
        csv_text(&c, track_zh(str(r, "track")));
        csv_number(&c, json_number_value(json_object_get(r, "land_mu")));
        csv_fixed(&c, json_number_value(json_object_get(r, "score")), 2);
        csv_text(&c, str(r, "class"));
        csv_text(&c, str(r, "label"));
        for (size_t k = 0; k < NKEYS; k++) {
            json_t *p = points(r, k);
            if (p)
                csv_fixed(&c, json_number_value(p), 2);
            else
                csv_empty(&c);
        }
        if (csv_row_end(&c)) return -1;
    }
    return 0;
}

static void xlsx_row(lxw_worksheet *ws, lxw_row_t n, json_t *r)
{
    worksheet_write_number(ws, n, 0, (double)json_integer_value(json_object_get(r, "rank_city")),
                           NULL);
    worksheet_write_number(ws, n, 1, (double)json_integer_value(json_object_get(r, "rank_town")),
                           NULL);
    worksheet_write_string(ws, n, 2, str(r, "credit_code"), NULL);
    worksheet_write_string(ws, n, 3, str(r, "name"), NULL);
    worksheet_write_string(ws, n, 4, str(r, "town_name"), NULL);
    worksheet_write_string(ws, n, 5, track_zh(str(r, "track")), NULL);
    worksheet_write_number(ws, n, 6, json_number_value(json_object_get(r, "land_mu")), NULL);
    worksheet_write_number(ws, n, 7, json_number_value(json_object_get(r, "score")), NULL);
    worksheet_write_string(ws, n, 8, str(r, "class"), NULL);
    worksheet_write_string(ws, n, 9, str(r, "label"), NULL);
    for (size_t k = 0; k < NKEYS; k++) {
        json_t *p = points(r, k);
        if (p) worksheet_write_number(ws, n, (lxw_col_t)(10 + k), json_number_value(p), NULL);
    }
}

int efficiency_export_xlsx(json_t *v, struct buf *out, struct err *e)
{
    char path[512];
    size_t i;
    json_t *r;
    if (file_temp("luoshi-efficiency", path, sizeof path, e)) return -1;
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *ws = wb ? workbook_add_worksheet(wb, "亩均效益评价") : NULL;
    if (!ws) {
        if (wb) workbook_close(wb);
        unlink(path);
        return err_set(e, 500, "internal", "cannot start the XLSX workbook");
    }
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    for (size_t k = 0; k < NHEAD; k++) {
        worksheet_set_column(ws, (lxw_col_t)k, (lxw_col_t)k, k == 2 || k == 3 ? 24 : 12, NULL);
        worksheet_write_string(ws, 0, (lxw_col_t)k, head[k], bold);
    }
    worksheet_freeze_panes(ws, 1, 0);
    json_array_foreach(json_object_get(v, "results"), i, r) xlsx_row(ws, (lxw_row_t)(i + 1), r);
    lxw_error rc = workbook_close(wb);
    int ret = 0;
    struct err re = {0};
    if (rc != LXW_NO_ERROR || file_read(path, 0, out, &re))
        ret = err_set(e, 500, "internal", "cannot write the XLSX workbook: %s",
                      rc != LXW_NO_ERROR ? lxw_strerror(rc) : re.message);
    unlink(path);
    return ret;
}
