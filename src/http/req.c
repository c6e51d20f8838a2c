/* req.c — reading requests and setting responses.  See req.h.
 * The actual queueing on the connection is server.c's. */
#include "http/req.h"

#include <microhttpd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/errtext.h"
#include "http/route.h"
#include "http/server.h"
#include "http/work.h"
#include "util/utf8.h"

struct db *req_db(struct req *r)
{
    return db_pool_reader(r->server->pool);
}

const char *req_query(struct req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *req_form(struct req *r, const char *name)
{
    for (int i = 0; i < r->nform; i++)
        if (strcmp(r->form[i].name, name) == 0) return r->form[i].value;
    return NULL;
}

const char *req_header(struct req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *req_cookie(struct req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}

/* What a handler built passed r->out's maximum: say so instead of sending
 * part of it. */
static void req_reply_too_large(struct req *r)
{
    size_t max = r->out.max;
    /* the refused answer's memory goes; the error is ours and small, so it
     * gets no maximum (and cannot come back here) */
    buf_free(&r->out);
    buf_init(&r->out, 0);
    req_reply_error(r, 500, "response_too_large", NULL,
                    "the answer would be larger than the %zu bytes the server sends", max);
}

void req_reply_json(struct req *r, int status, json_t *v)
{
    buf_reset(&r->out);
    char *s = json_dumps(v, JSON_COMPACT);
    int refused = buf_puts(&r->out, s ? s : "null");
    free(s);
    json_decref(v);
    if (refused) {
        req_reply_too_large(r);
        return;
    }
    r->status = status;
    r->content_type = "application/json; charset=utf-8";
}

int req_wants_html(struct req *r)
{
    const struct server_config *cfg = r->server;
    if (!cfg->error_page) return 0;
    if (r->route) return (r->route->flags & ROUTE_PAGE) != 0;
    return cfg->path_is_page && cfg->path_is_page(r->path);
}

const char *req_err_text(struct req *r, const struct err *e)
{
    char text[700];
    return arena_strdup(r->arena, errtext_message(e, r->lang == LANG_EN, text, sizeof text));
}

void req_reply_err_extra(struct req *r, const struct err *e, json_t *extra)
{
    int status = e->status ? e->status : 500;
    const char *msg = req_err_text(r, e);
    if (req_wants_html(r)) {
        json_decref(extra);
        r->server->error_page(r, status, msg);
        return;
    }
    json_t *o = json_pack("{s:s,s:s}", "code", e->code ? e->code : "internal", "message", msg);
    if (strcmp(msg, e->message) && e->message[0])
        json_object_set_new(o, "detail", json_string(e->message));
    if (extra) {
        json_object_update(o, extra);
        json_decref(extra);
    }
    req_reply_json(r, status, json_pack("{s:o}", "error", o));
}

void req_reply_error(struct req *r, int status, const char *code, json_t *extra, const char *fmt,
                     ...)
{
    struct err e = {0};
    e.status = status;
    e.code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e.message, sizeof e.message, fmt, ap);
    va_end(ap);
    utf8_sanitize(e.message); /* a message cut by its buffer or a precision is still text */
    req_reply_err_extra(r, &e, extra);
}

void req_reply_err(struct req *r, const struct err *e)
{
    req_reply_err_extra(r, e, NULL);
}

void req_reply_body(struct req *r, int status, const char *content_type)
{
    if (r->out.err) {
        req_reply_too_large(r);
        return;
    }
    r->status = status;
    r->content_type = content_type;
}

void req_reply_file(struct req *r, int status, const char *content_type, int fd, uint64_t size)
{
    if (r->out_fd >= 0) close(r->out_fd);
    buf_reset(&r->out);
    r->out_fd = fd;
    r->out_fd_size = size;
    r->status = status;
    r->content_type = content_type;
}

void req_add_header(struct req *r, const char *name, const char *value)
{
    if (r->nheaders == (int)(sizeof r->headers / sizeof r->headers[0])) return;
    r->headers[r->nheaders][0] = name;
    r->headers[r->nheaders][1] = value;
    r->nheaders++;
}

void req_redirect(struct req *r, const char *location)
{
    /* only paths on this site: "//host" and schemes would make an open redirect */
    if (location[0] != '/' || location[1] == '/' || location[1] == '\\') location = "/";
    buf_reset(&r->out);
    req_add_header(r, "Location", arena_strdup(r->arena, location));
    r->status = 303;
    r->content_type = "text/plain; charset=utf-8";
}

static void req_write_done(void *ctx, int rc)
{
    struct req *r = ctx;
    r->job_rc = rc;
    MHD_resume_connection(r->conn);
}

struct write_shim {
    db_write_fn fn;
    void *ctx;
    struct req *r;
};

static int req_write_run(struct db *db, void *ctx)
{
    struct req *r = ctx;
    struct write_shim *s = r->job_shim;
    return s->fn(db, s->ctx);
}

void req_defer_write(struct req *r, db_write_fn fn, void *ctx, void (*done)(struct req *r))
{
    struct write_shim *s = arena_alloc(r->arena, sizeof *s);
    s->fn = fn;
    s->ctx = ctx;
    r->job_shim = s;
    r->state = ctx;
    r->resume = done;
    r->suspended = 1;
    MHD_suspend_connection(r->conn);
    db_pool_write_async(r->server->pool, req_write_run, r, req_write_done);
}

struct work_shim {
    void (*fn)(void *);
    void *ctx;
};

static void req_work_run(void *ctx)
{
    struct req *r = ctx;
    struct work_shim *s = r->job_shim;
    s->fn(s->ctx);
}

static void req_work_done(void *ctx)
{
    struct req *r = ctx;
    MHD_resume_connection(r->conn);
}

void req_defer_work(struct req *r, void (*fn)(void *ctx), void *ctx, void (*done)(struct req *r))
{
    struct work_shim *s = arena_alloc(r->arena, sizeof *s);
    s->fn = fn;
    s->ctx = ctx;
    r->job_shim = s;
    r->state = ctx;
    r->resume = done;
    r->suspended = 1;
    MHD_suspend_connection(r->conn);
    work_pool_submit(r->server->work, req_work_run, req_work_done, r);
}
