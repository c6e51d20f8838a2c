/* serve.c — luoshi serve: migrate, open the pool, start the scheduler and the web server. */
#include <malloc.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/checkpoint.h"
#include "core/scheduler.h"
#include "http/server.h"
#include "http/throttle.h"
#include "http/work.h"
#include "util/str.h"

#define LOGIN_WINDOW_MS (15LL * 60 * 1000)

/* Split "ADDR:PORT" into app.  0 ok, -1 after printing. */
static int parse_listen(const char *listen, struct app *app, char *host, size_t hostlen)
{
    const char *colon = strrchr(listen, ':');
    int64_t port;
    if (!colon || colon == listen || (size_t)(colon - listen) >= hostlen ||
        str_to_int64(colon + 1, strlen(colon + 1), &port) || port < 1 || port > 65535) {
        fprintf(stderr, "luoshi serve: --listen wants ADDR:PORT, e.g. 127.0.0.1:8080\n");
        return -1;
    }
    memcpy(host, listen, (size_t)(colon - listen));
    host[colon - listen] = '\0';
    app->listen_host = host;
    app->port = (int)port;
    return 0;
}

int cmd_serve(int argc, char **argv)
{
    const char *dbopt = NULL, *listen = "127.0.0.1:8080", *threads = "4", *keyopt = NULL, *pos[1];
    int secure = 0, npos;
    struct cli_opt opts[] = {{"db", &dbopt, NULL},
                             {"listen", &listen, NULL},
                             {"threads", &threads, NULL},
                             {"secure-cookies", NULL, &secure},
                             {"key", &keyopt, NULL}};
    if (cli_parse("serve", argc, argv, opts, 5, pos, 0, &npos)) return CLI_USAGE;
    struct app app = {0};
    char host[64];
    int64_t nthreads;
    if (parse_listen(listen, &app, host, sizeof host)) return CLI_USAGE;
    if (str_to_int64(threads, strlen(threads), &nthreads) || nthreads < 1 || nthreads > 64) {
        fprintf(stderr, "luoshi serve: --threads wants a number from 1 to 64\n");
        return CLI_USAGE;
    }
    /* Keep freed memory in the process: by default glibc gives a worker
     * thread's arena back to the kernel (madvise) as soon as 128 KiB are free
     * at its top, and every request then faults the same pages in again
     * (SQLite's page cache, the response buffers) — a fifth of the CPU of an
     * item list.  The server's memory is bounded by its threads' peaks. */
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
    mallopt(M_MMAP_THRESHOLD, 8 << 20);
    const char *target = cli_db_target(dbopt);
    struct checkpoint_key key;
    char keypath[1024];
    int signs = cli_signing_key(keyopt, target, &key, keypath, sizeof keypath);
    if (signs < 0) return CLI_FAIL;
    if (!signs)
        fprintf(stderr, "luoshi serve: no signing key (--key, LUOSHI_KEY or DB.key): no"
                        " checkpoints will be signed\n");
    app.signer = signs ? &key : NULL;
    struct db *db = cli_open(target, 1);
    if (!db) return CLI_FAIL;
    db_close(db);
    char err[512];
    app.pool = db_pool_open(target, 2, err, sizeof err);
    if (!app.pool) {
        fprintf(stderr, "luoshi serve: %s\n", err);
        return CLI_FAIL;
    }
    app.threads = (int)nthreads;
    app.secure_cookies = secure;
    app.throttle_user = throttle_new(5, LOGIN_WINDOW_MS);
    app.throttle_ip = throttle_new(30, LOGIN_WINDOW_MS);
    app.work = work_pool_new(2);
    /* urges, escalations, lights, checkpoints */
    struct scheduler *sched = scheduler_start(app.pool, target, app.signer);
    int rc = server_run(&app);
    scheduler_stop(sched);
    work_pool_free(app.work);
    db_pool_close(app.pool);
    throttle_free(app.throttle_user);
    throttle_free(app.throttle_ip);
    sodium_memzero(&key, sizeof key);
    return rc ? CLI_FAIL : CLI_OK;
}
