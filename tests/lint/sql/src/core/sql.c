/* sql.c — lint fixture: each call below breaks rule sql once (so does RUN_IT), but the last
 * db_prepare: macros of literals nest. */
#include <sqlite3.h>

#include "db/db.h"

#define TABLE    table_name
#define BY(col)  " WHERE " col " = ?1"
#define BY_TABLE BY(TABLE)
#define RUN_IT   db_exec(db, sql_text)

int sql_all(struct db *db, const char *sql, const char *col)
{
    struct db_stmt *st = db_prepare(db, sql);
    db_finalize(st);
    db_exec(db, TABLE);
    db_query_int64(db, "SELECT count(*) FROM items" BY(col), 0, 0, NULL);
    db_prepare(db, col ? "SELECT 1" : "SELECT 2");
    sqlite3_exec(NULL, "SELECT 1", NULL, NULL, NULL);
    db_prepare(db, "SELECT 1" BY_TABLE);
    db_prepare(db, "SELECT 1" BY("id") BY(BY("x")));
    return PQstatus(NULL);
}
