/* export.h — the project list (项目清单, core/plan.h) as files people open
 * in a spreadsheet: CSV (UTF-8 with a byte-order mark, so Excel reads the
 * Chinese) and XLSX (libxlsxwriter: column widths set, progress and metric
 * figures as numbers, deadlines as dates, titles indented by level).
 *
 * Both have the same columns, headed in Chinese:
 *   序号 事项 类型 状态 预警 牵头单位 配合单位 期限 进度(%) 指标目标 指标当前值 指标单位
 * Statuses, kinds and lights are written as their Chinese names.  Nothing
 * here reads the database. */
#ifndef LUOSHI_NOTICE_EXPORT_H
#define LUOSHI_NOTICE_EXPORT_H

#include "core/plan.h"
#include "util/buf.h"
#include "util/err.h"

/* The header row of the CSV, without the BOM, ending in CRLF. */
extern const char export_csv_header[];

/* Append the plan as CSV (util/csv.h: RFC 4180, and a text that a
 * spreadsheet would take for a formula, starting with = + - @ tab or CR,
 * gets a leading apostrophe) to out, BOM first.  0, or -1 when out's
 * maximum was reached. */
int export_plan_csv(const struct plan *p, struct buf *out);

/* Append the plan as an XLSX workbook (one sheet, 项目清单) to out.  The
 * workbook is assembled in a temporary file under $TMPDIR (else /tmp) that
 * is removed before returning.  0, or -1 with e (500) when the file cannot
 * be written. */
int export_plan_xlsx(const struct plan *p, struct buf *out, struct err *e);

/* The Chinese names of a status, kind and light (the code itself when unknown). */
const char *export_status_zh(const char *status);
const char *export_kind_zh(const char *kind);
const char *export_light_zh(const char *light);

#endif
