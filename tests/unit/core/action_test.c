/* action_test.c — the supervision loop (core/action.c) against a real SQLite
 * file: units, users and items are made with the core functions, every
 * item_act runs in its own transaction (committed on success, rolled back on
 * failure, as a pool write job would), and every event chain is verified at
 * the end of each test.  The clock is set with LUOSHI_NOW.  When
 * LUOSHI_TEST_PG holds a URL the same tests run again on PostgreSQL, each in
 * a fresh schema of its own (as tests/unit/db/db_test.c does). */
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
#include "core/feedback.h"
#include "core/item.h"
#include "core/replay.h"
#include "core/verify.h"
#include "core/unit.h"
#include "core/user.h"
#include "db/db.h"
#include "fixture.h"
#include "testdb.h"
#include "util/buf.h"

struct fixture {
    struct testdb t;
    struct db *db;
    int64_t office, unit_a, unit_b, unit_c;
    struct actor sup, boss, lead, co, other, admin;
    struct err e;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    *state = f;
    if (testdb_open(&f->t, "action")) return -1;
    f->db = f->t.db;
    struct err e = {0};
    /* 2030-04-01 is a Monday; the first week of May is a holiday */
    static const char cal[] = "2030-05-01 holiday\n2030-05-02 holiday\n2030-05-03 holiday\n";
    int n;
    if (db_begin(f->db) || calendar_import(f->db, NULL, cal, sizeof cal - 1, &n, &e) ||
        unit_add(f->db, NULL, "DCS", "督查室", "department", NULL, &f->office, &e) ||
        unit_add(f->db, NULL, "A", "发改局", "department", NULL, &f->unit_a, &e) ||
        unit_add(f->db, NULL, "B", "经信局", "department", NULL, &f->unit_b, &e) ||
        unit_add(f->db, NULL, "C", "文旅局", "department", NULL, &f->unit_c, &e))
        return -1;
    fixture_user(f->db, &f->sup, "sup", "DCS", f->office, ROLE_SUPERVISOR);
    fixture_user(f->db, &f->admin, "admin", "DCS", f->office, ROLE_ADMIN);
    fixture_user(f->db, &f->boss, "boss", "DCS", f->office, ROLE_LEADER);
    fixture_user(f->db, &f->lead, "lead", "A", f->unit_a, ROLE_HANDLER);
    fixture_user(f->db, &f->co, "co", "B", f->unit_b, ROLE_HANDLER);
    fixture_user(f->db, &f->other, "other", "C", f->unit_c, ROLE_HANDLER);
    if (db_commit(f->db)) return -1;
    setenv("LUOSHI_NOW", "2030-04-01", 1);
    return 0;
}

/* Every chain must verify after every test. */
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

static void today(const char *day)
{
    setenv("LUOSHI_NOW", day, 1);
}

/* Create an item from JSON as the supervisor. */
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

/* Run one action in its own transaction; 0 or the error's status (f->e has it). */
static int act(struct fixture *f, const struct actor *a, int64_t id, const char *json)
{
    json_t *body = json_loads(json, 0, NULL);
    if (!body) fail_msg("bad test JSON: %s", json);
    memset(&f->e, 0, sizeof f->e);
    assert_int_equal(db_begin(f->db), DB_OK);
    int rc = item_act(f->db, a, id, body, &f->e);
    if (rc == 0)
        assert_int_equal(db_commit(f->db), DB_OK);
    else
        assert_int_equal(db_rollback(f->db), DB_OK);
    json_decref(body);
    return rc == 0 ? 0 : f->e.status;
}

/* Expect success. */
#define OK(f, a, id, json)                                                                         \
    do {                                                                                           \
        if (act(f, a, id, json)) fail_msg("%s: %s %s", json, (f)->e.code, (f)->e.message);         \
    } while (0)

/* Expect a refusal with this status and code. */
#define REFUSED(f, a, id, json, want_status, want_code)                                            \
    do {                                                                                           \
        int st_ = act(f, a, id, json);                                                             \
        if (st_ != (want_status) || strcmp((f)->e.code, want_code))                                \
            fail_msg("%s: want %d %s, got %d %s (%s)", json, want_status, want_code, st_,          \
                     st_ ? (f)->e.code : "-", st_ ? (f)->e.message : "");                          \
    } while (0)

/* A text column of the item. */
static void item_col(struct fixture *f, int64_t id, const char *col_sql, char *out, size_t outlen)
{
    struct db_stmt *st = db_prepare(f->db, col_sql);
    assert_non_null(st);
    db_bind_int64(st, 1, id);
    assert_int_equal(db_step(st), DB_ROW);
    snprintf(out, outlen, "%s", db_column_is_null(st, 0) ? "(null)" : db_column_text(st, 0));
    db_finalize(st);
}

static void assert_item(struct fixture *f, int64_t id, const char *status, const char *deadline,
                        int progress)
{
    char s[64];
    item_col(f, id, "SELECT status FROM items WHERE id = ?1", s, sizeof s);
    assert_string_equal(s, status);
    if (deadline) {
        item_col(f, id, "SELECT deadline FROM items WHERE id = ?1", s, sizeof s);
        assert_string_equal(s, deadline);
    }
    if (progress >= 0) {
        item_col(f, id, "SELECT progress FROM items WHERE id = ?1", s, sizeof s);
        char want[16];
        snprintf(want, sizeof want, "%d", progress);
        assert_string_equal(s, want);
    }
}

static int64_t count(struct fixture *f, const char *sql, int64_t id)
{
    int64_t n = -1;
    assert_int_equal(db_query_int64(f->db, sql, 1, id, &n), DB_OK);
    return n;
}

/* The item as the actor sees it: light and allowed actions. */
static void assert_view(struct fixture *f, const struct actor *a, int64_t id, const char *light,
                        const char *allowed)
{
    struct err e = {0};
    json_t *item = item_get_json(f->db, a, id, &e);
    if (!item) fail_msg("item_get_json: %s", e.message);
    assert_string_equal(json_string_value(json_object_get(item, "light")), light);
    char *s = json_dumps(json_object_get(item, "allowed_actions"), JSON_COMPACT);
    assert_string_equal(s, allowed);
    free(s);
    json_decref(item);
}

/* The events' action names, space-separated, oldest first. */
static void assert_events(struct fixture *f, int64_t id, const char *want)
{
    struct db_stmt *st =
        db_prepare(f->db, "SELECT action FROM events WHERE item_id = ?1 ORDER BY seq");
    db_bind_int64(st, 1, id);
    char got[1024] = "";
    size_t used = 0;
    while (db_step(st) == DB_ROW)
        used += (size_t)snprintf(got + used, sizeof got - used, "%s%s", used ? " " : "",
                                 db_column_text(st, 0));
    db_finalize(st);
    assert_string_equal(got, want);
}

/* The full loop for one item across two units, with a third that must not see it. */
static void test_full_loop(void **state)
{
    struct fixture *f = *state;
    char s[256];
    int64_t id = create(f, "{\"kind\":\"task\",\"title\":\"盘活低效工业用地\",\"feedback_cycle\":"
                           "\"weekly\",\"metric\":{\"target\":200,\"unit\":\"亩\"}}");
    assert_view(f, &f->sup, id, "none",
                "[\"assign\",\"cancel\",\"edit\"]"); /* a draft has no light */
    REFUSED(f, &f->sup, id, "{\"action\":\"assign\",\"working_days\":10}", 422, "missing_field");
    REFUSED(f, &f->sup, id, "{\"action\":\"assign\",\"lead_unit_id\":999,\"working_days\":10}", 422,
            "invalid_field");
    REFUSED(f, &f->lead, id, "{\"action\":\"accept\"}", 403, "forbidden"); /* not yet theirs */
    REFUSED(f, &f->boss, id, "{\"action\":\"assign\",\"lead_unit_id\":2}", 403, "forbidden");

    /* 10 working days from Monday 2030-04-01 */
    snprintf(s, sizeof s,
             "{\"action\":\"assign\",\"lead_unit_id\":%lld,\"co_unit_ids\":[%lld],"
             "\"working_days\":10}",
             (long long)f->unit_a, (long long)f->unit_b);
    OK(f, &f->sup, id, s);
    assert_item(f, id, "assigned", "2030-04-15", 0);
    item_col(f, id, "SELECT feedback_due FROM items WHERE id = ?1", s, sizeof s);
    assert_string_equal(s, "2030-04-08");

    /* the outsider sees nothing and can do nothing; the co unit cannot sign for it */
    REFUSED(f, &f->other, id, "{\"action\":\"accept\"}", 403, "forbidden");
    assert_string_equal(f->e.message, "item 1 belongs to another unit");
    struct err e = {0};
    assert_null(item_get_json(f->db, &f->other, id, &e));
    assert_int_equal(e.status, 403);
    REFUSED(f, &f->co, id, "{\"action\":\"accept\"}", 403, "forbidden");
    REFUSED(f, &f->lead, id, "{\"action\":\"verify\"}", 409, "invalid_transition");
    assert_string_equal(f->e.allowed, "accept return");
    assert_view(f, &f->lead, id, "green", "[\"accept\",\"return\"]");
    assert_view(f, &f->co, id, "green", "[]");

    OK(f, &f->lead, id, "{\"action\":\"accept\"}");
    assert_item(f, id, "accepted", NULL, 0);
    /* a cooperating unit adds a note; it does not move the status or report progress */
    OK(f, &f->co, id, "{\"action\":\"feedback\",\"text\":\"配合完成土地摸底\"}");
    assert_item(f, id, "accepted", NULL, 0);
    REFUSED(f, &f->co, id, "{\"action\":\"feedback\",\"text\":\"x\",\"progress\":50}", 422,
            "invalid_field");
    REFUSED(f, &f->lead, id, "{\"action\":\"feedback\",\"text\":\"x\",\"progress\":101}", 422,
            "invalid_field");
    REFUSED(f, &f->lead, id, "{\"action\":\"feedback\",\"text\":\"  \"}", 422, "missing_field");
    REFUSED(f, &f->lead, id, "{\"action\":\"feedback\",\"text\":\"x\",\"percent\":5}", 422,
            "unknown_field");

    /* the first feedback of the lead unit starts the work; the metric gives the progress */
    today("2030-04-05");
    OK(f, &f->lead, id, "{\"action\":\"feedback\",\"text\":\"已盘活80亩\",\"value\":80}");
    assert_item(f, id, "in_progress", NULL, 40);
    item_col(f, id, "SELECT feedback_due FROM items WHERE id = ?1", s, sizeof s);
    assert_string_equal(s, "2030-04-12");
    assert_view(f, &f->lead, id, "green", "[\"feedback\",\"request_extension\",\"submit\"]");

    /* extension: requested before the deadline, one at a time, decided by the supervisor */
    REFUSED(f, &f->lead, id,
            "{\"action\":\"request_extension\",\"deadline\":\"2030-04-10\",\"reason\":\"r\"}", 422,
            "invalid_field");
    OK(f, &f->lead, id,
       "{\"action\":\"request_extension\",\"deadline\":\"2030-05-10\",\"reason\":\"征迁未完成\"}");
    REFUSED(f, &f->lead, id,
            "{\"action\":\"request_extension\",\"deadline\":\"2030-05-20\",\"reason\":\"r\"}", 409,
            "extension_pending");
    /* allowed_actions says the same as the actions: while one waits, no second
     * request, and the decisions are offered (issue 17, defect 8) */
    assert_view(f, &f->lead, id, "green", "[\"feedback\",\"submit\"]");
    assert_view(f, &f->sup, id, "green",
                "[\"approve_extension\",\"deny_extension\",\"urge\",\"escalate\",\"cancel\","
                "\"edit\",\"suspend\"]");
    REFUSED(f, &f->lead, id, "{\"action\":\"approve_extension\"}", 403, "forbidden");
    json_t *rec = feedback_item_json(f->db, &f->sup, id, &e);
    assert_non_null(rec);
    json_t *loop = json_object_get(rec, "loop");
    assert_string_equal(json_string_value(json_object_get(
                            json_object_get(loop, "pending_extension"), "new_deadline")),
                        "2030-05-10");
    assert_string_equal(json_string_value(json_object_get(loop, "feedback_due")), "2030-04-12");
    assert_true(json_is_false(json_object_get(loop, "feedback_late")));
    json_decref(rec);
    assert_null(feedback_item_json(f->db, &f->other, id, &e));
    assert_int_equal(e.status, 403);
    OK(f, &f->sup, id, "{\"action\":\"approve_extension\",\"text\":\"同意\"}");
    assert_item(f, id, "in_progress", "2030-05-10", 40);
    REFUSED(f, &f->sup, id, "{\"action\":\"deny_extension\"}", 409, "no_pending_extension");

    /* a leader's 批示 and urge; the supervisor escalates up the ladder only */
    OK(f, &f->boss, id, "{\"action\":\"instruct\",\"text\":\"加快进度，月底前见效\"}");
    OK(f, &f->boss, id, "{\"action\":\"urge\",\"text\":\"请抓紧\"}");
    OK(f, &f->sup, id, "{\"action\":\"escalate\",\"level\":\"key\"}");
    REFUSED(f, &f->sup, id, "{\"action\":\"escalate\",\"level\":\"general\"}", 422,
            "invalid_field");
    REFUSED(f, &f->sup, id, "{\"action\":\"escalate\",\"level\":\"top\"}", 422, "invalid_field");

    /* a week later the feedback is late: yellow, and the late report says so */
    today("2030-04-15");
    assert_view(f, &f->sup, id, "yellow",
                "[\"urge\",\"escalate\",\"cancel\",\"edit\",\"suspend\"]"); /* nothing to decide */
    OK(f, &f->lead, id, "{\"action\":\"feedback\",\"text\":\"已盘活150亩\",\"value\":150}");
    assert_item(f, id, "in_progress", NULL, 75);
    assert_int_equal(count(f, "SELECT count(*) FROM feedback WHERE item_id = ?1 AND late = 1", id),
                     1);

    /* submit, reject (back to work), submit, verify, archive */
    OK(f, &f->lead, id, "{\"action\":\"submit\",\"text\":\"已完成200亩\"}");
    assert_item(f, id, "submitted", NULL, 75);
    REFUSED(f, &f->sup, id, "{\"action\":\"reject\"}", 422, "missing_field");
    OK(f, &f->sup, id, "{\"action\":\"reject\",\"reason\":\"缺少验收材料\"}");
    assert_item(f, id, "in_progress", NULL, 75);
    OK(f, &f->lead, id, "{\"action\":\"submit\",\"text\":\"补充验收材料\"}");
    REFUSED(f, &f->lead, id, "{\"action\":\"verify\"}", 403, "forbidden");
    OK(f, &f->sup, id, "{\"action\":\"verify\"}");
    assert_item(f, id, "done", NULL, 100);
    assert_view(f, &f->sup, id, "none", "[\"archive\"]");
    REFUSED(f, &f->lead, id, "{\"action\":\"feedback\",\"text\":\"x\"}", 409, "invalid_transition");
    assert_string_equal(f->e.allowed, "");
    OK(f, &f->admin, id, "{\"action\":\"archive\"}");
    assert_item(f, id, "archived", NULL, 100);

    assert_events(f, id,
                  "create assign accept feedback feedback request_extension approve_extension "
                  "instruct urge escalate feedback submit reject submit verify archive");
    assert_int_equal(count(f, "SELECT count(*) FROM feedback WHERE item_id = ?1", id), 3);
    assert_int_equal(count(f,
                           "SELECT count(*) FROM extensions WHERE item_id = ?1"
                           " AND status = 'approved' AND new_deadline = '2030-05-10'",
                           id),
                     1);
    assert_int_equal(count(f, "SELECT count(*) FROM urges WHERE item_id = ?1", id), 1);
    assert_int_equal(
        count(f, "SELECT count(*) FROM escalations WHERE item_id = ?1 AND level = 2", id), 1);
    assert_int_equal(count(f, "SELECT count(*) FROM instructions WHERE item_id = ?1", id), 1);

    /* the records as the item page reads them */
    rec = feedback_item_json(f->db, &f->co, id, &e);
    assert_non_null(rec);
    json_t *fb = json_object_get(rec, "feedback");
    assert_int_equal(json_array_size(fb), 3);
    assert_string_equal(json_string_value(json_object_get(json_array_get(fb, 0), "unit_code")),
                        "B");
    assert_true(json_is_false(json_object_get(json_array_get(fb, 0), "is_lead")));
    assert_true(json_is_true(json_object_get(json_array_get(fb, 2), "late")));
    assert_int_equal(json_integer_value(json_object_get(json_array_get(fb, 2), "progress")), 75);
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(json_object_get(rec, "extensions"), 0), "status")),
                        "approved");
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(json_object_get(rec, "escalations"), 0), "level")),
                        "key");
    assert_int_equal(json_array_size(json_object_get(rec, "urges")), 1);
    assert_int_equal(json_array_size(json_object_get(rec, "instructions")), 1);
    loop = json_object_get(rec, "loop");
    assert_true(json_is_null(json_object_get(loop, "pending_extension")));
    assert_string_equal(json_string_value(json_object_get(loop, "escalation")), "key");
    json_decref(rec);
    assert_null(feedback_item_json(f->db, &f->sup, 999, &e));
    assert_int_equal(e.status, 404);

    /* the assign event carries before/after */
    item_col(f, id, "SELECT data FROM events WHERE item_id = ?1 AND action = 'assign'", s,
             sizeof s);
    assert_string_equal(s,
                        "{\"after\":{\"assigned_on\":\"2030-04-01\",\"deadline\":\"2030-04-15\","
                        "\"lead_unit_id\":2,\"status\":\"assigned\"},\"before\":{\"assigned_on\":"
                        "null,\"deadline\":null,\"lead_unit_id\":null,\"status\":\"draft\"},"
                        "\"co_unit_ids\":[3],\"working_days\":10}");
}

/* Return to the supervisor, reassign to another unit; extension refused once the deadline passed.
 */
static void test_return_reassign_and_late_extension(void **state)
{
    struct fixture *f = *state;
    char s[256];
    int64_t id = create(f, "{\"kind\":\"task\",\"title\":\"t\",\"deadline\":\"2030-04-10\"}");
    snprintf(s, sizeof s, "{\"action\":\"assign\",\"lead_unit_id\":%lld}", (long long)f->unit_c);
    OK(f, &f->sup, id, s);
    REFUSED(f, &f->other, id, "{\"action\":\"return\"}", 422, "missing_field");
    OK(f, &f->other, id, "{\"action\":\"return\",\"reason\":\"不属于本单位职责\"}");
    assert_item(f, id, "returned", "2030-04-10", 0);
    REFUSED(f, &f->other, id, "{\"action\":\"accept\"}", 409, "invalid_transition");
    /* reassign to A with B cooperating; B may not be both */
    snprintf(s, sizeof s, "{\"action\":\"assign\",\"lead_unit_id\":%lld,\"co_unit_ids\":[%lld]}",
             (long long)f->unit_a, (long long)f->unit_a);
    REFUSED(f, &f->sup, id, s, 422, "invalid_field");
    snprintf(s, sizeof s,
             "{\"action\":\"assign\",\"lead_unit_id\":%lld,\"deadline\":\"2030-04-12\","
             "\"working_days\":3}",
             (long long)f->unit_a);
    REFUSED(f, &f->sup, id, s, 422, "invalid_field");
    snprintf(s, sizeof s,
             "{\"action\":\"assign\",\"lead_unit_id\":%lld,\"deadline\":\"2030-04-12\"}",
             (long long)f->unit_a);
    OK(f, &f->sup, id, s);
    /* C no longer sees it */
    REFUSED(f, &f->other, id, "{\"action\":\"accept\"}", 403, "forbidden");
    OK(f, &f->lead, id, "{\"action\":\"accept\"}");
    today("2030-04-12");
    assert_view(f, &f->lead, id, "yellow", "[\"feedback\",\"request_extension\",\"submit\"]");
    today("2030-04-13");
    /* past the deadline an extension can no longer be requested: not offered */
    assert_view(f, &f->lead, id, "red", "[\"feedback\",\"submit\"]");
    REFUSED(f, &f->lead, id,
            "{\"action\":\"request_extension\",\"deadline\":\"2030-04-30\",\"reason\":\"r\"}", 422,
            "deadline_passed");
    /* submitting straight from accepted is allowed */
    OK(f, &f->lead, id, "{\"action\":\"submit\",\"text\":\"done\"}");
    assert_item(f, id, "submitted", NULL, 0);
    assert_events(f, id, "create assign return assign accept submit");
}

/* Progress rolls up, weighted; a parent waits for its children unless a reason is given. */
static void test_rollup_and_parent_verify(void **state)
{
    struct fixture *f = *state;
    char s[256];
    int64_t parent =
        create(f, "{\"kind\":\"task\",\"title\":\"目标\",\"deadline\":\"2030-06-30\"}");
    snprintf(s, sizeof s,
             "{\"kind\":\"task\",\"title\":\"子任务一\",\"deadline\":\"2030-06-30\","
             "\"parent_id\":%lld}",
             (long long)parent);
    int64_t c1 = create(f, s);
    int64_t c2 = create(f, s);
    int64_t c3 = create(f, s);
    /* weights: c1 1, c2 3, c3 1 (weights are plan data, set directly here) */
    assert_int_equal(db_exec(f->db, "UPDATE items SET weight = 3 WHERE id = 3"), DB_OK);
    snprintf(s, sizeof s, "{\"action\":\"assign\",\"lead_unit_id\":%lld}", (long long)f->unit_a);
    int64_t all[] = {parent, c1, c2, c3};
    for (int k = 0; k < 4; k++) {
        OK(f, &f->sup, all[k], s);
        OK(f, &f->lead, all[k], "{\"action\":\"accept\"}");
    }
    REFUSED(f, &f->lead, parent, "{\"action\":\"feedback\",\"text\":\"x\",\"progress\":10}", 422,
            "invalid_field");
    OK(f, &f->lead, c1, "{\"action\":\"feedback\",\"text\":\"x\",\"progress\":100}");
    assert_item(f, parent, "accepted", NULL, 20); /* 100 * 1 / 5 */
    OK(f, &f->lead, c2, "{\"action\":\"feedback\",\"text\":\"x\",\"progress\":50}");
    assert_item(f, parent, "accepted", NULL, 50); /* (100 + 150) / 5 */
    OK(f, &f->sup, c3, "{\"action\":\"cancel\",\"reason\":\"并入子任务二\"}");
    assert_item(f, parent, "accepted", NULL, 63); /* 250 / 4 = 62.5, rounded */
    OK(f, &f->lead, parent, "{\"action\":\"submit\",\"text\":\"汇总\"}");
    REFUSED(f, &f->sup, parent, "{\"action\":\"verify\"}", 409, "children_open");
    assert_string_equal(f->e.message,
                        "2 sub-items are still open; give a 'reason' to verify anyway");
    OK(f, &f->lead, c1, "{\"action\":\"submit\",\"text\":\"x\"}");
    OK(f, &f->sup, c1, "{\"action\":\"verify\"}");
    REFUSED(f, &f->sup, parent, "{\"action\":\"verify\"}", 409, "children_open");
    OK(f, &f->sup, parent, "{\"action\":\"verify\",\"reason\":\"子任务二转入下年度\"}");
    assert_item(f, parent, "done", NULL, 100);
    assert_events(f, parent, "create assign accept rollup rollup rollup submit verify");
}

/* Suspend keeps the clocks still; resume restores the status. */
static void test_suspend_resume_cancel(void **state)
{
    struct fixture *f = *state;
    char s[256];
    int64_t id = create(f, "{\"kind\":\"task\",\"title\":\"t\",\"deadline\":\"2030-04-03\"}");
    snprintf(s, sizeof s, "{\"action\":\"assign\",\"lead_unit_id\":%lld}", (long long)f->unit_a);
    OK(f, &f->sup, id, s);
    OK(f, &f->lead, id, "{\"action\":\"accept\"}");
    OK(f, &f->sup, id, "{\"action\":\"suspend\",\"reason\":\"等待上级政策\"}");
    assert_item(f, id, "suspended", NULL, 0);
    today("2030-04-20");
    assert_view(f, &f->sup, id, "none", "[\"cancel\",\"edit\",\"resume\"]");
    REFUSED(f, &f->lead, id, "{\"action\":\"feedback\",\"text\":\"x\"}", 409, "invalid_transition");
    OK(f, &f->sup, id, "{\"action\":\"resume\"}");
    assert_item(f, id, "accepted", NULL, 0);
    assert_view(f, &f->sup, id, "red",
                "[\"urge\",\"escalate\",\"cancel\",\"edit\",\"suspend\"]"); /* nothing to decide */
    REFUSED(f, &f->sup, id, "{\"action\":\"cancel\"}", 422, "missing_field");
    OK(f, &f->sup, id, "{\"action\":\"cancel\",\"reason\":\"任务调整\"}");
    assert_view(f, &f->sup, id, "none", "[\"archive\"]");
    assert_events(f, id, "create assign accept suspend resume cancel");
}

/* Behind the pro-rata schedule: yellow at 10 points, red at 30, once progress is reported. */
static void test_schedule_lights(void **state)
{
    struct fixture *f = *state;
    char s[256];
    int64_t id = create(f, "{\"kind\":\"task\",\"title\":\"t\",\"deadline\":\"2030-04-30\"}");
    snprintf(s, sizeof s, "{\"action\":\"assign\",\"lead_unit_id\":%lld}", (long long)f->unit_a);
    OK(f, &f->sup, id, s);
    OK(f, &f->lead, id, "{\"action\":\"accept\"}");
    today("2030-04-20");
    assert_view(f, &f->sup, id, "green", /* nothing reported, no cycle: no schedule yet */
                "[\"urge\",\"escalate\",\"cancel\",\"edit\",\"suspend\"]"); /* nothing to decide */
    today("2030-04-02");
    OK(f, &f->lead, id, "{\"action\":\"feedback\",\"text\":\"x\",\"progress\":10}");
    /* 29 days from 04-01: 20 points expected on day 5.8, 40 on day 11.6 */
    static const char *const days[][2] = {{"2030-04-06", "green"},
                                          {"2030-04-07", "yellow"},
                                          {"2030-04-12", "yellow"},
                                          {"2030-04-13", "red"}};
    for (int k = 0; k < 4; k++) {
        today(days[k][0]);
        struct err e = {0};
        json_t *item = item_get_json(f->db, &f->sup, id, &e);
        assert_non_null(item);
        if (strcmp(json_string_value(json_object_get(item, "light")), days[k][1]))
            fail_msg("%s: want %s", days[k][0], days[k][1]);
        json_decref(item);
    }
    /* catching up turns it green again */
    OK(f, &f->lead, id, "{\"action\":\"feedback\",\"text\":\"x\",\"progress\":50}");
    today("2030-04-14");
    struct err e = {0};
    json_t *item = item_get_json(f->db, &f->sup, id, &e);
    assert_string_equal(json_string_value(json_object_get(item, "light")), "green");
    json_decref(item);
}

struct bad_case {
    const char *body;
    int status;
    const char *code;
};

/* Bodies refused before anything is looked at, and a missing item. */
static void test_bad_bodies(void **state)
{
    struct fixture *f = *state;
    static const struct bad_case cases[] = {
        {"[]", 400, "invalid_json"},
        {"{}", 422, "missing_field"},
        {"{\"action\":7}", 422, "missing_field"},
        {"{\"action\":\"fly\"}", 422, "invalid_field"},
        {"{\"action\":\"triage\"}", 409, "invalid_transition"}, /* no rows for tasks */
        {"{\"action\":\"assign\",\"deadline\":\"2030-02-30\",\"lead_unit_id\":2}", 422,
         "invalid_field"},
        {"{\"action\":\"assign\",\"lead_unit_id\":\"2\"}", 422, "invalid_field"},
        {"{\"action\":\"assign\",\"lead_unit_id\":2,\"working_days\":0}", 422, "invalid_field"},
        {"{\"action\":\"assign\",\"lead_unit_id\":2,\"deadline\":\"2030-05-01\",\"co_unit_ids\":[3,"
         "3]}",
         422, "invalid_field"},
        {"{\"action\":\"assign\",\"lead_unit_id\":2,\"text\":\"x\"}", 422, "unknown_field"},
    };
    int64_t id = create(f, "{\"kind\":\"task\",\"title\":\"t\"}");
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        REFUSED(f, &f->sup, id, cases[i].body, cases[i].status, cases[i].code);
    REFUSED(f, &f->sup, 999, "{\"action\":\"accept\"}", 404, "not_found");
    assert_item(f, id, "draft", "(null)", 0);
    assert_events(f, id, "create");
    /* an item created with a deadline already past has no light as a draft,
     * and is red as soon as it is assigned (DESIGN.md's contract) */
    int64_t old = create(f, "{\"kind\":\"task\",\"title\":\"旧台账\",\"deadline\":\"2030-03-01\"}");
    assert_view(f, &f->sup, old, "none", "[\"assign\",\"cancel\",\"edit\"]");
    OK(f, &f->sup, old, "{\"action\":\"assign\",\"lead_unit_id\":2}");
    assert_view(f, &f->sup, old, "red",
                "[\"assign\",\"urge\",\"escalate\",\"cancel\",\"edit\",\"suspend\"]");
}

/* The event's data of the item's newest event, compact. */
static void assert_last_data(struct fixture *f, int64_t id, const char *want)
{
    struct db_stmt *st = db_prepare(f->db, "SELECT data FROM events WHERE item_id = ?1"
                                           " ORDER BY seq DESC LIMIT 1");
    db_bind_int64(st, 1, id);
    assert_int_equal(db_step(st), DB_ROW);
    json_t *d = json_loads(db_column_text(st, 0), 0, NULL);
    db_finalize(st);
    char *got = json_dumps(d, JSON_COMPACT | JSON_SORT_KEYS);
    assert_string_equal(got, want);
    free(got);
    json_decref(d);
}

/* The office corrects an open item: the event names exactly what changed,
 * nothing changed and closed items are refused, and the full replay (the
 * item row and its cooperating units from the events) agrees. */
static void test_edit(void **state)
{
    struct fixture *f = *state;
    char s[512];
    int64_t id = create(f, "{\"kind\":\"task\",\"title\":\"旧标题\",\"description\":\"旧内容\","
                           "\"deadline\":\"2030-04-30\",\"feedback_cycle\":\"monthly\"}");
    snprintf(s, sizeof s, "{\"action\":\"assign\",\"lead_unit_id\":%lld,\"co_unit_ids\":[%lld]}",
             (long long)f->unit_a, (long long)f->unit_b);
    OK(f, &f->sup, id, s);
    snprintf(s, sizeof s,
             "{\"action\":\"edit\",\"title\":\" 新标题 \",\"description\":\"旧内容\","
             "\"feedback_cycle\":\"weekly\",\"metric\":{\"target\":120,\"unit\":\"亩\"},"
             "\"co_unit_ids\":[%lld,%lld]}",
             (long long)f->unit_c, (long long)f->unit_b);
    OK(f, &f->sup, id, s);
    snprintf(s, sizeof s,
             "{\"after\":{\"co_unit_ids\":[%lld,%lld],\"feedback_cycle\":\"weekly\","
             "\"metric_target\":120.0,\"metric_unit\":\"亩\",\"title\":\"新标题\"},"
             "\"before\":{\"co_unit_ids\":[%lld],\"feedback_cycle\":\"monthly\","
             "\"metric_target\":null,\"metric_unit\":null,\"title\":\"旧标题\"}}",
             (long long)f->unit_b, (long long)f->unit_c, (long long)f->unit_b);
    assert_last_data(f, id, s);
    char col[64];
    item_col(f, id,
             "SELECT title || '|' || feedback_cycle || '|' || feedback_due FROM items"
             " WHERE id = ?1",
             col, sizeof col);
    assert_string_equal(col, "新标题|weekly|2030-04-08");
    assert_int_equal(count(f, "SELECT count(*) FROM item_units WHERE item_id = ?1", id), 2);
    /* a description emptied is removed; the metric removed with null */
    OK(f, &f->admin, id, "{\"action\":\"edit\",\"description\":\"\",\"metric\":null}");
    assert_last_data(f, id,
                     "{\"after\":{\"description\":\"\",\"metric_target\":null,"
                     "\"metric_unit\":null},\"before\":{\"description\":\"旧内容\","
                     "\"metric_target\":120.0,\"metric_unit\":\"亩\"}}");
    REFUSED(f, &f->sup, id, "{\"action\":\"edit\",\"title\":\"新标题\"}", 422, "nothing_changed");
    REFUSED(f, &f->sup, id, "{\"action\":\"edit\"}", 422, "nothing_changed");
    REFUSED(f, &f->sup, id, "{\"action\":\"edit\",\"title\":\"  \"}", 422, "missing_field");
    REFUSED(f, &f->sup, id, "{\"action\":\"edit\",\"feedback_cycle\":\"daily\"}", 422,
            "invalid_field");
    REFUSED(f, &f->sup, id, "{\"action\":\"edit\",\"deadline\":\"2030-06-01\"}", 422,
            "unknown_field");
    snprintf(s, sizeof s, "{\"action\":\"edit\",\"co_unit_ids\":[%lld]}", (long long)f->unit_a);
    REFUSED(f, &f->sup, id, s, 422, "invalid_field"); /* the lead unit does not cooperate */
    REFUSED(f, &f->lead, id, "{\"action\":\"edit\",\"title\":\"x\"}", 403, "forbidden");
    REFUSED(f, &f->boss, id, "{\"action\":\"edit\",\"title\":\"x\"}", 403, "forbidden");
    OK(f, &f->lead, id, "{\"action\":\"accept\"}");
    OK(f, &f->lead, id, "{\"action\":\"submit\",\"text\":\"完成\"}");
    OK(f, &f->sup, id, "{\"action\":\"verify\"}");
    REFUSED(f, &f->sup, id, "{\"action\":\"edit\",\"title\":\"x\"}", 422, "item_closed");
    assert_events(f, id, "create assign edit edit accept submit verify");
    struct verify_log v;
    struct replay_stats st;
    verify_log_init(&v, 10);
    assert_int_equal(replay_verify(f->db, REPLAY_FULL, &v, &st), DB_OK);
    if (v.problems) fail_msg("replay: %s", buf_cstr(&v.lines));
    verify_log_free(&v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_full_loop, setup, teardown),
        cmocka_unit_test_setup_teardown(test_return_reassign_and_late_extension, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rollup_and_parent_verify, setup, teardown),
        cmocka_unit_test_setup_teardown(test_suspend_resume_cancel, setup, teardown),
        cmocka_unit_test_setup_teardown(test_schedule_lights, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_bodies, setup, teardown),
        cmocka_unit_test_setup_teardown(test_edit, setup, teardown),
    };
    return testdb_rounds("action", tests);
}
