/* item_export.h — the item list (任务台账: GET /api/v1/items with every
 * filter of the board) as a file people open in a spreadsheet, written row
 * by row as core reads them (core/item.h's item_list_each) into a temporary
 * file, so 100,000 rows take no more memory than ten.
 *
 * CSV is UTF-8 with a byte-order mark (Excel reads the Chinese) through
 * util/csv.h (formula neutralisation); XLSX is libxlsxwriter's
 * constant_memory mode: column widths set, the header row frozen, deadlines
 * and creation times as dates, figures as numbers.  Both have the columns
 *   编号 事项 类型 状态 预警 牵头单位 期限 进度(%) 反馈周期 指标目标 指标当前值 指标单位 来源
 * 创建时间 with statuses, kinds and lights by their Chinese names (notice/export.h). Nothing here
 * reads the database itself. */
#ifndef LUOSHI_NOTICE_ITEM_EXPORT_H
#define LUOSHI_NOTICE_ITEM_EXPORT_H

#include <jansson.h>
#include <stdint.h>

#include "core/item.h"
#include "util/err.h"

enum item_export_format { ITEM_EXPORT_CSV, ITEM_EXPORT_XLSX };

/* The most rows one export holds (an XLSX sheet's rows less the header). */
#define ITEM_EXPORT_MAX 1048575

/* The header row of the CSV, without the BOM, ending in CRLF. */
extern const char item_export_csv_header[];

/* Write the items f selects for a in format into a new temporary file
 * under $TMPDIR (else /tmp), which is unlinked before returning: *fd is
 * open on it at offset 0 (the caller closes it) and *size its length.
 * 0, or -1 with e (the list's errors, 500 when the file cannot be
 * written). */
int item_export(struct db *db, const struct actor *a, const struct item_filter *f,
                enum item_export_format format, int *fd, uint64_t *size, struct err *e);

/* The inbox (core/inbox.h's inbox_json, borrowed) as one table: a row per
 * entry of every list of items, headed
 *   清单 编号 事项 类型 状态 预警 牵头单位 期限 进度(%) 说明
 * (说明: the text of the event that put it there).  Written and returned as
 * item_export does.  0, or -1 with e (500). */
int inbox_export(json_t *inbox, enum item_export_format format, int *fd, uint64_t *size,
                 struct err *e);

/* A column of a JSON table export: its heading, XLSX width, the key of each
 * row object it shows and how (text; an integer; a number; "YYYY-MM-DD…"
 * text shown as a date). */
enum table_col_type { TABLE_TEXT, TABLE_INT, TABLE_NUMBER, TABLE_DATE };
struct table_col {
    const char *heading;
    double width;
    const char *key;
    enum table_col_type type;
};

/* The array of objects rows (borrowed) as one table of the n columns tcols,
 * on an XLSX sheet named sheet; written and returned as item_export does
 * (a list already bounded in memory: the 考核 deductions).  0, or -1 with
 * e (500). */
int table_export(json_t *rows, const struct table_col *tcols, size_t n, const char *sheet,
                 enum item_export_format format, int *fd, uint64_t *size, struct err *e);

#endif
