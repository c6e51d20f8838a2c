/* login.c — the login flow's steps and the failed-login counters.  See
 * login.h.  Which thread runs which step is the caller's business
 * (http/login.c); this file only keeps the order and the rules. */
#include "core/login.h"

#include <pthread.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "util/mem.h"
#include "util/throttle.h"

struct login_limits {
    struct throttle *user;    /* failed logins per user name */
    struct throttle *address; /* failed logins per client address */
};

static char dummy[USER_HASH_MAX];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void dummy_make(void)
{
    user_hash_password("not a real password", dummy);
}

static const char *dummy_hash(void)
{
    pthread_once(&dummy_once, dummy_make);
    return dummy;
}

struct login_limits *login_limits_new(int per_user, int per_address, int64_t window_ms)
{
    struct login_limits *lim = xcalloc(1, sizeof *lim);
    lim->user = throttle_new(per_user, window_ms);
    lim->address = throttle_new(per_address, window_ms);
    return lim;
}

void login_limits_free(struct login_limits *lim)
{
    if (!lim) return;
    throttle_free(lim->user);
    throttle_free(lim->address);
    free(lim);
}

int login_begin(struct login *l, struct login_limits *lim, struct db *db, const char *username,
                const char *password, const char *address, int is_api, int64_t now)
{
    memset(l, 0, sizeof *l);
    l->is_api = is_api;
    snprintf(l->user_key, sizeof l->user_key, "u:%.64s", username);
    snprintf(l->address_key, sizeof l->address_key, "a:%.64s", address);
    if (throttle_blocked(lim->user, l->user_key, now) ||
        throttle_blocked(lim->address, l->address_key, now)) {
        l->status = 429;
        return -1;
    }
    int rc = db ? user_find(db, username, &l->user) : DB_UNAVAILABLE;
    if (rc < 0) {
        l->status = 503;
        return -1;
    }
    l->found = rc == 1;
    snprintf(l->password, sizeof l->password, "%s", password);
    return 0;
}

void login_check(struct login *l)
{
    const char *hash = l->found ? l->user.password_hash : dummy_hash();
    l->ok = user_check_password(hash, l->password) && l->found && !l->user.disabled;
    memset(l->password, 0, sizeof l->password);
}

int login_checked(struct login *l, struct login_limits *lim, int64_t now)
{
    if (!l->ok) {
        throttle_fail(lim->user, l->user_key, now);
        throttle_fail(lim->address, l->address_key, now);
        l->status = 401;
        return -1;
    }
    throttle_clear(lim->user, l->user_key);
    return 0;
}

int login_write(struct db *db, struct login *l, struct err *e)
{
    return session_create(db, l->user.id, l->is_api, LOGIN_SESSION_MS, l->token, l->csrf, e);
}

void login_written(struct login *l, int rc)
{
    if (rc == DB_OK) {
        l->status = 200;
        return;
    }
    l->status = 503;
    memset(l->token, 0, sizeof l->token);
}
