/* meeting_test.c — stage 3b of intake (src/intake/meeting.c) and the dates it
 * reads (src/intake/date.c), table-driven: a report's opening and the exact
 * meeting expected ("name | date | chair"), then the first date a sentence
 * mentions. */
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
    struct intake_date today;
    const char *want; /* the meetings, "name | date | chair" joined by " || "; "" for none */
} meeting_cases[] = {
    /* X召开会议: the body and the word */
    {"3月28日，市委常委会召开会议，传达学习全国两会精神。市委书记陈立新主持会议。",
     {2024, 4, 2},
     "市委常委会会议 | 2024-03-28 | 市委书记陈立新"},
    /* 举行, the time and the bracketed date between the body and the verb, 由…主持 */
    {"东岭日报讯 "
     "市委常委会今天下午（3月8日）举行会议，研究我市贯彻落实意见。会议由市委书记黄志远主持。",
     {2024, 3, 8},
     "市委常委会会议 | 2024-03-08 | 市委书记黄志远"},
    /* Y在某地召开, 今天上午（4月18日）; the speaker is not the chair */
    {"本报讯 "
     "今天上午（4月18日），全县农村人居环境整治现场会在桃源镇召开。县长李国栋出席会议并讲话，"
     "副县长孙明主持会议。",
     {2024, 4, 18},
     "全县农村人居环境整治现场会 | 2024-04-18 | 副县长孙明"},
    /* the chair without the place of 在某地主持召开 */
    {"10月15日，市委书记陈立新在市行政中心主持召开民营企业家座谈会，听取意见建议。",
     {2024, 10, 17},
     "民营企业家座谈会 | 2024-10-15 | 市委书记陈立新"},
    /* names joined by 暨, ending in …会 */
    {"3月6日，全市重大项目建设推进会暨“项目攻坚年”活动动员会召开。市长周海涛主持会议。",
     {2024, 3, 8},
     "全市重大项目建设推进会暨“项目攻坚年”活动动员会 | 2024-03-06 | 市长周海涛"},
    /* a study session; 主持并讲话 */
    {"6月12日，县委理论学习中心组举行2024年第四次集体学习，专题学习习近平总书记关于党的建设的重要思"
     "想。"
     "县委书记郑文斌主持并讲话。",
     {2024, 6, 14},
     "县委理论学习中心组2024年第四次集体学习 | 2024-06-12 | 县委书记郑文斌"},
    /* a day alone takes the month and year of the page's date line */
    {"2024年5月22日 星期三\n22日，县长李国栋主持召开专题会议，研究部署秸秆禁烧工作。",
     {2025, 2, 11},
     "专题会议 | 2024-05-22 | 县长李国栋"},
    /* the page's date line gives the year, not the import's date */
    {"来源：青川日报 发布日期：2024-03-29\n3月28日，市委常委会召开会议，研究二季度工作。",
     {2025, 6, 10},
     "市委常委会会议 | 2024-03-28 | null"},
    /* without one, the import's date resolves the year */
    {"3月28日，市委常委会召开会议，研究二季度工作。",
     {2025, 6, 10},
     "市委常委会会议 | 2025-03-28 | null"},
    /* a meeting studied is background, not the meeting */
    {"8月2日，区委常委会召开会议，传达学习中央政治局会议精神。区委书记马建国主持会议。\n"
     "会议指出，7月30日，中共中央总书记习近平主持召开中共中央政治局会议，部署下半年经济工作。",
     {2024, 8, 5},
     "区委常委会会议 | 2024-08-02 | 区委书记马建国"},
    /* a visit with a 座谈会 is no meeting report */
    {"3月14日下午，市委书记章旭升赴我市部分企业走访，并召开座谈会，专题调研创新深化工作。",
     {2023, 3, 16},
     ""},
    /* furniture splits no article: both reports keep their meeting */
    {"市政府召开常务会议\n7月2日，市长周海涛主持召开市政府第二十六次常务会议。\n会议要求，要抓好落"
     "实。\n"
     "责任编辑：王晓\n上一篇：市政府召开第二十五次常务会议\n区委常委会召开会议\n"
     "8月2日，区委常委会召开会议，研究下半年工作。区委书记马建国主持会议。\n",
     {2024, 8, 5},
     "市政府第二十六次常务会议 | 2024-07-02 | 市长周海涛 || 区委常委会会议 | 2024-08-02 | "
     "区委书记马建国"},
};

static void date_text(struct buf *b, struct intake_date d)
{
    if (d.year)
        buf_printf(b, "%04d-%02d-%02d", d.year, d.month, d.day);
    else
        buf_puts(b, "null");
}

static void test_meetings(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof meeting_cases / sizeof meeting_cases[0]; i++) {
        struct intake_options opt = {0};
        struct intake_result r;
        struct buf got;
        const char *in = meeting_cases[i].in;
        opt.today = meeting_cases[i].today;
        assert_int_equal(intake_run(in, strlen(in), &opt, &r, NULL), INTAKE_OK);
        buf_init(&got, 0);
        for (size_t k = 0; k < r.n_meetings; k++) {
            if (k) buf_puts(&got, " || ");
            buf_printf(&got, "%s | ", r.meetings[k].name);
            date_text(&got, r.meetings[k].date);
            buf_printf(&got, " | %s", r.meetings[k].chair ? r.meetings[k].chair : "null");
        }
        if (strcmp(buf_cstr(&got), meeting_cases[i].want) != 0)
            fail_msg("case %zu:\n  got  [%s]\n  want [%s]", i, buf_cstr(&got),
                     meeting_cases[i].want);
        buf_free(&got);
        intake_result_free(&r);
    }
}

static const struct {
    const char *in;
    struct intake_date base;
    const char *want; /* the date, or "" when none is found */
    size_t at;        /* where it starts */
} date_cases[] = {
    {"3月28日，市委常委会召开会议", {2024, 4, 2}, "2024-03-28", 0},
    {"2023年3月15日下午", {2025, 1, 1}, "2023-03-15", 0},
    {"发布日期：2024-03-29 09:30", {2025, 1, 1}, "2024-03-29", 15},
    {"22日，县长主持召开", {2024, 5, 22}, "2024-05-22", 0},
    {"29日，县长主持召开", {2024, 6, 2}, "2024-05-29", 0}, /* the month before */
    {"市委常委会今天下午（3月8日）举行", {2024, 3, 9}, "2024-03-08", 15},
    {"今天上午，全县现场会召开", {2024, 4, 18}, "2024-04-18", 0},
    {"昨天，全县现场会召开", {2024, 3, 1}, "2024-02-29", 0},
    {"今天上午，全县现场会召开", {0, 0, 0}, "", 0}, /* today unknown */
    {"投入3000万元，建成24小时服务", {2024, 1, 1}, "", 0},
    {"12月27日，州委常委会召开会议", {2025, 1, 20}, "2024-12-27", 0},
};

static void test_date_find(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof date_cases / sizeof date_cases[0]; i++) {
        struct intake_date d = {0, 0, 0};
        size_t at = 0;
        const char *in = date_cases[i].in;
        struct buf got;
        buf_init(&got, 0);
        if (intake_date_find(in, strlen(in), date_cases[i].base, &d, &at)) date_text(&got, d);
        if (strcmp(buf_cstr(&got), date_cases[i].want) != 0 || (d.year && at != date_cases[i].at))
            fail_msg("case %zu: %s: got [%s] at %zu, want [%s] at %zu", i, in, buf_cstr(&got), at,
                     date_cases[i].want, date_cases[i].at);
        buf_free(&got);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_meetings),
        cmocka_unit_test(test_date_find),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
