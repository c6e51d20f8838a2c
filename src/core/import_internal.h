/* import_internal.h — what import.c (reading a sheet's rows) and
 * import_store.c (parents, storing, JSON) share.  Nothing outside those two
 * files includes this header. */
#ifndef LUOSHI_CORE_IMPORT_INTERNAL_H
#define LUOSHI_CORE_IMPORT_INTERNAL_H

#include "core/calendar.h"
#include "core/import.h"

/* What checking the rows reads once. */
struct import_ctx {
    struct calendar cal;
    int cal_loaded;
};

/* Note a problem of row's column f (value copied, cut). */
void import_problem(struct import_plan *p, size_t row, enum import_field f, const char *code,
                    const char *value);
/* Row r's deadline (a date or N working days from today) into r->in, or a
 * problem.  DB_OK or a negative db code. */
int import_deadline(struct db *db, struct import_ctx *cx, struct import_row *r,
                    struct import_plan *p);
/* Row r's lead unit, co-units and responsible leader (责任领导) into r->in, or problems.  DB_OK or
 * a negative db code. */
int import_units(struct db *db, struct import_row *r, struct import_plan *p);
/* Row r's title, cycle, metric and description into r->in, or problems. */
void import_values(struct import_plan *p, struct import_row *r);
/* Check every row of p (values, units, deadlines, parents, duplicates),
 * noting its problems, sorted by row and column.  0, or -1 with e on a
 * storage error. */
int import_check(struct db *db, struct import_plan *p, struct err *e);

#endif
