/* document_pdf_test.c — an item's documents drawn from their fields
 * (notice/document_pdf.c, no database): every type, with and without the
 * receipt, is a PDF of its pages (a form one, an empty dossier two); a type without a layout is
 * refused with 500; a dossier with a long record runs over pages.  What the pages say is read back
 * by tests/e2e/documents.test.js with pdftotext. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "notice/document_pdf.h"

static json_t *fields(const char *type, int escalation)
{
    return json_pack("{s:s,s:s,s:s,s:i,s:s,s:s,s:s,s:s,s:s,s:s,s:i,s:s,s:s}", "type", type,
                     "doc_title", "交办通知单", "number", "交办〔2030〕1号", "item_id", 7, "title",
                     "老旧小区改造", "description", "改造二十个小区", "unit", "发改局", "deadline",
                     "2030-06-30", "date", "2030-04-01", "office", "市委督查室", "escalation",
                     escalation, "text", "请抓紧办理", "by", "sup");
}

/* The number of pages the PDF in b declares ("/Type /Page" not "/Pages"). */
static int pages(const struct buf *b)
{
    int n = 0;
    const char *p = b->data, *end = b->data + b->len;
    while ((p = memmem(p, (size_t)(end - p), "/Type /Page", 11))) {
        p += 11;
        if (p < end && *p != 's') n++;
    }
    return n;
}

static void test_types(void **state)
{
    (void)state;
    static const struct {
        const char *type;
        int escalation, receipt, pages;
    } cases[] = {{"assign", 0, 0, 1},   {"assign", 0, 1, 1}, {"escalate", 1, 0, 1},
                 {"escalate", 3, 1, 1}, {"urge", 0, 0, 1},   {"dossier", 0, 0, 2}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        json_t *f = fields(cases[i].type, cases[i].escalation);
        json_t *r = cases[i].receipt
                        ? json_pack("{s:s,s:s,s:s,s:s}", "unit", "发改局", "by", "张三", "at",
                                    "2030-04-02T10:20:00+08:00", "action", "accept")
                        : NULL;
        struct buf b;
        buf_init(&b, 0);
        struct err e = {0};
        if (document_pdf(f, r, &b, &e)) fail_msg("case %zu: %s", i, e.message);
        assert_true(b.len > 1000);
        assert_memory_equal(b.data, "%PDF-", 5);
        if (pages(&b) != cases[i].pages) fail_msg("case %zu: %d pages", i, pages(&b));
        buf_free(&b);
        json_decref(f);
        json_decref(r);
    }
}

static void test_unknown_type(void **state)
{
    (void)state;
    json_t *f = fields("minutes", 0);
    struct buf b;
    buf_init(&b, 0);
    struct err e = {0};
    assert_int_equal(document_pdf(f, NULL, &b, &e), -1);
    assert_int_equal(e.status, 500);
    assert_int_equal(b.len, 0);
    buf_free(&b);
    json_decref(f);
}

static void test_long_dossier(void **state)
{
    (void)state;
    json_t *f = fields("dossier", 0), *events = json_array();
    for (int k = 1; k <= 80; k++)
        json_array_append_new(events, json_pack("{s:i,s:s,s:s,s:s,s:s}", "seq", k, "at",
                                                "2030-04-01T09:00:00+08:00", "actor", "sup",
                                                "action", "feedback", "hash",
                                                "0123456789abcdef0123456789abcdef"
                                                "0123456789abcdef0123456789abcdef"));
    json_object_set_new(f, "events", events);
    struct buf b;
    buf_init(&b, 0);
    struct err e = {0};
    assert_int_equal(document_pdf(f, NULL, &b, &e), 0);
    assert_true(pages(&b) >= 3);
    buf_free(&b);
    json_decref(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_types),
        cmocka_unit_test(test_unknown_type),
        cmocka_unit_test(test_long_dossier),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
