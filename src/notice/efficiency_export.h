/* efficiency_export.h — a year's 亩均效益评价 results (core/efficiency.h's
 * efficiency_results_json) as files: CSV (UTF-8 with a byte-order mark,
 * util/csv.h) and XLSX (libxlsxwriter), one row per enterprise in the
 * results' order.  Nothing here reads the database.
 *
 * Columns: 市排名 镇街排名 统一社会信用代码 企业名称 镇街 组别 用地面积（亩）
 * 得分 类别 政策, then each indicator's points (empty where the track has
 * none): 亩均税收 亩均增加值 单位能耗增加值 单位排放增加值 全员劳动生产率
 * 研发经费占比 单位电耗税收. */
#ifndef LUOSHI_NOTICE_EFFICIENCY_EXPORT_H
#define LUOSHI_NOTICE_EFFICIENCY_EXPORT_H

#include <jansson.h>

#include "util/buf.h"
#include "util/err.h"

/* Append v's results as CSV to out, BOM first.  0, or -1 when out's
 * maximum was reached. */
int efficiency_export_csv(json_t *v, struct buf *out);

/* Append v's results as an XLSX workbook to out (assembled in a temporary
 * file removed before returning).  0, or -1 with e (500). */
int efficiency_export_xlsx(json_t *v, struct buf *out, struct err *e);

#endif
