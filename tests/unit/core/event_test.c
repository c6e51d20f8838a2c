/* event_test.c — the canonical form and hash of events, and `verify`
 * catching edited, deleted and reordered events in a real SQLite file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "core/event.h"
#include "core/item.h"
#include "core/unit.h"
#include "db/db.h"

static void test_canonical_and_hash(void **state)
{
    (void)state;
    json_t *data = json_pack("{s:s}", "title", "落实");
    char *c = event_canonical(7, 1, 1678862400000LL, "supervisor", "create", data);
    assert_string_equal(c, "{\"action\":\"create\",\"actor\":\"supervisor\",\"at\":1678862400000,"
                           "\"data\":{\"title\":\"落实\"},\"item_id\":7,\"seq\":1}");
    char h[65];
    event_hash("", c, h);
    assert_string_equal(h, "d730c836a3982dd489a5d9729c3624e5219f667a5a4c592b4c05575d57bb66a0");
    char prev[65];
    memset(prev, 0, sizeof prev);
    for (int i = 0; i < 32; i++)
        memcpy(prev + 2 * i, "ab", 2);
    event_hash(prev, c, h);
    assert_string_equal(h, "41ea341b2c31b54de33feedfcd6da72c62a564f6fd0cf0fb7bb7bbd4538ea06b");
    free(c);
    json_decref(data);
    c = event_canonical(1, 2, 3, "a", "b", NULL);
    assert_string_equal(c, "{\"action\":\"b\",\"actor\":\"a\",\"at\":3,\"data\":{},\"item_id\":1,"
                           "\"seq\":2}");
    free(c);
}

/* Finding 3: a text cut mid-character (a name copied into 64 bytes) is no
 * event text: event_canonical says so with NULL, event_hash takes NULL
 * without crashing, and event_append refuses the event with an error. */
static void test_canonical_refuses_broken_text(void **state)
{
    (void)state;
    const char cut[] = "open311:\xe6\xb5\x99\xe6\xb1"; /* 浙 and half of 江 */
    assert_null(event_canonical(1, 1, 1, cut, "create", NULL));
    assert_null(event_canonical(1, 1, 1, "a", cut, NULL));
    assert_null(event_canonical(1, 1, 1, NULL, "create", NULL));
    char h[65];
    event_hash("", NULL, h);
    assert_int_equal(strlen(h), 64);
    event_hash(NULL, "x", h);
    assert_int_equal(strlen(h), 64);
}

struct fixture {
    char path[64];
    struct db *db;
};

/* A fresh database with one unit and two items of three events each. */
static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    snprintf(f->path, sizeof f->path, "/tmp/luoshi-event-test-%d.db", (int)getpid());
    unlink(f->path);
    char err[256];
    f->db = db_open(f->path, DB_OPEN_CREATE, err, sizeof err);
    assert_non_null(f->db);
    int applied;
    assert_int_equal(db_migrate(f->db, &applied, err, sizeof err), DB_OK);
    struct actor a = {0, "tester", 0, ROLE_ADMIN};
    struct err e = {0};
    int64_t unit, id;
    assert_int_equal(db_begin(f->db), DB_OK);
    assert_int_equal(unit_add(f->db, NULL, "u1", "单位一", "department", NULL, &unit, &e), 0);
    for (int k = 0; k < 2; k++) {
        struct item_input in = {.kind = "task",
                                .title = "事项",
                                .description = "",
                                .source = "plan",
                                .feedback_cycle = "none"};
        assert_int_equal(item_create(f->db, &a, &in, &id, &e), 0);
        json_t *d = json_pack("{s:i}", "n", k);
        assert_int_equal(event_append(f->db, id, &a, "urge", d), DB_OK);
        assert_int_equal(event_append(f->db, id, &a, "urge", d), DB_OK);
        json_decref(d);
    }
    assert_int_equal(db_commit(f->db), DB_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    db_close(f->db);
    unlink(f->path);
    char side[80];
    snprintf(side, sizeof side, "%s-wal", f->path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", f->path);
    unlink(side);
    free(f);
    return 0;
}

/* Tampering goes behind the program's back: events refuse UPDATE and DELETE
 * (migration 009), so an attacker with the file drops the triggers first. */
static void drop_guards(struct fixture *f)
{
    assert_int_equal(db_exec(f->db, "DROP TRIGGER events_no_update;"
                                    " DROP TRIGGER events_no_delete"),
                     DB_OK);
}

/* Run verify and return its result, checking the message names `expect`. */
static int verify_with(struct fixture *f, const char *expect)
{
    struct buf msg;
    buf_init(&msg, 0);
    int rc = event_verify(f->db, &msg);
    if (expect && !strstr(buf_cstr(&msg), expect))
        fail_msg("verify said '%s', expected it to mention '%s'", buf_cstr(&msg), expect);
    buf_free(&msg);
    return rc;
}

static void test_append_refuses_broken_actor(void **state)
{
    struct fixture *f = *state;
    struct actor a = {0, "open311:\xe6\xb5\x99\xe6\xb1", 0, 0};
    assert_int_equal(db_begin(f->db), DB_OK);
    assert_int_equal(event_append(f->db, 1, &a, "urge", NULL), DB_ERR);
    assert_int_equal(db_rollback(f->db), DB_OK);
    assert_int_equal(verify_with(f, "verified"), 0);
}

static void test_intact(void **state)
{
    assert_int_equal(verify_with(*state, "6 events in 2 chains verified"), 0);
}

/* The program's own connection cannot change or delete an event. */
static void test_append_only(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(db_exec(f->db, "UPDATE events SET data = '{}' WHERE id = 5"), DB_CONSTRAINT);
    assert_string_equal(db_errmsg(f->db), "events are append-only");
    assert_int_equal(db_exec(f->db, "DELETE FROM events WHERE id = 6"), DB_CONSTRAINT);
    assert_int_equal(db_exec(f->db, "DELETE FROM events"), DB_CONSTRAINT);
    assert_int_equal(verify_with(f, "6 events in 2 chains verified"), 0);
}

static void test_edited(void **state)
{
    struct fixture *f = *state;
    drop_guards(f);
    assert_int_equal(db_exec(f->db, "UPDATE events SET data = '{\"n\":5}' WHERE id = 5"), DB_OK);
    assert_int_equal(verify_with(f, "event 5 (item 2, seq 2): contents do not match"), 1);
}

static void test_actor_edited(void **state)
{
    struct fixture *f = *state;
    drop_guards(f);
    assert_int_equal(db_exec(f->db, "UPDATE events SET actor = 'someone' WHERE id = 1"), DB_OK);
    assert_int_equal(verify_with(f, "event 1 (item 1, seq 1)"), 1);
}

static void test_deleted_middle(void **state)
{
    struct fixture *f = *state;
    drop_guards(f);
    assert_int_equal(db_exec(f->db, "DELETE FROM events WHERE id = 2"), DB_OK);
    assert_int_equal(verify_with(f, "event 3 (item 1): sequence 3 where 2 was expected"), 1);
}

static void test_deleted_newest(void **state)
{
    struct fixture *f = *state;
    drop_guards(f);
    assert_int_equal(db_exec(f->db, "DELETE FROM events WHERE id = 6"), DB_OK);
    assert_int_equal(verify_with(f, "item 2: its newest event (seq 3) is missing"), 1);
}

static void test_item_without_events(void **state)
{
    struct fixture *f = *state;
    drop_guards(f);
    assert_int_equal(db_exec(f->db, "DELETE FROM events WHERE item_id = 2;"
                                    "UPDATE items SET event_seq = 0, event_hash = '' WHERE id = 2"),
                     DB_OK);
    assert_int_equal(verify_with(f, "item 2: its newest event (seq 0) is missing or was changed"
                                    " (the item has no events at all)"),
                     1);
}

static void test_reordered(void **state)
{
    struct fixture *f = *state;
    drop_guards(f);
    assert_int_equal(db_exec(f->db, "UPDATE events SET seq = -seq WHERE id IN (2, 3);"
                                    "UPDATE events SET seq = 3 WHERE id = 2;"
                                    "UPDATE events SET seq = 2 WHERE id = 3;"),
                     DB_OK);
    assert_int_equal(verify_with(f, "event 3 (item 1): prev_hash does not match"), 1);
}

/* event_link marks rows as carried by the item's newest event, once: a row
 * carried already, or missing, is DB_ERR (the caller's write rolls back). */
static void test_link(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(db_exec(f->db, "INSERT INTO attachments (id, item_id, name, mime, bytes,"
                                    " sha256, data, created_at) VALUES"
                                    " (1, 2, 'a.txt', 'text/plain', 1, 'x', X'61', 1),"
                                    " (2, 2, 'b.txt', 'text/plain', 1, 'x', X'62', 1)"),
                     DB_OK);
    json_t *two = json_pack("[{s:i},{s:i}]", "id", 1, "id", 2);
    json_t *missing = json_pack("[{s:i}]", "id", 9);
    assert_int_equal(db_begin(f->db), DB_OK);
    assert_int_equal(event_link(f->db, 2,
                                db_prepare(f->db, "UPDATE attachments SET event_id = ?1"
                                                  " WHERE id = ?2 AND event_id IS NULL"),
                                two),
                     DB_OK);
    assert_int_equal(event_link(f->db, 2,
                                db_prepare(f->db, "UPDATE attachments SET event_id = ?1"
                                                  " WHERE id = ?2 AND event_id IS NULL"),
                                two),
                     DB_ERR);
    assert_int_equal(event_link(f->db, 2,
                                db_prepare(f->db, "UPDATE attachments SET event_id = ?1"
                                                  " WHERE id = ?2 AND event_id IS NULL"),
                                missing),
                     DB_ERR);
    assert_int_equal(event_link(f->db, 2, NULL, two), DB_ERR);
    assert_int_equal(db_commit(f->db), DB_OK);
    int64_t n = 0;
    assert_int_equal(
        db_query_int64(f->db, "SELECT count(*) FROM attachments WHERE event_id = 6", 0, 0, &n),
        DB_OK);
    assert_int_equal(n, 2);
    json_decref(two);
    json_decref(missing);
}

int main(void)
{
    if (sodium_init() < 0) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_canonical_and_hash),
        cmocka_unit_test(test_canonical_refuses_broken_text),
        cmocka_unit_test_setup_teardown(test_append_refuses_broken_actor, setup, teardown),
        cmocka_unit_test_setup_teardown(test_intact, setup, teardown),
        cmocka_unit_test_setup_teardown(test_append_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_edited, setup, teardown),
        cmocka_unit_test_setup_teardown(test_actor_edited, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deleted_middle, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deleted_newest, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reordered, setup, teardown),
        cmocka_unit_test_setup_teardown(test_item_without_events, setup, teardown),
        cmocka_unit_test_setup_teardown(test_link, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
