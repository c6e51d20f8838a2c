/* auth.c — the login flow: throttle, look up, verify off-thread, create the
 * session durably, answer.  Shared by POST /api/v1/session and the login form.
 *
 * An unknown user name is checked against a fixed dummy hash, so the answer
 * takes as long as for a real user and does not reveal which names exist. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "core/session.h"
#include "core/user.h"
#include "http/req.h"
#include "http/server.h"
#include "http/throttle.h"
#include "util/time.h"

#define SESSION_TTL_MS (12LL * 3600 * 1000)

struct login {
    struct login_result res;
    struct user_row user;
    int found;
    char password[257];
    int ok;
    int is_api;
    void (*finish)(struct req *r, struct login_result *res);
    char ip_key[80], user_key[80];
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

static void login_verify(void *ctx)
{
    struct login *l = ctx;
    const char *hash = l->found ? l->user.password_hash : dummy_hash();
    l->ok = user_check_password(hash, l->password) && l->found && !l->user.disabled;
    memset(l->password, 0, sizeof l->password);
}

static int login_write(struct db *db, void *ctx)
{
    struct login *l = ctx;
    struct err e = {0};
    if (session_create(db, l->user.id, l->is_api, SESSION_TTL_MS, l->res.token, l->res.csrf, &e))
        return DB_ERR;
    return DB_OK;
}

static void login_written(struct req *r)
{
    struct login *l = r->state;
    if (r->job_rc != DB_OK) {
        l->res.status = 503;
        memset(l->res.token, 0, sizeof l->res.token);
    } else {
        l->res.status = 200;
        l->res.user = user_json(&l->user);
    }
    l->finish(r, &l->res);
    json_decref(l->res.user);
    l->res.user = NULL;
}

static void login_verified(struct req *r)
{
    struct login *l = r->state;
    int64_t now = time_now_ms();
    if (!l->ok) {
        throttle_fail(r->app->throttle_user, l->user_key, now);
        throttle_fail(r->app->throttle_ip, l->ip_key, now);
        l->res.status = 401;
        l->finish(r, &l->res);
        return;
    }
    throttle_clear(r->app->throttle_user, l->user_key);
    req_defer_write(r, login_write, l, login_written);
}

void auth_login(struct req *r, const char *username, const char *password, int is_api,
                void (*finish)(struct req *r, struct login_result *res))
{
    struct login *l = arena_alloc(r->arena, sizeof *l);
    l->is_api = is_api;
    l->finish = finish;
    snprintf(l->user_key, sizeof l->user_key, "u:%.64s", username);
    snprintf(l->ip_key, sizeof l->ip_key, "a:%.64s", r->remote);
    int64_t now = time_now_ms();
    if (throttle_blocked(r->app->throttle_user, l->user_key, now) ||
        throttle_blocked(r->app->throttle_ip, l->ip_key, now)) {
        l->res.status = 429;
        finish(r, &l->res);
        return;
    }
    struct db *db = req_db(r);
    int rc = db ? user_find(db, username, &l->user) : DB_UNAVAILABLE;
    if (rc < 0) {
        l->res.status = 503;
        finish(r, &l->res);
        return;
    }
    l->found = rc == 1;
    snprintf(l->password, sizeof l->password, "%s", password);
    req_defer_work(r, login_verify, l, login_verified);
}
