/* export_test.c — the project list's CSV (exact bytes: BOM, header, quoting,
 * the formula guard, plain numbers, Chinese names) and XLSX (a zip that
 * carries the sheet) from plans built in memory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "notice/export.h"
#include "util/mem.h"

/* A row with the given texts; numbers and the rest default. */
static void row(struct plan *p, const char *number, int depth, const char *title,
                const char *status, const char *light, const char *lead, const char *co,
                const char *deadline, int progress)
{
    p->rows = xrealloc(p->rows, (p->n + 1) * sizeof *p->rows);
    struct plan_row *r = &p->rows[p->n++];
    memset(r, 0, sizeof *r);
    r->id = (int64_t)p->n;
    r->depth = depth;
    snprintf(r->number, sizeof r->number, "%s", number);
    r->title = xstrdup(title);
    r->kind = xstrdup("task");
    r->status = xstrdup(status);
    r->light = xstrdup(light);
    r->deadline = deadline ? xstrdup(deadline) : NULL;
    r->lead_name = lead ? xstrdup(lead) : NULL;
    r->lead_unit_id = lead ? 1 : 0;
    r->co_names = xstrdup(co);
    r->co_units = json_array();
    r->progress = progress;
}

static struct plan sample(void)
{
    struct plan p = {0};
    row(&p, "1", 0, "规划", "in_progress", "green", "发改局", "", "2025-12-31", 40);
    row(&p, "1.1", 1, "a, \"b\"", "done", "none", "经信局", "科技局、发改局", NULL, 100);
    row(&p, "1.2", 1, "-1 分", "assigned", "red", NULL, "", "2025-03-01", 0);
    row(&p, "1.2.1", 2, "两行\n文字", "cancelled", "none", "x", "", "2025-03-02", 5);
    p.rows[2].has_metric = 1, p.rows[2].target = 1200, p.rows[2].metric_unit = xstrdup("亩");
    p.rows[2].has_value = 1, p.rows[2].value = 0.25;
    return p;
}

static void test_csv_bytes(void **state)
{
    (void)state;
    struct plan p = sample();
    struct buf b;
    buf_init(&b, 0);
    assert_int_equal(export_plan_csv(&p, &b), 0);
    const char *want =
        "\xEF\xBB\xBF"
        "序号,事项,类型,状态,预警,牵头单位,配合单位,期限,进度(%),指标目标,指标当前值,指标单位\r\n"
        "1,规划,任务,办理中,绿灯,发改局,,2025-12-31,40,,,\r\n"
        "1.1,\"a, \"\"b\"\"\",任务,已办结,—,经信局,科技局、发改局,,100,,,\r\n"
        "1.2,\"'-1 分\",任务,已交办,红灯,,,2025-03-01,0,1200,0.25,亩\r\n"
        "1.2.1,\"两行\n文字\",任务,已撤销,—,x,,2025-03-02,5,,,\r\n";
    assert_string_equal(buf_cstr(&b), want);
    buf_free(&b);
    /* a maximum reached is an error, not a cut file */
    buf_init(&b, 100);
    assert_int_equal(export_plan_csv(&p, &b), -1);
    buf_free(&b);
    plan_free(&p);
}

static void test_names(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"draft", "草稿"},         {"assigned", "已交办"},  {"accepted", "已签收"},
        {"in_progress", "办理中"}, {"submitted", "待销号"}, {"done", "已办结"},
        {"archived", "已归档"},    {"returned", "已退回"},  {"suspended", "已中止"},
        {"cancelled", "已撤销"},   {"lost", "lost"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++)
        assert_string_equal(export_status_zh(cases[k][0]), cases[k][1]);
    assert_string_equal(export_kind_zh("hazard"), "隐患");
    assert_string_equal(export_light_zh("yellow"), "黄灯");
}

static void test_xlsx_is_a_workbook(void **state)
{
    (void)state;
    struct plan p = sample();
    struct buf b;
    struct err e = {0};
    buf_init(&b, 0);
    assert_int_equal(export_plan_xlsx(&p, &b, &e), 0);
    assert_true(b.len > 4000);
    assert_memory_equal(b.data, "PK\x03\x04", 4);
    /* the parts a spreadsheet needs, named in the zip's directory */
    assert_non_null(memmem(b.data, b.len, "xl/worksheets/sheet1.xml", 24));
    assert_non_null(memmem(b.data, b.len, "xl/sharedStrings.xml", 20));
    buf_free(&b);
    plan_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_bytes),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_xlsx_is_a_workbook),
    };
    return cmocka_run_group_tests_name("export", tests, NULL, NULL);
}
