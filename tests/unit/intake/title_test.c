/* title_test.c — directives' titles (src/intake/title.c), table-driven: a
 * paragraph read by the whole pipeline, and the exact title of each of its
 * directives — the action clause without lead-unit phrases (由X牵头, 会同X,
 * 牵头), means-phrases (以感情留人, 以…为统领, 按照职责分工, 依法依规) and a
 * deadline at its head, a topic kept before it; and the seed's fifteen.
 * Run from the repository root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "intake/intake.h"
#include "util/buf.h"

static const struct {
    const char *text;
    const char *titles[4]; /* of its directives, in order; NULL ends */
} cases[] = {
    /* lead-unit phrases: a clause of their own, before the action, or the subject's 牵头 */
    {"会议要求，由市城管局牵头，开展为期三个月的城市道路安全隐患集中整治。",
     {"开展为期三个月的城市道路安全隐患集中整治"}},
    {"会议强调，由市督查室牵头建立月度工作例会交办事项清单，逐项明确责任单位和完成时限。",
     {"建立月度工作例会交办事项清单"}},
    {"会议强调，市发改委要牵头建立重大项目“红黄绿”预警机制。", {"建立重大项目“红黄绿”预警机制"}},
    /* cooperating units: before the action, or a clause of their own */
    {"会议强调，市住建局要会同相关部门细化年度项目清单，明确责任单位和完成时限。",
     {"细化年度项目清单"}},
    {"会议强调，市应急管理局要会同行业主管部门，对事故企业依法依规从严查处。",
     {"对事故企业依法依规从严查处"}},
    {"会议强调，市应急管理局要会同市消防救援支队，5月10日前完成人员密集场所专项检查。",
     {"完成人员密集场所专项检查"}},
    {"会议强调，市经信局要会同各镇街，按照“一地一策”原则，年底前完成低效工业用地整治。",
     {"完成低效工业用地整治"}},
    /* means-phrases: without a verb of their own, or before a clause that acts */
    {"会议指出，要以感情留人，强化主动服务、精准对接，推动形成浓厚氛围。",
     {"强化主动服务、精准对接"}},
    {"会议指出，要以事业留人，对标世界一流、行业领先，聚焦产业现状和发展所需，大力实施“揭榜挂帅"
     "”机制。",
     {"大力实施“揭榜挂帅”机制"}},
    {"会议强调，以空气质量改善为统领，统筹做好夏收夏种和禁烧工作。",
     {"统筹做好夏收夏种和禁烧工作"}},
    {"会议要求，依法依规，着手处置一批闲置低效用地。", {"着手处置一批闲置低效用地"}},
    {"会议强调，市防指各成员单位要按照职责分工，密切协同配合，形成防汛工作合力。",
     {"密切协同配合"}},
    {"会议强调，各镇（街道）要结合网格化管理，把排查任务落实到每一个网格。",
     {"把排查任务落实到每一个网格"}},
    {"会议强调，各相关部门务必以“时时放心不下”的责任感，抓细抓实各项安全防范措施。",
     {"抓细抓实各项安全防范措施"}},
    /* a means word that acts (聚焦X招商), or a means clause with a verb before no action: kept */
    {"会议强调，聚焦主导产业链条精准招商，全年引进亿元以上项目不少于60个。",
     {"聚焦主导产业链条精准招商"}},
    {"会议强调，县自然资源局要按照会议意见修改完善，尽快按程序报批。", {"按照会议意见修改完善"}},
    {"会议强调，必须坚持以高质量发展为首要任务，因地制宜发展新质生产力。",
     {"坚持以高质量发展为首要任务"}},
    /* a deadline at the head */
    {"会议强调，市自然资源和规划局要在6月底前完成年度供地计划编制。", {"完成年度供地计划编制"}},
    {"会议强调，委机关各处室要在11月中旬前完成全会精神传达学习全覆盖。",
     {"完成全会精神传达学习全覆盖"}},
    /* a topic stays; units and collectives go */
    {"会议强调，核心指标要盯紧盯牢，对照全年目标逐项查漏补缺；重大项目要加快推进。",
     {"核心指标盯紧盯牢", "重大项目加快推进"}},
    {"会议强调，疫病防控要更精准；市疾控中心要加强重点传染病监测。",
     {"疫病防控更精准", "加强重点传染病监测"}},
    {"会议强调，市级领导要带头联系重大项目，每月至少到项目现场调研一次。",
     {"市级领导带头联系重大项目"}},
    /* a directive of a passage, without 要: its units and ordinal go, its verb stays */
    {"会议要求，各责任单位对照分解方案，逐项制定推进计划，3月10日前报县政府办公室。",
     {"逐项制定推进计划"}},
    {"会议强调，要加强监管；加快推进安全生产信息化平台建设，提升智慧监管水平。",
     {"加强监管", "加快推进安全生产信息化平台建设"}},
};

static void test_titles(void **state)
{
    (void)state;
    struct intake_options opt = {.today = {2024, 3, 1}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct intake_result r;
        assert_int_equal(intake_run(cases[i].text, strlen(cases[i].text), &opt, &r, NULL),
                         INTAKE_OK);
        size_t n = 0;
        while (n < 4 && cases[i].titles[n])
            n++;
        if (r.n_directives != n)
            fail_msg("case %zu: %zu directives, want %zu", i, r.n_directives, n);
        for (size_t k = 0; k < n; k++)
            if (strcmp(r.directives[k].title, cases[i].titles[k]))
                fail_msg("case %zu: title %s, want %s", i, r.directives[k].title,
                         cases[i].titles[k]);
        intake_result_free(&r);
    }
}

/* The seed's fifteen titles, none a lead-in (由…牵头, 以…留人). */
static void test_seed_titles(void **state)
{
    static const char *const want[] = {
        "学习好、贯彻好习近平总书记的重要讲话精神",
        "把习近平总书记的要求传达至每一位干部、每一位教师",
        "牢固树立全市“一盘棋”思想",
        "抓好责任落实",
        "强化督查指导",
        "时刻绷紧安全弦",
        "强化责任落实",
        "强化标本兼治",
        "强化宣传引导",
        "把牢“促进产业升级”这一终极目标不动摇",
        "深入学习贯彻习近平总书记关于科技创新的重要论述",
        "深刻认识、准确把握大抓创新的战略意义和工作指向",
        "大力实施关键共性技术难题攻关项目“揭榜挂帅”机制",
        "全面加快推进以人为本的城市更新行动",
        "强化主动服务、精准对接",
    };
    (void)state;
    FILE *f = fopen("tests/intake/seed.txt", "rb");
    assert_non_null(f);
    struct buf b;
    char chunk[8192];
    size_t n;
    buf_init(&b, 0);
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_append(&b, chunk, n);
    fclose(f);
    struct intake_result r;
    assert_int_equal(intake_run(b.data, b.len, NULL, &r, NULL), INTAKE_OK);
    assert_int_equal(r.n_directives, 15);
    for (size_t k = 0; k < 15; k++)
        assert_string_equal(r.directives[k].title, want[k]);
    intake_result_free(&r);
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_titles),
        cmocka_unit_test(test_seed_titles),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
