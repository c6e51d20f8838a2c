/* review.c — review before a unit reports on the pages (core/review.h): the
 * unit head's 待办 card of the reports waiting (approve, or send back with a
 * reason, right in the list), a clerk's card of the reports sent back, and
 * the office's switch on the unit page.  Each form posts here and comes
 * back to the page it came from; the checks are core's. */
#include <string.h>

#include "core/review.h"
#include "http/req.h"
#include "http/write.h"
#include "web/page.h"
#include "web/web.h"

static const char *jtext(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

/* One held report: the item, what the clerk wrote, who and when. */
static void review_entry(struct req *r, json_t *rv)
{
    struct buf *o = &r->out;
    json_t *progress = json_object_get(rv, "progress");
    html_printf(o,
                "<li id=\"review-%lld\"><a href=\"/items/%lld\">%s</a> "
                "<span class=\"why\">%s · %s%s <q>%s</q>",
                (long long)json_integer_value(json_object_get(rv, "id")),
                (long long)json_integer_value(json_object_get(rv, "item_id")), jtext(rv, "title"),
                i18n_label(r, "action", jtext(rv, "action")),
                jtext(json_object_get(rv, "author"), "name"), T(r, "colon"), jtext(rv, "text"));
    if (json_is_integer(progress))
        html_printf(o, " %lld%%", (long long)json_integer_value(progress));
    html_raw(o, "</span>");
}

/* The head's two forms for review rv. */
static void review_forms(struct req *r, json_t *rv)
{
    long long id = (long long)json_integer_value(json_object_get(rv, "id"));
    html_printf(&r->out,
                "<form method=\"post\" action=\"/reviews/%lld\" class=\"inline\">"
                "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                "<input type=\"hidden\" name=\"decision\" value=\"approve\">"
                "<button type=\"submit\" class=\"primary\">%s</button></form>"
                "<form method=\"post\" action=\"/reviews/%lld\" class=\"inline\">"
                "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                "<input type=\"hidden\" name=\"decision\" value=\"return\">"
                "<input name=\"reason\" required maxlength=\"500\" aria-label=\"%s\" "
                "placeholder=\"%s\"><button type=\"submit\">%s</button></form>",
                id, r->session.csrf, T(r, "review.approve"), id, r->session.csrf,
                T(r, "review.reason"), T(r, "review.reason"), T(r, "review.return"));
}

void review_cards(struct req *r, json_t *inbox)
{
    struct buf *o = &r->out;
    json_t *waiting = json_object_get(inbox, "reviews");
    json_t *back = json_object_get(inbox, "reviews_returned");
    size_t i;
    json_t *rv;
    if (r->actor->roles & ROLE_HEAD) {
        html_printf(o, "<section class=\"card inbox i-reviews\"><h2>%s <small>%zu</small></h2>",
                    T(r, "inbox.reviews"), json_array_size(waiting));
        if (!json_array_size(waiting))
            html_printf(o, "<p class=\"empty\">%s</p>", T(r, "inbox.empty_reviews"));
        else
            html_raw(o, "<ul class=\"inbox-list\">");
        json_array_foreach(waiting, i, rv)
        {
            review_entry(r, rv);
            review_forms(r, rv);
            html_raw(o, "</li>");
        }
        if (json_array_size(waiting)) html_raw(o, "</ul>");
        html_raw(o, "</section>");
    }
    if (!json_array_size(back)) return;
    html_printf(o,
                "<section class=\"card inbox i-reviews-returned\"><h2>%s <small>%zu</small></h2>",
                T(r, "inbox.reviews_returned"), json_array_size(back));
    html_raw(o, "<ul class=\"inbox-list\">");
    json_array_foreach(back, i, rv)
    {
        review_entry(r, rv);
        html_printf(o, " <span class=\"why\">%s%s<q>%s</q></span></li>", T(r, "review.reason"),
                    T(r, "colon"), jtext(rv, "reason"));
    }
    html_raw(o, "</ul></section>");
}

/* ---- POST /reviews/{id} ---- */

struct review_form {
    struct write_job job;
    json_t *body; /* owned */
};

static int review_form_run(struct db *db, struct write_job *j)
{
    return review_decide(db, j->actor, j->id, WRITE_OF(j, struct review_form)->body, &j->e);
}

static void review_form_release(struct write_job *j)
{
    json_decref(WRITE_OF(j, struct review_form)->body);
}

static const struct write_ops review_form_ops = {.what = "deciding the review",
                                                 .run = review_form_run,
                                                 .next = "/inbox",
                                                 .release = review_form_release};

void web_review_decide(struct req *r)
{
    struct review_form *x = WRITE_NEW(r, struct review_form, &review_form_ops);
    x->job.id = r->params[0];
    const char *d = req_form(r, "decision"), *reason = req_form(r, "reason");
    x->body = json_pack("{s:s}", "decision", d ? d : "");
    if (d && !strcmp(d, "return"))
        json_object_set_new(x->body, "reason", json_string(reason ? reason : ""));
    write_start(r, &x->job);
}

/* ---- POST /units/{id}/review ---- */

struct unit_review_form {
    struct write_job job;
    int on;
};

static int unit_review_run(struct db *db, struct write_job *j)
{
    return review_unit_set(db, j->actor, j->id, WRITE_OF(j, struct unit_review_form)->on, &j->e);
}

static const struct write_ops unit_review_form_ops = {
    .what = "setting the unit's review", .run = unit_review_run, .next = "/units"};

void web_unit_review(struct req *r)
{
    struct unit_review_form *x = WRITE_NEW(r, struct unit_review_form, &unit_review_form_ops);
    x->job.id = r->params[0];
    const char *on = req_form(r, "on");
    x->on = on && !strcmp(on, "1");
    write_start(r, &x->job);
}
