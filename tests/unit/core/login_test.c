/* login_test.c — the login flow's steps (core/login.c) on real storage: a
 * right password opens a session that resolves to the user; a wrong one, an
 * unknown name and a disabled user are 401; every attempt is counted before
 * its password is checked (finding 2: a burst that all begins before any is
 * checked is still refused past the free attempts, the right password
 * among them too), per (user name, address) with a doubling wait and per
 * address; a refused attempt counts nothing; a success forgets the name's
 * count from that address and gives the address its attempt back; keys are
 * forgotten after a day; a failed session write is 503 with the token
 * wiped.  On SQLite, and again on PostgreSQL when LUOSHI_TEST_PG names a
 * cluster. */
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

/* login_count in its own transaction (a write job's), rolled back when it
 * refuses; the status it leaves (0 when the check comes next). */
static int count(struct fixture *f, struct login *l)
{
    struct err e = {0};
    assert_int_equal(db_begin(f->t.db), DB_OK);
    int rc = login_count(f->t.db, l, &e);
    assert_int_equal(rc ? db_rollback(f->t.db) : db_commit(f->t.db), DB_OK);
    return login_counted(l, rc ? DB_ERR : DB_OK, &e) ? l->status : 0;
}

/* The write after a right password, committed; the status it leaves. */
static int write_session(struct fixture *f, struct login *l)
{
    struct err e = {0};
    assert_int_equal(db_begin(f->t.db), DB_OK);
    int rc = login_write(f->t.db, l, &e);
    assert_int_equal(rc ? db_rollback(f->t.db) : db_commit(f->t.db), DB_OK);
    login_written(l, rc ? DB_ERR : DB_OK);
    return l->status;
}

/* Run every step for name and password from address at now; the status it
 * ended with (200 with a session). */
static int attempt(struct fixture *f, struct login *l, const char *name, const char *password,
                   const char *address, int64_t now)
{
    if (login_begin(l, name, password, address, 1, now)) return l->status;
    if (count(f, l)) {
        assert_int_equal(l->password[0], '\0'); /* wiped unchecked */
        return l->status;
    }
    login_check(l);
    assert_int_equal(l->password[0], '\0'); /* wiped */
    if (login_checked(l)) return l->status;
    return write_session(f, l);
}

/* An attempt whose password check is taken as given (ok 1 or 0), so the
 * counts are tested without hashing hundreds of times; the status. */
static int counted(struct fixture *f, struct login *l, const char *name, const char *address,
                   int64_t now, int ok)
{
    assert_int_equal(login_begin(l, name, "x", address, 1, now), 0);
    if (count(f, l)) return l->status;
    return ok && l->found ? write_session(f, l) : 401;
}

static void test_right_password_opens_a_session(void **state)
{
    struct fixture *f = *state;
    struct login l;
    assert_int_equal(attempt(f, &l, "sup", "right horse battery", "10.0.0.1", NOW), 200);
    assert_string_equal(l.user.username, "sup");
    assert_int_equal(strlen(l.token), SESSION_TOKEN_LEN);
    assert_int_equal(strlen(l.csrf), SESSION_TOKEN_LEN);
    struct session_info s;
    assert_int_equal(session_lookup(f->t.db, l.token, &s), 1);
    assert_int_equal(s.is_api, 1);
    assert_string_equal(s.username, "sup");
    assert_string_equal(s.csrf, l.csrf);
}

/* A resolved session is kept in memory under session_stamp (migration
 * 019): a change to the user or the session made anywhere (here plain SQL,
 * as another instance or a tool would) is seen by the next lookup; with the
 * stamp put back, the kept answer comes back, so it was kept. */
static void test_session_cache_follows_revocations(void **state)
{
    struct fixture *f = *state;
    struct login l;
    struct session_info s;
    assert_int_equal(attempt(f, &l, "sup", "right horse battery", "10.0.0.1", NOW), 200);
    assert_int_equal(session_lookup(f->t.db, l.token, &s), 1);
    assert_int_equal(s.actor.roles, ROLE_SUPERVISOR);
    assert_string_equal(s.actor.username, "sup");
    int64_t stamp = 0;
    assert_int_equal(
        db_query_int64(f->t.db, "SELECT stamp FROM session_stamp WHERE id = 1", 0, 0, &stamp),
        DB_OK);
    char sql[128];
    snprintf(sql, sizeof sql, "UPDATE users SET roles = %d WHERE username = 'sup'", ROLE_HANDLER);
    assert_int_equal(db_exec(f->t.db, sql), DB_OK);
    snprintf(sql, sizeof sql, "UPDATE session_stamp SET stamp = %lld", (long long)stamp);
    assert_int_equal(db_exec(f->t.db, sql), DB_OK);
    assert_int_equal(session_lookup(f->t.db, l.token, &s), 1);
    assert_int_equal(s.actor.roles, ROLE_SUPERVISOR); /* kept under the old stamp */
    assert_int_equal(db_exec(f->t.db, "UPDATE session_stamp SET stamp = stamp + 1"), DB_OK);
    assert_int_equal(session_lookup(f->t.db, l.token, &s), 1);
    assert_int_equal(s.actor.roles, ROLE_HANDLER);
    assert_int_equal(db_exec(f->t.db, "UPDATE users SET disabled = 1 WHERE username = 'sup'"),
                     DB_OK);
    assert_int_equal(session_lookup(f->t.db, l.token, &s), 0);
    assert_int_equal(db_exec(f->t.db, "UPDATE users SET disabled = 0 WHERE username = 'sup'"),
                     DB_OK);
    assert_int_equal(session_lookup(f->t.db, l.token, &s), 1);
    struct err e = {0};
    assert_int_equal(db_begin(f->t.db), DB_OK);
    assert_int_equal(session_revoke(f->t.db, l.token, &e), 0);
    assert_int_equal(db_commit(f->t.db), DB_OK);
    assert_int_equal(session_lookup(f->t.db, l.token, &s), 0);
    assert_int_equal(attempt(f, &l, "sup", "right horse battery", "10.0.0.1", NOW), 200);
    assert_int_equal(session_lookup(f->t.db, l.token, &s), 1);
    assert_int_equal(db_exec(f->t.db, "DELETE FROM sessions"), DB_OK);
    assert_int_equal(session_lookup(f->t.db, l.token, &s), 0);
}

/* Finding 3: a display name of 100 CJK characters (300 bytes) comes back
 * whole, never cut into a fixed buffer mid-character. */
static void test_long_name_whole(void **state)
{
    struct fixture *f = *state;
    char name[USER_NAME_MAX * 3 + 1] = "", hash[USER_HASH_MAX];
    for (int i = 0; i < USER_NAME_MAX; i++)
        strcat(name, "长");
    struct err e = {0};
    int64_t uid;
    assert_int_equal(user_hash_password("right horse battery", hash), 0);
    assert_int_equal(db_begin(f->t.db), DB_OK);
    assert_int_equal(user_add(f->t.db, NULL, "long", name, "dcs", ROLE_HANDLER, hash, &uid, &e), 0);
    assert_int_equal(db_commit(f->t.db), DB_OK);
    struct login l;
    assert_int_equal(counted(f, &l, "long", "10.0.6.1", NOW, 1), 200);
    assert_string_equal(l.user.name, name);
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
    char name[LOGIN_USERNAME_MAX + 2];
    memset(name, 'x', sizeof name - 1);
    name[sizeof name - 1] = '\0';
    assert_int_equal(login_begin(&l, name, "x", "10.0.0.5", 1, NOW), -1);
    assert_int_equal(l.status, 401);
}

/* Finding 2: 40 attempts all counted before any password is checked (as a
 * parallel burst is): the free ones go on to the check, the rest are 429
 * and the right password among them never opens a session. */
static void test_burst_counted_before_checking(void **state)
{
    struct fixture *f = *state;
    struct login l[40];
    int checked = 0, refused = 0;
    for (int i = 0; i < 40; i++) {
        const char *pw = i == 20 ? "right horse battery" : "wrong";
        assert_int_equal(login_begin(&l[i], "sup", pw, "10.0.1.1", 1, NOW), 0);
        int st = count(f, &l[i]);
        if (st == 0) checked++;
        if (st == 429) refused++;
    }
    assert_int_equal(checked, LOGIN_FREE_PER_USER);
    assert_int_equal(refused, 40 - LOGIN_FREE_PER_USER);
    assert_int_equal(l[20].status, 429);
    assert_int_equal(l[20].retry_after_s, LOGIN_DELAY_MS / 1000);
    for (int i = 0; i < LOGIN_FREE_PER_USER; i++) {
        login_check(&l[i]);
        assert_int_equal(login_checked(&l[i]), -1);
    }
    /* the wait doubles with each attempt past the free ones */
    struct login x;
    assert_int_equal(attempt(f, &x, "sup", "wrong", "10.0.1.1", NOW + LOGIN_DELAY_MS), 401);
    assert_int_equal(attempt(f, &x, "sup", "right horse battery", "10.0.1.1",
                             NOW + LOGIN_DELAY_MS + 2 * LOGIN_DELAY_MS - 1),
                     429);
    assert_int_equal(x.retry_after_s, 1);
    assert_int_equal(
        attempt(f, &x, "sup", "right horse battery", "10.0.1.1", NOW + 3 * LOGIN_DELAY_MS), 200);
}

/* Keyed on (name, address): another address is not locked out, nor is
 * another name from the same address; a day untried starts afresh. */
static void test_throttle_per_name_and_address(void **state)
{
    struct fixture *f = *state;
    struct login l;
    for (int i = 0; i < LOGIN_FREE_PER_USER; i++)
        assert_int_equal(attempt(f, &l, "sup", "wrong", "10.0.2.1", NOW + i), 401);
    assert_int_equal(attempt(f, &l, "sup", "right horse battery", "10.0.2.1", NOW + 10), 429);
    assert_int_equal(attempt(f, &l, "sup", "right horse battery", "10.0.2.2", NOW + 10), 200);
    assert_int_equal(attempt(f, &l, "nobody", "x", "10.0.2.1", NOW + 10), 401);
    assert_int_equal(attempt(f, &l, "sup", "wrong", "10.0.2.1", NOW + LOGIN_FORGET_MS + 5), 401);
    for (int i = 1; i < LOGIN_FREE_PER_USER; i++)
        assert_int_equal(attempt(f, &l, "sup", "wrong", "10.0.2.1", NOW + LOGIN_FORGET_MS + 5),
                         401);
    assert_int_equal(attempt(f, &l, "sup", "wrong", "10.0.2.1", NOW + LOGIN_FORGET_MS + 6), 429);
}

static void test_success_clears_the_name(void **state)
{
    struct fixture *f = *state;
    struct login l;
    for (int r = 0; r < 3; r++) {
        for (int i = 0; i < LOGIN_FREE_PER_USER - 1; i++)
            assert_int_equal(attempt(f, &l, "sup", "wrong", "10.0.3.1", NOW), 401);
        assert_int_equal(attempt(f, &l, "sup", "right horse battery", "10.0.3.1", NOW), 200);
    }
}

/* Many names from one address: the address's free attempts, then 429 for
 * every name; successes give theirs back, so an office behind one address
 * logs in all day. */
static void test_throttle_per_address(void **state)
{
    struct fixture *f = *state;
    struct login l;
    for (int i = 0; i < 2 * LOGIN_FREE_PER_ADDRESS; i++)
        assert_int_equal(counted(f, &l, "sup", "10.0.4.1", NOW, 1), 200);
    char name[32];
    for (int i = 0; i < LOGIN_FREE_PER_ADDRESS; i++) {
        snprintf(name, sizeof name, "guess%d", i);
        assert_int_equal(counted(f, &l, name, "10.0.4.1", NOW, 0), 401);
    }
    assert_int_equal(attempt(f, &l, "sup", "right horse battery", "10.0.4.1", NOW), 429);
    assert_int_equal(attempt(f, &l, "sup", "right horse battery", "10.0.4.2", NOW), 200);
}

/* Finding 9: the password policy is libpwquality's (with cracklib's
 * dictionary), its reasons in Chinese or English. */
static void test_password_policy(void **state)
{
    (void)state;
    static const struct {
        const char *pw, *user, *old;
        int ok;
        const char *zh, *en;
    } cases[] = {
        {"password", "sup", NULL, 0, "常见单词", "dictionary word"},
        {"12345678", "sup", NULL, 0, "太简单", "too simple"},
        {"abc", "sup", NULL, 0, "至少需要 8 个字符", "at least 8 characters"},
        {"supervisor-victim-1", "victim", NULL, 0, "用户名", "user name"},
        {"correct horse battery", "sup", "correct horse battery", 0, "相同", "differ"},
        {"correct horse battery", "sup", NULL, 1, NULL, NULL},
        {"qwertyuiop", "yjj", NULL, 0, "常见单词", "dictionary word"},
        {"Xk3pQm9wRt2a", "sup", NULL, 1, NULL, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        for (int en = 0; en < 2; en++) {
            struct err e = {0};
            int rc = user_password_ok(cases[i].pw, cases[i].user, cases[i].old, en, &e);
            if (cases[i].ok) {
                if (rc) fail_msg("'%s' refused: %s", cases[i].pw, e.message);
                continue;
            }
            if (!rc) fail_msg("'%s' accepted", cases[i].pw);
            assert_string_equal(e.code, "weak_password");
            assert_int_equal(e.status, 422);
            if (!strstr(e.message, en ? cases[i].en : cases[i].zh))
                fail_msg("'%s': '%s' does not say '%s'", cases[i].pw, e.message,
                         en ? cases[i].en : cases[i].zh);
        }
}

/* Finding 9: changing one's own password: the current one must be right,
 * the new one good; then the new one logs in and the old one does not. */
static void test_password_change(void **state)
{
    struct fixture *f = *state;
    struct login l;
    assert_int_equal(counted(f, &l, "sup", "10.0.7.1", NOW, 1), 200);
    int64_t id = l.user.id;
    struct password_change p;
    assert_int_equal(password_change_begin(&p, f->t.db, id, "wrong", "new violet quarry", 0), 0);
    assert_int_equal(password_change_check(&p), -1);
    assert_int_equal(p.status, 403);
    assert_string_equal(p.e.code, "wrong_password");
    assert_int_equal(p.current[0], '\0'); /* wiped */
    assert_int_equal(password_change_begin(&p, f->t.db, id, "right horse battery", "12345678", 1),
                     0);
    assert_int_equal(password_change_check(&p), -1);
    assert_int_equal(p.status, 422);
    assert_non_null(strstr(p.e.message, "too simple"));
    assert_int_equal(
        password_change_begin(&p, f->t.db, id, "right horse battery", "new violet quarry", 0), 0);
    assert_int_equal(password_change_check(&p), 0);
    assert_int_equal(p.next[0], '\0');
    struct err e = {0};
    assert_int_equal(db_begin(f->t.db), DB_OK);
    assert_int_equal(password_change_write(f->t.db, NULL, &p, &e), 0);
    assert_int_equal(db_commit(f->t.db), DB_OK);
    struct session_info si;
    assert_int_equal(session_lookup(f->t.db, l.token, &si), 0); /* every session ended */
    assert_int_equal(attempt(f, &l, "sup", "right horse battery", "10.0.7.2", NOW), 401);
    assert_int_equal(attempt(f, &l, "sup", "new violet quarry", "10.0.7.3", NOW), 200);
}

static void test_storage_failures_are_503(void **state)
{
    struct fixture *f = *state;
    struct login l;
    struct err e = {0};
    err_set(&e, 503, "database_unavailable", "down");
    assert_int_equal(login_begin(&l, "sup", "right horse battery", "10.0.5.1", 0, NOW), 0);
    assert_int_equal(login_counted(&l, DB_ERR, &e), -1);
    assert_int_equal(l.status, 503);
    assert_int_equal(l.password[0], '\0');
    assert_int_equal(attempt(f, &l, "sup", "right horse battery", "10.0.5.1", NOW), 200);
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
        cmocka_unit_test_setup_teardown(test_long_name_whole, setup, teardown),
        cmocka_unit_test_setup_teardown(test_session_cache_follows_revocations, setup, teardown),
        cmocka_unit_test_setup_teardown(test_burst_counted_before_checking, setup, teardown),
        cmocka_unit_test_setup_teardown(test_throttle_per_name_and_address, setup, teardown),
        cmocka_unit_test_setup_teardown(test_success_clears_the_name, setup, teardown),
        cmocka_unit_test_setup_teardown(test_throttle_per_address, setup, teardown),
        cmocka_unit_test_setup_teardown(test_storage_failures_are_503, setup, teardown),
        cmocka_unit_test(test_password_policy),
        cmocka_unit_test_setup_teardown(test_password_change, setup, teardown),
    };
    return testdb_rounds("login", tests);
}
