/* efficiency_test.c — the pure half of the 亩均效益评价
 * (core/efficiency_score.c): the GB 32100-2015 check character, the score
 * of each track against a hand computation, a missing input, ties at the
 * class thresholds, and the config's checks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/efficiency.h"

struct code_case {
    const char *code;
    int ok;
};

/* 91350100M000100Y43, the standard's sample: the first 17 characters' values
 * (9 1 3 5 0 1 0 0 M=21 0 0 0 1 0 0 Y=30 4) times the weights 3^i mod 31
 * (1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28) sum to 1640; 1640 mod 31
 * = 28, and 31 − 28 = 3 is the check character.  91330784MA2E00001L: the
 * values 9 1 3 3 0 7 8 4 M=21 A=10 2 E=14 0 0 0 0 1 sum to 1468, 1468 mod
 * 31 = 11, 31 − 11 = 20, the alphabet's 20th (from 0) is L. */
static const struct code_case codes[] = {
    {"91350100M000100Y43", 1},  {"91350100M000100Y44", 0}, /* the wrong check character */
    {"91350100M000100Y4", 0},                              /* 17 characters */
    {"91350100M000100Y430", 0},                            /* 19 */
    {"91350100m000100Y43", 0},                             /* lower case is not in the alphabet */
    {"91350100I000100Y43", 0},                             /* I, O, S, V and Z are not either */
    {"91330784MA2E00001L", 1},  {"91330784MA2E00002P", 1}, {"92330784MA2E00004T", 1},
    {"91330784MA2E000051", 1},  {"91330784MA2E000052", 0}, {"", 0},
};

static void test_credit_code(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
        if (efficiency_credit_code_ok(codes[i].code) != codes[i].ok)
            fail_msg("%s: want %d", codes[i].code, codes[i].ok);
    assert_int_equal(efficiency_credit_code_ok(NULL), 0);
}

/* The e2e test's config: round divisors so every figure is exact. */
static void round_config(struct eff_config *c)
{
    static const double ad[] = {2, 10, 1, 100, 5, 2}, bd[] = {1, 0.5};
    efficiency_config_default(c);
    memcpy(c->track[EFF_ABOVE].divisor, ad, sizeof ad);
    memcpy(c->track[EFF_BELOW].divisor, bd, sizeof bd);
}

static struct eff_row above(double land, double tax, double va, double rev, double staff,
                            double energy, double emission, double rd)
{
    struct eff_row r = {.above = 1, .land_mu = land, .have = 0x7f};
    r.in[EFF_TAX] = tax, r.in[EFF_VALUE_ADDED] = va, r.in[EFF_REVENUE] = rev;
    r.in[EFF_EMPLOYEES] = staff, r.in[EFF_ENERGY] = energy, r.in[EFF_EMISSION] = emission;
    r.in[EFF_RD] = rd;
    return r;
}

static struct eff_row below(double land, double tax, double mwh)
{
    struct eff_row r = {.land_mu = land, .have = 1u << EFF_TAX | 1u << EFF_ELECTRICITY};
    r.in[EFF_TAX] = tax, r.in[EFF_ELECTRICITY] = mwh;
    return r;
}

static void test_above(void **state)
{
    struct eff_config c;
    struct eff_score s;
    (void)state;
    round_config(&c);
    /* 20/10=2 → 2/2·30=30; 100/10=10 → 20; 100/100=1 → 20; 100/1=100 → 10;
     * 100/20=5 → 10; 100·2/100=2 % → 10: 100, class A */
    struct eff_row r = above(10, 20, 100, 100, 20, 100, 1, 2);
    efficiency_score(&c, &r, &s);
    assert_int_equal(s.track, EFF_ABOVE);
    assert_int_equal(s.n, 6);
    static const double points[] = {30, 20, 20, 10, 10, 10};
    for (int i = 0; i < 6; i++)
        assert_true(s.points[i] == points[i]);
    assert_true(s.value[5] == 2.0);
    assert_true(s.score == 100.0);
    assert_int_equal(s.cls, 'A');
    assert_int_equal(s.missing, 0);
    assert_int_equal(s.flags, 0);
    /* 16/10=1.6 → 24; 6 → 12; 1 → 20; 60 → 6; 3 → 6; 2.4 % → 12: exactly 80, A */
    r = above(10, 16, 60, 100, 20, 60, 1, 2.4);
    efficiency_score(&c, &r, &s);
    assert_true(s.score == 80.0);
    assert_int_equal(s.cls, 'A');
    /* an above-size firm on 2 亩 is flagged, still scored as above */
    r.land_mu = 2;
    efficiency_score(&c, &r, &s);
    assert_int_equal(s.track, EFF_ABOVE);
    assert_int_equal(s.flags, EFF_FLAG_SMALL_ABOVE);
}

static void test_missing(void **state)
{
    struct eff_config c;
    struct eff_score s;
    (void)state;
    round_config(&c);
    /* no emission: 1 → 15; 5 → 10; 1 → 20; missing → 0; 2.5 → 5; 1 % → 5: 55, C */
    struct eff_row r = above(10, 10, 50, 100, 20, 50, 0, 1);
    r.have &= ~(1u << EFF_EMISSION);
    efficiency_score(&c, &r, &s);
    assert_int_equal(s.missing, 1u << 3);
    assert_true(s.points[3] == 0);
    assert_true(s.score == 55.0);
    assert_int_equal(s.cls, 'C');
    /* a zero denominator is missing too */
    r.have |= 1u << EFF_EMISSION;
    efficiency_score(&c, &r, &s);
    assert_int_equal(s.missing, 1u << 3);
}

static void test_below(void **state)
{
    struct eff_config c;
    struct eff_score s;
    (void)state;
    round_config(&c);
    struct eff_row r = below(5, 5, 20); /* 1 → 50; 0.25/0.5·50 = 25: 75, B */
    efficiency_score(&c, &r, &s);
    assert_int_equal(s.track, EFF_BELOW);
    assert_true(s.score == 75.0);
    assert_int_equal(s.cls, 'B');
    r = below(2, 1.2, 4); /* < 3 亩: below_small with below's config; 30 + 30 = 60, B */
    efficiency_score(&c, &r, &s);
    assert_int_equal(s.track, EFF_BELOW_SMALL);
    assert_true(s.score == 60.0);
    assert_int_equal(s.cls, 'B');
    r = below(4, 2, 20); /* 0.5 → 25; 0.1 → 10: 35, D */
    efficiency_score(&c, &r, &s);
    assert_true(s.score == 35.0);
    assert_int_equal(s.cls, 'D');
    r = below(12, 12, 24); /* on 10 亩 or more: flagged; 1 → 50, 0.5 → 50 */
    efficiency_score(&c, &r, &s);
    assert_int_equal(s.flags, EFF_FLAG_LARGE_BELOW);
    assert_true(s.score == 100.0);
    /* the defaults: the benchmark firm scores 100 */
    efficiency_config_default(&c);
    r = below(1, 11.5932, 11.5932 / 0.2352);
    efficiency_score(&c, &r, &s);
    assert_true(s.score == 100.0);
}

static void test_config(void **state)
{
    struct eff_config c, d;
    struct err e = {0};
    (void)state;
    efficiency_config_default(&c);
    d = c;
    json_t *bad[] = {
        json_pack("{s:{s:{s:i}}}", "above", "weights", "tax_per_mwh", 5),
        json_pack("{s:{s:{s:i}}}", "below", "divisors", "tax_per_mu", 0),
        json_pack("{s:{s:i,s:i,s:i}}", "classes", "A", 60, "B", 60, "C", 40),
        json_pack("{s:i}", "objection_days", 91),
        json_pack("{s:i}", "weights", 1),
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(efficiency_config_apply(&c, bad[i], &e), -1);
        assert_int_equal(e.status, 422);
        assert_memory_equal(&c, &d, sizeof c);
        json_decref(bad[i]);
    }
    json_t *ok = json_pack("{s:{s:{s:f}},s:i,s:{s:s}}", "below_small", "weights", "tax_per_mu",
                           70.0, "objection_days", 0, "labels", "D", "差别化电价");
    assert_int_equal(efficiency_config_apply(&c, ok, &e), 0);
    json_decref(ok);
    assert_true(c.track[EFF_BELOW_SMALL].set);
    assert_true(c.track[EFF_BELOW_SMALL].weight[0] == 70 &&
                c.track[EFF_BELOW_SMALL].weight[1] == 50);
    assert_int_equal(c.objection_days, 0);
    assert_string_equal(c.label[3], "差别化电价");
    json_t *v = efficiency_config_json(&c);
    char *text = json_dumps(json_object_get(v, "classes"), JSON_SORT_KEYS | JSON_COMPACT);
    assert_string_equal(text, "{\"A\":80.0,\"B\":60.0,\"C\":40.0}");
    free(text);
    json_decref(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_credit_code), cmocka_unit_test(test_above),
        cmocka_unit_test(test_missing),     cmocka_unit_test(test_below),
        cmocka_unit_test(test_config),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
