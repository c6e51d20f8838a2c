/* i18n_test.c — the pages' message table (web/i18n.c): sorted and unique so
 * lookups work, complete in both languages, a label for every status,
 * light, action and kind of the contract, and every T(r, "key") written in
 * src/web/ present in the table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/action_spec.h"
#include "core/kind.h"
#include "web/i18n.h"

static void test_sorted_unique_complete(void **state)
{
    (void)state;
    size_t n;
    const struct i18n_msg *m = i18n_table(&n);
    assert_true(n > 100);
    for (size_t i = 0; i < n; i++) {
        assert_non_null(m[i].key);
        assert_true(m[i].zh && *m[i].zh);
        assert_true(m[i].en && *m[i].en);
        if (i && strcmp(m[i - 1].key, m[i].key) >= 0)
            fail_msg("not sorted or duplicate: '%s' then '%s'", m[i - 1].key, m[i].key);
    }
}

static void test_lookup(void **state)
{
    (void)state;
    assert_string_equal(i18n_get(LANG_ZH, "status.in_progress"), "办理中");
    assert_string_equal(i18n_get(LANG_EN, "status.in_progress"), "In progress");
    assert_string_equal(i18n_get(LANG_ZH, "light.red"), "红灯");
    assert_string_equal(i18n_get(LANG_EN, "nav.dashboard"), "Dashboard");
    assert_string_equal(i18n_get(LANG_ZH, "nav.dashboard"), "驾驶舱");
    /* a missing key shows itself, so a gap is visible, never a crash */
    assert_string_equal(i18n_get(LANG_EN, "no.such.key"), "no.such.key");
    size_t n;
    const struct i18n_msg *m = i18n_table(&n);
    assert_string_equal(i18n_get(LANG_ZH, m[0].key), m[0].zh);
    assert_string_equal(i18n_get(LANG_EN, m[n - 1].key), m[n - 1].en);
}

struct label_case {
    const char *key, *zh;
};

/* The contract's words (DESIGN.md) and the labels the brief fixes. */
static const struct label_case labels[] = {
    {"status.draft", "待分派"},     {"status.assigned", "已交办"},
    {"status.accepted", "已签收"},  {"status.in_progress", "办理中"},
    {"status.submitted", "已提交"}, {"status.done", "已办结"},
    {"status.archived", "已归档"},  {"status.returned", "被退回"},
    {"status.suspended", "已暂停"}, {"status.cancelled", "已撤销"},
    {"light.red", "红灯"},          {"light.yellow", "黄灯"},
    {"light.green", "绿灯"},        {"action.urge", "催办"},
    {"action.escalate", "督办"},    {"action.instruct", "批示"},
    {"kind.task", "任务"},          {"kind.hazard", "隐患"},
};

static void test_contract_labels(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
        assert_string_equal(i18n_get(LANG_ZH, labels[i].key), labels[i].zh);
    char key[64];
    /* the actions (core's list, and the create event) and the kinds (core's table) */
    const char *actions[64];
    size_t n = action_names(actions, 63);
    actions[n++] = "create";
    for (size_t i = 0; i < n; i++) {
        snprintf(key, sizeof key, "action.%s", actions[i]);
        if (i18n_get(LANG_EN, key) == (const char *)key) fail_msg("no label for %s", key);
    }
    for (size_t i = 0; i < kind_count(); i++) {
        snprintf(key, sizeof key, "kind.%s", kind_at(i)->name);
        if (i18n_get(LANG_ZH, key) == (const char *)key) fail_msg("no label for %s", key);
    }
}

/* The directory of src/web, found from this file's path as compiled. */
static void web_dir(char *out, size_t n)
{
    const char *self = __FILE__, *cut = strstr(self, "tests/unit/web/");
    snprintf(out, n, "%.*ssrc/web", cut ? (int)(cut - self) : 0, self);
}

/* Check every T(r, "key") in one source file; returns how many it found. */
static int check_file(const char *path)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    static char text[1 << 20];
    size_t len = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[len] = '\0';
    int found = 0;
    for (const char *p = text; (p = strstr(p, "T(r, \"")) != NULL;) {
        p += 6;
        const char *end = strchr(p, '"');
        assert_non_null(end);
        char key[96];
        snprintf(key, sizeof key, "%.*s", (int)(end - p), p);
        if (i18n_get(LANG_ZH, key) == (const char *)key)
            fail_msg("%s uses T(r, \"%s\"), which the table lacks", path, key);
        found++;
    }
    return found;
}

static void test_every_used_key_exists(void **state)
{
    (void)state;
    char dir[512], path[1024];
    web_dir(dir, sizeof dir);
    DIR *d = opendir(dir);
    if (!d) fail_msg("cannot open %s: run the test from the repository root", dir);
    int files = 0, keys = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        size_t l = strlen(de->d_name);
        if (l < 3 || strcmp(de->d_name + l - 2, ".c")) continue;
        if (!strcmp(de->d_name, "i18n.c")) continue; /* the table itself, which quotes T(r, "…") */
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        keys += check_file(path);
        files++;
    }
    closedir(d);
    assert_true(files >= 8);
    assert_true(keys >= 50);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sorted_unique_complete),
        cmocka_unit_test(test_lookup),
        cmocka_unit_test(test_contract_labels),
        cmocka_unit_test(test_every_used_key_exists),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
