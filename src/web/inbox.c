/* inbox.c — the inbox page (待办): what waits for the user, as short lists.
 *
 * The lists are core's (inbox_json): a handler sees their unit's 待签收,
 * 待反馈, 即将到期, 已逾期 and 被退回; a supervisor sees 待销号 (submitted),
 * 被退回 (returned by a unit, to reassign) and the city's deadlines.  Where
 * an action needs no words it is a button right in the list (签收 posts the
 * item page's own form and comes back here); the rest link to the item's
 * forms or to the batch feedback page.  For a handler this page is also "/". */
#include <string.h>

#include "core/inbox.h"
#include "web/page.h"
#include "web/web.h"

/* One list of the page: core's name, its title key, and who sees it. */
struct inbox_section {
    const char *list, *title, *empty;
    unsigned roles;
};

#define HANDLER   ROLE_HANDLER
#define SUPERVISE (ROLE_ADMIN | ROLE_SUPERVISOR)
#define ALL_ROLES ROLE_ALL

static const struct inbox_section sections[] = {
    {"to_verify", "inbox.to_verify", "inbox.empty_to_verify", SUPERVISE},
    {"to_accept", "inbox.to_accept", "inbox.empty_to_accept", HANDLER},
    {"to_report", "inbox.to_report", "inbox.empty_to_report", HANDLER},
    {"returned", "inbox.returned", "inbox.empty_returned", HANDLER | SUPERVISE},
    {"overdue", "inbox.overdue", "inbox.empty_overdue", ALL_ROLES},
    {"due_soon", "inbox.due_soon", "inbox.empty_due_soon", ALL_ROLES},
};

/* The inline action of an entry: a button for what needs no words, else a
 * link to the item's forms. */
static void inbox_action(struct req *r, const char *list, json_int_t id, int supervisor)
{
    struct buf *o = &r->out;
    if (!strcmp(list, "to_accept")) {
        html_printf(o,
                    "<form method=\"post\" action=\"/items/%lld/act\" class=\"inline\">"
                    "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                    "<input type=\"hidden\" name=\"action\" value=\"accept\">"
                    "<input type=\"hidden\" name=\"next\" value=\"/inbox\">"
                    "<button type=\"submit\" class=\"primary\">%s</button></form>"
                    "<a class=\"button\" href=\"/items/%lld#act\">%s</a>",
                    (long long)id, r->session.csrf, T(r, "action.accept"), (long long)id,
                    T(r, "action.return"));
    } else if (!strcmp(list, "to_report")) {
        html_printf(o, "<a class=\"button\" href=\"/items/%lld#act\">%s</a>", (long long)id,
                    T(r, "action.feedback"));
    } else if (!strcmp(list, "to_verify")) {
        html_printf(o, "<a class=\"button primary\" href=\"/items/%lld#act\">%s</a>", (long long)id,
                    T(r, "inbox.review"));
    } else if (!strcmp(list, "returned")) {
        html_printf(o, "<a class=\"button\" href=\"/items/%lld#act\">%s</a>", (long long)id,
                    T(r, supervisor ? "action.reassign" : "inbox.redo"));
    }
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
        html_printf(o, "<span%s>%s %s</span>",
                    json_is_true(json_object_get(it, "feedback_late")) ? " class=\"late\"" : "",
                    T(r, "loop.feedback_due"), due);
    html_printf(o, "<span><progress max=\"100\" value=\"%lld\"></progress> %lld%%</span></span>",
                (long long)p, (long long)p);
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
    html_raw(o, "<ul class=\"inbox-list\">");
    size_t i;
    json_t *it;
    json_array_foreach(list, i, it)
    {
        json_int_t id = json_integer_value(json_object_get(it, "id"));
        html_raw(o, "<li><div class=\"what\">");
        page_light(r, json_string_value(json_object_get(it, "light")));
        html_printf(o, "<a href=\"/items/%lld\">%s</a>", (long long)id,
                    json_string_value(json_object_get(it, "title")));
        html_raw(o, "</div>");
        inbox_meta(r, it);
        html_raw(o, "<div class=\"do\">");
        inbox_action(r, s->list, id, supervisor);
        html_raw(o, "</div></li>");
    }
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
    html_printf(&r->out, "<h1>%s</h1><div class=\"inbox-grid\">", T(r, "inbox.title"));
    for (size_t k = 0; k < sizeof sections / sizeof sections[0]; k++) {
        const struct inbox_section *s = &sections[k];
        /* the returned list means one thing to a handler and another to a
         * supervisor; someone with both roles sees it once */
        if (!(r->actor->roles & s->roles)) continue;
        inbox_section(r, s, json_object_get(v, s->list));
    }
    html_raw(&r->out, "</div>");
    json_decref(v);
    layout_end(r, 200);
}
