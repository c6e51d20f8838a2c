/* app.h — the application layer: what ties api/ and web/ to the server.
 *
 * http/ is a library that knows no handler; this layer gives it the route
 * table (routes.c), the pages' error page and the rule for which unmatched
 * paths are pages (the hooks of http/server.h), and starts everything `luoshi
 * serve` runs (serve.c).  Nothing below includes this header. */
#ifndef LUOSHI_APP_APP_H
#define LUOSHI_APP_APP_H

#include <jansson.h>
#include <stddef.h>

#include "http/route.h"

struct checkpoint_key;

/* Every route the server answers, sorted by pattern, then method. */
extern const struct route app_routes[];
extern const size_t app_routes_count;

/* For a path no route matches: 1 when it is a page (its errors are HTML),
 * 0 under /api/ and /open311/ and for /healthz. */
int app_path_is_page(const char *path);

/* openapi.c: the per-route part of the OpenAPI document (src/app/openapi.json,
 * embedded) as JSON, owned by the caller; NULL when it cannot be read. */
json_t *app_openapi_table(void);
/* 1 when the route belongs in the OpenAPI document: not a page, not a
 * static file. */
int app_openapi_documented(const struct route *rt);
/* The OpenAPI 3.1 document: the routes the table documents, their schemas
 * from app_openapi_table().  Owned by the caller; NULL when the table cannot
 * be read. */
json_t *app_openapi(void);
/* GET /api/v1/openapi.json: app_openapi(), no login needed. */
void app_openapi_get(struct req *r);

/* What `luoshi serve` was asked for. */
struct app_options {
    const char *target;      /* the database (already migrated) */
    const char *listen_host; /* an IPv4 address */
    int port;
    int threads;        /* request threads, 1-64 */
    int secure_cookies; /* add Secure to cookies (behind HTTPS) */
    /* signs checkpoints (at issued notices, and the scheduler's); NULL:
     * the server has no key and takes none */
    const struct checkpoint_key *signer;
    const char *const *trusted_proxies; /* normalised addresses; see http/server.h */
    size_t ntrusted;
    int max_per_address;    /* 0: the default */
    size_t body_budget;     /* bytes; 0: the default */
    const char *public_url; /* NULL: http://listen_host:port */
    /* from how long a computation on a dashboard card is computed again away
     * from the view, which shows the last one (ms; -1: the default) */
    int64_t card_wait_ms;
};

/* Open the storage pool and the work pool, start the
 * scheduler and serve until SIGTERM or SIGINT; then stop everything.
 * Returns 0 after a clean stop, 1 when something cannot start (message on
 * stderr). */
int app_serve(const struct app_options *o);

#endif
