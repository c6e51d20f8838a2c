/* pg.c — the PostgreSQL driver.  Not written yet: opening a postgres:// target
 * fails with a clear message until it is. */
#include <stdio.h>

#include "db/driver.h"

static void *pg_open(const char *target, int flags, char *err, size_t errlen)
{
    (void)target, (void)flags;
    snprintf(err, errlen, "this build has no PostgreSQL driver yet");
    return NULL;
}

const struct db_driver db_pg_driver = {
    .kind = DB_PG,
    .begin_sql = "BEGIN",
    .open = pg_open,
};
