/* linear_test.c — intake does work proportional to its input on every shape
 * of input, not only on meeting reports.
 *
 * A generator makes adversarial texts (one pattern repeated: 要 without end,
 * unit lists without end, clauses of cues, a long lead-in before many
 * directives, lines of every layout, many leads and meetings …) at 64 KiB and
 * at 1 MiB, and the test compares the operations the pipeline counts
 * (intake_ops: characters stepped over, bytes searched or counted) on the two.
 * Sixteen times the input may cost at most 20 times the operations (n log n
 * passes, n² does not: a quadratic stage costs 256 times), and no input may
 * cost more than INTAKE_MAX_OPS_PER_BYTE operations a byte.  No clock is read:
 * the timings are bench/intake_bench's business. */
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

#define SMALL                   ((size_t)64 * 1024)
#define LARGE                   ((size_t)1024 * 1024)
#define INTAKE_MAX_OPS_PER_BYTE 64

/* A shape: head once, then unit repeated, then tail once, up to a size. */
static const struct {
    const char *name, *head, *unit, *tail;
} shapes[] = {
    {"要 without end", "", "要", "。"},
    {"要加强 without end", "", "要加强", "。"},
    {"要 after a long subject", "", "市委组织部市委组织部市委组织部要", ""},
    {"a unit list without end", "", "市委组织部、", "要抓好落实。"},
    {"units joined by 和", "", "市委组织部和", "要抓好落实。"},
    {"由 without 牵头", "", "由市委", "牵头。"},
    {"由 alone", "", "由", "。"},
    {"由X牵头 clauses", "", "由市经信局牵头，", "要立即开展。"},
    {"months", "", "6月", "底前完成。"},
    {"dates", "", "2024年3月15日", "。"},
    {"open quotes", "", "“要", "。"},
    {"close quotes", "", "”要。", ""},
    {"召开 without 会议", "", "召开", "会议。"},
    {"主持 without end", "", "市长主持", "。"},
    {"；要 without end", "会议要求，", "；要", "。"},
    {"cues", "", "会议要求，", "。"},
    {"cues without commas", "", "会议要求各部门务必", "。"},
    {"numbered parts", "", "一是", "要落实。"},
    {"collectives", "", "各", "要。"},
    {"topics before 要", "会议强调，", "核心指标要盯紧，", "。"},
    {"verb-first sentences", "会议强调，要抓好落实。", "加快推进项目建设。", ""},
    {"semicolons after a cue", "会议要求，", "依法依规，着手处置；", "。"},
    {"a long lead-in before directives", "会议强调，安全是发展的前提。", "要抓好安全生产。", ""},
    {"clauses of 的", "", "的", "。"},
    {"spaces", "要", " ", "落实。"},
    {"commas", "要", "，", "落实。"},
    {"semicolons", "要", "；", "落实。"},
    {"full stops", "", "。", ""},
    {"brackets", "", "（市、区）", "要落实。"},
    {"ASCII", "", "a1;", "."},
    {"blank lines", "", "\n", ""},
    {"short lines", "", "中\n", ""},
    {"column lines", "", "中中中中中中中中中中中中中中中中中\n\n", ""},
    {"column lines ending sentences", "", "中中中中中中中中中中中中中中中中。\n", ""},
    {"headlines and body", "", "市政府召开会议\n会议要求，要抓好落实。\n", ""},
    {"leads", "", "本报讯（记者 甲）\n", ""},
    {"meetings", "",
     "本报讯（记者 "
     "甲）3月15日下午，市委常委会召开会议。市委书记甲主持会议。会议要求，要抓好落实。\n",
     ""},
    {"page dates and furniture", "", "发布日期：2024-03-29\n第2版\n（下转第2版）\n", ""},
    {"a day alone", "", "22日，", "。"},
    {"today in brackets", "", "今天上午（3月8日）", "。"},
    {"one long line of Han", "", "中", ""},
};

/* The shape's text up to size bytes. */
static char *make(size_t k, size_t size, size_t *len)
{
    struct buf b;
    size_t unit = strlen(shapes[k].unit), tail = strlen(shapes[k].tail);
    buf_init(&b, 0);
    buf_puts(&b, shapes[k].head);
    while (b.len + unit + tail <= size)
        buf_append(&b, shapes[k].unit, unit);
    buf_puts(&b, shapes[k].tail);
    *len = b.len;
    return buf_detach(&b, NULL);
}

static size_t ops_of(size_t k, size_t size, size_t *len)
{
    struct intake_result r;
    struct intake_options opt = {0};
    char *text = make(k, size, len);
    opt.today = (struct intake_date){2024, 3, 20};
    size_t before = intake_ops;
    assert_int_equal(intake_run(text, *len, &opt, &r, NULL), INTAKE_OK);
    size_t ops = intake_ops - before;
    intake_result_free(&r);
    free(text);
    return ops;
}

static void test_linear(void **state)
{
    int bad = 0;
    (void)state;
    for (size_t k = 0; k < sizeof shapes / sizeof shapes[0]; k++) {
        size_t small_len, large_len;
        size_t small = ops_of(k, SMALL, &small_len), large = ops_of(k, LARGE, &large_len);
        double ratio = (double)large / (double)(small ? small : 1);
        double per_byte = (double)large / (double)large_len;
        int ok = ratio <= 20.0 * (double)large_len / (double)small_len / 16.0 &&
                 per_byte <= INTAKE_MAX_OPS_PER_BYTE;
        printf("%-34s %9zu ops at %7zu B, %11zu at %7zu B: ratio %5.1f, %5.1f a byte%s\n",
               shapes[k].name, small, small_len, large, large_len, ratio, per_byte,
               ok ? "" : "  <-- not linear");
        bad |= !ok;
    }
    if (bad) fail_msg("intake is not linear on some inputs (see above)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_linear),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
