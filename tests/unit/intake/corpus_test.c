/* corpus_test.c — how well intake reads meeting reports it was not written
 * for: recall and precision of directives, and the meeting's name, date (with
 * its year) and chair, over the hand-labelled corpus in tests/intake/corpus/.
 *
 * Two sets: dev/ (the reports the rules were developed on) and held/ (reports
 * kept apart: written before the rules were tuned and never tuned on, so that
 * their figure says whether the rules generalise).  Each report NAME.txt has
 * NAME.json: the import's date ("today"), its meetings (accepted names, the
 * date, accepted chairs) and its directives (text, meeting, the units its
 * subject names; "optional" ones count neither as found nor as false).
 *
 * Every report is read in three shapes, made here from its text:
 *   paragraphs — the text as written, a paragraph a line;
 *   dump       — a page dump: every line cut at a 17-character column (the
 *                first of a paragraph indented, two characters narrower), a
 *                blank line after each piece;
 *   pair       — two reports in one text, cut at the column with single
 *                newlines, with page furniture: a page header, a share bar, a
 *                page cut (下转/上接) inside the first report's middle paragraph,
 *                an editor's line as wide as the column right before a
 *                paragraph of the second, OCR spaces after its 。, and the web
 *                page's 上一篇/下一篇 links after it.
 *
 * Scoring happens on the text without white space, where the input, the
 * repaired text and the gold texts all agree.  A found directive matches a gold
 * one when they overlap by more than half of each; a merged or badly cut
 * directive therefore counts as a miss and a false one.  A gold meeting's
 * counterpart is the first meeting found in its report's part of the text with
 * an accepted name, else the first one there.  A directive is attached when
 * its meeting is its gold meeting's counterpart; its units are right when the
 * units it names are exactly the gold ones; its title when it is the gold
 * title (white space aside): the action clause (src/intake/title.c), written
 * for every directive that is not optional.
 *
 * The test asserts the exact counts in `expected` below, printing every
 * figure; INTAKE_CORPUS_VERBOSE=1 also lists each miss, false directive and
 * wrong meeting, and INTAKE_CORPUS_DUMP=NAME:SHAPE (d01_changwei:dump) prints
 * that input with what was read from it.  When a change to intake improves a figure, update the
 * table (counts may only go up for found/right and down for false). */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "intake/intake.h"
#include "util/buf.h"
#include "util/utf8.h"

#define CORPUS_DIR "tests/intake/corpus"
#define COLUMN     34 /* half-width cells: 17 Han characters */

enum shape { SHAPE_PARAGRAPHS, SHAPE_DUMP, SHAPE_PAIR, SHAPE_N };
static const char *const shape_names[] = {"paragraphs", "dump", "pair"};

struct score {
    int reports, gold, found, matched, false_found;
    int meetings, name_ok, date_ok, chair_ok, attached, units_ok, titles_ok;
};

/* The exact figures of each set and shape (see the file comment). */
static const struct {
    const char *set;
    enum shape shape;
    struct score s;
} expected[] = {
    {"dev", SHAPE_PARAGRAPHS, {15, 96, 96, 96, 0, 15, 15, 15, 15, 96, 96, 96}},
    {"dev", SHAPE_DUMP, {15, 96, 96, 96, 0, 15, 15, 15, 15, 96, 96, 96}},
    {"dev", SHAPE_PAIR, {30, 192, 192, 192, 0, 30, 30, 30, 30, 192, 192, 192}},
    {"held", SHAPE_PARAGRAPHS, {10, 46, 48, 46, 2, 10, 9, 10, 10, 46, 46, 46}},
    {"held", SHAPE_DUMP, {10, 46, 48, 46, 2, 10, 9, 10, 10, 46, 46, 46}},
    {"held", SHAPE_PAIR, {20, 92, 97, 91, 6, 20, 18, 20, 20, 91, 91, 91}},
};

static int verbose;

/* ---- a report and its gold labels ---- */

struct report {
    char *name;
    char *text; /* as written */
    size_t len;
    json_t *gold;
};

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    struct buf b;
    char chunk[8192];
    size_t n;
    if (!f) return NULL;
    buf_init(&b, 0);
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_append(&b, chunk, n);
    fclose(f);
    *len = b.len;
    return buf_detach(&b, NULL);
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The reports of CORPUS_DIR/set, sorted by name. */
static struct report *load_set(const char *set, size_t *n)
{
    char dir[256], path[512];
    char **names = NULL;
    size_t k = 0;
    snprintf(dir, sizeof dir, "%s/%s", CORPUS_DIR, set);
    DIR *d = opendir(dir);
    assert_non_null(d);
    for (struct dirent *e; (e = readdir(d));) {
        size_t l = strlen(e->d_name);
        if (l < 5 || strcmp(e->d_name + l - 4, ".txt")) continue;
        names = realloc(names, (k + 1) * sizeof *names);
        names[k++] = strndup(e->d_name, l - 4);
    }
    closedir(d);
    qsort(names, k, sizeof *names, name_cmp);
    struct report *v = calloc(k + 1, sizeof *v);
    for (size_t i = 0; i < k; i++) {
        json_error_t err;
        v[i].name = names[i];
        snprintf(path, sizeof path, "%s/%s.txt", dir, names[i]);
        v[i].text = slurp(path, &v[i].len);
        assert_non_null(v[i].text);
        snprintf(path, sizeof path, "%s/%s.json", dir, names[i]);
        v[i].gold = json_load_file(path, 0, &err);
        if (!v[i].gold) fail_msg("%s: %s", path, err.text);
    }
    free(names);
    *n = k;
    return v;
}

static void free_set(struct report *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].name);
        free(v[i].text);
        json_decref(v[i].gold);
    }
    free(v);
}

/* ---- white space and the text without it ---- */

/* Bytes of white space at s[i]: ASCII space, tab, newline, CR or U+3000. */
static size_t ws_at(const char *s, size_t len, size_t i)
{
    if (s[i] == ' ' || s[i] == '\n' || s[i] == '\t' || s[i] == '\r') return 1;
    if (len - i >= 3 && !memcmp(s + i, "\xe3\x80\x80", 3)) return 3;
    return 0;
}

static char *squeeze(const char *s, size_t len, size_t *out)
{
    char *o = malloc(len + 1);
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        size_t w = ws_at(s, len, i);
        if (w) {
            i += w;
            continue;
        }
        o[n++] = s[i++];
    }
    o[n] = '\0';
    *out = n;
    return o;
}

static int cell_width(uint32_t cp)
{
    return cp < 0x1100 ? 1 : 2;
}

/* ---- making a shape ----
 * The generator appends to `out` and keeps `norm`, the count of bytes of out
 * that are not white space; map[j] is, for byte j of the current report's
 * squeezed text, its place in the squeezed input. */

struct gen {
    struct buf out;
    size_t norm;
    size_t *map; /* for the report being written */
    int ocr;     /* a space after every 。 */
    int indent;  /* the first line of a paragraph two characters narrower */
};

static void gen_furniture(struct gen *g, const char *s)
{
    size_t len = strlen(s);
    buf_append(&g->out, s, len);
    for (size_t i = 0; i < len;) {
        size_t w = ws_at(s, len, i);
        if (w) {
            i += w;
            continue;
        }
        g->norm++, i++;
    }
}

/* Append s[from..to) of a report, recording where its bytes land; *sq counts
 * the report's squeezed bytes so far. */
static void gen_text(struct gen *g, const char *s, size_t from, size_t to, size_t *sq)
{
    for (size_t i = from; i < to;) {
        size_t w = ws_at(s, to, i);
        if (w) {
            buf_append(&g->out, s + i, w);
            i += w;
            continue;
        }
        buf_putc(&g->out, s[i]);
        g->map[(*sq)++] = g->norm++;
        i++;
        if (g->ocr && i >= 3 && !memcmp(s + i - 3, "。", 3)) buf_putc(&g->out, ' ');
    }
}

struct cut {
    size_t line;  /* index of the line to cut, (size_t)-1 for none */
    size_t piece; /* after which wrapped piece of it */
};

/* Write report rep cut at the column, each piece ending with sep, with a page
 * cut at c and the line editor_before (if any) before its second long
 * paragraph. */
static void gen_lines(struct gen *g, const struct report *rep, const char *sep, struct cut c,
                      const char *editor_before)
{
    size_t sq = 0, line = 0, body_lines = 0;
    const char *t = rep->text;
    size_t len = rep->len;
    for (size_t a = 0; a < len; line++) {
        const char *nl = memchr(t + a, '\n', len - a);
        size_t b = nl ? (size_t)(nl - t) : len, piece = 0;
        if (a == b) {
            a = b + 1;
            continue;
        }
        if (editor_before && line > 0 && utf8_count(t + a, b - a) > 40 && body_lines++ == 1)
            gen_furniture(g, editor_before);
        for (size_t i = a; i < b; piece++) {
            size_t j = i;
            int w = 0, col = COLUMN - (piece == 0 && g->indent ? 4 : 0);
            while (j < b) {
                uint32_t cp;
                size_t n = utf8_decode(t + j, b - j, &cp);
                if (w + cell_width(cp) > col) break;
                w += cell_width(cp);
                j += n;
            }
            gen_text(g, t, i, j, &sq);
            if (line == c.line && piece == c.piece) {
                /* the page cut: eight more characters, then the furniture */
                size_t k = j, half = 0;
                while (k < b && half < 8) {
                    uint32_t cp;
                    k += utf8_decode(t + k, b - k, &cp);
                    half++;
                }
                buf_puts(&g->out, sep);
                gen_text(g, t, j, k, &sq);
                buf_puts(&g->out, sep);
                static const char *const cut[] = {"（下转第2版）", "A2", "要闻", "（上接第1版）"};
                for (size_t f = 0; f < 4; f++) {
                    gen_furniture(g, cut[f]);
                    buf_puts(&g->out, sep);
                }
                j = k;
            }
            buf_puts(&g->out, sep);
            i = j;
        }
        a = b + 1;
    }
}

static void gen_wrapped(struct gen *g, const struct report *rep, const char *sep, int ocr,
                        struct cut c, const char *editor_before)
{
    g->ocr = ocr;
    gen_lines(g, rep, sep, c, editor_before);
    g->ocr = 0;
}

/* The line and piece where the pair shape cuts report rep: the second wrapped
 * piece of its middle long paragraph. */
static struct cut gen_pick_cut(const struct report *rep)
{
    size_t line = 0, n_long = 0, which = 0;
    struct cut c = {(size_t)-1, 0};
    for (int pass = 0; pass < 2; pass++) {
        line = 0;
        for (size_t a = 0; a < rep->len; line++) {
            const char *nl = memchr(rep->text + a, '\n', rep->len - a);
            size_t b = nl ? (size_t)(nl - rep->text) : rep->len;
            if (utf8_count(rep->text + a, b - a) > 60) {
                if (pass == 0) n_long++;
                if (pass == 1 && which++ == n_long / 2) c.line = line, c.piece = 1;
            }
            a = b + 1;
        }
    }
    return c;
}

/* The input of one shape for reports v[i] (and v[i + 1] in a pair), with
 * maps[k] (for report k of the shape) filled and starts[k] the squeezed
 * offset where report k begins. */
static char *gen_shape(enum shape sh, const struct report *const *reps, size_t n_reps,
                       size_t **maps, size_t *starts, size_t *len)
{
    struct gen g;
    buf_init(&g.out, 0);
    g.norm = 0;
    g.ocr = g.indent = 0;
    for (size_t k = 0; k < n_reps; k++) {
        const struct report *rep = reps[k];
        g.map = maps[k];
        if (sh == SHAPE_PARAGRAPHS) {
            size_t sq = 0;
            starts[k] = g.norm;
            gen_text(&g, rep->text, 0, rep->len, &sq);
        } else if (sh == SHAPE_DUMP) {
            starts[k] = g.norm;
            g.indent = 1;
            gen_wrapped(&g, rep, "\n\n", 0, (struct cut){(size_t)-1, 0}, NULL);
            g.indent = 0;
        } else if (k == 0) {
            gen_furniture(&g, "第2版：要闻\n微信 智能问答 繁體版\n");
            starts[k] = g.norm;
            gen_wrapped(&g, rep, "\n", 0, gen_pick_cut(rep), NULL);
            gen_furniture(&g, "责任编辑：王晓\n");
        } else {
            starts[k] = g.norm;
            gen_wrapped(&g, rep, "\n", 1, (struct cut){(size_t)-1, 0},
                        "版面编辑：欧阳晓明　责任编辑：王刚\n");
            gen_furniture(&g,
                          "上一篇：市政府召开第二十五次常务会议\n下一篇：全市安全生产工作会议召开\n"
                          "【打印本页】【关闭窗口】\n");
        }
    }
    *len = g.out.len;
    return buf_detach(&g.out, NULL);
}

/* ---- scoring ---- */

struct span {
    size_t a, b; /* squeezed offsets, b exclusive */
};

static size_t overlap(struct span x, struct span y)
{
    size_t a = x.a > y.a ? x.a : y.a, b = x.b < y.b ? x.b : y.b;
    return b > a ? b - a : 0;
}

/* The squeezed offset of byte `at` of the repaired text. */
struct squeezer {
    const char *s;
    size_t len, at, norm;
};

static size_t squeeze_to(struct squeezer *q, size_t at)
{
    while (q->at < at) {
        size_t w = ws_at(q->s, q->len, q->at);
        if (w) {
            q->at += w;
            continue;
        }
        q->norm++, q->at++;
    }
    return q->norm;
}

/* Byte offset in the repaired text of code point offset cp (monotone calls). */
struct cps {
    const char *s;
    size_t len, at, cp;
};

static size_t cp_byte(struct cps *c, size_t cp)
{
    while (c->cp < cp && c->at < c->len) {
        uint32_t x;
        c->at += utf8_decode(c->s + c->at, c->len - c->at, &x);
        c->cp++;
    }
    return c->at;
}

static int accepted(json_t *list, const char *s)
{
    size_t i;
    json_t *v;
    if (!s) return 0;
    size_t n;
    char *sq = squeeze(s, strlen(s), &n);
    int ok = 0;
    json_array_foreach(list, i, v)
    {
        size_t m;
        char *g = squeeze(json_string_value(v), strlen(json_string_value(v)), &m);
        ok |= m == n && !memcmp(g, sq, n);
        free(g);
    }
    free(sq);
    return ok;
}

/* 1 when a and b say the same, white space aside (b may be NULL: no). */
static int same_text(const char *a, const char *b)
{
    size_t na, nb;
    if (!a || !b) return 0;
    char *x = squeeze(a, strlen(a), &na), *y = squeeze(b, strlen(b), &nb);
    int same = na == nb && !memcmp(x, y, na);
    free(x);
    free(y);
    return same;
}

static void date_str(struct intake_date d, char *out, size_t size)
{
    if (d.year)
        snprintf(out, size, "%04d-%02d-%02d", d.year, d.month, d.day);
    else
        snprintf(out, size, "null");
}

static int units_equal(const struct intake_directive *d, json_t *units)
{
    if (json_array_size(units) != d->n_units) return 0;
    for (size_t i = 0; i < d->n_units; i++) {
        size_t k;
        json_t *u;
        int hit = 0;
        json_array_foreach(units, k, u) hit |= !strcmp(json_string_value(u), d->units[i]);
        if (!hit) return 0;
    }
    return 1;
}

static struct intake_date parse_iso(const char *s)
{
    struct intake_date d = {0, 0, 0};
    if (s && strlen(s) == 10) {
        d.year = (int)strtol(s, NULL, 10);
        d.month = (int)strtol(s + 5, NULL, 10);
        d.day = (int)strtol(s + 8, NULL, 10);
    }
    return d;
}

struct gold_dir {
    struct span sp;
    int report, meeting, optional, hit;
    json_t *units;
    const char *text, *title;
};

/* Where each squeezed byte of the repaired text r->text (out_len of them) is
 * in the squeezed input in[0..len): furniture paragraphs are found in order
 * first; the other paragraphs follow the input's order over what is left
 * (furniture may come after the paragraph a page cut parted).  A malloc'd
 * array, or NULL when the text differs from the input. */
static size_t *map_repaired(const struct intake_result *r, const char *in, size_t len,
                            size_t out_len)
{
    size_t *map = calloc(out_len + 1, sizeof *map), *fat = calloc(r->n_paragraphs + 1, sizeof *fat);
    char *taken = calloc(len + 1, 1);
    size_t o = 0, c = 0, fc = 0;
    int ok = 1;
    for (size_t i = 0; i < r->n_paragraphs && ok; i++) {
        size_t pl;
        char *p = squeeze(r->paragraphs[i].text, r->paragraphs[i].len, &pl);
        const char *hit = r->paragraphs[i].furniture ? memmem(in + fc, len - fc, p, pl) : NULL;
        if (hit) {
            fat[i] = (size_t)(hit - in);
            fc = fat[i] + pl;
            memset(taken + fat[i], 1, pl);
        }
        ok = hit || !r->paragraphs[i].furniture;
        free(p);
    }
    for (size_t i = 0; i < r->n_paragraphs && ok; i++) {
        size_t pl;
        char *p = squeeze(r->paragraphs[i].text, r->paragraphs[i].len, &pl);
        for (size_t x = 0; x < pl && ok; x++) {
            if (r->paragraphs[i].furniture) {
                map[o++] = fat[i] + x;
                continue;
            }
            while (c < len && taken[c])
                c++;
            ok = c < len && in[c] == p[x];
            map[o++] = c++;
        }
        free(p);
    }
    while (ok && c < len && taken[c])
        c++;
    ok = ok && c == len && o == out_len;
    free(fat);
    free(taken);
    if (!ok) {
        if (verbose)
            fprintf(stderr, "map_repaired: %zu of %zu bytes, at input %zu\n", o, out_len, c);
        free(map);
        return NULL;
    }
    return map;
}

/* Score one shape of reports reps[0..n) into *s. */
static void score_input(const struct report *const *reps, size_t n, enum shape sh, struct score *s)
{
    size_t *maps[2], starts[2], len;
    for (size_t k = 0; k < n; k++)
        maps[k] = calloc(reps[k]->len + 1, sizeof(size_t));
    char *in = gen_shape(sh, reps, n, maps, starts, &len);
    struct intake_options opt = {0};
    struct intake_result r;
    for (size_t k = 0; k < n; k++) { /* one import of both: the later date */
        struct intake_date t =
            parse_iso(json_string_value(json_object_get(reps[k]->gold, "today")));
        if (k == 0 || t.year * 400 + t.month * 32 + t.day >
                          opt.today.year * 400 + opt.today.month * 32 + opt.today.day)
            opt.today = t;
    }
    assert_int_equal(intake_run(in, len, &opt, &r, NULL), INTAKE_OK);

    const char *dump = getenv("INTAKE_CORPUS_DUMP"); /* NAME:SHAPE: print what was read */
    if (dump && !strncmp(dump, reps[0]->name, strlen(reps[0]->name)) &&
        !strcmp(dump + strlen(reps[0]->name), shape_names[sh])) {
        fprintf(stderr, "---- input\n%.*s\n---- paragraphs\n", (int)len, in);
        for (size_t i = 0; i < r.n_paragraphs; i++)
            fprintf(stderr, "%zu [%c a%d] %s\n", i,
                    r.paragraphs[i].furniture ? 'F' : "BHL"[r.paragraphs[i].kind],
                    r.paragraphs[i].article, r.paragraphs[i].text);
        for (size_t i = 0; i < r.n_meetings; i++)
            fprintf(stderr, "meeting %zu: %s | %d-%d-%d | %s | a%d p%zu\n", i, r.meetings[i].name,
                    r.meetings[i].date.year, r.meetings[i].date.month, r.meetings[i].date.day,
                    r.meetings[i].chair ? r.meetings[i].chair : "-", r.meetings[i].article,
                    r.meetings[i].paragraph);
        for (size_t i = 0; i < r.n_directives; i++)
            fprintf(stderr, "directive %zu (p%zu m%d): %s\n", i, r.directives[i].paragraph,
                    r.directives[i].meeting, r.directives[i].text);
    }

    /* the repaired text says the same as the input, white space aside (a
     * page cut's furniture may follow the paragraph it cut): rmap takes each
     * squeezed byte of it to the squeezed input */
    size_t in_sq_len, out_sq_len;
    char *in_sq = squeeze(in, len, &in_sq_len), *out_sq = squeeze(r.text, r.len, &out_sq_len);
    size_t *rmap = map_repaired(&r, in_sq, in_sq_len, out_sq_len);
    if (!rmap)
        fail_msg("%s (%s): the repaired text differs from the input", reps[0]->name,
                 shape_names[sh]);

    /* gold directives in squeezed input offsets */
    struct gold_dir *gd = NULL;
    size_t n_gd = 0;
    for (size_t k = 0; k < n; k++) {
        size_t rep_sq_len, i;
        char *rep_sq = squeeze(reps[k]->text, reps[k]->len, &rep_sq_len);
        json_t *d;
        json_array_foreach(json_object_get(reps[k]->gold, "directives"), i, d)
        {
            const char *t = json_string_value(json_object_get(d, "text"));
            size_t tl;
            char *tsq = squeeze(t, strlen(t), &tl);
            const char *hit = memmem(rep_sq, rep_sq_len, tsq, tl);
            if (!hit) fail_msg("%s: gold directive not in the text: %s", reps[k]->name, t);
            size_t a = (size_t)(hit - rep_sq);
            gd = realloc(gd, (n_gd + 1) * sizeof *gd);
            gd[n_gd] = (struct gold_dir){{maps[k][a], maps[k][a + tl - 1] + 1},
                                         (int)k,
                                         (int)json_integer_value(json_object_get(d, "meeting")),
                                         json_is_true(json_object_get(d, "optional")),
                                         0,
                                         json_object_get(d, "units"),
                                         t,
                                         json_string_value(json_object_get(d, "title"))};
            n_gd++;
            free(tsq);
        }
        free(rep_sq);
    }

    /* paragraphs, meetings and directives found, in squeezed offsets */
    struct squeezer q = {r.text, r.len, 0, 0};
    size_t *para_at = calloc(r.n_paragraphs + 1, sizeof *para_at), byte = 0;
    for (size_t i = 0; i < r.n_paragraphs; i++) {
        para_at[i] = rmap[squeeze_to(&q, byte)];
        byte += r.paragraphs[i].len + 1;
    }
    int counterpart[2][4];
    memset(counterpart, -1, sizeof counterpart);
    for (size_t k = 0; k < n; k++) {
        size_t from = starts[k], to = k + 1 < n ? starts[k + 1] : (size_t)-1, i;
        json_t *gm;
        json_array_foreach(json_object_get(reps[k]->gold, "meetings"), i, gm)
        {
            if (i >= 4) break;
            int first = -1, named = -1;
            for (size_t m = 0; m < r.n_meetings; m++) {
                size_t at = para_at[r.meetings[m].paragraph];
                if (at < from || at >= to) continue;
                if (first < 0) first = (int)m;
                if (named < 0 && accepted(json_object_get(gm, "names"), r.meetings[m].name))
                    named = (int)m;
            }
            int m = named >= 0 ? named : first;
            char want[16], got[16];
            counterpart[k][i] = m;
            s->meetings++;
            const struct intake_meeting *pm = m >= 0 ? &r.meetings[m] : NULL;
            int date_ok = 0, chair_ok = 0;
            date_str(parse_iso(json_string_value(json_object_get(gm, "date"))), want, sizeof want);
            date_str(pm ? pm->date : (struct intake_date){0, 0, 0}, got, sizeof got);
            date_ok = pm && !strcmp(want, got);
            json_t *chairs = json_object_get(gm, "chairs");
            chair_ok = pm && (json_array_size(chairs) ? accepted(chairs, pm->chair) : !pm->chair);
            s->name_ok += named >= 0;
            s->date_ok += date_ok;
            s->chair_ok += chair_ok;
            if (verbose && (named < 0 || !date_ok || !chair_ok))
                fprintf(stderr, "  %s %s: meeting %s%s | date %s want %s | chair %s\n",
                        shape_names[sh], reps[k]->name, pm ? pm->name : "(none)",
                        named < 0 ? " (name wrong)" : "", got, want,
                        pm && pm->chair ? pm->chair : "(none)");
        }
    }
    struct cps c = {r.text, r.len, 0, 0};
    q = (struct squeezer){r.text, r.len, 0, 0};
    for (size_t i = 0; i < r.n_directives; i++) {
        const struct intake_directive *d = &r.directives[i];
        struct span sp;
        sp.a = rmap[squeeze_to(&q, cp_byte(&c, d->start))];
        sp.b = rmap[squeeze_to(&q, cp_byte(&c, d->end)) - 1] + 1;
        int best = -1;
        for (size_t k = 0; k < n_gd; k++) {
            size_t o = overlap(sp, gd[k].sp);
            if (2 * o > sp.b - sp.a && 2 * o > gd[k].sp.b - gd[k].sp.a) best = (int)k;
        }
        if (best >= 0 && gd[best].optional) continue;
        s->found++;
        if (best < 0) {
            s->false_found++;
            if (verbose)
                fprintf(stderr, "  %s %s: false: %s\n", shape_names[sh], reps[0]->name, d->text);
            continue;
        }
        struct gold_dir *g = &gd[best];
        g->hit = 1;
        s->matched++;
        int want = g->meeting < 4 ? counterpart[g->report][g->meeting] : -1;
        s->attached += want >= 0 && d->meeting == want;
        if (verbose && !(want >= 0 && d->meeting == want))
            fprintf(stderr, "  %s %s: not attached (meeting %d, want %d): %s\n", shape_names[sh],
                    reps[g->report]->name, d->meeting, want, d->text);
        int uok = units_equal(d, g->units);
        s->units_ok += uok;
        if (verbose && !uok)
            fprintf(stderr, "  %s %s: units of %s\n", shape_names[sh], reps[g->report]->name,
                    d->text);
        int tok = same_text(d->title, g->title);
        s->titles_ok += tok;
        if (verbose && !tok)
            fprintf(stderr, "  %s %s: title %s, want %s\n", shape_names[sh], reps[g->report]->name,
                    d->title, g->title ? g->title : "(none)");
    }
    for (size_t k = 0; k < n_gd; k++) {
        if (gd[k].optional) continue;
        s->gold++;
        if (verbose && !gd[k].hit)
            fprintf(stderr, "  %s %s: missed: %s\n", shape_names[sh], reps[gd[k].report]->name,
                    gd[k].text);
    }
    s->reports += (int)n;
    free(para_at);
    free(rmap);
    free(gd);
    free(in_sq);
    free(out_sq);
    intake_result_free(&r);
    free(in);
    for (size_t k = 0; k < n; k++)
        free(maps[k]);
}

static void print_score(const char *set, enum shape sh, const struct score *s)
{
    printf("intake corpus %-4s %-10s: recall %5.1f%% (%d/%d), precision %5.1f%% (%d false of %d);"
           " meetings %d: name %d, date %d, chair %d; attached %d/%d; units %d/%d;"
           " titles %d/%d\n",
           set, shape_names[sh], s->gold ? 100.0 * s->matched / s->gold : 0, s->matched, s->gold,
           s->found ? 100.0 * s->matched / s->found : 0, s->false_found, s->found, s->meetings,
           s->name_ok, s->date_ok, s->chair_ok, s->attached, s->matched, s->units_ok, s->matched,
           s->titles_ok, s->matched);
    printf("    {\"%s\", SHAPE_%s, {%d, %d, %d, %d, %d, %d, %d, %d, %d, %d, %d, %d}},\n", set,
           sh == SHAPE_PARAGRAPHS ? "PARAGRAPHS"
           : sh == SHAPE_DUMP     ? "DUMP"
                                  : "PAIR",
           s->reports, s->gold, s->found, s->matched, s->false_found, s->meetings, s->name_ok,
           s->date_ok, s->chair_ok, s->attached, s->units_ok, s->titles_ok);
}

static void test_set(void **state)
{
    const char *set = *state;
    size_t n;
    struct report *v = load_set(set, &n);
    int bad = 0;
    assert_true(n >= 10);
    for (enum shape sh = 0; sh < SHAPE_N; sh++) {
        struct score s = {0};
        for (size_t i = 0; i < n; i++) {
            const struct report *reps[2] = {&v[i], &v[(i + 1) % n]};
            score_input(reps, sh == SHAPE_PAIR ? 2 : 1, sh, &s);
        }
        print_score(set, sh, &s);
        for (size_t k = 0; k < sizeof expected / sizeof expected[0]; k++)
            if (!strcmp(expected[k].set, set) && expected[k].shape == sh &&
                memcmp(&expected[k].s, &s, sizeof s))
                bad = 1,
                fprintf(stderr, "intake corpus %s %s: the figures changed\n", set, shape_names[sh]);
    }
    free_set(v, n);
    if (bad) fail_msg("the corpus figures differ from the table in corpus_test.c");
}

int main(void)
{
    static const char *const sets[] = {"dev", "held"};
    verbose = getenv("INTAKE_CORPUS_VERBOSE") != NULL;
    const struct CMUnitTest tests[] = {
        {"dev", test_set, NULL, NULL, (void *)sets[0]},
        {"held", test_set, NULL, NULL, (void *)sets[1]},
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
