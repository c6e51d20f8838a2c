/* csv_test.c — the one CSV writer (util/csv.c): RFC 4180 quoting, the
 * formula guard on every text cell (a cell starting with each of = + - @
 * tab CR gets an apostrophe and quotes), numbers that stay numbers, rows,
 * CJK text as is, and a full buffer refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "util/csv.h"

struct cell_case {
    const char *in, *out;
};

/* One text cell alone on its row: what it becomes. */
static const struct cell_case cells[] = {
    /* a spreadsheet reads these as formulas: apostrophe, and quoted */
    {"=1+2", "\"'=1+2\""},
    {"+1+2", "\"'+1+2\""},
    {"-1+2", "\"'-1+2\""},
    {"@SUM(A1:A9)", "\"'@SUM(A1:A9)\""},
    {"\t=1+2", "\"'\t=1+2\""},
    {"\r=1+2", "\"'\r=1+2\""},
    {"=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""},
    {"=cmd|' /C calc'!A0", "\"'=cmd|' /C calc'!A0\""},
    {"-", "\"'-\""},
    /* quoting per RFC 4180 */
    {"a,b", "\"a,b\""},
    {"say \"hi\"", "\"say \"\"hi\"\"\""},
    {"\"", "\"\"\"\""},
    {"two\nlines", "\"two\nlines\""},
    {"cr\rlf\r\n", "\"cr\rlf\r\n\""},
    /* as is: plain text, CJK, a formula character not at the start, a
     * leading space, the apostrophe itself */
    {"plain", "plain"},
    {"落实：督查督办", "落实：督查督办"},
    {"〔2030〕7号", "〔2030〕7号"},
    {"1+1=2", "1+1=2"},
    {" =1", " =1"},
    {"'quoted", "'quoted"},
    {"a\tb", "a\tb"},
    {"", ""},
};

static void test_text_cells(void **state)
{
    (void)state;
    struct buf b;
    struct csv c;
    buf_init(&b, 0);
    for (size_t k = 0; k < sizeof cells / sizeof *cells; k++) {
        buf_reset(&b);
        csv_init(&c, &b);
        assert_int_equal(csv_text(&c, cells[k].in), 0);
        if (strcmp(buf_cstr(&b), cells[k].out))
            fail_msg("cell %zu: got [%s], want [%s]", k, buf_cstr(&b), cells[k].out);
    }
    buf_free(&b);
}

/* Rows: commas between cells, CRLF after each row, empty cells and a blank
 * line; numbers are written as numbers, negative ones unguarded. */
static void test_rows_and_numbers(void **state)
{
    (void)state;
    struct buf b;
    struct csv c;
    buf_init(&b, 0);
    csv_init(&c, &b);
    csv_text(&c, "单位");
    csv_text(&c, NULL);
    csv_empty(&c);
    csv_int(&c, -2);
    csv_number(&c, -1.5);
    csv_number(&c, 1200);
    csv_number(&c, 0.25);
    csv_fixed(&c, 200.0 / 3, 1);
    csv_row_end(&c);
    csv_row_end(&c);
    csv_text(&c, "-2");
    csv_int(&c, 7);
    assert_int_equal(csv_row_end(&c), 0);
    assert_string_equal(buf_cstr(&b), "单位,,,-2,-1.5,1200,0.25,66.7\r\n\r\n\"'-2\",7\r\n");
    buf_free(&b);
}

/* A buffer at its maximum refuses the cell and says so. */
static void test_limit(void **state)
{
    (void)state;
    struct buf b;
    struct csv c;
    buf_init(&b, 6);
    csv_init(&c, &b);
    assert_int_equal(csv_text(&c, "abc"), 0);
    assert_int_equal(csv_text(&c, "=x"), -1);
    assert_true(b.err);
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_cells),
        cmocka_unit_test(test_rows_and_numbers),
        cmocka_unit_test(test_limit),
    };
    return cmocka_run_group_tests_name("csv", tests, NULL, NULL);
}
