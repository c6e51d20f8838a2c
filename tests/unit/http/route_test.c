/* route_test.c — the route table is sorted, unique and documented; path
 * patterns match exactly. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/core.h"
#include "http/route.h"

static void test_table_sorted_unique_documented(void **state)
{
    (void)state;
    assert_true(routes_count > 10);
    for (size_t i = 0; i < routes_count; i++) {
        const struct route *r = &routes[i];
        assert_non_null(r->handler);
        assert_true(strlen(r->doc) > 3);
        assert_true(r->pattern[0] == '/');
        assert_true(!strcmp(r->method, "GET") || !strcmp(r->method, "POST") ||
                    !strcmp(r->method, "DELETE"));
        assert_int_equal(r->roles & ~(unsigned)ROLE_ALL, 0);
        /* a form, JSON or upload body only on POST; pages that take forms say so */
        unsigned body = ROUTE_JSON | ROUTE_FORM | ROUTE_UPLOAD | ROUTE_MULTIPART;
        if (r->flags & body) assert_string_equal(r->method, "POST");
        if (!strcmp(r->method, "POST") && !(r->flags & body))
            fail_msg("POST %s takes no body kind", r->pattern);
        if (i > 0) {
            if (route_compare(&routes[i - 1], r) >= 0)
                fail_msg("routes out of order or repeated at %s %s", r->method, r->pattern);
        }
    }
}

static void test_api_routes_are_not_pages(void **state)
{
    (void)state;
    for (size_t i = 0; i < routes_count; i++) {
        int api = strncmp(routes[i].pattern, "/api/", 5) == 0;
        if (api) assert_int_equal(routes[i].flags & ROUTE_PAGE, 0);
        /* only the login form may skip CSRF */
        if (routes[i].flags & ROUTE_NO_CSRF) assert_string_equal(routes[i].pattern, "/login");
    }
}

static void test_match(void **state)
{
    (void)state;
    static const struct {
        const char *pattern, *path;
        int match;
        int64_t id0, id1;
    } cases[] = {
        {"/api/v1/items", "/api/v1/items", 1, 0, 0},
        {"/api/v1/items", "/api/v1/items/", 0, 0, 0},
        {"/api/v1/items/{id}", "/api/v1/items/42", 1, 42, 0},
        {"/api/v1/items/{id}", "/api/v1/items/0", 0, 0, 0},
        {"/api/v1/items/{id}", "/api/v1/items/007", 0, 0, 0},
        {"/api/v1/items/{id}", "/api/v1/items/-1", 0, 0, 0},
        {"/api/v1/items/{id}", "/api/v1/items/12x", 0, 0, 0},
        {"/api/v1/items/{id}", "/api/v1/items/99999999999999999999", 0, 0, 0},
        {"/api/v1/items/{id}/events", "/api/v1/items/7/events", 1, 7, 0},
        {"/a/{id}/b/{id}", "/a/3/b/4", 1, 3, 4},
        {"/items/{id}", "/items/new", 0, 0, 0},
        {"/static/style.css", "/static/../style.css", 0, 0, 0},
        {"/open311/v2/*", "/open311/v2/services.json", 1, 0, 0},
        {"/open311/v2/*", "/open311/v2/", 0, 0, 0},
        {"/open311/v2/*", "/open311/v1/services.json", 0, 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        int64_t p[4] = {0};
        int n = 0;
        int m = route_match(cases[i].pattern, cases[i].path, p, &n);
        if (m != cases[i].match) fail_msg("%s vs %s", cases[i].pattern, cases[i].path);
        if (m) {
            assert_int_equal(p[0], cases[i].id0);
            assert_int_equal(p[1], cases[i].id1);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_sorted_unique_documented),
        cmocka_unit_test(test_api_routes_are_not_pages),
        cmocka_unit_test(test_match),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
