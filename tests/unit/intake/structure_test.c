/* structure_test.c — articles, headline attachment by content and meetings
 * (src/intake/structure.c, src/intake/meeting.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "intake/internal.h"

static const struct {
    const char *headline, *article;
    size_t overlap;
} overlap_cases[] = {
    {"部署近期重点工作", "听取汇报，部署近期重点工作。", 7},
    {"今晚举行", "市委常委会召开会议。", 0},
    {"聚合一流创新要素", "聚合创新要素、提升创新能力", 4},
    {"ABC 12", "ABC 12", 0}, /* only Han bigrams count */
};

static void test_overlap(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof overlap_cases / sizeof overlap_cases[0]; i++) {
        const char *h = overlap_cases[i].headline, *a = overlap_cases[i].article;
        assert_int_equal(intake_structure_overlap(h, strlen(h), a, strlen(a)),
                         overlap_cases[i].overlap);
    }
}

/* Two articles with their headlines after them, in the dump's order, and a
 * stray fragment before: each headline goes where its words are. */
static void test_attach(void **state)
{
    const char *in = "今晚举行\n"
                     "本报讯（记者 甲）\n"
                     "5月6日上午，市政府召开第3次常务会议，审议安全生产方案。\n"
                     "市长乙主持会议。\n"
                     "会议要求，要抓好安全生产方案落实。\n"
                     "市政府召开第3次常务会议\n"
                     "乙在调研科技创新时强调\n"
                     "本报讯（记者 丙）\n"
                     "5月7日，乙赴企业调研科技创新工作，他强调，要强化人才支撑。\n"
                     "强化科技创新人才支撑\n";
    struct intake_options opt = {0};
    struct intake_result r;
    (void)state;
    opt.today = (struct intake_date){2024, 5, 8};
    assert_int_equal(intake_run(in, strlen(in), &opt, &r, NULL), INTAKE_OK);
    assert_int_equal(r.n_paragraphs, 10);
    assert_int_equal(r.paragraphs[0].article, -1);
    assert_int_equal(r.n_articles, 2);
    assert_string_equal(r.articles[0].title, "市政府召开第3次常务会议");
    assert_int_equal(r.articles[0].n_subtitles, 0);
    assert_string_equal(r.articles[0].byline, "记者 甲");
    assert_string_equal(r.articles[0].dateline, "5月6日上午");
    assert_string_equal(r.articles[1].title, "强化科技创新人才支撑");
    assert_int_equal(r.articles[1].n_subtitles, 1);
    assert_string_equal(r.articles[1].subtitles[0], "乙在调研科技创新时强调");
    assert_int_equal(r.articles[1].date.day, 7);

    assert_int_equal(r.n_meetings, 1);
    assert_string_equal(r.meetings[0].name, "市政府第3次常务会议");
    assert_string_equal(r.meetings[0].chair, "市长乙");
    assert_int_equal(r.meetings[0].n_agenda, 1);
    assert_string_equal(r.meetings[0].agenda[0], "审议安全生产方案");
    assert_int_equal(r.meetings[0].date.year, 2024);

    assert_int_equal(r.n_directives, 2);
    assert_int_equal(r.directives[0].meeting, 0);
    assert_int_equal(r.directives[0].deadline.month, 5);
    assert_int_equal(r.directives[0].deadline.day, 26);
    assert_int_equal(r.directives[1].article, 1);
    assert_int_equal(r.directives[1].meeting, -1);
    intake_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_overlap),
        cmocka_unit_test(test_attach),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
