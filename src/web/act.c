/* act.c — the item page's action forms and POST /items/{id}/act, which
 * takes them.
 *
 * One table says, for each action of the loop, which fields its form has and
 * how each becomes a value of the JSON body core's item_act takes (the same
 * body as POST /api/v1/items/{id}/actions), so the form and the body cannot
 * drift apart and every check stays in core; a unit test holds the table to
 * core's action list (action_spec.h).  Actions taken on a page of their own
 * (a hazard's triage) are links.  The item page shows only the
 * actions the viewer may take (item_get_json's allowed_actions); a refused
 * form comes back on the item page with core's message, its status and the
 * typed values, so nothing is lost.  What the item page shows around the
 * forms is item.c's. */
#include <stdlib.h>
#include <string.h>

#include "core/action.h"
#include "core/kind.h"
#include "core/action_spec.h"
#include "core/attachment.h"
#include "core/review.h"
#include "http/write.h"
#include "util/str.h"
#include "web/page.h"
#include "web/web.h"

/* In the order the item page shows them: the loop's next steps first, the
 * supervisor's exceptional ones (cancel) last. */
const struct act_form act_form_table[] = {
    {"accept", 1, NULL, {{0}}},
    {"assign",
     1,
     "act.assign_hint",
     {{"lead_unit_id", "field.lead_unit_id", W_UNIT, 1},
      {"co_unit_ids", "field.co_unit_ids", W_UNITS, 0},
      {"deadline", "field.deadline", W_DATE, 0},
      {"working_days", "act.working_days", W_INT, 0}}},
    {"feedback",
     1,
     NULL,
     {{"text", "act.feedback_text", W_TEXT, 1},
      {"progress", "field.progress", W_PROGRESS, 0},
      {"value", "field.value", W_VALUE, 0},
      {"attachment_ids", "act.attachments", W_FILES, 0}}},
    {"submit",
     1,
     NULL,
     {{"text", "act.submit_text", W_TEXT, 1},
      {"reply", "act.reply", W_TEXT, 0},
      {"photos", "act.after_photos", W_PHOTOS, 0},
      {"attachment_ids", "act.attachments", W_FILES, 0}}},
    {"verify",
     1,
     "act.verify_hint",
     {{"result", "act.result", W_RESULT, 0},
      {"report", "act.report", W_TEXT, 0},
      {"reason", "act.verify_reason", W_TEXT, 0},
      {"attachment_ids", "act.attachments", W_FILES, 0}}},
    {"publish", 1, "act.publish_hint", {{"note", "act.publish_note", W_TEXT, 0}}},
    {"review",
     1,
     "act.review_hint",
     {{"application_id", "act.application_id", W_ID, 1},
      {"score", "act.score", W_PROGRESS, 1},
      {"comment", "act.review_comment", W_TEXT, 0}}},
    {"award",
     1,
     "act.award_hint",
     {{"application_id", "act.application_id", W_ID, 1},
      {"deadline", "field.deadline", W_DATE, 0}}},
    {"disburse",
     0,
     "act.disburse_hint",
     {{"amount_wan", "act.amount_wan", W_AMOUNT, 1}, {"note", "act.disburse_note", W_TEXT, 0}}},
    {"close_applications", 0, NULL, {{0}}},
    {"plan",
     1,
     "act.plan_hint",
     {{"mode", "act.mode", W_MODE, 0}, {"plan", "act.plan_text", W_TEXT, 0}}},
    {"approve_extension", 1, NULL, {{"text", "act.opinion", W_TEXT, 0}}},
    {"deny_extension", 0, NULL, {{"text", "act.opinion", W_TEXT, 0}}},
    {"request_extension",
     0,
     "act.extension_hint",
     {{"deadline", "act.new_deadline", W_DATE, 1}, {"reason", "field.reason", W_TEXT, 1}}},
    {"reject",
     0,
     NULL,
     {{"reason", "field.reason", W_TEXT, 1}, {"attachment_ids", "act.attachments", W_FILES, 0}}},
    {"return", 0, NULL, {{"reason", "field.reason", W_TEXT, 1}}},
    {"urge", 0, NULL, {{"text", "act.urge_text", W_TEXT, 1}}},
    {"escalate",
     0,
     NULL,
     {{"level", "field.level", W_LEVEL, 1}, {"text", "act.opinion", W_TEXT, 0}}},
    {"instruct",
     0,
     NULL,
     {{"text", "act.instruct_text", W_TEXT, 1}, {"attachment_ids", "act.attachments", W_FILES, 0}}},
    {"resume", 0, NULL, {{0}}},
    {"suspend", 0, NULL, {{0}}},
    {"archive", 0, NULL, {{0}}},
    {"edit",
     0,
     "act.edit_hint",
     {{"title", "field.title", W_LINE, 0},
      {"description", "field.description", W_TEXT, 0},
      {"feedback_cycle", "field.feedback_cycle", W_CYCLE, 0},
      {"metric", "field.metric", W_METRIC, 0},
      {"co_unit_ids", "field.co_unit_ids", W_UNITS, 0}}},
    {"cancel", 0, NULL, {{"reason", "field.reason", W_TEXT, 1}}},
};

const size_t act_form_count = sizeof act_form_table / sizeof act_form_table[0];

/* Actions taken on a page of their own: the item page links there. */
const struct act_link act_link_table[] = {
    {"explain", "/requests"},   /* a request's own actions: its page (request.c) */
    {"follow_up", "/requests"}, /* …the office's 回访 */
    {"rate", "/requests"},      /* …the requester's 评价 */
    {"redo", "/requests"},      /* …the office's 重办 */
    {"triage", "/hazards"},     /* a hazard's triage, with the routing proposal (hazard.c) */
};
const size_t act_link_count = sizeof act_link_table / sizeof act_link_table[0];

static const char *const levels[] = {"general", "key", "listed"};
static const char *const cycles[] = {"none", "weekly", "biweekly", "monthly", "quarterly"};
static const char *const results[] = {"pass", "fail"};
static const char *const modes[] = {"upgrade", "merge", "reclaim"};

static const struct act_form *act_form_find(const char *action)
{
    for (size_t i = 0; action && i < act_form_count; i++)
        if (!strcmp(act_form_table[i].action, action)) return &act_form_table[i];
    return NULL;
}

int act_known(const char *action)
{
    return act_form_find(action) != NULL;
}

/* ---- the forms ---- */

/* A posted value to refill field name of the failed form, or NULL. */
static const char *refill(struct req *r, const struct act_failure *f, const char *action,
                          const char *name)
{
    if (!f || !f->action || strcmp(f->action, action)) return NULL;
    return req_form(r, name);
}

/* 1 when unit id is among the posted co_unit_ids (on a refill) or the item's. */
static int co_checked(struct req *r, const struct act_failure *f, json_t *item, int64_t id)
{
    if (f && f->action && !strcmp(f->action, "assign")) {
        for (int i = 0; i < r->nform; i++) {
            int64_t v;
            const char *s = r->form[i].value;
            if (!strcmp(r->form[i].name, "co_unit_ids") && !str_to_int64(s, strlen(s), &v) &&
                v == id)
                return 1;
        }
        return 0;
    }
    size_t i;
    json_t *u;
    json_array_foreach(json_object_get(item, "co_unit_ids"), i, u)
    {
        if (json_integer_value(u) == id) return 1;
    }
    return 0;
}

static void widget_units(struct req *r, const struct act_field *fd, const char *cur, json_t *item,
                         json_t *units, const struct act_failure *f, const char *fid)
{
    struct buf *o = &r->out;
    size_t i;
    json_t *u;
    if (fd->widget == W_UNIT) {
        html_printf(o,
                    "<select id=\"%s\" name=\"%s\"%s" PAGE_UNIT_FILTER "=\"%s\">"
                    "<option value=\"\">%s</option>",
                    fid, fd->name, fd->required ? " required" : "", T(r, "units.filter"),
                    T(r, "new.choose"));
        page_unit_options(r, units, cur, 0, NULL);
        html_raw(o, "</select>");
        return;
    }
    html_printf(o, "<div class=\"checks\" id=\"%s\">", fid);
    json_array_foreach(units, i, u)
    {
        int64_t id = json_integer_value(json_object_get(u, "id"));
        html_printf(o, "<label><input type=\"checkbox\" name=\"%s\" value=\"%lld\"%s> %s</label>",
                    fd->name, (long long)id, co_checked(r, f, item, id) ? " checked" : "",
                    json_string_value(json_object_get(u, "name")));
    }
    html_raw(o, "</div>");
}

/* A file input for photos; after a refusal, the word that they were not kept
 * (files cannot be put back into a form). */
static void widget_photos(struct req *r, const struct act_field *fd, const char *fid,
                          const char *req, int refused)
{
    html_printf(&r->out,
                "<input id=\"%s\" name=\"%s\" type=\"file\" accept=\"image/jpeg,image/png\""
                " multiple capture=\"environment\"%s><small>%s</small>",
                fid, fd->name, req, T(r, "act.photos_hint"));
    if (refused)
        html_printf(&r->out, "<small class=\"again\">%s</small>", T(r, "act.photos_again"));
}

/* 1 when the request posted a non-empty file as field name. */
static int posted_file(struct req *r, const char *name)
{
    for (int i = 0; i < r->nfiles; i++)
        if (!strcmp(r->files[i].name, name) && r->files[i].len) return 1;
    return 0;
}

/* A file input for evidence (any of the types core/attachment.h takes);
 * after a refusal of a form that carried some, the word that they were not
 * kept. */
static void widget_files(struct req *r, const struct act_field *fd, const char *fid, int refused)
{
    refused = refused && posted_file(r, fd->name);
    html_printf(&r->out,
                "<input id=\"%s\" name=\"%s\" type=\"file\" multiple accept=\".pdf,.doc,.docx,"
                ".xls,.xlsx,.wps,.et,.jpg,.jpeg,.png,.gif,.webp,.txt,.zip\"><small>%s</small>",
                fid, fd->name, T(r, "act.attachments_hint"));
    if (refused) html_printf(&r->out, "<small class=\"again\">%s</small>", T(r, "act.files_again"));
}

/* A file input of either kind, photos or evidence. */
static void widget_file(struct req *r, const struct act_field *fd, const char *fid, const char *req,
                        int refused)
{
    if (fd->widget == W_FILES)
        widget_files(r, fd, fid, refused);
    else
        widget_photos(r, fd, fid, req, refused);
}

/* The current value of a field before anything was posted: the item's own
 * lead unit and progress, and what an edit corrects, so the form starts
 * from what is. */
static const char *field_default(struct req *r, const struct act_field *fd, json_t *item)
{
    if (fd->widget == W_LINE || fd->widget == W_CYCLE ||
        (fd->widget == W_TEXT && !strcmp(fd->name, "description")))
        return json_string_value(json_object_get(item, fd->name));
    if (fd->widget == W_UNIT) {
        json_t *id = json_object_get(item, "lead_unit_id");
        return json_is_integer(id)
                   ? arena_printf(r->arena, "%lld", (long long)json_integer_value(id))
                   : NULL;
    }
    return NULL;
}

/* The escalation levels to offer: those above the item's level now (only
 * upwards, as core says), or all of them when it is at the top. */
static size_t levels_from(json_t *records)
{
    const char *now =
        json_string_value(json_object_get(json_object_get(records, "loop"), "escalation"));
    for (size_t i = 0; now && i + 1 < sizeof levels / sizeof levels[0]; i++)
        if (!strcmp(now, levels[i])) return i + 1;
    return 0;
}

/* A metric's target and unit (metric_target, metric_unit in the form),
 * from the item's metric or the refused form's values. */
static void widget_metric(struct req *r, const struct act_form *af, const char *fid, json_t *item,
                          const struct act_failure *f)
{
    const char *t = refill(r, f, af->action, "metric_target");
    const char *u = refill(r, f, af->action, "metric_unit");
    json_t *m = json_object_get(item, "metric");
    if (!(f && f->action && !strcmp(f->action, af->action)) && json_is_object(m)) {
        json_t *target = json_object_get(m, "target");
        t = json_is_number(target) ? arena_printf(r->arena, "%g", json_number_value(target)) : NULL;
        u = json_string_value(json_object_get(m, "unit"));
    }
    html_printf(
        &r->out,
        "<span class=\"metric\"><input id=\"%s\" name=\"metric_target\" type=\"number\""
        " step=\"any\" min=\"0\" inputmode=\"decimal\" value=\"%s\">"
        "<input name=\"metric_unit\" maxlength=\"20\" value=\"%s\" aria-label=\"%s\"></span>",
        fid, t ? t : "", u ? u : "", T(r, "field.metric_unit"));
}

/* The escalation level, and the widgets of the edit form: its title, cycle
 * and metric. */
static void widget_choice(struct req *r, const struct act_form *af, const struct act_field *fd,
                          const char *fid, const char *cur, const char *req, json_t *item,
                          json_t *records, const struct act_failure *f)
{
    struct buf *o = &r->out;
    if (fd->widget == W_LEVEL) {
        html_printf(o, "<select id=\"%s\" name=\"%s\"%s>", fid, fd->name, req);
        for (size_t i = levels_from(records); i < sizeof levels / sizeof levels[0]; i++)
            html_printf(o, "<option value=\"%s\"%s>%s</option>", levels[i],
                        cur && !strcmp(cur, levels[i]) ? " selected" : "",
                        i18n_label(r, "level", levels[i]));
        html_raw(o, "</select>");
    } else if (fd->widget == W_RESULT) {
        html_printf(o, "<select id=\"%s\" name=\"%s\"%s>", fid, fd->name, req);
        for (size_t i = 0; i < sizeof results / sizeof results[0]; i++)
            html_printf(o, "<option value=\"%s\"%s>%s</option>", results[i],
                        cur && !strcmp(cur, results[i]) ? " selected" : "",
                        i18n_label(r, "result", results[i]));
        html_raw(o, "</select>");
    } else if (fd->widget == W_MODE) {
        html_printf(o, "<select id=\"%s\" name=\"%s\"%s>", fid, fd->name, req);
        for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++)
            html_printf(o, "<option value=\"%s\"%s>%s</option>", modes[i],
                        cur && !strcmp(cur, modes[i]) ? " selected" : "",
                        i18n_label(r, "mode", modes[i]));
        html_raw(o, "</select>");
    } else if (fd->widget == W_METRIC) {
        widget_metric(r, af, fid, item, f);
    } else if (fd->widget == W_LINE) {
        html_printf(o, "<input id=\"%s\" name=\"%s\" maxlength=\"200\" value=\"%s\"%s>", fid,
                    fd->name, cur ? cur : "", req);
    } else {
        html_printf(o, "<select id=\"%s\" name=\"%s\"%s>", fid, fd->name, req);
        for (size_t i = 0; i < sizeof cycles / sizeof cycles[0]; i++)
            html_printf(o, "<option value=\"%s\"%s>%s</option>", cycles[i],
                        cur && !strcmp(cur, cycles[i]) ? " selected" : "",
                        i18n_label(r, "cycle", cycles[i]));
        html_raw(o, "</select>");
    }
}

/* Whether the form requires field fd for the item's kind: a kind's own row
 * may require what the form leaves optional (a request's reply) or make
 * optional what every kind requires (a request's submit text). */
static int act_required(json_t *item, const struct act_form *af, const struct act_field *fd)
{
    const char *kind = json_string_value(json_object_get(item, "kind"));
    const struct action_spec *ks = action_spec_find(kind, af->action);
    const struct action_spec *gs = action_spec_find(NULL, af->action);
    const struct action_field *kf = ks ? action_spec_field(ks, fd->name) : NULL;
    const struct action_field *gf = gs ? action_spec_field(gs, fd->name) : NULL;
    if (kf && ks != gs) return kf->required || (fd->required && !(gf && gf->required));
    return fd->required;
}

static void act_widget(struct req *r, const struct act_form *af, const struct act_field *fd,
                       json_t *item, json_t *records, json_t *units, const struct act_failure *f)
{
    struct buf *o = &r->out;
    const char *fid = arena_printf(r->arena, "%s-%s", af->action, fd->name);
    const char *cur = refill(r, f, af->action, fd->name);
    if (!cur && !(f && f->action && !strcmp(f->action, af->action)))
        cur = field_default(r, fd, item);
    const char *req = act_required(item, af, fd) ? " required" : "";
    if (fd->widget == W_UNITS)
        html_printf(o, "<span class=\"lbl\">%s</span>", T(r, fd->label));
    else
        html_printf(o, "<label for=\"%s\">%s</label>", fid, T(r, fd->label));
    switch (fd->widget) {
    case W_TEXT:
        html_printf(o,
                    "<textarea id=\"%s\" name=\"%s\" rows=\"3\" maxlength=\"5000\"%s>%s</textarea>",
                    fid, fd->name, req, cur ? cur : "");
        break;
    case W_DATE:
        html_printf(o, "<input id=\"%s\" name=\"%s\" type=\"date\" value=\"%s\"%s>", fid, fd->name,
                    cur ? cur : "", req);
        break;
    case W_INT:
    case W_ID:
        html_printf(o,
                    "<input id=\"%s\" name=\"%s\" type=\"number\" min=\"1\" max=\"%lld\" "
                    "inputmode=\"numeric\" value=\"%s\"%s>",
                    fid, fd->name, fd->widget == W_INT ? 366LL : 9007199254740991LL, cur ? cur : "",
                    req);
        break;
    case W_PROGRESS:
        html_printf(o,
                    "<input id=\"%s\" name=\"%s\" type=\"number\" min=\"0\" max=\"100\" "
                    "inputmode=\"numeric\" placeholder=\"%lld\" value=\"%s\"%s>",
                    fid, fd->name, (long long)json_integer_value(json_object_get(item, "progress")),
                    cur ? cur : "", req);
        break;
    case W_VALUE:
    case W_AMOUNT:
        html_printf(o,
                    "<input id=\"%s\" name=\"%s\" type=\"number\" step=\"%s\" "
                    "inputmode=\"decimal\" value=\"%s\"%s>",
                    fid, fd->name, fd->widget == W_AMOUNT ? "0.01" : "any", cur ? cur : "", req);
        break;
    case W_UNIT:
    case W_UNITS:
        widget_units(r, fd, cur, item, units, f, fid);
        break;
    case W_PHOTOS:
    case W_FILES:
        widget_file(r, fd, fid, req, f && f->action && !strcmp(f->action, af->action));
        break;
    default: /* the selects and the edit's line and metric */
        widget_choice(r, af, fd, fid, cur, req, item, records, f);
        break;
    }
}

/* The pending extension request, shown in the forms that decide it. */
static void act_pending(struct req *r, json_t *pending)
{
    const char *reason = json_string_value(json_object_get(pending, "reason"));
    html_printf(&r->out, "<p class=\"pending\">%s: %s → <b>%s</b><br><span>%s</span></p>",
                T(r, "loop.pending_extension"),
                json_string_value(json_object_get(pending, "old_deadline")),
                json_string_value(json_object_get(pending, "new_deadline")), reason ? reason : "");
}

/* The form's opening: <form> with the CSRF token and the action; a form
 * with files is multipart/form-data. */
static void act_form_open(struct req *r, json_t *item, const char *action, const char *cls,
                          int files)
{
    html_printf(&r->out, "<form method=\"post\" action=\"/items/%lld/act\" class=\"%s\"",
                (long long)json_integer_value(json_object_get(item, "id")), cls);
    if (files) html_raw(&r->out, " enctype=\"multipart/form-data\"");
    html_printf(&r->out,
                "><input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                "<input type=\"hidden\" name=\"action\" value=\"%s\">",
                r->session.csrf, action);
}

/* 1 when the item's kind takes field fd of af's action (a hazard's submit
 * takes photos, a task's does not): the action list says, not a kind's name. */
static int act_takes(json_t *item, const struct act_form *af, const struct act_field *fd)
{
    const struct action_spec *s =
        action_spec_find(json_string_value(json_object_get(item, "kind")), af->action);
    return s && action_spec_field(s, fd->name);
}

/* 1 when af's form, as the item's kind takes it, carries files. */
static int act_has_files(json_t *item, const struct act_form *af)
{
    for (const struct act_field *fd = af->fields; fd->name; fd++)
        if ((fd->widget == W_PHOTOS || fd->widget == W_FILES) && act_takes(item, af, fd)) return 1;
    return 0;
}

/* The office's note for the public (core's public_note), on the forms of a
 * published kind's item (a hazard: Open311) for supervisors and admins. */
static void act_public_note(struct req *r, const struct act_form *af, json_t *item,
                            const struct act_failure *f)
{
    const struct kind *k = kind_find(json_string_value(json_object_get(item, "kind")));
    if (!k || !k->published || !(r->actor->roles & (ROLE_SUPERVISOR | ROLE_ADMIN))) return;
    const char *fid = arena_printf(r->arena, "%s-public_note", af->action);
    const char *cur = refill(r, f, af->action, ACTION_PUBLIC_NOTE);
    html_printf(&r->out,
                "<label for=\"%s\">%s</label><textarea id=\"%s\" name=\"%s\" rows=\"2\" "
                "maxlength=\"1000\">%s</textarea><small>%s</small>",
                fid, T(r, "act.public_note"), fid, ACTION_PUBLIC_NOTE, cur ? cur : "",
                T(r, "act.public_note_hint"));
}

/* Inside a submit button's tag: the question assets/app.js asks before an
 * action that stops or sends back work is sent (暂停, 撤销, 退回). */
static void act_confirm(struct req *r, const struct act_form *af)
{
    static const char *const asks[][2] = {
        {"cancel", "confirm.cancel"}, {"return", "confirm.return"}, {"suspend", "confirm.suspend"}};
    for (size_t i = 0; i < sizeof asks / sizeof asks[0]; i++)
        if (!strcmp(af->action, asks[i][0]))
            html_printf(&r->out, " data-confirm=\"%s\"", T(r, asks[i][1]));
}

/* 1 when af is a main step of the item now: once assigned, assign is a
 * reassignment (改派), no longer what the page is for (issue 17). */
static int act_main(json_t *item, const struct act_form *af)
{
    const char *status = json_string_value(json_object_get(item, "status"));
    if (!strcmp(af->action, "assign") && status && strcmp(status, "draft") &&
        strcmp(status, "returned"))
        return 0;
    return af->main;
}

/* One action with fields: a <details> that opens by itself when it is the
 * first main step or the one that was refused. */
static void act_details(struct req *r, const struct act_form *af, json_t *item, json_t *records,
                        json_t *units, const struct act_failure *f, int open)
{
    struct buf *o = &r->out;
    int failed = f && f->action && !strcmp(f->action, af->action);
    int metric = json_is_object(json_object_get(item, "metric"));
    int lead = json_integer_value(json_object_get(item, "lead_unit_id")) == r->actor->unit_id;
    const char *label = !strcmp(af->action, "assign") && !act_main(item, af)
                            ? T(r, "act.reassign")
                            : i18n_label(r, "action", af->action);
    html_printf(o, "<details class=\"act a-%s\"%s><summary>%s</summary>", af->action,
                open || failed ? " open" : "", label);
    act_form_open(r, item, af->action, "act-form", act_has_files(item, af));
    if (failed && f->message)
        html_printf(o, "<p class=\"alert\" role=\"alert\">%s</p>", f->message);
    if (!strcmp(af->action, "approve_extension") || !strcmp(af->action, "deny_extension"))
        act_pending(r, json_object_get(json_object_get(records, "loop"), "pending_extension"));
    for (const struct act_field *fd = af->fields; fd->name; fd++) {
        if ((fd->widget == W_VALUE && !metric) || !act_takes(item, af, fd)) continue;
        /* a cooperating unit's feedback is a note: text only; a parent's
         * progress is its sub-items' roll-up, never typed */
        if (!strcmp(af->action, "feedback") && fd->widget != W_TEXT &&
            (!lead || json_is_true(json_object_get(item, "has_children"))))
            continue;
        act_widget(r, af, fd, item, records, units, f);
    }
    act_public_note(r, af, item, f);
    if (af->hint) html_printf(o, "<small>%s</small>", T(r, af->hint));
    if (!strcmp(af->action, "feedback") && lead &&
        json_is_true(json_object_get(item, "has_children")))
        html_printf(o, "<small>%s</small>", T(r, "feedback.rolled_up"));
    html_raw(o, "<div class=\"buttons\"><button type=\"submit\" class=\"primary\"");
    act_confirm(r, af);
    html_printf(o, ">%s</button></div>", label);
    html_raw(o, "</form></details>");
}

/* 1 when the actor may take action (it is in allowed_actions). */
static int allowed(json_t *item, const char *action)
{
    size_t i;
    json_t *a;
    json_array_foreach(json_object_get(item, "allowed_actions"), i, a)
    {
        if (!strcmp(json_string_value(a), action)) return 1;
    }
    return 0;
}

/* 1 when af's form is on the page: allowed, and for the decisions on an
 * extension, only while a request waits. */
static int act_shown(json_t *item, int pending, const struct act_form *af)
{
    if (!allowed(item, af->action)) return 0;
    if (!strcmp(af->action, "approve_extension") || !strcmp(af->action, "deny_extension"))
        return pending;
    return 1;
}

void act_forms(struct req *r, json_t *item, json_t *records, json_t *units,
               const struct act_failure *f)
{
    struct buf *o = &r->out;
    int pending =
        json_is_object(json_object_get(json_object_get(records, "loop"), "pending_extension"));
    int any = 0, opened = 0;
    /* the one-button actions first, in a row */
    for (size_t i = 0; i < act_form_count; i++) {
        const struct act_form *af = &act_form_table[i];
        if (af->fields[0].name || !allowed(item, af->action)) continue;
        if (!any++) html_raw(o, "<div class=\"act-buttons\">");
        act_form_open(r, item, af->action, "act-button", 0);
        html_printf(o, "<button type=\"submit\" class=\"%s\"", af->main ? "primary" : "");
        act_confirm(r, af);
        html_printf(o, ">%s</button></form>", i18n_label(r, "action", af->action));
    }
    for (size_t i = 0; i < act_link_count; i++) {
        const struct act_link *l = &act_link_table[i];
        if (!allowed(item, l->action)) continue;
        if (!any++) html_raw(o, "<div class=\"act-buttons\">");
        html_printf(o, "<a class=\"button primary\" href=\"%s\">%s</a>", l->page,
                    i18n_label(r, "action", l->action));
    }
    if (any) html_raw(o, "</div>");
    /* a refused form with fields shows its message in itself; the rest here */
    const struct act_form *failed = f ? act_form_find(f->action) : NULL;
    int elsewhere = f && f->action && !strcmp(f->action, "delegate"); /* delegate.c's form */
    if (f && f->message && !elsewhere &&
        (!failed || !failed->fields[0].name || !act_shown(item, pending, failed)))
        html_printf(o, "<p class=\"alert\" role=\"alert\">%s</p>", f->message);
    /* the refused form opens; else the first main step */
    int refill_shown = failed && failed->fields[0].name && act_shown(item, pending, failed);
    for (size_t i = 0; i < act_form_count; i++) {
        const struct act_form *af = &act_form_table[i];
        if (!af->fields[0].name || !act_shown(item, pending, af)) continue;
        act_details(r, af, item, records, units, f,
                    act_main(item, af) && !refill_shown && !elsewhere && !opened++);
        any++;
    }
    if (!any) html_printf(o, "<p class=\"empty\">%s</p>", T(r, "item.no_actions"));
}

/* ---- POST /items/{id}/act ---- */

/* The posted value of a field as JSON: numbers where numbers belong, and the
 * text itself when it is not one, so core refuses it in its own words. */
static json_t *field_json(const struct act_field *fd, const char *v)
{
    int64_t n;
    double d;
    switch (fd->widget) {
    case W_INT:
    case W_ID:
    case W_PROGRESS:
    case W_UNIT:
        return str_to_int64(v, strlen(v), &n) ? json_string(v) : json_integer(n);
    case W_VALUE:
    case W_AMOUNT:
        if (!str_to_int64(v, strlen(v), &n)) return json_integer(n);
        return str_to_double(v, strlen(v), &d) ? json_string(v) : json_real(d);
    default:
        return json_string(v);
    }
}

/* The files posted as field name, as base64 strings; NULL when none. */
static json_t *field_photos(struct req *r, const char *name)
{
    json_t *list = NULL;
    for (int i = 0; i < r->nfiles; i++) {
        if (strcmp(r->files[i].name, name) || !r->files[i].len) continue;
        if (!list) list = json_array();
        char *b64 = str_base64(r->files[i].data, r->files[i].len);
        json_array_append_new(list, json_string(b64));
        free(b64);
    }
    return list;
}

/* The metric inputs as the body's metric: both empty → null (none). */
static json_t *metric_json(struct req *r)
{
    const char *t = req_form(r, "metric_target"), *u = req_form(r, "metric_unit");
    if ((!t || !*t) && (!u || !*u)) return json_null();
    json_t *m = json_object();
    json_object_set_new(
        m, "target", t && *t ? field_json(&(struct act_field){.widget = W_VALUE}, t) : json_null());
    if (u && *u) json_object_set_new(m, "unit", json_string(u));
    return m;
}

/* The form as the body item_act takes.  Empty fields are left out (core
 * says which are missing); fields the action does not take are ignored. */
static json_t *act_body(struct req *r, const struct act_form *af)
{
    json_t *b = json_pack("{s:s}", "action", af->action);
    for (const struct act_field *fd = af->fields; fd->name; fd++) {
        if (fd->widget == W_FILES) continue; /* stored by the write (act_run) */
        if (fd->widget == W_PHOTOS) {
            json_t *photos = field_photos(r, fd->name);
            if (photos) json_object_set_new(b, fd->name, photos);
            continue;
        }
        if (fd->widget == W_UNITS) {
            json_t *ids = json_array();
            for (int i = 0; i < r->nform; i++)
                if (!strcmp(r->form[i].name, fd->name) && *r->form[i].value)
                    json_array_append_new(
                        ids, field_json(&(struct act_field){.widget = W_UNIT}, r->form[i].value));
            /* the assign form always shows the boxes: none ticked means none */
            json_object_set_new(b, fd->name, ids);
            continue;
        }
        if (fd->widget == W_METRIC) {
            json_object_set_new(b, fd->name, metric_json(r));
            continue;
        }
        const char *v = req_form(r, fd->name);
        /* an edit's description is always sent: emptied means removed */
        if ((v && *v) || (v && fd->widget == W_TEXT && !strcmp(af->action, "edit")))
            json_object_set_new(b, fd->name, field_json(fd, v));
    }
    const char *note = req_form(r, ACTION_PUBLIC_NOTE);
    if (note && *note) json_object_set_new(b, ACTION_PUBLIC_NOTE, json_string(note));
    return b;
}

/* The item page's action: its body (owned), and the evidence files posted
 * with it (pointing into the request's body). */
struct act_job {
    struct write_job job;
    json_t *body;
    const struct req_file *files;
    int nfiles;
    int64_t held; /* the review holding the report (core/review.h), else 0 */
};

/* The action of the job's body. */
static const char *job_action(const struct write_job *j)
{
    return json_string_value(json_object_get(WRITE_OF(j, struct act_job)->body, "action"));
}

static void act_release(struct write_job *j)
{
    struct act_job *x = WRITE_OF(j, struct act_job);
    json_decref(x->body);
    x->body = NULL;
}

/* Store the posted evidence files (field attachment_ids) and name them in
 * the body, inside the action's write: a refused action keeps none. */
static int act_files(struct db *db, struct write_job *j, struct act_job *x)
{
    json_t *ids = json_array();
    json_object_set_new(x->body, "attachment_ids", ids);
    for (int i = 0; i < x->nfiles; i++) {
        const struct req_file *f = &x->files[i];
        if (strcmp(f->name, "attachment_ids") || !f->len) continue;
        int64_t id = 0;
        const char *mime;
        char sha[65];
        if (json_array_size(ids) == 0 && attachment_may_upload(db, j->actor, j->id, &j->e))
            return -1;
        if (attachment_add(db, j->actor, j->id, f->filename ? f->filename : "", f->data, f->len,
                           &id, &mime, sha, &j->e)) {
            err_subject(&j->e, f->filename ? f->filename : "");
            return -1;
        }
        json_array_append_new(ids, json_integer(id));
    }
    if (!json_array_size(ids)) json_object_del(x->body, "attachment_ids");
    return 0;
}

static int act_run(struct db *db, struct write_job *j)
{
    struct act_job *x = WRITE_OF(j, struct act_job);
    if (act_files(db, j, x)) return -1;
    return review_act(db, j->actor, j->id, x->body, &x->held, &j->e);
}

/* Back where the form was posted from when that is one of the lists that
 * post here, else the item (with a word of success, or that the report
 * waits for the unit head). */
static void act_done(struct req *r, struct write_job *j)
{
    const char *next = req_form(r, "next");
    if (next && (!strcmp(next, "/inbox") || !strcmp(next, "/feedback")))
        req_redirect(r, next);
    else if (WRITE_OF(j, struct act_job)->held)
        write_redirect(r, "/items/%lld?held=1", (long long)j->id);
    else
        write_redirect(r, "/items/%lld?done=%s", (long long)j->id, job_action(j));
}

/* The item page again, the refused form open with core's message. */
static void act_refused(struct req *r, struct write_job *j)
{
    struct act_failure f = {job_action(j), j->e.status, req_err_text(r, &j->e)};
    item_page(r, j->id, &f);
}

static const struct write_ops act_ops = {.what = "taking the action",
                                         .run = act_run,
                                         .done = act_done,
                                         .refused = act_refused,
                                         .release = act_release};

void web_item_act(struct req *r)
{
    const struct act_form *af = act_form_find(req_form(r, "action"));
    if (!af) {
        struct act_failure f = {NULL, 422, T(r, "act.unknown")};
        item_page(r, r->params[0], &f);
        return;
    }
    struct act_job *x = WRITE_NEW(r, struct act_job, &act_ops);
    x->job.id = r->params[0];
    x->body = act_body(r, af);
    x->files = r->files;
    x->nfiles = r->nfiles;
    write_start(r, &x->job);
}
