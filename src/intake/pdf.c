/* pdf.c — the text of a PDF through poppler-glib: each page's text in
 * reading order (poppler_page_get_text), the pages joined by a line break, so
 * a paragraph cut by a page end is joined again by lines.c like any column
 * cut, and a page's furniture (its number, header, 下转第2版) stays the
 * furniture intake knows.
 *
 * poppler keeps global state (its GlobalParams) that it sets up without a
 * lock on first use, so one PDF is read at a time.  Its text comes from the
 * fonts' Unicode maps, which a malformed file can fill with anything: bytes
 * that are not UTF-8 become U+FFFD, and the text stops at a NUL, so what
 * leaves here is text intake can trust.  A scanned PDF has no text at all and
 * is refused as empty. */
#include <poppler.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "intake/internal.h"
#include "util/utf8.h"

static pthread_mutex_t pdf_lock = PTHREAD_MUTEX_INITIALIZER;

/* Append the UTF-8 text t to b, each invalid byte as U+FFFD. */
static void pdf_append(struct buf *b, const char *t)
{
    size_t len = strlen(t), at = 0, bad;
    while (at < len && !b->err) {
        if (utf8_validate(t + at, len - at, &bad)) {
            buf_append(b, t + at, len - at);
            return;
        }
        buf_append(b, t + at, bad);
        buf_append(b, "\xEF\xBF\xBD", 3);
        at += bad + 1;
    }
}

/* poppler's words for a document it would not open, as EPDF or ELOCKED. */
static int pdf_refused(GError *ge, struct intake_source *s)
{
    int locked = ge && ge->domain == POPPLER_ERROR && ge->code == POPPLER_ERROR_ENCRYPTED;
    snprintf(s->detail, sizeof s->detail, "%s", ge && ge->message ? ge->message : "?");
    if (ge) g_error_free(ge);
    return intake_source_fail(s, locked ? INTAKE_SOURCE_ELOCKED : INTAKE_SOURCE_EPDF, 0);
}

/* Every page of doc, in order, into b. */
static int pdf_pages(PopplerDocument *doc, size_t max_pages, struct buf *b, struct intake_source *s)
{
    int n = poppler_document_get_n_pages(doc);
    if (n > 0 && (size_t)n > max_pages) {
        s->limit = max_pages;
        return intake_source_fail(s, INTAKE_SOURCE_EPAGES, 0);
    }
    s->pages = n > 0 ? (size_t)n : 0;
    for (int i = 0; i < n && !b->err; i++) {
        PopplerPage *pg = poppler_document_get_page(doc, i);
        char *t = pg ? poppler_page_get_text(pg) : NULL;
        if (t) pdf_append(b, t);
        if (b->len && b->data[b->len - 1] != '\n') buf_putc(b, '\n');
        g_free(t);
        if (pg) g_object_unref(pg);
    }
    return 0;
}

int intake_pdf_read(const unsigned char *d, size_t len, const struct intake_source_limits *lim,
                    struct buf *b, struct intake_source *s)
{
    GError *ge = NULL;
    int rc;
    s->encoding = INTAKE_ENC_NONE;
    pthread_mutex_lock(&pdf_lock);
    GBytes *bytes = g_bytes_new_static(d, len);
    PopplerDocument *doc = poppler_document_new_from_bytes(bytes, NULL, &ge);
    if (!doc)
        rc = pdf_refused(ge, s);
    else
        rc = pdf_pages(doc, lim->max_pages, b, s);
    if (doc) g_object_unref(doc);
    g_bytes_unref(bytes);
    pthread_mutex_unlock(&pdf_lock);
    return rc ? rc : intake_source_take(s, b, 1);
}
