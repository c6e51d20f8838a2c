/* concurrency_test.c — two instances writing to the same item at once must
 * never lose an update or fork its event chain.
 *
 * An "instance" here is what `luoshi serve` runs: a db_pool with its writer
 * threads (two each on PostgreSQL) and group commit.  Two pools on one
 * database, several client threads on each, all acting on ONE item: urges
 * through item_act (the versioned UPDATE of the item plus the event append)
 * and plain event appends.  Afterwards every acknowledged write is there
 * exactly once, nothing unacknowledged is, the item's version and event
 * sequence count every write, and luoshi's chain verification passes.
 *
 * Runs on SQLite always (one writer per file: the same code path, without
 * real contention) and on PostgreSQL when LUOSHI_TEST_PG holds a URL, in a
 * schema of its own (as db_test.c does). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/action.h"
#include "core/event.h"
#include "core/item.h"
#include "core/unit.h"
#include "core/user.h"
#include "db/db.h"
#include "testdb.h"
#include "util/buf.h"
#include "util/log.h"

#define INSTANCES 2
#define CLIENTS   4  /* per instance */
#define WRITES    25 /* per client */

struct fixture {
    struct testdb t;
    struct db *db;
    struct actor sup;
    int64_t unit, item;
};

/* A supervisor, a unit and one assigned item, committed. */
static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    *state = f;
    if (testdb_open(&f->t, "conc")) return -1;
    f->db = f->t.db;
    struct err e = {0};
    int64_t office, uid;
    if (db_begin(f->db) ||
        unit_add(f->db, NULL, "DCS", "督查室", "department", NULL, &office, &e) ||
        unit_add(f->db, NULL, "A", "发改局", "department", NULL, &f->unit, &e) ||
        user_add(f->db, NULL, "sup", "sup", "DCS", ROLE_SUPERVISOR, "x", &uid, &e))
        return -1;
    f->sup = (struct actor){
        .user_id = uid, .username = "sup", .unit_id = office, .roles = ROLE_SUPERVISOR};
    json_t *body = json_pack("{s:s,s:s}", "kind", "task", "title", "同一事项");
    struct item_input in;
    if (item_input_parse(body, &in, &e) || item_create(f->db, &f->sup, &in, &f->item, &e)) {
        print_error("create: %s\n", e.message);
        return -1;
    }
    json_decref(body);
    body = json_pack("{s:s,s:I,s:s}", "action", "assign", "lead_unit_id", (json_int_t)f->unit,
                     "deadline", "2031-06-30");
    int rc = item_act(f->db, &f->sup, f->item, body, &e);
    json_decref(body);
    if (rc != 0) {
        print_error("assign: %s\n", e.message);
        return -1;
    }
    return db_commit(f->db);
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    testdb_close(&f->t);
    free(f);
    return 0;
}

/* ---- the writers ---- */

struct write {
    struct fixture *f;
    int urge; /* 1: item_act urge; 0: event_append of a "note" */
    char text[32];
};

static int write_run(struct db *db, void *ctx)
{
    struct write *w = ctx;
    if (!w->urge) {
        json_t *data = json_pack("{s:s}", "text", w->text);
        int rc = event_append(db, w->f->item, &w->f->sup, "note", data);
        json_decref(data);
        return rc;
    }
    json_t *body = json_pack("{s:s,s:s}", "action", "urge", "text", w->text);
    struct err e = {0};
    int rc = item_act(db, &w->f->sup, w->f->item, body, &e);
    json_decref(body);
    if (rc == DB_RETRY) return DB_RETRY;
    return rc == 0 ? DB_OK : DB_ERR;
}

struct client {
    struct fixture *f;
    struct db_pool *pool;
    int id;
    int acked[WRITES]; /* 1 when the write was acknowledged (DB_OK) */
    int failed;
};

static void *client_run(void *arg)
{
    struct client *c = arg;
    for (int k = 0; k < WRITES; k++) {
        struct write w = {.f = c->f, .urge = k % 2 == 0};
        snprintf(w.text, sizeof w.text, "c%d-%d", c->id, k);
        int rc = db_pool_write(c->pool, write_run, &w);
        c->acked[k] = rc == DB_OK;
        c->failed += rc != DB_OK;
    }
    return NULL;
}

/* Rows whose text (urges.text, or the event's data) is text. */
static int64_t count_text(struct db *db, const char *sql, const char *text)
{
    struct db_stmt *st = db_prepare(db, sql);
    assert_non_null(st);
    db_bind_text(st, 1, text, (size_t)-1);
    assert_int_equal(db_step(st), DB_ROW);
    int64_t n = db_column_int64(st, 0);
    db_finalize(st);
    return n;
}

static void test_same_item(void **state)
{
    struct fixture *f = *state;
    char err[512];
    struct db_pool *pools[INSTANCES];
    for (int i = 0; i < INSTANCES; i++) {
        pools[i] = db_pool_open(f->t.target, 2, err, sizeof err);
        if (!pools[i]) fail_msg("db_pool_open: %s", err);
    }
    int64_t version0 = 0;
    assert_int_equal(
        db_query_int64(f->db, "SELECT version FROM items WHERE id = ?1", 1, f->item, &version0),
        DB_OK);
    pthread_t th[INSTANCES * CLIENTS];
    static struct client c[INSTANCES * CLIENTS];
    for (int i = 0; i < INSTANCES * CLIENTS; i++) {
        c[i] = (struct client){.f = f, .pool = pools[i % INSTANCES], .id = i};
        assert_int_equal(pthread_create(&th[i], NULL, client_run, &c[i]), 0);
    }
    int urges = 0, notes = 0, failed = 0;
    for (int i = 0; i < INSTANCES * CLIENTS; i++) {
        pthread_join(th[i], NULL);
        failed += c[i].failed;
        for (int k = 0; k < WRITES; k++) {
            char text[32];
            snprintf(text, sizeof text, "c%d-%d", i, k);
            int64_t want = c[i].acked[k];
            if (k % 2 == 0) {
                urges += (int)want;
                assert_int_equal(
                    count_text(f->db, "SELECT count(*) FROM urges WHERE text = ?1", text), want);
            } else {
                notes += (int)want;
            }
        }
    }
    for (int i = 0; i < INSTANCES; i++)
        db_pool_close(pools[i]);
    /* contention may exhaust the pool's retries (a 503 "busy" to a client), but
     * not for most writes */
    assert_true(failed <= INSTANCES * CLIENTS * WRITES / 10);
    int64_t n = 0;
    assert_int_equal(
        db_query_int64(f->db, "SELECT count(*) FROM urges WHERE item_id = ?1", 1, f->item, &n),
        DB_OK);
    assert_int_equal(n, urges);
    assert_int_equal(
        db_query_int64(f->db, "SELECT version FROM items WHERE id = ?1", 1, f->item, &n), DB_OK);
    assert_int_equal(n, version0 + urges); /* no lost update */
    /* create, assign, then one event per acknowledged write: no fork, no gap */
    assert_int_equal(
        db_query_int64(f->db, "SELECT event_seq FROM items WHERE id = ?1", 1, f->item, &n), DB_OK);
    assert_int_equal(n, 2 + urges + notes);
    assert_int_equal(
        db_query_int64(f->db, "SELECT count(*) FROM events WHERE item_id = ?1", 1, f->item, &n),
        DB_OK);
    assert_int_equal(n, 2 + urges + notes);
    struct buf msg;
    buf_init(&msg, 4096);
    int rc = event_verify(f->db, &msg);
    if (rc != 0) fail_msg("event_verify: %s", buf_cstr(&msg));
    buf_free(&msg);
    print_message("  %d urges and %d notes acknowledged, %d refused as busy\n", urges, notes,
                  failed);
}

int main(void)
{
    log_quiet(1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_same_item, setup, teardown),
    };
    return testdb_rounds("concurrency", tests);
}
