/* serve.c — luoshi serve: parse the options, migrate, and hand over to the
 * application layer (app/serve.c), which starts the pool, the scheduler and
 * the web server. */
#include <arpa/inet.h>
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

#define SERVE_PROXIES_MAX 16

/* "ADDR[,ADDR…]" into normalised addresses (inet_ntop's form, as the server
 * compares them) in out[0..SERVE_PROXIES_MAX).  0 ok, -1 after printing. */
static int parse_proxies(const char *list, char out[][INET6_ADDRSTRLEN], const char **ptrs,
                         size_t *n)
{
    *n = 0;
    for (const char *p = list; list && *p;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        char a[INET6_ADDRSTRLEN];
        unsigned char bin[sizeof(struct in6_addr)];
        int ok = len > 0 && len < sizeof a && *n < SERVE_PROXIES_MAX;
        if (ok) memcpy(a, p, len), a[len] = '\0';
        int fam = !ok                                ? 0
                  : inet_pton(AF_INET, a, bin) == 1  ? AF_INET
                  : inet_pton(AF_INET6, a, bin) == 1 ? AF_INET6
                                                     : 0;
        if (!fam || !inet_ntop(fam, bin, out[*n], INET6_ADDRSTRLEN)) {
            fprintf(stderr,
                    "luoshi serve: --trusted-proxy wants up to %d IPv4 or IPv6 addresses,"
                    " comma-separated\n",
                    SERVE_PROXIES_MAX);
            return -1;
        }
        ptrs[*n] = out[*n];
        (*n)++;
        p = comma ? comma + 1 : p + len;
    }
    return 0;
}

/* A number option within [min, max] into *out (left alone when absent).
 * 0 ok, -1 after printing. */
static int parse_number(const char *name, const char *v, int64_t min, int64_t max, int64_t *out)
{
    if (!v) return 0;
    if (str_to_int64(v, strlen(v), out) || *out < min || *out > max) {
        fprintf(stderr, "luoshi serve: --%s wants a number from %lld to %lld\n", name,
                (long long)min, (long long)max);
        return -1;
    }
    return 0;
}

/* The options of the server's limits and public address into o. */
static int parse_limits(const char *proxies, const char *per, const char *budget, const char *url,
                        struct app_options *o, char addrs[][INET6_ADDRSTRLEN], const char **ptrs)
{
    int64_t n = 0, mib = 0;
    if (parse_proxies(proxies, addrs, ptrs, &o->ntrusted) ||
        parse_number("max-per-address", per, 1, 100000, &n) ||
        parse_number("body-budget", budget, 8, 1 << 20, &mib))
        return -1;
    if (url && ((strncmp(url, "http://", 7) && strncmp(url, "https://", 8)) || strlen(url) > 200 ||
                url[strlen(url) - 1] == '/')) {
        fprintf(stderr, "luoshi serve: --public-url wants http(s)://HOST[:PORT][/PATH] without a"
                        " trailing slash\n");
        return -1;
    }
    o->trusted_proxies = ptrs;
    o->max_per_address = (int)n;
    o->body_budget = (size_t)mib << 20;
    o->public_url = url;
    return 0;
}

int cmd_serve(int argc, char **argv)
{
    const char *dbopt = NULL, *listen = "127.0.0.1:8080", *threads = "4", *keyopt = NULL, *pos[1];
    const char *proxies = NULL, *per = NULL, *budget = NULL, *url = NULL, *wait = NULL;
    int secure = 0, npos;
    int64_t nthreads, card_wait = -1;
    struct cli_opt opts[] = {{"db", &dbopt, NULL},
                             {"listen", &listen, NULL},
                             {"threads", &threads, NULL},
                             {"secure-cookies", NULL, &secure},
                             {"key", &keyopt, NULL},
                             {"trusted-proxy", &proxies, NULL},
                             {"max-per-address", &per, NULL},
                             {"body-budget", &budget, NULL},
                             {"public-url", &url, NULL},
                             {"card-wait", &wait, NULL}};
    if (cli_parse("serve", argc, argv, opts, 10, pos, 0, &npos)) return CLI_USAGE;
    struct app_options o = {0};
    char host[64], addrs[SERVE_PROXIES_MAX][INET6_ADDRSTRLEN];
    const char *ptrs[SERVE_PROXIES_MAX];
    if (parse_listen(listen, &o, host, sizeof host)) return CLI_USAGE;
    if (str_to_int64(threads, strlen(threads), &nthreads) || nthreads < 1 || nthreads > 64) {
        fprintf(stderr, "luoshi serve: --threads wants a number from 1 to 64\n");
        return CLI_USAGE;
    }
    if (parse_limits(proxies, per, budget, url, &o, addrs, ptrs) ||
        parse_number("card-wait", wait, 0, 3600000, &card_wait))
        return CLI_USAGE;
    o.card_wait_ms = card_wait;
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
