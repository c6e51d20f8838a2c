/* action_spec_test.c — the action list (core/action_spec.c) and everything
 * that names actions agrees with it, so a missing or misspelt one fails here
 * and not in a request:
 *
 *   - the list: unique (name, kind), a kind's row naming a kind of the table;
 *   - the lifecycle table: every row's action is listed and can run on every
 *     kind the row is for (a step for every kind, or the kind's own); every
 *     action has rows, but those of kinds not built yet;
 *   - the item page (web/act.c): every form is a listed action, each field
 *     one of its fields with a widget sending its type, and every required
 *     field in the form and required there; every action for every kind
 *     that has rows has a form or a link to its own page;
 *   - the messages (web/i18n.c): a label in both languages for every action,
 *     and no action label for a name that is not an action (but the events
 *     create and rollup and the word reassign); the kinds' labels are the
 *     kind table's;
 *   - docs/lifecycle.md: one row per listed action in "Actions and their
 *     fields", with exactly its fields, "?" marking the optional ones. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/action.h"
#include "core/action_spec.h"
#include "core/kind.h"
#include "core/lifecycle.h"
#include "web/i18n.h"
#include "web/page.h"

static void test_list(void **state)
{
    (void)state;
    for (size_t i = 0; i < action_spec_count; i++) {
        const struct action_spec *s = &action_specs[i];
        if (s->kind && !kind_find(s->kind)) fail_msg("'%s' is for no kind '%s'", s->name, s->kind);
        for (size_t j = 0; j < i; j++)
            if (!strcmp(action_specs[j].name, s->name) &&
                ((!s->kind && !action_specs[j].kind) ||
                 (s->kind && action_specs[j].kind && !strcmp(s->kind, action_specs[j].kind))))
                fail_msg("'%s' is listed twice", s->name);
        for (size_t k = 0; k < ACTION_FIELDS_MAX && s->fields[k].name; k++)
            for (size_t m = 0; m < k; m++)
                assert_string_not_equal(s->fields[m].name, s->fields[k].name);
    }
    const char *names[64];
    assert_int_equal(action_names(names, 64), 29);
    assert_string_equal(names[0], "assign");
    assert_string_equal(names[14], "edit");
    assert_string_equal(names[18], "triage");
    assert_string_equal(names[19], "rate");
    assert_string_equal(names[20], "follow_up");
    assert_string_equal(names[21], "redo");
    assert_string_equal(names[22], "explain");
    assert_string_equal(names[23], "publish");
    assert_string_equal(names[24], "close_applications");
    assert_string_equal(names[25], "review");
    assert_string_equal(names[26], "award");
    assert_string_equal(names[27], "disburse");
    assert_string_equal(names[28], "plan");
    /* a request's submit takes the reply, and no longer needs the text */
    assert_true(action_spec_field(action_spec_find("request", "submit"), "reply")->required);
    assert_false(action_spec_field(action_spec_find("request", "submit"), "text")->required);
    assert_true(action_name_valid("triage"));
    assert_false(action_name_valid("rollup"));
    /* a kind's own version first, the one for every kind otherwise */
    assert_string_equal(action_spec_find("hazard", "cancel")->kind, "hazard");
    assert_null(action_spec_find("task", "cancel")->kind);
    assert_null(action_spec_find("task", "triage"));
    assert_null(action_spec_find(NULL, "triage"));
    assert_non_null(action_spec_field(action_spec_find("hazard", "cancel"), "duplicate_of"));
    assert_null(action_spec_field(action_spec_find("task", "cancel"), "duplicate_of"));
}

/* 1 when some lifecycle row lets action happen on kind. */
static int has_row(const char *kind, const char *action)
{
    for (size_t i = 0; i < lifecycle_table_len; i++) {
        const struct lifecycle_row *r = &lifecycle_table[i];
        if (!strcmp(r->action, action) && (!strcmp(r->kind, "*") || !strcmp(r->kind, kind)))
            return 1;
    }
    return 0;
}

static void test_lifecycle(void **state)
{
    (void)state;
    for (size_t i = 0; i < lifecycle_table_len; i++) {
        const struct lifecycle_row *r = &lifecycle_table[i];
        for (size_t k = 0; k < kind_count(); k++) {
            const char *kind = kind_at(k)->name;
            if (strcmp(r->kind, "*") && strcmp(r->kind, kind)) continue;
            if (!action_implemented(kind, r->action))
                fail_msg("the row %s %s %s cannot run on a %s", r->kind, r->from, r->action, kind);
        }
    }
    /* no action without a row, but those of kinds not built yet */
    for (size_t i = 0; i < action_spec_count; i++) {
        const struct action_spec *s = &action_specs[i];
        const struct kind *k = s->kind ? kind_find(s->kind) : NULL;
        if (k && !k->creatable) continue;
        if (!has_row(s->kind ? s->kind : "task", s->name))
            fail_msg("'%s'%s%s has no lifecycle row", s->name, s->kind ? " of " : "",
                     s->kind ? s->kind : "");
    }
}

/* The action field type a form widget sends. */
static enum action_field_type widget_type(enum act_widget w)
{
    switch (w) {
    case W_TEXT:
    case W_LINE:
        return AF_TEXT;
    case W_DATE:
        return AF_DATE;
    case W_INT:
    case W_PROGRESS:
        return AF_INT;
    case W_VALUE:
    case W_AMOUNT:
        return AF_NUMBER;
    case W_UNIT:
    case W_ID:
        return AF_ID;
    case W_UNITS:
        return AF_IDS;
    case W_LEVEL:
    case W_CYCLE:
    case W_RESULT:
    case W_MODE:
        return AF_CHOICE;
    case W_METRIC:
        return AF_OBJECT;
    case W_PHOTOS:
        return AF_PHOTOS;
    case W_FILES:
        return AF_IDS;
    }
    return AF_OBJECT;
}

static const struct act_form *form_of(const char *action)
{
    for (size_t i = 0; i < act_form_count; i++)
        if (!strcmp(act_form_table[i].action, action)) return &act_form_table[i];
    return NULL;
}

static int link_of(const char *action)
{
    for (size_t i = 0; i < act_link_count; i++)
        if (!strcmp(act_link_table[i].action, action)) return 1;
    return 0;
}

/* The field name of action in any of its rows (every kind's, or a kind's
 * own version: a hazard's submit takes photos; the page shows a field only
 * to the kinds whose row has it). */
static const struct action_field *any_field(const char *action, const char *name)
{
    for (size_t i = 0; i < action_spec_count; i++) {
        if (strcmp(action_specs[i].name, action)) continue;
        const struct action_field *f = action_spec_field(&action_specs[i], name);
        if (f) return f;
    }
    return NULL;
}

/* One form against its action's rows: the row for every kind says what is
 * required; any row may add a field. */
static void check_form(const struct act_form *af)
{
    /* an action for every kind, or a kind's own (a challenge's publish) */
    const struct action_spec *s = action_spec_find(NULL, af->action);
    for (size_t i = 0; !s && i < action_spec_count; i++)
        if (!strcmp(action_specs[i].name, af->action)) s = &action_specs[i];
    if (!s) fail_msg("the form '%s' is for no action of the list", af->action);
    for (const struct act_field *fd = af->fields; fd->name; fd++) {
        const struct action_field *f = any_field(af->action, fd->name);
        if (!f)
            fail_msg("the form '%s' has a field '%s' the action does not take", af->action,
                     fd->name);
        if (widget_type(fd->widget) != f->type)
            fail_msg("the form '%s' sends '%s' as another type", af->action, fd->name);
    }
    for (size_t k = 0; k < ACTION_FIELDS_MAX && s->fields[k].name; k++) {
        if (!s->fields[k].required) continue;
        const struct act_field *fd = af->fields;
        while (fd->name && strcmp(fd->name, s->fields[k].name))
            fd++;
        if (!fd->name || !fd->required)
            fail_msg("the form '%s' lacks the required field '%s'", af->action, s->fields[k].name);
    }
}

static void test_forms(void **state)
{
    (void)state;
    for (size_t i = 0; i < act_form_count; i++) {
        check_form(&act_form_table[i]);
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(act_form_table[j].action, act_form_table[i].action);
    }
    for (size_t i = 0; i < act_link_count; i++) {
        assert_true(action_name_valid(act_link_table[i].action));
        assert_null(form_of(act_link_table[i].action));
        assert_true(act_link_table[i].page[0] == '/');
    }
    /* what someone may be allowed on the item page can be done there */
    for (size_t i = 0; i < action_spec_count; i++) {
        const struct action_spec *s = &action_specs[i];
        const struct kind *k = s->kind ? kind_find(s->kind) : NULL;
        if ((k && !k->creatable) || !has_row(s->kind ? s->kind : "task", s->name)) continue;
        if (!form_of(s->name) && !link_of(s->name))
            fail_msg("'%s' has no form or link on the item page", s->name);
    }
}

static void test_messages(void **state)
{
    (void)state;
    /* events that are no action of the loop ("photo": a hazard photo's SHA-256;
     * "apply": an application to a challenge, filed through its own route) */
    static const char *const events_only[] = {"create", "rollup",         "reassign",     "photo",
                                              "apply",  "review_approve", "review_return"};
    const char *names[64];
    size_t n = action_names(names, 64);
    char key[96];
    for (size_t k = 0; k < n; k++) {
        snprintf(key, sizeof key, "action.%s", names[k]);
        if (i18n_get(LANG_ZH, key) == (const char *)key ||
            i18n_get(LANG_EN, key) == (const char *)key)
            fail_msg("no label for %s", key);
    }
    size_t count;
    const struct i18n_msg *m = i18n_table(&count);
    for (size_t i = 0; i < count; i++) {
        if (strncmp(m[i].key, "action.", 7)) continue;
        const char *name = m[i].key + 7;
        int ok = action_name_valid(name);
        for (size_t e = 0; e < sizeof events_only / sizeof *events_only; e++)
            ok |= !strcmp(name, events_only[e]);
        if (!ok) fail_msg("%s labels no action", m[i].key);
    }
    for (size_t i = 0; i < kind_count(); i++) {
        const struct kind *k = kind_at(i);
        snprintf(key, sizeof key, "kind.%s", k->name);
        assert_string_equal(i18n_get(LANG_ZH, key), k->label_zh);
        assert_string_equal(i18n_get(LANG_EN, key), k->label_en);
    }
}

/* The fields docs/lifecycle.md gives an action's row: "`name`" or
 * "`name`?", written as "name name? " into out. */
static void doc_fields(const char *cell, char *out, size_t outlen)
{
    size_t used = 0;
    out[0] = '\0';
    for (const char *p = strchr(cell, '`'); p; p = strchr(p + 1, '`')) {
        const char *end = strchr(p + 1, '`');
        assert_non_null(end);
        int w = snprintf(out + used, outlen - used, "%.*s%s ", (int)(end - p - 1), p + 1,
                         end[1] == '?' ? "?" : "");
        assert_true(w > 0 && (size_t)w < outlen - used);
        used += (size_t)w;
        p = end;
    }
}

static void test_documented(void **state)
{
    (void)state;
    FILE *f = fopen("docs/lifecycle.md", "r");
    assert_non_null(f);
    static char doc[65536];
    size_t len = fread(doc, 1, sizeof doc - 1, f);
    fclose(f);
    doc[len] = '\0';
    const char *table = strstr(doc, "| action | fields |");
    assert_non_null(table);
    size_t rows = 0;
    for (const char *p = strstr(table, "\n|"); p && p[1] == '|'; p = strchr(p + 1, '\n'))
        if (p[3] == '`') rows++;
    assert_int_equal(rows, action_spec_count);
    for (size_t i = 0; i < action_spec_count; i++) {
        const struct action_spec *s = &action_specs[i];
        char head[96], want[256] = "", got[256];
        snprintf(head, sizeof head, "\n| `%s`%s%s%s | ", s->name, s->kind ? " (" : "",
                 s->kind ? s->kind : "", s->kind ? ")" : "");
        const char *row = strstr(table, head);
        if (!row) fail_msg("docs/lifecycle.md has no row starting%s", head);
        const char *cell = row + strlen(head), *end = strstr(cell, " | ");
        char fields[512];
        snprintf(fields, sizeof fields, "%.*s", (int)(end - cell), cell);
        doc_fields(fields, got, sizeof got);
        size_t used = 0;
        for (size_t k = 0; k < ACTION_FIELDS_MAX && s->fields[k].name; k++)
            used += (size_t)snprintf(want + used, sizeof want - used, "%s%s ", s->fields[k].name,
                                     s->fields[k].required ? "" : "?");
        if (strcmp(got, want))
            fail_msg("docs/lifecycle.md gives '%s' the fields '%s', the list '%s'", s->name, got,
                     want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_list),       cmocka_unit_test(test_lifecycle),
        cmocka_unit_test(test_forms),      cmocka_unit_test(test_messages),
        cmocka_unit_test(test_documented),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
