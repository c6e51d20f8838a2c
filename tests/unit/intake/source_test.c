/* source_test.c — a report's file into text (src/intake/source.c, docx.c,
 * pdf.c): text encodings told apart by their bytes (table-driven, with the
 * byte offsets of what is wrong), the GB18030 plausibility test, the parts of
 * word/document.xml that are read and those that are not, the limits (a
 * document.xml too large as declared and as inflated, text too long, too
 * many pages), malformed files, and the messages in both languages.  The
 * seed, made at test time into a .docx (libzip), a PDF (cairo, with a CJK
 * font), GB18030 and UTF-16, gives exactly the text's directives.  Run from
 * the repository root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <cmocka.h>
#include <iconv.h>
#include <zip.h>

#include "intake/internal.h"
#include "intake/source.h"
#include "util/buf.h"

#define NS_W "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    struct buf b;
    char chunk[65536];
    size_t n;
    buf_init(&b, 0);
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_append(&b, chunk, n);
    fclose(f);
    return buf_detach(&b, len);
}

/* A zip holding name = data[0..len), as malloc'd bytes. */
static unsigned char *make_zip(const char *name, const char *data, size_t len, size_t *out_len)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *out = zip_source_buffer_create(NULL, 0, 0, &ze);
    assert_non_null(out);
    zip_source_keep(out);
    zip_t *z = zip_open_from_source(out, ZIP_TRUNCATE, &ze);
    assert_non_null(z);
    zip_source_t *f = zip_source_buffer(z, data, len, 0);
    assert_true(zip_file_add(z, name, f, ZIP_FL_ENC_UTF_8) >= 0);
    assert_int_equal(zip_close(z), 0);
    zip_stat_t st;
    assert_int_equal(zip_source_open(out), 0);
    assert_int_equal(zip_source_stat(out, &st), 0);
    unsigned char *bytes = malloc(st.size + 1);
    assert_int_equal(zip_source_read(out, bytes, st.size), (zip_int64_t)st.size);
    zip_source_close(out);
    zip_source_free(out);
    zip_error_fini(&ze);
    *out_len = st.size;
    return bytes;
}

/* word/document.xml with one w:p per line of text. */
static char *document_xml(const char *text)
{
    struct buf b;
    buf_init(&b, 0);
    buf_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document xmlns:w=\"" NS_W
                 "\"><w:body><w:p><w:r><w:t xml:space=\"preserve\">");
    for (const char *p = text; *p; p++) {
        if (*p == '\n')
            buf_puts(&b, "</w:t></w:r></w:p><w:p><w:r><w:t xml:space=\"preserve\">");
        else if (*p == '&')
            buf_puts(&b, "&amp;");
        else if (*p == '<')
            buf_puts(&b, "&lt;");
        else
            buf_putc(&b, *p);
    }
    buf_puts(&b, "</w:t></w:r></w:p></w:body></w:document>");
    return buf_detach(&b, NULL);
}

/* cairo 1.16 leaks a little when it subsets a font, and fontconfig when it
 * reads its configuration: what the test's own PDF maker allocates is kept
 * out of LeakSanitizer's report (weak: absent without sanitizers). */
void __lsan_disable(void) __attribute__((weak));
void __lsan_enable(void) __attribute__((weak));

static cairo_status_t pdf_write(void *closure, const unsigned char *data, unsigned int len)
{
    buf_append(closure, data, len);
    return CAIRO_STATUS_SUCCESS;
}

/* A PDF of the text's non-empty lines, per_page lines a page, drawn by cairo
 * in Noto Sans CJK (fonts-noto-cjk): as a word processor would make one. */
static char *make_pdf(const char *text, int per_page, size_t *len)
{
    struct buf b;
    buf_init(&b, 0);
    if (__lsan_disable) __lsan_disable();
    cairo_surface_t *s = cairo_pdf_surface_create_for_stream(pdf_write, &b, 595, 842);
    cairo_t *cr = cairo_create(s);
    cairo_select_font_face(cr, "Noto Sans CJK SC", CAIRO_FONT_SLANT_NORMAL,
                           CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, 14);
    int line = 0;
    for (const char *p = text; *p;) {
        size_t n = strcspn(p, "\n");
        char *l = strndup(p, n);
        if (strspn(l, " ") < n) {
            if (line == per_page) cairo_show_page(cr), line = 0;
            cairo_move_to(cr, 40, 60 + 20 * line++);
            cairo_show_text(cr, l);
        }
        free(l);
        p += n + (p[n] == '\n');
    }
    cairo_destroy(cr);
    cairo_surface_finish(s);
    cairo_surface_destroy(s);
    if (__lsan_enable) __lsan_enable();
    return buf_detach(&b, len);
}

/* text converted with iconv to encoding, as malloc'd bytes. */
static char *iconv_to(const char *encoding, const char *text, size_t *len)
{
    iconv_t cd = iconv_open(encoding, "UTF-8");
    assert_true(cd != (iconv_t)-1);
    size_t in_left = strlen(text), cap = in_left * 4 + 8, out_left = cap;
    char *out = malloc(cap), *in = (char *)text, *o = out;
    assert_true(iconv(cd, &in, &in_left, &o, &out_left) != (size_t)-1);
    iconv_close(cd);
    *len = cap - out_left;
    return out;
}

static const struct {
    const char *in;
    size_t len; /* 0: strlen */
    enum intake_encoding enc;
    const char *out;            /* NULL: refused */
    enum intake_source_err err; /* when refused */
    size_t at;                  /* its byte */
} texts[] = {
    {"会议要求", 0, INTAKE_ENC_UTF8, "会议要求", 0, 0},
    {"\xef\xbb\xbf会议", 0, INTAKE_ENC_UTF8, "会议", 0, 0},
    {"\xff\xfe\x1a\x4f\xae\x8b", 6, INTAKE_ENC_UTF16LE, "会议", 0, 0},
    {"\xfe\xff\x4f\x1a\x8b\xae\x00\x0a", 8, INTAKE_ENC_UTF16BE, "会议\n", 0, 0},
    {"\xff\xfe\x40\xd8\x00\xdc", 6, INTAKE_ENC_UTF16LE, "\xf0\xa0\x80\x80", 0, 0}, /* U+20000 */
    {"\xff\xfe\x1a\x4f\x00\xdc", 6, INTAKE_ENC_UTF16LE, NULL, INTAKE_SOURCE_EUTF16, 4},
    {"\xff\xfe\x1a\x4f\x40\xd8", 6, INTAKE_ENC_UTF16LE, NULL, INTAKE_SOURCE_EUTF16, 4},
    {"\xff\xfe\x40\xd8\x41\x00", 6, INTAKE_ENC_UTF16LE, NULL, INTAKE_SOURCE_EUTF16, 2},
    {"\xff\xfe\x1a\x4f\xae", 5, INTAKE_ENC_UTF16LE, NULL, INTAKE_SOURCE_EUTF16, 4},
    {"\xff\xfe\x1a\x4f\x00\x00", 6, INTAKE_ENC_UTF16LE, NULL, INTAKE_SOURCE_ENUL, 4},
    {"\xbb\xe1\xd2\xe9\xd2\xaa\xc7\xf3\xa3\xac\xb8\xf7\xb2\xbf\xc3\xc5\xd2\xaa\xd7\xa5\xba\xc3"
     "\xc2\xe4\xca\xb5\xa1\xa3",
     0, INTAKE_ENC_GB18030, "会议要求，各部门要抓好落实。", 0, 0},
    {"\x95\x32\x82\x36\xbb\xe1\xd2\xe9\xd2\xaa\xc7\xf3", 0, INTAKE_ENC_GB18030,
     "\xf0\xa0\x80\x80会议要求", 0, 0},
    {"\xc4\xea\xb5\xd7\xc7\xb0\r\n2024", 0, INTAKE_ENC_GB18030, "年底前\r\n2024", 0, 0},
    /* UTF-8 cut mid-character reads as GB18030 of the wrong rows: not prose */
    {"会议要求，\xe4\x41", 0, INTAKE_ENC_UTF8, NULL, INTAKE_SOURCE_EENCODING, 15},
    {"会议\xff指出", 0, INTAKE_ENC_UTF8, NULL, INTAKE_SOURCE_EENCODING, 6},
    {"\xff\xff", 0, INTAKE_ENC_UTF8, NULL, INTAKE_SOURCE_EENCODING, 0},
    {"\xbb\xe1\xd2", 0, INTAKE_ENC_UTF8, NULL, INTAKE_SOURCE_EENCODING, 0}, /* a lone lead */
    {"ab\0cd", 5, INTAKE_ENC_UTF8, NULL, INTAKE_SOURCE_ENUL, 2},
    {"\xbb\xe1\0\xd2\xe9", 5, INTAKE_ENC_UTF8, NULL, INTAKE_SOURCE_ENUL, 2},
    {"", 0, INTAKE_ENC_UTF8, "", 0, 0}, /* an empty text is intake's to judge */
};

static void test_text_encodings(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        struct intake_source s;
        size_t len = texts[i].len ? texts[i].len : strlen(texts[i].in);
        int rc = intake_source_read(texts[i].in, len, NULL, &s);
        assert_int_equal(s.format, INTAKE_FORMAT_TEXT);
        if (texts[i].out) {
            if (rc) fail_msg("case %zu refused (%d at %zu)", i, s.err, s.at);
            assert_int_equal(s.encoding, texts[i].enc);
            assert_int_equal(s.len, strlen(texts[i].out));
            assert_string_equal(s.text, texts[i].out);
        } else {
            if (!rc) fail_msg("case %zu read as %s", i, s.text);
            assert_null(s.text);
            assert_int_equal(s.err, texts[i].err);
            assert_int_equal(s.at, texts[i].at);
        }
        intake_source_free(&s);
    }
}

static void test_gb_plausible(void **state)
{
    (void)state;
    const unsigned char prose[] = "\xbb\xe1\xd2\xe9\xd2\xaa\xc7\xf3"; /* 会议要求 */
    const unsigned char rare[] = "\x81\x40\x81\x41\xbb\xe1\xd2\xe9";  /* two GBK-only of four */
    const unsigned char one_rare[] = "\x81\x40\xbb\xe1\xd2\xe9\xd2\xaa\xc7\xf3"; /* one of five */
    assert_true(intake_source_gb_plausible(prose, 8));
    assert_false(intake_source_gb_plausible(rare, 8));
    assert_true(intake_source_gb_plausible(one_rare, 10));
    assert_false(intake_source_gb_plausible((const unsigned char *)"plain", 5)); /* no Chinese */
    assert_false(intake_source_gb_plausible((const unsigned char *)"\xbb\x20", 2));
    assert_false(intake_source_gb_plausible((const unsigned char *)"\x80\xbb\xe1", 3));
}

static void test_sniff(void **state)
{
    (void)state;
    int ole;
    assert_int_equal(intake_source_sniff((const unsigned char *)"PK\3\4xx", 6, &ole),
                     INTAKE_FORMAT_DOCX);
    assert_int_equal(ole, 0);
    assert_int_equal(intake_source_sniff((const unsigned char *)"\n\n%PDF-1.4", 10, &ole),
                     INTAKE_FORMAT_PDF);
    assert_int_equal(intake_source_sniff((const unsigned char *)"PK", 2, &ole), INTAKE_FORMAT_TEXT);
    assert_int_equal(
        intake_source_sniff((const unsigned char *)"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8, &ole),
        INTAKE_FORMAT_TEXT);
    assert_int_equal(ole, 1);
    struct intake_source s;
    assert_int_equal(intake_source_read("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\0\0", 10, NULL, &s), -1);
    assert_int_equal(s.err, INTAKE_SOURCE_EOLE);
}

/* The text a document.xml gives, fed in one piece or a byte at a time. */
static char *xml_text(const char *xml, int bytewise, struct intake_source *s)
{
    struct buf b;
    buf_init(&b, 0);
    struct intake_docx_xml *x = intake_docx_xml_new(&b);
    size_t len = strlen(xml);
    int rc = 0;
    memset(s, 0, sizeof *s);
    if (bytewise)
        for (size_t i = 0; i < len && !rc; i++)
            rc = intake_docx_xml_feed(x, xml + i, 1, 0, s);
    else
        rc = intake_docx_xml_feed(x, xml, len, 0, s);
    if (!rc) rc = intake_docx_xml_feed(x, "", 0, 1, s);
    intake_docx_xml_free(x);
    if (rc) {
        buf_free(&b);
        return NULL;
    }
    return buf_detach(&b, NULL);
}

#define DOC(body) "<w:document xmlns:w=\"" NS_W "\"><w:body>" body "</w:body></w:document>"
#define MC        "http://schemas.openxmlformats.org/markup-compatibility/2006"

static const struct {
    const char *xml, *text;
} xmls[] = {
    {DOC("<w:p><w:r><w:t>会议</w:t></w:r><w:r><w:t xml:space=\"preserve\"> 强调</w:t></w:r></w:p>"
         "<w:p/>"),
     "会议 强调\n\n"},
    {DOC("<w:p><w:r><w:t>一是</w:t><w:tab/><w:t>要</w:t><w:br/><w:t>抓</w:t><w:cr/></w:r></w:p>"),
     "一是\t要\n抓\n\n"},
    /* properties, deleted text, field codes and proofing marks are not text */
    {DOC("<w:p><w:pPr><w:pStyle w:val=\"Title\"/></w:pPr><w:r><w:rPr><w:b/></w:rPr><w:t>A</w:t>"
         "</w:r><w:del><w:r><w:delText>B</w:delText></w:r></w:del><w:r><w:instrText>PAGE"
         "</w:instrText></w:r><w:proofErr/><w:ins><w:r><w:t>C</w:t></w:r></w:ins></w:p>"),
     "AC\n"},
    /* a text box: its mc:Choice is read, its mc:Fallback copy is not */
    {"<w:document xmlns:w=\"" NS_W "\" xmlns:mc=\"" MC "\"><w:body><w:p><w:r><mc:AlternateContent>"
     "<mc:Choice><w:p><w:r><w:t>框</w:t></w:r></w:p></mc:Choice><mc:Fallback><w:p><w:r><w:t>框"
     "</w:t></w:r></w:p></mc:Fallback></mc:AlternateContent></w:r></w:p></w:body></w:document>",
     "框\n\n"},
    /* any prefix; strict OOXML's namespace; another namespace's t is not text */
    {"<d xmlns:x=\"" NS_W "\" xmlns:o=\"urn:other\"><x:p><x:r><x:t>甲</x:t><o:t>乙</o:t></x:r>"
     "</x:p></d>",
     "甲\n"},
    {"<w:document xmlns:w=\"http://purl.oclc.org/ooxml/wordprocessingml/main\"><w:p><w:r><w:t>丙"
     "</w:t></w:r></w:p></w:document>",
     "丙\n"},
    {DOC("<w:p><w:r><w:t>&lt;&amp;&#x4F1A;</w:t></w:r></w:p>"), "<&会\n"},
};

static void test_docx_xml(void **state)
{
    (void)state;
    struct intake_source s;
    for (size_t i = 0; i < sizeof xmls / sizeof xmls[0]; i++)
        for (int bytewise = 0; bytewise < 2; bytewise++) {
            char *t = xml_text(xmls[i].xml, bytewise, &s);
            if (!t) fail_msg("case %zu: %s", i, s.detail);
            assert_string_equal(t, xmls[i].text);
            free(t);
        }
    assert_null(xml_text(DOC("<w:p>") "\n<x></y>", 0, &s));
    assert_int_equal(s.err, INTAKE_SOURCE_EXML);
    assert_int_equal(s.line, 1);
    assert_string_equal(s.detail, "mismatched tag");
    assert_null(xml_text("<!DOCTYPE d [<!ENTITY a \"aa\">]><d>&a;</d>", 0, &s));
    assert_int_equal(s.err, INTAKE_SOURCE_EXML);
    assert_string_equal(s.detail, "a DOCTYPE is not allowed");
}

static int read_docx_xml(const char *xml, const struct intake_source_limits *lim,
                         struct intake_source *s)
{
    size_t len;
    unsigned char *z = make_zip("word/document.xml", xml, strlen(xml), &len);
    int rc = intake_source_read(z, len, lim, s);
    free(z);
    return rc;
}

/* Patch the uncompressed size a zip declares for its only file (local header
 * and central directory) to size: a lying header. */
static void zip_lie(unsigned char *z, size_t len, uint32_t size)
{
    for (size_t i = 0; i + 46 <= len; i++) {
        if (!memcmp(z + i, "PK\3\4", 4)) memcpy(z + i + 22, &size, 4);
        if (!memcmp(z + i, "PK\1\2", 4)) memcpy(z + i + 24, &size, 4);
    }
}

static void test_docx_limits_and_errors(void **state)
{
    (void)state;
    struct intake_source s;
    struct intake_source_limits lim = {.max_xml = 4000};
    char *xml = document_xml("会议要求\n各部门要抓好落实");
    assert_int_equal(read_docx_xml(xml, NULL, &s), 0);
    assert_int_equal(s.format, INTAKE_FORMAT_DOCX);
    assert_int_equal(s.encoding, INTAKE_ENC_UTF8);
    assert_string_equal(s.text, "会议要求\n各部门要抓好落实\n");
    intake_source_free(&s);
    free(xml);
    /* document.xml over the limit: by the size it declares, and as it inflates */
    struct buf big;
    buf_init(&big, 0);
    buf_puts(&big, "<w:document xmlns:w=\"" NS_W "\"><w:body>");
    for (int i = 0; i < 1000; i++)
        buf_puts(&big, "<w:p/>");
    buf_puts(&big, "</w:body></w:document>");
    assert_int_equal(read_docx_xml(buf_cstr(&big), &lim, &s), -1);
    assert_int_equal(s.err, INTAKE_SOURCE_EBIG);
    assert_int_equal(s.limit, 4000);
    size_t zlen;
    unsigned char *z = make_zip("word/document.xml", big.data, big.len, &zlen);
    zip_lie(z, zlen, 100);
    assert_int_equal(intake_source_read(z, zlen, &lim, &s), -1);
    assert_int_equal(s.err, INTAKE_SOURCE_EBIG);
    lim.max_xml = 0;
    lim.max_text = 500; /* 1000 paragraphs are 1000 line breaks */
    assert_int_equal(intake_source_read(z, zlen, &lim, &s), -1);
    assert_int_equal(s.err, INTAKE_SOURCE_ELONG);
    assert_int_equal(s.limit, 500);
    free(z);
    buf_free(&big);
    /* no text, no document.xml, no zip */
    assert_int_equal(read_docx_xml(DOC("<w:p/><w:p><w:r><w:t> </w:t></w:r></w:p>"), NULL, &s), -1);
    assert_int_equal(s.err, INTAKE_SOURCE_EEMPTY);
    z = make_zip("word/styles.xml", "<x/>", 4, &zlen);
    assert_int_equal(intake_source_read(z, zlen, NULL, &s), -1);
    assert_int_equal(s.err, INTAKE_SOURCE_ENODOCX);
    assert_int_equal(intake_source_read(z, zlen / 2, NULL, &s), -1);
    assert_int_equal(s.err, INTAKE_SOURCE_EZIP);
    assert_string_equal(s.detail, "Not a zip archive");
    free(z);
}

static void test_pdf_limits_and_errors(void **state)
{
    (void)state;
    struct intake_source s;
    size_t len;
    char *pdf = make_pdf("第一页\n第二页\n第三页\n", 1, &len);
    struct intake_source_limits lim = {.max_pages = 2};
    assert_int_equal(intake_source_read(pdf, len, NULL, &s), 0);
    assert_int_equal(s.format, INTAKE_FORMAT_PDF);
    assert_int_equal(s.encoding, INTAKE_ENC_NONE);
    assert_int_equal(s.pages, 3);
    assert_string_equal(s.text, "第一页\n第二页\n第三页\n");
    intake_source_free(&s);
    assert_int_equal(intake_source_read(pdf, len, &lim, &s), -1);
    assert_int_equal(s.err, INTAKE_SOURCE_EPAGES);
    assert_int_equal(intake_source_read(pdf, len / 2, NULL, &s), -1);
    assert_int_equal(s.err, INTAKE_SOURCE_EPDF);
    free(pdf);
    pdf = make_pdf(" \n", 1, &len); /* one page, no text: a scan */
    assert_int_equal(intake_source_read(pdf, len, NULL, &s), -1);
    assert_int_equal(s.err, INTAKE_SOURCE_EEMPTY);
    free(pdf);
}

/* The directives of text (already decoded), as "paragraph start end text" lines. */
static char *directives_of(const char *data, size_t len)
{
    struct intake_options opt = {.today = {2023, 3, 16}};
    struct intake_result r;
    struct buf b;
    assert_int_equal(intake_run(data, len, &opt, &r, NULL), INTAKE_OK);
    buf_init(&b, 0);
    for (size_t i = 0; i < r.n_directives; i++)
        buf_printf(&b, "%zu %zu %zu %s\n", r.directives[i].paragraph, r.directives[i].start,
                   r.directives[i].end, r.directives[i].text);
    buf_printf(&b, "%zu paragraphs", r.n_paragraphs);
    intake_result_free(&r);
    return buf_detach(&b, NULL);
}

static void test_seed_in_every_format(void **state)
{
    (void)state;
    size_t len, n[4];
    char *seed = slurp("tests/intake/seed.txt", &len);
    char *want = directives_of(seed, len), *xml = document_xml(seed);
    unsigned char *files[4];
    files[0] = make_zip("word/document.xml", xml, strlen(xml), &n[0]);
    files[1] = (unsigned char *)make_pdf(seed, 40, &n[1]);
    files[2] = (unsigned char *)iconv_to("GB18030", seed, &n[2]);
    files[3] = (unsigned char *)iconv_to("UTF-16", seed, &n[3]);
    static const enum intake_format formats[] = {INTAKE_FORMAT_DOCX, INTAKE_FORMAT_PDF,
                                                 INTAKE_FORMAT_TEXT, INTAKE_FORMAT_TEXT};
    static const enum intake_encoding encs[] = {INTAKE_ENC_UTF8, INTAKE_ENC_NONE,
                                                INTAKE_ENC_GB18030, INTAKE_ENC_UTF16LE};
    for (int k = 0; k < 4; k++) {
        struct intake_source s;
        assert_int_equal(intake_source_read(files[k], n[k], NULL, &s), 0);
        assert_int_equal(s.format, formats[k]);
        assert_int_equal(s.encoding, encs[k]);
        char *got = directives_of(s.text, s.len);
        assert_string_equal(got, want);
        free(got);
        intake_source_free(&s);
        free(files[k]);
    }
    assert_int_equal(strncmp(strrchr(want, '\n') + 1, "21 paragraphs", 13), 0);
    size_t lines = 0;
    for (const char *p = want; (p = strchr(p, '\n')); p++)
        lines++;
    assert_int_equal(lines, 15);
    free(want);
    free(xml);
    free(seed);
}

static void test_messages(void **state)
{
    (void)state;
    char en[256], zh[256];
    struct intake_source s = {.err = INTAKE_SOURCE_EENCODING, .at = 15};
    intake_source_message(&s, 1, en, sizeof en);
    assert_string_equal(en, "the text is not valid UTF-8 at byte 15");
    intake_source_message(&s, 0, zh, sizeof zh);
    assert_string_equal(zh, "文本既不是有效的 UTF-8，也不是 GB18030：第 15 字节处有误");
    s = (struct intake_source){.err = INTAKE_SOURCE_EXML, .line = 3, .column = 7};
    snprintf(s.detail, sizeof s.detail, "mismatched tag");
    intake_source_message(&s, 1, en, sizeof en);
    assert_string_equal(en, "the .docx's word/document.xml is malformed at line 3, column 7: "
                            "mismatched tag");
    intake_source_message(&s, 0, zh, sizeof zh);
    assert_string_equal(zh,
                        ".docx 文件的 word/document.xml 在第 3 行第 7 列格式有误：mismatched tag");
    s = (struct intake_source){.err = INTAKE_SOURCE_EBIG, .limit = 4096};
    intake_source_message(&s, 0, zh, sizeof zh);
    assert_string_equal(zh, ".docx 文件的 word/document.xml 超过 4096 字节");
    /* every error has words in both languages, and they differ */
    for (int e = INTAKE_SOURCE_EENCODING; e <= INTAKE_SOURCE_EPAGES; e++) {
        s = (struct intake_source){.err = (enum intake_source_err)e};
        intake_source_message(&s, 1, en, sizeof en);
        intake_source_message(&s, 0, zh, sizeof zh);
        assert_true(strlen(en) > 10 && strlen(zh) > 10);
        assert_string_not_equal(en, zh);
    }
    assert_string_equal(intake_format_name(INTAKE_FORMAT_DOCX), "docx");
    assert_string_equal(intake_encoding_name(INTAKE_ENC_UTF16BE), "UTF-16BE");
    assert_null(intake_encoding_name(INTAKE_ENC_NONE));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_encodings),
        cmocka_unit_test(test_gb_plausible),
        cmocka_unit_test(test_sniff),
        cmocka_unit_test(test_docx_xml),
        cmocka_unit_test(test_docx_limits_and_errors),
        cmocka_unit_test(test_pdf_limits_and_errors),
        cmocka_unit_test(test_seed_in_every_format),
        cmocka_unit_test(test_messages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
