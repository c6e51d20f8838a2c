/* kind_remediation.c — the remediation (低效用地整治, DESIGN.md "Land
 * efficiency"): one per C/D enterprise of a finalized year, led by its town,
 * with the land to free or upgrade as its metric (亩).  Not built yet: the
 * row makes the name valid and POST /items answers 422 unsupported_kind.
 * When it is built, this file gets its table and its create field
 * (enterprise_unit_id) and, when the enterprise should see its own, its
 * visibility. */
#include "core/kind.h"

const struct kind kind_remediation = {
    .name = "remediation",
    .label_zh = "整治",
    .label_en = "Remediation",
};
