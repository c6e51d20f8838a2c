/* openapi_test.c — the OpenAPI document's per-route part (src/app/openapi.json)
 * held to the route table (src/app/routes.c) both ways: every route that is not
 * a page or a static file has its entry, and every entry names a route of the
 * table; each entry answers at least one status; the document made from them
 * has every documented route's path and method, Open311's paths in full. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "app/app.h"

static void test_every_route_has_its_entry_and_back(void **state)
{
    (void)state;
    json_t *t = app_openapi_table();
    assert_non_null(t);
    json_t *routes = json_object_get(t, "routes");
    assert_true(json_is_object(routes));
    char key[256];
    size_t documented = 0;
    for (size_t i = 0; i < app_routes_count; i++) {
        const struct route *rt = &app_routes[i];
        snprintf(key, sizeof key, "%s %s", rt->method, rt->pattern);
        json_t *e = json_object_get(routes, key);
        if (!app_openapi_documented(rt)) {
            if (e) fail_msg("%s is a page or a static file but has an OpenAPI entry", key);
            continue;
        }
        documented++;
        if (!e) fail_msg("the route %s has no entry in src/app/openapi.json", key);
    }
    const char *k;
    json_t *e;
    json_object_foreach(routes, k, e)
    {
        int found = 0;
        for (size_t i = 0; i < app_routes_count && !found; i++) {
            snprintf(key, sizeof key, "%s %s", app_routes[i].method, app_routes[i].pattern);
            found = !strcmp(key, k);
        }
        if (!found) fail_msg("src/app/openapi.json's entry %s names no route", k);
        json_t *paths = json_object_get(e, "paths"), *spec;
        const char *path;
        if (!paths && json_object_size(json_object_get(e, "responses")) == 0)
            fail_msg("%s answers nothing", k);
        json_object_foreach(paths, path,
                            spec) if (!json_object_size(json_object_get(spec, "responses")))
            fail_msg("%s %s answers nothing", k, path);
    }
    assert_int_equal(json_object_size(routes), documented);
    assert_true(documented >= 70);
    json_decref(t);
}

static void test_the_document(void **state)
{
    (void)state;
    json_t *doc = app_openapi();
    assert_non_null(doc);
    assert_string_equal(json_string_value(json_object_get(doc, "openapi")), "3.1.0");
    json_t *paths = json_object_get(doc, "paths");
    assert_non_null(json_object_get(json_object_get(paths, "/api/v1/items"), "get"));
    assert_non_null(json_object_get(json_object_get(paths, "/api/v1/items"), "post"));
    assert_non_null(json_object_get(json_object_get(paths, "/api/v1/imports"), "post"));
    assert_non_null(json_object_get(json_object_get(paths, "/open311/v2/requests.json"), "post"));
    assert_null(json_object_get(paths, "/open311/v2/*"));
    assert_null(json_object_get(paths, "/items"));         /* a page */
    assert_null(json_object_get(paths, "/static/app.js")); /* a static file */
    json_t *get = json_object_get(json_object_get(paths, "/api/v1/items/{id}"), "get");
    assert_string_equal(json_string_value(json_object_get(get, "operationId")),
                        "get_api_v1_items_id");
    json_decref(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_route_has_its_entry_and_back),
        cmocka_unit_test(test_the_document),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
