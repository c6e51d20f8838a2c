/* misc.c — GET /healthz (core_db_alive) and the static assets compiled into
 * the binary. */
#include <string.h>

#include "api/api.h"
#include "http/req.h"
#include "util/embedded.h"

void api_healthz(struct req *r)
{
    if (!core_db_alive(req_db(r))) {
        req_reply_error(r, 503, "database_unavailable", NULL, "the database cannot be reached");
        return;
    }
    req_reply_json(r, 200, json_pack("{s:s}", "status", "ok"));
}

static const char *static_type(const char *name)
{
    const char *dot = strrchr(name, '.');
    if (!dot) return "application/octet-stream";
    if (!strcmp(dot, ".css")) return "text/css; charset=utf-8";
    if (!strcmp(dot, ".js")) return "text/javascript; charset=utf-8";
    if (!strcmp(dot, ".svg")) return "image/svg+xml";
    if (!strcmp(dot, ".png")) return "image/png";
    if (!strcmp(dot, ".ico")) return "image/x-icon";
    return "application/octet-stream";
}

void api_static(struct req *r)
{
    /* the route table lists each asset path, so r->path is one of ours */
    const char *name = arena_printf(r->arena, "assets/%s", strrchr(r->path, '/') + 1);
    const struct embedded_file *f = embedded_find(name);
    if (!f) {
        req_reply_error(r, 404, "not_found", NULL, "no such file");
        return;
    }
    buf_reset(&r->out);
    buf_append(&r->out, f->data, f->len);
    req_add_header(r, "Cache-Control", "public, max-age=3600");
    req_reply_body(r, 200, static_type(name));
}
