/* web.h — the server-rendered pages (zh-CN first, English second).
 * Each page handler is a route in http/routes.c. */
#ifndef LUOSHI_WEB_WEB_H
#define LUOSHI_WEB_WEB_H

struct req;

/* An HTML error page with status and message (escaped). */
void web_error_page(struct req *r, int status, const char *message);

#endif
