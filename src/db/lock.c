/* lock.c — advisory locks for periodic jobs, so that with several instances
 * on one PostgreSQL a job runs on one of them at a time.  See db.h.
 *
 * PostgreSQL: session advisory locks, which the server drops by itself when
 * the holding connection ends (a crashed instance cannot keep a job locked).
 * They stack: a session that takes a lock twice must give it back twice,
 * hence the strict try → run → unlock contract of db.h.  SQLite: one file is
 * served by one instance, so the lock is always granted.  The migration lock
 * (same mechanism, a reserved key) lives in migrate.c. */
#include "db/db.h"

int db_try_job_lock(struct db *db, int64_t key)
{
    if (db_kind(db) != DB_PG) return 1;
    int64_t got = 0;
    int rc = db_query_int64(db, "SELECT pg_try_advisory_lock(?1)", 1, key, &got);
    if (rc != DB_OK) return rc == DB_DONE ? DB_ERR : rc;
    return got ? 1 : 0;
}

int db_job_unlock(struct db *db, int64_t key)
{
    if (db_kind(db) != DB_PG) return DB_OK;
    int64_t released = 0;
    int rc = db_query_int64(db, "SELECT pg_advisory_unlock(?1)", 1, key, &released);
    if (rc != DB_OK) return rc == DB_DONE ? DB_ERR : rc;
    return released ? DB_OK : DB_ERR; /* not held: a programming error, or the session ended */
}
