/* import_template.c — /import/template.xlsx: the 任务分解表 the import reads
 * (core/import.h), written with libxlsxwriter: a merged title row, the
 * header row in zh-CN with the columns' widths, frozen under the header,
 * and a second sheet 填写说明 saying what each column takes.  No rows: the
 * office fills them in (an unchanged template imports as import_empty). */
#include <unistd.h>
#include <xlsxwriter.h>

#include "notice/import_template.h"
#include "util/file.h"

static const struct {
    const char *head, *help;
    double width;
} cols[] = {
    {"序号", "大纲号：1、1.1、1.1.1（上级由序号推出）", 8},
    {"上级", "可选：上级的序号，或“第N行”", 8},
    {"任务名称", "必填，200 字以内", 40},
    {"牵头单位", "必填：单位名称或代码", 20},
    {"配合单位", "可选：多个单位用顿号“、”分隔", 24},
    {"完成时限", "日期（2025-06-30）或“N个工作日”", 14},
    {"反馈周期", "每周、每两周、每月、每季度或无", 10},
    {"目标值", "可选：数字", 10},
    {"单位", "目标值的单位（亩、万元、%）", 8},
    {"说明", "可选：任务内容", 40},
};
#define NCOLS (sizeof cols / sizeof cols[0])

/* The two sheets into wb. */
static void template_fill(lxw_workbook *wb)
{
    lxw_worksheet *ws = workbook_add_worksheet(wb, "任务分解表");
    lxw_worksheet *help = workbook_add_worksheet(wb, "填写说明");
    lxw_format *title = workbook_add_format(wb), *head = workbook_add_format(wb);
    format_set_bold(title);
    format_set_font_size(title, 14);
    format_set_align(title, LXW_ALIGN_CENTER);
    format_set_bold(head);
    format_set_bg_color(head, 0xDDEBF7);
    format_set_border(head, LXW_BORDER_THIN);
    worksheet_merge_range(ws, 0, 0, 0, (lxw_col_t)(NCOLS - 1), "任务分解表", title);
    worksheet_write_string(help, 0, 0, "列", head);
    worksheet_write_string(help, 0, 1, "填写要求", head);
    worksheet_set_column(help, 0, 0, 12, NULL);
    worksheet_set_column(help, 1, 1, 50, NULL);
    for (lxw_col_t c = 0; c < NCOLS; c++) {
        worksheet_set_column(ws, c, c, cols[c].width, NULL);
        worksheet_write_string(ws, 1, c, cols[c].head, head);
        worksheet_write_string(help, (lxw_row_t)(c + 1), 0, cols[c].head, NULL);
        worksheet_write_string(help, (lxw_row_t)(c + 1), 1, cols[c].help, NULL);
    }
    worksheet_freeze_panes(ws, 2, 0);
}

int import_template_xlsx(struct buf *out, struct err *e)
{
    char path[512];
    if (file_temp("luoshi-template", path, sizeof path, e)) return -1;
    lxw_workbook *wb = workbook_new(path);
    if (!wb) {
        unlink(path);
        return err_set(e, 500, "internal", "cannot start the XLSX workbook");
    }
    template_fill(wb);
    lxw_error rc = workbook_close(wb);
    struct err re = {0};
    int ret = 0;
    if (rc != LXW_NO_ERROR || file_read(path, 0, out, &re))
        ret = err_set(e, 500, "internal", "cannot write the XLSX workbook: %s",
                      rc != LXW_NO_ERROR ? lxw_strerror(rc) : re.message);
    unlink(path);
    return ret;
}
