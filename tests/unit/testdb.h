/* testdb.h — real storage for unit tests: a fresh, migrated database per
 * test, either a temporary SQLite file or, during a test program's
 * PostgreSQL round (when LUOSHI_TEST_PG names a cluster), a schema of its
 * own on that cluster, dropped afterwards.  Include after <cmocka.h>.
 *
 *   struct testdb t;  testdb_open(&t, "action") … t.db … testdb_close(&t);
 *   return testdb_rounds("action", tests);   (in main: SQLite, then PostgreSQL)
 */
#ifndef LUOSHI_TESTS_TESTDB_H
#define LUOSHI_TESTS_TESTDB_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/db.h"

struct testdb {
    char path[64];     /* the SQLite file */
    char schema[64];   /* the PostgreSQL schema */
    char target[1024]; /* what db_open was given */
    struct db *db;
};

static const char *testdb_pg_url; /* set while the PostgreSQL round runs */
static struct db *testdb_pg_admin;
static int testdb_counter;

/* Open a fresh database for the test called name and migrate it.  0 ok, -1
 * (after printing why). */
static inline int testdb_open(struct testdb *t, const char *name)
{
    memset(t, 0, sizeof *t);
    if (testdb_pg_url) {
        char sql[256];
        snprintf(t->schema, sizeof t->schema, "luoshi_%s_%ld_%d", name, (long)getpid(),
                 ++testdb_counter);
        snprintf(sql, sizeof sql, "DROP SCHEMA IF EXISTS %s CASCADE; CREATE SCHEMA %s", t->schema,
                 t->schema);
        if (db_exec(testdb_pg_admin, sql) != DB_OK) return -1;
        snprintf(t->target, sizeof t->target, "%s%coptions=-csearch_path%%3D%s", testdb_pg_url,
                 strchr(testdb_pg_url, '?') ? '&' : '?', t->schema);
    } else {
        snprintf(t->path, sizeof t->path, "/tmp/luoshi-%s-test-XXXXXX", name);
        int fd = mkstemp(t->path);
        if (fd < 0) return -1;
        close(fd);
        snprintf(t->target, sizeof t->target, "%s", t->path);
    }
    char err[512];
    int applied;
    t->db = db_open(t->target, DB_OPEN_CREATE, err, sizeof err);
    if (!t->db || db_migrate(t->db, &applied, err, sizeof err) != DB_OK) {
        print_error("cannot open %s: %s\n", t->target, err);
        return -1;
    }
    return 0;
}

/* Close the database and remove it (the file with its WAL, or the schema). */
static inline void testdb_close(struct testdb *t)
{
    db_close(t->db);
    t->db = NULL;
    if (testdb_pg_url) {
        char sql[128];
        snprintf(sql, sizeof sql, "DROP SCHEMA IF EXISTS %s CASCADE", t->schema);
        db_exec(testdb_pg_admin, sql);
        return;
    }
    char p[80];
    unlink(t->path);
    snprintf(p, sizeof p, "%s-wal", t->path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", t->path);
    unlink(p);
}

/* Run tests[0..n) on SQLite, then again on PostgreSQL when LUOSHI_TEST_PG is
 * set.  Returns the number of failures (cmocka's group result). */
static inline int testdb_run(const char *name, const struct CMUnitTest *tests, size_t n)
{
    char label[64];
    snprintf(label, sizeof label, "%s/sqlite", name);
    int failed = _cmocka_run_group_tests(label, tests, n, NULL, NULL);
    const char *url = getenv("LUOSHI_TEST_PG");
    if (!url || !*url) {
        printf("%s: LUOSHI_TEST_PG is not set: PostgreSQL tests not run\n", name);
        return failed;
    }
    char err[512];
    testdb_pg_admin = db_open(url, 0, err, sizeof err);
    if (!testdb_pg_admin) {
        fprintf(stderr, "%s: LUOSHI_TEST_PG: %s\n", name, err);
        return failed + 1;
    }
    testdb_pg_url = url;
    snprintf(label, sizeof label, "%s/postgresql", name);
    failed += _cmocka_run_group_tests(label, tests, n, NULL, NULL);
    db_close(testdb_pg_admin);
    testdb_pg_url = NULL;
    return failed;
}

#define testdb_rounds(name, tests) testdb_run(name, tests, sizeof(tests) / sizeof((tests)[0]))

#endif
