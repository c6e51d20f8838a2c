/* delegate.c — 转办/分办 on the item page: the lead unit's handler splits an
 * item it has accepted into a sub-item for a unit below it (or a
 * cooperating unit of the item), assigned at once (core/delegate.h).
 *
 * The form becomes the body POST /api/v1/items takes and goes through
 * item_input_parse and delegate_item_create, so the rule lives in core; the
 * sub-item is then assigned by the same unit in the same transaction
 * (item_act "assign" in the delegator's capacity).  A refused form comes
 * back on the item's page, filled in, with core's message. */
#include <string.h>

#include "core/action.h"
#include "core/delegate.h"
#include "core/item.h"
#include "http/write.h"
#include "util/str.h"
#include "web/page.h"
#include "web/web.h"

/* 1 when id is in the array of unit ids. */
static int in_ids(json_t *ids, int64_t id)
{
    size_t i;
    json_t *v;
    json_array_foreach(ids, i, v)
    {
        if (json_integer_value(v) == id) return 1;
    }
    return 0;
}

json_t *delegate_units(const struct actor *a, json_t *units, json_t *item)
{
    json_t *ids = json_array(), *out = json_array();
    json_array_append_new(ids, json_integer(a->unit_id));
    for (size_t grew = 1; grew;) { /* the subtree, one level per pass */
        grew = 0;
        size_t i;
        json_t *u;
        json_array_foreach(units, i, u)
        {
            int64_t id = json_integer_value(json_object_get(u, "id"));
            json_t *p = json_object_get(u, "parent_id");
            if (json_is_integer(p) && in_ids(ids, json_integer_value(p)) && !in_ids(ids, id))
                json_array_append_new(ids, json_integer(id)), grew = 1;
        }
    }
    json_t *co = json_object_get(item, "co_unit_ids"), *u;
    size_t i;
    json_array_foreach(units, i, u)
    {
        int64_t id = json_integer_value(json_object_get(u, "id"));
        if (id != a->unit_id && (in_ids(ids, id) || in_ids(co, id))) json_array_append(out, u);
    }
    json_decref(ids);
    return out;
}

/* The posted field, or "". */
static const char *form_val(struct req *r, const char *name)
{
    const char *v = req_form(r, name);
    return v ? v : "";
}

/* The fields of the form: title, unit, deadline (refilled after a refusal). */
static void delegate_fields(struct req *r, json_t *choices, const char *max, int refill)
{
    struct buf *o = &r->out;
    html_printf(o,
                "<label for=\"delegate-title\">%s</label><input id=\"delegate-title\" "
                "name=\"title\" required maxlength=\"200\" value=\"%s\">"
                "<label for=\"delegate-unit\">%s</label><select id=\"delegate-unit\" "
                "name=\"lead_unit_id\" required><option value=\"\">%s</option>",
                T(r, "delegate.title_field"), refill ? form_val(r, "title") : "",
                T(r, "delegate.unit"), T(r, "new.choose"));
    page_unit_options(r, choices, refill ? form_val(r, "lead_unit_id") : NULL, 0, NULL);
    html_printf(o,
                "</select><label for=\"delegate-deadline\">%s</label><input "
                "id=\"delegate-deadline\" name=\"deadline\" type=\"date\" required max=\"%s\" "
                "value=\"%s\"><small>%s</small>",
                T(r, "item.deadline"), max, refill ? form_val(r, "deadline") : "",
                T(r, "delegate.hint"));
}

void delegate_form(struct req *r, json_t *item, json_t *units, const struct act_failure *f)
{
    const char *status = json_string_value(json_object_get(item, "status"));
    if (!(r->actor->roles & ROLE_HANDLER) || !status ||
        json_integer_value(json_object_get(item, "lead_unit_id")) != r->actor->unit_id ||
        (strcmp(status, "accepted") && strcmp(status, "in_progress")))
        return;
    json_t *choices = delegate_units(r->actor, units, item);
    if (json_array_size(choices)) {
        struct buf *o = &r->out;
        int failed = f && f->action && !strcmp(f->action, "delegate");
        const char *max = json_string_value(json_object_get(item, "deadline"));
        html_printf(o,
                    "<details class=\"act a-delegate\"%s><summary>%s</summary>"
                    "<form method=\"post\" action=\"/items/%lld/delegate\" class=\"act-form\">"
                    "<input type=\"hidden\" name=\"csrf\" value=\"%s\">",
                    failed ? " open" : "", T(r, "delegate.summary"),
                    (long long)json_integer_value(json_object_get(item, "id")), r->session.csrf);
        if (failed && f->message)
            html_printf(o, "<p class=\"alert\" role=\"alert\">%s</p>", f->message);
        delegate_fields(r, choices, max ? max : "", failed);
        html_printf(o,
                    "<div class=\"buttons\"><button type=\"submit\" class=\"primary\">%s</button>"
                    "</div></form></details>",
                    T(r, "delegate.submit"));
    }
    json_decref(choices);
}

struct delegate_job {
    struct write_job job;
    json_t *body;
    struct item_input in;
};

static int delegate_run(struct db *db, struct write_job *j)
{
    struct delegate_job *d = WRITE_OF(j, struct delegate_job);
    if (delegate_item_create(db, j->actor, &d->in, &j->id, &j->e)) return -1;
    json_t *assign = json_pack("{s:s}", "action", "assign");
    int rc = item_act(db, j->actor, j->id, assign, &j->e);
    json_decref(assign);
    return rc;
}

static void delegate_release(struct write_job *j)
{
    json_decref(WRITE_OF(j, struct delegate_job)->body);
}

/* The refusal: the item's page with the form open, refilled, and the reason. */
static void delegate_refused(struct req *r, int status, const char *message)
{
    struct act_failure f = {.action = "delegate", .status = status, .message = message};
    item_page(r, r->params[0], &f);
}

static const struct write_ops delegate_ops = {.what = "splitting an item",
                                              .run = delegate_run,
                                              .next = "/items/",
                                              .form = delegate_refused,
                                              .release = delegate_release};

void web_item_delegate(struct req *r)
{
    struct delegate_job *d = WRITE_NEW(r, struct delegate_job, &delegate_ops);
    const char *unit = form_val(r, "lead_unit_id"), *deadline = form_val(r, "deadline");
    int64_t id;
    d->body = json_pack("{s:s,s:s,s:I}", "kind", "task", "title", form_val(r, "title"), "parent_id",
                        (json_int_t)r->params[0]);
    if (*unit)
        json_object_set_new(d->body, "lead_unit_id",
                            str_to_int64(unit, strlen(unit), &id) ? json_string(unit)
                                                                  : json_integer(id));
    if (*deadline) json_object_set_new(d->body, "deadline", json_string(deadline));
    if (item_input_parse(d->body, &d->in, &d->job.e)) {
        write_refuse(r, &d->job);
        return;
    }
    write_start(r, &d->job);
}
