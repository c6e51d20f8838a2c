/* history.c — the admin section's change history (变更记录): the
 * configuration chain (core/config_chain.h) newest first, all sections or
 * one, each change with who, when, the fields it changed and the row before
 * and after.  Read-only; supervisors and admins see it (the route table).
 * A password shows only as changed; the chain keeps its hash's digest. */
#include <string.h>

#include "core/config_chain.h"
#include "util/str.h"
#include "web/page.h"
#include "web/web.h"

#define HISTORY_PAGE 50

/* The section filter: a link per section, the current one marked. */
static void history_filter(struct req *r, const char *section)
{
    struct buf *o = &r->out;
    html_printf(o, "<nav class=\"tabs\" aria-label=\"%s\"><a href=\"/admin/history\"",
                T(r, "history.sections"));
    if (!section) html_raw(o, " class=\"on\"");
    html_printf(o, ">%s</a>", T(r, "history.all"));
    for (int s = 0; s < CONFIG_SECTIONS; s++) {
        const char *name = config_section_name((enum config_section)s);
        html_printf(o, "<a href=\"/admin/history?section=%s\"", name);
        if (section && !strcmp(section, name)) html_raw(o, " class=\"on\"");
        html_printf(o, ">%s</a>", i18n_label(r, "section", name));
    }
    html_raw(o, "</nav>");
}

/* A row as compact JSON text (escaped by html_printf's %s). */
static const char *row_text(struct req *r, json_t *row)
{
    if (!json_is_object(row)) return "—";
    char *s = json_dumps(row, JSON_COMPACT | JSON_SORT_KEYS);
    const char *t = arena_printf(r->arena, "%s", s ? s : "");
    free(s);
    return t;
}

static void history_row(struct req *r, json_t *ev)
{
    const char *section = json_string_value(json_object_get(ev, "section"));
    int whole = section && !strcmp(section, "*");
    json_t *changed = json_object_get(ev, "changed"), *f;
    size_t i;
    struct buf *o = &r->out;
    html_printf(o, "<tr><td>%lld</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>",
                (long long)json_integer_value(json_object_get(ev, "seq")),
                page_time(r, json_string_value(json_object_get(ev, "at"))),
                json_string_value(json_object_get(ev, "actor")),
                whole ? T(r, "history.all") : i18n_label(r, "section", section),
                json_string_value(json_object_get(ev, "key")),
                json_string_value(json_object_get(ev, "action")));
    json_array_foreach(changed, i, f)
        html_printf(o, "%s<code>%s</code>", i ? " " : "", json_string_value(f));
    if (whole)
        html_printf(o, "</td><td colspan=\"2\">%s</td></tr>",
                    row_text(r, json_object_get(ev, "rows")));
    else
        html_printf(o, "</td><td><small>%s</small></td><td><small>%s</small></td></tr>",
                    row_text(r, json_object_get(ev, "before")),
                    row_text(r, json_object_get(ev, "after")));
}

static void history_table(struct req *r, json_t *v, const char *section, int64_t offset)
{
    struct buf *o = &r->out;
    html_printf(o,
                "<section class=\"card\"><table class=\"admin\"><thead><tr><th>#</th><th>%s</th>"
                "<th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th>"
                "</tr></thead><tbody>",
                T(r, "admin.at"), T(r, "history.actor"), T(r, "history.section"),
                T(r, "history.key"), T(r, "admin.action"), T(r, "history.changed"),
                T(r, "history.before"), T(r, "history.after"));
    size_t i;
    json_t *ev;
    json_array_foreach(json_object_get(v, "events"), i, ev) history_row(r, ev);
    html_raw(o, "</tbody></table>");
    if (!json_array_size(json_object_get(v, "events")))
        html_printf(o, "<p class=\"empty\">%s</p>", T(r, "admin.none"));
    int64_t total = json_integer_value(json_object_get(v, "total_count"));
    if (offset + HISTORY_PAGE < total)
        html_printf(o, "<p><a href=\"/admin/history?section=%s&amp;offset=%lld\">%s</a></p>",
                    section ? section : "", (long long)(offset + HISTORY_PAGE),
                    T(r, "history.older"));
    html_raw(o, "</section>");
}

void web_admin_history(struct req *r)
{
    const char *section = req_query(r, "section"), *off = req_query(r, "offset");
    int64_t offset = 0;
    if (section && !*section) section = NULL;
    if ((section && config_section_find(section) < 0) ||
        (off && *off && (str_to_int64(off, strlen(off), &offset) || offset < 0))) {
        web_error_page(r, 422, "section must be one of the configuration's sections");
        return;
    }
    struct db *db = page_db(r);
    if (!db) return;
    struct err e = {0};
    json_t *v = config_chain_list_json(db, section, offset, HISTORY_PAGE, &e);
    if (!v) {
        page_fail(r, &e);
        return;
    }
    layout_begin(r, T(r, "admin.history"), NAV_NONE, NULL);
    html_printf(&r->out, "<h1>%s</h1>", T(r, "admin.history"));
    web_admin_tabs(r, "/admin/history");
    html_printf(&r->out, "<p>%s</p>", T(r, "history.hint"));
    history_filter(r, section);
    history_table(r, v, section, offset);
    json_decref(v);
    layout_end(r, 200);
}
