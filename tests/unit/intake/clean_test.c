/* clean_test.c — stage 1 of intake (src/intake/clean.c), table-driven:
 * line ends, Unicode spaces, control and zero-width characters, and the
 * byte offset reported for invalid UTF-8. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "intake/internal.h"

static const struct {
    const char *in;
    size_t len;      /* 0: strlen(in) */
    const char *out; /* NULL: invalid */
    size_t bad;      /* offset of the first invalid byte */
} cases[] = {
    {"会议\r\n指出\r要求\n", 0, "会议\n指出\n要求\n", 0},
    {"\xe3\x80\x80\xe3\x80\x80本报讯\t（记者）", 0, "  本报讯 （记者）", 0},
    {"a\xc2\xa0"
     "b\xe2\x80\x83"
     "c",
     0, "a b c", 0},
    {"\xef\xbb\xbf要\xe2\x80\x8b抓\x01好\x7f落\xc2\x85实", 0, "要抓好落\n实", 0},
    {"行\xe2\x80\xa8段", 0, "行\n段", 0},
    {"", 0, "", 0},
    {"ab\0cd", 5, "abcd", 0},
    {"会议\xff指出", 0, NULL, 6},
    {"会议\xe4\xbc", 0, NULL, 6},
    {"\xed\xa0\x80", 0, NULL, 0}, /* a surrogate */
    {"ok\xc0\xaf", 0, NULL, 2},   /* an overlong form */
};

static void test_clean(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t len = cases[i].len ? cases[i].len : strlen(cases[i].in), out_len = 0, bad = 99;
        char *out = malloc(len + 1);
        int rc = intake_clean(cases[i].in, len, out, &out_len, &bad);
        if (cases[i].out) {
            assert_int_equal(rc, INTAKE_OK);
            assert_int_equal(out_len, strlen(cases[i].out));
            assert_string_equal(out, cases[i].out);
        } else {
            assert_int_equal(rc, INTAKE_EUTF8);
            assert_int_equal(bad, cases[i].bad);
        }
        free(out);
    }
}

/* intake_run reports the same offset and leaves an empty result. */
static void test_run_rejects(void **state)
{
    struct intake_result r;
    size_t bad = 0;
    (void)state;
    assert_int_equal(intake_run("要抓好\x80", 10, NULL, &r, &bad), INTAKE_EUTF8);
    assert_int_equal(bad, 9);
    assert_int_equal(r.n_paragraphs, 0);
    intake_result_free(&r);
    struct intake_options opt = {0};
    opt.max_len = 4;
    assert_int_equal(intake_run("12345", 5, &opt, &r, &bad), INTAKE_ETOOLONG);
    intake_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clean),
        cmocka_unit_test(test_run_rejects),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
