/* multipart_test.c — multipart/form-data splitting (http/multipart.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "http/multipart.h"

#define CT "multipart/form-data; boundary=XyZ"

static void test_split(void **state)
{
    (void)state;
    static const char body[] = "--XyZ\r\nContent-Disposition: form-data; name=\"category\"\r\n\r\n"
                               "gas\r\n--XyZ\r\nContent-Disposition: form-data; name=\"photo\";"
                               " filename=\"a b.png\"\r\nContent-Type: image/png\r\n\r\n\x89PNG\r\n"
                               "\r\n--XyZ--\r\n";
    struct arena *a = arena_new();
    struct multipart_part p[4];
    int n = multipart_split(a, CT, body, sizeof body - 1, p, 4);
    assert_int_equal(n, 2);
    assert_string_equal(p[0].name, "category");
    assert_null(p[0].filename);
    assert_int_equal(p[0].len, 3);
    assert_memory_equal(p[0].data, "gas", 3);
    assert_string_equal(p[1].name, "photo");
    assert_string_equal(p[1].filename, "a b.png");
    assert_string_equal(p[1].type, "image/png");
    assert_int_equal(p[1].len, 6);
    assert_memory_equal(p[1].data, "\x89PNG\r\n", 6);
    arena_free(a);
}

static void test_refused(void **state)
{
    (void)state;
    static const struct {
        const char *ct, *body;
    } cases[] = {
        {"multipart/form-data", "--XyZ\r\n"},    /* no boundary */
        {"text/plain; boundary=XyZ", "--XyZ--"}, /* not multipart */
        {CT, "no delimiter at all"},
        {CT, "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nunterminated"},
        {CT, "--XyZ\r\nContent-Type: text/plain\r\n\r\nx\r\n--XyZ--"}, /* no name */
        {CT, "--XyZ\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nx\r\n--XyZ--"},
        {CT, "--XyZ\r\nContent-Disposition: form-data; name=\"a\r\n\r\nx\r\n--XyZ--"},
        {CT, "--XyZ junk"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct arena *a = arena_new();
        struct multipart_part p[4];
        int n = multipart_split(a, cases[i].ct, cases[i].body, strlen(cases[i].body), p, 4);
        if (n != -1) fail_msg("case %zu: %d parts", i, n);
        arena_free(a);
    }
    /* an empty form and a quoted boundary */
    struct arena *a = arena_new();
    struct multipart_part p[1];
    assert_int_equal(
        multipart_split(a, "multipart/form-data; boundary=\"q q\"", "--q q--\r\n", 9, p, 1), 0);
    arena_free(a);
}

static void test_too_many_parts(void **state)
{
    (void)state;
    static const char body[] =
        "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n"
        "--XyZ\r\nContent-Disposition: form-data; name=\"b\"\r\n\r\n2\r\n--XyZ--";
    struct arena *a = arena_new();
    struct multipart_part p[2];
    assert_int_equal(multipart_split(a, CT, body, sizeof body - 1, p, 1), -1);
    assert_int_equal(multipart_split(a, CT, body, sizeof body - 1, p, 2), 2);
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_split),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_too_many_parts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
