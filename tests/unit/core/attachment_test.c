/* attachment_test.c — what a file may be (core/attachment.c): the name's
 * rules and the type libmagic sniffs from the content, held to the name's
 * extension, table-driven with exact codes; an XLSX written by libxlsxwriter,
 * which passes as .xlsx and not as .pdf or .docx; an OLE2 binary. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <xlsxwriter.h>

#include "core/attachment.h"

#define B(s) (const unsigned char *)(s), sizeof(s) - 1

struct type_case {
    const char *name;
    const unsigned char *data;
    size_t len;
    const char *mime; /* NULL: refused with status and code */
    int status;
    const char *code;
};

static const struct type_case cases[] = {
    {"报告.pdf", B("%PDF-1.4\n%%EOF\n"), "application/pdf", 0, NULL},
    {"REPORT.PDF", B("%PDF-1.7\n%%EOF\n"), "application/pdf", 0, NULL},
    {"site.jpg", B("\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\xff\xd9"), "image/jpeg", 0, NULL},
    {"site.jpeg", B("\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\xff\xd9"), "image/jpeg", 0, NULL},
    {"site.gif", B("GIF89a\x01\x00\x01\x00\x00\x00\x00;"), "image/gif", 0, NULL},
    {"notes.txt", B("第一条\n第二条\n"), "text/plain", 0, NULL},
    {"table.txt", B("a,b\n1,2\n"), "text/plain", 0, NULL},
    {"all.zip", B("PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"), "application/zip", 0, NULL},
    /* refusals, each with its own code */
    {"setup.pdf", B("MZ\x90\0\3\0\0\0\4\0\0\0\xff\xff\0\0\xb8\0\0\0\0\0\0\0@\0\0\0\0\0\0\0"), NULL,
     415, "file_type_mismatch"},
    {"photo.png", B("%PDF-1.4\n%%EOF\n"), NULL, 415, "file_type_mismatch"},
    {"notes.txt", B("%PDF-1.4\n%%EOF\n"), NULL, 415, "file_type_mismatch"},
    {"setup.exe", B("MZ\x90\0"), NULL, 415, "file_type_unsupported"},
    {"noext", B("%PDF-1.4\n"), NULL, 415, "file_type_unsupported"},
    {"dot.", B("%PDF-1.4\n"), NULL, 415, "file_type_unsupported"},
    {"empty.pdf", (const unsigned char *)"", 0, NULL, 422, "file_empty"},
    {"", B("%PDF-1.4\n"), NULL, 400, "file_name_missing"},
    {"../etc/passwd.pdf", B("%PDF-1.4\n"), NULL, 422, "file_name_path"},
    {"a\\b.pdf", B("%PDF-1.4\n"), NULL, 422, "file_name_path"},
    {"a..pdf", B("%PDF-1.4\n"), NULL, 422, "file_name_path"},
    {"a\r\nb.pdf", B("%PDF-1.4\n"), NULL, 422, "file_name_control"},
    {"a\x7f.pdf", B("%PDF-1.4\n"), NULL, 422, "file_name_control"},
    {"\xff\xfe.pdf", B("%PDF-1.4\n"), NULL, 400, "invalid_utf8"},
    {"\xe6\x95.pdf", B("%PDF-1.4\n"), NULL, 400, "invalid_utf8"}, /* a cut character */
};

static void test_types(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const struct type_case *c = &cases[i];
        struct err e = {0};
        const char *got = attachment_type(c->name, c->data, c->len, &e);
        if (c->mime) {
            if (!got || strcmp(got, c->mime))
                fail_msg("case %zu (%s): %s, want %s (%s)", i, c->name, got ? got : "NULL", c->mime,
                         e.message);
        } else if (got || e.status != c->status || strcmp(e.code, c->code)) {
            fail_msg("case %zu (%s): %s %d %s, want %d %s", i, c->name, got ? got : "refused",
                     e.status, e.code ? e.code : "", c->status, c->code);
        }
    }
}

static void test_name_long(void **state)
{
    (void)state;
    char name[ATTACHMENT_NAME_MAX + 2];
    memset(name, 'x', sizeof name - 1);
    name[sizeof name - 1] = '\0';
    memcpy(name + sizeof name - 5, ".txt", 4);
    struct err e = {0};
    assert_int_equal(attachment_check_name(name, &e), -1); /* 256 bytes */
    assert_string_equal(e.code, "file_name_long");
    name[sizeof name - 6] = '\0'; /* 251 bytes, then ".txt" */
    strcat(name, ".txt");
    assert_int_equal(strlen(name), ATTACHMENT_NAME_MAX);
    assert_int_equal(attachment_check_name(name, &e), 0);
}

/* A workbook as libxlsxwriter writes it, read back whole. */
static unsigned char *xlsx_bytes(size_t *len)
{
    char path[] = "/tmp/attachment_testXXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *ws = workbook_add_worksheet(wb, NULL);
    worksheet_write_string(ws, 0, 0, "整改台账", NULL);
    worksheet_write_number(ws, 1, 0, 42, NULL);
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    unsigned char *p = malloc(1 << 20);
    *len = fread(p, 1, 1 << 20, f);
    fclose(f);
    unlink(path);
    return p;
}

static void test_xlsx(void **state)
{
    (void)state;
    size_t n;
    unsigned char *p = xlsx_bytes(&n);
    struct err e = {0};
    assert_string_equal(attachment_type("台账.xlsx", p, n, &e),
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    assert_null(attachment_type("台账.pdf", p, n, &e));
    assert_string_equal(e.code, "file_type_mismatch");
    assert_null(attachment_type("台账.docx", p, n, &e));
    assert_string_equal(e.code, "file_type_mismatch");
    free(p);
}

/* An OLE2 compound file's header (Word, Excel and WPS binaries): a .doc, .xls,
 * .wps or .et, served with the extension's type; not a .docx. */
static void test_ole(void **state)
{
    (void)state;
    unsigned char p[512] = {0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1};
    struct err e = {0};
    assert_string_equal(attachment_type("旧.doc", p, sizeof p, &e), "application/msword");
    assert_string_equal(attachment_type("旧.wps", p, sizeof p, &e), "application/msword");
    assert_string_equal(attachment_type("表.xls", p, sizeof p, &e), "application/vnd.ms-excel");
    assert_string_equal(attachment_type("表.et", p, sizeof p, &e), "application/vnd.ms-excel");
    assert_null(attachment_type("新.docx", p, sizeof p, &e));
    assert_string_equal(e.code, "file_type_mismatch");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_types),
        cmocka_unit_test(test_name_long),
        cmocka_unit_test(test_xlsx),
        cmocka_unit_test(test_ole),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
