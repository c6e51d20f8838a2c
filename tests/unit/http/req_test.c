/* req_test.c — an answer never passes r->out's maximum: a JSON value or a
 * built body that would is replaced by a 500 response_too_large, never sent
 * cut (the server gives r->out REQ_OUT_MAX; here a small one). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "http/req.h"
#include "http/server.h"

/* The server as the test gives it: no page hooks, so every error is JSON. */
static struct server_config json_only;

/* A request to an API path whose answer may hold max bytes. */
static struct req *api_req(size_t max)
{
    struct arena *a = arena_new();
    struct req *r = arena_alloc(a, sizeof *r);
    r->arena = a;
    r->method = "GET";
    r->path = "/api/v1/notices";
    r->server = &json_only;
    r->lang = LANG_EN;
    buf_init(&r->out, max);
    return r;
}

static void req_done(struct req *r)
{
    buf_free(&r->out);
    arena_free(r->arena);
}

static void assert_too_large(struct req *r)
{
    assert_int_equal(r->status, 500);
    assert_string_equal(r->content_type, "application/json; charset=utf-8");
    assert_string_equal(buf_cstr(&r->out),
                        "{\"error\":{\"code\":\"response_too_large\",\"message\":\"the answer would"
                        " be larger than the 256 bytes the server sends\"}}");
}

static void test_json_over_the_maximum(void **state)
{
    (void)state;
    struct req *r = api_req(256);
    req_reply_json(r, 200, json_pack("{s:s}", "ok", "fits"));
    assert_int_equal(r->status, 200);
    assert_string_equal(buf_cstr(&r->out), "{\"ok\":\"fits\"}");
    json_t *big = json_array();
    for (int k = 0; k < 100; k++)
        json_array_append_new(big, json_string("督查通报"));
    req_reply_json(r, 200, big);
    assert_too_large(r);
    req_done(r);
    /* the same refusal to a reader of Chinese */
    r = api_req(256);
    r->lang = LANG_ZH;
    big = json_array();
    for (int k = 0; k < 100; k++)
        json_array_append_new(big, json_string("督查通报"));
    req_reply_json(r, 200, big);
    assert_int_equal(r->status, 500);
    assert_string_equal(buf_cstr(&r->out),
                        "{\"error\":{\"code\":\"response_too_large\",\"message\":\"结果过大，无法"
                        "返回。\",\"detail\":\"the answer would be larger than the 256 bytes the"
                        " server sends\"}}");
    req_done(r);
}

static void test_body_over_the_maximum(void **state)
{
    (void)state;
    struct req *r = api_req(256);
    for (int k = 0; k < 100; k++)
        buf_puts(&r->out, "a,b,c\r\n");
    assert_true(r->out.err);
    req_reply_body(r, 200, "text/csv; charset=utf-8");
    assert_too_large(r);
    req_done(r);
    r = api_req(256);
    buf_puts(&r->out, "a,b\r\n");
    req_reply_body(r, 200, "text/csv; charset=utf-8");
    assert_int_equal(r->status, 200);
    assert_string_equal(buf_cstr(&r->out), "a,b\r\n");
    req_done(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_over_the_maximum),
        cmocka_unit_test(test_body_over_the_maximum),
    };
    return cmocka_run_group_tests_name("req", tests, NULL, NULL);
}
