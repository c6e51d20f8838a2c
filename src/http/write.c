/* write.c — running a handler's write job and answering it.  See write.h.
 * The deferral itself (suspending the connection, the pool's writer
 * threads) is req_defer_write's. */
#include "http/write.h"

#include <stdarg.h>
#include <string.h>

#include "http/req.h"

void *write_job_new(struct req *r, size_t size, size_t offset, const struct write_ops *ops)
{
    char *p = arena_alloc(r->arena, size); /* zeroed */
    struct write_job *j = (struct write_job *)(void *)(p + offset);
    j->ops = ops;
    j->actor = r->actor;
    return p;
}

int write_job_run(struct db *db, void *ctx)
{
    struct write_job *j = ctx;
    memset(&j->e, 0, sizeof j->e);
    int rc = j->ops->run(db, j);
    return rc == DB_OK ? DB_OK : rc == DB_RETRY ? DB_RETRY : DB_ERR;
}

/* path, with the job's id after it when it ends in '/' or '=' (in r's arena). */
static const char *with_id(struct req *r, const char *path, int64_t id)
{
    size_t n = strlen(path);
    if (n && (path[n - 1] == '/' || path[n - 1] == '='))
        return arena_printf(r->arena, "%s%lld", path, (long long)id);
    return path;
}

/* The success's answer as the ops say. */
static void write_answer_done(struct req *r, struct write_job *j)
{
    const struct write_ops *o = j->ops;
    if (o->next)
        req_redirect(r, with_id(r, o->next, j->id));
    else if (o->load)
        write_reply_loaded(r, o->load, j->id, o->status,
                           o->location ? with_id(r, o->location, j->id) : NULL);
    else
        o->done(r, j);
}

/* The refusal's answer as the ops say. */
static void write_answer_refusal(struct req *r, struct write_job *j)
{
    if (j->ops->form) {
        r->form_err = &j->e;
        j->ops->form(r, j->e.status, req_err_text(r, &j->e));
        r->form_err = NULL;
    } else if (j->ops->refused)
        j->ops->refused(r, j);
    else
        write_refused(r, j);
}

void write_job_answer(struct req *r, struct write_job *j, int rc)
{
    if (rc == DB_OK) {
        write_answer_done(r, j);
    } else {
        if (!j->e.status && j->ops->what) err_db(&j->e, rc, j->ops->what);
        write_answer_refusal(r, j);
    }
    if (j->ops->release) j->ops->release(j);
}

static void write_done(struct req *r)
{
    write_job_answer(r, r->state, r->job_rc);
}

void write_start(struct req *r, struct write_job *j)
{
    req_defer_write(r, write_job_run, j, write_done);
}

void write_refuse(struct req *r, struct write_job *j)
{
    write_answer_refusal(r, j);
    if (j->ops->release) j->ops->release(j);
}

void write_body_release(struct write_job *j)
{
    struct write_body *b = WRITE_OF(j, struct write_body);
    json_decref(b->body);
    b->body = NULL;
}

void write_refused(struct req *r, struct write_job *j)
{
    req_reply_err(r, &j->e);
}

void write_reply_json(struct req *r, int status, const char *location, json_t *v)
{
    if (location) req_add_header(r, "Location", arena_strdup(r->arena, location));
    req_reply_json(r, status, v);
}

void write_reply_loaded(struct req *r, write_load_fn load, int64_t id, int status,
                        const char *location)
{
    struct err e = {0};
    struct db *db = req_db(r);
    json_t *v = db ? load(db, r->actor, id, &e) : NULL;
    if (!db) err_set(&e, 503, "database_unavailable", "the database cannot be reached");
    if (!v) {
        req_reply_err(r, &e);
        return;
    }
    write_reply_json(r, status, location, v);
}

void write_redirect(struct req *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *path = arena_vprintf(r->arena, fmt, ap);
    va_end(ap);
    req_redirect(r, path);
}
