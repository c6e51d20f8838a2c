/* light_test.c — the warning lights (core/light.c) at each rule's boundary.
 *
 * LIGHT_SQL is evaluated by SQLite over item rows written for each case
 * (a fresh, migrated file), so the test checks the SQL the lists run.  The C
 * side is checked on its own: the schedule dates, the feedback dates over a
 * synthetic calendar, the rules read from settings and the warning date. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/calendar.h"
#include "core/light.h"
#include "db/db.h"
#include "util/time.h"

struct fixture {
    char path[64];
    struct db *db;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    snprintf(f->path, sizeof f->path, "/tmp/luoshi-light-test-XXXXXX");
    int fd = mkstemp(f->path);
    if (fd < 0) return -1;
    close(fd);
    char err[256];
    int applied;
    f->db = db_open(f->path, DB_OPEN_CREATE, err, sizeof err);
    if (!f->db || db_migrate(f->db, &applied, err, sizeof err) != DB_OK) return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    db_close(f->db);
    char p[80];
    unlink(f->path);
    snprintf(p, sizeof p, "%s-wal", f->path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", f->path);
    unlink(p);
    free(f);
    unsetenv("LUOSHI_NOW");
    return 0;
}

static int32_t D(const char *s)
{
    int32_t d;
    assert_int_equal(date_parse(s, strlen(s), &d), 0);
    return d;
}

/* Today is Monday 2030-05-06; the warning window ends Thursday 2030-05-09. */
#define TODAY "2030-05-06"
#define WARN  "2030-05-09"

struct sql_case {
    const char *status, *deadline, *feedback_due, *yellow_on, *red_on;
    const char *want, *why;
};

static const struct sql_case sql_cases[] = {
    {"done", "2030-05-01", NULL, NULL, NULL, "none", "closed, though overdue"},
    {"archived", "2030-05-01", NULL, NULL, NULL, "none", "closed"},
    {"cancelled", "2030-05-01", NULL, NULL, NULL, "none", "closed"},
    {"suspended", "2030-05-01", "2030-05-01", NULL, "2030-05-01", "none", "clocks stopped"},
    {"assigned", "2030-05-05", NULL, NULL, NULL, "red", "deadline yesterday"},
    {"draft", "2030-05-05", NULL, NULL, NULL, "none", "a draft has no light, even overdue"},
    {"submitted", "2030-05-05", NULL, NULL, NULL, "red", "deadline passed, not verified"},
    {"assigned", "2030-05-06", NULL, NULL, NULL, "yellow", "deadline today"},
    {"draft", "2030-05-06", NULL, NULL, NULL, "none", "a draft due today has none either"},
    {"in_progress", "2030-05-09", NULL, NULL, NULL, "yellow", "last day of the window"},
    {"in_progress", "2030-05-10", NULL, NULL, NULL, "green", "a day after the window"},
    {"in_progress", NULL, NULL, NULL, NULL, "green", "no deadline"},
    {"in_progress", "2030-06-30", "2030-05-05", NULL, NULL, "yellow", "feedback due yesterday"},
    {"in_progress", "2030-06-30", "2030-05-06", NULL, NULL, "green", "feedback due today"},
    {"assigned", "2030-06-30", NULL, "2030-05-06", "2030-05-20", "yellow", "10 behind today"},
    {"assigned", "2030-06-30", NULL, "2030-05-07", "2030-05-20", "green", "10 behind tomorrow"},
    {"accepted", "2030-06-30", NULL, "2030-05-01", "2030-05-06", "red", "30 behind today"},
    {"accepted", "2030-06-30", NULL, "2030-05-01", "2030-05-07", "yellow", "30 behind tomorrow"},
    {"accepted", "2030-05-08", NULL, NULL, "2030-05-06", "red", "behind beats the window"},
    {"submitted", "2030-06-30", "2030-05-01", "2030-05-01", "2030-05-01", "green",
     "submitted work is not late or behind"},
    {"draft", "2030-06-30", "2030-05-01", "2030-05-01", "2030-05-01", "none",
     "a draft has no schedule yet, and no light"},
    {"returned", "2030-06-30", "2030-05-01", NULL, NULL, "green",
     "returned: the supervisor's turn"},
};

static void insert_item(struct db *db, int64_t id, const struct sql_case *c)
{
    struct db_stmt *st = db_prepare(
        db, "INSERT INTO items (id, kind, title, status, deadline, feedback_due, behind_yellow_on,"
            " behind_red_on, created_at, updated_at) VALUES (?1, 'task', 't', ?2, ?3, ?4, ?5, ?6,"
            " 0, 0)");
    assert_non_null(st);
    db_bind_int64(st, 1, id);
    db_bind_text(st, 2, c->status, (size_t)-1);
    db_bind_text(st, 3, c->deadline, (size_t)-1);
    db_bind_text(st, 4, c->feedback_due, (size_t)-1);
    db_bind_text(st, 5, c->yellow_on, (size_t)-1);
    db_bind_text(st, 6, c->red_on, (size_t)-1);
    assert_int_equal(db_step(st), DB_DONE);
    db_finalize(st);
}

static void test_light_sql(void **state)
{
    struct fixture *f = *state;
    size_t n = sizeof sql_cases / sizeof *sql_cases;
    for (size_t k = 0; k < n; k++)
        insert_item(f->db, (int64_t)k + 1, &sql_cases[k]);
    struct db_stmt *st =
        db_prepare(f->db, "SELECT i.id, " LIGHT_SQL("?1", "?2") ", " LIGHT_FEEDBACK_LATE_SQL(
                              "?1") " FROM items i ORDER BY i.id");
    assert_non_null(st);
    db_bind_text(st, 1, TODAY, (size_t)-1);
    db_bind_text(st, 2, WARN, (size_t)-1);
    size_t k = 0;
    while (db_step(st) == DB_ROW) {
        const struct sql_case *c = &sql_cases[k++];
        const char *got = db_column_text(st, 1);
        if (strcmp(got, c->want))
            fail_msg("case %zu (%s): want %s, got %s", k, c->why, c->want, got);
        int late = !strcmp(c->status, "assigned") || !strcmp(c->status, "accepted") ||
                   !strcmp(c->status, "in_progress");
        late = late && c->feedback_due && strcmp(c->feedback_due, TODAY) < 0;
        assert_int_equal(db_column_int64(st, 2), late);
    }
    db_finalize(st);
    assert_int_equal(k, n);
}

struct behind_case {
    int32_t start, deadline;
    int progress;
    int32_t yellow_on, red_on;
};

static void test_behind_days(void **state)
{
    (void)state;
    static const struct behind_case cases[] = {
        {0, 100, 0, 10, 30},  {0, 100, 50, 60, 80},        {0, 100, 70, 80, 100},
        {0, 100, 75, 85, -1}, {0, 100, 90, 100, -1},       {0, 100, 91, -1, -1},
        {0, 7, 0, 1, 3},      {1000, 1007, 0, 1001, 1003}, {5, 5, 0, -1, -1},
        {5, 4, 0, -1, -1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const struct behind_case *c = &cases[i];
        int32_t y, r;
        light_behind_days(&light_rules_default, c->start, c->deadline, c->progress, &y, &r);
        if (y != c->yellow_on || r != c->red_on)
            fail_msg("case %zu: want %d/%d, got %d/%d", i, c->yellow_on, c->red_on, y, r);
        /* the boundary really is one: a day earlier is less behind than the margin */
        int32_t span = c->deadline - c->start;
        if (y > c->start) {
            assert_true((int64_t)(y - c->start) * 100 - (int64_t)c->progress * span >= 10 * span);
            assert_true((int64_t)(y - 1 - c->start) * 100 - (int64_t)c->progress * span <
                        10 * span);
        }
    }
}

struct due_case {
    const char *cycle, *from, *want;
};

static void test_feedback_due(void **state)
{
    (void)state;
    static const char cal[] = "2030-05-01 holiday\n2030-05-02 holiday\n2030-05-03 holiday\n"
                              "2030-05-11 workday\n";
    static const struct due_case cases[] = {
        {"weekly", "2030-04-29", "2030-05-06"},
        {"weekly", "2030-04-24", "2030-05-06"},   /* lands on the holiday → next working day */
        {"weekly", "2030-05-05", "2030-05-13"},   /* due on a Sunday → Monday */
        {"biweekly", "2030-04-27", "2030-05-11"}, /* lands on the 调休 Saturday: a working day */
        {"monthly", "2030-01-31", "2030-02-28"},
        {"monthly", "2030-05-29", "2030-07-01"}, /* 06-29 is a Saturday */
        {"quarterly", "2030-11-30", "2031-02-28"},
        {"none", "2030-05-06", NULL},
        {"hourly", "2030-05-06", NULL},
    };
    struct calendar c = {0};
    struct err e = {0};
    assert_int_equal(calendar_parse(&c, cal, sizeof cal - 1, &e), 0);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        int32_t due = light_feedback_due(&c, cases[i].cycle, D(cases[i].from));
        if (!cases[i].want) {
            assert_int_equal(due, -1);
            continue;
        }
        char got[11];
        date_format(due, got);
        if (strcmp(got, cases[i].want))
            fail_msg("%s from %s: want %s, got %s", cases[i].cycle, cases[i].from, cases[i].want,
                     got);
    }
    calendar_free(&c);
}

static void set_setting(struct db *db, const char *key, const char *value)
{
    struct db_stmt *st = db_prepare(db, "INSERT INTO settings (key, value) VALUES (?1, ?2)"
                                        " ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    db_bind_text(st, 1, key, (size_t)-1);
    db_bind_text(st, 2, value, (size_t)-1);
    assert_int_equal(db_step(st), DB_DONE);
    db_finalize(st);
}

struct rules_case {
    const char *warn, *yellow, *red;
    struct light_rules want;
};

static void test_rules_from_settings(void **state)
{
    struct fixture *f = *state;
    struct light_rules r;
    assert_int_equal(light_rules_load(f->db, &r), DB_OK);
    assert_memory_equal(&r, &light_rules_default, sizeof r);
    static const struct rules_case cases[] = {
        {"5", "15", "40", {5, 15, 40}},   {"0", "1", "1", {0, 1, 1}},
        {"31", "15", "40", {3, 15, 40}},  /* out of range → default */
        {"x", "0", "40", {3, 10, 40}},    /* not a number, zero → defaults */
        {"3", "50", "40", {3, 50, 50}},   /* red below yellow → yellow */
        {"3 ", "10", "101", {3, 10, 30}}, /* trailing junk, above 100 */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        set_setting(f->db, "light.warn_working_days", cases[i].warn);
        set_setting(f->db, "light.behind_yellow", cases[i].yellow);
        set_setting(f->db, "light.behind_red", cases[i].red);
        assert_int_equal(light_rules_load(f->db, &r), DB_OK);
        if (memcmp(&r, &cases[i].want, sizeof r))
            fail_msg("case %zu: got %d %d %d", i, r.warn_working_days, r.behind_yellow,
                     r.behind_red);
    }
}

static void test_dates_use_calendar(void **state)
{
    struct fixture *f = *state;
    char today[11], warn[11];
    setenv("LUOSHI_NOW", "2030-04-30", 1); /* Tuesday, eve of the synthetic holiday */
    light_dates(f->db, today, warn);
    assert_string_equal(today, "2030-04-30");
    assert_string_equal(warn, "2030-05-03"); /* no calendar yet: Wed, Thu, Fri */
    static const char cal[] = "2030-05-01 holiday\n2030-05-02 holiday\n2030-05-03 holiday\n";
    int count;
    struct err e = {0};
    assert_int_equal(calendar_import(f->db, NULL, cal, sizeof cal - 1, &count, &e), 0);
    light_dates(f->db, today, warn);
    assert_string_equal(warn, "2030-05-08"); /* Mon 6, Tue 7, Wed 8 */
    set_setting(f->db, "light.warn_working_days", "0");
    light_dates(f->db, today, warn);
    assert_string_equal(warn, "2030-04-30");
}

/* The 签收 limit: assigned on a Friday before a holiday Monday, one working
 * day is Tuesday; late from Wednesday; the cutoff is the last assignment day
 * already late. */
static void test_accept_limit(void **state)
{
    (void)state;
    struct light_accept acc = {.working_days = 1};
    calendar_set(&acc.cal, D("2030-05-13"), 0, "节日"); /* Monday */
    char due[11], cutoff[11];
    acc.today = D("2030-05-14");
    assert_int_equal(light_accept_due(&acc, "2030-05-10", due), 0);
    assert_string_equal(due, "2030-05-14");
    acc.today = D("2030-05-15");
    assert_int_equal(light_accept_due(&acc, "2030-05-10", due), 1);
    assert_int_equal(light_accept_due(&acc, "2030-05-14", due), 0);
    assert_string_equal(due, "2030-05-15");
    assert_int_equal(light_accept_due(&acc, "not a day", due), -1);
    assert_int_equal(light_accept_due(&acc, NULL, due), -1);
    /* on Wednesday: Friday's (and the weekend's and the holiday's) are late, Tuesday's not */
    light_accept_cutoff(&acc, cutoff);
    assert_string_equal(cutoff, "2030-05-13");
    acc.working_days = 0; /* signed the same day */
    light_accept_cutoff(&acc, cutoff);
    assert_string_equal(cutoff, "2030-05-14");
    light_accept_free(&acc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_light_sql, setup, teardown),
        cmocka_unit_test(test_behind_days),
        cmocka_unit_test(test_feedback_due),
        cmocka_unit_test(test_accept_limit),
        cmocka_unit_test_setup_teardown(test_rules_from_settings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dates_use_calendar, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
