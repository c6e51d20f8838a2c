/* render_test.c — a notice's outputs from a struct notice built in memory
 * with hostile names (no database): the HTML page and the SVG charts write
 * every name through the one escaping writer (util/html.h), and the CSV
 * through the one CSV writer (util/csv.h), whose formula guard covers the
 * scope name on the first line (issue 12 finding 7, formula injection in
 * CSV). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "notice/notice.h"
#include "notice/svg.h"
#include "util/time.h"

#define HOSTILE "<script>alert(\"x\")</script>&'"
#define ESCAPED "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;"

/* A notice of one unit and one overdue item, every name hostile. */
static void hostile_notice(struct notice *n, struct notice_unit *u, struct notice_red *r)
{
    memset(n, 0, sizeof *n);
    memset(u, 0, sizeof *u);
    memset(r, 0, sizeof *r);
    n->p.from = date_make(2030, 4, 1);
    n->p.to = date_make(2030, 4, 30);
    n->scope_name = "=HYPERLINK(\"http://evil.example\",\"点击\")" HOSTILE;
    n->office = HOSTILE "督查室";
    n->summary = (char *)"摘要" HOSTILE;
    u->id = 1;
    u->code = "@A";
    u->name = "-1+1" HOSTILE;
    u->assigned = 1;
    u->rank = 1;
    n->units = u;
    n->n_units = 1;
    n->total = *u;
    n->total.code = "";
    n->total.name = "合计";
    n->total.rank = 0;
    r->id = 7;
    r->unit_id = 1;
    r->title = "+cmd|' /C calc'!A0" HOSTILE;
    r->unit_name = u->name;
    r->last_feedback = "\t=1+1" HOSTILE;
    strcpy(r->deadline, "2030-04-10");
    strcpy(r->last_feedback_on, "2030-04-09");
    r->days_overdue = 20;
    n->red = r;
    n->n_red = 1;
}

/* Every name comes out escaped in the HTML, and no raw tag gets through. */
static void test_html_escapes_every_name(void **state)
{
    (void)state;
    struct notice n;
    struct notice_unit u;
    struct notice_red r;
    hostile_notice(&n, &u, &r);
    struct buf b;
    buf_init(&b, 0);
    assert_int_equal(notice_html(&n, "〔2030〕1号<b>", "2030-05-01", &b), 0);
    const char *html = buf_cstr(&b);
    static const char *const parts[] = {
        "<title>督查通报 〔2030〕1号&lt;b&gt;</title>",
        "<p class=\"office\">" ESCAPED "督查室</p>",
        "<p class=\"number\">〔2030〕1号&lt;b&gt;</p>",
        "<h2>关于2030年4月1日至2030年4月30日=HYPERLINK(&quot;http://evil.example&quot;,&quot;"
        "点击&quot;)" ESCAPED "重点工作落实情况的通报</h2>",
        "<p>摘要" ESCAPED "</p>",
        "<tr><td class=\"num\">1</td><td>-1+1" ESCAPED "</td>",
        "<tr><td class=\"num\">7</td><td>+cmd|&#39; /C calc&#39;!A0" ESCAPED "</td><td>-1+1" ESCAPED
        "</td><td>2030-04-10</td><td class=\"num bad\">20</td><td><span class=\"when\">2030-04-09"
        "</span> \t=1+1" ESCAPED "</td></tr>",
        "<tr class=\"total\"><td></td><td>合计</td>",
    };
    for (size_t k = 0; k < sizeof parts / sizeof *parts; k++)
        if (!strstr(html, parts[k])) fail_msg("the HTML lacks %s", parts[k]);
    assert_null(strstr(html, "<script"));
    assert_null(strstr(html, "<b>"));
    buf_free(&b);
}

/* A chart's title, labels and colours are escaped, in text and attributes. */
static void test_svg_escapes_labels(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 0);
    struct svg_bar bars[] = {{HOSTILE, 50, "#c62828\" onload=\"x"}};
    assert_int_equal(svg_bars(&b, "单位<按期>", bars, 1, 1), 0);
    assert_string_equal(
        buf_cstr(&b),
        "<svg class=\"chart bars\" viewBox=\"0 0 420 42\" role=\"img\" "
        "aria-label=\"单位&lt;按期&gt;\">"
        "<title>单位&lt;按期&gt;</title><text x=\"122\" y=\"25\" font-size=\"16\" "
        "text-anchor=\"end\""
        " fill=\"#1f2933\">" ESCAPED "</text><rect x=\"130\" y=\"7\" width=\"113.0\" height=\"24\""
        " rx=\"3\" fill=\"#c62828&quot; onload=&quot;x\"></rect><text x=\"249.0\" y=\"25\""
        " font-size=\"16\" fill=\"#1f2933\">50.0%</text></svg>");
    buf_reset(&b);
    const char *labels[] = {"2030-03", HOSTILE};
    const double values[] = {1, 2};
    assert_int_equal(svg_line(&b, "趋势\"", labels, values, 2), 0);
    const char *svg = buf_cstr(&b);
    assert_non_null(strstr(svg, "aria-label=\"趋势&quot;\"><title>趋势&quot;</title>"));
    assert_non_null(strstr(svg, "fill=\"#5f6b7a\">" ESCAPED "</text>"));
    assert_null(strstr(svg, "<script"));
    buf_free(&b);
}

/* Issue 12 finding 7 (formula injection in CSV): the scope name on the
 * first line, the unit's code and name, the red list's title and feedback
 * are each neutralised (a leading apostrophe, quoted); figures stay plain
 * numbers. */
static void test_csv_formula_injection(void **state)
{
    (void)state;
    struct notice n;
    struct notice_unit u;
    struct notice_red r;
    hostile_notice(&n, &u, &r);
    struct buf b;
    buf_init(&b, 0);
    assert_int_equal(notice_csv(&n, NULL, &b), 0);
    const char *csv = buf_cstr(&b);
    const char *first =
        "\xEF\xBB\xBF督查通报,预览,\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"点击"
        "\"\")<script>alert(\"\"x\"\")</script>&'\",2030-04-01 至 2030-04-30\r\n";
    assert_memory_equal(csv, first, strlen(first));
    assert_non_null(strstr(csv, "\r\n1,\"'@A\",\"'-1+1<script>alert(\"\"x\"\")</script>&'\",1,0,"
                                "0,0,0,0,0,0,0,,0.0,0\r\n"));
    assert_non_null(strstr(csv, "\r\n7,\"'+cmd|' /C calc'!A0<script>alert(\"\"x\"\")</script>&'\","
                                "\"'-1+1<script>alert(\"\"x\"\")</script>&'\",2030-04-10,20,"
                                "2030-04-09,\"'\t=1+1<script>alert(\"\"x\"\")</script>&'\"\r\n"));
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_html_escapes_every_name),
        cmocka_unit_test(test_svg_escapes_labels),
        cmocka_unit_test(test_csv_formula_injection),
    };
    return cmocka_run_group_tests_name("render", tests, NULL, NULL);
}
