/* title.c — a directive's title: the thing to do, read as a task.
 *
 * The title is the directive's action clause: its first clause after the
 * subject and 要, with what only leads into the action trimmed off —
 *   - a lead-unit phrase: 由市城管局牵头，开展… → 开展…; 由X牵头建立… → 建立…;
 *     牵头建立… (the subject leads) → 建立…;
 *   - a cooperating-unit phrase: 会同相关部门细化… → 细化…; a clause of its own
 *     (会同行业主管部门，对事故企业…) goes whole;
 *   - means-phrases, clauses that say how or by what (以感情留人，以…为统领，
 *     按照…原则，围绕…，对标…，结合…，依法依规，…) — only when the clause they lead
 *     into opens with an action, so that 按照会议意见修改完善，尽快… keeps its
 *     first clause, which is the task;
 *   - a deadline at its head (6月底前完成… → 完成…; the deadline has a field
 *     of its own).
 * A topic before 要 is what the task is about and stays (核心指标要盯紧盯牢 →
 * 核心指标盯紧盯牢); units and collectives go (they become the lead unit).  A
 * directive of a passage, with no 要, loses a list of units at its head
 * (各责任单位对照分解方案，逐项制定… → 逐项制定…).  Every scan is bounded by the
 * directive and looks a fixed distance ahead. */
#include <string.h>

#include "intake/internal.h"
#include "util/mem.h"

/* Words opening a clause that only says how: 以…, 按照…, 围绕… (longest first
 * where one starts another). */
static const char *const means_words[] = {
    "依法依规", "按照", "对照", "根据", "围绕", "结合", "依托", "通过", "立足", "本着",
    "依据",     "遵照", "参照", "针对", "对标", "聚焦", "紧扣", "着眼", "以",   NULL};
/* Characters of a deadline at a clause's head: 6月底前, 5月10日前, 年内, 15天内. */
static const char *const deadline_chars = "0123456789一二三四五六七八九十百年月日号底中上下旬季"
                                          "度春节元旦国庆今明本个工作天周半";

/* The end of the clause starting at p[i] (its clause mark, or end). */
static size_t clause_end(const char *p, size_t i, size_t end)
{
    while (i < end) {
        uint32_t cp;
        size_t n = intake_text_next(p, end, i, &cp);
        if (intake_text_is_clause_mark(cp)) return i;
        i = n;
    }
    return end;
}

/* Just after the clause mark at p[c] (c < end), spaces skipped. */
static size_t after_mark(const char *p, size_t c, size_t end)
{
    uint32_t cp;
    size_t i = c < end ? intake_text_next(p, end, c, &cp) : end;
    while (i < end && p[i] == ' ')
        i++;
    return i;
}

/* 1 when the clause at p[i] opens as a task: an action verb (after adverbs),
 * 以…为…, or 把/将/对/向 with what is done to it. */
static int opens_task(const char *p, size_t end, size_t i)
{
    static const char *const heads[] = {"把", "将", "对", "向", NULL};
    if (i >= end) return 0;
    for (int k = 0; heads[k]; k++)
        if (intake_text_has(p, end, i, heads[k]) && !intake_text_has(p, end, i, "对标") &&
            !intake_text_has(p, end, i, "对照"))
            return 1;
    return intake_subject_action(p, end, i);
}

/* A deadline at p[i] (在6月底前, 年底前, 15天内) before an action: where the
 * action starts, else i. */
static size_t skip_deadline(const char *p, size_t end, size_t i)
{
    size_t j = intake_text_has(p, end, i, "在") ? i + 3 : i, n = 0;
    while (j < end && n < 10) {
        uint32_t cp;
        size_t next = intake_text_next(p, end, j, &cp);
        if (intake_text_has(p, end, j, "前") || intake_text_has(p, end, j, "内"))
            return n > 0 && opens_task(p, end, next) ? next : i;
        if (!memmem(deadline_chars, strlen(deadline_chars), p + j, next - j)) return i;
        j = next, n++;
    }
    return i;
}

/* The first lexicon verb in p[i..c), or (size_t)-1. */
static size_t first_verb(const char *p, size_t i, size_t c)
{
    while (i < c) {
        if (intake_subject_is_verb(p, c, i)) return i;
        i = intake_text_next(p, c, i, &(uint32_t){0});
    }
    return (size_t)-1;
}

/* Past a lead-unit or cooperating-unit phrase at p[i] (由X牵头, 牵头, 会同X,
 * 联合X) when an action follows it in its clause: where the action starts.
 * *whole is set when the phrase is the whole clause. */
static size_t skip_unit_phrase(const char *p, size_t end, size_t i, int *whole)
{
    size_t c = clause_end(p, i, end), v;
    *whole = 0;
    if (intake_text_has(p, end, i, "牵头") || intake_text_has(p, end, i, "负责")) {
        *whole = i + 6 == c;
        return *whole || intake_subject_is_verb(p, end, i + 6) ? i + 6 : i;
    }
    if (intake_text_has(p, end, i, "由")) {
        size_t at = intake_text_find(p, c, i + 3, "牵头");
        if (at == (size_t)-1) at = intake_text_find(p, c, i + 3, "负责");
        if (at == (size_t)-1) return i;
        *whole = at + 6 == c;
        return *whole || intake_subject_is_verb(p, c, at + 6) ? at + 6 : i;
    }
    if (!intake_text_has(p, end, i, "会同") && !intake_text_has(p, end, i, "联合")) return i;
    v = first_verb(p, i + 6, c);
    if (v == (size_t)-1) {
        *whole = 1;
        return c;
    }
    return v > i + 6 && intake_directive_unit_list(p + i + 6, v - i - 6, NULL, NULL) ? v : i;
}

/* The bytes of the means word opening the clause at p[i], or 0. */
static size_t means_at(const char *p, size_t end, size_t i)
{
    for (int k = 0; means_words[k]; k++)
        if (intake_text_has(p, end, i, means_words[k])) return strlen(means_words[k]);
    return 0;
}

/* Past the clause at p[at] (ending at c < end) when it only says how: it
 * opens with a means word and either has no action verb at all (以感情留人,
 * 按照职责分工: not 聚焦X精准招商, whose 聚焦 is one) or leads into a clause
 * that opens as a task; *sure is set in the first case.  Else at. */
static size_t skip_means(const char *p, size_t end, size_t at, size_t c, int *sure)
{
    size_t m = means_at(p, end, at), next = after_mark(p, c, end);
    if (!m || c >= end || next >= end) return at;
    if (!intake_subject_is_verb(p, end, at) && first_verb(p, at + m, c) == (size_t)-1) {
        *sure = 1;
        return next;
    }
    return opens_task(p, end, next) ? next : at;
}

/* Where the action clause of p[i..end) starts: lead-ins skipped; i when
 * nothing is skipped, or when what is left neither opens as a task nor
 * follows a lead-in that could only be one (a unit phrase of its own, a
 * means clause without a verb). */
static size_t skip_leadins(const char *p, size_t end, size_t i)
{
    size_t at = i;
    int sure = 0;
    for (int rounds = 0; rounds < 8 && at < end; rounds++) {
        int whole;
        size_t c = clause_end(p, at, end), next = skip_unit_phrase(p, end, at, &whole);
        if (whole) next = after_mark(p, c, end), sure = 1;
        if (next == at) next = skip_means(p, end, at, c, &sure);
        if (next == at) next = skip_deadline(p, end, at);
        if (next == at) break;
        at = next;
    }
    at = skip_deadline(p, end, at);
    return at < end && (sure || opens_task(p, end, at)) ? at : i;
}

/* Past a list of units at the head of a directive without 要 (各责任单位对照…),
 * when a task or a means word follows it. */
static size_t skip_units(const char *p, size_t end, size_t i)
{
    size_t c = clause_end(p, i, end), k = i, n = 0;
    if (opens_task(p, end, i)) return i; /* 加快推进…平台建设: no unit before the verb */
    while (k < c && n++ < 20) {
        k = intake_text_next(p, c, k, &(uint32_t){0});
        if (intake_directive_unit_list(p + i, k - i, NULL, NULL) &&
            (opens_task(p, end, k) || means_at(p, end, k)))
            return k;
    }
    return i;
}

char *intake_title_make(const char *p, const struct intake_title_at *t)
{
    size_t i = t->body, end = t->end;
    while (i < end && p[i] == ' ')
        i++;
    if (!t->marker) {
        intake_subject_skip(p, &i, end, 0); /* 一是…, 同时… */
        i = skip_units(p, end, i);
    }
    i = skip_leadins(p, end, i);
    size_t c = clause_end(p, i, end);
    struct intake_span s = intake_text_trim(p + i, c - i);
    if (s.end == s.start) return NULL;
    if (!t->topic) return xstrndup(p + i + s.start, s.end - s.start);
    size_t tl = t->subj_end - t->subj_start, al = s.end - s.start;
    char *out = xmalloc(tl + al + 1);
    memcpy(out, p + t->subj_start, tl);
    memcpy(out + tl, p + i + s.start, al);
    out[tl + al] = '\0';
    return out;
}
