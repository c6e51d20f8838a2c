/* meeting.c — a meeting's page (/meetings/{id}): what was read, its items,
 * and every paragraph with an anchor (#p12) that the items link back to; and
 * the line on an item's page that leads to its paragraph.  People count
 * paragraphs from 1: the numbers shown (the margin's, ¶13) are the index + 1,
 * while anchors keep the 0-based index the API's "paragraph" gives (#p12).
 * The meeting text is the city's, shown to anyone logged in; the items listed
 * are those core/meeting.c lets the viewer see. */
#include <string.h>

#include "core/meeting.h"
#include "web/page.h"
#include "web/web.h"

/* The items of paragraph idx, by where their directive text stands in it,
 * as <mark>s linking to the item; the rest of the text escaped. */
static void meeting_para(struct req *r, json_t *para, json_t *items)
{
    struct buf *o = &r->out;
    json_int_t idx = json_integer_value(json_object_get(para, "index"));
    const char *text = json_string_value(json_object_get(para, "text"));
    size_t at = 0, len = strlen(text);
    html_printf(o, "<p id=\"p%lld\" class=\"para %s\"><a class=\"pn\" href=\"#p%lld\">%lld</a>",
                (long long)idx, json_string_value(json_object_get(para, "kind")), (long long)idx,
                (long long)idx + 1);
    for (;;) { /* the next item text in this paragraph after `at` */
        const char *best = NULL;
        json_t *hit = NULL, *it;
        size_t i;
        json_array_foreach(items, i, it)
        {
            const char *d = json_string_value(json_object_get(it, "description"));
            if (json_integer_value(json_object_get(it, "paragraph")) != idx || !d || !*d) continue;
            const char *p = strstr(text + at, d);
            if (p && (!best || p < best)) best = p, hit = it;
        }
        if (!best) break;
        const char *d = json_string_value(json_object_get(hit, "description"));
        html_escape_n(o, text + at, (size_t)(best - text) - at);
        html_printf(o, "<mark><a href=\"/items/%lld\">",
                    (long long)json_integer_value(json_object_get(hit, "id")));
        html_escape(o, d);
        html_raw(o, "</a></mark>");
        at = (size_t)(best - text) + strlen(d);
    }
    html_escape_n(o, text + at, len - at);
    html_raw(o, "</p>");
}

static void meeting_items(struct req *r, json_t *items, json_t *units)
{
    struct buf *o = &r->out;
    size_t i;
    json_t *it;
    html_printf(o, "<section class=\"card\"><h2>%s <small>%zu</small></h2>", T(r, "meeting.items"),
                json_array_size(items));
    if (!json_array_size(items)) {
        html_printf(o, "<p class=\"empty\">%s</p></section>", T(r, "meeting.no_items"));
        return;
    }
    html_printf(o,
                "<table class=\"items\"><thead><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th>"
                "<th>%s</th></tr></thead><tbody>",
                T(r, "new.title_field"), T(r, "meeting.paragraph"), T(r, "item.lead_unit"),
                T(r, "item.deadline"), T(r, "item.status"));
    json_array_foreach(items, i, it)
    {
        json_int_t id = json_integer_value(json_object_get(it, "id"));
        json_int_t p = json_integer_value(json_object_get(it, "paragraph"));
        const char *unit =
            page_unit_name(units, json_integer_value(json_object_get(it, "lead_unit_id")));
        const char *dl = json_string_value(json_object_get(it, "deadline"));
        html_printf(o,
                    "<tr><td class=\"t\"><a href=\"/items/%lld\">%s</a></td><td><a href=\"#p%lld\">"
                    "¶%lld</a></td><td class=\"u\">%s</td><td class=\"d\">%s</td><td class=\"s\">",
                    (long long)id, json_string_value(json_object_get(it, "title")), (long long)p,
                    (long long)p + 1, unit ? unit : "—", dl ? dl : "—");
        page_status(r, json_string_value(json_object_get(it, "status")));
        html_raw(o, "</td></tr>");
    }
    html_raw(o, "</tbody></table></section>");
}

static void meeting_render(struct req *r, json_t *m, json_t *units)
{
    struct buf *o = &r->out;
    const char *name = json_string_value(json_object_get(m, "name"));
    const char *date = json_string_value(json_object_get(m, "date"));
    const char *chair = json_string_value(json_object_get(m, "chair"));
    const char *title = json_string_value(json_object_get(m, "source_title"));
    json_t *items = json_object_get(m, "items"), *paras = json_object_get(m, "paragraphs"), *p;
    layout_begin(r, name, NAV_NONE, NULL);
    html_raw(o, "<link rel=\"stylesheet\" href=\"/static/intake.css\">");
    html_printf(o, "<p class=\"crumbs\"><a href=\"/intake\">%s</a> › %s #%lld</p><h1>%s</h1>",
                T(r, "intake.title"), T(r, "meeting.title"),
                (long long)json_integer_value(json_object_get(m, "id")), name);
    html_raw(o, "<section class=\"card\"><dl class=\"fields\">");
    html_printf(o, "<dt>%s</dt><dd>%s</dd>", T(r, "meeting.date"), date ? date : "—");
    html_printf(o, "<dt>%s</dt><dd>%s</dd>", T(r, "meeting.chair"), chair ? chair : "—");
    html_printf(o, "<dt>%s</dt><dd>%s</dd>", T(r, "meeting.source"), title ? title : "—");
    html_printf(o, "<dt>%s</dt><dd>%s</dd></dl></section>", T(r, "item.created"),
                page_time(r, json_string_value(json_object_get(m, "created_at"))));
    meeting_items(r, items, units);
    html_printf(o, "<section class=\"card cleaned\"><h2>%s</h2>", T(r, "meeting.text"));
    size_t i;
    json_array_foreach(paras, i, p) meeting_para(r, p, items);
    html_raw(o, "</section>");
    layout_end(r, 200);
}

void web_meeting(struct req *r)
{
    struct err e = {0};
    json_t *owner, *units = page_units(r, &owner);
    if (!units) return;
    json_t *m = meeting_get_json(req_db(r), r->actor, r->params[0], &e);
    if (!m)
        page_fail(r, &e);
    else
        meeting_render(r, m, units);
    json_decref(m);
    json_decref(owner);
}

void web_meeting_link(struct req *r, int64_t item_id)
{
    int64_t mid, para;
    char name[256];
    struct db *db = req_db(r);
    if (!db || meeting_of_item(db, item_id, &mid, &para, name, sizeof name) != 1) return;
    html_printf(&r->out,
                "<dt>%s</dt><dd><a class=\"from-meeting\" href=\"/meetings/%lld#p%lld\">%s · ¶%lld"
                "</a></dd>",
                T(r, "meeting.title"), (long long)mid, (long long)para, name, (long long)para + 1);
}
