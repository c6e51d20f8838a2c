/* units.c — GET /api/v1/units and POST /api/v1/units (admins). */
#include <string.h>

#include "api/api.h"
#include "core/unit.h"
#include "http/req.h"

void api_units_list(struct req *r)
{
    struct err e = {0};
    struct db *db = req_db(r);
    json_t *v = db ? unit_list_json(db, &e) : NULL;
    if (!db) err_set(&e, 503, "database_unavailable", "the database cannot be reached");
    if (!v) {
        req_reply_err(r, &e);
        return;
    }
    req_reply_json(r, 200, v);
}

struct unit_new {
    const struct actor *actor;
    const char *code, *name, *kind, *parent;
    int64_t id;
    struct err e;
};

static int unit_new_job(struct db *db, void *ctx)
{
    struct unit_new *u = ctx;
    memset(&u->e, 0, sizeof u->e);
    return unit_add(db, u->actor, u->code, u->name, u->kind, u->parent, &u->id, &u->e) ? DB_ERR
                                                                                       : DB_OK;
}

static void unit_new_done(struct req *r)
{
    struct unit_new *u = r->state;
    if (r->job_rc != DB_OK) {
        if (!u->e.status) err_db(&u->e, r->job_rc, "adding a unit");
        req_reply_err(r, &u->e);
        return;
    }
    req_reply_json(r, 201,
                   json_pack("{s:I,s:s,s:s,s:s,s:s?}", "id", (json_int_t)u->id, "code", u->code,
                             "name", u->name, "kind", u->kind, "parent_code", u->parent));
}

void api_units_create(struct req *r)
{
    struct unit_new *u = arena_alloc(r->arena, sizeof *u);
    json_t *b = r->json;
    json_t *code = json_object_get(b, "code"), *name = json_object_get(b, "name");
    json_t *kind = json_object_get(b, "kind"), *parent = json_object_get(b, "parent_code");
    if (!json_is_string(code) || !json_is_string(name) || !json_is_string(kind) ||
        (parent && !json_is_string(parent) && !json_is_null(parent))) {
        req_reply_error(r, 422, "invalid_field", NULL,
                        "send {\"code\", \"name\", \"kind\", optional \"parent_code\"} as strings");
        return;
    }
    u->code = json_string_value(code);
    u->name = json_string_value(name);
    u->kind = json_string_value(kind);
    u->parent = json_is_string(parent) ? json_string_value(parent) : NULL;
    u->actor = r->actor;
    req_defer_write(r, unit_new_job, u, unit_new_done);
}
