/* calendar_test.c — working days (core/calendar.c) at weekend, holiday and
 * 调休 boundaries, on a synthetic calendar written here; the parser's errors
 * naming their line; storing and loading through a real SQLite file; and a
 * few facts of the shipped official calendar (data/calendar/cn-official.txt). */
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
#include "db/db.h"
#include "util/time.h"

/* A made-up week in May 2030: Wed 1 to Fri 3 off, Sat 4 … Sun 5 weekend,
 * Sat 11 worked instead; Mon 13 an odd one-day holiday.  2030-05-01 is a
 * Wednesday. */
static const char synthetic[] = "# synthetic calendar\n"
                                "\n"
                                "2030-05-01 holiday 节日\n"
                                "2030-05-02 holiday 节日\r\n"
                                "  2030-05-03\tholiday\n"
                                "2030-05-11 workday 节日 调休上班\n"
                                "2030-05-13 holiday one day\n";

static int32_t D(const char *s)
{
    int32_t d;
    assert_int_equal(date_parse(s, strlen(s), &d), 0);
    return d;
}

static void load_synthetic(struct calendar *c)
{
    struct err e = {0};
    assert_int_equal(calendar_parse(c, synthetic, sizeof synthetic - 1, &e), 0);
    assert_int_equal(c->n, 5);
}

struct day_case {
    const char *day;
    int working;
};

static void test_is_working_day(void **state)
{
    (void)state;
    static const struct day_case cases[] = {
        {"2030-04-29", 1},                    /* Monday */
        {"2030-04-30", 1},                    /* Tuesday, the eve */
        {"2030-05-01", 0}, {"2030-05-03", 0}, /* holidays on weekdays */
        {"2030-05-04", 0}, {"2030-05-05", 0}, /* the weekend inside */
        {"2030-05-06", 1},                    /* Monday after */
        {"2030-05-10", 1},                    /* Friday */
        {"2030-05-11", 1},                    /* Saturday made a working day (调休) */
        {"2030-05-12", 0},                    /* Sunday */
        {"2030-05-13", 0},                    /* Monday holiday */
        {"2030-05-14", 1},
    };
    struct calendar c = {0};
    load_synthetic(&c);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        if (calendar_is_working_day(&c, D(cases[i].day)) != cases[i].working)
            fail_msg("%s should be %s", cases[i].day, cases[i].working ? "working" : "off");
    calendar_free(&c);
}

struct add_case {
    const char *from;
    int n;
    const char *want;
};

static void test_add_working_days(void **state)
{
    (void)state;
    static const struct add_case cases[] = {
        {"2030-04-29", 0, "2030-04-29"},
        {"2030-04-29", 1, "2030-04-30"},
        {"2030-04-30", 1, "2030-05-06"}, /* over the holiday and the weekend */
        {"2030-04-30", 2, "2030-05-07"},
        {"2030-05-01", 1, "2030-05-06"}, /* from inside the holiday */
        {"2030-05-10", 1, "2030-05-11"}, /* Friday → the 调休 Saturday */
        {"2030-05-10", 2, "2030-05-14"}, /* … then over Sunday and the Monday holiday */
        {"2030-05-06", 3, "2030-05-09"},
        {"2030-05-06", -1, "2030-04-30"},
        {"2030-05-14", -2, "2030-05-10"},
        {"2030-05-12", -1, "2030-05-11"},
        {"2030-04-26", 3, "2030-05-06"}, /* Friday + 3: Mon, Tue, then Mon after */
    };
    struct calendar c = {0};
    load_synthetic(&c);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char got[11];
        date_format(calendar_add_working_days(&c, D(cases[i].from), cases[i].n), got);
        if (strcmp(got, cases[i].want))
            fail_msg("%s + %d: want %s, got %s", cases[i].from, cases[i].n, cases[i].want, got);
        /* and the count between agrees (going forward) */
        if (cases[i].n >= 0)
            assert_int_equal(calendar_working_days_between(&c, D(cases[i].from), D(got)),
                             cases[i].n);
    }
    calendar_free(&c);
}

struct between_case {
    const char *from, *to;
    int want;
};

static void test_between_and_next(void **state)
{
    (void)state;
    static const struct between_case cases[] = {
        {"2030-04-29", "2030-04-29", 0},   {"2030-04-30", "2030-05-05", 0},
        {"2030-04-30", "2030-05-06", 1},   {"2030-04-29", "2030-05-31", 21},
        {"2030-05-31", "2030-04-29", -21}, {"2030-05-10", "2030-05-13", 1},
    };
    struct calendar c = {0};
    load_synthetic(&c);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        if (calendar_working_days_between(&c, D(cases[i].from), D(cases[i].to)) != cases[i].want)
            fail_msg("%s..%s", cases[i].from, cases[i].to);
    assert_int_equal(calendar_next_working_day(&c, D("2030-05-01")), D("2030-05-06"));
    assert_int_equal(calendar_next_working_day(&c, D("2030-05-11")), D("2030-05-11"));
    assert_int_equal(calendar_next_working_day(&c, D("2030-05-12")), D("2030-05-14"));
    /* an empty calendar is the plain weekday rule */
    struct calendar empty = {0};
    assert_int_equal(calendar_add_working_days(&empty, D("2030-05-03"), 1), D("2030-05-06"));
    assert_int_equal(calendar_working_days_between(&empty, D("2030-04-28"), D("2030-05-05")), 5);
    calendar_free(&c);
}

struct parse_case {
    const char *text, *message;
};

static void test_parse_errors(void **state)
{
    (void)state;
    static const struct parse_case cases[] = {
        {"2030-05-01 holiday\n2030-5-2 holiday\n",
         "line 2: '2030-5-2' is not a date as YYYY-MM-DD"},
        {"# c\n2030-02-30 holiday\n", "line 2: '2030-02-30' is not a date as YYYY-MM-DD"},
        {"\n\n2030-05-01 off\n", "line 3: the kind must be 'holiday' or 'workday' after the date"},
        {"2030-05-01\n", "line 1: the kind must be 'holiday' or 'workday' after the date"},
        {"2030-05-01 holidays x\n",
         "line 1: the kind must be 'holiday' or 'workday' after the date"},
        {"2030-05-01 holiday a\n2030-05-01 workday b\n", "line 2: 2030-05-01 is listed twice"},
        {"2030-05-01 holiday 0123456789012345678901234567890123456789012345678901234567890\n",
         "line 1: the name is longer than 60 bytes"},
        {"2030-05-01 holiday \xff\n", "the calendar is not UTF-8 text (byte 19)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct calendar c = {0};
        struct err e = {0};
        assert_int_equal(calendar_parse(&c, cases[i].text, strlen(cases[i].text), &e), -1);
        assert_int_equal(e.status, 422);
        assert_string_equal(e.code, "invalid_calendar");
        assert_string_equal(e.message, cases[i].message);
        calendar_free(&c);
    }
}

/* Read a whole file into a malloc'd buffer. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char buf[1 << 16];
    *len = fread(buf, 1, sizeof buf, f);
    fclose(f);
    char *s = malloc(*len + 1);
    memcpy(s, buf, *len);
    s[*len] = '\0';
    return s;
}

struct official_case {
    const char *day;
    int working;
    const char *why;
};

static void test_official_calendar(void **state)
{
    (void)state;
    static const struct official_case cases[] = {
        {"2023-01-20", 1, "Friday before 春节 2023"},
        {"2023-01-21", 0, "春节 2023 starts"},
        {"2023-01-27", 0, "春节 2023 ends"},
        {"2023-01-28", 1, "调休 Saturday"},
        {"2023-04-05", 0, "清明 2023"},
        {"2023-10-07", 1, "调休 Saturday after 国庆 2023"},
        {"2024-02-04", 1, "调休 Sunday before 春节 2024"},
        {"2024-02-09", 1, "除夕 2024 is not an official holiday"},
        {"2024-02-10", 0, "春节 2024"},
        {"2024-02-18", 1, "调休 Sunday after 春节 2024"},
        {"2024-05-11", 1, "调休 Saturday"},
        {"2024-09-14", 1, "调休 Saturday before 中秋 2024"},
        {"2025-01-01", 0, "元旦 2025"},
        {"2025-01-26", 1, "调休 Sunday"},
        {"2025-02-04", 0, "正月初七 2025"},
        {"2025-02-08", 1, "调休 Saturday"},
        {"2025-10-08", 0, "国庆 2025 lasts to the 8th"},
        {"2025-10-11", 1, "调休 Saturday"},
        {"2026-01-02", 0, "元旦 2026"},
        {"2026-01-04", 1, "调休 Sunday"},
        {"2026-02-14", 1, "调休 Saturday before 春节 2026"},
        {"2026-02-23", 0, "正月初七 2026"},
        {"2026-02-24", 1, "after 春节 2026"},
        {"2026-02-28", 1, "调休 Saturday"},
        {"2026-04-06", 0, "清明 2026 Monday"},
        {"2026-05-05", 0, "劳动节 2026 Tuesday"},
        {"2026-05-09", 1, "调休 Saturday"},
        {"2026-06-19", 0, "端午 2026 Friday"},
        {"2026-09-20", 1, "调休 Sunday before 国庆 2026"},
        {"2026-09-25", 0, "中秋 2026 Friday"},
        {"2026-10-07", 0, "国庆 2026 lasts to the 7th"},
        {"2026-10-08", 1, "after 国庆 2026"},
        {"2026-10-10", 1, "调休 Saturday"},
    };
    size_t len;
    char *text = slurp("data/calendar/cn-official.txt", &len);
    struct calendar c = {0};
    struct err e = {0};
    if (calendar_parse(&c, text, len, &e)) fail_msg("%s", e.message);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        if (calendar_is_working_day(&c, D(cases[i].day)) != cases[i].working)
            fail_msg("%s: %s", cases[i].day, cases[i].why);
    /* a deadline of 5 working days given on the eve of 春节 2024 lands after it */
    char got[11];
    date_format(calendar_add_working_days(&c, D("2024-02-08"), 5), got);
    assert_string_equal(got, "2024-02-21"); /* 9 (Fri), 18 (调休 Sun), 19, 20, 21 */
    calendar_free(&c);
    free(text);
}

static void test_store_and_load(void **state)
{
    (void)state;
    char path[] = "/tmp/luoshi-calendar-test-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    char err[256];
    struct db *db = db_open(path, DB_OPEN_CREATE, err, sizeof err);
    assert_non_null(db);
    int applied;
    assert_int_equal(db_migrate(db, &applied, err, sizeof err), DB_OK);
    struct err e = {0};
    int count = 0;
    assert_int_equal(db_begin(db), DB_OK);
    assert_int_equal(calendar_import(db, NULL, synthetic, sizeof synthetic - 1, &count, &e), 0);
    assert_int_equal(count, 5);
    /* importing again replaces: 05-13 becomes a workday */
    const char again[] = "2030-05-13 workday 改\n";
    assert_int_equal(calendar_import(db, NULL, again, sizeof again - 1, &count, &e), 0);
    /* a bad file stores nothing and names the line */
    const char bad[] = "2030-06-01 holiday\nnonsense\n";
    assert_int_equal(calendar_import(db, NULL, bad, sizeof bad - 1, &count, &e), -1);
    assert_string_equal(e.message, "line 2: 'nonsense' is not a date as YYYY-MM-DD");
    assert_int_equal(db_commit(db), DB_OK);
    struct calendar c = {0};
    assert_int_equal(calendar_load(db, &c), DB_OK);
    assert_int_equal(c.n, 5);
    assert_int_equal(calendar_is_working_day(&c, D("2030-05-13")), 1);
    assert_string_equal(c.days[4].name, "改");
    assert_int_equal(calendar_is_working_day(&c, D("2030-05-02")), 0);
    assert_string_equal(c.days[1].name, "节日");
    calendar_free(&c);
    db_close(db);
    unlink(path);
    char p2[300];
    snprintf(p2, sizeof p2, "%s-wal", path);
    unlink(p2);
    snprintf(p2, sizeof p2, "%s-shm", path);
    unlink(p2);
}

/* Only the years the database lists no day of are loaded (init's shipped
 * calendars); the missing years of now and next year are named. */
static void test_new_years_and_missing(void **state)
{
    (void)state;
    char path[] = "/tmp/luoshi-calendar-test-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    char err[256];
    struct db *db = db_open(path, DB_OPEN_CREATE, err, sizeof err);
    assert_non_null(db);
    int applied, count = -1, missing[2] = {0, 0}, n = -1;
    assert_int_equal(db_migrate(db, &applied, err, sizeof err), DB_OK);
    struct err e = {0};
    assert_int_equal(calendar_missing_years(db, 2030, missing, &n), DB_OK);
    assert_int_equal(n, 2);
    assert_int_equal(missing[0], 2030);
    assert_int_equal(missing[1], 2031);
    assert_int_equal(db_begin(db), DB_OK);
    const char admin[] = "2030-05-01 workday 改过\n";
    assert_int_equal(calendar_import(db, NULL, admin, sizeof admin - 1, &count, &e), 0);
    const char shipped[] = "2030-05-01 holiday 节日\n2030-05-02 holiday 节日\n"
                           "2031-01-01 holiday 元旦\n2031-01-02 holiday 元旦\n";
    assert_int_equal(calendar_import_new_years(db, NULL, shipped, sizeof shipped - 1, &count, &e),
                     0);
    assert_int_equal(count, 2); /* 2031's two days; 2030 is the admin's */
    assert_int_equal(calendar_import_new_years(db, NULL, shipped, sizeof shipped - 1, &count, &e),
                     0);
    assert_int_equal(count, 0);
    assert_int_equal(db_commit(db), DB_OK);
    struct calendar c = {0};
    assert_int_equal(calendar_load(db, &c), DB_OK);
    assert_int_equal(c.n, 3);
    assert_int_equal(calendar_is_working_day(&c, D("2030-05-01")), 1);
    assert_int_equal(calendar_is_working_day(&c, D("2030-05-02")), 1);
    assert_int_equal(calendar_is_working_day(&c, D("2031-01-02")), 0);
    calendar_free(&c);
    assert_int_equal(calendar_missing_years(db, 2030, missing, &n), DB_OK);
    assert_int_equal(n, 0);
    assert_int_equal(calendar_missing_years(db, 2031, missing, &n), DB_OK);
    assert_int_equal(n, 1);
    assert_int_equal(missing[0], 2032);
    db_close(db);
    unlink(path);
    char p2[300];
    snprintf(p2, sizeof p2, "%s-wal", path);
    unlink(p2);
    snprintf(p2, sizeof p2, "%s-shm", path);
    unlink(p2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_is_working_day),        cmocka_unit_test(test_add_working_days),
        cmocka_unit_test(test_between_and_next),      cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_official_calendar),     cmocka_unit_test(test_store_and_load),
        cmocka_unit_test(test_new_years_and_missing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
