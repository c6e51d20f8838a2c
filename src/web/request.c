/* request.c — the requests page (/requests): an enterprise's phone page to
 * file a request (诉求) and follow its own — the reply, and a form to rate it
 * once it is done — and, for the office, the same list with its own actions
 * after done (回访, 重办, 说明) and filing on an enterprise's behalf.
 *
 * The forms become the JSON bodies the API takes (POST /api/v1/requests,
 * POST /api/v1/items/{id}/actions) and go through the same core paths, so
 * every check is core's; a refused form comes back with core's message.
 * The list is the items of kind request the reader sees (an enterprise: its
 * own only, by the kind's visible rule).  /requests/stats shows the office
 * and the leaders the figures per lead unit (request_stats_json). */
#include <string.h>

#include "core/action.h"
#include "core/item.h"
#include "core/request.h"
#include "http/write.h"
#include "util/str.h"
#include "util/time.h"
#include "web/page.h"
#include "web/web.h"

#define REQUEST_PAGE_ROWS 30

static const char *const channels[] = {"phone", "12345", "visit", "symposium", "web"};
static const char *const ratings[] = {"satisfied", "basic", "unsatisfied"};

static int is_office(const struct req *r)
{
    return (r->actor->roles & (ROLE_ADMIN | ROLE_SUPERVISOR)) != 0;
}

static const char *form_val(struct req *r, const char *name)
{
    const char *v = req_form(r, name);
    return v ? v : "";
}

static void select_categories(struct req *r, struct db *db)
{
    struct err e = {0};
    json_t *v = request_categories_json(db, &e), *c;
    size_t i;
    html_printf(&r->out,
                "<label for=\"category\">%s</label><select id=\"category\" name=\"category\""
                " required><option value=\"\">%s</option>",
                T(r, "req.category"), T(r, "new.choose"));
    json_array_foreach(json_object_get(v, "categories"), i, c)
    {
        const char *code = json_string_value(json_object_get(c, "code"));
        html_printf(&r->out, "<option value=\"%s\"%s>%s（%lld %s）</option>", code,
                    !strcmp(code, form_val(r, "category")) ? " selected" : "",
                    json_string_value(json_object_get(c, r->lang == LANG_EN ? "name_en" : "name")),
                    (long long)json_integer_value(json_object_get(c, "limit_days")),
                    T(r, "req.days"));
    }
    html_raw(&r->out, "</select>");
    json_decref(v);
}

/* The office's part of the form: the enterprise and the channel. */
static void office_fields(struct req *r)
{
    json_t *owner, *units = page_units(r, &owner), *u;
    size_t i;
    if (!units) return;
    html_printf(&r->out,
                "<label for=\"requester_unit_id\">%s</label><select id=\"requester_unit_id\""
                " name=\"requester_unit_id\" required><option value=\"\">%s</option>",
                T(r, "req.requester"), T(r, "new.choose"));
    json_array_foreach(units, i, u)
    {
        if (strcmp(json_string_value(json_object_get(u, "kind")), "enterprise")) continue;
        const char *id =
            arena_printf(r->arena, "%lld", (long long)json_integer_value(json_object_get(u, "id")));
        html_printf(&r->out, "<option value=\"%s\"%s>%s</option>", id,
                    !strcmp(id, form_val(r, "requester_unit_id")) ? " selected" : "",
                    json_string_value(json_object_get(u, "name")));
    }
    html_printf(&r->out,
                "</select><label for=\"channel\">%s</label><select id=\"channel\""
                " name=\"channel\">",
                T(r, "req.channel"));
    for (size_t k = 0; k < sizeof channels / sizeof *channels; k++)
        html_printf(&r->out, "<option value=\"%s\"%s>%s</option>", channels[k],
                    !strcmp(channels[k], form_val(r, "channel")) ? " selected" : "",
                    i18n_label(r, "channel", channels[k]));
    html_raw(&r->out, "</select>");
    json_decref(owner);
}

static void file_form(struct req *r, struct db *db)
{
    html_printf(&r->out,
                "<section class=\"card form\"><h2>%s</h2><form method=\"post\""
                " action=\"/requests\"><input type=\"hidden\" name=\"csrf\" value=\"%s\">",
                T(r, "req.file"), r->session.csrf);
    select_categories(r, db);
    if (is_office(r)) office_fields(r);
    html_printf(&r->out,
                "<label for=\"title\">%s</label><input id=\"title\" name=\"title\" required"
                " maxlength=\"200\" value=\"%s\"><label for=\"description\">%s</label>"
                "<textarea id=\"description\" name=\"description\" rows=\"4\""
                " maxlength=\"4000\">%s</textarea><div class=\"buttons\"><button"
                " type=\"submit\" class=\"primary\">%s</button></div></form></section>",
                T(r, "req.title_field"), form_val(r, "title"), T(r, "req.description"),
                form_val(r, "description"), T(r, "req.submit"));
}

/* 1 when the item's allowed_actions hold action. */
static int allows(json_t *item, const char *action)
{
    size_t i;
    json_t *a;
    json_array_foreach(json_object_get(item, "allowed_actions"), i, a)
    {
        if (!strcmp(json_string_value(a), action)) return 1;
    }
    return 0;
}

static void act_open(struct req *r, int64_t id, const char *action)
{
    html_printf(&r->out,
                "<details class=\"act a-%s\"><summary>%s</summary><form method=\"post\""
                " action=\"/requests/%lld/act\"><input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                "<input type=\"hidden\" name=\"action\" value=\"%s\">",
                action, i18n_label(r, "action", action), (long long)id, r->session.csrf, action);
}

static void act_close(struct req *r, const char *action)
{
    html_printf(&r->out,
                "<div class=\"buttons\"><button type=\"submit\" class=\"primary\">%s"
                "</button></div></form></details>",
                i18n_label(r, "action", action));
}

/* The rating form: three choices and a comment. */
static void rate_form(struct req *r, int64_t id)
{
    act_open(r, id, "rate");
    html_printf(&r->out, "<fieldset class=\"ratings\"><legend>%s</legend>", T(r, "req.rating"));
    for (size_t k = 0; k < sizeof ratings / sizeof *ratings; k++)
        html_printf(&r->out,
                    "<label><input type=\"radio\" name=\"rating\" value=\"%s\"%s> %s</label>",
                    ratings[k], k ? "" : " required", i18n_label(r, "rating", ratings[k]));
    html_printf(&r->out,
                "</fieldset><label for=\"comment-%lld\">%s</label><textarea id=\"comment-%lld\""
                " name=\"comment\" rows=\"2\" maxlength=\"5000\"></textarea>",
                (long long)id, T(r, "req.comment"), (long long)id);
    act_close(r, "rate");
}

/* A form of the office with one text field. */
static void text_form(struct req *r, int64_t id, const char *action, const char *field,
                      const char *label)
{
    act_open(r, id, action);
    html_printf(&r->out,
                "<label for=\"%s-%lld\">%s</label><textarea id=\"%s-%lld\" name=\"%s\" rows=\"2\""
                " required maxlength=\"5000\"></textarea>",
                action, (long long)id, T(r, label), action, (long long)id, field);
    act_close(r, action);
}

/* One request of the list: title, status, the reply and rating, its forms. */
static void request_row(struct req *r, json_t *it)
{
    int64_t id = json_integer_value(json_object_get(it, "id"));
    json_t *q = json_object_get(it, "request");
    html_printf(&r->out, "<li class=\"request\" id=\"req-%lld\"><a href=\"/items/%lld\">%s</a> ",
                (long long)id, (long long)id, json_string_value(json_object_get(it, "title")));
    page_status(r, json_string_value(json_object_get(it, "status")));
    html_printf(&r->out, "<span class=\"meta\">%s · %s</span>",
                json_string_value(json_object_get(q, "category_name")),
                json_string_value(json_object_get(q, "requester_unit")));
    if (json_is_string(json_object_get(q, "reply")))
        html_printf(&r->out, "<p class=\"reply\"><b>%s</b>%s</p>", T(r, "req.reply"),
                    json_string_value(json_object_get(q, "reply")));
    if (json_is_string(json_object_get(q, "rating")))
        html_printf(&r->out, "<p class=\"rating\"><b>%s</b>%s</p>", T(r, "req.rated"),
                    i18n_label(r, "rating", json_string_value(json_object_get(q, "rating"))));
    if (allows(it, "rate")) rate_form(r, id);
    if (allows(it, "follow_up")) text_form(r, id, "follow_up", "result", "req.result");
    if (allows(it, "redo")) text_form(r, id, "redo", "reason", "field.reason");
    if (allows(it, "explain")) text_form(r, id, "explain", "text", "req.explanation");
    html_raw(&r->out, "</li>");
}

static void request_list(struct req *r, struct db *db)
{
    struct item_filter f = {.kind = "request", .limit = REQUEST_PAGE_ROWS};
    struct err e = {0};
    json_t *v = item_list_json(db, r->actor, &f, &e), *it;
    size_t i;
    html_printf(&r->out, "<section class=\"card mine\"><h2>%s</h2>",
                T(r, is_office(r) ? "req.all" : "req.mine"));
    if (!json_array_size(json_object_get(v, "items")))
        html_printf(&r->out, "<p class=\"muted\">%s</p>", T(r, "req.none"));
    html_raw(&r->out, "<ul class=\"requests\">");
    json_array_foreach(json_object_get(v, "items"), i, it)
    {
        json_t *full =
            item_get_json(db, r->actor, json_integer_value(json_object_get(it, "id")), &e);
        if (full) request_row(r, full);
        json_decref(full);
    }
    html_raw(&r->out, "</ul></section>");
    json_decref(v);
}

static void requests_page(struct req *r, int status, const char *error)
{
    struct db *db = page_db(r);
    if (!db) return;
    layout_begin(r, T(r, "req.title"), NAV_NONE, NULL);
    html_raw(&r->out, "<link rel=\"stylesheet\" href=\"/static/hazard.css\">");
    html_printf(&r->out, "<h1>%s</h1>", T(r, "req.title"));
    const char *done = req_query(r, "done");
    if (!error && done && *done)
        html_printf(&r->out, "<p class=\"ok\" role=\"status\">%s</p>", T(r, "req.thanks"));
    if (error) html_printf(&r->out, "<p class=\"alert\" role=\"alert\">%s</p>", error);
    if (r->actor->roles & (ROLE_ADMIN | ROLE_SUPERVISOR | ROLE_LEADER))
        html_printf(&r->out, "<p><a href=\"/requests/stats\">%s</a></p>", T(r, "req.stats"));
    if (is_office(r) || (r->actor->roles & ROLE_REPORTER)) file_form(r, db);
    request_list(r, db);
    layout_end(r, status);
}

void web_requests(struct req *r)
{
    requests_page(r, 200, NULL);
}

/* ---- the figures ---- */

/* A rate as "95.5%", or "—" when its base is 0. */
static const char *pct(struct req *r, json_t *v)
{
    return json_is_number(v) ? arena_printf(r->arena, "%.1f%%", json_number_value(v)) : "—";
}

static void stats_row(struct req *r, json_t *t, const char *name)
{
    json_t *avg = json_object_get(t, "avg_reply_days");
    html_printf(&r->out,
                "<tr><th scope=\"row\">%s</th><td>%lld</td><td>%lld</td><td>%lld</td><td>%s</td>"
                "<td>%lld</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>",
                name, (long long)json_integer_value(json_object_get(t, "received")),
                (long long)json_integer_value(json_object_get(t, "signed_on_time")),
                (long long)json_integer_value(json_object_get(t, "closed")),
                pct(r, json_object_get(t, "on_time_rate")),
                (long long)json_integer_value(json_object_get(t, "rated")),
                pct(r, json_object_get(t, "satisfaction")),
                pct(r, json_object_get(t, "rating_rate")), pct(r, json_object_get(t, "redo_rate")),
                json_is_number(avg) ? arena_printf(r->arena, "%.1f", json_number_value(avg)) : "—");
}

static void stats_table(struct req *r, json_t *v)
{
    static const char *const heads[] = {
        "req.s_unit",  "req.s_received", "req.s_signed", "req.s_closed", "req.s_on_time",
        "req.s_rated", "req.s_satisfy",  "req.s_rating", "req.s_redo",   "req.s_days"};
    html_raw(&r->out, "<div class=\"scroll\"><table class=\"figures\"><thead><tr>");
    for (size_t k = 0; k < sizeof heads / sizeof *heads; k++)
        html_printf(&r->out, "<th scope=\"col\">%s</th>", T(r, heads[k]));
    html_raw(&r->out, "</tr></thead><tbody>");
    size_t i;
    json_t *u;
    json_array_foreach(json_object_get(v, "units"), i, u)
    {
        const char *name = json_string_value(json_object_get(u, "unit"));
        stats_row(r, u, name && *name ? name : T(r, "req.s_unassigned"));
    }
    stats_row(r, json_object_get(v, "total"), T(r, "req.s_total"));
    html_raw(&r->out, "</tbody></table></div>");
}

void web_request_stats(struct req *r)
{
    const char *from = req_query(r, "from"), *to = req_query(r, "to");
    int32_t day;
    if (from && (!*from || date_parse(from, strlen(from), &day))) from = NULL;
    if (to && (!*to || date_parse(to, strlen(to), &day))) to = NULL;
    struct db *db = page_db(r);
    if (!db) return;
    struct err e = {0};
    json_t *v = request_stats_json(db, from, to, 0, &e);
    if (!v) {
        page_fail(r, &e);
        return;
    }
    layout_begin(r, T(r, "req.stats"), NAV_NONE, NULL);
    html_printf(&r->out,
                "<h1>%s</h1><form class=\"filters\" method=\"get\" action=\"/requests/stats\">"
                "<label for=\"from\">%s</label><input id=\"from\" name=\"from\" type=\"date\""
                " value=\"%s\"><label for=\"to\">%s</label><input id=\"to\" name=\"to\""
                " type=\"date\" value=\"%s\"><button type=\"submit\">%s</button></form>",
                T(r, "req.stats"), T(r, "req.s_from"), from ? from : "", T(r, "req.s_to"),
                to ? to : "", T(r, "req.s_show"));
    stats_table(r, v);
    json_decref(v);
    layout_end(r, 200);
}

/* ---- filing and the actions ---- */

struct request_form {
    struct write_job job;
    json_t *body; /* owned; the input borrows from it */
    struct item_input in;
};

static int file_run(struct db *db, struct write_job *j)
{
    return item_create(db, j->actor, &WRITE_OF(j, struct request_form)->in, &j->id, &j->e);
}

static int act_run(struct db *db, struct write_job *j)
{
    return item_act(db, j->actor, j->id, WRITE_OF(j, struct request_form)->body, &j->e);
}

static void form_release(struct write_job *j)
{
    json_decref(WRITE_OF(j, struct request_form)->body);
}

static const struct write_ops file_ops = {.what = "filing a request",
                                          .run = file_run,
                                          .next = "/requests?done=",
                                          .form = requests_page,
                                          .release = form_release};
static const struct write_ops act_ops = {.what = "taking the action",
                                         .run = act_run,
                                         .next = "/requests?done=",
                                         .form = requests_page,
                                         .release = form_release};

/* Copy the form's non-empty text fields names into body. */
static void copy_fields(struct req *r, json_t *body, const char *const *names)
{
    for (; *names; names++) {
        const char *v = form_val(r, *names);
        if (*v) json_object_set_new(body, *names, json_string(v));
    }
}

void web_requests_post(struct req *r)
{
    static const char *const fields[] = {"title", "description", "category", "channel", NULL};
    struct request_form *f = WRITE_NEW(r, struct request_form, &file_ops);
    f->body = json_pack("{s:s}", "kind", "request");
    copy_fields(r, f->body, fields);
    const char *u = form_val(r, "requester_unit_id");
    int64_t id;
    if (*u && !str_to_int64(u, strlen(u), &id))
        json_object_set_new(f->body, "requester_unit_id", json_integer(id));
    if (item_input_parse(f->body, &f->in, &f->job.e)) {
        write_refuse(r, &f->job);
        return;
    }
    write_start(r, &f->job);
}

void web_request_act(struct req *r)
{
    static const char *const fields[] = {"action", "rating", "comment", "result",
                                         "reason", "text",   NULL};
    struct request_form *f = WRITE_NEW(r, struct request_form, &act_ops);
    f->body = json_object();
    copy_fields(r, f->body, fields);
    f->job.id = r->params[0];
    write_start(r, &f->job);
}
