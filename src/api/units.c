/* units.c — GET /api/v1/units and POST /api/v1/units (admins). */
#include <string.h>

#include "api/api.h"
#include "core/unit.h"
#include "http/req.h"
#include "http/write.h"

void api_units_list(struct req *r)
{
    struct err e = {0};
    struct db *db = api_db(r);
    if (!db) return;
    json_t *v = unit_list_json(db, &e);
    if (!v) {
        req_reply_err(r, &e);
        return;
    }
    req_reply_json(r, 200, v);
}

struct unit_new {
    struct write_job job;
    const char *code, *name, *kind, *parent;
};

static int unit_new_run(struct db *db, struct write_job *j)
{
    struct unit_new *u = WRITE_OF(j, struct unit_new);
    return unit_add(db, j->actor, u->code, u->name, u->kind, u->parent, &j->id, &j->e);
}

static void unit_new_done(struct req *r, struct write_job *j)
{
    struct unit_new *u = WRITE_OF(j, struct unit_new);
    req_reply_json(r, 201,
                   json_pack("{s:I,s:s,s:s,s:s,s:s?}", "id", (json_int_t)j->id, "code", u->code,
                             "name", u->name, "kind", u->kind, "parent_code", u->parent));
}

static const struct write_ops unit_new_ops = {
    .what = "adding a unit", .run = unit_new_run, .done = unit_new_done};

void api_units_create(struct req *r)
{
    json_t *b = r->json;
    json_t *code = json_object_get(b, "code"), *name = json_object_get(b, "name");
    json_t *kind = json_object_get(b, "kind"), *parent = json_object_get(b, "parent_code");
    if (!json_is_string(code) || !json_is_string(name) || !json_is_string(kind) ||
        (parent && !json_is_string(parent) && !json_is_null(parent))) {
        req_reply_error(r, 422, "invalid_field", NULL,
                        "send {\"code\", \"name\", \"kind\", optional \"parent_code\"} as strings");
        return;
    }
    struct unit_new *u = WRITE_NEW(r, struct unit_new, &unit_new_ops);
    u->code = json_string_value(code);
    u->name = json_string_value(name);
    u->kind = json_string_value(kind);
    u->parent = json_is_string(parent) ? json_string_value(parent) : NULL;
    write_start(r, &u->job);
}
