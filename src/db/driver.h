/* driver.h — what a storage driver provides to db.c.  Private to src/db/.
 *
 * db.c owns the statement cache, transactions and error text; a driver owns
 * its connection handle and native statements and maps its error codes to the
 * DB_* codes of db.h. */
#ifndef LUOSHI_DB_DRIVER_H
#define LUOSHI_DB_DRIVER_H

#include "db/db.h"

#define DB_CACHE_BUCKETS 64

struct db_stmt {
    struct db *db;
    char *sql; /* copy of the literal (cache key) */
    unsigned hash;
    int in_use;           /* handed out and not yet finalized */
    int cached;           /* lives in db->cache; else freed on finalize */
    struct db_stmt *next; /* cache chain */
    void *impl;           /* the driver's statement */
};

struct db {
    const struct db_driver *drv;
    void *impl; /* the driver's connection */
    char errmsg[512];
    int64_t changes;
    int depth;   /* savepoint nesting inside a transaction */
    int reading; /* db_read_begin's nesting: >0 inside a read transaction */
    struct db_stmt *cache[DB_CACHE_BUCKETS];
};

struct db_driver {
    enum db_kind kind;
    const char *begin_sql; /* how a write transaction starts */
    /* What db_commit does first, inside the transaction (NULL: nothing);
     * DB_OK, or an error and the transaction is to roll back. */
    int (*before_commit)(struct db *db);
    /* Open; return the impl or NULL with err set. */
    void *(*open)(const char *target, int flags, char *err, size_t errlen);
    void (*close)(void *impl);
    int (*alive)(void *impl);
    /* Prepare; NULL on error with db->errmsg set. */
    void *(*prepare)(struct db *db, const char *sql);
    void (*finalize)(void *st);
    void (*reset)(void *st);
    int (*bind_int64)(void *st, int idx, int64_t v);
    int (*bind_double)(void *st, int idx, double v);
    int (*bind_text)(void *st, int idx, const char *s, size_t len);
    int (*bind_null)(void *st, int idx);
    int (*bind_blob)(void *st, int idx, const void *data, size_t len);
    /* Step; on DB_DONE set db->changes; on error set db->errmsg. */
    int (*step)(struct db *db, void *st);
    int (*column_count)(void *st);
    int (*column_is_null)(void *st, int col);
    int64_t (*column_int64)(void *st, int col);
    double (*column_double)(void *st, int col);
    const char *(*column_text)(void *st, int col);
    size_t (*column_bytes)(void *st, int col);
    /* A copy of a BLOB/bytea column's bytes (caller frees), *len its length;
     * NULL for SQL NULL or bytes that do not decode. */
    unsigned char *(*column_blob)(void *st, int col, size_t *len);
    /* Run a parameterless script; on error set db->errmsg. */
    int (*exec)(struct db *db, const char *sql);
    /* COPY … FROM STDIN (PostgreSQL only; NULL elsewhere): start it, send
     * text-format data in any chunks, end it.  On error set db->errmsg. */
    int (*copy_begin)(struct db *db, const char *sql);
    int (*copy_put)(struct db *db, const void *data, size_t len);
    int (*copy_end)(struct db *db);
};

extern const struct db_driver db_sqlite_driver;
extern const struct db_driver db_pg_driver;

/* Set db->errmsg printf-style (for drivers and db.c). */
void db_set_error(struct db *db, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* 1 when the connection is usable. */
int db_alive(struct db *db);

#endif
