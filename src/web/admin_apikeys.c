/* admin_apikeys.c — the Open311 API keys' admin page (/admin/apikeys,
 * admins only): every key by name with when it was made and whether it is
 * revoked (never the key: only its hash is stored), a form to create one,
 * and a revoke button on each.  A new key is shown once, on the page that
 * answers its creation (not a redirect, so it is in no URL and no history
 * entry; pages are never cached); after that nobody can read it again.
 * Core creates and revokes (core/apikey.c, each an event of the
 * configuration chain with the admin as its actor). */
#include <string.h>

#include "core/apikey.h"
#include "http/write.h"
#include "web/page.h"
#include "web/web.h"

struct apikey_form {
    struct write_job job;
    int revoke;
    const char *name;
    char key[APIKEY_LEN + 1];
};

static void apikey_row(struct req *r, json_t *k)
{
    struct buf *o = &r->out;
    const char *name = json_string_value(json_object_get(k, "name"));
    int revoked = json_is_true(json_object_get(k, "revoked"));
    html_printf(o, "<tr><td>%s</td><td>%s</td><td>%s</td><td>", name,
                page_time(r, json_string_value(json_object_get(k, "created_at"))),
                T(r, revoked ? "apikeys.revoked" : "people.active"));
    if (!revoked)
        html_printf(
            o,
            "<form method=\"post\" action=\"/admin/apikeys\">"
            "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
            "<input type=\"hidden\" name=\"op\" value=\"revoke\">"
            "<input type=\"hidden\" name=\"name\" value=\"%s\">"
            "<button type=\"submit\" class=\"danger\" data-confirm=\"%s\">%s</button></form>",
            r->session.csrf, name, T(r, "apikeys.revoke_confirm"), T(r, "apikeys.revoke"));
    html_raw(o, "</td></tr>");
}

/* The page; key: a key just created, shown this once (NULL: none). */
static void apikeys_render(struct req *r, int status, const char *error, const char *key)
{
    struct db *db = page_db(r);
    if (!db) return;
    struct err e = {0};
    json_t *v = apikey_list_json(db, &e);
    if (!v) {
        page_fail(r, &e);
        return;
    }
    struct buf *o = &r->out;
    layout_begin(r, T(r, "admin.apikeys"), NAV_NONE, NULL);
    html_printf(o, "<h1>%s</h1>", T(r, "admin.apikeys"));
    web_admin_tabs(r, "/admin/apikeys");
    if (error)
        html_printf(o, "<p class=\"alert\" role=\"alert\">%s%s%s</p>", T(r, "admin.error"),
                    T(r, "colon"), error);
    if (key)
        html_printf(o,
                    "<section class=\"card\" role=\"status\"><p>%s</p>"
                    "<p><code class=\"apikey\">%s</code></p></section>",
                    T(r, "apikeys.shown_once"), key);
    html_printf(o,
                "<p>%s</p><section class=\"card\"><table class=\"admin\"><thead><tr><th>%s</th>"
                "<th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
                T(r, "apikeys.hint"), T(r, "people.name"), T(r, "apikeys.created"),
                T(r, "people.state"), T(r, "admin.action"));
    size_t i;
    json_t *k;
    json_array_foreach(json_object_get(v, "api_keys"), i, k) apikey_row(r, k);
    html_printf(o,
                "</tbody></table></section><section class=\"card form\"><h2>%s</h2>"
                "<form method=\"post\" action=\"/admin/apikeys\">"
                "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                "<input type=\"hidden\" name=\"op\" value=\"create\">"
                "<label for=\"name\">%s</label><input id=\"name\" name=\"name\" required "
                "maxlength=\"100\"><div class=\"buttons\"><button type=\"submit\" "
                "class=\"primary\">%s</button></div></form></section>",
                T(r, "apikeys.create"), r->session.csrf, T(r, "people.name"),
                T(r, "apikeys.create"));
    json_decref(v);
    layout_end(r, status);
}

static void apikeys_page(struct req *r, int status, const char *error)
{
    apikeys_render(r, status, error, NULL);
}

void web_admin_apikeys(struct req *r)
{
    apikeys_page(r, 200, NULL);
}

static int apikey_form_run(struct db *db, struct write_job *j)
{
    struct apikey_form *f = WRITE_OF(j, struct apikey_form);
    if (!f->revoke) return apikey_create(db, j->actor, f->name, f->key, &j->id, &j->e);
    int rc = apikey_revoke(db, j->actor, f->name, &j->e);
    if (rc == 0) return err_set(&j->e, 404, "not_found", "no API key called %s", f->name);
    return rc < 0 ? -1 : 0;
}

static void apikey_form_done(struct req *r, struct write_job *j)
{
    struct apikey_form *f = WRITE_OF(j, struct apikey_form);
    if (f->revoke) {
        write_redirect(r, "/admin/apikeys");
        return;
    }
    apikeys_render(r, 200, NULL, f->key);
}

static const struct write_ops apikey_form_ops = {.what = "changing the API keys",
                                                 .run = apikey_form_run,
                                                 .done = apikey_form_done,
                                                 .form = apikeys_page};

void web_admin_apikeys_post(struct req *r)
{
    const char *op = req_form(r, "op"), *name = req_form(r, "name");
    if (!op || (strcmp(op, "create") && strcmp(op, "revoke"))) {
        apikeys_page(r, 422, T(r, "admin.bad_op"));
        return;
    }
    struct apikey_form *f = WRITE_NEW(r, struct apikey_form, &apikey_form_ops);
    f->revoke = !strcmp(op, "revoke");
    f->name = name ? name : "";
    write_start(r, &f->job);
}
