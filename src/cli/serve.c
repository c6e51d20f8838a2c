/* serve.c — luoshi serve: parse the options, migrate, and hand over to the
 * application layer (app/serve.c), which starts the pool, the scheduler and
 * the web server. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "app/app.h"
#include "cli/cli.h"
#include "core/checkpoint.h"
#include "util/str.h"

/* Split "ADDR:PORT" into o.  0 ok, -1 after printing. */
static int parse_listen(const char *listen, struct app_options *o, char *host, size_t hostlen)
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
    o->listen_host = host;
    o->port = (int)port;
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
    struct app_options o = {0};
    char host[64];
    int64_t nthreads;
    if (parse_listen(listen, &o, host, sizeof host)) return CLI_USAGE;
    if (str_to_int64(threads, strlen(threads), &nthreads) || nthreads < 1 || nthreads > 64) {
        fprintf(stderr, "luoshi serve: --threads wants a number from 1 to 64\n");
        return CLI_USAGE;
    }
    o.target = cli_db_target(dbopt);
    struct checkpoint_key key;
    char keypath[1024];
    int signs = cli_signing_key(keyopt, o.target, &key, keypath, sizeof keypath);
    if (signs < 0) return CLI_FAIL;
    if (!signs)
        fprintf(stderr, "luoshi serve: no signing key (--key, LUOSHI_KEY or DB.key): no"
                        " checkpoints will be signed\n");
    o.signer = signs ? &key : NULL;
    struct db *db = cli_open(o.target, 1);
    if (!db) return CLI_FAIL;
    db_close(db);
    o.threads = (int)nthreads;
    o.secure_cookies = secure;
    int rc = app_serve(&o);
    sodium_memzero(&key, sizeof key);
    return rc ? CLI_FAIL : CLI_OK;
}
