/* util_test.c — buffers, arena, UTF-8, strict parsing, dates. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <jansson.h>

#include "util/arena.h"
#include "util/buf.h"
#include "util/jsonw.h"
#include "util/str.h"
#include "util/time.h"
#include "util/utf8.h"

static void test_buf_limit(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 8);
    assert_int_equal(buf_puts(&b, "12345"), 0);
    assert_int_equal(buf_puts(&b, "6789"), -1); /* would pass the maximum */
    assert_int_equal(b.err, 1);
    assert_string_equal(buf_cstr(&b), "12345"); /* unchanged */
    assert_int_equal(buf_printf(&b, "%d", 678), 0);
    assert_string_equal(buf_cstr(&b), "12345678");
    assert_int_equal(buf_putc(&b, 'x'), -1);
    size_t n;
    char *s = buf_detach(&b, &n);
    assert_int_equal(n, 8);
    assert_string_equal(s, "12345678");
    assert_int_equal(b.len, 0);
    free(s);
    buf_free(&b);
}

static void test_buf_grows(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 0);
    for (int i = 0; i < 10000; i++)
        assert_int_equal(buf_putc(&b, 'a' + i % 26), 0);
    assert_int_equal(b.len, 10000);
    assert_int_equal(buf_cstr(&b)[9999], 'a' + 9999 % 26);
    buf_reset(&b);
    assert_string_equal(buf_cstr(&b), "");
    buf_free(&b);
}

static void test_arena(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    char *big = arena_alloc(a, 100000);
    assert_int_equal(big[99999], 0);
    for (int i = 0; i < 5000; i++) {
        char *s = arena_printf(a, "n=%d", i);
        assert_int_equal(((uintptr_t)s) % 16, 0);
        if (i == 4999) assert_string_equal(s, "n=4999");
    }
    assert_string_equal(arena_strndup(a, "落实abc", 6), "落实");
    assert_null(arena_strdup(a, NULL));
    arena_free(a);
}

static void test_utf8_validate(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        size_t len;
        int ok;
        size_t bad;
    } cases[] = {
        {"plain", 5, 1, 0},
        {"落实", 6, 1, 0},
        {"a\xff", 2, 0, 1},
        {"\xc0\xaf", 2, 0, 0},         /* overlong '/' */
        {"ab\xed\xa0\x80", 5, 0, 2},   /* surrogate */
        {"\xf4\x90\x80\x80", 4, 0, 0}, /* above U+10FFFF */
        {"\xe8\x90", 2, 0, 0},         /* cut short */
        {"\xf0\x9f\x98\x80", 4, 1, 0}, /* emoji */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        size_t bad = 99;
        assert_int_equal(utf8_validate(cases[i].s, cases[i].len, &bad), cases[i].ok);
        if (!cases[i].ok) assert_int_equal(bad, cases[i].bad);
    }
    assert_int_equal(utf8_count("落实ok", 8), 4);
    char out[4];
    assert_int_equal(utf8_encode(0x843D, out), 3);
    assert_memory_equal(out, "落", 3);
    assert_int_equal(utf8_encode(0xD800, out), 0);
}

/* Finding 3: cutting for display never splits a character, and a message
 * cut by a byte precision is made text again. */
static void test_utf8_cut(void **state)
{
    (void)state;
    const char *s = "落实ab"; /* 3 + 3 + 2 bytes */
    static const struct {
        size_t max, want;
    } cases[] = {{0, 0}, {1, 0}, {2, 0}, {3, 3}, {4, 3}, {5, 3}, {6, 6}, {7, 7}, {8, 8}, {99, 8}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        assert_int_equal(utf8_prefix(s, strlen(s), cases[i].max), cases[i].want);
    char out[6];
    utf8_copy(out, sizeof out, s);
    assert_string_equal(out, "落");
    utf8_copy(out, 1, s);
    assert_string_equal(out, "");
    char m[32];
    snprintf(m, sizeof m, "'%.4s' x", "长名称");
    utf8_sanitize(m);
    assert_string_equal(m, "'长?' x");
    snprintf(m, sizeof m, "%s", "ok 落实 \xff\xc0\xaf");
    utf8_sanitize(m);
    assert_string_equal(m, "ok 落实 ???");
    assert_int_equal(utf8_validate(m, strlen(m), NULL), 1);
}

static void test_str_to_int64(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        int rc;
        int64_t v;
    } cases[] = {
        {"0", 0, 0},
        {"42", 0, 42},
        {"-7", 0, -7},
        {"", -1, 0},
        {"12abc", -1, 0},
        {" 1", -1, 0},
        {"-", -1, 0},
        {"99999999999999999999", -1, 0},
        {"9223372036854775807", 0, INT64_MAX},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        int64_t v = 0;
        assert_int_equal(str_to_int64(cases[i].s, strlen(cases[i].s), &v), cases[i].rc);
        if (!cases[i].rc) assert_int_equal(v, cases[i].v);
    }
    double d;
    assert_int_equal(str_to_double("12.5", 4, &d), 0);
    assert_true(d == 12.5);
    assert_int_equal(str_to_double("nan", 3, &d), -1);
    assert_int_equal(str_to_double("1e999", 5, &d), -1);
    assert_true(str_secret_eq("abc", "abc"));
    assert_false(str_secret_eq("abc", "abd"));
    assert_false(str_secret_eq("abc", "ab"));
}

/* RFC 4648's test vectors both ways; bad text and a decoded size over the
 * maximum are refused. */
static void test_base64(void **state)
{
    (void)state;
    static const char *const plain[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
    static const char *const coded[] = {"",         "Zg==",     "Zm8=",    "Zm9v",
                                        "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
    for (size_t i = 0; i < 7; i++) {
        char *b = str_base64((const unsigned char *)plain[i], strlen(plain[i]));
        assert_string_equal(b, coded[i]);
        free(b);
        unsigned char *bin;
        size_t n;
        assert_int_equal(str_unbase64(coded[i], strlen(coded[i]), 16, &bin, &n), 0);
        assert_int_equal(n, strlen(plain[i]));
        assert_memory_equal(bin, plain[i], n);
        free(bin);
    }
    unsigned char *bin;
    size_t n;
    assert_int_equal(str_unbase64("Zm9v\nYmFy", 9, 16, &bin, &n), 0); /* line breaks skipped */
    assert_int_equal(n, 6);
    free(bin);
    assert_int_equal(str_unbase64("Zm9v!", 5, 16, &bin, &n), -1);
    assert_null(bin);
    assert_int_equal(str_unbase64("Zm9vYmFy", 8, 5, &bin, &n), -1); /* 6 bytes, at most 5 */
    assert_null(bin);
}

static void test_dates(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        int rc;
        int weekday;
    } cases[] = {
        {"1970-01-01", 0, 4},   {"2023-03-15", 0, 3},  {"2024-02-29", 0, 4},
        {"2023-02-29", -1, 0},  {"2023-13-01", -1, 0}, {"2023-3-15", -1, 0},
        {"2023-03-15x", -1, 0}, {"1899-12-31", -1, 0}, {"2026-11-29", 0, 7},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        int32_t day;
        assert_int_equal(date_parse(cases[i].s, strlen(cases[i].s), &day), cases[i].rc);
        if (cases[i].rc) continue;
        char out[11];
        date_format(day, out);
        assert_string_equal(out, cases[i].s);
        assert_int_equal(date_weekday(day), cases[i].weekday);
    }
    assert_int_equal(date_make(1970, 1, 1), 0);
    assert_int_equal(date_make(2000, 3, 1) - date_make(2000, 2, 28), 2);
}

/* A misspelt zone is refused and leaves the zone as it was: the C library
 * would take it as UTC and every deadline would move by eight hours. */
static void test_zone_names(void **state)
{
    (void)state;
    assert_int_equal(time_set_zone("Asia/Shanghai"), 0);
    assert_int_equal(time_set_zone("Asia/Shanghia"), -1);
    assert_int_equal(time_set_zone(""), -1);
    assert_int_equal(time_set_zone("/etc/passwd"), -1);
    assert_int_equal(time_set_zone("../../etc/passwd"), -1);
    char out[40];
    time_format_iso(0, out, sizeof out);
    assert_string_equal(out, "1970-01-01T08:00:00+08:00");
    assert_int_equal(time_set_zone("UTC"), 0);
    time_format_iso(0, out, sizeof out);
    assert_string_equal(out, "1970-01-01T00:00:00+00:00");
    assert_int_equal(time_set_zone("Asia/Shanghai"), 0);
}

static void test_iso_time(void **state)
{
    (void)state;
    time_set_zone("Asia/Shanghai");
    char out[40];
    time_format_iso(1678862400000LL, out, sizeof out); /* 2023-03-15T06:40:00Z */
    assert_string_equal(out, "2023-03-15T14:40:00+08:00");
    assert_int_equal(time_day_of(1678862400000LL), date_make(2023, 3, 15));
    /* 23:30 UTC is already the next day in the city */
    assert_int_equal(time_day_of(1678923000000LL), date_make(2023, 3, 16));
    /* minutes and seconds written by hand: the edges of an hour, before 1970 */
    static const struct {
        int64_t ms;
        const char *want;
    } cases[] = {
        {1678863599999LL, "2023-03-15T14:59:59+08:00"},
        {1678863600000LL, "2023-03-15T15:00:00+08:00"},
        {0, "1970-01-01T08:00:00+08:00"},
        {-1000, "1970-01-01T07:59:59+08:00"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        time_format_iso(cases[i].ms, out, sizeof out);
        assert_string_equal(out, cases[i].want);
    }
    char small[8];
    time_format_iso(1678862400000LL, small, sizeof small); /* cut, never overrun */
    assert_string_equal(small, "2023-03");
}

/* The offset kept per day gives what localtime_r gives, on every day and at
 * every transition: zones with summer time, half-hour and 45-minute offsets,
 * a half-hour summer shift, west of UTC, and before 1970. */
static void reference_iso(int64_t secs, char *out, size_t outlen)
{
    time_t t = (time_t)secs;
    struct tm tm;
    localtime_r(&t, &tm);
    long off = tm.tm_gmtoff / 60;
    char sign = off < 0 ? '-' : '+';
    if (off < 0) off = -off;
    snprintf(out, outlen, "%04d-%02d-%02dT%02d:%02d:%02d%c%02ld:%02ld", (tm.tm_year + 1900) % 10000,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, sign, (off / 60) % 100,
             off % 60);
}

static void test_iso_zones(void **state)
{
    (void)state;
    static const char *zones[] = {"Asia/Shanghai",
                                  "America/New_York",
                                  "Europe/London",
                                  "Australia/Lord_Howe",
                                  "Asia/Kathmandu",
                                  "America/St_Johns",
                                  "UTC"};
    char got[40], want[40];
    for (size_t z = 0; z < sizeof zones / sizeof *zones; z++) {
        assert_int_equal(time_set_zone(zones[z]), 0);
        /* 1985 to 1987 (Kathmandu moved from +05:30 to +05:45), then 2022 to
         * 2024, every 907 s: every quarter hour of each day, seconds varying */
        static const int64_t from[] = {473385600LL, 1640995200LL};
        for (int r = 0; r < 2; r++) {
            for (int64_t s = from[r]; s < from[r] + 2 * 366 * 86400LL; s += 907) {
                time_format_iso(s * 1000 + 999, got, sizeof got);
                reference_iso(s, want, sizeof want);
                if (strcmp(got, want))
                    fail_msg("%s at %lld: %s, not %s", zones[z], (long long)s, got, want);
                time_t t = (time_t)s;
                struct tm tm;
                localtime_r(&t, &tm);
                assert_int_equal(time_day_of(s * 1000),
                                 date_make(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday));
            }
        }
        time_format_iso(-86400000LL * 400, got, sizeof got); /* 1968 */
        reference_iso(-86400LL * 400, want, sizeof want);
        assert_string_equal(got, want);
    }
    /* New York's spring and autumn transitions, to the second */
    assert_int_equal(time_set_zone("America/New_York"), 0);
    time_format_iso(1678604399000LL, got, sizeof got);
    assert_string_equal(got, "2023-03-12T01:59:59-05:00");
    time_format_iso(1678604400000LL, got, sizeof got);
    assert_string_equal(got, "2023-03-12T03:00:00-04:00");
    time_format_iso(1699163999000LL, got, sizeof got);
    assert_string_equal(got, "2023-11-05T01:59:59-04:00");
    time_format_iso(1699164000000LL, got, sizeof got);
    assert_string_equal(got, "2023-11-05T01:00:00-05:00");
    assert_int_equal(time_set_zone("Asia/Shanghai"), 0);
}

static void test_json_int(void **state)
{
    (void)state;
    static const struct {
        int64_t v;
        const char *want;
    } cases[] = {
        {0, "0"},
        {7, "7"},
        {-7, "-7"},
        {1234567890, "1234567890"},
        {INT64_MAX, "9223372036854775807"},
        {INT64_MIN, "-9223372036854775808"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct buf b;
        buf_init(&b, 0);
        jw_int(&b, cases[i].v);
        assert_int_equal(b.len, strlen(cases[i].want));
        assert_memory_equal(b.data, cases[i].want, b.len);
        buf_free(&b);
    }
}

/* jw_str and jw_real write what jansson's json_dumps writes, byte for byte
 * (the hand-written lists and results are compared with jansson's). */
static void test_json_as_jansson(void **state)
{
    (void)state;
    static const double reals[] = {0.0,
                                   -0.0,
                                   1.0,
                                   -7.0,
                                   0.1,
                                   2.5,
                                   1e20,
                                   1e-5,
                                   1.5e300,
                                   -2.2250738585072014e-308,
                                   123456789012345678.0,
                                   1e16,
                                   100.0 / 3.0,
                                   5e-324,
                                   1e100};
    static const char *const strs[] = {"",           "落实",         "a\"b\\c/d",
                                       "\b\f\n\r\t", "\x01\x1f\x7f", "亩均\x0b效益"};
    for (size_t i = 0; i < sizeof reals / sizeof *reals + sizeof strs / sizeof *strs; i++) {
        int real = i < sizeof reals / sizeof *reals;
        json_t *v =
            real ? json_real(reals[i]) : json_string(strs[i - sizeof reals / sizeof *reals]);
        char *want = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
        struct buf b;
        buf_init(&b, 0);
        if (real)
            jw_real(&b, reals[i]);
        else
            jw_str(&b, strs[i - sizeof reals / sizeof *reals]);
        if (b.len != strlen(want) || memcmp(b.data, want, b.len))
            fail_msg("case %zu: wrote %.*s, jansson %s", i, (int)b.len, b.data, want);
        buf_free(&b);
        free(want);
        json_decref(v);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_buf_limit),       cmocka_unit_test(test_buf_grows),
        cmocka_unit_test(test_arena),           cmocka_unit_test(test_utf8_validate),
        cmocka_unit_test(test_utf8_cut),        cmocka_unit_test(test_str_to_int64),
        cmocka_unit_test(test_dates),           cmocka_unit_test(test_iso_time),
        cmocka_unit_test(test_zone_names),      cmocka_unit_test(test_iso_zones),
        cmocka_unit_test(test_json_int),        cmocka_unit_test(test_base64),
        cmocka_unit_test(test_json_as_jansson),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
