/* pdf.c — the GB/T 9704-2012 page writer of pdf.h on cairo's PDF surface,
 * with pango laying out the text (line breaking by the Unicode rules, CJK
 * punctuation kept off line starts, fonts chosen and subset by fontconfig
 * and cairo, which embeds them).
 *
 * Text is set line by line on a fixed pitch (225 mm / 22 lines), so the body
 * keeps the standard's 22 lines a page and a paragraph breaks across pages
 * between any two lines.  Table rows are never split: a row that does not fit
 * starts the next page, under the table's head drawn again.  Nothing here
 * reads the database; the callers pass text. */
#include "notice/pdf.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/mem.h"

#define MM(x) ((x)*72.0 / 25.4)

#define PAGE_W   MM(210.0)
#define PAGE_H   MM(297.0)
#define TOP      MM(37.0)
#define LEFT     MM(28.0)
#define TEXT_W   MM(156.0)
#define TEXT_H   MM(225.0)
#define BOTTOM   (TOP + TEXT_H)
#define PITCH    (TEXT_H / 22.0) /* 22 body lines a page */
#define RED      0xe60012u       /* the red of 版头 and rules */
#define CELL_PAD 3.0

struct pdf {
    struct buf *out;
    cairo_surface_t *surface;
    cairo_t *cr;
    PangoFontMap *fonts; /* the document's own: no thread-wide default kept alive */
    PangoContext *ctx;
    struct pdf_fonts f;
    double y;    /* the cursor, from the page's top */
    int page;    /* the current page, 1.. */
    int written; /* the write callback failed: 0 */
    const struct pdf_table *table;
};

static cairo_status_t write_out(void *closure, const unsigned char *data, unsigned int len)
{
    struct pdf *d = closure;
    if (buf_append(d->out, data, len)) {
        d->written = 0;
        return CAIRO_STATUS_WRITE_ERROR;
    }
    return CAIRO_STATUS_SUCCESS;
}

static void set_rgb(cairo_t *cr, uint32_t rgb)
{
    cairo_set_source_rgb(cr, ((rgb >> 16) & 0xff) / 255.0, ((rgb >> 8) & 0xff) / 255.0,
                         (rgb & 0xff) / 255.0);
}

/* A layout of text in family at size, width wide (0: no wrapping). */
static PangoLayout *layout_new(struct pdf *d, const char *family, double size, int bold,
                               double width, const char *text)
{
    PangoLayout *l = pango_layout_new(d->ctx);
    PangoFontDescription *fd = pango_font_description_from_string(family);
    pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
    pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    if (width > 0) {
        pango_layout_set_width(l, (int)(width * PANGO_SCALE));
        pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    }
    pango_layout_set_text(l, text ? text : "", -1);
    return l;
}

/* "— N —" under the 版心: odd pages on the right, even on the left, one
 * character in from the edge. */
static void page_number(struct pdf *d)
{
    char s[32];
    snprintf(s, sizeof s, "— %d —", d->page);
    PangoLayout *l = layout_new(d, d->f.body, PDF_SIZE_4, 0, 0, s);
    int w, h;
    pango_layout_get_size(l, &w, &h);
    double x =
        d->page % 2 ? LEFT + TEXT_W - PDF_SIZE_4 - w / (double)PANGO_SCALE : LEFT + PDF_SIZE_4;
    cairo_set_source_rgb(d->cr, 0, 0, 0);
    cairo_move_to(d->cr, x, BOTTOM + MM(7.0));
    pango_cairo_show_layout(d->cr, l);
    g_object_unref(l);
}

static void new_page(struct pdf *d)
{
    page_number(d);
    cairo_show_page(d->cr);
    d->page++;
    d->y = TOP;
}

/* Show layout l's lines from the cursor, one each pitch, starting a page
 * when a line does not fit; x is the left edge of the layout's box. */
static void show_lines(struct pdf *d, PangoLayout *l, double x, double pitch, uint32_t rgb)
{
    PangoLayoutIter *it = pango_layout_get_iter(l);
    do {
        if (d->y + pitch > BOTTOM + 0.01) new_page(d);
        PangoRectangle logical;
        pango_layout_iter_get_line_extents(it, NULL, &logical);
        int base = pango_layout_iter_get_baseline(it) - logical.y;
        double asc = base / (double)PANGO_SCALE, h = logical.height / (double)PANGO_SCALE;
        set_rgb(d->cr, rgb);
        cairo_move_to(d->cr, x + logical.x / (double)PANGO_SCALE, d->y + (pitch - h) / 2 + asc);
        pango_cairo_show_layout_line(d->cr, pango_layout_iter_get_line_readonly(it));
        d->y += pitch;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
}

/* At exit, fontconfig's and cairo's caches are given back (else the
 * leak checker counts them): every document has released its font map by
 * then, and nothing renders after exit begins.  Only in a sanitizer's build:
 * cairo's reset asserts that its caches are empty, which a process that
 * rendered many documents (`init --demo` issues its items' 交办通知单) does
 * not always leave them, and outside the leak checker the process's exit
 * gives everything back anyway. */
static pthread_once_t cleanup_once = PTHREAD_ONCE_INIT;

#if defined(__SANITIZE_ADDRESS__)
static void cleanup(void)
{
    cairo_debug_reset_static_data();
    FcFini();
}
#endif

static void cleanup_register(void)
{
#if defined(__SANITIZE_ADDRESS__)
    atexit(cleanup);
#endif
}

/* Debian's cairo 1.16 keeps a few small arrays it allocates inside
 * cairo_surface_finish of a PDF surface (2304 bytes in three blocks,
 * whatever the document).  Its frames carry no frame pointers, so the
 * sanitizer's stack ends in the library: LeakSanitizer is told to leave
 * what libcairo itself allocated.  Read by the sanitizer's runtime alone. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libcairo.so\n";
}

struct pdf *pdf_begin(struct buf *out, const char *title, const char *date,
                      const struct pdf_fonts *fonts)
{
    struct pdf *d = xcalloc(1, sizeof *d);
    d->out = out;
    d->written = 1;
    d->f.title = fonts && fonts->title ? fonts->title : PDF_FONT_TITLE;
    d->f.body = fonts && fonts->body ? fonts->body : PDF_FONT_BODY;
    d->f.kai = fonts && fonts->kai ? fonts->kai : PDF_FONT_KAI;
    d->f.hei = fonts && fonts->hei ? fonts->hei : PDF_FONT_HEI;
    d->surface = cairo_pdf_surface_create_for_stream(write_out, d, PAGE_W, PAGE_H);
    cairo_pdf_surface_set_metadata(d->surface, CAIRO_PDF_METADATA_TITLE, title ? title : "");
    cairo_pdf_surface_set_metadata(d->surface, CAIRO_PDF_METADATA_CREATOR, "luoshi");
    if (date && strlen(date) == 10) {
        char iso[32];
        snprintf(iso, sizeof iso, "%sT00:00:00+08:00", date);
        cairo_pdf_surface_set_metadata(d->surface, CAIRO_PDF_METADATA_CREATE_DATE, iso);
    }
    d->cr = cairo_create(d->surface);
    d->fonts = pango_cairo_font_map_new();
    d->ctx = pango_font_map_create_context(d->fonts);
    pango_cairo_update_context(d->cr, d->ctx);
    pthread_once(&cleanup_once, cleanup_register);
    d->page = 1;
    d->y = TOP;
    return d;
}

int pdf_end(struct pdf *d, struct err *e)
{
    page_number(d);
    cairo_show_page(d->cr);
    cairo_status_t st = cairo_status(d->cr);
    g_object_unref(d->ctx);
    g_object_unref(d->fonts);
    cairo_destroy(d->cr);
    cairo_surface_finish(d->surface);
    if (st == CAIRO_STATUS_SUCCESS) st = cairo_surface_status(d->surface);
    cairo_surface_destroy(d->surface);
    int ok = st == CAIRO_STATUS_SUCCESS && d->written;
    free(d);
    if (!ok)
        return err_set(e, 500, "internal", "the PDF could not be written: %s",
                       cairo_status_to_string(st));
    return 0;
}

int pdf_pages(const struct pdf *d)
{
    return d->page;
}

void pdf_keep(struct pdf *d, double lines)
{
    if (d->y + lines * PITCH > BOTTOM + 0.01) new_page(d);
}

void pdf_skip(struct pdf *d, double lines)
{
    d->y += lines * PITCH;
    if (d->y > BOTTOM) new_page(d);
}

static void rule(struct pdf *d, double y, double width, uint32_t rgb)
{
    set_rgb(d->cr, rgb);
    cairo_set_line_width(d->cr, width);
    cairo_move_to(d->cr, LEFT, y);
    cairo_line_to(d->cr, LEFT + TEXT_W, y);
    cairo_stroke(d->cr);
}

void pdf_red_head(struct pdf *d, const char *mark, const char *number, uint32_t rgb)
{
    if (!rgb) rgb = RED;
    PangoLayout *l = layout_new(d, d->f.title, 36.0, 1, TEXT_W, mark);
    pango_layout_set_alignment(l, PANGO_ALIGN_CENTER);
    show_lines(d, l, LEFT, 48.0, rgb);
    g_object_unref(l);
    pdf_skip(d, 1.0);
    if (number && *number) {
        l = layout_new(d, d->f.body, PDF_SIZE_3, 0, TEXT_W, number);
        pango_layout_set_alignment(l, PANGO_ALIGN_CENTER);
        show_lines(d, l, LEFT, PITCH, 0);
        g_object_unref(l);
    }
    rule(d, d->y + MM(4.0) - PITCH / 2 + PDF_SIZE_3 / 2, 1.0, rgb);
    pdf_skip(d, 1.5);
}

void pdf_title(struct pdf *d, const char *title)
{
    PangoLayout *l = layout_new(d, d->f.title, PDF_SIZE_2, 1, TEXT_W - 4 * PDF_SIZE_3, title);
    pango_layout_set_alignment(l, PANGO_ALIGN_CENTER);
    pango_layout_set_spacing(l, 0);
    show_lines(d, l, LEFT + 2 * PDF_SIZE_3, PITCH * 1.2, 0);
    g_object_unref(l);
    pdf_skip(d, 1.0);
}

void pdf_para(struct pdf *d, enum pdf_style s, const char *text)
{
    const char *family = s == PDF_HEAD1 ? d->f.hei : s == PDF_HEAD2 ? d->f.kai : d->f.body;
    double size = s == PDF_SMALL ? PDF_SIZE_4 : PDF_SIZE_3;
    double width = s == PDF_RIGHT4 ? TEXT_W - 4 * PDF_SIZE_3 : TEXT_W;
    PangoLayout *l = layout_new(d, family, size, 0, width, text);
    if (s == PDF_BODY || s == PDF_HEAD1 || s == PDF_HEAD2 || s == PDF_SMALL)
        pango_layout_set_indent(l, (int)(2 * size * PANGO_SCALE));
    if (s == PDF_BODY || s == PDF_SMALL) pango_layout_set_justify(l, TRUE);
    if (s == PDF_RIGHT4) pango_layout_set_alignment(l, PANGO_ALIGN_RIGHT);
    if (s == PDF_CENTER) pango_layout_set_alignment(l, PANGO_ALIGN_CENTER);
    show_lines(d, l, LEFT, s == PDF_SMALL ? PITCH * 0.8 : PITCH, 0);
    g_object_unref(l);
}

void pdf_band(struct pdf *d, const char *text, uint32_t rgb)
{
    PangoLayout *l = layout_new(d, d->f.hei, PDF_SIZE_3, 1, TEXT_W, text);
    pango_layout_set_alignment(l, PANGO_ALIGN_CENTER);
    if (d->y + PITCH > BOTTOM) new_page(d);
    set_rgb(d->cr, rgb);
    cairo_rectangle(d->cr, LEFT, d->y, TEXT_W, PITCH);
    cairo_fill(d->cr);
    show_lines(d, l, LEFT, PITCH, 0xffffff);
    g_object_unref(l);
}

/* ---- tables ---- */

/* The cells' layouts for one row and its height. */
static double row_layouts(struct pdf *d, const char *const *cells, int head, int bold,
                          PangoLayout **ls)
{
    const struct pdf_table *t = d->table;
    double h = 0, size = t->size > 0 ? t->size : PDF_SIZE_5;
    for (int k = 0; k < t->ncols; k++) {
        double w = t->widths[k] * TEXT_W - 2 * CELL_PAD;
        ls[k] = layout_new(d, head ? d->f.hei : d->f.body, size, bold, w, cells[k]);
        if (head)
            pango_layout_set_alignment(ls[k], PANGO_ALIGN_CENTER);
        else if (t->right >> k & 1)
            pango_layout_set_alignment(ls[k], PANGO_ALIGN_RIGHT);
        int lw, lh;
        pango_layout_get_size(ls[k], &lw, &lh);
        if (lh / (double)PANGO_SCALE > h) h = lh / (double)PANGO_SCALE;
    }
    return h + 2 * CELL_PAD;
}

static void row_draw(struct pdf *d, PangoLayout **ls, double h, int head)
{
    const struct pdf_table *t = d->table;
    double x = LEFT;
    cairo_set_line_width(d->cr, 0.5);
    for (int k = 0; k < t->ncols; k++) {
        double w = t->widths[k] * TEXT_W;
        if (head) {
            cairo_set_source_rgb(d->cr, 0.93, 0.93, 0.93);
            cairo_rectangle(d->cr, x, d->y, w, h);
            cairo_fill(d->cr);
        }
        cairo_set_source_rgb(d->cr, 0, 0, 0);
        cairo_rectangle(d->cr, x, d->y, w, h);
        cairo_stroke(d->cr);
        cairo_move_to(d->cr, x + CELL_PAD, d->y + CELL_PAD);
        pango_cairo_show_layout(d->cr, ls[k]);
        x += w;
    }
    d->y += h;
}

/* Lay out and draw one row (the head when head): a row that does not fit
 * starts a new page, which begins with the head again. */
static void table_row(struct pdf *d, const char *const *cells, int head, int bold)
{
    PangoLayout *ls[32];
    double h = row_layouts(d, cells, head, bold, ls);
    if (d->y + h > BOTTOM && d->y > TOP + 0.01) {
        new_page(d);
        if (!head) table_row(d, d->table->head, 1, 1);
    }
    row_draw(d, ls, h, head);
    for (int k = 0; k < d->table->ncols; k++)
        g_object_unref(ls[k]);
}

void pdf_table_begin(struct pdf *d, const struct pdf_table *t)
{
    d->table = t;
    /* a head alone at the foot of a page: start the table on the next */
    if (d->y + 3 * PITCH > BOTTOM) new_page(d);
    table_row(d, t->head, 1, 1);
}

void pdf_table_row(struct pdf *d, const char *const *cells, int bold)
{
    table_row(d, cells, 0, bold);
}

void pdf_table_end(struct pdf *d)
{
    d->table = NULL;
    d->y += PITCH / 2;
}

/* ---- the 版记 ---- */

void pdf_colophon(struct pdf *d, const char *copy_to, const char *printer, const char *date)
{
    int lines = copy_to && *copy_to ? 2 : 1;
    double need = lines * PITCH + MM(2.0);
    if (d->y + need > BOTTOM) new_page(d);
    double y = BOTTOM - need;
    rule(d, y, 1.0, 0);
    d->y = y + MM(1.0);
    if (lines == 2) {
        char *s = xmalloc(strlen(copy_to) + 16);
        snprintf(s, strlen(copy_to) + 16, "抄送：%s。", copy_to);
        PangoLayout *l = layout_new(d, d->f.body, PDF_SIZE_4, 0, TEXT_W - 2 * PDF_SIZE_4, s);
        show_lines(d, l, LEFT + PDF_SIZE_4, PITCH, 0);
        g_object_unref(l);
        free(s);
        rule(d, d->y, 0.7, 0);
    }
    PangoLayout *l = layout_new(d, d->f.body, PDF_SIZE_4, 0, TEXT_W - 2 * PDF_SIZE_4, printer);
    show_lines(d, l, LEFT + PDF_SIZE_4, PITCH, 0);
    g_object_unref(l);
    char s[64];
    snprintf(s, sizeof s, "%s印发", date ? date : "");
    l = layout_new(d, d->f.body, PDF_SIZE_4, 0, TEXT_W - 2 * PDF_SIZE_4, s);
    pango_layout_set_alignment(l, PANGO_ALIGN_RIGHT);
    d->y -= PITCH;
    show_lines(d, l, LEFT + PDF_SIZE_4, PITCH, 0);
    g_object_unref(l);
    rule(d, d->y + MM(1.0), 1.0, 0);
}
