/* suggest_test.c — stage 5 of intake (src/intake/suggest.c) and the date
 * helpers it uses, table-driven through intake_run: units named in the text,
 * units suggested from a caller's table, deadlines and kinds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "intake/internal.h"
#include "util/buf.h"

static const struct {
    const char *in;
    const char *units;     /* joined by "|" */
    const char *suggested; /* joined by "|" */
    const char *deadline;  /* "" for none */
} cases[] = {
    /* the meeting is on 2024-03-15 (the article's dateline), today 2024-03-16 */
    {"要抓好安全生产工作。", "", "应急管理局", "2024-04-04"},
    {"要近期组织一次安全隐患排查。", "", "应急管理局", "2024-03-25"},
    {"近期，要推进低效工业用地整治。", "", "经信局|自然资源和规划局", "2024-03-25"},
    {"市委组织部、市委党校要6月底前完成干部轮训。", "市委组织部|市委党校", "", "2024-06-30"},
    {"要在4月30日前完成规划编制。", "", "发改局", "2024-04-30"},
    {"要在2025年1月10日前完成评估。", "", "", "2025-01-10"},
    {"要在2月10日前完成评估。", "", "", "2025-02-10"},
    {"要年底前完成人才引育任务。", "", "科技局", "2024-12-31"},
    {"要在二季度完成科技创新平台建设。", "", "科技局", "2024-06-30"},
    {"要在10个工作日内反馈督查意见。", "", "督查室", "2024-03-29"},
    {"要在15天内完成整改。", "", "", "2024-03-30"},
    {"由市经信局牵头，要立即开展亩均评价。", "市经信局", "", "2024-03-18"},
    {"要加强与市委党校的合作。", "市委党校", "", "2024-04-04"},
};

static void join(struct buf *b, char **v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i) buf_putc(b, '|');
        buf_puts(b, v[i]);
    }
}

static void test_suggest(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char in[512], date[16] = "";
        struct intake_options opt = {0};
        struct intake_result r;
        struct buf units, sugg;
        snprintf(in, sizeof in, "本报讯（记者 王丽）3月15日，%s\n", cases[i].in);
        opt.today = (struct intake_date){2024, 3, 16};
        assert_int_equal(intake_run(in, strlen(in), &opt, &r, NULL), INTAKE_OK);
        if (r.n_directives != 1) fail_msg("case %zu: %zu directives", i, r.n_directives);
        const struct intake_directive *d = &r.directives[0];
        buf_init(&units, 0);
        buf_init(&sugg, 0);
        join(&units, d->units, d->n_units);
        join(&sugg, d->suggested_units, d->n_suggested_units);
        if (d->deadline.year)
            snprintf(date, sizeof date, "%04d-%02d-%02d", d->deadline.year, d->deadline.month,
                     d->deadline.day);
        if (strcmp(buf_cstr(&units), cases[i].units) ||
            strcmp(buf_cstr(&sugg), cases[i].suggested) || strcmp(date, cases[i].deadline))
            fail_msg("case %zu (%s): got units [%s] suggested [%s] deadline [%s]", i, cases[i].in,
                     buf_cstr(&units), buf_cstr(&sugg), date);
        assert_int_equal(d->kind, INTAKE_KIND_TASK);
        buf_free(&units);
        buf_free(&sugg);
        intake_result_free(&r);
    }
}

/* The caller's table replaces the default one; kinds other than task only
 * when enabled. */
static void test_table_and_kinds(void **state)
{
    static const struct intake_rule rules[] = {{"揭榜挂帅", "科技局"}, {"榜单", "科创中心"}};
    const char *in = "要实施“揭榜挂帅”机制，发布榜单。";
    struct intake_options opt = {0};
    struct intake_result r;
    (void)state;
    opt.rules = rules;
    opt.n_rules = 2;
    assert_int_equal(intake_run(in, strlen(in), &opt, &r, NULL), INTAKE_OK);
    assert_int_equal(r.n_directives, 1);
    assert_int_equal(r.directives[0].n_suggested_units, 2);
    assert_string_equal(r.directives[0].suggested_units[1], "科创中心");
    assert_int_equal(r.directives[0].kind, INTAKE_KIND_TASK);
    assert_int_equal(r.directives[0].deadline.year, 0); /* no date anywhere */
    intake_result_free(&r);
    opt.kinds = (1u << INTAKE_KIND_TASK) | (1u << INTAKE_KIND_CHALLENGE);
    assert_int_equal(intake_run(in, strlen(in), &opt, &r, NULL), INTAKE_OK);
    assert_int_equal(r.directives[0].kind, INTAKE_KIND_CHALLENGE);
    assert_string_equal(intake_kind_name(r.directives[0].kind), "challenge");
    intake_result_free(&r);
}

static void test_dates(void **state)
{
    struct intake_date d = {0, 0, 0};
    (void)state;
    assert_int_equal(intake_date_parse("3月 14日下午，", strlen("3月 14日下午，"), &d), 16);
    assert_int_equal(d.month, 3);
    assert_int_equal(d.day, 14);
    assert_int_equal(intake_date_parse("2023年2月29日", strlen("2023年2月29日"), &d), 0);
    assert_int_equal(intake_date_parse("13月1日", strlen("13月1日"), &d), 0);
    d = (struct intake_date){0, 12, 30};
    intake_date_resolve(&d, (struct intake_date){2024, 1, 5});
    assert_int_equal(d.year, 2023);
    d = intake_date_add((struct intake_date){2024, 2, 20}, 20);
    assert_int_equal(d.month, 3);
    assert_int_equal(d.day, 11);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_suggest),
        cmocka_unit_test(test_table_and_kinds),
        cmocka_unit_test(test_dates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
