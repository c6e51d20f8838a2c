/* city.h — the small hand-built city the notice tests compute on (included
 * by the tests of tests/unit/notice/; not a header of src/).
 *
 * A real SQLite file, units and users made with the core functions, and
 * every item driven through item_create and item_act day by day with
 * LUOSHI_NOW, so the events, facts and records are the loop's own.  The
 * calendar: 2030-04-01 is a Monday; 2030-05-01..03 are holidays.
 *
 *   unit  item  assigned  accepted       deadline  what happens
 *   A     A1    04-01     04-02 ok       04-10     verified 04-10 (on time)
 *   A     A2    04-01     04-01 ok       04-15     verified 04-16 (late)
 *   A     A3    04-05 Fri 04-08 Mon ok   04-20     weekly feedback 04-11 (due 04-12, on time),
 *                                                  04-22 (due 04-18, late); due 04-29 missed;
 *                                                  never done (overdue)
 *   A     A4    04-10     04-10 ok       04-20     submitted, rejected 04-13, verified 04-15
 *   B     B1    04-01     04-03 late     04-12 → extended to 04-25 on 04-11, verified 04-25
 *   B     B2    04-30 Tue 05-06 ok (holiday) 05-10 verified 05-10
 *   B     B3    04-30     05-07 late     05-20     never done (overdue)
 *   C     C1    04-15     04-15 ok       04-30     verified 05-02 (late)
 *   C     C2    05-20     05-21 ok       06-30     open
 *   C     C3    04-02     —              04-30     cancelled 04-03 (left out)
 *   D     D1    03-01     03-01          03-20     never done (overdue, assigned before April)
 *   E     E1    04-08     04-08 ok       04-18     verified 04-18 (on time)
 *   E     E2    04-08     04-09 ok       06-30     open
 *   G     G1    05-02 (holiday) 05-06 ok 05-15     verified 05-15 (G is a grid under town T)
 *
 * Deductions: B −1 on 04-20, B −2 on 06-02, A −2 on 03-15.  Light history:
 * 2030-04 A3 red, E2 green. */
#ifndef LUOSHI_TESTS_NOTICE_CITY_H
#define LUOSHI_TESTS_NOTICE_CITY_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/action.h"
#include "core/calendar.h"
#include "core/item.h"
#include "core/unit.h"
#include "core/user.h"
#include "db/db.h"
#include "util/time.h"

struct city {
    char path[64]; /* the SQLite file, "" on PostgreSQL */
    char target[1024];
    struct db *db;
    struct actor sup, h[7]; /* handlers of A B C D E G T */
    int64_t unit[7];
    int64_t a1, a2, a3, a4, b1, b2, b3, c1, c2, c3, d1, e1, e2, g1;
};

enum { U_A, U_B, U_C, U_D, U_E, U_G, U_T };

static void city_day(const char *day)
{
    setenv("LUOSHI_NOW", day, 1);
}

static void city_fail(const char *what, const struct err *e)
{
    fprintf(stderr, "city: %s: %s %s\n", what, e->code ? e->code : "", e->message);
    abort();
}

static void city_act(struct city *c, const struct actor *a, int64_t id, const char *json)
{
    json_t *body = json_loads(json, 0, NULL);
    struct err e = {0};
    if (!body || db_begin(c->db)) abort();
    if (item_act(c->db, a, id, body, &e)) {
        fprintf(stderr, "item %lld: %s\n", (long long)id, json);
        city_fail("act", &e);
    }
    if (db_commit(c->db)) abort();
    json_decref(body);
}

/* Create an item for unit u with a deadline (and cycle) and assign it today. */
static int64_t city_item(struct city *c, const char *title, int u, const char *deadline,
                         const char *cycle)
{
    char json[512];
    snprintf(json, sizeof json,
             "{\"kind\":\"task\",\"title\":\"%s\",\"lead_unit_id\":%lld,\"deadline\":\"%s\","
             "\"feedback_cycle\":\"%s\"}",
             title, (long long)c->unit[u], deadline, cycle ? cycle : "none");
    json_t *body = json_loads(json, 0, NULL);
    struct item_input in;
    struct err e = {0};
    int64_t id = 0;
    if (!body || db_begin(c->db)) abort();
    if (item_input_parse(body, &in, &e) || item_create(c->db, &c->sup, &in, &id, &e))
        city_fail("create", &e);
    if (db_commit(c->db)) abort();
    json_decref(body);
    city_act(c, &c->sup, id, "{\"action\":\"assign\"}");
    return id;
}

static void city_sql(struct city *c, const char *sql, int64_t unit, int64_t item, double points,
                     const char *day)
{
    struct db_stmt *st = db_prepare(c->db, sql);
    if (!st) abort();
    db_bind_int64(st, 1, unit);
    db_bind_int64(st, 2, item);
    db_bind_double(st, 3, points);
    city_day(day);
    db_bind_int64(st, 4, time_now_ms());
    if (db_step(st) != DB_DONE) abort();
    db_finalize(st);
}

static void city_users(struct city *c)
{
    static const char *const codes[] = {"A", "B", "C", "D", "E", "G", "T"};
    static const char *const names[] = {"发改局", "经信局", "文旅局",  "住建局",
                                        "商务局", "网格一", "城东街道"};
    static const char *const kinds[] = {"department", "department", "department", "department",
                                        "department", "grid",       "town"};
    static const char cal[] = "2030-05-01 holiday 劳动节\n2030-05-02 holiday\n2030-05-03 holiday\n";
    struct err e = {0};
    int64_t office, id;
    int n;
    if (db_begin(c->db) || calendar_import(c->db, NULL, cal, sizeof cal - 1, &n, &e) ||
        unit_add(c->db, NULL, "DCS", "督查室", "department", NULL, &office, &e) ||
        unit_add(c->db, NULL, "T", "城东街道", "town", NULL, &c->unit[U_T], &e))
        city_fail("units", &e);
    for (int k = 0; k < 6; k++)
        if (unit_add(c->db, NULL, codes[k], names[k], kinds[k], k == U_G ? "T" : NULL, &c->unit[k],
                     &e))
            city_fail("units", &e);
    if (user_add(c->db, NULL, "sup", "督查员", "DCS", ROLE_SUPERVISOR, "x", &id, &e))
        city_fail("users", &e);
    c->sup = (struct actor){
        .user_id = id, .username = "sup", .unit_id = office, .roles = ROLE_SUPERVISOR};
    static const char *const users[] = {"ha", "hb", "hc", "hd", "he", "hg", "ht"};
    for (int k = 0; k < 7; k++) {
        if (user_add(c->db, NULL, users[k], users[k], codes[k], ROLE_HANDLER, "x", &id, &e))
            city_fail("users", &e);
        c->h[k] = (struct actor){
            .user_id = id, .username = users[k], .unit_id = c->unit[k], .roles = ROLE_HANDLER};
    }
    if (db_commit(c->db)) abort();
}

#define ACT(c, who, id, json) city_act(c, who, id, json)
#define ACCEPT                "{\"action\":\"accept\"}"
#define SUBMIT                "{\"action\":\"submit\",\"text\":\"已完成\"}"
#define VERIFY                "{\"action\":\"verify\"}"

static void city_march_april(struct city *c)
{
    struct actor *s = &c->sup, *h = c->h;
    city_day("2030-03-01");
    c->d1 = city_item(c, "老旧小区改造方案", U_D, "2030-03-20", NULL);
    ACT(c, &h[U_D], c->d1, ACCEPT);
    city_day("2030-04-01");
    c->a1 = city_item(c, "编制重点项目清单", U_A, "2030-04-10", NULL);
    c->a2 = city_item(c, "开展营商环境评估", U_A, "2030-04-15", NULL);
    c->b1 = city_item(c, "推进五金产业转型", U_B, "2030-04-12", NULL);
    ACT(c, &h[U_A], c->a2, ACCEPT);
    city_day("2030-04-02");
    ACT(c, &h[U_A], c->a1, ACCEPT);
    c->c3 = city_item(c, "筹办旅游节", U_C, "2030-04-30", NULL);
    city_day("2030-04-03");
    ACT(c, &h[U_B], c->b1, ACCEPT);
    ACT(c, s, c->c3, "{\"action\":\"cancel\",\"reason\":\"并入其他活动\"}");
    city_day("2030-04-05");
    c->a3 = city_item(c, "低效工业用地整治", U_A, "2030-04-20", "weekly");
    city_day("2030-04-08");
    ACT(c, &h[U_A], c->a3, ACCEPT);
    c->e1 = city_item(c, "走访规上企业", U_E, "2030-04-18", NULL);
    c->e2 = city_item(c, "外贸订单保障", U_E, "2030-06-30", NULL);
    ACT(c, &h[U_E], c->e1, ACCEPT);
    city_day("2030-04-09");
    ACT(c, &h[U_A], c->a1, SUBMIT);
    ACT(c, &h[U_E], c->e2, ACCEPT);
    city_day("2030-04-10");
    ACT(c, s, c->a1, VERIFY);
    c->a4 = city_item(c, "整理企业诉求台账", U_A, "2030-04-20", NULL);
    ACT(c, &h[U_A], c->a4, ACCEPT);
    ACT(c, &h[U_B], c->b1,
        "{\"action\":\"request_extension\",\"deadline\":\"2030-04-25\",\"reason\":\"等待审批\"}");
    city_day("2030-04-11");
    ACT(c, &h[U_A], c->a3, "{\"action\":\"feedback\",\"text\":\"已摸排十二宗地块\"}");
    ACT(c, s, c->b1, "{\"action\":\"approve_extension\"}");
    city_day("2030-04-12");
    ACT(c, &h[U_A], c->a4, SUBMIT);
    city_day("2030-04-13");
    ACT(c, s, c->a4, "{\"action\":\"reject\",\"reason\":\"台账缺少联系人\"}");
    city_day("2030-04-14");
    ACT(c, &h[U_A], c->a4, SUBMIT);
    city_day("2030-04-15");
    ACT(c, s, c->a4, VERIFY);
    ACT(c, &h[U_A], c->a2, SUBMIT);
    c->c1 = city_item(c, "景区安全检查", U_C, "2030-04-30", NULL);
    ACT(c, &h[U_C], c->c1, ACCEPT);
    city_day("2030-04-16");
    ACT(c, s, c->a2, VERIFY);
    city_day("2030-04-17");
    ACT(c, &h[U_E], c->e1, SUBMIT);
    city_day("2030-04-18");
    ACT(c, s, c->e1, VERIFY);
    city_day("2030-04-22");
    ACT(c, &h[U_A], c->a3, "{\"action\":\"feedback\",\"text\":\"已完成六宗地块收储\"}");
    city_day("2030-04-24");
    ACT(c, &h[U_B], c->b1, SUBMIT);
    city_day("2030-04-25");
    ACT(c, s, c->b1, VERIFY);
    city_day("2030-04-30");
    c->b2 = city_item(c, "技改项目入库", U_B, "2030-05-10", NULL);
    c->b3 = city_item(c, "专精特新企业培育", U_B, "2030-05-20", NULL);
    ACT(c, &h[U_C], c->c1, SUBMIT);
}

static void city_may(struct city *c)
{
    struct actor *s = &c->sup, *h = c->h;
    city_day("2030-05-02");
    ACT(c, s, c->c1, VERIFY);
    c->g1 = city_item(c, "网格安全隐患排查", U_G, "2030-05-15", NULL);
    city_day("2030-05-06");
    ACT(c, &h[U_B], c->b2, ACCEPT);
    ACT(c, &h[U_G], c->g1, ACCEPT);
    city_day("2030-05-07");
    ACT(c, &h[U_B], c->b3, ACCEPT);
    city_day("2030-05-09");
    ACT(c, &h[U_B], c->b2, SUBMIT);
    city_day("2030-05-10");
    ACT(c, s, c->b2, VERIFY);
    city_day("2030-05-14");
    ACT(c, &h[U_G], c->g1, SUBMIT);
    city_day("2030-05-15");
    ACT(c, s, c->g1, VERIFY);
    city_day("2030-05-20");
    c->c2 = city_item(c, "夏季文旅消费季", U_C, "2030-06-30", "monthly");
    city_day("2030-05-21");
    ACT(c, &h[U_C], c->c2, ACCEPT);
}

static void city_ledgers(struct city *c)
{
    static const char ded[] = "INSERT INTO deductions (unit_id, item_id, rule, ref, points, at)"
                              " VALUES (?1, ?2, 'overdue', 'x' || ?2 || ?3, ?3, ?4)";
    city_sql(c, ded, c->unit[U_B], c->b1, -1, "2030-04-20");
    city_sql(c, ded, c->unit[U_B], c->b3, -2, "2030-06-02");
    city_sql(c, ded, c->unit[U_A], c->a1, -2, "2030-03-15");
    static const char *const hist[][2] = {{"red", ""}, {"green", ""}};
    int64_t items[] = {c->a3, c->e2};
    for (int k = 0; k < 2; k++) {
        struct db_stmt *st = db_prepare(
            c->db, "INSERT INTO light_history (item_id, month, light) VALUES (?1, '2030-04', ?2)");
        if (!st) abort();
        db_bind_int64(st, 1, items[k]);
        db_bind_text(st, 2, hist[k][0], (size_t)-1);
        if (db_step(st) != DB_DONE) abort();
        db_finalize(st);
    }
}

/* Build the city in a fresh SQLite file, or on PostgreSQL when pg_target is
 * a URL (of an empty schema); the clock is left at 2030-06-05. */
static int city_build(struct city *c, const char *pg_target)
{
    memset(c, 0, sizeof *c);
    if (pg_target) {
        snprintf(c->target, sizeof c->target, "%s", pg_target);
    } else {
        snprintf(c->path, sizeof c->path, "/tmp/luoshi-notice-test-XXXXXX");
        int fd = mkstemp(c->path);
        if (fd < 0) return -1;
        close(fd);
        snprintf(c->target, sizeof c->target, "%s", c->path);
    }
    char err[256];
    int applied;
    c->db = db_open(c->target, DB_OPEN_CREATE, err, sizeof err);
    if (!c->db || db_migrate(c->db, &applied, err, sizeof err) != DB_OK) {
        fprintf(stderr, "cannot open %s: %s\n", c->target, err);
        return -1;
    }
    city_users(c);
    city_march_april(c);
    city_may(c);
    city_ledgers(c);
    city_day("2030-06-05");
    return 0;
}

static void city_free(struct city *c)
{
    char p[80];
    db_close(c->db);
    if (!c->path[0]) return;
    unlink(c->path);
    snprintf(p, sizeof p, "%s-wal", c->path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", c->path);
    unlink(p);
    unsetenv("LUOSHI_NOW");
}

#endif
