/* page.c — lint fixture for the allow file: two equal violations and one more. */
#include "api/api.h"
#include "util/html.h"

static void allow_page(struct buf *o, const char *s)
{
    html_raw(o, s);
    html_raw(o, s);
}
