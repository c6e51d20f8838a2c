/* login.h — running core's login flow (core/login.h) for a request: the
 * lookup on the request thread, the password check on the work pool, the
 * session as a write job, then the caller's answer; and revoking a session.
 * Shared by /api/v1/session and the login and logout forms, which differ
 * only in how they answer. */
#ifndef LUOSHI_HTTP_LOGIN_H
#define LUOSHI_HTTP_LOGIN_H

#include "core/login.h"

struct req;

/* Log username in with password from r's client address (r->remote: the
 * forwarded one behind a trusted proxy; a bearer token when is_api, else a
 * cookie session), throttled by core's counts in the database.  Then
 * finish(r, l) runs on a request thread with l->status 200 (l->token,
 * l->csrf and l->user set), 401, 429 (l->retry_after_s) or 503; l lives in
 * r's arena.  The handler returns right after calling this. */
void req_login(struct req *r, const char *username, const char *password, int is_api,
               void (*finish)(struct req *r, const struct login *l));
/* With l->status 429: add the Retry-After header l asks for.  Else nothing. */
void req_login_retry_after(struct req *r, const struct login *l);
/* Revoke the session r was authenticated with (a token or a cookie), then
 * finish(r, ok) on a request thread: ok 1 when it is revoked, 0 when the
 * database failed.  The handler returns right after calling this. */
void req_logout(struct req *r, void (*finish)(struct req *r, int ok));

/* Change the logged-in user's password from current to next (core's
 * password_change steps on their threads), then finish(r, p) on a request
 * thread: p->status 200 (every session of the user, this one too, is
 * revoked), 403 wrong current password, 422 weak, 503; p->e says why in
 * the request's language.  The handler returns right after calling this. */
void req_password_change(struct req *r, const char *current, const char *next,
                         void (*finish)(struct req *r, const struct password_change *p));

#endif
