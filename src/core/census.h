/* census.h — what a database holds, counted: the units, users and items,
 * the items read from meetings, and the first item's id.  For summaries
 * such as `luoshi init --demo`'s (cli/demo.c), which must not run SQL of
 * their own. */
#ifndef LUOSHI_CORE_CENSUS_H
#define LUOSHI_CORE_CENSUS_H

#include <stdint.h>

#include "core/core.h"
#include "db/db.h"

struct census {
    int64_t units, users, items;
    int64_t meeting_items; /* items made from a meeting (items.meeting_id set) */
    int64_t first_item;    /* the smallest item id, 0 when there is none */
};

/* Count into c.  0, or -1 with e. */
int census_take(struct db *db, struct census *c, struct err *e);

#endif
