/* meeting.c — stage 3b of intake: meetings.
 *
 * A meeting report opens with one sentence that names the meeting and its
 * agenda: "3月15日下午，市委常委会召开（扩大）会议，传达学习…；听取…汇报，
 * 研究…，部署近期重点工作。"  This file reads, from the first body paragraph
 * of each article, the meeting's name (X召开Y会议 or Y会议召开/举行), its date
 * (the article's dateline, or a date at the start of the sentence), its chair
 * (…主持, 由…主持) and the agenda items (clauses beginning 传达, 学习, 听取,
 * 研究, 审议, 部署 …).  Articles that are not meeting reports (a field study,
 * an interview) yield nothing. */
#include <string.h>

#include "intake/internal.h"
#include "util/buf.h"
#include "util/mem.h"

static const char *const meeting_ends[] = {"常务会议", "会议", "例会", "大会", NULL};
static const char *const agenda_verbs[] = {"传达", "学习", "听取", "研究", "审议", "部署",
                                           "讨论", "通报", "审定", "审查", "分析", NULL};

/* The byte offset just past the first meeting word (会议, 例会…) in s[from..to),
 * or 0. */
static size_t meeting_end_word(const char *s, size_t from, size_t to)
{
    size_t best = 0;
    for (int k = 0; meeting_ends[k]; k++) {
        size_t at = intake_text_find(s, to, from, meeting_ends[k]);
        if (at != (size_t)-1 && (!best || at + strlen(meeting_ends[k]) < best))
            best = at + strlen(meeting_ends[k]);
    }
    return best;
}

/* The clause containing byte i of s[0..len): [*from, *to). */
static void meeting_clause(const char *s, size_t len, size_t i, size_t *from, size_t *to)
{
    size_t a = i, b = i;
    while (a > 0 && !intake_text_is_clause_mark(intake_text_before(s, a)))
        a = intake_text_prev(s, a);
    while (b < len) {
        uint32_t cp;
        size_t n = intake_text_next(s, len, b, &cp);
        if (intake_text_is_clause_mark(cp)) break;
        b = n;
    }
    *from = a;
    *to = b;
}

/* The name of the meeting the sentence s[0..len) reports, or NULL; *chair gets
 * "X" of "X主持召开" (malloc'd) when present. */
static char *meeting_name(const char *s, size_t len, char **chair)
{
    size_t at = intake_text_find(s, len, 0, "召开"), from, to, end = 0;
    if (at != (size_t)-1) {
        meeting_clause(s, len, at, &from, &to);
        end = meeting_end_word(s, at + 6, to);
    }
    if (end) {
        const char *obj = s + at + 6;
        size_t subj_end = at;
        size_t host = intake_text_find(s, at, from, "主持");
        if (host != (size_t)-1) {
            *chair = xstrndup(s + from, host - from);
            subj_end = from;
        }
        struct intake_span subj = intake_text_trim(s + from, subj_end - from);
        int own = intake_text_starts(obj, end, "市") || intake_text_starts(obj, end, "全") ||
                  intake_text_starts(obj, end, "县") || intake_text_starts(obj, end, "区") ||
                  intake_text_starts(obj, end, "省") ||
                  intake_text_has(s, len, from + subj.start, "我市");
        struct buf b;
        buf_init(&b, 0);
        if (!own) buf_append(&b, s + from + subj.start, subj.end - subj.start);
        buf_append(&b, obj, (size_t)(s + end - obj));
        return buf_detach(&b, NULL);
    }
    for (int k = 0; k < 2; k++) {
        at = intake_text_find(s, len, 0, k ? "举行" : "召开");
        if (at == (size_t)-1) continue;
        meeting_clause(s, len, at, &from, &to);
        if (meeting_end_word(s, from, at + 1) == at) return xstrndup(s + from, at - from);
    }
    return NULL;
}

/* "市委书记章旭升主持会议" or "会议由…主持": the chair, or NULL. */
static char *meeting_chair(const char *s, size_t len)
{
    size_t at = intake_text_find(s, len, 0, "主持"), from, to;
    if (at == (size_t)-1) return NULL;
    meeting_clause(s, len, at, &from, &to);
    size_t by = intake_text_find(s, at, from, "由");
    if (by != (size_t)-1) from = by + 3;
    struct intake_span t = intake_text_trim(s + from, at - from);
    if (t.end == t.start || intake_text_count(s + from + t.start, t.end - t.start) > 24)
        return NULL;
    return xstrndup(s + from + t.start, t.end - t.start);
}

/* Append to m the agenda clauses of paragraph s[from..len): clauses that
 * start, after an optional 会议/会上/并/还, with an agenda verb. */
static void meeting_agenda(struct intake_meeting *m, const char *s, size_t len, size_t from)
{
    static const char *const fillers[] = {"会议", "会上", "并", "还", "同时", NULL};
    size_t i = from;
    while (i < len) {
        size_t a, b;
        meeting_clause(s, len, i, &a, &b);
        for (int again = 1; again;) {
            again = 0;
            for (int k = 0; fillers[k]; k++)
                if (intake_text_has(s, b, a, fillers[k])) a += strlen(fillers[k]), again = 1;
        }
        for (int k = 0; agenda_verbs[k]; k++) {
            if (intake_text_has(s, len, a, agenda_verbs[k])) {
                intake_strv_push(&m->agenda, &m->n_agenda, s + a, b - a);
                break;
            }
        }
        if (b >= len) break;
        i = intake_text_next(s, len, b, &(uint32_t){0});
    }
}

static void meeting_push(struct intake_result *r, struct intake_meeting *m)
{
    r->meetings = xrealloc(r->meetings, (r->n_meetings + 1) * sizeof *r->meetings);
    r->meetings[r->n_meetings++] = *m;
}

/* Look for a meeting in article ai's first body paragraph (and a chair in its
 * first three). */
static void meeting_in_article(struct intake_result *r, size_t ai)
{
    const struct intake_article *a = &r->articles[ai];
    struct intake_meeting m = {0};
    size_t k = 0;
    const struct intake_paragraph *p = &r->paragraphs[a->paragraphs[0]];
    if (p->kind == INTAKE_PARA_LEAD && a->n_paragraphs > 1 &&
        (intake_text_ends(p->text, p->len, "）") || intake_text_ends(p->text, p->len, ")")))
        p = &r->paragraphs[a->paragraphs[++k]];
    size_t stop = 0;
    while (stop < p->len && !intake_text_is_sentence_mark(intake_text_at(p->text, p->len, stop)))
        stop = intake_text_next(p->text, p->len, stop, &(uint32_t){0});
    m.name = meeting_name(p->text, stop, &m.chair);
    if (!m.name) return;
    m.article = (int)ai;
    m.paragraph = a->paragraphs[k];
    m.date = a->date;
    meeting_agenda(&m, p->text, p->len, 0);
    for (size_t j = k; !m.chair && j < a->n_paragraphs && j < k + 3; j++) {
        const struct intake_paragraph *q = &r->paragraphs[a->paragraphs[j]];
        m.chair = meeting_chair(q->text, q->len);
    }
    meeting_push(r, &m);
}

void intake_meetings_find(struct intake_result *r)
{
    for (size_t i = 0; i < r->n_articles; i++)
        meeting_in_article(r, i);
}
