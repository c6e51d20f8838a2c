/* census.c — counting what a database holds.  See census.h. */
#include "core/census.h"

#include <string.h>

int census_take(struct db *db, struct census *c, struct err *e)
{
    memset(c, 0, sizeof *c);
    struct db_stmt *st =
        db_prepare(db, "SELECT (SELECT count(*) FROM units), (SELECT count(*) FROM users),"
                       " (SELECT count(*) FROM items),"
                       " (SELECT count(*) FROM items WHERE meeting_id IS NOT NULL),"
                       " (SELECT coalesce(min(id), 0) FROM items)");
    if (!st) return err_db(e, DB_ERR, "counting the database");
    int rc = db_step(st);
    if (rc == DB_ROW) {
        c->units = db_column_int64(st, 0);
        c->users = db_column_int64(st, 1);
        c->items = db_column_int64(st, 2);
        c->meeting_items = db_column_int64(st, 3);
        c->first_item = db_column_int64(st, 4);
    }
    db_finalize(st);
    return rc == DB_ROW ? 0 : err_db(e, rc == DB_DONE ? DB_ERR : rc, "counting the database");
}
