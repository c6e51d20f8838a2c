/* rank_test.c — notice_rank_units (src/notice/notice.c): the ranking, and
 * who is praised (top) and named last (bottom) by docs/notices.md's rules,
 * table-driven over units built in memory (no database).  Each case lists
 * its units as code:assigned/done_on_time/overdue and the codes it wants in
 * top and bottom, in order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "notice/notice.h"

struct rank_case {
    const char *what;
    int n;
    struct {
        const char *code;
        int64_t assigned, done_on_time, overdue;
    } u[8];
    const char *top, *bottom; /* codes joined by commas, "" for none */
};

static const struct rank_case cases[] = {
    {"the issue's city: a unit with nothing closed on time is not praised",
     3,
     {{"JX", 2, 1, 0}, {"ZZB", 1, 0, 0}, {"YJ", 3, 0, 1}},
     "JX",
     "YJ"},
    {"below the city's rate: not praised although in the better half",
     4,
     {{"A", 10, 10, 0}, {"B", 10, 4, 0}, {"C", 10, 2, 0}, {"D", 10, 1, 0}},
     "A",
     "C,D"},
    {"at the city's rate exactly: praised", 2, {{"A", 2, 1, 0}, {"B", 2, 1, 1}}, "A", "B"},
    {"a tie at the cap of three: the tied units are all left out",
     7,
     {{"A", 1, 1, 0},
      {"B", 1, 1, 0},
      {"C", 1, 1, 0},
      {"D", 1, 1, 0},
      {"E", 2, 1, 0},
      {"F", 2, 0, 1},
      {"G", 2, 0, 2}},
     "",
     "E,F,G"},
    {"a tie above the last: named only those strictly worse",
     5,
     {{"A", 2, 2, 0}, {"B", 2, 2, 0}, {"C", 2, 1, 0}, {"D", 2, 1, 0}, {"E", 2, 0, 0}},
     "A,B",
     "E"},
    {"the same rate, fewer overdue: a different place",
     2,
     {{"A", 2, 1, 1}, {"B", 2, 1, 0}},
     "B",
     "A"},
    {"everybody tied: nobody praised or named",
     4,
     {{"A", 1, 1, 0}, {"B", 1, 1, 0}, {"C", 1, 1, 0}, {"D", 1, 1, 0}},
     "",
     ""},
    {"one unit: praised when it closed something on time", 1, {{"A", 3, 1, 2}}, "A", ""},
    {"units with nothing assigned are neither ranked nor named",
     3,
     {{"A", 0, 0, 0}, {"B", 2, 2, 0}, {"C", 2, 0, 0}},
     "B",
     "C"},
};

static void codes(const struct notice *n, const int *idx, int count, char *out, size_t size)
{
    out[0] = '\0';
    for (int k = 0; k < count; k++) {
        size_t len = strlen(out);
        snprintf(out + len, size - len, "%s%s", k ? "," : "", n->units[idx[k]].code);
    }
}

static void test_cases(void **state)
{
    (void)state;
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        const struct rank_case *k = &cases[c];
        struct notice_unit units[8];
        struct notice n;
        memset(&n, 0, sizeof n);
        memset(units, 0, sizeof units);
        for (int i = 0; i < k->n; i++) {
            units[i].id = i + 1;
            units[i].code = units[i].name = k->u[i].code;
            units[i].assigned = k->u[i].assigned;
            units[i].done = units[i].done_on_time = k->u[i].done_on_time;
            units[i].overdue = k->u[i].overdue;
        }
        n.units = units;
        n.n_units = k->n;
        notice_rank_units(&n);
        char top[64], bottom[64];
        codes(&n, n.top, n.n_top, top, sizeof top);
        codes(&n, n.bottom, n.n_bottom, bottom, sizeof bottom);
        if (strcmp(top, k->top) || strcmp(bottom, k->bottom))
            fail_msg("%s: top \"%s\" bottom \"%s\", want \"%s\" and \"%s\"", k->what, top, bottom,
                     k->top, k->bottom);
    }
}

/* The ranks and the total after ranking the city. */
static void test_ranks_and_total(void **state)
{
    (void)state;
    struct notice_unit units[3] = {
        {.id = 1, .code = "ZZB", .name = "市委组织部", .assigned = 1},
        {.id = 2, .code = "YJ", .name = "应急管理局", .assigned = 3, .overdue = 1},
        {.id = 3, .code = "JX", .name = "经信局", .assigned = 2, .done = 1, .done_on_time = 1},
    };
    struct notice n = {.units = units, .n_units = 3};
    notice_rank_units(&n);
    assert_string_equal(units[0].code, "JX");
    assert_string_equal(units[1].code, "ZZB");
    assert_string_equal(units[2].code, "YJ");
    assert_int_equal(units[0].rank, 1);
    assert_int_equal(units[2].rank, 3);
    assert_int_equal(n.n_ranked, 3);
    assert_int_equal(n.total.assigned, 6);
    assert_int_equal(n.total.done_on_time, 1);
    assert_int_equal(n.n_top, 1);
    assert_int_equal(n.n_bottom, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases),
        cmocka_unit_test(test_ranks_and_total),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
