/* admin_users.c — the people page of the admin section (/admin/users, admins
 * only): every user with their display name, unit, roles and state; forms to
 * add a user, change a display name, unit and roles, reset a password, and
 * disable or enable an account.  Core checks everything (core/user.c, as for
 * `luoshi user …`) and records each change with the admin as its actor in
 * the configuration chain.  A new or reset password is held to the policy
 * user_password_ok applies everywhere, and it and the argon2id hash are
 * computed off the request threads (req_defer_work) before the write. */
#include <string.h>

#include "core/user.h"
#include "http/write.h"
#include "web/page.h"
#include "web/web.h"

enum user_op { USER_ADD, USER_EDIT, USER_PASSWORD, USER_DISABLE, USER_ENABLE };

static const char *const user_ops[] = {"add", "edit", "password", "disable", "enable"};

/* One posted form, and the hash computed for it. */
struct user_form {
    struct write_job job;
    enum user_op op;
    const char *username, *name, *unit_code, *password;
    unsigned roles;
    int en;
    struct err pe; /* the password's refusal, from the worker */
    char hash[USER_HASH_MAX];
};

static const char *form_val(struct req *r, const char *name)
{
    const char *v = req_form(r, name);
    return v ? v : "";
}

/* The role checkboxes (role_admin …), bits checked. */
static void role_boxes(struct req *r, unsigned bits)
{
    for (unsigned b = 1; b <= ROLE_HEAD; b <<= 1)
        html_printf(&r->out,
                    "<label class=\"check\"><input type=\"checkbox\" name=\"role_%s\"%s> "
                    "%s</label>",
                    role_name(b), bits & b ? " checked" : "", i18n_label(r, "role", role_name(b)));
}

static unsigned roles_posted(struct req *r)
{
    unsigned roles = 0;
    for (unsigned b = 1; b <= ROLE_HEAD; b <<= 1)
        if (req_form(r, arena_printf(r->arena, "role_%s", role_name(b)))) roles |= b;
    return roles;
}

static unsigned roles_of(json_t *u)
{
    unsigned roles = 0;
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(u, "roles"), i, x) roles |= role_parse(json_string_value(x));
    return roles;
}

/* The hidden fields every form of the page carries. */
static void form_open(struct req *r, const char *op, const char *username)
{
    html_printf(&r->out,
                "<form method=\"post\" action=\"/admin/users\">"
                "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                "<input type=\"hidden\" name=\"op\" value=\"%s\">",
                r->session.csrf, op);
    if (username)
        html_printf(&r->out, "<input type=\"hidden\" name=\"username\" value=\"%s\">", username);
}

/* A user's change forms, folded: edit, password, disable or enable. */
static void user_forms(struct req *r, json_t *u, json_t *units)
{
    struct buf *o = &r->out;
    const char *username = json_string_value(json_object_get(u, "username"));
    int disabled = json_is_true(json_object_get(u, "disabled"));
    html_printf(o, "<details><summary>%s</summary>", T(r, "people.change"));
    form_open(r, "edit", username);
    html_printf(o,
                "<label>%s<input name=\"name\" required maxlength=\"100\" value=\"%s\"></label>"
                "<label>%s",
                T(r, "people.name"), json_string_value(json_object_get(u, "name")),
                T(r, "admin.unit"));
    page_unit_select(r, arena_printf(r->arena, "unit-%s", username), "unit_code", units,
                     json_string_value(json_object_get(u, "unit_code")), NULL);
    html_raw(o, "</label><fieldset class=\"roles\">");
    role_boxes(r, roles_of(u));
    html_printf(o, "</fieldset><button type=\"submit\">%s</button></form>", T(r, "admin.save"));
    form_open(r, "password", username);
    html_printf(o,
                "<label>%s<input name=\"password\" type=\"password\" autocomplete=\"new-password\""
                " required minlength=\"8\" maxlength=\"256\"></label>"
                "<button type=\"submit\">%s</button></form>",
                T(r, "people.new_password"), T(r, "people.reset"));
    form_open(r, disabled ? "enable" : "disable", username);
    if (disabled)
        html_printf(o, "<button type=\"submit\">%s</button></form></details>",
                    T(r, "people.enable"));
    else
        html_printf(o,
                    "<button type=\"submit\" class=\"danger\" data-confirm=\"%s\">%s</button>"
                    "</form></details>",
                    T(r, "people.disable_confirm"), T(r, "people.disable"));
}

static void user_row(struct req *r, json_t *u, json_t *units)
{
    struct buf *o = &r->out;
    size_t i;
    json_t *x;
    html_printf(o, "<tr><td><code>%s</code></td><td>%s</td><td>%s</td><td>",
                json_string_value(json_object_get(u, "username")),
                json_string_value(json_object_get(u, "name")),
                page_unit_name(units, json_integer_value(json_object_get(u, "unit_id"))));
    json_array_foreach(json_object_get(u, "roles"), i, x)
        html_printf(o, "%s%s", i ? "、" : "", i18n_label(r, "role", json_string_value(x)));
    html_printf(
        o, "</td><td>%s</td><td>",
        T(r, json_is_true(json_object_get(u, "disabled")) ? "people.disabled" : "people.active"));
    user_forms(r, u, units);
    html_raw(o, "</td></tr>");
}

static void user_add_form(struct req *r, json_t *units)
{
    struct buf *o = &r->out;
    html_printf(o, "<section class=\"card form\"><h2>%s</h2>", T(r, "people.add"));
    form_open(r, "add", NULL);
    html_printf(o,
                "<label for=\"username\">%s</label><input id=\"username\" name=\"username\" "
                "required maxlength=\"64\" pattern=\"[A-Za-z0-9._\\-]+\" value=\"%s\">"
                "<label for=\"name\">%s</label><input id=\"name\" name=\"name\" required "
                "maxlength=\"100\" value=\"%s\"><label for=\"unit_code\">%s</label>",
                T(r, "people.username"), form_val(r, "username"), T(r, "people.name"),
                form_val(r, "name"), T(r, "admin.unit"));
    page_unit_select(r, "unit_code", "unit_code", units, req_form(r, "unit_code"), NULL);
    html_printf(o, "<fieldset class=\"roles\"><legend>%s</legend>", T(r, "people.roles"));
    role_boxes(r, roles_posted(r));
    html_printf(o,
                "</fieldset><label for=\"password\">%s</label><input id=\"password\" "
                "name=\"password\" type=\"password\" autocomplete=\"new-password\" required "
                "minlength=\"8\" maxlength=\"256\"><small>%s</small>"
                "<div class=\"buttons\"><button type=\"submit\" class=\"primary\">%s</button>"
                "</div></form></section>",
                T(r, "people.password"), T(r, "account.hint"), T(r, "admin.add"));
}

/* The page, with a refused form's status and message. */
static void users_page(struct req *r, int status, const char *error)
{
    struct db *db = page_db(r);
    if (!db) return;
    struct err e = {0};
    json_t *v = user_list_json(db, &e), *owner = NULL, *units = NULL;
    if (!v) {
        page_fail(r, &e);
        return;
    }
    if (!(units = page_units(r, &owner))) {
        json_decref(v);
        return;
    }
    struct buf *o = &r->out;
    layout_begin(r, T(r, "admin.users"), NAV_NONE, NULL);
    html_printf(o, "<h1>%s</h1>", T(r, "admin.users"));
    web_admin_tabs(r, "/admin/users");
    if (error)
        html_printf(o, "<p class=\"alert\" role=\"alert\">%s%s%s</p>", T(r, "admin.error"),
                    T(r, "colon"), error);
    html_printf(o,
                "<section class=\"card\"><table class=\"admin\"><thead><tr><th>%s</th><th>%s"
                "</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
                T(r, "people.username"), T(r, "people.name"), T(r, "admin.unit"),
                T(r, "people.roles"), T(r, "people.state"), T(r, "admin.action"));
    size_t i;
    json_t *u;
    json_array_foreach(json_object_get(v, "users"), i, u) user_row(r, u, units);
    html_raw(o, "</tbody></table></section>");
    user_add_form(r, units);
    json_decref(owner);
    json_decref(v);
    layout_end(r, status);
}

void web_admin_users(struct req *r)
{
    users_page(r, 200, NULL);
}

static int user_form_run(struct db *db, struct write_job *j)
{
    struct user_form *f = WRITE_OF(j, struct user_form);
    switch (f->op) {
    case USER_ADD:
        return user_add(db, j->actor, f->username, f->name, f->unit_code, f->roles, f->hash, &j->id,
                        &j->e);
    case USER_EDIT:
        return user_edit(db, j->actor, f->username, f->name, f->unit_code, f->roles, &j->e);
    case USER_PASSWORD:
        return user_set_password(db, j->actor, f->username, f->hash, &j->e);
    default:
        return user_set_disabled(db, j->actor, f->username, f->op == USER_DISABLE, &j->e);
    }
}

static const struct write_ops user_form_ops = {
    .what = "changing a user", .run = user_form_run, .next = "/admin/users", .form = users_page};

/* On a worker: the password's policy, then its hash. */
static void user_form_hash(void *ctx)
{
    struct user_form *f = ctx;
    if (user_password_ok(f->password, f->username, NULL, f->en, &f->pe)) return;
    if (user_hash_password(f->password, f->hash))
        err_set(&f->pe, 503, "internal", "the password could not be hashed");
}

static void user_form_hashed(struct req *r)
{
    struct user_form *f = r->state;
    if (f->pe.status) {
        users_page(r, f->pe.status, f->pe.message);
        return;
    }
    write_start(r, &f->job);
}

void web_admin_users_post(struct req *r)
{
    const char *op = form_val(r, "op");
    size_t k = 0;
    while (k < sizeof user_ops / sizeof *user_ops && strcmp(op, user_ops[k]))
        k++;
    if (k == sizeof user_ops / sizeof *user_ops) {
        users_page(r, 422, T(r, "admin.bad_op"));
        return;
    }
    struct user_form *f = WRITE_NEW(r, struct user_form, &user_form_ops);
    f->op = (enum user_op)k;
    f->username = form_val(r, "username");
    f->name = form_val(r, "name");
    f->unit_code = form_val(r, "unit_code");
    f->password = form_val(r, "password");
    f->roles = roles_posted(r);
    f->en = r->lang == LANG_EN;
    if (f->op != USER_ADD && f->op != USER_PASSWORD) {
        write_start(r, &f->job);
        return;
    }
    req_defer_work(r, user_form_hash, f, user_form_hashed);
}
