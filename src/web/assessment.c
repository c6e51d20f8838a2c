/* assessment.c — the 考核 page (/assessment): the year's ranking within each
 * kind of unit for the office and the leaders, and one unit's score with
 * every entry linked to its item, which is all a handler sees (of its own
 * unit).  The office records deductions, bonuses and reports without
 * substance and withdraws entries here; a leader enters the evaluation.  The
 * forms become the same JSON body POST /api/v1/assessment/entries takes, so
 * core/assessment.c checks both alike.  The dashboard's 考核 card is kept
 * rendered under the score's stamps (assessment_stamp) and the day. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/assessment.h"
#include "http/write.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/str.h"
#include "util/time.h"
#include "web/frag_cache.h"
#include "web/page.h"
#include "web/web.h"

/* The field name's value from the query, else the form; "" when neither. */
static const char *param(struct req *r, const char *name)
{
    const char *v = req_query(r, name);
    if (!v || !*v) v = req_form(r, name);
    return v ? v : "";
}

/* year (default this year) and unit (0: none) from the query or the form.  0, or -1. */
static int page_params(struct req *r, int *year, int64_t *unit)
{
    int ty, tm, td;
    date_split(time_today(), &ty, &tm, &td);
    const char *y = param(r, "year"), *u = param(r, "unit");
    int64_t v = ty;
    *unit = 0;
    if (*y && (str_to_int64(y, strlen(y), &v) || v < 2000 || v > 9998)) return -1;
    if (*u && (str_to_int64(u, strlen(u), unit) || *unit <= 0)) return -1;
    *year = (int)v;
    return 0;
}

/* The page's span ("" the year, "m1".."m12", "q1".."q4") as the API's
 * period ("" for the year) and *n.  0, or -1 when it is none of these. */
static int page_span(struct req *r, const char **period, int *n)
{
    const char *span = param(r, "span");
    int64_t k = 0;
    *period = "";
    *n = 0;
    if (!*span) return 0;
    if ((*span != 'm' && *span != 'q') || str_to_int64(span + 1, strlen(span + 1), &k) || k < 1 ||
        k > (*span == 'm' ? 12 : 4))
        return -1;
    *period = *span == 'm' ? "month" : "quarter";
    *n = (int)k;
    return 0;
}

/* The window of the page's year and span.  0, or -1. */
static int page_window(struct req *r, int year, struct assessment_window *w)
{
    const char *period;
    int n;
    struct err e = {0};
    if (page_span(r, &period, &n)) return -1;
    return assessment_window_set(w, year, *period ? period : NULL, n, &e);
}

/* The span's choices: the year, its quarters and its months. */
static void span_select(struct req *r, int year)
{
    struct buf *o = &r->out;
    const char *cur = param(r, "span");
    html_printf(o,
                "<label><span>%s</span><select id=\"span\" name=\"span\">"
                "<option value=\"\">%s</option>",
                T(r, "assess.span"), T(r, "assess.whole_year"));
    for (int k = 1; k <= 16; k++) {
        int q = k <= 4, n = q ? k : k - 4;
        char v[16];
        snprintf(v, sizeof v, "%c%d", q ? 'q' : 'm', n);
        html_printf(o, "<option value=\"%s\"%s>", v, !strcmp(cur, v) ? " selected" : "");
        if (q)
            html_printf(o, "%04d-Q%d</option>", year, n);
        else
            html_printf(o, "%04d-%02d</option>", year, n);
    }
    html_raw(o, "</select></label>");
}

static void year_form(struct req *r, int year, int64_t unit)
{
    struct buf *o = &r->out;
    const char *period;
    int n;
    char q[40] = "";
    if (!page_span(r, &period, &n) && *period) snprintf(q, sizeof q, "&period=%s&n=%d", period, n);
    html_printf(o,
                "<form method=\"get\" action=\"/assessment\" class=\"filters card\">"
                "<label><span>%s</span><input id=\"year\" name=\"year\" type=\"number\" "
                "min=\"2000\" max=\"9998\" value=\"%d\"></label>",
                T(r, "assess.year"), year);
    span_select(r, year);
    if (unit)
        html_printf(o, "<input type=\"hidden\" name=\"unit\" value=\"%lld\">", (long long)unit);
    html_printf(o,
                "<div class=\"buttons\"><button type=\"submit\">%s</button></div></form>"
                "<p class=\"exports\"><a class=\"button\" "
                "href=\"/api/v1/assessment?year=%d%s&amp;format=csv\" download>%s CSV</a> "
                "<a class=\"button\" href=\"/api/v1/assessment?year=%d%s&amp;format=xlsx\" "
                "download>%s Excel</a></p>",
                T(r, "assess.show"), year, q, T(r, "assess.export"), year, q,
                T(r, "assess.export"));
}

static double num(json_t *o, const char *key)
{
    return json_number_value(json_object_get(o, key));
}

static const char *str(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

/* The ranking: one table per kind of unit. */
static void ranking(struct req *r, json_t *v, int year)
{
    struct buf *o = &r->out;
    const char *kind = "";
    size_t i;
    json_t *u;
    json_array_foreach(json_object_get(v, "units"), i, u)
    {
        if (strcmp(kind, str(u, "unit_kind"))) {
            if (*kind) html_raw(o, "</tbody></table></section>");
            kind = str(u, "unit_kind");
            html_printf(o,
                        "<section class=\"card\"><h2>%s</h2><table class=\"admin ranking\">"
                        "<thead><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th>"
                        "<th>%s</th><th>%s</th></tr></thead><tbody>",
                        i18n_label(r, "unit_kind", kind), T(r, "assess.rank"), T(r, "assess.unit"),
                        T(r, "assess.base"), T(r, "assess.deducted"), T(r, "assess.added"),
                        T(r, "assess.evaluation"), T(r, "assess.score"));
        }
        html_printf(
            o,
            "<tr><td>%lld</td><td><a href=\"/assessment?year=%d&amp;span=%s&amp;unit=%lld\">%s</a>"
            "</td><td>%g</td><td>%g</td><td>%g</td><td>%g</td><td><strong>%g</strong>"
            "</td></tr>",
            (long long)json_integer_value(json_object_get(u, "rank")), year, param(r, "span"),
            (long long)json_integer_value(json_object_get(u, "unit_id")), str(u, "unit_name"),
            num(u, "base"), num(u, "deducted"), num(u, "added"), num(u, "evaluation"),
            num(u, "score"));
    }
    if (*kind) html_raw(o, "</tbody></table></section>");
}

/* The withdraw button of a manual entry still standing (the office only). */
static void withdraw_form(struct req *r, json_t *en, int year, int64_t unit)
{
    html_printf(&r->out,
                "<form method=\"post\" action=\"/assessment\" class=\"inline\">"
                "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                "<input type=\"hidden\" name=\"year\" value=\"%d\">"
                "<input type=\"hidden\" name=\"unit\" value=\"%lld\">"
                "<input type=\"hidden\" name=\"withdraws\" value=\"%lld\">"
                "<input name=\"reason\" required maxlength=\"1000\" placeholder=\"%s\" "
                "aria-label=\"%s\"><button type=\"submit\">%s</button></form>",
                r->session.csrf, year, (long long)unit,
                (long long)json_integer_value(json_object_get(en, "id")), T(r, "assess.reason"),
                T(r, "assess.reason"), T(r, "assess.withdraw"));
}

/* What a manual entry rests on: a link when it is a web address, else text. */
static void evidence_cell(struct req *r, json_t *en)
{
    const char *ev = str(en, "evidence");
    if (!*ev) return;
    if (!strncmp(ev, "https://", 8) || !strncmp(ev, "http://", 7))
        html_printf(&r->out,
                    "<br><small class=\"evidence\">%s%s<a href=\"%s\" rel=\"noopener "
                    "noreferrer\">%s</a></small>",
                    T(r, "assess.evidence"), T(r, "colon"), ev, ev);
    else
        html_printf(&r->out, "<br><small class=\"evidence\">%s%s%s</small>",
                    T(r, "assess.evidence"), T(r, "colon"), ev);
}

/* The hidden fields every form of the page carries back. */
static void form_head(struct req *r, const char *action, int year, int64_t unit)
{
    html_printf(&r->out,
                "<form method=\"post\" action=\"%s\" class=\"inline\">"
                "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                "<input type=\"hidden\" name=\"year\" value=\"%d\">"
                "<input type=\"hidden\" name=\"unit\" value=\"%lld\">",
                action, r->session.csrf, year, (long long)unit);
}

/* A unit's objection to its own standing entry. */
static void objection_form(struct req *r, json_t *en, int year, int64_t unit)
{
    form_head(r, "/assessment/objection", year, unit);
    html_printf(&r->out,
                "<input type=\"hidden\" name=\"entry\" value=\"%lld\">"
                "<input name=\"text\" required maxlength=\"2000\" placeholder=\"%s\" "
                "aria-label=\"%s\"><button type=\"submit\">%s</button></form>",
                (long long)json_integer_value(json_object_get(en, "id")),
                T(r, "assess.objection_text"), T(r, "assess.objection_text"),
                T(r, "assess.object"));
}

/* An entry's objection: its state and text, and the office's decision
 * forms while it waits. */
static void objection_note(struct req *r, json_t *obj, int office, int year, int64_t unit)
{
    struct buf *o = &r->out;
    const char *status = str(obj, "status");
    long long id = (long long)json_integer_value(json_object_get(obj, "id"));
    html_printf(o,
                "<div class=\"objection %s\" id=\"objection-%lld\"><span class=\"badge\">%s"
                "</span> <q>%s</q>",
                status, id, i18n_label(r, "objection", status), str(obj, "text"));
    if (*str(obj, "decision_reason"))
        html_printf(o, " <small>%s%s%s</small>", T(r, "assess.decision_reason"), T(r, "colon"),
                    str(obj, "decision_reason"));
    if (office && !strcmp(status, "pending")) {
        form_head(r, "/assessment/decide", year, unit);
        html_printf(o,
                    "<input type=\"hidden\" name=\"objection\" value=\"%lld\">"
                    "<input name=\"reason\" required maxlength=\"1000\" placeholder=\"%s\" "
                    "aria-label=\"%s\">"
                    "<button type=\"submit\" name=\"decision\" value=\"accept\">%s</button>"
                    "<button type=\"submit\" name=\"decision\" value=\"reject\">%s</button>"
                    "</form>",
                    id, T(r, "assess.decision_reason"), T(r, "assess.decision_reason"),
                    T(r, "assess.accept"), T(r, "assess.reject"));
    }
    html_raw(o, "</div>");
}

static void entry_row(struct req *r, json_t *en, int office, int year, int64_t unit)
{
    struct buf *o = &r->out;
    json_t *item = json_object_get(en, "item_id");
    int manual = !strcmp(str(en, "source"), "manual");
    html_printf(o, "<tr><td>%s</td><td>%s", page_time(r, str(en, "at")),
                i18n_label(r, "assess_rule", str(en, "rule")));
    /* a manual entry's number, and which one a withdrawal withdraws */
    if (manual) {
        json_t *w = json_object_get(en, "withdraws");
        html_printf(o, " <small>#%lld", (long long)json_integer_value(json_object_get(en, "id")));
        if (json_is_integer(w)) html_printf(o, " → #%lld", (long long)json_integer_value(w));
        html_raw(o, "</small>");
    }
    html_printf(o, "</td><td>%g</td><td>", num(en, "points"));
    if (json_is_integer(item))
        html_printf(o, "<a href=\"/items/%lld\">%s</a>", (long long)json_integer_value(item),
                    str(en, "item_title"));
    html_printf(o, "</td><td>%s%s", manual ? str(en, "reason") : "", manual ? "" : str(en, "ref"));
    evidence_cell(r, en);
    html_printf(o, "</td><td>%s</td><td>", str(en, "actor"));
    json_t *obj = json_object_get(en, "objection");
    int standing = !json_is_integer(json_object_get(en, "withdrawn_by")) &&
                   strcmp(str(en, "rule"), "withdrawal");
    if (!standing && manual && strcmp(str(en, "rule"), "withdrawal"))
        html_printf(o, "<span class=\"badge\">%s</span>", T(r, "assess.withdrawn"));
    if (json_is_object(obj)) objection_note(r, obj, office, year, unit);
    if (standing && manual && office) withdraw_form(r, en, year, unit);
    if (standing && manual && !json_is_object(obj) && r->actor->unit_id == unit)
        objection_form(r, en, year, unit);
    html_raw(o, "</td></tr>");
}

/* One unit: its figures and every entry. */
static void unit_view(struct req *r, json_t *u, int office, int year)
{
    struct buf *o = &r->out;
    int64_t unit = json_integer_value(json_object_get(u, "unit_id"));
    static const char *const figs[][2] = {{"score", "assess.score"},
                                          {"base", "assess.base"},
                                          {"deducted", "assess.deducted"},
                                          {"added", "assess.added"},
                                          {"evaluation", "assess.evaluation"}};
    html_printf(o, "<section class=\"card\"><h2>%s</h2><dl class=\"figures\">",
                str(u, "unit_name"));
    for (size_t k = 0; k < sizeof figs / sizeof figs[0]; k++)
        html_printf(o, "<div><dt>%s</dt><dd>%g</dd></div>", T(r, figs[k][1]), num(u, figs[k][0]));
    html_printf(o, "<div><dt>%s</dt><dd>%lld / %lld</dd></div></dl>", T(r, "assess.rank"),
                (long long)json_integer_value(json_object_get(u, "rank")),
                (long long)json_integer_value(json_object_get(u, "rank_of")));
    json_t *cons = json_object_get(u, "consequences"), *c;
    size_t i;
    if (json_array_size(cons)) {
        html_printf(o, "<h3>%s</h3><ul class=\"consequences\">", T(r, "assess.consequences"));
        json_array_foreach(cons, i, c) html_printf(
            o, "<li><strong>%s</strong> %s <small>%s %lld</small></li>",
            i18n_label(r, "consequence", str(c, "ladder")), str(c, "period"), T(r, "assess.lights"),
            (long long)json_integer_value(json_object_get(c, "count")));
        html_raw(o, "</ul>");
    }
    html_printf(o,
                "<table class=\"admin entries\"><thead><tr><th>%s</th><th>%s</th><th>%s</th>"
                "<th>%s</th><th>%s</th><th>%s</th><th></th></tr></thead><tbody>",
                T(r, "assess.at"), T(r, "assess.rule"), T(r, "assess.points"), T(r, "assess.item"),
                T(r, "assess.reason"), T(r, "assess.actor"));
    json_t *en;
    json_t *entries = json_object_get(u, "entries");
    json_array_foreach(entries, i, en) entry_row(r, en, office, year, unit);
    html_raw(o, "</tbody></table>");
    if (!json_array_size(entries)) html_printf(o, "<p class=\"empty\">%s</p>", T(r, "admin.none"));
    html_raw(o, "</section>");
}

/* The form for a new entry: the office's kinds, or a leader's evaluation. */
static void add_form(struct req *r, int year, int64_t unit, int office)
{
    static const char *const kinds[] = {"deduction", "bonus", "no_substance", "evaluation"};
    struct buf *o = &r->out;
    html_printf(o,
                "<section class=\"card form\"><h2>%s</h2>"
                "<form method=\"post\" action=\"/assessment\">"
                "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                "<input type=\"hidden\" name=\"year\" value=\"%d\">"
                "<input type=\"hidden\" name=\"unit\" value=\"%lld\">"
                "<label for=\"kind\">%s</label><select id=\"kind\" name=\"kind\">",
                T(r, "assess.add_title"), r->session.csrf, year, (long long)unit,
                T(r, "assess.kind"));
    const char *cur = param(r, "kind");
    for (size_t k = office ? 0 : 3; k < sizeof kinds / sizeof kinds[0]; k++)
        html_printf(o, "<option value=\"%s\"%s>%s</option>", kinds[k],
                    !strcmp(cur, kinds[k]) ? " selected" : "",
                    i18n_label(r, "assess_rule", kinds[k]));
    html_printf(o,
                "</select><label for=\"points\">%s</label><input id=\"points\" name=\"points\" "
                "type=\"number\" step=\"0.5\" value=\"%s\"><small>%s</small>"
                "<label for=\"reason\">%s</label><textarea id=\"reason\" name=\"reason\" required "
                "maxlength=\"1000\">%s</textarea>"
                "<label for=\"item_id\">%s</label><input id=\"item_id\" name=\"item_id\" "
                "inputmode=\"numeric\" value=\"%s\">"
                "<label for=\"evidence\">%s</label><input id=\"evidence\" name=\"evidence\" "
                "maxlength=\"2000\" value=\"%s\"><small>%s</small>"
                "<div class=\"buttons\"><button type=\"submit\" class=\"primary\">%s</button>"
                "</div></form></section>",
                T(r, "assess.points"), param(r, "points"), T(r, "assess.points_hint"),
                T(r, "assess.reason"), param(r, "reason"), T(r, "assess.item_id"),
                param(r, "item_id"), T(r, "assess.evidence"), param(r, "evidence"),
                T(r, "assess.evidence_hint"), T(r, "assess.add"));
}

/* The office's objections waiting for a decision, on the ranking page. */
static void objections_pending(struct req *r, struct db *db)
{
    struct err e = {0};
    json_t *v = assessment_objections_json(db, r->actor, "pending", &e);
    if (!v) return;
    assessment_objections_card(r, json_object_get(v, "objections"));
    json_decref(v);
}

/* The page, with an error from a refused form (status then its status). */
static void assessment_page(struct req *r, int status, const char *error)
{
    int year;
    int64_t unit;
    struct assessment_window w;
    if (page_params(r, &year, &unit) || page_window(r, year, &w)) {
        web_error_page(r, 422,
                       "year must be from 2000 to 9998, span a month or quarter "
                       "and unit a unit id");
        return;
    }
    struct db *db = page_db(r);
    if (!db) return;
    struct err e = {0};
    int all = actor_sees_all(r->actor),
        office = (r->actor->roles & (ROLE_ADMIN | ROLE_SUPERVISOR)) != 0;
    /* the ranking shows the sums only: kept while the score stands */
    json_t *v = all && !unit ? assessment_window_scores_json(db, r->actor, &w, 0, &e)
                             : assessment_window_json(db, r->actor, &w, unit, &e);
    if (!v) {
        page_fail(r, &e);
        return;
    }
    struct buf *o = &r->out;
    layout_begin(r, T(r, "assess.title"), NAV_NONE, NULL);
    if (all && unit)
        html_printf(o, "<p class=\"crumbs\"><a href=\"/assessment?year=%d&amp;span=%s\">%s</a></p>",
                    year, param(r, "span"), T(r, "assess.ranking"));
    html_printf(o, "<h1>%s <small>%s</small></h1><p>%s</p>", T(r, "assess.title"), w.period,
                T(r, "assess.hint"));
    if (error)
        html_printf(o, "<p class=\"alert\" role=\"alert\">%s%s%s</p>", T(r, "admin.error"),
                    T(r, "colon"), error);
    year_form(r, year, unit);
    json_t *units = json_object_get(v, "units");
    if (all && !unit) {
        ranking(r, v, year);
        if (office) objections_pending(r, db);
    } else if (json_array_size(units)) {
        json_t *u = json_array_get(units, 0);
        unit_view(r, u, office, year);
        if (office || (r->actor->roles & ROLE_LEADER))
            add_form(r, year, json_integer_value(json_object_get(u, "unit_id")), office);
    } else {
        html_printf(o, "<p class=\"empty\">%s</p>", T(r, "admin.none"));
    }
    json_decref(v);
    layout_end(r, status);
}

/* Append the units of v with the lowest scores (at most n, lowest first) to out. */
static void lowest(json_t *v, size_t n, json_t *out)
{
    json_t *units = json_object_get(v, "units"), *u;
    size_t i;
    while (json_array_size(out) < n) {
        json_t *min = NULL;
        json_array_foreach(units, i, u)
        {
            int taken = 0;
            for (size_t k = 0; k < json_array_size(out); k++)
                taken |= json_array_get(out, k) == u;
            if (!taken && (!min || num(u, "score") < num(min, "score"))) min = u;
        }
        if (!min) break;
        json_array_append(out, min);
    }
}

/* The consequences of v (every unit's) as list items into o; how many. */
static int consequence_items(struct req *r, struct buf *o, json_t *v)
{
    json_t *u, *c;
    size_t i, k;
    int n = 0;
    json_array_foreach(json_object_get(v, "units"), i, u)
    {
        json_array_foreach(json_object_get(u, "consequences"), k, c)
        {
            html_printf(o, "<li>%s <strong>%s</strong> <small>%s</small></li>", str(u, "unit_name"),
                        i18n_label(r, "consequence", str(c, "ladder")), str(c, "period"));
            n++;
        }
    }
    return n;
}

/* The card's HTML into f from the year's and the month's scores (yv, mv). */
static void card_html(struct req *r, int y, const char *period, json_t *yv, json_t *mv,
                      struct html_frag *f)
{
    json_t *low = json_array(), *u;
    lowest(yv, 3, low);
    struct buf *o = &f->html;
    char at[32]; /* when it was computed: a view may show it while a newer one is */
    time_format_iso(time_now_ms(), at, sizeof at);
    at[16] = '\0';
    html_printf(
        o,
        "<section class=\"card assessment-tile\"><h2><a href=\"/assessment?year=%d\">%s</a> "
        "<small>%d · <span class=\"as-of\">%s %s</span></small></h2><h3>%s</h3>"
        "<ol class=\"lowest\">",
        y, T(r, "assess.title"), y, T(r, "assess.as_of"), at + 11, T(r, "assess.lowest"));
    size_t i;
    json_array_foreach(low, i, u)
        html_printf(o, "<li><a href=\"/assessment?year=%d&amp;unit=%lld\">%s</a> <b>%g</b></li>", y,
                    (long long)json_integer_value(json_object_get(u, "unit_id")),
                    str(u, "unit_name"), num(u, "score"));
    html_printf(o, "</ol><h3>%s <small>%s</small></h3><ul class=\"consequences\">",
                T(r, "assess.month_consequences"), period);
    if (!consequence_items(r, o, mv))
        html_printf(o, "<li class=\"empty\">%s</li>", T(r, "admin.none"));
    html_raw(o, "</ul></section>");
    json_decref(low);
}

/* The year's and the month's scores as the actor sees them: 1 with *yv and
 * *mv set (the caller json_decref()s them), or 0 when they could not be read. */
static int card_scores(struct db *db, const struct actor *a, int y, int m, json_t **yv, json_t **mv,
                       struct assessment_window *w)
{
    struct err e = {0};
    assessment_window_set(w, y, "month", m, &e);
    struct assessment_window yw;
    assessment_window_set(&yw, y, NULL, 0, NULL);
    *yv = assessment_window_scores_json(db, a, &yw, 0, &e);
    *mv = *yv ? assessment_window_scores_json(db, a, w, 0, &e) : NULL;
    if (*mv) return 1;
    json_decref(*yv);
    return 0;
}

/* The card's HTML into f (computed): 1, or 0 when the score could not be
 * read (nothing written). */
static int card_render(struct req *r, struct db *db, int y, int m, struct html_frag *f)
{
    struct assessment_window w;
    json_t *yv, *mv;
    if (!card_scores(db, r->actor, y, m, &yv, &mv, &w)) return 0;
    card_html(r, y, w.period, yv, mv, f);
    json_decref(yv);
    json_decref(mv);
    return 1;
}

/* The card as last rendered per language and scope (every unit, or one
 * unit's), under the day and the stamps it was rendered under
 * (assessment_stamp): the year's score is computed again only when what it
 * reads changed, not per view of the dashboard; and when that takes long
 * (seconds over a large city), away from the view, which meanwhile shows the
 * last card (frag_cache.h). */
static struct frag_cache cards = FRAG_CACHE_INIT;

/* A card to compute again on a work thread: what the view knew. */
struct card_job {
    struct db_pool *pool;
    struct frag_key key;
    struct actor actor;
    char username[64];
    enum req_lang lang;
    int y, m;
};

/* Render the card under stamps read in the same snapshot and keep it. */
static int card_keep(struct req *r, struct db *db, struct frag_key *key, int y, int m)
{
    struct html_frag f;
    html_frag_init(&f, 0);
    int64_t t0 = time_now_ms();
    int ok = assessment_stamp(db, &key->stamp[0], &key->stamp[1]) == DB_OK &&
             card_render(r, db, y, m, &f);
    if (ok) frag_cache_put(&cards, key, &f, time_now_ms() - t0);
    html_frag_free(&f);
    return ok;
}

static void card_job_run(void *ctx)
{
    struct card_job *j = ctx;
    struct req r = {.lang = j->lang, .actor = &j->actor}; /* T() and who sees what only */
    struct db *db = db_pool_reader(j->pool);
    struct frag_key key = j->key;
    int ok = 0;
    if (db) {
        db_read_begin(db);
        ok = card_keep(&r, db, &key, j->y, j->m);
        db_read_end(db);
    }
    if (!ok) frag_cache_unclaim(&cards, &j->key);
}

/* The claimed card computed again away from the view (at once when it cannot be). */
static void card_later(struct req *r, struct db *db, const struct frag_key *key, int y, int m)
{
    struct card_job *j = xcalloc(1, sizeof *j);
    *j = (struct card_job){
        .pool = page_pool(r), .key = *key, .actor = *r->actor, .lang = r->lang, .y = y, .m = m};
    snprintf(j->username, sizeof j->username, "%s", r->actor->username ? r->actor->username : "");
    j->actor.username = j->username;
    if (j->pool && page_later(r, card_job_run, free, j) == 0) return;
    free(j);
    struct frag_key now = *key;
    if (!card_keep(r, db, &now, y, m)) frag_cache_unclaim(&cards, key);
}

void assessment_dashboard_warm(struct db_pool *pool)
{
    struct db *db = db_pool_reader(pool);
    if (!db) return;
    struct actor office = {.roles = ROLE_SUPERVISOR}; /* the card of every unit */
    struct frag_key key = {.day = time_today()};
    struct assessment_window w;
    json_t *yv, *mv;
    int y, m, d;
    date_split(key.day, &y, &m, &d);
    int64_t t0 = time_now_ms();
    db_read_begin(db);
    if (assessment_stamp(db, &key.stamp[0], &key.stamp[1]) == DB_OK &&
        card_scores(db, &office, y, m, &yv, &mv, &w)) {
        int64_t cost = time_now_ms() - t0;
        for (int lang = 0; lang < 2; lang++) { /* one computation, both languages */
            struct req r = {.lang = lang ? LANG_EN : LANG_ZH, .actor = &office};
            struct html_frag f;
            html_frag_init(&f, 0);
            key.lang = (int)r.lang;
            card_html(&r, y, w.period, yv, mv, &f);
            frag_cache_put(&cards, &key, &f, cost);
            html_frag_free(&f);
        }
        json_decref(yv);
        json_decref(mv);
        log_info("dashboard: the 考核 card computed in %lld ms", (long long)cost);
    }
    db_read_end(db);
}

void assessment_dashboard(struct req *r, struct db *db)
{
    int y, m, d, claim;
    struct frag_key key = {.lang = (int)r->lang, .day = time_today()};
    date_split(key.day, &y, &m, &d);
    key.scope = actor_sees_all(r->actor) ? 0 : r->actor->unit_id + 1;
    int stamped = assessment_stamp(db, &key.stamp[0], &key.stamp[1]) == DB_OK;
    if (stamped && frag_cache_kept(&cards, &key, &r->out, &claim)) {
        if (claim) card_later(r, db, &key, y, m);
        return;
    }
    struct html_frag f;
    html_frag_init(&f, 0);
    int64_t t0 = time_now_ms();
    if (card_render(r, db, y, m, &f) && html_frag_put(&r->out, &f) == 0 && stamped)
        frag_cache_put(&cards, &key, &f, time_now_ms() - t0);
    html_frag_free(&f);
}

void web_assessment(struct req *r)
{
    assessment_page(r, 200, NULL);
}

struct entry_form {
    struct write_job job;
    json_t *body; /* owned */
    int year;
    int64_t unit;
};

static int entry_form_run(struct db *db, struct write_job *j)
{
    return assessment_entry_add(db, j->actor, WRITE_OF(j, struct entry_form)->body, &j->id, &j->e);
}

static void entry_form_done(struct req *r, struct write_job *j)
{
    struct entry_form *x = WRITE_OF(j, struct entry_form);
    write_redirect(r, "/assessment?year=%d&unit=%lld", x->year, (long long)x->unit);
}

static void entry_form_release(struct write_job *j)
{
    json_decref(WRITE_OF(j, struct entry_form)->body);
}

static const struct write_ops entry_form_ops = {.what = "recording an assessment entry",
                                                .run = entry_form_run,
                                                .done = entry_form_done,
                                                .form = assessment_page,
                                                .release = entry_form_release};

/* A number field into body (as text when it is not one, so core names it). */
static void number_field(json_t *body, const char *name, const char *s, int negate, int integer)
{
    double d;
    int64_t n;
    if (!*s) return;
    if (integer && !str_to_int64(s, strlen(s), &n))
        json_object_set_new(body, name, json_integer(n));
    else if (!integer && !str_to_double(s, strlen(s), &d))
        json_object_set_new(body, name, json_real(negate && d > 0 ? -d : d));
    else
        json_object_set_new(body, name, json_string(s));
}

/* The form as the API's body: a withdrawal, or an entry whose deduction
 * points are typed as the points taken off (3 deducts 3). */
static json_t *form_body(struct req *r, int year, int64_t unit)
{
    json_t *body = json_object();
    json_object_set_new(body, "reason", json_string(param(r, "reason")));
    const char *w = param(r, "withdraws");
    if (*w) {
        number_field(body, "withdraws", w, 0, 1);
        return body;
    }
    const char *kind = param(r, "kind");
    json_object_set_new(body, "unit_id", json_integer(unit));
    json_object_set_new(body, "year", json_integer(year));
    json_object_set_new(body, "kind", json_string(kind));
    if (strcmp(kind, "no_substance"))
        number_field(body, "points", param(r, "points"), !strcmp(kind, "deduction"), 0);
    number_field(body, "item_id", param(r, "item_id"), 0, 1);
    if (*param(r, "evidence"))
        json_object_set_new(body, "evidence", json_string(param(r, "evidence")));
    return body;
}

void web_assessment_post(struct req *r)
{
    int year;
    int64_t unit;
    if (page_params(r, &year, &unit) || !unit) {
        web_error_page(r, 422, "year must be from 2000 to 9998 and unit a unit id");
        return;
    }
    struct entry_form *x = WRITE_NEW(r, struct entry_form, &entry_form_ops);
    x->year = year;
    x->unit = unit;
    x->body = form_body(r, year, unit);
    write_start(r, &x->job);
}

/* An objection's or a decision's form: the id it names, the body, back to
 * the unit's page. */
struct objection_form {
    struct write_job job;
    json_t *body; /* owned */
    int64_t id;
    int year;
    int64_t unit;
    int decide;
};

static int objection_form_run(struct db *db, struct write_job *j)
{
    struct objection_form *x = WRITE_OF(j, struct objection_form);
    if (x->decide) return assessment_objection_decide(db, j->actor, x->id, x->body, &j->e);
    return assessment_objection_add(db, j->actor, x->id, x->body, &j->id, &j->e);
}

static void objection_form_done(struct req *r, struct write_job *j)
{
    struct objection_form *x = WRITE_OF(j, struct objection_form);
    write_redirect(r, "/assessment?year=%d&unit=%lld", x->year, (long long)x->unit);
}

static void objection_form_release(struct write_job *j)
{
    json_decref(WRITE_OF(j, struct objection_form)->body);
}

static const struct write_ops objection_form_ops = {.what = "recording an objection",
                                                    .run = objection_form_run,
                                                    .done = objection_form_done,
                                                    .form = assessment_page,
                                                    .release = objection_form_release};

/* Both posts: field (entry or objection) names the row; the body's texts. */
static void objection_post(struct req *r, const char *field, int decide)
{
    int year;
    int64_t unit, id;
    const char *v = param(r, field);
    if (page_params(r, &year, &unit) || !unit || str_to_int64(v, strlen(v), &id) || id <= 0) {
        web_error_page(r, 422, "year, unit and the entry or objection must be given");
        return;
    }
    struct objection_form *x = WRITE_NEW(r, struct objection_form, &objection_form_ops);
    x->year = year;
    x->unit = unit;
    x->id = id;
    x->decide = decide;
    x->body = decide ? json_pack("{s:s,s:s}", "decision", param(r, "decision"), "reason",
                                 param(r, "reason"))
                     : json_pack("{s:s}", "text", param(r, "text"));
    write_start(r, &x->job);
}

void web_assessment_objection(struct req *r)
{
    objection_post(r, "entry", 0);
}

void web_assessment_decide(struct req *r)
{
    objection_post(r, "objection", 1);
}

void assessment_objections_card(struct req *r, json_t *list)
{
    struct buf *o = &r->out;
    size_t n = json_array_size(list), i;
    json_t *ob;
    html_printf(o, "<section class=\"card inbox i-objections\"><h2>%s <small>%zu</small></h2>",
                T(r, "assess.objections"), n);
    if (!n) {
        html_printf(o, "<p class=\"empty\">%s</p></section>", T(r, "assess.no_objections"));
        return;
    }
    html_raw(o, "<ul class=\"inbox-list\">");
    json_array_foreach(list, i, ob)
    {
        json_t *en = json_object_get(ob, "entry");
        html_printf(o,
                    "<li><a href=\"/assessment?year=%lld&amp;unit=%lld#objection-%lld\">%s · "
                    "%s %g</a> <span class=\"why\"><q>%s</q> %s</span></li>",
                    (long long)json_integer_value(json_object_get(en, "year")),
                    (long long)json_integer_value(json_object_get(ob, "unit_id")),
                    (long long)json_integer_value(json_object_get(ob, "id")), str(ob, "unit_name"),
                    i18n_label(r, "assess_rule", str(en, "rule")), num(en, "points"),
                    str(ob, "text"), str(ob, "actor"));
    }
    html_raw(o, "</ul></section>");
}
