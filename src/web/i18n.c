/* i18n.c — the message table of the pages and its lookup.  See i18n.h.
 *
 * Keys are sorted by strcmp (a unit test checks it, and that every entry has
 * both languages and every T(r, "…") in src/web is here), so lookup is a
 * binary search.  Chinese is the first language: the city works in it; the
 * English is for visitors and reviewers.  Messages are whole phrases, never
 * printf formats, so numbers are placed by the page's markup. */
#include "web/i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct i18n_msg msgs[] = {
    {"action.accept", "签收", "Accept"},
    {"action.approve_extension", "批准延期", "Approve extension"},
    {"action.archive", "归档", "Archive"},
    {"action.assign", "交办", "Assign"},
    {"action.cancel", "撤销", "Cancel"},
    {"action.create", "创建", "Create"},
    {"action.deny_extension", "驳回延期", "Deny extension"},
    {"action.escalate", "督办", "Escalate"},
    {"action.feedback", "反馈进展", "Report progress"},
    {"action.instruct", "批示", "Instruct"},
    {"action.rate", "评价", "Rate"},
    {"action.reassign", "改派", "Reassign"},
    {"action.reject", "退回重办", "Reject"},
    {"action.request_extension", "申请延期", "Request extension"},
    {"action.resume", "恢复", "Resume"},
    {"action.return", "退回", "Return"},
    {"action.submit", "提交办结", "Submit"},
    {"action.suspend", "暂停", "Suspend"},
    {"action.triage", "研判", "Triage"},
    {"action.urge", "催办", "Urge"},
    {"action.verify", "审核销号", "Verify"},
    {"app.name", "落实", "luoshi"},
    {"app.tagline", "督查督办系统", "Supervision and follow-through"},
    {"cycle.biweekly", "每两周", "Every two weeks"},
    {"cycle.monthly", "每月", "Monthly"},
    {"cycle.none", "不需定期反馈", "No regular feedback"},
    {"cycle.quarterly", "每季度", "Quarterly"},
    {"cycle.weekly", "每周", "Weekly"},
    {"error.400", "请求有误", "Bad request"},
    {"error.401", "请先登录", "Please log in"},
    {"error.403", "无权访问", "Not allowed"},
    {"error.404", "未找到", "Not found"},
    {"error.405", "不支持的操作", "Method not allowed"},
    {"error.409", "数据冲突", "Conflict"},
    {"error.413", "提交的内容过大", "Too large"},
    {"error.415", "不支持的内容类型", "Unsupported content type"},
    {"error.422", "输入有误", "Invalid input"},
    {"error.429", "操作过于频繁", "Too many requests"},
    {"error.500", "系统内部错误", "Internal error"},
    {"error.503", "系统暂时不可用", "Temporarily unavailable"},
    {"error.home", "返回驾驶舱", "Back to the dashboard"},
    {"error.other", "出错了", "Something went wrong"},
    {"ev.action", "操作", "Action"},
    {"ev.actor", "操作人", "By"},
    {"ev.data", "内容", "Details"},
    {"ev.empty", "暂无记录", "No events yet"},
    {"ev.time", "时间", "Time"},
    {"field.co_unit_ids", "配合单位", "Cooperating units"},
    {"field.comment", "意见", "Comment"},
    {"field.deadline", "期限", "Deadline"},
    {"field.description", "内容", "Description"},
    {"field.feedback_cycle", "反馈周期", "Feedback cycle"},
    {"field.kind", "类型", "Kind"},
    {"field.lead_unit_id", "牵头单位", "Lead unit"},
    {"field.metric", "指标", "Metric"},
    {"field.parent_id", "上级事项", "Parent item"},
    {"field.percent", "进度", "Progress"},
    {"field.reason", "理由", "Reason"},
    {"field.source", "来源", "Source"},
    {"field.text", "内容", "Text"},
    {"field.title", "标题", "Title"},
    {"field.unit_id", "单位", "Unit"},
    {"field.value", "数值", "Value"},
    {"filter.any", "全部", "Any"},
    {"filter.apply", "筛选", "Filter"},
    {"filter.q", "关键词", "Search"},
    {"filter.reset", "清除", "Reset"},
    {"home.all_items", "查看全部事项", "All items"},
    {"home.attention", "红灯、黄灯事项", "Red and yellow items"},
    {"home.by_status", "按状态", "By status"},
    {"home.closed", "已关闭", "Closed"},
    {"home.more", "更多", "More"},
    {"home.no_attention", "暂无红灯、黄灯事项。", "No red or yellow items."},
    {"home.open", "在办事项", "Open items"},
    {"home.title", "驾驶舱", "Dashboard"},
    {"home.total", "事项总数", "All items"},
    {"item.actions", "可执行的操作", "Actions you may take"},
    {"item.actions_note", "操作表单将在后续版本提供。",
     "The action forms come in a later version."},
    {"item.co_units", "配合单位", "Cooperating units"},
    {"item.created", "创建时间", "Created"},
    {"item.current", "当前", "Current"},
    {"item.deadline", "期限", "Deadline"},
    {"item.description", "内容", "Description"},
    {"item.feedback_cycle", "反馈周期", "Feedback cycle"},
    {"item.kind", "类型", "Kind"},
    {"item.lead_unit", "牵头单位", "Lead unit"},
    {"item.light", "预警", "Light"},
    {"item.metric", "指标", "Metric"},
    {"item.no_actions", "当前没有您可执行的操作。",
     "There is nothing you may do on this item now."},
    {"item.parent", "上级事项", "Parent item"},
    {"item.progress", "进度", "Progress"},
    {"item.source", "来源", "Source"},
    {"item.status", "状态", "Status"},
    {"item.target", "目标", "Target"},
    {"item.timeline", "办理记录（全程留痕）", "Timeline"},
    {"item.updated", "更新时间", "Updated"},
    {"items.col_deadline", "期限", "Deadline"},
    {"items.col_lead", "牵头单位", "Lead unit"},
    {"items.col_light", "预警", "Light"},
    {"items.col_status", "状态", "Status"},
    {"items.col_title", "事项", "Item"},
    {"items.empty", "没有符合条件的事项。", "No items match."},
    {"items.next", "下一页", "Next"},
    {"items.prev", "上一页", "Previous"},
    {"items.title", "事项清单", "Items"},
    {"items.total", "共", "Total"},
    {"kind.challenge", "榜单", "Challenge"},
    {"kind.hazard", "隐患", "Hazard"},
    {"kind.remediation", "整治", "Remediation"},
    {"kind.request", "诉求", "Request"},
    {"kind.task", "任务", "Task"},
    {"lang.en", "English", "English"},
    {"lang.zh", "中文", "中文"},
    {"light.green", "绿灯", "Green"},
    {"light.none", "已关闭", "Closed"},
    {"light.red", "红灯", "Red"},
    {"light.yellow", "黄灯", "Yellow"},
    {"login.failed", "用户名或密码错误。", "Wrong user name or password."},
    {"login.password", "密码", "Password"},
    {"login.submit", "登录", "Log in"},
    {"login.throttled", "登录失败次数过多，请 15 分钟后再试。",
     "Too many failed logins; wait 15 minutes and try again."},
    {"login.title", "登录", "Log in"},
    {"login.unavailable", "系统暂时无法访问数据库，请稍后再试。",
     "The database cannot be reached; try again shortly."},
    {"login.username", "用户名", "User name"},
    {"nav.dashboard", "驾驶舱", "Dashboard"},
    {"nav.items", "事项", "Items"},
    {"nav.logout", "退出", "Log out"},
    {"nav.menu", "菜单", "Menu"},
    {"nav.new_item", "新建事项", "New item"},
    {"nav.units", "单位", "Units"},
    {"new.cancel", "取消", "Cancel"},
    {"new.choose", "请选择", "Choose…"},
    {"new.deadline_hint", "可留空", "May be left empty"},
    {"new.description", "内容", "Description"},
    {"new.error", "未能创建", "Not created"},
    {"new.lead_unit", "牵头单位", "Lead unit"},
    {"new.submit", "创建事项", "Create item"},
    {"new.title", "新建事项", "New item"},
    {"new.title_field", "标题", "Title"},
    {"none", "无", "None"},
    {"role.admin", "管理员", "Administrator"},
    {"role.handler", "承办人", "Handler"},
    {"role.leader", "领导", "Leader"},
    {"role.reporter", "报告人", "Reporter"},
    {"role.supervisor", "督查员", "Supervisor"},
    {"source.campaign", "专项行动", "Campaign"},
    {"source.import", "导入", "Import"},
    {"source.instruction", "领导批示", "Instruction"},
    {"source.meeting", "会议部署", "Meeting"},
    {"source.plan", "规划", "Plan"},
    {"source.report", "上报", "Report"},
    {"status.accepted", "已签收", "Accepted"},
    {"status.archived", "已归档", "Archived"},
    {"status.assigned", "已交办", "Assigned"},
    {"status.cancelled", "已撤销", "Cancelled"},
    {"status.done", "已办结", "Done"},
    {"status.draft", "待分派", "Draft"},
    {"status.in_progress", "办理中", "In progress"},
    {"status.returned", "被退回", "Returned"},
    {"status.submitted", "已提交", "Submitted"},
    {"status.suspended", "已暂停", "Suspended"},
    {"unit_kind.department", "部门", "Department"},
    {"unit_kind.enterprise", "企业", "Enterprise"},
    {"unit_kind.grid", "网格", "Grid"},
    {"unit_kind.taskforce", "专班", "Task force"},
    {"unit_kind.town", "镇街", "Town / street"},
    {"units.code", "代码", "Code"},
    {"units.count", "单位数", "Units"},
    {"units.empty", "还没有单位。", "No units yet."},
    {"units.kind", "类别", "Kind"},
    {"units.name", "名称", "Name"},
    {"units.title", "单位", "Units"},
};

static int msg_compare(const void *key, const void *elem)
{
    return strcmp(key, ((const struct i18n_msg *)elem)->key);
}

const char *i18n_get(enum req_lang lang, const char *key)
{
    const struct i18n_msg *m =
        bsearch(key, msgs, sizeof msgs / sizeof msgs[0], sizeof msgs[0], msg_compare);
    if (!m) return key;
    return lang == LANG_EN ? m->en : m->zh;
}

const char *i18n_label(struct req *r, const char *prefix, const char *value)
{
    if (!value) return "";
    char key[96];
    int n = snprintf(key, sizeof key, "%s.%s", prefix, value);
    if (n < 0 || (size_t)n >= sizeof key) return value;
    const char *t = i18n_get(r->lang, key);
    return t == key ? value : t;
}

const struct i18n_msg *i18n_table(size_t *n)
{
    *n = sizeof msgs / sizeof msgs[0];
    return msgs;
}
