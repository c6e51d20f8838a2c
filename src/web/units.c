/* units.c — the unit page: every unit as a tree, indented by parent, with
 * its kind and code, a link to the items it leads or cooperates on, and
 * whether its clerks' reports wait for the unit head's review (报送审核,
 * core/review.h), which the office turns on or off here.  Adding units is
 * the CLI's and the API's for now. */
#include <string.h>

#include "core/review.h"
#include "web/page.h"
#include "web/web.h"

#define UNITS_MAX_DEPTH 12

static int64_t unit_parent(json_t *u)
{
    json_t *p = json_object_get(u, "parent_id");
    return json_is_integer(p) ? json_integer_value(p) : 0;
}

/* 1 when id is in the array ids. */
static int id_in(json_t *ids, int64_t id)
{
    size_t i;
    json_t *v;
    json_array_foreach(ids, i, v) if (json_integer_value(v) == id) return 1;
    return 0;
}

/* The unit's review mark, and the office's switch for it. */
static void unit_review(struct req *r, int64_t id, int on)
{
    struct buf *o = &r->out;
    if (on) html_printf(o, "<span class=\"kind k-review\">%s</span>", T(r, "units.review"));
    if (!(r->actor->roles & (ROLE_ADMIN | ROLE_SUPERVISOR))) return;
    html_printf(o,
                "<form method=\"post\" action=\"/units/%lld/review\" class=\"inline\">"
                "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                "<input type=\"hidden\" name=\"on\" value=\"%d\">"
                "<button type=\"submit\">%s</button></form>",
                (long long)id, r->session.csrf, !on,
                T(r, on ? "units.review_off" : "units.review_on"));
}

/* The children of parent (0 = the roots), depth first; done marks units
 * already written so a broken tree can never loop; rev the ids of the
 * units under review. */
static void units_tree(struct req *r, json_t *units, int64_t parent, int depth, char *done,
                       json_t *rev)
{
    struct buf *o = &r->out;
    size_t i;
    json_t *u;
    int opened = 0;
    json_array_foreach(units, i, u)
    {
        if (done[i] || unit_parent(u) != parent) continue;
        done[i] = 1;
        if (!opened && depth)
            html_raw(o, "<ul>");
        else if (!opened)
            html_raw(o, "<ul class=\"tree\">");
        opened = 1;
        const char *kind = json_string_value(json_object_get(u, "kind"));
        int64_t id = json_integer_value(json_object_get(u, "id"));
        html_printf(o,
                    "<li><div class=\"node\"><a href=\"/items?unit=%lld\">%s</a>"
                    "<span class=\"kind k-%s\">%s</span><code>%s</code>",
                    (long long)id, json_string_value(json_object_get(u, "name")), kind,
                    i18n_label(r, "unit_kind", kind),
                    json_string_value(json_object_get(u, "code")));
        unit_review(r, id, id_in(rev, id));
        html_raw(o, "</div>");
        if (depth < UNITS_MAX_DEPTH) units_tree(r, units, id, depth + 1, done, rev);
        html_raw(o, "</li>");
    }
    if (opened) html_raw(o, "</ul>");
}

void web_units(struct req *r)
{
    json_t *owner;
    json_t *units = page_units(r, &owner);
    if (!units) return;
    struct db *db = page_db(r);
    json_t *rev = db ? review_units_json(db) : NULL;
    if (!rev) {
        json_decref(owner);
        if (db) web_error_page(r, 503, "the units cannot be read");
        return;
    }
    size_t n = json_array_size(units);
    char *done = arena_alloc(r->arena, n + 1);
    layout_begin(r, T(r, "units.title"), NAV_UNITS, NULL);
    struct buf *o = &r->out;
    html_printf(o, "<h1>%s <small>%s %zu</small></h1><section class=\"card\">", T(r, "units.title"),
                T(r, "units.count"), n);
    if (!n) html_printf(o, "<p class=\"empty\">%s</p>", T(r, "units.empty"));
    units_tree(r, units, 0, 0, done, rev);
    /* units whose parent is missing from the list still show, at the root */
    size_t i;
    json_t *u;
    json_array_foreach(units, i, u)
    {
        if (!done[i]) units_tree(r, units, unit_parent(u), 0, done, rev);
    }
    html_raw(o, "</section>");
    json_decref(owner);
    json_decref(rev);
    layout_end(r, 200);
}
