/* write.h — one durable write from a handler, and its standard answers.
 *
 * A handler that changes data makes a job: a struct of its own with a
 * `struct write_job job` member (allocated by WRITE_NEW) holding what the
 * write needs and what it produces, or the ready-made struct write_body for
 * writes that take one JSON body.  A static `struct write_ops` row says what
 * to do with it: run (the write, on a writer thread inside a transaction)
 * and how to answer.  write_start() runs it and answers; the handler returns
 * right after.
 *
 * What every write used to repeat is here, once: the job's error is cleared
 * before each run (the pool runs a job again on DB_RETRY), core's result is
 * mapped onto the pool's codes, a failure core did not describe becomes a
 * storage error naming the operation (err_db with ops->what), the refusal is
 * answered, and release runs on every path, after the answer.
 *
 * The standard answers, chosen in the ops row:
 *   success   next: a page's way on (303), with the job's id;
 *             load: an object read after the write, as the actor now sees it
 *                   (e.g. the item), with a status and a Location;
 *             done: anything else (write_reply_json and write_redirect help);
 *   refusal   form: the page's form again with the refusal's status and message;
 *             refused: anything else;
 *             neither: write_refused, the error answer (JSON on API routes,
 *                   the error page on page routes). */
#ifndef LUOSHI_HTTP_WRITE_H
#define LUOSHI_HTTP_WRITE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/core.h"
#include "db/db.h"

struct req;
struct write_job;

/* Reads an object after a write: id's JSON as actor sees it, or NULL with e. */
typedef json_t *(*write_load_fn)(struct db *db, const struct actor *actor, int64_t id,
                                 struct err *e);

/* How one kind of write runs and answers (a static row per handler). */
struct write_ops {
    /* The operation in words, for storage errors: "creating an item".  NULL:
     * the refusal answers a failure core did not describe itself (j->e stays
     * empty: status 0). */
    const char *what;
    /* The write, inside the transaction.  0 keeps it; DB_RETRY runs it
     * again; anything else rolls it back (with j->e set, or not: then it is
     * a storage error). */
    int (*run)(struct db *db, struct write_job *j);
    /* On success, one of: */
    const char *next;   /* 303 to this path; one ending in '/' or '=' gets the job's id after it */
    write_load_fn load; /* load(j->id)'s JSON with status; Location: location then the id */
    int status;
    const char *location;
    void (*done)(struct req *r, struct write_job *j); /* any other answer */
    /* On a refusal (j->e), one of: */
    void (*form)(struct req *r, int status, const char *message); /* the page's form again */
    void (*refused)(struct req *r, struct write_job *j);          /* any other answer */
    /* Free what the job owns; runs once, after the answer.  NULL: nothing. */
    void (*release)(struct write_job *j);
};

/* The part of every job that write.c reads and writes. */
struct write_job {
    const struct write_ops *ops;
    const struct actor *actor; /* who writes: the request's actor */
    struct err e;              /* why the write was refused; cleared before each run */
    int64_t id;                /* the row the write acts on or makes (the standard answers') */
};

/* The job of the many writes that take one JSON body (core validates it). */
struct write_body {
    struct write_job job;
    json_t *body; /* borrowed from r->json, or owned: then release with write_body_release */
};

/* A release for write_body jobs that own their body. */
void write_body_release(struct write_job *j);

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
/* The two halves of write_start, public for tests: the pool's job (ctx is
 * the struct write_job: clears j->e, runs ops->run, and returns DB_OK,
 * DB_RETRY or DB_ERR), and the answer once the job's final result rc is
 * known (the success's, or the refusal's with an undescribed failure named
 * by ops->what; then release). */
int write_job_run(struct db *db, void *ctx);
void write_job_answer(struct req *r, struct write_job *j, int rc);

/* The error answer: j->e as JSON, or as the error page on a page route. */
void write_refused(struct req *r, struct write_job *j);
/* Answer v (stolen) with status and, when location is not NULL, a Location
 * header (a path on this site; copied). */
void write_reply_json(struct req *r, int status, const char *location, json_t *v);
/* Read id with load on r's reader connection and answer it as
 * write_reply_json does; when the read fails, answer its error instead (503
 * when the database cannot be reached). */
void write_reply_loaded(struct req *r, write_load_fn load, int64_t id, int status,
                        const char *location);
/* Answer 303 See Other to the path fmt formats (in r's arena). */
void write_redirect(struct req *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
