/* item.c — one item's page: its fields, units, metric and progress, light,
 * the forms of the actions the viewer may take (act.c), the supervision
 * loop's records (feedback with progress, extension requests and their
 * decisions, urges, escalations, instructions 批示), the documents its
 * actions issued (交办通知单 …, as PDF) and the timeline from its event chain.  item_page() is also
 * how a refused action form comes back. Visibility is item_get_json's: a 403 or 404 from core
 * becomes the error page, and the records and events are read only after it said yes. */
#include <string.h>

#include "core/event.h"
#include "core/feedback.h"
#include "core/perm.h"
#include "core/item.h"
#include "web/page.h"
#include "web/web.h"

/* One <dt>/<dd> pair with text (escaped) as the value. */
static void field(struct req *r, const char *key, const char *text)
{
    html_printf(&r->out, "<dt>%s</dt><dd>%s</dd>", T(r, key), text && *text ? text : "—");
}

static void item_units(struct req *r, json_t *item, json_t *units)
{
    struct buf *o = &r->out;
    field(r, "item.lead_unit",
          json_string_value(json_object_get(json_object_get(item, "lead_unit"), "name")));
    html_printf(o, "<dt>%s</dt><dd>", T(r, "item.co_units"));
    json_t *co = json_object_get(item, "co_unit_ids");
    if (!json_array_size(co)) html_raw(o, "—");
    size_t i;
    json_t *u;
    json_array_foreach(co, i, u)
    {
        const char *name = page_unit_name(units, json_integer_value(u));
        html_printf(o, "<span class=\"chip\">%s</span>", name ? name : "?");
    }
    html_raw(o, "</dd>");
}

static void item_metric(struct req *r, json_t *item)
{
    struct buf *o = &r->out;
    json_t *m = json_object_get(item, "metric");
    json_int_t progress = json_integer_value(json_object_get(item, "progress"));
    html_printf(o,
                "<dt>%s</dt><dd><progress max=\"100\" value=\"%lld\">%lld%%</progress> "
                "<b>%lld%%</b></dd>",
                T(r, "item.progress"), (long long)progress, (long long)progress,
                (long long)progress);
    if (!json_is_object(m)) return;
    const char *unit = json_string_value(json_object_get(m, "unit"));
    json_t *val = json_object_get(m, "value");
    html_printf(o, "<dt>%s</dt><dd>%s %g %s", T(r, "item.metric"), T(r, "item.target"),
                json_number_value(json_object_get(m, "target")), unit ? unit : "");
    if (json_is_number(val))
        html_printf(o, " · %s %g %s", T(r, "item.current"), json_number_value(val),
                    unit ? unit : "");
    html_raw(o, "</dd>");
}

static void item_fields(struct req *r, json_t *item, json_t *units)
{
    struct buf *o = &r->out;
    html_raw(o, "<dl class=\"fields\">");
    field(r, "item.kind", i18n_label(r, "kind", json_string_value(json_object_get(item, "kind"))));
    field(r, "item.source",
          i18n_label(r, "source", json_string_value(json_object_get(item, "source"))));
    item_units(r, item, units);
    json_t *leader = json_object_get(item, "leader");
    field(r, "item.leader", json_string_value(json_object_get(leader, "name")));
    field(r, "item.deadline", json_string_value(json_object_get(item, "deadline")));
    field(r, "item.feedback_cycle",
          i18n_label(r, "cycle", json_string_value(json_object_get(item, "feedback_cycle"))));
    item_metric(r, item);
    remediation_item_fields(r, json_object_get(item, "remediation"));
    json_t *parent = json_object_get(item, "parent_id");
    if (json_is_integer(parent))
        html_printf(o, "<dt>%s</dt><dd><a href=\"/items/%lld\">#%lld</a></dd>", T(r, "item.parent"),
                    (long long)json_integer_value(parent), (long long)json_integer_value(parent));
    web_meeting_link(r, json_integer_value(json_object_get(item, "id")));
    field(r, "item.created", page_time(r, json_string_value(json_object_get(item, "created_at"))));
    field(r, "item.updated", page_time(r, json_string_value(json_object_get(item, "updated_at"))));
    html_raw(o, "</dl>");
}

/* The action forms, with a word on what was just done (?done=, after the
 * redirect of a form that succeeded). */
static void item_actions(struct req *r, json_t *item, json_t *records, json_t *units,
                         json_t *choices, const struct act_failure *f)
{
    struct buf *o = &r->out;
    const char *done = f ? NULL : req_query(r, "done");
    html_printf(o, "<section class=\"card acts\" id=\"act\"><h2>%s</h2>", T(r, "item.actions"));
    if (done && act_known(done))
        html_printf(o, "<p class=\"ok\" role=\"status\">%s%s%s</p>", T(r, "act.done"),
                    i18n_label(r, "action", done), T(r, "act.done_end"));
    if (!f && req_query(r, "held"))
        html_printf(o, "<p class=\"ok\" role=\"status\">%s</p>", T(r, "act.held"));
    act_forms(r, item, records, choices ? choices : units, f);
    delegate_form(r, item, units, f);
    long long id = (long long)json_integer_value(json_object_get(item, "id"));
    html_printf(o, "<p class=\"note\"><a href=\"/items/%lld/tree\">%s →</a>", id,
                T(r, "tree.link"));
    if (r->actor->roles & (ROLE_ADMIN | ROLE_SUPERVISOR)) /* who may create items */
        html_printf(o, " <a href=\"/items/new?parent=%lld\">%s →</a>", id, T(r, "item.new_child"));
    html_raw(o, "</p></section>");
}

static void item_timeline(struct req *r, json_t *events, json_t *units)
{
    struct buf *o = &r->out;
    html_printf(o, "<section class=\"card events\"><h2>%s</h2>", T(r, "item.timeline"));
    if (!json_array_size(events)) html_printf(o, "<p class=\"empty\">%s</p>", T(r, "ev.empty"));
    html_raw(o, "<ol class=\"timeline\">");
    struct timeline_state now = {0};
    size_t i;
    json_t *ev;
    json_array_foreach(events, i, ev) timeline_event(r, ev, units, &now);
    html_raw(o, "</ol></section>");
}

/* The loop's state as badges beside the light: escalation level, a late
 * feedback, a waiting extension request, a late 签收, a major hazard's late
 * acceptance (its kind part's acceptance_light, defect 13 of issue 17). */
static void loop_badges(struct req *r, json_t *item, json_t *loop, const char *status)
{
    struct buf *o = &r->out;
    const char *acc =
        json_string_value(json_object_get(json_object_get(item, "hazard"), "acceptance_light"));
    if (acc && !strcmp(acc, "red"))
        html_printf(o, "<span class=\"tag late acceptance-late\">%s</span>",
                    T(r, "hazard.acceptance_late"));
    const char *level = json_string_value(json_object_get(loop, "escalation"));
    if (level)
        html_printf(o, "<span class=\"tag esc-%s\">%s · %s</span>", level, T(r, "loop.escalation"),
                    i18n_label(r, "level", level));
    if (loop_reporting(status) && json_is_true(json_object_get(loop, "feedback_late")))
        html_printf(o, "<span class=\"tag late\">%s</span>", T(r, "loop.feedback_late"));
    if (json_is_object(json_object_get(loop, "pending_extension")))
        html_printf(o, "<span class=\"tag\">%s</span>", T(r, "loop.extension_waiting"));
    if (json_is_true(json_object_get(loop, "accept_late")))
        html_printf(o, "<span class=\"tag late accept-late\">%s</span>", T(r, "loop.accept_late"));
}

/* The head line of one record: time, who, and extra text (already words). */
static void rec_head(struct req *r, json_t *rec, const char *at_key, const char *who,
                     const char *extra)
{
    const char *at = json_string_value(json_object_get(rec, at_key));
    html_printf(&r->out,
                "<li><div class=\"head\"><b>%s</b><span class=\"by\">%s</span>"
                "<time datetime=\"%s\">%s</time></div>",
                who && *who ? who : T(r, "loop.system"), extra ? extra : "", at ? at : "",
                page_time(r, at));
}

/* A record's text as a paragraph (line breaks kept), when there is one. */
static void rec_text(struct req *r, json_t *rec, const char *key)
{
    const char *t = json_string_value(json_object_get(rec, key));
    if (t && *t) html_printf(&r->out, "<p class=\"rt\">%s</p>", t);
    html_raw(&r->out, "</li>");
}

/* Who a record names: the display name under key "_name" when the person
 * has one, else the login under key (NULL for the system). */
static const char *rec_who(struct req *r, json_t *x, const char *key)
{
    const char *n = json_string_value(json_object_get(x, arena_printf(r->arena, "%s_name", key)));
    return n && *n ? n : json_string_value(json_object_get(x, key));
}

static void rec_feedback(struct req *r, json_t *list)
{
    struct buf *o = &r->out;
    size_t i;
    json_t *f;
    html_printf(o, "<h3>%s</h3><ol class=\"records fb\">", T(r, "loop.feedback"));
    json_array_foreach(list, i, f)
    {
        json_t *p = json_object_get(f, "progress"), *v = json_object_get(f, "value");
        const char *extra = arena_printf(
            r->arena, "%s · %s", rec_who(r, f, "user"),
            T(r, json_is_true(json_object_get(f, "is_lead")) ? "loop.lead" : "loop.co"));
        rec_head(r, f, "at", json_string_value(json_object_get(f, "unit_name")), extra);
        html_raw(o, "<p class=\"nums\">");
        if (json_is_integer(p))
            html_printf(o, "<progress max=\"100\" value=\"%lld\"></progress> <b>%lld%%</b> ",
                        (long long)json_integer_value(p), (long long)json_integer_value(p));
        if (json_is_number(v))
            html_printf(o, "<span>%s %g</span> ", T(r, "field.value"), json_number_value(v));
        if (json_is_true(json_object_get(f, "late")))
            html_printf(o, "<span class=\"tag late\">%s</span>", T(r, "loop.late"));
        html_raw(o, "</p>");
        rec_text(r, f, "text");
    }
    html_raw(o, "</ol>");
}

static void rec_extensions(struct req *r, json_t *list)
{
    struct buf *o = &r->out;
    size_t i;
    json_t *x;
    html_printf(o, "<h3>%s</h3><ol class=\"records\">", T(r, "loop.extensions"));
    json_array_foreach(list, i, x)
    {
        const char *st = json_string_value(json_object_get(x, "status"));
        rec_head(r, x, "requested_at", rec_who(r, x, "requested_by"),
                 arena_printf(r->arena, "%s → %s",
                              json_string_value(json_object_get(x, "old_deadline")),
                              json_string_value(json_object_get(x, "new_deadline"))));
        html_printf(o, "<p class=\"nums\"><span class=\"tag x-%s\">%s</span>", st ? st : "",
                    i18n_label(r, "ext", st));
        const char *by = rec_who(r, x, "decided_by");
        const char *dt = json_string_value(json_object_get(x, "decision_text"));
        if (by)
            html_printf(o, " %s %s %s", by,
                        page_time(r, json_string_value(json_object_get(x, "decided_at"))),
                        dt ? dt : "");
        html_raw(o, "</p>");
        rec_text(r, x, "reason");
    }
    html_raw(o, "</ol>");
}

/* urges, escalations or instructions: who, when, (level), text. */
static void rec_simple(struct req *r, json_t *list, const char *title)
{
    struct buf *o = &r->out;
    size_t i;
    json_t *x;
    html_printf(o, "<h3>%s</h3><ol class=\"records\">", T(r, title));
    json_array_foreach(list, i, x)
    {
        const char *level = json_string_value(json_object_get(x, "level"));
        const char *extra = level ? i18n_label(r, "level", level)
                            : json_is_true(json_object_get(x, "auto")) ? T(r, "loop.auto")
                                                                       : NULL;
        rec_head(r, x, "at", rec_who(r, x, "user"), extra);
        rec_text(r, x, "text");
    }
    html_raw(o, "</ol>");
}

/* The loop's records: next feedback date, feedback history with progress,
 * extension requests and their decisions, urges, escalations, instructions. */
static void item_records(struct req *r, json_t *rec, const char *status)
{
    struct buf *o = &r->out;
    json_t *loop = json_object_get(rec, "loop");
    /* a feedback date means something only while the unit works on the item */
    const char *due =
        loop_reporting(status) ? json_string_value(json_object_get(loop, "feedback_due")) : NULL;
    const char *level = json_string_value(json_object_get(loop, "escalation"));
    html_printf(o, "<section class=\"card loop\"><h2>%s</h2><dl class=\"fields\">",
                T(r, "loop.title"));
    html_printf(o, "<dt>%s</dt><dd>%s", T(r, "loop.feedback_due"), due ? due : "—");
    if (due && json_is_true(json_object_get(loop, "feedback_late")))
        html_printf(o, " <span class=\"tag late\">%s</span>", T(r, "loop.late"));
    html_raw(o, "</dd>");
    const char *accept = json_string_value(json_object_get(loop, "accept_due"));
    if (accept) {
        html_printf(o, "<dt>%s</dt><dd>%s", T(r, "loop.accept_due"), accept);
        if (json_is_true(json_object_get(loop, "accept_late")))
            html_printf(o, " <span class=\"tag late\">%s</span>", T(r, "loop.late"));
        html_raw(o, "</dd>");
    }
    html_printf(o, "<dt>%s</dt><dd>%s</dd></dl>", T(r, "loop.escalation"),
                level ? i18n_label(r, "level", level) : T(r, "none"));
    static const char *const lists[] = {"feedback", "extensions", "urges", "escalations",
                                        "instructions"};
    int any = 0;
    for (size_t k = 0; k < sizeof lists / sizeof lists[0]; k++) {
        json_t *l = json_object_get(rec, lists[k]);
        if (!json_array_size(l)) continue;
        any = 1;
        if (k == 0)
            rec_feedback(r, l);
        else if (k == 1)
            rec_extensions(r, l);
        else
            rec_simple(r, l, arena_printf(r->arena, "loop.%s", lists[k]));
    }
    if (!any) html_printf(o, "<p class=\"empty\">%s</p>", T(r, "loop.empty"));
    html_raw(o, "</section>");
}

/* The kinds with a page of their own beside the item page (data, like the
 * act_link_table: the item page links there). */
static const struct {
    const char *kind, *page, *label;
} kind_pages[] = {
    {"challenge", "/board/", "board.view"},
    {"hazard", "/hazards/", "hazard.view"},
};

/* The photos the item's kind keeps in its part of the item's JSON (a
 * hazard's report and after-photos), oldest first with their phase and
 * time, and the link to the kind's own page. */
static void item_photos(struct req *r, json_t *item)
{
    struct buf *o = &r->out;
    const char *kind = json_string_value(json_object_get(item, "kind"));
    json_t *photos = json_object_get(json_object_get(item, kind ? kind : ""), "photos");
    int64_t id = json_integer_value(json_object_get(item, "id"));
    for (size_t k = 0; kind && k < sizeof kind_pages / sizeof *kind_pages; k++)
        if (!strcmp(kind_pages[k].kind, kind))
            html_printf(o, "<p class=\"note\"><a href=\"%s%lld\">%s →</a></p>", kind_pages[k].page,
                        (long long)id, T(r, kind_pages[k].label));
    if (!json_array_size(photos)) return;
    html_printf(o, "<h2>%s</h2><div class=\"photos\">", T(r, "report.photo"));
    size_t i;
    json_t *p;
    json_array_foreach(photos, i, p)
    {
        const char *phase = json_string_value(json_object_get(p, "phase"));
        html_printf(o,
                    "<figure class=\"ph-%s\"><a href=\"%s\"><img src=\"%s\" alt=\"%s\"></a>"
                    "<figcaption>%s · %s</figcaption></figure>",
                    phase ? phase : "", json_string_value(json_object_get(p, "url")),
                    json_string_value(json_object_get(p, "url")), i18n_label(r, "phase", phase),
                    i18n_label(r, "phase", phase),
                    page_time(r, json_string_value(json_object_get(p, "created_at"))));
    }
    html_raw(o, "</div>");
}

/* The documents the item's actions issued (core/document.h), each its
 * number linked to the PDF as issued, its type, and the copy with the
 * 签收回执 filled; and, to a reader of the item's record (record), the
 * dossier as it stands now.  The item's JSON lists the documents only to
 * those who may read them. */
static void item_documents(struct req *r, json_t *item, int record)
{
    struct buf *o = &r->out;
    json_t *docs = json_object_get(item, "documents"), *d;
    if (!record && !json_array_size(docs)) return;
    html_printf(o, "<h2>%s</h2><ul class=\"documents\">", T(r, "document.title"));
    size_t i;
    json_array_foreach(docs, i, d)
    {
        const char *url = json_string_value(json_object_get(d, "url"));
        json_t *rc = json_object_get(d, "receipt");
        const char *type = json_string_value(json_object_get(d, "type"));
        html_printf(o, "<li><a href=\"%s\">%s</a> %s", url,
                    json_string_value(json_object_get(d, "number")),
                    i18n_label(r, "document.type", type));
        if (type && !strcmp(type, "dossier")) { /* filed at archive: nobody signs for it */
            html_raw(o, "</li>");
            continue;
        }
        if (json_is_object(rc))
            html_printf(o, " · %s %s %s %s · ", T(r, "document.receipt"),
                        json_string_value(json_object_get(rc, "unit")),
                        json_string_value(json_object_get(rc, "by")),
                        page_time(r, json_string_value(json_object_get(rc, "at"))));
        else
            html_printf(o, " · %s · ", T(r, "document.unsigned"));
        html_printf(o, "<a href=\"%s/copy\">%s</a></li>", url, T(r, "document.copy"));
    }
    if (record)
        html_printf(o, "<li><a href=\"/api/v1/items/%lld/dossier.pdf\">%s</a></li>",
                    (long long)json_integer_value(json_object_get(item, "id")),
                    T(r, "document.dossier"));
    html_raw(o, "</ul>");
}

/* events is NULL for a reader who sees the item but not its internal
 * record (a request's enterprise, core/perm.h): no records, no timeline. */
static void item_render(struct req *r, json_t *item, json_t *records, json_t *events, json_t *units,
                        json_t *choices, const struct act_failure *f)
{
    struct buf *o = &r->out;
    const char *title = json_string_value(json_object_get(item, "title"));
    const char *desc = json_string_value(json_object_get(item, "description"));
    layout_begin(r, title, NAV_ITEMS, NULL);
    html_printf(o,
                "<p class=\"crumbs\"><a href=\"/items\">%s</a> › #%lld</p>"
                "<h1 class=\"item-title\">%s</h1><p class=\"badges\">",
                T(r, "items.title"), (long long)json_integer_value(json_object_get(item, "id")),
                title);
    page_light(r, json_string_value(json_object_get(item, "light")));
    page_status(r, json_string_value(json_object_get(item, "status")));
    loop_badges(r, item, json_object_get(records, "loop"),
                json_string_value(json_object_get(item, "status")));
    html_raw(o, "</p><div class=\"item-grid\"><section class=\"card details\">");
    if (desc && *desc) html_printf(o, "<div class=\"desc\">%s</div>", desc);
    item_fields(r, item, units);
    item_photos(r, item);
    item_documents(r, item, events != NULL);
    html_raw(o, "</section>");
    item_actions(r, item, records, units, choices, f);
    if (events) {
        item_records(r, records, json_string_value(json_object_get(item, "status")));
        item_timeline(r, events, units);
    }
    html_raw(o, "</div>");
    layout_end(r, f && f->status ? f->status : 200);
}

/* What a delegator (the unit that split item off, not the office) may
 * reassign it to: the units below it and the parent's cooperating units,
 * as the rule checks (core/delegate.h); NULL for everyone else (all
 * units).  Caller owns. */
static json_t *delegator_choices(struct req *r, struct db *db, json_t *item, json_t *units)
{
    json_t *parent_id = json_object_get(item, "parent_id");
    if ((r->actor->roles & (ROLE_ADMIN | ROLE_SUPERVISOR)) || !json_is_integer(parent_id) ||
        !r->actor->unit_id)
        return NULL;
    struct err e = {0};
    json_t *parent = item_get_json(db, r->actor, json_integer_value(parent_id), &e), *out = NULL;
    if (parent && json_integer_value(json_object_get(parent, "lead_unit_id")) == r->actor->unit_id)
        out = delegate_units(r->actor, units, parent);
    json_decref(parent);
    return out;
}

void item_page(struct req *r, int64_t id, const struct act_failure *f)
{
    struct err e = {0};
    json_t *owner, *item = NULL, *rec = NULL, *ev = NULL;
    json_t *units = page_units(r, &owner);
    if (!units) return;
    struct db *db = req_db(r);
    item = item_get_json(db, r->actor, id, &e);
    if (item) page_mark_children(r, item);
    if (item) rec = feedback_item_json(db, r->actor, id, &e);
    int internal = rec ? perm_item_internal(db, r->actor, id) : 0;
    if (internal < 0) err_db(&e, internal, "reading the item");
    if (internal > 0) ev = event_list_json(db, id, &e);
    json_t *choices = item ? delegator_choices(r, db, item, units) : NULL;
    if (!item || !rec || internal < 0 || (internal && !ev))
        page_fail(r, &e);
    else
        item_render(r, item, rec, ev ? json_object_get(ev, "events") : NULL, units, choices, f);
    json_decref(choices);
    json_decref(ev);
    json_decref(rec);
    json_decref(item);
    json_decref(owner);
}

void web_item(struct req *r)
{
    item_page(r, r->params[0], NULL);
}
