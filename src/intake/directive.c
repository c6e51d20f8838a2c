/* directive.c — stage 4 of intake: directives, the decisions to carry out.
 *
 * In a Chinese meeting report the decisions are the 要 clauses: "要强化责任
 * 落实，…；要强化标本兼治，…；" in a leader's speech or under 会议指出/强调,
 * and the subject forms "各级各部门要…", "全市上下要…", "市委组织部、市委党校
 * 要…".  A 要 starts a directive only when what stands between the start of
 * its clause and the 要 is nothing, a connective (下步, 同时, 特别是, 一是 …),
 * an adverb (都, 也, 必须 …), a collective (各级各部门, 全市上下, 相关部门 …)
 * or a list of units (names ending in 部, 局, 委, 办, 校, 中心, 专班 …).  That
 * one rule rejects 需要, 重要, 主要, 只要 and "向低效要空间"; the words 要求,
 * 要素, 要点 … are rejected by the character after 要.  Clauses after an
 * imperative cue (会议要求，/会议决定，) are directives too, one per ；.
 * A directive runs to the next directive or the end of its sentence.
 *
 * For each directive this file also records its topic (its first clause
 * without subject and 要), its verbs (the first action verb of each clause,
 * from a fixed lexicon) and the units its subject names.  Suggesting units
 * from keywords, deadlines and kinds is suggest.c's job. */
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

/* Action verbs, sorted by their UTF-8 bytes (a test checks the order). */
static const char *const dir_verbs[] = {
    "严查", "严防", "争取", "优化", "传导", "传承", "传达", "作出", "促进", "保护", "保持", "保障",
    "修订", "倒逼", "倾听", "做优", "做到", "做大", "做好", "做实", "做强", "做细", "健全", "减少",
    "凝聚", "出台", "分解", "利用", "制定", "制订", "办理", "办结", "加大", "加强", "加快", "加速",
    "化解", "协调", "印发", "压实", "压紧", "压降", "参与", "反馈", "发布", "发挥", "听取", "吸引",
    "回应", "围绕", "坚守", "坚持", "培育", "增强", "处置", "复盘", "夯实", "学习", "守住", "守牢",
    "完善", "完成", "实施", "实现", "实行", "宣传", "对接", "对标", "履行", "巩固", "布局", "带动",
    "帮助", "建立", "建设", "开展", "引入", "引育", "引进", "弘扬", "强化", "形成", "征求", "成立",
    "打下", "打响", "打通", "打造", "扛牢", "扛起", "执行", "扩大", "把握", "把牢", "抓好", "抓实",
    "抓紧", "抓细", "担起", "拓展", "招引", "指导", "排摸", "排查", "探索", "推动", "推广", "推行",
    "推进", "提供", "提升", "提醒", "提高", "摸排", "摸清", "擦亮", "收储", "改善", "改造", "攻关",
    "放大", "整合", "整改", "整治", "整顿", "明确", "杜绝", "构建", "查清", "树立", "核查", "梳理",
    "检查", "汇聚", "汇集", "治理", "消除", "涵养", "深化", "深挖", "清理", "满足", "激发", "牵头",
    "用好", "申报", "留住", "监督", "监管", "盘活", "着眼", "督促", "研判", "研究", "破解", "确保",
    "突出", "突破", "立足", "筑牢", "答复", "管好", "管控", "约谈", "组建", "组织", "细化", "细排",
    "统筹", "维护", "绷紧", "编制", "考核", "聚合", "聚焦", "腾退", "营造", "落地", "落实", "落细",
    "融合", "衔接", "补强", "规范", "解决", "解答", "解读", "认识", "设立", "评价", "评估", "调研",
    "谋划", "谋深", "负责", "贡献", "贯彻", "赢得", "走访", "跟踪", "转化", "达到", "运用", "追责",
    "通报", "配合", "问责", "防控", "防范", "降低", "预警",
};

#define DIR_NVERBS (sizeof dir_verbs / sizeof dir_verbs[0])

static int dir_unit_list(const char *s, size_t len, char ***units, size_t *n);

/* Words before a subject that are not part of it: the directive starts after them. */
static const char *const dir_connectives[] = {
    "特别是", "尤其是", "同时",   "下一步", "下步", "今后", "当前",     "首先",     "其次",
    "再次",   "最后",   "此外",   "另外",   "因此", "为此", "另一方面", "一方面",   "一是",
    "二是",   "三是",   "四是",   "五是",   "六是", "七是", "八是",     "九是",     "十是",
    "关键是", "重点是", "核心是", "并且",   "而且", "总之", "接下来",   "下一阶段", "下阶段",
    "并",     "还",     "更",     "也",     "又",   "既",   NULL};
/* Time words before a subject: kept in the directive's text (they set deadlines). */
static const char *const dir_time_words[] = {"近期",   "今年",   "年内", "本月",
                                             "下半年", "上半年", NULL};
/* Adverbs between a subject and 要. */
static const char *const dir_adverbs[] = {"必须", "一定", "务必", "切实", "首先",   "始终", "同样",
                                          "更加", "尤其", "特别", "坚决", "进一步", "还是", "仍然",
                                          "继续", "都",   "也",   "还",   "更",     "就",   "则",
                                          "均",   "既",   "又",   "仍",   NULL};
static const char *const dir_collective_heads[] = {
    "各",   "全市", "全县", "全区", "全省", "全镇", "全体",     "相关",
    "有关", "广大", "我们", "大家", "我市", "党员", "领导干部", NULL};
static const char *const dir_collective_tails[] = {"干部", "部门", "单位", "上下",   "同志",
                                                   "党委", "政府", "群众", "负责人", NULL};
static const char *const dir_unit_tails[] = {
    "部",   "局",   "委",   "办", "室", "校", "院", "中心", "指挥部", "专班", "公司", "集团",
    "镇",   "乡",   "街道", "所", "队", "厅", "处", "科",   "站",     "政府", "党委", "党组",
    "企业", "单位", "部门", "组", "会", "社", "馆", "区",   "园",     NULL};
/* Characters after 要 that make it part of another word (要求, 要素, 要点 …). */
static const char *const dir_yao_words[] = {"求", "素", "点", "闻",   "害",   "件", "案",
                                            "塞", "员", "职", "领",   "义",   "旨", "诀",
                                            "冲", "么", "是", "不然", "不是", NULL};
/* Imperative cues ending a clause: "会议要求，…". */
static const char *const dir_cues[] = {"要求", "决定", "明确", "号召", NULL};
static const char *const dir_ordinals = "一二三四五六七八九十";

int intake_directive_unit_list(const char *s, size_t len, char ***units, size_t *n)
{
    return len > 0 && dir_unit_list(s, len, units, n);
}

const char *const *intake_directive_verbs(size_t *n)
{
    *n = DIR_NVERBS;
    return dir_verbs;
}

/* Six bytes as a big-endian number: the same order as memcmp's. */
static uint64_t dir_key6(const char *s)
{
    uint64_t k = 0;
    for (int j = 0; j < 6; j++)
        k = k << 8 | (unsigned char)s[j];
    return k;
}

/* The verbs as numbers (sorted as the table is), made once: the test runs at
 * every character of every directive, and integer compares beat memcmp calls. */
static uint64_t dir_verb_keys[DIR_NVERBS];
static pthread_once_t dir_verb_once = PTHREAD_ONCE_INIT;

static void dir_verb_keys_make(void)
{
    for (size_t k = 0; k < DIR_NVERBS; k++)
        dir_verb_keys[k] = dir_key6(dir_verbs[k]);
}

static int dir_is_verb(const char *s, size_t len, size_t i)
{
    size_t lo = 0, hi = DIR_NVERBS;
    if (len - i < 6) return 0;
    pthread_once(&dir_verb_once, dir_verb_keys_make);
    uint64_t key = dir_key6(s + i);
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (dir_verb_keys[mid] == key) return 1;
        if (dir_verb_keys[mid] < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

/* If s[*from..to) starts with a word of list, skip it and return 1. */
static int dir_skip_head(const char *s, size_t *from, size_t to, const char *const *list)
{
    for (int k = 0; list[k]; k++) {
        if (intake_text_has(s, to, *from, list[k])) {
            *from += strlen(list[k]);
            return 1;
        }
    }
    return 0;
}

/* If s[from..*to) ends with a word of list, drop it and return 1. */
static int dir_drop_tail(const char *s, size_t from, size_t *to, const char *const *list)
{
    for (int k = 0; list[k]; k++) {
        size_t n = strlen(list[k]);
        if (*to - from >= n && memcmp(s + *to - n, list[k], n) == 0) {
            *to -= n;
            return 1;
        }
    }
    return 0;
}

static int dir_ends_with_any(const char *s, size_t len, const char *const *list)
{
    size_t to = len;
    return dir_drop_tail(s, 0, &to, list);
}

static int dir_is_collective(const char *s, size_t len)
{
    if (len == 0 || intake_text_count(s, len) > 16) return 0;
    size_t from = 0;
    return dir_skip_head(s, &from, len, dir_collective_heads) ||
           dir_ends_with_any(s, len, dir_collective_tails);
}

/* 1 when s[0..len) reads as one unit's name: 2..20 Han characters or digits
 * ending in a unit word. */
static int dir_is_unit(const char *s, size_t len)
{
    size_t n = 0, i = 0;
    while (i < len) {
        uint32_t cp;
        i = intake_text_next(s, len, i, &cp);
        if (!intake_text_is_han(cp) && !(cp >= '0' && cp <= '9') && cp != 0xFF08 && cp != 0xFF09)
            return 0;
        n++;
    }
    return n >= 2 && n <= 20 && dir_ends_with_any(s, len, dir_unit_tails);
}

/* 1 when s[0..len) is a list of units and collectives ("市委组织部、市委党校",
 * "经信局和自然资源和规划局", "市应急管理局和相关部门"), else 0.  With units
 * != NULL (and a list), the parts that are units and not collectives are
 * pushed there as malloc'd strings. */
static int dir_unit_list(const char *s, size_t len, char ***units, size_t *n)
{
    static const char *const joins[] = {"以及", "和", "及", "与", NULL};
    for (int pass = 0; pass < (units ? 2 : 1); pass++) {
        for (size_t a = 0; a < len;) {
            size_t b = intake_text_find(s, len, a, "、");
            b = b == (size_t)-1 ? len : b;
            for (size_t x = a; x < b;) {
                size_t cut = (size_t)-1, jl = 0;
                for (int k = 0; joins[k] && cut == (size_t)-1; k++) {
                    size_t at = intake_text_find(s, b, x, joins[k]);
                    if (at != (size_t)-1 && dir_is_unit(s + x, at - x))
                        cut = at, jl = strlen(joins[k]);
                }
                size_t y = cut == (size_t)-1 ? b : cut;
                int collective = dir_is_collective(s + x, y - x);
                if (!collective && !dir_is_unit(s + x, y - x)) return 0;
                if (pass && !collective) intake_strv_push(units, n, s + x, y - x);
                x = cut == (size_t)-1 ? b : cut + jl;
            }
            a = b + 3;
        }
    }
    return 1;
}

/* Decide whether the marker (要 or 必须) at byte m, whose clause starts at cs,
 * begins a directive; if so, record it with its body starting at body. */
static int dir_subject(const char *p, size_t cs, size_t m, struct found *f)
{
    struct intake_span t = intake_text_trim(p + cs, m - cs);
    size_t start = cs + t.start, from = start, to = cs + t.end;
    for (int again = 1; again;) {
        again = 0;
        if (dir_skip_head(p, &from, to, dir_connectives)) {
            start = from;
            again = 1;
        } else if (dir_skip_head(p, &from, to, dir_time_words)) {
            again = 1;
        }
        while (from < to && p[from] == ' ')
            start = ++from;
    }
    while (dir_drop_tail(p, from, &to, dir_adverbs))
        ;
    f->clause = cs + t.start;
    f->start = start;
    f->subj_start = from;
    f->subj_end = to;
    if (from == to) return 1;
    if (to - from == 3 && memmem(dir_ordinals, strlen(dir_ordinals), p + from, 3)) return 1;
    return dir_is_collective(p + from, to - from) || dir_unit_list(p + from, to - from, NULL, NULL);
}

/* 1 when the clause s[cs..i) is an imperative cue such as 会议要求 or 他要求. */
static int dir_is_cue(const char *s, size_t cs, size_t i)
{
    static const char *const fillers[] = {"同时", "进一步", "还", "并", "也", "最后", NULL};
    static const char *const bad[] = {"按照", "根据", "部署", "落实", "工作", "的", NULL};
    struct intake_span t = intake_text_trim(s + cs, i - cs);
    size_t from = cs + t.start, to = cs + t.end;
    if (!dir_drop_tail(s, from, &to, dir_cues)) return 0;
    while (dir_drop_tail(s, from, &to, fillers))
        ;
    if (to == from) return 0;
    if (intake_text_has(s, to, from, "会议") || intake_text_has(s, to, from, "会上"))
        return to - from == 6;
    size_t n = 0;
    for (size_t k = from; k < to; n++) {
        uint32_t cp;
        k = intake_text_next(s, to, k, &cp);
        if (!intake_text_is_han(cp)) return 0;
    }
    for (int k = 0; bad[k]; k++)
        if (intake_text_find(s, to, from, bad[k]) != (size_t)-1) return 0;
    return n <= 4;
}

static void dir_push(struct scan *sc, const struct found *f)
{
    if (sc->n > 0 && sc->v[sc->n - 1].start >= f->start) {
        if (sc->v[sc->n - 1].start == f->start) sc->v[sc->n - 1] = *f;
        return;
    }
    if (sc->n == sc->cap) {
        sc->cap = sc->cap ? sc->cap * 2 : 16;
        sc->v = xrealloc(sc->v, sc->cap * sizeof *sc->v);
    }
    sc->v[sc->n++] = *f;
}

static void dir_push_pos(size_t **v, size_t *n, size_t *cap, size_t at)
{
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 16;
        *v = xrealloc(*v, *cap * sizeof **v);
    }
    (*v)[(*n)++] = at;
}

static void dir_push_end(struct scan *sc, size_t at)
{
    dir_push_pos(&sc->ends, &sc->n_ends, &sc->cap_ends, at);
}

/* The clause before a directive belongs to it when it is only a time word
 * ("近期，要…": it sets the deadline) or only "由X牵头" ("由市经信局牵头，
 * 要…": it names the unit). */
static void dir_time_clause(const char *p, size_t prev_cs, size_t cs, struct found *f)
{
    if (f->clause != cs || cs <= prev_cs) return;
    size_t to = prev_cs + intake_text_trim_marks(p + prev_cs, cs - prev_cs), from = prev_cs;
    while (from < to && p[from] == ' ')
        from++;
    for (int k = 0; dir_time_words[k]; k++)
        if (to - from == strlen(dir_time_words[k]) &&
            intake_text_has(p, to, from, dir_time_words[k]))
            f->clause = f->start = from;
    if (to - from > 9 && intake_text_has(p, to, from, "由") &&
        (intake_text_ends(p + from, to - from, "牵头") ||
         intake_text_ends(p + from, to - from, "负责")) &&
        dir_unit_list(p + from + 3, to - from - 9, NULL, NULL))
        f->clause = f->start = from;
}

static void dir_marker(struct scan *sc, const char *p, size_t prev_cs, size_t cs, size_t m,
                       size_t body)
{
    struct found f = {0};
    if (dir_subject(p, cs, m, &f)) {
        f.body = body;
        if (f.start == f.clause) dir_time_clause(p, prev_cs, cs, &f);
        dir_push(sc, &f);
    }
}

/* "由市督查室牵头…", "由X负责…" at byte m (the 牵头 or 负责): a directive
 * when its clause starts with 由 and a list of units. */
static void dir_assigned(struct scan *sc, const char *p, size_t len, size_t cs, size_t m)
{
    struct intake_span t = intake_text_trim(p + cs, m - cs);
    size_t from = cs + t.start;
    while (dir_skip_head(p, &from, m, dir_connectives))
        ;
    if (!intake_text_has(p, m, from, "由") || m - from <= 3 ||
        !dir_unit_list(p + from + 3, m - from - 3, NULL, NULL))
        return;
    uint32_t after = intake_text_at(p, len, m + 6);
    if (after == 0 || intake_text_is_clause_mark(after))
        return; /* "由X牵头，要…": a lead-in of the next directive */
    struct found f = {cs + t.start, from, m + 6, from + 3, m};
    dir_push(sc, &f);
}

/* A clause after an imperative cue (or after ； in its sentence) is a
 * directive unless it opens a condition or concession (只要…, 如果…). */
static void dir_cue_clause(struct scan *sc, const char *p, size_t len, size_t at)
{
    static const char *const not_heads[] = {"只要", "如果", "虽然", "尽管", "由于",
                                            "因为", "需要", "但",   "只有", NULL};
    size_t from = at;
    while (from < len && p[from] == ' ')
        from++;
    if (dir_skip_head(p, &from, len, not_heads)) return;
    struct found f = {at, at, at, at, at};
    dir_push(sc, &f);
}

/* Find directive starts and sentence ends in p[0..len). */
static void dir_scan(const char *p, size_t len, struct scan *sc)
{
    size_t cs = 0, prev_cs = 0, i = 0;
    int depth = 0, enumerate = 0;
    while (i < len) {
        uint32_t cp;
        size_t n = intake_text_next(p, len, i, &cp);
        if (cp == 0x201C) {
            depth++;
        } else if (cp == 0x201D) {
            depth -= depth > 0;
        } else if (intake_text_is_sentence_mark(cp)) {
            if (depth == 0 || intake_text_at(p, len, n) != 0x201D) {
                depth = enumerate = 0;
                dir_push_end(sc, i);
            }
            prev_cs = cs = n;
        } else if (intake_text_is_clause_mark(cp)) {
            int semi = cp == 0xFF1B || cp == ';';
            if (semi) dir_push_pos(&sc->semis, &sc->n_semis, &sc->cap_semis, n);
            if (depth == 0 && !semi && dir_is_cue(p, cs, i)) {
                dir_cue_clause(sc, p, len, n);
                enumerate = 1;
            } else if (depth == 0 && enumerate && semi) {
                dir_cue_clause(sc, p, len, n);
            }
            prev_cs = cs;
            cs = n;
        } else if (depth == 0 && cp == 0x8981 /* 要 */) {
            size_t k;
            for (k = 0; dir_yao_words[k]; k++)
                if (intake_text_has(p, len, n, dir_yao_words[k])) break;
            if (!dir_yao_words[k]) dir_marker(sc, p, prev_cs, cs, i, n);
        } else if (depth == 0 && cp == 0x5FC5 /* 必 */ && intake_text_has(p, len, i, "必须") &&
                   !intake_text_has(p, len, i + 6, "要")) {
            dir_marker(sc, p, prev_cs, cs, i, i + 6);
        } else if (depth == 0 && (cp == 0x7275 || cp == 0x8D1F) /* 牵 负 */ &&
                   (intake_text_has(p, len, i, "牵头") || intake_text_has(p, len, i, "负责"))) {
            dir_assigned(sc, p, len, cs, i);
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
        dir_unit_list(d + sc.v[0].subj_start, sc.v[0].subj_end - sc.v[0].subj_start, units, n);
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

/* The first lexicon verb of each clause of p[body..end), without repeats. */
static void dir_verbs_of(const char *p, size_t body, size_t end, struct intake_directive *d)
{
    int found = 0;
    for (size_t i = body; i < end && d->n_verbs < 16;) {
        uint32_t cp;
        size_t n = intake_text_next(p, end, i, &cp);
        if (intake_text_is_clause_mark(cp) || cp == 0x3001 /* 、 */) {
            found = 0;
        } else if (!found && dir_is_verb(p, end, i)) {
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
        dir_verbs_of(p, f->body, e, d);
        if (f->subj_end > f->subj_start)
            dir_unit_list(p + f->subj_start, f->subj_end - f->subj_start, &d->units, &d->n_units);
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
