/* reach.h — a small city for the tests of what reaches people (the 待办,
 * messages, the outbox): an office, two bureaus, a grid and an enterprise,
 * with a supervisor, a leader, two handlers of bureau A, one of bureau B, a
 * grid worker and an enterprise's reporter; items are made and moved with
 * the core functions, each action in its own transaction as a pool write
 * job would run it.  Include after <cmocka.h> and testdb.h. */
#ifndef LUOSHI_TESTS_REACH_H
#define LUOSHI_TESTS_REACH_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/action.h"
#include "core/calendar.h"
#include "core/hazard_input.h"
#include "core/item.h"
#include "core/unit.h"
#include "core/user.h"

struct city {
    struct testdb t;
    struct db *db;
    int64_t office, unit_a, unit_b, grid, firm;
    struct actor sup, boss, lead, lead2, bee, gridman, firmman;
    struct err e;
};

static inline void city_user(struct city *c, struct actor *a, const char *name, const char *unit,
                             int64_t unit_id, unsigned roles)
{
    int64_t id;
    struct err e = {0};
    if (user_add(c->db, NULL, name, name, unit, roles, "x", &id, &e)) fail_msg("%s", e.message);
    *a = (struct actor){.user_id = id, .username = name, .unit_id = unit_id, .roles = roles};
}

/* Open the city in a fresh database; 0 or -1. */
static inline int city_open(struct city *c, const char *name)
{
    struct err e = {0};
    if (testdb_open(&c->t, name)) return -1;
    c->db = c->t.db;
    if (db_begin(c->db) ||
        unit_add(c->db, NULL, "DCS", "督查室", "department", NULL, &c->office, &e) ||
        unit_add(c->db, NULL, "A", "发改局", "department", NULL, &c->unit_a, &e) ||
        unit_add(c->db, NULL, "B", "经信局", "department", NULL, &c->unit_b, &e) ||
        unit_add(c->db, NULL, "G", "东城一网格", "grid", NULL, &c->grid, &e) ||
        unit_add(c->db, NULL, "E", "青沐工贸", "enterprise", NULL, &c->firm, &e))
        return -1;
    city_user(c, &c->sup, "sup", "DCS", c->office, ROLE_SUPERVISOR);
    city_user(c, &c->boss, "boss", "DCS", c->office, ROLE_LEADER);
    city_user(c, &c->lead, "lead", "A", c->unit_a, ROLE_HANDLER);
    city_user(c, &c->lead2, "lead2", "A", c->unit_a, ROLE_HANDLER);
    city_user(c, &c->bee, "bee", "B", c->unit_b, ROLE_HANDLER);
    city_user(c, &c->gridman, "gridman", "G", c->grid, ROLE_REPORTER);
    city_user(c, &c->firmman, "firmman", "E", c->firm, ROLE_REPORTER);
    if (db_commit(c->db)) return -1;
    setenv("LUOSHI_NOW", "2030-04-01", 1);
    return 0;
}

static inline void city_close(struct city *c)
{
    testdb_close(&c->t);
    unsetenv("LUOSHI_NOW");
}

/* Report a hazard as the supervisor would (a hazard is only ever made by
 * its report), then give it unit as its lead and deadline (set-up only). */
static inline int64_t city_hazard(struct city *c, const char *title, int64_t unit,
                                  const char *deadline)
{
    char json[512];
    snprintf(json, sizeof json,
             "{\"category\":\"electric\",\"title\":\"%s\",\"description\":\"%s\","
             "\"address\":\"东城街道一号\"}",
             title, title);
    json_t *body = json_loads(json, 0, NULL);
    assert_non_null(body);
    struct hazard_input in;
    struct err e = {0};
    int64_t id = 0;
    if (hazard_input_parse(body, &in, &e) || hazard_create(c->db, &c->sup, &in, &id, &e))
        fail_msg("report: %s", e.message);
    hazard_input_free(&in);
    json_decref(body);
    struct db_stmt *q = db_prepare(c->db, "UPDATE items SET lead_unit_id = ?1, deadline = ?2"
                                          " WHERE id = ?3");
    assert_non_null(q);
    db_bind_int64(q, 1, unit);
    db_bind_text(q, 2, deadline, strlen(deadline));
    db_bind_int64(q, 3, id);
    assert_int_equal(db_step(q), DB_DONE);
    db_finalize(q);
    return id;
}

/* Create an item (kind task unless the JSON says) led by unit, due deadline. */
static inline int64_t city_item(struct city *c, const char *kind, const char *title, int64_t unit,
                                const char *deadline)
{
    if (!strcmp(kind, "hazard")) return city_hazard(c, title, unit, deadline);
    char json[512];
    snprintf(json, sizeof json,
             "{\"kind\":\"%s\",\"title\":\"%s\",\"lead_unit_id\":%lld,\"deadline\":\"%s\"}", kind,
             title, (long long)unit, deadline);
    json_t *body = json_loads(json, 0, NULL);
    assert_non_null(body);
    struct item_input in;
    struct err e = {0};
    int64_t id = 0;
    assert_int_equal(db_begin(c->db), DB_OK);
    if (item_input_parse(body, &in, &e) || item_create(c->db, &c->sup, &in, &id, &e))
        fail_msg("create: %s", e.message);
    assert_int_equal(db_commit(c->db), DB_OK);
    json_decref(body);
    return id;
}

/* Take an action in its own transaction; fails the test when refused. */
static inline void city_act(struct city *c, const struct actor *a, int64_t id, const char *json)
{
    json_t *body = json_loads(json, 0, NULL);
    if (!body) fail_msg("bad test JSON: %s", json);
    memset(&c->e, 0, sizeof c->e);
    assert_int_equal(db_begin(c->db), DB_OK);
    int rc = item_act(c->db, a, id, body, &c->e);
    if (rc) {
        db_rollback(c->db);
        fail_msg("%s on %lld: %s", json, (long long)id, c->e.message);
    }
    assert_int_equal(db_commit(c->db), DB_OK);
    json_decref(body);
}

/* Run plain SQL (test set-up only). */
static inline void city_exec(struct city *c, const char *sql)
{
    if (db_exec(c->db, sql) != DB_OK) fail_msg("%s: %s", sql, db_errmsg(c->db));
}

/* One integer from SQL with one parameter p (0: none). */
static inline int64_t city_int(struct city *c, const char *sql, int64_t p)
{
    int64_t n = -1;
    if (db_query_int64(c->db, sql, p != 0, p, &n) != DB_OK)
        fail_msg("%s: %s", sql, db_errmsg(c->db));
    return n;
}

#endif
