/* scheduler_test.c — the scheduler's daily run (core/scheduler.c) against a
 * real SQLite file, day by day with LUOSHI_NOW: automatic urges when a
 * deadline or an expected feedback date passes, the escalation ladder counted
 * in working days over a holiday, deductions, the monthly light history, and
 * that a second run for the same day does nothing.  The job function is
 * called directly, each run in its own transaction as the pool would.  When
 * LUOSHI_TEST_PG holds a URL the same tests run again on PostgreSQL, each in
 * a fresh schema of its own (as action_test.c does). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/action.h"
#include "core/calendar.h"
#include "core/event.h"
#include "core/item.h"
#include "core/scheduler.h"
#include "core/unit.h"
#include "core/user.h"
#include "db/db.h"
#include "fixture.h"
#include "testdb.h"
#include "util/buf.h"
#include "util/time.h"

struct fixture {
    struct testdb t;
    struct db *db;
    int64_t office, unit_a, unit_b;
    struct actor sup, lead_a, lead_b;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    *state = f;
    if (testdb_open(&f->t, "sched")) return -1;
    f->db = f->t.db;
    int n;
    struct err e = {0};
    /* 2030-04-01 is a Monday; 1-3 May are holidays */
    static const char cal[] = "2030-05-01 holiday\n2030-05-02 holiday\n2030-05-03 holiday\n";
    if (db_begin(f->db) || calendar_import(f->db, NULL, cal, sizeof cal - 1, &n, &e) ||
        unit_add(f->db, NULL, "DCS", "督查室", "department", NULL, &f->office, &e) ||
        unit_add(f->db, NULL, "A", "发改局", "department", NULL, &f->unit_a, &e) ||
        unit_add(f->db, NULL, "B", "经信局", "department", NULL, &f->unit_b, &e))
        return -1;
    fixture_user(f->db, &f->sup, "sup", "DCS", f->office, ROLE_SUPERVISOR);
    fixture_user(f->db, &f->lead_a, "lead_a", "A", f->unit_a, ROLE_HANDLER);
    fixture_user(f->db, &f->lead_b, "lead_b", "B", f->unit_b, ROLE_HANDLER);
    if (db_commit(f->db)) return -1;
    setenv("LUOSHI_NOW", "2030-04-01", 1);
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    struct buf msg;
    buf_init(&msg, 4096);
    int rc = event_verify(f->db, &msg);
    if (rc != 0) print_error("event_verify: %s\n", buf_cstr(&msg));
    buf_free(&msg);
    testdb_close(&f->t);
    free(f);
    unsetenv("LUOSHI_NOW");
    return rc == 0 ? 0 : -1;
}

static int64_t create(struct fixture *f, const char *json)
{
    json_t *body = json_loads(json, 0, NULL);
    assert_non_null(body);
    struct item_input in;
    struct err e = {0};
    int64_t id = 0;
    assert_int_equal(db_begin(f->db), DB_OK);
    if (item_input_parse(body, &in, &e) || item_create(f->db, &f->sup, &in, &id, &e))
        fail_msg("create: %s", e.message);
    assert_int_equal(db_commit(f->db), DB_OK);
    json_decref(body);
    return id;
}

static void act(struct fixture *f, const struct actor *a, int64_t id, const char *json)
{
    json_t *body = json_loads(json, 0, NULL);
    struct err e = {0};
    assert_int_equal(db_begin(f->db), DB_OK);
    if (item_act(f->db, a, id, body, &e)) fail_msg("%s: %s", json, e.message);
    assert_int_equal(db_commit(f->db), DB_OK);
    json_decref(body);
}

/* One daily run on day, in its own transaction; its stats. */
static struct scheduler_stats run(struct fixture *f, const char *day)
{
    setenv("LUOSHI_NOW", day, 1);
    struct scheduler_stats st;
    struct err e = {0};
    assert_int_equal(db_begin(f->db), DB_OK);
    int rc = scheduler_run(f->db, time_now_ms(), &st, &e);
    if (rc) fail_msg("scheduler_run %s: %d %s", day, rc, e.message);
    assert_int_equal(db_commit(f->db), DB_OK);
    return st;
}

#define ASSERT_RUN(st, skipped_, urges_, escalations_, deductions_)                                \
    do {                                                                                           \
        assert_int_equal((st).skipped, skipped_);                                                  \
        assert_int_equal((st).urges, urges_);                                                      \
        assert_int_equal((st).escalations, escalations_);                                          \
        assert_int_equal((st).deductions, deductions_);                                            \
    } while (0)

/* Rows of sql (one text column, ?1 = id) joined by spaces. */
static void assert_rows(struct fixture *f, const char *sql, int64_t id, const char *want)
{
    struct db_stmt *st = db_prepare(f->db, sql);
    assert_non_null(st);
    db_bind_int64(st, 1, id);
    char got[2048] = "";
    size_t used = 0;
    while (db_step(st) == DB_ROW)
        used += (size_t)snprintf(got + used, sizeof got - used, "%s%s", used ? " | " : "",
                                 db_column_text(st, 0));
    db_finalize(st);
    assert_string_equal(got, want);
}

static void test_ladder_day_by_day(void **state)
{
    struct fixture *f = *state;
    char json[256];
    /* x: lead A, due Friday 5 April, weekly feedback (next due Monday 8 April) */
    snprintf(json, sizeof json,
             "{\"kind\":\"task\",\"title\":\"x\",\"lead_unit_id\":%lld,\"deadline\":\"2030-04-05\","
             "\"feedback_cycle\":\"weekly\"}",
             (long long)f->unit_a);
    int64_t x = create(f, json);
    /* z: lead B, due in June, weekly feedback */
    snprintf(json, sizeof json,
             "{\"kind\":\"task\",\"title\":\"z\",\"lead_unit_id\":%lld,\"deadline\":\"2030-06-28\","
             "\"feedback_cycle\":\"weekly\"}",
             (long long)f->unit_b);
    int64_t z = create(f, json);
    /* done: past its deadline but verified — the scheduler leaves it alone */
    snprintf(json, sizeof json,
             "{\"kind\":\"task\",\"title\":\"done\",\"lead_unit_id\":%lld,\"deadline\":"
             "\"2030-04-02\"}",
             (long long)f->unit_a);
    int64_t done = create(f, json);
    act(f, &f->sup, x, "{\"action\":\"assign\"}");
    act(f, &f->lead_a, x, "{\"action\":\"accept\"}");
    act(f, &f->sup, z, "{\"action\":\"assign\"}");
    act(f, &f->sup, done, "{\"action\":\"assign\"}");
    act(f, &f->lead_a, done, "{\"action\":\"accept\"}");
    act(f, &f->lead_a, done, "{\"action\":\"submit\",\"text\":\"ok\"}");
    act(f, &f->sup, done, "{\"action\":\"verify\"}");

    struct scheduler_stats st = run(f, "2030-04-05"); /* nothing is late yet */
    ASSERT_RUN(st, 0, 0, 0, 0);
    assert_int_equal(st.lights, 3);

    st = run(f, "2030-04-08"); /* x is 1 working day overdue: urge, -2 */
    ASSERT_RUN(st, 0, 1, 0, 1);
    st = run(f, "2030-04-08"); /* the same day again: nothing */
    ASSERT_RUN(st, 1, 0, 0, 0);

    /* Tuesday: x misses its feedback of the 8th (-1, no second urge: the overdue
     * urge asks already); z misses its feedback of the 8th (urge, -1) */
    st = run(f, "2030-04-09");
    ASSERT_RUN(st, 0, 1, 0, 2);
    st = run(f, "2030-04-10"); /* 3 working days overdue: 一般督办 */
    ASSERT_RUN(st, 0, 0, 1, 0);
    /* 10: 重点督办; z's expected date stays the 8th until it reports: no second urge */
    st = run(f, "2030-04-19");
    ASSERT_RUN(st, 0, 0, 1, 0);
    /* 6 May is 18 working days after 5 April (1-3 May are holidays), 8 May is 20 */
    st = run(f, "2030-05-06");
    ASSERT_RUN(st, 0, 0, 0, 0);
    st = run(f, "2030-05-08");
    ASSERT_RUN(st, 0, 0, 1, 0);

    assert_rows(f,
                "SELECT actor || ' ' || action FROM events WHERE item_id = ?1"
                " AND action IN ('urge','escalate') ORDER BY seq",
                x, "system urge | system escalate | system escalate | system escalate");
    assert_rows(f, "SELECT text FROM escalations WHERE item_id = ?1 ORDER BY id", x,
                "逾期 3 个工作日（期限 2030-04-05），自动升级为一般督办。 | "
                "逾期 10 个工作日（期限 2030-04-05），自动升级为重点督办。 | "
                "逾期 20 个工作日（期限 2030-04-05），自动升级为挂牌督办。");
    assert_rows(f, "SELECT text FROM urges WHERE item_id = ?1 ORDER BY id", x,
                "已逾期：期限 2030-04-05 已过，请尽快办理并反馈。");
    assert_rows(
        f,
        "SELECT text || ' auto=' || CAST(auto AS TEXT) FROM urges WHERE item_id = ?1 ORDER BY id",
        z, "反馈逾期：应于 2030-04-08 反馈进展，请尽快反馈。 auto=1");
    assert_rows(f,
                "SELECT u.code || ' ' || d.rule || ' ' || d.ref || ' ' || CAST(CAST(d.points AS "
                "INTEGER) AS TEXT)"
                " FROM deductions d"
                " JOIN units u ON u.id = d.unit_id WHERE d.item_id IN (?1, ?1 + 1) ORDER BY d.id",
                x,
                "A overdue 2030-04-05 -2 | A late_feedback 2030-04-08 -1 | "
                "B late_feedback 2030-04-08 -1");
    assert_rows(f,
                "SELECT month || ' ' || light FROM light_history WHERE item_id = ?1 ORDER BY month",
                x, "2030-04 red | 2030-05 red");
    assert_rows(f,
                "SELECT month || ' ' || light FROM light_history WHERE item_id = ?1 ORDER BY month",
                z, "2030-04 yellow | 2030-05 yellow");
    assert_rows(f,
                "SELECT month || ' ' || light FROM light_history WHERE item_id = ?1 ORDER BY month",
                done, "2030-04 none | 2030-05 none");
    assert_rows(f,
                "SELECT CAST(count(*) AS TEXT) FROM events WHERE item_id = ?1 AND actor = 'system'",
                done, "0");
    assert_rows(f, "SELECT period FROM jobs_done WHERE job = 'daily' AND ?1 > 0 ORDER BY period", 1,
                "2030-04-05 | 2030-04-08 | 2030-04-09 | 2030-04-10 | 2030-04-19 | 2030-05-06 | "
                "2030-05-08");
}

/* A new deadline after an approved extension is a new step: urged and deducted again. */
static void test_new_deadline_is_a_new_step(void **state)
{
    struct fixture *f = *state;
    char json[256];
    snprintf(
        json, sizeof json,
        "{\"kind\":\"task\",\"title\":\"y\",\"lead_unit_id\":%lld,\"deadline\":\"2030-04-03\"}",
        (long long)f->unit_a);
    int64_t y = create(f, json);
    act(f, &f->sup, y, "{\"action\":\"assign\"}");
    struct scheduler_stats st = run(f, "2030-04-04");
    ASSERT_RUN(st, 0, 1, 0, 1);
    /* the supervisor moves the deadline by reassigning */
    setenv("LUOSHI_NOW", "2030-04-04", 1);
    act(f, &f->sup, y, "{\"action\":\"assign\",\"deadline\":\"2030-04-05\"}");
    st = run(f, "2030-04-05");
    ASSERT_RUN(st, 0, 0, 0, 0);
    st = run(f, "2030-04-08");
    ASSERT_RUN(st, 0, 1, 0, 1);
}

/* The rules come from settings; bad values keep their defaults; 0 turns a rule off. */
static void test_rules_from_settings(void **state)
{
    struct fixture *f = *state;
    struct scheduler_rules r;
    assert_int_equal(scheduler_rules_load(f->db, &r), DB_OK);
    assert_int_equal(r.urge_overdue, 1);
    assert_int_equal(r.escalate_after[1], 3);
    assert_int_equal(r.escalate_after[2], 10);
    assert_int_equal(r.escalate_after[3], 20);
    assert_true(r.late_feedback_points == -1 && r.overdue_points == -2);
    assert_int_equal(
        db_exec(f->db, "UPDATE settings SET value = '0' WHERE key IN"
                       " ('scheduler.urge_overdue','deduction.overdue',"
                       "'escalation.general_after');"
                       "UPDATE settings SET value = 'abc' WHERE key = 'escalation.key_after';"
                       "UPDATE settings SET value = '5' WHERE key = 'deduction.late_feedback'"),
        DB_OK);
    assert_int_equal(scheduler_rules_load(f->db, &r), DB_OK);
    assert_int_equal(r.urge_overdue, 0);
    assert_int_equal(r.escalate_after[1], 0);
    assert_int_equal(r.escalate_after[2], 10);
    assert_true(r.overdue_points == 0 && r.late_feedback_points == -1);

    char json[256];
    snprintf(
        json, sizeof json,
        "{\"kind\":\"task\",\"title\":\"w\",\"lead_unit_id\":%lld,\"deadline\":\"2030-04-02\"}",
        (long long)f->unit_a);
    int64_t w = create(f, json);
    act(f, &f->sup, w, "{\"action\":\"assign\"}");
    struct scheduler_stats st = run(f, "2030-04-08"); /* 4 working days: general is off */
    ASSERT_RUN(st, 0, 0, 0, 0);
    st = run(f, "2030-04-16"); /* 10: key */
    ASSERT_RUN(st, 0, 0, 1, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_ladder_day_by_day, setup, teardown),
        cmocka_unit_test_setup_teardown(test_new_deadline_is_a_new_step, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rules_from_settings, setup, teardown),
    };
    return testdb_rounds("scheduler", tests);
}
