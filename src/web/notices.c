/* notices.c — the notice pages and the dashboard's charts.
 *
 *   GET  /notices        choose the period and scope, preview the notice, issue it;
 *                        the issued notices below
 *   POST /notices        issue (supervisors), then the issued notice's page
 *   GET  /notices/{id}   an issued notice exactly as stored, with downloads and hashes
 *
 * The notice itself is Chinese whatever the page language: it is the city's
 * document.  Its markup comes from src/notice/html.c, written through the
 * same escaping writer; an issued notice's stored HTML is the one html_raw;
 * everything else goes through html_printf. */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/campaign.h"
#include "core/item_count.h"
#include "core/light.h"
#include "core/unit.h"
#include "http/server.h"
#include "http/write.h"
#include "util/log.h"
#include "util/mem.h"
#include "notice/issue.h"
#include "notice/notice.h"
#include "notice/scope.h"
#include "notice/svg.h"
#include "util/time.h"
#include "web/frag_cache.h"
#include "web/page.h"
#include "web/web.h"

static const char *const formats[] = {"html", "pdf", "xlsx", "csv", "json"};

static void downloads(struct req *r, const char *base, const char *query)
{
    struct buf *o = &r->out;
    html_printf(o, "<p class=\"notice-actions\">%s:", T(r, "notices.download"));
    for (int k = 0; k < 5; k++)
        html_printf(o, " <a class=\"button\" href=\"%s?%s%sformat=%s\">%s</a>", base, query,
                    *query ? "&" : "", formats[k], formats[k]);
    html_raw(o, "</p>");
}

/* A notice's scope as the page's fields carry it: unit, or one of campaign,
 * meeting and plan (ids). */
struct scope_q {
    const char *unit, *campaign, *meeting, *plan;
};

static struct scope_q scope_query(struct req *r)
{
    return (struct scope_q){req_query(r, "unit"), req_query(r, "campaign"), req_query(r, "meeting"),
                            req_query(r, "plan")};
}

static const char *nz(const char *s)
{
    return s ? s : "";
}

/* "from=…&to=…&unit=…&campaign=…&meeting=…&plan=…", each encoded. */
static const char *scope_qs(struct req *r, const char *from, const char *to,
                            const struct scope_q *q)
{
    struct arena *a = r->arena;
    return arena_printf(a, "from=%s&to=%s&unit=%s&campaign=%s&meeting=%s&plan=%s",
                        url_encode(a, from), url_encode(a, to), url_encode(a, nz(q->unit)),
                        url_encode(a, nz(q->campaign)), url_encode(a, nz(q->meeting)),
                        url_encode(a, nz(q->plan)));
}

/* The campaign select (none: no campaign scope) and the meeting and plan ids. */
static void scope_fields(struct req *r, const struct scope_q *q)
{
    struct buf *o = &r->out;
    struct err e = {0};
    json_t *v = campaign_list_json(req_db(r), &e);
    html_printf(o, "<label>%s <select name=\"campaign\"><option value=\"\"></option>",
                T(r, "campaign.title"));
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(v, "campaigns"), i, c)
    {
        const char *id =
            arena_printf(r->arena, "%lld", (long long)json_integer_value(json_object_get(c, "id")));
        html_printf(o, "<option value=\"%s\"%s>%s %s</option>", id,
                    q->campaign && !strcmp(q->campaign, id) ? " selected" : "",
                    json_string_value(json_object_get(c, "month")),
                    json_string_value(json_object_get(c, "theme")));
    }
    json_decref(v);
    html_printf(o,
                "</select></label>"
                "<label>%s <input type=\"number\" min=\"1\" name=\"meeting\" value=\"%s\"></label>"
                "<label>%s <input type=\"number\" min=\"1\" name=\"plan\" value=\"%s\"></label>",
                T(r, "intake.meeting"), nz(q->meeting), T(r, "field.parent_id"), nz(q->plan));
}

static void notices_form(struct req *r, const char *from, const char *to, const struct scope_q *q)
{
    const char *unit = q->unit;
    struct buf *o = &r->out;
    json_t *owner = NULL, *units = page_units(r, &owner);
    if (!units) return;
    html_printf(o,
                "<form method=\"get\" action=\"/notices\" class=\"card filters notice-meta\">"
                "<label>%s <input type=\"date\" name=\"from\" value=\"%s\" required></label>"
                "<label>%s <input type=\"date\" name=\"to\" value=\"%s\" required></label>"
                "<label>%s <select name=\"unit\"><option value=\"\">%s</option>",
                T(r, "notices.from"), from, T(r, "notices.to"), to, T(r, "notices.unit"),
                T(r, "notices.city"));
    size_t i;
    json_t *u;
    json_array_foreach(units, i, u)
    {
        const char *code = json_string_value(json_object_get(u, "code"));
        html_printf(o, "<option value=\"%s\"%s>%s</option>", code,
                    unit && code && !strcmp(unit, code) ? " selected" : "",
                    json_string_value(json_object_get(u, "name")));
    }
    html_raw(o, "</select></label>");
    scope_fields(r, q);
    html_printf(o, "<button type=\"submit\">%s</button></form>", T(r, "notices.preview"));
    json_decref(owner);
}

static void notices_preview(struct req *r, struct db *db, const char *from, const char *to,
                            const struct scope_q *sq)
{
    const char *unit = sq->unit;
    struct buf *o = &r->out;
    struct notice_params p;
    struct notice n;
    struct err e = {0};
    if (notice_params_parse(from, to, unit, &p, &e) ||
        notice_params_scope(&p, sq->campaign, sq->meeting, sq->plan, &e)) {
        html_printf(o, "<p class=\"error\">%s</p>", req_err_text(r, &e));
        return;
    }
    if (notice_compute(db, &p, &n, &e)) {
        html_printf(o, "<p class=\"error\">%s</p>", req_err_text(r, &e));
        notice_free(&n);
        return;
    }
    downloads(r, "/api/v1/notices", scope_qs(r, from, to, sq));
    if (r->actor->roles & (ROLE_ADMIN | ROLE_SUPERVISOR))
        html_printf(o,
                    "<form method=\"post\" action=\"/notices\" class=\"notice-actions\">"
                    "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                    "<input type=\"hidden\" name=\"from\" value=\"%s\">"
                    "<input type=\"hidden\" name=\"to\" value=\"%s\">"
                    "<input type=\"hidden\" name=\"unit\" value=\"%s\">"
                    "<input type=\"hidden\" name=\"campaign\" value=\"%s\">"
                    "<input type=\"hidden\" name=\"meeting\" value=\"%s\">"
                    "<input type=\"hidden\" name=\"plan\" value=\"%s\">"
                    "<button type=\"submit\">%s</button> <small>%s</small></form>",
                    r->session.csrf, from, to, nz(unit), nz(sq->campaign), nz(sq->meeting),
                    nz(sq->plan), T(r, "notices.issue"), T(r, "notices.issue_hint"));
    if ((r->actor->roles & (ROLE_ADMIN | ROLE_SUPERVISOR)) && !sq->campaign && !sq->meeting &&
        !sq->plan) /* a draft covers the city or a unit's subtree (notice_draft.h) */
        html_printf(o,
                    "<form method=\"post\" action=\"/notices/drafts\" class=\"notice-actions\">"
                    "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                    "<input type=\"hidden\" name=\"from\" value=\"%s\">"
                    "<input type=\"hidden\" name=\"to\" value=\"%s\">"
                    "<input type=\"hidden\" name=\"unit\" value=\"%s\">"
                    "<button type=\"submit\">%s</button> <small>%s</small></form>",
                    r->session.csrf, from, to, nz(unit), T(r, "notices.draft"),
                    T(r, "notices.draft_hint"));
    char today[11];
    date_format(time_today(), today);
    notice_html_article(&n, NULL, today, o);
    notice_free(&n);
}

static void notices_issued(struct req *r, struct db *db)
{
    struct buf *o = &r->out;
    struct err e = {0};
    json_t *v = notice_issued_list(db, 0, &e);
    html_printf(o, "<section class=\"card notice-meta\"><h2>%s</h2>", T(r, "notices.issued"));
    json_t *list = json_object_get(v, "notices");
    if (!json_array_size(list))
        html_printf(o, "<p class=\"empty\">%s</p>", T(r, "notices.none"));
    else
        html_raw(o, "<table class=\"list\"><tbody>");
    size_t i;
    json_t *x;
    json_array_foreach(list, i, x)
    {
        html_printf(o,
                    "<tr><td><a href=\"/notices/%lld\">%s</a></td><td>%s</td><td>%s</td>"
                    "<td>%s</td></tr>",
                    (long long)json_integer_value(json_object_get(x, "id")),
                    json_string_value(json_object_get(x, "number")),
                    json_string_value(json_object_get(x, "title")),
                    page_time(r, json_string_value(json_object_get(x, "issued_at"))),
                    json_string_value(json_object_get(x, "issued_by")));
    }
    if (json_array_size(list)) html_raw(o, "</tbody></table>");
    html_raw(o, "</section>");
    json_decref(v);
}

void web_notices(struct req *r)
{
    struct db *db = page_db(r);
    if (!db) return;
    const char *from = req_query(r, "from"), *to = req_query(r, "to");
    struct scope_q q = scope_query(r);
    char first[11], today[11];
    int32_t t = time_today();
    int y, m, d;
    date_split(t, &y, &m, &d);
    date_format(date_make(y, m, 1), first);
    date_format(t, today);
    const char *self = from && to ? scope_qs(r, from, to, &q) : NULL;
    layout_begin(r, T(r, "notices.title"), NAV_NONE, self);
    html_raw(&r->out, "<link rel=\"stylesheet\" href=\"/static/notice.css\">");
    html_printf(&r->out, "<h1 class=\"notice-meta\">%s</h1>", T(r, "notices.title"));
    notices_form(r, from ? from : first, to ? to : today, &q);
    if (from && to) notices_preview(r, db, from, to, &q);
    notices_issued(r, db);
    layout_end(r, 200);
}

struct issue_job {
    struct write_job job;
    struct notice_params p;
};

static int issue_run(struct db *db, struct write_job *j)
{
    return notice_issue(db, j->actor, &WRITE_OF(j, struct issue_job)->p, &j->id, &j->e);
}

static const struct write_ops issue_ops = {
    .what = "issuing the notice", .run = issue_run, .next = "/notices/"};

void web_notices_issue(struct req *r)
{
    struct issue_job *x = WRITE_NEW(r, struct issue_job, &issue_ops);
    if (notice_params_parse(req_form(r, "from"), req_form(r, "to"), req_form(r, "unit"), &x->p,
                            &x->job.e) ||
        notice_params_scope(&x->p, req_form(r, "campaign"), req_form(r, "meeting"),
                            req_form(r, "plan"), &x->job.e)) {
        write_refuse(r, &x->job);
        return;
    }
    x->p.signer = r->server->signer;
    write_start(r, &x->job);
}

void web_notice(struct req *r)
{
    struct db *db = page_db(r);
    if (!db) return;
    struct err e = {0};
    json_t *v = notice_issued_list(db, r->params[0], &e);
    struct buf doc;
    buf_init(&doc, REQ_OUT_MAX);
    if (!v || notice_issued_output(db, r->params[0], "html", &doc, NULL, &e)) {
        json_decref(v);
        buf_free(&doc);
        page_fail(r, &e);
        return;
    }
    json_t *x = json_array_get(json_object_get(v, "notices"), 0);
    const char *number = json_string_value(json_object_get(x, "number"));
    layout_begin(r, number, NAV_NONE, NULL);
    struct buf *o = &r->out;
    html_raw(o, "<link rel=\"stylesheet\" href=\"/static/notice.css\">");
    html_printf(o,
                "<section class=\"card notice-meta\"><h1>%s <small>%s</small></h1>"
                "<p>%s · %s</p><p><a href=\"/notices\">← %s</a></p>"
                "<p class=\"hash\">%s: <code>%s</code></p></section>",
                number, json_string_value(json_object_get(x, "title")),
                page_time(r, json_string_value(json_object_get(x, "issued_at"))),
                json_string_value(json_object_get(x, "issued_by")), T(r, "notices.title"),
                T(r, "notices.hash"), json_string_value(json_object_get(x, "hash")));
    downloads(r, arena_printf(r->arena, "/api/v1/notices/%lld", (long long)r->params[0]), "");
    size_t len;
    const char *art = notice_html_find_article(buf_cstr(&doc), &len);
    if (art) buf_append(o, art, len); /* the stored, already escaped notice */
    buf_free(&doc);
    json_decref(v);
    layout_end(r, 200);
}

/* ---- the dashboard ---- */

static void dash_card(struct req *r, const char *title_key)
{
    html_printf(&r->out, "<section class=\"card chart-card\"><h2>%s</h2>", T(r, title_key));
}

/* The items by light; of those without one, the drafts (the office's, with
 * a bar of their own only where drafts count: the whole city) apart from the
 * closed and suspended ones.  drafts is how many of lights_now's "none" are
 * drafts; show_drafts 0 leaves them out. */
static void dash_lights(struct req *r, const struct notice *n, int64_t drafts, int show_drafts)
{
    static const char *const fills[] = {"#2e7d32", "#d89b00", "#c62828", "#9aa3ad"};
    static const int order[] = {2, 1, 0, 3};
    struct svg_bar bars[5];
    for (int k = 0; k < 4; k++)
        bars[k] = (struct svg_bar){i18n_label(r, "light", notice_lights[order[k]]),
                                   (double)n->lights_now[order[k]], fills[order[k]]};
    bars[3].label = T(r, "home.closed");
    bars[3].value -= (double)drafts;
    if (show_drafts) bars[4] = (struct svg_bar){T(r, "status.draft"), (double)drafts, "#c9a227"};
    dash_card(r, "dash.lights");
    svg_bars(&r->out, T(r, "dash.lights"), bars, show_drafts ? 5 : 4, 0);
    html_raw(&r->out, "</section>");
}

static void dash_units(struct req *r, const struct notice *n)
{
    struct svg_bar bars[12];
    int count = 0;
    for (int k = 0; k < n->n_units && count < 12; k++)
        if (n->units[k].assigned)
            bars[count++] = (struct svg_bar){n->units[k].name, 100.0 * notice_rate(&n->units[k]),
                                             n->units[k].overdue ? "#c62828" : "#1d4f91"};
    dash_card(r, "dash.units");
    if (count)
        svg_bars(&r->out, T(r, "dash.units"), bars, count, 1);
    else
        html_printf(&r->out, "<p class=\"empty\">%s</p>", T(r, "notices.none_assigned"));
    html_raw(&r->out, "</section>");
}

static void dash_trend(struct req *r, const struct notice_month *m)
{
    const char *labels[12];
    double values[12];
    for (int k = 0; k < 12; k++) { /* "2026-02" as 2月 / Feb */
        int month = (m[k].month[5] - '0') * 10 + (m[k].month[6] - '0');
        labels[k] = T(r, arena_printf(r->arena, "month.%d", month));
        values[k] = (double)m[k].overdue;
    }
    dash_card(r, "dash.trend");
    svg_line(&r->out, T(r, "dash.trend"), labels, values, 12);
    /* the chart's text equivalent (WCAG 1.1.1): the same twelve numbers */
    html_printf(&r->out, "<table class=\"sr-only\"><caption>%s</caption><tbody>",
                T(r, "dash.trend"));
    for (int k = 0; k < 12; k++)
        html_printf(&r->out, "<tr><th scope=\"row\">%s %s</th><td>%lld</td></tr>", m[k].month,
                    labels[k], (long long)m[k].overdue);
    html_raw(&r->out, "</tbody></table></section>");
}

static void dash_due(struct req *r, struct db *db, int64_t unit_id)
{
    struct err e = {0};
    json_t *a = notice_data_due_soon(db, unit_id, 7, 15, &e);
    dash_card(r, "dash.due_soon");
    if (!json_array_size(a))
        html_printf(&r->out, "<p class=\"empty\">%s</p>", T(r, "dash.none_due"));
    else
        html_raw(&r->out, "<ul class=\"due\">");
    size_t i;
    json_t *x;
    json_array_foreach(a, i, x)
    {
        html_printf(&r->out, "<li><a href=\"/items/%lld\">%s</a> <span>%s · %s</span></li>",
                    (long long)json_integer_value(json_object_get(x, "id")),
                    json_string_value(json_object_get(x, "title")),
                    json_string_value(json_object_get(x, "unit")),
                    json_string_value(json_object_get(x, "deadline")));
    }
    if (json_array_size(a)) html_raw(&r->out, "</ul>");
    html_raw(&r->out, "</section>");
    json_decref(a);
}

static void dash_rank(struct req *r, const struct notice *n, const int *idx, int count,
                      const char *key)
{
    dash_card(r, key);
    if (!count)
        html_printf(&r->out, "<p class=\"empty\">%s</p>", T(r, "notices.none_assigned"));
    else
        html_raw(&r->out, "<ol class=\"rank\">");
    for (int k = 0; k < count; k++) {
        const struct notice_unit *u = &n->units[idx[k]];
        html_printf(&r->out, "<li value=\"%d\"><b>%s</b> <span>%.1f%% · %lld/%lld</span></li>",
                    u->rank, u->name, 100.0 * notice_rate(u), (long long)u->done_on_time,
                    (long long)u->assigned);
    }
    if (count) html_raw(&r->out, "</ol>");
    html_raw(&r->out, "</section>");
}

/* The year so far's notice for the dashboard (a handler's is its own
 * unit's).  0, or -1 with the error shown on the page. */
static int dash_notice(struct req *r, struct db *db, int64_t unit_id, struct notice *n)
{
    struct notice_params p = {0};
    int y, m, d;
    p.to = time_today();
    date_split(p.to, &y, &m, &d);
    p.from = date_make(y, 1, 1);
    if (unit_id) { /* r may be NULL: the figures computed away from a view */
        struct err ue = {0};
        json_t *owner = unit_list_json(db, &ue), *units = json_object_get(owner, "units");
        size_t i;
        json_t *u;
        json_array_foreach(units, i, u)
        {
            if (json_integer_value(json_object_get(u, "id")) == unit_id)
                snprintf(p.unit_code, sizeof p.unit_code, "%s",
                         json_string_value(json_object_get(u, "code")));
        }
        json_decref(owner);
    }
    struct err e = {0};
    if (notice_compute(db, &p, n, &e)) {
        notice_free(n);
        if (r)
            html_printf(&r->out, "<p class=\"error\">%s</p>", req_err_text(r, &e));
        else
            log_error("dashboard: the city's figures: %s", e.message);
        return -1;
    }
    return 0;
}

/* What the dashboard's charts take from the year's notice and the trend,
 * kept for a scope, a language-free key (day and the stamps of the
 * notice's facts): computed again when one of them changes (creating a
 * draft changes none), not for every view.  A slot per scope, by hash; a
 * collision only costs a computation. */
struct dash_figures {
    struct notice n; /* units, ranks and lights only (no red list, months, summary) */
    struct notice_month trend[12];
    int has_trend;
};

#define DASH_SLOTS 32
static struct dash_slot {
    int used;
    int64_t unit_id, facts, config;
    int32_t day;
    struct dash_figures f;
    int64_t busy;    /* a thread computes this slot for unit busy - 1 */
    int64_t cost_ms; /* what the last computation took */
} dash_slots[DASH_SLOTS];
static pthread_mutex_t dash_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t dash_done = PTHREAD_COND_INITIALIZER;

/* units[0..n) in one allocation with their codes and names after them, so
 * that the copy outlives the notice's arena those point into; NULL when n is
 * 0.  The caller frees it. */
static struct notice_unit *dash_units_pack(const struct notice_unit *units, int n)
{
    size_t size = sizeof *units * (size_t)n;
    for (int k = 0; k < n; k++)
        size += (units[k].code ? strlen(units[k].code) + 1 : 0) +
                (units[k].name ? strlen(units[k].name) + 1 : 0);
    if (n <= 0) return NULL;
    struct notice_unit *out = xmalloc(size);
    char *s = (char *)(out + n);
    memcpy(out, units, sizeof *units * (size_t)n);
    for (int k = 0; k < n; k++) {
        const char **str[2] = {&out[k].code, &out[k].name};
        for (int j = 0; j < 2; j++) {
            if (!*str[j]) continue;
            size_t len = strlen(*str[j]) + 1;
            memcpy(s, *str[j], len);
            *str[j] = s;
            s += len;
        }
    }
    return out;
}

/* Free figures' units (one allocation with their texts, dash_units_pack). */
static void dash_release(struct dash_figures *f)
{
    free(f->n.units);
    f->n.units = NULL;
}

/* Copy from into to, the units array and its names duplicated (to's is freed first). */
static void dash_copy(struct dash_figures *to, const struct dash_figures *from)
{
    dash_release(to);
    *to = *from;
    to->n.units = dash_units_pack(from->n.units, from->n.n_units);
}

/* Under dash_mu: 1 with f set when slot s holds what unit_id's view can
 * show: the figures of the day under the same stamps, or — while another
 * thread computes them anew, or when the last computation took
 * frag_cache_wait_ms or more — the last ones of the same configuration
 * (their facts a computation old, or of an earlier day: a dashboard opened
 * meanwhile does not compute the same figures again, nor wait for them when
 * it has any).  *claim: 1 when the caller is to have them computed again
 * away from the view (the slot is marked busy for it). */
static int dash_kept(struct dash_slot *s, int64_t unit_id, int32_t day, int64_t facts,
                     int64_t config, struct dash_figures *f, int *claim)
{
    *claim = 0;
    if (!s->used || s->unit_id != unit_id || s->config != config) return 0;
    int same = s->facts == facts && s->day == day;
    if (!same && s->busy != unit_id + 1) {
        if (s->cost_ms < frag_cache_wait_ms) return 0;
        s->busy = unit_id + 1, *claim = 1;
    }
    dash_copy(f, &s->f);
    return 1;
}

/* Compute unit_id's figures into f.  0, or -1 with the error shown. */
static int dash_compute(struct req *r, struct db *db, int64_t unit_id, struct dash_figures *f)
{
    struct notice n;
    if (dash_notice(r, db, unit_id, &n)) return -1;
    struct err e = {0};
    f->has_trend = notice_overdue_trend(db, unit_id, 12, f->trend, &e) == 0;
    /* the units' names live in n's arena: the figures keep copies */
    f->n.units = dash_units_pack(n.units, n.n_units);
    f->n.n_units = n.n_units, f->n.n_ranked = n.n_ranked;
    memcpy(f->n.top, n.top, sizeof n.top), memcpy(f->n.bottom, n.bottom, sizeof n.bottom);
    f->n.n_top = n.n_top, f->n.n_bottom = n.n_bottom;
    memcpy(f->n.lights_now, n.lights_now, sizeof n.lights_now);
    notice_free(&n);
    return 0;
}

/* Compute unit_id's figures into f under stamps read first (db in a read
 * transaction), keep them in slot s (stamped: the stamps could be read),
 * and end the slot's busy mark. */
static int dash_compute_kept(struct req *r, struct db *db, struct dash_slot *s, int64_t unit_id,
                             struct dash_figures *f)
{
    int64_t facts = 0, config = 0, t0 = time_now_ms();
    int32_t day = time_today();
    int stamped = notice_data_facts_stamp(db, &facts, &config) == DB_OK;
    int rc = dash_compute(r, db, unit_id, f);
    pthread_mutex_lock(&dash_mu);
    if (rc == 0 && stamped) {
        dash_copy(&s->f, f);
        s->used = 1, s->unit_id = unit_id, s->day = day, s->facts = facts, s->config = config;
        s->cost_ms = time_now_ms() - t0;
    }
    s->busy = 0;
    pthread_cond_broadcast(&dash_done);
    pthread_mutex_unlock(&dash_mu);
    return rc;
}

/* Figures to compute again on a work thread. */
struct dash_job {
    struct db_pool *pool;
    struct dash_slot *slot;
    int64_t unit_id;
};

static void dash_job_run(void *ctx)
{
    struct dash_job *j = ctx;
    struct dash_figures f = {0};
    struct db *db = db_pool_reader(j->pool);
    if (db) {
        db_read_begin(db);
        dash_compute_kept(NULL, db, j->slot, j->unit_id, &f); /* ends the busy mark */
        db_read_end(db);
        dash_release(&f);
        return;
    }
    pthread_mutex_lock(&dash_mu); /* nothing kept: the next view tries again */
    j->slot->busy = 0;
    pthread_cond_broadcast(&dash_done);
    pthread_mutex_unlock(&dash_mu);
}

/* The figures for unit_id (0: the city) into f, from its slot or computed
 * (and kept when the stamps could be read).  One thread computes a slot's
 * figures at a time; another view of the same scope meanwhile shows the
 * last ones, or waits for these when there are none (a server just started
 * computed the city's figures once per thread, each slower for the others);
 * figures that took frag_cache_wait_ms or more are computed again on a work
 * thread while the views show the last ones.  0, or -1 with the error shown
 * on the page.  The caller frees f with dash_release. */
static int dash_figures(struct req *r, struct db *db, int64_t unit_id, struct dash_figures *f)
{
    int64_t facts = 0, config = 0;
    int32_t day = time_today();
    int stamped = notice_data_facts_stamp(db, &facts, &config) == DB_OK;
    struct dash_slot *s = &dash_slots[(uint64_t)unit_id % DASH_SLOTS];
    memset(f, 0, sizeof *f);
    if (!stamped) return dash_compute(r, db, unit_id, f);
    int hit, claim;
    pthread_mutex_lock(&dash_mu);
    while (!(hit = dash_kept(s, unit_id, day, facts, config, f, &claim)) && s->busy == unit_id + 1)
        pthread_cond_wait(&dash_done, &dash_mu);
    if (!hit) s->busy = unit_id + 1;
    pthread_mutex_unlock(&dash_mu);
    if (claim) {
        struct dash_job *j = xmalloc(sizeof *j);
        *j = (struct dash_job){.pool = r ? page_pool(r) : NULL, .slot = s, .unit_id = unit_id};
        if (!j->pool || page_later(r, dash_job_run, free, j)) {
            free(j);
            dash_release(f);
            return dash_compute_kept(r, db, s, unit_id, f); /* no work threads: here */
        }
    }
    if (hit) return 0;
    return dash_compute_kept(r, db, s, unit_id, f);
}

void notices_dashboard_warm(struct db_pool *pool)
{
    struct db *db = db_pool_reader(pool);
    if (!db) return;
    struct dash_figures f;
    int64_t t0 = time_now_ms();
    db_read_begin(db);
    int rc = dash_figures(NULL, db, 0, &f); /* the city (r is only read for a unit) */
    db_read_end(db);
    if (rc) return;
    dash_release(&f);
    log_info("dashboard: the city's figures computed in %lld ms", (long long)(time_now_ms() - t0));
}

/* The city's lights now from the kept counts (core/item_count.h). */
static void dash_lights_now(struct req *r, struct db *db)
{
    struct notice n = {0};
    char today[11], warn[11];
    int64_t c[4];
    light_dates(db, today, warn);
    int64_t drafts = 0;
    if (item_count_lights(db, today, warn, c) != DB_OK ||
        item_count_tally(db, NULL, "draft", 0, &drafts) != DB_OK)
        return;
    n.lights_now[0] = c[ITEM_LIGHT_GREEN], n.lights_now[1] = c[ITEM_LIGHT_YELLOW];
    n.lights_now[2] = c[ITEM_LIGHT_RED], n.lights_now[3] = c[ITEM_LIGHT_NONE];
    dash_lights(r, &n, drafts, 1);
}

void notices_dashboard(struct req *r, struct db *db)
{
    int64_t unit_id = actor_sees_all(r->actor) ? 0 : r->actor->unit_id;
    struct dash_figures f;
    html_raw(&r->out, "<div class=\"charts\">");
    if (dash_figures(r, db, unit_id, &f) == 0) {
        int64_t drafts = 0; /* a unit's drafts are the office's, not its work */
        if (unit_id && item_count_tally(db, NULL, "draft", unit_id, &drafts) == DB_OK)
            dash_lights(r, &f.n, drafts, 0);
        else if (!unit_id)
            dash_lights_now(r, db);
        if (f.has_trend) dash_trend(r, f.trend);
        dash_units(r, &f.n);
        dash_due(r, db, unit_id);
        dash_rank(r, &f.n, f.n.top, f.n.n_top, "dash.top");
        dash_rank(r, &f.n, f.n.bottom, f.n.n_bottom, "dash.bottom");
        dash_release(&f);
    }
    html_raw(&r->out, "</div>");
}

void web_dashboard_warm(struct db_pool *pool)
{
    notices_dashboard_warm(pool);
    assessment_dashboard_warm(pool);
}
