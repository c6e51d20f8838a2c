/* intake.c — /api/v1/intake and /api/v1/meetings: a meeting report read by
 * the intake pipeline, and stored as a meeting with the chosen drafts.
 *
 * /api/v1/intake takes the report as JSON {"text"}, as a multipart form (the
 * file in the part "file", or a field "text"), or as the file itself: a
 * .docx, a .pdf or text in UTF-8, UTF-16 or GB18030, told apart by its bytes
 * (core/meeting.c's meeting_source_read, its problems named in the language
 * of the request).  The dispatcher has already refused a body that is too
 * large (413; 1 MiB of JSON, 6 MiB else), of another type (415) or JSON that
 * is not UTF-8 (400, jansson names the bad byte); the text inside a parsed
 * body is valid UTF-8, and core/meeting.c still checks it.  The keyword table is read on the
 * request thread; the pipeline then runs on the work pool (req_defer_work), so a long text never
 * holds a connection thread, and the answer (or the drafts and their write job) is made when it is
 * done. */
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "api/api.h"
#include "core/meeting.h"
#include "http/multipart.h"
#include "http/req.h"
#include "http/route.h"
#include "http/write.h"

/* The JSON body's "text", or NULL after replying 422.  *len gets its bytes;
 * the text borrows from r->json. */
static const char *intake_text(struct req *r, size_t *len)
{
    json_t *t = json_object_get(r->json, "text");
    if (!json_is_object(r->json)) {
        req_reply_error(r, 400, "invalid_json", NULL, "the body must be a JSON object");
        return NULL;
    }
    if (!json_is_string(t) || !json_string_length(t)) {
        req_reply_error(r, 422, t ? "invalid_field" : "missing_field", NULL,
                        t ? "'text' must be a non-empty string" : "field 'text' is required");
        return NULL;
    }
    *len = json_string_length(t);
    return json_string_value(t);
}

/* A text read on the work pool: what it needs, and what it found. */
struct reading {
    struct meeting_reading rd;
    const char *text; /* borrowed from r->json, r->form or r->body */
    size_t len;
    int file; /* text holds a file's bytes: find its format and encoding first */
    int en;   /* name a file's problems in English */
    struct intake_result res;
    struct err e;
    int rc;
};

static void reading_run(void *ctx)
{
    struct reading *w = ctx;
    struct intake_source src = {0};
    if (w->file)
        w->rc = meeting_reading_run_file(&w->rd, w->text, w->len, w->en, &src, &w->res, &w->e);
    else
        w->rc = meeting_reading_run(&w->rd, w->text, w->len, &w->res, &w->e);
    intake_source_free(&src);
    meeting_reading_free(&w->rd);
}

/* Read text[0..len) on the work pool, then call done(r) with r->state = w.
 * 0, or -1 after replying (the table could not be read). */
static int reading_defer(struct req *r, struct reading *w, const char *text, size_t len,
                         void (*done)(struct req *r))
{
    struct db *db = api_db(r);
    if (!db) return -1;
    if (meeting_reading_load(db, w->file ? ROUTE_MAX_UPLOAD : ROUTE_MAX_JSON, &w->rd, &w->e)) {
        req_reply_err(r, &w->e);
        return -1;
    }
    w->text = text;
    w->len = len;
    req_defer_work(r, reading_run, w, done);
    return 0;
}

static void intake_done(struct req *r)
{
    struct reading *w = r->state;
    if (w->rc) {
        req_reply_err(r, &w->e);
        return;
    }
    buf_reset(&r->out);
    if (intake_result_write_json(&w->res, &r->out))
        req_reply_error(r, 500, "internal", NULL, "the answer is too large to send");
    else
        req_reply_body(r, 200, "application/json; charset=utf-8");
    intake_result_free(&w->res);
}

/* The report of a body that is no JSON: the file of a multipart form (its
 * part "file", else its first), its field "text", or the raw body.  NULL
 * after replying 422 when there is none. */
static const char *intake_file(struct req *r, struct reading *w, size_t *len)
{
    const char *ct = req_header(r, "Content-Type");
    const struct req_file *f = multipart_file(r, "file");
    const char *text = req_form(r, "text");
    if (!f && r->nfiles > 0 && r->files[0].len) f = &r->files[0];
    w->file = 1;
    w->en = r->lang == LANG_EN;
    if (f) return *len = f->len, (const char *)f->data;
    if (text && *text) return *len = strlen(text), text;
    if (ct && strncasecmp(ct, "multipart/", 10) && r->body.len)
        return *len = r->body.len, r->body.data;
    req_reply_error(r, 422, "missing_field", NULL,
                    "send the report: the file as the body, a form part 'file' or JSON {\"text\"}");
    return NULL;
}

void api_intake(struct req *r)
{
    size_t len;
    struct reading *w = arena_alloc(r->arena, sizeof(struct reading));
    const char *text = r->json ? intake_text(r, &len) : intake_file(r, w, &len);
    if (!text) return;
    reading_defer(r, w, text, len, intake_done);
}

struct meeting_new {
    struct write_job job;
    struct reading read; /* the text, read on the work pool */
    json_t *inputs;      /* the item bodies the drafts borrow from */
    struct intake_result res;
    struct meeting_draft *drafts;
    size_t n;
    int64_t *item_ids; /* the drafts' items; job.id: the meeting */
};

/* items[k] as an item body for item_input_parse: what the client gave, the
 * suggestion for what it left out. */
static json_t *draft_body(struct req *r, struct db *db, struct meeting_new *m, json_t *it, size_t k,
                          size_t *directive)
{
    static const char *const known[] = {"directive",   "title",    "lead_unit_id",
                                        "co_unit_ids", "deadline", "leader_id"};
    const char *key;
    json_t *v, *d = json_object_get(it, "directive");
    json_object_foreach(it, key, v)
    {
        size_t i = 0;
        size_t n_known = sizeof known / sizeof *known;
        while (i < n_known && strcmp(key, known[i]))
            i++;
        if (i == n_known)
            return err_set(&m->job.e, 422, "unknown_field", "items[%zu]: unknown field '%s'", k,
                           key),
                   NULL;
    }
    if (!json_is_integer(d) || json_integer_value(d) < 0 ||
        (size_t)json_integer_value(d) >= m->res.n_directives)
        return err_set(&m->job.e, 422, "invalid_field",
                       "items[%zu]: 'directive' must be an index below %zu", k,
                       m->res.n_directives),
               NULL;
    *directive = (size_t)json_integer_value(d);
    struct meeting_draft s;
    if (meeting_draft_suggest(db, &m->res, *directive, r->arena, &s, &m->job.e)) return NULL;
    json_t *b = json_pack("{s:s,s:s,s:s,s:s}", "kind", "task", "title", s.in.title, "description",
                          s.in.description, "source", "meeting");
    json_t *co = json_array();
    for (int c = 0; c < s.in.n_co; c++)
        json_array_append_new(co, json_integer(s.in.co_unit_ids[c]));
    json_object_set_new(b, "co_unit_ids", co);
    if (s.in.lead_unit_id) json_object_set_new(b, "lead_unit_id", json_integer(s.in.lead_unit_id));
    if (s.in.deadline) json_object_set_new(b, "deadline", json_string(s.in.deadline));
    json_object_foreach(it, key, v) if (strcmp(key, "directive")) json_object_set(b, key, v);
    return b;
}

static int meeting_drafts(struct req *r, struct db *db, struct meeting_new *m)
{
    json_t *items = json_object_get(r->json, "items");
    if (items && !json_is_array(items))
        return err_set(&m->job.e, 422, "invalid_field", "'items' must be an array");
    m->n = json_array_size(items);
    m->drafts = arena_alloc(r->arena, (m->n + 1) * sizeof *m->drafts);
    m->item_ids = arena_alloc(r->arena, (m->n + 1) * sizeof *m->item_ids);
    m->inputs = json_array();
    for (size_t k = 0; k < m->n; k++) {
        json_t *it = json_array_get(items, k);
        if (!json_is_object(it))
            return err_set(&m->job.e, 422, "invalid_field", "items[%zu] must be an object", k);
        json_t *b = draft_body(r, db, m, it, k, &m->drafts[k].directive);
        if (!b) return -1;
        json_array_append_new(m->inputs, b);
        if (item_input_parse(b, &m->drafts[k].in, &m->job.e)) {
            char msg[sizeof m->job.e.message];
            snprintf(msg, sizeof msg, "%s", m->job.e.message);
            return err_set(&m->job.e, m->job.e.status, m->job.e.code, "items[%zu]: %s", k, msg);
        }
    }
    return 0;
}

static int meeting_new_run(struct db *db, struct write_job *j)
{
    struct meeting_new *m = WRITE_OF(j, struct meeting_new);
    return meeting_store(db, j->actor, &m->res, m->drafts, m->n, &j->id, m->item_ids, &j->e);
}

static void meeting_new_done(struct req *r, struct write_job *j)
{
    struct meeting_new *m = WRITE_OF(j, struct meeting_new);
    json_t *ids = json_array();
    for (size_t k = 0; k < m->n; k++)
        json_array_append_new(ids, json_integer(m->item_ids[k]));
    write_reply_json(r, 201, arena_printf(r->arena, "/api/v1/meetings/%lld", (long long)j->id),
                     json_pack("{s:I,s:o}", "meeting_id", (json_int_t)j->id, "item_ids", ids));
}

static void meeting_new_release(struct write_job *j)
{
    struct meeting_new *m = WRITE_OF(j, struct meeting_new);
    intake_result_free(&m->res);
    json_decref(m->inputs);
}

static const struct write_ops meeting_new_ops = {.what = "storing the meeting",
                                                 .run = meeting_new_run,
                                                 .done = meeting_new_done,
                                                 .release = meeting_new_release};

/* The text is read: the drafts, then the write job. */
static void meeting_read(struct req *r)
{
    struct meeting_new *m =
        (struct meeting_new *)((char *)r->state - offsetof(struct meeting_new, read));
    struct db *db;
    m->job.e = m->read.e;
    m->res = m->read.res;
    if (m->read.rc || !(db = api_db(r)) || meeting_drafts(r, db, m)) {
        if (m->job.e.status)
            write_refuse(r, &m->job);
        else
            meeting_new_release(&m->job); /* intake_db answered 503 */
        return;
    }
    write_start(r, &m->job);
}

void api_meetings_create(struct req *r)
{
    struct meeting_new *m = WRITE_NEW(r, struct meeting_new, &meeting_new_ops);
    size_t len;
    const char *text = intake_text(r, &len);
    if (!text) return;
    const char *key;
    json_t *v;
    json_object_foreach(r->json, key, v) if (strcmp(key, "text") && strcmp(key, "items"))
    {
        req_reply_error(r, 422, "unknown_field", NULL, "unknown field '%s'", key);
        return;
    }
    reading_defer(r, &m->read, text, len, meeting_read);
}

void api_meeting_get(struct req *r)
{
    struct err e = {0};
    struct db *db = api_db(r);
    if (!db) return;
    json_t *v = meeting_get_json(db, r->actor, r->params[0], &e);
    if (!v) {
        req_reply_err(r, &e);
        return;
    }
    req_reply_json(r, 200, v);
}
