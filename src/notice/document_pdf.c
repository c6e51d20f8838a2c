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

int document_pdf(json_t *fields, json_t *receipt, struct buf *out, struct err *e)
{
    const char *type = field(fields, "type");
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
