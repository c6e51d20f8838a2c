/* instructions.c — the 批示件 pages (issue 18): the month's register
 * (/instructions, a month picker or every month) with its register form,
 * and one file (/instructions/{id}) with its items, the form that turns it
 * into an item (again, once answered: 再次批示) and its closing (办结, with
 * a confirmation).  For the office and the leaders, as the API's routes;
 * turning a file into work and closing it are for the office and the file's
 * own leader (core/instruction_file.h decides; the page only offers what it
 * would allow).  Everything is core's: this file lays it out and turns the
 * forms into the API's bodies. */
#include <stdio.h>
#include <string.h>

#include "core/instruction_file.h"
#include "core/unit.h"
#include "core/user.h"
#include "http/write.h"
#include "util/str.h"
#include "util/time.h"
#include "util/utf8.h"
#include "web/page.h"
#include "web/web.h"

#define SUPERVISE (ROLE_ADMIN | ROLE_SUPERVISOR)
#define REQUIRED  "<span class=\"req\" aria-hidden=\"true\">*</span>"
#define TEXT_CUT  120 /* bytes of a file's text in the list (about 40 characters) */

static const char *form_val(struct req *r, const char *name)
{
    const char *v = req_form(r, name);
    return v ? v : "";
}

static const char *str(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

/* The month the list shows into out: ?month=YYYY-MM, else this month; NULL
 * for ?month=all (every month). */
static const char *list_month(struct req *r, char out[8])
{
    const char *m = req_query(r, "month");
    char ymd[11];
    int32_t day;
    if (m && !strcmp(m, "all")) return NULL;
    if (m && strlen(m) == 7 && m[4] == '-') {
        snprintf(ymd, sizeof ymd, "%s-01", m);
        if (!date_parse(ymd, 10, &day)) return memcpy(out, m, 8);
    }
    date_format(time_today(), ymd);
    memcpy(out, ymd, 7);
    out[7] = '\0';
    return out;
}

/* A file's state as a small label. */
static void state_label(struct req *r, const char *state)
{
    html_printf(&r->out, "<span class=\"status i-%s\">%s</span>", state,
                i18n_label(r, "istate", state));
}

/* The items a file spawned, each linking to its page, with its status. */
static void file_items(struct req *r, json_t *items)
{
    size_t i;
    json_t *it;
    if (!json_array_size(items)) {
        html_printf(&r->out, "<p class=\"empty\">%s</p>", T(r, "ifile.no_items"));
        return;
    }
    html_raw(&r->out, "<ul class=\"ifile-items\">");
    json_array_foreach(items, i, it)
    {
        html_printf(&r->out, "<li><a href=\"/items/%lld\">%s</a> ",
                    (long long)json_integer_value(json_object_get(it, "id")), str(it, "title"));
        page_status(r, str(it, "status"));
        html_raw(&r->out, "</li>");
    }
    html_raw(&r->out, "</ul>");
}

/* One file of the list: number (the link), state, date, leader, due, its
 * text shortened and its items. */
static void list_entry(struct req *r, json_t *f)
{
    struct buf *o = &r->out;
    const char *text = str(f, "text"), *due = str(f, "due");
    size_t len = strlen(text), cut = utf8_prefix(text, len, TEXT_CUT);
    html_printf(o, "<li><div class=\"what\"><a href=\"/instructions/%lld\">%s</a> ",
                (long long)json_integer_value(json_object_get(f, "id")), str(f, "number"));
    state_label(r, str(f, "state"));
    html_printf(o,
                "</div><p class=\"meta\"><span>%s %s</span><span>%s %s</span><span>%s %s</span>"
                "</p><p class=\"ifile-text\">%s%s</p>",
                T(r, "ifile.issued_on"), str(f, "issued_on"), T(r, "item.leader"),
                str(json_object_get(f, "leader"), "name"), T(r, "ifile.due"), *due ? due : "—",
                arena_strndup(r->arena, text, cut), cut < len ? "…" : "");
    file_items(r, json_object_get(f, "items"));
    html_raw(o, "</li>");
}

/* The responsible leader select: the users with the leader role, cur (an
 * id as text) selected, or the viewer when a leader and nothing is. */
static void leader_select(struct req *r, const char *cur)
{
    struct buf *o = &r->out;
    struct err e = {0};
    struct db *db = req_db(r);
    json_t *leaders = db ? user_leaders_json(db, &e) : NULL;
    char self[24] = "";
    if (r->actor->roles & ROLE_LEADER)
        snprintf(self, sizeof self, "%lld", (long long)r->actor->user_id);
    if (!*cur) cur = self;
    html_printf(o, "<label for=\"leader_id\">%s", T(r, "item.leader"));
    html_raw(o, REQUIRED "</label><select id=\"leader_id\" name=\"leader_id\" required");
    page_field_invalid(r, "leader_id");
    html_printf(o, "><option value=\"\">%s</option>", T(r, "new.choose"));
    size_t i;
    json_t *l;
    json_array_foreach(leaders, i, l)
    {
        char id[24];
        snprintf(id, sizeof id, "%lld", (long long)json_integer_value(json_object_get(l, "id")));
        html_printf(o, "<option value=\"%s\"%s>%s</option>", id,
                    !strcmp(cur, id) ? " selected" : "", str(l, "name"));
    }
    html_raw(o, "</select>");
    json_decref(leaders);
}

/* A date input (id and name the same) with its label, required or not. */
static void date_input(struct req *r, const char *name, const char *label, const char *value,
                       int required)
{
    html_printf(&r->out, "<div><label for=\"%s\">%s", name, T(r, label));
    if (required) html_raw(&r->out, REQUIRED);
    html_printf(&r->out, "</label><input id=\"%s\" name=\"%s\" type=\"date\" value=\"%s\"", name,
                name, value);
    if (required) html_raw(&r->out, " required");
    page_field_invalid(r, name);
    html_raw(&r->out, "></div>");
}

/* The register form under the list, refilled after a refusal. */
static void register_form(struct req *r)
{
    struct buf *o = &r->out;
    char today[11];
    date_format(time_today(), today);
    const char *issued = req_form(r, "issued_on") ? form_val(r, "issued_on") : today;
    html_printf(o,
                "<section class=\"card form\" id=\"register\"><h2>%s</h2><form method=\"post\""
                " action=\"/instructions\"><input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                "<label for=\"number\">%s",
                T(r, "ifile.register"), r->session.csrf, T(r, "ifile.number"));
    html_raw(o, REQUIRED "</label><input id=\"number\" name=\"number\" required maxlength=\"50\"");
    page_field_invalid(r, "number");
    html_printf(o, " value=\"%s\" placeholder=\"%s\"><label for=\"text\">%s", form_val(r, "number"),
                T(r, "ifile.number_hint"), T(r, "ifile.text"));
    html_raw(o, REQUIRED "</label><textarea id=\"text\" name=\"text\" rows=\"4\" required");
    page_field_invalid(r, "text");
    html_printf(o, ">%s</textarea>", form_val(r, "text"));
    leader_select(r, form_val(r, "leader_id"));
    html_raw(o, "<div class=\"row\">");
    date_input(r, "issued_on", "ifile.issued_on", issued, 1);
    date_input(r, "due", "ifile.due", form_val(r, "due"), 0);
    html_printf(o,
                "</div><div class=\"buttons\"><button type=\"submit\" class=\"primary\">%s"
                "</button></div></form></section>",
                T(r, "ifile.register_submit"));
}

/* The month picker: a month input, show, and every month. */
static void month_filter(struct req *r, const char *month)
{
    html_printf(&r->out,
                "<form class=\"filters\" method=\"get\" action=\"/instructions\"><div><label"
                " for=\"month\">%s</label><input id=\"month\" name=\"month\" type=\"month\""
                " value=\"%s\" placeholder=\"YYYY-MM\"></div><div class=\"buttons\"><button"
                " type=\"submit\">%s</button> <a class=\"button\" href=\"/instructions?month=all\">"
                "%s</a></div></form>",
                T(r, "ifile.month"), month ? month : "", T(r, "ifile.show"), T(r, "ifile.all"));
}

/* The list page with status and, after a refused registration, its error. */
static void list_page(struct req *r, int status, const char *error)
{
    char buf[8];
    const char *month = list_month(r, buf);
    struct db *db = page_db(r);
    if (!db) return;
    struct err e = {0};
    json_t *v = ifile_list_json(db, r->actor, month, &e);
    if (!v) {
        page_fail(r, &e);
        return;
    }
    json_t *files = json_object_get(v, "instruction_files");
    layout_begin(r, T(r, "ifile.title"), NAV_NONE,
                 month ? arena_printf(r->arena, "month=%s", month) : "month=all");
    const char *m = month ? month : ""; /* empty: every month */
    html_printf(&r->out, "<h1>%s</h1>", T(r, "ifile.title"));
    html_printf(&r->out,
                "<p class=\"exports\">%s<a class=\"button\" href=\"/api/v1/instruction-files"
                "?format=xlsx&amp;month=%s\">%s</a> <a class=\"button\" href=\"/api/v1/"
                "instruction-files?format=csv&amp;month=%s\">%s</a></p>",
                T(r, "items.export"), m, T(r, "items.export_xlsx"), m, T(r, "items.export_csv"));
    html_printf(&r->out, "<p class=\"note\">%s</p>", T(r, "ifile.intro"));
    if (error)
        html_printf(&r->out, "<p class=\"alert\" id=\"form-error\" role=\"alert\">%s%s%s</p>",
                    T(r, "ifile.error"), T(r, "colon"), error);
    month_filter(r, month);
    html_printf(&r->out, "<section class=\"card\"><h2>%s <small>%zu</small></h2>",
                month ? month : T(r, "ifile.all"), json_array_size(files));
    if (!json_array_size(files))
        html_printf(&r->out, "<p class=\"empty\">%s</p>", T(r, "ifile.none"));
    else
        html_raw(&r->out, "<ul class=\"inbox-list ifiles\">");
    size_t i;
    json_t *f;
    json_array_foreach(files, i, f) list_entry(r, f);
    if (json_array_size(files)) html_raw(&r->out, "</ul>");
    html_raw(&r->out, "</section>");
    json_decref(v);
    register_form(r);
    layout_end(r, status);
}

void web_instructions(struct req *r)
{
    list_page(r, 200, NULL);
}

/* ---- registering ---- */

/* The posted form as the API's body; an id that is not a number is passed
 * as text, so core refuses it in its words. */
static json_t *register_body(struct req *r)
{
    json_t *b = json_pack("{s:s,s:s,s:s}", "number", form_val(r, "number"), "text",
                          form_val(r, "text"), "issued_on", form_val(r, "issued_on"));
    const char *leader = form_val(r, "leader_id"), *due = form_val(r, "due");
    int64_t id;
    if (*leader)
        json_object_set_new(b, "leader_id",
                            str_to_int64(leader, strlen(leader), &id) ? json_string(leader)
                                                                      : json_integer(id));
    if (*due) json_object_set_new(b, "due", json_string(due));
    return b;
}

static int register_run(struct db *db, struct write_job *j)
{
    return ifile_create(db, j->actor, WRITE_OF(j, struct write_body)->body, &j->id, &j->e);
}

static const struct write_ops register_ops = {.what = "registering an instruction",
                                              .run = register_run,
                                              .next = "/instructions/",
                                              .form = list_page,
                                              .release = write_body_release};

void web_instructions_post(struct req *r)
{
    struct write_body *b = WRITE_NEW(r, struct write_body, &register_ops);
    b->body = register_body(r);
    write_start(r, &b->job);
}

/* ---- one file ---- */

/* 1 when the viewer may turn file f into work and close it: the office or
 * the file's own leader (ifile_close's and ifile_spawn's rule). */
static int may_act(struct req *r, json_t *f)
{
    return (r->actor->roles & SUPERVISE) ||
           json_integer_value(json_object_get(json_object_get(f, "leader"), "id")) ==
               r->actor->user_id;
}

/* 1 when co-unit id was posted (a refilled spawn form). */
static int co_posted(struct req *r, int64_t id)
{
    for (int i = 0; i < r->nform; i++) {
        int64_t v;
        const char *s = r->form[i].value;
        if (!strcmp(r->form[i].name, "co_unit_ids") && !str_to_int64(s, strlen(s), &v) && v == id)
            return 1;
    }
    return 0;
}

/* The lead unit select and the co-unit checkboxes of the spawn form. */
static void spawn_units(struct req *r, json_t *units)
{
    struct buf *o = &r->out;
    html_printf(o,
                "<label for=\"lead_unit_id\">%s</label><select id=\"lead_unit_id\""
                " name=\"lead_unit_id\"" PAGE_UNIT_FILTER "=\"%s\"",
                T(r, "new.lead_unit"), T(r, "units.filter"));
    page_field_invalid(r, "lead_unit_id");
    html_printf(o, "><option value=\"\">%s</option>", T(r, "new.choose"));
    page_unit_options(r, units, form_val(r, "lead_unit_id"), 0, NULL);
    html_printf(o, "</select><fieldset><legend>%s</legend><div class=\"checks\">",
                T(r, "field.co_unit_ids"));
    size_t i;
    json_t *u;
    json_array_foreach(units, i, u)
    {
        int64_t id = json_integer_value(json_object_get(u, "id"));
        html_printf(o,
                    "<label><input type=\"checkbox\" name=\"co_unit_ids\" value=\"%lld\"%s> %s"
                    "</label>",
                    (long long)id, co_posted(r, id) ? " checked" : "", str(u, "name"));
    }
    html_raw(o, "</div></fieldset>");
}

/* The form that turns the file into an item: once answered, the same form
 * instructs again (another linked item). */
static void spawn_form(struct req *r, int64_t id, int again, json_t *units)
{
    struct buf *o = &r->out;
    html_printf(o,
                "<section class=\"card form\" id=\"spawn\"><h2>%s</h2><p class=\"note\">%s</p>"
                "<form method=\"post\" action=\"/instructions/%lld/items\"><input type=\"hidden\""
                " name=\"csrf\" value=\"%s\"><label for=\"title\">%s",
                T(r, again ? "ifile.again" : "ifile.spawn"),
                T(r, again ? "ifile.again_hint" : "ifile.spawn_hint"), (long long)id,
                r->session.csrf, T(r, "new.title_field"));
    html_raw(o, REQUIRED "</label><input id=\"title\" name=\"title\" required maxlength=\"200\"");
    page_field_invalid(r, "title");
    html_printf(o,
                " value=\"%s\"><label for=\"description\">%s</label><textarea id=\"description\""
                " name=\"description\" rows=\"4\"",
                form_val(r, "title"), T(r, again ? "ifile.again_text" : "new.description"));
    page_field_invalid(r, "description");
    html_printf(o, ">%s</textarea>", form_val(r, "description"));
    spawn_units(r, units);
    html_raw(o, "<div class=\"row\">");
    date_input(r, "deadline", "item.deadline", form_val(r, "deadline"), 0);
    html_printf(o,
                "</div><div class=\"buttons\"><button type=\"submit\" class=\"primary\">%s"
                "</button></div></form></section>",
                T(r, again ? "ifile.again_submit" : "ifile.spawn_submit"));
}

/* 办结 with its confirmation: a box to tick, checked by the server too. */
static void close_form(struct req *r, int64_t id)
{
    html_printf(&r->out,
                "<section class=\"card form\" id=\"close\"><h2>%s</h2><p class=\"note\">%s</p>"
                "<form method=\"post\" action=\"/instructions/%lld/close\"><input type=\"hidden\""
                " name=\"csrf\" value=\"%s\"><label class=\"check\"><input type=\"checkbox\""
                " name=\"confirm\" value=\"1\" required> %s</label><div class=\"buttons\">"
                "<button type=\"submit\" class=\"primary\">%s</button></div></form></section>",
                T(r, "ifile.close"), T(r, "ifile.close_hint"), (long long)id, r->session.csrf,
                T(r, "ifile.close_confirm"), T(r, "ifile.close_submit"));
}

/* The file's fields and its whole text. */
static void file_fields(struct req *r, json_t *f)
{
    struct buf *o = &r->out;
    const char *due = str(f, "due"), *closed = str(f, "closed_at");
    html_printf(o,
                "<section class=\"card\"><dl class=\"fields\"><dt>%s</dt><dd>%s</dd><dt>%s</dt>"
                "<dd>%s</dd><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>",
                T(r, "ifile.issued_on"), str(f, "issued_on"), T(r, "item.leader"),
                str(json_object_get(f, "leader"), "name"), T(r, "ifile.due"), *due ? due : "—",
                T(r, "ifile.state"));
    state_label(r, str(f, "state"));
    html_raw(o, "</dd>");
    if (*closed)
        html_printf(o, "<dt>%s</dt><dd>%s</dd>", T(r, "ifile.closed_at"), page_time(r, closed));
    html_printf(o, "<dt>%s</dt><dd class=\"ifile-full\">%s</dd></dl></section>", T(r, "ifile.text"),
                str(f, "text"));
}

/* The page of file r->params[0] with status and, after a refused form,
 * its error. */
static void file_page(struct req *r, int status, const char *error)
{
    struct db *db = page_db(r);
    if (!db) return;
    struct err e = {0};
    json_t *f = ifile_get_json(db, r->actor, r->params[0], &e), *owner = NULL, *units = NULL;
    if (!f || (may_act(r, f) && !(units = page_units(r, &owner)))) {
        if (!f) page_fail(r, &e);
        json_decref(f);
        return;
    }
    const char *state = str(f, "state");
    const char *title = arena_printf(r->arena, "%s %s", T(r, "ifile.one"), str(f, "number"));
    layout_begin(r, title, NAV_NONE, NULL);
    html_printf(&r->out, "<p class=\"back\"><a href=\"/instructions\">← %s</a></p><h1>%s</h1>",
                T(r, "ifile.title"), title);
    if (error)
        html_printf(&r->out, "<p class=\"alert\" id=\"form-error\" role=\"alert\">%s%s%s</p>",
                    T(r, "ifile.error"), T(r, "colon"), error);
    file_fields(r, f);
    html_printf(&r->out, "<section class=\"card\" id=\"items\"><h2>%s</h2>", T(r, "ifile.items"));
    file_items(r, json_object_get(f, "items"));
    html_raw(&r->out, "</section>");
    if (units && !strcmp(state, "answered")) close_form(r, r->params[0]);
    if (units && strcmp(state, "closed"))
        spawn_form(r, r->params[0], !strcmp(state, "answered"), units);
    json_decref(owner);
    json_decref(f);
    layout_end(r, status);
}

void web_instruction(struct req *r)
{
    file_page(r, 200, NULL);
}

/* ---- turning a file into an item, closing it ---- */

struct ifile_form {
    struct write_job job;
    int64_t file;
    json_t *body; /* owned */
};

/* The posted spawn form as the API's body (numbers that are not numbers
 * passed as text, for core to refuse). */
static json_t *spawn_body(struct req *r)
{
    json_t *b = json_pack("{s:s,s:s,s:[]}", "title", form_val(r, "title"), "description",
                          form_val(r, "description"), "co_unit_ids");
    const char *unit = form_val(r, "lead_unit_id"), *deadline = form_val(r, "deadline");
    int64_t id;
    if (*unit)
        json_object_set_new(b, "lead_unit_id",
                            str_to_int64(unit, strlen(unit), &id) ? json_string(unit)
                                                                  : json_integer(id));
    if (*deadline) json_object_set_new(b, "deadline", json_string(deadline));
    for (int i = 0; i < r->nform; i++) {
        const char *v = r->form[i].value;
        if (!strcmp(r->form[i].name, "co_unit_ids"))
            json_array_append_new(json_object_get(b, "co_unit_ids"), str_to_int64(v, strlen(v), &id)
                                                                         ? json_string(v)
                                                                         : json_integer(id));
    }
    if (!json_array_size(json_object_get(b, "co_unit_ids"))) json_object_del(b, "co_unit_ids");
    return b;
}

static int spawn_run(struct db *db, struct write_job *j)
{
    struct ifile_form *x = WRITE_OF(j, struct ifile_form);
    return ifile_spawn(db, j->actor, x->file, x->body, &j->id, &j->e);
}

static int close_run(struct db *db, struct write_job *j)
{
    struct ifile_form *x = WRITE_OF(j, struct ifile_form);
    return ifile_close(db, j->actor, x->file, &j->e);
}

/* Back to the file's page, where the new item or the closing shows. */
static void back_to_file(struct req *r, struct write_job *j)
{
    write_redirect(r, "/instructions/%lld#items", (long long)WRITE_OF(j, struct ifile_form)->file);
}

static void ifile_form_release(struct write_job *j)
{
    json_decref(WRITE_OF(j, struct ifile_form)->body);
}

static const struct write_ops spawn_ops = {.what = "creating an item",
                                           .run = spawn_run,
                                           .done = back_to_file,
                                           .form = file_page,
                                           .release = ifile_form_release};
static const struct write_ops close_ops = {.what = "closing an instruction",
                                           .run = close_run,
                                           .done = back_to_file,
                                           .form = file_page,
                                           .release = ifile_form_release};

void web_instruction_spawn(struct req *r)
{
    struct ifile_form *x = WRITE_NEW(r, struct ifile_form, &spawn_ops);
    x->file = r->params[0];
    x->body = spawn_body(r);
    write_start(r, &x->job);
}

void web_instruction_close(struct req *r)
{
    struct ifile_form *x = WRITE_NEW(r, struct ifile_form, &close_ops);
    x->file = r->params[0];
    if (strcmp(form_val(r, "confirm"), "1")) {
        err_say(&x->job.e, 422, "missing_field", T(r, "ifile.confirm_missing"));
        write_refuse(r, &x->job);
        return;
    }
    write_start(r, &x->job);
}
