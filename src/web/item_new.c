/* item_new.c — the form for a new item and its submission.
 *
 * The form's fields become the same JSON body POST /api/v1/items takes, and
 * go through item_input_parse, so validation lives in one place (core).  A
 * refused form comes back filled in, with core's message, so nothing typed
 * is lost.  Only tasks can be created here for now (kinds come later). */
#include <stdio.h>
#include <string.h>

#include "core/item.h"
#include "core/user.h"
#include "http/write.h"
#include "util/str.h"
#include "web/page.h"
#include "web/web.h"

static const char *const cycles[] = {"none", "weekly", "biweekly", "monthly", "quarterly"};

struct item_new_form {
    struct write_job job;
    json_t *body; /* what item_input_parse read (the input borrows from it) */
    struct item_input in;
};

/* The form field, or "" — for refilling the form. */
static const char *form_val(struct req *r, const char *name)
{
    const char *v = req_form(r, name);
    return v ? v : "";
}

/* The visible mark of a required field (the required attribute tells
 * assistive technology; the asterisk tells the eye). */
#define REQUIRED "<span class=\"req\" aria-hidden=\"true\">*</span>"

static void new_select_units(struct req *r, json_t *units, const char *cur)
{
    struct buf *o = &r->out;
    html_printf(o, "<label for=\"lead_unit_id\">%s", T(r, "new.lead_unit"));
    html_raw(o, REQUIRED "</label><select id=\"lead_unit_id\" name=\"lead_unit_id\" required");
    page_field_invalid(r, "lead_unit_id");
    html_printf(o, PAGE_UNIT_FILTER "=\"%s\"><option value=\"\">%s</option>", T(r, "units.filter"),
                T(r, "new.choose"));
    page_unit_options(r, units, cur, 0, NULL);
    html_raw(o, "</select>");
}

/* The responsible leader (责任领导): the users with the leader role. */
static void new_select_leader(struct req *r, const char *cur)
{
    struct buf *o = &r->out;
    struct err e = {0};
    struct db *db = req_db(r);
    json_t *leaders = db ? user_leaders_json(db, &e) : NULL;
    html_printf(o,
                "<label for=\"leader_id\">%s</label><select id=\"leader_id\" name=\"leader_id\""
                "><option value=\"\">%s</option>",
                T(r, "item.leader"), T(r, "new.no_leader"));
    size_t i;
    json_t *l;
    json_array_foreach(leaders, i, l)
    {
        long long id = (long long)json_integer_value(json_object_get(l, "id"));
        char idtext[24];
        snprintf(idtext, sizeof idtext, "%lld", id);
        html_printf(o, "<option value=\"%lld\"%s>%s</option>", id,
                    !strcmp(cur, idtext) ? " selected" : "",
                    json_string_value(json_object_get(l, "name")));
    }
    html_raw(o, "</select>");
    json_decref(leaders);
}

static void new_select_cycle(struct req *r, const char *cur)
{
    struct buf *o = &r->out;
    if (!*cur) cur = "none";
    html_printf(o,
                "<label for=\"feedback_cycle\">%s</label>"
                "<select id=\"feedback_cycle\" name=\"feedback_cycle\">",
                T(r, "item.feedback_cycle"));
    for (size_t i = 0; i < sizeof cycles / sizeof cycles[0]; i++)
        html_printf(o, "<option value=\"%s\"%s>%s</option>", cycles[i],
                    !strcmp(cur, cycles[i]) ? " selected" : "", i18n_label(r, "cycle", cycles[i]));
    html_raw(o, "</select>");
}

/* The form, filled from the posted fields (empty on GET), with an error. */
static void new_form(struct req *r, int status, const char *error)
{
    json_t *owner;
    json_t *units = page_units(r, &owner);
    if (!units) return;
    struct buf *o = &r->out;
    layout_begin(r, T(r, "new.title"), NAV_NEW, NULL);
    html_printf(o, "<h1>%s</h1><section class=\"card form\">", T(r, "new.title"));
    if (error)
        html_printf(o, "<p class=\"alert\" id=\"form-error\" role=\"alert\">%s%s%s</p>",
                    T(r, "new.error"), T(r, "colon"), error);
    html_printf(o,
                "<form method=\"post\" action=\"/items/new\">"
                "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                "<label for=\"title\">%s",
                r->session.csrf, T(r, "new.title_field"));
    html_raw(o, REQUIRED "</label><input id=\"title\" name=\"title\" required maxlength=\"200\"");
    page_field_invalid(r, "title");
    html_printf(o,
                " value=\"%s\"><label for=\"description\">%s</label>"
                "<textarea id=\"description\" name=\"description\" rows=\"6\"",
                form_val(r, "title"), T(r, "new.description"));
    page_field_invalid(r, "description");
    html_printf(o, ">%s</textarea>", form_val(r, "description"));
    new_select_units(r, units, form_val(r, "lead_unit_id"));
    new_select_leader(r, form_val(r, "leader_id"));
    html_printf(o,
                "<div class=\"row\"><div><label for=\"deadline\">%s</label>"
                "<input id=\"deadline\" name=\"deadline\" type=\"date\" value=\"%s\" "
                "placeholder=\"YYYY-MM-DD\"",
                T(r, "item.deadline"), form_val(r, "deadline"));
    page_field_invalid(r, "deadline");
    html_printf(o, "><small>%s</small></div><div>", T(r, "new.deadline_hint"));
    new_select_cycle(r, form_val(r, "feedback_cycle"));
    const char *parent =
        req_form(r, "parent_id") ? form_val(r, "parent_id") : req_query(r, "parent");
    html_printf(o,
                "</div></div><div class=\"row\"><div><label for=\"parent_id\">%s</label>"
                "<input id=\"parent_id\" name=\"parent_id\" type=\"number\" min=\"1\""
                " inputmode=\"numeric\" value=\"%s\"",
                T(r, "new.parent"), parent ? parent : "");
    page_field_invalid(r, "parent_id");
    html_printf(o,
                "><small>%s</small></div><div>"
                "<label for=\"weight\">%s</label><input id=\"weight\" name=\"weight\""
                " type=\"number\" min=\"1\" max=\"100\" inputmode=\"numeric\" value=\"%s\""
                " placeholder=\"1\"",
                T(r, "new.parent_hint"), T(r, "new.weight"), form_val(r, "weight"));
    page_field_invalid(r, "weight");
    html_printf(o, "><small>%s</small></div>", T(r, "new.weight_hint"));
    html_printf(o,
                "</div><div class=\"buttons\"><button type=\"submit\" class=\"primary\">"
                "%s</button><a class=\"button\" href=\"/items\">%s</a></div></form></section>",
                T(r, "new.submit"), T(r, "new.cancel"));
    json_decref(owner);
    layout_end(r, status);
}

void web_item_new_get(struct req *r)
{
    new_form(r, 200, NULL);
}

/* The posted form as the API's JSON body.  Values that are not numbers where
 * numbers belong are passed as strings, so core refuses them in its words. */
static json_t *new_body(struct req *r)
{
    json_t *b = json_pack("{s:s,s:s,s:s}", "kind", "task", "title", form_val(r, "title"),
                          "description", form_val(r, "description"));
    const char *unit = form_val(r, "lead_unit_id"), *deadline = form_val(r, "deadline");
    const char *cycle = form_val(r, "feedback_cycle");
    int64_t id;
    if (*unit)
        json_object_set_new(b, "lead_unit_id",
                            str_to_int64(unit, strlen(unit), &id) ? json_string(unit)
                                                                  : json_integer(id));
    if (*deadline) json_object_set_new(b, "deadline", json_string(deadline));
    if (*cycle) json_object_set_new(b, "feedback_cycle", json_string(cycle));
    static const char *const ints[] = {"parent_id", "weight", "leader_id"};
    for (int k = 0; k < 3; k++) {
        const char *v = form_val(r, ints[k]);
        if (*v)
            json_object_set_new(
                b, ints[k], str_to_int64(v, strlen(v), &id) ? json_string(v) : json_integer(id));
    }
    return b;
}

static int new_run(struct db *db, struct write_job *j)
{
    return item_create(db, j->actor, &WRITE_OF(j, struct item_new_form)->in, &j->id, &j->e);
}

static void new_release(struct write_job *j)
{
    json_decref(WRITE_OF(j, struct item_new_form)->body);
}

static const struct write_ops new_ops = {.what = "creating an item",
                                         .run = new_run,
                                         .next = "/items/",
                                         .form = new_form,
                                         .release = new_release};

void web_item_new_post(struct req *r)
{
    struct item_new_form *n = WRITE_NEW(r, struct item_new_form, &new_ops);
    n->body = new_body(r);
    if (item_input_parse(n->body, &n->in, &n->job.e)) {
        write_refuse(r, &n->job);
        return;
    }
    write_start(r, &n->job);
}
