/* review_test.c — review before a unit reports (core/review.c) on real
 * storage: off, a clerk's report is taken at once; on, it is checked and
 * held (nothing on the item) until the unit head approves it (then taken as
 * the clerk's) or sends it back; the author and anyone but a head are
 * refused, and a decided report is decided.  On SQLite, and again on
 * PostgreSQL when LUOSHI_TEST_PG names a cluster (testdb.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testdb.h"

#include "core/action.h"
#include "core/item.h"
#include "core/review.h"
#include "core/unit.h"
#include "core/user.h"

struct fixture {
    struct testdb t;
    struct actor sup, clerk, head;
    int64_t unit, item;
};

/* Run review_act in a transaction of its own: its return, *held and e. */
static int act(struct fixture *f, const struct actor *a, const char *body, int64_t *held,
               struct err *e)
{
    json_t *b = json_loads(body, 0, NULL);
    assert_int_equal(db_begin(f->t.db), DB_OK);
    int rc = review_act(f->t.db, a, f->item, b, held, e);
    assert_int_equal(rc ? db_rollback(f->t.db) : db_commit(f->t.db), DB_OK);
    json_decref(b);
    return rc;
}

/* Decide review id as a in a transaction of its own: the status of e (0 when done). */
static int decide(struct fixture *f, const struct actor *a, int64_t id, const char *body,
                  const char **code)
{
    struct err e = {0};
    json_t *b = json_loads(body, 0, NULL);
    assert_int_equal(db_begin(f->t.db), DB_OK);
    int rc = review_decide(f->t.db, a, id, b, &e);
    assert_int_equal(rc ? db_rollback(f->t.db) : db_commit(f->t.db), DB_OK);
    json_decref(b);
    static char last[64];
    snprintf(last, sizeof last, "%s", e.code ? e.code : "");
    if (code) *code = last;
    return rc ? e.status : 0;
}

static int64_t count(struct fixture *f, const char *sql)
{
    int64_t n = -1;
    assert_int_equal(db_query_int64(f->t.db, sql, 1, f->item, &n), DB_OK);
    return n;
}

static void set_review(struct fixture *f, int on)
{
    struct err e = {0};
    assert_int_equal(db_begin(f->t.db), DB_OK);
    assert_int_equal(review_unit_set(f->t.db, &f->sup, f->unit, on, &e), 0);
    assert_int_equal(db_commit(f->t.db), DB_OK);
    int now = -1;
    assert_int_equal(review_unit_on(f->t.db, f->unit, &now), DB_OK);
    assert_int_equal(now, on);
}

/* A unit with a clerk and a head; one item it leads, accepted. */
static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    *state = f;
    if (testdb_open(&f->t, "review")) return -1;
    struct err e = {0};
    int64_t office, sup, clerk, head;
    assert_int_equal(db_begin(f->t.db), DB_OK);
    assert_int_equal(unit_add(f->t.db, NULL, "DCS", "督查室", "department", NULL, &office, &e), 0);
    assert_int_equal(unit_add(f->t.db, NULL, "A", "经信局", "department", NULL, &f->unit, &e), 0);
    assert_int_equal(user_add(f->t.db, NULL, "sup", "sup", "DCS", ROLE_SUPERVISOR, "x", &sup, &e),
                     0);
    assert_int_equal(user_add(f->t.db, NULL, "clerk", "clerk", "A", ROLE_HANDLER, "x", &clerk, &e),
                     0);
    assert_int_equal(
        user_add(f->t.db, NULL, "head", "head", "A", ROLE_HANDLER | ROLE_HEAD, "x", &head, &e), 0);
    f->sup = (struct actor){sup, "sup", office, ROLE_SUPERVISOR};
    f->clerk = (struct actor){clerk, "clerk", f->unit, ROLE_HANDLER};
    f->head = (struct actor){head, "head", f->unit, ROLE_HANDLER | ROLE_HEAD};
    json_t *b = json_pack("{s:s,s:s,s:I,s:s}", "kind", "task", "title", "审核", "lead_unit_id",
                          (json_int_t)f->unit, "deadline", "2030-12-31");
    struct item_input in;
    assert_int_equal(item_input_parse(b, &in, &e), 0);
    assert_int_equal(item_create(f->t.db, &f->sup, &in, &f->item, &e), 0);
    json_decref(b);
    assert_int_equal(db_commit(f->t.db), DB_OK);
    int64_t held = 0;
    assert_int_equal(act(f, &f->sup, "{\"action\":\"assign\"}", &held, &e), 0);
    assert_int_equal(act(f, &f->clerk, "{\"action\":\"accept\"}", &held, &e), 0);
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    testdb_close(&f->t);
    free(f);
    return 0;
}

#define FEEDBACK "SELECT count(*) FROM feedback WHERE item_id = ?1"
#define PENDING  "SELECT count(*) FROM unit_reviews WHERE item_id = ?1 AND status = 'pending'"

static void test_off_the_report_goes_straight(void **state)
{
    struct fixture *f = *state;
    struct err e = {0};
    int64_t held = -1;
    assert_int_equal(act(f, &f->clerk, "{\"action\":\"feedback\",\"text\":\"一\"}", &held, &e), 0);
    assert_int_equal(held, 0);
    assert_int_equal(count(f, FEEDBACK), 1);
}

static void test_held_then_approved_once_by_the_head(void **state)
{
    struct fixture *f = *state;
    struct err e = {0};
    int64_t held = 0;
    const char *code;
    set_review(f, 1);
    assert_int_equal(
        act(f, &f->clerk, "{\"action\":\"feedback\",\"text\":\"二\",\"progress\":40}", &held, &e),
        0);
    assert_true(held > 0);
    assert_int_equal(count(f, FEEDBACK), 0);
    assert_int_equal(count(f, PENDING), 1);
    int64_t n = -1;
    assert_int_equal(review_pending_count(f->t.db, &f->head, &n), DB_OK);
    assert_int_equal(n, 1);
    assert_int_equal(review_pending_count(f->t.db, &f->clerk, &n), DB_OK);
    assert_int_equal(n, 0);
    assert_int_equal(decide(f, &f->clerk, held, "{\"decision\":\"approve\"}", &code), 403);
    assert_string_equal(code, "review_own");
    assert_int_equal(decide(f, &f->sup, held, "{\"decision\":\"approve\"}", &code), 403);
    assert_string_equal(code, "forbidden");
    assert_int_equal(decide(f, &f->head, held, "{\"decision\":\"approve\"}", NULL), 0);
    assert_int_equal(count(f, FEEDBACK), 1);
    assert_int_equal(count(f, PENDING), 0);
    assert_int_equal(count(f, "SELECT progress FROM items WHERE id = ?1"), 40);
    assert_int_equal(
        count(f, "SELECT count(*) FROM events WHERE item_id = ?1 AND action = 'review_approve'"),
        1);
    assert_int_equal(decide(f, &f->head, held, "{\"decision\":\"approve\"}", &code), 409);
    assert_string_equal(code, "review_decided");
    /* the head's own report is never held */
    assert_int_equal(act(f, &f->head, "{\"action\":\"feedback\",\"text\":\"三\"}", &held, &e), 0);
    assert_int_equal(held, 0);
    assert_int_equal(count(f, FEEDBACK), 2);
}

static void test_sent_back_with_a_reason(void **state)
{
    struct fixture *f = *state;
    struct err e = {0};
    int64_t held = 0;
    const char *code;
    set_review(f, 1);
    assert_int_equal(act(f, &f->clerk, "{\"action\":\"submit\",\"text\":\"完\"}", &held, &e), 0);
    assert_int_equal(decide(f, &f->head, held, "{\"decision\":\"return\"}", &code), 422);
    assert_string_equal(code, "missing_field");
    assert_int_equal(decide(f, &f->head, held, "{\"decision\":\"return\",\"reason\":\"缺\"}", NULL),
                     0);
    assert_int_equal(count(f, "SELECT count(*) FROM items WHERE id = ?1 AND status = 'accepted'"),
                     1);
    json_t *waiting, *returned;
    assert_int_equal(review_inbox(f->t.db, &f->clerk, &waiting, &returned), DB_OK);
    assert_int_equal(json_array_size(waiting), 0);
    assert_int_equal(json_array_size(returned), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(returned, 0), "reason")),
                        "缺");
    json_decref(waiting);
    json_decref(returned);
    /* a refused report is refused when written, never held */
    assert_int_equal(act(f, &f->clerk, "{\"action\":\"feedback\",\"progress\":150}", &held, &e),
                     -1);
    assert_int_equal(e.status, 422);
    assert_int_equal(count(f, PENDING), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_off_the_report_goes_straight, setup, teardown),
        cmocka_unit_test_setup_teardown(test_held_then_approved_once_by_the_head, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sent_back_with_a_reason, setup, teardown),
    };
    return testdb_rounds("review", tests);
}
