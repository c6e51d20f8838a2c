/* meeting.c — meetings read by intake and the draft items made from them.
 * See meeting.h.  This file owns the tables meetings, meeting_paragraphs and
 * intake_rules and the link columns items.meeting_id/meeting_paragraph; it
 * finds nothing in text itself (that is intake/'s) and validates item fields
 * only through item_create (that is item.c's). */
#include "core/meeting.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config_chain.h"
#include "core/perm.h"
#include "core/text.h"
#include "core/unit.h"
#include "util/mem.h"
#include "util/time.h"
#include "util/utf8.h"

#define MEETING_TITLE_MAX 200 /* characters, as item.c allows */
#define MEETING_NAME_MAX  60  /* characters of a first paragraph used as a name */

/* The keyword → unit table from the database, in the shape intake wants.
 * Strings are owned by the table (one allocation each). */
struct rules {
    struct intake_rule *rows;
    size_t n;
};

static void rules_free(struct rules *t)
{
    for (size_t i = 0; i < t->n; i++) {
        free((char *)t->rows[i].keyword);
        free((char *)t->rows[i].unit);
    }
    free(t->rows);
    t->rows = NULL;
    t->n = 0;
}

static int rules_load(struct db *db, struct rules *t)
{
    size_t cap = 0;
    memset(t, 0, sizeof *t);
    struct db_stmt *st = db_prepare(db, "SELECT r.keyword, u.name FROM intake_rules r"
                                        " JOIN units u ON u.id = r.unit_id ORDER BY r.id");
    if (!st) return DB_ERR;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        if (t->n == cap) {
            cap = cap ? cap * 2 : 32;
            t->rows = xrealloc(t->rows, cap * sizeof *t->rows);
        }
        t->rows[t->n].keyword = xstrdup(db_column_text(st, 0));
        t->rows[t->n].unit = xstrdup(db_column_text(st, 1));
        t->n++;
    }
    db_finalize(st);
    if (rc != DB_DONE) rules_free(t);
    return rc == DB_DONE ? DB_OK : rc;
}

int meeting_reading_load(struct db *db, size_t max_len, struct meeting_reading *m, struct err *e)
{
    static const struct intake_rule none[1] = {{"", ""}};
    struct rules t;
    memset(m, 0, sizeof *m);
    int rc = rules_load(db, &t);
    if (rc != DB_OK) return err_db(e, rc, "reading the keyword table");
    m->rows = t.rows;
    m->n = t.n;
    m->opt.rules = t.n ? t.rows : none; /* an empty table suggests nothing, not the built-in one */
    m->opt.n_rules = t.n;
    m->opt.max_len = max_len;
    date_split(time_today(), &m->opt.today.year, &m->opt.today.month, &m->opt.today.day);
    return 0;
}

int meeting_reading_run(const struct meeting_reading *m, const char *text, size_t len,
                        struct intake_result *res, struct err *e)
{
    size_t bad = 0;
    int rc = intake_run(text, len, &m->opt, res, &bad);
    if (rc == INTAKE_EUTF8)
        return err_set(e, 400, "invalid_utf8", "the text is not valid UTF-8 at byte %zu", bad);
    if (rc == INTAKE_ETOOLONG)
        return err_set(e, 413, "text_too_long", "the text is longer than %zu bytes",
                       m->opt.max_len ? m->opt.max_len : INTAKE_MAX_LEN);
    return 0;
}

/* The status and code of each source error (intake/source.h), by its number. */
static const struct {
    int status;
    const char *code;
} source_errors[] = {
    [INTAKE_SOURCE_OK] = {500, "internal"},
    [INTAKE_SOURCE_EENCODING] = {400, "invalid_utf8"},
    [INTAKE_SOURCE_ENUL] = {422, "invalid_text"},
    [INTAKE_SOURCE_EUTF16] = {422, "invalid_text"},
    [INTAKE_SOURCE_EZIP] = {422, "invalid_docx"},
    [INTAKE_SOURCE_ENODOCX] = {422, "invalid_docx"},
    [INTAKE_SOURCE_EXML] = {422, "invalid_docx"},
    [INTAKE_SOURCE_EPDF] = {422, "invalid_pdf"},
    [INTAKE_SOURCE_ELOCKED] = {422, "encrypted_pdf"},
    [INTAKE_SOURCE_EOLE] = {422, "unsupported_format"},
    [INTAKE_SOURCE_EEMPTY] = {422, "no_text"},
    [INTAKE_SOURCE_EBIG] = {413, "document_too_large"},
    [INTAKE_SOURCE_ELONG] = {413, "text_too_long"},
    [INTAKE_SOURCE_EPAGES] = {413, "document_too_large"},
};

int meeting_source_read(const void *data, size_t len, size_t max_len, int en,
                        struct intake_source *src, struct err *e)
{
    struct intake_source_limits lim = {.max_text = max_len};
    if (!intake_source_read(data, len, &lim, src)) return 0;
    char msg[sizeof e->message];
    unsigned k = (unsigned)src->err;
    if (k >= sizeof source_errors / sizeof source_errors[0]) k = 0;
    intake_source_message(src, en, msg, sizeof msg);
    return err_say(e, source_errors[k].status, source_errors[k].code, msg); /* in en or zh */
}

int meeting_reading_run_file(const struct meeting_reading *m, const void *data, size_t len, int en,
                             struct intake_source *src, struct intake_result *res, struct err *e)
{
    memset(res, 0, sizeof *res);
    if (meeting_source_read(data, len, m->opt.max_len, en, src, e)) return -1;
    if (meeting_reading_run(m, src->text, src->len, res, e)) {
        intake_source_free(src);
        return -1;
    }
    res->source.format = src->format;
    res->source.encoding = src->encoding;
    return 0;
}

void meeting_reading_free(struct meeting_reading *m)
{
    struct rules t = {m->rows, m->n};
    rules_free(&t);
    memset(m, 0, sizeof *m);
}

int meeting_intake(struct db *db, const char *text, size_t len, size_t max_len,
                   struct intake_result *res, struct err *e)
{
    struct meeting_reading m;
    memset(res, 0, sizeof *res);
    if (meeting_reading_load(db, max_len, &m, e)) return -1;
    int rc = meeting_reading_run(&m, text, len, res, e);
    meeting_reading_free(&m);
    return rc;
}

int64_t meeting_unit_by_name(struct db *db, const char *name)
{
    struct db_stmt *st = db_prepare(db, "SELECT id FROM units WHERE name = ?1");
    if (!st) return DB_ERR;
    db_bind_text(st, 1, name, (size_t)-1);
    int rc = db_step(st);
    int64_t id = rc == DB_ROW ? db_column_int64(st, 0) : 0;
    db_finalize(st);
    if (rc != DB_ROW && rc != DB_DONE) return rc;
    if (id) return id;
    st = db_prepare(db, "SELECT id FROM units WHERE substr(name, 1, ?2) = ?1 ORDER BY id LIMIT 2");
    if (!st) return DB_ERR;
    db_bind_text(st, 1, name, (size_t)-1);
    db_bind_int64(st, 2, (int64_t)utf8_count(name, strlen(name)));
    int n = 0;
    while ((rc = db_step(st)) == DB_ROW)
        id = db_column_int64(st, 0), n++;
    db_finalize(st);
    if (rc != DB_DONE) return rc;
    return n == 1 ? id : 0;
}

/* s cut to at most max characters, in a. */
static const char *cut_chars(struct arena *a, const char *s, size_t max)
{
    size_t i = 0, n = 0, len = strlen(s);
    uint32_t cp;
    while (i < len && n < max)
        i += utf8_decode(s + i, len - i, &cp), n++;
    return arena_strndup(a, s, i);
}

static int draft_add_unit(struct meeting_draft *d, int64_t id)
{
    if (!id || id == d->in.lead_unit_id) return 0;
    if (!d->in.lead_unit_id) {
        d->in.lead_unit_id = id;
        return 0;
    }
    for (int k = 0; k < d->in.n_co; k++)
        if (d->in.co_unit_ids[k] == id) return 0;
    if (d->in.n_co < ITEM_MAX_CO_UNITS) d->in.co_unit_ids[d->in.n_co++] = id;
    return 0;
}

int meeting_draft_suggest(struct db *db, const struct intake_result *res, size_t i, struct arena *a,
                          struct meeting_draft *out, struct err *e)
{
    const struct intake_directive *d = &res->directives[i];
    memset(out, 0, sizeof *out);
    out->directive = i;
    out->in.kind = "task";
    out->in.source = "meeting";
    out->in.feedback_cycle = "none";
    out->in.title = cut_chars(a, d->title && *d->title ? d->title : d->text, MEETING_TITLE_MAX);
    out->in.description = d->text;
    if (d->deadline.year)
        out->in.deadline =
            arena_printf(a, "%04d-%02d-%02d", d->deadline.year, d->deadline.month, d->deadline.day);
    char **names = d->n_units ? d->units : d->suggested_units;
    size_t n = d->n_units ? d->n_units : d->n_suggested_units;
    for (size_t k = 0; k < n; k++) {
        int64_t id = meeting_unit_by_name(db, names[k]);
        if (id < 0) return err_db(e, (int)id, "finding units");
        draft_add_unit(out, id);
    }
    return 0;
}

static char *date_or_null(struct intake_date d, char out[11])
{
    if (!d.year) return NULL;
    snprintf(out, 11, "%04d-%02d-%02d", d.year, d.month, d.day);
    return out;
}

/* Insert the meeting row: its name, date, chair and title from what intake
 * found, falling back to the first article and then the first paragraph. */
static int meeting_insert(struct db *db, const struct actor *a, const struct intake_result *res,
                          struct arena *ar, int64_t *id)
{
    const struct intake_meeting *m = res->n_meetings ? &res->meetings[0] : NULL;
    int art = m && m->article >= 0 ? m->article : (res->n_articles ? 0 : -1);
    const char *title = art >= 0 ? res->articles[art].title : NULL;
    const char *name = m ? m->name : title;
    if (!name)
        name =
            res->n_paragraphs ? cut_chars(ar, res->paragraphs[0].text, MEETING_NAME_MAX) : "会议";
    char day[11];
    struct intake_date date = m ? m->date : (struct intake_date){0};
    if (!date.year && art >= 0) date = res->articles[art].date;
    struct db_stmt *st = db_prepare(
        db, "INSERT INTO meetings (name, date, chair, source_title, text, created_by, created_at)"
            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id");
    if (!st) return DB_ERR;
    db_bind_text(st, 1, name, (size_t)-1);
    db_bind_text(st, 2, date_or_null(date, day), (size_t)-1);
    db_bind_text(st, 3, m ? m->chair : NULL, (size_t)-1);
    db_bind_text(st, 4, title, (size_t)-1);
    db_bind_text(st, 5, res->text ? res->text : "", res->text ? res->len : 0);
    if (a->user_id)
        db_bind_int64(st, 6, a->user_id);
    else
        db_bind_null(st, 6);
    db_bind_int64(st, 7, time_now_ms());
    int rc = db_step(st);
    if (rc == DB_ROW) *id = db_column_int64(st, 0), rc = DB_OK;
    db_finalize(st);
    return rc;
}

static const char *const para_kinds[] = {"body", "headline", "lead"};

static int paragraphs_insert(struct db *db, int64_t id, const struct intake_result *res)
{
    for (size_t i = 0; i < res->n_paragraphs; i++) {
        const struct intake_paragraph *p = &res->paragraphs[i];
        struct db_stmt *st = db_prepare(db, "INSERT INTO meeting_paragraphs (meeting_id, idx, kind,"
                                            " start_pos, end_pos, text) VALUES (?1, ?2, ?3, ?4,"
                                            " ?5, ?6)");
        if (!st) return DB_ERR;
        db_bind_int64(st, 1, id);
        db_bind_int64(st, 2, (int64_t)i);
        db_bind_text(st, 3, para_kinds[p->kind <= INTAKE_PARA_LEAD ? p->kind : 0], (size_t)-1);
        db_bind_int64(st, 4, (int64_t)p->start);
        db_bind_int64(st, 5, (int64_t)p->end);
        db_bind_text(st, 6, p->text, p->len);
        int rc = db_step(st);
        db_finalize(st);
        if (rc != DB_DONE) return rc;
    }
    return DB_OK;
}

int meeting_store(struct db *db, const struct actor *a, const struct intake_result *res,
                  struct meeting_draft *drafts, size_t n, int64_t *meeting_id, int64_t *item_ids,
                  struct err *e)
{
    for (size_t k = 0; k < n; k++)
        if (drafts[k].directive >= res->n_directives)
            return err_set(e, 422, "invalid_field", "items[%zu]: no directive %zu (there are %zu)",
                           k, drafts[k].directive, res->n_directives);
    struct arena *ar = arena_new();
    int rc = meeting_insert(db, a, res, ar, meeting_id);
    arena_free(ar);
    if (rc == DB_OK) rc = paragraphs_insert(db, *meeting_id, res);
    if (rc != DB_OK) return err_db(e, rc, "storing the meeting");
    for (size_t k = 0; k < n; k++) {
        struct item_input *in = &drafts[k].in;
        in->source = "meeting";
        in->meeting_id = *meeting_id;
        in->meeting_paragraph = (int64_t)res->directives[drafts[k].directive].paragraph;
        if (item_create(db, a, in, &item_ids[k], e)) {
            char msg[sizeof e->message];
            snprintf(msg, sizeof msg, "%s", e->message);
            return err_set(e, e->status, e->code, "items[%zu]: %s", k, msg);
        }
    }
    return 0;
}

static json_t *text_or_null(struct db_stmt *st, int col)
{
    return db_column_is_null(st, col) ? json_null() : json_string(db_column_text(st, col));
}

static int meeting_paragraphs_json(struct db *db, int64_t id, json_t *out)
{
    struct db_stmt *st = db_prepare(db, "SELECT idx, kind, start_pos, end_pos, text FROM"
                                        " meeting_paragraphs WHERE meeting_id = ?1 ORDER BY idx");
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, id);
    int rc;
    while ((rc = db_step(st)) == DB_ROW)
        json_array_append_new(
            out,
            json_pack("{s:I,s:s,s:I,s:I,s:s}", "index", (json_int_t)db_column_int64(st, 0), "kind",
                      db_column_text(st, 1), "start", (json_int_t)db_column_int64(st, 2), "end",
                      (json_int_t)db_column_int64(st, 3), "text", db_column_text(st, 4)));
    db_finalize(st);
    return rc == DB_DONE ? DB_OK : rc;
}

static int meeting_items_json(struct db *db, const struct actor *a, int64_t id, json_t *out)
{
    struct db_stmt *st = db_prepare(
        db, "SELECT i.id, i.title, i.status, i.meeting_paragraph, i.lead_unit_id, i.deadline,"
            " i.description FROM items i WHERE i.meeting_id = ?3 AND " PERM_VISIBLE_SQL
            " ORDER BY i.meeting_paragraph, i.id");
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, actor_sees_all(a));
    db_bind_int64(st, 2, a->unit_id);
    db_bind_int64(st, 3, id);
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        json_t *o =
            json_pack("{s:I,s:s,s:s,s:I,s:s}", "id", (json_int_t)db_column_int64(st, 0), "title",
                      db_column_text(st, 1), "status", db_column_text(st, 2), "paragraph",
                      (json_int_t)db_column_int64(st, 3), "description", db_column_text(st, 6));
        json_object_set_new(o, "lead_unit_id",
                            db_column_is_null(st, 4) ? json_null()
                                                     : json_integer(db_column_int64(st, 4)));
        json_object_set_new(o, "deadline", text_or_null(st, 5));
        json_array_append_new(out, o);
    }
    db_finalize(st);
    return rc == DB_DONE ? DB_OK : rc;
}

json_t *meeting_get_json(struct db *db, const struct actor *a, int64_t id, struct err *e)
{
    struct db_stmt *st = db_prepare(db, "SELECT id, name, date, chair, source_title, created_at"
                                        " FROM meetings WHERE id = ?1");
    if (!st) return err_db(e, DB_ERR, "reading a meeting"), NULL;
    db_bind_int64(st, 1, id);
    int rc = db_step(st);
    if (rc != DB_ROW) {
        db_finalize(st);
        if (rc == DB_DONE)
            err_set(e, 404, "not_found", "no meeting with id %lld", (long long)id),
                err_detail(e, "meeting");
        else
            err_db(e, rc, "reading a meeting");
        return NULL;
    }
    char at[32];
    time_format_iso(db_column_int64(st, 5), at, sizeof at);
    json_t *m =
        json_pack("{s:I,s:s,s:o,s:o,s:o,s:s}", "id", (json_int_t)id, "name", db_column_text(st, 1),
                  "date", text_or_null(st, 2), "chair", text_or_null(st, 3), "source_title",
                  text_or_null(st, 4), "created_at", at);
    db_finalize(st);
    json_t *paras = json_array(), *items = json_array();
    json_object_set_new(m, "paragraphs", paras);
    json_object_set_new(m, "items", items);
    rc = meeting_paragraphs_json(db, id, paras);
    if (rc == DB_OK) rc = meeting_items_json(db, a, id, items);
    if (rc != DB_OK) {
        json_decref(m);
        err_db(e, rc, "reading a meeting");
        return NULL;
    }
    return m;
}

int meeting_of_item(struct db *db, int64_t item_id, int64_t *meeting_id, int64_t *paragraph,
                    char *name, size_t namelen)
{
    struct db_stmt *st = db_prepare(db, "SELECT m.id, i.meeting_paragraph, m.name FROM items i"
                                        " JOIN meetings m ON m.id = i.meeting_id WHERE i.id = ?1");
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, item_id);
    int rc = db_step(st);
    if (rc == DB_ROW) {
        *meeting_id = db_column_int64(st, 0);
        *paragraph = db_column_int64(st, 1);
        utf8_copy(name, namelen, db_column_text(st, 2)); /* for display: cut between characters */
    }
    db_finalize(st);
    return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : rc;
}

/* Record a keyword row that was added (id) or removed (before, stolen). */
static int rule_record(struct db *db, const struct actor *a, const char *action, int64_t id,
                       json_t *before, struct err *e)
{
    char key[24];
    config_key_id(id, key);
    return config_record(db, a, action, CONFIG_KEYWORDS, key, before, e);
}

int meeting_rules_seed(struct db *db, const struct actor *a, int *added, struct err *e)
{
    size_t n;
    const struct intake_rule *rules = intake_rules_default(&n);
    *added = 0;
    for (size_t i = 0; i < n; i++) {
        int64_t unit = meeting_unit_by_name(db, rules[i].unit);
        if (unit < 0) return err_db(e, (int)unit, "seeding the keyword table");
        if (!unit) continue;
        struct db_stmt *st = db_prepare(db, "INSERT INTO intake_rules (keyword, unit_id)"
                                            " VALUES (?1, ?2) ON CONFLICT DO NOTHING RETURNING id");
        if (!st) return err_db(e, DB_ERR, "seeding the keyword table");
        db_bind_text(st, 1, rules[i].keyword, (size_t)-1);
        db_bind_int64(st, 2, unit);
        int rc = db_step(st);
        int64_t id = rc == DB_ROW ? db_column_int64(st, 0) : 0;
        db_finalize(st);
        if (rc != DB_DONE && rc != DB_ROW) return err_db(e, rc, "seeding the keyword table");
        if (id && rule_record(db, a, "add", id, NULL, e)) return -1;
        (*added)++;
    }
    return 0;
}

json_t *meeting_rules_json(struct db *db, struct err *e)
{
    struct db_stmt *st = db_prepare(db, "SELECT r.id, r.keyword, u.id, u.code, u.name FROM"
                                        " intake_rules r JOIN units u ON u.id = r.unit_id"
                                        " ORDER BY r.keyword, r.id");
    if (!st) return err_db(e, DB_ERR, "reading the keyword table"), NULL;
    json_t *rows = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW)
        json_array_append_new(
            rows,
            json_pack("{s:I,s:s,s:I,s:s,s:s}", "id", (json_int_t)db_column_int64(st, 0), "keyword",
                      db_column_text(st, 1), "unit_id", (json_int_t)db_column_int64(st, 2),
                      "unit_code", db_column_text(st, 3), "unit_name", db_column_text(st, 4)));
    db_finalize(st);
    if (rc != DB_DONE) {
        json_decref(rows);
        return err_db(e, rc, "reading the keyword table"), NULL;
    }
    return json_pack("{s:o}", "rules", rows);
}

/* The unit of code, or -1 with e (404 unknown, else the db error). */
static int64_t rule_unit(struct db *db, const char *unit_code, struct err *e)
{
    int64_t unit = unit_id_by_code(db, unit_code);
    if (unit < 0) return err_db(e, (int)unit, "finding the unit");
    if (!unit)
        return err_set(e, 404, "not_found", "no unit with code '%s'", unit_code),
               err_detail(e, "unit");
    return unit;
}

/* Insert the row of a checked keyword (trimmed) for unit.  0, or -1 with e. */
static int rule_insert(struct db *db, const char *keyword, int64_t unit, const char *unit_code,
                       int64_t *id, struct err *e)
{
    struct db_stmt *st =
        db_prepare(db, "INSERT INTO intake_rules (keyword, unit_id) VALUES (?1, ?2)"
                       " RETURNING id");
    if (!st) return err_db(e, DB_ERR, "adding a keyword");
    db_bind_text(st, 1, keyword, (size_t)-1);
    db_bind_int64(st, 2, unit);
    int rc = db_step(st);
    if (rc == DB_ROW) *id = db_column_int64(st, 0);
    db_finalize(st);
    if (rc == DB_UNIQUE)
        return err_set(e, 409, "conflict", "'%s' already suggests %s", keyword, unit_code),
               err_detail(e, "keyword"), err_subject(e, keyword);
    return rc == DB_ROW ? 0 : err_db(e, rc, "adding a keyword");
}

int meeting_rule_add(struct db *db, const struct actor *a, const char *keyword0,
                     const char *unit_code, int64_t *id, struct err *e)
{
    char *keyword = text_trimmed(keyword0); /* stored without blank ends */
    size_t n = keyword ? utf8_count(keyword, strlen(keyword)) : 0;
    int64_t unit = 0;
    int ret = -1;
    if (n == 0 || n > 20)
        err_set(e, 422, "invalid_field", "the keyword must have 1 to 20 characters"),
            err_detail(e, "keyword");
    else if ((unit = rule_unit(db, unit_code, e)) >= 0 &&
             !rule_insert(db, keyword, unit, unit_code, id, e))
        ret = rule_record(db, a, "add", *id, NULL, e);
    free(keyword);
    return ret;
}

int meeting_rule_remove(struct db *db, const struct actor *a, const char *keyword,
                        const char *unit_code, struct err *e)
{
    int64_t unit = rule_unit(db, unit_code, e), id = 0;
    if (unit < 0) return -1;
    struct db_stmt *st =
        db_prepare(db, "SELECT id FROM intake_rules WHERE keyword = ?1 AND unit_id = ?2");
    if (!st) return err_db(e, DB_ERR, "removing a keyword");
    db_bind_text(st, 1, keyword, (size_t)-1);
    db_bind_int64(st, 2, unit);
    int rc = db_step(st);
    if (rc == DB_ROW) id = db_column_int64(st, 0);
    db_finalize(st);
    if (rc != DB_ROW && rc != DB_DONE) return err_db(e, rc, "removing a keyword");
    if (!id)
        return err_set(e, 404, "not_found", "'%s' does not suggest %s", keyword, unit_code),
               err_detail(e, "keyword"), err_subject(e, keyword);
    char key[24];
    json_t *before;
    config_key_id(id, key);
    rc = config_row(db, CONFIG_KEYWORDS, key, &before);
    if (rc != DB_OK) return err_db(e, rc, "removing a keyword");
    st = db_prepare(db, "DELETE FROM intake_rules WHERE id = ?1");
    rc = DB_ERR;
    if (st) {
        db_bind_int64(st, 1, id);
        rc = db_step(st);
        db_finalize(st);
    }
    if (rc != DB_DONE) {
        json_decref(before);
        return err_db(e, rc, "removing a keyword");
    }
    return rule_record(db, a, "remove", id, before, e);
}
