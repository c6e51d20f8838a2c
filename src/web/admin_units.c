/* admin_units.c — the unit tree's admin page (/admin/units, admins only):
 * every unit with its kind and parent, a form to add one, and on each a
 * folded form to rename it, change its kind or move it under another parent
 * (or to the top).  Core checks and records (core/unit.c unit_add and
 * unit_edit, each an event of the configuration chain with the admin as its
 * actor); a unit is never deleted, since items point at it forever.  The
 * tree as everyone reads it stays on /units (units.c). */
#include <string.h>

#include "core/unit.h"
#include "http/write.h"
#include "web/page.h"
#include "web/web.h"

static const char *const kinds[] = {"department", "taskforce",  "town",
                                    "grid",       "enterprise", "university"};

struct unit_form {
    struct write_job job;
    int add;
    const char *code, *name, *kind, *parent;
};

static const char *form_val(struct req *r, const char *name)
{
    const char *v = req_form(r, name);
    return v ? v : "";
}

static void kind_select(struct req *r, const char *id, const char *cur)
{
    html_printf(&r->out, "<select id=\"%s\" name=\"kind\" required>", id);
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
        html_printf(&r->out, "<option value=\"%s\"%s>%s</option>", kinds[i],
                    cur && !strcmp(cur, kinds[i]) ? " selected" : "",
                    i18n_label(r, "unit_kind", kinds[i]));
    html_raw(&r->out, "</select>");
}

/* The code of unit id in units, or NULL. */
static const char *unit_code_of(json_t *units, int64_t id)
{
    size_t i;
    json_t *u;
    json_array_foreach(units, i, u) if (json_integer_value(json_object_get(u, "id")) ==
                                        id) return json_string_value(json_object_get(u, "code"));
    return NULL;
}

static void unit_row(struct req *r, json_t *u, json_t *units)
{
    struct buf *o = &r->out;
    const char *code = json_string_value(json_object_get(u, "code"));
    const char *kind = json_string_value(json_object_get(u, "kind"));
    int64_t parent = json_integer_value(json_object_get(u, "parent_id"));
    const char *pname = parent ? page_unit_name(units, parent) : NULL;
    html_printf(o, "<tr><td><code>%s</code></td><td>%s</td><td>%s</td><td>%s</td><td>", code,
                json_string_value(json_object_get(u, "name")), i18n_label(r, "unit_kind", kind),
                pname ? pname : "—");
    html_printf(o,
                "<details><summary>%s</summary><form method=\"post\" action=\"/admin/units\">"
                "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                "<input type=\"hidden\" name=\"op\" value=\"edit\">"
                "<input type=\"hidden\" name=\"code\" value=\"%s\">"
                "<label>%s<input name=\"name\" required maxlength=\"100\" value=\"%s\"></label>"
                "<label>%s",
                T(r, "people.change"), r->session.csrf, code, T(r, "people.name"),
                json_string_value(json_object_get(u, "name")), T(r, "admin.kind"));
    kind_select(r, arena_printf(r->arena, "kind-%s", code), kind);
    html_printf(o, "</label><label>%s", T(r, "units.parent"));
    page_unit_select(r, arena_printf(r->arena, "parent-%s", code), "parent", units,
                     parent ? unit_code_of(units, parent) : NULL, T(r, "units.top"));
    html_printf(o, "</label><button type=\"submit\">%s</button></form></details></td></tr>",
                T(r, "admin.save"));
}

static void unit_add_form(struct req *r, json_t *units)
{
    struct buf *o = &r->out;
    html_printf(o,
                "<section class=\"card form\"><h2>%s</h2>"
                "<form method=\"post\" action=\"/admin/units\">"
                "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                "<input type=\"hidden\" name=\"op\" value=\"add\">"
                "<label for=\"code\">%s</label><input id=\"code\" name=\"code\" required "
                "maxlength=\"64\" pattern=\"[A-Za-z0-9._\\-]+\" value=\"%s\">"
                "<label for=\"name\">%s</label><input id=\"name\" name=\"name\" required "
                "maxlength=\"100\" value=\"%s\"><label for=\"kind\">%s</label>",
                T(r, "units.add"), r->session.csrf, T(r, "units.code"), form_val(r, "code"),
                T(r, "people.name"), form_val(r, "name"), T(r, "admin.kind"));
    kind_select(r, "kind", req_form(r, "kind"));
    html_printf(o, "<label for=\"parent\">%s</label>", T(r, "units.parent"));
    page_unit_select(r, "parent", "parent", units, req_form(r, "parent"), T(r, "units.top"));
    html_printf(o,
                "<div class=\"buttons\"><button type=\"submit\" class=\"primary\">%s</button>"
                "</div></form></section>",
                T(r, "admin.add"));
}

static void units_admin_page(struct req *r, int status, const char *error)
{
    json_t *owner;
    json_t *units = page_units(r, &owner);
    if (!units) return;
    struct buf *o = &r->out;
    layout_begin(r, T(r, "admin.units"), NAV_NONE, NULL);
    html_printf(o, "<h1>%s</h1>", T(r, "admin.units"));
    web_admin_tabs(r, "/admin/units");
    if (error)
        html_printf(o, "<p class=\"alert\" role=\"alert\">%s%s%s</p>", T(r, "admin.error"),
                    T(r, "colon"), error);
    html_printf(o,
                "<p>%s</p><section class=\"card\"><table class=\"admin\"><thead><tr><th>%s</th>"
                "<th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
                T(r, "units.admin_hint"), T(r, "units.code"), T(r, "people.name"),
                T(r, "admin.kind"), T(r, "units.parent"), T(r, "admin.action"));
    size_t i;
    json_t *u;
    json_array_foreach(units, i, u) unit_row(r, u, units);
    html_raw(o, "</tbody></table></section>");
    unit_add_form(r, units);
    json_decref(owner);
    layout_end(r, status);
}

void web_admin_units(struct req *r)
{
    units_admin_page(r, 200, NULL);
}

static int unit_form_run(struct db *db, struct write_job *j)
{
    struct unit_form *f = WRITE_OF(j, struct unit_form);
    if (f->add) return unit_add(db, j->actor, f->code, f->name, f->kind, f->parent, &j->id, &j->e);
    return unit_edit(db, j->actor, f->code, f->name, f->kind, f->parent, &j->e);
}

static const struct write_ops unit_form_ops = {.what = "changing a unit",
                                               .run = unit_form_run,
                                               .next = "/admin/units",
                                               .form = units_admin_page};

void web_admin_units_post(struct req *r)
{
    const char *op = form_val(r, "op");
    if (strcmp(op, "add") && strcmp(op, "edit")) {
        units_admin_page(r, 422, T(r, "admin.bad_op"));
        return;
    }
    struct unit_form *f = WRITE_NEW(r, struct unit_form, &unit_form_ops);
    f->add = !strcmp(op, "add");
    f->code = form_val(r, "code");
    f->name = form_val(r, "name");
    f->kind = form_val(r, "kind");
    f->parent = form_val(r, "parent");
    write_start(r, &f->job);
}
