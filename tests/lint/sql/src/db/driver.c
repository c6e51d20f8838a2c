/* driver.c — lint fixture: src/db is the facade, so none of this is an error. */
#include <libpq-fe.h>
#include <sqlite3.h>

#include "db/db.h"

int driver_run(struct db *db, const char *migration)
{
    sqlite3_exec(NULL, migration, NULL, NULL, NULL);
    return db_exec(db, migration) + PQstatus(NULL);
}
