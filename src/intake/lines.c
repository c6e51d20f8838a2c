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
 * no layout damage and keeps one paragraph per line.  It does not decide what a
 * headline belongs to (structure.c) and never changes characters inside a line
 * except collapsing runs of spaces. */
#include <string.h>

#include "intake/internal.h"
#include "util/mem.h"

#define LINE_BLANK_BEFORE 1u /* one or more blank lines precede it */
#define LINE_ENDS_SENT    2u
#define LINE_LEAD         4u
#define LINE_LEAD_ONLY    8u  /* a lead with nothing after its byline */
#define LINE_MAX_WIDTH    400 /* widths above this count as "long" */

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

static int line_width(const char *s, size_t len)
{
    int w = 0, space = 0;
    size_t i = 0;
    while (i < len && w <= LINE_MAX_WIDTH) {
        uint32_t cp;
        i = intake_text_next(s, len, i, &cp);
        if (cp == ' ' && space) continue;
        space = cp == ' ';
        w += intake_text_width(cp);
    }
    return w;
}

static unsigned line_flags(const char *p, size_t len)
{
    unsigned f = 0;
    if (intake_text_ends_sentence(p, len)) f |= LINE_ENDS_SENT;
    if (intake_lines_is_lead(p, len)) {
        f |= LINE_LEAD;
        if ((intake_text_ends(p, len, "）") || intake_text_ends(p, len, ")")) &&
            intake_text_count(p, len) <= 40)
            f |= LINE_LEAD_ONLY;
    }
    return f;
}

/* The non-blank lines of s[0..len), trimmed, with widths and flags. */
static struct line *lines_split(const char *s, size_t len, size_t *n_out)
{
    struct line *v = NULL;
    size_t n = 0, cap = 0, i = 0;
    unsigned blank = 0;
    while (i < len) {
        const char *nl = memchr(s + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - s) : len;
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
    *n_out = n;
    return v;
}

/* Find the column width: the most common line width (the longer on ties).
 * The text counts as column-cut when at least 40% of its lines are within a
 * few cells of that width and most of those lines stop mid-sentence (in text
 * without layout damage, lines end sentences). */
static struct layout lines_layout(const struct line *v, size_t n)
{
    struct layout lay = {0, 0, 0};
    size_t hist[LINE_MAX_WIDTH + 2] = {0};
    size_t blanks = 0, best = 0, near = 0;
    for (size_t i = 0; i < n; i++) {
        hist[v[i].width > LINE_MAX_WIDTH ? LINE_MAX_WIDTH + 1 : v[i].width]++;
        blanks += i > 0 && (v[i].flags & LINE_BLANK_BEFORE);
    }
    for (int w = 10; w <= 200; w++) {
        if (hist[w] >= best) {
            best = hist[w];
            lay.width = w;
        }
    }
    size_t open = 0;
    for (size_t i = 0; i < n; i++) {
        if (v[i].width >= lay.width - 4 && v[i].width <= lay.width + 2) {
            near++;
            open += !(v[i].flags & LINE_ENDS_SENT);
        }
    }
    lay.column = n >= 3 && best >= 2 && near * 10 >= n * 4 && open * 2 > near;
    lay.blank_break = n > 1 && blanks * 2 < n - 1;
    return lay;
}

/* 1 when line b continues the paragraph of line a. */
static int lines_join(const struct line *a, const struct line *b, struct layout lay)
{
    int w = lay.width;
    if ((b->flags & LINE_LEAD) || (a->flags & LINE_LEAD_ONLY)) return 0;
    if (lay.blank_break && (b->flags & LINE_BLANK_BEFORE)) return 0;
    if (!lay.column) /* undamaged text: only repair a sentence cut in a long line */
        return !(a->flags & LINE_ENDS_SENT) && a->width >= 80 && !lay.blank_break;
    if (a->width > w + 4 || b->width > w + 4) return 0;
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

static void lines_emit(struct intake_result *r, size_t *cap, char *text, size_t len,
                       unsigned n_lines)
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
    if (intake_lines_is_lead(p->text, p->len))
        p->kind = INTAKE_PARA_LEAD;
    else if (n_lines == 1 && !intake_text_ends_sentence(p->text, p->len) &&
             intake_text_count(p->text, p->len) <= 40)
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
    lines_emit(r, cap, text, n, (unsigned)(to - from));
}

/* Emit the chain of lines v[from..to) as one paragraph, except an open tail:
 * lines after its last sentence end that are not full column lines (or one
 * such line after a sentence end) are headlines the layout set next to the
 * text, one paragraph each. */
static void lines_chain(struct intake_result *r, size_t *cap, const char *s, const struct line *v,
                        size_t from, size_t to, struct layout lay)
{
    size_t k = to;
    if (!(v[to - 1].flags & LINE_ENDS_SENT)) {
        k = to - 1;
        while (k > from && !(v[k - 1].flags & LINE_ENDS_SENT))
            k--;
    }
    int split = k < to && k > from && to - k == 1;
    for (size_t i = k; i + 1 < to; i++)
        split |= v[i].width < lay.width - 3;
    if (!split || (k == from && to - from == 1)) {
        lines_join_emit(r, cap, s, v, from, to);
        return;
    }
    if (k > from) lines_join_emit(r, cap, s, v, from, k);
    for (size_t i = k; i < to; i++)
        lines_join_emit(r, cap, s, v, i, i + 1);
}

void intake_lines_repair(const char *s, size_t len, struct intake_result *r)
{
    size_t n = 0, cap = 0, from = 0;
    struct line *v = lines_split(s, len, &n);
    struct layout lay = lines_layout(v, n);
    for (size_t i = 0; i < n; i++) {
        if (i + 1 < n && lines_join(&v[i], &v[i + 1], lay)) continue;
        lines_chain(r, &cap, s, v, from, i + 1, lay);
        from = i + 1;
    }
    free(v);
}
