/* directive.c — stage 4 of intake: directives, the decisions to carry out.
 *
 * In a Chinese meeting report the decisions are the 要 clauses: "要强化责任
 * 落实，…；要强化标本兼治，…；" in a leader's speech or under 会议指出/强调,
 * and the subject forms "各级各部门要…", "全市上下要…", "市委组织部、市委党校
 * 要…", "核心指标要…".  A 要 (or 务必, 必须) starts a directive when what stands
 * between the start of its clause and it is nothing, a connective, an adverb,
 * a collective or a list of units, or — inside a passage of directives, once
 * the paragraph has a cue such as 会议强调，or 他指出， — a topic (subject.c
 * says which).  The words 需要, 重要, 主要, 只要, 要求, 要素 … are no 要 of a
 * directive; neither is an evaluative or conditional one (也要清醒地看到…,
 * 要实现…依旧任重道远, 要完成…，仍需…, 如果要…，就必须…).
 *
 * A passage of directives is imperative after 会议要求/决定/明确/号召 (then
 * every ；-part is a directive), after X强调/部署/提出 and after a directive:
 * there a sentence or a ；-part that opens with an action (加快推进…, 狠抓…,
 * 以…为统领…, 依法依规，着手…) is a directive of its own.  A remark that is no
 * instruction (会议认为, 会议听取 …) ends the passage.  "会议要求各部门务必…"
 * and "…，要求各责任单位…" carry their cue inside the clause.  由X牵头… names
 * its unit.  A directive runs to the next one or to the end of its sentence;
 * a lead-in after ； or a lone 近期，/由X牵头， belongs to the directive it
 * introduces.
 *
 * For each directive this file also records its topic (its first clause
 * without subject and 要), its verbs (the first action verb of each clause,
 * from subject.c's lexicon) and the units its subject names.  Suggesting
 * units from keywords, deadlines and kinds is suggest.c's job.  Every scan is
 * one pass with bounded look-around, so the stage is linear in its input. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "intake/internal.h"
#include "util/mem.h"

/* A directive found while scanning a paragraph: byte offsets. */
struct found {
    size_t clause;               /* where its clause begins (before any connective) */
    size_t start;                /* where its text begins */
    size_t body;                 /* just after 要 (or the cue): where the topic begins */
    size_t subj_start, subj_end; /* its subject, possibly empty */
    int marker;                  /* 1: its own 要/务必/必须/牵头; 0: a part of a passage */
};

struct scan {
    struct found *v;
    size_t n, cap;
    size_t *ends; /* sentence ends */
    size_t n_ends, cap_ends;
    size_t *dend;  /* after dir_finish: the end of each directive in v */
    size_t *semis; /* positions just after each ； or ; */
    size_t n_semis, cap_semis;
};

/* Where the scan of one paragraph stands. */
struct state {
    const char *p;
    size_t len;
    size_t cs, prev_cs; /* where the current and the previous clause start */
    size_t part;        /* where the current sentence or ；-part starts */
    int depth;          /* inside “quotes” */
    int cued;       /* a remark cue (指出, 强调, 要求 …) opened this paragraph's passage */
    int imperative; /* actions are directives: after 要求/强调 or a directive */
    int enumerate;  /* after 会议要求，: every ；-part is a directive */
    int part_dir;   /* a directive in the current ；-part */
    int sent_dir;   /* a directive in the current sentence */
};

/* Characters after 要 that make it part of another word (要求, 要素, 要点 …). */
static const char *const yao_words[] = {"求", "素", "点", "闻", "害",   "件",   "案",
                                        "塞", "员", "职", "领", "义",   "旨",   "诀",
                                        "冲", "么", "是", "想", "不然", "不是", NULL};
/* After 要: no instruction but an assessment (也要清醒地看到). */
static const char *const yao_seeing[] = {"看到", "清醒", "认识到", "意识到", "看清", "承认", NULL};
/* In the clause of a 要, or opening the next one: 要 was a condition. */
static const char *const yao_conditions[] = {"任重道远", "依旧", "仍需", "还需",
                                             "尚需",     "才能", "仍然", NULL};
static const char *const next_conditions[] = {"仍需", "还需", "尚需", "才能", "就必须", "必须",
                                              "就要", "需要", "还要", "仍要", "就得",   NULL};
/* Cues ending a clause: imperative ones make every ；-part a directive. */
static const char *const cues_enumerate[] = {"要求", "决定", "明确", "号召", NULL};
static const char *const cues_imperative[] = {"强调", "部署", "提出", NULL};
static const char *const cues_remark[] = {"指出", "表示", NULL};
/* Sentence openings that are no instruction: the passage ends. */
static const char *const remarks[] = {"会议认为", "会议听取", "会议审议", "会议通报", "会议总结",
                                      "会议学习", "会议传达", "会议原则", "会议研究", "会议分析",
                                      "会议还",   "会上",     "会议肯定", "会议充分", NULL};

/* The lists as filtered word lists (text.c), prepared once. */
static struct intake_words w_yao_words = {.w = yao_words}, w_seeing = {.w = yao_seeing},
                           w_conditions = {.w = yao_conditions}, w_next = {.w = next_conditions},
                           w_enumerate = {.w = cues_enumerate},
                           w_imperative = {.w = cues_imperative}, w_remark = {.w = cues_remark},
                           w_remarks = {.w = remarks};
static pthread_once_t words_once = PTHREAD_ONCE_INIT;

static void words_init(void)
{
    struct intake_words *all[] = {&w_yao_words, &w_seeing,     &w_conditions, &w_next,
                                  &w_enumerate, &w_imperative, &w_remark,     &w_remarks};
    for (size_t k = 0; k < sizeof all / sizeof all[0]; k++)
        intake_words_prepare(all[k]);
}

static int dir_has_any(const char *s, size_t len, size_t at, const struct intake_words *l)
{
    return intake_words_at(l, s, len, at) > 0;
}

static int dir_ends_any(const char *s, size_t from, size_t to, const struct intake_words *l)
{
    return (int)intake_words_ending(l, s, from, to);
}

/* Decide whether the marker (要, 务必, 必须) at byte m, whose clause starts at
 * cs, begins a directive; if so, fill f. */
static int dir_subject(const struct state *st, size_t m, struct found *f)
{
    const char *p = st->p;
    if (m - st->cs > 360) return 0; /* no subject is that long: and the scan stays linear */
    struct intake_span t = intake_text_trim(p + st->cs, m - st->cs);
    size_t start = st->cs + t.start, from = start, to = st->cs + t.end;
    if (intake_subject_skip(p, &from, to, 0)) start = from;
    intake_subject_skip(p, &from, to, 1);
    if (intake_text_has(p, to, from, "就") || intake_text_has(p, to, from, "才"))
        return 0; /* "如果要…，就必须…": the consequence of a condition */
    to = intake_subject_drop_adverbs(p, from, to);
    /* "会议要求各部门务必…": the cue inside the clause */
    size_t cue = intake_text_find(p, to < from + 30 ? to : from + 30, from, "要求");
    if (cue != (size_t)-1) from = start = cue + 6;
    f->clause = st->cs + t.start;
    f->start = start;
    f->subj_start = from;
    f->subj_end = to;
    f->marker = 1;
    enum intake_subject k = intake_subject_of(p, from, to, st->cued || st->imperative);
    if (k == INTAKE_SUBJECT_BAD) return 0;
    /* a topic after a comma goes on with the directive already in its part */
    return !(k == INTAKE_SUBJECT_TOPIC && st->part_dir && st->cs > st->part);
}

/* 1 when the 要 at byte m is a condition or an assessment, not an instruction. */
static int dir_yao_conditional(const struct state *st, size_t m)
{
    const char *p = st->p;
    size_t len = st->len, i = m + 3, n = 0;
    if (dir_has_any(p, len, i, &w_seeing)) return 1;
    while (i < len && n++ < 60) {
        uint32_t cp;
        size_t next = intake_text_next(p, len, i, &cp);
        if (intake_text_is_clause_mark(cp)) {
            if (cp != 0xFF0C && cp != ',') return 0;
            size_t j = next;
            while (j < len && p[j] == ' ')
                j++;
            return dir_has_any(p, len, j, &w_next);
        }
        if (dir_has_any(p, len, i, &w_conditions)) return 1;
        i = next;
    }
    return 0;
}

static void dir_push_pos(size_t **v, size_t *n, size_t *cap, size_t at)
{
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 16;
        *v = xrealloc(*v, *cap * sizeof **v);
    }
    (*v)[(*n)++] = at;
}

/* Add f; a directive with its own marker replaces a part directive that
 * started in the same ；-part (what stood before the marker was its lead-in). */
static void dir_push(struct scan *sc, struct state *st, const struct found *f)
{
    st->part_dir = st->sent_dir = 1;
    st->imperative = 1;
    if (sc->n > 0) {
        struct found *last = &sc->v[sc->n - 1];
        if (last->start >= f->start) {
            if (last->start == f->start) *last = *f;
            return;
        }
        if (f->marker && !last->marker && last->start >= st->part) {
            size_t at = last->start;
            *last = *f;
            last->clause = last->start = at;
            return;
        }
    }
    if (sc->n == sc->cap) {
        sc->cap = sc->cap ? sc->cap * 2 : 16;
        sc->v = xrealloc(sc->v, sc->cap * sizeof *sc->v);
    }
    sc->v[sc->n++] = *f;
}

/* A directive of the passage starting at byte at (no marker of its own). */
static void dir_push_part(struct scan *sc, struct state *st, size_t at)
{
    while (at < st->len && st->p[at] == ' ')
        at++;
    if (at >= st->len) return;
    struct found f = {at, at, at, at, at, 0};
    dir_push(sc, st, &f);
}

/* The clause before a directive belongs to it when it is only a time word
 * ("近期，要…": it sets the deadline) or only "由X牵头" ("由市经信局牵头，
 * 要…": it names the unit). */
static void dir_time_clause(const struct state *st, struct found *f)
{
    const char *p = st->p;
    size_t prev = st->prev_cs, cs = st->cs;
    if (f->clause != cs || cs <= prev || cs - prev > 120) return;
    size_t to = prev + intake_text_trim_marks(p + prev, cs - prev), from = prev;
    while (from < to && p[from] == ' ')
        from++;
    if (intake_subject_is_time_word(p, from, to)) f->clause = f->start = from;
    if (to - from > 9 && intake_text_has(p, to, from, "由") &&
        (intake_text_ends(p + from, to - from, "牵头") ||
         intake_text_ends(p + from, to - from, "负责")) &&
        intake_directive_unit_list(p + from + 3, to - from - 9, NULL, NULL))
        f->clause = f->start = from;
}

static void dir_marker(struct scan *sc, struct state *st, size_t m, size_t body)
{
    struct found f = {0};
    if (!dir_subject(st, m, &f)) return;
    if (body == m + 3 && dir_yao_conditional(st, m)) return;
    f.body = body;
    if (f.start == f.clause) dir_time_clause(st, &f);
    dir_push(sc, st, &f);
}

/* "由市督查室牵头…", "由X负责…" at byte m (the 牵头 or 负责): a directive
 * when its clause starts with 由 and a list of units. */
static void dir_assigned(struct scan *sc, struct state *st, size_t m)
{
    const char *p = st->p;
    struct intake_span t = intake_text_trim(p + st->cs, m - st->cs);
    size_t from = st->cs + t.start;
    intake_subject_skip(p, &from, m, 0);
    if (!intake_text_has(p, m, from, "由") || m - from <= 3 || m - from > 120 ||
        !intake_directive_unit_list(p + from + 3, m - from - 3, NULL, NULL))
        return;
    uint32_t after = intake_text_at(p, st->len, m + 6);
    if (after == 0 || intake_text_is_clause_mark(after))
        return; /* "由X牵头，要…": a lead-in of the next directive */
    struct found f = {st->cs + t.start, from, m + 6, from + 3, m, 1};
    dir_push(sc, st, &f);
}

/* A clause after an imperative cue (or after ； in its sentence) is a
 * directive unless it opens a condition or concession (只要…, 如果…). */
static void dir_cue_clause(struct scan *sc, struct state *st, size_t at)
{
    static const char *const not_heads[] = {"只要", "如果", "虽然", "尽管", "由于",
                                            "因为", "需要", "但",   "只有", NULL};
    size_t from = at;
    while (from < st->len && st->p[from] == ' ')
        from++;
    for (int k = 0; not_heads[k]; k++)
        if (intake_text_has(st->p, st->len, from, not_heads[k])) return;
    dir_push_part(sc, st, at);
}

/* What the clause s[cs..i) is as a cue: 1 for 会议要求 (every ；-part after it
 * is a directive), 2 for X强调 (actions after it are), 3 for X指出 (a remark:
 * topics may be subjects), 0 for no cue.  The one who speaks is 会议, 会上,
 * a short name or 他, or "X在讲话时", "X听取发言后". */
static int dir_cue_kind(const struct state *st, size_t i)
{
    static const char *const fillers[] = {"同时", "进一步", "还", "并", "也", "最后", "再次", NULL};
    static const char *const bad[] = {"按照", "根据", "部署", "落实", "工作", "的", NULL};
    static const char *const when[] = {"时", "中", "上", "后", NULL};
    const char *s = st->p;
    struct intake_span t = intake_text_trim(s + st->cs, i - st->cs);
    size_t from = st->cs + t.start, to = st->cs + t.end, n;
    int kind = 0;
    if ((n = (size_t)dir_ends_any(s, from, to, &w_enumerate)))
        kind = 1;
    else if ((n = (size_t)dir_ends_any(s, from, to, &w_imperative)))
        kind = 2;
    else if ((n = (size_t)dir_ends_any(s, from, to, &w_remark)))
        kind = 3;
    if (!kind || to - from > 60) return 0;
    to -= n;
    for (int again = 1; again;) {
        again = 0;
        for (int k = 0; fillers[k]; k++)
            if (intake_text_ends(s + from, to - from, fillers[k]))
                to -= strlen(fillers[k]), again = 1;
    }
    if (to == from) return 0;
    if (intake_text_has(s, to, from, "会议") || intake_text_has(s, to, from, "会上"))
        return to - from == 6 ? kind : 0;
    size_t chars = 0;
    for (size_t k = from; k < to; chars++) {
        uint32_t cp;
        k = intake_text_next(s, to, k, &cp);
        if (!intake_text_is_han(cp)) return 0;
    }
    for (int k = 0; bad[k]; k++)
        if (intake_text_find(s, to, from, bad[k]) != (size_t)-1) return 0;
    int late = 0;
    for (int k = 0; when[k]; k++)
        late |= intake_text_ends(s + from, to - from, when[k]);
    return chars <= 4 || (chars <= 14 && late) ? kind : 0;
}

/* "会议要求各部门务必…", "…，要求各责任单位…": 要求 at byte i opens a
 * directive in its own clause when only the one who asks stands before it. */
static void dir_inline_cue(struct scan *sc, struct state *st, size_t i)
{
    static const char *const fillers[] = {"同时", "并", "还", "也", "会议", "会上", NULL};
    const char *p = st->p;
    uint32_t after = intake_text_at(p, st->len, i + 6);
    if (!after || intake_text_is_clause_mark(after) || after == 0x3001 || i - st->cs > 60) return;
    size_t from = st->cs, n = 0;
    while (from < i && p[from] == ' ')
        from++;
    for (int again = 1; again;) {
        again = 0;
        for (int k = 0; fillers[k]; k++)
            if (intake_text_has(p, i, from, fillers[k])) from += strlen(fillers[k]), again = 1;
    }
    for (size_t k = from; k < i && n <= 4; n++) {
        uint32_t cp;
        k = intake_text_next(p, i, k, &cp);
        if (!intake_text_is_han(cp)) return;
    }
    if (n > 4 && !intake_text_ends(p + from, i - from, "会")) return;
    st->cued = st->imperative = st->enumerate = 1;
    dir_push_part(sc, st, i + 6);
}

/* A sentence starts at byte at: a remark ends the passage; in an imperative
 * passage a sentence opening with an action is a directive. */
static void dir_sentence(struct scan *sc, struct state *st, size_t at)
{
    size_t from = at;
    st->prev_cs = st->cs = st->part = at;
    st->part_dir = st->sent_dir = st->enumerate = 0;
    while (from < st->len && st->p[from] == ' ')
        from++;
    if (dir_has_any(st->p, st->len, from, &w_remarks)) {
        st->imperative = 0;
        return;
    }
    if (st->imperative && intake_subject_action(st->p, st->len, from)) dir_push_part(sc, st, from);
}

/* A ；-part starts at byte at. */
static void dir_semicolon(struct scan *sc, struct state *st, size_t at)
{
    int had = st->part_dir || st->sent_dir;
    dir_push_pos(&sc->semis, &sc->n_semis, &sc->cap_semis, at);
    st->part = at;
    st->part_dir = 0;
    if (st->depth) return;
    if (st->enumerate)
        dir_cue_clause(sc, st, at);
    else if (st->imperative && had && intake_subject_action(st->p, st->len, at))
        dir_push_part(sc, st, at);
}

/* A clause mark (，：) at byte i, the next clause at byte at. */
static void dir_clause(struct scan *sc, struct state *st, size_t i, size_t at)
{
    int kind = st->depth ? 0 : dir_cue_kind(st, i);
    st->prev_cs = st->cs;
    st->cs = at;
    if (kind == 1) {
        st->cued = st->imperative = st->enumerate = 1;
        dir_cue_clause(sc, st, at);
    } else if (kind == 2) {
        st->cued = st->imperative = 1;
        if (intake_subject_action(st->p, st->len, at)) dir_push_part(sc, st, at);
    } else if (kind == 3) {
        st->cued = 1;
        st->imperative = 0;
    }
}

/* A marker character at byte i (its next character at n). */
static void dir_char(struct scan *sc, struct state *st, uint32_t cp, size_t i, size_t n)
{
    const char *p = st->p;
    size_t len = st->len;
    if (cp == 0x8981) { /* 要 */
        if (intake_text_has(p, len, n, "求")) {
            dir_inline_cue(sc, st, i);
            return;
        }
        if (dir_has_any(p, len, n, &w_yao_words)) return;
        if (!intake_subject_yao_word(p, len, i)) dir_marker(sc, st, i, n);
    } else if (cp == 0x52A1 && intake_text_has(p, len, i, "务必")) {
        dir_marker(sc, st, i, i + 6);
    } else if (cp == 0x5FC5 && intake_text_has(p, len, i, "必须") &&
               !intake_text_has(p, len, i + 6, "要")) {
        dir_marker(sc, st, i, i + 6);
    } else if ((cp == 0x7275 || cp == 0x8D1F) &&
               (intake_text_has(p, len, i, "牵头") || intake_text_has(p, len, i, "负责"))) {
        dir_assigned(sc, st, i);
    }
}

/* Find directive starts and sentence ends in p[0..len). */
static void dir_scan(const char *p, size_t len, struct scan *sc)
{
    struct state st = {0};
    pthread_once(&words_once, words_init);
    st.p = p;
    st.len = len;
    dir_sentence(sc, &st, 0);
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = intake_text_next(p, len, i, &cp);
        if (cp == 0x201C) {
            st.depth++;
        } else if (cp == 0x201D) {
            st.depth -= st.depth > 0;
        } else if (intake_text_is_sentence_mark(cp)) {
            if (st.depth == 0 || intake_text_at(p, len, n) != 0x201D) {
                st.depth = 0;
                dir_push_pos(&sc->ends, &sc->n_ends, &sc->cap_ends, i);
                dir_sentence(sc, &st, n);
            } else {
                st.prev_cs = st.cs = n;
            }
        } else if (cp == 0xFF1B || cp == ';') {
            st.prev_cs = st.cs;
            st.cs = n;
            dir_semicolon(sc, &st, n);
        } else if (intake_text_is_clause_mark(cp)) {
            dir_clause(sc, &st, i, n);
        } else if (st.depth == 0) {
            dir_char(sc, &st, cp, i, n);
        }
        i = n;
    }
}

/* Clauses between a ； and the next directive lead into that directive
 * ("…；对D类企业，要实行…"): move its start back to just after the ；. */
static void dir_lead_ins(const char *p, struct scan *sc)
{
    size_t j = 0, e = 0;
    for (size_t k = 1; k < sc->n; k++) {
        struct found *f = &sc->v[k];
        size_t last = (size_t)-1;
        while (j < sc->n_semis && sc->semis[j] < f->clause) {
            if (sc->semis[j] > sc->v[k - 1].start) last = sc->semis[j];
            j++;
        }
        if (last == (size_t)-1 || last >= f->clause) continue;
        while (e < sc->n_ends && sc->ends[e] < last)
            e++;
        if (e < sc->n_ends && sc->ends[e] < f->clause)
            continue; /* a sentence ends in between: not a lead-in */
        f->clause = f->start = last;
        while (p[f->start] == ' ')
            f->start++;
    }
}

/* Set each directive's end: the next directive or the end of its sentence,
 * without closing marks.  Directives shorter than 4 characters are dropped. */
static void dir_finish(const char *p, size_t len, struct scan *sc)
{
    size_t j = 0, kept = 0;
    dir_lead_ins(p, sc);
    sc->dend = xrealloc(sc->dend, (sc->n + 1) * sizeof *sc->dend);
    for (size_t k = 0; k < sc->n; k++) {
        struct found f = sc->v[k];
        while (j < sc->n_ends && sc->ends[j] < f.start)
            j++;
        size_t e = j < sc->n_ends ? sc->ends[j] : len;
        if (k + 1 < sc->n) {
            const struct found *g = &sc->v[k + 1];
            size_t lim = g->clause > f.start ? g->clause : g->start;
            e = lim < e ? lim : e;
        }
        struct intake_span t = intake_text_trim(p + f.start, e - f.start);
        f.start += t.start;
        e = f.start + intake_text_trim_marks(p + f.start, t.end - t.start);
        if (f.body > e) f.body = e;
        f.subj_end = e < f.subj_end ? e : f.subj_end;
        if (intake_text_count(p + f.start, e - f.start) >= 4) {
            f.subj_start = f.subj_start < f.start ? f.start : f.subj_start;
            sc->v[kept] = f;
            sc->v[kept].body = f.body < f.start ? f.start : f.body;
            sc->dend[kept] = e;
            kept++;
        }
    }
    sc->n = kept;
}

size_t intake_directive_spans(const char *p, size_t len, struct intake_span **spans, size_t *n)
{
    struct scan sc = {0};
    dir_scan(p, len, &sc);
    dir_finish(p, len, &sc);
    *spans = xrealloc(*spans, (*n + sc.n + 1) * sizeof **spans);
    for (size_t k = 0; k < sc.n; k++)
        (*spans)[(*n)++] = (struct intake_span){sc.v[k].start, sc.dend[k]};
    free(sc.v);
    free(sc.ends);
    free(sc.dend);
    free(sc.semis);
    return sc.n;
}

void intake_directive_subject_units(const char *d, size_t len, char ***units, size_t *n)
{
    struct scan sc = {0};
    dir_scan(d, len, &sc);
    if (sc.n > 0 && sc.v[0].subj_end > sc.v[0].subj_start)
        intake_directive_unit_list(d + sc.v[0].subj_start, sc.v[0].subj_end - sc.v[0].subj_start,
                                   units, n);
    free(sc.v);
    free(sc.ends);
    free(sc.dend);
    free(sc.semis);
}

/* The first clause of the directive from its body: its topic. */
static char *dir_topic(const char *p, size_t body, size_t end)
{
    size_t i = body;
    while (i < end) {
        uint32_t cp;
        size_t n = intake_text_next(p, end, i, &cp);
        if (intake_text_is_clause_mark(cp)) break;
        i = n;
    }
    struct intake_span t = intake_text_trim(p + body, i - body);
    return xstrndup(p + body + t.start, t.end - t.start);
}

/* The title of directive f ending at e (title.c), else topic. */
static char *dir_title(const char *p, const struct found *f, size_t e, const char *topic)
{
    struct intake_title_at t = {f->body, e, f->subj_start, f->subj_end, f->marker, 0};
    t.topic = f->marker && f->subj_end > f->subj_start &&
              intake_subject_of(p, f->subj_start, f->subj_end, 1) == INTAKE_SUBJECT_TOPIC;
    char *title = intake_title_make(p, &t);
    return title ? title : xstrdup(topic);
}

/* The first lexicon verb of each clause of p[body..end), without repeats. */
static void dir_verbs_of(const char *p, size_t body, size_t end, struct intake_directive *d)
{
    int found = 0;
    for (size_t i = body; i < end && d->n_verbs < 16;) {
        uint32_t cp;
        size_t n = intake_text_next(p, end, i, &cp);
        if (intake_text_is_clause_mark(cp) || cp == 0x3001 /* 、 */) {
            found = 0;
        } else if (!found && intake_subject_is_verb(p, end, i)) {
            size_t k;
            for (k = 0; k < d->n_verbs; k++)
                if (memcmp(d->verbs[k], p + i, 6) == 0) break;
            if (k == d->n_verbs) intake_strv_push(&d->verbs, &d->n_verbs, p + i, 6);
            found = 1;
        }
        i = n;
    }
}

static struct intake_directive *dir_new(struct intake_result *r, size_t *cap)
{
    if (r->n_directives == *cap) {
        *cap = *cap ? *cap * 2 : 16;
        r->directives = xrealloc(r->directives, *cap * sizeof *r->directives);
    }
    struct intake_directive *d = &r->directives[r->n_directives++];
    memset(d, 0, sizeof *d);
    return d;
}

/* Turn the directives found in paragraph pi into result entries. */
static void dir_emit(struct intake_result *r, size_t *cap, size_t pi, const struct scan *sc,
                     const int *meeting_of)
{
    const struct intake_paragraph *para = &r->paragraphs[pi];
    const char *p = para->text;
    size_t cps = para->start, at = 0;
    for (size_t k = 0; k < sc->n; k++) {
        const struct found *f = &sc->v[k];
        size_t e = sc->dend[k];
        struct intake_directive *d = dir_new(r, cap);
        cps += intake_text_count(p + at, f->start - at);
        at = f->start;
        d->text = xstrndup(p + f->start, e - f->start);
        d->paragraph = pi;
        d->start = cps;
        d->end = cps + intake_text_count(p + f->start, e - f->start);
        d->topic = dir_topic(p, f->body, e);
        if (!d->topic[0]) {
            free(d->topic);
            d->topic = xstrdup(d->text);
        }
        d->title = dir_title(p, f, e, d->topic);
        dir_verbs_of(p, f->body, e, d);
        if (f->subj_end > f->subj_start)
            intake_directive_unit_list(p + f->subj_start, f->subj_end - f->subj_start, &d->units,
                                       &d->n_units);
        d->article = para->article;
        d->meeting = para->article >= 0 ? meeting_of[para->article] : -1;
    }
}

void intake_directives_find(struct intake_result *r)
{
    struct scan sc = {0};
    size_t cap = 0;
    int *meeting_of = xmalloc((r->n_articles + 1) * sizeof *meeting_of);
    for (size_t i = 0; i < r->n_articles; i++)
        meeting_of[i] = -1;
    for (size_t i = r->n_meetings; i-- > 0;)
        if (r->meetings[i].article >= 0) meeting_of[r->meetings[i].article] = (int)i;
    for (size_t i = 0; i < r->n_paragraphs; i++) {
        const struct intake_paragraph *para = &r->paragraphs[i];
        if (para->kind == INTAKE_PARA_HEADLINE) continue;
        sc.n = sc.n_ends = sc.n_semis = 0;
        dir_scan(para->text, para->len, &sc);
        dir_finish(para->text, para->len, &sc);
        dir_emit(r, &cap, i, &sc, meeting_of);
    }
    free(sc.v);
    free(sc.ends);
    free(sc.dend);
    free(sc.semis);
    free(meeting_of);
}
