/* parts.c — small pieces the pages share: loading what every page needs
 * (the reader connection, the unit list) with the error page as the answer
 * when it fails, and rendering lights, statuses, times and event data.
 * Layout is layout.c's; each page's own markup stays in its file. */
#include <stdlib.h>
#include <string.h>

#include "core/errtext.h"
#include "core/calendar.h"
#include "core/item.h"
#include "core/unit.h"
#include "http/server.h"
#include "http/work.h"
#include "util/time.h"
#include "web/page.h"
#include "web/web.h"

struct db *page_db(struct req *r)
{
    struct db *db = req_db(r);
    if (!db) web_error_page(r, 503, T(r, "login.unavailable"));
    return db;
}

int page_later(struct req *r, void (*fn)(void *), void (*done)(void *), void *ctx)
{
    if (!r->server || !r->server->work) return -1;
    work_pool_submit(r->server->work, fn, done, ctx);
    return 0;
}

struct db_pool *page_pool(struct req *r)
{
    return r->server ? r->server->pool : NULL;
}

void page_fail(struct req *r, const struct err *e)
{
    web_error_page(r, e->status ? e->status : 500, req_err_text(r, e));
}

json_t *page_units(struct req *r, json_t **owner)
{
    struct err e = {0};
    struct db *db = page_db(r);
    *owner = NULL;
    if (!db) return NULL;
    *owner = unit_list_json(db, &e);
    if (!*owner) {
        page_fail(r, &e);
        return NULL;
    }
    return json_object_get(*owner, "units");
}

const char *page_unit_name(json_t *units, int64_t id)
{
    size_t i;
    json_t *u;
    json_array_foreach(units, i, u)
    {
        if (json_integer_value(json_object_get(u, "id")) == id)
            return json_string_value(json_object_get(u, "name"));
    }
    return NULL;
}

void page_field_invalid(struct req *r, const char *name)
{
    char field[64];
    if (!r->form_err || r->form_err->said) return;
    errtext_field(r->form_err, field, sizeof field);
    if (!strcmp(field, name))
        html_raw(&r->out, " aria-invalid=\"true\" aria-describedby=\"form-error\"");
}

/* The kind of unit u's parent, or "" (none, or not among units). */
static const char *unit_parent_kind(json_t *units, json_t *u)
{
    json_t *p = json_object_get(u, "parent_id");
    size_t i;
    json_t *x;
    if (!json_is_integer(p)) return "";
    json_array_foreach(units, i, x)
    {
        if (json_integer_value(json_object_get(x, "id")) == json_integer_value(p))
            return json_string_value(json_object_get(x, "kind"));
    }
    return "";
}

struct unit_opts {
    struct req *r;
    json_t *units;
    const char *cur;
    int by_code;
};

/* Unit u's option, then those of its children of the same kind, depth
 * levels down (a tree is a few levels deep; 8 stops a cycle). */
static void unit_option(const struct unit_opts *x, json_t *u, int depth)
{
    const char *code = json_string_value(json_object_get(u, "code"));
    const char *kind = json_string_value(json_object_get(u, "kind"));
    long long id = (long long)json_integer_value(json_object_get(u, "id"));
    const char *value = x->by_code ? code : arena_printf(x->r->arena, "%lld", id);
    html_printf(&x->r->out, "<option value=\"%s\"%s>%s%s", value,
                x->cur && !strcmp(value, x->cur) ? " selected" : "", depth ? "└ " : "",
                json_string_value(json_object_get(u, "name")));
    if (x->by_code) html_printf(&x->r->out, " (%s)", code);
    html_raw(&x->r->out, "</option>");
    size_t i;
    json_t *c;
    if (depth >= 8) return;
    json_array_foreach(x->units, i, c)
    {
        json_t *p = json_object_get(c, "parent_id");
        if (json_is_integer(p) && json_integer_value(p) == id &&
            !strcmp(json_string_value(json_object_get(c, "kind")), kind))
            unit_option(x, c, depth + 1);
    }
}

static int unit_kind_skipped(const char *kind, const char *const *skip)
{
    for (; skip && *skip; skip++)
        if (!strcmp(kind, *skip)) return 1;
    return 0;
}

void page_unit_options(struct req *r, json_t *units, const char *cur, int by_code,
                       const char *const *skip)
{
    static const char *const kinds[] = {"department", "taskforce",  "town",
                                        "grid",       "enterprise", "university"};
    const struct unit_opts x = {r, units, cur, by_code};
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        if (unit_kind_skipped(kinds[k], skip)) continue;
        size_t i;
        json_t *u;
        int open = 0;
        json_array_foreach(units, i, u)
        {
            /* the group's roots: no parent of the same kind */
            if (strcmp(json_string_value(json_object_get(u, "kind")), kinds[k]) ||
                !strcmp(unit_parent_kind(units, u), kinds[k]))
                continue;
            if (!open++)
                html_printf(&r->out, "<optgroup label=\"%s\">",
                            i18n_label(r, "unit_kind", kinds[k]));
            unit_option(&x, u, 0);
        }
        if (open) html_raw(&r->out, "</optgroup>");
    }
}

void page_unit_select(struct req *r, const char *id, const char *name, json_t *units,
                      const char *cur, const char *none)
{
    struct buf *o = &r->out;
    html_printf(o,
                "<select id=\"%s\" name=\"%s\"%s" PAGE_UNIT_FILTER "=\"%s\">"
                "<option value=\"\">%s</option>",
                id, name, none ? "" : " required", T(r, "units.filter"),
                none ? none : T(r, "new.choose"));
    page_unit_options(r, units, cur, 1, NULL);
    html_raw(o, "</select>");
}

void page_calendar_warning(struct req *r, struct db *db)
{
    int missing[2], n = 0;
    char today[11];
    date_format(time_today(), today);
    int year =
        (today[0] - '0') * 1000 + (today[1] - '0') * 100 + (today[2] - '0') * 10 + (today[3] - '0');
    if (calendar_missing_years(db, year, missing, &n) != DB_OK || !n) return;
    html_printf(&r->out, "<p class=\"alert calendar-missing\" role=\"alert\">%s%s%d",
                T(r, "calendar.missing"), T(r, "colon"), missing[0]);
    if (n > 1) html_printf(&r->out, "%s%d", r->lang == LANG_EN ? ", " : "、", missing[1]);
    if (r->actor->roles & ROLE_ADMIN)
        html_printf(&r->out, " <a href=\"/admin/calendar?year=%d\">%s</a>", missing[0],
                    T(r, "calendar.missing_fix"));
    html_raw(&r->out, "</p>");
}

void page_light(struct req *r, const char *light)
{
    if (!light) light = "none";
    html_printf(&r->out, "<span class=\"light l-%s\"><i></i>%s</span>", light,
                i18n_label(r, "light", light));
}

void page_status(struct req *r, const char *status)
{
    html_printf(&r->out, "<span class=\"status s-%s\">%s</span>", status ? status : "",
                i18n_label(r, "status", status));
}

const char *page_time(struct req *r, const char *iso)
{
    if (!iso) return "";
    size_t n = strlen(iso);
    if (n < 16 || iso[10] != 'T') return iso;
    char *s = arena_strndup(r->arena, iso, 16);
    s[10] = ' ';
    return s;
}

/* An id under a key naming a unit, shown as the unit's name. */
static int is_unit_key(const char *key)
{
    return key && (!strcmp(key, "lead_unit_id") || !strcmp(key, "unit_id"));
}

/* The label prefix for data keys whose values are contract words, or NULL. */
static const char *label_prefix(const char *key)
{
    static const char *const map[][2] = {
        {"escalation", "level"}, {"feedback_cycle", "cycle"}, {"from", "status"},
        {"kind", "kind"},        {"level", "level"},          {"light", "light"},
        {"source", "source"},    {"status", "status"},        {"to", "status"}};
    for (size_t i = 0; key && i < sizeof map / sizeof map[0]; i++)
        if (!strcmp(key, map[i][0])) return map[i][1];
    return NULL;
}

const char *page_json_text(struct req *r, json_t *v, json_t *units, const char *key)
{
    const char *prefix = label_prefix(key);
    switch (json_typeof(v)) {
    case JSON_STRING:
        return prefix ? i18n_label(r, prefix, json_string_value(v)) : json_string_value(v);
    case JSON_INTEGER: {
        const char *name = is_unit_key(key) ? page_unit_name(units, json_integer_value(v)) : NULL;
        return name ? name : arena_printf(r->arena, "%lld", (long long)json_integer_value(v));
    }
    case JSON_REAL:
        return arena_printf(r->arena, "%g", json_real_value(v));
    case JSON_TRUE:
        return "✓";
    case JSON_FALSE:
        return "✗";
    case JSON_NULL:
        return "—";
    default:
        break;
    }
    if (key && !strcmp(key, "metric") && json_is_number(json_object_get(v, "target"))) {
        const char *unit = json_string_value(json_object_get(v, "unit"));
        return arena_printf(r->arena, "%g%s%s", json_number_value(json_object_get(v, "target")),
                            unit ? " " : "", unit ? unit : "");
    }
    if (key && !strcmp(key, "co_unit_ids") && json_is_array(v)) {
        struct buf b;
        buf_init(&b, 4096);
        size_t i;
        json_t *u;
        json_array_foreach(v, i, u)
        {
            const char *name = page_unit_name(units, json_integer_value(u));
            buf_printf(&b, "%s%s", i ? "、" : "", name ? name : "?");
        }
        const char *s = arena_strdup(r->arena, buf_cstr(&b));
        buf_free(&b);
        return s;
    }
    char *dump = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);
    const char *s = arena_strdup(r->arena, dump ? dump : "");
    free(dump);
    return s;
}

void page_capture_begin(struct req *r, struct buf *saved)
{
    *saved = r->out;
    buf_init(&r->out, saved->max);
}

void page_capture_end(struct req *r, struct buf *saved, struct html_frag *f)
{
    f->html = r->out;
    r->out = *saved;
}

void page_item_table(struct req *r, json_t *items)
{
    struct buf *o = &r->out;
    html_printf(o,
                "<table class=\"items\"><thead><tr><th class=\"l\">%s</th><th>%s</th>"
                "<th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
                T(r, "items.col_light"), T(r, "items.col_title"), T(r, "items.col_lead"),
                T(r, "items.col_deadline"), T(r, "items.col_status"));
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it)
    {
        const char *deadline = json_string_value(json_object_get(it, "deadline"));
        const char *lead =
            json_string_value(json_object_get(json_object_get(it, "lead_unit"), "name"));
        html_raw(o, "<tr><td class=\"l\">");
        page_light(r, json_string_value(json_object_get(it, "light")));
        html_printf(o,
                    "</td><td class=\"t\"><a href=\"/items/%lld\">%s</a></td>"
                    "<td class=\"u\">%s</td><td class=\"d\">%s</td><td class=\"s\">",
                    (long long)json_integer_value(json_object_get(it, "id")),
                    json_string_value(json_object_get(it, "title")), lead ? lead : "—",
                    deadline ? deadline : "—");
        page_status(r, json_string_value(json_object_get(it, "status")));
        html_raw(o, "</td></tr>");
    }
    html_raw(o, "</tbody></table>");
}

int loop_reporting(const char *status)
{
    return status && (!strcmp(status, "accepted") || !strcmp(status, "in_progress"));
}

void page_mark_children(struct req *r, json_t *item)
{
    struct err e = {0};
    struct item_filter f = {.parent_id = json_integer_value(json_object_get(item, "id")),
                            .limit = 1};
    json_t *v = f.parent_id ? item_list_json(req_db(r), r->actor, &f, &e) : NULL;
    json_object_set_new(item, "has_children",
                        json_boolean(json_integer_value(json_object_get(v, "total_count")) > 0));
    json_decref(v);
}
