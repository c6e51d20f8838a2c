/* sqlite.c — the SQLite driver: one file, WAL, synchronous=FULL, foreign keys
 * on, a busy timeout, and SQLite's result codes mapped to db.h's.  Also the
 * online backup.  Nothing outside src/db/ sees sqlite3.h. */
#include <pthread.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "db/driver.h"
#include "util/mem.h"

/* Before SQLite's first use: no memory statistics.  With them (Debian's
 * default) every allocation SQLite makes takes one process-wide mutex, and
 * a long read on one thread (a notice over the whole city) stalled every
 * other request thread behind it (bench/README.md). */
static pthread_once_t sq_once = PTHREAD_ONCE_INIT;

static void sq_configure(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/* How a connection waits for a lock another holds: it tries again every
 * 0.1 ms for the first 10 ms, then every millisecond up to 100 ms, then
 * every 10 ms, for at most the timeout in ms (arg).  SQLite's own steps (1,
 * 2, 5, 10, 15, 20, 25 ms...) made a wait for a lock freed 0.2 ms later
 * last a millisecond and often several: the pool's checkpointer holds the
 * writer while it waits for readers that finish in a fraction of one
 * (pool.c). */
static int sq_busy(void *arg, int n)
{
    long limit = (long)(intptr_t)arg * 1000L, waited, step;
    if (n < 100)
        waited = n * 100L, step = 100;
    else if (n < 190)
        waited = 10000L + (n - 100) * 1000L, step = 1000;
    else
        waited = 100000L + (long)(n - 190) * 10000L, step = 10000;
    if (waited >= limit) return 0;
    usleep((useconds_t)step);
    return 1;
}

static void *sq_open(const char *target, int flags, char *err, size_t errlen)
{
    pthread_once(&sq_once, sq_configure);
    sqlite3 *h = NULL;
    int oflags = SQLITE_OPEN_NOMUTEX;
    if (flags & DB_OPEN_READONLY)
        oflags |= SQLITE_OPEN_READONLY;
    else
        oflags |= SQLITE_OPEN_READWRITE | ((flags & DB_OPEN_CREATE) ? SQLITE_OPEN_CREATE : 0);
    int rc = sqlite3_open_v2(target, &h, oflags, NULL);
    if (rc != SQLITE_OK) {
        if (rc == SQLITE_CANTOPEN && !(flags & DB_OPEN_CREATE))
            snprintf(err, errlen, "cannot open database %s (does it exist? run `luoshi init`)",
                     target);
        else
            snprintf(err, errlen, "cannot open database %s: %s", target,
                     h ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
        sqlite3_close(h);
        return NULL;
    }
    sqlite3_busy_handler(h, sq_busy, (void *)(intptr_t)10000);
    sqlite3_extended_result_codes(h, 1);
    /* mmap_size: pages are read straight from the operating system's cache
     * instead of copied into each connection's own (a city-wide notice reads
     * hundreds of megabytes; the copies were half its time).  Writes still go
     * through the WAL; the mapping is address space, not memory.
     * temp_store: a statement that fires triggers inside a transaction keeps
     * a statement journal, which past 64 KiB went to a file in /var/tmp — a
     * few hundred writes for every item created (bench/README.md).
     * journal_size_limit: a WAL that had to grow is cut back to 64 MiB when
     * it starts over (pool.c's checkpointer empties it whenever it can). */
    const char *setup = (flags & DB_OPEN_READONLY)
                            ? "PRAGMA foreign_keys=ON; PRAGMA mmap_size=4294967296;"
                            : "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                              "PRAGMA foreign_keys=ON; PRAGMA mmap_size=4294967296;"
                              "PRAGMA temp_store=MEMORY; PRAGMA journal_size_limit=67108864;";
    char *msg = NULL;
    if (sqlite3_exec(h, setup, NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(err, errlen, "cannot set up database %s: %s", target, msg ? msg : "?");
        sqlite3_free(msg);
        sqlite3_close(h);
        return NULL;
    }
    /* a database file that is not SQLite shows up here, not at open */
    if (sqlite3_exec(h, "SELECT count(*) FROM sqlite_schema", NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(err, errlen, "cannot read database %s: %s", target, msg ? msg : "?");
        sqlite3_free(msg);
        sqlite3_close(h);
        return NULL;
    }
    return h;
}

void db_busy_timeout(struct db *db, int ms)
{
    if (db_kind(db) == DB_SQLITE) sqlite3_busy_handler(db->impl, sq_busy, (void *)(intptr_t)ms);
}

static void sq_close(void *impl)
{
    sqlite3_close(impl);
}

static int sq_alive(void *impl)
{
    (void)impl;
    return 1;
}

static int sq_code(int rc)
{
    switch (rc) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
        return DB_UNIQUE;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return DB_RETRY;
    }
    if ((rc & 0xff) == SQLITE_CONSTRAINT) return DB_CONSTRAINT;
    if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED) return DB_RETRY;
    return DB_ERR;
}

static void *sq_prepare(struct db *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v3(db->impl, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
        db_set_error(db, "prepare failed: %s (in: %.200s)", sqlite3_errmsg(db->impl), sql);
        return NULL;
    }
    return st;
}

/* ---- the text index at commit (migration 033) ----
 * The triggers on items note what the text index must take in or out in
 * items_fts_pending; these move it into items_fts in order and empty the
 * table: just before each COMMIT (db_commit), and after a write made
 * outside any transaction (in a transaction of its own, when the statement
 * is reset or an exec wrote).  Written once per transaction, the index
 * writes one segment per batch, where per row every savepoint of the batch
 * wrote one. */
#define FTS_WAITING "SELECT 1 FROM items_fts_pending LIMIT 1"
#define FTS_INDEX                                                                                  \
    "INSERT INTO items_fts (items_fts, rowid, title, description)"                                 \
    " SELECT command, item_id, title, description FROM items_fts_pending ORDER BY seq"
#define FTS_EMPTY "DELETE FROM items_fts_pending"

static _Thread_local int sq_moving; /* inside a move: its own writes do not move again */

/* Whether h's schema has the pending table (from migration 033 on). */
static int sq_fts_pending_table(sqlite3 *h)
{
    return sqlite3_table_column_metadata(h, NULL, "items_fts_pending", NULL, NULL, NULL, NULL, NULL,
                                         NULL) == SQLITE_OK;
}

/* Step sql (kept prepared in db's statement cache) once: DB_ROW, DB_DONE
 * or an error. */
static int sq_once_cached(struct db *db, const char *sql)
{
    struct db_stmt *st = db_prepare(db, sql);
    if (!st) return DB_ERR;
    int rc = db_step(st);
    db_finalize(st);
    return rc;
}

/* db_commit's first step: the waiting rows into the index, inside the
 * transaction, by statements kept prepared (parsed each time, they were a
 * third of the move). */
static int sq_before_commit(struct db *db)
{
    if (sq_moving || !sq_fts_pending_table(db->impl)) return DB_OK;
    sq_moving = 1;
    int rc = sq_once_cached(db, FTS_WAITING);
    if (rc == DB_ROW) {
        rc = sq_once_cached(db, FTS_INDEX);
        if (rc == DB_DONE) rc = sq_once_cached(db, FTS_EMPTY);
    }
    sq_moving = 0;
    return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

/* After statement st (NULL: an exec) of h wrote outside any transaction:
 * the rows it left waiting, in a transaction of their own.  Not while
 * another statement of h is still running (its read would hold the
 * transaction open); a failure leaves them waiting for the next commit.
 * Rare (the server writes in transactions), so parsed each time. */
static void sq_after_write(sqlite3 *h, sqlite3_stmt *st)
{
    if (sq_moving || !sqlite3_get_autocommit(h) || (st && sqlite3_stmt_readonly(st))) return;
    for (sqlite3_stmt *o = sqlite3_next_stmt(h, NULL); o; o = sqlite3_next_stmt(h, o))
        if (o != st && sqlite3_stmt_busy(o)) return;
    if (!sq_fts_pending_table(h)) return;
    sqlite3_stmt *w = NULL;
    int waiting = sqlite3_prepare_v2(h, FTS_WAITING, -1, &w, NULL) == SQLITE_OK &&
                  sqlite3_step(w) == SQLITE_ROW;
    sqlite3_finalize(w);
    if (!waiting || sqlite3_exec(h, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) return;
    sq_moving = 1;
    if (sqlite3_exec(h, FTS_INDEX ";" FTS_EMPTY ";COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL);
    sq_moving = 0;
}

static void sq_finalize(void *st)
{
    sqlite3_finalize(st);
}

/* Every statement is reset before it is finalized or kept (db_finalize):
 * the one place a write outside a transaction is seen to have ended. */
static void sq_reset(void *st)
{
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    sq_after_write(sqlite3_db_handle(st), st);
}

static int sq_bind_int64(void *st, int idx, int64_t v)
{
    return sqlite3_bind_int64(st, idx, v) == SQLITE_OK ? DB_OK : DB_ERR;
}

static int sq_bind_double(void *st, int idx, double v)
{
    return sqlite3_bind_double(st, idx, v) == SQLITE_OK ? DB_OK : DB_ERR;
}

static int sq_bind_text(void *st, int idx, const char *s, size_t len)
{
    return sqlite3_bind_text64(st, idx, s, len, SQLITE_TRANSIENT, SQLITE_UTF8) == SQLITE_OK
               ? DB_OK
               : DB_ERR;
}

static int sq_bind_null(void *st, int idx)
{
    return sqlite3_bind_null(st, idx) == SQLITE_OK ? DB_OK : DB_ERR;
}

static int sq_step(struct db *db, void *st)
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) return DB_ROW;
    if (rc == SQLITE_DONE) {
        db->changes = sqlite3_changes64(db->impl);
        return DB_DONE;
    }
    rc = sqlite3_extended_errcode(db->impl);
    db_set_error(db, "%s", sqlite3_errmsg(db->impl));
    return sq_code(rc);
}

static int sq_column_count(void *st)
{
    return sqlite3_column_count(st);
}

static int sq_column_is_null(void *st, int col)
{
    return sqlite3_column_type(st, col) == SQLITE_NULL;
}

static int64_t sq_column_int64(void *st, int col)
{
    return sqlite3_column_int64(st, col);
}

static double sq_column_double(void *st, int col)
{
    return sqlite3_column_double(st, col);
}

static const char *sq_column_text(void *st, int col)
{
    return (const char *)sqlite3_column_text(st, col);
}

static size_t sq_column_bytes(void *st, int col)
{
    return (size_t)sqlite3_column_bytes(st, col);
}

static int sq_bind_blob(void *st, int idx, const void *data, size_t len)
{
    return sqlite3_bind_blob64(st, idx, data, len, SQLITE_TRANSIENT) == SQLITE_OK ? DB_OK : DB_ERR;
}

static unsigned char *sq_column_blob(void *st, int col, size_t *len)
{
    if (sqlite3_column_type(st, col) == SQLITE_NULL) return NULL;
    const void *p = sqlite3_column_blob(st, col);
    size_t n = (size_t)sqlite3_column_bytes(st, col);
    unsigned char *out = xmalloc(n + 1);
    if (n) memcpy(out, p, n);
    *len = n;
    return out;
}

static int sq_exec(struct db *db, const char *sql)
{
    char *msg = NULL;
    sqlite3_int64 before = sqlite3_total_changes64(db->impl);
    int rc = sqlite3_exec(db->impl, sql, NULL, NULL, &msg);
    if (rc == SQLITE_OK) {
        if (sqlite3_total_changes64(db->impl) != before) sq_after_write(db->impl, NULL);
        return DB_OK;
    }
    db_set_error(db, "%s", msg ? msg : sqlite3_errstr(rc));
    sqlite3_free(msg);
    return sq_code(sqlite3_extended_errcode(db->impl));
}

const struct db_driver db_sqlite_driver = {
    .kind = DB_SQLITE,
    .begin_sql = "BEGIN IMMEDIATE",
    .before_commit = sq_before_commit,
    .open = sq_open,
    .close = sq_close,
    .alive = sq_alive,
    .prepare = sq_prepare,
    .finalize = sq_finalize,
    .reset = sq_reset,
    .bind_int64 = sq_bind_int64,
    .bind_double = sq_bind_double,
    .bind_text = sq_bind_text,
    .bind_blob = sq_bind_blob,
    .bind_null = sq_bind_null,
    .step = sq_step,
    .column_count = sq_column_count,
    .column_is_null = sq_column_is_null,
    .column_int64 = sq_column_int64,
    .column_double = sq_column_double,
    .column_text = sq_column_text,
    .column_bytes = sq_column_bytes,
    .column_blob = sq_column_blob,
    .exec = sq_exec,
};

static int sq_wal_cb(void *arg, sqlite3 *h, const char *name, int frames)
{
    (void)h, (void)name;
    struct db_wal_hook *w = arg;
    w->fn(w->arg, frames);
    return SQLITE_OK;
}

void db_wal_hook(struct db *db, struct db_wal_hook *w)
{
    if (db_kind(db) == DB_SQLITE) sqlite3_wal_hook(db->impl, sq_wal_cb, w);
}

int db_backup(struct db *db, const char *path, char *err, size_t errlen)
{
    if (db_kind(db) != DB_SQLITE) {
        snprintf(err, errlen, "backup of PostgreSQL is pg_dump's job (see docs/operations.md)");
        return DB_ERR;
    }
    sqlite3 *dst = NULL;
    int rc = sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "cannot create %s: %s", path, sqlite3_errstr(rc));
        sqlite3_close(dst);
        return DB_ERR;
    }
    sqlite3_backup *b = sqlite3_backup_init(dst, "main", db->impl, "main");
    if (!b) {
        snprintf(err, errlen, "cannot back up to %s: %s", path, sqlite3_errmsg(dst));
        sqlite3_close(dst);
        return DB_ERR;
    }
    /* one step copies every page under one read transaction: a consistent
     * snapshot, while WAL lets writers go on */
    rc = sqlite3_backup_step(b, -1);
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE) {
        snprintf(err, errlen, "backup to %s failed: %s", path, sqlite3_errstr(rc));
        sqlite3_close(dst);
        return DB_ERR;
    }
    rc = sqlite3_exec(dst, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL);
    sqlite3_close(dst);
    return rc == SQLITE_OK ? DB_OK : DB_ERR;
}
