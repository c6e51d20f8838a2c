/* assessment_export.h — the yearly 考核 (core/assessment.h) as files people
 * open in a spreadsheet, as the project list and the notices are: CSV (UTF-8
 * with a byte-order mark; util/csv.h) of the ranking, and XLSX (libxlsxwriter)
 * with two sheets, 考核排名 (the ranking) and 考核明细 (every entry with its
 * unit, item and reason).  Both read assessment_json's output; nothing here
 * reads the database.
 *
 * Ranking columns: 名次 单位 类别 基础分 扣分 加分 领导评价 得分
 * Entry columns:   单位 日期 项目 分值 事项编号 事项 说明 记录人 */
#ifndef LUOSHI_NOTICE_ASSESSMENT_EXPORT_H
#define LUOSHI_NOTICE_ASSESSMENT_EXPORT_H

#include <jansson.h>

#include "util/buf.h"
#include "util/err.h"

/* Append the ranking of v (assessment_json's object) as CSV to out, BOM
 * first.  0, or -1 when out's maximum was reached. */
int assessment_export_csv(json_t *v, struct buf *out);

/* Append v as an XLSX workbook to out (assembled in a temporary file that is
 * removed before returning).  0, or -1 with e (500). */
int assessment_export_xlsx(json_t *v, struct buf *out, struct err *e);

#endif
