/* sheet_test.c — spreadsheets as grids (src/intake/sheet.c, sheet_csv.c): a
 * workbook written by libxlsxwriter (shared strings, numbers, a date, a
 * boolean, a merged title and a merged header) read back exactly; hand-made
 * .xlsx parts for what libxlsxwriter does not write (the 1904 date system,
 * inline strings, phonetic runs, a custom Chinese date format, cells without
 * references); each limit (rows, columns, a cell, a part's size declared and
 * inflated, the ratio) and malformed input refused with its own error; CSV
 * in UTF-8 with a BOM, with quotes and CRLF, and in GB18030; the serial date
 * table of both systems. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <iconv.h>
#include <xlsxwriter.h>
#include <zip.h>

#include "intake/sheet_internal.h"
#include "util/buf.h"

#define NS_MAIN "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define NS_REL  "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

static unsigned char *slurp(const char *path, size_t *len)
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
    return (unsigned char *)buf_detach(&b, len);
}

/* A zip of n parts names[k] → texts[k] (NUL-terminated). */
static unsigned char *make_zip(const char *const *names, const char *const *texts, int n,
                               size_t *out_len)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *out = zip_source_buffer_create(NULL, 0, 0, &ze);
    assert_non_null(out);
    zip_source_keep(out);
    zip_t *z = zip_open_from_source(out, ZIP_TRUNCATE, &ze);
    assert_non_null(z);
    for (int k = 0; k < n; k++) {
        zip_source_t *f = zip_source_buffer(z, texts[k], strlen(texts[k]), 0);
        assert_true(zip_file_add(z, names[k], f, ZIP_FL_ENC_UTF_8) >= 0);
    }
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

/* An .xlsx of one sheet's XML with the given shared strings, styles and
 * workbook properties (NULL: the part is left out). */
static int read_parts(const char *sheet, const char *sst, const char *styles, const char *wbpr,
                      const struct sheet_limits *lim, struct sheet *s)
{
    char wb[1024];
    snprintf(wb, sizeof wb,
             "<workbook xmlns=\"" NS_MAIN "\" xmlns:r=\"" NS_REL "\">%s<sheets><sheet name=\"S\" "
             "sheetId=\"1\" r:id=\"rId7\"/></sheets></workbook>",
             wbpr ? wbpr : "");
    const char *rels = "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/"
                       "relationships\"><Relationship Id=\"rId7\" Type=\"x\" "
                       "Target=\"worksheets/data.xml\"/></Relationships>";
    const char *names[5] = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                            "xl/worksheets/data.xml"};
    const char *texts[5] = {wb, rels, sheet};
    int n = 3;
    if (sst) names[n] = "xl/sharedStrings.xml", texts[n++] = sst;
    if (styles) names[n] = "xl/styles.xml", texts[n++] = styles;
    size_t len;
    unsigned char *z = make_zip(names, texts, n, &len);
    int rc = sheet_read(z, len, lim, s);
    free(z);
    return rc;
}

static void test_libxlsxwriter(void **state)
{
    (void)state;
    char path[] = "/tmp/sheet_testXXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *ws = workbook_add_worksheet(wb, NULL);
    lxw_format *date = workbook_add_format(wb);
    format_set_num_format(date, "yyyy\"年\"m\"月\"d\"日\"");
    worksheet_merge_range(ws, 0, 0, 0, 4, "2025年任务分解表", NULL);
    worksheet_write_string(ws, 1, 0, "序号", NULL);
    worksheet_merge_range(ws, 1, 1, 1, 2, "责任单位", NULL);
    worksheet_write_string(ws, 1, 3, "完成时限", NULL);
    worksheet_write_number(ws, 2, 0, 1, NULL);
    worksheet_write_string(ws, 2, 1, "应急管理局", NULL);
    worksheet_write_number(ws, 2, 2, 1.25, NULL);
    lxw_datetime dt = {2025, 6, 30, 0, 0, 0};
    worksheet_write_datetime(ws, 2, 3, &dt, date);
    worksheet_write_boolean(ws, 2, 4, 1, NULL);
    worksheet_write_string(ws, 3, 1, "应急管理局", NULL); /* a second use of a shared string */
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
    size_t len;
    unsigned char *d = slurp(path, &len);
    unlink(path);
    struct sheet s;
    assert_int_equal(sheet_read(d, len, NULL, &s), 0);
    free(d);
    assert_int_equal(s.xlsx, 1);
    assert_int_equal(s.date1904, 0);
    assert_int_equal(s.n_rows, 4);
    assert_int_equal(s.n_cols, 5);
    const char *want[4][5] = {
        {"2025年任务分解表", "2025年任务分解表", "2025年任务分解表", "2025年任务分解表",
         "2025年任务分解表"},
        {"序号", "责任单位", "责任单位", "完成时限", ""},
        {"1", "应急管理局", "1.25", "2025-06-30", "TRUE"},
        {"", "应急管理局", "", "", ""},
    };
    for (size_t r = 0; r < 4; r++)
        for (size_t c = 0; c < 5; c++)
            assert_string_equal(sheet_cell(&s, r, c), want[r][c]);
    assert_string_equal(sheet_cell(&s, 9, 9), "");
    sheet_free(&s);
}

static void test_parts_by_hand(void **state)
{
    (void)state;
    const char *sst = "<sst xmlns=\"" NS_MAIN "\"><si><t>任务</t></si><si><r><t>牵头</t></r><r>"
                      "<t>单位</t></r><rPh><t>ぴ</t></rPh></si></sst>";
    const char *styles =
        "<styleSheet xmlns=\"" NS_MAIN "\"><numFmts><numFmt numFmtId=\"164\" "
        "formatCode=\"yyyy&quot;年&quot;m&quot;月&quot;\"/><numFmt numFmtId=\"165\" "
        "formatCode=\"0.00&quot;亩&quot;\"/></numFmts><cellStyleXfs><xf "
        "numFmtId=\"14\"/></cellStyleXfs><cellXfs><xf numFmtId=\"0\"/><xf "
        "numFmtId=\"164\"/><xf numFmtId=\"165\"/><xf numFmtId=\"14\"/></cellXfs>"
        "</styleSheet>";
    const char *sheet =
        "<x:worksheet xmlns:x=\"" NS_MAIN "\"><x:sheetData><x:row r=\"2\"><x:c t=\"s\"><x:v>0"
        "</x:v></x:c><x:c t=\"s\"><x:v>1</x:v></x:c><x:c t=\"inlineStr\"><x:is><x:t>内联"
        "</x:t></x:is></x:c></x:row><x:row><x:c r=\"A3\" s=\"1\"><x:v>43538</x:v></x:c><x:c "
        "r=\"C3\" s=\"2\"><x:v>12.5</x:v></x:c><x:c r=\"D3\" s=\"3\"><x:v>0</x:v></x:c><x:c "
        "r=\"E3\" t=\"str\"><x:v>公式</x:v></x:c><x:c r=\"F3\" s=\"0\"/></x:row></x:sheetData>"
        "<x:mergeCells><x:mergeCell ref=\"B2:B4\"/></x:mergeCells></x:worksheet>";
    struct sheet s;
    assert_int_equal(read_parts(sheet, sst, styles, "<workbookPr date1904=\"1\"/>", NULL, &s), 0);
    assert_int_equal(s.date1904, 1);
    assert_int_equal(s.n_rows, 4);
    assert_int_equal(s.n_cols, 5);
    const char *want[4][5] = {{"", "", "", "", ""},
                              {"任务", "牵头单位", "内联", "", ""},
                              {"2023-03-15", "牵头单位", "12.5", "1904-01-01", "公式"},
                              {"", "牵头单位", "", "", ""}};
    for (size_t r = 0; r < 4; r++)
        for (size_t c = 0; c < 5; c++)
            assert_string_equal(sheet_cell(&s, r, c), want[r][c]);
    sheet_free(&s);
}

static const char *one_row(void)
{
    return "<worksheet xmlns=\"" NS_MAIN "\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\">"
           "<is><t>甲</t></is></c><c r=\"C1\"><v>3</v></c></row><row r=\"4\"><c r=\"B4\"><v>7"
           "</v></c></row></sheetData></worksheet>";
}

static void test_limits(void **state)
{
    (void)state;
    struct sheet s;
    struct sheet_limits rows = {.max_rows = 3}, cols = {.max_cols = 2}, cell = {.max_cell = 2};
    assert_int_equal(read_parts(one_row(), NULL, NULL, NULL, &rows, &s), -1);
    assert_int_equal(s.err, SHEET_EROWS);
    assert_int_equal(s.row, 4);
    assert_int_equal(s.col, 2);
    assert_int_equal(read_parts(one_row(), NULL, NULL, NULL, &cols, &s), -1);
    assert_int_equal(s.err, SHEET_ECOLS);
    assert_int_equal(s.col, 3);
    assert_int_equal(read_parts(one_row(), NULL, NULL, NULL, &cell, &s), -1);
    assert_int_equal(s.err, SHEET_ECELL);
    assert_int_equal(s.row, 1);
    assert_int_equal(s.col, 1);
    struct sheet_limits small = {.max_xml = 100};
    assert_int_equal(read_parts(one_row(), NULL, NULL, NULL, &small, &s), -1);
    assert_int_equal(s.err, SHEET_EBIG);
    /* 3 MiB of spaces: past a mebibyte and far past the ratio */
    size_t big = 3 * 1024 * 1024;
    const char *row = one_row();
    char *spaces = malloc(big + strlen(row) + 1);
    memset(spaces, ' ', big);
    memcpy(spaces + big, row, strlen(row) + 1);
    assert_int_equal(read_parts(spaces, NULL, NULL, NULL, NULL, &s), -1);
    assert_int_equal(s.err, SHEET_ERATIO);
    assert_int_equal(sheet_err_status(s.err), 413);
    assert_string_equal(sheet_err_code(s.err), "xlsx_ratio");
    free(spaces);
    assert_int_equal(read_parts(one_row(), NULL, NULL, NULL, NULL, &s), 0);
    assert_int_equal(s.n_rows, 4);
    assert_string_equal(sheet_cell(&s, 3, 1), "7");
    sheet_free(&s);
}

static void test_malformed(void **state)
{
    (void)state;
    struct sheet s;
    const char *doctype = "<!DOCTYPE x [<!ENTITY a \"b\">]><worksheet/>";
    assert_int_equal(read_parts(doctype, NULL, NULL, NULL, NULL, &s), -1);
    assert_int_equal(s.err, SHEET_EXML);
    assert_string_equal(s.detail, "a DOCTYPE is not allowed");
    assert_int_equal(read_parts("<worksheet><row>", NULL, NULL, NULL, NULL, &s), -1);
    assert_int_equal(s.err, SHEET_EXML);
    assert_string_equal(sheet_err_code(s.err), "invalid_xlsx");
    assert_int_equal(sheet_read("PK\3\4garbage", 11, NULL, &s), -1);
    assert_int_equal(s.err, SHEET_EZIP);
    assert_int_equal(sheet_read("%PDF-1.4", 8, NULL, &s), -1);
    assert_int_equal(s.err, SHEET_EFORMAT);
    assert_int_equal(sheet_read("a\0b", 3, NULL, &s), -1);
    assert_int_equal(s.err, SHEET_EENCODING);
    assert_int_equal(sheet_err_status(SHEET_EENCODING), 400);
    char msg[200];
    s.err = SHEET_EROWS, s.row = 5001, s.col = 1;
    sheet_message(&s, 1, msg, sizeof msg);
    assert_string_equal(msg, "the sheet has too many rows (row 5001, column 1)");
    sheet_message(&s, 0, msg, sizeof msg);
    assert_string_equal(msg, "表格行数过多（第 5001 行第 1 列）");
}

static void test_csv(void **state)
{
    (void)state;
    struct sheet s;
    const char *text =
        "\xEF\xBB\xBF序号,标题,说明\r\n1,\"甲,乙\",\"说\"\"明\"\"\r\n两行\"\r\n,,\r\n2,丙\n";
    assert_int_equal(sheet_read(text, strlen(text), NULL, &s), 0);
    assert_int_equal(s.xlsx, 0);
    assert_int_equal(s.n_rows, 4);
    assert_int_equal(s.n_cols, 3);
    assert_string_equal(sheet_cell(&s, 0, 0), "序号");
    assert_string_equal(sheet_cell(&s, 1, 1), "甲,乙");
    assert_string_equal(sheet_cell(&s, 1, 2), "说\"明\"\r\n两行");
    assert_string_equal(sheet_cell(&s, 2, 0), "");
    assert_string_equal(sheet_cell(&s, 3, 1), "丙");
    sheet_free(&s);
    /* the same header in GB18030 */
    iconv_t cd = iconv_open("GB18030", "UTF-8");
    char in[] = "序号,任务名称,牵头单位\n1,安全生产大检查,应急管理局\n", out[256];
    char *ip = in, *op = out;
    size_t il = strlen(in), ol = sizeof out;
    assert_true(iconv(cd, &ip, &il, &op, &ol) != (size_t)-1);
    iconv_close(cd);
    assert_int_equal(sheet_read(out, sizeof out - ol, NULL, &s), 0);
    assert_string_equal(sheet_cell(&s, 0, 1), "任务名称");
    assert_string_equal(sheet_cell(&s, 1, 2), "应急管理局");
    sheet_free(&s);
    struct sheet_limits rows = {.max_rows = 2};
    assert_int_equal(sheet_read(text, strlen(text), &rows, &s), -1);
    assert_int_equal(s.err, SHEET_EROWS);
    assert_int_equal(s.row, 4);
}

static void test_serial_dates(void **state)
{
    (void)state;
    static const struct {
        double serial;
        int date1904, rc;
        const char *date;
    } cases[] = {
        {1, 0, 0, "1900-01-01"},
        {59, 0, 0, "1900-02-28"},
        {60, 0, -1, ""},
        {61, 0, 0, "1900-03-01"},
        {45000, 0, 0, "2023-03-15"},
        {45000.75, 0, 0, "2023-03-15"},
        {0, 0, -1, ""},
        {2958465, 0, 0, "9999-12-31"},
        {2958466, 0, -1, ""},
        {0, 1, 0, "1904-01-01"},
        {43538, 1, 0, "2023-03-15"},
        {-1, 1, -1, ""},
        {2957003, 1, 0, "9999-12-31"},
        {2957004, 1, -1, ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[11] = "";
        assert_int_equal(sheet_serial_date(cases[i].serial, cases[i].date1904, out), cases[i].rc);
        if (!cases[i].rc) assert_string_equal(out, cases[i].date);
    }
    size_t r, c;
    assert_int_equal(sheet_ref_parse("XFD1048576", &r, &c), 0);
    assert_int_equal(r, 1048575);
    assert_int_equal(c, 16383);
    assert_int_equal(sheet_ref_parse("A0", &r, &c), -1);
    assert_int_equal(sheet_ref_parse("ABCD1", &r, &c), -1);
    assert_int_equal(sheet_ref_parse("1A", &r, &c), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_libxlsxwriter), cmocka_unit_test(test_parts_by_hand),
        cmocka_unit_test(test_limits),        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_csv),           cmocka_unit_test(test_serial_dates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
