/* text_test.c — the one reader of typed text (core/text.c) and its trimming
 * (util/str.c's str_trim), issue 17 major 6: blank ends go, the blanks of a
 * Chinese keyboard and a paste included; a text of only blanks is missing
 * when required and absent when not; what is stored is the trimmed text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/text.h"
#include "util/str.h"

struct trim_case {
    const char *in, *out;
};

static const struct trim_case trims[] = {
    {"标题", "标题"},
    {"  标题  ", "标题"},
    {"\t\r\n标 题\n", "标 题"},
    {"\u3000\u3000整改\u3000", "整改"}, /* the ideographic space */
    {"\u00a0整改\u00a0", "整改"},       /* a no-break space from a paste */
    {"\ufeff\u200b整改\u200b", "整改"}, /* a byte-order mark, a zero-width space */
    {"   ", ""},
    {"\u3000 \t\u00a0\n", ""},
    {"", ""},
    {"a\u3000b", "a\u3000b"}, /* blanks inside stay */
    {"燃", "燃"},
};

static void test_trim(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof trims / sizeof *trims; i++) {
        size_t start, n = str_trim(trims[i].in, strlen(trims[i].in), &start);
        if (n != strlen(trims[i].out) || memcmp(trims[i].in + start, trims[i].out, n))
            fail_msg("case %zu: '%.*s' for '%s'", i, (int)n, trims[i].in + start, trims[i].out);
        char *t = text_trimmed(trims[i].in);
        if (*trims[i].out)
            assert_string_equal(t, trims[i].out);
        else
            assert_null(t);
        free(t);
    }
    assert_null(text_trimmed(NULL));
}

struct field_case {
    const char *json;
    int required;
    int rc;
    const char *code, *stored; /* the error's code, or the body's value after */
};

static const struct field_case fields[] = {
    {"{\"title\":\"  排查隐患  \"}", 1, 0, NULL, "排查隐患"},
    {"{\"title\":\"   \"}", 1, -1, "missing_field", NULL},
    {"{\"title\":\"\\u3000\\u3000\"}", 1, -1, "missing_field", NULL},
    {"{\"title\":\"\\n\\t\"}", 0, 0, NULL, "\n\t"}, /* optional and blank: as if absent */
    {"{}", 1, -1, "missing_field", NULL},
    {"{}", 0, 0, NULL, NULL},
    {"{\"title\":7}", 0, -1, "invalid_field", NULL},
    {"{\"title\":\"a\\u0000b\"}", 0, -1, "invalid_field", NULL},
    {"{\"title\":\"  一二三四五  \"}", 1, 0, NULL, "一二三四五"}, /* 5 characters once trimmed */
    {"{\"title\":\"一二三四五六\"}", 1, -1, "invalid_field", NULL},
};

static void test_text_field(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
        const struct field_case *c = &fields[i];
        json_t *body = json_loads(c->json, JSON_ALLOW_NUL, NULL);
        assert_non_null(body);
        const char *out = "unset";
        struct err e = {0};
        int rc = text_field(body, "title", 5, c->required, &out, &e);
        if (rc != c->rc) fail_msg("case %zu: rc %d (%s)", i, rc, e.message);
        if (c->code) assert_string_equal(e.code, c->code);
        if (!rc && c->stored && strcmp(c->stored, "\n\t")) {
            assert_string_equal(out, c->stored);
            assert_string_equal(json_string_value(json_object_get(body, "title")), c->stored);
        }
        if (!rc && (!c->stored || !strcmp(c->stored, "\n\t")))
            assert_string_equal(out, "unset"); /* absent or blank: the default stays */
        json_decref(body);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_trim),
        cmocka_unit_test(test_text_field),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
