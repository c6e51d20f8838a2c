/* login_test.c — the login flow's steps (core/login.c) on real storage: a
 * right password opens a session that resolves to the user; a wrong one, an
 * unknown name and a disabled user are 401 and count; the counters refuse
 * (429) per user name and per address, and a success clears the name's; no
 * database is 503; a failed session write is 503 with the token wiped.  On
 * SQLite, and again on PostgreSQL when LUOSHI_TEST_PG names a cluster. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "testdb.h"

#include "core/login.h"
#include "core/unit.h"

#define NOW 1900000000000LL

struct fixture {
    struct testdb t;
    struct login_limits *lim;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    if (testdb_open(&f->t, "login")) return -1;
    struct err e = {0};
    int64_t unit, uid;
    char hash[USER_HASH_MAX];
    assert_int_equal(user_hash_password("right horse battery", hash), 0);
    assert_int_equal(db_begin(f->t.db), DB_OK);
    assert_int_equal(unit_add(f->t.db, NULL, "dcs", "督查室", "department", NULL, &unit, &e), 0);
    assert_int_equal(
        user_add(f->t.db, NULL, "sup", "督查员", "dcs", ROLE_SUPERVISOR, hash, &uid, &e), 0);
    assert_int_equal(user_add(f->t.db, NULL, "gone", "离职", "dcs", ROLE_HANDLER, hash, &uid, &e),
                     0);
    assert_int_equal(user_set_disabled(f->t.db, NULL, "gone", 1, &e), 0);
    assert_int_equal(db_commit(f->t.db), DB_OK);
    f->lim = login_limits_new(3, 5, 1000);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    login_limits_free(f->lim);
    testdb_close(&f->t);
    free(f);
    return 0;
}

/* Run the steps up to the write for name and password from address at now;
 * the status it ended with (0 when the write comes next). */
static int attempt(struct fixture *f, struct login *l, const char *name, const char *password,
                   const char *address, int64_t now)
{
    if (login_begin(l, f->lim, f->t.db, name, password, address, 1, now)) return l->status;
    login_check(l);
    assert_int_equal(l->password[0], '\0'); /* wiped */
    if (login_checked(l, f->lim, now)) return l->status;
    return 0;
}

static void test_right_password_opens_a_session(void **state)
{
    struct fixture *f = *state;
    struct login l;
    struct err e = {0};
    assert_int_equal(attempt(f, &l, "sup", "right horse battery", "10.0.0.1", NOW), 0);
    assert_int_equal(db_begin(f->t.db), DB_OK);
    assert_int_equal(login_write(f->t.db, &l, &e), 0);
    assert_int_equal(db_commit(f->t.db), DB_OK);
    login_written(&l, DB_OK);
    assert_int_equal(l.status, 200);
    assert_string_equal(l.user.username, "sup");
    assert_int_equal(strlen(l.token), SESSION_TOKEN_LEN);
    assert_int_equal(strlen(l.csrf), SESSION_TOKEN_LEN);
    struct session_info s;
    assert_int_equal(session_lookup(f->t.db, l.token, &s), 1);
    assert_int_equal(s.is_api, 1);
    assert_string_equal(s.username, "sup");
    assert_string_equal(s.csrf, l.csrf);
}

static void test_wrong_unknown_disabled_are_401(void **state)
{
    struct fixture *f = *state;
    struct login l;
    assert_int_equal(attempt(f, &l, "sup", "wrong", "10.0.0.2", NOW), 401);
    assert_int_equal(attempt(f, &l, "nobody", "right horse battery", "10.0.0.3", NOW), 401);
    assert_int_equal(l.found, 0);
    assert_int_equal(attempt(f, &l, "gone", "right horse battery", "10.0.0.4", NOW), 401);
    assert_int_equal(l.found, 1);
}

static void test_throttle_per_user_name(void **state)
{
    struct fixture *f = *state;
    struct login l;
    for (int i = 0; i < 3; i++)
        assert_int_equal(attempt(f, &l, "sup", "wrong", "10.0.1.1", NOW + i), 401);
    /* the fourth try is refused before any check, even with the right password,
     * and from another address */
    assert_int_equal(attempt(f, &l, "sup", "right horse battery", "10.0.1.2", NOW + 5), 429);
    assert_int_equal(l.password[0], '\0'); /* never copied */
    /* other names are not affected; the window passes */
    assert_int_equal(attempt(f, &l, "nobody", "x", "10.0.1.3", NOW + 5), 401);
    assert_int_equal(attempt(f, &l, "sup", "right horse battery", "10.0.1.2", NOW + 1001), 0);
}

static void test_success_clears_the_name(void **state)
{
    struct fixture *f = *state;
    struct login l;
    for (int i = 0; i < 2; i++)
        assert_int_equal(attempt(f, &l, "sup", "wrong", "10.0.2.1", NOW), 401);
    assert_int_equal(attempt(f, &l, "sup", "right horse battery", "10.0.2.1", NOW), 0);
    for (int i = 0; i < 2; i++)
        assert_int_equal(attempt(f, &l, "sup", "wrong", "10.0.2.1", NOW), 401);
    assert_int_equal(attempt(f, &l, "sup", "right horse battery", "10.0.2.1", NOW), 0);
}

static void test_throttle_per_address(void **state)
{
    struct fixture *f = *state;
    struct login l;
    char name[32];
    for (int i = 0; i < 5; i++) {
        snprintf(name, sizeof name, "guess%d", i);
        assert_int_equal(attempt(f, &l, name, "x", "10.0.3.1", NOW), 401);
    }
    assert_int_equal(attempt(f, &l, "sup", "right horse battery", "10.0.3.1", NOW), 429);
    assert_int_equal(attempt(f, &l, "sup", "right horse battery", "10.0.3.2", NOW), 0);
}

static void test_storage_failures_are_503(void **state)
{
    struct fixture *f = *state;
    struct login l;
    assert_int_equal(
        login_begin(&l, f->lim, NULL, "sup", "right horse battery", "10.0.4.1", 0, NOW), -1);
    assert_int_equal(l.status, 503);
    assert_int_equal(attempt(f, &l, "sup", "right horse battery", "10.0.4.1", NOW), 0);
    memcpy(l.token, "abc", 4);
    login_written(&l, DB_ERR);
    assert_int_equal(l.status, 503);
    assert_int_equal(l.token[0], '\0');
}

int main(void)
{
    if (sodium_init() < 0) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_right_password_opens_a_session, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wrong_unknown_disabled_are_401, setup, teardown),
        cmocka_unit_test_setup_teardown(test_throttle_per_user_name, setup, teardown),
        cmocka_unit_test_setup_teardown(test_success_clears_the_name, setup, teardown),
        cmocka_unit_test_setup_teardown(test_throttle_per_address, setup, teardown),
        cmocka_unit_test_setup_teardown(test_storage_failures_are_503, setup, teardown),
    };
    return testdb_rounds("login", tests);
}
