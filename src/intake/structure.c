/* structure.c — stage 3a of intake: articles.
 *
 * A lead (本报讯（记者 …）) starts an article; body paragraphs up to the next
 * lead belong to it.  Text without leads is one article per headline block;
 * in text with leads, a headline block starts an article too when the body
 * after it opens like one (a date first, or a meeting held in its first
 * sentence).  Page furniture (lines.c) belongs to no article and splits none;
 * a furniture line carrying a date (发布日期：2024-03-29, 2024年5月22日 星期三)
 * is the page date of the article after it (or of every article, when it
 * heads the text), the base for the years and months its dates leave out.
 * Headlines are not assigned by position, because a page dump puts them
 * wherever the layout left them (the seed prints each article's headlines
 * after it): each headline goes to the neighbouring article (the one before or
 * after it) whose text shares the most Han bigrams with it.  A headline
 * sharing nothing with its neighbours, such as a stray fragment of another
 * article, stays unattached.  Meetings are meeting.c's business. */
#include <stdlib.h>
#include <string.h>

#include "intake/internal.h"
#include "util/mem.h"

/* ---- an open-addressing set of non-zero 64-bit keys ---- */

struct keyset {
    uint64_t *slot;
    size_t cap, n; /* cap is a power of two */
};

static uint64_t keyset_hash(uint64_t k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    return k;
}

static int keyset_has(const struct keyset *s, uint64_t k)
{
    if (!s->cap) return 0;
    for (size_t i = keyset_hash(k) & (s->cap - 1);; i = (i + 1) & (s->cap - 1)) {
        if (s->slot[i] == k) return 1;
        if (s->slot[i] == 0) return 0;
    }
}

static void keyset_add(struct keyset *s, uint64_t k)
{
    if (2 * (s->n + 1) > s->cap) {
        struct keyset bigger = {xcalloc(s->cap ? s->cap * 2 : 64, sizeof(uint64_t)),
                                s->cap ? s->cap * 2 : 64, 0};
        for (size_t i = 0; i < s->cap; i++)
            if (s->slot[i]) keyset_add(&bigger, s->slot[i]);
        free(s->slot);
        *s = bigger;
    }
    size_t i = keyset_hash(k) & (s->cap - 1);
    while (s->slot[i] && s->slot[i] != k)
        i = (i + 1) & (s->cap - 1);
    if (!s->slot[i]) {
        s->slot[i] = k;
        s->n++;
    }
}

/* Call fn for every pair of adjacent Han characters of s[0..len). */
#define BIGRAM_KEY(a, b)     (((uint64_t)(a) << 21) | (uint64_t)(b))
#define ARTICLE_KEY(bg, art) (((bg) << 22) | ((uint64_t)(art)&0x3FFFFF))

static void structure_add_bigrams(struct keyset *set, const struct keyset *filter, size_t article,
                                  const char *s, size_t len)
{
    uint32_t prev = 0, cp;
    for (size_t i = 0; i < len; prev = cp) {
        i = intake_text_next(s, len, i, &cp);
        if (!intake_text_is_han(cp) || !intake_text_is_han(prev)) continue;
        uint64_t bg = BIGRAM_KEY(prev, cp);
        if (!filter)
            keyset_add(set, bg);
        else if (keyset_has(filter, bg))
            keyset_add(set, ARTICLE_KEY(bg, article));
    }
}

static size_t structure_score(const struct keyset *set, size_t article, const char *h, size_t len)
{
    uint32_t prev = 0, cp;
    size_t score = 0;
    for (size_t i = 0; i < len; prev = cp) {
        i = intake_text_next(h, len, i, &cp);
        if (intake_text_is_han(cp) && intake_text_is_han(prev))
            score += keyset_has(set, ARTICLE_KEY(BIGRAM_KEY(prev, cp), article));
    }
    return score;
}

size_t intake_structure_overlap(const char *h, size_t hlen, const char *a, size_t alen)
{
    struct keyset filter = {0}, set = {0};
    structure_add_bigrams(&filter, NULL, 0, h, hlen);
    structure_add_bigrams(&set, &filter, 0, a, alen);
    size_t score = structure_score(&set, 0, h, hlen);
    free(filter.slot);
    free(set.slot);
    return score;
}

/* ---- articles ---- */

static size_t structure_new_article(struct intake_result *r, size_t *cap)
{
    if (r->n_articles == *cap) {
        *cap = *cap ? *cap * 2 : 8;
        r->articles = xrealloc(r->articles, *cap * sizeof *r->articles);
    }
    memset(&r->articles[r->n_articles], 0, sizeof *r->articles);
    return r->n_articles++;
}

static void structure_add_paragraph(struct intake_result *r, size_t art, size_t para)
{
    struct intake_article *a = &r->articles[art];
    if ((a->n_paragraphs & (a->n_paragraphs - 1)) == 0) /* 0, 1, 2, 4, 8 …: grow */
        a->paragraphs = xrealloc(a->paragraphs, (a->n_paragraphs ? a->n_paragraphs * 2 : 1) *
                                                    sizeof *a->paragraphs);
    a->paragraphs[a->n_paragraphs++] = para;
    r->paragraphs[para].article = (int)art;
}

/* The end of the first sentence of p[0..len) (at most 400 bytes in). */
static size_t structure_first_sentence(const char *p, size_t len)
{
    size_t i = 0;
    while (i < len && i < 400) {
        uint32_t cp;
        size_t n = intake_text_next(p, len, i, &cp);
        if (intake_text_is_sentence_mark(cp)) break;
        i = n;
    }
    return i;
}

/* 1 when body paragraph p opens an article: it starts with a date, or its
 * first sentence holds 召开 or 举行. */
static int structure_opens(const struct intake_paragraph *p)
{
    size_t end = structure_first_sentence(p->text, p->len), at = 0;
    struct intake_date d = {0, 0, 0}, base = {2000, 1, 1};
    if (intake_date_find(p->text, end, base, &d, &at) && at == 0) return 1;
    return intake_text_find(p->text, end, 0, "召开") != (size_t)-1 ||
           intake_text_find(p->text, end, 0, "举行") != (size_t)-1;
}

/* The date with a year a furniture paragraph carries, or year 0. */
static struct intake_date structure_line_date(const struct intake_paragraph *p)
{
    struct intake_date d = {0, 0, 0};
    if (!intake_date_find(p->text, p->len, d, &d, NULL) || !d.year) d.year = 0;
    return d;
}

/* Leads start articles; so does body after a headline block, in text with
 * leads only when it opens like an article.  Page dates go to the article
 * after them. */
static void structure_group(struct intake_result *r)
{
    size_t cap = 0;
    int has_lead = 0, cur = -1, headline_seen = 0, seen_text = 0, last_body = -1;
    struct intake_date pending = {0, 0, 0}, header = {0, 0, 0};
    for (size_t i = 0; i < r->n_paragraphs; i++)
        has_lead |= r->paragraphs[i].kind == INTAKE_PARA_LEAD;
    for (size_t i = 0; i < r->n_paragraphs; i++) {
        const struct intake_paragraph *p = &r->paragraphs[i];
        if (p->furniture) {
            struct intake_date d = structure_line_date(p);
            if (d.year) pending = d;
            if (d.year && !seen_text) header = d;
            continue;
        }
        seen_text = 1;
        if (p->kind == INTAKE_PARA_HEADLINE) {
            headline_seen = 1;
            continue;
        }
        /* after a headline block: a new article, unless the text has leads or the
         * page cut the paragraph before, and this one does not open like one */
        int cut =
            i > 0 && last_body >= 0 &&
            !intake_text_ends_sentence(r->paragraphs[last_body].text, r->paragraphs[last_body].len);
        if (p->kind == INTAKE_PARA_LEAD || cur < 0 ||
            (headline_seen && ((!has_lead && !cut) || structure_opens(p)))) {
            cur = (int)structure_new_article(r, &cap);
            r->articles[cur].page_date = pending.year ? pending : header;
            pending.year = 0;
        }
        headline_seen = 0;
        last_body = (int)i;
        structure_add_paragraph(r, (size_t)cur, i);
    }
}

/* Where the text of a lead paragraph starts: after "本报讯（记者 …）" or
 * "东岭日报讯 ", with *byline set to the brackets' content (malloc'd). */
static size_t structure_after_lead(const char *p, size_t len, char **byline)
{
    size_t open = intake_text_find(p, len < 40 ? len : 40, 0, "（");
    size_t close = open == (size_t)-1 ? open : intake_text_find(p, len, open, "）");
    if (open != (size_t)-1 && close != (size_t)-1 && intake_text_count(p, open) <= 12 &&
        close - open < 120) {
        struct intake_span t = intake_text_trim(p + open + 3, close - open - 3);
        if (t.end > t.start) *byline = xstrndup(p + open + 3 + t.start, t.end - t.start);
        return close + 3;
    }
    size_t at = intake_text_find(p, len < 40 ? len : 40, 0, "讯");
    if (at == (size_t)-1) return 0;
    at += 3;
    while (at < len && p[at] == ' ')
        at++;
    return at;
}

/* The byline in the lead's brackets, and the article's date: the first date
 * the first sentence after the lead mentions (its dateline when it opens the
 * sentence), its year and month from the page date or else today. */
static void structure_byline(struct intake_result *r, struct intake_article *a,
                             struct intake_date today)
{
    const struct intake_paragraph *first = &r->paragraphs[a->paragraphs[0]];
    const char *p = first->text;
    size_t len = first->len, at = 0, where = 0;
    if (first->kind == INTAKE_PARA_LEAD) {
        at = structure_after_lead(p, len, &a->byline);
        if (at >= len && a->n_paragraphs > 1) {
            first = &r->paragraphs[a->paragraphs[1]];
            p = first->text;
            len = first->len;
            at = 0;
        }
    }
    struct intake_date d = {0, 0, 0}, base = a->page_date.year ? a->page_date : today;
    size_t end = at + structure_first_sentence(p + at, len - at);
    size_t used = at < len ? intake_date_find(p + at, end - at, base, &d, &where) : 0;
    if (used) a->date = d;
    if (used && where == 0) {
        struct intake_span t = intake_text_trim(p + at, used);
        a->dateline = intake_text_dup_nospace(p + at + t.start, t.end - t.start);
    }
}

static int structure_is_kicker(const char *h, size_t len)
{
    static const char *const ends[] = {"强调", "指出", "表示", "提出", "要求", "说", NULL};
    for (int k = 0; ends[k]; k++)
        if (intake_text_ends(h, len, ends[k])) return 1;
    return 0;
}

/* Give article art the headline h: the first one that is not a kicker
 * ("…时强调") becomes the title, all others subtitles, in text order. */
static void structure_give_headline(struct intake_article *a, const struct intake_paragraph *h)
{
    if (!a->title && !structure_is_kicker(h->text, h->len)) {
        a->title = xstrndup(h->text, h->len);
        return;
    }
    intake_strv_push(&a->subtitles, &a->n_subtitles, h->text, h->len);
}

/* The article of the nearest non-headline paragraph before (dir -1) or after
 * (dir +1) each paragraph, or -1. */
static int *structure_neighbours(const struct intake_result *r, int dir)
{
    int *v = xmalloc((r->n_paragraphs + 1) * sizeof *v);
    int cur = -1;
    for (size_t k = 0; k < r->n_paragraphs; k++) {
        size_t i = dir > 0 ? r->n_paragraphs - 1 - k : k;
        v[i] = cur;
        if (r->paragraphs[i].kind != INTAKE_PARA_HEADLINE) cur = r->paragraphs[i].article;
    }
    return v;
}

static void structure_attach(struct intake_result *r, int has_lead)
{
    struct keyset filter = {0}, set = {0};
    for (size_t i = 0; i < r->n_paragraphs; i++)
        if (r->paragraphs[i].kind == INTAKE_PARA_HEADLINE && !r->paragraphs[i].furniture)
            structure_add_bigrams(&filter, NULL, 0, r->paragraphs[i].text, r->paragraphs[i].len);
    if (!filter.n && has_lead) goto out;
    for (size_t i = 0; i < r->n_paragraphs; i++)
        if (r->paragraphs[i].article >= 0)
            structure_add_bigrams(&set, &filter, (size_t)r->paragraphs[i].article,
                                  r->paragraphs[i].text, r->paragraphs[i].len);
    int *before = structure_neighbours(r, -1), *after = structure_neighbours(r, 1);
    for (size_t i = 0; i < r->n_paragraphs; i++) {
        struct intake_paragraph *h = &r->paragraphs[i];
        if (h->kind != INTAKE_PARA_HEADLINE || h->furniture) continue;
        int b = before[i], f = after[i], pick = -1;
        size_t sb = b >= 0 ? structure_score(&set, (size_t)b, h->text, h->len) : 0;
        size_t sf = f >= 0 ? structure_score(&set, (size_t)f, h->text, h->len) : 0;
        if (sb > sf || (sb == sf && sb > 0 && has_lead))
            pick = b;
        else if (sf > 0 || (!has_lead && f >= 0))
            pick = f;
        else if (!has_lead)
            pick = b;
        if (pick >= 0) {
            h->article = pick;
            structure_give_headline(&r->articles[pick], h);
        }
    }
    free(before);
    free(after);
out:
    free(filter.slot);
    free(set.slot);
}

void intake_structure_articles(struct intake_result *r, struct intake_date today)
{
    int has_lead = 0;
    structure_group(r);
    for (size_t i = 0; i < r->n_paragraphs; i++)
        has_lead |= r->paragraphs[i].kind == INTAKE_PARA_LEAD;
    for (size_t i = 0; i < r->n_articles; i++)
        structure_byline(r, &r->articles[i], today);
    structure_attach(r, has_lead);
}
