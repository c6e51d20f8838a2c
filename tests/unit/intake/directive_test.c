/* directive_test.c — the 要 disambiguation and directive boundaries of
 * src/intake/directive.c, table-driven: each paragraph with the exact
 * directives a careful reader would list (joined by " | "), then the units a
 * subject names and the order of the verb lexicon. */
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
    const char *want; /* directives joined by " | "; "" for none */
} spans_cases[] = {
    /* words with 要 that are not directives */
    {"科技需要创新，创新需要人才，人才需要引育。", ""},
    {"这是一次重要讲话，主要目标已经明确。", ""},
    {"会议以“高标准、作示范”为要求，聚合创新要素。", ""},
    {"坚决向低效要空间、向存量要空间。", ""},
    {"只要思想不松，就能守住底线。", ""},
    {"公司要是早做准备，就不会被动。", ""},
    /* bare 要 clauses, split at ；要 */
    {"下步，要抓好责任落实，明确任务分工；要强化督查指导，提升督查实效。",
     "要抓好责任落实，明确任务分工 | 要强化督查指导，提升督查实效"},
    {"他强调，要以事业留人；要以环境留人；要以感情留人。",
     "要以事业留人 | 要以环境留人 | 要以感情留人"},
    /* subjects: collectives, unit lists, ordinals, adverbs, connectives */
    {"全市上下要学习好讲话精神，特别是市委组织部、市委党校要把要求传达至每一位干部。",
     "全市上下要学习好讲话精神 | 市委组织部、市委党校要把要求传达至每一位干部"},
    {"各级各部门都要绷紧安全弦。", "各级各部门都要绷紧安全弦"},
    {"一要排查隐患；二要压实责任；三要强化值守。", "一要排查隐患 | 二要压实责任 | 三要强化值守"},
    {"市应急管理局和相关部门必须要加强执法检查。", "市应急管理局和相关部门必须要加强执法检查"},
    {"同时要加强规划宣传和解读。", "要加强规划宣传和解读"},
    {"企业主要负责人要履行第一责任人职责。", "企业主要负责人要履行第一责任人职责"},
    /* a time word standing alone before the directive belongs to it */
    {"近期，要组织开展一次安全生产大检查。", "近期，要组织开展一次安全生产大检查"},
    /* imperative cues, one directive per ； */
    {"会议要求，抓紧制定实施方案；加快推进项目建设。", "抓紧制定实施方案 | 加快推进项目建设"},
    {"会议要求，只要隐患没有消除，就不能放松警惕。", ""},
    {"按照部署要求，稳步推进各项工作。", ""},
    /* 由X牵头 */
    {"由市督查室牵头建立交办事项清单，15个工作日内反馈。",
     "由市督查室牵头建立交办事项清单，15个工作日内反馈"},
    {"由市经信局牵头，要立即开展亩均评价。", "由市经信局牵头，要立即开展亩均评价"},
    /* a lead-in after ； belongs to the next directive */
    {"市经信局要完成整治；对D类企业，要实行差别化电价。",
     "市经信局要完成整治 | 对D类企业，要实行差别化电价"},
    /* the same after an ASCII ';' (the start once landed inside a character) */
    {"市经信局要完成整治;对D类企业，要实行差别化电价。",
     "市经信局要完成整治 | 对D类企业，要实行差别化电价"},
    /* quotes: 要 inside quotes is not a marker, 。 inside quotes ends nothing */
    {"要坚持“要我安全。”到“我要安全”的转变，形成合力。",
     "要坚持“要我安全。”到“我要安全”的转变，形成合力"},
    /* in a passage, a topic is a subject; outside one it is not */
    {"会议强调，核心指标要盯紧盯牢；重大项目要加快推进。",
     "核心指标要盯紧盯牢 | 重大项目要加快推进"},
    {"核心指标要盯紧盯牢。", ""},
    {"郑文斌在讲话时指出，县级领导要带头学纪。", "县级领导要带头学纪"},
    {"会议强调，一季度要力争开门红。", "一季度要力争开门红"},
    /* a topic after a comma goes on with the directive of its part */
    {"会议要求，要逐项明确责任单位，一时难以解决的要跟踪推进。",
     "要逐项明确责任单位，一时难以解决的要跟踪推进"},
    /* actions without 要 after 强调 and after a directive */
    {"李国栋强调，加快推进秸秆还田。狠抓网格化监管。以空气质量改善为统领，统筹做好禁烧工作。",
     "加快推进秸秆还田 | 狠抓网格化监管 | 以空气质量改善为统领，统筹做好禁烧工作"},
    {"会议强调，市财政局要加强征管；加快专项债券支出进度。",
     "市财政局要加强征管 | 加快专项债券支出进度"},
    {"会议要求，各县要压实责任；依法依规，着手处置闲置土地。",
     "各县要压实责任 | 依法依规，着手处置闲置土地"},
    /* a remark ends the passage */
    {"会议强调，要抓好落实。会议听取了汇报。加快推进项目建设。", "要抓好落实"},
    /* the cue inside the clause; 务必 */
    {"会议要求各相关部门务必把安全摆在突出位置。", "各相关部门务必把安全摆在突出位置"},
    {"会议学习了分解方案，要求各责任单位逐项制定推进计划。", "各责任单位逐项制定推进计划"},
    /* evaluative and conditional 要 */
    {"但也要清醒地看到，问题依然存在，要实现目标依旧任重道远。", ""},
    {"会议认为，要完成全年目标任务，仍需付出艰苦努力。", ""},
    {"如果要遏制事故多发势头，就必须在源头治理上下功夫。", ""},
    /* background before X要 in a ；-part is its lead-in, not a directive */
    {"会议要求，抓紧制定方案；当前正值汛期，各级各部门要严格值守。",
     "抓紧制定方案 | 当前正值汛期，各级各部门要严格值守"},
    /* places and members as subjects */
    {"东岭县、西河县要重点做好防范。市防指各成员单位要密切配合。",
     "东岭县、西河县要重点做好防范 | 市防指各成员单位要密切配合"},
};

static void test_spans(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof spans_cases / sizeof spans_cases[0]; i++) {
        const char *in = spans_cases[i].in;
        struct intake_span *spans = NULL;
        size_t n = 0;
        struct buf got;
        buf_init(&got, 0);
        intake_directive_spans(in, strlen(in), &spans, &n);
        for (size_t k = 0; k < n; k++) {
            if (k) buf_puts(&got, " | ");
            buf_append(&got, in + spans[k].start, spans[k].end - spans[k].start);
        }
        if (strcmp(buf_cstr(&got), spans_cases[i].want) != 0)
            fail_msg("case %zu: %s\n  got  [%s]\n  want [%s]", i, in, buf_cstr(&got),
                     spans_cases[i].want);
        buf_free(&got);
        free(spans);
    }
}

static const struct {
    const char *in;
    const char *want; /* units joined by "|" */
} unit_cases[] = {
    {"市委组织部、市委党校要把要求传达至每一位干部", "市委组织部|市委党校"},
    {"市经信局和市自然资源和规划局要会同各镇街", "市经信局|市自然资源和规划局"},
    {"市应急管理局和相关部门要加强执法检查", "市应急管理局"},
    {"各级各部门要绷紧安全弦", ""},
    {"全市上下要学习好", ""},
    {"要强化督查指导", ""},
    {"市科技局要在7月31日前发布首批榜单", "市科技局"},
    {"东岭县、西河县要重点做好防范", "东岭县|西河县"},
    {"各县（市、区）要压实属地责任", ""},
    {"市防指各成员单位要密切配合", ""},
    {"景区要严格落实限量要求", ""},
    {"市工商联要发挥桥梁作用", "市工商联"},
};

static void test_subject_units(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof unit_cases / sizeof unit_cases[0]; i++) {
        char **units = NULL;
        size_t n = 0;
        struct buf got;
        buf_init(&got, 0);
        intake_directive_subject_units(unit_cases[i].in, strlen(unit_cases[i].in), &units, &n);
        for (size_t k = 0; k < n; k++) {
            if (k) buf_putc(&got, '|');
            buf_puts(&got, units[k]);
        }
        if (strcmp(buf_cstr(&got), unit_cases[i].want) != 0)
            fail_msg("case %zu: got [%s] want [%s]", i, buf_cstr(&got), unit_cases[i].want);
        buf_free(&got);
        intake_strv_free(units, n);
    }
}

static void test_verbs_sorted(void **state)
{
    size_t n;
    const char *const *v = intake_directive_verbs(&n);
    (void)state;
    assert_true(n > 100);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(strlen(v[i]), 6);
        if (i > 0) assert_true(memcmp(v[i - 1], v[i], 6) < 0);
    }
}

/* A directive's topic and verbs, through the whole pipeline. */
static void test_topic_verbs(void **state)
{
    const char *in = "会议强调，要强化责任落实，压紧责任链条，加强督导问责。";
    struct intake_result r;
    (void)state;
    assert_int_equal(intake_run(in, strlen(in), NULL, &r, NULL), INTAKE_OK);
    assert_int_equal(r.n_directives, 1);
    assert_string_equal(r.directives[0].text, "要强化责任落实，压紧责任链条，加强督导问责");
    assert_string_equal(r.directives[0].topic, "强化责任落实");
    assert_int_equal(r.directives[0].n_verbs, 3);
    assert_string_equal(r.directives[0].verbs[0], "强化");
    assert_string_equal(r.directives[0].verbs[1], "压紧");
    assert_string_equal(r.directives[0].verbs[2], "加强");
    assert_int_equal(r.directives[0].start, 5);
    assert_int_equal(r.directives[0].end, 26);
    intake_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spans),
        cmocka_unit_test(test_subject_units),
        cmocka_unit_test(test_verbs_sorted),
        cmocka_unit_test(test_topic_verbs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
