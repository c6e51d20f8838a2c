/* document.c — an item's documents: numbering, storing, listing, the
 * receipt and verifying.  See document.h.
 *
 * The series number is the next of its type and year inside the action's
 * write (writes are serialised per database; the UNIQUE (type, year, seq)
 * of migration 025 refuses a duplicate should two ever race).  What is
 * printed is read here, in the action's transaction, so the document says
 * what the event says: the item's title, lead unit and deadline as the
 * action leaves them. */
#include "core/document.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dossier.h"
#include "core/event.h"
#include "core/setting.h"
#include "util/arena.h"
#include "util/mem.h"
#include "util/str.h"
#include "util/time.h"

static document_render_fn renderer;

void document_set_renderer(document_render_fn fn)
{
    renderer = fn;
}

/* The documents, by the action that issues them. */
struct doc_type {
    const char *action, *type, *setting, *prefix, *title;
};

static const struct doc_type types[] = {
    {"assign", "assign", "document.prefix.assign", DOCUMENT_PREFIX_ASSIGN, "交办通知单"},
    {"escalate", "escalate", "document.prefix.escalate", DOCUMENT_PREFIX_ESCALATE, "督办单"},
    {"urge", "urge", "document.prefix.urge", DOCUMENT_PREFIX_URGE, "催办通知书"},
    {"archive", "dossier", "document.prefix.dossier", DOCUMENT_PREFIX_DOSSIER, "立卷归档"},
};

static const struct doc_type *type_of(const char *action)
{
    for (size_t i = 0; i < sizeof types / sizeof *types; i++)
        if (!strcmp(types[i].action, action)) return &types[i];
    return NULL;
}

/* The first text column of st's one row with ?1 = id, copied into a ("" when
 * there is no row or it is NULL); st is finalized.  A db code. */
static int text1(struct db_stmt *st, int64_t id, struct arena *a, const char **out)
{
    *out = "";
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, id);
    int rc = db_step(st);
    if (rc == DB_ROW && !db_column_is_null(st, 0)) *out = arena_strdup(a, db_column_text(st, 0));
    db_finalize(st);
    return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

/* The next number of type's series in year. */
static int next_seq(struct db *db, const char *type, int year, int64_t *seq)
{
    struct db_stmt *st = db_prepare(db, "SELECT coalesce(max(seq), 0) + 1 FROM item_documents"
                                        " WHERE type = ?1 AND year = ?2");
    if (!st) return DB_ERR;
    db_bind_text(st, 1, type, (size_t)-1);
    db_bind_int64(st, 2, year);
    int rc = db_step(st);
    if (rc == DB_ROW) *seq = db_column_int64(st, 0), rc = DB_OK;
    db_finalize(st);
    return rc;
}

/* What the document prints, besides its number (in ar while building). */
static int fields_read(struct db *db, const struct actor *a, const struct doc_type *t,
                       const struct document_item *it, struct arena *ar, json_t *f, struct err *e)
{
    const char *office = NULL, *unit, *desc, *by;
    int rc = setting_text(db, "notice.office", ar, &office, e) ? DB_ERR : DB_OK;
    if (rc == DB_OK)
        rc = text1(db_prepare(db, "SELECT name FROM units WHERE id = ?1"), it->lead_unit_id, ar,
                   &unit);
    if (rc == DB_OK)
        rc =
            text1(db_prepare(db, "SELECT description FROM items WHERE id = ?1"), it->id, ar, &desc);
    if (rc == DB_OK)
        rc = text1(db_prepare(db, "SELECT coalesce(nullif(name, ''), username) FROM users"
                                  " WHERE id = ?1"),
                   a->user_id, ar, &by);
    if (rc != DB_OK) return err_db(e, rc, "reading the item for its document");
    char today[11];
    date_format(time_today(), today);
    json_object_set_new(f, "type", json_string(t->type));
    json_object_set_new(f, "doc_title", json_string(t->title));
    json_object_set_new(f, "item_id", json_integer(it->id));
    json_object_set_new(f, "title", json_string(it->title));
    json_object_set_new(f, "description", json_string(desc));
    json_object_set_new(f, "unit", json_string(unit));
    json_object_set_new(f, "deadline", json_string(it->deadline));
    json_object_set_new(f, "date", json_string(today));
    json_object_set_new(f, "office", json_string(office && *office ? office : "督查室"));
    json_object_set_new(f, "by", json_string(by));
    json_object_set_new(f, "escalation", json_integer(it->escalation));
    json_object_set_new(f, "text", json_string(it->text ? it->text : ""));
    if (strcmp(t->type, "dossier")) return 0;
    return dossier_fields(db, it->id, f, e);
}

/* The number "交办〔2026〕12号" of type's next document this year into f. */
static int number_take(struct db *db, const struct doc_type *t, struct arena *ar, json_t *f,
                       int *year, int64_t *seq, struct err *e)
{
    const char *prefix = NULL;
    int m, d;
    date_split(time_today(), year, &m, &d);
    if (setting_text(db, t->setting, ar, &prefix, e)) return -1;
    int rc = next_seq(db, t->type, *year, seq);
    if (rc != DB_OK) return err_db(e, rc, "numbering the document");
    json_object_set_new(
        f, "number",
        json_string(arena_printf(ar, "%s〔%d〕%lld号", prefix && *prefix ? prefix : t->prefix,
                                 *year, (long long)*seq)));
    return 0;
}

/* Store the rendered document; its record goes into data["documents"]. */
static int store(struct db *db, const struct document_item *it, const char *type, int year,
                 int64_t seq, json_t *f, const struct buf *pdf, json_t *data, struct err *e)
{
    unsigned char h[crypto_hash_sha256_BYTES];
    char sha[65];
    crypto_hash_sha256(h, (const unsigned char *)pdf->data, pdf->len);
    str_hex(h, sizeof h, sha);
    char *fields = json_dumps(f, JSON_COMPACT | JSON_SORT_KEYS);
    struct db_stmt *st = db_prepare(
        db, "INSERT INTO item_documents (item_id, unit_id, type, year, seq, number, fields, pdf,"
            " sha256, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) RETURNING id");
    int rc = DB_ERR;
    int64_t id = 0;
    if (st && fields) {
        db_bind_int64(st, 1, it->id);
        if (it->lead_unit_id)
            db_bind_int64(st, 2, it->lead_unit_id);
        else
            db_bind_null(st, 2);
        db_bind_text(st, 3, type, (size_t)-1);
        db_bind_int64(st, 4, year);
        db_bind_int64(st, 5, seq);
        db_bind_text(st, 6, json_string_value(json_object_get(f, "number")), (size_t)-1);
        db_bind_text(st, 7, fields, (size_t)-1);
        db_bind_blob(st, 8, pdf->data, pdf->len);
        db_bind_text(st, 9, sha, (size_t)-1);
        db_bind_int64(st, 10, time_now_ms());
        rc = db_step(st);
        if (rc == DB_ROW) id = db_column_int64(st, 0), rc = DB_OK;
    }
    db_finalize(st);
    free(fields);
    if (rc == DB_UNIQUE) { /* another instance on the database took the number meanwhile */
        err_set(e, 503, "busy", "another document took the number meanwhile; try again");
        return DB_RETRY; /* the write runs again, numbering after it */
    }
    if (rc != DB_OK) return err_db(e, rc, "storing the document");
    json_t *list = json_object_get(data, "documents");
    if (!json_is_array(list)) json_object_set_new(data, "documents", list = json_array());
    json_array_append_new(list, json_pack("{s:I,s:s,s:O,s:s}", "id", (json_int_t)id, "type", type,
                                          "number", json_object_get(f, "number"), "sha256", sha));
    return 0;
}

int document_issue(struct db *db, const struct actor *a, const char *action,
                   const struct document_item *it, json_t *data, struct err *e)
{
    const struct doc_type *t = type_of(action);
    if (!t || !renderer || !a->user_id) return 0;
    struct arena *ar = arena_new();
    json_t *f = json_object();
    struct buf pdf;
    buf_init(&pdf, 0);
    int year = 0;
    int64_t seq = 0;
    int rc = fields_read(db, a, t, it, ar, f, e);
    if (!rc && !strcmp(t->type, "dossier")) /* filed by the archive it records */
        json_object_set_new(f, "status", json_string("archived"));
    if (!rc) rc = number_take(db, t, ar, f, &year, &seq, e);
    if (!rc) rc = renderer(f, NULL, &pdf, e);
    if (!rc) rc = store(db, it, t->type, year, seq, f, &pdf, data, e);
    buf_free(&pdf);
    json_decref(f);
    arena_free(ar);
    return rc;
}

int document_link(struct db *db, int64_t item_id, json_t *data)
{
    json_t *list = json_object_get(data, "documents");
    if (!json_array_size(list)) return DB_OK;
    return event_link(db, item_id,
                      db_prepare(db, "UPDATE item_documents SET event_id = ?1 WHERE id = ?2"
                                     " AND event_id IS NULL"),
                      list);
}

json_t *document_list_json(struct db *db, int64_t item_id, struct err *e)
{
    struct db_stmt *st = db_prepare(db, "SELECT id, type, number, sha256 FROM item_documents"
                                        " WHERE item_id = ?1 AND event_id IS NOT NULL ORDER BY id");
    if (!st) return err_db(e, DB_ERR, "reading the documents"), NULL;
    db_bind_int64(st, 1, item_id);
    json_t *list = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        char url[48];
        snprintf(url, sizeof url, "/api/v1/documents/%lld", (long long)db_column_int64(st, 0));
        json_array_append_new(
            list, json_pack("{s:I,s:s,s:s,s:s,s:s}", "id", (json_int_t)db_column_int64(st, 0),
                            "type", db_column_text(st, 1), "number", db_column_text(st, 2),
                            "sha256", db_column_text(st, 3), "url", url));
    }
    db_finalize(st);
    size_t i;
    json_t *d;
    json_array_foreach(list, i, d)
    {
        json_t *r = rc != DB_DONE ? NULL
                                  : document_receipt(db, item_id,
                                                     json_integer_value(json_object_get(d, "id")));
        if (!r && rc == DB_DONE) rc = DB_ERR;
        if (r) json_object_set_new(d, "receipt", r);
    }
    if (rc != DB_DONE) {
        json_decref(list);
        return err_db(e, rc, "reading the documents"), NULL;
    }
    return list;
}

int document_get(struct db *db, int64_t id, struct document *out)
{
    memset(out, 0, sizeof *out);
    struct db_stmt *st =
        db_prepare(db, "SELECT id, item_id, event_id, type, number, sha256, fields, pdf"
                       " FROM item_documents WHERE id = ?1 AND event_id IS NOT NULL");
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, id);
    int rc = db_step(st);
    if (rc == DB_ROW) {
        out->id = db_column_int64(st, 0);
        out->item_id = db_column_int64(st, 1);
        out->event_id = db_column_int64(st, 2);
        snprintf(out->type, sizeof out->type, "%s", db_column_text(st, 3));
        snprintf(out->number, sizeof out->number, "%s", db_column_text(st, 4));
        snprintf(out->sha256, sizeof out->sha256, "%s", db_column_text(st, 5));
        out->fields = json_loads(db_column_text(st, 6), 0, NULL);
        out->data = db_column_blob(st, 7, &out->len);
        rc = out->fields && out->data ? DB_OK : DB_ERR;
    }
    db_finalize(st);
    if (rc != DB_OK) document_free(out);
    return rc;
}

void document_free(struct document *x)
{
    json_decref(x->fields);
    free(x->data);
    x->fields = NULL;
    x->data = NULL;
}

json_t *document_receipt(struct db *db, int64_t item_id, int64_t id)
{
    struct db_stmt *st = db_prepare(
        db, "SELECT e.at, e.action, coalesce(nullif(u.name, ''), u.username), n.name"
            " FROM events e JOIN users u ON u.id = e.actor_id JOIN units n ON n.id = u.unit_id"
            " JOIN item_documents d ON d.id = ?2 JOIN events de ON de.id = d.event_id"
            " WHERE e.item_id = ?1 AND e.seq > de.seq AND u.unit_id = d.unit_id"
            " AND e.action IN ('accept', 'return', 'feedback', 'request_extension', 'submit')"
            " ORDER BY e.seq LIMIT 1");
    if (!st) return NULL;
    db_bind_int64(st, 1, item_id);
    db_bind_int64(st, 2, id);
    int rc = db_step(st);
    json_t *r = NULL;
    if (rc == DB_ROW) {
        char at[32];
        time_format_iso(db_column_int64(st, 0), at, sizeof at);
        r = json_pack("{s:s,s:s,s:s,s:s}", "at", at, "action", db_column_text(st, 1), "by",
                      db_column_text(st, 2), "unit", db_column_text(st, 3));
    } else if (rc == DB_DONE) {
        r = json_null();
    }
    db_finalize(st);
    return r;
}

int document_copy(struct db *db, const struct document *x, struct buf *out, struct err *e)
{
    if (!renderer) return err_set(e, 500, "internal", "documents cannot be rendered here");
    json_t *r = document_receipt(db, x->item_id, x->id);
    if (!r) return err_db(e, DB_ERR, "reading the receipt");
    int rc = renderer(x->fields, json_is_null(r) ? NULL : r, out, e);
    json_decref(r);
    return rc;
}

int document_dossier_pdf(struct db *db, int64_t item_id, struct buf *out, struct err *e)
{
    if (!renderer) return err_set(e, 500, "internal", "documents cannot be rendered here");
    struct arena *ar = arena_new();
    struct document_item it = {.id = item_id};
    int rc = text1(db_prepare(db, "SELECT title FROM items WHERE id = ?1"), item_id, ar, &it.title);
    if (rc == DB_OK)
        rc = text1(db_prepare(db, "SELECT coalesce(deadline, '') FROM items WHERE id = ?1"),
                   item_id, ar, &it.deadline);
    if (rc == DB_OK)
        rc = db_query_int64(db, "SELECT coalesce(lead_unit_id, 0) FROM items WHERE id = ?1", 1,
                            item_id, &it.lead_unit_id);
    json_t *f = json_object();
    struct actor nobody = {0};
    int ret = rc == DB_OK ? 0 : err_db(e, rc, "reading the item");
    if (!ret) ret = fields_read(db, &nobody, type_of("archive"), &it, ar, f, e);
    if (!ret) {
        json_object_set_new(f, "number", json_string("")); /* a copy of now, not filed */
        ret = renderer(f, NULL, out, e);
    }
    json_decref(f);
    arena_free(ar);
    return ret;
}

/* ---- verify ---- */

/* One recorded document (the row of document_verify's first query). */
static void verify_row(struct db_stmt *st, struct verify_log *v)
{
    int64_t id = db_column_int64(st, 0), item = db_column_int64(st, 1);
    size_t n = 0;
    unsigned char *bytes = db_column_blob(st, 4, &n), h[crypto_hash_sha256_BYTES];
    char sha[65];
    crypto_hash_sha256(h, bytes ? bytes : (const unsigned char *)"", n);
    str_hex(h, sizeof h, sha);
    free(bytes);
    json_t *data = json_loads(db_column_text(st, 5), 0, NULL), *r = NULL, *x;
    size_t i;
    json_array_foreach(json_object_get(data, "documents"), i, x)
    {
        if (json_integer_value(json_object_get(x, "id")) == id) r = x;
    }
    const char *want = r ? json_string_value(json_object_get(r, "sha256")) : NULL;
    const char *number = r ? json_string_value(json_object_get(r, "number")) : NULL;
    if (!r)
        verify_problem(v, "item %lld: document %lld: its event does not record it", (long long)item,
                       (long long)id);
    else if (!want || strcmp(sha, want) || strcmp(db_column_text(st, 3), want))
        verify_problem(v,
                       "item %lld: document %lld: its PDF does not match the SHA-256 its event"
                       " recorded",
                       (long long)item, (long long)id);
    else if (!number || strcmp(number, db_column_text(st, 2)))
        verify_problem(v, "item %lld: document %lld: its number is not the one its event recorded",
                       (long long)item, (long long)id);
    json_decref(data);
}

/* Each record of an event: a row that points back to that event. */
static int verify_records(struct db *db, struct verify_log *v)
{
    struct db_stmt *st = db_prepare(db, "SELECT e.id, e.item_id, e.data FROM events e"
                                        " WHERE e.data LIKE '%\"documents\":[%' ORDER BY e.id");
    if (!st) return DB_ERR;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        int64_t event = db_column_int64(st, 0), item = db_column_int64(st, 1);
        json_t *data = json_loads(db_column_text(st, 2), 0, NULL), *r;
        size_t i;
        json_array_foreach(json_object_get(data, "documents"), i, r)
        {
            int64_t id = json_integer_value(json_object_get(r, "id")), at = 0;
            if (db_query_int64(db, "SELECT event_id FROM item_documents WHERE id = ?1", 1, id,
                               &at) ||
                at != event)
                verify_problem(v, "item %lld: document %lld that event %lld recorded is missing",
                               (long long)item, (long long)id, (long long)event);
        }
        json_decref(data);
    }
    db_finalize(st);
    return rc == DB_DONE ? DB_OK : rc;
}

int document_verify(struct db *db, struct verify_log *v)
{
    struct db_stmt *st =
        db_prepare(db, "SELECT d.id, d.item_id, d.number, d.sha256, d.pdf, e.data"
                       " FROM item_documents d JOIN events e ON e.id = d.event_id ORDER BY d.id");
    if (!st) return DB_ERR;
    int rc;
    while ((rc = db_step(st)) == DB_ROW)
        verify_row(st, v);
    db_finalize(st);
    if (rc != DB_DONE) return rc;
    return verify_records(db, v);
}
