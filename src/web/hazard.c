/* hazard.c (web) — the office's triage page (/hazards): the hazards waiting
 * for triage (reported, or returned by a unit), each with its routing
 * proposal and one form that triages (level, category, lead unit, deadline,
 * the major hazard's six-part plan) and, by default, assigns in the same
 * transaction.  The decisions are core's (item_act with triage and assign);
 * a refused form shows core's message above the list. */
#include <string.h>

#include "core/batch.h"
#include "core/hazard.h"
#include "core/item.h"
#include "http/write.h"
#include "util/str.h"
#include "util/time.h"
#include "web/page.h"
#include "web/web.h"

static const char *const plan_parts[] = {"targets",     "measures",   "funds",
                                         "responsible", "time_limit", "safety"};

/* The units that take a hazard on: neither a grid, an enterprise nor a
 * university. */
static void select_units(struct req *r, json_t *units, int64_t cur)
{
    static const char *const skip[] = {"grid", "enterprise", "university", NULL};
    page_unit_options(r, units, cur ? arena_printf(r->arena, "%lld", (long long)cur) : NULL, 0,
                      skip);
}

/* The deadline the form proposes: the hazard's own (one sent back keeps
 * it), else HAZARD_DEFAULT_DAYS from today, which the office changes at will. */
#define HAZARD_DEFAULT_DAYS 7
static const char *triage_deadline(struct req *r, json_t *h)
{
    const char *d = json_string_value(json_object_get(h, "deadline"));
    if (d && *d) return d;
    char *out = arena_alloc(r->arena, 11);
    date_format(time_today() + HAZARD_DEFAULT_DAYS, out);
    return out;
}

static void triage_form(struct req *r, json_t *h, json_t *cats, json_t *units)
{
    struct buf *o = &r->out;
    long long id = (long long)json_integer_value(json_object_get(h, "id"));
    const char *cat = json_string_value(json_object_get(h, "category"));
    const char *level = json_string_value(json_object_get(h, "level"));
    json_t *prop = json_object_get(h, "proposed_unit_id");
    html_printf(o,
                "<form method=\"post\" action=\"/hazards/%lld/triage\" class=\"triage\">"
                "<input type=\"hidden\" name=\"csrf\" value=\"%s\"><div class=\"row\"><div>"
                "<label for=\"level-%lld\">%s</label><select id=\"level-%lld\" name=\"level\">"
                "<option value=\"general\"%s>%s</option><option value=\"major\"%s>%s</option>"
                "</select></div><div><label for=\"category-%lld\">%s</label>"
                "<select id=\"category-%lld\" name=\"category\">",
                id, r->session.csrf, id, T(r, "hazard.level"), id,
                level && !strcmp(level, "major") ? "" : " selected", T(r, "hazard.general"),
                level && !strcmp(level, "major") ? " selected" : "", T(r, "hazard.major"), id,
                T(r, "report.category"), id);
    size_t i;
    json_t *c;
    json_array_foreach(cats, i, c)
    {
        const char *code = json_string_value(json_object_get(c, "code"));
        html_printf(o, "<option value=\"%s\"%s>%s</option>", code,
                    cat && !strcmp(cat, code) ? " selected" : "",
                    json_string_value(json_object_get(c, r->lang == LANG_EN ? "name_en" : "name")));
    }
    html_printf(o,
                "</select></div></div><div class=\"row\"><div><label for=\"lead-%lld\">%s</label>"
                "<select id=\"lead-%lld\" name=\"lead_unit_id\"" PAGE_UNIT_FILTER "=\"%s\">"
                "<option value=\"\">%s</option>",
                id, T(r, "hazard.lead_unit"), id, T(r, "units.filter"), T(r, "hazard.by_routing"));
    select_units(r, units, json_is_integer(prop) ? json_integer_value(prop) : 0);
    html_printf(o,
                "</select></div><div><label for=\"deadline-%lld\">%s</label><input"
                " id=\"deadline-%lld\" name=\"deadline\" type=\"date\" value=\"%s\" required>"
                "<small>%s</small></div></div><details><summary>%s</summary>",
                id, T(r, "item.deadline"), id, triage_deadline(r, h), T(r, "hazard.deadline_hint"),
                T(r, "hazard.plan"));
    for (int k = 0; k < 6; k++)
        html_printf(o,
                    "<label for=\"%s-%lld\">%s</label><textarea id=\"%s-%lld\" name=\"%s\""
                    " rows=\"2\"></textarea>",
                    plan_parts[k], id, i18n_label(r, "plan", plan_parts[k]), plan_parts[k], id,
                    plan_parts[k]);
    html_printf(o,
                "</details><label class=\"check\"><input type=\"checkbox\" name=\"assign\""
                " value=\"1\" checked> %s</label><div class=\"buttons\"><button type=\"submit\""
                " class=\"primary\">%s</button></div></form>",
                T(r, "hazard.assign_now"), T(r, "hazard.triage"));
}

static void triage_item(struct req *r, json_t *h, json_t *cats, json_t *units)
{
    struct buf *o = &r->out;
    const char *place = json_string_value(json_object_get(h, "place"));
    const char *grid = json_string_value(json_object_get(h, "grid"));
    const char *addr = json_string_value(json_object_get(h, "address"));
    const char *prop = json_string_value(json_object_get(h, "proposed_unit"));
    html_printf(
        o, "<li class=\"card hazard\"><h2><a href=\"/items/%lld\">%s</a></h2><p class=\"meta\">",
        (long long)json_integer_value(json_object_get(h, "id")),
        json_string_value(json_object_get(h, "title")));
    page_status(r, json_string_value(json_object_get(h, "status")));
    html_printf(o, " %s <time>%s</time>", json_string_value(json_object_get(h, "category_name")),
                page_time(r, json_string_value(json_object_get(h, "created_at"))));
    if (grid && *grid) html_printf(o, " · %s", grid);
    if (place && *place) html_printf(o, " · %s", place);
    if (addr && *addr) html_printf(o, " · %s", addr);
    html_raw(o, "</p>");
    const char *desc = json_string_value(json_object_get(h, "description"));
    const char *photo = json_string_value(json_object_get(h, "photo_url"));
    if (photo)
        html_printf(o, "<a class=\"thumb\" href=\"%s\"><img src=\"%s\" alt=\"%s\"></a>", photo,
                    photo, T(r, "hazard.report_photo"));
    if (desc && *desc) html_printf(o, "<p class=\"desc\">%s</p>", desc);
    html_printf(o, "<p>%s: <b>%s</b></p>", T(r, "hazard.proposed"),
                prop ? prop : T(r, "hazard.no_route"));
    triage_form(r, h, cats, units);
    html_raw(o, "</li>");
}

static void triage_page(struct req *r, int status, const char *error)
{
    struct db *db = page_db(r);
    if (!db) return;
    struct err e = {0};
    json_t *owner = NULL, *units = page_units(r, &owner);
    if (!units) return;
    json_t *cats = hazard_categories_json(db, &e);
    json_t *list = cats ? hazard_list_json(db, r->actor, "triage", 100, &e) : NULL;
    if (!list) {
        json_decref(owner);
        json_decref(cats);
        page_fail(r, &e);
        return;
    }
    struct buf *o = &r->out;
    layout_begin(r, T(r, "hazard.title"), NAV_NONE, NULL);
    html_raw(&r->out, "<link rel=\"stylesheet\" href=\"/static/hazard.css\">");
    html_printf(o, "<h1>%s</h1><p class=\"muted\">%s</p>", T(r, "hazard.title"),
                T(r, "hazard.intro"));
    if (error) html_printf(o, "<p class=\"alert\" role=\"alert\">%s</p>", error);
    const char *done = req_query(r, "done");
    if (!error && done)
        html_printf(o, "<p class=\"ok\" role=\"status\">%s #%s</p>", T(r, "hazard.done"), done);
    json_t *arr = json_object_get(list, "hazards");
    if (!json_array_size(arr)) html_printf(o, "<p class=\"card\">%s</p>", T(r, "hazard.empty"));
    html_raw(o, "<ul class=\"hazards\">");
    size_t i;
    json_t *h;
    json_array_foreach(arr, i, h) triage_item(r, h, json_object_get(cats, "categories"), units);
    html_raw(o, "</ul>");
    json_decref(list);
    json_decref(cats);
    json_decref(owner);
    layout_end(r, status);
}

void web_hazards(struct req *r)
{
    triage_page(r, 200, NULL);
}

/* Triage, and assign in the same transaction unless the form says not to. */
struct triage_job {
    struct write_job job;
    struct batch_action acts[2];
    size_t n;
    int64_t failed;
};

static int triage_run(struct db *db, struct write_job *j)
{
    struct triage_job *x = WRITE_OF(j, struct triage_job);
    return batch_act(db, j->actor, x->acts, x->n, &x->failed, &j->e);
}

static void triage_refused(struct req *r, struct write_job *j)
{
    triage_page(r, j->e.status,
                arena_printf(r->arena, "#%lld%s%s", (long long)j->id, T(r, "colon"),
                             req_err_text(r, &j->e)));
}

static void triage_release(struct write_job *j)
{
    struct triage_job *x = WRITE_OF(j, struct triage_job);
    batch_free(x->acts, x->n);
}

static const struct write_ops triage_ops = {.what = "triaging",
                                            .run = triage_run,
                                            .next = "/hazards?done=",
                                            .refused = triage_refused,
                                            .release = triage_release};

/* The form as the triage action's body (numbers where core wants them, the
 * text itself where it is not one, so core refuses it in its words). */
static json_t *triage_body(struct req *r)
{
    json_t *b = json_pack("{s:s}", "action", "triage");
    const char *v;
    static const char *const texts[] = {"level", "category", "deadline"};
    for (int k = 0; k < 3; k++)
        if ((v = req_form(r, texts[k])) && *v) json_object_set_new(b, texts[k], json_string(v));
    int64_t unit;
    if ((v = req_form(r, "lead_unit_id")) && *v)
        json_object_set_new(b, "lead_unit_id",
                            str_to_int64(v, strlen(v), &unit) ? json_string(v)
                                                              : json_integer(unit));
    json_t *plan = json_object();
    for (int k = 0; k < 6; k++)
        if ((v = req_form(r, plan_parts[k])) && *v)
            json_object_set_new(plan, plan_parts[k], json_string(v));
    if (json_object_size(plan)) json_object_set(b, "plan", plan);
    json_decref(plan);
    return b;
}

void web_hazard_triage(struct req *r)
{
    struct triage_job *x = WRITE_NEW(r, struct triage_job, &triage_ops);
    const char *assign = req_form(r, "assign");
    x->job.id = r->params[0];
    x->acts[x->n++] = (struct batch_action){r->params[0], triage_body(r), 0};
    if (assign && !strcmp(assign, "1"))
        x->acts[x->n++] =
            (struct batch_action){r->params[0], json_pack("{s:s}", "action", "assign"), 0};
    write_start(r, &x->job);
}

/* ---- one hazard: what the report and the loop recorded, with photos ---- */

static void view_row(struct req *r, const char *key, const char *value)
{
    if (value && *value) html_printf(&r->out, "<dt>%s</dt><dd>%s</dd>", T(r, key), value);
}

/* The acceptance due date, with its light while a major hazard waits for
 * its acceptance (red once past: defect 13 of issue 17). */
static void view_acceptance(struct req *r, json_t *h)
{
    const char *due = json_string_value(json_object_get(h, "acceptance_due"));
    const char *light = json_string_value(json_object_get(h, "acceptance_light"));
    if (!due || !light) {
        view_row(r, "hazard.acceptance_due", due);
        return;
    }
    html_printf(&r->out, "<dt>%s</dt><dd class=\"acceptance\">%s ", T(r, "hazard.acceptance_due"),
                due);
    page_light(r, light);
    if (!strcmp(light, "red"))
        html_printf(&r->out, " <span class=\"tag late\">%s</span>", T(r, "hazard.acceptance_late"));
    html_raw(&r->out, "</dd>");
}

static void view_plan(struct req *r, json_t *plan)
{
    if (!json_is_object(plan)) return;
    html_printf(&r->out, "<section class=\"card hz\"><h2>%s</h2><dl>", T(r, "hazard.plan"));
    for (int k = 0; k < 6; k++)
        html_printf(&r->out, "<dt>%s</dt><dd>%s</dd>", i18n_label(r, "plan", plan_parts[k]),
                    json_string_value(json_object_get(plan, plan_parts[k])));
    html_raw(&r->out, "</dl></section>");
}

static void view_photos(struct req *r, json_t *photos)
{
    if (!json_array_size(photos)) return;
    html_printf(&r->out, "<section class=\"card\"><h2>%s</h2><div class=\"photos\">",
                T(r, "report.photo"));
    size_t i;
    json_t *p;
    json_array_foreach(photos, i, p)
    {
        const char *phase = json_string_value(json_object_get(p, "phase"));
        html_printf(&r->out,
                    "<figure><img src=\"%s\" alt=\"%s\"><figcaption>%s</figcaption></figure>",
                    json_string_value(json_object_get(p, "url")), i18n_label(r, "phase", phase),
                    i18n_label(r, "phase", phase));
    }
    html_raw(&r->out, "</div></section>");
}

/* The listing notice (挂牌督办通知) of a listed major hazard, and its delisting. */
static void view_listing(struct req *r, json_t *item, json_t *h)
{
    const char *listed = json_string_value(json_object_get(h, "listed_at"));
    if (!listed) return;
    struct buf *o = &r->out;
    const char *delisted = json_string_value(json_object_get(h, "delisted_at"));
    html_printf(o,
                "<section class=\"card hz listing\"><h2>%s</h2><p>%s</p><dl>"
                "<dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd>"
                "<dt>%s</dt><dd>%s</dd>",
                T(r, "hazard.listing_title"), T(r, "hazard.listing_body"), T(r, "hazard.lead_unit"),
                json_string_value(json_object_get(json_object_get(item, "lead_unit"), "name")),
                T(r, "hazard.name"), json_string_value(json_object_get(item, "title")),
                T(r, "item.deadline"), json_string_value(json_object_get(item, "deadline")),
                T(r, "hazard.listed_at"), page_time(r, listed));
    if (delisted)
        html_printf(o, "<dt>%s</dt><dd>%s</dd>", T(r, "hazard.delisted_at"),
                    page_time(r, delisted));
    html_raw(o, "</dl></section>");
}

void web_hazard_view(struct req *r)
{
    struct db *db = page_db(r);
    if (!db) return;
    struct err e = {0};
    json_t *item = item_get_json(db, r->actor, r->params[0], &e);
    json_t *h = item ? hazard_json(db, r->params[0], &e) : NULL;
    if (!h) {
        json_decref(item);
        page_fail(r, &e);
        return;
    }
    struct buf *o = &r->out;
    const char *title = json_string_value(json_object_get(item, "title"));
    layout_begin(r, title, NAV_NONE, NULL);
    html_raw(o, "<link rel=\"stylesheet\" href=\"/static/hazard.css\">");
    html_printf(o, "<h1>%s</h1><p>", title);
    page_status(r, json_string_value(json_object_get(item, "status")));
    html_printf(o, " <a href=\"/items/%lld\">%s</a></p><section class=\"card hz\"><dl>",
                (long long)r->params[0], T(r, "hazard.item_page"));
    json_t *lead = json_object_get(item, "lead_unit");
    const char *level = json_string_value(json_object_get(h, "level"));
    view_row(r, "report.category",
             json_string_value(
                 json_object_get(h, r->lang == LANG_EN ? "category_name_en" : "category_name")));
    view_row(r, "hazard.level",
             level ? T(r, !strcmp(level, "major") ? "hazard.major" : "hazard.general") : NULL);
    view_row(r, "report.description", json_string_value(json_object_get(item, "description")));
    view_row(r, "report.address", json_string_value(json_object_get(h, "address")));
    json_t *lat = json_object_get(h, "lat"), *lon = json_object_get(h, "long");
    if (json_is_number(lat) && json_is_number(lon))
        view_row(
            r, "hazard.position",
            arena_printf(r->arena, "%.6f, %.6f", json_number_value(lat), json_number_value(lon)));
    view_row(r, "hazard.lead_unit", json_string_value(json_object_get(lead, "name")));
    view_row(r, "item.deadline", json_string_value(json_object_get(item, "deadline")));
    view_acceptance(r, h);
    view_row(r, "hazard.listed_at",
             page_time(r, json_string_value(json_object_get(h, "listed_at"))));
    view_row(r, "hazard.delisted_at",
             page_time(r, json_string_value(json_object_get(h, "delisted_at"))));
    json_t *dup = json_object_get(h, "duplicate_of");
    if (json_is_integer(dup))
        html_printf(o, "<dt>%s</dt><dd><a href=\"/hazards/%lld\">#%lld</a></dd>",
                    T(r, "hazard.duplicate_of"), (long long)json_integer_value(dup),
                    (long long)json_integer_value(dup));
    html_raw(o, "</dl></section>");
    view_listing(r, item, h);
    view_plan(r, json_object_get(h, "plan"));
    view_photos(r, json_object_get(h, "photos"));
    json_decref(h);
    json_decref(item);
    layout_end(r, 200);
}
