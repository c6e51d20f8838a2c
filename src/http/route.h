/* route.h — the route table's rows and the dispatcher that enforces them.
 *
 * The table itself belongs to the layer above (app/routes.c: it names the
 * handlers of api/ and web/); the server is given it in its config
 * (server.h) and this dispatcher only reads it.
 *
 * Each route is one row: method, path pattern ({id} matches a positive
 * integer; a final * matches any non-empty rest, for sub-dispatchers), handler, the roles that may
 * call it (0 = anyone, even without a login), flags, and a line of documentation.  The dispatcher
 * checks, in order: the path and method (404/405), the query's UTF-8 (400), the login (401, or a
 * redirect to /login for pages), the role (403), the body size (413), the content type (415), the
 * body's syntax (400) and, for sessions carried by a cookie, the CSRF token of every POST (403).
 * Only then does the handler run. */
#ifndef LUOSHI_HTTP_ROUTE_H
#define LUOSHI_HTTP_ROUTE_H

#include <stddef.h>
#include <stdint.h>

struct req;

enum {
    ROUTE_JSON = 1,       /* POST body is JSON (application/json) */
    ROUTE_FORM = 2,       /* POST body is a urlencoded form */
    ROUTE_PAGE = 4,       /* answers HTML: a missing login redirects to /login */
    ROUTE_NO_CSRF = 8,    /* the login form: there is no session yet to carry a token */
    ROUTE_UPLOAD = 16,    /* POST body is one raw image/jpeg or image/png (ROUTE_MAX_UPLOAD) */
    ROUTE_MULTIPART = 32, /* POST body is multipart/form-data with files (ROUTE_MAX_FORM) */
    ROUTE_DOCUMENT = 64,  /* POST body is JSON (ROUTE_MAX_JSON), multipart/form-data, or one raw
                           * document: text/plain, application/pdf, a .docx's type or
                           * application/octet-stream (ROUTE_MAX_UPLOAD); r->json, r->form and
                           * r->files, or r->body as it came */
    ROUTE_FILE = 128,     /* POST body is one raw file of any type (ROUTE_MAX_FILE), in r->body:
                           * the handler judges it (an attachment) */
};

struct route {
    const char *method;
    const char *pattern;
    void (*handler)(struct req *r);
    unsigned roles; /* ROLE_* bits any of which may call it; 0 = public */
    unsigned flags;
    const char *doc;
};

#define ROUTE_MAX_JSON   (1024 * 1024)
#define ROUTE_MAX_UPLOAD (6 * 1024 * 1024)
/* A page's form with files: up to four photos of 5 MB (a hazard's
 * after-photos), or one photo chosen anew beside one kept from a refused
 * post as base64 (the reporting page), with the rest of the form. */
#define ROUTE_MAX_FORM (24 * 1024 * 1024)
/* A raw file: the most the setting attachment.max_bytes may allow
 * (core/attachment.h's ATTACHMENT_MAX_CAP); the handler holds it to the
 * setting. */
#define ROUTE_MAX_FILE (64 * 1024 * 1024)

/* The largest body the route of table[0..n) for method and path accepts:
 * ROUTE_MAX_UPLOAD for ROUTE_UPLOAD and ROUTE_DOCUMENT routes (the
 * dispatcher still holds a JSON body of a document route to ROUTE_MAX_JSON),
 * ROUTE_MAX_FORM for ROUTE_MULTIPART ones, ROUTE_MAX_FILE for ROUTE_FILE ones, else ROUTE_MAX_JSON
 * (also when no route matches). */
size_t route_body_limit(const struct route *table, size_t n, const char *method, const char *path);

/* What can be checked before a body is read: the request line and Host
 * (400: HTTP/1.1 without Host, a path or Host that is not UTF-8), the route
 * (404, 405 with Allow), the query's UTF-8 (400), the login (401 or the
 * redirect), the role (403), a declared body over the route's limit (413)
 * and the content type (415).  0 to go on (r->route set), or -1 with the
 * answer set.  The server runs it as soon as the headers are in for a
 * request with a body, so a refused body is never read (and no 100
 * Continue is sent for it). */
int route_precheck(struct req *r);
/* Find the route for method and path in the server's table (filling
 * r->params and r->route), check everything the table says (route_precheck
 * unless it ran, then the body and CSRF), and run the handler.  Always
 * leaves a response set or the request suspended. */
void route_dispatch(struct req *r);
/* Match path against pattern; 1 on a match with ids written to params (at
 * most 4), else 0. */
int route_match(const char *pattern, const char *path, int64_t *params, int *nparams);
/* Compare two routes for the table order (pattern, then method). */
int route_compare(const struct route *a, const struct route *b);

#endif
