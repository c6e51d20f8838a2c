/* source.c — a meeting report's file into UTF-8 text: the format detected
 * from the first bytes (a zip is a .docx, %PDF- a PDF, an OLE compound file
 * a .doc or .wps we do not read), then text decoded from UTF-8, UTF-16 with
 * its BOM, or GB18030.  It owns the detection, the text encodings and the
 * error messages in both languages; reading a .docx is docx.c's job, a PDF
 * pdf.c's.  GB18030 accepts almost any byte string with the high bit set, so
 * a text that is not UTF-8 is read as GB18030 only when it is well-formed and
 * at least four in five of its double-byte characters are in GB2312's rows
 * of symbols and hanzi, as Chinese prose is; UTF-8 with a bad byte or two
 * (a file cut mid-character) is not, and stays an encoding error naming the
 * byte. */
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "intake/internal.h"
#include "util/mem.h"
#include "util/utf8.h"

int intake_source_fail(struct intake_source *s, enum intake_source_err e, size_t at)
{
    free(s->text);
    s->text = NULL;
    s->len = 0;
    s->err = e;
    s->at = at;
    return -1;
}

int intake_source_take(struct intake_source *s, struct buf *b, int need_text)
{
    if (b->err) {
        s->limit = b->max;
        return intake_source_fail(s, INTAKE_SOURCE_ELONG, 0);
    }
    s->text = buf_detach(b, &s->len);
    for (size_t i = 0; need_text && i < s->len; i++)
        if (s->text[i] != ' ' && s->text[i] != '\n' && s->text[i] != '\t' && s->text[i] != '\r')
            return 0;
    return need_text ? intake_source_fail(s, INTAKE_SOURCE_EEMPTY, 0) : 0;
}

/* UTF-8, without its BOM; a NUL character is refused. */
static int text_utf8(const unsigned char *d, size_t len, struct buf *b, struct intake_source *s)
{
    size_t skip = len >= 3 && d[0] == 0xEF && d[1] == 0xBB && d[2] == 0xBF ? 3 : 0;
    const unsigned char *nul = memchr(d + skip, 0, len - skip);
    if (nul) return intake_source_fail(s, INTAKE_SOURCE_ENUL, (size_t)(nul - d));
    s->encoding = INTAKE_ENC_UTF8;
    buf_append(b, d + skip, len - skip);
    return intake_source_take(s, b, 0);
}

/* One UTF-16 code unit at d[i]. */
static uint32_t u16_at(const unsigned char *d, size_t i, int be)
{
    return be ? (uint32_t)d[i] << 8 | d[i + 1] : (uint32_t)d[i + 1] << 8 | d[i];
}

/* UTF-16 after its BOM: surrogates must pair, the length must be even. */
static int text_utf16(const unsigned char *d, size_t len, int be, struct buf *b,
                      struct intake_source *s)
{
    size_t i = 2;
    s->encoding = be ? INTAKE_ENC_UTF16BE : INTAKE_ENC_UTF16LE;
    while (i + 1 < len && !b->err) {
        size_t at = i;
        uint32_t u = u16_at(d, i, be), lo;
        i += 2;
        if (u >= 0xDC00 && u <= 0xDFFF) return intake_source_fail(s, INTAKE_SOURCE_EUTF16, at);
        if (u >= 0xD800 && u <= 0xDBFF) {
            if (i + 1 >= len || (lo = u16_at(d, i, be)) < 0xDC00 || lo > 0xDFFF)
                return intake_source_fail(s, INTAKE_SOURCE_EUTF16, at);
            u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
            i += 2;
        }
        if (u == 0) return intake_source_fail(s, INTAKE_SOURCE_ENUL, at);
        char e[4];
        buf_append(b, e, utf8_encode(u, e));
    }
    if (!b->err && i < len) return intake_source_fail(s, INTAKE_SOURCE_EUTF16, i);
    return intake_source_take(s, b, 0);
}

/* The bytes of the GB18030 character at d[i] (d[i] >= 0x80), or 0 when it is
 * malformed; *common is 1 for a GB2312 symbol or hanzi. */
static size_t gb_char(const unsigned char *d, size_t len, size_t i, int *common)
{
    unsigned c = d[i], t = i + 1 < len ? d[i + 1] : 0;
    *common = 0;
    if (c == 0x80 || c == 0xFF || i + 1 >= len) return 0;
    if (t >= 0x30 && t <= 0x39) { /* four bytes: 81–FE 30–39 81–FE 30–39 */
        if (i + 3 >= len || d[i + 2] < 0x81 || d[i + 2] == 0xFF || d[i + 3] < 0x30 ||
            d[i + 3] > 0x39)
            return 0;
        return 4;
    }
    if (t < 0x40 || t == 0x7F || t == 0xFF) return 0;
    *common = t >= 0xA1 && ((c >= 0xA1 && c <= 0xA9) || (c >= 0xB0 && c <= 0xF7));
    return 2;
}

int intake_source_gb_plausible(const unsigned char *d, size_t len)
{
    size_t wide = 0, common = 0;
    for (size_t i = 0; i < len;) {
        int c;
        size_t n = d[i] < 0x80 ? 1 : gb_char(d, len, i, &c);
        if (!n) return 0;
        if (n > 1) {
            wide++;
            common += (size_t)c;
        }
        i += n;
    }
    return wide > 0 && common * 5 >= wide * 4;
}

/* GB18030 through iconv.  -1 with EENCODING (at: bad_utf8) when iconv refuses it. */
static int text_gb18030(const unsigned char *d, size_t len, size_t bad_utf8, struct buf *b,
                        struct intake_source *s)
{
    const unsigned char *nul = memchr(d, 0, len);
    if (nul) return intake_source_fail(s, INTAKE_SOURCE_ENUL, (size_t)(nul - d));
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == (iconv_t)-1) return intake_source_fail(s, INTAKE_SOURCE_EENCODING, bad_utf8);
    char *in = (char *)d, out[8192];
    size_t left = len, rc = 0;
    while (left && !b->err) {
        char *o = out;
        size_t room = sizeof out;
        rc = iconv(cd, &in, &left, &o, &room);
        buf_append(b, out, (size_t)(o - out));
        if (rc == (size_t)-1 && errno != E2BIG) break;
    }
    iconv_close(cd);
    if (!b->err && left) return intake_source_fail(s, INTAKE_SOURCE_EENCODING, bad_utf8);
    s->encoding = INTAKE_ENC_GB18030;
    return intake_source_take(s, b, 0);
}

static int text_read(const unsigned char *d, size_t len, struct buf *b, struct intake_source *s)
{
    size_t bad = 0;
    s->format = INTAKE_FORMAT_TEXT;
    if (len >= 2 && ((d[0] == 0xFF && d[1] == 0xFE) || (d[0] == 0xFE && d[1] == 0xFF)))
        return text_utf16(d, len, d[0] == 0xFE, b, s);
    if (utf8_validate((const char *)d, len, &bad)) return text_utf8(d, len, b, s);
    if (intake_source_gb_plausible(d, len)) return text_gb18030(d, len, bad, b, s);
    return intake_source_fail(s, INTAKE_SOURCE_EENCODING, bad);
}

enum intake_format intake_source_sniff(const unsigned char *d, size_t len, int *ole)
{
    static const unsigned char ole_magic[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    *ole = len >= 8 && !memcmp(d, ole_magic, 8);
    if (len >= 4 && d[0] == 'P' && d[1] == 'K' &&
        ((d[2] == 3 && d[3] == 4) || (d[2] == 5 && d[3] == 6) || (d[2] == 7 && d[3] == 8)))
        return INTAKE_FORMAT_DOCX;
    if (memmem(d, len < 1024 ? len : 1024, "%PDF-", 5)) return INTAKE_FORMAT_PDF;
    return INTAKE_FORMAT_TEXT;
}

int intake_source_read(const void *data, size_t len, const struct intake_source_limits *lim,
                       struct intake_source *out)
{
    struct intake_source_limits l = {0};
    const unsigned char *d = data ? data : (const void *)"";
    int ole;
    if (lim) l = *lim;
    if (!l.max_xml) l.max_xml = INTAKE_SOURCE_MAX_XML;
    if (!l.max_text) l.max_text = INTAKE_MAX_LEN;
    if (!l.max_pages) l.max_pages = INTAKE_SOURCE_MAX_PAGES;
    memset(out, 0, sizeof *out);
    out->format = intake_source_sniff(d, len, &ole);
    if (ole) return intake_source_fail(out, INTAKE_SOURCE_EOLE, 0);
    struct buf b;
    int rc;
    buf_init(&b, l.max_text);
    if (out->format == INTAKE_FORMAT_DOCX)
        rc = intake_docx_read(d, len, &l, &b, out);
    else if (out->format == INTAKE_FORMAT_PDF)
        rc = intake_pdf_read(d, len, &l, &b, out);
    else
        rc = text_read(d, len, &b, out);
    buf_free(&b);
    return rc;
}

void intake_source_free(struct intake_source *s)
{
    if (!s) return;
    free(s->text);
    s->text = NULL;
    s->len = 0;
}

const char *intake_format_name(enum intake_format f)
{
    return f == INTAKE_FORMAT_DOCX ? "docx" : f == INTAKE_FORMAT_PDF ? "pdf" : "text";
}

const char *intake_encoding_name(enum intake_encoding e)
{
    static const char *const names[] = {"UTF-8", "UTF-16LE", "UTF-16BE", "GB18030", NULL};
    return (unsigned)e < sizeof names / sizeof names[0] ? names[e] : NULL;
}

/* The messages, English then Chinese; the conversions each takes are fixed:
 * %zu (at or limit), %lu %lu %s (line, column, detail) or %s (detail). */
static const char *const messages[][2] = {
    [INTAKE_SOURCE_OK] = {"no error", "没有错误"},
    [INTAKE_SOURCE_EENCODING] = {"the text is not valid UTF-8 at byte %zu",
                                 "文本既不是有效的 UTF-8，也不是 GB18030：第 %zu 字节处有误"},
    [INTAKE_SOURCE_ENUL] = {"the text holds a NUL character at byte %zu (UTF-16 needs its "
                            "byte order mark)",
                            "文本第 %zu 字节处有空字符（NUL）；UTF-16 文本须带字节顺序标记（BOM）"},
    [INTAKE_SOURCE_EUTF16] = {"the UTF-16 text is malformed at byte %zu",
                              "UTF-16 文本第 %zu 字节处格式有误"},
    [INTAKE_SOURCE_EZIP] = {"the .docx is not a readable zip archive: %s",
                            ".docx 文件不是可读取的 zip 压缩包：%s"},
    [INTAKE_SOURCE_ENODOCX] = {"the zip archive has no word/document.xml: it is not a .docx",
                               "压缩包里没有 word/document.xml，不是 .docx 文件"},
    [INTAKE_SOURCE_EXML] = {"the .docx's word/document.xml is malformed at line %lu, column %lu: "
                            "%s",
                            ".docx 文件的 word/document.xml 在第 %lu 行第 %lu 列格式有误：%s"},
    [INTAKE_SOURCE_EPDF] = {"the PDF cannot be read: %s", "无法读取该 PDF 文件：%s"},
    [INTAKE_SOURCE_ELOCKED] = {"the PDF is protected by a password", "该 PDF 文件有密码保护"},
    [INTAKE_SOURCE_EOLE] = {"a Word 97-2003 .doc or a .wps file is not read: save it as .docx or "
                            "PDF",
                            "不能读取 Word 97-2003 的 .doc 或 .wps 文件，请另存为 .docx 或 PDF"},
    [INTAKE_SOURCE_EEMPTY] = {"the document holds no text (a scanned PDF has none: it needs OCR)",
                              "文件中没有文字（扫描版 PDF 需先进行文字识别）"},
    [INTAKE_SOURCE_EBIG] = {"the .docx's word/document.xml is larger than %zu bytes",
                            ".docx 文件的 word/document.xml 超过 %zu 字节"},
    [INTAKE_SOURCE_ELONG] = {"the text is longer than %zu bytes", "文本超过 %zu 字节"},
    [INTAKE_SOURCE_EPAGES] = {"the PDF has more than %zu pages", "PDF 文件超过 %zu 页"},
};

void intake_source_message(const struct intake_source *s, int en, char *buf, size_t size)
{
    unsigned k = (unsigned)s->err < sizeof messages / sizeof messages[0] ? (unsigned)s->err : 0;
    const char *fmt = messages[k][en ? 0 : 1], *detail = s->detail[0] ? s->detail : "?";
    switch (s->err) {
    case INTAKE_SOURCE_EENCODING:
    case INTAKE_SOURCE_ENUL:
    case INTAKE_SOURCE_EUTF16:
        snprintf(buf, size, fmt, s->at);
        break;
    case INTAKE_SOURCE_EBIG:
    case INTAKE_SOURCE_ELONG:
    case INTAKE_SOURCE_EPAGES:
        snprintf(buf, size, fmt, s->limit);
        break;
    case INTAKE_SOURCE_EXML:
        snprintf(buf, size, fmt, s->line, s->column, detail);
        break;
    case INTAKE_SOURCE_EZIP:
    case INTAKE_SOURCE_EPDF:
        snprintf(buf, size, fmt, detail);
        break;
    default:
        snprintf(buf, size, "%s", fmt);
    }
}
