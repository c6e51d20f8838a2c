/* assessment_section.c — the 考核 section of a notice (see
 * assessment_section.h).  Two windows of core's scores: the year of the
 * cutoff up to the cutoff (each unit's score and rank), and the notice's
 * period within that year (the entries and consequences that moved it).
 * The office sees every unit, as a notice is issued to all of them. */
#include "notice/assessment_section.h"

#include <stdio.h>
#include <string.h>

#include "core/assessment.h"
#include "util/html.h"
#include "util/time.h"

#define DAY_MS 86400000LL

static const char *str(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

/* The row of unit id in units, or NULL. */
static json_t *row_of(json_t *units, json_int_t id)
{
    size_t i;
    json_t *u;
    json_array_foreach(units, i, u)
    {
        if (json_integer_value(json_object_get(u, "unit_id")) == id) return u;
    }
    return NULL;
}

static int in_scope(const int64_t *units, int n_units, json_int_t id)
{
    for (int k = 0; k < n_units; k++)
        if (units[k] == id) return 1;
    return 0;
}

/* One unit of the section: the year's figures, the period's moves. */
static json_t *section_row(json_t *year_row, json_t *period_row)
{
    static const char *const keep[] = {"unit_id", "unit_code", "unit_name", "unit_kind",
                                       "score",   "base",      "rank",      "rank_of"};
    json_t *o = json_object(), *entries = json_object_get(period_row, "entries"), *en;
    for (size_t k = 0; k < sizeof keep / sizeof keep[0]; k++)
        json_object_set(o, keep[k], json_object_get(year_row, keep[k]));
    double moved = 0;
    size_t i;
    json_array_foreach(entries, i, en) moved += json_number_value(json_object_get(en, "points"));
    json_object_set_new(o, "period_points", json_real(moved));
    json_object_set(o, "entries", entries);
    json_object_set(o, "consequences", json_object_get(period_row, "consequences"));
    return o;
}

int notice_assessment_compute(struct db *db, struct notice *n, const int64_t *units, int n_units,
                              struct err *e)
{
    static const struct actor office = {.username = "system", .roles = ROLE_SUPERVISOR};
    int y, m, d;
    date_split(n->cutoff_day, &y, &m, &d);
    struct assessment_window yw, pw;
    assessment_window_until(&yw, y, n->cutoff_ms);
    pw = yw;
    /* the period's first city midnight (noon UTC is on the same city day) */
    int64_t from = time_at_minute((int64_t)n->p.from * DAY_MS + DAY_MS / 2, 0, 0);
    if (from > pw.lo) pw.lo = from;
    json_t *yv = assessment_window_json(db, &office, &yw, 0, e);
    json_t *pv = yv ? assessment_window_json(db, &office, &pw, 0, e) : NULL;
    if (!pv) {
        json_decref(yv);
        return -1;
    }
    json_t *rows = json_array(), *u;
    size_t i;
    json_array_foreach(json_object_get(yv, "units"), i, u)
    {
        json_int_t id = json_integer_value(json_object_get(u, "unit_id"));
        if (!in_scope(units, n_units, id)) continue;
        json_array_append_new(rows, section_row(u, row_of(json_object_get(pv, "units"), id)));
    }
    n->assessment = json_pack("{s:i,s:O,s:O,s:o}", "year", y, "from", json_object_get(pv, "from"),
                              "to", json_object_get(pv, "to"), "units", rows);
    json_decref(yv);
    json_decref(pv);
    return 0;
}

static void html_entry(struct buf *b, json_t *u, json_t *en)
{
    const char *reason = str(en, "reason");
    html_printf(b, "<tr><td>%s</td><td>%.10s</td><td>%s</td><td class=\"num\">%g</td><td>%s</td>",
                str(u, "unit_name"), str(en, "at"), assessment_label_zh(str(en, "rule")),
                json_number_value(json_object_get(en, "points")), str(en, "item_title"));
    html_printf(b, "<td>%s</td></tr>", *reason ? reason : str(en, "ref"));
}

static void html_moves(struct buf *b, json_t *units)
{
    size_t i, k;
    json_t *u, *en, *c;
    int any = 0;
    json_array_foreach(units, i, u) any |= json_array_size(json_object_get(u, "entries")) > 0;
    if (any) {
        html_raw(b, "<table class=\"assessment-entries\"><thead><tr><th>单位</th><th>日期</th>"
                    "<th>项目</th><th>分值</th><th>事项</th><th>说明</th></tr></thead><tbody>");
        json_array_foreach(units, i, u)
        {
            json_array_foreach(json_object_get(u, "entries"), k, en) html_entry(b, u, en);
        }
        html_raw(b, "</tbody></table>");
    } else {
        html_raw(b, "<p>本期无考核记分。</p>");
    }
    json_array_foreach(units, i, u)
    {
        json_array_foreach(json_object_get(u, "consequences"), k, c)
            html_printf(b, "<p class=\"consequence\">%s：%s（%s，亮灯事项 %lld 项）。</p>",
                        str(u, "unit_name"), str(c, "name"), str(c, "period"),
                        (long long)json_integer_value(json_object_get(c, "count")));
    }
}

int notice_assessment_html(const struct notice *n, struct buf *b)
{
    if (!n->assessment) return b->err ? -1 : 0;
    json_t *units = json_object_get(n->assessment, "units"), *u;
    size_t i;
    html_printf(b,
                "<section class=\"assessment\"><h3>附：%lld年度考核情况</h3>"
                "<table class=\"units\"><thead><tr><th>单位</th><th>类别名次</th><th>得分</th>"
                "<th>本期变动</th></tr></thead><tbody>",
                (long long)json_integer_value(json_object_get(n->assessment, "year")));
    json_array_foreach(units, i, u)
        html_printf(b,
                    "<tr><td>%s</td><td class=\"num\">%lld/%lld</td><td class=\"num\">%g</td>"
                    "<td class=\"num\">%g</td></tr>",
                    str(u, "unit_name"), (long long)json_integer_value(json_object_get(u, "rank")),
                    (long long)json_integer_value(json_object_get(u, "rank_of")),
                    json_number_value(json_object_get(u, "score")),
                    json_number_value(json_object_get(u, "period_points")));
    html_raw(b, "</tbody></table>");
    html_moves(b, units);
    html_printf(
        b, "<p class=\"note\">得分截至%s，名次在同类单位（部门、专班、镇街）中排列。</p></section>",
        str(n->assessment, "to"));
    return b->err ? -1 : 0;
}

void notice_assessment_csv(const struct notice *n, struct csv *c)
{
    static const char *const heads[] = {"单位", "类别名次", "同类单位数", "得分", "本期变动"};
    static const char *const moves[] = {"单位", "日期", "项目", "分值", "事项编号", "说明"};
    if (!n->assessment) return;
    json_t *units = json_object_get(n->assessment, "units"), *u, *en;
    size_t i, k;
    csv_text(c, "考核情况");
    csv_row_end(c);
    for (k = 0; k < sizeof heads / sizeof heads[0]; k++)
        csv_text(c, heads[k]);
    csv_row_end(c);
    json_array_foreach(units, i, u)
    {
        csv_text(c, str(u, "unit_name"));
        csv_int(c, json_integer_value(json_object_get(u, "rank")));
        csv_int(c, json_integer_value(json_object_get(u, "rank_of")));
        csv_number(c, json_number_value(json_object_get(u, "score")));
        csv_number(c, json_number_value(json_object_get(u, "period_points")));
        csv_row_end(c);
    }
    csv_text(c, "考核变动");
    csv_row_end(c);
    for (k = 0; k < sizeof moves / sizeof moves[0]; k++)
        csv_text(c, moves[k]);
    csv_row_end(c);
    json_array_foreach(units, i, u)
    {
        json_array_foreach(json_object_get(u, "entries"), k, en)
        {
            json_t *item = json_object_get(en, "item_id");
            const char *reason = str(en, "reason");
            char day[11];
            snprintf(day, sizeof day, "%.10s", str(en, "at"));
            csv_text(c, str(u, "unit_name"));
            csv_text(c, day);
            csv_text(c, assessment_label_zh(str(en, "rule")));
            csv_number(c, json_number_value(json_object_get(en, "points")));
            json_is_integer(item) ? csv_int(c, json_integer_value(item)) : csv_empty(c);
            csv_text(c, *reason ? reason : str(en, "ref"));
            csv_row_end(c);
        }
    }
}

/* One entry of the sheet's lower table at row. */
static void xlsx_entry(lxw_worksheet *ws, lxw_row_t row, json_t *u, json_t *en)
{
    json_t *item = json_object_get(en, "item_id");
    const char *reason = str(en, "reason");
    char day[11];
    snprintf(day, sizeof day, "%.10s", str(en, "at"));
    worksheet_write_string(ws, row, 0, str(u, "unit_name"), NULL);
    worksheet_write_string(ws, row, 1, day, NULL);
    worksheet_write_string(ws, row, 2, assessment_label_zh(str(en, "rule")), NULL);
    worksheet_write_number(ws, row, 3, json_number_value(json_object_get(en, "points")), NULL);
    if (json_is_integer(item))
        worksheet_write_number(ws, row, 4, (double)json_integer_value(item), NULL);
    worksheet_write_string(ws, row, 5, *reason ? reason : str(en, "ref"), NULL);
}

void notice_assessment_xlsx(const struct notice *n, lxw_workbook *wb, lxw_format *head)
{
    static const char *const heads[] = {"单位", "类别名次", "同类单位数", "得分", "本期变动"};
    static const char *const moves[] = {"单位", "日期", "项目", "分值", "事项编号", "说明"};
    static const double widths[] = {24, 12, 12, 10, 10, 40};
    if (!n->assessment) return;
    lxw_worksheet *ws = workbook_add_worksheet(wb, "考核情况");
    json_t *units = json_object_get(n->assessment, "units"), *u, *en;
    size_t i, k;
    for (k = 0; k < 6; k++)
        worksheet_set_column(ws, (lxw_col_t)k, (lxw_col_t)k, widths[k], NULL);
    for (k = 0; k < 5; k++)
        worksheet_write_string(ws, 0, (lxw_col_t)k, heads[k], head);
    lxw_row_t row = 1;
    json_array_foreach(units, i, u)
    {
        worksheet_write_string(ws, row, 0, str(u, "unit_name"), NULL);
        worksheet_write_number(ws, row, 1, (double)json_integer_value(json_object_get(u, "rank")),
                               NULL);
        worksheet_write_number(ws, row, 2,
                               (double)json_integer_value(json_object_get(u, "rank_of")), NULL);
        worksheet_write_number(ws, row, 3, json_number_value(json_object_get(u, "score")), NULL);
        worksheet_write_number(ws, row++, 4, json_number_value(json_object_get(u, "period_points")),
                               NULL);
    }
    row++;
    for (k = 0; k < 6; k++)
        worksheet_write_string(ws, row, (lxw_col_t)k, moves[k], head);
    json_array_foreach(units, i, u)
    {
        json_array_foreach(json_object_get(u, "entries"), k, en) xlsx_entry(ws, ++row, u, en);
    }
}
