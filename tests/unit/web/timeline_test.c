/* timeline_test.c — every event as a sentence in both languages (issue 17,
 * major 7; web/timeline.c): one case per event action of the loop and per
 * event the system writes (create, photo, rollup, an automatic urge), each
 * with data shaped as core records it, rendered exactly in Chinese and in
 * English; no raw JSON, no field names, no ✓ or ✗ anywhere; and the table
 * knows every action of core's list. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/action_spec.h"
#include "web/page.h"

struct ev_case {
    const char *action, *actor, *data;
    int64_t lead;        /* the lead unit the events before established */
    const char *zh, *en; /* the sentence (and the person's text after it) */
};

#define AT "2030-03-04T09:30:00+08:00"

static const struct ev_case cases[] = {
    {"create", "supervisor",
     "{\"kind\":\"task\",\"title\":\"t\",\"description\":\"\",\"source\":\"meeting\","
     "\"feedback_cycle\":\"weekly\",\"lead_unit_id\":7,\"co_unit_ids\":[8],\"deadline\":"
     "\"2030-06-30\",\"meeting\":{\"id\":2,\"paragraph\":3},\"metric\":{\"target\":30,\"unit\":"
     "\"家\"}}",
     0,
     "创建事项，来自会议 <a href=\"/meetings/2\">#2</a> 第 4 段，牵头单位：应急管理局，配合单位："
     "经信局，期限 2030-06-30，指标目标 30 家。",
     "Created the item, from meeting <a href=\"/meetings/2\">#2</a> (paragraph 4), lead unit: "
     "应急管理局, cooperating units: 经信局, deadline 2030-06-30, target 30 家."},
    {"create", "grid",
     "{\"kind\":\"hazard\",\"title\":\"t\",\"description\":\"d\",\"source\":\"report\","
     "\"feedback_cycle\":\"none\",\"hazard\":{\"category\":\"fire\",\"proposed_unit_id\":7,"
     "\"report_sha256\":\"ab\"},\"photos\":[{\"photo_id\":1,\"phase\":\"report\"}]}",
     0, "上报隐患，类别：消防，现场照片 1 张。",
     "Reported the hazard, category: Fire safety, with 1 photo(s)."},
    {"assign", "supervisor",
     "{\"working_days\":10,\"before\":{\"status\":\"draft\",\"lead_unit_id\":null,\"deadline\":"
     "null},\"after\":{\"status\":\"assigned\",\"lead_unit_id\":7,\"deadline\":\"2030-03-18\"}}",
     0, "交办给应急管理局，期限 2030-03-18（10 个工作日）。",
     "Assigned to 应急管理局, deadline 2030-03-18 (10 working days)."},
    {"assign", "supervisor",
     "{\"listed\":true,\"before\":{\"status\":\"draft\",\"escalation\":null},\"after\":{\"status\":"
     "\"assigned\",\"escalation\":\"listed\"}}",
     7, "交办给应急管理局，重大隐患挂牌督办。",
     "Assigned to 应急管理局, the major hazard is listed for supervision."},
    {"assign", "supervisor",
     "{\"co_unit_ids\":[],\"before\":{\"lead_unit_id\":7},\"after\":{\"lead_unit_id\":8}}", 7,
     "改派给经信局（原为 应急管理局）。", "Reassigned to 经信局 (was 应急管理局)."},
    {"accept", "yjj", "{\"before\":{\"status\":\"assigned\"},\"after\":{\"status\":\"accepted\"}}",
     7, "签收。", "Accepted."},
    {"return", "yjj", "{\"reason\":\"不属本单位职责\"}", 7,
     "退回督查室重新交办。</p><p class=\"rt\">不属本单位职责",
     "Returned to the office to be reassigned.</p><p class=\"rt\">不属本单位职责"},
    {"feedback", "yjj",
     "{\"text\":\"已排查 12 家\",\"feedback_id\":3,\"value\":12,\"progress\":40,\"late\":false,"
     "\"before\":{\"progress\":20},\"after\":{\"progress\":40}}",
     7, "反馈进展，进度 40%（原为 20%），指标当前值 12。</p><p class=\"rt\">已排查 12 家",
     "Reported progress, progress 40% (was 20%), metric value 12.</p><p class=\"rt\">已排查 12 家"},
    {"feedback", "yjj",
     "{\"text\":\"推进中\",\"feedback_id\":4,\"value\":12.5,\"late\":true,\"before\":{},"
     "\"after\":{}}",
     7, "反馈进展，指标当前值 12.5，未按期反馈。</p><p class=\"rt\">推进中",
     "Reported progress, metric value 12.5, after the expected date.</p><p class=\"rt\">推进中"},
    {"request_extension", "yjj", "{\"deadline\":\"2030-07-31\",\"reason\":\"汛期\"}", 7,
     "申请延期至 2030-07-31。</p><p class=\"rt\">汛期",
     "Asked to extend the deadline to 2030-07-31.</p><p class=\"rt\">汛期"},
    {"approve_extension", "supervisor",
     "{\"extension_id\":1,\"before\":{\"deadline\":\"2030-06-30\"},\"after\":{\"deadline\":"
     "\"2030-07-31\"}}",
     7, "批准延期，期限改为 2030-07-31（原为 2030-06-30）。",
     "Approved the extension: the deadline is now 2030-07-31 (was 2030-06-30)."},
    {"deny_extension", "supervisor",
     "{\"extension_id\":2,\"requested_deadline\":\"2030-08-31\",\"text\":\"理由不足\"}", 7,
     "驳回延期申请，所申请的期限 2030-08-31。</p><p class=\"rt\">理由不足",
     "Denied the extension, requested 2030-08-31.</p><p class=\"rt\">理由不足"},
    {"submit", "yjj",
     "{\"text\":\"已清理\",\"after_photos\":2,\"acceptance_due\":\"2030-03-20\",\"submitted_on\":"
     "\"2030-03-10\",\"extension_withdrawn\":true}",
     7,
     "提交办结，整改后照片共 2 张，验收期限 2030-03-20，待审批的延期申请随之失效。</p><p "
     "class=\"rt\">已清理",
     "Submitted as done, with 2 after-photo(s), acceptance due 2030-03-20, the waiting extension "
     "request lapsed.</p><p class=\"rt\">已清理"},
    {"verify", "grid", "{\"closed_at\":1,\"delisted\":true,\"delisted_at\":1}", 7,
     "审核通过，销号办结，重大隐患摘牌。",
     "Verified: the item is done, the major hazard is delisted."},
    {"verify", "supervisor", "{\"reason\":\"其余由下级跟进\",\"open_children\":2}", 7,
     "审核通过，销号办结，办结时尚未办结的下级事项：2。</p><p class=\"rt\">其余由下级跟进",
     "Verified: the item is done, sub-items still open: 2.</p><p class=\"rt\">其余由下级跟进"},
    {"plan", "supervisor", "{\"plan\":\"腾退闲置厂房\",\"mode\":\"reclaim\"}", 0,
     "写明一企一方案，整治方式：收回土地。", "Wrote the plan, way: Reclaim."},
    {"plan", "supervisor", "{\"mode\":\"upgrade\"}", 0, "整治方式：提升改造。", "Way: Upgrade."},
    /* a challenge's acceptance (验收): the verdict in words, the report after it */
    {"verify", "supervisor", "{\"result\":\"pass\",\"report\":\"指标全部达到\"}", 7,
     "验收结论：通过。</p><p class=\"rt\">指标全部达到",
     "Acceptance: Pass.</p><p class=\"rt\">指标全部达到"},
    {"verify", "supervisor", "{\"result\":\"fail\",\"report\":\"样机未达标\"}", 7,
     "验收结论：不通过。</p><p class=\"rt\">样机未达标",
     "Acceptance: Fail.</p><p class=\"rt\">样机未达标"},
    /* review before a unit reports: the head's two steps */
    {"review_approve", "jxhead", "{\"review_id\":3,\"action\":\"feedback\",\"author_id\":9}", 7,
     "负责人审核通过本单位的报送：反馈进展。",
     "The unit head approved a report of the unit: Report progress."},
    {"review_return", "jxhead",
     "{\"review_id\":3,\"action\":\"submit\",\"author_id\":9,\"reason\":\"缺材料\"}", 7,
     "负责人退回本单位的报送：提交办结。</p><p class=\"rt\">缺材料",
     "The unit head sent back a report of the unit: Submit.</p><p class=\"rt\">缺材料"},
    {"publish", "supervisor", "{\"note\":\"经内部审核\",\"phase\":\"open\"}", 0,
     "发布榜单，接受揭榜申报。</p><p class=\"rt\">经内部审核",
     "Published the challenge for applications.</p><p class=\"rt\">经内部审核"},
    {"apply", "jiebang",
     "{\"application_id\":3,\"unit_id\":9,\"team\":\"攻关组\",\"plan\":\"p\","
     "\"budget_wan\":280.5,\"members\":[\"张工\"]}",
     0, "提交揭榜申报 #3，团队：攻关组，预算（万元）280.50。",
     "Applied: application #3, team: 攻关组, budget (万元) 280.50."},
    {"close_applications", "supervisor", "{\"phase\":\"closed\"}", 0, "截止揭榜申报。",
     "Closed the applications."},
    {"review", "leader", "{\"application_id\":3,\"score\":85,\"comment\":\"方案扎实\"}", 0,
     "评审申报 #3，评分 85。</p><p class=\"rt\">方案扎实",
     "Reviewed application #3, score 85.</p><p class=\"rt\">方案扎实"},
    {"award", "supervisor",
     "{\"application_id\":3,\"winner_unit_id\":7,\"before\":{\"status\":\"draft\","
     "\"lead_unit_id\":null},\"after\":{\"status\":\"assigned\",\"lead_unit_id\":7,"
     "\"deadline\":\"2031-03-31\"}}",
     0, "确定揭榜：申报 #3，揭榜单位：应急管理局，期限 2031-03-31。",
     "Awarded application #3, winner: 应急管理局, deadline 2031-03-31."},
    {"disburse", "supervisor", "{\"amount_wan\":200,\"note\":\"首期\",\"total_wan\":300}", 7,
     "拨付 200.00 万元，累计 300.00 万元。</p><p class=\"rt\">首期",
     "Paid 200.00 万元, in all 300.00 万元.</p><p class=\"rt\">首期"},
    {"reject", "grid", "{\"reason\":\"仍有杂物\"}", 7, "退回重办。</p><p class=\"rt\">仍有杂物",
     "Sent back for rework.</p><p class=\"rt\">仍有杂物"},
    {"urge", "supervisor", "{\"text\":\"请加快\"}", 7, "催办。</p><p class=\"rt\">请加快",
     "Urged.</p><p class=\"rt\">请加快"},
    {"urge", "system", "{\"text\":\"已逾期\"}", 7, "系统按规则自动催办。</p><p class=\"rt\">已逾期",
     "Urged automatically by the rules.</p><p class=\"rt\">已逾期"},
    {"escalate", "supervisor",
     "{\"text\":\"重点关注\",\"before\":{\"escalation\":null},\"after\":{\"escalation\":\"key\"}}",
     7, "督办级别升为重点督办。</p><p class=\"rt\">重点关注",
     "Escalated to Key.</p><p class=\"rt\">重点关注"},
    {"instruct", "leader", "{\"text\":\"抓紧落实\"}", 7, "领导批示。</p><p class=\"rt\">抓紧落实",
     "Gave an instruction.</p><p class=\"rt\">抓紧落实"},
    {"cancel", "supervisor", "{\"reason\":\"重复上报\",\"duplicate_of\":5,\"closed_at\":1}", 7,
     "撤销，与此前上报的隐患重复：<a href=\"/items/5\">#5</a>。</p><p class=\"rt\">重复上报",
     "Cancelled, a duplicate of <a href=\"/items/5\">#5</a>.</p><p class=\"rt\">重复上报"},
    {"suspend", "supervisor", "{\"reason\":\"等待规划调整\"}", 7,
     "暂停办理。</p><p class=\"rt\">等待规划调整", "Suspended.</p><p class=\"rt\">等待规划调整"},
    {"resume", "supervisor", "{}", 7, "恢复办理。", "Resumed."},
    {"archive", "supervisor", "{}", 7, "归档。", "Archived."},
    {"edit", "supervisor",
     "{\"before\":{\"title\":\"旧\",\"description\":\"a\",\"feedback_cycle\":\"monthly\","
     "\"metric_target\":null,\"metric_unit\":null,\"co_unit_ids\":[]},\"after\":{\"title\":"
     "\"新\",\"description\":\"b\",\"feedback_cycle\":\"weekly\",\"metric_target\":120.0,"
     "\"metric_unit\":\"亩\",\"co_unit_ids\":[8]}}",
     7, "修改事项，标题改为“新”，内容已修改，反馈周期改为每周，指标改为 120 亩，配合单位：经信局。",
     "Edited the item, the title now reads “新”, the description changed, feedback cycle now "
     "Weekly, metric now 120 亩, cooperating units: 经信局."},
    {"edit", "supervisor",
     "{\"before\":{\"metric_target\":5.0,\"metric_unit\":\"家\",\"co_unit_ids\":[8]},"
     "\"after\":{\"metric_target\":null,\"metric_unit\":null,\"co_unit_ids\":[]}}",
     7, "修改事项，不再设指标，不再有配合单位。",
     "Edited the item, no metric any more, no cooperating units any more."},
    {"triage", "supervisor",
     "{\"level\":\"major\",\"category\":\"gas\",\"proposed_unit_id\":8,\"rerouted\":true,\"plan\":"
     "{\"targets\":\"x\"},\"before\":{\"lead_unit_id\":null,\"deadline\":null,\"title\":"
     "\"消防隐患：x\"},\"after\":{\"lead_unit_id\":7,\"deadline\":\"2030-04-30\",\"title\":"
     "\"燃气隐患：x\"}}",
     0,
     "研判，定为重大隐患，类别：燃气，责任单位：应急管理局，类别改变，按新类别分派，"
     "标题改为“燃气隐患：x”，分派规则建议：经信局，期限 2030-04-30，治理方案已填写。",
     "Triaged, a major hazard, category: Gas, responsible unit: 应急管理局, re-routed for the new "
     "category, the title now reads “燃气隐患：x”, routing proposes 经信局, deadline 2030-04-30, "
     "the remediation plan is written."},
    {"triage", "supervisor", "{\"level\":\"general\",\"proposed_unit_id\":null}", 0,
     "研判，定为一般隐患，没有适用的分派规则。",
     "Triaged, a general hazard, no routing rule applies."},
    {"photo", "yjj",
     "{\"photo_id\":2,\"phase\":\"after\",\"mime\":\"image/png\",\"bytes\":2100,\"sha256\":\"ab\"}",
     7, "上传整改后的现场照片（PNG、3 KB）。", "Added a photo of the rectified site (PNG, 3 KB)."},
    {"photo", "grid",
     "{\"photo_id\":1,\"phase\":\"report\",\"mime\":\"image/jpeg\",\"bytes\":1024,\"sha256\":"
     "\"ab\"}",
     0, "上传上报时的现场照片（JPEG、1 KB）。", "Added a photo of the report (JPEG, 1 KB)."},
    {"rollup", "yjj", "{\"child_id\":9,\"before\":{\"progress\":10},\"after\":{\"progress\":55}}",
     7, "下级事项 <a href=\"/items/9\">#9</a> 的进度有变，汇总进度为 55%（原为 10%）。",
     "Sub-item <a href=\"/items/9\">#9</a> changed: the progress rolls up to 55% (was 10%)."},
    {"rate", "qiye", "{\"rating\":\"satisfied\",\"comment\":\"满意\"}", 7,
     "评价。</p><p class=\"rt\">满意", "Rated.</p><p class=\"rt\">满意"},
    {"submit", "yjj", "{\"reply\":\"已协调银行\"}", 7, "提交办结。</p><p class=\"rt\">已协调银行",
     "Submitted as done.</p><p class=\"rt\">已协调银行"},
    {"follow_up", "supervisor", "{\"result\":\"企业表示满意\"}", 7,
     "回访。</p><p class=\"rt\">企业表示满意", "Followed up.</p><p class=\"rt\">企业表示满意"},
    {"redo", "supervisor", "{\"reason\":\"再协调\",\"deadline\":\"2030-04-09\",\"redo_count\":1}",
     7, "企业不满意，重新交办。</p><p class=\"rt\">再协调",
     "Sent back to be redone after an unsatisfied rating.</p><p class=\"rt\">再协调"},
    {"explain", "supervisor", "{\"text\":\"超出政策\"}", 7,
     "说明诉求超出政策范围，不再重办。</p><p class=\"rt\">超出政策",
     "Explained that the demand lies outside policy.</p><p class=\"rt\">超出政策"},
};

/* The <p class="say"> of one rendered event, up to its </li>. */
static const char *say_of(const char *html)
{
    const char *p = strstr(html, "<p class=\"say\">");
    assert_non_null(p);
    return p + strlen("<p class=\"say\">");
}

static void render(const struct ev_case *c, enum req_lang lang, char *out, size_t n)
{
    struct req r;
    memset(&r, 0, sizeof r);
    r.arena = arena_new();
    r.lang = lang;
    buf_init(&r.out, 0);
    json_t *units =
        json_loads("[{\"id\":7,\"name\":\"应急管理局\"},{\"id\":8,\"name\":\"经信局\"}]", 0, NULL);
    json_t *data = json_loads(c->data, 0, NULL);
    if (!data) fail_msg("%s: bad test data", c->action);
    json_t *ev = json_pack("{s:s,s:s,s:s,s:o}", "action", c->action, "actor", c->actor, "at", AT,
                           "data", data);
    struct timeline_state now = {c->lead};
    timeline_event(&r, ev, units, &now);
    const char *say = say_of(buf_cstr(&r.out));
    const char *end = strstr(say, "</p></li>");
    assert_non_null(end);
    snprintf(out, n, "%.*s", (int)(end - say), say);
    json_decref(ev);
    json_decref(units);
    buf_free(&r.out);
    arena_free(r.arena);
}

/* No raw data: no braces, no ✓ ✗, no snake_case names. */
static void assert_words(const char *action, const char *s)
{
    if (strchr(s, '{') || strstr(s, "✓") || strstr(s, "✗"))
        fail_msg("%s: raw data in '%s'", action, s);
    for (const char *p = s; *p; p++)
        if (*p == '_' && p > s && p[-1] >= 'a' && p[-1] <= 'z' && p[1] >= 'a' && p[1] <= 'z')
            fail_msg("%s: a field name in '%s'", action, s);
}

static void test_every_event_reads_as_a_sentence(void **state)
{
    (void)state;
    char got[1024];
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        render(&cases[i], LANG_ZH, got, sizeof got);
        assert_words(cases[i].action, got);
        if (getenv("TIMELINE_PRINT")) printf("%s\n", got);
        if (strcmp(got, cases[i].zh) && !getenv("TIMELINE_PRINT"))
            fail_msg("%s (zh): got\n%s", cases[i].action, got);
        render(&cases[i], LANG_EN, got, sizeof got);
        assert_words(cases[i].action, got);
        if (getenv("TIMELINE_PRINT")) printf("%s\n", got);
        if (strcmp(got, cases[i].en) && !getenv("TIMELINE_PRINT"))
            fail_msg("%s (en): got\n%s", cases[i].action, got);
    }
}

/* Every action of core's list, and every event the system writes, has its
 * sentence, and a case above. */
static void test_every_action_has_a_sentence(void **state)
{
    (void)state;
    const char *names[64];
    size_t n = action_names(names, 60);
    names[n++] = "create", names[n++] = "photo", names[n++] = "rollup";
    for (size_t k = 0; k < n; k++) {
        if (!timeline_knows(names[k])) fail_msg("no sentence for '%s'", names[k]);
        size_t i = 0;
        while (i < sizeof cases / sizeof *cases && strcmp(cases[i].action, names[k]))
            i++;
        if (i == sizeof cases / sizeof *cases) fail_msg("no test case for '%s'", names[k]);
    }
    assert_false(timeline_knows("no_such_event"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_event_reads_as_a_sentence),
        cmocka_unit_test(test_every_action_has_a_sentence),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
