/* query.c — lint fixture: SQL that keeps every rule (literals, adjacent
 * literals, macros that stand for literals) and includes core may make. */
#include <stdint.h>

#include "core/query.h"
#include "db/db.h"
#include "intake/intake.h"
#include "util/buf.h"

#define COLS          "id, title"
#define FROM_ITEMS    " FROM items"
#define BY_ID(p)      " WHERE id = " p
#define ORDERED(what) what " ORDER BY id"

int query_title(struct db *db, int64_t id)
{
    struct db_stmt *st = db_prepare(db, "SELECT " COLS FROM_ITEMS BY_ID("?1"));
    db_bind_int64(st, 1, id);
    int rc = db_step(st);
    db_finalize(st);
    return rc;
}

int query_count(struct db *db, int64_t *n)
{
    if (db_exec(db, "PRAGMA foreign_keys = ON") != DB_OK) return -1;
    return db_query_int64(db, ORDERED("SELECT count(*)" FROM_ITEMS), 0, 0, n);
}
