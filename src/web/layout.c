/* layout.c — the frame around every page: head, top bar, navigation, the
 * signed-in user, log-out form and language switch.
 *
 * The pages are plain HTML that works without JavaScript and on a 390 px
 * phone (the viewport meta and assets/style.css do the rest).  Nothing here
 * is inline script or style: the Content-Security-Policy forbids both.  What
 * a page shows inside <main> is the page's business.
 *
 * Accessibility (WCAG 2.1 AA, GB/T 37668): the first tab stop is a skip link
 * to <main id="main">, the navigation is a labelled landmark that wraps at
 * any width, and each language link carries its own lang attribute. */
#include <string.h>

#include "core/core.h"
#include "core/inbox.h"
#include "core/message.h"
#include "core/unit.h"
#include "core/user.h"
#include "web/page.h"
#include "web/web.h"

/* The language links: the page itself with ?lang= set.  Only a path a route
 * matched is linked to (each starts with one of our own prefixes); an error
 * for any other path links the home page, so a path such as
 * "//evil.example/x" never becomes an off-site link. */
static void layout_lang(struct req *r, const char *self_query)
{
    struct buf *o = &r->out;
    const char *self = r->route ? r->path : "/";
    if (!r->route) self_query = NULL;
    const char *sep = self_query && *self_query ? "&" : "";
    const char *q = self_query ? self_query : "";
    html_printf(o, "<span class=\"lang\"><a href=\"%s?%s%slang=zh\" lang=\"zh-CN\"", self, q, sep);
    if (r->lang == LANG_ZH) html_raw(o, " class=\"on\" aria-current=\"true\"");
    html_printf(o, ">%s</a><a href=\"%s?%s%slang=en\" lang=\"en\"", T(r, "lang.zh"), self, q, sep);
    if (r->lang == LANG_EN) html_raw(o, " class=\"on\" aria-current=\"true\"");
    html_printf(o, ">%s</a></span>", T(r, "lang.en"));
}

/* The user's display name and unit name, looked up for the top bar. */
static void layout_who(struct req *r)
{
    struct buf *o = &r->out;
    struct db *db = req_db(r);
    struct user_row u;
    const char *name = r->actor->username, *unit = NULL;
    json_t *owner = NULL;
    if (db && user_find_id(db, r->actor->user_id, &u) == 1 && u.name[0]) name = u.name;
    if (db) {
        struct err e = {0};
        owner = unit_list_json(db, &e);
        unit = page_unit_name(json_object_get(owner, "units"), r->actor->unit_id);
    }
    html_printf(o, "<span class=\"who\"><a href=\"/account/password\" title=\"%s\"><b>%s</b></a>",
                T(r, "account.password"), name);
    if (unit) html_printf(o, "<span class=\"unit\">%s</span>", unit);
    html_raw(o, "</span>");
    json_decref(owner);
    html_printf(o,
                "<form method=\"post\" action=\"/logout\" class=\"logout\">"
                "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                "<button type=\"submit\">%s</button></form>",
                r->session.csrf, T(r, "nav.logout"));
}

/* A link of the navigation; count > 0 adds a badge (what waits there). */
static void nav_link_count(struct req *r, const char *href, const char *key, int on, int64_t count)
{
    /* the attribute is our markup: through html_raw, not an escaped %s */
    html_printf(&r->out, "<a href=\"%s\"", href);
    if (on) html_raw(&r->out, " class=\"on\" aria-current=\"page\"");
    html_printf(&r->out, ">%s", T(r, key));
    if (count > 0) html_printf(&r->out, "<span class=\"count\">%lld</span>", (long long)count);
    html_raw(&r->out, "</a>");
}

static void nav_link(struct req *r, const char *href, const char *key, int on)
{
    nav_link_count(r, href, key, on, 0);
}

/* How many entries of the user's inbox ask something of them, and how many
 * of their messages are unread (0 when the database cannot tell: the page
 * still shows). */
static int64_t nav_inbox_count(struct req *r, int64_t *unread)
{
    struct db *db = req_db(r);
    int64_t n = 0;
    *unread = 0;
    if (!db || message_unread(db, r->actor->user_id, unread) != DB_OK) *unread = 0;
    if (!db || inbox_total(db, r->actor, &n) != DB_OK) return 0;
    return n;
}

/* 1 when r's actor reports for an enterprise: its 亩均 result is at /efficiency
 * (0 when the database cannot tell). */
static int nav_enterprise(struct req *r)
{
    char kind[16] = "";
    int64_t parent;
    struct db *db = (r->actor->roles & ROLE_REPORTER) && r->actor->unit_id ? req_db(r) : NULL;
    return db && unit_kind_parent(db, r->actor->unit_id, kind, &parent) == 1 &&
           !strcmp(kind, "enterprise");
}

/* The main navigation, with the count of what waits in the inbox. */
static void layout_nav(struct req *r, enum page_nav nav)
{
    html_printf(&r->out, "<nav class=\"main\" aria-label=\"%s\">", T(r, "nav.menu"));
    int64_t unread, waiting = nav_inbox_count(r, &unread);
    if (web_home_is_inbox(r)) {
        nav_link_count(r, "/", "nav.inbox", nav == NAV_INBOX, waiting);
        nav_link(r, "/feedback", "nav.feedback", nav == NAV_FEEDBACK);
        nav_link(r, "/dashboard", "nav.dashboard", nav == NAV_HOME);
    } else if (web_home_is_reporter(r)) {
        nav_link_count(r, "/inbox", "nav.inbox", nav == NAV_INBOX, waiting);
    } else {
        nav_link(r, "/", "nav.dashboard", nav == NAV_HOME);
        nav_link_count(r, "/inbox", "nav.inbox", nav == NAV_INBOX, waiting);
    }
    nav_link_count(r, "/messages", "nav.messages", !strncmp(r->path, "/messages", 9), unread);
    nav_link(r, "/items", "nav.items", nav == NAV_ITEMS);
    nav_link(r, "/units", "nav.units", nav == NAV_UNITS);
    if (r->actor->roles & (ROLE_ADMIN | ROLE_SUPERVISOR))
        nav_link(r, "/items/new", "nav.new_item", nav == NAV_NEW);
    if (r->actor->roles & (ROLE_ADMIN | ROLE_SUPERVISOR))
        nav_link(r, "/intake", "nav.intake", !strncmp(r->path, "/intake", 7));
    if (r->actor->roles & (ROLE_ADMIN | ROLE_SUPERVISOR))
        nav_link(r, "/import", "nav.import", !strncmp(r->path, "/import", 7));
    if (r->actor->roles & (ROLE_ADMIN | ROLE_SUPERVISOR | ROLE_LEADER))
        nav_link(r, "/notices", "nav.notices", !strncmp(r->path, "/notices", 8));
    if (r->actor->roles & (ROLE_ADMIN | ROLE_SUPERVISOR | ROLE_LEADER))
        nav_link(r, "/instructions", "nav.instructions", !strncmp(r->path, "/instructions", 13));
    if (r->actor->roles & (ROLE_ADMIN | ROLE_SUPERVISOR | ROLE_LEADER | ROLE_HANDLER))
        nav_link(r, "/assessment", "nav.assessment", !strncmp(r->path, "/assessment", 11));
    if (r->actor->roles & (ROLE_ADMIN | ROLE_SUPERVISOR | ROLE_LEADER))
        nav_link(r, "/efficiency", "nav.efficiency", !strncmp(r->path, "/efficiency", 11));
    else if (nav_enterprise(r))
        nav_link(r, "/efficiency", "nav.efficiency_own", !strncmp(r->path, "/efficiency", 11));
    if (r->actor->roles & (ROLE_ADMIN | ROLE_SUPERVISOR | ROLE_REPORTER))
        nav_link(r, "/report", "nav.report", !strcmp(r->path, "/report"));
    if (r->actor->roles & (ROLE_ADMIN | ROLE_SUPERVISOR | ROLE_REPORTER))
        nav_link(r, "/requests", "nav.requests", !strncmp(r->path, "/requests", 9));
    if (r->actor->roles & (ROLE_ADMIN | ROLE_SUPERVISOR))
        nav_link(r, "/hazards", "nav.hazards", !strncmp(r->path, "/hazards", 8));
    nav_link(r, "/campaigns", "nav.campaigns", !strncmp(r->path, "/campaigns", 10));
    if (r->actor->roles & (ROLE_ADMIN | ROLE_SUPERVISOR | ROLE_LEADER))
        nav_link(r, "/remediations", "nav.remediations", !strncmp(r->path, "/remediations", 13));
    if (r->actor->roles & (ROLE_ADMIN | ROLE_SUPERVISOR | ROLE_LEADER | ROLE_APPLICANT))
        nav_link(r, "/board", "nav.board", !strncmp(r->path, "/board", 6));
    if (r->actor->roles & (ROLE_ADMIN | ROLE_SUPERVISOR))
        nav_link(r, "/admin/keywords", "nav.admin", !strncmp(r->path, "/admin", 6));
}

void layout_begin(struct req *r, const char *title, enum page_nav nav, const char *self_query)
{
    struct buf *o = &r->out;
    const char *lang = req_query(r, "lang");
    if (lang && (!strcmp(lang, "en") || !strcmp(lang, "zh")))
        req_add_header(r, "Set-Cookie",
                       !strcmp(lang, "en") ? "lang=en; Path=/; Max-Age=31536000; SameSite=Lax"
                                           : "lang=zh; Path=/; Max-Age=31536000; SameSite=Lax");
    buf_reset(o);
    html_printf(o,
                "<!doctype html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                "<title>%s · %s</title><link rel=\"icon\" href=\"data:,\">"
                "<link rel=\"stylesheet\" href=\"/static/style.css\">"
                "<script src=\"/static/app.js\" defer></script>"
                "</head>\n<body><a class=\"skip\" href=\"#main\">%s</a>",
                r->lang == LANG_EN ? "en" : "zh-CN", title, T(r, "app.name"), T(r, "nav.skip"));
    html_printf(o,
                "<header class=\"top\"><a class=\"brand\" href=\"/\"><b>%s</b>"
                "<span>%s</span></a>",
                T(r, "app.name"), T(r, "app.tagline"));
    if (r->authed) {
        layout_nav(r, nav);
        html_raw(o, "</nav><div class=\"acct\">");
        layout_who(r);
    } else {
        html_raw(o, "<div class=\"acct\">");
    }
    layout_lang(r, self_query);
    html_raw(o, "</div></header>\n<main id=\"main\" tabindex=\"-1\">");
}

void layout_end(struct req *r, int status)
{
    html_raw(&r->out, "</main></body></html>\n");
    req_reply_body(r, status, "text/html; charset=utf-8");
}
