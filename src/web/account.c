/* account.c — the logged-in user's own account: changing one's password
 * (/account/password).  The checks are core's (the current password, the
 * policy of user_password_ok through libpwquality, in the page's language)
 * run by http/login.c's req_password_change, as for POST
 * /api/v1/me/password; this file renders the form and its outcome.  A
 * changed password revokes every session of the user, so the page ends the
 * cookie and sends the user to log in again. */
#include <string.h>

#include "http/login.h"
#include "web/page.h"
#include "web/web.h"

/* The form, with a refusal's message when there is one. */
static void password_form(struct req *r, int status, const char *message)
{
    struct buf *o = &r->out;
    layout_begin(r, T(r, "account.password"), NAV_NONE, NULL);
    html_printf(o, "<section class=\"login card\"><h1>%s</h1>", T(r, "account.password"));
    if (message) html_printf(o, "<p class=\"alert\" role=\"alert\">%s</p>", message);
    html_printf(o,
                "<form method=\"post\" action=\"/account/password\">"
                "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                "<label for=\"current\">%s</label>"
                "<input id=\"current\" name=\"current_password\" type=\"password\""
                " autocomplete=\"current-password\" required maxlength=\"256\" autofocus>"
                "<label for=\"new\">%s</label>"
                "<input id=\"new\" name=\"new_password\" type=\"password\""
                " autocomplete=\"new-password\" required minlength=\"8\" maxlength=\"256\">"
                "<label for=\"again\">%s</label>"
                "<input id=\"again\" name=\"new_password2\" type=\"password\""
                " autocomplete=\"new-password\" required minlength=\"8\" maxlength=\"256\">"
                "<small>%s</small>"
                "<button type=\"submit\" class=\"primary\">%s</button></form></section>",
                r->session.csrf, T(r, "account.current"), T(r, "account.new"),
                T(r, "account.again"), T(r, "account.hint"), T(r, "account.change"));
    layout_end(r, status);
}

void web_account_password(struct req *r)
{
    password_form(r, 200, NULL);
}

static void password_changed(struct req *r, const struct password_change *p)
{
    if (p->status != 200) {
        password_form(r, p->status, p->e.message);
        return;
    }
    req_add_header(r, "Set-Cookie",
                   "luoshi_session=; Max-Age=0; Path=/; HttpOnly; SameSite=Strict");
    layout_begin(r, T(r, "account.password"), NAV_NONE, NULL);
    html_printf(&r->out,
                "<section class=\"login card\"><h1>%s</h1><p class=\"ok\" role=\"status\">%s</p>"
                "<p><a class=\"button primary\" href=\"/login\">%s</a></p></section>",
                T(r, "account.password"), T(r, "account.changed"), T(r, "login.submit"));
    layout_end(r, 200);
}

void web_account_password_post(struct req *r)
{
    const char *c = req_form(r, "current_password"), *n = req_form(r, "new_password");
    const char *again = req_form(r, "new_password2");
    if (!c || !n || !*c || !*n) {
        password_form(r, 422, T(r, "account.missing"));
        return;
    }
    if (again && strcmp(again, n)) {
        password_form(r, 422, T(r, "account.mismatch"));
        return;
    }
    req_password_change(r, c, n, password_changed);
}
