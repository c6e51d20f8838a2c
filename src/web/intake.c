/* intake.c — the intake page (会议录入): paste a meeting report or send its
 * file (a .docx, a .pdf, or text in UTF-8, GBK/GB18030 or UTF-16), see the
 * cleaned text with every paragraph numbered from 1 and every directive
 * marked, adjust titles, lead units and deadlines, and create the chosen
 * drafts with their meeting in one step.
 *
 * GET /intake is the form; POST /intake reads the text — pasted, or a file
 * sent with the form (multipart; with JavaScript, assets/intake.js reads a
 * UTF-8 .txt into the box instead, so it can be checked first, and leaves
 * other files to the server) — (core/meeting.c finds the file's format and
 * encoding and runs the pipeline with the city's keyword table) and shows
 * the preview, the text read from a file in its box; POST
 * /meetings stores the meeting and the picked drafts in one write job and
 * goes to /meetings/{id}.  The preview carries the text in a hidden field and
 * reads it again on POST /meetings: nothing is kept between the two steps.
 * Both reads run on the work pool (req_defer_work), never on a connection
 * thread; the keyword table is read before, the page made after.
 * Field validation is item_input_parse's (the same as the API's). */
#include <stddef.h>
#include <string.h>

#include "core/meeting.h"
#include "http/multipart.h"
#include "http/write.h"
#include "util/str.h"
#include "util/utf8.h"
#include "web/page.h"
#include "web/web.h"

/* The form has four fields per directive and the dispatcher takes 256. */
#define INTAKE_PAGE_MAX_DIRECTIVES 60

static void intake_head(struct req *r)
{
    layout_begin(r, T(r, "intake.title"), NAV_NONE, NULL);
    html_raw(&r->out, "<link rel=\"stylesheet\" href=\"/static/intake.css\">"
                      "<script src=\"/static/intake.js\" defer></script>");
}

/* The paste form, with text in the box and an error above it. */
static void intake_form(struct req *r, int status, const char *text, const char *error)
{
    struct buf *o = &r->out;
    intake_head(r);
    html_printf(o, "<h1>%s</h1><section class=\"card form intake-form\">", T(r, "intake.title"));
    if (error)
        html_printf(o, "<p class=\"alert\" role=\"alert\">%s%s%s</p>", T(r, "intake.error"),
                    T(r, "colon"), error);
    html_printf(o,
                "<form method=\"post\" action=\"/intake\" enctype=\"multipart/form-data\">"
                "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                "<label for=\"text\">%s</label>"
                "<textarea id=\"text\" name=\"text\" rows=\"16\">%s</textarea>"
                "<p class=\"note\">%s</p>"
                "<div class=\"file-pick\"><label for=\"file\">%s</label>"
                "<input id=\"file\" name=\"file\" type=\"file\" accept=\".txt,.docx,.pdf,"
                "text/plain,application/pdf,application/vnd.openxmlformats-officedocument."
                "wordprocessingml.document\">"
                "<p class=\"note\" id=\"file-note\" hidden></p>"
                "<p class=\"alert\" id=\"file-error\" role=\"alert\" hidden></p></div>"
                "<div class=\"buttons\"><button type=\"submit\" class=\"primary\">%s</button>"
                "</div></form></section>",
                r->session.csrf, T(r, "intake.text"), text ? text : "", T(r, "intake.hint"),
                T(r, "intake.file"), T(r, "intake.read"));
    layout_end(r, status);
}

void web_intake_get(struct req *r)
{
    intake_form(r, 200, NULL, NULL);
}

/* A walk along a paragraph from code point offsets to byte offsets, forward
 * only (the marks come in order), so marking a paragraph is linear. */
struct cp_walk {
    const char *s;
    size_t len, at, cp;
};

/* The byte offset of code point cp (not before the walk's last one). */
static size_t cp_to_byte(struct cp_walk *w, size_t cp)
{
    uint32_t c;
    while (w->cp < cp && w->at < w->len) {
        w->at += utf8_decode(w->s + w->at, w->len - w->at, &c);
        w->cp++;
    }
    return w->at;
}

/* The cleaned text, a paragraph each, with every directive in a <mark>
 * numbered as its row in the table below. */
static void intake_text(struct req *r, const struct intake_result *res)
{
    struct buf *o = &r->out;
    size_t k = 0;
    html_printf(o, "<section class=\"card cleaned\"><h2>%s</h2>", T(r, "intake.cleaned"));
    for (size_t i = 0; i < res->n_paragraphs; i++) {
        const struct intake_paragraph *p = &res->paragraphs[i];
        static const char *const kinds[] = {"body", "headline", "lead"};
        struct cp_walk w = {p->text, p->len, 0, 0};
        size_t at = 0;
        while (k < res->n_directives && res->directives[k].paragraph < i)
            k++;
        html_printf(o, "<p id=\"p%zu\" class=\"para %s\"><a class=\"pn\" href=\"#p%zu\">%zu</a>", i,
                    kinds[p->kind % 3], i, i + 1);
        for (; k < res->n_directives && res->directives[k].paragraph == i; k++) {
            const struct intake_directive *d = &res->directives[k];
            size_t b = cp_to_byte(&w, d->start - p->start);
            size_t e = cp_to_byte(&w, d->end - p->start);
            if (b < at) b = at; /* never overlap the previous mark */
            html_escape_n(o, p->text + at, b - at);
            html_printf(o, "<mark id=\"d%zu\"><a class=\"dn\" href=\"#row%zu\">%zu</a>", k, k,
                        k + 1);
            html_escape_n(o, p->text + b, e > b ? e - b : 0);
            html_raw(o, "</mark>");
            at = e > b ? e : b;
        }
        html_escape_n(o, p->text + at, p->len - at);
        html_raw(o, "</p>");
    }
    html_raw(o, "</section>");
}

/* A form value for directive k ("t3"), or NULL when the form has none. */
static const char *row_val(struct req *r, char field, size_t k)
{
    char name[24];
    snprintf(name, sizeof name, "%c%zu", field, k);
    return req_form(r, name);
}

/* 1 when the form has a field called name with the number v (checkboxes). */
static int form_has(struct req *r, const char *name, int64_t v)
{
    for (int i = 0; i < r->nform; i++) {
        int64_t x;
        const char *s = r->form[i].value;
        if (!strcmp(r->form[i].name, name) && !str_to_int64(s, strlen(s), &x) && x == v) return 1;
    }
    return 0;
}

/* 1 when directive k is picked: on a first preview every one is. */
static int row_picked(struct req *r, size_t k, int first)
{
    return first || form_has(r, "pick", (int64_t)k);
}

/* 1 when unit id cooperates on row k: the suggestion first, then the form. */
static int row_co(struct req *r, size_t k, const struct meeting_draft *s, int first, int64_t id)
{
    if (!first) return form_has(r, arena_printf(r->arena, "c%zu", k), id);
    for (int c = 0; c < s->in.n_co; c++)
        if (s->in.co_unit_ids[c] == id) return 1;
    return 0;
}

static void row_units(struct req *r, json_t *units, size_t k, const struct meeting_draft *s,
                      int first)
{
    struct buf *o = &r->out;
    const char *cur = first ? NULL : row_val(r, 'u', k);
    int64_t lead = s->in.lead_unit_id, id;
    if (cur) lead = str_to_int64(cur, strlen(cur), &id) ? 0 : id;
    html_printf(o,
                "<td class=\"u\"><select name=\"u%zu\" aria-label=\"%s\"><option value=\"\">%s"
                "</option>",
                k, T(r, "item.lead_unit"), T(r, "new.choose"));
    size_t i;
    json_t *u;
    json_array_foreach(units, i, u)
    {
        json_int_t uid = json_integer_value(json_object_get(u, "id"));
        html_printf(o, "<option value=\"%lld\"%s>%s</option>", (long long)uid,
                    uid == lead ? " selected" : "", json_string_value(json_object_get(u, "name")));
    }
    html_printf(o, "</select><details class=\"co\"><summary>%s", T(r, "item.co_units"));
    json_array_foreach(units, i, u)
    {
        json_int_t uid = json_integer_value(json_object_get(u, "id"));
        if (row_co(r, k, s, first, uid))
            html_printf(o, " <span class=\"chip\">%s</span>",
                        json_string_value(json_object_get(u, "name")));
    }
    html_raw(o, "</summary><div class=\"co-list\">");
    json_array_foreach(units, i, u)
    {
        json_int_t uid = json_integer_value(json_object_get(u, "id"));
        html_printf(o, "<label><input type=\"checkbox\" name=\"c%zu\" value=\"%lld\"%s>%s</label>",
                    k, (long long)uid, row_co(r, k, s, first, uid) ? " checked" : "",
                    json_string_value(json_object_get(u, "name")));
    }
    html_raw(o, "</div></details></td>");
}

/* One row of the directives table: pick, number, title, units, deadline. */
static void intake_row(struct req *r, json_t *units, const struct intake_result *res, size_t k,
                       const struct meeting_draft *s, int first)
{
    struct buf *o = &r->out;
    const char *title = first ? NULL : row_val(r, 't', k);
    const char *deadline = first ? NULL : row_val(r, 'd', k);
    html_printf(o,
                "<tr id=\"row%zu\"><td class=\"pick\"><input type=\"checkbox\" name=\"pick\" "
                "value=\"%zu\" aria-label=\"%s %zu\"%s></td><td class=\"n\"><a href=\"#d%zu\">"
                "%zu</a></td><td class=\"t\"><input name=\"t%zu\" maxlength=\"200\" value=\"%s\" "
                "aria-label=\"%s\"><details><summary>%s</summary>%s</details></td>",
                k, k, T(r, "intake.pick"), k + 1, row_picked(r, k, first) ? " checked" : "", k,
                k + 1, k, title ? title : s->in.title, T(r, "new.title_field"),
                T(r, "intake.directive_text"), res->directives[k].text);
    row_units(r, units, k, s, first);
    html_printf(o,
                "<td class=\"d\"><input type=\"date\" name=\"d%zu\" value=\"%s\" "
                "aria-label=\"%s\"></td></tr>",
                k,
                deadline         ? deadline
                : s->in.deadline ? s->in.deadline
                                 : "",
                T(r, "item.deadline"));
}

static void intake_summary(struct req *r, const struct intake_result *res)
{
    struct buf *o = &r->out;
    html_printf(o, "<section class=\"card summary\"><dl class=\"fields\">");
    for (size_t i = 0; i < res->n_meetings; i++) {
        const struct intake_meeting *m = &res->meetings[i];
        html_printf(o, "<dt>%s</dt><dd><b>%s</b>", T(r, "intake.meeting"), m->name);
        if (m->date.year)
            html_printf(o, " · %04d-%02d-%02d", m->date.year, m->date.month, m->date.day);
        if (m->chair) html_printf(o, " · %s %s", m->chair, T(r, "intake.chairs"));
        html_raw(o, "</dd>");
    }
    const char *enc = intake_encoding_name(res->source.encoding);
    if (res->source.format != INTAKE_FORMAT_TEXT || res->source.encoding != INTAKE_ENC_UTF8)
        html_printf(o, "<dt>%s</dt><dd class=\"source\">%s%s%s</dd>", T(r, "intake.source"),
                    intake_format_name(res->source.format), enc ? " · " : "", enc ? enc : "");
    for (size_t i = 0; i < res->n_articles; i++)
        html_printf(o, "<dt>%s %zu</dt><dd>%s</dd>", T(r, "intake.article"), i + 1,
                    res->articles[i].title ? res->articles[i].title : "—");
    html_printf(o, "<dt>%s</dt><dd>%zu · %s %zu</dd></dl></section>", T(r, "intake.paragraphs"),
                res->n_paragraphs, T(r, "intake.directives"), res->n_directives);
}

/* The preview: summary, the table form, the marked text.  first: the rows
 * show the suggestions; else what the posted form said. */
static void intake_preview(struct req *r, int status, const char *text,
                           const struct intake_result *res, int first, const char *error)
{
    json_t *owner, *units = page_units(r, &owner);
    if (!units) return;
    struct buf *o = &r->out;
    size_t n = res->n_directives < INTAKE_PAGE_MAX_DIRECTIVES ? res->n_directives
                                                              : INTAKE_PAGE_MAX_DIRECTIVES;
    intake_head(r);
    html_printf(o, "<p class=\"crumbs\"><a href=\"/intake\">%s</a> › %s</p><h1>%s</h1>",
                T(r, "intake.title"), T(r, "intake.preview"), T(r, "intake.preview"));
    if (error)
        html_printf(o, "<p class=\"alert\" role=\"alert\">%s%s%s</p>", T(r, "intake.error"),
                    T(r, "colon"), error);
    intake_summary(r, res);
    html_printf(o,
                "<form method=\"post\" action=\"/meetings\" class=\"card directives\">"
                "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                "<textarea name=\"text\" hidden>%s</textarea><h2>%s</h2>",
                r->session.csrf, text, T(r, "intake.directives"));
    if (n < res->n_directives)
        html_printf(o, "<p class=\"note\">%s %d</p>", T(r, "intake.too_many"),
                    INTAKE_PAGE_MAX_DIRECTIVES);
    html_printf(o,
                "<div class=\"scroll\"><table class=\"intake\"><thead><tr><th>%s</th><th>#</th>"
                "<th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
                T(r, "intake.pick"), T(r, "new.title_field"), T(r, "item.lead_unit"),
                T(r, "item.deadline"));
    struct db *db = req_db(r);
    for (size_t k = 0; k < n; k++) {
        struct meeting_draft s;
        struct err e = {0};
        if (!db || meeting_draft_suggest(db, res, k, r->arena, &s, &e)) memset(&s, 0, sizeof s);
        if (!s.in.title) s.in.title = res->directives[k].text;
        intake_row(r, units, res, k, &s, first);
    }
    html_printf(o,
                "</tbody></table></div><div class=\"buttons\"><button type=\"submit\" "
                "class=\"primary\">%s</button><a class=\"button\" href=\"/intake\">%s</a></div>"
                "</form>",
                T(r, "intake.create"), T(r, "new.cancel"));
    intake_text(r, res);
    json_decref(owner);
    layout_end(r, status);
}

/* A text read on the work pool (as the API's in src/api/intake.c): what it
 * needs, and what it found. */
struct page_reading {
    struct meeting_reading rd;
    const char *text;            /* in the request's form or arena; a file's text once read */
    const struct req_file *file; /* a file sent with the form, to read first */
    int en;                      /* name a file's problems in English */
    struct intake_source src;    /* what the file was, its text until intake_read */
    struct intake_result res;
    struct err e;
    int rc;
};

static void page_reading_run(void *ctx)
{
    struct page_reading *w = ctx;
    if (w->file)
        w->rc = meeting_reading_run_file(&w->rd, w->file->data, w->file->len, w->en, &w->src,
                                         &w->res, &w->e);
    else
        w->rc = meeting_reading_run(&w->rd, w->text, strlen(w->text), &w->res, &w->e);
    meeting_reading_free(&w->rd);
}

/* What was wrong with the file or its text, for the form: a text that is
 * neither UTF-8 nor GB18030 named by its byte, as the page has always said. */
static const char *page_file_error(struct req *r, const struct page_reading *w)
{
    if (!w->file) return req_err_text(r, &w->e);
    if (w->src.err == INTAKE_SOURCE_EENCODING)
        return arena_printf(r->arena, "%s%s%s%zu", w->file->filename, T(r, "colon"),
                            T(r, "intake.not_utf8"), w->src.at);
    return arena_printf(r->arena, "%s%s%s", w->file->filename, T(r, "colon"),
                        req_err_text(r, &w->e));
}

/* Read text on the work pool, then call done(r) with r->state = w: a long
 * text never holds a connection thread.  0, or -1 after answering. */
static int page_read(struct req *r, struct db *db, struct page_reading *w, const char *text,
                     void (*done)(struct req *r))
{
    if (meeting_reading_load(db, 0, &w->rd, &w->e)) {
        intake_form(r, w->e.status, text, req_err_text(r, &w->e));
        return -1;
    }
    w->text = text;
    req_defer_work(r, page_reading_run, w, done);
    return 0;
}

static void intake_read(struct req *r)
{
    struct page_reading *w = r->state;
    if (w->rc) {
        intake_form(r, w->e.status, w->file ? NULL : w->text, page_file_error(r, w));
        return;
    }
    if (w->file) w->text = arena_strndup(r->arena, w->src.text, w->src.len);
    intake_source_free(&w->src);
    intake_preview(r, 200, w->text, &w->res, 1, NULL);
    intake_result_free(&w->res);
}

/* The report: a file sent with the form wins over the box. */
void web_intake_post(struct req *r)
{
    struct db *db = page_db(r);
    if (!db) return;
    struct page_reading *w = arena_alloc(r->arena, sizeof(struct page_reading));
    const char *text = req_form(r, "text");
    w->file = multipart_file(r, "file");
    w->en = r->lang == LANG_EN;
    if (!w->file && (!text || !*text)) {
        intake_form(r, 422, NULL, T(r, "intake.empty"));
        return;
    }
    page_read(r, db, w, w->file ? "" : text, intake_read);
}

struct intake_create {
    struct write_job job;
    struct page_reading read; /* the text, read on the work pool */
    const char *text;
    struct intake_result res;
    json_t *inputs; /* the item bodies the drafts borrow from */
    struct meeting_draft *drafts;
    size_t n;
    int64_t *item_ids; /* the drafts' items; job.id: the meeting */
};

/* Directive k's posted row as an item body for item_input_parse. */
static json_t *row_body(struct req *r, const struct intake_result *res, size_t k)
{
    const char *title = row_val(r, 't', k), *unit = row_val(r, 'u', k);
    const char *deadline = row_val(r, 'd', k), *co = arena_printf(r->arena, "c%zu", k);
    json_t *b = json_pack("{s:s,s:s,s:s,s:s}", "kind", "task", "title", title ? title : "",
                          "description", res->directives[k].text, "source", "meeting");
    int64_t lead = 0, id;
    if (unit && *unit)
        json_object_set_new(b, "lead_unit_id",
                            str_to_int64(unit, strlen(unit), &lead) ? json_string(unit)
                                                                    : json_integer(lead));
    if (deadline && *deadline) json_object_set_new(b, "deadline", json_string(deadline));
    json_t *ids = json_array();
    for (int i = 0; i < r->nform; i++) {
        const char *v = r->form[i].value;
        if (!strcmp(r->form[i].name, co) && !str_to_int64(v, strlen(v), &id) && id != lead &&
            json_array_size(ids) < ITEM_MAX_CO_UNITS)
            json_array_append_new(ids, json_integer(id));
    }
    json_object_set_new(b, "co_unit_ids", ids);
    return b;
}

/* The picked rows as drafts.  0, or -1 with c->job.e. */
static int intake_drafts(struct req *r, struct intake_create *c)
{
    size_t n = c->res.n_directives < INTAKE_PAGE_MAX_DIRECTIVES ? c->res.n_directives
                                                                : INTAKE_PAGE_MAX_DIRECTIVES;
    c->drafts = arena_alloc(r->arena, (n + 1) * sizeof *c->drafts);
    c->item_ids = arena_alloc(r->arena, (n + 1) * sizeof *c->item_ids);
    c->inputs = json_array();
    for (size_t k = 0; k < n; k++) {
        if (!row_picked(r, k, 0)) continue;
        json_t *b = row_body(r, &c->res, k);
        json_array_append_new(c->inputs, b);
        c->drafts[c->n].directive = k;
        if (item_input_parse(b, &c->drafts[c->n].in, &c->job.e)) {
            const char *msg = req_err_text(r, &c->job.e);
            return err_say(&c->job.e, c->job.e.status, c->job.e.code,
                           arena_printf(r->arena, "%s %zu%s%s", T(r, "intake.row"), k + 1,
                                        T(r, "colon"), msg));
        }
        c->n++;
    }
    if (!c->n) return err_say(&c->job.e, 422, "nothing_picked", T(r, "intake.none_picked"));
    return 0;
}

static int intake_create_run(struct db *db, struct write_job *j)
{
    struct intake_create *c = WRITE_OF(j, struct intake_create);
    return meeting_store(db, j->actor, &c->res, c->drafts, c->n, &j->id, c->item_ids, &j->e);
}

/* The preview again, with the picks and the refusal. */
static void intake_create_refused(struct req *r, struct write_job *j)
{
    struct intake_create *c = WRITE_OF(j, struct intake_create);
    intake_preview(r, j->e.status, c->text, &c->res, 0, req_err_text(r, &j->e));
}

static void intake_create_release(struct write_job *j)
{
    struct intake_create *c = WRITE_OF(j, struct intake_create);
    intake_result_free(&c->res);
    json_decref(c->inputs);
}

static const struct write_ops intake_create_ops = {.what = "storing the meeting",
                                                   .run = intake_create_run,
                                                   .next = "/meetings/",
                                                   .refused = intake_create_refused,
                                                   .release = intake_create_release};

/* The text is read: the picked rows as drafts, then the write job. */
static void meetings_read(struct req *r)
{
    struct intake_create *c =
        (struct intake_create *)((char *)r->state - offsetof(struct intake_create, read));
    c->res = c->read.res;
    if (c->read.rc) {
        intake_form(r, c->read.e.status, c->text, req_err_text(r, &c->read.e));
        return;
    }
    if (intake_drafts(r, c)) {
        write_refuse(r, &c->job);
        return;
    }
    write_start(r, &c->job);
}

void web_meetings_post(struct req *r)
{
    struct intake_create *c = WRITE_NEW(r, struct intake_create, &intake_create_ops);
    struct db *db = page_db(r);
    if (!db) return;
    c->text = req_form(r, "text");
    if (!c->text || !*c->text) {
        intake_form(r, 422, NULL, T(r, "intake.empty"));
        return;
    }
    page_read(r, db, &c->read, c->text, meetings_read);
}
