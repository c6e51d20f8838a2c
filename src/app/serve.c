/* serve.c — starting the server with everything it is given: the storage
 * pool, the login counters, the work pool, the scheduler, the outbox's
 * sender with its transport (deliver/), the route table and the pages'
 * hooks.  Option parsing and migration are cli/serve.c's. */
#include <malloc.h>
#include <stdio.h>

#include "app/app.h"
#include "core/login.h"
#include "core/outbox.h"
#include "core/scheduler.h"
#include "deliver/deliver.h"
#include "http/server.h"
#include "http/work.h"
#include "web/web.h"

int app_serve(const struct app_options *o)
{
    /* Keep freed memory in the process: by default glibc gives a worker
     * thread's arena back to the kernel (madvise) as soon as 128 KiB are free
     * at its top, and every request then faults the same pages in again
     * (SQLite's page cache, the response buffers) — a fifth of the CPU of an
     * item list.  The server's memory is bounded by its threads' peaks. */
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
    mallopt(M_MMAP_THRESHOLD, 8 << 20);
    char err[512];
    struct server_config cfg = {
        .pool = db_pool_open(o->target, 2, err, sizeof err),
        .listen_host = o->listen_host,
        .port = o->port,
        .threads = o->threads,
        .secure_cookies = o->secure_cookies,
        .routes = app_routes,
        .nroutes = app_routes_count,
        .error_page = web_error_page,
        .path_is_page = app_path_is_page,
        .signer = o->signer,
        .trusted_proxies = o->trusted_proxies,
        .ntrusted = o->ntrusted,
        .max_per_address = o->max_per_address,
        .body_budget = o->body_budget,
    };
    char url[128];
    snprintf(url, sizeof url, "http://%s:%d", o->listen_host, o->port);
    cfg.public_url = o->public_url ? o->public_url : url;
    if (!cfg.pool) {
        fprintf(stderr, "luoshi serve: %s\n", err);
        return 1;
    }
    cfg.work = work_pool_new(2);
    if (o->card_wait_ms >= 0) web_card_wait(o->card_wait_ms);
    struct scheduler *sched = scheduler_start(
        cfg.pool, o->target, o->signer, /* urges, escalations, lights, checkpoints */
        web_dashboard_warm);            /* and the city's dashboard figures, its 考核 card */
    struct outbox_transport *transport = deliver_new();
    struct outbox_sender *sender = outbox_start(cfg.pool, o->target, transport); /* the outbox */
    int rc = server_run(&cfg);
    outbox_stop(sender);
    deliver_free(transport);
    scheduler_stop(sched);
    work_pool_free(cfg.work);
    db_pool_close(cfg.pool);
    return rc;
}
