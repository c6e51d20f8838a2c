/* migrate.c — numbered schema migrations, compiled into the binary.
 *
 * Files src/db/sql/<driver>/NNN_name.sql are embedded at build time; the
 * number is the schema version.  db_migrate() applies, in order and each in
 * its own transaction, every file newer than the database, recording it in
 * schema_migrations.  A database newer than the binary is refused untouched:
 * an old binary must not write into a schema it does not understand.
 *
 * Several instances may start at once on one PostgreSQL: the check and the
 * migrations then run under a session advisory lock (MIGRATE_LOCK), so one
 * instance migrates while the others wait and then find nothing to do.
 * SQLite needs no lock: its write transactions already exclude each other. */
#include <stdio.h>
#include <string.h>

#include "db/driver.h"
#include "util/embedded.h"
#include "util/time.h"

static const char *migrate_dir(enum db_kind kind)
{
    return kind == DB_PG ? "src/db/sql/pg/" : "src/db/sql/sqlite/";
}

/* The version number of an embedded migration in dir, or -1 if it is not one. */
static int migrate_version(const struct embedded_file *f, const char *dir)
{
    size_t dl = strlen(dir);
    if (strncmp(f->name, dir, dl) != 0) return -1;
    const char *p = f->name + dl;
    int v = 0, n = 0;
    for (; *p >= '0' && *p <= '9'; p++, n++)
        v = v * 10 + (*p - '0');
    return n == 3 && *p == '_' ? v : -1;
}

int db_schema_known(enum db_kind kind)
{
    int max = 0;
    for (size_t i = 0; i < embedded_count; i++) {
        int v = migrate_version(&embedded_files[i], migrate_dir(kind));
        if (v > max) max = v;
    }
    return max;
}

/* The advisory lock key of migrations: 1 << 62 (the range db.h reserves for
 * luoshi's own locks) | "luoshi" in ASCII (0x6c756f736869).  Session locks
 * stack, so db_migrate may hold it while db_schema_version takes it again. */
#define MIGRATE_LOCK "4611805270064195689"

static int migrate_lock(struct db *db)
{
    if (db_kind(db) != DB_PG) return DB_OK;
    return db_exec(db, "SELECT pg_advisory_lock(" MIGRATE_LOCK ")");
}

static void migrate_unlock(struct db *db)
{
    if (db_kind(db) == DB_PG) db_exec(db, "SELECT pg_advisory_unlock(" MIGRATE_LOCK ")");
}

int db_schema_version(struct db *db)
{
    int64_t v = 0;
    /* two first starts at once would race to create the table */
    if (migrate_lock(db) != DB_OK) return -1;
    int rc =
        db_exec(db, "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY,"
                    " name TEXT NOT NULL, applied_at BIGINT NOT NULL)");
    migrate_unlock(db);
    if (rc != DB_OK) return -1;
    if (db_query_int64(db, "SELECT coalesce(max(version), 0) FROM schema_migrations", 0, 0, &v) !=
        DB_OK)
        return -1;
    return (int)v;
}

static int migrate_one(struct db *db, const struct embedded_file *f, int v, char *err,
                       size_t errlen)
{
    if (db_begin(db) != DB_OK || db_exec(db, (const char *)f->data) != DB_OK) goto fail;
    struct db_stmt *st = db_prepare(
        db, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)");
    if (!st) goto fail;
    db_bind_int64(st, 1, v);
    db_bind_text(st, 2, f->name, (size_t)-1);
    db_bind_int64(st, 3, time_now_ms());
    int rc = db_step(st);
    db_finalize(st);
    if (rc != DB_DONE || db_commit(db) != DB_OK) goto fail;
    return DB_OK;
fail:
    snprintf(err, errlen, "migration %s failed: %s", f->name, db_errmsg(db));
    db_rollback(db);
    return DB_ERR;
}

static int migrate_locked(struct db *db, int *applied, char *err, size_t errlen);

int db_migrate(struct db *db, int *applied, char *err, size_t errlen)
{
    *applied = 0;
    if (migrate_lock(db) != DB_OK) {
        snprintf(err, errlen, "cannot take the migration lock: %s", db_errmsg(db));
        return DB_ERR;
    }
    int rc = migrate_locked(db, applied, err, errlen);
    migrate_unlock(db);
    return rc;
}

static int migrate_locked(struct db *db, int *applied, char *err, size_t errlen)
{
    int have = db_schema_version(db);
    if (have < 0) {
        snprintf(err, errlen, "cannot read the schema version: %s", db_errmsg(db));
        return DB_ERR;
    }
    int known = db_schema_known(db_kind(db));
    if (have > known) {
        snprintf(err, errlen,
                 "the database has schema version %d but this luoshi knows only up to %d; "
                 "use a newer luoshi",
                 have, known);
        return DB_ERR;
    }
    const char *dir = migrate_dir(db_kind(db));
    for (int want = have + 1; want <= known; want++) {
        for (size_t i = 0; i < embedded_count; i++) {
            if (migrate_version(&embedded_files[i], dir) != want) continue;
            if (migrate_one(db, &embedded_files[i], want, err, errlen) != DB_OK) return DB_ERR;
            (*applied)++;
        }
    }
    return DB_OK;
}
