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

struct addr_counts;
struct body_budget;
struct checkpoint_key;
struct req;
struct route;
struct work_pool;

struct server_config {
    struct db_pool *pool;
    const char *listen_host; /* "127.0.0.1" */
    int port;
    int threads;        /* request threads, 2-4 */
    int secure_cookies; /* add Secure to cookies (behind HTTPS) */
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
    /* The reverse proxies whose X-Forwarded-For / X-Real-IP name the client
     * (addresses as text; none: every client is its peer address). */
    const char *const *trusted_proxies;
    size_t ntrusted;
    int max_per_address; /* connections (or, behind a proxy, requests) per client */
    size_t body_budget;  /* bytes of request bodies in flight over all clients */
    /* The site's public base URL, no trailing slash (Open311 discovery): the
     * configured one, else http://listen_host:port.  Never the Host header. */
    const char *public_url;
    /* Set by server_run: the counts behind the limits above (limit.h). */
    struct addr_counts *peers, *forwarded;
    struct body_budget *bodies;
};

#define SERVER_MAX_PER_ADDRESS 128                /* the default of max_per_address */
#define SERVER_BODY_BUDGET     ((size_t)64 << 20) /* the default of body_budget */

/* 1 when address (text, as inet_ntop writes it) is one of cfg's trusted
 * proxies. */
int server_proxy_trusted(const struct server_config *cfg, const char *address);
/* The client's address for a request from peer (text) with headers xff
 * (X-Forwarded-For) and real_ip (X-Real-IP), each NULL when absent: peer
 * itself unless it is a trusted proxy; then the rightmost address of xff
 * that is not a trusted proxy (or real_ip without xff), when it is a valid
 * IPv4 or IPv6 address.  Written normalised into out (out_len at least
 * INET6_ADDRSTRLEN). */
void server_client_address(const struct server_config *cfg, const char *peer, const char *xff,
                           const char *real_ip, char *out, size_t out_len);

/* Serve until SIGTERM or SIGINT; then stop accepting, finish in-flight
 * requests and return 0.  Returns 1 when the server cannot start (message
 * on stderr). */
int server_run(struct server_config *cfg);

#endif
