/* intake.c — the intake pipeline as one call: clean → repair lines → articles
 * → meetings → directives → suggestions, plus freeing the result and the
 * entry point benchmarks use.  The stages live in their own files; this one
 * only orders them, lays out the repaired text (paragraphs joined by "\n")
 * and computes each paragraph's code point offsets in it. */
#include <stdlib.h>
#include <string.h>

#include "intake/internal.h"
#include "util/buf.h"
#include "util/mem.h"

void intake_strv_push(char ***v, size_t *n, const char *s, size_t len)
{
    *v = xrealloc(*v, (*n + 1) * sizeof **v);
    (*v)[(*n)++] = xstrndup(s, len);
}

void intake_strv_free(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

/* Join the paragraphs into r->text and set their offsets. */
static void intake_layout_text(struct intake_result *r)
{
    size_t cps = 0, size = 1, n = 0;
    for (size_t i = 0; i < r->n_paragraphs; i++)
        size += r->paragraphs[i].len + 1;
    r->text = xmalloc(size);
    for (size_t i = 0; i < r->n_paragraphs; i++) {
        struct intake_paragraph *p = &r->paragraphs[i];
        if (i > 0) {
            r->text[n++] = '\n';
            cps++;
        }
        memcpy(r->text + n, p->text, p->len);
        n += p->len;
        p->start = cps;
        cps += intake_text_count(p->text, p->len);
        p->end = cps;
    }
    r->text[n] = '\0';
    r->len = n;
}

int intake_run(const char *data, size_t len, const struct intake_options *opt,
               struct intake_result *out, size_t *bad_offset)
{
    struct intake_options o = {0};
    char *clean = NULL;
    size_t clean_len = 0;
    int rc = INTAKE_OK;

    memset(out, 0, sizeof *out);
    if (opt) o = *opt;
    if (!o.rules) o.rules = intake_rules_default(&o.n_rules);
    if (o.default_days <= 0) o.default_days = 20;
    if (o.near_days <= 0) o.near_days = 10;
    if (!o.max_len) o.max_len = INTAKE_MAX_LEN;
    if (len > o.max_len) return INTAKE_ETOOLONG;

    clean = xmalloc(len + 1);
    rc = intake_clean(data, len, clean, &clean_len, bad_offset);
    if (rc != INTAKE_OK) goto out;
    intake_lines_repair(clean, clean_len, out);
    intake_layout_text(out);
    intake_structure_articles(out, o.today);
    intake_meetings_find(out, o.today);
    intake_directives_find(out);
    intake_suggest(out, &o);
out:
    free(clean);
    return rc;
}

static void intake_article_free(struct intake_article *a)
{
    free(a->title);
    intake_strv_free(a->subtitles, a->n_subtitles);
    free(a->dateline);
    free(a->byline);
    free(a->paragraphs);
}

static void intake_directive_free(struct intake_directive *d)
{
    free(d->text);
    free(d->topic);
    free(d->title);
    intake_strv_free(d->verbs, d->n_verbs);
    intake_strv_free(d->units, d->n_units);
    intake_strv_free(d->suggested_units, d->n_suggested_units);
}

void intake_result_free(struct intake_result *r)
{
    if (!r) return;
    for (size_t i = 0; i < r->n_paragraphs; i++)
        free(r->paragraphs[i].text);
    free(r->paragraphs);
    for (size_t i = 0; i < r->n_articles; i++)
        intake_article_free(&r->articles[i]);
    free(r->articles);
    for (size_t i = 0; i < r->n_meetings; i++) {
        free(r->meetings[i].name);
        free(r->meetings[i].chair);
        intake_strv_free(r->meetings[i].agenda, r->meetings[i].n_agenda);
    }
    free(r->meetings);
    for (size_t i = 0; i < r->n_directives; i++)
        intake_directive_free(&r->directives[i]);
    free(r->directives);
    free(r->text);
    memset(r, 0, sizeof *r);
}

size_t intake_bench_run(const char *data, size_t len, int with_json)
{
    struct intake_result r;
    if (intake_run(data, len, NULL, &r, NULL) != INTAKE_OK) return (size_t)-1;
    if (with_json == 1) {
        json_t *j = intake_result_to_json(&r);
        free(json_dumps(j, JSON_COMPACT));
        json_decref(j);
    } else if (with_json == 2) {
        struct buf b;
        buf_init(&b, 0);
        intake_result_write_json(&r, &b);
        buf_free(&b);
    }
    size_t n = r.n_directives;
    intake_result_free(&r);
    return n;
}
