/* json.c — the intake result as the JSON of POST /api/v1/intake and
 * `luoshi import meeting --json`.  The shape is documented in docs/intake.md;
 * this file only renders, it decides nothing.  Dates are ISO 8601 strings or
 * null when a year is unknown. */
#include <stdio.h>

#include "intake/internal.h"

static json_t *json_date(struct intake_date d)
{
    char s[16];
    if (!d.year || !d.month || !d.day)
        return json_null();
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
    json_object_set_new(o, "suggested_units",
                        json_strv(d->suggested_units, d->n_suggested_units));
    json_object_set_new(o, "deadline", json_date(d->deadline));
    json_object_set_new(o, "kind", json_string_nocheck(intake_kind_name(d->kind)));
    json_object_set_new(o, "topic", json_string_nocheck(d->topic));
    json_object_set_new(o, "verbs", json_strv(d->verbs, d->n_verbs));
    json_object_set_new(o, "article", d->article >= 0 ? json_integer(d->article) : json_null());
    json_object_set_new(o, "meeting", d->meeting >= 0 ? json_integer(d->meeting) : json_null());
    return o;
}

json_t *intake_result_to_json(const struct intake_result *r)
{
    json_t *o = json_object(), *paras = json_array(), *arts = json_array();
    json_t *meets = json_array(), *dirs = json_array();
    for (size_t i = 0; i < r->n_paragraphs; i++)
        json_array_append_new(paras, json_stringn_nocheck(r->paragraphs[i].text, r->paragraphs[i].len));
    for (size_t i = 0; i < r->n_articles; i++)
        json_array_append_new(arts, json_article(&r->articles[i]));
    for (size_t i = 0; i < r->n_meetings; i++)
        json_array_append_new(meets, json_meeting(&r->meetings[i]));
    for (size_t i = 0; i < r->n_directives; i++)
        json_array_append_new(dirs, json_directive(&r->directives[i]));
    json_object_set_new(o, "paragraphs", paras);
    json_object_set_new(o, "articles", arts);
    json_object_set_new(o, "meetings", meets);
    json_object_set_new(o, "directives", dirs);
    return o;
}
