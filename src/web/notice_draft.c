/* notice_draft.c — the pages of a notice's draft → sign-off (签发), the
 * same steps as the API's (core/notice_draft.h, notice/draft.h): the draft
 * from the notices page's preview (POST /notices/drafts), its page with the
 * texts (editable by the office while unsigned) and its steps
 * (GET|POST /notices/drafts/{id}), and the confirmation page a leader or an
 * admin signs on (GET|POST /notices/drafts/{id}/sign): "签发后不可撤回"
 * with the number the notice will take.  Signing without the confirmation
 * field is refused as the API refuses it. */
#include <string.h>

#include "core/notice_draft.h"
#include "http/server.h"
#include "http/write.h"
#include "notice/draft.h"
#include "notice/notice.h"
#include "web/page.h"
#include "web/web.h"

static const char *text_of(json_t *d, const char *key)
{
    const char *s = json_string_value(json_object_get(d, key));
    return s ? s : "";
}

/* The draft's period, scope and people. */
static void draft_fields(struct req *r, json_t *d)
{
    struct buf *o = &r->out;
    const char *unit = text_of(d, "unit");
    html_printf(o,
                "<dl class=\"fields\"><dt>%s</dt><dd>%s — %s</dd><dt>%s</dt><dd>%s</dd>"
                "<dt>%s</dt><dd>%s · %s</dd>",
                T(r, "draft.period"), text_of(d, "from"), text_of(d, "to"), T(r, "draft.scope"),
                *unit ? unit : T(r, "notices.city"), T(r, "draft.drafted_by"),
                text_of(d, "drafted_by"), page_time(r, text_of(d, "drafted_at")));
    if (json_is_integer(json_object_get(d, "notice_id")))
        html_printf(
            o, "<dt>%s</dt><dd>%s · %s · <a href=\"/notices/%lld\">%s</a></dd>",
            T(r, "draft.signed_by"), text_of(d, "signed_by"), page_time(r, text_of(d, "signed_at")),
            (long long)json_integer_value(json_object_get(d, "notice_id")), T(r, "draft.notice"));
    html_raw(o, "</dl>");
}

/* The texts: a form for the office while unsigned, else as they are. */
static void draft_texts(struct req *r, json_t *d, int64_t id, int editable)
{
    struct buf *o = &r->out;
    if (!editable) {
        html_printf(o,
                    "<dl class=\"fields\"><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd>"
                    "<dt>%s</dt><dd>%s</dd></dl>",
                    T(r, "draft.main_to"), *text_of(d, "main_to") ? text_of(d, "main_to") : "—",
                    T(r, "draft.copy_to"), *text_of(d, "copy_to") ? text_of(d, "copy_to") : "—",
                    T(r, "draft.summary"), *text_of(d, "summary") ? text_of(d, "summary") : "—");
        return;
    }
    html_printf(o,
                "<form method=\"post\" action=\"/notices/drafts/%lld\" class=\"card form\">"
                "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                "<label>%s <input name=\"main_to\" value=\"%s\"></label>"
                "<label>%s <input name=\"copy_to\" value=\"%s\"></label>"
                "<label>%s <textarea name=\"summary\" rows=\"6\">%s</textarea></label>"
                "<div class=\"buttons\"><button type=\"submit\">%s</button></div></form>",
                (long long)id, r->session.csrf, T(r, "draft.main_to"), text_of(d, "main_to"),
                T(r, "draft.copy_to"), text_of(d, "copy_to"), T(r, "draft.summary"),
                text_of(d, "summary"), T(r, "draft.save"));
}

static void draft_steps(struct req *r, json_t *d)
{
    struct buf *o = &r->out;
    html_printf(o, "<h2>%s</h2><ol class=\"records\">", T(r, "draft.steps"));
    size_t i;
    json_t *s;
    json_array_foreach(json_object_get(d, "steps"), i, s)
    {
        html_printf(o, "<li>%s · %s · %s</li>", page_time(r, text_of(s, "at")), text_of(s, "user"),
                    i18n_label(r, "draft.step", text_of(s, "action")));
    }
    html_raw(o, "</ol>");
}

/* The draft's page (status and message: a refused edit's). */
static void draft_page(struct req *r, int status, const char *message)
{
    struct db *db = page_db(r);
    if (!db) return;
    struct err e = {0};
    json_t *d = notice_draft_json(db, r->params[0], &e);
    if (!d) {
        page_fail(r, &e);
        return;
    }
    int open = !json_is_integer(json_object_get(d, "notice_id"));
    struct buf *o = &r->out;
    layout_begin(r, T(r, "draft.title"), NAV_NONE, NULL);
    html_printf(o,
                "<p class=\"crumbs\"><a href=\"/notices\">%s</a> › #%lld</p><h1>%s #%lld %s</h1>",
                T(r, "notices.title"), (long long)r->params[0], T(r, "draft.title"),
                (long long)r->params[0], i18n_label(r, "draft.status", open ? "draft" : "signed"));
    if (message) html_printf(o, "<p class=\"error\">%s</p>", message);
    html_raw(o, "<section class=\"card\">");
    draft_fields(r, d);
    draft_texts(r, d, r->params[0], open && (r->actor->roles & (ROLE_ADMIN | ROLE_SUPERVISOR)));
    if (open && (r->actor->roles & (ROLE_ADMIN | ROLE_LEADER)))
        html_printf(o,
                    "<p><a class=\"button primary\" href=\"/notices/drafts/%lld/sign\">%s</a></p>",
                    (long long)r->params[0], T(r, "draft.sign"));
    html_raw(o, "</section>");
    draft_steps(r, d);
    json_decref(d);
    layout_end(r, status);
}

void web_notice_draft(struct req *r)
{
    draft_page(r, 200, NULL);
}

static int edit_run(struct db *db, struct write_job *j)
{
    return notice_draft_edit(db, j->actor, j->id, WRITE_OF(j, struct write_body)->body, &j->e);
}

static const struct write_ops edit_ops = {.what = "editing the draft",
                                          .run = edit_run,
                                          .next = "/notices/drafts/",
                                          .form = draft_page,
                                          .release = write_body_release};

/* The form's texts as the API's body (absent fields stay absent). */
static json_t *texts_body(struct req *r)
{
    static const char *const names[] = {"main_to", "copy_to", "summary"};
    json_t *b = json_object();
    for (size_t k = 0; k < 3; k++) {
        const char *v = req_form(r, names[k]);
        if (v) json_object_set_new(b, names[k], json_string(v));
    }
    return b;
}

void web_notice_draft_edit(struct req *r)
{
    struct write_body *b = WRITE_NEW(r, struct write_body, &edit_ops);
    b->body = texts_body(r);
    b->job.id = r->params[0];
    write_start(r, &b->job);
}

struct new_job {
    struct write_job job;
    json_t *body;
    const char *from, *to, *unit;
};

static int new_run(struct db *db, struct write_job *j)
{
    struct new_job *x = WRITE_OF(j, struct new_job);
    return notice_draft_create(db, j->actor, x->from, x->to, x->unit, x->body, &j->id, &j->e);
}

static void new_release(struct write_job *j)
{
    json_decref(WRITE_OF(j, struct new_job)->body);
}

static const struct write_ops new_ops = {.what = "storing the draft",
                                         .run = new_run,
                                         .next = "/notices/drafts/",
                                         .release = new_release};

void web_notice_drafts_create(struct req *r)
{
    struct new_job *x = WRITE_NEW(r, struct new_job, &new_ops);
    x->body = texts_body(r);
    x->from = req_form(r, "from");
    x->to = req_form(r, "to");
    x->unit = req_form(r, "unit");
    if (x->unit && !*x->unit) x->unit = NULL;
    struct notice_params p;
    if (notice_params_parse(x->from, x->to, x->unit, &p, &x->job.e)) {
        write_refuse(r, &x->job);
        return;
    }
    write_start(r, &x->job);
}

/* The confirmation page: 签发后不可撤回, the number it will take, the form. */
static void confirm_page(struct req *r, int status, const char *message)
{
    struct db *db = page_db(r);
    if (!db) return;
    struct err e = {0};
    char number[128];
    json_t *d = notice_draft_json(db, r->params[0], &e);
    if (!d || notice_draft_number(db, number, &e)) {
        json_decref(d);
        page_fail(r, &e);
        return;
    }
    struct buf *o = &r->out;
    layout_begin(r, T(r, "draft.confirm_title"), NAV_NONE, NULL);
    html_printf(o, "<h1>%s</h1>", T(r, "draft.confirm_title"));
    if (message) html_printf(o, "<p class=\"error\">%s</p>", message);
    html_printf(o,
                "<section class=\"card\"><p class=\"warning\"><strong>%s</strong></p>"
                "<p>%s：<strong class=\"number\">%s</strong></p>",
                T(r, "draft.confirm_warning"), T(r, "draft.will_take"), number);
    draft_fields(r, d);
    draft_texts(r, d, r->params[0], 0);
    html_printf(o,
                "<form method=\"post\" action=\"/notices/drafts/%lld/sign\">"
                "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                "<input type=\"hidden\" name=\"confirm\" value=\"1\">"
                "<div class=\"buttons\"><button type=\"submit\" class=\"primary\">%s</button>"
                " <a href=\"/notices/drafts/%lld\">%s</a></div></form></section>",
                (long long)r->params[0], r->session.csrf, T(r, "draft.confirm"),
                (long long)r->params[0], T(r, "draft.back"));
    json_decref(d);
    layout_end(r, status);
}

void web_notice_draft_confirm(struct req *r)
{
    confirm_page(r, 200, NULL);
}

struct sign_job {
    struct write_job job;
    int64_t draft;
    const struct checkpoint_key *signer;
};

static int sign_run(struct db *db, struct write_job *j)
{
    struct sign_job *x = WRITE_OF(j, struct sign_job);
    return notice_draft_sign(db, j->actor, x->draft, x->signer, &j->id, &j->e);
}

static const struct write_ops sign_ops = {
    .what = "signing the draft", .run = sign_run, .next = "/notices/", .form = confirm_page};

void web_notice_draft_sign(struct req *r)
{
    struct sign_job *x = WRITE_NEW(r, struct sign_job, &sign_ops);
    x->draft = r->params[0];
    x->signer = r->server->signer;
    const char *confirm = req_form(r, "confirm");
    if (!confirm || strcmp(confirm, "1")) {
        err_set(&x->job.e, 422, "confirm_required",
                "signing issues the notice and cannot be undone (签发后不可撤回): confirm it");
        write_refuse(r, &x->job);
        return;
    }
    write_start(r, &x->job);
}
