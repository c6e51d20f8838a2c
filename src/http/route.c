/* route.c — matching paths and enforcing the route table.  See route.h.
 * The table is the server's config's (app/routes.c gives it); this file is
 * the one dispatcher. */
#include "http/route.h"

#include <microhttpd.h>
#include <stdio.h>
#include <string.h>

#include "http/body.h"
#include "http/req.h"
#include "http/multipart.h"
#include "http/server.h"
#include "util/str.h"
#include "util/utf8.h"

#define JSON_MAX_DEPTH  32
#define FORM_MAX_FIELDS 256

int route_match(const char *pattern, const char *path, int64_t *params, int *nparams)
{
    *nparams = 0;
    const char *p = pattern, *s = path;
    while (*p && *s) {
        if (p[0] == '*' && p[1] == '\0') return 1; /* a trailing * matches any rest */
        if (strncmp(p, "{id}", 4) == 0) {
            const char *end = s;
            while (*end >= '0' && *end <= '9')
                end++;
            int64_t v;
            if (end == s || *s == '0' || *nparams == 4 || str_to_int64(s, (size_t)(end - s), &v))
                return 0;
            params[(*nparams)++] = v;
            p += 4, s = end;
            continue;
        }
        if (*p != *s) return 0;
        p++, s++;
    }
    return *p == '\0' && *s == '\0';
}

int route_compare(const struct route *a, const struct route *b)
{
    int c = strcmp(a->pattern, b->pattern);
    return c ? c : strcmp(a->method, b->method);
}

size_t route_body_limit(const struct route *table, size_t n, const char *method, const char *path)
{
    int64_t params[4];
    int np;
    for (size_t i = 0; i < n; i++)
        if ((table[i].flags & (ROUTE_UPLOAD | ROUTE_MULTIPART | ROUTE_DOCUMENT | ROUTE_FILE)) &&
            !strcmp(table[i].method, method) && route_match(table[i].pattern, path, params, &np))
            return table[i].flags & ROUTE_MULTIPART ? ROUTE_MAX_FORM
                   : table[i].flags & ROUTE_FILE    ? ROUTE_MAX_FILE
                                                    : ROUTE_MAX_UPLOAD;
    return ROUTE_MAX_JSON;
}

static void reply_not_found(struct req *r)
{
    struct err e = {0};
    err_set(&e, 404, "not_found", "no such path: %s", r->path);
    err_detail(&e, "path");
    req_reply_err(r, &e);
}

/* The methods path allows, for the Allow header of a 405 ("GET, HEAD, POST"). */
static const char *route_allow(struct req *r)
{
    const struct server_config *cfg = r->server;
    char *allow = "";
    int64_t params[4];
    int np;
    for (size_t i = 0; i < cfg->nroutes; i++) {
        const struct route *rt = &cfg->routes[i];
        if (!route_match(rt->pattern, r->path, params, &np)) continue;
        allow = arena_printf(r->arena, "%s%s%s%s", allow, *allow ? ", " : "", rt->method,
                             strcmp(rt->method, "GET") ? "" : ", HEAD");
    }
    return allow;
}

/* Find the route; 404 or 405 when there is none. */
static const struct route *route_find(struct req *r)
{
    int path_known = 0;
    const struct server_config *cfg = r->server;
    for (size_t i = 0; i < cfg->nroutes; i++) {
        const struct route *rt = &cfg->routes[i];
        if (!route_match(rt->pattern, r->path, r->params, &r->nparams)) continue;
        path_known = 1;
        if (strcmp(rt->method, r->method) == 0 ||
            (strcmp(r->method, "HEAD") == 0 && strcmp(rt->method, "GET") == 0))
            return rt;
    }
    if (path_known) {
        req_add_header(r, "Allow", route_allow(r));
        req_reply_error(r, 405, "method_not_allowed", NULL, "%s is not allowed on %s", r->method,
                        r->path);
    } else {
        reply_not_found(r);
    }
    return NULL;
}

/* The request line and Host: UTF-8 (what no route could use), and a Host on
 * HTTP/1.1 as RFC 9112 requires.  0, or -1 after a 400. */
static int route_check_line(struct req *r)
{
    const char *host = req_header(r, "Host");
    size_t bad;
    if (!utf8_validate(r->path, strlen(r->path), &bad)) { /* the words do not echo it */
        req_reply_error(r, 400, "invalid_utf8", NULL, "the path is not valid UTF-8 at byte %zu",
                        bad);
        return -1;
    }
    if (host && !utf8_validate(host, strlen(host), &bad)) {
        req_reply_error(r, 400, "invalid_utf8", NULL, "the Host header is not valid UTF-8");
        return -1;
    }
    if (r->http11 && (!host || !*host)) {
        req_reply_error(r, 400, "missing_host", NULL, "an HTTP/1.1 request must send Host");
        return -1;
    }
    return 0;
}

static enum MHD_Result check_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                 const char *value)
{
    (void)kind;
    int *bad = cls;
    if (!utf8_validate(key, strlen(key), NULL) ||
        (value && !utf8_validate(value, strlen(value), NULL)))
        *bad = 1;
    return MHD_YES;
}

/* Look for a session: a bearer token first, then the session cookie.
 * Returns 0, or -1 after replying (bad token, database down). */
static int route_authenticate(struct req *r)
{
    const char *auth = req_header(r, "Authorization");
    const char *token = NULL;
    int bearer = 0;
    if (auth && strncasecmp(auth, "Bearer ", 7) == 0)
        token = auth + 7, bearer = 1;
    else
        token = req_cookie(r, "luoshi_session");
    if (!token) return 0;
    struct db *db = req_db(r);
    if (!db) {
        req_reply_error(r, 503, "database_unavailable", NULL, "the database cannot be reached");
        return -1;
    }
    int rc = session_lookup(db, token, &r->session);
    if (rc < 0) {
        req_reply_error(r, 503, "database_unavailable", NULL, "the database cannot be reached");
        return -1;
    }
    if (rc == 0) {
        if (bearer) {
            req_reply_error(r, 401, "invalid_token", NULL,
                            "the bearer token is unknown, expired or revoked");
            return -1;
        }
        return 0; /* a stale cookie is just no login */
    }
    if (bearer && !r->session.is_api) {
        req_reply_error(r, 401, "invalid_token", NULL, "a web session cannot be used as a token");
        return -1;
    }
    if (!bearer && r->session.is_api) return 0;
    r->authed = 1;
    r->actor = &r->session.actor;
    snprintf(r->token, sizeof r->token, "%s", token);
    return 0;
}

static int route_parse_json(struct req *r)
{
    if (json_depth(r->body.data ? r->body.data : "", r->body.len) > JSON_MAX_DEPTH) {
        req_reply_error(r, 400, "invalid_json", NULL, "JSON nested deeper than %d levels",
                        JSON_MAX_DEPTH);
        return -1;
    }
    size_t bad;
    if (!utf8_validate(r->body.data ? r->body.data : "", r->body.len, &bad)) {
        req_reply_error(r, 400, "invalid_utf8", NULL, "the body is not valid UTF-8 at byte %zu",
                        bad);
        return -1;
    }
    json_error_t je;
    r->json =
        json_loadb(r->body.data ? r->body.data : "", r->body.len, JSON_REJECT_DUPLICATES, &je);
    if (!r->json) {
        req_reply_error(r, 400, "invalid_json", NULL, "malformed JSON at line %d column %d: %s",
                        je.line, je.column, je.text);
        return -1;
    }
    return 0;
}

static int route_parse_form(struct req *r)
{
    if (form_parse(r->arena, r->body.data ? r->body.data : "", r->body.len, &r->form, &r->nform,
                   FORM_MAX_FIELDS) == 0)
        return 0;
    req_reply_error(r, 400, "invalid_form", NULL,
                    "the form body is malformed, not UTF-8, or has too many fields");
    return -1;
}

static int content_type_is(struct req *r, const char *want)
{
    const char *ct = req_header(r, "Content-Type");
    size_t n = strlen(want);
    return ct && strncasecmp(ct, want, n) == 0 && (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

static int route_parse_multipart(struct req *r)
{
    if (!multipart_parse(r, req_header(r, "Content-Type"))) return 0;
    req_reply_error(r, 400, "invalid_form", NULL,
                    "send the form as multipart/form-data with a boundary");
    return -1;
}

/* A document route's body: JSON held to its own limit, a multipart form, or
 * one raw document of a type it names. */
static int route_check_document(struct req *r)
{
    static const char *const raw[] = {
        "text/plain", "application/pdf", "application/octet-stream",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"};
    if (content_type_is(r, "application/json")) {
        if (r->body.len <= ROUTE_MAX_JSON) return route_parse_json(r);
        req_reply_error(r, 413, "body_too_large", NULL, "the JSON body is larger than %d bytes",
                        ROUTE_MAX_JSON);
        return -1;
    }
    if (content_type_is(r, "multipart/form-data")) return route_parse_multipart(r);
    for (size_t i = 0; i < sizeof raw / sizeof raw[0]; i++)
        if (content_type_is(r, raw[i])) return 0;
    req_reply_error(r, 415, "unsupported_media_type", NULL,
                    "send JSON {\"text\"}, a multipart/form-data form with the file, or the file "
                    "itself as text/plain, application/pdf, application/octet-stream or a .docx's "
                    "type");
    return -1;
}

/* What a POST's headers say of its body: its declared size and its type.
 * 0, or -1 after a 413 or 415. */
static int route_check_type(struct req *r, const struct route *rt)
{
    if (r->body_too_large) {
        req_reply_error(r, 413, "body_too_large", NULL, "the body is larger than %zu bytes",
                        r->body.max);
        return -1;
    }
    const char *want = NULL, *what = NULL;
    if (rt->flags & ROUTE_UPLOAD) {
        if (content_type_is(r, "image/jpeg") || content_type_is(r, "image/png")) return 0;
        what = "send the photo as image/jpeg or image/png";
    } else if (rt->flags & (ROUTE_MULTIPART | ROUTE_FILE)) {
        return 0; /* urlencoded, or multipart with a boundary: the parse says; a file: its handler
                   */
    } else if (rt->flags & ROUTE_DOCUMENT) {
        return 0; /* JSON, multipart or a raw file: route_check_document says */
    } else if (rt->flags & ROUTE_JSON) {
        want = "application/json", what = "send the body as application/json";
    } else if (rt->flags & ROUTE_FORM) {
        want = "application/x-www-form-urlencoded";
        what = "send the form as application/x-www-form-urlencoded";
    }
    if (!what || (want && content_type_is(r, want))) return 0;
    req_reply_error(r, 415, "unsupported_media_type", NULL, "%s", what);
    return -1;
}

/* Body checks for POST once it is in: size, type, syntax. */
static int route_check_body(struct req *r, const struct route *rt)
{
    if (route_check_type(r, rt)) return -1;
    if (rt->flags & (ROUTE_UPLOAD | ROUTE_FILE)) return 0;
    if (rt->flags & ROUTE_MULTIPART) {
        if (content_type_is(r, "application/x-www-form-urlencoded")) return route_parse_form(r);
        return route_parse_multipart(r);
    }
    if (rt->flags & ROUTE_DOCUMENT) return route_check_document(r);
    if (rt->flags & ROUTE_JSON) return route_parse_json(r);
    if (rt->flags & ROUTE_FORM) return route_parse_form(r);
    return 0;
}

static int route_check_csrf(struct req *r, const struct route *rt)
{
    if (!r->authed || r->session.is_api || strcmp(r->method, "POST") != 0 ||
        (rt->flags & ROUTE_NO_CSRF))
        return 0;
    const char *t = req_form(r, "csrf");
    if (!t) t = req_header(r, "X-CSRF-Token");
    if (t && str_secret_eq(t, r->session.csrf)) return 0;
    req_reply_error(r, 403, "csrf_failed", NULL,
                    "the form's CSRF token is missing or wrong; reload the page and try again");
    return -1;
}

int route_precheck(struct req *r)
{
    r->prechecked = 1;
    if (route_check_line(r)) return -1;
    const struct route *rt = route_find(r);
    if (!rt) return -1;
    r->route = rt;
    int bad = 0;
    MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, check_arg, &bad);
    if (bad) {
        req_reply_error(r, 400, "invalid_utf8", NULL, "the query string is not valid UTF-8");
        return -1;
    }
    if (route_authenticate(r)) return -1;
    if (rt->roles && !r->authed) {
        if (rt->flags & ROUTE_PAGE) {
            req_redirect(r, arena_printf(r->arena, "/login?next=%s", r->path));
            return -1;
        }
        req_reply_error(r, 401, "unauthorized", NULL, "log in first: POST /api/v1/session");
        return -1;
    }
    if (rt->roles && !(r->actor->roles & rt->roles)) {
        req_reply_error(r, 403, "forbidden", NULL, "your role may not use %s %s", rt->method,
                        rt->pattern);
        return -1;
    }
    if (strcmp(r->method, "POST") == 0 && route_check_type(r, rt)) return -1;
    return 0;
}

void route_dispatch(struct req *r)
{
    if (!r->prechecked && route_precheck(r)) return;
    const struct route *rt = r->route;
    if (strcmp(r->method, "POST") == 0 && route_check_body(r, rt)) return;
    if (route_check_csrf(r, rt)) return;
    rt->handler(r);
}
