/* assessment_test.c — the yearly 考核 score (core/assessment.c,
 * core/assessment_score.c) on a hand-built year: automatic entries from the
 * scheduler's real runs (overdue, late feedback, an escalation) and a real
 * reject, the office's deduction, no_substance and bonus, a withdrawal by
 * counter-entry, the leader's evaluation, the year's rules as configuration;
 * exact scores, ranks and who may see and add what.  When LUOSHI_TEST_PG
 * holds a URL the same tests run again on PostgreSQL. */
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
#include "core/assessment.h"
#include "core/config_chain.h"
#include "core/consequence.h"
#include "core/calendar.h"
#include "core/event.h"
#include "core/item.h"
#include "core/scheduler.h"
#include "core/unit.h"
#include "core/verify.h"
#include "core/user.h"
#include "db/db.h"
#include "fixture.h"
#include "testdb.h"
#include "util/buf.h"
#include "util/time.h"

struct fixture {
    struct testdb t;
    struct db *db;
    int64_t office, unit_a, unit_b, grid;
    struct actor sup, leader, lead_a, lead_b;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    *state = f;
    if (testdb_open(&f->t, "assess")) return -1;
    f->db = f->t.db;
    struct err e = {0};
    if (db_begin(f->db) ||
        unit_add(f->db, NULL, "DCS", "督查室", "department", NULL, &f->office, &e) ||
        unit_add(f->db, NULL, "A", "发改局", "department", NULL, &f->unit_a, &e) ||
        unit_add(f->db, NULL, "B", "经信局", "department", NULL, &f->unit_b, &e) ||
        unit_add(f->db, NULL, "G1", "一号网格", "grid", NULL, &f->grid, &e))
        return -1;
    fixture_user(f->db, &f->sup, "sup", "DCS", f->office, ROLE_SUPERVISOR);
    fixture_user(f->db, &f->leader, "boss", "DCS", f->office, ROLE_LEADER);
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

static int64_t create(struct fixture *f, const char *title, int64_t unit, const char *deadline,
                      const char *cycle)
{
    char json[256];
    snprintf(json, sizeof json,
             "{\"kind\":\"task\",\"title\":\"%s\",\"lead_unit_id\":%lld,\"deadline\":\"%s\","
             "\"feedback_cycle\":\"%s\"}",
             title, (long long)unit, deadline, cycle);
    json_t *body = json_loads(json, 0, NULL);
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

/* One daily run on day; how many consequences it fired. */
static int run(struct fixture *f, const char *day)
{
    setenv("LUOSHI_NOW", day, 1);
    struct scheduler_stats st;
    struct err e = {0};
    assert_int_equal(db_begin(f->db), DB_OK);
    if (scheduler_run(f->db, time_now_ms(), &st, &e)) fail_msg("scheduler_run: %s", e.message);
    assert_int_equal(db_commit(f->db), DB_OK);
    return st.consequences;
}

/* Add an entry from json as a; the new id, or 0 with *e filled. */
static int64_t entry(struct fixture *f, const struct actor *a, const char *json, struct err *e)
{
    json_t *body = json_loads(json, 0, NULL);
    assert_non_null(body);
    int64_t id = 0;
    memset(e, 0, sizeof *e);
    assert_int_equal(db_begin(f->db), DB_OK);
    if (assessment_entry_add(f->db, a, body, &id, e)) {
        db_rollback(f->db);
        id = 0;
    } else {
        assert_int_equal(db_commit(f->db), DB_OK);
    }
    json_decref(body);
    return id;
}

static int64_t entry_ok(struct fixture *f, const struct actor *a, const char *json)
{
    struct err e;
    int64_t id = entry(f, a, json, &e);
    if (!id) fail_msg("%s: %s", json, e.message);
    return id;
}

static void entry_fails(struct fixture *f, const struct actor *a, const char *json, int status,
                        const char *code)
{
    struct err e;
    assert_int_equal(entry(f, a, json, &e), 0);
    assert_int_equal(e.status, status);
    assert_string_equal(e.code, code);
}

/* The unit row of code in v. */
static json_t *unit_row(json_t *v, const char *code)
{
    size_t i;
    json_t *u;
    json_array_foreach(json_object_get(v, "units"), i, u)
    {
        if (!strcmp(json_string_value(json_object_get(u, "unit_code")), code)) return u;
    }
    fail_msg("no unit %s", code);
    return NULL;
}

/* "code score rank/of" of every unit in order, and each unit's entries as
 * "rule points" joined by commas. */
static void assert_scores(json_t *v, const char *want)
{
    char got[2048] = "";
    size_t used = 0, i, k;
    json_t *u, *en;
    json_array_foreach(json_object_get(v, "units"), i, u)
    {
        used += (size_t)snprintf(got + used, sizeof got - used, "%s%s %g %d/%d:", i ? " | " : "",
                                 json_string_value(json_object_get(u, "unit_code")),
                                 json_real_value(json_object_get(u, "score")),
                                 (int)json_integer_value(json_object_get(u, "rank")),
                                 (int)json_integer_value(json_object_get(u, "rank_of")));
        json_array_foreach(json_object_get(u, "entries"), k, en)
        {
            used += (size_t)snprintf(got + used, sizeof got - used, " %s%+g",
                                     json_string_value(json_object_get(en, "rule")),
                                     json_real_value(json_object_get(en, "points")));
        }
    }
    assert_string_equal(got, want);
}

static json_t *scores(struct fixture *f, const struct actor *a, int year, int64_t unit)
{
    struct err e = {0};
    json_t *v = assessment_json(f->db, a, year, unit, &e);
    if (!v) fail_msg("assessment_json: %s", e.message);
    return v;
}

/* The year as the scheduler, the office and a leader make it. */
static void build_year(struct fixture *f, int64_t *x, int64_t *y)
{
    /* x: lead A, due Friday 5 April, weekly feedback; z: lead B, weekly */
    *x = create(f, "x", f->unit_a, "2030-04-05", "weekly");
    int64_t z = create(f, "z", f->unit_b, "2030-06-28", "weekly");
    /* y: lead B, submitted and rejected by the office */
    *y = create(f, "y", f->unit_b, "2030-06-28", "none");
    act(f, &f->sup, *x, "{\"action\":\"assign\"}");
    act(f, &f->lead_a, *x, "{\"action\":\"accept\"}");
    act(f, &f->sup, z, "{\"action\":\"assign\"}");
    act(f, &f->sup, *y, "{\"action\":\"assign\"}");
    act(f, &f->lead_b, *y, "{\"action\":\"accept\"}");
    act(f, &f->lead_b, *y, "{\"action\":\"submit\",\"text\":\"done\"}");
    act(f, &f->sup, *y, "{\"action\":\"reject\",\"reason\":\"no evidence\"}");
    run(f, "2030-04-05"); /* nothing late */
    run(f, "2030-04-08"); /* x overdue: -2 */
    run(f, "2030-04-09"); /* x and z miss the feedback of the 8th: -1 each */
    run(f, "2030-04-10"); /* x: 一般督办 (0 points by default) */
}

static void test_hand_built_year(void **state)
{
    struct fixture *f = *state;
    int64_t x, y;
    build_year(f, &x, &y);
    json_t *v = scores(f, &f->sup, 2030, 0);
    assert_scores(v, "DCS 100 1/3: | B 98 2/3: late_feedback-1 rejected-1"
                     " | A 97 3/3: overdue-2 late_feedback-1");
    json_decref(v);

    char json[512];
    snprintf(json, sizeof json,
             "{\"unit_id\":%lld,\"points\":-3,\"reason\":\"缺席推进会\",\"item_id\":%lld}",
             (long long)f->unit_a, (long long)x);
    int64_t d = entry_ok(f, &f->sup, json);
    snprintf(json, sizeof json,
             "{\"unit_id\":%lld,\"kind\":\"no_substance\",\"reason\":\"反馈无实质内容\","
             "\"item_id\":%lld}",
             (long long)f->unit_a, (long long)x);
    entry_ok(f, &f->sup, json);
    snprintf(json, sizeof json, "{\"unit_id\":%lld,\"points\":2,\"reason\":\"经验被推广\"}",
             (long long)f->unit_b);
    int64_t bonus = entry_ok(f, &f->sup, json);
    snprintf(json, sizeof json, "{\"withdraws\":%lld,\"reason\":\"误加\"}", (long long)bonus);
    int64_t w = entry_ok(f, &f->sup, json);
    entry_fails(f, &f->sup, json, 409, "already_withdrawn");
    snprintf(json, sizeof json, "{\"withdraws\":%lld,\"reason\":\"x\"}", (long long)w);
    entry_fails(f, &f->sup, json, 422, "invalid_field");
    snprintf(json, sizeof json,
             "{\"unit_id\":%lld,\"kind\":\"evaluation\",\"points\":18,\"reason\":\"年度评价\"}",
             (long long)f->unit_a);
    entry_ok(f, &f->leader, json);
    entry_fails(f, &f->leader, json, 409, "evaluation_exists");
    snprintf(json, sizeof json,
             "{\"unit_id\":%lld,\"kind\":\"evaluation\",\"points\":20,\"reason\":\"年度评价\"}",
             (long long)f->unit_b);
    entry_ok(f, &f->leader, json);

    /* A: 100 -2 -1 -3 -5 +18 = 107; B: 100 -1 -1 +2 -2 +20 = 118 */
    v = scores(f, &f->sup, 2030, 0);
    assert_scores(v, "B 118 1/3: late_feedback-1 rejected-1 bonus+2 withdrawal-2 evaluation+20"
                     " | A 107 2/3: overdue-2 late_feedback-1 deduction-3 no_substance-5"
                     " evaluation+18 | DCS 100 3/3:");
    json_t *b = unit_row(v, "B");
    assert_true(json_real_value(json_object_get(b, "deducted")) == -2);
    assert_true(json_real_value(json_object_get(b, "added")) == 0);
    assert_true(json_real_value(json_object_get(b, "evaluation")) == 20);
    json_t *en = json_array_get(json_object_get(b, "entries"), 2);
    assert_int_equal(json_integer_value(json_object_get(en, "withdrawn_by")), w);
    assert_string_equal(json_string_value(json_object_get(en, "actor")), "sup");
    en = json_array_get(json_object_get(unit_row(v, "A"), "entries"), 2);
    assert_int_equal(json_integer_value(json_object_get(en, "id")), d);
    assert_int_equal(json_integer_value(json_object_get(en, "item_id")), x);
    assert_string_equal(json_string_value(json_object_get(en, "reason")), "缺席推进会");
    en = json_array_get(json_object_get(unit_row(v, "A"), "entries"), 0);
    assert_string_equal(json_string_value(json_object_get(en, "ref")), "2030-04-05");
    json_decref(v);

    /* another year has none of it */
    v = scores(f, &f->sup, 2031, 0);
    assert_scores(v, "A 100 1/3: | B 100 1/3: | DCS 100 1/3:");
    json_decref(v);
}

static json_t *window_scores(struct fixture *f, int year, const char *period, int n)
{
    struct assessment_window w;
    struct err e = {0};
    if (assessment_window_set(&w, year, period, n, &e)) fail_msg("window: %s", e.message);
    json_t *v = assessment_window_json(f->db, &f->sup, &w, 0, &e);
    if (!v) fail_msg("assessment_window_json: %s", e.message);
    return v;
}

/* A month, a quarter and the year: each sums only its own entries. */
static void test_windows(void **state)
{
    struct fixture *f = *state;
    struct assessment_window w;
    struct err e = {0};
    assert_int_equal(assessment_window_set(&w, 2030, "month", 4, &e), 0);
    assert_string_equal(w.period, "2030-04");
    /* the city's midnights starting 1 April and 1 May */
    assert_int_equal(time_day_of(w.lo), date_make(2030, 4, 1));
    assert_int_equal(time_day_of(w.lo - 1), date_make(2030, 3, 31));
    assert_int_equal(time_day_of(w.hi), date_make(2030, 5, 1));
    assert_int_equal(time_day_of(w.hi - 1), date_make(2030, 4, 30));
    assert_int_equal(assessment_window_set(&w, 2030, "quarter", 4, &e), 0);
    assert_string_equal(w.period, "2030-Q4");
    assert_int_equal(time_day_of(w.lo), date_make(2030, 10, 1));
    assert_int_equal(time_day_of(w.hi), date_make(2031, 1, 1));
    assert_int_equal(time_day_of(w.hi - 1), date_make(2030, 12, 31));
    static const struct {
        const char *period;
        int n;
    } bad[] = {{"month", 0}, {"month", 13}, {"quarter", 5}, {"week", 1}, {"year", 1}, {NULL, 2}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(assessment_window_set(&w, 2030, bad[i].period, bad[i].n, &e), -1);
        assert_string_equal(e.code, "invalid_parameter");
    }

    int64_t x, y;
    build_year(f, &x, &y);
    setenv("LUOSHI_NOW", "2030-05-06", 1);
    char json[256];
    snprintf(json, sizeof json, "{\"unit_id\":%lld,\"points\":-4,\"reason\":\"五月扣分\"}",
             (long long)f->unit_a);
    entry_ok(f, &f->sup, json);
    const char *april = "DCS 100 1/3: | B 98 2/3: late_feedback-1 rejected-1"
                        " | A 97 3/3: overdue-2 late_feedback-1";
    json_t *v = window_scores(f, 2030, "month", 4);
    assert_scores(v, april);
    json_decref(v);
    v = window_scores(f, 2030, "month", 5);
    assert_scores(v, "B 100 1/3: | DCS 100 1/3: | A 96 3/3: deduction-4");
    json_decref(v);
    v = window_scores(f, 2030, "quarter", 1);
    assert_scores(v, "A 100 1/3: | B 100 1/3: | DCS 100 1/3:");
    json_decref(v);
    const char *q2 = "DCS 100 1/3: | B 98 2/3: late_feedback-1 rejected-1"
                     " | A 93 3/3: overdue-2 late_feedback-1 deduction-4";
    v = window_scores(f, 2030, "quarter", 2);
    assert_scores(v, q2);
    assert_string_equal(json_string_value(json_object_get(v, "from")), "2030-04-01");
    assert_string_equal(json_string_value(json_object_get(v, "to")), "2030-06-30");
    json_decref(v);
    v = window_scores(f, 2030, NULL, 0);
    assert_scores(v, q2);
    assert_string_equal(json_string_value(json_object_get(v, "period")), "2030");
    json_decref(v);
}

/* The problems config_chain_verify finds, one per line. */
static void assert_config_verify(struct fixture *f, const char *want)
{
    struct verify_log v;
    int64_t events = 0;
    verify_log_init(&v, 10);
    assert_int_equal(config_chain_verify(f->db, &v, &events), DB_OK);
    assert_true(events > 0);
    assert_string_equal(v.lines.data ? v.lines.data : "", want);
    verify_log_free(&v);
}

/* Manual entries and objections are on the configuration chain: a row
 * changed behind its back (the triggers off) is named by verify. */
static void test_tamper_evident(void **state)
{
    struct fixture *f = *state;
    char json[256], want[512];
    snprintf(json, sizeof json,
             "{\"unit_id\":%lld,\"points\":-3,\"reason\":\"缺席推进会\","
             "\"evidence\":\"会议纪要〔2030〕5号\"}",
             (long long)f->unit_a);
    int64_t d = entry_ok(f, &f->sup, json);
    json_t *body = json_pack("{s:s}", "text", "已请假");
    int64_t o = 0;
    struct err e = {0};
    assert_int_equal(db_begin(f->db), DB_OK);
    if (assessment_objection_add(f->db, &f->lead_a, d, body, &o, &e)) fail_msg("%s", e.message);
    assert_int_equal(db_commit(f->db), DB_OK);
    json_decref(body);
    assert_config_verify(f, "");

    int pg = db_kind(f->db) == DB_PG;
    assert_int_equal(db_exec(f->db, pg ? "ALTER TABLE assessment_entries DISABLE TRIGGER"
                                         " assessment_entries_no_change"
                                       : "DROP TRIGGER assessment_entries_no_update"),
                     DB_OK);
    struct db_stmt *st =
        db_prepare(f->db, "UPDATE assessment_entries SET points = -1 WHERE id = ?1");
    db_bind_int64(st, 1, d);
    assert_int_equal(db_step(st), DB_DONE);
    db_finalize(st);
    snprintf(want, sizeof want,
             "config assessment %lld: points is -1.0 in the table, -3.0 in the configuration "
             "chain\n",
             (long long)d);
    assert_config_verify(f, want);

    assert_int_equal(db_exec(f->db, pg ? "ALTER TABLE assessment_objections DISABLE TRIGGER"
                                         " assessment_objections_decided_once"
                                       : "DROP TRIGGER assessment_objections_decided_once"),
                     DB_OK);
    st = db_prepare(f->db, "UPDATE assessment_objections SET text = '另有隐情' WHERE id = ?1");
    db_bind_int64(st, 1, o);
    assert_int_equal(db_step(st), DB_DONE);
    db_finalize(st);
    size_t used = strlen(want);
    snprintf(want + used, sizeof want - used,
             "config objections %lld: text is \"另有隐情\" in the table, \"已请假\" in the "
             "configuration chain\n",
             (long long)o);
    assert_config_verify(f, want);
}

/* An accept after the 签收 limit (notice.accept_working_days working days
 * after the assignment it answers) deducts late_signing; in time, nothing. */
static void test_late_signing(void **state)
{
    struct fixture *f = *state;
    int64_t late = create(f, "late", f->unit_a, "2030-06-28", "none");
    int64_t ontime = create(f, "ontime", f->unit_b, "2030-06-28", "none");
    int64_t again = create(f, "again", f->unit_b, "2030-06-28", "none");
    setenv("LUOSHI_NOW", "2030-04-05", 1); /* a Friday */
    act(f, &f->sup, late, "{\"action\":\"assign\"}");
    act(f, &f->sup, ontime, "{\"action\":\"assign\"}");
    act(f, &f->sup, again, "{\"action\":\"assign\"}");
    setenv("LUOSHI_NOW", "2030-04-08", 1); /* Monday: the limit of Friday's assignments */
    act(f, &f->lead_b, ontime, "{\"action\":\"accept\"}");
    act(f, &f->lead_b, again, "{\"action\":\"return\",\"reason\":\"不属本单位\"}");
    act(f, &f->sup, again, "{\"action\":\"assign\"}");
    setenv("LUOSHI_NOW", "2030-04-09", 1);
    act(f, &f->lead_a, late, "{\"action\":\"accept\"}");  /* a day late */
    act(f, &f->lead_b, again, "{\"action\":\"accept\"}"); /* within the new assignment's */
    json_t *v = scores(f, &f->sup, 2030, 0);
    assert_scores(v, "B 100 1/3: | DCS 100 1/3: | A 99 3/3: late_signing-1");
    json_t *en = json_array_get(json_object_get(unit_row(v, "A"), "entries"), 0);
    assert_string_equal(json_string_value(json_object_get(en, "ref")), "2030-04-05");
    assert_int_equal(json_integer_value(json_object_get(en, "item_id")), late);
    json_decref(v);
    /* the rule is the year's, as configuration: 0 turns it off */
    json_t *values = json_pack("{s:i}", "late_signing", 0);
    struct err e = {0};
    struct actor admin = {.username = "admin", .roles = ROLE_ADMIN};
    assert_int_equal(db_begin(f->db), DB_OK);
    if (assessment_rules_set(f->db, &admin, 2030, values, &e)) fail_msg("%s", e.message);
    assert_int_equal(db_commit(f->db), DB_OK);
    json_decref(values);
    v = scores(f, &f->sup, 2030, 0);
    assert_scores(v, "A 100 1/3: | B 100 1/3: | DCS 100 1/3:");
    json_decref(v);
}

/* The year's rules replace the ledger's points and turn rules on, as configuration. */
static void test_rules_as_configuration(void **state)
{
    struct fixture *f = *state;
    int64_t x, y;
    build_year(f, &x, &y);
    json_t *values =
        json_pack("{s:i,s:i,s:i}", "overdue", -4, "escalation_general", -1, "base", 90);
    struct err e = {0};
    int64_t seq0, seq1;
    char h[65];
    assert_int_equal(config_chain_head(f->db, &seq0, h), DB_OK);
    assert_int_equal(db_begin(f->db), DB_OK);
    assert_int_equal(assessment_rules_set(f->db, &f->sup, 2030, values, &e), 0);
    assert_int_equal(db_commit(f->db), DB_OK);
    json_decref(values);
    assert_int_equal(config_chain_head(f->db, &seq1, h), DB_OK);
    assert_int_equal(seq1 - seq0, 3 + (seq0 == 0)); /* three changes (and the baseline) */

    json_t *v = scores(f, &f->sup, 2030, 0);
    assert_scores(v, "DCS 90 1/3: | B 88 2/3: late_feedback-1 rejected-1"
                     " | A 84 3/3: overdue-4 late_feedback-1 escalation_general-1");
    json_decref(v);
    v = scores(f, &f->sup, 2029, 0); /* another year keeps the defaults */
    assert_int_equal(json_array_size(json_object_get(v, "units")), 3);
    json_decref(v);

    json_t *r = assessment_rules_json(f->db, 2030, &e);
    json_t *od = json_array_get(json_object_get(r, "rules"), ASSESS_OVERDUE);
    assert_string_equal(json_string_value(json_object_get(od, "rule")), "overdue");
    assert_int_equal(json_integer_value(json_object_get(od, "points")), -4);
    assert_true(json_is_true(json_object_get(od, "set")));
    json_t *lf = json_array_get(json_object_get(r, "rules"), ASSESS_LATE_FEEDBACK);
    assert_true(json_is_null(json_object_get(lf, "points")));
    json_decref(r);

    values = json_pack("{s:i}", "overdue", 5);
    assert_int_equal(db_begin(f->db), DB_OK);
    assert_int_equal(assessment_rules_set(f->db, &f->sup, 2030, values, &e), -1);
    db_rollback(f->db);
    assert_int_equal(e.status, 422);
    json_decref(values);
    values = json_pack("{s:i}", "nonsense", -1);
    assert_int_equal(db_begin(f->db), DB_OK);
    assert_int_equal(assessment_rules_set(f->db, &f->sup, 2030, values, &e), -1);
    db_rollback(f->db);
    assert_int_equal(e.status, 422);
    json_decref(values);
}

/* A unit sees only its own; only the office adds entries, a leader only the evaluation. */
static void test_permissions(void **state)
{
    struct fixture *f = *state;
    int64_t x, y;
    build_year(f, &x, &y);
    json_t *v = scores(f, &f->lead_a, 2030, 0);
    assert_scores(v, "A 97 3/3: overdue-2 late_feedback-1");
    json_decref(v);
    struct err e = {0};
    assert_null(assessment_json(f->db, &f->lead_a, 2030, f->unit_b, &e));
    assert_int_equal(e.status, 403);
    v = scores(f, &f->leader, 2030, f->unit_b);
    assert_scores(v, "B 98 2/3: late_feedback-1 rejected-1");
    json_decref(v);

    char json[256];
    snprintf(json, sizeof json, "{\"unit_id\":%lld,\"points\":-3,\"reason\":\"r\"}",
             (long long)f->unit_b);
    entry_fails(f, &f->lead_a, json, 403, "forbidden");
    entry_fails(f, &f->leader, json, 403, "forbidden");
    snprintf(json, sizeof json,
             "{\"unit_id\":%lld,\"kind\":\"evaluation\",\"points\":12,\"reason\":\"r\"}",
             (long long)f->unit_b);
    entry_fails(f, &f->lead_b, json, 403, "forbidden");
    snprintf(json, sizeof json,
             "{\"unit_id\":%lld,\"kind\":\"evaluation\",\"points\":21,\"reason\":\"r\"}",
             (long long)f->unit_b);
    entry_fails(f, &f->leader, json, 422, "invalid_field");
    /* bad bodies */
    snprintf(json, sizeof json,
             "{\"unit_id\":%lld,\"points\":3,\"kind\":\"deduction\","
             "\"reason\":\"r\"}",
             (long long)f->unit_b);
    entry_fails(f, &f->sup, json, 422, "invalid_field");
    snprintf(json, sizeof json, "{\"unit_id\":%lld,\"points\":-3,\"reason\":\"  \"}",
             (long long)f->unit_b);
    entry_fails(f, &f->sup, json, 422, "missing_field");
    snprintf(json, sizeof json, "{\"unit_id\":%lld,\"points\":-3,\"reason\":\"r\"}",
             (long long)f->grid);
    entry_fails(f, &f->sup, json, 422, "invalid_field");
    entry_fails(f, &f->sup, "{\"withdraws\":999,\"reason\":\"r\"}", 404, "not_found");
    snprintf(json, sizeof json, "{\"unit_id\":%lld,\"points\":-3,\"reason\":\"r\",\"x\":1}",
             (long long)f->unit_b);
    entry_fails(f, &f->sup, json, 422, "invalid_field");
    /* entries are append-only in storage */
    snprintf(json, sizeof json, "{\"unit_id\":%lld,\"points\":-3,\"reason\":\"r\"}",
             (long long)f->unit_b);
    entry_ok(f, &f->sup, json);
    assert_int_not_equal(db_exec(f->db, "UPDATE assessment_entries SET points = 0"), DB_OK);
    assert_int_not_equal(db_exec(f->db, "DELETE FROM assessment_entries"), DB_OK);
}

/* "ladder period count" of every consequence of 2030, by id. */
static void assert_consequences(struct fixture *f, int64_t unit, const char *want)
{
    struct err e = {0};
    json_t *v = consequence_list_json(f->db, 2030, unit, &e), *c;
    assert_non_null(v);
    char got[1024] = "";
    size_t used = 0, i;
    json_array_foreach(json_object_get(v, "consequences"), i, c)
    {
        used += (size_t)snprintf(got + used, sizeof got - used, "%s%s %s %lld", i ? " | " : "",
                                 json_string_value(json_object_get(c, "ladder")),
                                 json_string_value(json_object_get(c, "period")),
                                 (long long)json_integer_value(json_object_get(c, "count")));
    }
    json_decref(v);
    assert_string_equal(got, want);
}

/* The messages of user, as "title" joined by " | ", oldest first. */
static void assert_told(struct fixture *f, const struct actor *a, const char *want)
{
    struct db_stmt *st = db_prepare(f->db, "SELECT title FROM messages WHERE user_id = ?1"
                                           " AND action = 'consequence' ORDER BY id");
    assert_non_null(st);
    db_bind_int64(st, 1, a->user_id);
    char got[1024] = "";
    size_t used = 0;
    while (db_step(st) == DB_ROW)
        used += (size_t)snprintf(got + used, sizeof got - used, "%s%s", used ? " | " : "",
                                 db_column_text(st, 0));
    db_finalize(st);
    assert_string_equal(got, want);
}

/* Each ladder fires once per unit and period, at its threshold, and tells
 * the unit and the leaders. */
static void test_consequences_fire_once(void **state)
{
    struct fixture *f = *state;
    int64_t x, y;
    build_year(f, &x, &y); /* x (A) red from 8 April: 约谈 for April */
    assert_consequences(f, 0, "talk 2030-04 1");
    assert_told(f, &f->lead_a, "考核：发改局 约谈（2030-04）");
    assert_told(f, &f->leader, "考核：发改局 约谈（2030-04）");
    assert_told(f, &f->lead_b, "");
    assert_told(f, &f->sup, "");
    assert_int_equal(run(f, "2030-04-19"), 0); /* not again */
    /* B has one yellow item (z): a threshold of 1 makes it a 专函督办, once */
    json_t *values = json_pack("{s:i}", "letter_yellows", 1);
    struct err e = {0};
    assert_int_equal(db_begin(f->db), DB_OK);
    assert_int_equal(assessment_rules_set(f->db, &f->sup, 2030, values, &e), 0);
    assert_int_equal(db_commit(f->db), DB_OK);
    json_decref(values);
    assert_int_equal(run(f, "2030-04-22"), 1);
    assert_int_equal(run(f, "2030-04-23"), 0);
    assert_told(f, &f->lead_b, "考核：经信局 专函督办（2030-04）");
    /* May: a new month for both; June: the third red item-month of Q2 */
    assert_int_equal(run(f, "2030-05-08"), 2);
    assert_int_equal(run(f, "2030-06-03"), 3);
    assert_int_equal(run(f, "2030-06-04"), 0);
    assert_consequences(f, f->unit_a,
                        "talk 2030-04 1 | talk 2030-05 1 | talk 2030-06 1 | criticism 2030-Q2 3");
    assert_consequences(f, f->unit_b, "letter 2030-04 1 | letter 2030-05 1 | letter 2030-06 1");
    json_t *v = scores(f, &f->lead_a, 2030, 0);
    json_t *c = json_object_get(json_array_get(json_object_get(v, "units"), 0), "consequences");
    assert_int_equal(json_array_size(c), 4);
    assert_string_equal(json_string_value(json_object_get(json_array_get(c, 3), "name")),
                        "通报批评");
    json_decref(v);
}

/* The stamps the dashboard's card is kept under (migration 019): what the
 * score reads changes the score stamp; creating and assigning an item, a
 * feedback or a day with nothing late leave it, so the card is not
 * recomputed for them. */
static int64_t score_stamp(struct fixture *f)
{
    int64_t score = 0, config = 0;
    assert_int_equal(assessment_stamp(f->db, &score, &config), DB_OK);
    return score;
}

static void test_stamp_follows_score(void **state)
{
    struct fixture *f = *state;
    int64_t s = score_stamp(f);
    int64_t x = create(f, "x", f->unit_a, "2030-04-05", "weekly");
    act(f, &f->sup, x, "{\"action\":\"assign\"}");
    run(f, "2030-04-02");
    assert_int_equal(score_stamp(f), s);
    act(f, &f->lead_a, x, "{\"action\":\"accept\"}"); /* a signing counts */
    assert_int_not_equal(score_stamp(f), s);
    s = score_stamp(f);
    act(f, &f->lead_a, x, "{\"action\":\"feedback\",\"text\":\"on it\"}");
    assert_int_equal(score_stamp(f), s);
    act(f, &f->lead_a, x, "{\"action\":\"submit\",\"text\":\"done\"}");
    assert_int_equal(score_stamp(f), s);
    act(f, &f->sup, x, "{\"action\":\"reject\",\"reason\":\"no evidence\"}");
    assert_int_not_equal(score_stamp(f), s);
    s = score_stamp(f);
    run(f, "2030-04-08"); /* x overdue: a deduction */
    assert_int_not_equal(score_stamp(f), s);
    s = score_stamp(f);
    char json[128];
    snprintf(json, sizeof json, "{\"unit_id\":%lld,\"points\":2,\"reason\":\"经验被推广\"}",
             (long long)f->unit_b);
    entry_ok(f, &f->sup, json);
    assert_int_not_equal(score_stamp(f), s);
}

static json_t *ranking(struct fixture *f, const struct actor *a, int year, int64_t unit,
                       struct err *e)
{
    struct assessment_window w;
    assessment_window_set(&w, year, NULL, 0, NULL);
    return assessment_window_scores_json(f->db, a, &w, unit, e);
}

static void set_score_stamp(struct fixture *f, int64_t stamp)
{
    struct db_stmt *st = db_prepare(f->db, "UPDATE score_stamp SET stamp = ?1 WHERE id = 1");
    assert_non_null(st);
    db_bind_int64(st, 1, stamp);
    assert_int_equal(db_step(st), DB_DONE);
    db_finalize(st);
}

/* The ranking without entries, kept under the score's stamps and the day:
 * what a write leaves the stamp of is not seen, a new stamp or day is. */
static void test_kept_ranking(void **state)
{
    struct fixture *f = *state;
    int64_t x, y;
    build_year(f, &x, &y);
    struct err e = {0};
    json_t *v = ranking(f, &f->sup, 2030, 0, &e);
    assert_scores(v, "DCS 100 1/3: | B 98 2/3: | A 97 3/3:");
    assert_null(json_object_get(json_array_get(json_object_get(v, "units"), 0), "entries"));
    assert_string_equal(json_string_value(json_object_get(v, "to")), "2030-12-31");
    json_decref(v);

    /* an entry whose stamp is put back: the kept ranking stands */
    int64_t s = score_stamp(f);
    char json[128];
    snprintf(json, sizeof json, "{\"unit_id\":%lld,\"points\":-5,\"reason\":\"缺席\"}",
             (long long)f->unit_b);
    entry_ok(f, &f->sup, json);
    set_score_stamp(f, s);
    v = ranking(f, &f->sup, 2030, 0, &e);
    assert_scores(v, "DCS 100 1/3: | B 98 2/3: | A 97 3/3:");
    json_decref(v);
    /* a unit's handler reads its own row of it, and only that */
    v = ranking(f, &f->lead_b, 2030, 0, &e);
    assert_scores(v, "B 98 2/3:");
    json_decref(v);
    assert_null(ranking(f, &f->lead_b, 2030, f->unit_a, &e));
    assert_int_equal(e.status, 403);
    /* the next day computes it again */
    setenv("LUOSHI_NOW", "2030-04-11", 1);
    v = ranking(f, &f->sup, 2030, 0, &e);
    assert_scores(v, "DCS 100 1/3: | A 97 2/3: | B 93 3/3:");
    json_decref(v);
    /* and so does a write that moves the stamp */
    snprintf(json, sizeof json, "{\"unit_id\":%lld,\"points\":-6,\"reason\":\"缺席\"}",
             (long long)f->unit_a);
    entry_ok(f, &f->sup, json);
    v = ranking(f, &f->leader, 2030, f->unit_a, &e);
    assert_scores(v, "A 91 3/3:");
    json_decref(v);
}

static void test_rule_table_sorted(void **state)
{
    (void)state;
    const struct assessment_rule_def *d = assessment_rule_defs();
    for (int i = 0; i < ASSESS_RULES; i++) {
        if (i) assert_true(strcmp(d[i - 1].name, d[i].name) < 0);
        assert_true(d[i].min <= d[i].def && d[i].def <= d[i].max);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_hand_built_year, setup, teardown),
        cmocka_unit_test_setup_teardown(test_windows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tamper_evident, setup, teardown),
        cmocka_unit_test_setup_teardown(test_late_signing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rules_as_configuration, setup, teardown),
        cmocka_unit_test_setup_teardown(test_permissions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_consequences_fire_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stamp_follows_score, setup, teardown),
        cmocka_unit_test_setup_teardown(test_kept_ranking, setup, teardown),
        cmocka_unit_test(test_rule_table_sorted),
    };
    return testdb_rounds("assessment", tests);
}
