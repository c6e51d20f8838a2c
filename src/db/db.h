/* db.h — the only door to the database.
 *
 * A small statement facade with two drivers behind it: SQLite (sqlite.c, the
 * default: a file path) and PostgreSQL (pg.c: a "postgres://" or
 * "postgresql://" URL).  Callers write SQL literals with ?1 ?2 … placeholders,
 * bind, step, read columns and finalize; the PostgreSQL driver rewrites the
 * placeholders to $1 $2 ….  No sqlite3_* or PQ* call exists outside src/db/.
 *
 * SQL that must differ between the engines does not belong in callers: keep
 * to the common dialect (INTEGER/TEXT/REAL columns, 0/1 for booleans,
 * INSERT … RETURNING, LIMIT/OFFSET, ON CONFLICT) and put engine-specific DDL
 * in the per-driver migrations under src/db/sql/{sqlite,pg}/.
 *
 * A struct db is one connection and is used by one thread at a time.  The
 * pool (db_pool_*) gives each thread its own read connection and runs every
 * write through writer threads that batch concurrent writes into one
 * transaction (group commit). */
#ifndef LUOSHI_DB_DB_H
#define LUOSHI_DB_DB_H

#include <stddef.h>
#include <stdint.h>

enum db_kind { DB_SQLITE = 1, DB_PG = 2 };

/* Result codes.  Steps return DB_ROW or DB_DONE; everything else returns
 * DB_OK or one of the negative errors. */
enum {
    DB_OK = 0,
    DB_ROW = 100,
    DB_DONE = 101,
    DB_ERR = -1,         /* anything else: bad SQL, I/O error, disk full */
    DB_UNIQUE = -2,      /* a UNIQUE or PRIMARY KEY constraint was violated */
    DB_CONSTRAINT = -3,  /* a foreign key, CHECK or NOT NULL constraint was violated */
    DB_RETRY = -4,       /* busy, serialization failure or deadlock: run the transaction again */
    DB_UNAVAILABLE = -5, /* the database cannot be reached (connection lost, server down) */
};

struct db;
struct db_stmt;

/* Open a connection to target: a SQLite file path or a postgres:// URL.
 * flags: DB_OPEN_CREATE lets SQLite create the file; DB_OPEN_READONLY opens
 * for reading only.  Returns NULL on failure with a message in err. */
enum { DB_OPEN_CREATE = 1, DB_OPEN_READONLY = 2 };
struct db *db_open(const char *target, int flags, char *err, size_t errlen);
/* Close a connection and every statement it cached.  NULL is ignored. */
void db_close(struct db *db);
/* Which driver this connection uses. */
enum db_kind db_kind(const struct db *db);
/* 1 when target names a PostgreSQL database rather than a SQLite file. */
int db_target_is_pg(const char *target);
/* The message of the last error on this connection ("" if none). */
const char *db_errmsg(struct db *db);

/* Prepare sql (a literal with ?N placeholders).  Statements are cached per
 * connection: preparing the same text again is cheap.  Returns NULL on error
 * (db_errmsg says why; a bad literal is a programming error).  Every prepared
 * statement must be given back with db_finalize(). */
struct db_stmt *db_prepare(struct db *db, const char *sql);
/* Bind parameter idx (1-based).  Text is copied; len (size_t)-1 means strlen;
 * a NULL s binds SQL NULL.  Return DB_OK or DB_ERR. */
int db_bind_int64(struct db_stmt *st, int idx, int64_t v);
int db_bind_double(struct db_stmt *st, int idx, double v);
int db_bind_text(struct db_stmt *st, int idx, const char *s, size_t len);
int db_bind_null(struct db_stmt *st, int idx);
/* Bind len bytes at data (copied) to parameter idx of a BLOB (SQLite) or bytea
 * (PostgreSQL) column; a NULL data binds SQL NULL.  DB_OK or DB_ERR. */
int db_bind_blob(struct db_stmt *st, int idx, const void *data, size_t len);
/* Run or advance the statement: DB_ROW when a row is ready, DB_DONE when
 * finished, else a negative error code. */
int db_step(struct db_stmt *st);
/* Columns of the current row, 0-based.  Text stays valid until the next step,
 * reset or finalize; NULL gives NULL from db_column_text and 0 from the numbers. */
int db_column_count(struct db_stmt *st);
int db_column_is_null(struct db_stmt *st, int col);
int64_t db_column_int64(struct db_stmt *st, int col);
double db_column_double(struct db_stmt *st, int col);
const char *db_column_text(struct db_stmt *st, int col);
size_t db_column_bytes(struct db_stmt *st, int col);
/* The bytes of a BLOB/bytea column col of the current row as a malloc'd copy
 * the caller frees, with *len their number; NULL (and *len 0) for SQL NULL or
 * a value the driver cannot decode. */
unsigned char *db_column_blob(struct db_stmt *st, int col, size_t *len);
/* Make the statement ready to bind and step again. */
void db_reset(struct db_stmt *st);
/* Give the statement back (to the cache).  NULL is ignored. */
void db_finalize(struct db_stmt *st);
/* Bind ?1 the id and ?2 text (NULL: SQL NULL) to st (prepared by the caller;
 * NULL when that failed), run it once and give it back: the one-column
 * updates of a kind's own row.  DB_DONE, or the error (DB_ERR for a NULL st). */
int db_run_id_text(struct db_stmt *st, int64_t id, const char *text);
/* Rows changed by the last completed INSERT/UPDATE/DELETE on this connection. */
int64_t db_changes(struct db *db);

/* Run a script of statements without parameters (migrations, pragmas).
 * Returns DB_OK or an error code. */
int db_exec(struct db *db, const char *sql);
/* Transactions and savepoints.  Return DB_OK or an error code. */
int db_begin(struct db *db);
int db_commit(struct db *db);
int db_rollback(struct db *db);
int db_savepoint(struct db *db);
int db_release(struct db *db);
int db_rollback_to(struct db *db);

/* A read transaction around several statements, so that they see one
 * snapshot and SQLite takes its read lock once instead of per statement
 * (a list request reads the session, the stamps, the count and the page).
 * Nested calls count; only the outermost begins and ends.  On PostgreSQL
 * nothing is sent (each statement sees what was committed when it starts:
 * two more round trips would cost more than they save).  Both return DB_OK
 * or an error code; a failed begin leaves the statements to run alone. */
int db_read_begin(struct db *db);
int db_read_end(struct db *db);

/* The database's stamps (migrations 008, 019 and 010): config_stamp
 * changes with every setting and calendar, session_stamp with every
 * revocation and every change to a user, data_stamp with every event and
 * setting (on PostgreSQL with every commit).  Caches keep what they
 * computed under them. */
enum db_stamp { DB_STAMP_CONFIG, DB_STAMP_SESSION, DB_STAMP_DATA };
/* One stamp: DB_OK with *out, or an error code.  While this thread holds
 * the stamps (PostgreSQL only; on SQLite a stamp is a function call), the
 * first asks for all three in one statement and the others are answered
 * from it: a list request needs all three, and each was a round trip. */
int db_stamp(struct db *db, enum db_stamp which, int64_t *out);
/* Hold (on) or let go of the stamps in this thread, for one request.  A
 * statement that is not a SELECT and every db_exec forget what is held, so
 * a request that writes reads its own writes' stamps. */
void db_stamps_hold(int on);
/* Forget what this thread holds (a write made by another thread for this
 * one: db_pool_write). */
void db_stamps_forget(void);

/* Convenience: run a statement that returns one integer (e.g. SELECT count(*))
 * with one optional int64 parameter (pass has_param 0 for none).  Returns
 * DB_OK with *out set, DB_DONE when no row came back, or an error code. */
int db_query_int64(struct db *db, const char *sql, int has_param, int64_t param, int64_t *out);

/* Migrations (migrate.c): bring the schema to the newest version this binary
 * carries.  Returns DB_OK; or DB_ERR with err set when a migration fails or the
 * database is newer than the binary (then nothing is changed). *applied gets
 * the number of migrations run. */
int db_migrate(struct db *db, int *applied, char *err, size_t errlen);
/* The schema version of the database (0 when empty) and of the binary. */
int db_schema_version(struct db *db);
int db_schema_known(enum db_kind kind);
/* COPY … FROM STDIN on PostgreSQL: begin with the statement, put text-format
 * rows in any chunks, end (the server's verdict on the rows comes then).
 * DB_OK or an error code with the message set; DB_ERR on SQLite. */
int db_copy_begin(struct db *db, const char *sql);
int db_copy_put(struct db *db, const void *data, size_t len);
int db_copy_end(struct db *db);
/* Every row of the SQLite database src into dst, a PostgreSQL database at
 * the same schema version that holds no users, items or events yet (copy.c):
 * in one transaction of dst, with its triggers and foreign keys set aside
 * while the rows go in (the rows are copied as they are, the kept ones too)
 * and checked when they are put back; the identity sequences then continue
 * after the copied ids.  report (may be NULL) hears each table and its row
 * count.  DB_OK, or an error with err set and dst unchanged. */
int db_copy_database(struct db *src, struct db *dst,
                     void (*report)(void *ctx, const char *table, int64_t rows), void *ctx,
                     char *err, size_t errlen);
/* Copy a SQLite database consistently to path (works while others write).
 * Returns DB_OK or an error with err set. */
int db_backup(struct db *db, const char *path, char *err, size_t errlen);
/* SQLite: fn(arg, frames) after each commit of db, with the number of
 * frames the WAL then holds (the pool's writer, to wake its checkpointer);
 * w must outlive the connection.  Nothing on PostgreSQL. */
struct db_wal_hook {
    void (*fn)(void *arg, int frames);
    void *arg;
};
void db_wal_hook(struct db *db, struct db_wal_hook *w);
/* SQLite: how long db waits for a lock another connection holds before it
 * answers busy (10 s from db_open; it tries again every 0.1 ms at first).
 * Nothing on PostgreSQL. */
void db_busy_timeout(struct db *db, int ms);

/* Periodic-job locks (lock.c), so that a job (lights, urges, escalations)
 * runs on one instance at a time.  db should be a connection the caller keeps
 * for its jobs: on PostgreSQL the lock is a session advisory lock
 * (pg_try_advisory_lock(key)) that lives until db_job_unlock or until that
 * connection ends, whichever comes first — so a job whose connection breaks
 * may find another instance running it: keep jobs idempotent, and record
 * their last run in a table when "once per period" matters.  On SQLite (one
 * instance per file) the lock is always granted.  key is the job's own
 * number; keys at or above 1<<62 are reserved for luoshi's own locks.
 * Returns 1 when granted (run the job, then db_job_unlock), 0 when another
 * session holds it, or a negative DB_* error (DB_UNAVAILABLE: no database). */
int db_try_job_lock(struct db *db, int64_t key);
/* Give back a lock db_try_job_lock granted.  Returns DB_OK or an error. */
int db_job_unlock(struct db *db, int64_t key);

/* How to show target to a person (target.c): a postgres:// URL without its
 * password (postgres://luoshi:***@host/db; a password=… parameter likewise),
 * anything else as it is.  Writes into out (always NUL-terminated, cut at
 * outlen) and returns out. */
const char *db_target_display(const char *target, char *out, size_t outlen);

/* ---- the pool ---- */
struct db_pool;

/* A write job: runs on a writer thread inside a transaction (as a savepoint
 * of a batch).  Return DB_OK to keep its changes; any other value rolls back
 * the job's changes and is passed to the caller; DB_RETRY runs it again. */
typedef int (*db_write_fn)(struct db *db, void *ctx);
/* Called after the batch committed and (SQLite) its WAL was flushed, or
 * failed, with the job's final result: on the writer thread, or on SQLite on
 * the pool's syncer thread, in commit order. */
typedef void (*db_done_fn)(void *ctx, int rc);

/* Open a pool on target with the given number of writer threads (SQLite
 * always uses one).  Returns NULL with err set on failure. */
struct db_pool *db_pool_open(const char *target, int writers, char *err, size_t errlen);
/* This thread's read connection (opened on first use).  NULL when the database
 * cannot be reached now. */
struct db *db_pool_reader(struct db_pool *p);
/* Run fn durably and wait: returns fn's result once committed, or the commit's error. */
int db_pool_write(struct db_pool *p, db_write_fn fn, void *ctx);
/* db_pool_write for a long job (the scheduler's day): never batched with
 * others, so that it runs without a savepoint around it (pool.c). */
int db_pool_write_alone(struct db_pool *p, db_write_fn fn, void *ctx);
/* Queue fn and return at once; done(ctx, rc) runs once the commit is durable
 * (on SQLite after the syncer's flush of the WAL, see pool.c). */
void db_pool_write_async(struct db_pool *p, db_write_fn fn, void *ctx, db_done_fn done);
/* Tests only: when set, called by the SQLite syncer after each flush of the
 * WAL and before it answers the batches the flush covered. */
extern void (*db_pool_sync_hook)(void);
/* SQLite: the WAL's size in bytes past which the pool's checkpointer
 * starts it over even while writes keep coming (48 MiB; tests lower it). */
extern long db_pool_wal_bound;
/* Stop the writers after the queued jobs finish, and close every connection. */
void db_pool_close(struct db_pool *p);
/* The pool's target string and driver kind. */
const char *db_pool_target(struct db_pool *p);
enum db_kind db_pool_kind(struct db_pool *p);

#endif
