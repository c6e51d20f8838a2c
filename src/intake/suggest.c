/* suggest.c — stage 5 of intake: who should do it, by when, and as what.
 *
 * Units the directive names itself (its subject, "由X牵头", or a unit of the
 * table written out in full) are its responsible units.  Only when it names
 * none are units suggested, from the caller's keyword → unit table matched
 * against the directive, or failing that against the first sentence of its
 * paragraph (where 会议强调，安全是发展的前提和基础 gives the subject).  The
 * deadline is an explicit date in the text (6月底前, 3月15日前, 年底前,
 * 二季度, 10个工作日内), else 近期 (near_days), else default_days after the
 * meeting (or article, or today).  The kind is task unless the caller enabled
 * other kinds; the table of kind keywords is the hook for them.  Nothing here
 * touches the database: the table is the caller's. */
#include <string.h>

#include "intake/internal.h"
#include "util/mem.h"

/* Units one directive names at most (its subject may name more: they stay). */
#define SUGGEST_MAX_UNITS 16

static const struct intake_rule default_rules[] = {
    {"安全生产", "应急管理局"},
    {"安全隐患", "应急管理局"},
    {"安全风险", "应急管理局"},
    {"安全底线", "应急管理局"},
    {"安全防范", "应急管理局"},
    {"应急", "应急管理局"},
    {"隐患", "应急管理局"},
    {"消防", "消防救援大队"},
    {"党校", "市委党校"},
    {"工业用地", "经信局"},
    {"工业用地", "自然资源和规划局"},
    {"低效", "经信局"},
    {"低效", "自然资源和规划局"},
    {"亩均", "经信局"},
    {"科技创新", "科技局"},
    {"人才", "科技局"},
    {"科创", "科技局"},
    {"揭榜挂帅", "科技局"},
    {"规划", "发改局"},
    {"干部", "市委组织部"},
    {"党组织", "市委组织部"},
    {"组织工作", "市委组织部"},
    {"督查", "督查室"},
    {"督办", "督查室"},
    {"城市更新", "住建局"},
    {"营商环境", "发改局"},
    {"企业诉求", "经信局"},
};

const struct intake_rule *intake_rules_default(size_t *n)
{
    *n = sizeof default_rules / sizeof default_rules[0];
    return default_rules;
}

static const char *const kind_names[] = {"task", "hazard", "challenge", "remediation", "request"};

const char *intake_kind_name(enum intake_kind kind)
{
    if ((unsigned)kind >= sizeof kind_names / sizeof kind_names[0]) return "task";
    return kind_names[kind];
}

/* The hook for kinds other than task: the first keyword found wins when the
 * caller enabled that kind. */
static const struct {
    const char *keyword;
    enum intake_kind kind;
} kind_rules[] = {
    {"揭榜挂帅", INTAKE_KIND_CHALLENGE},   {"低效工业用地", INTAKE_KIND_REMEDIATION},
    {"低效用地", INTAKE_KIND_REMEDIATION}, {"安全隐患", INTAKE_KIND_HAZARD},
    {"隐患排查", INTAKE_KIND_HAZARD},      {"企业诉求", INTAKE_KIND_REQUEST},
    {"意见建议", INTAKE_KIND_REQUEST},
};

static enum intake_kind suggest_kind(const char *t, size_t len, unsigned enabled)
{
    for (size_t k = 0; k < sizeof kind_rules / sizeof kind_rules[0]; k++)
        if ((enabled & (1u << kind_rules[k].kind)) &&
            intake_text_find(t, len, 0, kind_rules[k].keyword) != (size_t)-1)
            return kind_rules[k].kind;
    return INTAKE_KIND_TASK;
}

/* Which code points occur in a text, hashed to 4096 bits: a word whose first
 * character is not there cannot occur, so its search is skipped.  The
 * table's keywords and units are each looked for in every directive; this
 * keeps that from costing one search per row. */
struct cpset {
    uint64_t bit[64];
};

static void cpset_fill(struct cpset *c, const char *t, size_t len)
{
    memset(c, 0, sizeof *c);
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        i = intake_text_next(t, len, i, &cp);
        c->bit[(cp >> 6) & 63] |= 1ULL << (cp & 63);
    }
}

/* 0 when word cannot occur in the text c describes. */
static int cpset_may(const struct cpset *c, const char *word)
{
    uint32_t cp;
    size_t n = strlen(word);
    if (!n) return 1;
    intake_text_next(word, n, 0, &cp);
    return (c->bit[(cp >> 6) & 63] >> (cp & 63)) & 1;
}

static int suggest_has(char **v, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (strstr(v[i], s) || strstr(s, v[i])) return 1;
    return 0;
}

/* Units named in the text besides the subject: "由X牵头/负责" and table units
 * written out. */
static void suggest_named(struct intake_directive *d, const struct intake_options *o,
                          const struct cpset *c)
{
    size_t len = strlen(d->text);
    size_t by = intake_text_find(d->text, len, 0, "由");
    while (by != (size_t)-1 && d->n_units < SUGGEST_MAX_UNITS) {
        size_t win = len - by < 100 ? len : by + 100; /* 由 and 30 characters: linear */
        size_t lead = intake_text_find(d->text, win, by, "牵头");
        size_t resp = intake_text_find(d->text, win, by, "负责");
        size_t at = lead < resp ? lead : resp;
        if (at != (size_t)-1 && intake_text_count(d->text + by, at - by) <= 30) {
            char **u = NULL;
            size_t n = 0;
            intake_directive_unit_list(d->text + by + 3, at - by - 3, &u, &n);
            for (size_t i = 0; i < n; i++)
                if (!suggest_has(d->units, d->n_units, u[i]))
                    intake_strv_push(&d->units, &d->n_units, u[i], strlen(u[i]));
            intake_strv_free(u, n);
        }
        by = intake_text_find(d->text, len, by + 3, "由");
    }
    for (size_t k = 0; k < o->n_rules; k++) {
        const char *u = o->rules[k].unit;
        if (u && u[0] && d->n_units < SUGGEST_MAX_UNITS && cpset_may(c, u) && strstr(d->text, u) &&
            !suggest_has(d->units, d->n_units, u))
            intake_strv_push(&d->units, &d->n_units, u, strlen(u));
    }
}

/* Rules whose keyword occurs in t[0..len); returns how many matched. */
static size_t suggest_match(struct intake_directive *d, const struct intake_options *o,
                            const char *t, size_t len, const struct cpset *known)
{
    size_t hits = 0;
    struct cpset own;
    const struct cpset *c = known;
    if (!c) cpset_fill(&own, t, len), c = &own;
    for (size_t k = 0; k < o->n_rules; k++) {
        const struct intake_rule *rule = &o->rules[k];
        if (!rule->keyword || !rule->keyword[0] || !rule->unit || !rule->unit[0]) continue;
        if (!cpset_may(c, rule->keyword) ||
            intake_text_find(t, len, 0, rule->keyword) == (size_t)-1)
            continue;
        hits++;
        size_t i;
        for (i = 0; i < d->n_suggested_units; i++)
            if (strcmp(d->suggested_units[i], rule->unit) == 0) break;
        if (i == d->n_suggested_units)
            intake_strv_push(&d->suggested_units, &d->n_suggested_units, rule->unit,
                             strlen(rule->unit));
    }
    return hits;
}

/* The lead-in of paragraph p: its text before its first directive, which
 * starts cps code points into it ("会议强调，安全是发展的前提和基础。"). */
static size_t suggest_lead_in(const struct intake_paragraph *p, size_t cps)
{
    size_t i = 0;
    for (size_t k = 0; k < cps && i < p->len; k++)
        i = intake_text_next(p->text, p->len, i, &(uint32_t){0});
    return i;
}

/* Read up to 4 digits before byte i of t; returns the value or -1, *from = where they start. */
static int suggest_number_before(const char *t, size_t i, size_t *from)
{
    size_t a = i;
    while (a > 0 && i - a < 4 && t[a - 1] >= '0' && t[a - 1] <= '9')
        a--;
    if (a == i) return -1;
    int v = 0;
    for (size_t k = a; k < i; k++)
        v = v * 10 + (t[k] - '0');
    *from = a;
    return v;
}

/* "6月底前", "3月15日前", "2024年6月30日前": an explicit date; 1 when found. */
static int suggest_month_date(const char *t, size_t len, struct intake_date base,
                              struct intake_date *out)
{
    for (size_t at = intake_text_find(t, len, 0, "月"); at != (size_t)-1;
         at = intake_text_find(t, len, at + 3, "月")) {
        size_t from, i = at + 3;
        int m = suggest_number_before(t, at, &from), y = 0, day = 0;
        if (m < 1 || m > 12) continue;
        if (from >= 3 && intake_text_has(t, len, from - 3, "年")) {
            size_t yf;
            y = suggest_number_before(t, from - 3, &yf);
        }
        if (intake_text_has(t, len, i, "底") || intake_text_has(t, len, i, "末")) {
            i += 3;
        } else {
            size_t j = i;
            while (j < len && j - i < 2 && t[j] >= '0' && t[j] <= '9')
                day = day * 10 + (t[j++] - '0');
            if (!day || !intake_text_has(t, len, j, "日")) continue;
            i = j + 3;
        }
        if (!intake_text_has(t, len, i, "前") && !intake_text_has(t, len, i, "之前") &&
            !intake_text_has(t, len, i, "以前") && day)
            continue;
        struct intake_date d = {y > 1900 ? y : base.year, m, 0};
        if (!d.year) continue;
        d.day = day ? day : intake_date_mdays(d.year, m);
        if (day > intake_date_mdays(d.year, m)) continue;
        if (y <= 1900 && intake_date_cmp(d, base) < 0) d.year++;
        *out = d;
        return 1;
    }
    return 0;
}

/* Year-relative periods: 年底前, 上半年, 二季度 …; 1 when found. */
static int suggest_period(const char *t, size_t len, struct intake_date base,
                          struct intake_date *out)
{
    static const struct {
        const char *word;
        int month;
    } periods[] = {{"年底", 12},   {"年内", 12},  {"年末", 12},  {"上半年", 6},
                   {"下半年", 12}, {"一季度", 3}, {"二季度", 6}, {"三季度", 9},
                   {"四季度", 12}, {"本月底", 0}, {"月底前", 0}};
    for (size_t k = 0; k < sizeof periods / sizeof periods[0]; k++) {
        if (intake_text_find(t, len, 0, periods[k].word) == (size_t)-1) continue;
        struct intake_date d = {base.year, periods[k].month ? periods[k].month : base.month, 0};
        d.day = intake_date_mdays(d.year, d.month);
        if (intake_date_cmp(d, base) < 0) d.year++;
        *out = d;
        return 1;
    }
    return 0;
}

/* "15天内", "10个工作日内", "30日内": base plus that many days; 1 when found. */
static int suggest_within(const char *t, size_t len, struct intake_date base,
                          struct intake_date *out)
{
    static const char *const units[] = {"个工作日内", "个工作日", "天内", "日内", NULL};
    for (int k = 0; units[k]; k++) {
        for (size_t at = intake_text_find(t, len, 0, units[k]); at != (size_t)-1;
             at = intake_text_find(t, len, at + 3, units[k])) {
            size_t from;
            int n = suggest_number_before(t, at, &from);
            if (n < 1 || n > 3650) continue;
            if (k < 2) n += (n / 5) * 2; /* working days, roughly */
            *out = intake_date_add(base, n);
            return 1;
        }
    }
    return 0;
}

static struct intake_date suggest_deadline(const struct intake_result *r,
                                           const struct intake_directive *d,
                                           const struct intake_options *o)
{
    struct intake_date base = o->today, out = {0, 0, 0};
    const char *t = d->text;
    size_t len = strlen(t);
    if (d->article >= 0 && r->articles[d->article].date.year) base = r->articles[d->article].date;
    if (d->meeting >= 0 && r->meetings[d->meeting].date.year) base = r->meetings[d->meeting].date;
    if (!base.year) return out;
    if (suggest_month_date(t, len, base, &out) || suggest_period(t, len, base, &out) ||
        suggest_within(t, len, base, &out))
        return out;
    if (intake_text_find(t, len, 0, "立即") != (size_t)-1 ||
        intake_text_find(t, len, 0, "马上") != (size_t)-1)
        return intake_date_add(base, 3);
    if (intake_text_find(t, len, 0, "近期") != (size_t)-1)
        return intake_date_add(base, o->near_days);
    return intake_date_add(base, o->default_days);
}

/* Copy the suggested units of from into d. */
static void suggest_copy(struct intake_directive *d, const struct intake_directive *from)
{
    for (size_t i = 0; i < from->n_suggested_units; i++)
        intake_strv_push(&d->suggested_units, &d->n_suggested_units, from->suggested_units[i],
                         strlen(from->suggested_units[i]));
}

void intake_suggest(struct intake_result *r, const struct intake_options *o)
{
    size_t lead_para = (size_t)-1;
    struct intake_directive lead = {0}; /* what the paragraph's lead-in suggests, once */
    for (size_t i = 0; i < r->n_directives; i++) {
        struct intake_directive *d = &r->directives[i];
        const struct intake_paragraph *p = &r->paragraphs[d->paragraph];
        size_t len = strlen(d->text);
        if (d->paragraph != lead_para) { /* the paragraph's first directive */
            lead_para = d->paragraph;
            intake_strv_free(lead.suggested_units, lead.n_suggested_units);
            memset(&lead, 0, sizeof lead);
            suggest_match(&lead, o, p->text, suggest_lead_in(p, d->start - p->start), NULL);
        }
        struct cpset c;
        cpset_fill(&c, d->text, len);
        suggest_named(d, o, &c);
        if (d->n_units == 0 && suggest_match(d, o, d->text, len, &c) == 0) suggest_copy(d, &lead);
        d->deadline = suggest_deadline(r, d, o);
        d->kind = suggest_kind(d->text, len, o->kinds);
    }
    intake_strv_free(lead.suggested_units, lead.n_suggested_units);
}
