/* unit_test.c — changing the directory as the admin pages do (core/unit.c
 * unit_edit, core/user.c user_edit) on real storage: a unit is renamed,
 * given another kind and moved, never under itself or its own subtree; a
 * user's display name, unit and roles change; each change is one "edit"
 * event of the configuration chain; refusals change nothing.  On SQLite, and
 * again on PostgreSQL when LUOSHI_TEST_PG names a cluster. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testdb.h"

#include "core/config_chain.h"
#include "core/unit.h"
#include "core/user.h"

struct fixture {
    struct testdb t;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    if (testdb_open(&f->t, "unit")) return -1;
    struct err e = {0};
    int64_t id;
    struct db *db = f->t.db;
    assert_int_equal(db_begin(db), DB_OK);
    assert_int_equal(unit_add(db, NULL, "dcs", "督查室", "department", NULL, &id, &e), 0);
    assert_int_equal(unit_add(db, NULL, "town", "城关镇", "town", NULL, &id, &e), 0);
    assert_int_equal(unit_add(db, NULL, "grid", "一网格", "grid", "town", &id, &e), 0);
    assert_int_equal(user_add(db, NULL, "wang", "supervisor", "dcs", ROLE_SUPERVISOR, "x", &id, &e),
                     0);
    assert_int_equal(db_commit(db), DB_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    testdb_close(&f->t);
    free(f);
    return 0;
}

static int64_t edits(struct db *db)
{
    int64_t n = -1;
    assert_int_equal(
        db_query_int64(db, "SELECT count(*) FROM config_events WHERE action = 'edit'", 0, 0, &n),
        DB_OK);
    return n;
}

static void test_unit_edit(void **state)
{
    struct fixture *f = *state;
    struct db *db = f->t.db;
    struct err e = {0};
    char kind[16];
    int64_t parent;
    assert_int_equal(db_begin(db), DB_OK);
    assert_int_equal(unit_edit(db, NULL, "dcs", "  县委督查室 ", "taskforce", "town", &e), 0);
    int64_t dcs = unit_id_by_code(db, "dcs"), town = unit_id_by_code(db, "town");
    assert_int_equal(unit_kind_parent(db, dcs, kind, &parent), 1);
    assert_string_equal(kind, "taskforce");
    assert_int_equal(parent, town);
    assert_int_equal(edits(db), 1);
    /* back to a root */
    assert_int_equal(unit_edit(db, NULL, "dcs", "县委督查室", "department", "", &e), 0);
    assert_int_equal(unit_kind_parent(db, dcs, kind, &parent), 1);
    assert_int_equal(parent, 0);
    /* never under itself or its subtree */
    assert_int_equal(unit_edit(db, NULL, "town", "城关镇", "town", "town", &e), -1);
    assert_int_equal(e.status, 422);
    assert_string_equal(e.message, "a unit cannot be moved under itself");
    assert_int_equal(unit_edit(db, NULL, "town", "城关镇", "town", "grid", &e), -1);
    assert_int_equal(e.status, 422);
    assert_int_equal(unit_edit(db, NULL, "town", "城关镇", "town", "nowhere", &e), -1);
    assert_int_equal(e.status, 404);
    assert_int_equal(unit_edit(db, NULL, "none", "无", "town", NULL, &e), -1);
    assert_int_equal(e.status, 404);
    assert_int_equal(unit_edit(db, NULL, "town", "   ", "town", NULL, &e), -1);
    assert_string_equal(e.message, "name must be 1-100 characters");
    assert_int_equal(unit_edit(db, NULL, "town", "城关镇", "city", NULL, &e), -1);
    assert_int_equal(e.status, 422);
    assert_int_equal(edits(db), 2);
    assert_int_equal(db_commit(db), DB_OK);
    json_t *v = unit_list_json(db, &e);
    json_t *u = json_array_get(json_object_get(v, "units"), 0);
    assert_string_equal(json_string_value(json_object_get(u, "code")), "dcs");
    assert_string_equal(json_string_value(json_object_get(u, "name")), "县委督查室");
    json_decref(v);
}

static void test_user_edit(void **state)
{
    struct fixture *f = *state;
    struct db *db = f->t.db;
    struct err e = {0};
    struct user_row u;
    assert_int_equal(db_begin(db), DB_OK);
    assert_int_equal(
        user_edit(db, NULL, "wang", " 王督查 ", "town", ROLE_SUPERVISOR | ROLE_LEADER, &e), 0);
    assert_int_equal(user_find(db, "wang", &u), 1);
    assert_string_equal(u.name, "王督查");
    assert_int_equal(u.unit_id, unit_id_by_code(db, "town"));
    assert_int_equal(u.roles, ROLE_SUPERVISOR | ROLE_LEADER);
    assert_int_equal(edits(db), 1);
    assert_int_equal(user_edit(db, NULL, "wang", "", "town", ROLE_LEADER, &e), -1);
    assert_int_equal(e.status, 422);
    assert_int_equal(user_edit(db, NULL, "wang", "王", "town", 0, &e), -1);
    assert_int_equal(e.status, 422);
    assert_int_equal(user_edit(db, NULL, "wang", "王", "nowhere", ROLE_LEADER, &e), -1);
    assert_int_equal(e.status, 404);
    assert_string_equal(e.message, "no unit with code nowhere");
    assert_int_equal(user_edit(db, NULL, "li", "李", "town", ROLE_LEADER, &e), -1);
    assert_int_equal(e.status, 404);
    assert_string_equal(e.message, "no user li");
    assert_int_equal(edits(db), 1);
    assert_int_equal(db_commit(db), DB_OK);
    assert_int_equal(user_find(db, "wang", &u), 1);
    assert_int_equal(u.roles, ROLE_SUPERVISOR | ROLE_LEADER);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_unit_edit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_user_edit, setup, teardown),
    };
    return testdb_rounds("unit", tests);
}
