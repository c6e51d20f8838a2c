/* subject.c — who and what a directive's clause names, for directive.c: the
 * subject before 要/务必/必须 and whether a clause opens with an action.
 *
 * A subject is a list of units (市委组织部、市委党校; 东岭县和西河县), a
 * collective (各级各部门, 全市上下, 市防指各成员单位, 各级宣传部门), or, inside
 * a passage of directives, a topic (核心指标, 老旧小区改造, 市级领导, 一季度):
 * a short noun phrase that is no clause of its own — it opens with no
 * preposition (向低效要空间), holds no 是/有 or condition, does not end in 的,
 * and stops before the 需/重/主/只 of 需要, 重要, 主要, 只要.  A clause opens with
 * an action when, after connectives and adverbs (切实, 全力, 坚决 …), it starts
 * with a verb of the lexicon (加快, 狠抓, 坚持 …) or with 以…为 (以空气质量改善
 * 为统领); a short adverbial clause before it (依法依规，着手处置…) belongs to
 * it.  The lexicon also gives each directive its verbs.  Nothing here decides
 * where a directive starts or ends: that is directive.c's. */
#include <pthread.h>
#include <string.h>

#include "intake/internal.h"
#include "util/mem.h"

/* Action verbs, sorted by their UTF-8 bytes (a test checks the order). */
static const char *const dir_verbs[] = {
    "严厉", "严守", "严把", "严控", "严查", "严防", "争取", "优化", "传导", "传承", "传达", "作出",
    "促进", "保护", "保持", "保证", "保障", "修订", "倒排", "倒逼", "倾听", "做优", "做到", "做大",
    "做好", "做实", "做强", "做细", "健全", "兜住", "兜牢", "关注", "减少", "凝聚", "出台", "分解",
    "利用", "制定", "制订", "力争", "办好", "办实", "办理", "办结", "加力", "加大", "加强", "加快",
    "加紧", "加速", "化解", "协调", "印发", "压实", "压紧", "压降", "参与", "反馈", "发布", "发挥",
    "听取", "启动", "吸取", "吸引", "回应", "围绕", "坚守", "坚定", "坚持", "培育", "增强", "处置",
    "复盘", "夯实", "学习", "守住", "守护", "守牢", "完善", "完成", "实施", "实现", "实行", "宣传",
    "对接", "对标", "履行", "巩固", "布局", "带动", "带头", "帮助", "建好", "建成", "建立", "建设",
    "开展", "开辟", "引入", "引导", "引育", "引进", "弘扬", "强化", "形成", "征求", "成立", "打下",
    "打响", "打好", "打赢", "打通", "打造", "扛牢", "扛起", "执行", "扩大", "把握", "把牢", "抓住",
    "抓好", "抓实", "抓牢", "抓紧", "抓细", "担起", "拓宽", "拓展", "招引", "指导", "挖掘", "排摸",
    "排查", "探索", "推出", "推动", "推广", "推行", "推进", "提供", "提升", "提振", "提速", "提醒",
    "提高", "摸排", "摸清", "擦亮", "收储", "改善", "改造", "攻关", "放大", "整合", "整改", "整治",
    "整顿", "明确", "杜绝", "构建", "查清", "树牢", "树立", "核查", "梳理", "检查", "汇聚", "汇集",
    "汲取", "治理", "消除", "涵养", "深化", "深挖", "清理", "满足", "激发", "激活", "牵头", "狠抓",
    "用好", "用足", "申报", "畅通", "留住", "监督", "监管", "盘活", "盯紧", "着手", "着眼", "督促",
    "研判", "研究", "破解", "确保", "稳住", "突出", "突破", "立足", "筑牢", "答复", "管住", "管好",
    "管控", "紧扣", "紧抓", "紧盯", "纠治", "约谈", "组建", "组织", "细化", "细排", "统筹", "维护",
    "绷紧", "编制", "考核", "联系", "聚力", "聚合", "聚焦", "聚集", "腾退", "营造", "落地", "落实",
    "落细", "融合", "衔接", "补强", "补齐", "规范", "解决", "解答", "解读", "认识", "设立", "评价",
    "评估", "调研", "谋划", "谋深", "负责", "贡献", "贯彻", "赢得", "走访", "跟踪", "转化", "达到",
    "运用", "追责", "通报", "配合", "配强", "配齐", "释放", "问责", "防控", "防范", "降低", "预警",
    "鼓励",
};

#define DIR_NVERBS (sizeof dir_verbs / sizeof dir_verbs[0])

/* Words before a subject that are not part of it: the directive starts after them. */
static const char *const connectives[] = {
    "特别是", "尤其是", "同时",   "下一步", "下步", "今后", "当前",     "首先",     "其次",
    "再次",   "最后",   "此外",   "另外",   "因此", "为此", "另一方面", "一方面",   "一是",
    "二是",   "三是",   "四是",   "五是",   "六是", "七是", "八是",     "九是",     "十是",
    "关键是", "重点是", "核心是", "并且",   "而且", "总之", "接下来",   "下一阶段", "下阶段",
    "并",     "还",     "更",     "也",     "又",   "既",   NULL};
/* Time words before a subject: kept in the directive's text (they set deadlines). */
static const char *const time_words[] = {"近期", "今年", "年内", "本月", "下半年", "上半年", NULL};
/* Adverbs between a subject and 要. */
static const char *const adverbs[] = {"必须", "一定", "务必", "切实", "首先",   "始终", "同样",
                                      "更加", "尤其", "特别", "坚决", "进一步", "还是", "仍然",
                                      "继续", "都",   "也",   "还",   "更",     "就",   "则",
                                      "均",   "既",   "又",   "仍",   NULL};
/* Adverbs before an action verb at a clause's start. */
static const char *const lead_adverbs[] = {
    "严格", "认真", "切实", "全力",   "大力",   "着力",   "积极",   "持续", "扎实", "深入",
    "全面", "坚决", "不断", "努力",   "及时",   "主动",   "进一步", "更加", "务必", "必须",
    "重点", "集中", "尽快", "逐步",   "逐项",   "逐一",   "精准",   "依法", "从严", "严肃",
    "科学", "有序", "稳妥", "常态化", "全方位", "高标准", "高质量", "统一", "共同", NULL};
static const char *const collective_heads[] = {
    "各",   "全市", "全县", "全区", "全省", "全州", "全镇", "全体",     "相关", "有关",
    "广大", "我们", "大家", "我市", "我县", "我区", "党员", "领导干部", NULL};
static const char *const collective_tails[] = {"干部", "部门", "单位",   "上下", "同志", "党委",
                                               "政府", "群众", "负责人", "成员", NULL};
static const char *const unit_tails[] = {
    "部",   "局",   "委", "办", "室", "校", "院", "中心", "指挥部", "专班", "公司", "集团", "镇",
    "乡",   "街道", "所", "队", "厅", "处", "科", "站",   "政府",   "党委", "党组", "企业", "单位",
    "部门", "组",   "会", "社", "馆", "区", "园", "县",   "市",     "州",   "联",   "台",   NULL};
/* Unit words that need a name of two characters before them (景区 is no unit). */
static const char *const place_tails[] = {"区", "县", "市", "州", "镇", "乡", "园", NULL};
/* What a topic cannot start with: prepositions and conditions. */
static const char *const topic_bad_heads[] = {
    "向",   "从",   "把", "对",   "给",   "为",   "让", "使", "跟",   "同",   "与",   "和",
    "在",   "于",   "按", "根据", "通过", "如果", "如", "若", "只有", "只要", "虽然", "尽管",
    "由于", "因为", "这", "那",   "就",   "才",   "但", "而", "将",   "已",   "正",   NULL};
/* What a topic cannot hold: a clause's verb or a condition. */
static const char *const topic_bad_words[] = {"是",   "有",   "的话", "如果", "只要", "要是",
                                              "没有", "已经", "正在", "将会", NULL};
/* Characters before 要 that make a word with it (需要, 重要, 主要 …). */
static const char *const yao_before[] = {"需", "重", "主", "只", "想", "将", "快", "总", "不",
                                         "必", "纲", "提", "摘", "概", "机", "首", "简", "险",
                                         "显", "索", "扼", "次", "紧", "政", "若", NULL};
static const char *const ordinals = "一二三四五六七八九十";

/* ---- the verb lexicon ---- */

const char *const *intake_directive_verbs(size_t *n)
{
    *n = DIR_NVERBS;
    return dir_verbs;
}

/* Six bytes as a big-endian number: the same order as memcmp's. */
static uint64_t key6(const char *s)
{
    uint64_t k = 0;
    for (int j = 0; j < 6; j++)
        k = k << 8 | (unsigned char)s[j];
    return k;
}

/* The verbs as numbers (sorted as the table is), made once: the test runs at
 * every character of every directive, and integer compares beat memcmp calls. */
static uint64_t verb_keys[DIR_NVERBS];
static pthread_once_t verb_once = PTHREAD_ONCE_INIT;

static void verb_keys_make(void)
{
    for (size_t k = 0; k < DIR_NVERBS; k++)
        verb_keys[k] = key6(dir_verbs[k]);
}

int intake_subject_is_verb(const char *s, size_t len, size_t i)
{
    size_t lo = 0, hi = DIR_NVERBS;
    if (i > len || len - i < 6) return 0;
    pthread_once(&verb_once, verb_keys_make);
    uint64_t key = key6(s + i);
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (verb_keys[mid] == key) return 1;
        if (verb_keys[mid] < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

/* ---- word lists ---- */

/* The lists as filtered word lists (text.c), prepared once. */
static struct intake_words w_connectives = {.w = connectives}, w_time = {.w = time_words},
                           w_adverbs = {.w = adverbs}, w_lead_adverbs = {.w = lead_adverbs},
                           w_heads = {.w = collective_heads}, w_tails = {.w = collective_tails},
                           w_units = {.w = unit_tails}, w_places = {.w = place_tails},
                           w_bad_heads = {.w = topic_bad_heads}, w_yao = {.w = yao_before};
static pthread_once_t words_once = PTHREAD_ONCE_INIT;

static void words_init(void)
{
    struct intake_words *all[] = {&w_connectives, &w_time,  &w_adverbs, &w_lead_adverbs, &w_heads,
                                  &w_tails,       &w_units, &w_places,  &w_bad_heads,    &w_yao};
    for (size_t k = 0; k < sizeof all / sizeof all[0]; k++)
        intake_words_prepare(all[k]);
}

/* If s[*from..to) starts with a word of l, skip it and return 1. */
static int skip_head(const char *s, size_t *from, size_t to, const struct intake_words *l)
{
    size_t n = intake_words_at(l, s, to, *from);
    *from += n;
    return n > 0;
}

/* If s[from..*to) ends with a word of l, drop it and return 1. */
static int drop_tail(const char *s, size_t from, size_t *to, const struct intake_words *l)
{
    size_t n = intake_words_ending(l, s, from, *to);
    *to -= n;
    return n > 0;
}

static int ends_with_any(const char *s, size_t len, const struct intake_words *l)
{
    return intake_words_ending(l, s, 0, len) > 0;
}

static int starts_with_any(const char *s, size_t len, const struct intake_words *l)
{
    return intake_words_at(l, s, len, 0) > 0;
}

static int has_any(const char *s, size_t len, const char *const *list)
{
    for (int k = 0; list[k]; k++)
        if (intake_text_find(s, len, 0, list[k]) != (size_t)-1) return 1;
    return 0;
}

int intake_subject_skip(const char *p, size_t *from, size_t to, int time_too)
{
    int skipped = 0;
    pthread_once(&words_once, words_init);
    for (int again = 1; again;) {
        again = 0;
        while (*from < to && p[*from] == ' ')
            (*from)++;
        if (skip_head(p, from, to, &w_connectives) || (time_too && skip_head(p, from, to, &w_time)))
            again = skipped = 1;
    }
    return skipped;
}

int intake_subject_is_time_word(const char *p, size_t from, size_t to)
{
    for (int k = 0; time_words[k]; k++)
        if (to - from == strlen(time_words[k]) && intake_text_has(p, to, from, time_words[k]))
            return 1;
    return 0;
}

size_t intake_subject_drop_adverbs(const char *p, size_t from, size_t to)
{
    pthread_once(&words_once, words_init);
    while (drop_tail(p, from, &to, &w_adverbs))
        ;
    return to;
}

/* ---- units and collectives ---- */

static int is_collective(const char *s, size_t len)
{
    if (len == 0 || intake_text_count(s, len) > 16) return 0;
    return starts_with_any(s, len, &w_heads) || ends_with_any(s, len, &w_tails) ||
           intake_text_find(s, len, 0, "各") != (size_t)-1;
}

/* 1 when s[0..len) reads as one unit's name: 2..20 Han characters, digits or
 * brackets ending in a unit word (3 or more before a place word). */
static int is_unit(const char *s, size_t len)
{
    size_t n = 0, i = 0;
    while (i < len && n <= 20) {
        uint32_t cp;
        i = intake_text_next(s, len, i, &cp);
        if (!intake_text_is_han(cp) && !(cp >= '0' && cp <= '9') && cp != 0xFF08 && cp != 0xFF09)
            return 0;
        n++;
    }
    if (n < 2 || n > 20 || !ends_with_any(s, len, &w_units)) return 0;
    return n >= 3 || !ends_with_any(s, len, &w_places);
}

/* The end of the list item starting at s[a]: the next 、 outside brackets, or len. */
static size_t list_item_end(const char *s, size_t len, size_t a)
{
    int depth = 0;
    for (size_t i = a; i < len;) {
        uint32_t cp;
        size_t n = intake_text_next(s, len, i, &cp);
        if (cp == 0xFF08 || cp == '(') depth++;
        if ((cp == 0xFF09 || cp == ')') && depth > 0) depth--;
        if (cp == 0x3001 && depth == 0) return i;
        i = n;
    }
    return len;
}

/* One item s[x..b) of a list, possibly units joined by 和/及/与/以及: 1 when
 * every part is a unit or a collective; units pushed when units != NULL. */
static int list_item(const char *s, size_t x, size_t b, char ***units, size_t *n)
{
    static const char *const joins[] = {"以及", "和", "及", "与", NULL};
    while (x < b) {
        size_t cut = (size_t)-1, jl = 0;
        for (int k = 0; joins[k] && cut == (size_t)-1; k++) {
            size_t at = intake_text_find(s, b, x, joins[k]);
            if (at != (size_t)-1 && is_unit(s + x, at - x)) cut = at, jl = strlen(joins[k]);
        }
        size_t y = cut == (size_t)-1 ? b : cut;
        int collective = is_collective(s + x, y - x);
        if (!collective && !is_unit(s + x, y - x)) return 0;
        if (units && !collective) intake_strv_push(units, n, s + x, y - x);
        x = cut == (size_t)-1 ? b : cut + jl;
    }
    return 1;
}

int intake_directive_unit_list(const char *s, size_t len, char ***units, size_t *n)
{
    pthread_once(&words_once, words_init);
    if (len == 0 || intake_text_count(s, len) > 60) return 0;
    for (int pass = 0; pass < (units ? 2 : 1); pass++) {
        for (size_t a = 0; a < len;) {
            size_t b = list_item_end(s, len, a);
            if (!list_item(s, a, b, pass ? units : NULL, n)) return 0;
            a = b + 3;
        }
    }
    return 1;
}

/* ---- subjects ---- */

/* 1 when s[0..len) is a topic: a short noun phrase, no clause of its own. */
static int is_topic(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len && n <= 14;) {
        uint32_t cp;
        i = intake_text_next(s, len, i, &cp);
        if (intake_text_is_clause_mark(cp) || cp == 0x201C || cp == 0x201D) return 0;
        n++;
    }
    if (n == 0 || n > 14) return 0;
    if (starts_with_any(s, len, &w_bad_heads) || has_any(s, len, topic_bad_words)) return 0;
    return !intake_text_ends(s, len, "的") && !intake_text_ends(s, len, "地");
}

enum intake_subject intake_subject_of(const char *p, size_t from, size_t to, int passage)
{
    pthread_once(&words_once, words_init);
    if (from == to) return INTAKE_SUBJECT_NONE;
    if (to - from == 3 && memmem(ordinals, strlen(ordinals), p + from, 3))
        return INTAKE_SUBJECT_NONE; /* 一要…；二要… */
    if (ends_with_any(p + from, to - from, &w_yao)) return INTAKE_SUBJECT_BAD;
    if (is_collective(p + from, to - from) ||
        intake_directive_unit_list(p + from, to - from, NULL, NULL))
        return INTAKE_SUBJECT_UNITS;
    return passage && is_topic(p + from, to - from) ? INTAKE_SUBJECT_TOPIC : INTAKE_SUBJECT_BAD;
}

int intake_subject_yao_word(const char *p, size_t len, size_t m)
{
    (void)len;
    pthread_once(&words_once, words_init);
    return intake_words_ending(&w_yao, p, 0, m) > 0;
}

/* ---- clauses that open with an action ---- */

/* 1 when the clause at p[from..to) starts with an action (after adverbs). */
static int opens_with_verb(const char *p, size_t from, size_t to)
{
    intake_subject_skip(p, &from, to, 1);
    for (int k = 0; k < 3 && skip_head(p, &from, to, &w_lead_adverbs); k++)
        ;
    if (intake_subject_is_verb(p, to, from)) return 1;
    if (!intake_text_has(p, to, from, "以")) return 0;
    /* 以X为Y: X is short, Y a verb-like word */
    size_t wei = intake_text_find(p, to < from + 60 ? to : from + 60, from + 3, "为");
    return wei != (size_t)-1 && intake_text_is_han(intake_text_at(p, to, wei + 3));
}

int intake_subject_action(const char *p, size_t len, size_t from)
{
    size_t i = from, n = 0;
    pthread_once(&words_once, words_init);
    while (i < len) {
        uint32_t cp;
        size_t next = intake_text_next(p, len, i, &cp);
        if (intake_text_is_clause_mark(cp)) break;
        i = next;
        if (++n > 80) break;
    }
    if (opens_with_verb(p, from, i)) return 1;
    /* a short adverbial clause first: 依法依规，着手处置… */
    if (n == 0 || n > 5 || intake_text_at(p, len, i) != 0xFF0C) return 0;
    size_t j = intake_text_next(p, len, i, &(uint32_t){0}), k = j;
    while (k < len && k < j + 240) {
        uint32_t cp;
        size_t next = intake_text_next(p, len, k, &cp);
        if (intake_text_is_clause_mark(cp)) break;
        k = next;
    }
    return opens_with_verb(p, j, k);
}
