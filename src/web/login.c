/* login.c — the login form, signing in and signing out.
 *
 * The password check, throttling and session creation are core/login.c's
 * (run by http/login.c's req_login, as for POST /api/v1/session); this file
 * only renders the form, sets or clears the session cookie and redirects.
 * After a login the browser goes back to `next` when it is a path on this
 * site. */
#include <string.h>

#include "http/login.h"
#include "http/server.h"
#include "web/page.h"
#include "web/web.h"

#define COOKIE_ATTRS "; Path=/; HttpOnly; SameSite=Strict"

/* next when it is a local path (not "//host", not a scheme), else "/".
 * Browsers drop tabs and newlines inside URLs ("/\t/evil" is "//evil") and
 * read '\\' as '/', so any control byte or backslash refuses it too. */
static const char *login_next(const char *next)
{
    if (!next || next[0] != '/' || next[1] == '/' || strlen(next) > 1000) return "/";
    for (const unsigned char *p = (const unsigned char *)next; *p; p++)
        if (*p < 0x20 || *p == 0x7f || *p == '\\') return "/";
    if (!strncmp(next, "/login", 6) || !strncmp(next, "/logout", 7)) return "/";
    return next;
}

/* The form, with an error message (a message key) when error_key is set. */
static void login_form(struct req *r, int status, const char *error_key, const char *username)
{
    struct buf *o = &r->out;
    const char *next = login_next(req_form(r, "next") ? req_form(r, "next") : req_query(r, "next"));
    layout_begin(r, T(r, "login.title"), NAV_NONE,
                 strcmp(next, "/") ? arena_printf(r->arena, "next=%s", url_encode(r->arena, next))
                                   : NULL);
    html_printf(o, "<section class=\"login card\"><h1>%s</h1>", T(r, "login.title"));
    if (error_key) html_printf(o, "<p class=\"alert\" role=\"alert\">%s</p>", T(r, error_key));
    html_printf(o,
                "<form method=\"post\" action=\"/login\">"
                "<input type=\"hidden\" name=\"next\" value=\"%s\">"
                "<label for=\"username\">%s</label>"
                "<input id=\"username\" name=\"username\" value=\"%s\" autocomplete=\"username\""
                " autocapitalize=\"none\" spellcheck=\"false\" required maxlength=\"64\"%s>"
                "<label for=\"password\">%s</label>"
                "<input id=\"password\" name=\"password\" type=\"password\""
                " autocomplete=\"current-password\" required maxlength=\"256\"%s>"
                "<button type=\"submit\" class=\"primary\">%s</button></form></section>",
                next, T(r, "login.username"), username ? username : "",
                username && *username ? "" : " autofocus", T(r, "login.password"),
                username && *username ? " autofocus" : "", T(r, "login.submit"));
    layout_end(r, status);
}

void web_login_get(struct req *r)
{
    if (r->authed) {
        req_redirect(r, login_next(req_query(r, "next")));
        return;
    }
    login_form(r, 200, NULL, NULL);
}

static void login_finished(struct req *r, const struct login *l)
{
    switch (l->status) {
    case 200:
        req_add_header(r, "Set-Cookie",
                       arena_printf(r->arena, "luoshi_session=%s" COOKIE_ATTRS "%s", l->token,
                                    r->server->secure_cookies ? "; Secure" : ""));
        req_redirect(r, login_next(req_form(r, "next")));
        return;
    case 401:
        login_form(r, 401, "login.failed", req_form(r, "username"));
        return;
    case 429:
        req_login_retry_after(r, l);
        login_form(r, 429, "login.throttled", req_form(r, "username"));
        return;
    default:
        login_form(r, 503, "login.unavailable", req_form(r, "username"));
    }
}

void web_login_post(struct req *r)
{
    const char *u = req_form(r, "username"), *p = req_form(r, "password");
    if (!u || !p || !*u || !*p || strlen(u) > LOGIN_USERNAME_MAX ||
        strlen(p) > LOGIN_PASSWORD_MAX) {
        login_form(r, 401, "login.failed", u && strlen(u) <= LOGIN_USERNAME_MAX ? u : NULL);
        return;
    }
    req_login(r, u, p, 0, login_finished);
}

static void logout_finished(struct req *r, int ok)
{
    if (!ok) {
        web_error_page(r, 503, T(r, "login.unavailable"));
        return;
    }
    req_add_header(r, "Set-Cookie", "luoshi_session=; Max-Age=0" COOKIE_ATTRS);
    req_redirect(r, "/login");
}

void web_logout(struct req *r)
{
    req_logout(r, logout_finished);
}
