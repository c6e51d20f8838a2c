/* errtext_test.c — the error texts (core/errtext.c), issue 17 major 3:
 * every error code set anywhere in src/ has its row; the table is sorted and
 * unique; every row, walked in both languages, reads as Chinese in Chinese
 * (CJK text, and no ASCII word beyond a few names of formats) and as English
 * in English; the codes never change with the language; and the errors the
 * issue names — progress 150, an extension date, a date and working days
 * both given, a triage without a deadline, 403, 404, the CSRF refusal, an
 * unknown meeting, a gas report without its required field — read as the
 * sentences below. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/errtext.h"

/* ASCII words a Chinese text may carry: names of formats and units. */
static const char *const names_ok[] = {"JSON", "UTF", "JPEG", "PNG", "MB", "HTTP", "Host"};

/* 1 when s has a CJK character and no ASCII word other than names_ok. */
static int reads_as_chinese(const char *s)
{
    int cjk = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        if (*p >= 0xe4 && *p <= 0xe9) cjk = 1; /* U+4E00..U+9FFF lead bytes */
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')) {
            size_t n = 0;
            while ((p[n] >= 'a' && p[n] <= 'z') || (p[n] >= 'A' && p[n] <= 'Z'))
                n++;
            int ok = 0;
            for (size_t k = 0; k < sizeof names_ok / sizeof *names_ok; k++)
                if (strlen(names_ok[k]) == n && !memcmp(names_ok[k], p, n)) ok = 1;
            if (!ok) return 0;
            p += n;
            continue;
        }
        p++;
    }
    return cjk;
}

/* 1 when s is printable ASCII (the English texts, quotes and all). */
static int reads_as_ascii(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p > 0x7e) return 0;
    return *s != '\0';
}

static void test_sorted_unique_complete(void **state)
{
    (void)state;
    size_t n, nf;
    const struct errtext *t = errtext_table(&n), *f = errtext_fields(&nf);
    assert_true(n >= 52);
    for (size_t i = 0; i < n; i++) {
        if (i && strcmp(t[i - 1].key, t[i].key) >= 0)
            fail_msg("not sorted or twice: '%s' then '%s'", t[i - 1].key, t[i].key);
        if (!reads_as_chinese(t[i].zh)) fail_msg("%s: not Chinese: %s", t[i].key, t[i].zh);
        if (!reads_as_ascii(t[i].en)) fail_msg("%s: not English: %s", t[i].key, t[i].en);
        assert_ptr_equal(errtext_find(t[i].key), &t[i]);
    }
    for (size_t i = 0; i < nf; i++) {
        if (i && strcmp(f[i - 1].key, f[i].key) >= 0)
            fail_msg("fields not sorted or twice: '%s' then '%s'", f[i - 1].key, f[i].key);
        if (!reads_as_chinese(f[i].zh)) fail_msg("field %s: not Chinese", f[i].key);
        if (!reads_as_ascii(f[i].en)) fail_msg("field %s: not English", f[i].key);
    }
    assert_null(errtext_find("no_such_code"));
}

/* Every row, as an error of its code (and detail or field), in both
 * languages: Chinese reads as Chinese, English as the message, the code
 * stays.  A message quoting a field gets the field's label. */
static void test_every_row_in_both_languages(void **state)
{
    (void)state;
    size_t n;
    const struct errtext *t = errtext_table(&n);
    for (size_t i = 0; i < n; i++) {
        char code[64], out[700];
        const char *colon = strchr(t[i].key, ':');
        snprintf(code, sizeof code, "%.*s", colon ? (int)(colon - t[i].key) : (int)strlen(t[i].key),
                 t[i].key);
        struct err e = {0};
        err_set(&e, 422, code, "'%s' is wrong in English", colon ? colon + 1 : "title");
        if (colon) err_detail(&e, colon + 1);
        errtext_message(&e, 0, out, sizeof out);
        if (!reads_as_chinese(out)) fail_msg("%s in Chinese: %s", t[i].key, out);
        if (colon)
            assert_string_equal(out, t[i].zh);
        else if (!strstr(out, "标题"))
            fail_msg("%s in Chinese names no field: %s", t[i].key, out);
        assert_string_equal(e.code, code);
        errtext_message(&e, 1, out, sizeof out);
        assert_string_equal(out, e.message);
        e.message[0] = '\0'; /* no detail: the table's English */
        errtext_message(&e, 1, out, sizeof out);
        assert_string_equal(out, t[i].en);
    }
}

/* The source tree, from this file's path as compiled. */
static void src_dir(char *out, size_t n, const char *sub)
{
    const char *self = __FILE__, *cut = strstr(self, "tests/unit/core/");
    snprintf(out, n, "%.*ssrc%s%s", cut ? (int)(cut - self) : 0, self, sub ? "/" : "",
             sub ? sub : "");
}

/* Every `NNN, "code"` with NNN ≥ 400 (a status and an error code: err_set,
 * err_say, req_reply_error) and every err_detail(…, "detail") in text. */
static int check_text(const char *path, const char *text)
{
    int found = 0;
    for (const char *p = text; (p = strstr(p, ", \"")) != NULL; p++) {
        /* p[-3..-1] a status from 400 to 599, after a space or a parenthesis */
        if (p - text < 4 || (p[-4] != ' ' && p[-4] != '(') || p[-3] < '4' || p[-3] > '5' ||
            p[-2] < '0' || p[-2] > '9' || p[-1] < '0' || p[-1] > '9')
            continue;
        const char *s = p + 3, *end = s;
        while ((*end >= 'a' && *end <= 'z') || *end == '_' || (*end >= '0' && *end <= '9'))
            end++;
        if (*end != '"' || end == s) continue;
        char code[64];
        snprintf(code, sizeof code, "%.*s", (int)(end - s), s);
        if (!errtext_find(code)) fail_msg("%s sets the code %s, which has no text", path, code);
        found++;
    }
    for (const char *p = text; (p = strstr(p, "err_detail(")) != NULL; p++) {
        const char *q = strstr(p, ", \"");
        const char *end = q ? strchr(q + 3, '"') : NULL;
        if (!end || strchr(p, ';') < q) continue;
        char detail[64], key[96];
        snprintf(detail, sizeof detail, "%.*s", (int)(end - q - 3), q + 3);
        size_t n, ok = 0;
        const struct errtext *t = errtext_table(&n);
        for (size_t i = 0; i < n; i++) {
            const char *c = strchr(t[i].key, ':');
            snprintf(key, sizeof key, ":%s", detail);
            if (c && !strcmp(c, key)) ok = 1;
        }
        if (!ok) fail_msg("%s names the detail %s, which no row has", path, detail);
        found++;
    }
    return found;
}

static int check_dir(const char *dir)
{
    char path[1024];
    static char text[1 << 20];
    DIR *d = opendir(dir);
    if (!d) fail_msg("cannot open %s: run the test from the repository root", dir);
    int found = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        size_t l = strlen(de->d_name);
        if (l < 3 || strcmp(de->d_name + l - 2, ".c") || !strcmp(de->d_name, "errtext.c")) continue;
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        FILE *f = fopen(path, "r");
        assert_non_null(f);
        size_t len = fread(text, 1, sizeof text - 1, f);
        fclose(f);
        text[len] = '\0';
        found += check_text(path, text);
    }
    closedir(d);
    return found;
}

static void test_every_code_used_has_its_text(void **state)
{
    (void)state;
    static const char *const dirs[] = {"util", "db",  "intake", "core", "notice",
                                       "http", "api", "web",    "app",  "cli"};
    char dir[512];
    int found = 0;
    for (size_t k = 0; k < sizeof dirs / sizeof *dirs; k++) {
        src_dir(dir, sizeof dir, dirs[k]);
        found += check_dir(dir);
    }
    assert_true(found >= 300);
}

struct named_case {
    const char *code, *message, *detail, *subject, *zh;
};

/* The errors the issue found in English inside the Chinese pages. */
static const struct named_case named[] = {
    {"invalid_field", "'progress' must be an integer from 0 to 100", NULL, NULL,
     "进度须为 0 到 100 之间的整数。"},
    {"invalid_field", "'deadline' must be after the current deadline 2030-06-30",
     "extension_deadline", NULL, "申请的新期限须晚于现有期限。"},
    {"invalid_field", "'deadline' must be a real date as YYYY-MM-DD", NULL, NULL,
     "期限须为有效的日期（年-月-日）。"},
    {"invalid_field", "give either 'deadline' or 'working_days', not both", "both_deadlines", NULL,
     "期限和工作日数只能填写其中一项。"},
    {"missing_field", "field 'deadline' (or 'working_days') is required: the item has no deadline",
     NULL, NULL, "请填写期限（或工作日数）：该事项还没有期限。"},
    {"forbidden", "your role may not use POST /hazards", NULL, NULL,
     "您无权进行此操作或查看此内容。"},
    {"not_found", "no such path: /nowhere", "path", NULL, "没有这个页面。"},
    {"csrf_failed", "the form's CSRF token is missing or wrong", NULL, NULL,
     "表单已失效或来源不明，请刷新页面后重新提交。"},
    {"not_found", "no meeting with id 99", "meeting", NULL, "没有这次会议的记录。"},
    {"missing_attribute", "attribute 'gas_type' is required", NULL, "燃气种类",
     "请填写该类别的必填项：燃气种类。"},
    {"missing_field", "field 'title' is required", NULL, NULL, "请填写必填项：标题。"},
    {"plan_required", "… missing: funds, safety", NULL, "经费和物资、安全措施和应急预案",
     "重大隐患须先填写治理方案的全部六项内容：经费和物资、安全措施和应急预案。"},
    {"unknown_field", "unknown field 'colour'", NULL, NULL, "包含无法识别的字段。"},
};

static void test_named_errors(void **state)
{
    (void)state;
    char out[700], field[48];
    for (size_t i = 0; i < sizeof named / sizeof *named; i++) {
        struct err e = {0};
        err_set(&e, 422, named[i].code, "%s", named[i].message);
        if (named[i].detail) err_detail(&e, named[i].detail);
        if (named[i].subject) err_subject(&e, named[i].subject);
        assert_string_equal(errtext_message(&e, 0, out, sizeof out), named[i].zh);
        assert_string_equal(errtext_message(&e, 1, out, sizeof out), named[i].message);
    }
    /* a page's own words stay as written, in either language */
    struct err e = {0};
    err_say(&e, 422, "missing_field", "请描述隐患");
    assert_string_equal(errtext_message(&e, 0, out, sizeof out), "请描述隐患");
    assert_string_equal(errtext_message(&e, 1, out, sizeof out), "请描述隐患");
    /* the field a message quotes first, and none */
    err_set(&e, 422, "invalid_field", "items[1]: 'lead_unit_id' must be a positive integer id");
    assert_string_equal(errtext_field(&e, field, sizeof field), "lead_unit_id");
    err_set(&e, 422, "invalid_field", "the lead unit can't 'x y' cooperate");
    assert_string_equal(errtext_field(&e, field, sizeof field), "");
    /* no code reads as internal; a long subject is cut whole */
    struct err none = {0};
    assert_string_equal(errtext_message(&none, 0, out, sizeof out),
                        "系统内部错误，请稍后再试或联系管理员。");
    err_set(&e, 422, "missing_attribute", "attribute 'x' is required");
    char lots[301];
    for (int k = 0; k < 100; k++)
        memcpy(lots + 3 * k, "燃", 3);
    lots[300] = '\0';
    err_subject(&e, lots);
    assert_int_equal(strlen(e.subject), 93); /* 31 characters of 3 bytes in 96 */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sorted_unique_complete),
        cmocka_unit_test(test_every_row_in_both_languages),
        cmocka_unit_test(test_every_code_used_has_its_text),
        cmocka_unit_test(test_named_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
