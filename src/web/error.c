/* error.c — the HTML error page: the status in words (in the request's
 * language), the message (escaped), and the way back.  The server's
 * error_page hook (set by app/serve.c), so the dispatcher answers every
 * error of a page route (404, 403, CSRF …) with it, and used by the pages
 * themselves, so it wears the same frame as they do; the top bar shows the
 * navigation only when the visitor is logged in. */
#include <stdio.h>

#include "http/req.h"
#include "web/page.h"
#include "web/web.h"

void web_error_page(struct req *r, int status, const char *message)
{
    char key[24];
    snprintf(key, sizeof key, "error.%d", status);
    const char *title = T(r, key);
    if (title == (const char *)key) title = T(r, "error.other");
    layout_begin(r, title, NAV_NONE, NULL);
    html_printf(&r->out, "<section class=\"card error\"><h1><span>%d</span> %s</h1><p>%s</p>",
                status, title, message);
    if (status == 401)
        html_printf(&r->out, "<p><a class=\"button\" href=\"/login\">%s</a></p>",
                    T(r, "login.submit"));
    else
        html_printf(&r->out, "<p><a class=\"button\" href=\"/\">%s</a></p>", T(r, "error.home"));
    html_raw(&r->out, "</section>");
    layout_end(r, status);
}
