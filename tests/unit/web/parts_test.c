/* parts_test.c — the small shared pieces of the pages (web/parts.c): times
 * shortened for people, event data shown as words (units by name, contract
 * values by label, in the request's language), lights and statuses as
 * escaped markup. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "web/page.h"

struct text_case {
    const char *json, *key, *zh, *en;
};

static const struct text_case text_cases[] = {
    {"\"weekly\"", "feedback_cycle", "每周", "Weekly"},
    {"\"in_progress\"", "status", "办理中", "In progress"},
    {"\"done\"", "to", "已办结", "Done"},
    {"\"task\"", "kind", "任务", "Task"},
    {"\"meeting\"", "source", "会议部署", "Meeting"},
    {"\"something new\"", "status", "something new", "something new"},
    {"\"<b>free text</b>\"", "reason", "<b>free text</b>", "<b>free text</b>"},
    {"7", "lead_unit_id", "应急管理局", "应急管理局"},
    {"99", "lead_unit_id", "99", "99"},
    {"42", "percent", "42", "42"},
    {"2.5", "value", "2.5", "2.5"},
    {"null", "deadline", "—", "—"},
    {"[7,8]", "co_unit_ids", "应急管理局、经信局", "应急管理局、经信局"},
    {"{\"b\":1,\"a\":\"x\"}", "metric", "{\"a\":\"x\",\"b\":1}", "{\"a\":\"x\",\"b\":1}"},
    {"{\"target\":30.0,\"unit\":\"家\"}", "metric", "30 家", "30 家"},
    {"{\"target\":12.5}", "metric", "12.5", "12.5"},
};

static void test_json_text(void **state)
{
    (void)state;
    struct req r;
    memset(&r, 0, sizeof r);
    r.arena = arena_new();
    json_t *units =
        json_loads("[{\"id\":7,\"name\":\"应急管理局\"},{\"id\":8,\"name\":\"经信局\"}]", 0, NULL);
    assert_non_null(units);
    for (size_t i = 0; i < sizeof text_cases / sizeof text_cases[0]; i++) {
        const struct text_case *c = &text_cases[i];
        json_t *v = json_loads(c->json, JSON_DECODE_ANY, NULL);
        assert_non_null(v);
        r.lang = LANG_ZH;
        assert_string_equal(page_json_text(&r, v, units, c->key), c->zh);
        r.lang = LANG_EN;
        assert_string_equal(page_json_text(&r, v, units, c->key), c->en);
        json_decref(v);
    }
    json_decref(units);
    arena_free(r.arena);
}

static void test_time(void **state)
{
    (void)state;
    struct req r;
    memset(&r, 0, sizeof r);
    r.arena = arena_new();
    assert_string_equal(page_time(&r, "2026-11-30T01:13:45+08:00"), "2026-11-30 01:13");
    assert_string_equal(page_time(&r, "2026-11-30"), "2026-11-30");
    assert_string_equal(page_time(&r, NULL), "");
    arena_free(r.arena);
}

static void test_light_and_status(void **state)
{
    (void)state;
    struct req r;
    memset(&r, 0, sizeof r);
    r.arena = arena_new();
    buf_init(&r.out, 0);
    r.lang = LANG_ZH;
    page_light(&r, "red");
    page_status(&r, "returned");
    assert_string_equal(buf_cstr(&r.out), "<span class=\"light l-red\"><i></i>红灯</span>"
                                          "<span class=\"status s-returned\">被退回</span>");
    buf_reset(&r.out);
    r.lang = LANG_EN;
    page_light(&r, NULL);
    page_status(&r, "x\"><script>");
    assert_string_equal(
        buf_cstr(&r.out),
        "<span class=\"light l-none\"><i></i>Closed</span>"
        "<span class=\"status s-x&quot;&gt;&lt;script&gt;\">x&quot;&gt;&lt;script&gt;"
        "</span>");
    buf_free(&r.out);
    arena_free(r.arena);
}

/* Feedback dates count only while the unit works on the item. */
static void test_loop_reporting(void **state)
{
    (void)state;
    static const struct {
        const char *status;
        int want;
    } cases[] = {{"accepted", 1}, {"in_progress", 1}, {"assigned", 0},  {"submitted", 0},
                 {"returned", 0}, {"done", 0},        {"suspended", 0}, {NULL, 0}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_int_equal(loop_reporting(cases[i].status), cases[i].want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_text),
        cmocka_unit_test(test_time),
        cmocka_unit_test(test_light_and_status),
        cmocka_unit_test(test_loop_reporting),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
