/* report.c — the phone reporting page (/report) for grid workers and
 * enterprises: category, the category's own fields, photo, location,
 * description, and "my reports" with their status.
 *
 * The category's own fields are its attribute definitions — the same ones
 * Open311's service definition serves (hazard_categories_json): each becomes
 * a field of its datatype, required or optional as defined, a list's values
 * as choices.  The page writes one fieldset per category that has
 * attributes; only the chosen category's is shown and enabled (a disabled
 * fieldset is neither checked nor sent); their fields are attr.CATEGORY.CODE.  assets/report.js
 * switches them when the category changes; without script the "update the form" button posts the
 * form back (refresh=1) and the page comes again for the chosen category with everything typed
 * kept.
 *
 * The form is multipart/form-data so a photo goes up without JavaScript;
 * assets/report.js also fills the hidden lat/long from the browser's
 * geolocation, and without it (or without a fix) the address field carries
 * the location.  Validation is core's (hazard_create, hazard_photo_check): a
 * refused form comes back filled in with the message, the photo included —
 * a photo that passed the check travels back as base64 in a hidden field
 * (photo_kept) and is used when no other is chosen. */
#include <stdlib.h>
#include <string.h>

#include "core/hazard.h"
#include "http/multipart.h"
#include "http/write.h"
#include "util/mem.h"
#include "util/str.h"
#include "web/page.h"
#include "web/web.h"

struct report_form {
    struct write_job job;
    struct hazard_input in;
    json_t *attributes;   /* {code: value} of the chosen category (owned) */
    unsigned char *photo; /* a kept photo, decoded (owned), or NULL */
};

static const char *form_val(struct req *r, const char *name)
{
    const char *v = req_form(r, name);
    return v ? v : "";
}

/* The chosen category: the posted one, else ?category= (a link may choose). */
static const char *chosen_category(struct req *r)
{
    const char *v = req_form(r, "category");
    if (!v) v = req_query(r, "category");
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
    /* without script, the category's own fields come by a round trip */
    html_printf(o,
                "</select><button type=\"submit\" name=\"refresh\" value=\"1\" formnovalidate"
                " class=\"refresh\" id=\"refresh\">%s</button>",
                T(r, "report.refresh"));
}

/* The posted value of attribute code, when the form was posted for cat. */
static const char *attr_refill(struct req *r, const char *cat, const char *code)
{
    if (strcmp(form_val(r, "category"), cat)) return "";
    return form_val(r, arena_printf(r->arena, "attr.%s.%s", cat, code));
}

/* A list attribute as a select of its values. */
static void attr_select(struct req *r, json_t *def, const char *fid, const char *name,
                        const char *cur, const char *req)
{
    struct buf *o = &r->out;
    html_printf(o, "<select id=\"%s\" name=\"%s\"%s><option value=\"\">%s</option>", fid, name, req,
                T(r, "report.choose"));
    size_t k;
    json_t *v;
    json_array_foreach(json_object_get(def, "values"), k, v)
    {
        const char *key = json_string_value(json_object_get(v, "key"));
        const char *label = json_string_value(json_object_get(v, "name"));
        if (!key) continue;
        html_printf(o, "<option value=\"%s\"%s>%s</option>", key,
                    !strcmp(key, cur) ? " selected" : "", label ? label : key);
    }
    html_raw(o, "</select>");
}

/* One attribute definition as a labelled field of its datatype. */
static void attr_field(struct req *r, const char *cat, json_t *def)
{
    struct buf *o = &r->out;
    const char *code = json_string_value(json_object_get(def, "code"));
    const char *type = json_string_value(json_object_get(def, "datatype"));
    const char *desc = json_string_value(json_object_get(def, "description"));
    if (!code) return;
    if (!type) type = "string";
    int required = json_is_true(json_object_get(def, "required"));
    const char *fid = arena_printf(r->arena, "attr-%s-%s", cat, code);
    const char *name = arena_printf(r->arena, "attr.%s.%s", cat, code);
    const char *cur = attr_refill(r, cat, code), *req = required ? " required" : "";
    html_printf(o, "<label for=\"%s\">%s", fid, desc && *desc ? desc : code);
    if (!required) html_printf(o, " <small>%s</small>", T(r, "report.optional"));
    html_raw(o, "</label>");
    if (!strcmp(type, "singlevaluelist") || !strcmp(type, "multivaluelist"))
        attr_select(r, def, fid, name, cur, req);
    else if (!strcmp(type, "text"))
        html_printf(o,
                    "<textarea id=\"%s\" name=\"%s\" rows=\"2\" maxlength=\"500\"%s>%s</textarea>",
                    fid, name, req, cur);
    else
        html_printf(o, "<input id=\"%s\" name=\"%s\" type=\"%s\" maxlength=\"500\" value=\"%s\"%s>",
                    fid, name,
                    !strcmp(type, "number")     ? "number\" step=\"any"
                    : !strcmp(type, "datetime") ? "datetime-local"
                                                : "text",
                    cur, req);
}

/* One fieldset per category with attributes; only the chosen one shown and
 * enabled. */
static void report_attributes(struct req *r, json_t *cats, const char *cur)
{
    struct buf *o = &r->out;
    size_t i, k;
    json_t *c, *def;
    json_array_foreach(cats, i, c)
    {
        json_t *defs = json_object_get(c, "attributes");
        const char *code = json_string_value(json_object_get(c, "code"));
        if (!json_array_size(defs) || !code) continue;
        html_printf(o, "<fieldset class=\"attrs\" data-category=\"%s\"", code);
        if (strcmp(code, cur)) html_raw(o, " hidden disabled");
        html_printf(o, "><legend>%s · %s</legend>",
                    json_string_value(json_object_get(c, r->lang == LANG_EN ? "name_en" : "name")),
                    T(r, "report.details"));
        json_array_foreach(defs, k, def) attr_field(r, code, def);
        html_raw(o, "</fieldset>");
    }
}

/* The photo kept from the last post: a newly chosen one that passed the
 * check, else the one that was kept before.  Base64 (in the arena) and its
 * type, or NULL. */
static const char *kept_photo(struct req *r, const char **mime, size_t *bytes)
{
    const struct req_file *p = multipart_file(r, "photo");
    if (p) {
        *mime = hazard_photo_check(p->data, p->len);
        if (!*mime) return NULL;
        *bytes = p->len;
        char *b64 = str_base64(p->data, p->len);
        const char *kept = arena_strdup(r->arena, b64);
        free(b64);
        return kept;
    }
    const char *b64 = req_form(r, "photo_kept");
    unsigned char *bin;
    if (!b64 || !*b64 || str_unbase64(b64, strlen(b64), HAZARD_PHOTO_MAX, &bin, bytes)) return NULL;
    *mime = hazard_photo_check(bin, *bytes);
    free(bin);
    return *mime ? b64 : NULL;
}

static void report_photo(struct req *r)
{
    struct buf *o = &r->out;
    const char *mime = NULL;
    size_t bytes = 0;
    const char *kept = kept_photo(r, &mime, &bytes);
    html_printf(o,
                "<label for=\"photo\">%s</label><input id=\"photo\" name=\"photo\" type=\"file\""
                " accept=\"image/jpeg,image/png\" capture=\"environment\"><small>%s</small>",
                T(r, "report.photo"), T(r, "report.photo_hint"));
    if (!kept) return;
    html_printf(o,
                "<div class=\"kept\" id=\"kept\"><img id=\"kept-img\" alt=\"%s\" hidden>"
                "<p>%s <b>%zu KB</b></p></div>"
                "<input type=\"hidden\" id=\"photo_kept\" name=\"photo_kept\" data-mime=\"%s\""
                " value=\"%s\">",
                T(r, "report.photo"), T(r, "report.photo_kept"), (bytes + 1023) / 1024, mime, kept);
}

static void report_fields(struct req *r)
{
    html_printf(&r->out,
                "<input type=\"hidden\" id=\"lat\" name=\"lat\" value=\"%s\">"
                "<input type=\"hidden\" id=\"long\" name=\"long\" value=\"%s\">"
                "<p id=\"geo\" class=\"muted\" role=\"status\" data-ok=\"%s\" data-fail=\"%s\" "
                "data-wait=\"%s\">"
                "</p>"
                "<label for=\"address\">%s</label><input id=\"address\" name=\"address\""
                " maxlength=\"200\" value=\"%s\" placeholder=\"%s\">"
                "<label for=\"description\">%s</label><textarea id=\"description\""
                " name=\"description\" rows=\"4\" required maxlength=\"4000\">%s</textarea>"
                "<div class=\"buttons\"><button type=\"submit\" class=\"primary\">%s</button>"
                "</div>",
                form_val(r, "lat"), form_val(r, "long"), T(r, "report.geo_ok"),
                T(r, "report.geo_fail"), T(r, "report.geo_wait"), T(r, "report.address"),
                form_val(r, "address"), T(r, "report.address_hint"), T(r, "report.description"),
                form_val(r, "description"), T(r, "report.submit"));
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
    const char *cur = chosen_category(r);
    layout_begin(r, T(r, "report.title"), NAV_NONE, NULL);
    html_raw(&r->out, "<link rel=\"stylesheet\" href=\"/static/hazard.css\">");
    html_printf(o, "<h1>%s</h1>", T(r, "report.title"));
    const char *done = req_query(r, "done");
    int64_t id;
    if (!error && done && !str_to_int64(done, strlen(done), &id) && id > 0)
        html_printf(o, "<p class=\"ok\" role=\"status\">%s <a href=\"/items/%lld\">#%lld</a></p>",
                    T(r, "report.thanks"), (long long)id, (long long)id);
    if (error)
        html_printf(o, "<p class=\"alert\" role=\"alert\">%s%s%s</p>", T(r, "report.error"),
                    T(r, "colon"), error);
    html_printf(o,
                "<section class=\"card form report\"><form method=\"post\" action=\"/report\""
                " enctype=\"multipart/form-data\">"
                "<input type=\"hidden\" name=\"csrf\" value=\"%s\">",
                r->session.csrf);
    json_t *list = json_object_get(cats, "categories");
    report_categories(r, list, cur);
    report_attributes(r, list, cur);
    report_photo(r);
    report_fields(r);
    html_raw(o, "</form></section><script src=\"/static/report.js\" defer></script>");
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

static void report_release(struct write_job *j)
{
    struct report_form *f = WRITE_OF(j, struct report_form);
    json_decref(f->attributes);
    free(f->photo);
    f->attributes = NULL, f->photo = NULL;
}

static const struct write_ops report_ops = {.what = "reporting",
                                            .run = report_run,
                                            .next = "/report?done=",
                                            .form = report_page,
                                            .release = report_release};

/* The chosen category's posted fields (attr.CATEGORY.CODE) that are not
 * empty into f->attributes ({code: value}); core checks them against the
 * category's definitions.  Another category's fields (sent when a category
 * was changed without script) are not this report's. */
static void report_attrs(struct req *r, struct report_form *f)
{
    const char *prefix = arena_printf(r->arena, "attr.%s.", f->in.category);
    size_t plen = strlen(prefix);
    for (int i = 0; i < r->nform; i++) {
        const char *n = r->form[i].name, *v = r->form[i].value;
        if (strncmp(n, prefix, plen) || !n[plen] || !*v) continue;
        if (!f->attributes) f->attributes = json_object();
        json_object_set_new(f->attributes, n + plen, json_string(v));
    }
    f->in.attributes = f->attributes;
}

/* The photo: a newly chosen file (checked), else the kept one. */
static int report_photo_input(struct req *r, struct report_form *f)
{
    struct hazard_input *in = &f->in;
    const struct req_file *p = multipart_file(r, "photo");
    const unsigned char *data = p ? p->data : NULL;
    size_t len = p ? p->len : 0;
    const char *kept = req_form(r, "photo_kept");
    if (!p && kept && *kept) {
        if (str_unbase64(kept, strlen(kept), HAZARD_PHOTO_MAX, &f->photo, &len))
            return err_say(&f->job.e, 422, "invalid_photo", T(r, "report.bad_photo"));
        data = f->photo;
    }
    if (!data) return 0;
    const char *mime = hazard_photo_check(data, len);
    if (!mime) return err_say(&f->job.e, 422, "invalid_photo", T(r, "report.bad_photo"));
    in->photos[0] = (struct hazard_photo){data, len, mime};
    in->nphotos = 1;
    return 0;
}

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
    report_attrs(r, f);
    if (!*in->category)
        return err_say(&f->job.e, 422, "missing_field", T(r, "report.need_category"));
    if (!*in->description)
        return err_say(&f->job.e, 422, "missing_field", T(r, "report.need_description"));
    if (strlen(addr) > 600 || strlen(in->description) > 16000)
        return err_say(&f->job.e, 422, "invalid_field", T(r, "report.too_long"));
    if (*lat && *lon && !str_to_double(lat, strlen(lat), &in->lat) &&
        !str_to_double(lon, strlen(lon), &in->lon) && in->lat >= -90 && in->lat <= 90 &&
        in->lon >= -180 && in->lon <= 180)
        in->has_location = 1;
    return report_photo_input(r, f);
}

void web_report_post(struct req *r)
{
    if (req_form(r, "refresh")) { /* the form again for the chosen category, nothing saved */
        report_page(r, 200, NULL);
        return;
    }
    struct report_form *f = WRITE_NEW(r, struct report_form, &report_ops);
    if (report_input(r, f)) {
        write_refuse(r, &f->job);
        return;
    }
    write_start(r, &f->job);
}
