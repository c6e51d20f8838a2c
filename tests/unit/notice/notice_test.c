/* notice_test.c — the notice's figures (src/notice/notice.c) checked exactly
 * against the hand-built city of city.h, computed by hand from its table:
 * the whole city after the period, the same city as of a day inside April
 * (events after the cutoff must not count), unit scopes and item scopes
 * (a campaign, a meeting, a plan). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "city.h"
#include "notice/notice.h"
#include "notice/scope.h"

static struct city city;

/* One unit's expected figures; avg -1 for "nothing done". */
struct want_unit {
    const char *code;
    int64_t assigned, accepted_on_time, feedback_due, feedback_on_time, done, done_on_time, overdue,
        extended, rejected;
    double avg, deductions;
    int rank;
};

static void check_unit(const struct notice_unit *u, const struct want_unit *w)
{
    assert_string_equal(u->code, w->code);
    int64_t got[] = {u->assigned, u->accepted_on_time, u->feedback_due, u->feedback_on_time,
                     u->done,     u->done_on_time,     u->overdue,      u->extended,
                     u->rejected};
    int64_t want[] = {w->assigned, w->accepted_on_time, w->feedback_due, w->feedback_on_time,
                      w->done,     w->done_on_time,     w->overdue,      w->extended,
                      w->rejected};
    static const char *const names[] = {
        "assigned",     "accepted_on_time", "feedback_due", "feedback_on_time", "done",
        "done_on_time", "overdue",          "extended",     "rejected"};
    for (int k = 0; k < 9; k++)
        if (got[k] != want[k])
            fail_msg("unit %s: %s is %lld, want %lld", w->code, names[k], (long long)got[k],
                     (long long)want[k]);
    if (notice_avg_days(u) != w->avg)
        fail_msg("unit %s: avg_days_to_done %g, want %g", w->code, notice_avg_days(u), w->avg);
    if (u->deductions != w->deductions)
        fail_msg("unit %s: deductions %g, want %g", w->code, u->deductions, w->deductions);
    assert_int_equal(u->rank, w->rank);
}

static void check_units(const struct notice *n, const struct want_unit *w, int count)
{
    assert_int_equal(n->n_units, count);
    for (int k = 0; k < count; k++)
        check_unit(&n->units[k], &w[k]);
}

static void compute(const char *from, const char *to, const char *unit, struct notice *n)
{
    struct notice_params p;
    struct err e = {0};
    if (notice_params_parse(from, to, unit, &p, &e)) fail_msg("params: %s", e.message);
    if (notice_compute(city.db, &p, n, &e)) fail_msg("compute: %s", e.message);
}

static void test_city_after_the_period(void **state)
{
    (void)state;
    city_day("2030-06-05");
    struct notice n;
    compute("2030-04-01", "2030-05-31", NULL, &n);
    static const struct want_unit want[] = {
        /* code asg acc fd fot done dot over ext rej avg ded rank */
        {"G", 1, 1, 0, 0, 1, 1, 0, 0, 0, 13.0, 0, 1}, {"B", 3, 1, 0, 0, 2, 2, 1, 1, 0, 17.0, -1, 2},
        {"E", 2, 2, 0, 0, 1, 1, 0, 0, 0, 10.0, 0, 3}, {"A", 4, 4, 3, 1, 3, 2, 1, 0, 1, 9.7, 0, 4},
        {"C", 2, 2, 0, 0, 1, 0, 0, 0, 0, 17.0, 0, 5}, {"D", 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, 0, 0},
    };
    check_units(&n, want, 6);
    const struct notice_unit *t = &n.total;
    assert_int_equal(t->assigned, 12);
    assert_int_equal(t->accepted_on_time, 10);
    assert_int_equal(t->feedback_due, 3);
    assert_int_equal(t->feedback_on_time, 1);
    assert_int_equal(t->done, 8);
    assert_int_equal(t->done_on_time, 6);
    assert_int_equal(t->overdue, 2);
    assert_int_equal(t->extended, 1);
    assert_int_equal(t->rejected, 1);
    assert_int_equal(t->days_to_done, 13 + 24 + 10 + 10 + 9 + 15 + 5 + 17);
    assert_true(t->deductions == -1.0);
    assert_true(notice_rate(&n.units[1]) == 2.0 / 3.0);
    assert_true(notice_rate(&n.units[4]) == 0.0);
    assert_true(notice_rate(&n.units[5]) == 0.0);
    assert_int_equal(n.n_ranked, 5);
    assert_int_equal(n.n_top, 3);
    assert_int_equal(n.n_bottom, 2);
    assert_string_equal(n.units[n.top[0]].code, "G");
    assert_string_equal(n.units[n.top[2]].code, "E");
    assert_string_equal(n.units[n.bottom[0]].code, "A");
    assert_string_equal(n.units[n.bottom[1]].code, "C");
    /* red list: every overdue item, most days first */
    assert_int_equal(n.n_red, 3);
    assert_int_equal(n.red[0].id, city.d1);
    assert_int_equal(n.red[0].days_overdue, 73);
    assert_null(n.red[0].last_feedback);
    assert_int_equal(n.red[1].id, city.a3);
    assert_int_equal(n.red[1].days_overdue, 42);
    assert_string_equal(n.red[1].deadline, "2030-04-20");
    assert_string_equal(n.red[1].unit_name, "发改局");
    assert_string_equal(n.red[1].last_feedback, "已完成六宗地块收储");
    assert_string_equal(n.red[1].last_feedback_on, "2030-04-22");
    assert_int_equal(n.red[2].id, city.b3);
    assert_int_equal(n.red[2].days_overdue, 12);
    /* lights now (2030-06-05) and by month */
    assert_int_equal(n.lights_now[0], 2);
    assert_int_equal(n.lights_now[1], 0);
    assert_int_equal(n.lights_now[2], 3);
    assert_int_equal(n.lights_now[3], 9);
    assert_int_equal(n.n_months, 2);
    assert_string_equal(n.months[0].month, "2030-04");
    assert_int_equal(n.months[0].has_lights, 1);
    assert_int_equal(n.months[0].red, 1);
    assert_int_equal(n.months[0].green, 1);
    assert_int_equal(n.months[0].overdue, 3);
    assert_string_equal(n.months[1].month, "2030-05");
    assert_int_equal(n.months[1].has_lights, 0);
    assert_int_equal(n.months[1].overdue, 3);
    assert_int_equal(n.cutoff_day, date_make(2030, 5, 31));
    assert_string_equal(n.scope_name, "全市");
    assert_int_equal(n.accept_working_days, 1);
    assert_string_equal(
        n.summary,
        "2030年4月1日至2030年5月31日，全市共交办事项12项，按时签收10项；应反馈3次，按时反馈1次；"
        "办结8项，其中按期办结6项，按期办结率50.0%；逾期未办结2项。"
        "按期办结率位居前列的单位：网格一、经信局、商务局，予以通报表扬。"
        "排名靠后的单位：发改局、文旅局，请认真查找原因、加快推进。"
        "截至2030年5月31日，全市共有逾期未办结事项3项（见逾期事项清单），请责任单位限期办结。");
    notice_free(&n);
}

/* The same April, computed on 2030-04-22 at noon although the city went on
 * to June: later verifications, acceptances and feedback do not count. */
static void test_city_as_of_a_day_in_the_period(void **state)
{
    (void)state;
    city_day("2030-04-22");
    struct notice n;
    compute("2030-04-01", "2030-04-30", NULL, &n);
    static const struct want_unit want[] = {
        {"E", 2, 2, 0, 0, 1, 1, 0, 0, 0, 10.0, 0, 1}, {"A", 4, 4, 2, 1, 3, 2, 1, 0, 1, 9.7, 0, 2},
        {"B", 1, 0, 0, 0, 0, 0, 0, 1, 0, -1, -1, 3},  {"C", 1, 1, 0, 0, 0, 0, 0, 0, 0, -1, 0, 4},
        {"D", 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, 0, 0},
    };
    check_units(&n, want, 5);
    assert_int_equal(n.n_red, 2);
    assert_int_equal(n.red[0].id, city.d1);
    assert_int_equal(n.red[0].days_overdue, 33);
    assert_int_equal(n.red[1].id, city.a3);
    assert_int_equal(n.red[1].days_overdue, 2);
    /* the report filed at the very moment of the cutoff counts */
    assert_string_equal(n.red[1].last_feedback, "已完成六宗地块收储");
    assert_int_equal(n.n_months, 1);
    assert_int_equal(n.months[0].overdue, 2);
    /* April is not over: its row shows the lights now, as 当前灯色 does,
     * not the scheduler's snapshot (A3 red, E2 green).  Now is the city as
     * it went on to June, seen on 04-22: A3 and D1 red; B3, C2 and E2
     * green; A1 A2 A4 B1 B2 C1 E1 G1 closed and C3 cancelled (none) */
    assert_int_equal(n.months[0].has_lights, 1);
    int64_t now[4] = {n.months[0].green, n.months[0].yellow, n.months[0].red, n.months[0].none};
    static const int64_t want_now[4] = {3, 0, 2, 9};
    for (int k = 0; k < 4; k++) {
        assert_int_equal(now[k], n.lights_now[k]);
        assert_int_equal(now[k], want_now[k]);
    }
    assert_string_equal(
        n.summary,
        "2030年4月1日至2030年4月30日，全市共交办事项8项，按时签收7项；应反馈2次，按时反馈1次；"
        "办结4项，其中按期办结3项，按期办结率37.5%；逾期未办结1项。"
        "按期办结率位居前列的单位：商务局、发改局，予以通报表扬。"
        "排名靠后的单位：经信局、文旅局，请认真查找原因、加快推进。"
        "截至2030年4月22日，全市共有逾期未办结事项2项（见逾期事项清单），请责任单位限期办结。");
    notice_free(&n);
}

/* A town's subtree holds its grid; a department's scope is itself. */
static void test_scopes(void **state)
{
    (void)state;
    city_day("2030-06-05");
    struct notice n;
    compute("2030-04-01", "2030-05-31", "T", &n);
    static const struct want_unit town[] = {{"G", 1, 1, 0, 0, 1, 1, 0, 0, 0, 13.0, 0, 1}};
    check_units(&n, town, 1);
    assert_string_equal(n.scope_name, "城东街道");
    assert_int_equal(n.n_red, 0);
    assert_int_equal(n.lights_now[3], 1);
    notice_free(&n);
    compute("2030-04-01", "2030-05-31", "B", &n);
    static const struct want_unit b[] = {{"B", 3, 1, 0, 0, 2, 2, 1, 1, 0, 17.0, -1, 1}};
    check_units(&n, b, 1);
    assert_int_equal(n.n_red, 1);
    assert_int_equal(n.red[0].id, city.b3);
    assert_int_equal(n.n_top, 1);
    assert_int_equal(n.n_bottom, 0);
    notice_free(&n);
    struct notice_params p;
    struct err e = {0};
    assert_int_equal(notice_params_parse("2030-04-01", "2030-05-31", "NOPE", &p, &e), 0);
    assert_int_equal(notice_compute(city.db, &p, &n, &e), -1);
    assert_int_equal(e.status, 404);
    notice_free(&n);
}

/* The outputs render the one computed structure: JSON fields, CSV lines,
 * the HTML's parts, an XLSX archive. */
static void test_outputs(void **state)
{
    (void)state;
    city_day("2030-06-05");
    struct notice n;
    compute("2030-04-01", "2030-05-31", NULL, &n);
    json_t *j = notice_json(&n, "〔2030〕7号");
    json_t *b = json_array_get(json_object_get(j, "units"), 1);
    assert_string_equal(json_string_value(json_object_get(b, "code")), "B");
    assert_string_equal(json_string_value(json_object_get(b, "name")), "经信局");
    assert_true(json_real_value(json_object_get(b, "on_time_rate")) == 0.6667);
    assert_true(json_real_value(json_object_get(b, "avg_days_to_done")) == 17.0);
    assert_int_equal(json_integer_value(json_object_get(b, "rank")), 2);
    assert_true(json_is_null(
        json_object_get(json_array_get(json_object_get(j, "units"), 5), "avg_days_to_done")));
    json_t *red = json_array_get(json_object_get(j, "red_list"), 1);
    assert_int_equal(json_integer_value(json_object_get(red, "id")), city.a3);
    assert_string_equal(json_string_value(json_object_get(red, "unit")), "A");
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(red, "last_feedback"), "on")),
        "2030-04-22");
    assert_string_equal(json_string_value(json_object_get(j, "number")), "〔2030〕7号");
    assert_string_equal(json_string_value(json_object_get(j, "as_of")), "2030-05-31");
    assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "total"), "assigned")),
                     12);
    assert_true(
        json_is_null(json_object_get(json_array_get(json_object_get(j, "months"), 1), "red")));
    json_decref(j);

    struct buf out;
    buf_init(&out, 0);
    assert_int_equal(notice_csv(&n, NULL, &out), 0);
    const char *csv = buf_cstr(&out);
    assert_memory_equal(csv, "\xEF\xBB\xBF督查通报,预览,全市,2030-04-01 至 2030-05-31\r\n", 52);
    assert_non_null(strstr(csv, "\r\n2,B,经信局,3,1,0,0,2,2,1,1,0,17.0,66.7,-1\r\n"));
    assert_non_null(strstr(csv, "\r\n,D,住建局,0,0,0,0,0,0,0,0,0,,0.0,0\r\n"));
    assert_non_null(strstr(csv, "\r\n合计,,合计,12,10,3,1,8,6,2,1,1,12.9,50.0,-1\r\n"));
    buf_reset(&out);
    assert_int_equal(notice_html(&n, "〔2030〕7号", "2030-06-05", &out), 0);
    const char *html = buf_cstr(&out);
    static const char *const parts[] = {
        "<!doctype html>",
        "<link rel=\"icon\" href=\"data:,\"><style>",
        "@media print",
        "</style></head>",
        "<h1>督查通报</h1>",
        "<p class=\"number\">〔2030〕7号</p>",
        "<p class=\"office\">市委督查室</p>",
        "<h2>关于2030年4月1日至2030年5月31日全市重点工作落实情况的通报</h2>",
        "<h3>一、总体情况</h3>",
        "<h3>三、逾期未办结事项</h3>",
        "<p class=\"date\">2030年6月5日</p>",
        "<td class=\"num bad\">73</td>"};
    for (size_t k = 0; k < sizeof parts / sizeof *parts; k++)
        if (!strstr(html, parts[k])) fail_msg("the HTML lacks %s", parts[k]);
    assert_null(strstr(html, "style="));
    assert_null(strstr(html, "/static/notice.css"));
    assert_null(strstr(html, "<script"));
    size_t len;
    const char *art = notice_html_find_article(html, &len);
    assert_non_null(art);
    assert_memory_equal(art + len - 10, "</article>", 10);
    buf_reset(&out);
    struct err e = {0};
    assert_int_equal(notice_xlsx(&n, NULL, &out, &e), 0);
    assert_true(out.len > 4000);
    assert_memory_equal(out.data, "PK\x03\x04", 4);
    buf_free(&out);
    notice_free(&n);
}

/* A period before anything happened lists no unit and says so. */
/* item_facts' copies of the lead unit, deadline and status (migration 007)
 * follow every write of the city: creation, assignment, acceptance, an
 * extension that moved a deadline, verification, cancellation. */
static void test_facts_follow_items(void **state)
{
    (void)state;
    int64_t facts = 0, differ = -1;
    assert_int_equal(db_query_int64(city.db, "SELECT count(*) FROM item_facts", 0, 0, &facts),
                     DB_OK);
    assert_true(facts >= 10);
    assert_int_equal(db_query_int64(city.db,
                                    "SELECT count(*) FROM item_facts f JOIN items i"
                                    " ON i.id = f.item_id WHERE f.status <> i.status"
                                    " OR f.deadline IS DISTINCT FROM i.deadline"
                                    " OR f.lead_unit_id IS DISTINCT FROM i.lead_unit_id",
                                    0, 0, &differ),
                     DB_OK);
    assert_int_equal(differ, 0);
}

static void test_empty_period(void **state)
{
    (void)state;
    city_day("2030-06-05");
    struct notice n;
    compute("2029-01-01", "2029-01-31", NULL, &n);
    assert_int_equal(n.n_units, 0);
    assert_int_equal(n.n_red, 0);
    assert_int_equal(n.n_months, 1);
    assert_int_equal(n.months[0].overdue, 0);
    assert_int_equal(n.months[0].has_lights, 0);
    assert_string_equal(n.summary,
                        "2029年1月1日至2029年1月31日，全市共交办事项0项，按时签收0项；"
                        "应反馈0次，按时反馈0次；办结0项，其中按期办结0项，按期办结率0.0%；"
                        "逾期未办结0项。截至2029年1月31日，全市无逾期未办结事项。");
    notice_free(&n);
}

static void test_params(void **state)
{
    (void)state;
    static const struct {
        const char *from, *to, *unit;
        int ok;
    } cases[] = {
        {"2030-04-01", "2030-04-30", NULL, 1}, {"2030-04-01", "2030-04-01", "A", 1},
        {"2030-04-30", "2030-04-01", NULL, 0}, {"2030-02-30", "2030-04-01", NULL, 0},
        {"2030-04-01", NULL, NULL, 0},         {"2030-4-1", "2030-04-30", NULL, 0},
        {"2020-01-01", "2023-12-31", NULL, 0}, {"2020-01-01", "2022-12-31", NULL, 1},
    };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        struct notice_params p;
        struct err e = {0};
        int rc = notice_params_parse(cases[k].from, cases[k].to, cases[k].unit, &p, &e);
        if ((rc == 0) != cases[k].ok) fail_msg("case %zu: rc %d (%s)", k, rc, e.message);
        if (!cases[k].ok) assert_int_equal(e.status, 422);
    }
}

static const char *pg_url;
static struct db *pg_admin;

static int group_setup(void **state)
{
    (void)state;
    time_set_zone("Asia/Shanghai");
    if (!pg_url) return city_build(&city, NULL);
    char sql[256], target[1024];
    snprintf(sql, sizeof sql,
             "DROP SCHEMA IF EXISTS luoshi_notice_%ld CASCADE; CREATE SCHEMA luoshi_notice_%ld",
             (long)getpid(), (long)getpid());
    if (db_exec(pg_admin, sql) != DB_OK) return -1;
    snprintf(target, sizeof target, "%s%coptions=-csearch_path%%3Dluoshi_notice_%ld", pg_url,
             strchr(pg_url, '?') ? '&' : '?', (long)getpid());
    return city_build(&city, target);
}

static int group_teardown(void **state)
{
    (void)state;
    city_free(&city);
    if (pg_url) {
        char sql[128];
        snprintf(sql, sizeof sql, "DROP SCHEMA IF EXISTS luoshi_notice_%ld CASCADE",
                 (long)getpid());
        db_exec(pg_admin, sql);
    }
    return 0;
}

/* Run sql with a, b and c bound to ?1 ?2 ?3 (b and c when not 0); the id it
 * RETURNING-s, or 0. */
static int64_t city_exec(const char *sql, int64_t a, int64_t b, int64_t c)
{
    struct db_stmt *st = db_prepare(city.db, sql);
    assert_non_null(st);
    db_bind_int64(st, 1, a);
    if (b) db_bind_int64(st, 2, b);
    if (c) db_bind_int64(st, 3, c);
    int rc = db_step(st);
    int64_t id = rc == DB_ROW ? db_column_int64(st, 0) : 0;
    db_finalize(st);
    if (rc != DB_ROW && rc != DB_DONE) fail_msg("city_exec: %s", sql);
    return id;
}

static void compute_scope(const char *key, int64_t id, struct notice *n)
{
    struct notice_params p;
    struct err e = {0};
    char text[32];
    snprintf(text, sizeof text, "%lld", (long long)id);
    assert_int_equal(notice_params_parse("2030-04-01", "2030-05-31", NULL, &p, &e), 0);
    if (notice_params_scope(&p, !strcmp(key, "campaign") ? text : NULL,
                            !strcmp(key, "meeting") ? text : NULL,
                            !strcmp(key, "plan") ? text : NULL, &e))
        fail_msg("scope: %s", e.message);
    if (notice_compute(city.db, &p, n, &e)) fail_msg("compute: %s", e.message);
}

/* Figures by responsible leader (按分管领导统计): leader 甲 holds B1–B3
 * and D1, 乙 A1–A4; their figures are their items' unit figures (B's and
 * A's), red counts their items on the red list (D1 assigned before the
 * period, B3; A3), items without a leader are not listed, and a unit
 * scope lists only the leaders of its items. */
static void test_by_leader(void **state)
{
    (void)state;
    city_day("2030-06-05");
    struct err e = {0};
    int64_t jia, yi;
    if (user_add(city.db, NULL, "ljia", "甲副市长", "DCS", ROLE_LEADER, "x", &jia, &e) ||
        user_add(city.db, NULL, "lyi", "乙副市长", "DCS", ROLE_LEADER, "x", &yi, &e))
        fail_msg("leaders: %s", e.message);
    const int64_t of_jia[] = {city.b1, city.b2, city.b3, city.d1};
    const int64_t of_yi[] = {city.a1, city.a2, city.a3, city.a4};
    for (int k = 0; k < 4; k++) {
        city_exec("UPDATE items SET leader_id = ?2 WHERE id = ?1", of_jia[k], jia, 0);
        city_exec("UPDATE items SET leader_id = ?2 WHERE id = ?1", of_yi[k], yi, 0);
    }
    struct notice n;
    compute("2030-04-01", "2030-05-31", NULL, &n);
    assert_int_equal(n.n_leaders, 2);
    const struct notice_leader *l = &n.leaders[0];
    assert_int_equal(l->id, jia);
    assert_string_equal(l->name, "甲副市长");
    int64_t got[] = {l->assigned, l->done, l->done_on_time, l->overdue, l->red};
    int64_t want[] = {3, 2, 2, 1, 2};
    assert_memory_equal(got, want, sizeof want);
    l = &n.leaders[1];
    int64_t got2[] = {l->assigned, l->done, l->done_on_time, l->overdue, l->red};
    int64_t want2[] = {4, 3, 2, 1, 1};
    assert_memory_equal(got2, want2, sizeof want2);
    assert_true(notice_leader_rate(l) == 0.5);
    json_t *j = notice_json(&n, NULL);
    json_t *b = json_array_get(json_object_get(j, "by_leader"), 0);
    assert_int_equal(json_array_size(json_object_get(j, "by_leader")), 2);
    assert_int_equal(json_integer_value(json_object_get(b, "leader_id")), jia);
    assert_true(json_real_value(json_object_get(b, "on_time_rate")) == 0.6667);
    assert_int_equal(json_integer_value(json_object_get(b, "red")), 2);
    json_decref(j);
    struct buf out;
    buf_init(&out, 0);
    assert_int_equal(notice_csv(&n, NULL, &out), 0);
    assert_non_null(strstr(buf_cstr(&out),
                           "\r\n按分管领导统计\r\n分管领导,交办,办结,按期办结,"
                           "逾期,逾期未办结,按期办结率(%)\r\n"
                           "甲副市长,3,2,2,1,2,66.7\r\n乙副市长,4,3,2,1,1,50.0\r\n"));
    buf_reset(&out);
    assert_int_equal(notice_html(&n, NULL, "2030-06-05", &out), 0);
    assert_non_null(strstr(buf_cstr(&out), "<h3>六、按分管领导统计</h3>"));
    assert_non_null(strstr(buf_cstr(&out), "<tr><td>乙副市长</td><td class=\"num\">4</td>"));
    buf_reset(&out);
    assert_int_equal(notice_pdf(&n, NULL, "2030-06-05", &out, &e), 0);
    buf_free(&out);
    notice_free(&n);
    compute("2030-04-01", "2030-05-31", "A", &n);
    assert_int_equal(n.n_leaders, 1);
    assert_int_equal(n.leaders[0].id, yi);
    assert_int_equal(n.leaders[0].assigned, 4);
    assert_int_equal(n.leaders[0].red, 1);
    notice_free(&n);
    city_exec("UPDATE items SET leader_id = NULL WHERE leader_id = ?1 OR leader_id = ?2", jia, yi,
              0);
    compute("2030-04-01", "2030-05-31", NULL, &n);
    assert_int_equal(n.n_leaders, 0);
    j = notice_json(&n, NULL);
    assert_int_equal(json_array_size(json_object_get(j, "by_leader")), 0);
    json_decref(j);
    notice_free(&n);
}

/* A campaign's notice counts its attached items only: A3, B1, B3 and D1
 * (assigned before the period: on the red list, not in a unit's figures). */
static void test_scope_campaign(void **state)
{
    (void)state;
    city_day("2030-06-05");
    int64_t id = city_exec("INSERT INTO campaigns (theme, month, created_at) VALUES"
                           " ('消防安全', '2030-04', ?1) RETURNING id",
                           time_now_ms(), 0, 0);
    int64_t items[] = {city.a3, city.b1, city.b3, city.d1};
    for (int k = 0; k < 4; k++)
        city_exec("INSERT INTO campaign_items (item_id, campaign_id) VALUES (?1, ?2)", items[k], id,
                  0);
    struct notice n;
    compute_scope("campaign", id, &n);
    static const struct want_unit want[] = {
        /* code asg acc fd fot done dot over ext rej avg ded rank */
        {"B", 2, 0, 0, 0, 1, 1, 1, 1, 0, 24.0, -1, 1},
        {"A", 1, 1, 3, 1, 0, 0, 1, 0, 0, -1, 0, 2},
        {"D", 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, 0, 0},
    };
    check_units(&n, want, 3);
    assert_string_equal(n.scope_name, "消防安全（2030-04）");
    assert_int_equal(n.n_red, 3);
    assert_int_equal(n.red[0].id, city.d1);
    assert_int_equal(n.red[1].id, city.a3);
    assert_int_equal(n.red[2].id, city.b3);
    int64_t lights[] = {0, 0, 3, 1};
    for (int k = 0; k < 4; k++)
        assert_int_equal(n.lights_now[k], lights[k]);
    assert_int_equal(n.n_months, 2);
    assert_int_equal(n.months[0].has_lights, 1);
    assert_int_equal(n.months[0].red, 1);
    assert_int_equal(n.months[0].green, 0);
    assert_int_equal(n.months[0].overdue, 2);
    assert_int_equal(n.months[1].overdue, 3);
    json_t *j = notice_json(&n, NULL);
    json_t *scope = json_object_get(j, "scope");
    assert_true(json_is_null(json_object_get(scope, "unit")));
    assert_int_equal(json_integer_value(json_object_get(scope, "campaign")), id);
    assert_string_equal(json_string_value(json_object_get(scope, "name")), "消防安全（2030-04）");
    json_decref(j);
    notice_free(&n);
}

/* A meeting's notice counts the items it decided (items.meeting_id). */
static void test_scope_meeting(void **state)
{
    (void)state;
    city_day("2030-06-05");
    int64_t id = city_exec("INSERT INTO meetings (name, text, created_at) VALUES"
                           " ('市政府常务会议', '会议纪要', ?1) RETURNING id",
                           time_now_ms(), 0, 0);
    city_exec("UPDATE items SET meeting_id = ?1 WHERE id IN (?2, ?3)", id, city.a1, city.a2);
    city_exec("UPDATE items SET meeting_id = ?1 WHERE id = ?2", id, city.e1, 0);
    struct notice n;
    compute_scope("meeting", id, &n);
    static const struct want_unit want[] = {
        {"E", 1, 1, 0, 0, 1, 1, 0, 0, 0, 10.0, 0, 1},
        {"A", 2, 2, 0, 0, 2, 1, 0, 0, 0, 12.0, 0, 2},
    };
    check_units(&n, want, 2);
    assert_string_equal(n.scope_name, "市政府常务会议");
    assert_int_equal(n.n_red, 0);
    int64_t lights[] = {0, 0, 0, 3};
    for (int k = 0; k < 4; k++)
        assert_int_equal(n.lights_now[k], lights[k]);
    assert_int_equal(n.months[0].has_lights, 0);
    assert_int_equal(n.months[0].overdue, 0);
    notice_free(&n);
}

/* A plan's notice counts an item and every item under it: A3 with A4 and
 * E2 under it and C2 under E2. */
static void test_scope_plan(void **state)
{
    (void)state;
    city_day("2030-06-05");
    city_exec("UPDATE items SET parent_id = ?1 WHERE id IN (?2, ?3)", city.a3, city.a4, city.e2);
    city_exec("UPDATE items SET parent_id = ?1 WHERE id = ?2", city.e2, city.c2, 0);
    struct notice n;
    compute_scope("plan", city.a3, &n);
    static const struct want_unit want[] = {
        {"A", 2, 2, 3, 1, 1, 1, 1, 0, 1, 5.0, 0, 1},
        {"C", 1, 1, 0, 0, 0, 0, 0, 0, 0, -1, 0, 2},
        {"E", 1, 1, 0, 0, 0, 0, 0, 0, 0, -1, 0, 3},
    };
    check_units(&n, want, 3);
    assert_string_equal(n.scope_name, "低效工业用地整治");
    assert_int_equal(n.n_red, 1);
    assert_int_equal(n.red[0].id, city.a3);
    assert_int_equal(n.red[0].days_overdue, 42);
    int64_t lights[] = {2, 0, 1, 1};
    for (int k = 0; k < 4; k++)
        assert_int_equal(n.lights_now[k], lights[k]);
    assert_int_equal(n.months[0].has_lights, 1);
    assert_int_equal(n.months[0].red, 1);
    assert_int_equal(n.months[0].green, 1);
    assert_int_equal(n.months[0].overdue, 1);
    assert_int_equal(n.months[1].overdue, 1);
    /* a leaf is a plan of one item */
    notice_free(&n);
    compute_scope("plan", city.a4, &n);
    static const struct want_unit leaf[] = {{"A", 1, 1, 0, 0, 1, 1, 0, 0, 1, 5.0, 0, 1}};
    check_units(&n, leaf, 1);
    notice_free(&n);
}

/* One scope at a time, ids positive, unknown ones 404. */
static void test_scope_params(void **state)
{
    (void)state;
    struct notice_params p;
    struct notice n;
    struct err e = {0};
    assert_int_equal(notice_params_parse("2030-04-01", "2030-04-30", "A", &p, &e), 0);
    assert_int_equal(notice_params_scope(&p, "1", NULL, NULL, &e), -1);
    assert_int_equal(e.status, 422);
    assert_int_equal(notice_params_parse("2030-04-01", "2030-04-30", NULL, &p, &e), 0);
    assert_int_equal(notice_params_scope(&p, "1", "2", NULL, &e), -1);
    assert_int_equal(notice_params_scope(&p, NULL, "x", NULL, &e), -1);
    assert_int_equal(notice_params_scope(&p, NULL, NULL, "0", &e), -1);
    assert_int_equal(notice_params_scope(&p, "", "", "", &e), 0);
    assert_int_equal(p.scope, NOTICE_SCOPE_NONE);
    static const char *const keys[] = {"campaign", "meeting", "plan"};
    for (int k = 0; k < 3; k++) {
        assert_int_equal(notice_params_scope(&p, k == 0 ? "99999" : NULL, k == 1 ? "99999" : NULL,
                                             k == 2 ? "99999" : NULL, &e),
                         0);
        assert_string_equal(notice_scope_key(p.scope), keys[k]);
        e.status = 0;
        assert_int_equal(notice_compute(city.db, &p, &n, &e), -1);
        assert_int_equal(e.status, 404);
        notice_free(&n);
    }
}

/* n copies of the three-byte character c (a CJK character) into out. */
static void cjk(char *out, const char *c, int n)
{
    for (int k = 0; k < n; k++)
        memcpy(out + 3 * k, c, 3);
    out[3 * n] = '\0';
}

/* Issue 12 finding 4: a plan titled with 200 CJK characters (600 bytes) and
 * a unit named with 100 (the most unit_add allows) keep their whole names in
 * the notice, its JSON, HTML and CSV: nothing is cut to 128 bytes in the
 * middle of a character any more. */
static void test_long_names_stay_whole(void **state)
{
    (void)state;
    char title[601], name[301], json[1024];
    cjk(title, "落", 200);
    cjk(name, "实", 100);
    struct err e = {0};
    int64_t unit, plan, child;
    city_day("2030-05-10");
    assert_int_equal(db_begin(city.db), DB_OK);
    if (unit_add(city.db, NULL, "LONG", name, "department", NULL, &unit, &e))
        fail_msg("%s", e.message);
    const char *bodies[2] = {"{\"kind\":\"task\",\"title\":\"%s\"}",
                             "{\"kind\":\"task\",\"title\":\"子任务\",\"lead_unit_id\":%lld,"
                             "\"deadline\":\"2030-06-30\"}"};
    for (int k = 0; k < 2; k++) {
        if (k == 0)
            snprintf(json, sizeof json, bodies[0], title);
        else
            snprintf(json, sizeof json, bodies[1], (long long)unit);
        json_t *body = json_loads(json, 0, NULL);
        struct item_input in;
        if (item_input_parse(body, &in, &e) ||
            item_create(city.db, &city.sup, &in, k ? &child : &plan, &e))
            fail_msg("create: %s", e.message);
        json_decref(body);
    }
    assert_int_equal(db_commit(city.db), DB_OK);
    city_act(&city, &city.sup, child, "{\"action\":\"assign\"}");
    city_exec("UPDATE items SET parent_id = ?1 WHERE id = ?2", plan, child, 0);
    city_day("2030-06-05");
    struct notice n;
    compute_scope("plan", plan, &n);
    assert_string_equal(n.scope_name, title);
    assert_int_equal(n.n_units, 1);
    assert_string_equal(n.units[0].name, name);
    json_t *j = notice_json(&n, NULL);
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "scope"), "name")),
                        title);
    assert_string_equal(
        json_string_value(json_object_get(json_array_get(json_object_get(j, "units"), 0), "name")),
        name);
    json_decref(j);
    struct buf out;
    buf_init(&out, 0);
    assert_int_equal(notice_html(&n, NULL, "2030-06-05", &out), 0);
    assert_non_null(strstr(buf_cstr(&out), title));
    buf_reset(&out);
    assert_int_equal(notice_csv(&n, NULL, &out), 0);
    char line[800];
    snprintf(line, sizeof line, "\xEF\xBB\xBF督查通报,预览,%s,2030-04-01 至 2030-05-31\r\n", title);
    assert_memory_equal(buf_cstr(&out), line, strlen(line));
    buf_free(&out);
    notice_free(&n);
    compute("2030-04-01", "2030-05-31", "LONG", &n);
    assert_string_equal(n.scope_name, name);
    notice_free(&n);
}

/* The tests on SQLite, then again on PostgreSQL when LUOSHI_TEST_PG is set. */
int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_city_after_the_period),
        cmocka_unit_test(test_city_as_of_a_day_in_the_period),
        cmocka_unit_test(test_scopes),
        cmocka_unit_test(test_outputs),
        cmocka_unit_test(test_facts_follow_items),
        cmocka_unit_test(test_empty_period),
        cmocka_unit_test(test_params),
        /* last: they attach items to a campaign and a meeting, nest a plan and add
         * a unit and items of their own */
        cmocka_unit_test(test_scope_campaign),
        cmocka_unit_test(test_scope_meeting),
        cmocka_unit_test(test_scope_plan),
        cmocka_unit_test(test_scope_params),
        cmocka_unit_test(test_long_names_stay_whole),
        cmocka_unit_test(test_by_leader),
    };
    int failed = cmocka_run_group_tests_name("notice (sqlite)", tests, group_setup, group_teardown);
    const char *url = getenv("LUOSHI_TEST_PG");
    if (url && *url) {
        char err[256];
        pg_admin = db_open(url, 0, err, sizeof err);
        if (!pg_admin) {
            fprintf(stderr, "LUOSHI_TEST_PG: %s\n", err);
            return 1;
        }
        pg_url = url;
        failed +=
            cmocka_run_group_tests_name("notice (postgresql)", tests, group_setup, group_teardown);
        db_close(pg_admin);
    }
    return failed;
}
