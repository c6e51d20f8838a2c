/* route_test.c — path patterns match exactly; the dispatcher reads the
 * table it is given (the body limit); and an error is a page exactly when
 * the matched route is one, or, with no route, when the server's rule says
 * so.  The application's own table is tests/unit/app/routes_test.c's. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/core.h"
#include "http/req.h"
#include "http/route.h"
#include "http/server.h"

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

static void handler(struct req *r)
{
    (void)r;
}

static const struct route table[] = {
    {"GET", "/a", handler, 0, ROUTE_PAGE, "a page"},
    {"POST", "/a/{id}/photo", handler, 0, ROUTE_UPLOAD, "an upload"},
    {"POST", "/b", handler, 0, ROUTE_PAGE | ROUTE_MULTIPART, "a multipart form"},
    {"POST", "/c", handler, 0, ROUTE_JSON, "a JSON body"},
    {"POST", "/d", handler, 0, ROUTE_DOCUMENT, "a document"},
    {"POST", "/e/{id}/file", handler, 0, ROUTE_FILE, "a raw file"},
};

static void test_body_limit_from_the_given_table(void **state)
{
    (void)state;
    size_t n = sizeof table / sizeof *table;
    assert_int_equal(route_body_limit(table, n, "POST", "/a/7/photo"), ROUTE_MAX_UPLOAD);
    assert_int_equal(route_body_limit(table, n, "POST", "/b"), ROUTE_MAX_FORM);
    assert_int_equal(route_body_limit(table, n, "POST", "/c"), ROUTE_MAX_JSON);
    assert_int_equal(route_body_limit(table, n, "POST", "/d"), ROUTE_MAX_UPLOAD);
    assert_int_equal(route_body_limit(table, n, "POST", "/e/3/file"), 64 * 1024 * 1024);
    assert_int_equal(route_body_limit(table, n, "GET", "/a/7/photo"), ROUTE_MAX_JSON);
    assert_int_equal(route_body_limit(table, n, "POST", "/nowhere"), ROUTE_MAX_JSON);
    /* another table, another answer: nothing global */
    assert_int_equal(route_body_limit(table, 1, "POST", "/b"), ROUTE_MAX_JSON);
}

/* What the error_page hook was called with. */
static int page_status;
static char page_message[256];

static void error_page(struct req *r, int status, const char *message)
{
    page_status = status;
    snprintf(page_message, sizeof page_message, "%s", message);
    buf_reset(&r->out);
    buf_puts(&r->out, "<html>");
    r->status = status;
    r->content_type = "text/html; charset=utf-8";
}

static int page_paths(const char *path)
{
    return strncmp(path, "/api/", 5) != 0;
}

/* Answer a 404 on path (matched to route, may be NULL) under cfg; 1 when it
 * came out as the HTML page, 0 as JSON (checked exactly). */
static int error_is_page(struct server_config *cfg, const struct route *route, const char *path)
{
    struct req r;
    memset(&r, 0, sizeof r);
    r.arena = arena_new();
    r.server = cfg;
    r.route = route;
    r.path = path;
    r.lang = LANG_EN; /* the message as written; in Chinese below */
    buf_init(&r.out, 0);
    page_status = 0;
    page_message[0] = '\0';
    req_reply_error(&r, 404, "not_found", NULL, "no such %s", "thing");
    assert_int_equal(r.status, 404);
    int page = page_status != 0;
    if (page) {
        assert_int_equal(page_status, 404);
        assert_string_equal(page_message, "no such thing");
        assert_string_equal(r.content_type, "text/html; charset=utf-8");
    } else {
        static const char want[] = "{\"error\":{\"code\":\"not_found\","
                                   "\"message\":\"no such thing\"}}";
        assert_string_equal(r.content_type, "application/json; charset=utf-8");
        assert_int_equal(r.out.len, strlen(want));
        assert_memory_equal(r.out.data, want, r.out.len);
    }
    buf_free(&r.out);
    arena_free(r.arena);
    return page;
}

static void test_errors_follow_the_route_flag(void **state)
{
    (void)state;
    struct server_config cfg = {
        .routes = table, .nroutes = 4, .error_page = error_page, .path_is_page = page_paths};
    /* a matched route decides by its flag, whatever its path looks like */
    assert_int_equal(error_is_page(&cfg, &table[0], "/a"), 1);
    assert_int_equal(error_is_page(&cfg, &table[1], "/a/7/photo"), 0);
    assert_int_equal(error_is_page(&cfg, &table[3], "/c"), 0);
    /* no route: the layer above's rule */
    assert_int_equal(error_is_page(&cfg, NULL, "/nowhere"), 1);
    assert_int_equal(error_is_page(&cfg, NULL, "/api/v1/nowhere"), 0);
    /* no rule: JSON; no page hook: JSON even for a page route */
    cfg.path_is_page = NULL;
    assert_int_equal(error_is_page(&cfg, NULL, "/nowhere"), 0);
    cfg.error_page = NULL;
    assert_int_equal(error_is_page(&cfg, &table[0], "/a"), 0);
}

/* The error's words follow the reader's language; the code never does. */
static void test_errors_in_the_readers_language(void **state)
{
    (void)state;
    struct server_config cfg = {
        .routes = table, .nroutes = 4, .error_page = error_page, .path_is_page = page_paths};
    struct req r;
    memset(&r, 0, sizeof r);
    r.arena = arena_new();
    r.server = &cfg;
    r.route = &table[0];
    r.path = "/a";
    buf_init(&r.out, 0);
    req_reply_error(&r, 403, "csrf_failed", NULL, "the form's CSRF token is missing");
    assert_int_equal(page_status, 403);
    assert_string_equal(page_message, "表单已失效或来源不明，请刷新页面后重新提交。");
    r.route = &table[3];
    r.path = "/c";
    req_reply_error(&r, 404, "not_found", NULL, "no item with id %d", 5);
    static const char want[] =
        "{\"error\":{\"code\":\"not_found\",\"message\":\"未找到所要的内容。\","
        "\"detail\":\"no item with id 5\"}}";
    assert_string_equal(buf_cstr(&r.out), want);
    buf_free(&r.out);
    arena_free(r.arena);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_match),
        cmocka_unit_test(test_body_limit_from_the_given_table),
        cmocka_unit_test(test_errors_follow_the_route_flag),
        cmocka_unit_test(test_errors_in_the_readers_language),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
