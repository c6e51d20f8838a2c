/* page.c — lint fixture: a page that writes HTML only through html.h, with
 * a fragment for HTML built before the page, and includes web may make. */
#include <stdio.h>

#include "core/item.h"
#include "db/db.h"
#include "http/req.h"
#include "notice/notice.h"
#include "util/buf.h"
#include "util/html.h"
#include "version.h"
#include "web/page.h"

/* A buffer that is not the page: any buf_* write is fine. */
static void page_query(struct buf *q, const char *name)
{
    buf_printf(q, "%s=", name);
}

static void page_aside(struct html_frag *f, const char *title)
{
    html_printf(&f->html, "<aside>%s</aside>", title);
}

void page_show(struct req *r, const char *title)
{
    struct buf *o = &r->out;
    struct html_frag f;
    html_frag_init(&f, 0);
    page_aside(&f, title);
    html_raw(o, "<main>");
    html_printf(o, "<h1>%s</h1>", title);
    html_frag_put(o, &f);
    html_raw(o, "</main>"
                "<footer></footer>");
    html_frag_free(&f);
    struct buf q;
    buf_init(&q, 0);
    page_query(&q, title);
    buf_free(&q);
}
