/* stub.c — placeholders for the page handlers until their pages land, so the
 * binary links.  Each answers 501. */
#include "http/req.h"
#include "web/web.h"

#define STUB(name)                                                                                 \
    void name(struct req *r)                                                                       \
    {                                                                                              \
        web_error_page(r, 501, "not built yet");                                                   \
    }
STUB(web_home)
STUB(web_login_get)
STUB(web_login_post)
STUB(web_logout)
STUB(web_units)
STUB(web_items)
STUB(web_item)
STUB(web_item_new_get)
STUB(web_item_new_post)
