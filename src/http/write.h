/* write.h — one durable write from a handler, and its standard answers.
 *
 * A handler that changes data makes a job: a struct of its own with a
 * `struct write_job job` member, allocated by WRITE_NEW, holding what the
 * write needs and what it produces.  A static `struct write_ops` row says
 * what to do with it: run (the write, on a writer thread inside a
 * transaction), done (the answer on success) and how a refusal is answered.
 * write_start() runs it and answers; the handler returns right after.
 *
 * What every write used to repeat is here, once: the job's error is cleared
 * before each run (the pool runs a job again on DB_RETRY), core's result is
 * mapped onto the pool's codes, a failure core did not describe becomes a
 * storage error naming the operation (err_db with ops->what), the refusal is
 * answered, and release runs on every path, after the answer.
 *
 * The standard answers: write_reply_json (a small object, with a Location),
 * write_reply_loaded (an object read after the write — e.g. the item as the
 * actor now sees it), write_redirect (a page's way on: 303), the form shown
 * again with the refusal (ops->form), and write_refused (the error answer:
 * JSON on API routes, the error page on page routes). */
#ifndef LUOSHI_HTTP_WRITE_H
#define LUOSHI_HTTP_WRITE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/core.h"
#include "db/db.h"

struct req;
struct write_job;

/* How one kind of write runs and answers (a static row per handler). */
struct write_ops {
    const char *what; /* the operation in words, for storage errors: "creating an item" */
    /* The write, inside the transaction.  0 keeps it; DB_RETRY runs it
     * again; anything else rolls it back (with j->e set, or not: then it is
     * a storage error). */
    int (*run)(struct db *db, struct write_job *j);
    /* Answer the success. */
    void (*done)(struct req *r, struct write_job *j);
    /* Answer the refusal in j->e.  NULL: form when set, else write_refused. */
    void (*refused)(struct req *r, struct write_job *j);
    /* A page's form shown again with the refusal's status and message (text). */
    void (*form)(struct req *r, int status, const char *message);
    /* Free what the job owns; runs once, after the answer.  NULL: nothing. */
    void (*release)(struct write_job *j);
};

/* The part of every job that write.c reads and writes. */
struct write_job {
    const struct write_ops *ops;
    const struct actor *actor; /* who writes: the request's actor */
    struct err e;              /* why the write was refused; cleared before each run */
};

/* A zeroed job of size bytes in r's arena whose struct write_job is at
 * offset, for ops, acting as r->actor.  Use WRITE_NEW. */
void *write_job_new(struct req *r, size_t size, size_t offset, const struct write_ops *ops);
/* A new job of type (a struct with a `struct write_job job` member). */
#define WRITE_NEW(r, type, ops)                                                                    \
    ((type *)write_job_new((r), sizeof(type), offsetof(type, job), (ops)))
/* The job of type around its member j (in run, done, refused and release). */
#define WRITE_OF(j, type) ((type *)(void *)((char *)(j)-offsetof(type, job)))

/* Run j's write durably, then answer as its ops say.  The handler returns
 * right after (the request is suspended meanwhile). */
void write_start(struct req *r, struct write_job *j);
/* Answer j->e (set by the caller, before any write) as a refusal of the
 * write would be answered, then release j. */
void write_refuse(struct req *r, struct write_job *j);

/* The error answer: j->e as JSON, or as the error page on a page route. */
void write_refused(struct req *r, struct write_job *j);
/* Answer v (stolen) with status and, when location is not NULL, a Location
 * header (a path on this site; copied). */
void write_reply_json(struct req *r, int status, const char *location, json_t *v);

/* Reads an object after a write: id's JSON as actor sees it, or NULL with e. */
typedef json_t *(*write_load_fn)(struct db *db, const struct actor *actor, int64_t id,
                                 struct err *e);
/* Read id with load on r's reader connection and answer it as
 * write_reply_json does; when the read fails, answer its error instead (503
 * when the database cannot be reached). */
void write_reply_loaded(struct req *r, write_load_fn load, int64_t id, int status,
                        const char *location);
/* Answer 303 See Other to the path fmt formats (in r's arena). */
void write_redirect(struct req *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
