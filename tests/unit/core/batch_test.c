/* batch_test.c — several actions as one write (core/batch.c) on real
 * storage: all are taken in order; a refused one stops the batch, names its
 * item and leaves the caller's rollback nothing of the batch to keep; an
 * empty batch is 0.  On SQLite, and again on PostgreSQL when LUOSHI_TEST_PG
 * names a cluster (testdb.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testdb.h"

#include "core/batch.h"
#include "core/item.h"
#include "core/unit.h"
#include "core/user.h"

struct fixture {
    struct testdb t;
    struct actor sup, lead;
    int64_t items[2];
};

/* Run body as a on id in a transaction of its own; fails the test on a refusal. */
static void take(struct fixture *f, const struct actor *a, int64_t id, const char *body)
{
    struct batch_action one = {id, json_loads(body, 0, NULL), 0};
    int64_t failed;
    struct err e = {0};
    assert_int_equal(db_begin(f->t.db), DB_OK);
    if (batch_act(f->t.db, a, &one, 1, &failed, &e)) fail_msg("%s: %s", body, e.message);
    assert_int_equal(db_commit(f->t.db), DB_OK);
    batch_free(&one, 1);
}

/* Two items led by unit A, assigned and accepted. */
static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    *state = f;
    if (testdb_open(&f->t, "batch")) return -1;
    struct err e = {0};
    int64_t office, unit, sup, lead;
    assert_int_equal(db_begin(f->t.db), DB_OK);
    assert_int_equal(unit_add(f->t.db, NULL, "DCS", "督查室", "department", NULL, &office, &e), 0);
    assert_int_equal(unit_add(f->t.db, NULL, "A", "发改局", "department", NULL, &unit, &e), 0);
    assert_int_equal(user_add(f->t.db, NULL, "sup", "sup", "DCS", ROLE_SUPERVISOR, "x", &sup, &e),
                     0);
    assert_int_equal(user_add(f->t.db, NULL, "lead", "lead", "A", ROLE_HANDLER, "x", &lead, &e), 0);
    f->sup = (struct actor){sup, "sup", office, ROLE_SUPERVISOR};
    f->lead = (struct actor){lead, "lead", unit, ROLE_HANDLER};
    for (int k = 0; k < 2; k++) {
        json_t *b = json_pack("{s:s,s:s,s:I,s:s}", "kind", "task", "title", k ? "二" : "一",
                              "lead_unit_id", (json_int_t)unit, "deadline", "2030-12-31");
        struct item_input in;
        assert_int_equal(item_input_parse(b, &in, &e), 0);
        assert_int_equal(item_create(f->t.db, &f->sup, &in, &f->items[k], &e), 0);
        json_decref(b);
    }
    assert_int_equal(db_commit(f->t.db), DB_OK);
    for (int k = 0; k < 2; k++) {
        take(f, &f->sup, f->items[k], "{\"action\":\"assign\"}");
        take(f, &f->lead, f->items[k], "{\"action\":\"accept\"}");
    }
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    testdb_close(&f->t);
    free(f);
    return 0;
}

static int64_t feedback_count(struct fixture *f)
{
    int64_t n = -1;
    assert_int_equal(db_query_int64(f->t.db, "SELECT count(*) FROM feedback", 0, 0, &n), DB_OK);
    return n;
}

static void test_all_taken_in_order(void **state)
{
    struct fixture *f = *state;
    struct batch_action acts[2] = {
        {f->items[0],
         json_pack("{s:s,s:s,s:i}", "action", "feedback", "text", "一半", "progress", 50), 0},
        {f->items[1], json_pack("{s:s,s:s}", "action", "feedback", "text", "开工"), 0},
    };
    int64_t failed = -1;
    struct err e = {0};
    assert_int_equal(db_begin(f->t.db), DB_OK);
    assert_int_equal(batch_act(f->t.db, &f->lead, acts, 2, &failed, &e), 0);
    assert_int_equal(db_commit(f->t.db), DB_OK);
    assert_int_equal(failed, 0);
    assert_int_equal(e.status, 0);
    assert_int_equal(feedback_count(f), 2);
    batch_free(acts, 2);
    assert_null(acts[0].body);
    assert_null(acts[1].body);
}

static void test_a_refusal_names_its_item(void **state)
{
    struct fixture *f = *state;
    struct batch_action acts[2] = {
        {f->items[0], json_pack("{s:s,s:s}", "action", "feedback", "text", "好"), 0},
        {f->items[1], json_pack("{s:s,s:i}", "action", "feedback", "progress", 150), 0},
    };
    int64_t failed = 0;
    struct err e = {0};
    assert_int_equal(db_begin(f->t.db), DB_OK);
    assert_int_equal(batch_act(f->t.db, &f->lead, acts, 2, &failed, &e), -1);
    assert_int_equal(db_rollback(f->t.db), DB_OK);
    assert_int_equal(failed, f->items[1]);
    assert_int_equal(e.status, 422);
    assert_int_equal(feedback_count(f), 0);
    batch_free(acts, 2);
    /* an empty batch takes nothing and is no failure */
    assert_int_equal(batch_act(f->t.db, &f->lead, acts, 0, &failed, &e), 0);
    assert_int_equal(failed, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_all_taken_in_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_refusal_names_its_item, setup, teardown),
    };
    return testdb_rounds("batch", tests);
}
