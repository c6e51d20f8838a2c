/* server.c — libmicrohttpd glue: the access handler, response queueing with
 * the security headers, suspension for deferred work, the access log, and a
 * graceful stop on SIGTERM.
 *
 * The access handler is called at least twice per request: first with the
 * headers (we set up the struct req and return, never queueing yet — queueing
 * on the first call would cost keep-alive), then with body chunks, then once
 * with no data, when we dispatch.  A handler that deferred work leaves the
 * connection suspended; when the work is done the connection is resumed and
 * the access handler is called once more, and we run the continuation. */
#include "http/server.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "http/req.h"
#include "http/route.h"
#include "http/work.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/time.h"

#define CSP                                                                                        \
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"               \
    " connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

static atomic_int in_flight;

static int hexdigit(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}
static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

static struct req *req_new(struct server_config *cfg, struct MHD_Connection *c, const char *url,
                           const char *method)
{
    struct arena *a = arena_new();
    struct req *r = arena_alloc(a, sizeof *r);
    r->arena = a;
    r->server = cfg;
    r->conn = c;
    r->method = arena_strdup(a, method);
    r->path = arena_strdup(a, url);
    r->started_ms = time_now_ms();
    buf_init(&r->body, route_body_limit(cfg->routes, cfg->nroutes, method, url));
    buf_init(&r->out, REQ_OUT_MAX);
    static const struct actor anonymous = {0, "anonymous", 0, 0};
    r->actor = &anonymous;
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    char addr[INET6_ADDRSTRLEN] = "?";
    if (ci && ci->client_addr) {
        const struct sockaddr *sa = ci->client_addr;
        if (sa->sa_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, addr, sizeof addr);
        else if (sa->sa_family == AF_INET6)
            inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, addr, sizeof addr);
    }
    r->remote = arena_strdup(a, addr);
    const char *lang = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "lang");
    const char *cookie = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "lang");
    const char *accept = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept-Language");
    if (lang)
        r->lang = strcmp(lang, "en") == 0 ? LANG_EN : LANG_ZH;
    else if (cookie)
        r->lang = strcmp(cookie, "en") == 0 ? LANG_EN : LANG_ZH;
    else
        r->lang = accept && strncmp(accept, "en", 2) == 0 ? LANG_EN : LANG_ZH;
    return r;
}

static void req_free(struct req *r)
{
    json_decref(r->json);
    buf_free(&r->body);
    buf_free(&r->out);
    arena_free(r->arena);
}

static enum MHD_Result req_queue(struct req *r)
{
    struct MHD_Response *resp = MHD_create_response_from_buffer(
        r->out.len, r->out.data ? r->out.data : (void *)"", MHD_RESPMEM_MUST_COPY);
    if (!resp) return MHD_NO;
    MHD_add_response_header(resp, "Content-Type",
                            r->content_type ? r->content_type : "text/plain; charset=utf-8");
    MHD_add_response_header(resp, "Content-Security-Policy", CSP);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    int has_cache = 0;
    for (int i = 0; i < r->nheaders; i++) {
        MHD_add_response_header(resp, r->headers[i][0], r->headers[i][1]);
        if (strcasecmp(r->headers[i][0], "Cache-Control") == 0) has_cache = 1;
    }
    if (!has_cache) MHD_add_response_header(resp, "Cache-Control", "no-store");
    if (!r->status) r->status = 500;
    enum MHD_Result ok = MHD_queue_response(r->conn, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    return ok;
}

static void req_content_length(struct req *r)
{
    const char *cl = req_header(r, "Content-Length");
    if (cl && strlen(cl) < 19) r->content_length = strtoll(cl, NULL, 10);
    if (r->content_length > (int64_t)r->body.max) r->body_too_large = 1;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls)
{
    (void)version;
    struct req *r = *con_cls;
    if (!r) {
        atomic_fetch_add(&in_flight, 1);
        *con_cls = r = req_new(cls, c, url, method);
        req_content_length(r);
        return MHD_YES;
    }
    if (*upload_size) {
        if (!r->body_too_large && buf_append(&r->body, upload, *upload_size)) {
            r->body_too_large = 1;
            buf_free(&r->body);
        }
        *upload_size = 0;
        return MHD_YES;
    }
    if (r->suspended) {
        r->suspended = 0;
        r->resume(r);
    } else {
        route_dispatch(r);
    }
    if (r->suspended) return MHD_YES;
    return req_queue(r);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls, (void)c;
    struct req *r = *con_cls;
    if (!r) return;
    log_info("%s %s %s %d %zu %lldms %s%s", r->remote, r->method, r->path, r->status, r->out.len,
             (long long)(time_now_ms() - r->started_ms), r->authed ? r->session.username : "-",
             toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " (aborted)");
    req_free(r);
    *con_cls = NULL;
    atomic_fetch_sub(&in_flight, 1);
}

/* Percent-decoding of paths and query arguments, as MHD's own but leaving "%00"
 * as it is: a NUL would cut the string short where our code reads it, so that
 * "/static/style.css%00.js" could pass for "/static/style.css". */
static size_t on_unescape(void *cls, struct MHD_Connection *c, char *s)
{
    (void)cls, (void)c;
    char *r = s, *w = s;
    while (*r) {
        int h, l;
        if (r[0] == '%' && (h = hexdigit(r[1])) >= 0 && (l = hexdigit(r[2])) >= 0 && (h | l)) {
            *w++ = (char)(h * 16 + l);
            r += 3;
        } else {
            *w++ = *r++;
        }
    }
    *w = '\0';
    return (size_t)(w - s);
}

static void on_panic(void *cls, const char *file, unsigned int line, const char *reason)
{
    (void)cls;
    log_error("libmicrohttpd panic at %s:%u: %s", file ? file : "?", line, reason ? reason : "?");
    abort();
}

static struct MHD_Daemon *server_start(struct server_config *cfg)
{
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)cfg->port);
    if (inet_pton(AF_INET, cfg->listen_host, &sa.sin_addr) != 1) {
        fprintf(stderr, "luoshi: cannot listen on '%s': not an IPv4 address\n", cfg->listen_host);
        return NULL;
    }
    MHD_set_panic_func(on_panic, NULL);
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME |
                     MHD_USE_ERROR_LOG;
    return MHD_start_daemon(
        flags, (uint16_t)cfg->port, NULL, NULL, on_request, cfg, MHD_OPTION_SOCK_ADDR, &sa,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)cfg->threads, MHD_OPTION_CONNECTION_LIMIT,
        (unsigned)1000, MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)256,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (size_t)64 * 1024, MHD_OPTION_LISTENING_ADDRESS_REUSE, (unsigned)1,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL, MHD_OPTION_UNESCAPE_CALLBACK, on_unescape,
        NULL, MHD_OPTION_END);
}

int server_run(struct server_config *cfg)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    struct MHD_Daemon *d = server_start(cfg);
    if (!d) {
        fprintf(stderr, "luoshi: cannot start the server on %s:%d (is the port in use?)\n",
                cfg->listen_host, cfg->port);
        return 1;
    }
    log_info("luoshi serving on http://%s:%d/ with %d threads", cfg->listen_host, cfg->port,
             cfg->threads);
    while (!stop_requested)
        usleep(100 * 1000);
    log_info("stopping: no new connections; finishing %d in-flight requests",
             atomic_load(&in_flight));
    MHD_quiesce_daemon(d);
    for (int i = 0; i < 300 && atomic_load(&in_flight) > 0; i++)
        usleep(100 * 1000);
    MHD_stop_daemon(d);
    log_info("stopped");
    return 0;
}
