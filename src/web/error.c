/* error.c — the HTML error page.  Kept tiny and self-contained so the
 * dispatcher can use it before any page machinery runs. */
#include <stdio.h>

#include "http/req.h"
#include "web/web.h"

void web_error_page(struct req *r, int status, const char *message)
{
    buf_reset(&r->out);
    buf_printf(&r->out, "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
                        "<title>%d</title><link rel=\"stylesheet\" href=\"/static/style.css\">"
                        "</head><body><main class=\"error\"><h1>%d</h1><p>",
               status, status);
    for (const char *p = message; *p; p++) {
        switch (*p) {
        case '<': buf_puts(&r->out, "&lt;"); break;
        case '>': buf_puts(&r->out, "&gt;"); break;
        case '&': buf_puts(&r->out, "&amp;"); break;
        case '"': buf_puts(&r->out, "&quot;"); break;
        case '\'': buf_puts(&r->out, "&#39;"); break;
        default: buf_putc(&r->out, *p);
        }
    }
    buf_puts(&r->out, "</p><p><a href=\"/\">luoshi 落实</a></p></main></body></html>");
    req_reply_body(r, status, "text/html; charset=utf-8");
}
