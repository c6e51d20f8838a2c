/* req.h — one HTTP request as handlers see it, and how they answer.
 *
 * A handler reads the request (path parameters, query, JSON or form body,
 * the authenticated actor) and sets a response with one of the req_reply_*
 * functions.  Everything it allocates for the response comes from r->arena,
 * freed after the response is sent.  A handler that must wait for durable
 * work calls write_start() (write.h: a write job and its answers, on top of
 * req_defer_write()), or req_defer_work() for CPU-heavy work such as a
 * password hash, with a continuation; the connection is suspended
 * meanwhile, so the request thread serves others.
 *
 * Authentication, role, CSRF, body size and content type were checked by the
 * dispatcher (route.c) before the handler runs: a handler never repeats them. */
#ifndef LUOSHI_HTTP_REQ_H
#define LUOSHI_HTTP_REQ_H

#include <jansson.h>
#include <stdint.h>

#include "core/core.h"
#include "core/session.h"
#include "db/db.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/err.h"

struct server_config;
struct MHD_Connection;

enum req_lang { LANG_ZH = 0, LANG_EN = 1 };

/* The most bytes of one answer (r->out's maximum): a stored notice (64 MiB
 * at most) with its page around it.  An answer that would pass it is a 500
 * response_too_large, never a cut body. */
#define REQ_OUT_MAX ((size_t)80 << 20)

struct req_field {
    const char *name, *value;
};

/* One file of a multipart/form-data body; data points into the body. */
struct req_file {
    const char *name, *filename, *type;
    const unsigned char *data;
    size_t len;
};

struct req {
    struct server_config *server; /* the server's config and the hooks of the layer above */
    struct MHD_Connection *conn;
    struct arena *arena;
    const char *method, *path;
    const struct route *route;
    int64_t params[4]; /* the {id} parts of the path, in order */
    int nparams;
    struct buf body; /* the request body, at most the route's limit */
    int body_too_large;
    int64_t content_length;
    struct req_field *form; /* parsed form body (urlencoded) */
    int nform;
    json_t *json;           /* parsed JSON body (owned; freed with the request) */
    struct req_file *files; /* the files of a multipart body (in the arena) */
    int nfiles;
    int authed; /* 1 when a session was found */
    struct session_info session;
    const struct actor *actor;         /* &session.actor when authed, else an anonymous actor */
    char token[SESSION_TOKEN_LEN + 1]; /* the presented token */
    enum req_lang lang;
    const char *remote; /* client address as text (the forwarded one behind a trusted proxy) */
    const char *peer;   /* the connection's own address */
    int http11;         /* the request line says HTTP/1.1 (or later) */
    int prechecked;     /* route_precheck ran (at the headers, for a body) */
    int forwarded;      /* counted in the server's per-forwarded-address table */
    size_t reserved;    /* bytes of the body budget held */
    int over_budget;    /* a body without a length outgrew the budget */
    int draining;       /* refused at the headers: the body is thrown away as it comes */
    int64_t started_ms;
    /* the response */
    int status;
    struct buf out;
    int out_fd; /* with out_fd_size: a file sent instead of out (req_reply_file), -1 none */
    uint64_t out_fd_size;
    const char *content_type;
    const char *headers[8][2];
    int nheaders;
    /* deferral */
    int suspended;
    void (*resume)(struct req *r);
    int job_rc; /* the write job's result */
    /* the refusal a form is shown again with (http/write.h: write_ops.form), so
     * the page can mark the field it names (aria-invalid); NULL otherwise */
    const struct err *form_err;
    void *state;    /* the handler's context across a deferral */
    void *job_shim; /* req.c's own bookkeeping */
};

/* The request's database connection for reads (this thread's).  NULL when the
 * database is unreachable (then reply 503). */
struct db *req_db(struct req *r);

/* Query parameter (decoded, validated UTF-8) or NULL. */
const char *req_query(struct req *r, const char *name);
/* Form field of a urlencoded body, or NULL. */
const char *req_form(struct req *r, const char *name);
/* A request header, or NULL. */
const char *req_header(struct req *r, const char *name);
/* The value of cookie name, or NULL. */
const char *req_cookie(struct req *r, const char *name);

/* Answer with a JSON value (stolen: freed after sending); a 500
 * response_too_large when its text passes r->out's maximum. */
void req_reply_json(struct req *r, int status, json_t *v);
/* 1 when r's errors are HTML pages: its route has ROUTE_PAGE, or, when no
 * route matched, the server's path_is_page hook says its path is a page
 * (and there is an error_page hook to draw one). */
int req_wants_html(struct req *r);
/* Answer {"error":{"code","message"}} (plus fields of extra, stolen, may be
 * NULL) with the message in r's language (req_err_text; in Chinese also
 * "detail", the English message, for whoever debugs a client); when
 * req_wants_html, the server's HTML error page with that message instead.
 * fmt is the English detail, as err_set's. */
void req_reply_error(struct req *r, int status, const char *code, json_t *extra, const char *fmt,
                     ...) __attribute__((format(printf, 5, 6)));
/* Answer with the error in e, as req_reply_error does. */
void req_reply_err(struct req *r, const struct err *e);
/* The same with fields of extra (stolen, may be NULL) beside code and message. */
void req_reply_err_extra(struct req *r, const struct err *e, json_t *extra);
/* e's message in r's language (core/errtext.h), in r's arena. */
const char *req_err_text(struct req *r, const struct err *e);
/* Answer with the bytes in r->out and this content type (HTML pages build
 * r->out); a 500 response_too_large instead when an append to r->out was
 * refused at its maximum (r->out.err). */
void req_reply_body(struct req *r, int status, const char *content_type);
/* Answer with the open file fd (its first size bytes) instead of r->out,
 * sent from the file as the client reads, so a large export is never held
 * in memory.  Takes fd: it is closed after sending, or when the request
 * ends without an answer.  The file should already be unlinked. */
void req_reply_file(struct req *r, int status, const char *content_type, int fd, uint64_t size);
/* Answer 303 See Other to location (a path on this site). */
void req_redirect(struct req *r, const char *location);
/* Add a response header (name and value must live as long as the request). */
void req_add_header(struct req *r, const char *name, const char *value);

/* Run fn(db, ctx) as a durable write job; then, on a request thread, call
 * done(r) with r->job_rc set to fn's result and r->state = ctx.  fn must put
 * every output it needs into ctx (it may run more than once: it must only
 * write into ctx what it computes).  The handler returns right after. */
void req_defer_write(struct req *r, db_write_fn fn, void *ctx, void (*done)(struct req *r));
/* Run fn(ctx) on the work pool (CPU-heavy work such as password hashing);
 * then call done(r) with r->state = ctx.  The handler returns right after. */
void req_defer_work(struct req *r, void (*fn)(void *ctx), void *ctx, void (*done)(struct req *r));

#endif
