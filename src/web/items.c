/* items.c — the item list page (the supervisor's board): filters as a plain
 * GET form (kind, status, light, source, unit, deadline range, words), the
 * order (newest, by light, by deadline), the total, one page of 25 rows and
 * the pager.
 * Parsing and validating the filters is core's item_filter_parse, the same
 * as for GET /api/v1/items, so the page and the API cannot disagree. */
#include <string.h>

#include "core/item.h"
#include "core/kind.h"
#include "web/page.h"
#include "web/web.h"

static const char *const statuses[] = {"draft",     "assigned", "accepted",  "in_progress",
                                       "submitted", "returned", "suspended", "done",
                                       "archived",  "cancelled"};
static const char *const lights[] = {"red", "yellow", "green", "none"};
/* enum item_sort's names, in its order (the first is the default). */
static const char *const sorts[] = {"new", "light", "deadline"};
static const char *const sources[] = {"meeting",  "plan",   "instruction",
                                      "campaign", "report", "import"};

/* A query parameter, with an empty one read as absent: the filter form
 * sends every field, "unit=" included, when "any" is chosen. */
static const char *query_get(void *ctx, const char *name)
{
    const char *v = req_query(ctx, name);
    return v && *v ? v : NULL;
}

/* The filters (not the offset) as a URL query string, "" when none. */
static const char *items_query(struct req *r, const struct item_filter *f)
{
    struct buf b;
    buf_init(&b, 4096);
    const char *names[] = {"kind", "status",        "light",       "source",
                           "q",    "deadline_from", "deadline_to", "sort"};
    const char *vals[] = {
        f->kind, f->status,        f->light,       f->source,
        f->q,    f->deadline_from, f->deadline_to, f->sort ? sorts[f->sort] : NULL};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (!vals[i]) continue;
        buf_printf(&b, "%s%s=", b.len ? "&" : "", names[i]);
        html_url(&b, vals[i]);
    }
    if (f->unit_id) buf_printf(&b, "%sunit=%lld", b.len ? "&" : "", (long long)f->unit_id);
    const char *s = arena_strdup(r->arena, buf_cstr(&b));
    buf_free(&b);
    return s;
}

/* A <select> of contract values with their labels; cur is selected. */
static void items_select(struct req *r, const char *name, const char *prefix,
                         const char *const *vals, size_t n, const char *cur)
{
    struct buf *o = &r->out;
    html_printf(o, "<label><span>%s</span><select name=\"%s\"><option value=\"\">%s</option>",
                T(r, arena_printf(r->arena, "item.%s", name)), name, T(r, "filter.any"));
    for (size_t i = 0; i < n; i++)
        html_printf(o, "<option value=\"%s\"%s>%s</option>", vals[i],
                    cur && !strcmp(cur, vals[i]) ? " selected" : "",
                    i18n_label(r, prefix, vals[i]));
    html_raw(o, "</select></label>");
}

static void items_unit_select(struct req *r, json_t *units, int64_t cur)
{
    struct buf *o = &r->out;
    html_printf(o, "<label><span>%s</span><select name=\"unit\"><option value=\"\">%s</option>",
                T(r, "field.unit_id"), T(r, "filter.any"));
    size_t i;
    json_t *u;
    json_array_foreach(units, i, u)
    {
        int64_t id = json_integer_value(json_object_get(u, "id"));
        html_printf(o, "<option value=\"%lld\"%s>%s</option>", (long long)id,
                    id == cur ? " selected" : "", json_string_value(json_object_get(u, "name")));
    }
    html_raw(o, "</select></label>");
}

static void items_filters(struct req *r, const struct item_filter *f, json_t *units)
{
    struct buf *o = &r->out;
    html_raw(o, "<form class=\"filters card\" method=\"get\" action=\"/items\">");
    html_printf(o,
                "<label class=\"q\"><span>%s</span><input type=\"search\" name=\"q\" "
                "value=\"%s\" maxlength=\"200\"></label>",
                T(r, "filter.q"), f->q ? f->q : "");
    const char *kinds[16]; /* the kind table's names */
    size_t nk = 0;
    for (; nk < kind_count() && nk < 16; nk++)
        kinds[nk] = kind_at(nk)->name;
    items_select(r, "kind", "kind", kinds, nk, f->kind);
    items_select(r, "status", "status", statuses, sizeof statuses / sizeof statuses[0], f->status);
    items_select(r, "light", "light", lights, sizeof lights / sizeof lights[0], f->light);
    items_select(r, "source", "source", sources, sizeof sources / sizeof sources[0], f->source);
    items_unit_select(r, units, f->unit_id);
    html_printf(o,
                "<label><span>%s</span><input type=\"date\" name=\"deadline_from\" value=\"%s\">"
                "</label><label><span>%s</span><input type=\"date\" name=\"deadline_to\" "
                "value=\"%s\"></label>",
                T(r, "filter.deadline_from"), f->deadline_from ? f->deadline_from : "",
                T(r, "filter.deadline_to"), f->deadline_to ? f->deadline_to : "");
    html_printf(o, "<label><span>%s</span><select name=\"sort\">", T(r, "filter.sort"));
    for (size_t i = 0; i < sizeof sorts / sizeof sorts[0]; i++)
        html_printf(o, "<option value=\"%s\"%s>%s</option>", i ? sorts[i] : "",
                    (size_t)f->sort == i ? " selected" : "", i18n_label(r, "sort", sorts[i]));
    html_raw(o, "</select></label>");
    html_printf(o,
                "<div class=\"buttons\"><button type=\"submit\" class=\"primary\">%s</button>"
                "<a class=\"button\" href=\"/items\">%s</a></div></form>",
                T(r, "filter.apply"), T(r, "filter.reset"));
}

static void items_pager(struct req *r, const struct item_filter *f, json_int_t total, size_t shown,
                        const char *q)
{
    struct buf *o = &r->out;
    const char *sep = *q ? "&" : "";
    html_printf(o, "<nav class=\"pager\" aria-label=\"%s\"><span>%lld–%lld / %lld</span>",
                T(r, "nav.pages"), (long long)(shown ? f->offset + 1 : 0),
                (long long)(f->offset + (int64_t)shown), (long long)total);
    if (f->offset > 0) {
        int64_t prev = f->offset > f->limit ? f->offset - f->limit : 0;
        html_printf(o, "<a class=\"button\" rel=\"prev\" href=\"/items?%s%soffset=%lld\">← %s</a>",
                    q, sep, (long long)prev, T(r, "items.prev"));
    }
    if (f->offset + (int64_t)shown < total)
        html_printf(o, "<a class=\"button\" rel=\"next\" href=\"/items?%s%soffset=%lld\">%s →</a>",
                    q, sep, (long long)(f->offset + f->limit), T(r, "items.next"));
    html_raw(o, "</nav>");
}

/* The links that download the whole filtered list (GET /api/v1/items with
 * format=xlsx|csv: the same filters, the same permissions, every page). */
static void items_exports(struct req *r, const char *q)
{
    const char *sep = *q ? "&" : "";
    html_printf(&r->out,
                "<p class=\"exports\">%s<a class=\"button\" href=\"/api/v1/items?%s%sformat=xlsx\">"
                "%s</a> <a class=\"button\" href=\"/api/v1/items?%s%sformat=csv\">%s</a></p>",
                T(r, "items.export"), q, sep, T(r, "items.export_xlsx"), q, sep,
                T(r, "items.export_csv"));
}

void web_items(struct req *r)
{
    struct item_filter f;
    struct err e = {0};
    if (item_filter_parse(query_get, r, &f, &e)) {
        page_fail(r, &e);
        return;
    }
    json_t *owner;
    json_t *units = page_units(r, &owner);
    if (!units) return;
    json_t *v = item_list_json(req_db(r), r->actor, &f, &e);
    if (!v) {
        json_decref(owner);
        page_fail(r, &e);
        return;
    }
    const char *q = items_query(r, &f);
    const char *self =
        f.offset ? arena_printf(r->arena, "%s%soffset=%lld", q, *q ? "&" : "", (long long)f.offset)
                 : q;
    json_t *items = json_object_get(v, "items");
    json_int_t total = json_integer_value(json_object_get(v, "total_count"));
    layout_begin(r, T(r, "items.title"), NAV_ITEMS, self);
    struct buf *o = &r->out;
    html_printf(o, "<h1>%s <small>%s %lld</small></h1>", T(r, "items.title"), T(r, "items.total"),
                (long long)total);
    items_filters(r, &f, units);
    items_exports(r, q);
    html_raw(o, "<section class=\"card list\">");
    if (json_array_size(items))
        page_item_table(r, items);
    else
        html_printf(o, "<p class=\"empty\">%s</p>", T(r, "items.empty"));
    items_pager(r, &f, total, json_array_size(items), q);
    html_raw(o, "</section>");
    json_decref(v);
    json_decref(owner);
    layout_end(r, 200);
}
