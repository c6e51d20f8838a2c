/* pdf.h — A4 documents in the layout of the national standard for official
 * documents (GB/T 9704-2012), written as PDF through cairo and pango.
 *
 * A document is laid out top to bottom on a cursor: the red 版头 (issuing
 * office and 发文字号 over a red rule), the title, paragraphs, tables that
 * split across pages with their header row repeated, the 落款 and the 版记
 * (抄送, 印发) at the foot of the last page; every page carries its number
 * as "— 1 —" (odd pages on the right, even on the left).  The 版心 is the
 * standard's: 156 mm × 225 mm, 37 mm from the top and 28 mm from the left;
 * the body is 3号 (15.75 pt) in 22 lines of 28 characters.  Fonts are
 * families fontconfig knows (struct pdf_fonts), embedded as subsets.
 *
 * The bytes go to a struct buf; nothing here knows notices or items. */
#ifndef LUOSHI_NOTICE_PDF_H
#define LUOSHI_NOTICE_PDF_H

#include <stdint.h>

#include "core/core.h"
#include "util/buf.h"

/* The type sizes of the standard, in points. */
#define PDF_SIZE_2 21.75 /* 2号: the title */
#define PDF_SIZE_3 15.75 /* 3号: the body */
#define PDF_SIZE_4 14.0  /* 4号: page numbers, the 版记 */
#define PDF_SIZE_5 10.5  /* 5号: tables */

/* Font families, each a comma-separated fontconfig list (the first that is
 * installed wins, glyph by glyph).  NULL members take the defaults below. */
struct pdf_fonts {
    const char *title; /* 小标宋-like: the 版头 and the title (set bold) */
    const char *body;  /* 仿宋-like: the body */
    const char *kai;   /* 楷体: second-level headings */
    const char *hei;   /* 黑体: first-level headings, table heads */
};

#define PDF_FONT_TITLE "Noto Serif CJK SC"
#define PDF_FONT_BODY  "FangSong,AR PL UKai CN,Noto Serif CJK SC"
#define PDF_FONT_KAI   "KaiTi,AR PL UKai CN,Noto Serif CJK SC"
#define PDF_FONT_HEI   "Noto Sans CJK SC"

/* Paragraph styles for pdf_para. */
enum pdf_style {
    PDF_BODY,   /* 仿宋, first line indented two characters, justified */
    PDF_PLAIN,  /* 仿宋, flush left, no indent (主送) */
    PDF_HEAD1,  /* 黑体, indented two characters (一、) */
    PDF_HEAD2,  /* 楷体, indented two characters (（一）) */
    PDF_RIGHT4, /* 仿宋, right-aligned four characters from the edge (落款, date) */
    PDF_CENTER, /* 仿宋, centred */
    PDF_SMALL,  /* 4号 仿宋, indented two characters (notes) */
};

struct pdf;

/* Begin a document that will be written to out: title is its metadata
 * title, date ("YYYY-MM-DD", may be NULL) its creation date, fonts may be
 * NULL.  Never NULL (xmalloc); pdf_end finishes and frees it. */
struct pdf *pdf_begin(struct buf *out, const char *title, const char *date,
                      const struct pdf_fonts *fonts);
/* Finish the last page and write the document to out; frees d.  0, or -1
 * with e 500 when cairo failed or out is full. */
int pdf_end(struct pdf *d, struct err *e);

/* The red 版头: the issuing office's mark centred in red, the 发文字号
 * (number, may be NULL) two lines below it and the red rule under both;
 * rgb is the colour (0xRRGGBB, 0 for the standard's red). */
void pdf_red_head(struct pdf *d, const char *mark, const char *number, uint32_t rgb);
/* The title: 2号 bold serif, centred, a blank line after it. */
void pdf_title(struct pdf *d, const char *title);
/* One paragraph in style s. */
void pdf_para(struct pdf *d, enum pdf_style s, const char *text);
/* Start a new page unless lines body lines still fit on this one (what
 * must stay together: the 落款 and its date). */
void pdf_keep(struct pdf *d, double lines);
/* Move down by lines body lines (a fraction is allowed). */
void pdf_skip(struct pdf *d, double lines);
/* A boxed line in colour rgb across the 版心 (a 督办单's level band). */
void pdf_band(struct pdf *d, const char *text, uint32_t rgb);

/* A table: ncols (at most 32) columns whose widths are fractions of the
 * 版心 (they sum to 1); right is a bit mask of the columns aligned right
 * (figures); size the type size (0: 5号).  The
 * head is drawn first and again at the top of every page the table runs
 * onto. */
struct pdf_table {
    int ncols;
    const double *widths;
    const char *const *head;
    uint32_t right;
    double size;
};
/* Start table t (t and what it points to must live until pdf_table_end). */
void pdf_table_begin(struct pdf *d, const struct pdf_table *t);
/* One row of t's ncols cells (NULL cells are empty); bold for a total row. */
void pdf_table_row(struct pdf *d, const char *const *cells, int bold);
/* End the table: a little space after it. */
void pdf_table_end(struct pdf *d);

/* The 版记 at the foot of the last page: 抄送 (copy_to, may be NULL or
 * empty), the printing office and the printing date between the standard's
 * rules. */
void pdf_colophon(struct pdf *d, const char *copy_to, const char *printer, const char *date);

/* The number of pages begun so far. */
int pdf_pages(const struct pdf *d);

#endif
