/* item.c — one item's page: its fields, units, metric and progress, light,
 * the actions the viewer may take (listed; the action forms come with the
 * lifecycle pages), and the timeline from its event chain.
 * Visibility is item_get_json's: a 403 or 404 from core becomes the error
 * page, and the events are read only after it said yes. */
#include <string.h>

#include "core/event.h"
#include "core/item.h"
#include "web/page.h"
#include "web/web.h"

/* One <dt>/<dd> pair with text (escaped) as the value. */
static void field(struct req *r, const char *key, const char *text)
{
    html_printf(&r->out, "<dt>%s</dt><dd>%s</dd>", T(r, key), text && *text ? text : "—");
}

static void item_units(struct req *r, json_t *item, json_t *units)
{
    struct buf *o = &r->out;
    field(r, "item.lead_unit",
          json_string_value(json_object_get(json_object_get(item, "lead_unit"), "name")));
    html_printf(o, "<dt>%s</dt><dd>", T(r, "item.co_units"));
    json_t *co = json_object_get(item, "co_unit_ids");
    if (!json_array_size(co)) html_raw(o, "—");
    size_t i;
    json_t *u;
    json_array_foreach(co, i, u)
    {
        const char *name = page_unit_name(units, json_integer_value(u));
        html_printf(o, "<span class=\"chip\">%s</span>", name ? name : "?");
    }
    html_raw(o, "</dd>");
}

static void item_metric(struct req *r, json_t *item)
{
    struct buf *o = &r->out;
    json_t *m = json_object_get(item, "metric");
    json_int_t progress = json_integer_value(json_object_get(item, "progress"));
    html_printf(o,
                "<dt>%s</dt><dd><progress max=\"100\" value=\"%lld\">%lld%%</progress> "
                "<b>%lld%%</b></dd>",
                T(r, "item.progress"), (long long)progress, (long long)progress,
                (long long)progress);
    if (!json_is_object(m)) return;
    const char *unit = json_string_value(json_object_get(m, "unit"));
    json_t *val = json_object_get(m, "value");
    html_printf(o, "<dt>%s</dt><dd>%s %g %s", T(r, "item.metric"), T(r, "item.target"),
                json_number_value(json_object_get(m, "target")), unit ? unit : "");
    if (json_is_number(val))
        html_printf(o, " · %s %g %s", T(r, "item.current"), json_number_value(val),
                    unit ? unit : "");
    html_raw(o, "</dd>");
}

static void item_fields(struct req *r, json_t *item, json_t *units)
{
    struct buf *o = &r->out;
    html_raw(o, "<dl class=\"fields\">");
    field(r, "item.kind", i18n_label(r, "kind", json_string_value(json_object_get(item, "kind"))));
    field(r, "item.source",
          i18n_label(r, "source", json_string_value(json_object_get(item, "source"))));
    item_units(r, item, units);
    field(r, "item.deadline", json_string_value(json_object_get(item, "deadline")));
    field(r, "item.feedback_cycle",
          i18n_label(r, "cycle", json_string_value(json_object_get(item, "feedback_cycle"))));
    item_metric(r, item);
    json_t *parent = json_object_get(item, "parent_id");
    if (json_is_integer(parent))
        html_printf(o, "<dt>%s</dt><dd><a href=\"/items/%lld\">#%lld</a></dd>", T(r, "item.parent"),
                    (long long)json_integer_value(parent), (long long)json_integer_value(parent));
    web_meeting_link(r, json_integer_value(json_object_get(item, "id")));
    field(r, "item.created", page_time(r, json_string_value(json_object_get(item, "created_at"))));
    field(r, "item.updated", page_time(r, json_string_value(json_object_get(item, "updated_at"))));
    html_raw(o, "</dl>");
}

static void item_actions(struct req *r, json_t *item)
{
    struct buf *o = &r->out;
    json_t *acts = json_object_get(item, "allowed_actions");
    html_printf(o, "<section class=\"card acts\"><h2>%s</h2>", T(r, "item.actions"));
    if (!json_array_size(acts)) {
        html_printf(o, "<p class=\"empty\">%s</p></section>", T(r, "item.no_actions"));
        return;
    }
    html_raw(o, "<ul class=\"actions\">");
    size_t i;
    json_t *a;
    json_array_foreach(acts, i, a)
    {
        const char *name = json_string_value(a);
        html_printf(o, "<li class=\"a-%s\">%s</li>", name, i18n_label(r, "action", name));
    }
    html_printf(o, "</ul><p class=\"note\">%s</p></section>", T(r, "item.actions_note"));
}

/* An event's data as "label: value" pairs. */
static void event_data(struct req *r, json_t *data, json_t *units)
{
    struct buf *o = &r->out;
    const char *key;
    json_t *v;
    html_raw(o, "<dl class=\"data\">");
    json_object_foreach(data, key, v)
    {
        if (!strcmp(key, "description")) continue; /* the page shows it in full above */
        html_printf(o, "<dt>%s</dt><dd>%s</dd>", i18n_label(r, "field", key),
                    page_json_text(r, v, units, key));
    }
    html_raw(o, "</dl>");
}

static void item_timeline(struct req *r, json_t *events, json_t *units)
{
    struct buf *o = &r->out;
    html_printf(o, "<section class=\"card events\"><h2>%s</h2>", T(r, "item.timeline"));
    if (!json_array_size(events)) html_printf(o, "<p class=\"empty\">%s</p>", T(r, "ev.empty"));
    html_raw(o, "<ol class=\"timeline\">");
    size_t i;
    json_t *ev;
    json_array_foreach(events, i, ev)
    {
        const char *action = json_string_value(json_object_get(ev, "action"));
        html_printf(o,
                    "<li class=\"a-%s\"><div class=\"head\"><b>%s</b> <span class=\"by\">%s"
                    "</span><time datetime=\"%s\">%s</time></div>",
                    action, i18n_label(r, "action", action),
                    json_string_value(json_object_get(ev, "actor")),
                    json_string_value(json_object_get(ev, "at")),
                    page_time(r, json_string_value(json_object_get(ev, "at"))));
        event_data(r, json_object_get(ev, "data"), units);
        html_raw(o, "</li>");
    }
    html_raw(o, "</ol></section>");
}

static void item_render(struct req *r, json_t *item, json_t *events, json_t *units)
{
    struct buf *o = &r->out;
    const char *title = json_string_value(json_object_get(item, "title"));
    const char *desc = json_string_value(json_object_get(item, "description"));
    layout_begin(r, title, NAV_ITEMS, NULL);
    html_printf(o,
                "<p class=\"crumbs\"><a href=\"/items\">%s</a> › #%lld</p>"
                "<h1 class=\"item-title\">%s</h1><p class=\"badges\">",
                T(r, "items.title"), (long long)json_integer_value(json_object_get(item, "id")),
                title);
    page_light(r, json_string_value(json_object_get(item, "light")));
    page_status(r, json_string_value(json_object_get(item, "status")));
    html_raw(o, "</p><div class=\"item-grid\"><section class=\"card details\">");
    if (desc && *desc) html_printf(o, "<div class=\"desc\">%s</div>", desc);
    item_fields(r, item, units);
    html_raw(o, "</section>");
    item_actions(r, item);
    item_timeline(r, events, units);
    html_raw(o, "</div>");
    layout_end(r, 200);
}

void web_item(struct req *r)
{
    struct err e = {0};
    json_t *owner, *item = NULL, *ev = NULL;
    json_t *units = page_units(r, &owner);
    if (!units) return;
    struct db *db = req_db(r);
    item = item_get_json(db, r->actor, r->params[0], &e);
    if (item) ev = event_list_json(db, r->params[0], &e);
    if (!item || !ev)
        page_fail(r, &e);
    else
        item_render(r, item, json_object_get(ev, "events"), units);
    json_decref(ev);
    json_decref(item);
    json_decref(owner);
}
