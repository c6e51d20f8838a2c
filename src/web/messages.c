/* messages.c — the user's messages (消息) and how they are reached (提醒方式).
 *
 * /messages lists what the events that concern the user told them, newest
 * first, unread ones marked, each linking its item, with "mark read" per
 * message and for all.  /prefs is the form of core/prefs.h: the contact
 * addresses, the outside channels (those an admin has not turned on are
 * shown as such), the events, quiet hours and the daily digest; the form
 * becomes the JSON body of POST /api/v1/me/prefs, so one validation path
 * serves both. */
#include <string.h>

#include "core/channel.h"
#include "core/message.h"
#include "core/notify.h"
#include "core/prefs.h"
#include "http/write.h"
#include "util/str.h"
#include "web/page.h"
#include "web/web.h"

#define MESSAGES_PAGE 50

/* ---- /messages ---- */

static void message_entry(struct req *r, json_t *m)
{
    struct buf *o = &r->out;
    int read = json_is_true(json_object_get(m, "read"));
    json_int_t id = json_integer_value(json_object_get(m, "id"));
    const char *link = json_string_value(json_object_get(m, "link"));
    const char *title = json_string_value(json_object_get(m, "title"));
    html_printf(o, "<li class=\"%s\"><div class=\"what\">", read ? "read" : "unread");
    if (link)
        html_printf(o, "<a href=\"%s\">%s</a>", link, title);
    else
        html_printf(o, "<b>%s</b>", title);
    html_printf(o, "</div><p class=\"meta\"><span>%s</span><span>%s</span></p>",
                json_string_value(json_object_get(m, "actor")),
                page_time(r, json_string_value(json_object_get(m, "at"))));
    const char *text = json_string_value(json_object_get(m, "text"));
    if (text && *text) html_printf(o, "<p class=\"text\">%s</p>", text);
    if (!read)
        html_printf(o,
                    "<form method=\"post\" action=\"/messages\" class=\"inline do\">"
                    "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                    "<input type=\"hidden\" name=\"id\" value=\"%lld\">"
                    "<button type=\"submit\">%s</button></form>",
                    r->session.csrf, (long long)id, T(r, "messages.mark_read"));
    html_raw(o, "</li>");
}

static void messages_list(struct req *r, json_t *v, int64_t offset)
{
    struct buf *o = &r->out;
    json_t *list = json_object_get(v, "messages"), *m;
    size_t i;
    if (!json_array_size(list)) {
        html_printf(o, "<p class=\"empty\">%s</p>", T(r, "messages.empty"));
        return;
    }
    html_raw(o, "<ul class=\"messages\">");
    json_array_foreach(list, i, m) message_entry(r, m);
    html_raw(o, "</ul>");
    if (offset > 0)
        html_printf(o, "<a class=\"button\" href=\"/messages?offset=%lld\">← %s</a> ",
                    (long long)(offset > MESSAGES_PAGE ? offset - MESSAGES_PAGE : 0),
                    T(r, "messages.newer"));
    if (json_array_size(list) == MESSAGES_PAGE)
        html_printf(o, "<a class=\"button\" href=\"/messages?offset=%lld\">%s →</a>",
                    (long long)(offset + MESSAGES_PAGE), T(r, "messages.older"));
}

void web_messages(struct req *r)
{
    struct db *db = page_db(r);
    if (!db) return;
    int64_t offset = 0;
    const char *q = req_query(r, "offset");
    if (q && (str_to_int64(q, strlen(q), &offset) || offset < 0)) offset = 0;
    struct err e = {0};
    json_t *v = message_list_json(db, r->actor->user_id, 0, offset, MESSAGES_PAGE, &e);
    if (!v) {
        page_fail(r, &e);
        return;
    }
    struct buf *o = &r->out;
    json_int_t unread = json_integer_value(json_object_get(v, "unread_count"));
    layout_begin(r, T(r, "messages.title"), NAV_NONE, NULL);
    html_printf(o, "<h1>%s <small>%lld %s</small></h1><p class=\"more\">", T(r, "messages.title"),
                (long long)unread, T(r, "messages.unread"));
    if (unread)
        html_printf(o,
                    "<form method=\"post\" action=\"/messages\" class=\"inline\">"
                    "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                    "<input type=\"hidden\" name=\"all\" value=\"1\">"
                    "<button type=\"submit\">%s</button></form> ",
                    r->session.csrf, T(r, "messages.mark_all"));
    html_printf(o, "<a class=\"button\" href=\"/prefs\">%s</a></p><section class=\"card\">",
                T(r, "prefs.title"));
    messages_list(r, v, offset);
    html_raw(o, "</section>");
    json_decref(v);
    layout_end(r, 200);
}

static int read_form_run(struct db *db, struct write_job *j)
{
    int64_t changed;
    return message_mark_read(db, j->actor->user_id, WRITE_OF(j, struct write_body)->body, &changed,
                             &j->e);
}

static const struct write_ops read_form_ops = {.what = "marking messages read",
                                               .run = read_form_run,
                                               .next = "/messages",
                                               .release = write_body_release};

/* id=N marks one, all=1 every unread message. */
void web_messages_post(struct req *r)
{
    struct write_body *b = WRITE_NEW(r, struct write_body, &read_form_ops);
    const char *id = req_form(r, "id");
    int64_t n;
    if (req_form(r, "all"))
        b->body = json_pack("{s:b}", "all", 1);
    else if (id && !str_to_int64(id, strlen(id), &n))
        b->body = json_pack("{s:[I]}", "ids", (json_int_t)n);
    else
        b->body = json_object(); /* core refuses it in its words */
    write_start(r, &b->job);
}

/* ---- /prefs ---- */

/* A checkbox named name, checked when on. */
static void checkbox(struct req *r, const char *name, int on, const char *label)
{
    html_printf(&r->out, "<label class=\"check\"><input type=\"checkbox\" name=\"%s\"", name);
    if (on) html_raw(&r->out, " checked");
    html_printf(&r->out, "> %s</label>", label);
}

static void prefs_channels(struct req *r, json_t *p, unsigned enabled)
{
    json_t *chosen = json_object_get(p, "channels");
    html_printf(&r->out, "<fieldset><legend>%s</legend>", T(r, "prefs.channels"));
    for (int k = 0; k < CHANNEL_COUNT; k++) {
        int on = 0;
        size_t i;
        json_t *c;
        json_array_foreach(chosen, i, c) on |= !strcmp(json_string_value(c), channel_names[k]);
        checkbox(r, arena_printf(r->arena, "channel_%s", channel_names[k]), on,
                 i18n_label(r, "channel", channel_names[k]));
        if (!(enabled & (1u << k)))
            html_printf(&r->out, "<small class=\"off\">%s</small>", T(r, "prefs.channel_off"));
    }
    html_raw(&r->out, "</fieldset>");
}

static void prefs_events(struct req *r, json_t *p)
{
    json_t *events = json_object_get(p, "events");
    int all = json_is_string(events);
    char names[512];
    notify_action_names(names, sizeof names);
    html_printf(&r->out, "<fieldset><legend>%s</legend>", T(r, "prefs.events"));
    checkbox(r, "events_all", all, T(r, "prefs.events_all"));
    for (char *s = names, *next; s && *s; s = next) {
        next = strstr(s, ", ");
        if (next) *next = '\0', next += 2;
        int on = 0;
        size_t i;
        json_t *ev;
        json_array_foreach(events, i, ev) on |= !strcmp(json_string_value(ev), s);
        checkbox(r, arena_printf(r->arena, "event_%s", s), all || on, i18n_label(r, "action", s));
    }
    html_raw(&r->out, "</fieldset>");
}

static void prefs_fields(struct req *r, json_t *p)
{
    struct buf *o = &r->out;
    json_t *quiet = json_object_get(p, "quiet_hours");
    const char *qs = json_string_value(json_object_get(quiet, "start"));
    const char *qe = json_string_value(json_object_get(quiet, "end"));
    html_printf(o,
                "<label>%s<input type=\"email\" name=\"email\" value=\"%s\"></label>"
                "<label>%s<input type=\"tel\" name=\"mobile\" value=\"%s\"></label>",
                T(r, "prefs.email"), json_string_value(json_object_get(p, "email")),
                T(r, "prefs.mobile"), json_string_value(json_object_get(p, "mobile")));
    html_printf(o,
                "<fieldset><legend>%s</legend><label>%s<input type=\"time\" name=\"quiet_start\""
                " value=\"%s\"></label><label>%s<input type=\"time\" name=\"quiet_end\""
                " value=\"%s\"></label></fieldset>",
                T(r, "prefs.quiet"), T(r, "prefs.quiet_start"), qs ? qs : "",
                T(r, "prefs.quiet_end"), qe ? qe : "");
    checkbox(r, "digest", json_is_true(json_object_get(p, "digest")), T(r, "prefs.digest"));
}

static void prefs_page(struct req *r, int status, const char *error)
{
    struct db *db = page_db(r);
    if (!db) return;
    struct err e = {0};
    unsigned enabled = 0;
    json_t *p = prefs_json(db, r->actor->user_id, &e);
    if (!p || channel_enabled(db, &enabled) != DB_OK) {
        json_decref(p);
        page_fail(r, &e);
        return;
    }
    struct buf *o = &r->out;
    layout_begin(r, T(r, "prefs.title"), NAV_NONE, NULL);
    html_printf(o, "<h1>%s</h1>", T(r, "prefs.title"));
    if (error)
        html_printf(o, "<p class=\"alert\" role=\"alert\">%s: %s</p>", T(r, "new.error"), error);
    else if (req_query(r, "saved"))
        html_printf(o, "<p class=\"note\">%s</p>", T(r, "prefs.saved"));
    html_printf(o,
                "<p>%s</p><section class=\"card form\"><form method=\"post\" action=\"/prefs\">"
                "<input type=\"hidden\" name=\"csrf\" value=\"%s\">",
                T(r, "prefs.hint"), r->session.csrf);
    prefs_fields(r, p);
    prefs_channels(r, p, enabled);
    prefs_events(r, p);
    html_printf(o,
                "<div class=\"buttons\"><button type=\"submit\" class=\"primary\">%s</button>"
                "</div></form></section>",
                T(r, "admin.save"));
    json_decref(p);
    layout_end(r, status);
}

void web_prefs(struct req *r)
{
    prefs_page(r, 200, NULL);
}

static int prefs_form_run(struct db *db, struct write_job *j)
{
    return prefs_set(db, j->actor->user_id, WRITE_OF(j, struct write_body)->body, &j->e);
}

static const struct write_ops prefs_form_ops = {.what = "storing the preferences",
                                                .run = prefs_form_run,
                                                .next = "/prefs?saved=1",
                                                .form = prefs_page,
                                                .release = write_body_release};

/* The checked boxes of names (comma-separated) with prefix, as an array. */
static json_t *checked(struct req *r, const char *prefix, const char *names)
{
    json_t *a = json_array();
    char buf[512];
    snprintf(buf, sizeof buf, "%s", names);
    for (char *s = buf, *next; s && *s; s = next) {
        next = strstr(s, ", ");
        if (next) *next = '\0', next += 2;
        if (req_form(r, arena_printf(r->arena, "%s%s", prefix, s)))
            json_array_append_new(a, json_string(s));
    }
    return a;
}

/* The form as prefs_set's object: empty times mean no quiet hours. */
void web_prefs_post(struct req *r)
{
    struct write_body *b = WRITE_NEW(r, struct write_body, &prefs_form_ops);
    const char *qs = req_form(r, "quiet_start"), *qe = req_form(r, "quiet_end");
    char events[512];
    notify_action_names(events, sizeof events);
    b->body =
        json_pack("{s:s,s:s,s:o,s:b}", "email", req_form(r, "email") ? req_form(r, "email") : "",
                  "mobile", req_form(r, "mobile") ? req_form(r, "mobile") : "", "channels",
                  checked(r, "channel_", "email, webhook, dingtalk"), "digest",
                  req_form(r, "digest") != NULL);
    json_object_set_new(b->body, "events",
                        req_form(r, "events_all") ? json_string("*")
                                                  : checked(r, "event_", events));
    if ((qs && *qs) || (qe && *qe))
        json_object_set_new(b->body, "quiet_hours",
                            json_pack("{s:s,s:s}", "start", qs ? qs : "", "end", qe ? qe : ""));
    else
        json_object_set_new(b->body, "quiet_hours", json_null());
    write_start(r, &b->job);
}
