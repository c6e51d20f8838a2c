/* open311_test.c — the parsing half of Open311 (api/open311_form.c): the POST
 * requests form, W3C datetimes and the XML rendering, table-driven. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "api/open311.h"

struct form_case {
    const char *fields[8][2];
    int ok;
    const char *attrs; /* the attributes as compact sorted JSON when ok */
};

static void test_post_parse(void **state)
{
    (void)state;
    static const struct form_case cases[] = {
        {{{"api_key", "k"}, {"service_code", "gas"}, {"lat", "28.9"}, {"long", "120.1"}}, 1, "{}"},
        {{{"service_code", "gas"}, {"attribute[gas_type]", "bottled"}},
         1,
         "{\"gas_type\":\"bottled\"}"},
        {{{"attribute[x][]", "1"}, {"attribute[x][]", "2"}}, 1, "{\"x\":[\"1\",\"2\"]}"},
        {{{"attribute[x]", ""}, {"email", ""}, {"lat", ""}, {"long", ""}}, 1, "{}"},
        {{{"lat", "1"}}, 0, NULL},                 /* lat without long */
        {{{"lat", "91"}, {"long", "0"}}, 0, NULL}, /* out of range */
        {{{"lat", "1e"}, {"long", "2"}}, 0, NULL}, /* not a number */
        {{{"lat", "nan"}, {"long", "2"}}, 0, NULL},
        {{{"service_code", "a"}, {"service_code", "b"}}, 0, NULL}, /* twice */
        {{{"colour", "red"}}, 0, NULL},                            /* unknown */
        {{{"attribute[a b]", "1"}}, 0, NULL},                      /* bad code */
        {{{"attribute[x]", "1"}, {"attribute[x]", "2"}}, 0, NULL},
        {{{"attribute[x]", "1"}, {"attribute[x][]", "2"}}, 0, NULL},
        {{{"attribute[x]]", "1"}}, 0, NULL},
        {{{"attribute[", "1"}}, 0, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct req_field f[8];
        int n = 0;
        while (n < 8 && cases[i].fields[n][0]) {
            f[n].name = cases[i].fields[n][0];
            f[n].value = cases[i].fields[n][1];
            n++;
        }
        struct open311_post p;
        struct err e = {0};
        int rc = open311_post_parse(f, n, &p, &e);
        if ((rc == 0) != cases[i].ok) fail_msg("case %zu: rc %d (%s)", i, rc, e.message);
        if (rc) assert_int_equal(e.status, 400);
        if (!rc) {
            char *s = json_dumps(p.attributes, JSON_COMPACT | JSON_SORT_KEYS);
            assert_string_equal(s, cases[i].attrs);
            free(s);
        }
        open311_post_free(&p);
    }
}

static void test_description_limit(void **state)
{
    (void)state;
    static char d[3 * 4001 + 1];
    for (int i = 0; i < 4001; i++)
        memcpy(d + 3 * i, "隐", 3);
    struct req_field f[1] = {{"description", d}};
    struct open311_post p;
    struct err e = {0};
    assert_int_equal(open311_post_parse(f, 1, &p, &e), -1);
    open311_post_free(&p);
    d[3 * 4000] = '\0'; /* 4000 characters are fine */
    assert_int_equal(open311_post_parse(f, 1, &p, &e), 0);
    assert_string_equal(p.description, d);
    open311_post_free(&p);
}

static void test_datetime(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        int ok;
        int64_t ms;
    } cases[] = {
        {"1970-01-01T00:00:00Z", 1, 0},
        {"1970-01-01T08:00:00+08:00", 1, 0},
        {"1970-01-01T00:00:00-01:30", 1, 5400000},
        {"2010-01-01T00:00:00.123Z", 1, 1262304000000},
        {"1970-01-02", 1, 86400000 - 8 * 3600000}, /* a bare date: midnight city time */
        {"2010-01-01T00:00:00", 0, 0},             /* no zone */
        {"2010-01-01 00:00:00Z", 0, 0},
        {"2010-02-30T00:00:00Z", 0, 0},
        {"2010-01-01T24:00:00Z", 0, 0},
        {"2010-01-01T00:00:00+8:00", 0, 0},
        {"2010-01-01T00:00:00.Z", 0, 0},
        {"2010-01-01T00:00:00Zjunk", 0, 0},
        {"", 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        int64_t ms = -1;
        int rc = open311_parse_datetime(cases[i].s, 480, &ms);
        if ((rc == 0) != cases[i].ok) fail_msg("%s: rc %d", cases[i].s, rc);
        if (!rc) assert_int_equal(ms, cases[i].ms);
    }
}

static void test_xml(void **state)
{
    (void)state;
    json_t *v = json_pack("[{s:s,s:b,s:n,s:i,s:[s,s]}]", "service_code", "a<&>\"'\x01", "metadata",
                          1, "group", "order", 3, "formats", "text/xml", "x");
    struct buf b;
    buf_init(&b, 0);
    open311_xml(&b, "services", v);
    assert_string_equal(buf_cstr(&b),
                        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<services><service>"
                        "<service_code>a&lt;&amp;&gt;&quot;&apos; </service_code>"
                        "<metadata>true</metadata><group/><order>3</order>"
                        "<formats><format>text/xml</format><format>x</format></formats>"
                        "</service></services>\n");
    buf_free(&b);
    json_decref(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_post_parse),
        cmocka_unit_test(test_description_limit),
        cmocka_unit_test(test_datetime),
        cmocka_unit_test(test_xml),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
