/* html_test.c — the escaping writer (util/html.c): every %s and %c is
 * escaped, everything else formats as printf does, raw output is only
 * html_raw's, URL components are percent-encoded, XML text takes the same
 * escaper in its XML form, and a full buffer is refused rather than
 * half-written. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>
#include <sys/types.h>

#include "util/html.h"

struct esc_case {
    const char *in, *out;
};

static const struct esc_case esc_cases[] = {
    {"<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"},
    {"a & b", "a &amp; b"},
    {"\"double\" and 'single'", "&quot;double&quot; and &#39;single&#39;"},
    {"&amp;", "&amp;amp;"},
    {"\" onmouseover=\"x", "&quot; onmouseover=&quot;x"},
    {"落实：督查督办 — ok", "落实：督查督办 — ok"},
    {"emoji 🚒 stays", "emoji 🚒 stays"},
    {"<>&\"'", "&lt;&gt;&amp;&quot;&#39;"},
    {"", ""},
    {"plain", "plain"},
};

static void test_escape_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof esc_cases / sizeof esc_cases[0]; i++) {
        struct buf b;
        buf_init(&b, 0);
        assert_int_equal(html_printf(&b, "%s", esc_cases[i].in), 0);
        assert_string_equal(buf_cstr(&b), esc_cases[i].out);
        buf_reset(&b);
        assert_int_equal(html_escape(&b, esc_cases[i].in), 0);
        assert_string_equal(buf_cstr(&b), esc_cases[i].out);
        buf_free(&b);
    }
}

/* NULL for %s, hidden from the compiler's own format check. */
static const char *volatile nothing = NULL;

/* One formatted call per row: the format must be a literal for gcc's check,
 * so each row is written out. */
static void test_formats(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 0);
#define CHECK(expect, ...)                                                                         \
    do {                                                                                           \
        buf_reset(&b);                                                                             \
        assert_int_equal(html_printf(&b, __VA_ARGS__), 0);                                         \
        assert_string_equal(buf_cstr(&b), expect);                                                 \
    } while (0)
    CHECK("<p title=\"x&quot;y\">42</p>", "<p title=\"%s\">%d</p>", "x\"y", 42);
    CHECK("<a href=\"/items/7\">&lt;b&gt;</a>", "<a href=\"/items/%lld\">%s</a>", 7LL, "<b>");
    CHECK("   ab|&lt;    |", "%5s|%-5s|", "ab", "<");
    CHECK("abc", "%.3s", "abcdef");
    CHECK("落", "%.4s", "落实"); /* never splits a UTF-8 sequence */
    CHECK("落实", "%.6s", "落实");
    CHECK("   7|7   |007", "%*d|%-*d|%03d", 4, 7, 4, 7, 7);
    CHECK("-12 18446744073709551615 ff FF 0x1f", "%lld %llu %x %X %#x", -12LL,
          18446744073709551615ULL, 255u, 255u, 31u);
    CHECK("42 -3 7", "%zu %zd %ju", (size_t)42, (ssize_t)-3, (uintmax_t)7);
    CHECK("3.14 2.5 1e+06 100%", "%.2f %g %g %d%%", 3.14159, 2.5, 1e6, 100);
    CHECK("&lt;&amp;x", "%c%c%c", '<', '&', 'x');
    CHECK("[]", "[%s]", nothing);
    CHECK("a&lt;b c&gt;d", "%s %s", "a<b", "c>d");
    CHECK("  5.0", "%5.1f", 5.0);
    CHECK("12345", "%ld", 12345L);
    CHECK("-7 65535", "%hd %hu", (short)-7, (unsigned short)65535);
#undef CHECK
    buf_free(&b);
}

static void test_raw_and_url(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 0);
    assert_int_equal(html_raw(&b, "<b>ok</b>"), 0);
    assert_string_equal(buf_cstr(&b), "<b>ok</b>");
    buf_reset(&b);
    assert_int_equal(html_url(&b, "a b&c/落?x=1'\"<"), 0);
    assert_string_equal(buf_cstr(&b), "a%20b%26c%2F%E8%90%BD%3Fx%3D1%27%22%3C");
    buf_reset(&b);
    assert_int_equal(html_url(&b, "AZaz09-_.~"), 0);
    assert_string_equal(buf_cstr(&b), "AZaz09-_.~");
    struct arena *a = arena_new();
    assert_string_equal(url_encode(a, "q=红灯 & more"), "q%3D%E7%BA%A2%E7%81%AF%20%26%20more");
    assert_string_equal(url_encode(a, NULL), "");
    arena_free(a);
    buf_free(&b);
}

/* XML: the same five characters, ' as &apos;, and the control characters
 * XML 1.0 cannot carry as spaces (tab, LF and CR stay); HTML keeps them. */
static void test_xml_escape(void **state)
{
    (void)state;
    static const struct esc_case cases[] = {
        {"a<&>\"'", "a&lt;&amp;&gt;&quot;&apos;"},
        {"x\x01y\x1fz\x7f", "x y z\x7f"},
        {"tab\tlf\ncr\r", "tab\tlf\ncr\r"},
        {"隐患 <b>", "隐患 &lt;b&gt;"},
        {"", ""},
    };
    struct buf b;
    buf_init(&b, 0);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        buf_reset(&b);
        assert_int_equal(xml_escape(&b, cases[i].in), 0);
        assert_string_equal(buf_cstr(&b), cases[i].out);
    }
    buf_reset(&b);
    assert_int_equal(xml_escape(&b, NULL), 0);
    assert_int_equal(html_escape(&b, "a\x01'"), 0);
    assert_string_equal(buf_cstr(&b), "a\x01&#39;");
    buf_free(&b);
}

/* A buffer at its maximum refuses the append and says so. */
static void test_limit(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 8);
    assert_int_equal(html_printf(&b, "%s", "<<<"), -1); /* 12 bytes escaped */
    assert_true(b.err);
    buf_free(&b);
    buf_init(&b, 8);
    assert_int_equal(html_printf(&b, "%d", 1234567), 0);
    assert_string_equal(buf_cstr(&b), "1234567");
    buf_free(&b);
}

/* A fragment built by the escaping writer goes into a page unchanged; a
 * fragment whose building was refused is not put in at all. */
static void test_fragment(void **state)
{
    (void)state;
    struct buf page;
    buf_init(&page, 0);
    struct html_frag f;
    html_frag_init(&f, 0);
    html_printf(&f.html, "<b>%s</b>", "a<b");
    html_raw(&page, "<p>");
    assert_int_equal(html_frag_put(&page, &f), 0);
    html_raw(&page, "</p>");
    assert_string_equal(buf_cstr(&page), "<p><b>a&lt;b</b></p>");
    html_frag_free(&f);
    assert_int_equal(f.html.len, 0);
    assert_int_equal(html_frag_put(&page, &f), 0); /* empty: nothing appended */
    assert_string_equal(buf_cstr(&page), "<p><b>a&lt;b</b></p>");

    html_frag_init(&f, 6);
    assert_int_equal(html_printf(&f.html, "<i>%s</i>", "long"), -1);
    assert_int_equal(html_frag_put(&page, &f), -1);
    assert_true(page.err);
    assert_string_equal(buf_cstr(&page), "<p><b>a&lt;b</b></p>");
    html_frag_free(&f);
    buf_free(&page);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escape_table), cmocka_unit_test(test_formats),
        cmocka_unit_test(test_raw_and_url),  cmocka_unit_test(test_xml_escape),
        cmocka_unit_test(test_limit),        cmocka_unit_test(test_fragment),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
