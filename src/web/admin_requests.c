/* admin_requests.c — the admin section's request categories (诉求类别):
 * each category with its name, English name and time limit in working
 * days, and the current routing rules category × area → unit.  Admins
 * change a category or add one (core/request_config.c, through the
 * configuration chain with their name); supervisors read the page (the
 * route table says so).  A refused form comes back with core's message. */
#include <string.h>

#include "core/request.h"
#include "http/write.h"
#include "util/str.h"
#include "web/page.h"
#include "web/web.h"

static const char *form_val(struct req *r, const char *name)
{
    const char *v = req_form(r, name);
    return v ? v : "";
}

/* One category: a form of its own for admins, plain text otherwise. */
static void category_row(struct req *r, json_t *c, int admin)
{
    struct buf *o = &r->out;
    const char *code = json_string_value(json_object_get(c, "code"));
    const char *name = json_string_value(json_object_get(c, "name"));
    const char *name_en = json_string_value(json_object_get(c, "name_en"));
    long long days = (long long)json_integer_value(json_object_get(c, "limit_days"));
    if (!admin) {
        html_printf(o, "<tr><td><code>%s</code></td><td>%s</td><td>%s</td><td>%lld</td></tr>", code,
                    name, name_en, days);
        return;
    }
    html_printf(o,
                "<tr id=\"cat-%s\"><td><code>%s</code></td><td colspan=\"4\"><form method=\"post\""
                " action=\"/admin/request-categories\" class=\"inline-row\">"
                "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                "<input type=\"hidden\" name=\"code\" value=\"%s\">"
                "<input name=\"name\" aria-label=\"%s\" required maxlength=\"50\" value=\"%s\">"
                "<input name=\"name_en\" aria-label=\"%s\" required maxlength=\"50\" value=\"%s\">"
                "<input name=\"limit_days\" aria-label=\"%s\" type=\"number\" min=\"0\" max=\"60\""
                " required value=\"%lld\"><button type=\"submit\">%s</button></form></td></tr>",
                code, code, r->session.csrf, code, T(r, "rcat.name"), name, T(r, "rcat.name_en"),
                name_en, T(r, "rcat.limit_days"), days, T(r, "rcat.save"));
}

static void category_add_form(struct req *r)
{
    html_printf(&r->out,
                "<section class=\"card form\"><h2>%s</h2>"
                "<form method=\"post\" action=\"/admin/request-categories\">"
                "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                "<label for=\"code\">%s</label><input id=\"code\" name=\"code\" required"
                " maxlength=\"40\" pattern=\"[a-z][a-z0-9_]*\" value=\"%s\">"
                "<label for=\"name\">%s</label><input id=\"name\" name=\"name\" required"
                " maxlength=\"50\" value=\"%s\">"
                "<label for=\"name_en\">%s</label><input id=\"name_en\" name=\"name_en\""
                " maxlength=\"50\" value=\"%s\">"
                "<label for=\"limit_days\">%s</label><input id=\"limit_days\" name=\"limit_days\""
                " type=\"number\" min=\"0\" max=\"60\" required value=\"%s\">"
                "<div class=\"buttons\"><button type=\"submit\" class=\"primary\">%s"
                "</button></div></form></section>",
                T(r, "rcat.add"), r->session.csrf, T(r, "rcat.code"), form_val(r, "code"),
                T(r, "rcat.name"), form_val(r, "name"), T(r, "rcat.name_en"),
                form_val(r, "name_en"), T(r, "rcat.limit_days"), form_val(r, "limit_days"),
                T(r, "admin.add"));
}

/* The current routing rules, read-only (POST /api/v1/request-routes sets them). */
static void routes_table(struct req *r, json_t *routes)
{
    struct buf *o = &r->out;
    html_printf(o,
                "<section class=\"card\"><h2>%s</h2><p>%s</p><table class=\"admin\"><thead><tr>"
                "<th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
                T(r, "rcat.routes"), T(r, "rcat.routes_hint"), T(r, "req.category"),
                T(r, "rcat.area"), T(r, "req.s_unit"));
    size_t i;
    json_t *x;
    json_array_foreach(routes, i, x)
    {
        const char *area = json_string_value(json_object_get(x, "area_name"));
        html_printf(o, "<tr><td>%s</td><td>%s</td><td>%s</td></tr>",
                    json_string_value(json_object_get(x, "category_name")),
                    area ? area : T(r, "rcat.city"),
                    json_string_value(json_object_get(x, "unit_name")));
    }
    html_raw(o, "</tbody></table>");
    if (!json_array_size(routes)) html_printf(o, "<p class=\"empty\">%s</p>", T(r, "admin.none"));
    html_raw(o, "</section>");
}

/* The page, with an error from a refused form. */
static void categories_page(struct req *r, int status, const char *error)
{
    struct db *db = page_db(r);
    if (!db) return;
    struct err e = {0};
    json_t *cats = request_categories_json(db, &e), *routes = NULL;
    if (cats) routes = request_routes_json(db, &e);
    if (!routes) {
        json_decref(cats);
        page_fail(r, &e);
        return;
    }
    int admin = (r->actor->roles & ROLE_ADMIN) != 0;
    struct buf *o = &r->out;
    layout_begin(r, T(r, "admin.request_categories"), NAV_NONE, NULL);
    html_printf(o, "<h1>%s</h1>", T(r, "admin.request_categories"));
    web_admin_tabs(r, "/admin/request-categories");
    if (error)
        html_printf(o, "<p class=\"alert\" role=\"alert\">%s%s%s</p>", T(r, "admin.error"),
                    T(r, "colon"), error);
    html_printf(o,
                "<p>%s</p><section class=\"card\"><table class=\"admin request-categories\">"
                "<thead><tr><th>%s</th>",
                T(r, "rcat.hint"), T(r, "rcat.code"));
    if (admin) /* one form per row spans the other columns */
        html_printf(o, "<th colspan=\"4\">%s · %s · %s</th>", T(r, "rcat.name"),
                    T(r, "rcat.name_en"), T(r, "rcat.limit_days"));
    else
        html_printf(o, "<th>%s</th><th>%s</th><th>%s</th>", T(r, "rcat.name"), T(r, "rcat.name_en"),
                    T(r, "rcat.limit_days"));
    html_raw(o, "</tr></thead><tbody>");
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(cats, "categories"), i, c) category_row(r, c, admin);
    html_raw(o, "</tbody></table></section>");
    if (admin) category_add_form(r);
    routes_table(r, json_object_get(routes, "routes"));
    json_decref(cats);
    json_decref(routes);
    layout_end(r, status);
}

void web_admin_request_categories(struct req *r)
{
    categories_page(r, 200, NULL);
}

struct category_form {
    struct write_job job;
    struct request_category c;
    int added;
};

static int category_form_run(struct db *db, struct write_job *j)
{
    struct category_form *k = WRITE_OF(j, struct category_form);
    return request_category_set(db, j->actor, &k->c, &k->added, &j->e);
}

static const struct write_ops category_form_ops = {.what = "changing the request categories",
                                                   .run = category_form_run,
                                                   .next = "/admin/request-categories",
                                                   .form = categories_page};

void web_admin_request_categories_post(struct req *r)
{
    const char *days = form_val(r, "limit_days");
    int64_t n = -1;
    if (*days && (str_to_int64(days, strlen(days), &n) || n < 0)) n = 61; /* core refuses it */
    struct category_form *k = WRITE_NEW(r, struct category_form, &category_form_ops);
    k->c.code = form_val(r, "code");
    k->c.name = *form_val(r, "name") ? form_val(r, "name") : NULL;
    k->c.name_en = *form_val(r, "name_en") ? form_val(r, "name_en") : NULL;
    k->c.limit_days = n;
    write_start(r, &k->job);
}
