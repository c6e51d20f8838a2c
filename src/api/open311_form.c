/* open311_form.c — the Open311 POST form, W3C datetimes and the XML
 * rendering (its text escaped by util/html.h, like every markup we write).
 * See open311.h.  No database and no request state here. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "api/open311.h"
#include "util/html.h"
#include "util/str.h"
#include "util/time.h"
#include "util/utf8.h"

/* ---- the POST form ---- */

struct arg {
    const char *name;
    size_t off;
};

#define ARG(f)                                                                                     \
    {                                                                                              \
#f, offsetof(struct open311_post, f)                                                       \
    }
static const struct arg args[] = {
    ARG(api_key),     ARG(jurisdiction_id), ARG(service_code), ARG(address_string), ARG(address_id),
    ARG(description), ARG(email),           ARG(first_name),   ARG(last_name),      ARG(phone),
    ARG(media_url),   ARG(device_id),       ARG(account_id),
};

static int attr_name_ok(const char *s, size_t n)
{
    if (n == 0 || n > 64) return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-'))
            return 0;
    }
    return 1;
}

/* attribute[CODE]=v or attribute[CODE][]=v.  0 or -1 with e. */
static int attr_field(struct open311_post *p, const char *name, const char *value, struct err *e)
{
    const char *open = name + 10, *close = strchr(open, ']');
    if (!close || !attr_name_ok(open, (size_t)(close - open)))
        return err_set(e, 400, "bad_argument", "'%.80s' is not attribute[CODE]", name);
    char code[65];
    snprintf(code, sizeof code, "%.*s", (int)(close - open), open);
    int multi = !strcmp(close, "][]");
    if (!multi && strcmp(close, "]"))
        return err_set(e, 400, "bad_argument", "'%.80s' is not attribute[CODE]", name);
    if (strlen(value) > 500)
        return err_set(e, 400, "bad_argument", "attribute %s is longer than 500 bytes", code);
    json_t *have = json_object_get(p->attributes, code);
    if (!multi) {
        if (have) return err_set(e, 400, "bad_argument", "attribute %s is given twice", code);
        if (*value) json_object_set_new(p->attributes, code, json_string(value));
        return 0;
    }
    if (have && !json_is_array(have))
        return err_set(e, 400, "bad_argument", "attribute %s is both single and multiple", code);
    if (!have) json_object_set_new(p->attributes, code, have = json_array());
    if (json_array_size(have) >= 32)
        return err_set(e, 400, "bad_argument", "attribute %s has too many values", code);
    if (*value) json_array_append_new(have, json_string(value));
    return 0;
}

static int number_field(const char *name, const char *v, double *out, struct err *e)
{
    if (str_to_double(v, strlen(v), out) || !isfinite(*out))
        return err_set(e, 400, "bad_argument", "'%s' must be a number", name);
    return 0;
}

static int location(struct open311_post *p, const char *lat, const char *lon, struct err *e)
{
    if (!lat && !lon) return 0;
    if (!lat || !lon)
        return err_set(e, 400, "bad_argument", "'lat' and 'long' must be given together");
    if (number_field("lat", lat, &p->lat, e) || number_field("long", lon, &p->lon, e)) return -1;
    if (fabs(p->lat) > 90 || fabs(p->lon) > 180)
        return err_set(e, 400, "bad_argument", "'lat' must be within ±90 and 'long' within ±180");
    p->has_location = 1;
    return 0;
}

int open311_post_parse(const struct req_field *fields, int n, struct open311_post *p, struct err *e)
{
    memset(p, 0, sizeof *p);
    p->attributes = json_object();
    const char *lat = NULL, *lon = NULL;
    for (int i = 0; i < n; i++) {
        const char *name = fields[i].name, *value = fields[i].value;
        if (!strncmp(name, "attribute[", 10)) {
            if (attr_field(p, name, value, e)) return -1;
            continue;
        }
        const char **slot = NULL;
        if (!strcmp(name, "lat"))
            slot = &lat;
        else if (!strcmp(name, "long"))
            slot = &lon;
        for (size_t k = 0; !slot && k < sizeof args / sizeof *args; k++)
            if (!strcmp(name, args[k].name)) slot = (const char **)((char *)p + args[k].off);
        if (!slot) return err_set(e, 400, "bad_argument", "unknown argument '%.80s'", name);
        if (*slot) return err_set(e, 400, "bad_argument", "'%s' is given twice", name);
        if (*value) *slot = value; /* an empty optional argument is an absent one */
    }
    if (p->description && utf8_count(p->description, strlen(p->description)) > OPEN311_DESC_MAX)
        return err_set(e, 400, "bad_argument", "'description' is longer than %d characters",
                       OPEN311_DESC_MAX);
    return location(p, lat, lon, e);
}

void open311_post_free(struct open311_post *p)
{
    json_decref(p->attributes);
    p->attributes = NULL;
}

/* ---- datetimes ---- */

static int digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

int open311_parse_datetime(const char *s, int zone_min, int64_t *ms)
{
    size_t n = strlen(s);
    int32_t day;
    if (n < 10 || date_parse(s, 10, &day)) return -1;
    int h = 0, mi = 0, sec = 0, zone = zone_min;
    const char *p = s + 10;
    if (n > 10) {
        if (n < 20 || *p != 'T' || digits(p + 1, 2, &h) || p[3] != ':' || digits(p + 4, 2, &mi) ||
            p[6] != ':' || digits(p + 7, 2, &sec) || h > 23 || mi > 59 || sec > 60)
            return -1;
        p += 9;
        if (*p == '.') {
            p++;
            int k = 0;
            while (*p >= '0' && *p <= '9' && k < 9)
                p++, k++;
            if (!k) return -1;
        }
        if (*p == 'Z' && !p[1]) {
            zone = 0;
        } else if ((*p == '+' || *p == '-') && strlen(p) == 6 && p[3] == ':') {
            int zh, zm;
            if (digits(p + 1, 2, &zh) || digits(p + 4, 2, &zm) || zh > 14 || zm > 59) return -1;
            zone = (zh * 60 + zm) * (*p == '-' ? -1 : 1);
        } else {
            return -1; /* the spec's datetimes always carry a zone */
        }
    }
    *ms = ((int64_t)day * 86400 + h * 3600 + mi * 60 + sec - (int64_t)zone * 60) * 1000;
    return 0;
}

/* ---- XML ---- */

/* The element of one item of the list called name. */
static const char *item_tag(const char *name)
{
    static const char *const map[][2] = {
        {"services", "service"}, {"endpoints", "endpoint"},
        {"formats", "format"},   {"attributes", "attribute"},
        {"values", "value"},     {"service_requests", "request"},
        {"errors", "error"},     {"service_request_updates", "request_update"},
    };
    for (size_t i = 0; i < sizeof map / sizeof *map; i++)
        if (!strcmp(map[i][0], name)) return map[i][1];
    return "item";
}

static void xml_value(struct buf *b, const char *tag, json_t *v, int depth)
{
    if (depth > 16) return;
    if (json_is_array(v)) {
        const char *it = item_tag(tag);
        buf_printf(b, "<%s>", tag);
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x) xml_value(b, it, x, depth + 1);
        buf_printf(b, "</%s>", tag);
        return;
    }
    if (json_is_null(v)) {
        buf_printf(b, "<%s/>", tag);
        return;
    }
    buf_printf(b, "<%s>", tag);
    if (json_is_object(v)) {
        const char *k;
        json_t *x;
        json_object_foreach(v, k, x) xml_value(b, k, x, depth + 1);
    } else if (json_is_string(v)) {
        xml_escape(b, json_string_value(v));
    } else if (json_is_true(v) || json_is_false(v)) {
        buf_puts(b, json_is_true(v) ? "true" : "false");
    } else if (json_is_integer(v)) {
        buf_printf(b, "%lld", (long long)json_integer_value(v));
    } else if (json_is_real(v)) {
        buf_printf(b, "%.7f", json_real_value(v));
    }
    buf_printf(b, "</%s>", tag);
}

void open311_xml(struct buf *b, const char *root, json_t *v)
{
    buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    xml_value(b, root, v, 0);
    buf_putc(b, '\n');
}
