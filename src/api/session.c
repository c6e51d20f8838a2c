/* session.c — POST/DELETE /api/v1/session and GET /api/v1/me. */
#include <string.h>

#include "api/api.h"
#include "core/session.h"
#include "core/user.h"
#include "http/login.h"
#include "http/req.h"

static void session_created(struct req *r, const struct login *l)
{
    switch (l->status) {
    case 200:
        req_reply_json(r, 200,
                       json_pack("{s:s,s:o}", "token", l->token, "user", user_json(&l->user)));
        return;
    case 401:
        req_reply_error(r, 401, "invalid_credentials", NULL, "wrong user name or password");
        return;
    case 429:
        req_login_retry_after(r, l);
        req_reply_error(r, 429, "too_many_attempts", NULL,
                        "too many login attempts; try again in %lld seconds",
                        (long long)l->retry_after_s);
        return;
    default:
        req_reply_error(r, 503, "database_unavailable", NULL, "the database cannot be reached");
    }
}

void api_session_create(struct req *r)
{
    json_t *u = json_object_get(r->json, "username"), *p = json_object_get(r->json, "password");
    if (!json_is_object(r->json) || !json_is_string(u) || !json_is_string(p) ||
        json_object_size(r->json) != 2) {
        req_reply_error(r, 422, "invalid_field", NULL,
                        "send exactly {\"username\": string, \"password\": string}");
        return;
    }
    if (json_string_length(u) > LOGIN_USERNAME_MAX || json_string_length(p) > LOGIN_PASSWORD_MAX) {
        req_reply_error(r, 401, "invalid_credentials", NULL, "wrong user name or password");
        return;
    }
    req_login(r, json_string_value(u), json_string_value(p), 1, session_created);
}

static void session_revoked(struct req *r, int ok)
{
    if (!ok) {
        req_reply_error(r, 503, "database_unavailable", NULL, "could not revoke the session");
        return;
    }
    req_reply_json(r, 200, json_pack("{s:b}", "revoked", 1));
}

void api_session_delete(struct req *r)
{
    req_logout(r, session_revoked);
}

void api_me(struct req *r)
{
    struct user_row u;
    struct db *db = req_db(r);
    int rc = db ? user_find_id(db, r->actor->user_id, &u) : DB_UNAVAILABLE;
    if (rc != 1) {
        req_reply_error(r, 503, "database_unavailable", NULL, "the database cannot be reached");
        return;
    }
    req_reply_json(r, 200, json_pack("{s:o}", "user", user_json(&u)));
}

static void password_changed(struct req *r, const struct password_change *p)
{
    if (p->status == 200)
        req_reply_json(r, 200, json_pack("{s:b,s:b}", "changed", 1, "sessions_revoked", 1));
    else
        req_reply_err(r, &p->e);
}

void api_me_password(struct req *r)
{
    json_t *c = json_object_get(r->json, "current_password");
    json_t *n = json_object_get(r->json, "new_password");
    if (!json_is_object(r->json) || !json_is_string(c) || !json_is_string(n) ||
        json_object_size(r->json) != 2 || strlen(json_string_value(c)) != json_string_length(c) ||
        strlen(json_string_value(n)) != json_string_length(n)) {
        req_reply_error(r, 422, "invalid_field", NULL,
                        "send exactly {\"current_password\": string, \"new_password\": string}");
        return;
    }
    req_password_change(r, json_string_value(c), json_string_value(n), password_changed);
}
