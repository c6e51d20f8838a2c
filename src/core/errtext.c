/* errtext.c — the error texts and how a message is chosen.  See errtext.h.
 *
 * Rows are sorted by key (a unit test checks it, that both languages are
 * there and the Chinese is Chinese, and that every code set in src/ has its
 * row), so lookup is a binary search.  Like the pages' messages these are
 * whole sentences; what varies (a field, a name) follows the text after a
 * colon, never inside it. */
#include "core/errtext.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct errtext rows[] = {
    {"already_attached", "该事项已属于一个专项行动。", "The item already belongs to a campaign."},
    {"already_rated", "这件诉求本轮已经评价过。", "The request is rated for this round already."},
    {"already_reviewed", "您已经评审过这份揭榜申报。",
     "You have reviewed this application already."},
    {"already_sent", "这条消息已经送达，无需重发。", "The message was delivered already."},
    {"already_signed", "该通报稿已签发，不能再修改或签发。", "The notice draft is signed already."},
    {"already_withdrawn", "这条考核记录已经撤销过。", "The assessment entry is withdrawn already."},
    {"applications_closed", "该榜单现在不接受揭榜申报（未发布、已截止或已关闭）。",
     "The challenge takes no applications now (not published, past its deadline, or closed)."},
    {"applications_open", "揭榜申报截止或关闭后，才能评审和确定揭榜单位。",
     "Applications are reviewed and awarded once they are closed."},
    {"bad_argument", "请求的参数有误。", "An argument of the request is wrong."},
    {"bad_credit_code", "统一社会信用代码有误：须为18位且校验位正确。",
     "The unified social credit code is wrong: it has 18 characters and a valid check character."},
    {"body_too_large", "提交的内容过大。", "What was sent is too large."},
    {"busy", "系统正忙，或数据刚被他人修改，请重试。",
     "The system is busy or the data just changed; try again."},
    {"cap_reached", "本单位对该榜单的申报数已达上限。",
     "Your unit has filed as many applications as the challenge allows."},
    {"cell_too_long", "表格中有单元格内容过长。", "A cell of the sheet is too long."},
    {"children_open", "下级事项尚未全部办结，销号须说明理由。",
     "Sub-items are still open: verifying needs a reason."},
    {"confirm_required", "签发后不可撤回，请确认后再签发。",
     "Signing cannot be undone: confirm it."},
    {"conflict", "与现有数据冲突（可能已经存在）。",
     "This conflicts with what exists (it may be there already)."},
    {"conflict:keyword", "该关键词已对应这个单位。", "The keyword already suggests this unit."},
    {"csrf_failed", "表单已失效或来源不明，请刷新页面后重新提交。",
     "The form has expired or did not come from this site; reload the page and send it again."},
    {"database_unavailable", "暂时无法访问数据库，请稍后再试。",
     "The database cannot be reached; try again shortly."},
    {"deadline_passed", "期限已过，不能再申请延期。",
     "The deadline has passed: an extension can no longer be requested."},
    {"efficiency_data_invalid", "亩均数据表中有问题，未导入任何数据；请按问题清单逐行修改。",
     "The efficiency data sheet has problems and nothing was stored; fix each row named."},
    {"efficiency_empty", "表头下面没有任何企业数据行。",
     "The sheet has no enterprise row under its header."},
    {"efficiency_frozen", "该年度亩均评价已公示或已定稿，数据和参数不能再修改。",
     "The year's evaluation is published or final; its data and config are frozen."},
    {"efficiency_no_data", "该年度还没有导入亩均数据。",
     "There is no efficiency data for the year yet."},
    {"efficiency_no_header", "找不到表头：须有“统一社会信用代码”和“用地面积”列。",
     "No header row: the sheet needs the columns credit_code and land_mu."},
    {"efficiency_objection_pending", "您已提出异议，正在等待处理。",
     "Your objection is waiting for a decision already."},
    {"efficiency_state", "该年度亩均评价当前所处阶段不允许此操作。",
     "The year's evaluation is not at the step this needs."},
    {"evaluation_exists", "该单位本年度已有领导评价分，须先撤销原评价。",
     "The unit has its evaluation for the year; withdraw it first."},
    {"extension_pending", "已有一项延期申请在等待审批。",
     "An extension request is already waiting for a decision."},
    {"file_empty", "文件是空的（0 字节）。", "The file is empty (0 bytes)."},
    {"file_name_control", "文件名不能含有换行等控制字符。",
     "The file's name must not hold control characters such as line breaks."},
    {"file_name_long", "文件名过长（最多 255 字节）。",
     "The file's name is too long (255 bytes at most)."},
    {"file_name_missing", "请给出文件名。", "Give the file's name (the name parameter)."},
    {"file_name_path", "文件名不能含有路径（/、\\、..）。",
     "The file's name must not hold a path (/, \\, ..)."},
    {"file_too_large", "文件超过了允许的大小。", "The file is larger than allowed."},
    {"file_type_mismatch", "文件内容与扩展名不符。",
     "The file's content does not match its extension."},
    {"file_type_unsupported", "不支持这种文件类型，请上传文档、表格、图片、文本或压缩包。",
     "Only PDF, Word, Excel, WPS, image, text or ZIP files can be uploaded."},
    {"forbidden", "您无权进行此操作或查看此内容。", "You may not do or see this."},
    {"forbidden:challenge_author", "榜单由督查室或系统设置指定单位（如科技局）的承办人起草。",
     "A challenge is drafted by the office or by a handler of a unit the setting "
     "challenge.creator_units names."},
    {"forbidden:delegate", "只有牵头单位的承办人可以把本单位的事项分办（转办）给下级单位。",
     "Only the lead unit's handler splits its item into sub-items for the units below it."},
    {"forbidden:delist", "重大隐患的验收销号（摘牌）由督查室进行，网格员可以退回整改。",
     "A major hazard is accepted and delisted by the office; the grid may send it back."},
    {"forbidden:instruction", "只有督查室和批示的领导本人可以转办、再次批示或办结这件批示件。",
     "Only the office and the instructing leader may turn this instruction into work or close it."},
    {"forbidden:internal", "事项的办理过程和记录属内部信息；诉求的状态和答复见事项本身。",
     "The item's events and records are internal; a request's status and reply are on the item."},
    {"import_duplicate", "这个文件已经导入过。", "This file was imported before."},
    {"import_empty", "表头下面没有任何任务行。", "The sheet has no row under its header."},
    {"import_invalid", "任务分解表中有问题，未导入任何事项；请按预览逐行修改。",
     "The sheet has problems; nothing was imported (see the preview)."},
    {"import_no_header", "找不到表头：须有“任务名称”列及至少另一列。",
     "No header row: it needs a title column and at least one more."},
    {"internal", "系统内部错误，请稍后再试或联系管理员。",
     "Internal error; try again later or tell the administrator."},
    {"invalid_attachment", "所附材料无效：须为本单位上传到该事项、尚未随其他环节提交的文件。",
     "An attachment is not one your unit uploaded to this item that no step carries yet."},
    {"invalid_attribute", "该类别的补充信息填写有误。", "A field of the category is wrong."},
    {"invalid_calendar", "工作日历的内容有误。", "The calendar text is wrong."},
    {"invalid_credentials", "用户名或密码错误。", "Wrong user name or password."},
    {"invalid_encoding", "文本编码无法识别：须为 UTF-8 或国标 18030 编码。",
     "The CSV must be UTF-8 or GB18030."},
    {"invalid_field", "填写的内容有误。", "A field is wrong."},
    {"invalid_field:both_deadlines", "期限和工作日数只能填写其中一项。",
     "Give either the deadline or the working days, not both."},
    {"invalid_field:deadline", "期限须为有效的日期（年-月-日）。",
     "The deadline must be a real date (YYYY-MM-DD)."},
    {"invalid_field:delegate_deadline", "分办事项的期限不能晚于原事项的期限。",
     "A sub-item is due no later than its item."},
    {"invalid_field:delegate_unit", "分办事项只能交给本单位的下级单位或原事项的配合单位。",
     "A sub-item goes to a unit below yours or to a cooperating unit of the item."},
    {"invalid_field:empty", "内容不能为空或只有空格。",
     "The text must not be empty or only spaces."},
    {"invalid_field:extension_deadline", "申请的新期限须晚于现有期限。",
     "The new deadline must be after the current one."},
    {"invalid_field:hazard_report",
     "隐患须通过隐患上报提交（类别、描述和位置），不能作为普通事项创建。",
     "A hazard is reported with its category, description and location, not created as a plain "
     "item."},
    {"invalid_field:keyword", "关键词须为 1 到 20 个字。",
     "The keyword must have 1 to 20 characters."},
    {"invalid_field:leader", "责任领导须是具有领导角色的用户。",
     "The responsible leader must be a user with the leader role."},
    {"invalid_field:no_setting", "没有这个设置项。", "There is no such setting."},
    {"invalid_field:parent_cycle", "单位不能移到它自己或它的下级单位之下。",
     "A unit cannot be moved under itself or one of its own units."},
    {"invalid_field:points",
     "分值有误：扣分须小于 0、加分须大于 0（绝对值不超过 100），领导评价须在 0 到年度满分之间。",
     "The points are wrong: a deduction below 0, a bonus above 0 (at most 100 either way), an "
     "evaluation from 0 to the year's maximum."},
    {"invalid_field:progress", "进度须为 0 到 100 之间的整数。",
     "Progress must be a whole number from 0 to 100."},
    {"invalid_field:request_category", "没有这个诉求类别。", "There is no such request category."},
    {"invalid_field:request_limit", "答复时限须为 0 到 60 个工作日。",
     "The time limit must be 0 to 60 working days."},
    {"invalid_field:setting_order", "亮红灯的落后百分点不能小于亮黄灯的。",
     "The points behind for red must be at least those for yellow."},
    {"invalid_field:setting_range", "设置值超出允许的范围。",
     "The value is out of the setting's range."},
    {"invalid_field:unit", "没有这个单位。", "There is no such unit."},
    {"invalid_field:working_days", "工作日数须为 1 到 366 之间的整数。",
     "Working days must be a whole number from 1 to 366."},
    {"invalid_form", "表单的格式有误。", "The form is malformed."},
    {"invalid_json", "请求的内容不是有效的 JSON。", "The body is not valid JSON."},
    {"invalid_parameter", "查询参数有误。", "A query parameter is wrong."},
    {"invalid_photo", "照片须为 5 MB 以内的 JPEG 或 PNG 图片。",
     "A photo must be a JPEG or PNG image of at most 5 MB."},
    {"invalid_status", "事项当前的状态不允许此操作。", "The item's status does not allow this."},
    {"invalid_status:instruction",
     "批示件当前的状态不允许此操作：所转办事项全部办结后才能办结，已办结的批示件不能再转办。",
     "The instruction's state does not allow this: it closes once all its items are closed, and a "
     "closed one takes no more items."},
    {"invalid_token", "登录凭据无效或已过期，请重新登录。",
     "The login is invalid or has expired; log in again."},
    {"invalid_transition", "事项当前的状态不允许此操作。",
     "This action is not possible in the item's current status."},
    {"invalid_transition:acceptance", "已提交的隐患只有重大隐患复查验收逾期后才能催办。",
     "A submitted hazard can be urged only when it is major and its acceptance is overdue."},
    {"invalid_utf8", "内容含有无效的字符（须为 UTF-8 编码）。", "The text is not valid UTF-8."},
    {"invalid_xlsx", "无法读取该电子表格文件。", "The Excel (.xlsx) file cannot be read."},
    {"io_error", "读写文件失败。", "A file could not be read or written."},
    {"item_closed", "事项已办结、归档或撤销，不能再修改。",
     "The item is done, archived or cancelled: it is no longer edited."},
    {"method_not_allowed", "此地址不支持这种请求方式。", "This method is not allowed here."},
    {"missing_attribute", "请填写该类别的必填项。", "A required field of the category is missing."},
    {"missing_field", "请填写必填项。", "A required field is missing."},
    {"missing_field:deadline", "请填写期限（或工作日数）：该事项还没有期限。",
     "Give a deadline (or working days): the item has none yet."},
    {"missing_field:lead_unit_id", "请选择牵头单位：该事项还没有牵头单位。",
     "Choose the lead unit: the item has none yet."},
    {"missing_host", "HTTP/1.1 请求须带 Host 头。", "An HTTP/1.1 request must send Host."},
    {"missing_location", "请提供位置：定位、地址，或所在网格、单位。",
     "Give a location: a position, an address, or a grid or place."},
    {"negative_land", "用地面积不能为负数。", "A land area cannot be negative."},
    {"no_deadline", "该事项没有期限，无从延期。", "The item has no deadline to extend."},
    {"no_key", "没有配置签名密钥。", "No signing key was given."},
    {"no_pending_extension", "没有等待审批的延期申请。", "No extension request is waiting."},
    {"no_seed", "缺少内置的演示材料。", "The built-in demo material is missing."},
    {"not_covered", "该事项尚未纳入已签名的校验点。",
     "The item is not covered by a signed checkpoint yet."},
    {"not_found", "未找到所要的内容。", "Not found."},
    {"not_found:item", "没有这个事项，或它已被删除。", "There is no such item."},
    {"not_found:keyword", "该关键词并未对应这个单位。", "The keyword does not suggest this unit."},
    {"not_found:meeting", "没有这次会议的记录。", "There is no such meeting."},
    {"not_found:notice", "没有这份通报。", "There is no such notice."},
    {"not_found:path", "没有这个页面。", "There is no such page."},
    {"not_found:unit", "没有这个单位。", "There is no such unit."},
    {"not_unsatisfied", "只有被评为不满意的诉求才能重办或作出说明。",
     "Only a request rated unsatisfied is redone or explained."},
    {"nothing_changed", "没有修改任何内容。", "The edit changes nothing."},
    {"nothing_picked", "请至少选择一项。", "Pick at least one."},
    {"objection_decided", "该异议已经处理过。", "The objection is decided already."},
    {"objection_exists", "这条考核记录已经提出过异议，每条只能提一次。",
     "The entry has its objection already: one per entry."},
    {"objection_window_closed", "异议期已过，不能再提出异议。", "The objection window has closed."},
    {"objection_window_open", "异议期尚未结束，暂不能定稿。",
     "The objection window is still open; the year cannot be finalized yet."},
    {"objections_pending", "还有异议未处理，暂不能定稿。",
     "Objections wait for a decision; the year cannot be finalized yet."},
    {"out_of_memory", "系统暂时无法处理密码，请稍后再试。",
     "The password cannot be checked now; try again shortly."},
    {"photo_required", "请先上传整改后的现场照片，再提交。",
     "Upload a photo of the rectified site before submitting."},
    {"photo_required:rework",
     "整改被退回过：请上传新拍的整改后现场照片再提交，退回前的照片不能再用。",
     "The rectification was sent back: upload a new photo of the site before submitting again; the "
     "earlier ones do not count."},
    {"plan_required", "重大隐患须先填写治理方案的全部六项内容。",
     "A major hazard needs all six parts of the remediation plan first."},
    {"proof_broken", "存证校验失败。", "The stored proof does not hold."},
    {"rating_closed", "评价期限已过。", "The time to rate this request has passed."},
    {"remediation_exists", "该企业本年度已有整治事项。",
     "The year's evaluation already opened a remediation for this enterprise."},
    {"response_too_large", "结果过大，无法返回。", "The answer is too large to send."},
    {"review_decided", "该报送已经审核过。", "The report has been reviewed already."},
    {"review_own", "报送须由单位负责人审核，不能审核自己写的报送。",
     "A report is reviewed by the unit head, not by its author."},
    {"reward_exceeded", "拨付总额不能超过榜金。", "The payments together may not pass the reward."},
    {"server_busy", "服务器正在接收过多的上传，请稍后再试。",
     "The server is receiving too many uploads now; try again shortly."},
    {"sign_own_draft", "拟稿人不能签发自己起草的通报。",
     "The drafter may not sign their own notice draft."},
    {"tampered", "检测到数据被篡改。", "Tampering was detected."},
    {"text_too_long", "文字过长。", "The text is too long."},
    {"too_large", "内容过大。", "Too large."},
    {"too_many_attempts", "登录失败次数过多，请 15 分钟后再试。",
     "Too many failed logins; wait 15 minutes and try again."},
    {"too_many_columns", "表格列数过多。", "The sheet has too many columns."},
    {"too_many_connections", "来自您的地址的同时请求过多，请稍后再试。",
     "Too many requests from your address at once; try again shortly."},
    {"too_many_rows", "表格行数过多。", "The sheet has too many rows."},
    {"tree_too_large", "事项树过大，无法一次列出。", "The tree is too large to list at once."},
    {"triage_required", "请先研判：确定隐患的等级和类别。",
     "Triage first: set the level and the category."},
    {"unauthorized", "请先登录。", "Log in first."},
    {"unknown_category", "没有这个隐患类别。", "There is no such hazard category."},
    {"unknown_field", "包含无法识别的字段。", "An unknown field was sent."},
    {"unsupported_format", "只能导入电子表格或逗号分隔的文本文件。",
     "Only Excel (.xlsx) and CSV files can be imported."},
    {"unsupported_kind", "暂不支持创建这一类型的事项。",
     "Items of this kind cannot be created yet."},
    {"unsupported_media_type", "不支持这种内容类型。", "This content type is not supported."},
    {"weak_password", "密码太弱：至少 8 个字符，且不能是常见单词、简单序列或用户名。",
     "The password is too weak: at least 8 characters, not a common word, a simple sequence or "
     "the user name."},
    {"wrong_password", "当前密码不正确。", "The current password is wrong."},
    {"xlsx_ratio", "该电子表格解压比例异常（疑似压缩炸弹），已拒绝。",
     "The Excel file unpacks to too many times its size (a zip bomb); refused."},
    {"xlsx_too_large", "文件解压后过大。", "The file is too large when unpacked."},
};

static const struct errtext fields[] = {
    {"action", "操作", "action"},
    {"address", "地址", "address"},
    {"attributes", "补充信息", "attributes"},
    {"campaign_id", "专项行动", "campaign"},
    {"categories", "领域", "categories"},
    {"category", "类别", "category"},
    {"co_unit_ids", "配合单位", "cooperating units"},
    {"comment", "意见", "comment"},
    {"date", "日期", "date"},
    {"deadline", "期限", "deadline"},
    {"description", "内容", "description"},
    {"due", "办理期限", "due date"},
    {"duplicate_of", "重复于", "duplicate of"},
    {"feedback_cycle", "反馈周期", "feedback cycle"},
    {"format", "格式", "format"},
    {"from", "起始日期", "from"},
    {"grid_unit_id", "所在网格", "grid"},
    {"issued_on", "批示日期", "date of the instruction"},
    {"items", "条目", "items"},
    {"keyword", "关键词", "keyword"},
    {"kind", "类型", "kind"},
    {"lat", "纬度", "latitude"},
    {"lead_unit_id", "牵头单位", "lead unit"},
    {"leader_id", "责任领导", "responsible leader"},
    {"level", "等级", "level"},
    {"limit", "条数", "limit"},
    {"long", "经度", "longitude"},
    {"metric", "指标", "metric"},
    {"month", "月份", "month"},
    {"name", "名称", "name"},
    {"number", "批示件编号", "number"},
    {"offset", "起始位置", "offset"},
    {"parent_id", "上级事项", "parent item"},
    {"password", "密码", "password"},
    {"phase", "照片阶段", "photo phase"},
    {"photos", "照片", "photos"},
    {"place_name", "地点名称", "place name"},
    {"place_unit_id", "所在单位", "place"},
    {"plan", "治理方案", "plan"},
    {"progress", "进度", "progress"},
    {"q", "关键词", "search"},
    {"rating", "评价", "rating"},
    {"reason", "理由", "reason"},
    {"section", "类别", "section"},
    {"sort", "排序", "order"},
    {"source", "来源", "source"},
    {"status", "状态", "status"},
    {"text", "内容", "text"},
    {"theme", "主题", "theme"},
    {"title", "标题", "title"},
    {"to", "截止日期", "to"},
    {"unit", "单位", "unit"},
    {"unit_id", "单位", "unit"},
    {"unit_ids", "单位", "units"},
    {"username", "用户名", "user name"},
    {"value", "数值", "value"},
    {"weight", "权重", "weight"},
    {"working_days", "工作日数", "working days"},
    {"year", "年份", "year"},
};

static int row_compare(const void *key, const void *elem)
{
    return strcmp(key, ((const struct errtext *)elem)->key);
}

static const struct errtext *find_in(const struct errtext *t, size_t n, const char *key)
{
    return bsearch(key, t, n, sizeof *t, row_compare);
}

const struct errtext *errtext_table(size_t *n)
{
    *n = sizeof rows / sizeof *rows;
    return rows;
}

const struct errtext *errtext_fields(size_t *n)
{
    *n = sizeof fields / sizeof *fields;
    return fields;
}

const struct errtext *errtext_find(const char *key)
{
    return find_in(rows, sizeof rows / sizeof *rows, key);
}

const char *errtext_field(const struct err *e, char *out, size_t outlen)
{
    out[0] = '\0';
    const char *q = strchr(e->message, '\'');
    while (q) {
        size_t n = 0;
        while ((q[1 + n] >= 'a' && q[1 + n] <= 'z') || q[1 + n] == '_' ||
               (n && q[1 + n] >= '0' && q[1 + n] <= '9'))
            n++;
        if (n && q[1 + n] == '\'' && n < outlen) {
            memcpy(out, q + 1, n);
            out[n] = '\0';
            return out;
        }
        q = strchr(q + 1 + n, '\''); /* the next opening quote */
    }
    return out;
}

/* Copy s into out, cut at a character boundary to fit. */
static void copy_whole(char *out, size_t outlen, const char *s)
{
    size_t n = strlen(s);
    if (n >= outlen) {
        n = outlen - 1;
        while (n && ((unsigned char)s[n] & 0xc0) == 0x80)
            n--;
    }
    memcpy(out, s, n);
    out[n] = '\0';
}

/* The row for e: code:detail, code:field, then the code. */
static const struct errtext *row_for(const struct err *e, const char *code, const char *field,
                                     int *specific)
{
    char key[96];
    const struct errtext *row = NULL;
    *specific = 1;
    if (e->detail && snprintf(key, sizeof key, "%s:%s", code, e->detail) < (int)sizeof key)
        row = errtext_find(key);
    if (!row && *field && snprintf(key, sizeof key, "%s:%s", code, field) < (int)sizeof key)
        row = errtext_find(key);
    if (row) return row;
    *specific = 0;
    row = errtext_find(code);
    return row ? row : errtext_find("internal");
}

const char *errtext_message(const struct err *e, int en, char *out, size_t outlen)
{
    const char *code = e->code ? e->code : "internal";
    char field[48], text[700];
    errtext_field(e, field, sizeof field);
    int specific;
    const struct errtext *row = row_for(e, code, field, &specific);
    if (e->said || (en && e->message[0])) {
        copy_whole(out, outlen, e->message);
        return out;
    }
    if (en) {
        copy_whole(out, outlen, row->en);
        return out;
    }
    const struct errtext *label = *field && !specific && !e->subject[0]
                                      ? find_in(fields, sizeof fields / sizeof *fields, field)
                                      : NULL;
    const char *after = e->subject[0] ? e->subject : label ? label->zh : "";
    /* the text's full stop gives way to the colon and what follows */
    size_t n = strlen(row->zh), stop = sizeof "。" - 1;
    if (*after && n >= stop && !strcmp(row->zh + n - stop, "。")) n -= stop;
    snprintf(text, sizeof text, "%.*s%s%s%s", (int)n, row->zh, *after ? "：" : "", after,
             *after ? "。" : "");
    copy_whole(out, outlen, text);
    return out;
}
