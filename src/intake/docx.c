/* docx.c — the text of a .docx: word/document.xml out of the zip (libzip),
 * read with expat as it inflates.
 *
 * Only the body's words are wanted: a paragraph (w:p) is a line, its runs'
 * text (w:t) is kept, a tab (w:tab) is a tab and a break (w:br, w:cr) a line
 * break; everything else — properties, deleted text (w:delText), field codes,
 * the fallback copy of a text box (mc:Fallback) — is skipped.  Element names
 * are matched by namespace, so any prefix works (transitional and strict
 * OOXML).  The zip bomb guard is twofold: the size the archive declares for
 * document.xml is checked before a byte is inflated, and the inflated bytes
 * are counted as they come, so a lying header stops at the same limit.  The
 * XML never holds the whole document in memory (it is parsed in pieces), a
 * DOCTYPE is refused (no entities to expand), and the text out is limited by
 * the caller's buffer. */
#include <expat.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "intake/internal.h"
#include "util/mem.h"

#define NS_W        "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define NS_W_STRICT "http://purl.oclc.org/ooxml/wordprocessingml/main"
#define NS_MC       "http://schemas.openxmlformats.org/markup-compatibility/2006"
#define NS_SEP      '\x01'

struct intake_docx_xml {
    XML_Parser p;
    struct buf *b;
    int in_text;     /* inside w:t */
    int in_fallback; /* depth of mc:Fallback */
    int doctype;     /* a DOCTYPE was seen: refused */
};

/* The WordprocessingML local name of the expanded name (NS\1local), or NULL
 * for another namespace; *fallback is 1 for mc:Fallback. */
static const char *w_local(const XML_Char *name, int *fallback)
{
    const char *sep = strchr(name, NS_SEP);
    *fallback = 0;
    if (!sep) return NULL;
    size_t n = (size_t)(sep - name);
    if (n == sizeof NS_MC - 1 && !memcmp(name, NS_MC, n)) {
        *fallback = !strcmp(sep + 1, "Fallback");
        return NULL;
    }
    if ((n == sizeof NS_W - 1 && !memcmp(name, NS_W, n)) ||
        (n == sizeof NS_W_STRICT - 1 && !memcmp(name, NS_W_STRICT, n)))
        return sep + 1;
    return NULL;
}

static void XMLCALL x_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct intake_docx_xml *x = ud;
    int fallback;
    const char *w = w_local(name, &fallback);
    (void)atts;
    x->in_fallback += fallback;
    if (!w || x->in_fallback) return;
    if (!strcmp(w, "t"))
        x->in_text = 1;
    else if (!strcmp(w, "tab"))
        buf_putc(x->b, '\t');
    else if (!strcmp(w, "br") || !strcmp(w, "cr"))
        buf_putc(x->b, '\n');
}

static void XMLCALL x_end(void *ud, const XML_Char *name)
{
    struct intake_docx_xml *x = ud;
    int fallback;
    const char *w = w_local(name, &fallback);
    if (fallback && x->in_fallback) x->in_fallback--;
    if (!w || x->in_fallback) return;
    if (!strcmp(w, "t"))
        x->in_text = 0;
    else if (!strcmp(w, "p"))
        buf_putc(x->b, '\n');
    if (x->b->err) XML_StopParser(x->p, XML_FALSE);
}

static void XMLCALL x_chars(void *ud, const XML_Char *s, int len)
{
    struct intake_docx_xml *x = ud;
    if (!x->in_text || x->in_fallback || len <= 0) return;
    if (buf_append(x->b, s, (size_t)len)) XML_StopParser(x->p, XML_FALSE);
}

static void XMLCALL x_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
                              const XML_Char *pubid, int internal)
{
    struct intake_docx_xml *x = ud;
    (void)name, (void)sysid, (void)pubid, (void)internal;
    x->doctype = 1;
    XML_StopParser(x->p, XML_FALSE);
}

struct intake_docx_xml *intake_docx_xml_new(struct buf *b)
{
    struct intake_docx_xml *x = xcalloc(1, sizeof *x);
    x->p = XML_ParserCreateNS(NULL, NS_SEP);
    if (!x->p) abort(); /* expat could not allocate: as xmalloc does */
    x->b = b;
    XML_SetUserData(x->p, x);
    XML_SetElementHandler(x->p, x_start, x_end);
    XML_SetCharacterDataHandler(x->p, x_chars);
    XML_SetStartDoctypeDeclHandler(x->p, x_doctype);
    return x;
}

int intake_docx_xml_feed(struct intake_docx_xml *x, const char *xml, size_t len, int last,
                         struct intake_source *s)
{
    if (len > (size_t)INT32_MAX) len = INT32_MAX; /* callers feed pieces */
    if (XML_Parse(x->p, xml, (int)len, last) == XML_STATUS_OK) return 0;
    if (x->b->err) {
        s->limit = x->b->max;
        return intake_source_fail(s, INTAKE_SOURCE_ELONG, 0);
    }
    s->line = XML_GetCurrentLineNumber(x->p);
    s->column = XML_GetCurrentColumnNumber(x->p) + 1;
    snprintf(s->detail, sizeof s->detail, "%s",
             x->doctype ? "a DOCTYPE is not allowed" : XML_ErrorString(XML_GetErrorCode(x->p)));
    return intake_source_fail(s, INTAKE_SOURCE_EXML, 0);
}

void intake_docx_xml_free(struct intake_docx_xml *x)
{
    if (!x) return;
    XML_ParserFree(x->p);
    free(x);
}

/* libzip's words for what went wrong, into s->detail; -1 with EZIP. */
static int zip_fail(struct intake_source *s, zip_error_t *ze)
{
    snprintf(s->detail, sizeof s->detail, "%s", zip_error_strerror(ze));
    return intake_source_fail(s, INTAKE_SOURCE_EZIP, 0);
}

/* Inflate document.xml in pieces into the XML reader, counting the bytes. */
static int docx_inflate(zip_file_t *f, size_t max_xml, struct buf *b, struct intake_source *s)
{
    struct intake_docx_xml *x = intake_docx_xml_new(b);
    enum { PIECE = 65536 };
    char *piece = xmalloc(PIECE);
    size_t total = 0;
    int rc = 0;
    for (;;) {
        zip_int64_t n = zip_fread(f, piece, PIECE);
        if (n < 0) {
            rc = zip_fail(s, zip_file_get_error(f));
            break;
        }
        total += (size_t)n;
        if (total > max_xml) {
            s->limit = max_xml;
            rc = intake_source_fail(s, INTAKE_SOURCE_EBIG, 0);
            break;
        }
        if ((rc = intake_docx_xml_feed(x, piece, (size_t)n, n == 0, s)) || n == 0) break;
    }
    intake_docx_xml_free(x);
    free(piece);
    return rc;
}

/* word/document.xml of the open archive z: its declared size checked, then read. */
static int docx_document(zip_t *z, size_t max_xml, struct buf *b, struct intake_source *s)
{
    zip_stat_t st;
    zip_int64_t idx = zip_name_locate(z, "word/document.xml", 0);
    if (idx < 0) return intake_source_fail(s, INTAKE_SOURCE_ENODOCX, 0);
    zip_stat_init(&st);
    if (zip_stat_index(z, (zip_uint64_t)idx, 0, &st)) return zip_fail(s, zip_get_error(z));
    if ((st.valid & ZIP_STAT_SIZE) && st.size > max_xml) {
        s->limit = max_xml;
        return intake_source_fail(s, INTAKE_SOURCE_EBIG, 0);
    }
    zip_file_t *f = zip_fopen_index(z, (zip_uint64_t)idx, 0);
    if (!f) return zip_fail(s, zip_get_error(z));
    int rc = docx_inflate(f, max_xml, b, s);
    zip_fclose(f);
    return rc;
}

int intake_docx_read(const unsigned char *d, size_t len, const struct intake_source_limits *lim,
                     struct buf *b, struct intake_source *s)
{
    zip_error_t ze;
    zip_error_init(&ze);
    s->encoding = INTAKE_ENC_UTF8;
    zip_source_t *src = zip_source_buffer_create(d, len, 0, &ze);
    zip_t *z = src ? zip_open_from_source(src, ZIP_RDONLY, &ze) : NULL;
    if (!z) {
        zip_source_free(src);
        int rc = zip_fail(s, &ze);
        zip_error_fini(&ze);
        return rc;
    }
    zip_error_fini(&ze);
    int rc = docx_document(z, lim->max_xml, b, s);
    zip_discard(z);
    return rc ? rc : intake_source_take(s, b, 1);
}
