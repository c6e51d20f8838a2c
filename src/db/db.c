/* db.c — the driver-neutral half of the facade: opening by target, the
 * per-connection statement cache, transactions and savepoints, and small
 * conveniences.  Drivers (sqlite.c, pg.c) do the engine work. */
#include "db/driver.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/mem.h"

/* The stamps this thread holds for its request (db_stamps_hold). */
static __thread struct {
    int held, valid;
    const struct db *db; /* the connection they were read on */
    int64_t v[3];        /* by enum db_stamp */
} tl_stamps;

int db_target_is_pg(const char *target)
{
    return strncmp(target, "postgres://", 11) == 0 || strncmp(target, "postgresql://", 13) == 0;
}

struct db *db_open(const char *target, int flags, char *err, size_t errlen)
{
    const struct db_driver *drv = db_target_is_pg(target) ? &db_pg_driver : &db_sqlite_driver;
    void *impl = drv->open(target, flags, err, errlen);
    if (!impl) return NULL;
    struct db *db = xcalloc(1, sizeof *db);
    db->drv = drv;
    db->impl = impl;
    return db;
}

void db_close(struct db *db)
{
    if (!db) return;
    for (int i = 0; i < DB_CACHE_BUCKETS; i++) {
        struct db_stmt *s = db->cache[i];
        while (s) {
            struct db_stmt *next = s->next;
            db->drv->finalize(s->impl);
            free(s->sql);
            free(s);
            s = next;
        }
    }
    db->drv->close(db->impl);
    free(db);
}

enum db_kind db_kind(const struct db *db)
{
    return db->drv->kind;
}

const char *db_errmsg(struct db *db)
{
    return db->errmsg;
}

void db_set_error(struct db *db, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(db->errmsg, sizeof db->errmsg, fmt, ap);
    va_end(ap);
}

int db_alive(struct db *db)
{
    return db->drv->alive(db->impl);
}

static unsigned db_hash(const char *s)
{
    /* the length and 64 bytes spread over the text: an item list's SQL is
     * 2 KB, and hashing every byte of it was 5 % of the request; texts that
     * share the sample are told apart by strcmp */
    size_t n = strlen(s), step = n / 64 + 1;
    unsigned h = 2166136261u ^ (unsigned)n;
    for (size_t i = 0; i < n; i += step)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

struct db_stmt *db_prepare(struct db *db, const char *sql)
{
    unsigned h = db_hash(sql);
    struct db_stmt **bucket = &db->cache[h % DB_CACHE_BUCKETS];
    int shadowed = 0;
    for (struct db_stmt *s = *bucket; s; s = s->next) {
        if (s->hash == h && strcmp(s->sql, sql) == 0) {
            if (!s->in_use) {
                s->in_use = 1;
                return s;
            }
            shadowed = 1; /* nested use of the same text: prepare a private one */
        }
    }
    void *impl = db->drv->prepare(db, sql);
    if (!impl) return NULL;
    struct db_stmt *s = xcalloc(1, sizeof *s);
    s->db = db;
    s->sql = xstrdup(sql);
    s->hash = h;
    s->in_use = 1;
    s->impl = impl;
    if (!shadowed) {
        s->cached = 1;
        s->next = *bucket;
        *bucket = s;
    }
    return s;
}

int db_bind_int64(struct db_stmt *st, int idx, int64_t v)
{
    return st->db->drv->bind_int64(st->impl, idx, v);
}

int db_bind_double(struct db_stmt *st, int idx, double v)
{
    return st->db->drv->bind_double(st->impl, idx, v);
}

int db_bind_text(struct db_stmt *st, int idx, const char *s, size_t len)
{
    if (!s) return st->db->drv->bind_null(st->impl, idx);
    if (len == (size_t)-1) len = strlen(s);
    return st->db->drv->bind_text(st->impl, idx, s, len);
}

int db_bind_blob(struct db_stmt *st, int idx, const void *data, size_t len)
{
    if (!data) return st->db->drv->bind_null(st->impl, idx);
    return st->db->drv->bind_blob(st->impl, idx, data, len);
}

int db_bind_null(struct db_stmt *st, int idx)
{
    return st->db->drv->bind_null(st->impl, idx);
}

int db_step(struct db_stmt *st)
{
    if (st->sql[0] != 'S') tl_stamps.valid = 0; /* a write: its stamps are new */
    return st->db->drv->step(st->db, st->impl);
}

int db_column_count(struct db_stmt *st)
{
    return st->db->drv->column_count(st->impl);
}

int db_column_is_null(struct db_stmt *st, int col)
{
    return st->db->drv->column_is_null(st->impl, col);
}

int64_t db_column_int64(struct db_stmt *st, int col)
{
    return st->db->drv->column_int64(st->impl, col);
}

double db_column_double(struct db_stmt *st, int col)
{
    return st->db->drv->column_double(st->impl, col);
}

const char *db_column_text(struct db_stmt *st, int col)
{
    return st->db->drv->column_text(st->impl, col);
}

size_t db_column_bytes(struct db_stmt *st, int col)
{
    return st->db->drv->column_bytes(st->impl, col);
}

unsigned char *db_column_blob(struct db_stmt *st, int col, size_t *len)
{
    *len = 0;
    return st->db->drv->column_blob(st->impl, col, len);
}

void db_reset(struct db_stmt *st)
{
    st->db->drv->reset(st->impl);
}

int db_run_id_text(struct db_stmt *st, int64_t id, const char *text)
{
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, id);
    db_bind_text(st, 2, text, (size_t)-1);
    int rc = db_step(st);
    db_finalize(st);
    return rc;
}

void db_finalize(struct db_stmt *st)
{
    if (!st) return;
    st->db->drv->reset(st->impl);
    if (st->cached) {
        st->in_use = 0;
        return;
    }
    st->db->drv->finalize(st->impl);
    free(st->sql);
    free(st);
}

int64_t db_changes(struct db *db)
{
    return db->changes;
}

int db_exec(struct db *db, const char *sql)
{
    tl_stamps.valid = 0;
    return db->drv->exec(db, sql);
}

#define STAMP_CONFIG_SQL  "SELECT stamp FROM config_stamp WHERE id = 1"
#define STAMP_SESSION_SQL "SELECT stamp FROM session_stamp WHERE id = 1"
#define STAMP_DATA_SQL    "SELECT stamp FROM data_stamp"

static const char *const stamp_sql[] = {[DB_STAMP_CONFIG] = STAMP_CONFIG_SQL,
                                        [DB_STAMP_SESSION] = STAMP_SESSION_SQL,
                                        [DB_STAMP_DATA] = STAMP_DATA_SQL};

int db_stamp(struct db *db, enum db_stamp which, int64_t *out)
{
    if (!tl_stamps.held || db->drv->kind != DB_PG)
        return db_query_int64(db, stamp_sql[which], 0, 0, out);
    if (!tl_stamps.valid || tl_stamps.db != db) {
        /* in the order of enum db_stamp */
        struct db_stmt *st = db_prepare(db, "SELECT (" STAMP_CONFIG_SQL "), (" STAMP_SESSION_SQL
                                            "), (" STAMP_DATA_SQL ")");
        if (!st) return DB_ERR;
        int rc = db_step(st);
        if (rc == DB_ROW) {
            for (int i = 0; i < 3; i++)
                tl_stamps.v[i] = db_column_int64(st, i);
            tl_stamps.db = db;
            tl_stamps.valid = 1;
        }
        db_finalize(st);
        if (rc != DB_ROW) return rc == DB_DONE ? DB_ERR : rc;
    }
    *out = tl_stamps.v[which];
    return DB_OK;
}

void db_stamps_hold(int on)
{
    tl_stamps.held = on;
    tl_stamps.valid = 0;
}

void db_stamps_forget(void)
{
    tl_stamps.valid = 0;
}

int db_copy_begin(struct db *db, const char *sql)
{
    if (!db->drv->copy_begin) {
        db_set_error(db, "COPY needs PostgreSQL");
        return DB_ERR;
    }
    return db->drv->copy_begin(db, sql);
}

int db_copy_put(struct db *db, const void *data, size_t len)
{
    return db->drv->copy_put ? db->drv->copy_put(db, data, len) : DB_ERR;
}

int db_copy_end(struct db *db)
{
    return db->drv->copy_end ? db->drv->copy_end(db) : DB_ERR;
}

int db_begin(struct db *db)
{
    db->depth = 0;
    return db->drv->exec(db, db->drv->begin_sql);
}

int db_commit(struct db *db)
{
    if (db->drv->before_commit) {
        int rc = db->drv->before_commit(db);
        if (rc != DB_OK) return rc;
    }
    return db->drv->exec(db, "COMMIT");
}

int db_rollback(struct db *db)
{
    return db->drv->exec(db, "ROLLBACK");
}

int db_savepoint(struct db *db)
{
    return db->drv->exec(db, "SAVEPOINT job");
}

int db_release(struct db *db)
{
    return db->drv->exec(db, "RELEASE SAVEPOINT job");
}

int db_rollback_to(struct db *db)
{
    return db->drv->exec(db, "ROLLBACK TO SAVEPOINT job");
}

int db_read_begin(struct db *db)
{
    if (db->drv->kind != DB_SQLITE || db->reading++) return DB_OK;
    int rc = db->drv->exec(db, "BEGIN");
    if (rc != DB_OK) db->reading = 0;
    return rc;
}

int db_read_end(struct db *db)
{
    if (db->drv->kind != DB_SQLITE || !db->reading || --db->reading) return DB_OK;
    return db->drv->exec(db, "COMMIT");
}

int db_query_int64(struct db *db, const char *sql, int has_param, int64_t param, int64_t *out)
{
    struct db_stmt *st = db_prepare(db, sql);
    if (!st) return DB_ERR;
    if (has_param) db_bind_int64(st, 1, param);
    int rc = db_step(st);
    if (rc == DB_ROW) {
        *out = db_column_int64(st, 0);
        rc = DB_OK;
    }
    db_finalize(st);
    return rc;
}
