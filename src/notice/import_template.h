/* import_template.h — the 任务分解表 template for imports (core/import.h),
 * as an .xlsx. */
#ifndef LUOSHI_NOTICE_IMPORT_TEMPLATE_H
#define LUOSHI_NOTICE_IMPORT_TEMPLATE_H

#include "util/buf.h"
#include "util/err.h"

/* The template's bytes appended to out: a merged title row, the header row
 * (序号 上级 任务名称 牵头单位 配合单位 完成时限 反馈周期 目标值 单位 说明),
 * no rows, and a sheet 填写说明.  0, or -1 with e (500: the temporary file
 * or the writer failed). */
int import_template_xlsx(struct buf *out, struct err *e);

#endif
