/* login.c — core's login steps on their threads.  See login.h. */
#include "http/login.h"

#include "core/session.h"

#include "http/req.h"
#include "http/server.h"
#include "http/write.h"
#include "util/time.h"

/* The attempt, with its two writes: the count before the password check
 * and the session after it. */
struct req_login {
    struct login l;
    void (*finish)(struct req *r, const struct login *l);
};

struct login_job {
    struct write_job job;
    struct req_login *x;
};

static int count_run(struct db *db, struct write_job *j)
{
    return login_count(db, &WRITE_OF(j, struct login_job)->x->l, &j->e);
}

static void password_check(void *ctx)
{
    struct req_login *x = ctx;
    login_check(&x->l);
}

static void password_checked(struct req *r);

static void count_done(struct req *r, struct write_job *j)
{
    struct req_login *x = WRITE_OF(j, struct login_job)->x;
    if (login_counted(&x->l, DB_OK, &j->e)) {
        x->finish(r, &x->l);
        return;
    }
    req_defer_work(r, password_check, x, password_checked);
}

static void count_refused(struct req *r, struct write_job *j)
{
    struct req_login *x = WRITE_OF(j, struct login_job)->x;
    login_counted(&x->l, DB_ERR, &j->e);
    x->finish(r, &x->l);
}

static const struct write_ops count_ops = {
    .what = "counting the login",
    .run = count_run,
    .done = count_done,
    .refused = count_refused,
};

static int session_run(struct db *db, struct write_job *j)
{
    return login_write(db, &WRITE_OF(j, struct login_job)->x->l, &j->e);
}

static void session_done(struct req *r, struct write_job *j)
{
    struct req_login *x = WRITE_OF(j, struct login_job)->x;
    login_written(&x->l, DB_OK);
    x->finish(r, &x->l);
}

static void session_refused(struct req *r, struct write_job *j)
{
    struct req_login *x = WRITE_OF(j, struct login_job)->x;
    login_written(&x->l, DB_ERR);
    x->finish(r, &x->l);
}

static const struct write_ops session_ops = {
    .what = "opening a session",
    .run = session_run,
    .done = session_done,
    .refused = session_refused,
};

static void password_checked(struct req *r)
{
    struct req_login *x = r->state;
    if (login_checked(&x->l)) {
        x->finish(r, &x->l);
        return;
    }
    struct login_job *s = WRITE_NEW(r, struct login_job, &session_ops);
    s->x = x;
    write_start(r, &s->job);
}

void req_login(struct req *r, const char *username, const char *password, int is_api,
               void (*finish)(struct req *r, const struct login *l))
{
    struct req_login *x = arena_alloc(r->arena, sizeof *x);
    x->finish = finish;
    if (login_begin(&x->l, username, password, r->remote, is_api, time_now_ms())) {
        finish(r, &x->l);
        return;
    }
    struct login_job *c = WRITE_NEW(r, struct login_job, &count_ops);
    c->x = x;
    write_start(r, &c->job);
}

void req_login_retry_after(struct req *r, const struct login *l)
{
    if (l->status == 429)
        req_add_header(r, "Retry-After",
                       arena_printf(r->arena, "%lld", (long long)l->retry_after_s));
}

struct req_password {
    struct write_job job;
    struct password_change p;
    void (*finish)(struct req *r, const struct password_change *p);
};

static int password_run(struct db *db, struct write_job *j)
{
    struct req_password *x = WRITE_OF(j, struct req_password);
    return password_change_write(db, j->actor, &x->p, &j->e);
}

static void password_done(struct req *r, struct write_job *j)
{
    struct req_password *x = WRITE_OF(j, struct req_password);
    x->p.status = 200;
    x->finish(r, &x->p);
}

static void password_refused(struct req *r, struct write_job *j)
{
    struct req_password *x = WRITE_OF(j, struct req_password);
    x->p.status = j->e.status ? j->e.status : 503;
    x->p.e = j->e;
    x->finish(r, &x->p);
}

static const struct write_ops password_ops = {
    .what = "changing the password",
    .run = password_run,
    .done = password_done,
    .refused = password_refused,
};

static void password_work(void *ctx)
{
    struct req_password *x = ctx;
    password_change_check(&x->p);
}

static void password_worked(struct req *r)
{
    struct req_password *x = r->state;
    if (x->p.status) {
        x->finish(r, &x->p);
        return;
    }
    write_start(r, &x->job);
}

void req_password_change(struct req *r, const char *current, const char *next,
                         void (*finish)(struct req *r, const struct password_change *p))
{
    struct req_password *x = WRITE_NEW(r, struct req_password, &password_ops);
    x->finish = finish;
    if (password_change_begin(&x->p, req_db(r), r->actor->user_id, current, next,
                              r->lang == LANG_EN)) {
        finish(r, &x->p);
        return;
    }
    req_defer_work(r, password_work, x, password_worked);
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
