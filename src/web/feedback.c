/* feedback.c — batch feedback (report once): one form listing the open items
 * the user's unit leads (core's inbox "to_report" list), with text, progress
 * and — for an item with a metric — its current value per item.
 *
 * Submitting files every filled-in row as the item's feedback action, all in
 * one write transaction: either every report is recorded or none is, and a
 * refusal names the item and brings the form back with everything typed.
 * Roll-ups are core's: nothing here computes a figure. */
#include <string.h>

#include "core/batch.h"
#include "core/inbox.h"
#include "core/item.h"
#include "http/write.h"
#include "util/str.h"
#include "web/page.h"
#include "web/web.h"

/* Rows of one form: each takes 4 fields (id, text, progress, value) and the
 * dispatcher reads at most 256. */
#define FEEDBACK_MAX_ROWS 60

struct fb_post {
    struct write_job job;
    struct batch_action rows[FEEDBACK_MAX_ROWS]; /* {"action":"feedback",…} each */
    size_t n;
    int64_t failed; /* the item core refused */
};

/* The items of the form: to_report, each with its full row (metric, the
 * allowed actions), only those the user may report on.  A new array. */
static json_t *fb_items(struct req *r, struct db *db, struct err *e)
{
    json_t *inbox = inbox_json(db, r->actor, e);
    if (!inbox) return NULL;
    json_t *out = json_array();
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(inbox, "to_report"), i, it)
    {
        if (json_array_size(out) == FEEDBACK_MAX_ROWS) break;
        struct err e2 = {0};
        json_t *full =
            item_get_json(db, r->actor, json_integer_value(json_object_get(it, "id")), &e2);
        if (!full) continue;
        page_mark_children(r, full);
        json_object_set(full, "feedback_due", json_object_get(it, "feedback_due"));
        json_object_set(full, "feedback_late", json_object_get(it, "feedback_late"));
        json_array_append_new(out, full);
    }
    json_decref(inbox);
    return out;
}

/* A posted value of the row for item id, or "". */
static const char *fb_val(struct req *r, char kind, json_int_t id)
{
    const char *v = req_form(r, arena_printf(r->arena, "%c%lld", kind, (long long)id));
    return v ? v : "";
}

static void fb_row(struct req *r, json_t *it, int64_t failed)
{
    struct buf *o = &r->out;
    json_int_t id = json_integer_value(json_object_get(it, "id"));
    json_int_t p = json_integer_value(json_object_get(it, "progress"));
    json_t *m = json_object_get(it, "metric");
    const char *due = json_string_value(json_object_get(it, "feedback_due"));
    html_printf(o, "<fieldset class=\"fb-row%s\" id=\"row-%lld\"><legend>",
                id == failed ? " bad" : "", (long long)id);
    page_light(r, json_string_value(json_object_get(it, "light")));
    html_printf(o, " <a href=\"/items/%lld\">%s</a></legend><p class=\"meta\"><span>%s %s</span>",
                (long long)id, json_string_value(json_object_get(it, "title")),
                T(r, "item.deadline"), json_string_value(json_object_get(it, "deadline")));
    if (due)
        html_printf(o, "<span%s>%s %s</span>",
                    json_is_true(json_object_get(it, "feedback_late")) ? " class=\"late\"" : "",
                    T(r, "loop.feedback_due"), due);
    html_printf(o, "<span><progress max=\"100\" value=\"%lld\"></progress> %lld%%</span></p>",
                (long long)p, (long long)p);
    html_printf(o,
                "<input type=\"hidden\" name=\"id\" value=\"%lld\">"
                "<label for=\"t%lld\">%s</label><textarea id=\"t%lld\" name=\"t%lld\" rows=\"2\" "
                "maxlength=\"5000\">%s</textarea>",
                (long long)id, (long long)id, T(r, "act.feedback_text"), (long long)id,
                (long long)id, fb_val(r, 't', id));
    if (json_is_true(json_object_get(it, "has_children"))) {
        /* a parent's progress is its sub-items' roll-up: nothing to type */
        html_printf(o, "<small>%s</small></fieldset>", T(r, "feedback.rolled_up"));
        return;
    }
    html_printf(o,
                "<div class=\"row\"><div><label for=\"p%lld\">%s</label><input id=\"p%lld\" "
                "name=\"p%lld\" type=\"number\" min=\"0\" max=\"100\" inputmode=\"numeric\" "
                "placeholder=\"%lld\" value=\"%s\"></div>",
                (long long)id, T(r, "field.progress"), (long long)id, (long long)id, (long long)p,
                fb_val(r, 'p', id));
    if (json_is_object(m)) {
        const char *unit = json_string_value(json_object_get(m, "unit"));
        html_printf(o,
                    "<div><label for=\"v%lld\">%s (%s %g %s)</label><input id=\"v%lld\" "
                    "name=\"v%lld\" type=\"number\" step=\"any\" inputmode=\"decimal\" "
                    "value=\"%s\"></div>",
                    (long long)id, T(r, "field.value"), T(r, "item.target"),
                    json_number_value(json_object_get(m, "target")), unit ? unit : "",
                    (long long)id, (long long)id, fb_val(r, 'v', id));
    }
    html_raw(o, "</div></fieldset>");
}

/* The page: the form (refilled from the post), an error naming the item, or
 * the word that the last batch was filed. */
static void fb_page(struct req *r, int status, const char *error, int64_t failed)
{
    struct err e = {0};
    struct db *db = page_db(r);
    if (!db) return;
    json_t *items = fb_items(r, db, &e);
    if (!items) {
        page_fail(r, &e);
        return;
    }
    struct buf *o = &r->out;
    layout_begin(r, T(r, "feedback.title"), NAV_FEEDBACK, NULL);
    html_printf(o, "<h1>%s</h1><p class=\"lead\">%s</p>", T(r, "feedback.title"),
                T(r, "feedback.intro"));
    const char *filed = req_query(r, "filed");
    int64_t nfiled;
    if (!error && filed && !str_to_int64(filed, strlen(filed), &nfiled) && nfiled > 0)
        html_printf(o, "<p class=\"ok\" role=\"status\">%s: %lld</p>", T(r, "feedback.filed"),
                    (long long)nfiled);
    if (error)
        html_printf(o, "<p class=\"alert\" role=\"alert\">%s%s%s</p>", T(r, "feedback.error"),
                    T(r, "colon"), error);
    if (!json_array_size(items)) {
        html_printf(o, "<section class=\"card\"><p class=\"empty\">%s</p></section>",
                    T(r, "feedback.empty"));
    } else {
        html_printf(o,
                    "<form method=\"post\" action=\"/feedback\" class=\"card fb\">"
                    "<input type=\"hidden\" name=\"csrf\" value=\"%s\">",
                    r->session.csrf);
        size_t i;
        json_t *it;
        json_array_foreach(items, i, it) fb_row(r, it, failed);
        html_printf(o,
                    "<div class=\"buttons\"><button type=\"submit\" class=\"primary\">%s</button>"
                    "<small>%s</small></div></form>",
                    T(r, "feedback.submit"), T(r, "feedback.note"));
    }
    json_decref(items);
    layout_end(r, status);
}

void web_feedback_get(struct req *r)
{
    fb_page(r, 200, NULL, 0);
}

/* The number in a posted field as JSON, or the text when it is not one (so
 * core refuses it in its words). */
static json_t *fb_number(const char *v, int integer)
{
    int64_t n;
    double d;
    if (!str_to_int64(v, strlen(v), &n)) return json_integer(n);
    if (!integer && !str_to_double(v, strlen(v), &d)) return json_real(d);
    return json_string(v);
}

/* The filled-in rows as feedback bodies.  0, or -1 with e (the post names an
 * item twice or too many). */
static int fb_parse(struct req *r, struct fb_post *p, struct err *e)
{
    for (int i = 0; i < r->nform; i++) {
        if (strcmp(r->form[i].name, "id")) continue;
        const char *s = r->form[i].value;
        int64_t id;
        if (str_to_int64(s, strlen(s), &id) || id <= 0)
            return err_set(e, 422, "invalid_field", "'%s' is not an item", s);
        const char *t = fb_val(r, 't', id), *pr = fb_val(r, 'p', id), *v = fb_val(r, 'v', id);
        if (!*t && !*pr && !*v) continue;
        for (size_t k = 0; k < p->n; k++)
            if (p->rows[k].item_id == id)
                return err_set(e, 422, "invalid_field", "item %lld is listed twice", (long long)id);
        if (p->n == FEEDBACK_MAX_ROWS)
            return err_set(e, 422, "invalid_field", "at most %d reports at once",
                           FEEDBACK_MAX_ROWS);
        json_t *b = json_pack("{s:s}", "action", "feedback");
        if (*t) json_object_set_new(b, "text", json_string(t));
        if (*pr) json_object_set_new(b, "progress", fb_number(pr, 1));
        if (*v) json_object_set_new(b, "value", fb_number(v, 0));
        p->rows[p->n++] = (struct batch_action){id, b, 0};
    }
    if (!p->n) return err_say(e, 422, "missing_field", T(r, "feedback.nothing"));
    return 0;
}

static int fb_run(struct db *db, struct write_job *j)
{
    struct fb_post *p = WRITE_OF(j, struct fb_post);
    return batch_act(db, j->actor, p->rows, p->n, &p->failed, &j->e);
}

static void fb_done(struct req *r, struct write_job *j)
{
    write_redirect(r, "/feedback?filed=%zu", WRITE_OF(j, struct fb_post)->n);
}

/* The form again, naming the failed item by its title (as the user sees it). */
static void fb_refused(struct req *r, struct write_job *j)
{
    struct fb_post *p = WRITE_OF(j, struct fb_post);
    const char *msg = req_err_text(r, &j->e);
    if (p->failed) {
        struct err e = {0};
        struct db *db = req_db(r);
        json_t *it = db ? item_get_json(db, r->actor, p->failed, &e) : NULL;
        const char *title = json_string_value(json_object_get(it, "title"));
        msg = arena_printf(r->arena, "#%lld %s — %s", (long long)p->failed, title ? title : "",
                           req_err_text(r, &j->e));
        json_decref(it);
    }
    fb_page(r, j->e.status, msg, p->failed);
}

static void fb_release(struct write_job *j)
{
    struct fb_post *p = WRITE_OF(j, struct fb_post);
    batch_free(p->rows, p->n);
}

static const struct write_ops fb_ops = {.what = "recording the feedback",
                                        .run = fb_run,
                                        .done = fb_done,
                                        .refused = fb_refused,
                                        .release = fb_release};

void web_feedback_post(struct req *r)
{
    struct fb_post *p = WRITE_NEW(r, struct fb_post, &fb_ops);
    if (fb_parse(r, p, &p->job.e)) {
        write_refuse(r, &p->job);
        return;
    }
    write_start(r, &p->job);
}
