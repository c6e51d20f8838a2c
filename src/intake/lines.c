/* lines.c — stage 2 of intake: from lines to paragraphs.
 *
 * Text copied out of a newspaper page arrives cut at the column width, often
 * with a blank line after every line, and with headlines and leads in between.
 * This file decides, for each pair of neighbouring lines, whether the break is
 * the layout's (join them, with no space between CJK characters) or the
 * author's (keep it).  The main evidence is the line width in half-width cells
 * compared with the column width (the most common width): a full line was cut
 * by the layout; a short line ending a sentence ends a paragraph; a short line
 * without closing punctuation is a headline.  Text without a dominant width has
 * no layout damage and keeps one paragraph per line.  A line of page furniture
 * (第2版, A2, 责任编辑：…, （下转第2版）, a share bar, 上一篇：…, a page's date
 * line) is never joined to its neighbours, even when it is as wide as the
 * column, and becomes a paragraph of its own marked as furniture.  A cut
 * paragraph (full column lines ending mid-sentence, as at a page cut) stays
 * body text, and when the text goes on after the page's furniture (下转第2版
 * … 上接第1版), the two parts are one paragraph and the furniture follows it:
 * the only place where paragraphs leave the input's order; a short unpunctuated block, even one a
 * long headline wrapped over several lines, is a headline.  Spaces between CJK characters (an OCR'd
 * "。 ", a spaced byline) take no width.  It does not decide what a headline belongs to
 * (structure.c) and never changes characters inside a line except collapsing runs of spaces. */
#include <string.h>

#include "intake/internal.h"
#include "util/mem.h"

#define LINE_BLANK_BEFORE 1u /* one or more blank lines precede it */
#define LINE_ENDS_SENT    2u
#define LINE_LEAD         4u
#define LINE_LEAD_ONLY    8u    /* a lead with nothing after its byline */
#define LINE_FURNITURE    16u   /* page furniture: never joined */
#define LINE_PLAIN        32u   /* no ASCII, no clause marks: a headline's look */
#define LINE_OPENS        128u  /* starts with a date: the first line of an article */
#define LINE_KEYED        256u  /* starts with a digit or holds a colon: furniture goes on */
#define LINE_PAGE_CUT     512u  /* （下转第2版）: the text before it was cut */
#define LINE_JOIN_PREV    1024u /* continues the line before it across a page cut */
#define LINE_MARKS        64u   /* holds one of ，。；！？ */
#define LINE_MAX_WIDTH    400   /* widths above this count as "long" */

struct line {
    size_t start, len; /* trimmed */
    int width;         /* half-width cells, capped at LINE_MAX_WIDTH + 1 */
    unsigned flags;
};

struct layout {
    int column;      /* 1 when the text was cut at a column width */
    int width;       /* that width */
    int blank_break; /* 1 when blank lines separate paragraphs */
};

static const char *const lead_words[] = {"本报讯",   "本报记者", "本报通讯员", "新华社",   "本台讯",
                                         "本台消息", "据新华社", "人民网",     "融媒体讯", NULL};

int intake_lines_is_lead(const char *p, size_t len)
{
    for (int k = 0; lead_words[k]; k++)
        if (intake_text_starts(p, len, lead_words[k])) return 1;
    /* "永康日报讯（…）", "金华新闻网讯 …": a short source name, then 讯 */
    size_t i = 0;
    for (int n = 0; n < 10 && i < len; n++) {
        uint32_t cp;
        size_t next = intake_text_next(p, len, i, &cp);
        if (!intake_text_is_han(cp)) return 0;
        if (n >= 2 && intake_text_has(p, len, i, "讯"))
            return intake_text_has(p, len, next, "（") || intake_text_has(p, len, next, " ");
        i = next;
    }
    return 0;
}

/* The width of a line in half-width cells.  A run of spaces counts one cell
 * between Latin text and none next to a CJK character (OCR and page dumps put
 * spaces into CJK text that the column never had). */
static int line_width(const char *s, size_t len)
{
    int w = 0, space = 0, prev_wide = 0;
    size_t i = 0;
    while (i < len && w <= LINE_MAX_WIDTH) {
        uint32_t cp;
        i = intake_text_next(s, len, i, &cp);
        if (cp == ' ') {
            space = 1;
            continue;
        }
        int cw = intake_text_width(cp);
        if (space && !prev_wide && cw == 1) w++;
        space = 0;
        prev_wide = cw == 2;
        w += cw;
    }
    return w;
}

/* ---- page furniture ---- */

/* Words that make up a share bar or a page's tool links. */
static const char *const bar_words[] = {
    "微信",     "微博",   "智能问答", "繁體版",   "繁体版",   "简体版", "无障碍",
    "长者模式", "分享到", "分享",     "QQ",       "抖音",     "客户端", "登录",
    "注册",     "搜索",   "返回顶部", "打印本页", "关闭窗口", "打印",   "关闭",
    "收藏",     "首页",   "手机版",   "网站地图", "English",  "字体：", "字体",
    "字号：",   "字号",   "大",       "中",       "小",       "【",     "】",
    "[",        "]",      "|",        "/",        "：",       NULL};
/* Line openings of furniture: editors, sources, dates, counters, links. */
static const char *const furniture_heads[] = {
    "责任编辑", "版面编辑",     "美术编辑", "本版编辑", "编辑：",   "校对：",   "审核：",
    "审校：",   "终审：",       "来源：",   "信息来源", "文章来源", "稿件来源", "发布日期",
    "发布时间", "更新时间",     "日期：",   "浏览次数", "阅读次数", "点击数",   "作者：",
    "【字体",   "【打印",       "【关闭",   "上一篇",   "下一篇",   "上一条",   "下一条",
    "当前位置", "您当前的位置", "您的位置", "扫一扫",   "分享到",   NULL};
/* A page's section names, furniture when alone on a line. */
static const char *const furniture_sections[] = {"要闻", "综合", "时政", "本地", "新闻",
                                                 "经济", "社会", "评论", "理论", "专题",
                                                 "政务", "头版", NULL};

/* 1 when p[0..len) holds one of ，。；！？ (a sentence, not furniture). */
static int lines_has_sentence_marks(const char *p, size_t len)
{
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        i = intake_text_next(p, len, i, &cp);
        if (cp == 0xFF0C || cp == 0x3002 || cp == 0xFF1B || cp == 0xFF01 || cp == 0xFF1F) return 1;
    }
    return 0;
}

/* 1 when p[0..len) is made only of share-bar words and spaces. */
static int lines_is_bar(const char *p, size_t len)
{
    size_t i = 0, words = 0;
    while (i < len) {
        if (p[i] == ' ') {
            i++;
            continue;
        }
        int k;
        for (k = 0; bar_words[k]; k++)
            if (intake_text_has(p, len, i, bar_words[k])) break;
        if (!bar_words[k]) return 0;
        i += strlen(bar_words[k]);
        words++;
    }
    return words >= 2;
}

/* "第2版", "第2版：要闻", "A2", "B03 要闻", "（下转第2版）", "（上接第1版）". */
static int lines_is_page_ref(const char *p, size_t len)
{
    size_t i = 0;
    if (intake_text_count(p, len) > 16) return 0;
    if (len >= 2 && p[0] >= 'A' && p[0] <= 'Z' && p[1] >= '0' && p[1] <= '9') {
        i = 1;
        while (i < len && p[i] >= '0' && p[i] <= '9')
            i++;
        return i == len || p[i] == ' ';
    }
    if (intake_text_has(p, len, 0, "（") || intake_text_has(p, len, 0, "("))
        i = p[0] == '(' ? 1 : 3;
    if (intake_text_has(p, len, i, "下转") || intake_text_has(p, len, i, "上接"))
        return intake_text_find(p, len, i, "版") != (size_t)-1;
    if (!intake_text_has(p, len, i, "第")) return 0;
    i += 3;
    size_t digits = i;
    while (i < len && ((p[i] >= '0' && p[i] <= '9') || (p[i] >= 'A' && p[i] <= 'Z')))
        i++;
    return i > digits && intake_text_has(p, len, i, "版");
}

/* "2024年5月22日 星期三", "2024-03-29 09:30", "2024年12月28日 星期六 第1版": a
 * line that is a date with a year and little else. */
static int lines_is_date_line(const char *p, size_t len)
{
    struct intake_date d = {0, 0, 0};
    size_t at = 0, used = intake_date_find(p, len, d, &d, &at);
    return used && at == 0 && d.year && intake_text_count(p + used, len - used) <= 16;
}

int intake_lines_is_furniture(const char *p, size_t len)
{
    if (len == 0 || intake_text_count(p, len) > 80 || lines_has_sentence_marks(p, len)) return 0;
    for (int k = 0; furniture_heads[k]; k++)
        if (intake_text_starts(p, len, furniture_heads[k])) return 1;
    for (int k = 0; furniture_sections[k]; k++)
        if (len == strlen(furniture_sections[k]) &&
            intake_text_starts(p, len, furniture_sections[k]))
            return 1;
    return lines_is_page_ref(p, len) || lines_is_bar(p, len) || lines_is_date_line(p, len);
}

/* 1 when p[0..len) has no ASCII but spaces and none of ，。；！？：、. */
static int lines_is_plain(const char *p, size_t len)
{
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        i = intake_text_next(p, len, i, &cp);
        if ((cp < 0x80 && cp != ' ') || intake_text_is_clause_mark(cp) || cp == 0x3001) return 0;
    }
    return 1;
}

/* 1 when p[0..len) opens with a date and a comma ("3月28日，",
 * "今天上午（4月18日），"), as an article's first sentence does. */
static int lines_opens(const char *p, size_t len)
{
    struct intake_date d = {0, 0, 0};
    size_t at = 1, w = len < 60 ? len : 60;
    size_t used = intake_date_find(p, w, (struct intake_date){2000, 1, 1}, &d, &at);
    return used && at == 0 &&
           (intake_text_has(p, len, used, "，") || intake_text_has(p, len, used, ","));
}

static unsigned line_flags(const char *p, size_t len)
{
    unsigned f = 0;
    if (lines_has_sentence_marks(p, len)) f |= LINE_MARKS;
    if (intake_lines_is_furniture(p, len))
        return f | LINE_FURNITURE |
               ((intake_text_find(p, len, 0, "下转") != (size_t)-1 ||
                 intake_text_find(p, len, 0, "转第") != (size_t)-1)
                    ? LINE_PAGE_CUT
                    : 0);
    if (lines_is_plain(p, len)) f |= LINE_PLAIN;
    if (lines_opens(p, len)) f |= LINE_OPENS;
    if ((p[0] >= '0' && p[0] <= '9') || intake_text_find(p, len, 0, "：") != (size_t)-1)
        f |= LINE_KEYED;
    if (intake_text_ends_sentence(p, len)) f |= LINE_ENDS_SENT;
    if (intake_lines_is_lead(p, len)) {
        f |= LINE_LEAD;
        if ((intake_text_ends(p, len, "）") || intake_text_ends(p, len, ")")) &&
            intake_text_count(p, len) <= 40)
            f |= LINE_LEAD_ONLY;
    }
    return f;
}

/* The non-blank lines of s[0..len), trimmed, with widths and flags, and a
 * zeroed line after them. */
static struct line *lines_split(const char *s, size_t len, size_t *n_out)
{
    struct line *v = NULL;
    size_t n = 0, cap = 0, i = 0;
    unsigned blank = 0;
    while (i < len) {
        const char *nl = memchr(s + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - s) : len;
        INTAKE_OPS(end - i + 1);
        struct intake_span t = intake_text_trim(s + i, end - i);
        if (t.start == t.end) {
            blank = LINE_BLANK_BEFORE;
        } else {
            if (n == cap) {
                cap = cap ? cap * 2 : 64;
                v = xrealloc(v, cap * sizeof *v);
            }
            struct line *l = &v[n++];
            l->start = i + t.start;
            l->len = t.end - t.start;
            l->width = line_width(s + l->start, l->len);
            l->flags = blank | line_flags(s + l->start, l->len);
            blank = 0;
        }
        i = end + 1;
    }
    v = xrealloc(v, (n + 1) * sizeof *v); /* a zeroed sentinel after the last line */
    memset(&v[n], 0, sizeof *v);
    *n_out = n;
    return v;
}

/* Find the column width: the most common line width (the longer on ties).
 * The text counts as column-cut when at least 40% of its lines are within a
 * few cells of that width and most of those lines stop mid-sentence (in text
 * without layout damage, lines end sentences).  Furniture lines do not count. */
static struct layout lines_layout(const struct line *v, size_t n)
{
    struct layout lay = {0, 0, 0};
    size_t hist[LINE_MAX_WIDTH + 2] = {0};
    size_t blanks = 0, best = 0, near = 0, text = 0;
    for (size_t i = 0; i < n; i++) {
        blanks += i > 0 && (v[i].flags & LINE_BLANK_BEFORE);
        if (v[i].flags & LINE_FURNITURE) continue; /* its width says nothing of the column */
        hist[v[i].width > LINE_MAX_WIDTH ? LINE_MAX_WIDTH + 1 : v[i].width]++;
        text++;
    }
    for (int w = 10; w <= 200; w++) {
        if (hist[w] >= best) {
            best = hist[w];
            lay.width = w;
        }
    }
    size_t open = 0;
    for (size_t i = 0; i < n; i++) {
        if (!(v[i].flags & LINE_FURNITURE) && v[i].width >= lay.width - 4 &&
            v[i].width <= lay.width + 2) {
            near++;
            open += !(v[i].flags & LINE_ENDS_SENT);
        }
    }
    lay.column = text >= 3 && best >= 2 && near * 10 >= text * 4 && open * 2 > near;
    lay.blank_break = n > 1 && blanks * 2 < n - 1;
    return lay;
}

/* 1 when line b continues the paragraph of line a. */
static int lines_join(const struct line *a, const struct line *b, struct layout lay)
{
    int w = lay.width;
    if ((b->flags & LINE_LEAD) || (a->flags & LINE_LEAD_ONLY)) return 0;
    if (a->flags & LINE_FURNITURE) /* furniture the column wrapped goes on without marks */
        return lay.column && a->width >= w - 8 && b->width < w - 3 &&
               !(b->flags & (LINE_MARKS | LINE_LEAD)) && (b->flags & LINE_KEYED);
    if (b->flags & LINE_FURNITURE) return 0;
    if (lay.blank_break && (b->flags & LINE_BLANK_BEFORE)) return 0;
    if (!lay.column) /* undamaged text: only repair a sentence cut in a long line */
        return !(a->flags & LINE_ENDS_SENT) && a->width >= 80 && !lay.blank_break;
    if (a->width > w + 4 || b->width > w + 4) return 0;
    /* a headline, not a cut line: short and plain, or plain before an article's opening */
    if ((a->flags & LINE_PLAIN) && (a->width < w - 8 || (b->flags & LINE_OPENS))) return 0;
    if (a->flags & LINE_ENDS_SENT) {
        int b_indented = !(b->flags & LINE_ENDS_SENT) && b->width >= w - 8 && b->width < w - 3;
        return a->width >= w - 3 && !b_indented;
    }
    return a->width >= w - 8;
}

/* Append line l at out[*n], collapsing runs of spaces; a space separates two
 * Latin words the layout split, never CJK characters.  out has room for the
 * line plus one byte. */
static void lines_append(char *out, size_t *n, const char *s, const struct line *l)
{
    const char *p = s + l->start;
    if (*n > 0 && l->len > 0) {
        unsigned char a = (unsigned char)out[*n - 1], b = (unsigned char)p[0];
        int a_latin = (a | 0x20) >= 'a' && (a | 0x20) <= 'z';
        int b_latin = (b | 0x20) >= 'a' && (b | 0x20) <= 'z';
        if (a_latin && b_latin) out[(*n)++] = ' ';
    }
    for (size_t i = 0; i < l->len; i++)
        if (p[i] != ' ' || i == 0 || p[i - 1] != ' ') out[(*n)++] = p[i];
}

/* 1 when a paragraph reads as a headline: it does not end a sentence, is short,
 * and has no ，；。！？ inside (a sentence cut short has them). */
static int lines_is_headline(const char *p, size_t len)
{
    return !intake_text_ends_sentence(p, len) && intake_text_count(p, len) <= 64 &&
           !lines_has_sentence_marks(p, len);
}

static void lines_emit(struct intake_result *r, size_t *cap, char *text, size_t len,
                       unsigned furniture)
{
    if (r->n_paragraphs == *cap) {
        *cap = *cap ? *cap * 2 : 32;
        r->paragraphs = xrealloc(r->paragraphs, *cap * sizeof *r->paragraphs);
    }
    struct intake_paragraph *p = &r->paragraphs[r->n_paragraphs++];
    memset(p, 0, sizeof *p);
    text[len] = '\0';
    p->text = text;
    p->len = len;
    p->article = -1;
    p->furniture = furniture != 0;
    if (furniture)
        p->kind = INTAKE_PARA_HEADLINE;
    else if (intake_lines_is_lead(p->text, p->len))
        p->kind = INTAKE_PARA_LEAD;
    else if (lines_is_headline(p->text, p->len))
        p->kind = INTAKE_PARA_HEADLINE;
    else
        p->kind = INTAKE_PARA_BODY;
}

/* Emit the lines v[from..to) as one paragraph. */
static void lines_join_emit(struct intake_result *r, size_t *cap, const char *s,
                            const struct line *v, size_t from, size_t to)
{
    size_t size = 1, n = 0;
    for (size_t i = from; i < to; i++)
        size += v[i].len + 1;
    char *text = xmalloc(size);
    for (size_t i = from; i < to; i++)
        lines_append(text, &n, s, &v[i]);
    lines_emit(r, cap, text, n,
               (v[from].flags & LINE_FURNITURE) &&
                   (to - from == 1 || intake_lines_is_furniture(text, n)));
}

/* Emit the chain of lines v[from..to) as one paragraph, except an open tail:
 * lines after its last sentence end that are not full column lines (or one
 * such line after a sentence end) are headlines the layout set next to the
 * text, one paragraph each.  A tail holding a full column line is a paragraph
 * the page cut (下转第2版) or the OCR ended early: it stays whole. */
static void lines_chain(struct intake_result *r, size_t *cap, const char *s, const struct line *v,
                        size_t from, size_t to, struct layout lay)
{
    size_t k = to;
    if (!(v[to - 1].flags & LINE_ENDS_SENT)) {
        k = to - 1;
        while (k > from && !(v[k - 1].flags & LINE_ENDS_SENT))
            k--;
    }
    int text_tail = k > from;
    for (size_t i = k; i < to; i++)
        text_tail |= !(v[i].flags & LINE_PLAIN);
    if ((v[from].flags & LINE_FURNITURE) || ((v[to].flags & LINE_PAGE_CUT) && text_tail)) {
        /* furniture the column wrapped; text the page cut (下转第2版) */
        lines_join_emit(r, cap, s, v, from, to);
        return;
    }
    int split = k < to && k > from && to - k == 1, full = 0;
    for (size_t i = k; i + 1 < to; i++) {
        split |= v[i].width < lay.width - 3;
        full |= v[i].width >= lay.width - 3;
    }
    if (full) split = 0;
    if (!split || (k == from && to - from == 1)) {
        lines_join_emit(r, cap, s, v, from, to);
        return;
    }
    if (k > from) lines_join_emit(r, cap, s, v, from, k);
    for (size_t i = k; i < to; i++)
        lines_join_emit(r, cap, s, v, i, i + 1);
}

/* 1 when line b may continue a paragraph the page cut before it: no lead, no
 * article's opening, no headline, no furniture. */
static int lines_continues(const struct line *b, struct layout lay)
{
    if (b->flags & (LINE_LEAD | LINE_OPENS | LINE_FURNITURE)) return 0;
    return !((b->flags & LINE_PLAIN) && b->width < lay.width - 8);
}

/* The lines in reading order.  Where a page cut parts a paragraph — a line
 * ending mid-sentence, then furniture starting with （下转第2版）, then more
 * text — the text after the furniture (up to its paragraph's end) moves
 * before the furniture and joins the cut line (LINE_JOIN_PREV).  Returns a
 * malloc'd copy of v with a zeroed sentinel. */
static struct line *lines_reading_order(const struct line *v, size_t n, struct layout lay)
{
    struct line *w = xmalloc((n + 1) * sizeof *w);
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i, k;
        int cut = i > 0 && (v[i].flags & LINE_PAGE_CUT) &&
                  !(v[i - 1].flags & (LINE_ENDS_SENT | LINE_FURNITURE)) &&
                  (!(v[i - 1].flags & LINE_PLAIN) || (i > 1 && !(v[i - 2].flags & LINE_PLAIN)));
        while (cut && j < n && (v[j].flags & LINE_FURNITURE))
            j++;
        if (!cut || j >= n || !lines_continues(&v[j], lay)) {
            w[o++] = v[i++];
            continue;
        }
        for (k = j; k + 1 < n && lines_join(&v[k], &v[k + 1], lay);)
            k++;
        for (size_t x = j; x <= k; x++)
            w[o++] = v[x];
        w[o - (k - j + 1)].flags |= LINE_JOIN_PREV;
        for (size_t x = i; x < j; x++)
            w[o++] = v[x];
        i = k + 1;
    }
    memset(&w[n], 0, sizeof *w);
    return w;
}

void intake_lines_repair(const char *s, size_t len, struct intake_result *r)
{
    size_t n = 0, cap = 0, from = 0;
    struct line *v = lines_split(s, len, &n);
    struct layout lay = lines_layout(v, n);
    struct line *w = lines_reading_order(v, n, lay);
    for (size_t i = 0; i < n; i++) {
        if (i + 1 < n && ((w[i + 1].flags & LINE_JOIN_PREV) || lines_join(&w[i], &w[i + 1], lay)))
            continue;
        lines_chain(r, &cap, s, w, from, i + 1, lay);
        from = i + 1;
    }
    free(w);
    free(v);
}
