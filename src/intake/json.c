/* json.c — the intake result as the JSON of POST /api/v1/intake and
 * `luoshi import meeting --json`, as jansson values and written straight into
 * a buffer.  The shape is documented in docs/intake.md; this file only
 * renders, it decides nothing.  Dates are ISO 8601 strings or
 * null when a year is unknown. */
#include <stdio.h>

#include "intake/internal.h"
#include "util/jsonw.h"

static json_t *json_date(struct intake_date d)
{
    char s[16];
    if (!d.year || !d.month || !d.day) return json_null();
    snprintf(s, sizeof s, "%04d-%02d-%02d", d.year, d.month, d.day);
    return json_string_nocheck(s);
}

static json_t *json_str_or_null(const char *s)
{
    return s ? json_string_nocheck(s) : json_null();
}

static json_t *json_strv(char **v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_string_nocheck(v[i]));
    return a;
}

static json_t *json_article(const struct intake_article *a)
{
    json_t *o = json_object(), *paras = json_array();
    json_object_set_new(o, "title", json_str_or_null(a->title));
    json_object_set_new(o, "subtitles", json_strv(a->subtitles, a->n_subtitles));
    json_object_set_new(o, "dateline", json_str_or_null(a->dateline));
    json_object_set_new(o, "byline", json_str_or_null(a->byline));
    json_object_set_new(o, "date", json_date(a->date));
    for (size_t i = 0; i < a->n_paragraphs; i++)
        json_array_append_new(paras, json_integer((json_int_t)a->paragraphs[i]));
    json_object_set_new(o, "paragraphs", paras);
    return o;
}

static json_t *json_meeting(const struct intake_meeting *m)
{
    json_t *o = json_object();
    json_object_set_new(o, "name", json_string_nocheck(m->name));
    json_object_set_new(o, "date", json_date(m->date));
    json_object_set_new(o, "chair", json_str_or_null(m->chair));
    json_object_set_new(o, "agenda", json_strv(m->agenda, m->n_agenda));
    json_object_set_new(o, "article", m->article >= 0 ? json_integer(m->article) : json_null());
    json_object_set_new(o, "paragraph", json_integer((json_int_t)m->paragraph));
    return o;
}

static json_t *json_directive(const struct intake_directive *d)
{
    json_t *o = json_object();
    json_object_set_new(o, "text", json_string_nocheck(d->text));
    json_object_set_new(o, "paragraph", json_integer((json_int_t)d->paragraph));
    json_object_set_new(o, "start", json_integer((json_int_t)d->start));
    json_object_set_new(o, "end", json_integer((json_int_t)d->end));
    json_object_set_new(o, "units", json_strv(d->units, d->n_units));
    json_object_set_new(o, "suggested_units", json_strv(d->suggested_units, d->n_suggested_units));
    json_object_set_new(o, "deadline", json_date(d->deadline));
    json_object_set_new(o, "kind", json_string_nocheck(intake_kind_name(d->kind)));
    json_object_set_new(o, "topic", json_string_nocheck(d->topic));
    json_object_set_new(o, "title", json_string_nocheck(d->title));
    json_object_set_new(o, "verbs", json_strv(d->verbs, d->n_verbs));
    json_object_set_new(o, "article", d->article >= 0 ? json_integer(d->article) : json_null());
    json_object_set_new(o, "meeting", d->meeting >= 0 ? json_integer(d->meeting) : json_null());
    return o;
}

/* {"format","encoding"}: what the text was read from (encoding null for a PDF). */
static json_t *json_source(const struct intake_result *r)
{
    json_t *o = json_object();
    json_object_set_new(o, "format", json_string_nocheck(intake_format_name(r->source.format)));
    json_object_set_new(o, "encoding", json_str_or_null(intake_encoding_name(r->source.encoding)));
    return o;
}

json_t *intake_result_to_json(const struct intake_result *r)
{
    json_t *o = json_object(), *paras = json_array(), *arts = json_array();
    json_t *meets = json_array(), *dirs = json_array();
    for (size_t i = 0; i < r->n_paragraphs; i++)
        json_array_append_new(paras,
                              json_stringn_nocheck(r->paragraphs[i].text, r->paragraphs[i].len));
    for (size_t i = 0; i < r->n_articles; i++)
        json_array_append_new(arts, json_article(&r->articles[i]));
    for (size_t i = 0; i < r->n_meetings; i++)
        json_array_append_new(meets, json_meeting(&r->meetings[i]));
    for (size_t i = 0; i < r->n_directives; i++)
        json_array_append_new(dirs, json_directive(&r->directives[i]));
    json_object_set_new(o, "source", json_source(r));
    json_object_set_new(o, "paragraphs", paras);
    json_object_set_new(o, "articles", arts);
    json_object_set_new(o, "meetings", meets);
    json_object_set_new(o, "directives", dirs);
    return o;
}

/* ---- the same JSON written straight into a buffer ----
 * For the API and the benchmark: building ten thousand jansson values only to
 * print them costs as much as the pipeline itself.  The shape and the order of
 * the keys are the ones above (tests/e2e/intake.test.js compares the two). */

static void jw_date(struct buf *b, struct intake_date d)
{
    if (!d.year || !d.month || !d.day) {
        buf_puts(b, "null");
        return;
    }
    buf_printf(b, "\"%04d-%02d-%02d\"", d.year, d.month, d.day);
}

static void jw_strv(struct buf *b, char **v, size_t n)
{
    buf_putc(b, '[');
    for (size_t i = 0; i < n; i++) {
        if (i) buf_putc(b, ',');
        jw_str(b, v[i]);
    }
    buf_putc(b, ']');
}

static void jw_index(struct buf *b, const char *key, int v)
{
    jw_key(b, key);
    if (v >= 0)
        jw_int(b, v);
    else
        buf_puts(b, "null");
}

static void jw_article(struct buf *b, const struct intake_article *a)
{
    buf_putc(b, '{');
    jw_key(b, "title"), jw_str(b, a->title), buf_putc(b, ',');
    jw_key(b, "subtitles"), jw_strv(b, a->subtitles, a->n_subtitles), buf_putc(b, ',');
    jw_key(b, "dateline"), jw_str(b, a->dateline), buf_putc(b, ',');
    jw_key(b, "byline"), jw_str(b, a->byline), buf_putc(b, ',');
    jw_key(b, "date"), jw_date(b, a->date), buf_putc(b, ',');
    jw_key(b, "paragraphs"), buf_putc(b, '[');
    for (size_t i = 0; i < a->n_paragraphs; i++) {
        if (i) buf_putc(b, ',');
        jw_int(b, (int64_t)a->paragraphs[i]);
    }
    buf_puts(b, "]}");
}

static void jw_meeting(struct buf *b, const struct intake_meeting *m)
{
    buf_putc(b, '{');
    jw_key(b, "name"), jw_str(b, m->name), buf_putc(b, ',');
    jw_key(b, "date"), jw_date(b, m->date), buf_putc(b, ',');
    jw_key(b, "chair"), jw_str(b, m->chair), buf_putc(b, ',');
    jw_key(b, "agenda"), jw_strv(b, m->agenda, m->n_agenda), buf_putc(b, ',');
    jw_index(b, "article", m->article), buf_putc(b, ',');
    jw_key(b, "paragraph"), jw_int(b, (int64_t)m->paragraph);
    buf_putc(b, '}');
}

static void jw_directive(struct buf *b, const struct intake_directive *d)
{
    buf_putc(b, '{');
    jw_key(b, "text"), jw_str(b, d->text), buf_putc(b, ',');
    jw_key(b, "paragraph"), jw_int(b, (int64_t)d->paragraph), buf_putc(b, ',');
    jw_key(b, "start"), jw_int(b, (int64_t)d->start), buf_putc(b, ',');
    jw_key(b, "end"), jw_int(b, (int64_t)d->end), buf_putc(b, ',');
    jw_key(b, "units"), jw_strv(b, d->units, d->n_units), buf_putc(b, ',');
    jw_key(b, "suggested_units"), jw_strv(b, d->suggested_units, d->n_suggested_units);
    buf_putc(b, ',');
    jw_key(b, "deadline"), jw_date(b, d->deadline), buf_putc(b, ',');
    jw_key(b, "kind"), jw_str(b, intake_kind_name(d->kind)), buf_putc(b, ',');
    jw_key(b, "topic"), jw_str(b, d->topic), buf_putc(b, ',');
    jw_key(b, "title"), jw_str(b, d->title), buf_putc(b, ',');
    jw_key(b, "verbs"), jw_strv(b, d->verbs, d->n_verbs), buf_putc(b, ',');
    jw_index(b, "article", d->article), buf_putc(b, ',');
    jw_index(b, "meeting", d->meeting);
    buf_putc(b, '}');
}

int intake_result_write_json(const struct intake_result *r, struct buf *out)
{
    buf_puts(out, "{\"source\":{");
    jw_key(out, "format"), jw_str(out, intake_format_name(r->source.format)), buf_putc(out, ',');
    jw_key(out, "encoding"), jw_str(out, intake_encoding_name(r->source.encoding));
    buf_puts(out, "},\"paragraphs\":[");
    for (size_t i = 0; i < r->n_paragraphs; i++) {
        if (i) buf_putc(out, ',');
        jw_str(out, r->paragraphs[i].text);
    }
    buf_puts(out, "],\"articles\":[");
    for (size_t i = 0; i < r->n_articles; i++) {
        if (i) buf_putc(out, ',');
        jw_article(out, &r->articles[i]);
    }
    buf_puts(out, "],\"meetings\":[");
    for (size_t i = 0; i < r->n_meetings; i++) {
        if (i) buf_putc(out, ',');
        jw_meeting(out, &r->meetings[i]);
    }
    buf_puts(out, "],\"directives\":[");
    for (size_t i = 0; i < r->n_directives; i++) {
        if (i) buf_putc(out, ',');
        jw_directive(out, &r->directives[i]);
    }
    buf_puts(out, "]}");
    return out->err ? -1 : 0;
}
