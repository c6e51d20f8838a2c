/* frag_cache_test.c — parts of pages kept between views (web/frag_cache.c):
 * the same key gives the kept part; other stamps give nothing while the part
 * was quick to compute, and the last part (also of an earlier day) with one
 * claim to compute it again while it was slow (frag_cache_wait_ms); another
 * language or scope never gives another's part. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "web/frag_cache.h"
#include "web/web.h"

static struct frag_key key_of(int64_t stamp)
{
    struct frag_key k = {.lang = 0, .day = 20000, .scope = 0};
    k.stamp[0] = stamp;
    return k;
}

/* Keep "<p>text</p>" under k, computed in cost_ms. */
static void put(struct frag_cache *c, struct frag_key k, const char *text, int64_t cost_ms)
{
    struct html_frag f;
    html_frag_init(&f, 0);
    html_printf(&f.html, "<p>%s</p>", text);
    frag_cache_put(c, &k, &f, cost_ms);
    assert_int_equal(f.html.len, 0); /* taken over */
}

/* What frag_cache_kept gives for k: the part (or "" for none) and the claim. */
static const char *kept(struct frag_cache *c, struct frag_key k, int *claim, struct buf *out)
{
    buf_free(out);
    buf_init(out, 0);
    *claim = -1;
    if (!frag_cache_kept(c, &k, out, claim)) return "";
    buf_append(out, "", 1);
    return out->data;
}

static void test_quick_part(void **state)
{
    (void)state;
    static struct frag_cache c = FRAG_CACHE_INIT;
    struct buf out;
    buf_init(&out, 0);
    int claim;
    put(&c, key_of(1), "one", 3);
    assert_string_equal(kept(&c, key_of(1), &claim, &out), "<p>one</p>");
    assert_int_equal(claim, 0);
    /* other stamps, computed in 3 ms: computed again in the view */
    assert_string_equal(kept(&c, key_of(2), &claim, &out), "");
    assert_int_equal(claim, 0);
    buf_free(&out);
    buf_init(&out, 0);
    struct frag_key k2 = key_of(2), k1 = key_of(1);
    assert_int_equal(frag_cache_get(&c, &k2, &out), 0);
    assert_int_equal(frag_cache_get(&c, &k1, &out), 1);
    buf_free(&out);
}

static void test_slow_part(void **state)
{
    (void)state;
    static struct frag_cache c = FRAG_CACHE_INIT;
    struct buf out;
    buf_init(&out, 0);
    int claim;
    put(&c, key_of(1), "old", frag_cache_wait_ms);
    /* newer stamps: the last part, and the first view is the one to compute */
    assert_string_equal(kept(&c, key_of(2), &claim, &out), "<p>old</p>");
    assert_int_equal(claim, 1);
    assert_string_equal(kept(&c, key_of(3), &claim, &out), "<p>old</p>");
    assert_int_equal(claim, 0); /* one claim at a time */
    put(&c, key_of(3), "new", 2 * frag_cache_wait_ms);
    assert_string_equal(kept(&c, key_of(3), &claim, &out), "<p>new</p>");
    assert_int_equal(claim, 0);
    assert_string_equal(kept(&c, key_of(4), &claim, &out), "<p>new</p>");
    assert_int_equal(claim, 1);
    struct frag_key k4 = key_of(4);
    frag_cache_unclaim(&c, &k4); /* the computation failed */
    assert_string_equal(kept(&c, key_of(4), &claim, &out), "<p>new</p>");
    assert_int_equal(claim, 1); /* claimed again */
    frag_cache_unclaim(&c, &k4);
    /* the next day's first view: yesterday's part while today's is computed */
    struct frag_key k = key_of(3);
    k.day++;
    assert_string_equal(kept(&c, k, &claim, &out), "<p>new</p>");
    assert_int_equal(claim, 1);
    /* another language or scope: nothing */
    k = key_of(3), k.lang = 1;
    assert_string_equal(kept(&c, k, &claim, &out), "");
    k = key_of(3), k.scope = 1 + FRAG_SLOTS / 2; /* lang 0, scope 9: the same slot */
    assert_string_equal(kept(&c, k, &claim, &out), "");
    assert_int_equal(claim, 0);
    buf_free(&out);
}

static void test_wait_zero(void **state)
{
    (void)state;
    static struct frag_cache c = FRAG_CACHE_INIT;
    struct buf out;
    buf_init(&out, 0);
    int claim;
    int64_t saved = frag_cache_wait_ms;
    web_card_wait(0); /* luoshi serve --card-wait 0: every part is computed away from views */
    put(&c, key_of(1), "fast", 0);
    assert_string_equal(kept(&c, key_of(2), &claim, &out), "<p>fast</p>");
    assert_int_equal(claim, 1);
    web_card_wait(saved);
    buf_free(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quick_part),
        cmocka_unit_test(test_slow_part),
        cmocka_unit_test(test_wait_zero),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
