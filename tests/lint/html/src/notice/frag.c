/* frag.c — lint fixture: outside src/web only fragments are guarded. */
void frag_build(struct buf *o, const char *s)
{
    struct html_frag a;
    html_frag_init(&a, 0);
    buf_puts(&a.html, s);
    buf_puts(o, s);
    html_frag_free(&a);
}
