/* request_tile.c — the dashboard's requests tile (企业诉求): the city's
 * figures for the requests filed this year up to today — received, closed,
 * 满意率, 参评率, 重办率 and the average days to reply — as
 * GET /api/v1/requests/stats?from=<1 January>&to=<today> counts them, with
 * a link to the figures per unit (/requests/stats).  For those who may read
 * the figures: supervisors, admins and leaders. */
#include "core/request.h"
#include "util/time.h"
#include "web/page.h"
#include "web/web.h"

/* One figure: a count, a rate ("75.0%") or days ("1.5"); "—" without a base. */
static void figure(struct req *r, const char *key, json_t *v, const char *fmt)
{
    html_printf(&r->out, "<div><dt>%s</dt><dd>%s</dd></div>", T(r, key),
                json_is_integer(v)
                    ? arena_printf(r->arena, "%lld", (long long)json_integer_value(v))
                : json_is_number(v) ? arena_printf(r->arena, fmt, json_number_value(v))
                                    : "—");
}

void requests_dashboard(struct req *r, struct db *db)
{
    if (!(r->actor->roles & (ROLE_ADMIN | ROLE_SUPERVISOR | ROLE_LEADER))) return;
    int32_t today = time_today();
    int y, m, d;
    date_split(today, &y, &m, &d);
    char from[11], to[11];
    date_format(date_make(y, 1, 1), from);
    date_format(today, to);
    struct err e = {0};
    json_t *v = request_stats_json(db, from, to, 0, &e);
    if (!v) return; /* the rest of the dashboard stands without it */
    json_t *t = json_object_get(v, "total");
    html_printf(&r->out,
                "<section class=\"card request-tile\"><h2>%s <small>%s – %s</small></h2>"
                "<dl class=\"figures\">",
                T(r, "req.tile"), from, to);
    figure(r, "req.s_received", json_object_get(t, "received"), "");
    figure(r, "req.s_closed", json_object_get(t, "closed"), "");
    figure(r, "req.s_satisfy", json_object_get(t, "satisfaction"), "%.1f%%");
    figure(r, "req.s_rating", json_object_get(t, "rating_rate"), "%.1f%%");
    figure(r, "req.s_redo", json_object_get(t, "redo_rate"), "%.1f%%");
    figure(r, "req.s_days", json_object_get(t, "avg_reply_days"), "%.1f");
    html_printf(&r->out,
                "</dl><p class=\"more\"><a href=\"/requests/stats?from=%s&amp;to=%s\">%s →</a></p>"
                "</section>",
                from, to, T(r, "req.stats"));
    json_decref(v);
}
