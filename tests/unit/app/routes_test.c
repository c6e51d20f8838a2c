/* routes_test.c — the application's route table (app/routes.c) is sorted,
 * unique and documented; API routes are not pages; only the login form skips
 * CSRF; and the rule for unmatched paths agrees with the table's page flag. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "app/app.h"
#include "core/core.h"
#include "http/route.h"

static void test_table_sorted_unique_documented(void **state)
{
    (void)state;
    assert_true(app_routes_count > 10);
    for (size_t i = 0; i < app_routes_count; i++) {
        const struct route *r = &app_routes[i];
        assert_non_null(r->handler);
        assert_true(strlen(r->doc) > 3);
        assert_true(r->pattern[0] == '/');
        assert_true(!strcmp(r->method, "GET") || !strcmp(r->method, "POST") ||
                    !strcmp(r->method, "DELETE"));
        assert_int_equal(r->roles & ~(unsigned)ROLE_ALL, 0);
        /* a form, JSON or upload body only on POST; pages that take forms say so */
        unsigned body =
            ROUTE_JSON | ROUTE_FORM | ROUTE_UPLOAD | ROUTE_MULTIPART | ROUTE_DOCUMENT | ROUTE_FILE;
        if (r->flags & body) assert_string_equal(r->method, "POST");
        if (!strcmp(r->method, "POST") && !(r->flags & body))
            fail_msg("POST %s takes no body kind", r->pattern);
        if (i > 0) {
            if (route_compare(&app_routes[i - 1], r) >= 0)
                fail_msg("routes out of order or repeated at %s %s", r->method, r->pattern);
        }
    }
}

static void test_api_routes_are_not_pages(void **state)
{
    (void)state;
    for (size_t i = 0; i < app_routes_count; i++) {
        int api = strncmp(app_routes[i].pattern, "/api/", 5) == 0;
        if (api) assert_int_equal(app_routes[i].flags & ROUTE_PAGE, 0);
        /* only the login form may skip CSRF */
        if (app_routes[i].flags & ROUTE_NO_CSRF)
            assert_string_equal(app_routes[i].pattern, "/login");
    }
}

/* Every page route lies where the unmatched-path rule also says "page", so
 * a 405 or 404 next to a page looks like the page's own errors. */
static void test_pages_agree_with_the_path_rule(void **state)
{
    (void)state;
    for (size_t i = 0; i < app_routes_count; i++)
        if ((app_routes[i].flags & ROUTE_PAGE) && !app_path_is_page(app_routes[i].pattern))
            fail_msg("%s is a page but its path is not", app_routes[i].pattern);
}

static void test_path_is_page(void **state)
{
    (void)state;
    static const struct {
        const char *path;
        int page;
    } cases[] = {
        {"/", 1},
        {"/nope", 1},
        {"/items/12/nope", 1},
        {"/photos/x", 1},
        {"/api/v1/nope", 0},
        {"/api/", 0},
        {"/open311/v2/nope", 0},
        {"/healthz", 0},
        {"/healthzz", 1},
        {"/apix", 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        if (app_path_is_page(cases[i].path) != cases[i].page)
            fail_msg("%s: expected %d", cases[i].path, cases[i].page);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_sorted_unique_documented),
        cmocka_unit_test(test_api_routes_are_not_pages),
        cmocka_unit_test(test_pages_agree_with_the_path_rule),
        cmocka_unit_test(test_path_is_page),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
