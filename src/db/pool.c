/* pool.c — connections for a running server: one read connection per thread,
 * and writer threads that do every write.
 *
 * Group commit: a writer takes every job waiting in the queue (up to
 * POOL_BATCH), runs each inside its own savepoint of one transaction, commits
 * once, and only then tells each job's caller.  With synchronous=FULL a commit
 * costs an fsync; batching turns N fsyncs into one without giving up
 * durability, since nobody hears "done" before the data is on disk.  A job
 * that fails rolls back to its savepoint and leaves the others alone.  If the
 * commit itself fails, every job of the batch is run again alone, so one bad
 * batch-mate cannot sink the others.
 *
 * SQLite allows one writer, so it gets one writer thread; PostgreSQL may have
 * several (each with its own connection).
 *
 * A bounded WAL (SQLite): the writer does not checkpoint on its commits
 * (wal_autocheckpoint off: a commit that crossed 1,000 pages used to copy
 * them into the database and fsync it while every job of the batch waited);
 * a checkpointer thread with its own connection does, every
 * POOL_CHECKPOINT_MS: a PASSIVE checkpoint (copies what no reader still
 * needs, blocks nobody), and once everything is copied a RESTART, which
 * waits at most POOL_TRUNCATE_WAIT_MS for the readers of older snapshots to
 * finish (they take milliseconds) so that the next commit writes the file
 * from its start again.  Under readers that never pause, SQLite alone never
 * gets to restart the WAL, and the file grew by hundreds of megabytes
 * (bench/README.md).  Under writes that never pause, nothing is ever left
 * uncopied either: a commit lands during every PASSIVE round, and the file
 * grew to 90 MB in 15 s of the mixed load.  So once the log holds more than
 * db_pool_wal_bound bytes it is started over anyway: the writer's WAL hook
 * wakes the checkpointer as soon as a commit passes the bound, and it waits
 * for the readers of older snapshots and copies what is left.
 *
 * A RESTART takes SQLite's write lock, and a writer that meets it sleeps
 * in SQLite's busy handler.  So every RESTART holds the writer between two
 * batches instead (a writer that begins its next batch the moment it
 * commits always wins SQLite's lock over a waiting checkpoint), and the
 * jobs queue up meanwhile.  It restarts rather than truncates: the file
 * keeps its size and is written again from its start (cutting a log of
 * megabytes out of the page cache took 0.4-20 ms with the writer held, and
 * a flush of a file that grows must also commit the file system's journal);
 * journal_size_limit (sqlite.c) still cuts it back to 64 MiB, and once the
 * writes pause for two rounds a TRUNCATE empties it.  Under the mixed load
 * the writer was held 8 % of the time and a job waited 18-29 ms for its
 * batch at the 99th percentile; now 1 % and 5-6 ms (bench/README.md).
 *
 * The flush overlapped with the next batch (SQLite): the writer commits
 * with synchronous=NORMAL (the WAL is written, not flushed) and hands the
 * batch to a syncer thread, then takes the next batch at once; the syncer
 * fdatasync()s the WAL file, which covers every batch committed before the
 * call, and only then answers those batches' callers, in commit order.
 * Nobody hears "done" before their data is on disk; the WAL is appended in
 * commit order, so an answered batch never depends on a lost one.  What
 * changes is that readers may see a batch a moment before it is flushed
 * (bench/README.md argues why that is safe). */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "db/driver.h"
#include "util/log.h"
#include "util/mem.h"

#define POOL_BATCH            256
#define POOL_MAX_WRITERS      8
#define POOL_RETRIES          8
#define POOL_MAX_READERS      256
#define POOL_STR2(x)          #x
#define POOL_STR(x)           POOL_STR2(x)
#define POOL_CHECKPOINT_MS    250
#define POOL_TRUNCATE_WAIT_MS 100
#define POOL_WAL_BOUND        (48L << 20)
#define POOL_READER_CACHE_KIB 16384

struct job {
    db_write_fn fn;
    void *ctx;
    db_done_fn done;
    int rc;
    int alone; /* runs in a transaction of its own (db_pool_write_alone) */
    struct job *next;
};

/* A committed batch waiting for its flush (SQLite's overlap). */
struct batch {
    struct job *jobs[POOL_BATCH];
    int n;
    struct batch *next;
};

struct db_pool {
    char *target;
    enum db_kind kind;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct job *head, *tail;
    int stopping;
    int nwriters;
    pthread_t writers[POOL_MAX_WRITERS];
    struct db *readers[POOL_MAX_READERS]; /* every reader opened, for closing */
    int nreaders;
    unsigned generation;
    int checkpointing; /* the checkpointer thread runs (SQLite) */
    pthread_t checkpointer;
    pthread_cond_t tick; /* wakes the checkpointer to stop */
    int hold;            /* the checkpointer asks the writer to wait (under mu) */
    int kick;            /* the writer asks the checkpointer for a round now (under mu) */
    int64_t last_log;    /* the frames the checkpointer's last round found in the log */
    int64_t page;        /* the database's page size */
    struct db_wal_hook walhook;
    pthread_mutex_t gate; /* SQLite: the writer holds it while it runs a batch */
    /* the flush overlap (SQLite): batches committed, not yet flushed */
    int overlap;
    char wal[4096]; /* the WAL file's path */
    int walfd;      /* opened by the syncer at its first flush */
    struct batch *sq_head, *sq_tail;
    int sync_stopping;
    pthread_cond_t sync_cv;
    pthread_t syncer;
};

void (*db_pool_sync_hook)(void);
long db_pool_wal_bound = POOL_WAL_BOUND;

static unsigned pool_generation;
static _Thread_local struct {
    struct db_pool *pool;
    unsigned generation;
    struct db *db;
} tl_reader;

/* Run one job inside a savepoint; returns its result. */
static int pool_run_job(struct db *db, struct job *j)
{
    int rc = DB_RETRY;
    for (int attempt = 0; rc == DB_RETRY && attempt < POOL_RETRIES; attempt++) {
        if (db_savepoint(db) != DB_OK) return DB_ERR;
        rc = j->fn(db, j->ctx);
        if (rc != DB_OK) db_rollback_to(db);
        db_release(db);
        if (rc == DB_RETRY) usleep(1000u << attempt);
    }
    return rc;
}

/* Run job j alone in its transaction, without a savepoint around it: a
 * failure rolls the transaction back instead, and DB_RETRY runs it again in a
 * new one.  Inside a savepoint held open for a whole long job, SQLite's
 * statement journal keeps a copy of every page the job changes and each
 * statement's end walks that journal from its start: the day's run over
 * 100,000 items took 95 s and 1.6 GB that way, 4 s and 360 MB without
 * (bench/README.md).  Returns as pool_run_batch. */
static int pool_run_single(struct db *db, struct job *j)
{
    int rc = DB_RETRY;
    for (int attempt = 0; rc == DB_RETRY && attempt < POOL_RETRIES; attempt++) {
        if (attempt) usleep(1000u << (attempt - 1));
        if (db_begin(db) != DB_OK) {
            if (!db_alive(db)) return 1;
            log_error("db: cannot begin a write: %s", db_errmsg(db));
            j->rc = DB_ERR;
            return 0;
        }
        rc = j->fn(db, j->ctx);
        if (rc == DB_OK && db_commit(db) != DB_OK) {
            log_error("db: commit failed: %s", db_errmsg(db));
            rc = db_alive(db) ? DB_ERR : DB_UNAVAILABLE;
        }
        if (rc != DB_OK) db_rollback(db);
    }
    j->rc = rc;
    return 0;
}

/* Run jobs[0..n) in one transaction; on a failed commit run each alone.
 * Returns 1, having run nothing, when the connection turns out to be lost at
 * BEGIN (the caller may reconnect and try again), else 0. */
static int pool_run_batch(struct db *db, struct job **jobs, int n)
{
    if (n == 1) return pool_run_single(db, jobs[0]);
    if (db_begin(db) != DB_OK) {
        if (!db_alive(db)) return 1;
        log_error("db: cannot begin a write: %s", db_errmsg(db));
        for (int i = 0; i < n; i++)
            jobs[i]->rc = DB_ERR;
        return 0;
    }
    for (int i = 0; i < n; i++)
        jobs[i]->rc = pool_run_job(db, jobs[i]);
    if (db_commit(db) == DB_OK) return 0;
    log_error("db: group commit of %d failed: %s", n, db_errmsg(db));
    db_rollback(db);
    for (int i = 0; i < n; i++) {
        if (db_begin(db) != DB_OK) {
            jobs[i]->rc = db_alive(db) ? DB_ERR : DB_UNAVAILABLE;
            continue;
        }
        jobs[i]->rc = pool_run_job(db, jobs[i]);
        if (db_commit(db) != DB_OK) {
            jobs[i]->rc = db_alive(db) ? DB_ERR : DB_UNAVAILABLE;
            db_rollback(db);
        }
    }
    return 0;
}

/* The writer's connection: db if it is still usable, else a new one (NULL
 * while the database cannot be reached). */
static struct db *pool_connect(struct db_pool *p, struct db *db)
{
    if (db && db_alive(db)) return db;
    db_close(db);
    char err[512];
    db = db_open(p->target, 0, err, sizeof err);
    if (!db) log_error("db: writer cannot connect: %s", err);
    if (db && p->checkpointing) db_exec(db, "PRAGMA wal_autocheckpoint = 0");
    if (db && p->checkpointing) db_wal_hook(db, &p->walhook);
    if (db && p->overlap) db_exec(db, "PRAGMA synchronous = NORMAL"); /* the syncer flushes */
    return db;
}

/* The writer's WAL hook: a commit left the log holding frames; past the
 * bound, wake the checkpointer for a round now rather than at its tick (a
 * fast writer fills many megabytes in POOL_CHECKPOINT_MS). */
static void pool_wal_grew(void *arg, int frames)
{
    struct db_pool *p = arg;
    if ((int64_t)frames * p->page <= db_pool_wal_bound) return;
    pthread_mutex_lock(&p->mu);
    if (!p->kick) {
        p->kick = 1;
        pthread_cond_signal(&p->tick);
    }
    pthread_mutex_unlock(&p->mu);
}

/* A checkpoint (sql) with the writer held between two batches. */
static void pool_checkpoint_held(struct db_pool *p, struct db *db, const char *sql)
{
    pthread_mutex_lock(&p->mu);
    p->hold = 1;
    pthread_mutex_unlock(&p->mu);
    pthread_mutex_lock(&p->gate); /* the batch running now ends first */
    db_exec(db, sql);
    pthread_mutex_unlock(&p->gate);
    pthread_mutex_lock(&p->mu);
    p->hold = 0;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
}

#define POOL_RESTART  "PRAGMA wal_checkpoint(RESTART)"
#define POOL_TRUNCATE "PRAGMA wal_checkpoint(TRUNCATE)"

/* One round of the checkpointer: PASSIVE, then a held RESTART once nothing
 * is left to copy or when the log (frames of page bytes each) has outgrown
 * db_pool_wal_bound; kicked (the writer saw the log past the bound), the
 * held RESTART at once: the writers would add more during a PASSIVE.  A log
 * all copied that holds what the last round found (no commit since: the
 * writes paused) is truncated.  A busy answer only means "next round". */
static void pool_checkpoint(struct db_pool *p, struct db *db, int kicked)
{
    if (kicked) {
        p->last_log = 0;
        pool_checkpoint_held(p, db, POOL_RESTART);
        return;
    }
    int64_t log = 0, done = 0;
    struct db_stmt *st = db_prepare(db, "PRAGMA wal_checkpoint(PASSIVE)");
    if (!st) return;
    if (db_step(st) == DB_ROW) log = db_column_int64(st, 1), done = db_column_int64(st, 2);
    db_finalize(st);
    int paused = log == p->last_log;
    p->last_log = log;
    if (log <= 0 || (done != log && log * p->page <= db_pool_wal_bound)) return;
    pool_checkpoint_held(p, db, done == log && paused ? POOL_TRUNCATE : POOL_RESTART);
}

static void *pool_checkpointer(void *arg)
{
    struct db_pool *p = arg;
    char err[512];
    struct db *db = db_open(p->target, 0, err, sizeof err);
    if (!db) log_error("db: the checkpointer cannot connect: %s", err);
    if (db) db_busy_timeout(db, POOL_TRUNCATE_WAIT_MS);
    pthread_mutex_lock(&p->mu);
    while (!p->stopping) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += POOL_CHECKPOINT_MS * 1000000L;
        until.tv_sec += until.tv_nsec / 1000000000L, until.tv_nsec %= 1000000000L;
        if (!p->kick) pthread_cond_timedwait(&p->tick, &p->mu, &until);
        int kicked = p->kick;
        p->kick = 0;
        if (p->stopping || !db) continue;
        pthread_mutex_unlock(&p->mu);
        pool_checkpoint(p, db, kicked);
        pthread_mutex_lock(&p->mu);
    }
    pthread_mutex_unlock(&p->mu);
    db_close(db);
    return NULL;
}

/* Tell each of jobs[0..n) its result (DB_ERR for all when the flush
 * failed: flushed is 0) and free them. */
static void pool_answer(struct job **jobs, int n, int flushed)
{
    for (int i = 0; i < n; i++) {
        struct job *j = jobs[i];
        j->done(j->ctx, flushed ? j->rc : DB_ERR);
        free(j);
    }
}

/* Queue the committed batch jobs[0..n) for the syncer. */
static void pool_sync_later(struct db_pool *p, struct job **jobs, int n)
{
    struct batch *b = xmalloc(sizeof *b);
    memcpy(b->jobs, jobs, (size_t)n * sizeof *jobs);
    b->n = n;
    b->next = NULL;
    pthread_mutex_lock(&p->mu);
    if (p->sq_tail)
        p->sq_tail->next = b;
    else
        p->sq_head = b;
    p->sq_tail = b;
    pthread_cond_signal(&p->sync_cv);
    pthread_mutex_unlock(&p->mu);
}

/* Flush the WAL file: 1 when every byte written to it so far is on disk. */
static int pool_flush(struct db_pool *p)
{
    if (p->walfd < 0) p->walfd = open(p->wal, O_RDONLY | O_CLOEXEC);
    if (p->walfd < 0 || fdatasync(p->walfd) != 0) {
        log_error("db: cannot flush %s: the batch is not known to be durable", p->wal);
        return 0;
    }
    return 1;
}

/* The syncer: takes every batch committed so far, flushes once, answers
 * them in commit order; until the pool stops and nothing is left. */
static void *pool_syncer(void *arg)
{
    struct db_pool *p = arg;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (!p->sq_head && !p->sync_stopping)
            pthread_cond_wait(&p->sync_cv, &p->mu);
        if (!p->sq_head) break;
        struct batch *b = p->sq_head;
        p->sq_head = p->sq_tail = NULL;
        pthread_mutex_unlock(&p->mu);
        int flushed = pool_flush(p);
        if (db_pool_sync_hook) db_pool_sync_hook();
        while (b) {
            struct batch *next = b->next;
            pool_answer(b->jobs, b->n, flushed);
            free(b);
            b = next;
        }
        pthread_mutex_lock(&p->mu);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

/* The WAL's path of the SQLite database db into p->wal; 1, or 0 when it
 * cannot be known (then there is no overlap: every commit flushes). */
static int pool_wal_path(struct db_pool *p, struct db *db)
{
    struct db_stmt *st = db_prepare(db, "SELECT file FROM pragma_database_list"
                                        " WHERE name = 'main'");
    if (!st) return 0;
    int ok = 0;
    if (db_step(st) == DB_ROW) {
        const char *f = db_column_text(st, 0);
        int len = f && *f ? snprintf(p->wal, sizeof p->wal, "%s-wal", f) : -1;
        ok = len > 0 && (size_t)len < sizeof p->wal;
    }
    db_finalize(st);
    return ok;
}

static void *pool_writer(void *arg)
{
    struct db_pool *p = arg;
    struct db *db = NULL;
    struct job *jobs[POOL_BATCH];
    for (;;) {
        pthread_mutex_lock(&p->mu);
        while ((!p->head && !p->stopping) || p->hold)
            pthread_cond_wait(&p->cv, &p->mu);
        if (!p->head && p->stopping) {
            pthread_mutex_unlock(&p->mu);
            break;
        }
        int n = 0;
        while (p->head && n < POOL_BATCH && !(n && p->head->alone)) {
            jobs[n++] = p->head;
            p->head = p->head->next;
            if (jobs[n - 1]->alone) break;
        }
        if (!p->head) p->tail = NULL;
        pthread_mutex_unlock(&p->mu);

        /* a connection lost since the last batch (the server restarted) is
         * replaced, also when that shows only at BEGIN: nothing ran yet */
        int lost = 1;
        if (p->checkpointing) pthread_mutex_lock(&p->gate); /* SQLite's one writer */
        for (int attempt = 0; lost && attempt < 2; attempt++) {
            db = pool_connect(p, db);
            lost = db ? pool_run_batch(db, jobs, n) : 0;
            if (!db) break;
        }
        if (p->checkpointing) pthread_mutex_unlock(&p->gate);
        if (!db || lost)
            for (int i = 0; i < n; i++)
                jobs[i]->rc = DB_UNAVAILABLE;
        if (p->overlap) {
            pool_sync_later(p, jobs, n);
            continue;
        }
        pool_answer(jobs, n, 1);
    }
    db_close(db);
    return NULL;
}

struct db_pool *db_pool_open(const char *target, int writers, char *err, size_t errlen)
{
    struct db *probe = db_open(target, 0, err, errlen);
    if (!probe) return NULL;
    struct db_pool *p = xcalloc(1, sizeof *p);
    p->target = xstrdup(target);
    p->kind = db_kind(probe);
    p->walfd = -1;
    p->overlap = p->kind == DB_SQLITE && pool_wal_path(p, probe);
    p->page = 4096;
    if (p->kind == DB_SQLITE) db_query_int64(probe, "PRAGMA page_size", 0, 0, &p->page);
    p->walhook = (struct db_wal_hook){pool_wal_grew, p};
    db_close(probe);
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    pthread_mutex_init(&p->gate, NULL);
    if (writers < 1 || p->kind == DB_SQLITE) writers = 1;
    if (writers > POOL_MAX_WRITERS) writers = POOL_MAX_WRITERS;
    p->nwriters = writers;
    pthread_mutex_lock(&p->mu);
    p->generation = ++pool_generation;
    pthread_mutex_unlock(&p->mu);
    pthread_cond_init(&p->tick, NULL);
    p->checkpointing = p->kind == DB_SQLITE;
    for (int i = 0; i < writers; i++)
        pthread_create(&p->writers[i], NULL, pool_writer, p);
    if (p->checkpointing) pthread_create(&p->checkpointer, NULL, pool_checkpointer, p);
    pthread_cond_init(&p->sync_cv, NULL);
    if (p->overlap) pthread_create(&p->syncer, NULL, pool_syncer, p);
    return p;
}

struct db *db_pool_reader(struct db_pool *p)
{
    struct db *dead = NULL;
    if (tl_reader.pool == p && tl_reader.generation == p->generation && tl_reader.db) {
        if (db_alive(tl_reader.db)) return tl_reader.db;
        dead = tl_reader.db; /* a lost PostgreSQL connection: replace it in its slot */
    }
    char err[512];
    struct db *db = db_open(p->target, 0, err, sizeof err);
    if (!db) {
        log_error("db: reader cannot connect: %s", err);
        return NULL;
    }
    /* A request's reader reads through its own page cache, not the file
     * mapped: SQLite unmaps a reader's whole mapping whenever another
     * connection committed since its last read, so under steady writes each
     * request paid an munmap and faulted the pages it read in again (2.5-4x
     * the mixed load's throughput; bench/README.md).  The CLI's long reads
     * (a notice, verify) keep the mapping. */
    if (db_kind(db) == DB_SQLITE) db_exec(db, "PRAGMA mmap_size = 0");
    /* and a cache that holds what a 待办 reads: with SQLite's 2 MB a
     * handler's inbox of 700 entries re-read its pages through the kernel
     * on every answer (8 ms of CPU against 2.4 ms in a 16 MB cache, which
     * it then keeps until the next commit) */
    if (db_kind(db) == DB_SQLITE)
        db_exec(db, "PRAGMA cache_size = -" POOL_STR(POOL_READER_CACHE_KIB));
    pthread_mutex_lock(&p->mu);
    int slot = -1;
    for (int i = 0; dead && i < p->nreaders; i++)
        if (p->readers[i] == dead) slot = i;
    if (slot < 0 && p->nreaders == POOL_MAX_READERS) {
        pthread_mutex_unlock(&p->mu);
        db_close(db);
        log_error("db: too many reader connections");
        return NULL;
    }
    if (slot < 0) slot = p->nreaders++;
    p->readers[slot] = db;
    pthread_mutex_unlock(&p->mu);
    db_close(dead);
    tl_reader.pool = p;
    tl_reader.generation = p->generation;
    tl_reader.db = db;
    return db;
}

static void pool_enqueue(struct db_pool *p, db_write_fn fn, void *ctx, db_done_fn done, int alone)
{
    struct job *j = xcalloc(1, sizeof *j);
    j->fn = fn;
    j->ctx = ctx;
    j->done = done;
    j->alone = alone;
    pthread_mutex_lock(&p->mu);
    if (p->tail)
        p->tail->next = j;
    else
        p->head = j;
    p->tail = j;
    pthread_cond_signal(&p->cv);
    pthread_mutex_unlock(&p->mu);
}

void db_pool_write_async(struct db_pool *p, db_write_fn fn, void *ctx, db_done_fn done)
{
    pool_enqueue(p, fn, ctx, done, 0);
}

struct sync_wait {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int finished, rc;
    db_write_fn fn;
    void *ctx;
};

static int sync_run(struct db *db, void *ctx)
{
    struct sync_wait *w = ctx;
    return w->fn(db, w->ctx);
}

static void sync_done(void *ctx, int rc)
{
    struct sync_wait *w = ctx;
    pthread_mutex_lock(&w->mu);
    w->rc = rc;
    w->finished = 1;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
}

static int pool_write_wait(struct db_pool *p, db_write_fn fn, void *ctx, int alone)
{
    struct sync_wait w = {.fn = fn, .ctx = ctx};
    pthread_mutex_init(&w.mu, NULL);
    pthread_cond_init(&w.cv, NULL);
    pool_enqueue(p, sync_run, &w, sync_done, alone);
    pthread_mutex_lock(&w.mu);
    while (!w.finished)
        pthread_cond_wait(&w.cv, &w.mu);
    pthread_mutex_unlock(&w.mu);
    pthread_mutex_destroy(&w.mu);
    pthread_cond_destroy(&w.cv);
    /* the request that waited reads on: the stamps it holds are old */
    db_stamps_forget();
    return w.rc;
}

int db_pool_write(struct db_pool *p, db_write_fn fn, void *ctx)
{
    return pool_write_wait(p, fn, ctx, 0);
}

int db_pool_write_alone(struct db_pool *p, db_write_fn fn, void *ctx)
{
    return pool_write_wait(p, fn, ctx, 1);
}

void db_pool_close(struct db_pool *p)
{
    if (!p) return;
    pthread_mutex_lock(&p->mu);
    p->stopping = 1;
    pthread_cond_broadcast(&p->cv);
    pthread_cond_broadcast(&p->tick);
    pthread_mutex_unlock(&p->mu);
    for (int i = 0; i < p->nwriters; i++)
        pthread_join(p->writers[i], NULL);
    if (p->checkpointing) pthread_join(p->checkpointer, NULL);
    if (p->overlap) { /* the writers are done: the syncer answers what is left */
        pthread_mutex_lock(&p->mu);
        p->sync_stopping = 1;
        pthread_cond_signal(&p->sync_cv);
        pthread_mutex_unlock(&p->mu);
        pthread_join(p->syncer, NULL);
    }
    if (p->walfd >= 0) close(p->walfd);
    pthread_cond_destroy(&p->sync_cv);
    for (int i = 0; i < p->nreaders; i++)
        db_close(p->readers[i]);
    if (tl_reader.pool == p) memset(&tl_reader, 0, sizeof tl_reader);
    pthread_mutex_destroy(&p->mu);
    pthread_mutex_destroy(&p->gate);
    pthread_cond_destroy(&p->cv);
    pthread_cond_destroy(&p->tick);
    free(p->target);
    free(p);
}

const char *db_pool_target(struct db_pool *p)
{
    return p->target;
}

enum db_kind db_pool_kind(struct db_pool *p)
{
    return p->kind;
}
