/* meeting.c — stage 3b of intake: meetings.
 *
 * A meeting report opens with a sentence that names the meeting and its
 * agenda: "3月15日下午，市委常委会召开（扩大）会议，传达学习…；听取…汇报，
 * 研究…，部署近期重点工作。"  This file reads, from the first sentences of
 * each article's opening paragraphs, the meeting's name in the shapes reports
 * use — X召开/举行Y (会议, 常务会议, 推进会, 约谈会, 座谈会, 集体学习 …, names
 * joined by 暨), Y召开/举行, Y在某地召开, X今天下午（3月8日）举行会议 — its date
 * (the first date of that sentence: 3月15日, 22日 with the page's month,
 * 今天上午（4月18日）; else the article's), its chair (X主持…, …由X主持, without
 * the place of 在某地主持召开) and the agenda items (clauses beginning 传达,
 * 学习, 听取, 研究, 审议, 部署 …).  A meeting the report only studies (传达学习
 * …会议精神, 习近平总书记主持召开…) is background, not the meeting.  Articles
 * that are not meeting reports (a field study, an interview) yield nothing. */
#include <stdlib.h>
#include <string.h>

#include "intake/internal.h"
#include "util/buf.h"
#include "util/mem.h"

static const char *const agenda_verbs[] = {"传达", "学习", "听取", "研究", "审议", "部署",
                                           "讨论", "通报", "审定", "审查", "分析", NULL};
/* Words ending a meeting's name besides 会议 and …会. */
static const char *const meeting_words[] = {"会议", "集体学习", "专题学习", "例会", NULL};
/* Words ending in 会 that are not meetings (bodies and ordinary words). */
static const char *const not_meetings[] = {
    "社会", "机会", "委员会", "常委会", "协会", "商会", "工会", "学会", "理事会", "董事会", "体会",
    "领会", "将会", "不会",   "也会",   "就会", "都会", "还会", "才会", "融会",   NULL};
/* A meeting the report studies rather than holds. */
static const char *const background[] = {"习近平", "总书记",     "党中央", "中共中央",
                                         "国务院", "中央政治局", NULL};
/* Time words a subject may carry before 召开/举行 ("市委常委会今天下午举行"). */
static const char *const time_words[] = {"今天", "今日", "昨天", "昨日", "日前", "近日",
                                         "上午", "下午", "中午", "晚上", "晚",   NULL};

/* The bytes of a meeting word ending at s[end] (…会议, …推进会, 集体学习), or 0. */
static size_t meeting_word_before(const char *s, size_t from, size_t end)
{
    for (int k = 0; meeting_words[k]; k++) {
        size_t n = strlen(meeting_words[k]);
        if (end - from >= n && !memcmp(s + end - n, meeting_words[k], n)) return n;
    }
    if (end - from < 6 || memcmp(s + end - 3, "会", 3)) return 0;
    for (int k = 0; not_meetings[k]; k++) {
        size_t n = strlen(not_meetings[k]);
        if (end - from >= n && !memcmp(s + end - n, not_meetings[k], n)) return 0;
    }
    return intake_text_is_han(intake_text_before(s, end - 3)) ? 3 : 0;
}

/* The end of the first meeting name in s[from..to) (past 暨 and its second
 * name), or 0. */
static size_t meeting_name_end(const char *s, size_t from, size_t to)
{
    size_t i = from, end = 0;
    for (int n = 0; i < to && n < 80; n++) {
        i = intake_text_next(s, to, i, &(uint32_t){0});
        if (meeting_word_before(s, from, i) && !intake_text_has(s, to, i, "议")) {
            end = i;
            if (!intake_text_has(s, to, i, "暨")) return end;
        }
    }
    return end;
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

static int meeting_has_any(const char *s, size_t from, size_t to, const char *const *words)
{
    for (int k = 0; words[k]; k++)
        if (intake_text_find(s, to, from, words[k]) != (size_t)-1) return 1;
    return 0;
}

/* Append s[from..to) to b without time words, dates and a lead's "东岭日报讯 ". */
static void meeting_append_subject(struct buf *b, const char *s, size_t from, size_t to)
{
    size_t lead = intake_text_find(s, to, from, "讯");
    if (lead != (size_t)-1 && intake_text_count(s + from, lead - from) <= 10) from = lead + 3;
    while (from < to) {
        struct intake_date d = {0, 0, 0};
        size_t at = 0, used = 0;
        uint32_t cp;
        size_t n = intake_text_next(s, to, from, &cp);
        int k;
        for (k = 0; time_words[k]; k++)
            if (intake_text_has(s, to, from, time_words[k])) break;
        if (time_words[k]) {
            from += strlen(time_words[k]);
            continue;
        }
        size_t window = to - from < 48 ? to - from : 48;
        if ((cp == 0xFF08 || (cp >= '0' && cp <= '9')) &&
            (used =
                 intake_date_find(s + from, window, (struct intake_date){2000, 1, 1}, &d, &at)) &&
            at <= 3) {
            from += at + used;
            if (intake_text_has(s, to, from, "）")) from += 3;
            continue;
        }
        if (cp != ' ') buf_append(b, s + from, n - from);
        from = n;
    }
}

/* "X在Y主持": X; else all of s[from..to) (trimmed; "同志" dropped). */
static char *meeting_person(const char *s, size_t from, size_t to)
{
    while (from < to && s[from] == ' ')
        from++;
    size_t by = intake_text_find(s, to, from, "由");
    if (by != (size_t)-1 && by - from <= 6) from = by + 3;
    size_t at = intake_text_find(s, to, from, "在");
    if (at != (size_t)-1 && intake_text_count(s + from, at - from) >= 2) to = at;
    if (intake_text_ends(s + from, to - from, "同志")) to -= 6;
    struct intake_span t = intake_text_trim(s + from, to - from);
    if (t.end == t.start || intake_text_count(s + from + t.start, t.end - t.start) > 24 ||
        meeting_has_any(s, from, to, background))
        return NULL;
    return xstrndup(s + from + t.start, t.end - t.start);
}

/* 1 when s[from..to) names who holds the meeting: something besides
 * connectives, time words and dates. */
static int meeting_has_subject(const char *s, size_t from, size_t to)
{
    static const char *const connectives[] = {"并", "还", "随后", "同时", "又", "后", "再", NULL};
    struct buf b;
    buf_init(&b, 0);
    meeting_append_subject(&b, s, from, to);
    size_t at = 0;
    for (int again = 1; again && at < b.len;) {
        again = 0;
        for (int k = 0; connectives[k]; k++)
            if (intake_text_has(b.data, b.len, at, connectives[k]))
                at += strlen(connectives[k]), again = 1;
    }
    int has = at < b.len;
    buf_free(&b);
    return has;
}

/* X召开Y / X举行Y at byte at (verb of 6 bytes) in the clause [from, to): the
 * name (malloc'd), with *chair set for X主持召开Y; NULL when Y names no
 * meeting. */
static char *meeting_object(const char *s, size_t from, size_t to, size_t at, char **chair)
{
    size_t end = meeting_name_end(s, at + 6, to);
    if (!end) return NULL;
    const char *obj = s + at + 6;
    size_t subj_end = at;
    if (at >= from + 6 && !memcmp(s + at - 6, "主持", 6)) {
        if (!*chair) *chair = meeting_person(s, from, at - 6);
        subj_end = from;
    }
    size_t olen = (size_t)(s + end - obj);
    if (subj_end != from && !meeting_has_subject(s, from, subj_end))
        return NULL; /* "…走访，并召开座谈会": part of a visit, not a meeting report */
    static const char *const own[] = {"市",   "县",   "区",   "省",   "州",   "镇",
                                      "乡",   "街道", "全市", "全县", "全区", "全省",
                                      "全州", "全镇", "全国", NULL};
    int is_own = 0;
    for (int k = 0; own[k]; k++)
        is_own |= intake_text_starts(obj, olen, own[k]);
    is_own |= intake_text_find(s, subj_end, from, "我") != (size_t)-1;
    struct buf b;
    buf_init(&b, 0);
    if (!is_own) meeting_append_subject(&b, s, from, subj_end);
    buf_append(&b, obj, olen);
    return buf_detach(&b, NULL);
}

/* Y召开 / Y在某地召开 with Y ending the clause at byte at: the name, or NULL. */
static char *meeting_subject(const char *s, size_t from, size_t at)
{
    size_t end = at, place = intake_text_find(s, at, from, "在");
    if (place != (size_t)-1 && place > from) end = place;
    if (!meeting_word_before(s, from, end)) return NULL;
    struct buf b;
    buf_init(&b, 0);
    meeting_append_subject(&b, s, from, end);
    if (!b.len) {
        buf_free(&b);
        return NULL;
    }
    return buf_detach(&b, NULL);
}

/* The name of the meeting the sentence s[0..len) reports, or NULL; *chair gets
 * "X" of "X主持召开" (malloc'd) when present. */
static char *meeting_name(const char *s, size_t len, char **chair)
{
    static const char *const verbs[] = {"召开", "举行", NULL};
    static const char *const remarks[] = {"会议指出", "会议强调", "会议认为", "会议要求",
                                          "会议传达", "会议学习", "会议听取", NULL};
    for (int k = 0; remarks[k]; k++) /* what a meeting said is no opening */
        if (intake_text_starts(s, len, remarks[k])) return NULL;
    /* where each verb occurs next, searched again only once passed */
    size_t next[2] = {intake_text_find(s, len, 0, verbs[0]), intake_text_find(s, len, 0, verbs[1])};
    for (size_t i = 0; i < len;) {
        size_t best = (size_t)-1;
        for (int k = 0; k < 2; k++) {
            if (next[k] != (size_t)-1 && next[k] < i)
                next[k] = intake_text_find(s, len, i, verbs[k]);
            if (next[k] < best) best = next[k];
        }
        if (best == (size_t)-1) return NULL;
        size_t from, to;
        meeting_clause(s, len, best, &from, &to);
        if (!meeting_has_any(s, from, best, background)) {
            char *name = meeting_object(s, from, to, best, chair);
            if (!name) name = meeting_subject(s, from, best);
            if (name) return name;
        }
        i = to > best + 6 ? to : best + 6; /* one try a clause keeps this linear */
    }
    return NULL;
}

/* "市委书记章旭升主持会议" or "会议由…主持" in s[0..len): the chair, or NULL. */
static char *meeting_chair(const char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        size_t at = intake_text_find(s, len, i, "主持"), from, to;
        if (at == (size_t)-1) return NULL;
        meeting_clause(s, len, at, &from, &to);
        char *c = meeting_person(s, from, at);
        if (c) return c;
        i = to > at + 6 ? to : at + 6;
    }
    return NULL;
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

/* The end of the sentence starting at s[i] (its mark included), or len. */
static size_t meeting_sentence_end(const char *s, size_t len, size_t i)
{
    while (i < len) {
        uint32_t cp;
        size_t n = intake_text_next(s, len, i, &cp);
        if (intake_text_is_sentence_mark(cp)) return n;
        i = n;
    }
    return len;
}

/* The first of the first three sentences of paragraph p (from byte at) that
 * names a meeting: 1 with m's name, chair and date set. */
static int meeting_in_paragraph(const struct intake_paragraph *p, size_t at,
                                struct intake_date base, struct intake_meeting *m)
{
    for (int k = 0; k < 3 && at < p->len; k++) {
        size_t end = meeting_sentence_end(p->text, p->len, at);
        m->name = meeting_name(p->text + at, end - at, &m->chair);
        if (m->name) {
            struct intake_date d = {0, 0, 0};
            if (intake_date_find(p->text + at, end - at, base, &d, NULL)) m->date = d;
            return 1;
        }
        free(m->chair);
        m->chair = NULL;
        at = end;
    }
    return 0;
}

/* Look for a meeting in article ai's first two paragraphs (and a chair in its
 * first three). */
static void meeting_in_article(struct intake_result *r, size_t ai, struct intake_date today)
{
    const struct intake_article *a = &r->articles[ai];
    struct intake_meeting m = {0};
    struct intake_date base = a->page_date.year ? a->page_date : today;
    size_t k, found = 0;
    for (k = 0; k < a->n_paragraphs && k < 2 && !found; k++) {
        const struct intake_paragraph *p = &r->paragraphs[a->paragraphs[k]];
        found = meeting_in_paragraph(p, 0, base, &m);
    }
    if (!found) return;
    k--;
    const struct intake_paragraph *p = &r->paragraphs[a->paragraphs[k]];
    m.article = (int)ai;
    m.paragraph = a->paragraphs[k];
    if (!m.date.month) m.date = a->date;
    meeting_agenda(&m, p->text, p->len, 0);
    for (size_t j = k; !m.chair && j < a->n_paragraphs && j < k + 3; j++) {
        const struct intake_paragraph *q = &r->paragraphs[a->paragraphs[j]];
        m.chair = meeting_chair(q->text, q->len);
    }
    meeting_push(r, &m);
}

void intake_meetings_find(struct intake_result *r, struct intake_date today)
{
    for (size_t i = 0; i < r->n_articles; i++)
        meeting_in_article(r, i, today);
}
