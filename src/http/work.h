/* work.h — a small pool of threads for CPU-heavy work (argon2id hashing), so
 * request threads keep serving while a login is checked. */
#ifndef LUOSHI_HTTP_WORK_H
#define LUOSHI_HTTP_WORK_H

struct work_pool;

/* Start n threads.  Never NULL. */
struct work_pool *work_pool_new(int n);
/* Queue fn(ctx); done(ctx) runs on the worker after fn. */
void work_pool_submit(struct work_pool *w, void (*fn)(void *), void (*done)(void *), void *ctx);
/* Finish queued work, stop the threads and free the pool. */
void work_pool_free(struct work_pool *w);

#endif
