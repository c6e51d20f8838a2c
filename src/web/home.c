/* home.c — the dashboard (驾驶舱): what a supervisor looks at first.
 *
 * Big numbers for the open items by light, the items by status, and the
 * short list of red and yellow items that need attention.  Everything is
 * what the actor may see (core does the visibility).  Charts and trends are
 * a later issue; this page only counts.  A handler lands on their inbox at
 * "/" instead (inbox.c) and finds the dashboard at /dashboard; a reporter
 * is sent to their own matters: a grid's to the report page with its
 * reports, an enterprise's to its requests (issue 17), never a dashboard of
 * what they cannot see. */
#include <string.h>

#include "core/assessment.h"
#include "core/count_cache.h"
#include "core/item.h"
#include "core/item_count.h"
#include "core/leader.h"
#include "core/light.h"
#include "core/session.h"
#include "core/unit.h"
#include "util/time.h"
#include "web/frag_cache.h"
#include "web/page.h"
#include "web/web.h"

#define HOME_ATTENTION 10

static const char *const statuses[] = {"draft",     "assigned", "accepted",  "in_progress",
                                       "submitted", "returned", "suspended", "done",
                                       "archived",  "cancelled"};

/* One big number linking to the list it counts. */
static void home_tile(struct req *r, const char *cls, const char *href, const char *label,
                      json_int_t n)
{
    html_printf(&r->out, "<a class=\"tile %s\" href=\"%s\"><b>%lld</b><span>%s</span></a>", cls,
                href, (long long)n, label);
}

/* The drafts (the office's, nobody's work yet: no light) apart, then the
 * work by light, then what has no light besides the drafts. */
static void home_lights(struct req *r, json_t *c)
{
    json_int_t red = json_integer_value(json_object_get(c, "red"));
    json_int_t yellow = json_integer_value(json_object_get(c, "yellow"));
    json_int_t green = json_integer_value(json_object_get(c, "green"));
    json_int_t drafts = json_integer_value(json_object_get(c, "draft"));
    json_int_t closed = json_integer_value(json_object_get(c, "none")) - drafts;
    html_raw(&r->out, "<section class=\"tiles\">");
    home_tile(r, "draft", "/items?status=draft", T(r, "home.drafts"), drafts);
    home_tile(r, "open", "/items", T(r, "home.open"), red + yellow + green);
    home_tile(r, "red", "/items?light=red", T(r, "light.red"), red);
    home_tile(r, "yellow", "/items?light=yellow", T(r, "light.yellow"), yellow);
    home_tile(r, "green", "/items?light=green", T(r, "light.green"), green);
    home_tile(r, "closed", "/items?light=none", T(r, "home.closed"), closed);
    html_raw(&r->out, "</section>");
}

/* The assigned items not signed for within the limit, when there are any. */
static void home_accept_late(struct req *r, struct db *db)
{
    int64_t n = 0;
    if (item_count_accept_late(db, r->actor, &n) != DB_OK || !n) return;
    html_printf(&r->out,
                "<p class=\"alert accept-late\" role=\"status\"><a href=\"/items?status=assigned\">"
                "%s%s%lld</a></p>",
                T(r, "loop.accept_late"), T(r, "colon"), (long long)n);
}

/* How many visible items match f (the list's total_count), or -1. */
static json_int_t home_count(struct req *r, struct db *db, struct item_filter *f)
{
    struct err e = {0};
    f->limit = 1;
    json_t *v = item_list_json(db, r->actor, f, &e);
    json_int_t n = v ? json_integer_value(json_object_get(v, "total_count")) : -1;
    json_decref(v);
    return n;
}

/* How many items have status: from the tally for an actor who sees every
 * item, else the list's count.  -1 on an error. */
static json_int_t home_status_count(struct req *r, struct db *db, const char *status)
{
    int64_t n;
    if (actor_sees_all(r->actor))
        return item_count_tally(db, NULL, status, 0, &n) == DB_OK ? (json_int_t)n : -1;
    struct item_filter f = {.status = status};
    return home_count(r, db, &f);
}

static void home_statuses(struct req *r, struct db *db)
{
    struct buf *o = &r->out;
    html_printf(o, "<section class=\"card\"><h2>%s</h2><ul class=\"counts\">",
                T(r, "home.by_status"));
    for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++) {
        json_int_t n = home_status_count(r, db, statuses[i]);
        if (n < 0) continue;
        html_printf(o, "<li><a href=\"/items?status=%s\"%s><b>%lld</b><span>%s</span></a></li>",
                    statuses[i], n ? "" : " class=\"zero\"", (long long)n,
                    i18n_label(r, "status", statuses[i]));
    }
    html_raw(o, "</ul></section>");
}

/* The red, then the yellow items (at most HOME_ATTENTION of each) in one
 * table, with a link to the rest when there are more. */
static void attention_render(struct req *r, struct db *db)
{
    struct buf *o = &r->out;
    static const char *const lights[] = {"red", "yellow"};
    json_t *all = json_array(), *lists[2];
    json_int_t totals[2];
    for (int i = 0; i < 2; i++) {
        struct err e = {0};
        struct item_filter f = {.light = lights[i], .limit = HOME_ATTENTION};
        lists[i] = item_list_json(db, r->actor, &f, &e);
        totals[i] = json_integer_value(json_object_get(lists[i], "total_count"));
        json_array_extend(all, json_object_get(lists[i], "items"));
    }
    html_printf(o, "<section class=\"card\"><h2>%s</h2>", T(r, "home.attention"));
    if (json_array_size(all))
        page_item_table(r, all);
    else
        html_printf(o, "<p class=\"empty\">%s</p>", T(r, "home.no_attention"));
    html_raw(o, "<p class=\"more\">");
    for (int i = 0; i < 2; i++) {
        if (totals[i] > HOME_ATTENTION)
            html_printf(o, "<a href=\"/items?light=%s\">%s %s · %lld →</a> ", lights[i],
                        T(r, "home.more"), i18n_label(r, "light", lights[i]), (long long)totals[i]);
        json_decref(lists[i]);
    }
    html_printf(o, "<a href=\"/items\">%s →</a></p></section>", T(r, "home.all_items"));
    json_decref(all);
}

/* The attention card and the leaders' figures as last rendered per language
 * and scope, under the day, the data stamp (every change to an item), the
 * score stamp (a unit's name among them), the configuration stamp (the
 * light rules and the calendar) and the session stamp (every change to a
 * user: a leader's name): each is read again only when one of them changed,
 * not per view. */
static struct frag_cache attention = FRAG_CACHE_INIT, leaders = FRAG_CACHE_INIT;

/* Put into the page the part render writes, from cache when kept. */
static void home_kept(struct req *r, struct db *db, struct frag_cache *cache,
                      void (*render)(struct req *, struct db *))
{
    struct frag_key key = {.lang = (int)r->lang, .day = time_today()};
    key.scope = actor_sees_all(r->actor) ? 0 : r->actor->unit_id + 1;
    int stamped = count_cache_stamp(db, &key.stamp[0]) == DB_OK &&
                  assessment_stamp(db, &key.stamp[1], &key.stamp[2]) == DB_OK &&
                  session_stamp(db, &key.stamp[3]) == DB_OK;
    if (stamped && frag_cache_get(cache, &key, &r->out)) return;
    struct buf saved;
    struct html_frag f;
    page_capture_begin(r, &saved);
    render(r, db);
    page_capture_end(r, &saved, &f);
    if (html_frag_put(&r->out, &f) == 0 && stamped) frag_cache_put(cache, &key, &f, 0);
    html_frag_free(&f);
}

/* Figures by responsible leader (按分管领导统计), each leader's name a link to
 * their items; nothing when no visible item has a leader. */
static void leaders_render(struct req *r, struct db *db)
{
    struct buf *o = &r->out;
    struct err e = {0};
    char today[11], warn[11];
    light_dates(db, today, warn);
    json_t *rows = leader_figures_json(db, r->actor, today, &e);
    if (json_array_size(rows)) {
        html_printf(o,
                    "<section class=\"card leaders\"><h2>%s</h2><table><thead><tr><th>%s</th>"
                    "<th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
                    T(r, "home.by_leader"), T(r, "item.leader"), T(r, "home.leader_open"),
                    T(r, "home.leader_overdue"), T(r, "home.leader_done"));
        size_t i;
        json_t *x;
        json_array_foreach(rows, i, x)
        {
            json_t *l = json_object_get(x, "leader");
            html_printf(o,
                        "<tr><td><a href=\"/items?leader=%lld\">%s</a></td><td>%lld</td>"
                        "<td>%lld</td><td>%lld</td></tr>",
                        (long long)json_integer_value(json_object_get(l, "id")),
                        json_string_value(json_object_get(l, "name")),
                        (long long)json_integer_value(json_object_get(x, "open")),
                        (long long)json_integer_value(json_object_get(x, "overdue")),
                        (long long)json_integer_value(json_object_get(x, "done")));
        }
        html_raw(o, "</tbody></table></section>");
    }
    json_decref(rows);
}

int web_home_is_inbox(struct req *r)
{
    unsigned roles = r->actor->roles;
    return (roles & ROLE_HANDLER) && !(roles & (ROLE_ADMIN | ROLE_SUPERVISOR | ROLE_LEADER));
}

int web_home_is_reporter(struct req *r)
{
    unsigned roles = r->actor->roles;
    return (roles & ROLE_REPORTER) &&
           !(roles & (ROLE_ADMIN | ROLE_SUPERVISOR | ROLE_LEADER | ROLE_HANDLER));
}

/* Where a reporter lands: an enterprise's people on their requests, anyone
 * else (a grid) on the report page. */
static void home_reporter(struct req *r)
{
    char kind[16] = "";
    int64_t parent;
    struct db *db = page_db(r);
    if (!db) return;
    if (unit_kind_parent(db, r->actor->unit_id, kind, &parent) < 0) kind[0] = '\0';
    req_redirect(r, !strcmp(kind, "enterprise") ? "/requests" : "/report");
}

void web_home(struct req *r)
{
    if (!(r->actor->roles & ~(unsigned)ROLE_APPLICANT)) /* an applicant only: the board */
        req_redirect(r, "/board");
    else if (web_home_is_reporter(r))
        home_reporter(r);
    else if (web_home_is_inbox(r))
        web_inbox(r);
    else
        web_dashboard(r);
}

void web_dashboard(struct req *r)
{
    struct err e = {0};
    struct db *db = page_db(r);
    if (!db) return;
    db_read_begin(db); /* one snapshot and one lock for the whole page */
    json_t *c = item_counts_json(db, r->actor, &e);
    if (!c) {
        db_read_end(db);
        page_fail(r, &e);
        return;
    }
    layout_begin(r, T(r, "home.title"), NAV_HOME, NULL);
    html_printf(&r->out, "<h1>%s</h1>", T(r, "home.title"));
    page_calendar_warning(r, db);
    home_lights(r, c);
    home_accept_late(r, db);
    json_decref(c);
    notices_dashboard(r, db);
    requests_dashboard(r, db);
    remediation_dashboard(r, db);
    assessment_dashboard(r, db);
    html_raw(&r->out, "<div class=\"cols\">");
    home_kept(r, db, &attention, attention_render);
    home_statuses(r, db);
    home_kept(r, db, &leaders, leaders_render);
    db_read_end(db);
    html_raw(&r->out, "</div>");
    layout_end(r, 200);
}
