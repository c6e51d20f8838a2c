/* body_test.c — urlencoded form parsing and the JSON depth scan. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "http/body.h"

static void test_form(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        int rc, n;
        const char *name0, *value0, *name1, *value1;
    } cases[] = {
        {"", 0, 0, NULL, NULL, NULL, NULL},
        {"a=1", 0, 1, "a", "1", NULL, NULL},
        {"a=1&b=", 0, 2, "a", "1", "b", ""},
        {"a", 0, 1, "a", "", NULL, NULL},
        {"&&a=x+y&&", 0, 1, "a", "x y", NULL, NULL},
        {"t=%E8%90%BD%E5%AE%9E", 0, 1, "t", "落实", NULL, NULL},
        {"t=%3Cscript%3E", 0, 1, "t", "<script>", NULL, NULL},
        {"a=%", -1, 0, NULL, NULL, NULL, NULL},
        {"a=%4", -1, 0, NULL, NULL, NULL, NULL},
        {"a=%ZZ", -1, 0, NULL, NULL, NULL, NULL},
        {"a=%00", -1, 0, NULL, NULL, NULL, NULL},
        {"a=%FF%FE", -1, 0, NULL, NULL, NULL, NULL},
        {"a=1&b=2&c=3&d=4&e=5", -1, 0, NULL, NULL, NULL, NULL}, /* over the limit of 4 */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct arena *a = arena_new();
        struct req_field *f = NULL;
        int n = -1;
        int rc = form_parse(a, cases[i].in, strlen(cases[i].in), &f, &n, 4);
        if (rc != cases[i].rc) fail_msg("'%s': rc %d", cases[i].in, rc);
        if (rc == 0) {
            assert_int_equal(n, cases[i].n);
            if (n > 0) {
                assert_string_equal(f[0].name, cases[i].name0);
                assert_string_equal(f[0].value, cases[i].value0);
            }
            if (n > 1) {
                assert_string_equal(f[1].name, cases[i].name1);
                assert_string_equal(f[1].value, cases[i].value1);
            }
        }
        arena_free(a);
    }
}

static void test_json_depth(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        int depth;
    } cases[] = {
        {"1", 0},
        {"{}", 1},
        {"[[],[[]]]", 3},
        {"{\"a\":\"[[[[\"}", 1},
        {"{\"a\":\"\\\"[[\"}", 1},
        {"[[[", 3},
        {"]]]", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        if (json_depth(cases[i].in, strlen(cases[i].in)) != cases[i].depth)
            fail_msg("'%s'", cases[i].in);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_form),
        cmocka_unit_test(test_json_depth),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
