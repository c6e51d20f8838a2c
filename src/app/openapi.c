/* openapi.c — GET /api/v1/openapi.json: the OpenAPI 3.1 document of the
 * JSON API and Open311, generated from the route table (routes.c) and the
 * per-route part kept beside it in src/app/openapi.json (embedded).
 *
 * The table gives each operation its path, method, summary (the route's
 * doc), its security (a route open to no role is public), its path
 * parameters ({id} an integer) and its kind of body; openapi.json gives the
 * answers' schemas by status, the JSON bodies' schemas, the query
 * parameters, and for Open311's wildcard routes the paths in full.  Pages
 * and static files are not in the document (their answers are HTML, CSS and
 * scripts).  Every error answer is the Error schema (Open311's own array on
 * its paths).  tests/unit/app/openapi_test.c holds openapi.json's keys to the
 * table both ways; the e2e suites check every JSON answer against it. */
#include <ctype.h>
#include <jansson.h>
#include <string.h>

#include "app/app.h"
#include "http/req.h"
#include "util/embedded.h"
#include "version.h"

#define XLSX "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

json_t *app_openapi_table(void)
{
    const struct embedded_file *f = embedded_find("src/app/openapi.json");
    return f ? json_loadb((const char *)f->data, f->len, 0, NULL) : NULL;
}

int app_openapi_documented(const struct route *rt)
{
    return !(rt->flags & ROUTE_PAGE) && strncmp(rt->pattern, "/static/", 8) != 0;
}

/* "get_api_v1_items_id" for GET /api/v1/items/{id}. */
static json_t *op_id(const char *method, const char *path)
{
    char id[160];
    size_t n = 0;
    for (const char *m = method; *m && n + 1 < sizeof id; m++)
        id[n++] = (char)tolower((unsigned char)*m);
    for (const char *p = path; *p && n + 1 < sizeof id; p++)
        if (isalnum((unsigned char)*p))
            id[n++] = *p;
        else if (id[n - 1] != '_')
            id[n++] = '_';
    while (n && id[n - 1] == '_')
        n--;
    id[n] = '\0';
    return json_string(id);
}

/* The path's {name} parameters, then the entry's query parameters. */
static json_t *op_params(const char *path, json_t *e)
{
    json_t *ps = json_array();
    for (const char *p = strchr(path, '{'); p; p = strchr(p + 1, '{')) {
        const char *end = strchr(p, '}');
        if (!end) break;
        json_t *name = json_stringn(p + 1, (size_t)(end - p - 1));
        int is_id = !strcmp(json_string_value(name), "id");
        json_array_append_new(ps, json_pack("{s:o,s:s,s:b,s:{s:s}}", "name", name, "in", "path",
                                            "required", 1, "schema", "type",
                                            is_id ? "integer" : "string"));
    }
    json_t *query = json_object_get(e, "parameters");
    if (query) json_array_extend(ps, query);
    if (json_is_true(json_object_get(e, "formats")))
        json_array_append_new(ps, json_pack("{s:s,s:s,s:b,s:{s:[sss]}}", "name", "format", "in",
                                            "query", "required", 0, "schema", "enum", "json", "csv",
                                            "xlsx"));
    return ps;
}

/* The request body of a route's kind (and the entry's JSON schema). */
static json_t *op_body(const struct route *rt, json_t *e)
{
    json_t *req = json_object_get(e, "request");
    const char *kind = json_string_value(req);
    json_t *bin = json_pack("{s:{s:s,s:s}}", "schema", "type", "string", "contentMediaType",
                            "application/octet-stream");
    if ((rt->flags & (ROUTE_FILE | ROUTE_UPLOAD)) || (kind && !strcmp(kind, "file")))
        return json_pack("{s:b,s:{s:o}}", "required", 1, "content", "application/octet-stream",
                         bin);
    if (rt->flags & ROUTE_DOCUMENT)
        return json_pack("{s:b,s:{s:o,s:{s:{s:s,s:[s],s:{s:{s:s}}}}}}", "required", 1, "content",
                         "application/octet-stream", bin, "application/json", "schema", "type",
                         "object", "required", "text", "properties", "text", "type", "string");
    json_decref(bin);
    if (rt->flags & ROUTE_FORM)
        return json_pack("{s:b,s:{s:{s:{s:s}}}}", "required", 1, "content",
                         "application/x-www-form-urlencoded", "schema", "type", "object");
    if (rt->flags & ROUTE_JSON) /* "o" takes the reference: a borrowed entry's is added first */
        return json_pack("{s:b,s:{s:{s:o}}}", "required", 1, "content", "application/json",
                         "schema", json_is_object(req) ? json_incref(req) : json_object());
    return NULL;
}

/* One answer: a JSON schema, or a file's types. */
static json_t *op_answer(const char *status, json_t *s, int formats)
{
    const char *kind = json_string_value(s);
    json_t *content = json_object();
    if (kind && !strcmp(kind, "binary"))
        json_object_set_new(content, "application/octet-stream", json_object());
    else if (kind && !strcmp(kind, "xlsx"))
        json_object_set_new(content, XLSX, json_object());
    else if (kind && !strcmp(kind, "image")) {
        json_object_set_new(content, "image/jpeg", json_object());
        json_object_set_new(content, "image/png", json_object());
    } else {
        json_object_set_new(content, "application/json", json_pack("{s:O}", "schema", s));
        if (formats && !strcmp(status, "200")) {
            json_object_set_new(content, "text/csv", json_object());
            json_object_set_new(content, XLSX, json_object());
        }
    }
    return json_pack("{s:s,s:o}", "description", status[0] == '2' ? "success" : "refused",
                     "content", content);
}

static json_t *op_responses(json_t *e, int open311)
{
    json_t *out = json_object(), *s;
    const char *status;
    int formats = json_is_true(json_object_get(e, "formats"));
    json_object_foreach(json_object_get(e, "responses"), status, s)
        json_object_set_new(out, status, op_answer(status, s, formats));
    json_object_foreach(json_object_get(e, "errors"), status, s)
        json_object_set_new(out, status, op_answer(status, s, 0));
    json_object_set_new(out, "default",
                        json_pack("{s:s}", "$ref",
                                  open311 ? "#/components/responses/Open311Error"
                                          : "#/components/responses/Error"));
    return out;
}

/* The operation of route rt at path, described by entry e, into paths. */
static void op_add(json_t *paths, const char *path, const struct route *rt, json_t *e, int open311)
{
    char method[8];
    size_t n = 0;
    for (; rt->method[n] && n + 1 < sizeof method; n++)
        method[n] = (char)tolower((unsigned char)rt->method[n]);
    method[n] = '\0';
    json_t *op =
        json_pack("{s:o,s:s,s:o,s:o,s:o}", "operationId", op_id(rt->method, path), "summary",
                  rt->doc, "security", rt->roles ? json_pack("[{s:[]}]", "bearer") : json_array(),
                  "parameters", op_params(path, e), "responses", op_responses(e, open311));
    json_t *body = op_body(rt, e);
    if (body) json_object_set_new(op, "requestBody", body);
    json_t *p = json_object_get(paths, path);
    if (!p) json_object_set_new(paths, path, p = json_object());
    json_object_set_new(p, method, op);
}

/* components: the schemas, the bearer token, the two error answers. */
static json_t *components(json_t *table)
{
    return json_pack("{s:O,s:{s:{s:s,s:s}},s:{s:{s:s,s:{s:{s:{s:s}}}},s:{s:s,s:{s:{s:{s:s}}}}}}",
                     "schemas", json_object_get(table, "schemas"), "securitySchemes", "bearer",
                     "type", "http", "scheme", "bearer", "responses", "Error", "description",
                     "the error", "content", "application/json", "schema", "$ref",
                     "#/components/schemas/Error", "Open311Error", "description",
                     "Open311's errors", "content", "application/json", "schema", "$ref",
                     "#/components/schemas/Open311Errors");
}

json_t *app_openapi(void)
{
    json_t *table = app_openapi_table(), *routes = json_object_get(table, "routes");
    json_t *paths = json_object();
    char key[256];
    for (size_t i = 0; i < app_routes_count; i++) {
        const struct route *rt = &app_routes[i];
        snprintf(key, sizeof key, "%s %s", rt->method, rt->pattern);
        json_t *e = json_object_get(routes, key), *spec;
        const char *path;
        if (!app_openapi_documented(rt) || !e) continue;
        int open311 = json_is_true(json_object_get(e, "open311"));
        if (!json_object_get(e, "paths")) op_add(paths, rt->pattern, rt, e, open311);
        json_object_foreach(json_object_get(e, "paths"), path, spec)
            op_add(paths, path, rt, spec, open311);
    }
    json_t *doc = json_pack(
        "{s:s,s:{s:s,s:s,s:s},s:[{s:s}],s:o,s:o}", "openapi", "3.1.0", "info", "title",
        "luoshi (落实) API", "version", LUOSHI_VERSION, "description",
        "The JSON API (/api/v1) and Open311 GeoReport v2 (/open311/v2, also .xml) of luoshi; "
        "errors are {\"error\":{\"code\",\"message\",\"detail\"}} (docs/api.md).",
        "servers", "url", "/", "paths", paths, "components", components(table));
    json_decref(table);
    return doc;
}

void app_openapi_get(struct req *r)
{
    json_t *doc = app_openapi();
    if (!doc) {
        req_reply_error(r, 500, "internal", NULL, "the OpenAPI document cannot be made");
        return;
    }
    req_reply_json(r, 200, doc);
}
