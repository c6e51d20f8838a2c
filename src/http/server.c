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
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "http/limit.h"
#include "http/req.h"
#include "http/route.h"
#include "http/work.h"
#include "util/embedded.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/time.h"

/* The policy of every response.  Its one inline allowance is the style
 * block of a notice's standalone HTML (src/notice/html.c puts
 * assets/notice.css inline so that a downloaded notice keeps its look),
 * allowed by that block's SHA-256 and nothing else. */
#define CSP_HEAD "default-src 'none'; script-src 'self'; style-src 'self'"
#define CSP_TAIL                                                                                   \
    "; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none';"      \
    " base-uri 'none'"

static char csp[512];
static pthread_once_t csp_once = PTHREAD_ONCE_INIT;

static void csp_build(void)
{
    const struct embedded_file *f = embedded_find("assets/notice.css");
    unsigned char h[crypto_hash_sha256_BYTES];
    char b64[sodium_base64_ENCODED_LEN(crypto_hash_sha256_BYTES, sodium_base64_VARIANT_ORIGINAL)];
    if (!f) {
        snprintf(csp, sizeof csp, "%s%s", CSP_HEAD, CSP_TAIL);
        return;
    }
    crypto_hash_sha256(h, f->data, f->len);
    sodium_bin2base64(b64, sizeof b64, h, sizeof h, sodium_base64_VARIANT_ORIGINAL);
    snprintf(csp, sizeof csp, "%s 'sha256-%s'%s", CSP_HEAD, b64, CSP_TAIL);
}

static const char *csp_header(void)
{
    pthread_once(&csp_once, csp_build);
    return csp;
}

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

int server_proxy_trusted(const struct server_config *cfg, const char *address)
{
    for (size_t i = 0; i < cfg->ntrusted; i++)
        if (!strcmp(cfg->trusted_proxies[i], address)) return 1;
    return 0;
}

/* s[0..n) as a normalised IPv4 or IPv6 address into out; 0, or -1 when it
 * is not one. */
static int address_norm(const char *s, size_t n, char *out, size_t out_len)
{
    char tmp[INET6_ADDRSTRLEN];
    unsigned char bin[sizeof(struct in6_addr)];
    while (n && (*s == ' ' || *s == '\t'))
        s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (!n || n >= sizeof tmp) return -1;
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    if (inet_pton(AF_INET, tmp, bin) == 1)
        return inet_ntop(AF_INET, bin, out, (socklen_t)out_len) ? 0 : -1;
    if (inet_pton(AF_INET6, tmp, bin) == 1)
        return inet_ntop(AF_INET6, bin, out, (socklen_t)out_len) ? 0 : -1;
    return -1;
}

void server_client_address(const struct server_config *cfg, const char *peer, const char *xff,
                           const char *real_ip, char *out, size_t out_len)
{
    snprintf(out, out_len, "%s", peer);
    if (!server_proxy_trusted(cfg, peer)) return;
    char a[INET6_ADDRSTRLEN];
    if (!xff) {
        if (real_ip && !address_norm(real_ip, strlen(real_ip), a, sizeof a))
            snprintf(out, out_len, "%s", a);
        return;
    }
    /* from the right: each proxy appends the address it was reached from */
    size_t end = strlen(xff);
    for (;;) {
        size_t start = end;
        while (start > 0 && xff[start - 1] != ',')
            start--;
        if (address_norm(xff + start, end - start, a, sizeof a)) return;
        snprintf(out, out_len, "%s", a);
        if (!server_proxy_trusted(cfg, a) || start == 0) return;
        end = start - 1;
    }
}

/* The text of a socket address ("?" when it is neither IPv4 nor IPv6). */
static void sockaddr_text(const struct sockaddr *sa, char out[INET6_ADDRSTRLEN])
{
    snprintf(out, INET6_ADDRSTRLEN, "?");
    if (sa && sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
                  INET6_ADDRSTRLEN);
    else if (sa && sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out,
                  INET6_ADDRSTRLEN);
}

static enum req_lang req_lang_of(struct MHD_Connection *c)
{
    const char *lang = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "lang");
    const char *cookie = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "lang");
    const char *accept = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept-Language");
    if (lang) return strcmp(lang, "en") == 0 ? LANG_EN : LANG_ZH;
    if (cookie) return strcmp(cookie, "en") == 0 ? LANG_EN : LANG_ZH;
    return accept && strncmp(accept, "en", 2) == 0 ? LANG_EN : LANG_ZH;
}

static struct req *req_new(struct server_config *cfg, struct MHD_Connection *c, const char *url,
                           const char *method, const char *version)
{
    struct arena *a = arena_new();
    struct req *r = arena_alloc(a, sizeof *r);
    r->arena = a;
    r->server = cfg;
    r->conn = c;
    r->method = arena_strdup(a, method);
    r->path = arena_strdup(a, url);
    r->http11 = version && strcmp(version, "HTTP/1.0") != 0;
    r->started_ms = time_now_ms();
    buf_init(&r->body, route_body_limit(cfg->routes, cfg->nroutes, method, url));
    buf_init(&r->out, REQ_OUT_MAX);
    r->out_fd = -1;
    static const struct actor anonymous = {0, "anonymous", 0, 0};
    r->actor = &anonymous;
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    char peer[INET6_ADDRSTRLEN], client[INET6_ADDRSTRLEN];
    sockaddr_text(ci ? ci->client_addr : NULL, peer);
    server_client_address(
        cfg, peer, MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-For"),
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Real-IP"), client, sizeof client);
    r->peer = arena_strdup(a, peer);
    r->remote = arena_strdup(a, client);
    r->lang = req_lang_of(c);
    return r;
}

static void req_free(struct req *r)
{
    if (r->reserved) body_budget_give(r->server->bodies, r->reserved);
    if (r->forwarded) addr_counts_give(r->server->forwarded, r->remote);
    json_decref(r->json);
    if (r->out_fd >= 0) close(r->out_fd);
    buf_free(&r->body);
    buf_free(&r->out);
    arena_free(r->arena);
}

static enum MHD_Result req_queue(struct req *r)
{
    struct MHD_Response *resp;
    if (r->out_fd >= 0) { /* a file (req_reply_file): libmicrohttpd closes it */
        resp = MHD_create_response_from_fd64(r->out_fd_size, r->out_fd);
        if (resp) r->out_fd = -1;
    } else {
        resp = MHD_create_response_from_buffer(r->out.len, r->out.data ? r->out.data : (void *)"",
                                               MHD_RESPMEM_MUST_COPY);
    }
    if (!resp) return MHD_NO;
    MHD_add_response_header(resp, "Content-Type",
                            r->content_type ? r->content_type : "text/plain; charset=utf-8");
    MHD_add_response_header(resp, "Content-Security-Policy", csp_header());
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

/* A busy server's answer: 503 with Retry-After. */
static void req_busy(struct req *r, const char *code, const char *message)
{
    req_add_header(r, "Retry-After", "5");
    req_reply_error(r, 503, code, NULL, "%s", message);
}

/* Behind a trusted proxy, each forwarded address may have max_per_address
 * requests in flight (a direct client's connections are counted at
 * accept).  0, or -1 with the 503 set. */
static int req_admit(struct req *r)
{
    if (!strcmp(r->peer, r->remote)) return 0;
    if (addr_counts_take(r->server->forwarded, r->remote)) {
        r->forwarded = 1;
        return 0;
    }
    req_busy(r, "too_many_connections", "too many requests from your address at once");
    return -1;
}

/* Reserve n more bytes of the body budget.  0, or -1 when they do not fit. */
static int req_reserve(struct req *r, size_t n)
{
    if (!body_budget_take(r->server->bodies, n)) return -1;
    r->reserved += n;
    return 0;
}

/* At the headers of a request with a body: everything that can refuse it
 * before a byte of it is kept (route_precheck), then its room in the budget
 * (a declared length at once; a chunked body as it comes).  0 to read the
 * body; REQ_EARLY to answer now, unread (a client that asked with Expect:
 * 100-continue has sent nothing and gets no 100 Continue; a body the budget
 * has no room for is never read); REQ_DRAIN to answer once the body is in,
 * thrown away as it comes (a client that sends its body at once can read the
 * answer then; nothing of it is kept). */
enum { REQ_EARLY = 1, REQ_DRAIN = 2 };
static int req_before_body(struct req *r)
{
    if (route_precheck(r)) {
        const char *expect = req_header(r, "Expect");
        return expect && !strcasecmp(expect, "100-continue") ? REQ_EARLY : REQ_DRAIN;
    }
    if (r->content_length > 0 && req_reserve(r, (size_t)r->content_length)) {
        req_busy(r, "server_busy", "the server is receiving too many bodies now; try again");
        return REQ_EARLY;
    }
    return 0;
}

static void req_body_chunk(struct req *r, const char *data, size_t n)
{
    if (r->body_too_large || r->over_budget || r->draining) return;
    if (r->body.len + n > r->body.max) {
        r->body_too_large = 1;
        buf_free(&r->body);
        return;
    }
    /* a body without a declared length is reserved as it arrives */
    if (r->content_length <= 0 && req_reserve(r, n)) {
        r->over_budget = 1;
        buf_free(&r->body);
        return;
    }
    if (buf_append(&r->body, data, n)) {
        r->body_too_large = 1;
        buf_free(&r->body);
    }
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls)
{
    struct req *r = *con_cls;
    if (!r) {
        atomic_fetch_add(&in_flight, 1);
        *con_cls = r = req_new(cls, c, url, method, version);
        req_content_length(r);
        if (req_admit(r)) return req_queue(r);
        int early =
            r->content_length > 0 || req_header(r, "Transfer-Encoding") ? req_before_body(r) : 0;
        if (early == REQ_DRAIN) {
            r->draining = 1;
            buf_free(&r->body);
        }
        return early == REQ_EARLY ? req_queue(r) : MHD_YES;
    }
    if (*upload_size) {
        req_body_chunk(r, upload, *upload_size);
        *upload_size = 0;
        return MHD_YES;
    }
    db_stamps_hold(1);
    if (r->suspended) {
        r->suspended = 0;
        r->resume(r);
    } else if (r->draining) {
        /* the answer was set at the headers */
    } else if (r->over_budget) {
        req_busy(r, "server_busy", "the server is receiving too many bodies now; try again");
    } else {
        route_dispatch(r);
    }
    db_stamps_hold(0);
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

/* A direct client may hold max_per_address connections; a trusted proxy
 * any number (its clients are counted per forwarded address). */
static enum MHD_Result on_accept(void *cls, const struct sockaddr *addr, socklen_t addrlen)
{
    (void)addrlen;
    struct server_config *cfg = cls;
    char a[INET6_ADDRSTRLEN];
    sockaddr_text(addr, a);
    if (server_proxy_trusted(cfg, a)) return MHD_YES;
    return addr_counts_get(cfg->peers, a) < cfg->max_per_address ? MHD_YES : MHD_NO;
}

static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                          enum MHD_ConnectionNotificationCode toe)
{
    struct server_config *cfg = cls;
    if (toe == MHD_CONNECTION_NOTIFY_CLOSED) {
        if (*socket_context) addr_counts_give(cfg->peers, *socket_context);
        free(*socket_context);
        *socket_context = NULL;
        return;
    }
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    char a[INET6_ADDRSTRLEN];
    sockaddr_text(ci ? ci->client_addr : NULL, a);
    *socket_context = NULL;
    if (!server_proxy_trusted(cfg, a) && addr_counts_take(cfg->peers, a))
        *socket_context = xstrdup(a);
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
        flags, (uint16_t)cfg->port, on_accept, cfg, on_request, cfg, MHD_OPTION_SOCK_ADDR, &sa,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)cfg->threads, MHD_OPTION_CONNECTION_LIMIT,
        (unsigned)1000, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)64 * 1024, MHD_OPTION_LISTENING_ADDRESS_REUSE,
        (unsigned)1, MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL, MHD_OPTION_NOTIFY_CONNECTION,
        on_connection, cfg, MHD_OPTION_UNESCAPE_CALLBACK, on_unescape, NULL, MHD_OPTION_END);
}

static void server_limits_free(struct server_config *cfg)
{
    addr_counts_free(cfg->peers);
    addr_counts_free(cfg->forwarded);
    body_budget_free(cfg->bodies);
    cfg->peers = cfg->forwarded = NULL;
    cfg->bodies = NULL;
}

int server_run(struct server_config *cfg)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    if (cfg->max_per_address < 1) cfg->max_per_address = SERVER_MAX_PER_ADDRESS;
    if (!cfg->body_budget) cfg->body_budget = SERVER_BODY_BUDGET;
    cfg->peers = addr_counts_new(cfg->max_per_address);
    cfg->forwarded = addr_counts_new(cfg->max_per_address);
    cfg->bodies = body_budget_new(cfg->body_budget);
    struct MHD_Daemon *d = server_start(cfg);
    if (!d) {
        server_limits_free(cfg);
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
    server_limits_free(cfg);
    log_info("stopped");
    return 0;
}
