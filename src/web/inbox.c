/* inbox.c — the inbox page (待办): what waits for the user, as short lists.
 *
 * The lists are core's (inbox_json): a handler sees their unit's 待签收,
 * 被退回, 催办督办, 领导批示, 待反馈, 即将到期 and 已逾期; the office sees 待销号,
 * 延期申请, 被退回 (returned by a unit, to reassign), 待交办 and 待研判 (the
 * hazards to triage) and the city's deadlines; a leader the items escalated
 * to the leaders and what came of their instructions; a grid worker the
 * rectifications waiting for their on-site check.  Each entry says why it
 * is there (the reason of a rejection or a return, the urge, the
 * instruction, the extension asked for) and what to do: where an action
 * needs no words it is a button right in the list (签收 posts the item
 * page's own form and comes back here); the rest link to the item's forms
 * or to the batch feedback page.  For a handler this page is also "/". */
#include <string.h>

#include "core/inbox.h"
#include "core/instruction_file.h"
#include "web/page.h"
#include "web/web.h"

/* What an entry's button does. */
enum inbox_do {
    DO_ACCEPT,
    DO_FEEDBACK,
    DO_REVIEW,
    DO_REDO,
    DO_ASSIGN,
    DO_TRIAGE,
    DO_DECIDE,
    DO_OPEN,
    DO_ANSWER,
    DO_REQUEST_FORM,
    DO_IFILE /* the 批示件 the item came from: to read and close */
};

/* One list of the page: core's name, its title key, who sees it, and what
 * its entries offer. */
struct inbox_section {
    const char *list, *title, *empty;
    unsigned roles;
    enum inbox_do act;
};

#define HANDLER   ROLE_HANDLER
#define SUPERVISE (ROLE_ADMIN | ROLE_SUPERVISOR)
#define ALL_ROLES ROLE_ALL

/* In the order the page shows them: what needs doing first. */
static const struct inbox_section sections[] = {
    {"to_verify", "inbox.to_verify", "inbox.empty_to_verify", HANDLER | SUPERVISE, DO_REVIEW},
    {"extensions", "inbox.extensions", "inbox.empty_extensions", SUPERVISE, DO_DECIDE},
    {"to_accept", "inbox.to_accept", "inbox.empty_to_accept", HANDLER, DO_ACCEPT},
    {"returned", "inbox.returned", "inbox.empty_returned", HANDLER | SUPERVISE, DO_REDO},
    {"urged", "inbox.urged", "inbox.empty_urged", HANDLER, DO_FEEDBACK},
    {"instructed", "inbox.instructed", "inbox.empty_instructed", HANDLER, DO_FEEDBACK},
    {"to_answer", "inbox.to_answer", "inbox.empty_to_answer", HANDLER, DO_ANSWER},
    {"to_check", "inbox.to_check", "inbox.empty_to_check", ROLE_REPORTER, DO_REVIEW},
    {"to_rate", "inbox.to_rate", "inbox.empty_to_rate", ROLE_REPORTER, DO_REQUEST_FORM},
    {"escalated", "inbox.escalated", "inbox.empty_escalated", ROLE_LEADER, DO_OPEN},
    {"to_score", "inbox.to_score", "inbox.empty_to_score", SUPERVISE | ROLE_LEADER, DO_OPEN},
    {"to_triage", "inbox.to_triage", "inbox.empty_to_triage", SUPERVISE, DO_TRIAGE},
    {"acceptance_due", "inbox.acceptance_due", "inbox.empty_acceptance_due", SUPERVISE, DO_OPEN},
    {"to_follow_up", "inbox.to_follow_up", "inbox.empty_to_follow_up", SUPERVISE, DO_REQUEST_FORM},
    {"to_assign", "inbox.to_assign", "inbox.empty_to_assign", SUPERVISE, DO_ASSIGN},
    {"to_report", "inbox.to_report", "inbox.empty_to_report", HANDLER, DO_FEEDBACK},
    {"instruction_results", "inbox.instruction_results", "inbox.empty_instruction_results",
     ROLE_LEADER, DO_IFILE},
    {"my_instructions", "inbox.my_instructions", "inbox.empty_my_instructions", ROLE_LEADER,
     DO_OPEN},
    {"overdue", "inbox.overdue", "inbox.empty_overdue", ALL_ROLES, DO_OPEN},
    {"due_soon", "inbox.due_soon", "inbox.empty_due_soon", ALL_ROLES, DO_OPEN},
};

/* A link to the item's forms labelled with key. */
static void act_link(struct req *r, json_int_t id, const char *key, int primary)
{
    html_printf(&r->out, "<a class=\"button%s\" href=\"/items/%lld#act\">%s</a>",
                primary ? " primary" : "", (long long)id, T(r, key));
}

/* The link of a 批示件's result: to the file's page, where its leader closes
 * it or instructs again (the item's page when the file cannot be read). */
static void ifile_link(struct req *r, json_int_t id)
{
    int64_t file = 0;
    struct db *db = req_db(r);
    if (!db || ifile_of_item(db, id, &file) != DB_OK || !file) {
        act_link(r, id, "inbox.open", 0);
        return;
    }
    html_printf(&r->out, "<a class=\"button primary\" href=\"/instructions/%lld\">%s</a>",
                (long long)file, T(r, "ifile.open_file"));
}

/* The inline action of an entry: a button for what needs no words, else a
 * link to the item's forms. */
static void inbox_action(struct req *r, enum inbox_do act, json_int_t id, int supervisor)
{
    switch (act) {
    case DO_ACCEPT:
        html_printf(&r->out,
                    "<form method=\"post\" action=\"/items/%lld/act\" class=\"inline\">"
                    "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                    "<input type=\"hidden\" name=\"action\" value=\"accept\">"
                    "<input type=\"hidden\" name=\"next\" value=\"/inbox\">"
                    "<button type=\"submit\" class=\"primary\">%s</button></form>",
                    (long long)id, r->session.csrf, T(r, "action.accept"));
        act_link(r, id, "action.return", 0);
        break;
    case DO_FEEDBACK:
        act_link(r, id, "action.feedback", 0);
        break;
    case DO_REVIEW:
        act_link(r, id, "inbox.review", 1);
        break;
    case DO_REDO:
        act_link(r, id, supervisor ? "action.reassign" : "inbox.redo", 0);
        break;
    case DO_ASSIGN:
        act_link(r, id, "action.assign", 1);
        break;
    case DO_TRIAGE:
        act_link(r, id, "action.triage", 1);
        break;
    case DO_DECIDE:
        act_link(r, id, "inbox.decide", 1);
        break;
    case DO_OPEN:
        act_link(r, id, "inbox.open", 0);
        break;
    case DO_ANSWER:
        act_link(r, id, "inbox.answer", 1);
        break;
    case DO_IFILE:
        ifile_link(r, id);
        break;
    case DO_REQUEST_FORM: /* rate, follow_up, redo, explain: the forms of /requests */
        html_printf(&r->out, "<a class=\"button primary\" href=\"/requests#req-%lld\">%s</a>",
                    (long long)id, T(r, "inbox.request_form"));
        break;
    }
}

/* Why the entry is here: the event's action, who, when, and its words
 * (the reason, the urge, the instruction; an extension's new deadline).
 * An outcome says the same of what came of it. */
static void inbox_why(struct req *r, json_t *why, const char *cls)
{
    if (!json_is_object(why)) return;
    const char *text = json_string_value(json_object_get(why, "text"));
    const char *deadline = json_string_value(json_object_get(why, "deadline"));
    const char *who = json_string_value(json_object_get(why, "actor_name"));
    if (!who || !*who) who = json_string_value(json_object_get(why, "actor"));
    html_printf(&r->out, "<p class=\"%s\"><span class=\"what-act\">%s</span> %s · %s", cls,
                i18n_label(r, "action", json_string_value(json_object_get(why, "action"))), who,
                page_time(r, json_string_value(json_object_get(why, "at"))));
    if (deadline) html_printf(&r->out, " · %s %s", T(r, "act.new_deadline"), deadline);
    if (text) html_printf(&r->out, "<q>%s</q>", text);
    html_raw(&r->out, "</p>");
}

/* What an entry shows besides its title: the deadline, the next feedback
 * date (marked when late) and the progress. */
static void inbox_meta(struct req *r, json_t *it)
{
    struct buf *o = &r->out;
    const char *deadline = json_string_value(json_object_get(it, "deadline"));
    const char *due = json_string_value(json_object_get(it, "feedback_due"));
    const char *lead = json_string_value(json_object_get(json_object_get(it, "lead_unit"), "name"));
    json_int_t p = json_integer_value(json_object_get(it, "progress"));
    html_raw(o, "<span class=\"meta\">");
    /* a handler's lists are all their own unit's: the name would say nothing */
    json_int_t lead_id =
        json_integer_value(json_object_get(json_object_get(it, "lead_unit"), "id"));
    if (lead && lead_id != r->actor->unit_id) html_printf(o, "<span>%s</span>", lead);
    html_printf(o, "<span>%s %s</span>", T(r, "item.deadline"), deadline ? deadline : "—");
    if (due && loop_reporting(json_string_value(json_object_get(it, "status"))))
        html_printf(o, "<span class=\"%s\">%s %s</span>",
                    json_is_true(json_object_get(it, "feedback_late")) ? "late" : "due",
                    T(r, "loop.feedback_due"), due);
    const char *accept = json_string_value(json_object_get(it, "accept_due"));
    if (accept) {
        int late = json_is_true(json_object_get(it, "accept_late"));
        html_printf(o, "<span class=\"%s\">%s %s%s%s</span>", late ? "late" : "due",
                    T(r, "loop.accept_due"), accept, late ? " · " : "",
                    late ? T(r, "loop.accept_late") : "");
    }
    html_printf(o, "<span><progress max=\"100\" value=\"%lld\"></progress> %lld%%</span></span>",
                (long long)p, (long long)p);
}

static void inbox_entry(struct req *r, const struct inbox_section *s, json_t *it, int supervisor)
{
    struct buf *o = &r->out;
    json_int_t id = json_integer_value(json_object_get(it, "id"));
    html_raw(o, "<li><div class=\"what\">");
    page_light(r, json_string_value(json_object_get(it, "light")));
    html_printf(o, "<a href=\"/items/%lld\">%s</a>", (long long)id,
                json_string_value(json_object_get(it, "title")));
    html_raw(o, "</div>");
    inbox_meta(r, it);
    inbox_why(r, json_object_get(it, "why"), "why");
    if (json_object_get(it, "outcome")) {
        if (json_is_null(json_object_get(it, "outcome")))
            html_printf(o, "<p class=\"outcome\">%s</p>", T(r, "inbox.no_outcome"));
        inbox_why(r, json_object_get(it, "outcome"), "outcome");
    }
    html_raw(o, "<div class=\"do\">");
    inbox_action(r, s->act, id, supervisor);
    html_raw(o, "</div></li>");
}

static void inbox_section(struct req *r, const struct inbox_section *s, json_t *list)
{
    struct buf *o = &r->out;
    int supervisor = (r->actor->roles & SUPERVISE) != 0;
    size_t n = json_array_size(list);
    html_printf(o, "<section class=\"card inbox i-%s\"><h2>%s <small>%zu</small></h2>", s->list,
                T(r, s->title), n);
    if (!n) {
        html_printf(o, "<p class=\"empty\">%s</p></section>", T(r, s->empty));
        return;
    }
    if (!strcmp(s->list, "to_report"))
        html_printf(o, "<p class=\"more\"><a class=\"button\" href=\"/feedback\">%s →</a></p>",
                    T(r, "feedback.title"));
    if (!strcmp(s->list, "to_triage"))
        html_printf(o, "<p class=\"more\"><a class=\"button\" href=\"/hazards\">%s →</a></p>",
                    T(r, "nav.hazards"));
    html_raw(o, "<ul class=\"inbox-list\">");
    size_t i;
    json_t *it;
    json_array_foreach(list, i, it) inbox_entry(r, s, it, supervisor);
    html_raw(o, "</ul></section>");
}

void web_inbox(struct req *r)
{
    struct err e = {0};
    struct db *db = page_db(r);
    if (!db) return;
    json_t *v = inbox_json(db, r->actor, &e);
    if (!v) {
        page_fail(r, &e);
        return;
    }
    layout_begin(r, T(r, "inbox.title"), NAV_INBOX, NULL);
    html_printf(&r->out,
                "<h1>%s</h1><p class=\"exports\">%s<a class=\"button\" "
                "href=\"/api/v1/inbox?format=xlsx\">%s</a> <a class=\"button\" "
                "href=\"/api/v1/inbox?format=csv\">%s</a></p><div class=\"inbox-grid\">",
                T(r, "inbox.title"), T(r, "items.export"), T(r, "items.export_xlsx"),
                T(r, "items.export_csv"));
    for (size_t k = 0; k < sizeof sections / sizeof sections[0]; k++) {
        const struct inbox_section *s = &sections[k];
        /* the returned list means one thing to a handler and another to a
         * supervisor; someone with both roles sees it once */
        if (!(r->actor->roles & s->roles)) continue;
        inbox_section(r, s, json_object_get(v, s->list));
    }
    if (r->actor->roles & SUPERVISE)
        assessment_objections_card(r, json_object_get(v, "objections"));
    review_cards(r, v);
    html_raw(&r->out, "</div>");
    json_decref(v);
    layout_end(r, 200);
}
