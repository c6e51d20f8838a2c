/* limit_test.c — the client's address behind trusted proxies (finding 2 and
 * 6: X-Forwarded-For and X-Real-IP are believed only from a trusted peer,
 * the rightmost address that is not a proxy is the client, anything that is
 * not an address is ignored), the per-address counts and the body budget. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <arpa/inet.h>
#include <cmocka.h>

#include "http/limit.h"
#include "http/server.h"

static void test_client_address(void **state)
{
    (void)state;
    static const char *const proxies[] = {"127.0.0.1", "10.0.0.2", "::1"};
    struct server_config cfg = {.trusted_proxies = proxies, .ntrusted = 3};
    static const struct {
        const char *peer, *xff, *real_ip, *want;
    } cases[] = {
        {"198.51.100.1", "203.0.113.5", NULL, "198.51.100.1"}, /* untrusted peer: its own */
        {"198.51.100.1", NULL, "203.0.113.5", "198.51.100.1"},
        {"127.0.0.1", NULL, NULL, "127.0.0.1"},
        {"127.0.0.1", "203.0.113.5", NULL, "203.0.113.5"},
        {"127.0.0.1", "1.2.3.4, 203.0.113.5", NULL,
         "203.0.113.5"}, /* the left is the client's say */
        {"127.0.0.1", "203.0.113.5, 10.0.0.2", NULL, "203.0.113.5"}, /* through two proxies */
        {"127.0.0.1", "10.0.0.2,127.0.0.1", NULL, "10.0.0.2"},       /* only proxies: the first */
        {"127.0.0.1", "garbage", NULL, "127.0.0.1"},
        {"127.0.0.1", "203.0.113.5, x", NULL, "127.0.0.1"},
        {"127.0.0.1", " 2001:DB8::1 ", NULL, "2001:db8::1"},
        {"127.0.0.1", NULL, "203.0.113.9", "203.0.113.9"},
        {"127.0.0.1", "203.0.113.5", "203.0.113.9", "203.0.113.5"}, /* X-Forwarded-For wins */
        {"127.0.0.1", NULL, "not an address", "127.0.0.1"},
        {"::1", "203.0.113.5", NULL, "203.0.113.5"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char out[INET6_ADDRSTRLEN];
        server_client_address(&cfg, cases[i].peer, cases[i].xff, cases[i].real_ip, out, sizeof out);
        if (strcmp(out, cases[i].want))
            fail_msg("case %zu: %s / %s: got %s, want %s", i, cases[i].peer,
                     cases[i].xff ? cases[i].xff : "-", out, cases[i].want);
    }
    struct server_config none = {0};
    char out[INET6_ADDRSTRLEN];
    server_client_address(&none, "127.0.0.1", "203.0.113.5", NULL, out, sizeof out);
    assert_string_equal(out, "127.0.0.1");
}

static void test_counts(void **state)
{
    (void)state;
    struct addr_counts *c = addr_counts_new(2);
    assert_int_equal(addr_counts_take(c, "a"), 1);
    assert_int_equal(addr_counts_take(c, "a"), 1);
    assert_int_equal(addr_counts_take(c, "a"), 0);
    assert_int_equal(addr_counts_take(c, "b"), 1);
    assert_int_equal(addr_counts_get(c, "a"), 2);
    addr_counts_give(c, "a");
    assert_int_equal(addr_counts_get(c, "a"), 1);
    assert_int_equal(addr_counts_take(c, "a"), 1);
    addr_counts_give(c, "b");
    assert_int_equal(addr_counts_get(c, "b"), 0);
    addr_counts_free(c);
}

static void test_budget(void **state)
{
    (void)state;
    struct body_budget *b = body_budget_new(10);
    assert_int_equal(body_budget_take(b, 6), 1);
    assert_int_equal(body_budget_take(b, 6), 0);
    assert_int_equal(body_budget_take(b, 4), 1);
    assert_int_equal(body_budget_used(b), 10);
    body_budget_give(b, 6);
    assert_int_equal(body_budget_take(b, 6), 1);
    body_budget_give(b, 100); /* never below zero */
    assert_int_equal(body_budget_used(b), 0);
    body_budget_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_client_address),
        cmocka_unit_test(test_counts),
        cmocka_unit_test(test_budget),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
