/* deduction.h — reading the 考核 deductions ledger the scheduler writes
 * (core/scheduler.c records; people decide what the points mean).  Nothing
 * here writes: the ledger is read-only to people. */
#ifndef LUOSHI_CORE_DEDUCTION_H
#define LUOSHI_CORE_DEDUCTION_H

#include <jansson.h>
#include <stdint.h>

#include "core/core.h"
#include "db/db.h"

/* Parse "YYYY-MM" into the first day of that month and the first day of the
 * next (util/time.h day numbers).  0 ok, -1 when month is not such a month. */
int deduction_month_parse(const char *month, int32_t *first, int32_t *next);

/* The ledger as JSON, newest first, filtered by unit (0 = every unit) and by
 * month ("YYYY-MM" of the city-local day it was recorded, NULL or "" = every
 * month): {"deductions":[{"id","unit_id","unit_name","item_id","item_title",
 * "rule","ref","points","at","note"}],"totals":[{"unit_id","unit_name",
 * "count","points"}],"count","points"}, totals ordered by points (most
 * deducted first), then unit name.  NULL with e: 422 invalid_field for a bad
 * month, 5xx on a database error.  The caller owns the result. */
json_t *deduction_list_json(struct db *db, int64_t unit_id, const char *month, struct err *e);

#endif
