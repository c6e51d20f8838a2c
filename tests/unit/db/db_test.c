/* db_test.c — the contract of the database facade (db.h), run against SQLite
 * always and against PostgreSQL too when LUOSHI_TEST_PG holds a URL (see
 * docs/postgresql.md; scripts/pg-test-cluster starts a private server).
 *
 * Every test gets a fresh, migrated database: a temporary SQLite file, or a
 * PostgreSQL schema of its own (dropped and created again, reached through
 * search_path in the URL), so runs are repeatable and never see each other.
 * Tests are tables of {input, expected} where that reads better; a few check
 * behaviour that differs between the engines and say which and why. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/db.h"
#include "db/driver.h" /* db_alive */
#include "util/log.h"
#include "util/str.h"

struct env {
    enum db_kind kind;
    char target[1024]; /* what db_open and db_pool_open get */
    char path[256];    /* SQLite: the temporary file */
    char schema[64];   /* PostgreSQL: the schema of this test */
    struct db *db;
};

static const char *pg_url;  /* LUOSHI_TEST_PG, or NULL */
static struct db *pg_admin; /* creates and drops the per-test schemas */
static int schema_counter;

/* ---- fresh databases ---- */

static void sqlite_remove(const char *path)
{
    char p[300];
    unlink(path);
    snprintf(p, sizeof p, "%s-wal", path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", path);
    unlink(p);
}

/* Make a fresh, empty SQLite file and name it in e->target. */
static int sqlite_fresh(struct env *e)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(e->path, sizeof e->path, "%s/luoshi-db-test-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    int fd = mkstemp(e->path);
    if (fd < 0) return -1;
    close(fd);
    snprintf(e->target, sizeof e->target, "%s", e->path);
    return 0;
}

/* Make a fresh schema and a URL whose connections use it. */
static int pg_fresh(struct env *e)
{
    char sql[256];
    snprintf(e->schema, sizeof e->schema, "luoshi_test_%ld_%d", (long)getpid(), ++schema_counter);
    snprintf(sql, sizeof sql, "DROP SCHEMA IF EXISTS %s CASCADE; CREATE SCHEMA %s", e->schema,
             e->schema);
    if (db_exec(pg_admin, sql) != DB_OK) {
        print_error("cannot create schema %s: %s\n", e->schema, db_errmsg(pg_admin));
        return -1;
    }
    snprintf(e->target, sizeof e->target, "%s%coptions=-csearch_path%%3D%s", pg_url,
             strchr(pg_url, '?') ? '&' : '?', e->schema);
    return 0;
}

/* Open a fresh database of e->kind and migrate it; every migration must run. */
static int env_open(struct env *e)
{
    if ((e->kind == DB_SQLITE ? sqlite_fresh(e) : pg_fresh(e)) != 0) return -1;
    char err[512];
    e->db = db_open(e->target, DB_OPEN_CREATE, err, sizeof err);
    if (!e->db) {
        print_error("db_open(%s): %s\n", e->target, err);
        return -1;
    }
    int applied = -1;
    if (db_migrate(e->db, &applied, err, sizeof err) != DB_OK) {
        print_error("db_migrate: %s\n", err);
        return -1;
    }
    if (applied != db_schema_known(e->kind) || applied < 1) {
        print_error("db_migrate applied %d of %d\n", applied, db_schema_known(e->kind));
        return -1;
    }
    return 0;
}

static int setup_sqlite(void **state)
{
    struct env *e = calloc(1, sizeof *e);
    e->kind = DB_SQLITE;
    *state = e;
    return env_open(e);
}

static int setup_pg(void **state)
{
    struct env *e = calloc(1, sizeof *e);
    e->kind = DB_PG;
    *state = e;
    return env_open(e);
}

static int env_teardown(void **state)
{
    struct env *e = *state;
    db_close(e->db);
    if (e->kind == DB_SQLITE && e->path[0]) sqlite_remove(e->path);
    if (e->kind == DB_PG && e->schema[0]) {
        char sql[128];
        snprintf(sql, sizeof sql, "DROP SCHEMA IF EXISTS %s CASCADE", e->schema);
        db_exec(pg_admin, sql);
    }
    free(e);
    return 0;
}

/* ---- helpers ---- */

/* One parameter: t is 'i' int64, 'd' double, 's' text, 'n' NULL. */
struct bind {
    int idx;
    char t;
    int64_t i;
    double d;
    const char *s;
};

static void bind_all(struct db_stmt *st, const struct bind *b, int n)
{
    for (int k = 0; k < n; k++) {
        int rc = b[k].t == 'i'   ? db_bind_int64(st, b[k].idx, b[k].i)
                 : b[k].t == 'd' ? db_bind_double(st, b[k].idx, b[k].d)
                 : b[k].t == 's' ? db_bind_text(st, b[k].idx, b[k].s, (size_t)-1)
                                 : db_bind_null(st, b[k].idx);
        assert_int_equal(rc, DB_OK);
    }
}

/* Run sql with bindings to the end; returns DB_DONE or the error. */
static int run(struct db *db, const char *sql, const struct bind *b, int n)
{
    struct db_stmt *st = db_prepare(db, sql);
    if (!st) return DB_ERR;
    bind_all(st, b, n);
    int rc;
    while ((rc = db_step(st)) == DB_ROW) continue;
    db_finalize(st);
    return rc;
}

/* SELECT of one integer; fails the test unless a row comes back. */
static int64_t one_int(struct db *db, const char *sql)
{
    int64_t v = -1;
    int rc = db_query_int64(db, sql, 0, 0, &v);
    if (rc != DB_OK) fail_msg("%s: rc %d: %s", sql, rc, db_errmsg(db));
    return v;
}

#define assert_double_same(got, want)                                                      \
    do {                                                                                   \
        double g_ = (got), w_ = (want);                                                    \
        if (g_ != w_) fail_msg("%.17g != %.17g", g_, w_);                                  \
    } while (0)

static void add_units(struct db *db, int n)
{
    for (int k = 1; k <= n; k++) {
        char code[16];
        snprintf(code, sizeof code, "u%d", k);
        struct bind b[] = {{1, 's', 0, 0, code}, {2, 's', 0, 0, "单位"}};
        assert_int_equal(run(db,
                             "INSERT INTO units (code, name, kind, created_at)"
                             " VALUES (?1, ?2, 'department', 0)",
                             b, 2),
                         DB_DONE);
    }
}

static int64_t settings_count(struct db *db)
{
    return one_int(db, "SELECT count(*) FROM settings");
}

static int put(struct db *db, const char *key)
{
    struct bind b[] = {{1, 's', 0, 0, key}};
    return run(db, "INSERT INTO settings (key, value) VALUES (?1, 'v')", b, 1);
}

/* ---- values ---- */

/* Every column type, NULL and UTF-8 text survive a round trip exactly. */
static void test_types(void **state)
{
    struct env *e = *state;
    static const struct {
        int64_t i;
        double r;
        const char *s;
        int null; /* i and r are NULL */
    } rows[] = {
        {INT64_MAX, 1.5, "plain", 0},
        {INT64_MIN, -0.1, "中文 汉字", 0},
        {0, 1e300, "", 0},
        {0, 0, NULL, 1},
        {-1, 2.2250738585072014e-308, "it's \"quoted\" ?1 $1 -- /*", 0},
        {42, 0.30000000000000004, "emoji 🙂 … ünïcödé", 0},
    };
    const int n = (int)(sizeof rows / sizeof rows[0]);
    assert_int_equal(db_exec(e->db, e->kind == DB_PG ? "CREATE TABLE vals (n BIGINT PRIMARY KEY,"
                                                       " i BIGINT, r DOUBLE PRECISION, s TEXT)"
                                                     : "CREATE TABLE vals (n INTEGER PRIMARY KEY,"
                                                       " i INTEGER, r REAL, s TEXT)"),
                     DB_OK);
    for (int k = 0; k < n; k++) {
        struct bind b[] = {{1, 'i', k, 0, NULL},
                           {2, rows[k].null ? 'n' : 'i', rows[k].i, 0, NULL},
                           {3, rows[k].null ? 'n' : 'd', 0, rows[k].r, NULL},
                           {4, rows[k].s ? 's' : 'n', 0, 0, rows[k].s}};
        assert_int_equal(run(e->db, "INSERT INTO vals (n, i, r, s) VALUES (?1, ?2, ?3, ?4)", b, 4),
                         DB_DONE);
    }
    struct db_stmt *st = db_prepare(e->db, "SELECT n, i, r, s FROM vals ORDER BY n");
    assert_non_null(st);
    for (int k = 0; k < n; k++) {
        assert_int_equal(db_step(st), DB_ROW);
        assert_int_equal(db_column_count(st), 4);
        assert_int_equal(db_column_int64(st, 0), k);
        assert_int_equal(db_column_is_null(st, 1), rows[k].null);
        assert_int_equal(db_column_is_null(st, 2), rows[k].null);
        assert_int_equal(db_column_int64(st, 1), rows[k].i);
        assert_double_same(db_column_double(st, 2), rows[k].r);
        if (rows[k].null) {
            assert_null(db_column_text(st, 1));
            assert_int_equal(db_column_bytes(st, 1), 0);
        } else {
            char want[32];
            snprintf(want, sizeof want, "%lld", (long long)rows[k].i);
            assert_string_equal(db_column_text(st, 1), want);
            assert_double_same(db_column_double(st, 1), (double)rows[k].i);
        }
        if (!rows[k].s) {
            assert_null(db_column_text(st, 3));
            assert_int_equal(db_column_is_null(st, 3), 1);
        } else {
            assert_string_equal(db_column_text(st, 3), rows[k].s);
            assert_int_equal(db_column_bytes(st, 3), strlen(rows[k].s));
            assert_int_equal(db_column_is_null(st, 3), 0);
        }
    }
    assert_int_equal(db_step(st), DB_DONE);
    db_finalize(st);
}

/* Placeholders: reused, out of order, sparse, and left alone inside string
 * literals, quoted identifiers and comments. */
static void test_placeholders(void **state)
{
    struct env *e = *state;
    static const struct {
        const char *sql;
        struct bind b[3];
        int nb;
        const char *want; /* NULL: SQL NULL */
    } cases[] = {
        {"SELECT ?1 || ?1", {{1, 's', 0, 0, "ab"}}, 1, "abab"},
        {"SELECT ?2 || ?1", {{1, 's', 0, 0, "a"}, {2, 's', 0, 0, "b"}}, 2, "ba"},
        {"SELECT '?1' || ?1", {{1, 's', 0, 0, "x"}}, 1, "?1x"},
        {"SELECT 'it''s ?2' || ?1", {{1, 's', 0, 0, "!"}}, 1, "it's ?2!"},
        {"SELECT ?1 AS \"?2 \"\"q\"\"\"", {{1, 's', 0, 0, "id"}}, 1, "id"},
        {"SELECT ?1 -- ?2 ?3\n", {{1, 's', 0, 0, "c1"}}, 1, "c1"},
        {"SELECT /* ?2 '?3 */ ?1", {{1, 's', 0, 0, "c2"}}, 1, "c2"},
        {"SELECT ?3", {{3, 's', 0, 0, "sparse"}}, 1, "sparse"},
        {"SELECT ?1 + ?2", {{1, 'i', 40, 0, NULL}, {2, 'i', 2, 0, NULL}}, 2, "42"},
        {"SELECT ?1 * 2", {{1, 'd', 0, 1.25, NULL}}, 1, "2.5"},
        {"SELECT CAST(?1 AS TEXT)", {{1, 'i', -7, 0, NULL}}, 1, "-7"},
        {"SELECT coalesce(?1, 'none')", {{1, 'n', 0, 0, NULL}}, 1, "none"},
        {"SELECT ?1", {{1, 'n', 0, 0, NULL}}, 1, NULL},
        {"SELECT ?1 = ?1", {{1, 'i', 3, 0, NULL}}, 1, "1"},
        {"SELECT ?1 < ?2", {{1, 'i', 3, 0, NULL}, {2, 'i', 2, 0, NULL}}, 2, "0"},
        {"SELECT length(?1)", {{1, 's', 0, 0, "中文"}}, 1, "2"},
        {"SELECT ? || ? || ?3", {{1, 's', 0, 0, "x"}, {2, 's', 0, 0, "y"}, {3, 's', 0, 0, "z"}},
         3, "xyz"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        struct db_stmt *st = db_prepare(e->db, cases[k].sql);
        if (!st) fail_msg("%s: %s", cases[k].sql, db_errmsg(e->db));
        bind_all(st, cases[k].b, cases[k].nb);
        int rc = db_step(st);
        if (rc != DB_ROW) fail_msg("%s: rc %d: %s", cases[k].sql, rc, db_errmsg(e->db));
        const char *got = db_column_text(st, 0);
        if (!str_eq(got, cases[k].want))
            fail_msg("%s: got %s, want %s", cases[k].sql, got ? got : "NULL",
                     cases[k].want ? cases[k].want : "NULL");
        assert_int_equal(db_step(st), DB_DONE);
        db_finalize(st);
    }
}

/* A parameter typed by its context even when first bound to NULL, and a
 * statement bound with other types on later runs. */
static void test_type_inference(void **state)
{
    struct env *e = *state;
    add_units(e->db, 3);
    struct db_stmt *st =
        db_prepare(e->db, "SELECT count(*) FROM units WHERE ?1 IS NULL OR id = ?1");
    static const struct {
        char t;
        int64_t id;
        int64_t want;
    } runs[] = {{'n', 0, 3}, {'i', 2, 1}, {'n', 0, 3}, {'i', 99, 0}};
    for (size_t k = 0; k < sizeof runs / sizeof runs[0]; k++) {
        if (runs[k].t == 'n')
            db_bind_null(st, 1);
        else
            db_bind_int64(st, 1, runs[k].id);
        int rc = db_step(st);
        if (rc != DB_ROW) fail_msg("run %zu: rc %d: %s", k, rc, db_errmsg(e->db));
        assert_int_equal(db_column_int64(st, 0), runs[k].want);
        db_reset(st);
    }
    db_finalize(st);

    st = db_prepare(e->db, "SELECT ?1 IS NULL");
    db_bind_null(st, 1);
    assert_int_equal(db_step(st), DB_ROW);
    assert_int_equal(db_column_int64(st, 0), 1);
    db_reset(st);
    db_bind_int64(st, 1, 5);
    assert_int_equal(db_step(st), DB_ROW);
    assert_string_equal(db_column_text(st, 0), "0");
    db_finalize(st);

    st = db_prepare(e->db, "SELECT ?1");
    db_bind_int64(st, 1, 5);
    assert_int_equal(db_step(st), DB_ROW);
    assert_string_equal(db_column_text(st, 0), "5");
    db_reset(st);
    db_bind_text(st, 1, "abc", 3);
    assert_int_equal(db_step(st), DB_ROW);
    assert_string_equal(db_column_text(st, 0), "abc");
    db_reset(st);
    db_bind_double(st, 1, 2.5);
    assert_int_equal(db_step(st), DB_ROW);
    assert_double_same(db_column_double(st, 0), 2.5);
    db_finalize(st);
}

/* Optional filters ("?1 IS NULL OR …"), several at once, first run inside a
 * transaction, which the driver's type inference must leave usable. */
static void test_optional_filters(void **state)
{
    struct env *e = *state;
    struct db_stmt *st;
    add_units(e->db, 3);
    assert_int_equal(db_begin(e->db), DB_OK);
    static const struct {
        struct bind b[2];
        int64_t want;
    } filters[] = {
        {{{1, 'n', 0, 0, NULL}, {2, 'n', 0, 0, NULL}}, 3},
        {{{1, 'n', 0, 0, NULL}, {2, 's', 0, 0, "u2"}}, 1},
        {{{1, 'i', 3, 0, NULL}, {2, 'n', 0, 0, NULL}}, 1},
        {{{1, 'i', 3, 0, NULL}, {2, 's', 0, 0, "u2"}}, 0},
    };
    for (size_t k = 0; k < sizeof filters / sizeof filters[0]; k++) {
        st = db_prepare(e->db, "SELECT count(*) FROM units"
                               " WHERE (?1 IS NULL OR id = ?1) AND (?2 IS NOT NULL AND code = ?2"
                               " OR ?2 IS NULL)");
        bind_all(st, filters[k].b, 2);
        int rc = db_step(st);
        if (rc != DB_ROW) fail_msg("filter %zu: rc %d: %s", k, rc, db_errmsg(e->db));
        assert_int_equal(db_column_int64(st, 0), filters[k].want);
        db_finalize(st);
    }
    static const char *const real_filter =
        "SELECT count(*) FROM items WHERE ?1 IS NULL OR metric_value > ?1";
    st = db_prepare(e->db, real_filter);
    db_bind_null(st, 1);
    assert_int_equal(db_step(st), DB_ROW);
    assert_int_equal(db_column_int64(st, 0), 0);
    db_reset(st);
    db_bind_double(st, 1, 0.5);
    assert_int_equal(db_step(st), DB_ROW);
    db_finalize(st);
    assert_int_equal(put(e->db, "in-tx"), DB_DONE);
    assert_int_equal(db_commit(e->db), DB_OK);
    assert_int_equal(one_int(e->db, "SELECT count(*) FROM settings"), 1);
}

/* Binding outside 1..highest placeholder is an error; text is copied. */
static void test_bind(void **state)
{
    struct env *e = *state;
    struct db_stmt *st = db_prepare(e->db, "SELECT ?1, ?2");
    assert_int_equal(db_bind_int64(st, 0, 1), DB_ERR);
    assert_int_equal(db_bind_int64(st, 3, 1), DB_ERR);
    assert_int_equal(db_bind_text(st, 3, "x", 1), DB_ERR);
    char buf[8] = "abcdef";
    assert_int_equal(db_bind_text(st, 1, buf, 3), DB_OK);
    assert_int_equal(db_bind_text(st, 2, NULL, 0), DB_OK);
    memcpy(buf, "zzzzzz", 6);
    assert_int_equal(db_step(st), DB_ROW);
    assert_string_equal(db_column_text(st, 0), "abc");
    assert_int_equal(db_column_bytes(st, 0), 3);
    assert_null(db_column_text(st, 1));
    db_finalize(st);
    assert_null(db_prepare(e->db, "SELECT ?0"));
}

/* INSERT … RETURNING gives the new id; db_changes counts changed rows only. */
static void test_returning_changes(void **state)
{
    struct env *e = *state;
    for (int k = 1; k <= 3; k++) {
        struct db_stmt *st = db_prepare(e->db, "INSERT INTO units (code, name, kind, created_at)"
                                               " VALUES (?1, 'n', ?2, 0) RETURNING id");
        char code[16];
        snprintf(code, sizeof code, "c%d", k);
        db_bind_text(st, 1, code, (size_t)-1);
        db_bind_text(st, 2, k == 3 ? "town" : "grid", (size_t)-1);
        assert_int_equal(db_step(st), DB_ROW);
        assert_int_equal(db_column_int64(st, 0), k);
        assert_int_equal(db_step(st), DB_DONE);
        db_finalize(st);
        assert_int_equal(db_changes(e->db), 1);
    }
    struct bind b[] = {{1, 's', 0, 0, "新名"}, {2, 's', 0, 0, "grid"}};
    assert_int_equal(run(e->db, "UPDATE units SET name = ?1 WHERE kind = ?2", b, 2), DB_DONE);
    assert_int_equal(db_changes(e->db), 2);
    assert_int_equal(one_int(e->db, "SELECT count(*) FROM units"), 3);
    assert_int_equal(db_changes(e->db), 2);
    assert_int_equal(run(e->db, "UPDATE units SET name = 'x' WHERE id < 0", NULL, 0), DB_DONE);
    assert_int_equal(db_changes(e->db), 0);
    assert_int_equal(run(e->db, "DELETE FROM units WHERE kind = 'grid'", NULL, 0), DB_DONE);
    assert_int_equal(db_changes(e->db), 2);
    int64_t v = -1;
    assert_int_equal(db_query_int64(e->db, "SELECT id FROM units WHERE id = ?1", 1, 99, &v),
                     DB_DONE);
    assert_int_equal(db_query_int64(e->db, "SELECT id FROM units WHERE id = ?1", 1, 3, &v), DB_OK);
    assert_int_equal(v, 3);
}

/* Constraint violations map to DB_UNIQUE and DB_CONSTRAINT, with a message. */
static void test_constraints(void **state)
{
    struct env *e = *state;
    add_units(e->db, 1);
    static const struct {
        const char *sql;
        int want;
    } cases[] = {
        {"INSERT INTO units (code, name, kind, created_at) VALUES ('u1', 'x', 'town', 0)",
         DB_UNIQUE},
        {"INSERT INTO units (id, code, name, kind, created_at) VALUES (1, 'u9', 'x', 'town', 0)",
         DB_UNIQUE},
        {"INSERT INTO users (username, unit_id, roles, password_hash, created_at)"
         " VALUES ('a', 999, 1, 'h', 0)",
         DB_CONSTRAINT},
        {"INSERT INTO units (code, name, kind, created_at) VALUES ('u2', 'x', 'bogus', 0)",
         DB_CONSTRAINT},
        {"INSERT INTO units (code, name, kind, created_at) VALUES ('u3', NULL, 'town', 0)",
         DB_CONSTRAINT},
        {"DELETE FROM units WHERE id = 1", DB_CONSTRAINT}, /* user b belongs to it */
        {"SELECT nosuchcolumn FROM units", DB_ERR},
    };
    assert_int_equal(run(e->db,
                         "INSERT INTO users (username, unit_id, roles, password_hash, created_at)"
                         " VALUES ('b', 1, 1, 'h', 0)",
                         NULL, 0),
                     DB_DONE);
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        const char *sql = cases[k].sql;
        int want = cases[k].want;
        int rc = run(e->db, sql, NULL, 0);
        if (rc != want) fail_msg("%s: rc %d, want %d (%s)", sql, rc, want, db_errmsg(e->db));
        assert_true(db_errmsg(e->db)[0] != '\0');
    }
    assert_int_equal(one_int(e->db, "SELECT count(*) FROM units"), 1);
}

/* ---- transactions ---- */

/* Rolling back to a savepoint undoes only what came after it, also after a
 * failed statement; the outer transaction commits the rest. */
static void test_savepoint(void **state)
{
    struct env *e = *state;
    struct db *db = e->db;
    assert_int_equal(db_begin(db), DB_OK);
    assert_int_equal(put(db, "a"), DB_DONE);
    assert_int_equal(db_savepoint(db), DB_OK);
    assert_int_equal(put(db, "b"), DB_DONE);
    assert_int_equal(db_rollback_to(db), DB_OK);
    assert_int_equal(db_release(db), DB_OK);
    assert_int_equal(db_savepoint(db), DB_OK);
    assert_int_equal(put(db, "a"), DB_UNIQUE);
    assert_int_equal(db_rollback_to(db), DB_OK);
    assert_int_equal(db_release(db), DB_OK);
    assert_int_equal(put(db, "c"), DB_DONE);
    assert_int_equal(db_commit(db), DB_OK);
    assert_int_equal(settings_count(db), 2);
    assert_int_equal(one_int(db, "SELECT count(*) FROM settings WHERE key IN ('a', 'c')"), 2);

    assert_int_equal(db_begin(db), DB_OK);
    assert_int_equal(put(db, "d"), DB_DONE);
    assert_int_equal(db_rollback(db), DB_OK);
    assert_int_equal(settings_count(db), 2);
}

/* A failed statement inside a transaction: SQLite undoes that statement only;
 * PostgreSQL aborts the whole transaction, and then COMMIT must say so rather
 * than report success for what the server rolled back. */
static void test_commit_after_error(void **state)
{
    struct env *e = *state;
    struct db *db = e->db;
    assert_int_equal(put(db, "x"), DB_DONE);
    assert_int_equal(db_begin(db), DB_OK);
    assert_int_equal(put(db, "y"), DB_DONE);
    assert_int_equal(put(db, "x"), DB_UNIQUE);
    if (e->kind == DB_SQLITE) {
        assert_int_equal(db_commit(db), DB_OK);
        assert_int_equal(settings_count(db), 2);
    } else {
        assert_int_equal(put(db, "z"), DB_ERR);
        assert_int_equal(db_commit(db), DB_ERR);
        assert_non_null(strstr(db_errmsg(db), "rolled back"));
        assert_int_equal(settings_count(db), 1);
    }
    assert_int_equal(db_begin(db), DB_OK);
    assert_int_equal(put(db, "w"), DB_DONE);
    assert_int_equal(db_commit(db), DB_OK);
}

/* Scripts of several statements; a bad one reports an error and a message. */
static void test_exec(void **state)
{
    struct env *e = *state;
    assert_int_equal(db_exec(e->db, "INSERT INTO settings (key, value) VALUES ('s1', '1');"
                                    "INSERT INTO settings (key, value) VALUES ('s2', '中');"),
                     DB_OK);
    assert_int_equal(settings_count(e->db), 2);
    assert_int_equal(db_exec(e->db, "INSERT INTO nosuchtable VALUES (1)"), DB_ERR);
    assert_non_null(strstr(db_errmsg(e->db), "nosuchtable"));
    assert_int_equal(db_exec(e->db, "INSERT INTO settings (key, value) VALUES ('s1', '1')"),
                     DB_UNIQUE);
}

/* Reset starts a statement over; the same text used twice at once (nested)
 * gets two independent statements. */
static void test_reset_nested(void **state)
{
    struct env *e = *state;
    add_units(e->db, 3);
    const char *sql = "SELECT id FROM units WHERE id >= ?1 ORDER BY id";
    struct db_stmt *outer = db_prepare(e->db, sql);
    db_bind_int64(outer, 1, 1);
    assert_int_equal(db_step(outer), DB_ROW);
    assert_int_equal(db_column_int64(outer, 0), 1);
    db_reset(outer);
    db_bind_int64(outer, 1, 2);
    int64_t sum = 0;
    while (db_step(outer) == DB_ROW) {
        struct db_stmt *inner = db_prepare(e->db, sql);
        assert_ptr_not_equal(inner, outer);
        db_bind_int64(inner, 1, db_column_int64(outer, 0));
        while (db_step(inner) == DB_ROW) sum += db_column_int64(inner, 0);
        db_finalize(inner);
    }
    db_finalize(outer);
    assert_int_equal(sum, (2 + 3) + 3);
    /* the cached statement is handed out again, ready to bind */
    struct db_stmt *again = db_prepare(e->db, sql);
    db_bind_int64(again, 1, 3);
    assert_int_equal(db_step(again), DB_ROW);
    assert_int_equal(db_column_int64(again, 0), 3);
    assert_int_equal(db_step(again), DB_DONE);
    db_finalize(again);
}

/* ---- migrations ---- */

/* Applied once (by the set-up), then nothing to do; a database newer than the
 * binary is refused and left alone. */
static void test_migrations(void **state)
{
    struct env *e = *state;
    int known = db_schema_known(e->kind);
    assert_true(known >= 1);
    assert_int_equal(db_schema_known(e->kind == DB_PG ? DB_SQLITE : DB_PG), known);
    assert_int_equal(db_schema_version(e->db), known);
    char err[512] = "";
    int applied = -1;
    assert_int_equal(db_migrate(e->db, &applied, err, sizeof err), DB_OK);
    assert_int_equal(applied, 0);
    assert_int_equal(one_int(e->db, "SELECT count(*) FROM schema_migrations"), known);
    assert_int_equal(one_int(e->db, "SELECT count(*) FROM items"), 0);

    struct bind b[] = {{1, 'i', known + 1, 0, NULL}};
    assert_int_equal(run(e->db,
                         "INSERT INTO schema_migrations (version, name, applied_at)"
                         " VALUES (?1, 'from the future', 0)",
                         b, 1),
                     DB_DONE);
    applied = -1;
    assert_int_equal(db_migrate(e->db, &applied, err, sizeof err), DB_ERR);
    assert_int_equal(applied, 0);
    assert_non_null(strstr(err, "use a newer luoshi"));
    assert_int_equal(db_schema_version(e->db), known + 1);
}

/* ---- the twin schemas ---- */

/* Each query yields one line per column, primary key, unique constraint,
 * foreign key and index, spelt the same way by both engines. */
static const char *const sqlite_shape[] = {
    "SELECT 'column ' || m.name || '.' || p.name || ' ' ||"
    " CASE upper(p.type) WHEN 'INTEGER' THEN 'int' WHEN 'BIGINT' THEN 'int'"
    " WHEN 'REAL' THEN 'real' WHEN 'TEXT' THEN 'text' ELSE p.type END ||"
    " CASE WHEN p.\"notnull\" OR p.pk THEN ' not null' ELSE '' END ||"
    " coalesce(' default ' || p.dflt_value, '')"
    " FROM sqlite_schema m, pragma_table_info(m.name) p WHERE m.type = 'table'",
    "SELECT 'pk ' || m.name || '(' || (SELECT group_concat(name, ',') FROM"
    " (SELECT name FROM pragma_table_info(m.name) WHERE pk > 0 ORDER BY pk)) || ')'"
    " FROM sqlite_schema m WHERE m.type = 'table'",
    "SELECT 'unique ' || m.name || '(' || (SELECT group_concat(name, ',') FROM"
    " (SELECT name FROM pragma_index_info(l.name) ORDER BY seqno)) || ')'"
    " FROM sqlite_schema m, pragma_index_list(m.name) l"
    " WHERE m.type = 'table' AND l.origin = 'u'",
    "SELECT 'fk ' || m.name || '(' || f.\"from\" || ') -> ' || f.\"table\" || '(' || f.\"to\" || ')'"
    " FROM sqlite_schema m, pragma_foreign_key_list(m.name) f WHERE m.type = 'table'",
    "SELECT 'index ' || m.name || ' on ' || m.tbl_name || '(' || (SELECT group_concat(name, ',')"
    " FROM (SELECT name FROM pragma_index_info(m.name) ORDER BY seqno)) || ')'"
    " FROM sqlite_schema m WHERE m.type = 'index' AND m.sql IS NOT NULL",
};

static const char *const pg_shape[] = {
    "SELECT 'column ' || table_name || '.' || column_name || ' ' ||"
    " CASE data_type WHEN 'bigint' THEN 'int' WHEN 'integer' THEN 'int'"
    " WHEN 'double precision' THEN 'real' WHEN 'text' THEN 'text' ELSE data_type END ||"
    " CASE WHEN is_nullable = 'NO' THEN ' not null' ELSE '' END ||"
    " coalesce(' default ' || regexp_replace(column_default, '::text$', ''), '')"
    " FROM information_schema.columns WHERE table_schema = current_schema()",
    "SELECT CASE c.contype WHEN 'p' THEN 'pk ' ELSE 'unique ' END || c.conrelid::regclass::text"
    " || '(' || (SELECT string_agg(a.attname, ',' ORDER BY k.ord)"
    " FROM unnest(c.conkey) WITH ORDINALITY k(att, ord)"
    " JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.att) || ')'"
    " FROM pg_constraint c"
    " WHERE c.connamespace = current_schema()::regnamespace AND c.contype IN ('p', 'u')",
    "SELECT 'fk ' || c.conrelid::regclass::text || '(' || a.attname || ') -> '"
    " || c.confrelid::regclass::text || '(' || af.attname || ')'"
    " FROM pg_constraint c"
    " JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]"
    " JOIN pg_attribute af ON af.attrelid = c.confrelid AND af.attnum = c.confkey[1]"
    " WHERE c.connamespace = current_schema()::regnamespace AND c.contype = 'f'",
    "SELECT 'index ' || indexname || ' on ' || tablename || '('"
    " || replace(regexp_replace(indexdef, '^.*\\((.*)\\)$', '\\1'), ', ', ',') || ')'"
    " FROM pg_indexes WHERE schemaname = current_schema() AND indexname NOT IN"
    " (SELECT conname FROM pg_constraint WHERE connamespace = current_schema()::regnamespace)",
};

struct lines {
    char *v[512];
    int n;
};

static int line_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void shape_collect(struct db *db, const char *const *queries, size_t nq, struct lines *out)
{
    for (size_t q = 0; q < nq; q++) {
        struct db_stmt *st = db_prepare(db, queries[q]);
        if (!st) fail_msg("%s", db_errmsg(db));
        int rc;
        while ((rc = db_step(st)) == DB_ROW) {
            assert_true(out->n < 512);
            const char *t = db_column_text(st, 0);
            assert_non_null(t);
            out->v[out->n++] = strdup(t);
        }
        if (rc != DB_DONE) fail_msg("%s: %s", queries[q], db_errmsg(db));
        db_finalize(st);
    }
    qsort(out->v, (size_t)out->n, sizeof out->v[0], line_cmp);
}

/* The PostgreSQL migrations describe the same tables, columns, defaults, keys
 * and indexes as the SQLite ones. */
static void test_schema_twins(void **state)
{
    struct env *e = *state;
    if (e->kind != DB_PG) skip();
    struct env lite = {.kind = DB_SQLITE};
    assert_int_equal(env_open(&lite), 0);
    struct lines a = {0}, b = {0};
    shape_collect(lite.db, sqlite_shape, sizeof sqlite_shape / sizeof sqlite_shape[0], &a);
    shape_collect(e->db, pg_shape, sizeof pg_shape / sizeof pg_shape[0], &b);
    db_close(lite.db);
    sqlite_remove(lite.path);
    int bad = 0;
    for (int i = 0, j = 0; i < a.n || j < b.n;) {
        int c = i == a.n ? 1 : j == b.n ? -1 : strcmp(a.v[i], b.v[j]);
        if (c == 0) {
            i++, j++;
            continue;
        }
        print_error(c < 0 ? "only in sqlite: %s\n" : "only in pg:     %s\n",
                    c < 0 ? a.v[i++] : b.v[j++]);
        bad++;
    }
    for (int i = 0; i < a.n; i++) free(a.v[i]);
    for (int j = 0; j < b.n; j++) free(b.v[j]);
    assert_int_equal(bad, 0);
    assert_true(a.n > 50);
}

/* ---- the pool ---- */

#define POOL_THREADS 32
#define POOL_JOBS 100

struct put_job {
    char key[32];
    int fail; /* insert, then return DB_CONSTRAINT: the insert must vanish */
};

static int put_job_run(struct db *db, void *ctx)
{
    struct put_job *j = ctx;
    struct db_stmt *st = db_prepare(db, "INSERT INTO settings (key, value) VALUES (?1, ?2)");
    if (!st) return DB_ERR;
    db_bind_text(st, 1, j->key, (size_t)-1);
    db_bind_text(st, 2, j->fail ? "bad" : "ok", (size_t)-1);
    int rc = db_step(st);
    db_finalize(st);
    if (rc != DB_DONE) return rc;
    return j->fail ? DB_CONSTRAINT : DB_OK;
}

struct pool_thread {
    struct db_pool *pool;
    int id;
    int wrong; /* results not as expected */
};

/* POOL_JOBS synchronous writes, every tenth failing; then this thread's own
 * reader must see exactly the others. */
static void *pool_thread_run(void *arg)
{
    struct pool_thread *t = arg;
    for (int k = 0; k < POOL_JOBS; k++) {
        struct put_job j = {.fail = k % 10 == 9};
        snprintf(j.key, sizeof j.key, "t%02d-%03d", t->id, k);
        int rc = db_pool_write(t->pool, put_job_run, &j);
        if (rc != (j.fail ? DB_CONSTRAINT : DB_OK)) t->wrong++;
    }
    struct db *r = db_pool_reader(t->pool);
    char like[16];
    snprintf(like, sizeof like, "t%02d-%%", t->id);
    struct db_stmt *st = r ? db_prepare(r, "SELECT count(*) FROM settings WHERE key LIKE ?1") : NULL;
    if (!st) {
        t->wrong++;
        return NULL;
    }
    db_bind_text(st, 1, like, (size_t)-1);
    if (db_step(st) != DB_ROW || db_column_int64(st, 0) != POOL_JOBS - POOL_JOBS / 10) t->wrong++;
    db_finalize(st);
    return NULL;
}

/* 32 threads × 100 writes through group commit: every acknowledged row is
 * there, and a job that fails rolls back only itself. */
static void test_pool_many(void **state)
{
    struct env *e = *state;
    char err[512];
    struct db_pool *p = db_pool_open(e->target, 4, err, sizeof err);
    if (!p) fail_msg("db_pool_open: %s", err);
    assert_int_equal(db_pool_kind(p), e->kind);
    pthread_t th[POOL_THREADS];
    struct pool_thread t[POOL_THREADS];
    for (int i = 0; i < POOL_THREADS; i++) {
        t[i] = (struct pool_thread){.pool = p, .id = i};
        assert_int_equal(pthread_create(&th[i], NULL, pool_thread_run, &t[i]), 0);
    }
    int wrong = 0;
    for (int i = 0; i < POOL_THREADS; i++) {
        pthread_join(th[i], NULL);
        wrong += t[i].wrong;
    }
    assert_int_equal(wrong, 0);
    struct db *r = db_pool_reader(p);
    assert_non_null(r);
    assert_int_equal(settings_count(r), POOL_THREADS * (POOL_JOBS - POOL_JOBS / 10));
    assert_int_equal(one_int(r, "SELECT count(*) FROM settings WHERE value = 'bad'"), 0);
    db_pool_close(p);
}

/* A job that ignores a failed statement and reports success.  SQLite undoes
 * just that statement; PostgreSQL aborts the transaction, so the job must be
 * told it failed, and its batch-mates must still be committed. */
static int sloppy_job_run(struct db *db, void *ctx)
{
    (void)ctx;
    put(db, "dup");          /* fails: the key exists */
    put(db, "after-sloppy"); /* on PostgreSQL fails too: the transaction is aborted */
    return DB_OK;
}

struct async_result {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int left;
    int rc[64];
};

struct async_job {
    struct put_job put;
    struct async_result *res;
    int slot;
};

static int async_put_run(struct db *db, void *ctx)
{
    return put_job_run(db, &((struct async_job *)ctx)->put);
}

static void async_done(void *ctx, int rc)
{
    struct async_job *j = ctx;
    pthread_mutex_lock(&j->res->mu);
    j->res->rc[j->slot] = rc;
    j->res->left--;
    pthread_cond_signal(&j->res->cv);
    pthread_mutex_unlock(&j->res->mu);
}

static void test_pool_sloppy_job(void **state)
{
    struct env *e = *state;
    assert_int_equal(put(e->db, "dup"), DB_DONE);
    char err[512];
    struct db_pool *p = db_pool_open(e->target, 1, err, sizeof err);
    if (!p) fail_msg("db_pool_open: %s", err);
    struct async_result res = {.left = 41};
    pthread_mutex_init(&res.mu, NULL);
    pthread_cond_init(&res.cv, NULL);
    struct async_job jobs[41];
    for (int k = 0; k < 41; k++) {
        jobs[k] = (struct async_job){.res = &res, .slot = k};
        snprintf(jobs[k].put.key, sizeof jobs[k].put.key, "k%02d", k);
        if (k == 20)
            db_pool_write_async(p, sloppy_job_run, &jobs[k], async_done);
        else
            db_pool_write_async(p, async_put_run, &jobs[k], async_done);
    }
    pthread_mutex_lock(&res.mu);
    while (res.left) pthread_cond_wait(&res.cv, &res.mu);
    pthread_mutex_unlock(&res.mu);
    for (int k = 0; k < 41; k++)
        if (k != 20) assert_int_equal(res.rc[k], DB_OK);
    assert_int_equal(res.rc[20], e->kind == DB_SQLITE ? DB_OK : DB_ERR);
    assert_int_equal(one_int(e->db, "SELECT count(*) FROM settings WHERE key LIKE 'k%'"), 41 - 1);
    assert_int_equal(one_int(e->db, "SELECT count(*) FROM settings WHERE key = 'after-sloppy'"),
                     e->kind == DB_SQLITE);
    db_pool_close(p);
    pthread_mutex_destroy(&res.mu);
    pthread_cond_destroy(&res.cv);
}

/* ---- PostgreSQL only ---- */

/* The session is set up as the driver promises. */
static void test_pg_session(void **state)
{
    struct env *e = *state;
    if (e->kind != DB_PG) skip();
    const struct {
        const char *sql, *want;
    } cases[] = {
        {"SELECT current_setting('TimeZone')", "UTC"},
        {"SELECT current_setting('client_encoding')", "UTF8"},
        {"SELECT current_setting('application_name')", "luoshi"},
        {"SELECT current_schema()", e->schema},
        {"SELECT to_char(to_timestamp(0), 'YYYY-MM-DD HH24:MI')", "1970-01-01 00:00"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        struct db_stmt *st = db_prepare(e->db, cases[k].sql);
        assert_int_equal(db_step(st), DB_ROW);
        assert_string_equal(db_column_text(st, 0), cases[k].want);
        db_finalize(st);
    }
}

/* Settings in the URL win over the driver's defaults, except the encoding,
 * which the driver depends on. */
static void test_pg_url(void **state)
{
    struct env *e = *state;
    if (e->kind != DB_PG) skip();
    char url[1200], err[512];
    snprintf(url, sizeof url, "%s&application_name=other&client_encoding=LATIN1", e->target);
    struct db *db = db_open(url, 0, err, sizeof err);
    if (!db) fail_msg("%s", err);
    struct db_stmt *st =
        db_prepare(db, "SELECT current_setting('application_name'), current_setting('client_encoding')");
    assert_int_equal(db_step(st), DB_ROW);
    assert_string_equal(db_column_text(st, 0), "other");
    assert_string_equal(db_column_text(st, 1), "UTF8");
    db_finalize(st);
    db_close(db);
    assert_null(db_open("postgres://luoshi@127.0.0.1:1/luoshi?connect_timeout=x", 0, err,
                        sizeof err));
}

/* A server that cannot be reached, and a connection the server ends, give
 * DB_UNAVAILABLE-kind failures and a dead db_alive(). */
static void test_pg_unavailable(void **state)
{
    struct env *e = *state;
    if (e->kind != DB_PG) skip();
    char err[512] = "";
    assert_null(db_open("postgres://luoshi@127.0.0.1:1/luoshi", 0, err, sizeof err));
    assert_non_null(strstr(err, "cannot connect to PostgreSQL"));

    struct db *victim = db_open(e->target, 0, err, sizeof err);
    assert_non_null(victim);
    int64_t pid = 0;
    assert_int_equal(db_query_int64(victim, "SELECT pg_backend_pid()", 0, 0, &pid), DB_OK);
    assert_int_equal(db_alive(victim), 1);
    int64_t ok = 0;
    assert_int_equal(db_query_int64(e->db, "SELECT CAST(pg_terminate_backend(CAST(?1 AS INTEGER)) AS INTEGER)", 1,
                                    pid, &ok),
                     DB_OK);
    assert_int_equal(ok, 1);
    int64_t v = 0;
    assert_int_equal(db_query_int64(victim, "SELECT 1", 0, 0, &v), DB_UNAVAILABLE);
    assert_int_equal(db_alive(victim), 0);
    assert_int_equal(db_exec(victim, "SELECT 1"), DB_UNAVAILABLE);
    db_close(victim);
}

/* ---- main ---- */

#define DB_TESTS(setup)                                                                    \
    cmocka_unit_test_setup_teardown(test_types, setup, env_teardown),                      \
        cmocka_unit_test_setup_teardown(test_placeholders, setup, env_teardown),           \
        cmocka_unit_test_setup_teardown(test_type_inference, setup, env_teardown),         \
        cmocka_unit_test_setup_teardown(test_optional_filters, setup, env_teardown),       \
        cmocka_unit_test_setup_teardown(test_bind, setup, env_teardown),                   \
        cmocka_unit_test_setup_teardown(test_returning_changes, setup, env_teardown),      \
        cmocka_unit_test_setup_teardown(test_constraints, setup, env_teardown),            \
        cmocka_unit_test_setup_teardown(test_savepoint, setup, env_teardown),              \
        cmocka_unit_test_setup_teardown(test_commit_after_error, setup, env_teardown),     \
        cmocka_unit_test_setup_teardown(test_exec, setup, env_teardown),                   \
        cmocka_unit_test_setup_teardown(test_reset_nested, setup, env_teardown),           \
        cmocka_unit_test_setup_teardown(test_migrations, setup, env_teardown),             \
        cmocka_unit_test_setup_teardown(test_pool_many, setup, env_teardown),              \
        cmocka_unit_test_setup_teardown(test_pool_sloppy_job, setup, env_teardown)

int main(void)
{
    log_quiet(1);
    const struct CMUnitTest sqlite_tests[] = {DB_TESTS(setup_sqlite)};
    int failed = cmocka_run_group_tests_name("db/sqlite", sqlite_tests, NULL, NULL);
    pg_url = getenv("LUOSHI_TEST_PG");
    if (!pg_url || !*pg_url) {
        printf("db: LUOSHI_TEST_PG is not set: PostgreSQL tests not run\n");
        return failed;
    }
    char err[512];
    pg_admin = db_open(pg_url, 0, err, sizeof err);
    if (!pg_admin) {
        fprintf(stderr, "db: LUOSHI_TEST_PG: %s\n", err);
        return failed + 1;
    }
    const struct CMUnitTest pg_tests[] = {
        DB_TESTS(setup_pg),
        cmocka_unit_test_setup_teardown(test_schema_twins, setup_pg, env_teardown),
        cmocka_unit_test_setup_teardown(test_pg_session, setup_pg, env_teardown),
        cmocka_unit_test_setup_teardown(test_pg_url, setup_pg, env_teardown),
        cmocka_unit_test_setup_teardown(test_pg_unavailable, setup_pg, env_teardown),
    };
    failed += cmocka_run_group_tests_name("db/postgresql", pg_tests, NULL, NULL);
    db_close(pg_admin);
    return failed;
}
