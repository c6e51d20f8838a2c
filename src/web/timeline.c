/* timeline.c — an item's events (its hash chain, core/event.h) as sentences
 * in the page's language (issue 17, major 7): "交办给应急管理局，期限
 * 2030-03-31（10 个工作日）。", never raw data, field names or ✓/✗.
 *
 * One row per event action says how its data reads: the opening phrase,
 * then clauses for what the event recorded (units by name, dates, counts,
 * contract values by their labels), joined and ended by the language's
 * punctuation; the free text a person wrote (a reason, a report, a 批示)
 * follows as its own paragraph.  Phrases are whole messages of i18n.c and
 * numbers are placed by the markup, never formatted inside a message.
 * What an event recorded that a sentence leaves out (hashes, ids, the
 * before/after bookkeeping) stays in the chain and the API. */
#include <string.h>

#include "web/page.h"
#include "web/web.h"

/* A sentence being written into r->out: clauses after the first are
 * joined by the language's comma. */
struct say {
    struct req *r;
    json_t *data, *units;
    int n;
    int system;                 /* the event is the system's (the scheduler's) */
    struct timeline_state *now; /* what the events before it established */
};

static void say_sep(struct say *s)
{
    if (s->n++) html_printf(&s->r->out, "%s", T(s->r, "ev.sep"));
}

/* A clause: the phrase of key, then value (text, escaped) when not NULL. */
static void say(struct say *s, const char *key, const char *value)
{
    say_sep(s);
    html_printf(&s->r->out, "%s%s", T(s->r, key), value ? value : "");
}

/* A clause of a number between two phrases ("第 " 3 " 段"). */
static void say_num(struct say *s, const char *pre, long long n, const char *post)
{
    say_sep(s);
    html_printf(&s->r->out, "%s%lld%s", T(s->r, pre), n, post ? T(s->r, post) : "");
}

static json_t *get(struct say *s, const char *key)
{
    return json_object_get(s->data, key);
}

static const char *str(struct say *s, const char *key)
{
    return json_string_value(get(s, key));
}

/* The "after" value of a changed field (the generic before/after). */
static json_t *after(struct say *s, const char *key)
{
    return json_object_get(json_object_get(s->data, "after"), key);
}

static json_t *before(struct say *s, const char *key)
{
    return json_object_get(json_object_get(s->data, "before"), key);
}

static const char *unit_name_id(struct say *s, int64_t id)
{
    const char *name = page_unit_name(s->units, id);
    return name ? name : "?";
}

static const char *unit_name(struct say *s, json_t *id)
{
    return json_is_integer(id) ? unit_name_id(s, json_integer_value(id)) : NULL;
}

/* The units of an array of ids by name, joined by the list comma. */
static const char *unit_names(struct say *s, json_t *ids)
{
    const char *out = "";
    size_t i;
    json_t *u;
    json_array_foreach(ids, i, u) out =
        arena_printf(s->r->arena, "%s%s%s", out, i ? T(s->r, "ev.list") : "", unit_name(s, u));
    return out;
}

/* "(was X)" after a changed value, when it had one. */
static void say_was(struct say *s, const char *old)
{
    if (old && *old) html_printf(&s->r->out, "%s%s%s", T(s->r, "ev.was"), old, T(s->r, "ev.close"));
}

static void say_deadline(struct say *s, json_t *d)
{
    if (json_is_string(d)) say(s, "ev.deadline", json_string_value(d));
}

static void say_progress(struct say *s)
{
    json_t *p = after(s, "progress");
    if (!json_is_integer(p)) return;
    say_num(s, "ev.progress", json_integer_value(p), "ev.percent");
    json_t *b = before(s, "progress");
    if (json_is_integer(b))
        say_was(s, arena_printf(s->r->arena, "%lld%%", (long long)json_integer_value(b)));
}

/* ---- one function per action ---- */

static void ev_create(struct say *s)
{
    say(s,
        !strcmp(str(s, "source") ? str(s, "source") : "", "report") ? "ev.reported" : "ev.create",
        NULL);
    json_t *m = get(s, "meeting");
    if (json_is_object(m)) {
        say_sep(s);
        html_printf(
            &s->r->out, "%s<a href=\"/meetings/%lld\">#%lld</a>%s%lld%s",
            T(s->r, "ev.from_meeting"), (long long)json_integer_value(json_object_get(m, "id")),
            (long long)json_integer_value(json_object_get(m, "id")), T(s->r, "ev.paragraph"),
            (long long)json_integer_value(json_object_get(m, "paragraph")) + 1,
            T(s->r, "ev.paragraph_end"));
    }
    json_t *hz = get(s, "hazard");
    if (json_is_object(hz) && json_is_string(json_object_get(hz, "category")))
        say(s, "ev.category",
            i18n_label(s->r, "category", json_string_value(json_object_get(hz, "category"))));
    if (json_is_integer(get(s, "lead_unit_id")))
        say(s, "ev.lead_unit", unit_name(s, get(s, "lead_unit_id")));
    if (json_array_size(get(s, "co_unit_ids")))
        say(s, "ev.co_units", unit_names(s, get(s, "co_unit_ids")));
    say_deadline(s, get(s, "deadline"));
    json_t *metric = get(s, "metric");
    if (json_is_number(json_object_get(metric, "target"))) {
        const char *u = json_string_value(json_object_get(metric, "unit"));
        say(s, "ev.metric",
            arena_printf(s->r->arena, "%g%s%s",
                         json_number_value(json_object_get(metric, "target")), u ? " " : "",
                         u ? u : ""));
    }
    if (json_array_size(get(s, "photos")))
        say_num(s, "ev.photos", (long long)json_array_size(get(s, "photos")), "ev.photos_end");
}

/* Assigned to the lead unit it names, or kept (the unit the events so far
 * established); reassigned when it moves from a unit that already had it. */
static void ev_assign(struct say *s)
{
    json_t *lead = after(s, "lead_unit_id"), *was = before(s, "lead_unit_id");
    const char *from = json_string_value(before(s, "status"));
    int moved = json_is_integer(lead) && json_is_integer(was) && (!from || strcmp(from, "draft"));
    if (json_is_integer(lead)) s->now->lead = json_integer_value(lead);
    say(s, moved ? "ev.reassign" : "ev.assign", s->now->lead ? unit_name_id(s, s->now->lead) : "?");
    if (moved) say_was(s, unit_name(s, was));
    json_t *d = after(s, "deadline");
    if (json_is_string(d)) {
        say(s, "ev.deadline", json_string_value(d));
        if (json_is_integer(get(s, "working_days")))
            html_printf(&s->r->out, "%s%lld%s%s", T(s->r, "ev.open"),
                        (long long)json_integer_value(get(s, "working_days")),
                        T(s->r, "ev.working_days"), T(s->r, "ev.close"));
    }
    if (json_array_size(get(s, "co_unit_ids")))
        say(s, "ev.co_units", unit_names(s, get(s, "co_unit_ids")));
    if (json_is_true(get(s, "listed"))) say(s, "ev.listed", NULL);
}

static void ev_feedback(struct say *s)
{
    say(s, "ev.feedback", NULL);
    say_progress(s);
    if (json_is_number(get(s, "value")))
        say(s, "ev.value", arena_printf(s->r->arena, "%g", json_number_value(get(s, "value"))));
    if (json_is_true(get(s, "late"))) say(s, "ev.late", NULL); /* on time says nothing */
}

static void ev_extension(struct say *s)
{
    say(s, "ev.request_extension", str(s, "deadline"));
}

static void ev_approve(struct say *s)
{
    say(s, "ev.approve_extension", json_string_value(after(s, "deadline")));
    say_was(s, json_string_value(before(s, "deadline")));
}

static void ev_deny(struct say *s)
{
    say(s, "ev.deny_extension", NULL);
    if (str(s, "requested_deadline")) say(s, "ev.requested", str(s, "requested_deadline"));
}

static void ev_submit(struct say *s)
{
    say(s, "ev.submit", NULL);
    if (json_is_integer(get(s, "after_photos")))
        say_num(s, "ev.after_photos", json_integer_value(get(s, "after_photos")),
                "ev.after_photos_end");
    if (str(s, "acceptance_due")) say(s, "ev.acceptance_due", str(s, "acceptance_due"));
    if (json_is_true(get(s, "extension_withdrawn"))) say(s, "ev.extension_lapsed", NULL);
}

/* 1 when data is a challenge's acceptance (验收): its "result" is the
 * verdict pass or fail, not a person's text. */
static int is_verdict(json_t *data)
{
    const char *v = json_string_value(json_object_get(data, "result"));
    return v && (!strcmp(v, "pass") || !strcmp(v, "fail"));
}

static void ev_verify(struct say *s)
{
    if (is_verdict(s->data))
        say(s, "ev.acceptance", i18n_label(s->r, "result", str(s, "result")));
    else
        say(s, "ev.verify", NULL);
    if (json_is_integer(get(s, "open_children")))
        say_num(s, "ev.open_children", json_integer_value(get(s, "open_children")), NULL);
    if (json_is_true(get(s, "delisted"))) say(s, "ev.delisted", NULL);
}

static void ev_urge(struct say *s)
{
    say(s, s->system ? "ev.urge_auto" : "ev.urge", NULL);
}

static void ev_escalate(struct say *s)
{
    say(s, "ev.escalate", i18n_label(s->r, "level", json_string_value(after(s, "escalation"))));
}

static void ev_cancel(struct say *s)
{
    say(s, "ev.cancel", NULL);
    if (json_is_integer(get(s, "duplicate_of"))) {
        say_sep(s);
        html_printf(&s->r->out, "%s<a href=\"/items/%lld\">#%lld</a>", T(s->r, "ev.duplicate_of"),
                    (long long)json_integer_value(get(s, "duplicate_of")),
                    (long long)json_integer_value(get(s, "duplicate_of")));
    }
}

static void ev_triage(struct say *s)
{
    say(s, "ev.triage", NULL);
    const char *level = str(s, "level");
    if (level) say(s, !strcmp(level, "major") ? "ev.level_major" : "ev.level_general", NULL);
    if (str(s, "category")) say(s, "ev.category", i18n_label(s->r, "category", str(s, "category")));
    json_t *lead = after(s, "lead_unit_id");
    if (json_is_integer(lead)) say(s, "ev.responsible", unit_name(s, lead));
    if (json_is_true(get(s, "rerouted"))) say(s, "ev.rerouted", NULL);
    if (json_is_string(after(s, "title"))) { /* a re-routed hazard's default title */
        say(s, "ev.title", json_string_value(after(s, "title")));
        html_printf(&s->r->out, "%s", T(s->r, "ev.title_end"));
    }
    json_t *p = get(s, "proposed_unit_id");
    if (json_is_integer(p) && !json_equal(p, lead)) say(s, "ev.proposed", unit_name(s, p));
    if (p && json_is_null(p)) say(s, "ev.no_route", NULL);
    say_deadline(s, after(s, "deadline"));
    if (json_is_object(get(s, "plan"))) say(s, "ev.plan", NULL);
}

static void ev_photo(struct say *s)
{
    const char *phase = str(s, "phase"), *mime = str(s, "mime");
    say(s, phase && !strcmp(phase, "after") ? "ev.photo_after" : "ev.photo_report", NULL);
    if (json_is_integer(get(s, "bytes")))
        html_printf(&s->r->out, "%s%s%s%lld KB%s", T(s->r, "ev.open"),
                    mime && !strcmp(mime, "image/png") ? "PNG" : "JPEG", T(s->r, "ev.list"),
                    (long long)(json_integer_value(get(s, "bytes")) + 1023) / 1024,
                    T(s->r, "ev.close"));
}

static void ev_rollup(struct say *s)
{
    json_t *p = after(s, "progress"), *b = before(s, "progress");
    say_sep(s);
    html_printf(&s->r->out, "%s<a href=\"/items/%lld\">#%lld</a>%s%lld%s", T(s->r, "ev.rollup"),
                (long long)json_integer_value(get(s, "child_id")),
                (long long)json_integer_value(get(s, "child_id")), T(s->r, "ev.rollup_end"),
                (long long)json_integer_value(p), T(s->r, "ev.percent"));
    if (json_is_integer(b))
        say_was(s, arena_printf(s->r->arena, "%lld%%", (long long)json_integer_value(b)));
}

/* ---- a challenge's (揭榜挂帅) ---- */

static void ev_apply(struct say *s)
{
    say_sep(s);
    html_printf(&s->r->out, "%s%lld", T(s->r, "ev.apply"),
                (long long)json_integer_value(get(s, "application_id")));
    if (str(s, "team")) say(s, "ev.team", str(s, "team"));
    if (json_is_number(get(s, "budget_wan")))
        say(s, "ev.budget",
            arena_printf(s->r->arena, "%.2f", json_number_value(get(s, "budget_wan"))));
}

static void ev_review(struct say *s)
{
    say_sep(s);
    html_printf(&s->r->out, "%s%lld", T(s->r, "ev.review"),
                (long long)json_integer_value(get(s, "application_id")));
    say_num(s, "ev.score", json_integer_value(get(s, "score")), NULL);
}

static void ev_award(struct say *s)
{
    json_t *lead = after(s, "lead_unit_id");
    if (json_is_integer(lead)) s->now->lead = json_integer_value(lead);
    say_sep(s);
    html_printf(&s->r->out, "%s%lld", T(s->r, "ev.award"),
                (long long)json_integer_value(get(s, "application_id")));
    say(s, "ev.winner", unit_name(s, get(s, "winner_unit_id")));
    say_deadline(s, after(s, "deadline"));
}

static void ev_disburse(struct say *s)
{
    say(s, "ev.disburse",
        arena_printf(s->r->arena, "%.2f", json_number_value(get(s, "amount_wan"))));
    html_printf(&s->r->out, "%s", T(s->r, "ev.wan"));
    say(s, "ev.disbursed_total",
        arena_printf(s->r->arena, "%.2f", json_number_value(get(s, "total_wan"))));
    html_printf(&s->r->out, "%s", T(s->r, "ev.wan"));
}

/* A remediation's plan: written or rewritten, and the way chosen (the text
 * itself is on the item page). */
static void ev_plan(struct say *s)
{
    int text = json_is_string(get(s, "plan"));
    if (text) say(s, "ev.plan_text", NULL);
    const char *mode = json_string_value(get(s, "mode"));
    if (mode) say(s, text ? "ev.mode" : "ev.mode_first", i18n_label(s->r, "mode", mode));
}

/* An edit: what the office corrected, each changed field in a clause. */
static void ev_edit(struct say *s)
{
    json_t *t = after(s, "title"), *c = after(s, "feedback_cycle"), *co = after(s, "co_unit_ids");
    json_t *m = after(s, "metric_target"), *u = after(s, "metric_unit");
    say(s, "ev.edit", NULL);
    if (json_is_string(t)) {
        say(s, "ev.title", json_string_value(t));
        html_printf(&s->r->out, "%s", T(s->r, "ev.title_end"));
    }
    if (after(s, "description")) say(s, "ev.edit_description", NULL);
    if (json_is_string(c)) say(s, "ev.edit_cycle", i18n_label(s->r, "cycle", json_string_value(c)));
    const char *unit = json_is_string(u) ? json_string_value(u) : "";
    if (json_is_number(m))
        say(s, "ev.edit_metric",
            arena_printf(s->r->arena, "%g%s%s", json_number_value(m), *unit ? " " : "", unit));
    else if (*unit)
        say(s, "ev.edit_metric", unit);
    else if (m && json_is_null(m))
        say(s, "ev.edit_metric_none", NULL);
    if (json_array_size(co))
        say(s, "ev.co_units", unit_names(s, co));
    else if (co)
        say(s, "ev.edit_co_none", NULL);
}

/* The actions whose sentence is their phrase alone (the person's text follows). */
static void ev_plain(struct say *s)
{
    (void)s;
}

/* The unit head's decision on a held report (core/review.h): which report. */
static void ev_review_decided(struct say *s, const char *key)
{
    say(s, key, i18n_label(s->r, "action", str(s, "action")));
}

static void ev_review_approve(struct say *s)
{
    ev_review_decided(s, "ev.review_approve");
}

static void ev_review_return(struct say *s)
{
    ev_review_decided(s, "ev.review_return");
}

/* ---- the table ---- */

struct ev_row {
    const char *action, *phrase; /* phrase: the opening of ev_plain's rows */
    void (*fn)(struct say *s);
};

static const struct ev_row rows[] = {
    {"accept", "ev.accept", ev_plain},
    {"apply", NULL, ev_apply},
    {"approve_extension", NULL, ev_approve},
    {"archive", "ev.archive", ev_plain},
    {"assign", NULL, ev_assign},
    {"award", NULL, ev_award},
    {"cancel", NULL, ev_cancel},
    {"close_applications", "ev.close_applications", ev_plain},
    {"create", NULL, ev_create},
    {"deny_extension", NULL, ev_deny},
    {"disburse", NULL, ev_disburse},
    {"edit", NULL, ev_edit},
    {"escalate", NULL, ev_escalate},
    {"explain", "ev.explain", ev_plain},
    {"feedback", NULL, ev_feedback},
    {"follow_up", "ev.follow_up", ev_plain},
    {"instruct", "ev.instruct", ev_plain},
    {"photo", NULL, ev_photo},
    {"plan", NULL, ev_plan},
    {"publish", "ev.publish", ev_plain},
    {"rate", "ev.rate", ev_plain},
    {"redo", "ev.redo", ev_plain},
    {"reject", "ev.reject", ev_plain},
    {"request_extension", NULL, ev_extension},
    {"resume", "ev.resume", ev_plain},
    {"return", "ev.return", ev_plain},
    {"review", NULL, ev_review},
    {"review_approve", NULL, ev_review_approve},
    {"review_return", NULL, ev_review_return},
    {"rollup", NULL, ev_rollup},
    {"submit", NULL, ev_submit},
    {"suspend", "ev.suspend", ev_plain},
    {"triage", NULL, ev_triage},
    {"urge", NULL, ev_urge},
    {"verify", NULL, ev_verify},
};

static const struct ev_row *row_find(const char *action)
{
    for (size_t i = 0; action && i < sizeof rows / sizeof *rows; i++)
        if (!strcmp(rows[i].action, action)) return &rows[i];
    return NULL;
}

int timeline_knows(const char *action)
{
    return row_find(action) != NULL;
}

/* The text a person wrote with the event, as its own paragraph (an
 * acceptance's verdict is no text: its sentence said it). */
static void event_text(struct req *r, const char *action, json_t *data)
{
    static const char *const keys[] = {"reason", "text", "comment", "result",
                                       "reply",  "note", "report"};
    int verdict = action && !strcmp(action, "verify") && is_verdict(data);
    for (size_t k = 0; k < sizeof keys / sizeof *keys; k++) {
        if (verdict && !strcmp(keys[k], "result")) continue;
        const char *t = json_string_value(json_object_get(data, keys[k]));
        if (t && *t) html_printf(&r->out, "<p class=\"rt\">%s</p>", t);
    }
}

/* The evidence the event carries, each a download link with its size. */
static void event_files(struct req *r, json_t *data)
{
    json_t *list = json_object_get(data, "attachments"), *f;
    size_t i;
    if (!json_array_size(list)) return;
    html_printf(&r->out, "<ul class=\"files\" aria-label=\"%s\">", T(r, "ev.attachments"));
    json_array_foreach(list, i, f)
    {
        const char *name = json_string_value(json_object_get(f, "name"));
        json_int_t bytes = json_integer_value(json_object_get(f, "bytes"));
        html_printf(&r->out,
                    "<li><a href=\"/attachments/%lld\" download>%s</a> <small>%lld KB</small></li>",
                    (long long)json_integer_value(json_object_get(f, "id")), name ? name : "",
                    (long long)(bytes + 1023) / 1024);
    }
    html_raw(&r->out, "</ul>");
}

void timeline_event(struct req *r, json_t *ev, json_t *units, struct timeline_state *now)
{
    const char *action = json_string_value(json_object_get(ev, "action"));
    const char *actor = json_string_value(json_object_get(ev, "actor"));
    const char *name = json_string_value(json_object_get(ev, "actor_name"));
    const char *at = json_string_value(json_object_get(ev, "at"));
    int system = !actor || !strcmp(actor, "system");
    html_printf(&r->out,
                "<li class=\"a-%s\"><div class=\"head\"><b>%s</b> <span class=\"by\">%s</span>"
                "<time datetime=\"%s\">%s</time></div><p class=\"say\">",
                action ? action : "", i18n_label(r, "action", action),
                system          ? T(r, "loop.system")
                : name && *name ? name
                                : actor,
                at ? at : "", page_time(r, at));
    struct say s = {r, json_object_get(ev, "data"), units, 0, system, now};
    const struct ev_row *row = row_find(action);
    if (row && row->phrase) say(&s, row->phrase, NULL);
    if (row)
        row->fn(&s);
    else
        say(&s, "ev.other", NULL);
    json_t *lead = after(&s, "lead_unit_id");
    if (json_is_integer(lead)) now->lead = json_integer_value(lead);
    if (action && !strcmp(action, "create") && json_is_integer(get(&s, "lead_unit_id")))
        now->lead = json_integer_value(get(&s, "lead_unit_id"));
    html_printf(&r->out, "%s</p>", T(r, "ev.end"));
    event_text(r, action, s.data);
    event_files(r, s.data);
    html_raw(&r->out, "</li>");
}
