/* login.c — core's login steps on their threads.  See login.h. */
#include "http/login.h"

#include "core/session.h"

#include "http/req.h"
#include "http/server.h"
#include "http/write.h"
#include "util/time.h"

struct req_login {
    struct write_job job;
    struct login l;
    void (*finish)(struct req *r, const struct login *l);
};

static int session_run(struct db *db, struct write_job *j)
{
    return login_write(db, &WRITE_OF(j, struct req_login)->l, &j->e);
}

static void session_done(struct req *r, struct write_job *j)
{
    struct req_login *x = WRITE_OF(j, struct req_login);
    login_written(&x->l, DB_OK);
    x->finish(r, &x->l);
}

static void session_refused(struct req *r, struct write_job *j)
{
    struct req_login *x = WRITE_OF(j, struct req_login);
    login_written(&x->l, DB_ERR);
    x->finish(r, &x->l);
}

static const struct write_ops session_ops = {
    .what = "opening a session",
    .run = session_run,
    .done = session_done,
    .refused = session_refused,
};

static void password_check(void *ctx)
{
    struct req_login *x = ctx;
    login_check(&x->l);
}

static void password_checked(struct req *r)
{
    struct req_login *x = r->state;
    if (login_checked(&x->l, r->server->logins, time_now_ms())) {
        x->finish(r, &x->l);
        return;
    }
    write_start(r, &x->job);
}

void req_login(struct req *r, const char *username, const char *password, int is_api,
               void (*finish)(struct req *r, const struct login *l))
{
    struct req_login *x = WRITE_NEW(r, struct req_login, &session_ops);
    x->finish = finish;
    if (login_begin(&x->l, r->server->logins, req_db(r), username, password, r->remote, is_api,
                    time_now_ms())) {
        finish(r, &x->l);
        return;
    }
    req_defer_work(r, password_check, x, password_checked);
}

struct req_logout {
    struct write_job job;
    const char *token;
    void (*finish)(struct req *r, int ok);
};

static int revoke_run(struct db *db, struct write_job *j)
{
    return session_revoke(db, WRITE_OF(j, struct req_logout)->token, NULL);
}

static void revoke_done(struct req *r, struct write_job *j)
{
    WRITE_OF(j, struct req_logout)->finish(r, 1);
}

static void revoke_refused(struct req *r, struct write_job *j)
{
    WRITE_OF(j, struct req_logout)->finish(r, 0);
}

static const struct write_ops revoke_ops = {
    .what = "revoking the session",
    .run = revoke_run,
    .done = revoke_done,
    .refused = revoke_refused,
};

void req_logout(struct req *r, void (*finish)(struct req *r, int ok))
{
    struct req_logout *x = WRITE_NEW(r, struct req_logout, &revoke_ops);
    x->token = r->token;
    x->finish = finish;
    write_start(r, &x->job);
}
