/* page.c — lint fixture: each line of html_bad breaks rule html once. */
#include "util/html.h"

static void html_bad(struct req *r, const char *s, const char *fmt, struct html_frag *f)
{
    struct buf *o = &r->out;
    html_raw(o, s);
    html_printf(o, fmt, 1);
    html_raw(&r->out, s ? "<b>" : "<i>");
    buf_puts(o, s);
    buf_printf(&r->out, "<p>%s</p>", s);
    buf_append(&f->html, s, 1);
    html_raw(o, "<hr>");
    html_frag_put(o, f);
}
