/* golden_test.c — the whole intake pipeline over the reports in tests/intake/,
 * compared exactly with their expected JSON (tests/intake/NAME.json): every
 * paragraph, article, headline, meeting and directive with its units, topic,
 * verbs, offsets and deadline.  The expected files were written by hand-checking
 * the pipeline's output line by line; INTAKE_GOLDEN_UPDATE=1 rewrites them
 * (review the diff before committing).  Run from the repository root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "intake/intake.h"
#include "util/buf.h"
#include "util/utf8.h"

struct golden {
    const char *name;
    struct intake_date today;
};

static const struct golden goldens[] = {
    {"seed", {2023, 3, 16}},      /* the newspaper page of issue 4 */
    {"monthly", {2024, 4, 3}},    /* monthly work-deployment meeting, column-cut */
    {"safety", {2024, 5, 10}},    /* safety-production meeting, single newlines */
    {"executive", {2024, 6, 20}}, /* 常务会议, no layout damage */
};

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *data = NULL;
    size_t cap = 0, n = 0;
    if (!f) return NULL;
    for (;;) {
        if (n + 4096 > cap) {
            cap = cap ? cap * 2 : 65536;
            data = realloc(data, cap + 1);
            assert_non_null(data);
        }
        size_t got = fread(data + n, 1, cap - n, f);
        n += got;
        if (got == 0) break;
    }
    fclose(f);
    data[n] = '\0';
    *len = n;
    return data;
}

/* r->text is the paragraphs joined by "\n", and every offset points at its text. */
static void check_offsets(const struct intake_result *r)
{
    size_t at = 0, cps = 0;
    for (size_t i = 0; i < r->n_paragraphs; i++) {
        const struct intake_paragraph *p = &r->paragraphs[i];
        assert_int_equal(p->start, cps);
        assert_memory_equal(r->text + at, p->text, p->len);
        cps += utf8_count(p->text, p->len);
        assert_int_equal(p->end, cps);
        at += p->len + 1;
        cps++;
    }
    for (size_t i = 0; i < r->n_directives; i++) {
        const struct intake_directive *d = &r->directives[i];
        const struct intake_paragraph *p = &r->paragraphs[d->paragraph];
        assert_true(d->start >= p->start && d->end <= p->end && d->start < d->end);
        const char *s = p->text;
        size_t k = p->start;
        while (k < d->start) {
            uint32_t cp;
            s += utf8_decode(s, strlen(s), &cp);
            k++;
        }
        assert_memory_equal(s, d->text, strlen(d->text));
        assert_int_equal(utf8_count(d->text, strlen(d->text)), d->end - d->start);
    }
}

static void test_golden(void **state)
{
    const struct golden *g = *state;
    char in_path[256], json_path[256];
    size_t len = 0, bad = 0;
    snprintf(in_path, sizeof in_path, "tests/intake/%s.txt", g->name);
    snprintf(json_path, sizeof json_path, "tests/intake/%s.json", g->name);
    char *in = slurp(in_path, &len);
    assert_non_null(in);

    struct intake_options opt = {0};
    struct intake_result r;
    opt.today = g->today;
    assert_int_equal(intake_run(in, len, &opt, &r, &bad), INTAKE_OK);
    check_offsets(&r);
    json_t *actual = intake_result_to_json(&r);
    json_object_del(actual, "text");
    if (getenv("INTAKE_GOLDEN_UPDATE"))
        json_dump_file(actual, json_path, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_error_t err;
    json_t *expected = json_load_file(json_path, 0, &err);
    if (!expected) fail_msg("%s: %s", json_path, err.text);
    if (!json_equal(actual, expected)) {
        char *s = json_dumps(actual, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        fprintf(stderr, "%s differs; actual:\n%s\n", json_path, s);
        free(s);
        fail_msg("%s: output differs from the golden file", g->name);
    }
    /* the JSON written straight into a buffer (the API's) says the same */
    struct buf b;
    buf_init(&b, 0);
    assert_int_equal(intake_result_write_json(&r, &b), 0);
    json_t *written = json_loads(buf_cstr(&b), JSON_REJECT_DUPLICATES, &err);
    if (!written) fail_msg("%s: the written JSON does not parse: %s", g->name, err.text);
    assert_true(json_equal(written, expected));
    char *a = json_dumps(written, JSON_COMPACT | JSON_PRESERVE_ORDER);
    char *e = json_dumps(actual, JSON_COMPACT | JSON_PRESERVE_ORDER);
    assert_string_equal(a, e); /* the same keys in the same order */
    free(a);
    free(e);
    json_decref(written);
    buf_free(&b);
    json_decref(actual);
    json_decref(expected);
    intake_result_free(&r);
    free(in);
}

int main(void)
{
    struct CMUnitTest tests[sizeof goldens / sizeof goldens[0]];
    size_t n = 0;
    for (size_t i = 0; i < sizeof goldens / sizeof goldens[0]; i++) {
        struct CMUnitTest t = {goldens[i].name, test_golden, NULL, NULL, (void *)&goldens[i]};
        tests[n++] = t;
    }
    return _cmocka_run_group_tests("intake_golden", tests, n, NULL, NULL);
}
