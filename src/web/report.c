/* report.c — the phone reporting page (/report) for grid workers and
 * enterprises: category, photo, location, description, and "my reports"
 * with their status.
 *
 * The form is multipart/form-data so a photo goes up without JavaScript;
 * assets/report.js only fills the hidden lat/long from the browser's
 * geolocation, and without it (or without a fix) the address field carries
 * the location.  Validation is core's (hazard_create, hazard_photo_check): a
 * refused form comes back filled in with core's message. */
#include <string.h>

#include "core/hazard.h"
#include "http/multipart.h"
#include "http/write.h"
#include "util/str.h"
#include "web/page.h"
#include "web/web.h"

struct report_form {
    struct write_job job;
    struct hazard_input in;
};

static const char *form_val(struct req *r, const char *name)
{
    const char *v = req_form(r, name);
    return v ? v : "";
}

static void report_categories(struct req *r, json_t *cats, const char *cur)
{
    struct buf *o = &r->out;
    html_printf(o,
                "<label for=\"category\">%s</label><select id=\"category\" name=\"category\""
                " required><option value=\"\">%s</option>",
                T(r, "report.category"), T(r, "report.choose"));
    size_t i;
    json_t *c;
    json_array_foreach(cats, i, c)
    {
        const char *code = json_string_value(json_object_get(c, "code"));
        html_printf(o, "<option value=\"%s\"%s>%s</option>", code,
                    !strcmp(code, cur) ? " selected" : "",
                    json_string_value(json_object_get(c, r->lang == LANG_EN ? "name_en" : "name")));
    }
    html_raw(o, "</select>");
}

static void report_mine(struct req *r, struct db *db)
{
    struct buf *o = &r->out;
    struct err e = {0};
    json_t *v = hazard_list_json(db, r->actor, "mine", 30, &e);
    html_printf(o, "<section class=\"card mine\"><h2>%s</h2>", T(r, "report.mine"));
    json_t *list = json_object_get(v, "hazards");
    if (!json_array_size(list))
        html_printf(o, "<p class=\"muted\">%s</p>", T(r, "report.none"));
    else
        html_raw(o, "<ul class=\"reports\">");
    size_t i;
    json_t *h;
    json_array_foreach(list, i, h)
    {
        html_printf(o, "<li><a href=\"/hazards/%lld\">%s</a><span class=\"meta\">",
                    (long long)json_integer_value(json_object_get(h, "id")),
                    json_string_value(json_object_get(h, "title")));
        json_t *orig = json_object_get(h, "duplicate_of");
        if (json_is_integer(orig)) { /* updates go to the original: show its progress */
            html_printf(o, "%s <a href=\"/hazards/%lld\">#%lld</a> ", T(r, "hazard.duplicate_of"),
                        (long long)json_integer_value(orig), (long long)json_integer_value(orig));
            page_status(r, json_string_value(json_object_get(h, "original_status")));
        } else {
            page_status(r, json_string_value(json_object_get(h, "status")));
        }
        html_printf(o, " <time>%s</time></span></li>",
                    page_time(r, json_string_value(json_object_get(h, "created_at"))));
    }
    if (json_array_size(list)) html_raw(o, "</ul>");
    html_raw(o, "</section>");
    json_decref(v);
}

/* The page: a notice of the last report, the form (refilled), my reports. */
static void report_page(struct req *r, int status, const char *error)
{
    struct db *db = page_db(r);
    if (!db) return;
    struct err e = {0};
    json_t *cats = hazard_categories_json(db, &e);
    if (!cats) {
        page_fail(r, &e);
        return;
    }
    struct buf *o = &r->out;
    layout_begin(r, T(r, "report.title"), NAV_NONE, NULL);
    html_raw(&r->out, "<link rel=\"stylesheet\" href=\"/static/hazard.css\">");
    html_printf(o, "<h1>%s</h1>", T(r, "report.title"));
    const char *done = req_query(r, "done");
    int64_t id;
    if (!error && done && !str_to_int64(done, strlen(done), &id) && id > 0)
        html_printf(o, "<p class=\"ok\" role=\"status\">%s <a href=\"/items/%lld\">#%lld</a></p>",
                    T(r, "report.thanks"), (long long)id, (long long)id);
    if (error)
        html_printf(o, "<p class=\"alert\" role=\"alert\">%s: %s</p>", T(r, "report.error"), error);
    html_printf(o,
                "<section class=\"card form report\"><form method=\"post\" action=\"/report\""
                " enctype=\"multipart/form-data\">"
                "<input type=\"hidden\" name=\"csrf\" value=\"%s\">",
                r->session.csrf);
    report_categories(r, json_object_get(cats, "categories"), form_val(r, "category"));
    html_printf(o,
                "<label for=\"photo\">%s</label><input id=\"photo\" name=\"photo\" type=\"file\""
                " accept=\"image/jpeg,image/png\" capture=\"environment\"><small>%s</small>"
                "<input type=\"hidden\" id=\"lat\" name=\"lat\" value=\"%s\">"
                "<input type=\"hidden\" id=\"long\" name=\"long\" value=\"%s\">"
                "<p id=\"geo\" class=\"muted\" data-ok=\"%s\" data-fail=\"%s\" data-wait=\"%s\">"
                "</p>"
                "<label for=\"address\">%s</label><input id=\"address\" name=\"address\""
                " maxlength=\"200\" value=\"%s\" placeholder=\"%s\">"
                "<label for=\"description\">%s</label><textarea id=\"description\""
                " name=\"description\" rows=\"4\" required maxlength=\"4000\">%s</textarea>"
                "<div class=\"buttons\"><button type=\"submit\" class=\"primary\">%s</button>"
                "</div></form></section>",
                T(r, "report.photo"), T(r, "report.photo_hint"), form_val(r, "lat"),
                form_val(r, "long"), T(r, "report.geo_ok"), T(r, "report.geo_fail"),
                T(r, "report.geo_wait"), T(r, "report.address"), form_val(r, "address"),
                T(r, "report.address_hint"), T(r, "report.description"), form_val(r, "description"),
                T(r, "report.submit"));
    html_raw(o, "<script src=\"/static/report.js\" defer></script>");
    report_mine(r, db);
    json_decref(cats);
    layout_end(r, status);
}

void web_report_get(struct req *r)
{
    report_page(r, 200, NULL);
}

static int report_run(struct db *db, struct write_job *j)
{
    return hazard_create(db, j->actor, &WRITE_OF(j, struct report_form)->in, &j->id, &j->e);
}

static const struct write_ops report_ops = {
    .what = "reporting", .run = report_run, .next = "/report?done=", .form = report_page};

/* The form's fields into f->in.  0, or -1 with the message in f->job.e. */
static int report_input(struct req *r, struct report_form *f)
{
    struct hazard_input *in = &f->in;
    memset(in, 0, sizeof *in);
    in->channel = "web";
    in->category = form_val(r, "category");
    in->description = form_val(r, "description");
    const char *addr = form_val(r, "address"), *lat = form_val(r, "lat"),
               *lon = form_val(r, "long");
    if (*addr) in->address = addr;
    if (!*in->category)
        return err_set(&f->job.e, 422, "missing_field", "%s", T(r, "report.need_category"));
    if (!*in->description)
        return err_set(&f->job.e, 422, "missing_field", "%s", T(r, "report.need_description"));
    if (strlen(addr) > 600 || strlen(in->description) > 16000)
        return err_set(&f->job.e, 422, "invalid_field", "%s", T(r, "report.too_long"));
    if (*lat && *lon && !str_to_double(lat, strlen(lat), &in->lat) &&
        !str_to_double(lon, strlen(lon), &in->lon) && in->lat >= -90 && in->lat <= 90 &&
        in->lon >= -180 && in->lon <= 180)
        in->has_location = 1;
    const struct req_file *p = multipart_file(r, "photo");
    if (p) {
        const char *mime = hazard_photo_check(p->data, p->len);
        if (!mime) return err_set(&f->job.e, 422, "invalid_photo", "%s", T(r, "report.bad_photo"));
        in->photos[0] = (struct hazard_photo){p->data, p->len, mime};
        in->nphotos = 1;
    }
    return 0;
}

void web_report_post(struct req *r)
{
    struct report_form *f = WRITE_NEW(r, struct report_form, &report_ops);
    if (report_input(r, f)) {
        write_refuse(r, &f->job);
        return;
    }
    write_start(r, &f->job);
}
