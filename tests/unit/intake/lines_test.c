/* lines_test.c — stage 2 of intake (src/intake/lines.c), table-driven: text
 * as a page layout cut it, and the exact paragraphs expected (joined by
 * " | ", headlines marked with a leading #, leads with a leading @, page
 * furniture with a leading %). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "intake/internal.h"
#include "util/buf.h"

static const struct {
    const char *in;
    const char *want;
} cases[] = {
    /* undamaged: one paragraph per line */
    {"市政府召开常务会议\n会议指出，要抓好落实。\n会议还研究了其他事项。\n",
     "#市政府召开常务会议 | 会议指出，要抓好落实。 | 会议还研究了其他事项。"},
    /* column-cut at 10 characters with blank lines between all lines: joined
     * without spaces; a full line ending in 。 continues; an indented first
     * line starts a paragraph; the headline after the article stays alone */
    {"会议指出，安全是发展\n\n的前提和基础。各级各\n\n部门要时刻绷紧安全弦\n\n"
     "，坚持底线思维，增强\n\n忧患意识。\n\n会议强调，要强化\n\n责任落实，压紧责任链\n\n"
     "条，加强督导问责。\n\n全市安全生产会议召开\n",
     "会议指出，安全是发展的前提和基础。各级各部门要时刻绷紧安全弦，坚持底线思维，"
     "增强忧患意识。 | 会议强调，要强化责任落实，压紧责任链条，加强督导问责。 | "
     "#全市安全生产会议召开"},
    /* a lead on its own line never joins; a headline before it stays alone */
    {"今晚举行\n本报讯（记者 王丽）\n3月2日上午，市委召开\n工作例会，部署近期重\n"
     "点工作，听取有关汇报\n。市长主持会议。\n",
     "#今晚举行 | @本报讯（记者 王丽） | 3月2日上午，市委召开工作例会，部署近期重点工作，"
     "听取有关汇报。市长主持会议。"},
    /* blank lines only between paragraphs: they separate paragraphs */
    {"要强化督查指导，提升督\n查实效，确保落实见效\n\n要强化宣传引导，凝聚\n群防群治力量，守住安\n"
     "全底线\n",
     "要强化督查指导，提升督查实效，确保落实见效 | 要强化宣传引导，凝聚群防群治力量，守住安全底线"},
    /* Latin words split by the layout get a space, runs of spaces collapse */
    {"the quick brown fox\njumps over the lazy\ndog and runs   away\nfrom the farmer.\n",
     "the quick brown fox jumps over the lazy dog and runs away from the farmer."},
    {"\n\n   \n", ""},
    /* page furniture (marked %) stands alone, even as wide as the column */
    {"第2版：要闻\n微信 智能问答 繁體版\n市政府召开常务会议\n会议要求，要抓好落实。\n"
     "责任编辑：王晓\n上一篇：市政府召开第二十五次常务会议\n",
     "%第2版：要闻 | %微信 智能问答 繁體版 | #市政府召开常务会议 | 会议要求，要抓好落实。 | "
     "%责任编辑：王晓 | %上一篇：市政府召开第二十五次常务会议"},
    {"会议强调，要加快推进\n项目建设，确保年底前\n版面编辑：李明远哲人\n全面完成各项任务。\n",
     "会议强调，要加快推进项目建设，确保年底前 | %版面编辑：李明远哲人 | 全面完成各项任务。"},
    /* a page cut: the paragraph goes on after the furniture, which follows it */
    {"会议强调，要加快推进\n项目建设，确保年底前\n全面完成\n（下转第2版）\nA2\n（上接第1版）\n"
     "各项建设任务。要强化\n督查指导，提升实效。\n",
     "会议强调，要加快推进项目建设，确保年底前全面完成各项建设任务。要强化督查指导，提升实效。 | "
     "%（下转第2版） | %A2 | %（上接第1版）"},
    /* an OCR'd dump: spaces next to CJK take no width, the lines still join */
    {"会议指出，安全是发展\n的前提。 各级各部门\n要时刻绷紧安全弦，坚\n持底线思维。\n",
     "会议指出，安全是发展的前提。 各级各部门要时刻绷紧安全弦，坚持底线思维。"},
    /* a headline the column wrapped stays a headline; the date line is furniture */
    {"安平县召开全县秸秆综合\n利用工作专题会议\n2024年5月22日 星期三\n22日，县长李国栋主持召\n"
     "开专题会议，研究部署全\n县秸秆综合利用工作。\n",
     "#安平县召开全县秸秆综合利用工作专题会议 | %2024年5月22日 星期三 | "
     "22日，县长李国栋主持召开专题会议，研究部署全县秸秆综合利用工作。"},
};

static void test_lines(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct intake_result r;
        struct buf got;
        memset(&r, 0, sizeof r);
        buf_init(&got, 0);
        intake_lines_repair(cases[i].in, strlen(cases[i].in), &r);
        for (size_t k = 0; k < r.n_paragraphs; k++) {
            if (k) buf_puts(&got, " | ");
            if (r.paragraphs[k].furniture)
                buf_putc(&got, '%');
            else if (r.paragraphs[k].kind == INTAKE_PARA_HEADLINE)
                buf_putc(&got, '#');
            if (r.paragraphs[k].kind == INTAKE_PARA_LEAD) buf_putc(&got, '@');
            buf_append(&got, r.paragraphs[k].text, r.paragraphs[k].len);
        }
        if (strcmp(buf_cstr(&got), cases[i].want) != 0)
            fail_msg("case %zu:\n  got  [%s]\n  want [%s]", i, buf_cstr(&got), cases[i].want);
        buf_free(&got);
        intake_result_free(&r);
    }
}

static const struct {
    const char *in;
    int lead;
} lead_cases[] = {
    {"本报讯（融媒首席记者 陈晓苏）", 1},
    {"本报记者 张三", 1},
    {"永康日报讯（记者 李四）", 1},
    {"新华社北京3月5日电", 1},
    {"会议指出，本报讯", 0},
    {"讯（", 0},
};

static void test_is_lead(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof lead_cases / sizeof lead_cases[0]; i++)
        assert_int_equal(intake_lines_is_lead(lead_cases[i].in, strlen(lead_cases[i].in)),
                         lead_cases[i].lead);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lines),
        cmocka_unit_test(test_is_lead),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
