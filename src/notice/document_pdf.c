/* document_pdf.c — the documents of one item as 公文-shaped PDF pages (see
 * document_pdf.h): the red 版头 with the office and the document's number,
 * the title, the unit it is addressed to (主送), what it asks, a table of
 * the item (name, lead unit, deadline, content, the 督办 or 催办 text), the
 * 签收回执 (a row blank in the stored original, filled in a fresh copy
 * once the unit has answered), and the 落款 with the date.  A 督办单
 * carries a band in its level's colour: 黄 (一般), 橙 (重点), 红 (挂牌).
 * Only the fields are read: the same JSON the document's row keeps. */
#include "notice/document_pdf.h"

#include <stdio.h>
#include <string.h>

#include "notice/pdf.h"
#include "util/arena.h"

/* A field's text ("" when absent). */
static const char *field(json_t *f, const char *key)
{
    const char *s = json_string_value(json_object_get(f, key));
    return s ? s : "";
}

/* "2026年12月3日" of "2026-12-03…" (the text itself when it is not a date). */
static const char *date_zh(struct arena *a, const char *s)
{
    int y, m, d;
    if (strlen(s) < 10 || s[4] != '-' || s[7] != '-') return s;
    y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    m = (s[5] - '0') * 10 + (s[6] - '0');
    d = (s[8] - '0') * 10 + (s[9] - '0');
    return arena_printf(a, "%d年%d月%d日", y, m, d);
}

/* The 督办 levels: name and colour. */
static const struct level {
    const char *name;
    uint32_t rgb;
} levels[] = {{"", 0},
              {"黄色督办（一般）", 0xf2b600},
              {"橙色督办（重点）", 0xf07c00},
              {"红色督办（挂牌）", 0xd7000f}};

static const struct level *level_of(json_t *f)
{
    json_int_t k = json_integer_value(json_object_get(f, "escalation"));
    return &levels[k >= 1 && k <= 3 ? k : 0];
}

/* What the document asks of the unit, by type. */
static const char *ask(struct arena *a, json_t *f, const char *type)
{
    const char *deadline = *field(f, "deadline") ? date_zh(a, field(f, "deadline")) : "规定期限";
    if (!strcmp(type, "assign"))
        return arena_printf(a,
                            "现将“%s”交由你单位牵头办理，请于%s前办结，按要求及时反馈办理"
                            "进展，并在签收回执栏签收。",
                            field(f, "title"), deadline);
    if (!strcmp(type, "escalate"))
        return arena_printf(a,
                            "“%s”经研究列为%s事项。请你单位主要负责同志亲自研究部署，确保于%s"
                            "前办结，并及时报送办理情况。",
                            field(f, "title"), level_of(f)->name, deadline);
    return arena_printf(a, "“%s”办理期限为%s，现予催办。请你单位抓紧办理，并及时反馈办理进展。",
                        field(f, "title"), deadline);
}

/* The item's table: name, unit, deadline, content, the action's text. */
static void item_table(struct pdf *d, struct arena *a, json_t *f, const char *type)
{
    static const double w[2] = {0.22, 0.78};
    static const char *const head[2] = {"项目", "内容"};
    static const struct pdf_table t = {2, w, head, 0, 0};
    pdf_table_begin(d, &t);
    const char *rows[][2] = {
        {"事项编号",
         arena_printf(a, "%lld", (long long)json_integer_value(json_object_get(f, "item_id")))},
        {"事项名称", field(f, "title")},
        {"牵头单位", field(f, "unit")},
        {"办理期限", *field(f, "deadline") ? date_zh(a, field(f, "deadline")) : "—"},
        {"事项内容", field(f, "description")},
        {!strcmp(type, "urge") ? "催办意见" : "督办意见", field(f, "text")},
    };
    for (size_t k = 0; k < sizeof rows / sizeof *rows; k++)
        if (*rows[k][1]) pdf_table_row(d, rows[k], 0);
    pdf_table_end(d);
}

/* The 签收回执 as a table under the item's: the answer that filled it (the
 * action, the unit, who, when), or a blank row to fill by hand. */
static void receipt_table(struct pdf *d, struct arena *a, json_t *r)
{
    static const double w[4] = {0.16, 0.28, 0.24, 0.32};
    static const char *const head[4] = {"签收回执", "签收单位", "签收人", "签收时间"};
    static const struct pdf_table t = {4, w, head, 0, 0};
    static const char *const verbs[][2] = {{"accept", "签收"},
                                           {"return", "退回"},
                                           {"feedback", "反馈"},
                                           {"request_extension", "申请延期"},
                                           {"submit", "报结"}};
    pdf_table_begin(d, &t);
    if (!r) {
        const char *blank[4] = {"\n", "", "", ""};
        pdf_table_row(d, blank, 0);
        pdf_table_end(d);
        return;
    }
    const char *at = field(r, "at"), *verb = field(r, "action");
    for (size_t k = 0; k < sizeof verbs / sizeof *verbs; k++)
        if (!strcmp(verbs[k][0], verb)) verb = verbs[k][1];
    const char *cells[4] = {verb, field(r, "unit"), field(r, "by"),
                            strlen(at) >= 16 ? arena_printf(a, "%s %.5s", date_zh(a, at), at + 11)
                                             : at};
    pdf_table_row(d, cells, 0);
    pdf_table_end(d);
}

/* ---- the dossier ---- */

/* An action's name in the record's words. */
static const char *action_zh(const char *action)
{
    static const char *const names[][2] = {
        {"accept", "签收"},
        {"approve_extension", "同意延期"},
        {"archive", "归档"},
        {"assign", "交办"},
        {"cancel", "撤销"},
        {"create", "创建"},
        {"deny_extension", "不同意延期"},
        {"edit", "修改"},
        {"escalate", "督办"},
        {"feedback", "反馈"},
        {"instruct", "批示"},
        {"reject", "退回重办"},
        {"request_extension", "申请延期"},
        {"resume", "恢复"},
        {"return", "退回"},
        {"rollup", "进度汇总"},
        {"submit", "报结"},
        {"suspend", "暂停"},
        {"triage", "研判"},
        {"urge", "催办"},
        {"verify", "销号"},
    };
    for (size_t k = 0; k < sizeof names / sizeof *names; k++)
        if (!strcmp(names[k][0], action)) return names[k][1];
    return action;
}

/* "2026-12-03 10:20" of an ISO time. */
static const char *when(struct arena *a, const char *iso)
{
    return strlen(iso) >= 16 ? arena_printf(a, "%.10s %.5s", iso, iso + 11) : iso;
}

static void dossier_events(struct pdf *d, struct arena *a, json_t *f)
{
    static const double w[5] = {0.07, 0.2, 0.18, 0.15, 0.4};
    static const char *const head[5] = {"序号", "时间", "操作人", "操作", "校验码（SHA-256）"};
    static const struct pdf_table t = {5, w, head, 0x1u, 0};
    pdf_para(d, PDF_HEAD1, "二、办理过程");
    pdf_table_begin(d, &t);
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(f, "events"), i, x)
    {
        const char *cells[5] = {
            arena_printf(a, "%lld", (long long)json_integer_value(json_object_get(x, "seq"))),
            when(a, field(x, "at")), field(x, "actor"), action_zh(field(x, "action")),
            field(x, "hash")};
        pdf_table_row(d, cells, 0);
    }
    pdf_table_end(d);
}

static void dossier_feedback(struct pdf *d, struct arena *a, json_t *f)
{
    static const double w[4] = {0.2, 0.18, 0.1, 0.52};
    static const char *const head[4] = {"时间", "单位", "进度", "反馈内容"};
    static const struct pdf_table t = {4, w, head, 0x4u, 0};
    json_t *list = json_object_get(f, "feedback"), *x;
    pdf_para(d, PDF_HEAD1, "三、反馈情况");
    if (!json_array_size(list)) {
        pdf_para(d, PDF_BODY, "无反馈。");
        return;
    }
    pdf_table_begin(d, &t);
    size_t i;
    json_array_foreach(list, i, x)
    {
        json_t *p = json_object_get(x, "progress");
        const char *cells[4] = {
            when(a, field(x, "at")), field(x, "unit"),
            json_is_integer(p) ? arena_printf(a, "%lld%%", (long long)json_integer_value(p)) : "—",
            field(x, "text")};
        pdf_table_row(d, cells, 0);
    }
    pdf_table_end(d);
}

static void dossier_files(struct pdf *d, struct arena *a, json_t *f)
{
    static const double w[4] = {0.08, 0.3, 0.12, 0.5};
    static const char *const head[4] = {"编号", "名称", "字节", "SHA-256"};
    static const struct pdf_table t = {4, w, head, 0x5u, 0};
    static const double w2[3] = {0.24, 0.16, 0.6};
    static const char *const head2[3] = {"文号", "类型", "SHA-256"};
    static const struct pdf_table t2 = {3, w2, head2, 0, 0};
    json_t *list = json_object_get(f, "attachments"), *x;
    size_t i;
    pdf_para(d, PDF_HEAD1, "四、佐证材料");
    if (!json_array_size(list)) pdf_para(d, PDF_BODY, "无佐证材料。");
    if (json_array_size(list)) pdf_table_begin(d, &t);
    json_array_foreach(list, i, x)
    {
        const char *cells[4] = {
            arena_printf(a, "%lld", (long long)json_integer_value(json_object_get(x, "id"))),
            field(x, "name"),
            arena_printf(a, "%lld", (long long)json_integer_value(json_object_get(x, "bytes"))),
            field(x, "sha256")};
        pdf_table_row(d, cells, 0);
    }
    if (json_array_size(list)) pdf_table_end(d);
    static const char *const types[][2] = {{"assign", "交办通知单"},
                                           {"escalate", "督办单"},
                                           {"urge", "催办通知书"},
                                           {"dossier", "立卷归档"}};
    list = json_object_get(f, "documents");
    pdf_para(d, PDF_HEAD1, "五、已发公文");
    if (!json_array_size(list)) pdf_para(d, PDF_BODY, "无。");
    if (json_array_size(list)) pdf_table_begin(d, &t2);
    json_array_foreach(list, i, x)
    {
        const char *type = field(x, "type");
        for (size_t k = 0; k < sizeof types / sizeof *types; k++)
            if (!strcmp(types[k][0], type)) type = types[k][1];
        const char *cells[3] = {field(x, "number"), type, field(x, "sha256")};
        pdf_table_row(d, cells, 0);
    }
    if (json_array_size(list)) pdf_table_end(d);
}

/* A status's or kind's name in Chinese (the value itself when unknown). */
static const char *word_zh(const char *v)
{
    static const char *const words[][2] = {
        {"accepted", "已签收"},  {"archived", "已归档"},  {"assigned", "已交办"},
        {"cancelled", "已撤销"}, {"challenge", "榜单"},   {"done", "已办结"},
        {"draft", "草稿"},       {"hazard", "隐患"},      {"in_progress", "办理中"},
        {"remediation", "整治"}, {"request", "诉求"},     {"returned", "已退回"},
        {"submitted", "已报结"}, {"suspended", "已暂停"}, {"task", "任务"},
    };
    for (size_t k = 0; k < sizeof words / sizeof *words; k++)
        if (!strcmp(words[k][0], v)) return words[k][1];
    return v;
}

/* 一、基本情况: the item's fields. */
static void dossier_details(struct pdf *d, struct arena *a, json_t *f)
{
    static const double w[2] = {0.22, 0.78};
    static const char *const head[2] = {"项目", "内容"};
    static const struct pdf_table t = {2, w, head, 0, 0};
    pdf_para(d, PDF_HEAD1, "一、基本情况");
    pdf_table_begin(d, &t);
    const char *rows[][2] = {
        {"事项编号",
         arena_printf(a, "%lld", (long long)json_integer_value(json_object_get(f, "item_id")))},
        {"事项名称", field(f, "title")},
        {"类别", word_zh(field(f, "kind"))},
        {"状态", word_zh(field(f, "status"))},
        {"牵头单位", *field(f, "unit") ? field(f, "unit") : "—"},
        {"办理期限", *field(f, "deadline") ? date_zh(a, field(f, "deadline")) : "—"},
        {"创建时间", when(a, field(f, "created_at"))},
        {"事项内容", *field(f, "description") ? field(f, "description") : "—"},
    };
    for (size_t k = 0; k < sizeof rows / sizeof *rows; k++)
        pdf_table_row(d, rows[k], 0);
    pdf_table_end(d);
}

static int dossier_pdf(json_t *f, struct buf *out, struct err *e)
{
    struct arena *a = arena_new();
    const char *number = field(f, "number");
    struct pdf *d = pdf_begin(out, "立卷归档", field(f, "date"), NULL);
    pdf_red_head(d, field(f, "office"), *number ? number : "（即时生成，未归档）", 0);
    pdf_title(d, arena_printf(a, "“%s”事项档案", field(f, "title")));
    dossier_details(d, a, f);
    dossier_events(d, a, f);
    dossier_feedback(d, a, f);
    dossier_files(d, a, f);
    pdf_keep(d, 2.0);
    pdf_para(d, PDF_RIGHT4, field(f, "office"));
    pdf_para(d, PDF_RIGHT4, date_zh(a, field(f, "date")));
    int rc = pdf_end(d, e);
    arena_free(a);
    return rc;
}

int document_pdf(json_t *fields, json_t *receipt, struct buf *out, struct err *e)
{
    const char *type = field(fields, "type");
    if (!strcmp(type, "dossier")) return dossier_pdf(fields, out, e);
    if (strcmp(type, "assign") && strcmp(type, "escalate") && strcmp(type, "urge"))
        return err_set(e, 500, "internal", "no layout for a document of type '%s'", type);
    struct arena *a = arena_new();
    struct pdf *d = pdf_begin(out, field(fields, "doc_title"), field(fields, "date"), NULL);
    pdf_red_head(d, field(fields, "office"), field(fields, "number"), 0);
    pdf_title(d, field(fields, "doc_title"));
    if (!strcmp(type, "escalate")) {
        pdf_band(d, level_of(fields)->name, level_of(fields)->rgb);
        pdf_skip(d, 0.3);
    }
    pdf_para(d, PDF_PLAIN, arena_printf(a, "%s：", field(fields, "unit")));
    pdf_para(d, PDF_BODY, ask(a, fields, type));
    item_table(d, a, fields, type);
    receipt_table(d, a, receipt);
    pdf_keep(d, 2.0); /* the 落款 with its date */
    pdf_para(d, PDF_RIGHT4, field(fields, "office"));
    pdf_para(d, PDF_RIGHT4, date_zh(a, field(fields, "date")));
    int rc = pdf_end(d, e);
    arena_free(a);
    return rc;
}
