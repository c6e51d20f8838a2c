/* intake_fuzz.c — libFuzzer target over the whole intake pipeline.
 *
 * Any input must either be rejected as invalid UTF-8 (with an offset inside
 * it) or yield a result whose strings are valid UTF-8, whose paragraph and
 * directive offsets lie inside the repaired text and point at the directive's
 * own text, and whose JSON renders — written into a buffer exactly as jansson
 * renders it.  Build: make fuzz (clang -fsanitize=fuzzer). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "intake/intake.h"
#include "util/buf.h"
#include "util/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_utf8(const char *s)
{
    if (s && !utf8_validate(s, strlen(s), NULL)) abort();
}

static void check_result(const struct intake_result *r)
{
    size_t total = utf8_count(r->text, r->len);
    check_utf8(r->text);
    for (size_t i = 0; i < r->n_paragraphs; i++) {
        const struct intake_paragraph *p = &r->paragraphs[i];
        check_utf8(p->text);
        if (p->start > p->end || p->end > total) abort();
    }
    for (size_t i = 0; i < r->n_directives; i++) {
        const struct intake_directive *d = &r->directives[i];
        if (d->paragraph >= r->n_paragraphs) abort();
        const struct intake_paragraph *p = &r->paragraphs[d->paragraph];
        if (d->start >= d->end || d->start < p->start || d->end > p->end) abort();
        check_utf8(d->text);
        check_utf8(d->topic);
        if (utf8_count(d->text, strlen(d->text)) != d->end - d->start) abort();
        for (size_t k = 0; k < d->n_units; k++)
            check_utf8(d->units[k]);
        for (size_t k = 0; k < d->n_verbs; k++)
            check_utf8(d->verbs[k]);
    }
    for (size_t i = 0; i < r->n_articles; i++) {
        check_utf8(r->articles[i].title);
        check_utf8(r->articles[i].dateline);
        check_utf8(r->articles[i].byline);
        for (size_t k = 0; k < r->articles[i].n_paragraphs; k++)
            if (r->articles[i].paragraphs[k] >= r->n_paragraphs) abort();
    }
    for (size_t i = 0; i < r->n_meetings; i++) {
        check_utf8(r->meetings[i].name);
        check_utf8(r->meetings[i].chair);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct intake_options opt = {0};
    struct intake_result r;
    size_t bad = 0;
    opt.today = (struct intake_date){2023, 3, 16};
    opt.kinds = ~0u;
    int rc = intake_run((const char *)data, size, &opt, &r, &bad);
    if (rc == INTAKE_EUTF8) {
        if (bad >= size) abort();
    } else if (rc == INTAKE_OK) {
        check_result(&r);
        json_t *j = intake_result_to_json(&r);
        char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
        if (!s) abort();
        /* the JSON written into a buffer parses and says exactly the same */
        struct buf b;
        buf_init(&b, 0);
        json_t *w = intake_result_write_json(&r, &b) ? NULL : json_loads(buf_cstr(&b), 0, NULL);
        char *ws = w ? json_dumps(w, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
        if (!ws || strcmp(ws, s) != 0) abort();
        free(ws);
        json_decref(w);
        buf_free(&b);
        free(s);
        json_decref(j);
    }
    intake_result_free(&r);
    return 0;
}
