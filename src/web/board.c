/* board.c — the public board of challenges (揭榜挂帅 榜单公示, /board) and
 * one challenge's page (/board/{id}): to everyone, without a login, what
 * core's board holds (the problem, the owner unit, the reward, the dates,
 * the cap, and once awarded the winner, the work's state, the acceptance
 * and what was paid) — never the internal record.  Logged in, an applicant
 * also sees its own unit's applications and, while the challenge is open,
 * the form to apply (POST /board/{id}/apply, the same core path as POST
 * /api/v1/items/{id}/applications); the office and leaders see every
 * application with its reviews and their mean.  The challenge's actions
 * (publish, review, award …) are forms on the item page (act.c).
 * Phone-friendly: cards in one column, no table wider than the screen. */
#include <stdlib.h>
#include <string.h>

#include "core/attachment.h"
#include "core/challenge.h"
#include "core/text.h"
#include "http/write.h"
#include "util/str.h"
#include "web/page.h"
#include "web/web.h"

static const char *form_val(struct req *r, const char *name)
{
    const char *v = req_form(r, name);
    return v ? v : "";
}

static const char *jstr(json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

static const char *wan(struct req *r, json_t *o, const char *k)
{
    return arena_printf(r->arena, "%.2f", json_number_value(json_object_get(o, k)));
}

/* One term of a card's list. */
static void term(struct req *r, const char *key, const char *value)
{
    html_printf(&r->out, "<div><dt>%s</dt><dd>%s</dd></div>", T(r, key), value);
}

/* What an awarded challenge shows: the winner, the work, the acceptance and
 * the payments. */
static void card_result(struct req *r, json_t *c)
{
    if (!json_is_string(json_object_get(c, "winner"))) return;
    term(r, "board.winner", jstr(c, "winner"));
    term(r, "board.awarded_on", jstr(c, "awarded_on"));
    term(r, "board.state", i18n_label(r, "status", jstr(c, "status")));
    term(r, "board.progress",
         arena_printf(r->arena, "%lld%%",
                      (long long)json_integer_value(json_object_get(c, "progress"))));
    if (json_is_string(json_object_get(c, "result")))
        term(r, "board.result", i18n_label(r, "result", jstr(c, "result")));
    term(r, "board.disbursed", wan(r, c, "disbursed_wan"));
}

/* One challenge as a card; full adds the expected results. */
static void card(struct req *r, json_t *c, int full)
{
    int64_t id = json_integer_value(json_object_get(c, "id"));
    const char *phase = jstr(c, "phase");
    html_printf(
        &r->out,
        "<article class=\"card challenge ph-%s\" id=\"ch-%lld\"><h2><a href=\"/board/%lld\">"
        "%s</a></h2><p class=\"badges\"><span class=\"status\">%s</span></p>"
        "<p class=\"problem\">%s</p><dl class=\"terms\">",
        phase, (long long)id, (long long)id, jstr(c, "title"),
        i18n_label(r, "challenge_phase", phase), jstr(c, "problem"));
    term(r, "board.owner", jstr(c, "owner_unit"));
    term(r, "board.field", jstr(c, "field"));
    term(r, "board.reward", wan(r, c, "reward_wan"));
    term(r, "board.apply_until", jstr(c, "apply_until"));
    term(r, "board.cap",
         arena_printf(r->arena, "%lld",
                      (long long)json_integer_value(json_object_get(c, "max_per_applicant"))));
    if (*jstr(c, "time_frame")) term(r, "board.time_frame", jstr(c, "time_frame"));
    if (full && *jstr(c, "expected_results"))
        term(r, "board.expected", jstr(c, "expected_results"));
    card_result(r, c);
    html_raw(&r->out, "</dl></article>");
}

static void board_list(struct req *r, json_t *list, int open)
{
    size_t i, n = 0;
    json_t *c;
    html_printf(&r->out, "<section class=\"board\"><h2>%s</h2>",
                T(r, open ? "board.open" : "board.results"));
    json_array_foreach(list, i, c)
    {
        if (!strcmp(jstr(c, "phase"), "open") != !!open) continue;
        card(r, c, 0);
        n++;
    }
    if (!n) html_printf(&r->out, "<p class=\"muted\">%s</p>", T(r, "board.none"));
    html_raw(&r->out, "</section>");
}

void web_board(struct req *r)
{
    struct err e = {0};
    struct db *db = page_db(r);
    if (!db) return;
    json_t *v = challenge_board_json(db, &e);
    if (!v) {
        page_fail(r, &e);
        return;
    }
    layout_begin(r, T(r, "board.title"), NAV_NONE, NULL);
    html_printf(&r->out, "<h1>%s</h1><p class=\"lead\">%s</p>", T(r, "board.title"),
                T(r, "board.intro"));
    board_list(r, json_object_get(v, "challenges"), 1);
    board_list(r, json_object_get(v, "challenges"), 0);
    json_decref(v);
    layout_end(r, 200);
}

/* ---- one challenge ---- */

/* One application: its unit, team, plan, budget, members; to the office
 * also its reviews and their mean. */
static void application(struct req *r, json_t *a)
{
    html_printf(&r->out,
                "<li class=\"application\" id=\"app-%lld\"><p><b>#%lld %s</b> · %s · %s</p>"
                "<p class=\"plan\">%s</p><p class=\"meta\">%s %s · %s ",
                (long long)json_integer_value(json_object_get(a, "id")),
                (long long)json_integer_value(json_object_get(a, "id")), jstr(a, "unit"),
                jstr(a, "team"), jstr(a, "filed_on"), jstr(a, "plan"), T(r, "board.budget"),
                wan(r, a, "budget_wan"), T(r, "board.members"));
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(a, "members"), i, m)
        html_printf(&r->out, "%s%s", i ? "、" : "", json_string_value(m));
    html_raw(&r->out, "</p>");
    json_t *f;
    if (json_array_size(json_object_get(a, "attachments")))
        html_printf(&r->out, "<ul class=\"files\" aria-label=\"%s\">", T(r, "board.files"));
    json_array_foreach(json_object_get(a, "attachments"), i, f) html_printf(
        &r->out, "<li><a href=\"/attachments/%lld\" download>%s</a> <small>%lld KB</small></li>",
        (long long)json_integer_value(json_object_get(f, "id")), jstr(f, "name"),
        (long long)((json_integer_value(json_object_get(f, "bytes")) + 1023) / 1024));
    if (json_array_size(json_object_get(a, "attachments"))) html_raw(&r->out, "</ul>");
    json_t *mean = json_object_get(a, "score_mean");
    if (json_is_number(mean))
        html_printf(&r->out, "<p class=\"score\">%s <b>%s</b></p><ul class=\"reviews\">",
                    T(r, "board.score_mean"),
                    arena_printf(r->arena, "%.1f", json_number_value(mean)));
    json_t *rv;
    json_array_foreach(json_object_get(a, "reviews"), i, rv) html_printf(
        &r->out, "<li>%s：%lld · %s</li>", jstr(rv, "reviewer"),
        (long long)json_integer_value(json_object_get(rv, "score")), jstr(rv, "comment"));
    if (json_is_number(mean)) html_raw(&r->out, "</ul>");
    html_raw(&r->out, "</li>");
}

/* The applications a reads, as a list; returns how many. */
static size_t applications(struct req *r, struct db *db, int64_t id)
{
    struct err e = {0};
    json_t *v = challenge_applications_json(db, r->actor, id, &e), *a;
    size_t i;
    html_printf(&r->out, "<section class=\"card applications\"><h2>%s</h2>",
                T(r, actor_sees_all(r->actor) ? "board.all_apps" : "board.mine"));
    if (!json_array_size(json_object_get(v, "applications")))
        html_printf(&r->out, "<p class=\"muted\">%s</p>", T(r, "board.no_apps"));
    html_raw(&r->out, "<ul class=\"applications\">");
    json_array_foreach(json_object_get(v, "applications"), i, a) application(r, a);
    html_raw(&r->out, "</ul></section>");
    size_t n = json_array_size(json_object_get(v, "applications"));
    json_decref(v);
    return n;
}

static void apply_form(struct req *r, int64_t id)
{
    html_printf(&r->out,
                "<section class=\"card form\"><h2>%s</h2><form method=\"post\""
                " action=\"/board/%lld/apply\" enctype=\"multipart/form-data\">"
                "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                "<label for=\"team\">%s</label><input id=\"team\" name=\"team\" required"
                " maxlength=\"200\" value=\"%s\"><label for=\"plan\">%s</label><textarea"
                " id=\"plan\" name=\"plan\" rows=\"5\" required maxlength=\"5000\">%s</textarea>",
                T(r, "board.apply"), (long long)id, r->session.csrf, T(r, "board.team"),
                form_val(r, "team"), T(r, "board.plan"), form_val(r, "plan"));
    html_printf(&r->out,
                "<label for=\"budget_wan\">%s</label><input id=\"budget_wan\" name=\"budget_wan\""
                " type=\"number\" step=\"0.01\" min=\"0\" inputmode=\"decimal\" required"
                " value=\"%s\"><label for=\"members\">%s</label><textarea id=\"members\""
                " name=\"members\" rows=\"4\" required maxlength=\"5000\""
                " aria-describedby=\"members-hint\">%s</textarea><p class=\"hint\""
                " id=\"members-hint\">%s</p>",
                T(r, "board.budget"), form_val(r, "budget_wan"), T(r, "board.members"),
                form_val(r, "members"), T(r, "board.members_hint"));
    html_printf(&r->out,
                "<label for=\"attachment_ids\">%s</label><input id=\"attachment_ids\""
                " name=\"attachment_ids\" type=\"file\" multiple accept=\".pdf,.doc,.docx,.xls,"
                ".xlsx,.wps,.et,.jpg,.jpeg,.png,.gif,.webp,.txt,.zip\""
                " aria-describedby=\"files-hint\"><p class=\"hint\" id=\"files-hint\">%s</p>",
                T(r, "board.files"), T(r, "act.attachments_hint"));
    for (int i = 0; i < r->nfiles; i++) /* a refused form's files are not kept */
        if (r->files[i].len) {
            html_printf(&r->out, "<p class=\"hint again\">%s</p>", T(r, "board.files_again"));
            break;
        }
    html_printf(&r->out,
                "<div class=\"buttons\"><button type=\"submit\" class=\"primary\">%s</button>"
                "</div></form></section>",
                T(r, "board.submit"));
}

/* The board's entry for id, or NULL (not published: 404). */
static json_t *board_entry(json_t *board, int64_t id)
{
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(board, "challenges"), i, c)
    {
        if (json_integer_value(json_object_get(c, "id")) == id) return c;
    }
    return NULL;
}

/* What a logged-in reader sees below the card. */
static void challenge_more(struct req *r, struct db *db, json_t *c, int64_t id)
{
    int open = !strcmp(jstr(c, "phase"), "open");
    if (!r->authed) {
        if (open)
            html_printf(&r->out,
                        "<p><a class=\"button primary\" href=\"/login?next=/board/%lld\">"
                        "%s</a></p>",
                        (long long)id, T(r, "board.login_to_apply"));
        return;
    }
    if (actor_sees_all(r->actor))
        html_printf(&r->out, "<p><a href=\"/items/%lld\">%s →</a></p>", (long long)id,
                    T(r, "board.item"));
    if (!actor_sees_all(r->actor) && !(r->actor->roles & ROLE_APPLICANT)) return;
    size_t n = applications(r, db, id);
    if (!open || !(r->actor->roles & ROLE_APPLICANT) || actor_sees_all(r->actor)) return;
    if ((json_int_t)n < json_integer_value(json_object_get(c, "max_per_applicant")))
        apply_form(r, id);
    else
        html_printf(&r->out, "<p class=\"note\">%s</p>", T(r, "board.cap_reached"));
}

static void challenge_page(struct req *r, int status, const char *error)
{
    struct err e = {0};
    int64_t id = r->params[0];
    struct db *db = page_db(r);
    if (!db) return;
    json_t *v = challenge_board_json(db, &e), *c = v ? board_entry(v, id) : NULL;
    if (v && !c)
        err_set(&e, 404, "not_found", "no published challenge with id %lld", (long long)id);
    if (!c) {
        json_decref(v);
        page_fail(r, &e);
        return;
    }
    layout_begin(r, jstr(c, "title"), NAV_NONE, NULL);
    html_printf(&r->out, "<p class=\"crumbs\"><a href=\"/board\">%s</a> › #%lld</p>",
                T(r, "board.title"), (long long)id);
    const char *filed = req_query(r, "filed");
    if (!error && filed && *filed)
        html_printf(&r->out, "<p class=\"ok\" role=\"status\">%s</p>", T(r, "board.filed"));
    if (error)
        html_printf(&r->out, "<p class=\"alert\" role=\"alert\" id=\"form-error\">%s</p>", error);
    card(r, c, 1);
    challenge_more(r, db, c, id);
    json_decref(v);
    layout_end(r, status);
}

void web_board_challenge(struct req *r)
{
    challenge_page(r, 200, NULL);
}

/* ---- applying ---- */

struct apply_form {
    struct write_job job;
    int64_t item;
    json_t *body;                 /* owned */
    const struct req_file *files; /* the posted files (pointing into the request's body) */
    int nfiles;
};

/* Store the posted files (field attachment_ids) and name them in the body,
 * inside the application's write: a refused application keeps none. */
static int apply_files(struct db *db, struct write_job *j, struct apply_form *f)
{
    json_t *ids = json_array();
    json_object_set_new(f->body, "attachment_ids", ids);
    for (int i = 0; i < f->nfiles; i++) {
        const struct req_file *x = &f->files[i];
        if (strcmp(x->name, "attachment_ids") || !x->len) continue;
        int64_t id = 0;
        const char *mime;
        char sha[65];
        if (!json_array_size(ids) && attachment_may_upload(db, j->actor, f->item, &j->e)) return -1;
        if (attachment_add(db, j->actor, f->item, x->filename ? x->filename : "", x->data, x->len,
                           &id, &mime, sha, &j->e))
            return err_subject(&j->e, x->filename ? x->filename : ""), -1;
        json_array_append_new(ids, json_integer(id));
    }
    if (!json_array_size(ids)) json_object_del(f->body, "attachment_ids");
    return 0;
}

static int apply_run(struct db *db, struct write_job *j)
{
    struct apply_form *f = WRITE_OF(j, struct apply_form);
    if (apply_files(db, j, f)) return -1;
    return challenge_apply(db, j->actor, f->item, f->body, &j->id, &j->e);
}

static void apply_done(struct req *r, struct write_job *j)
{
    write_redirect(r, "/board/%lld?filed=1", (long long)WRITE_OF(j, struct apply_form)->item);
}

static void apply_release(struct write_job *j)
{
    json_decref(WRITE_OF(j, struct apply_form)->body);
}

static const struct write_ops apply_ops = {.what = "filing the application",
                                           .run = apply_run,
                                           .done = apply_done,
                                           .form = challenge_page,
                                           .release = apply_release};

/* The members' textarea, one name a line, as an array of names. */
static json_t *members_json(const char *text)
{
    json_t *arr = json_array();
    while (*text) {
        const char *end = strchr(text, '\n');
        size_t n = end ? (size_t)(end - text) : strlen(text);
        json_t *s = json_stringn(text, n);
        char *t = s ? text_trimmed(json_string_value(s)) : NULL;
        if (t) json_array_append_new(arr, json_string(t));
        free(t);
        json_decref(s);
        text += n + (end != NULL);
    }
    return arr;
}

void web_board_apply_post(struct req *r)
{
    struct apply_form *f = WRITE_NEW(r, struct apply_form, &apply_ops);
    f->item = r->params[0];
    f->body = json_object();
    f->files = r->files;
    f->nfiles = r->nfiles;
    if (*form_val(r, "team"))
        json_object_set_new(f->body, "team", json_string(form_val(r, "team")));
    if (*form_val(r, "plan"))
        json_object_set_new(f->body, "plan", json_string(form_val(r, "plan")));
    const char *b = form_val(r, "budget_wan");
    double d;
    if (*b)
        json_object_set_new(f->body, "budget_wan",
                            str_to_double(b, strlen(b), &d) ? json_string(b) : json_real(d));
    json_t *m = members_json(form_val(r, "members"));
    if (json_array_size(m))
        json_object_set_new(f->body, "members", m);
    else
        json_decref(m);
    write_start(r, &f->job);
}
