/* server.h — the web server: libmicrohttpd with its internal epoll thread pool.
 *
 * `struct app` is what the server needs, made once at start-up by `serve`
 * and handed to every request; there is no other global state but the login
 * throttle and the work pool it points to. */
#ifndef LUOSHI_HTTP_SERVER_H
#define LUOSHI_HTTP_SERVER_H

#include "db/db.h"

struct checkpoint_key;
struct throttle;
struct work_pool;

struct app {
    struct db_pool *pool;
    const char *listen_host; /* "127.0.0.1" */
    int port;
    int threads;                    /* request threads, 2-4 */
    int secure_cookies;             /* add Secure to cookies (behind HTTPS) */
    struct throttle *throttle_user; /* failed logins per user name */
    struct throttle *throttle_ip;   /* failed logins per client address */
    struct work_pool *work;
    /* signs checkpoints (at issued notices, and the scheduler's); NULL:
     * the server has no key and takes none */
    const struct checkpoint_key *signer;
};

/* Serve until SIGTERM or SIGINT; then stop accepting, finish in-flight
 * requests and return 0.  Returns 1 when the server cannot start (message
 * on stderr). */
int server_run(struct app *app);

#endif
