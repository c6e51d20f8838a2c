/* efficiency_internal.h — what efficiency.c and efficiency_data.c share and
 * nothing else sees. */
#ifndef LUOSHI_CORE_EFFICIENCY_INTERNAL_H
#define LUOSHI_CORE_EFFICIENCY_INTERNAL_H

#include <jansson.h>

#include "core/efficiency.h"

/* Append a row to efficiency_log: year, now, a's name, action and detail
 * (stolen).  0, or -1 with e. */
int efficiency_log(struct db *db, const struct actor *a, int year, const char *action,
                   json_t *detail, struct err *e);
/* 0 when year's data and config may still change (open or evaluated), or
 * -1 with e (409 efficiency_frozen, or storage). */
int efficiency_check_open(struct db *db, int year, struct err *e);

#endif
