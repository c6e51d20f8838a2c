/* work.c — the work pool: a mutex, a condition variable and a FIFO. */
#include "http/work.h"

#include <pthread.h>
#include <stdlib.h>

#include "util/mem.h"

#define WORK_MAX_THREADS 8

struct work {
    void (*fn)(void *);
    void (*done)(void *);
    void *ctx;
    struct work *next;
};

struct work_pool {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct work *head, *tail;
    int stopping, n;
    pthread_t threads[WORK_MAX_THREADS];
};

static void *work_main(void *arg)
{
    struct work_pool *w = arg;
    for (;;) {
        pthread_mutex_lock(&w->mu);
        while (!w->head && !w->stopping)
            pthread_cond_wait(&w->cv, &w->mu);
        struct work *job = w->head;
        if (job) {
            w->head = job->next;
            if (!w->head) w->tail = NULL;
        }
        pthread_mutex_unlock(&w->mu);
        if (!job) return NULL;
        job->fn(job->ctx);
        job->done(job->ctx);
        free(job);
    }
}

struct work_pool *work_pool_new(int n)
{
    struct work_pool *w = xcalloc(1, sizeof *w);
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cv, NULL);
    w->n = n < 1 ? 1 : n > WORK_MAX_THREADS ? WORK_MAX_THREADS : n;
    for (int i = 0; i < w->n; i++)
        pthread_create(&w->threads[i], NULL, work_main, w);
    return w;
}

void work_pool_submit(struct work_pool *w, void (*fn)(void *), void (*done)(void *), void *ctx)
{
    struct work *job = xcalloc(1, sizeof *job);
    job->fn = fn;
    job->done = done;
    job->ctx = ctx;
    pthread_mutex_lock(&w->mu);
    if (w->tail)
        w->tail->next = job;
    else
        w->head = job;
    w->tail = job;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
}

void work_pool_free(struct work_pool *w)
{
    if (!w) return;
    pthread_mutex_lock(&w->mu);
    w->stopping = 1;
    pthread_cond_broadcast(&w->cv);
    pthread_mutex_unlock(&w->mu);
    for (int i = 0; i < w->n; i++)
        pthread_join(w->threads[i], NULL);
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->cv);
    free(w);
}
