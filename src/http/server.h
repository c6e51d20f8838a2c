/* server.h — the web server: libmicrohttpd with its internal epoll thread pool.
 *
 * `struct server_config` is what the server needs, made once at start-up by
 * the layer above (app/serve.c) and handed to every request as r->server:
 * the storage pool, the work pool, the route table to dispatch by, and the
 * hooks through which that layer answers what http cannot know — how an
 * error looks on a page, and which paths no route matches are pages.  http
 * calls nothing above it but through these pointers.  There is no other
 * global state. */
#ifndef LUOSHI_HTTP_SERVER_H
#define LUOSHI_HTTP_SERVER_H

#include <stddef.h>

#include "db/db.h"

struct checkpoint_key;
struct login_limits;
struct req;
struct route;
struct work_pool;

struct server_config {
    struct db_pool *pool;
    const char *listen_host; /* "127.0.0.1" */
    int port;
    int threads;                 /* request threads, 2-4 */
    int secure_cookies;          /* add Secure to cookies (behind HTTPS) */
    struct login_limits *logins; /* failed-login counters (core/login.h) */
    struct work_pool *work;
    const struct route *routes; /* the route table, sorted (route.h) */
    size_t nroutes;
    /* Answer with an HTML error page for status and message (text, to be
     * escaped): how every error of a page route looks.  NULL: errors are
     * always JSON. */
    void (*error_page)(struct req *r, int status, const char *message);
    /* For a path no route matches (a 404, or a 405): 1 when its errors are
     * pages.  NULL: such errors are JSON. */
    int (*path_is_page)(const char *path);
    /* signs checkpoints (at issued notices, and the scheduler's); NULL:
     * the server has no key and takes none */
    const struct checkpoint_key *signer;
};

/* Serve until SIGTERM or SIGINT; then stop accepting, finish in-flight
 * requests and return 0.  Returns 1 when the server cannot start (message
 * on stderr). */
int server_run(struct server_config *cfg);

#endif
