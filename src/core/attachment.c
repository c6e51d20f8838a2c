/* attachment.c — checking, storing and reading evidence files.  See
 * attachment.h.  Which actions carry them and how an event records them is
 * attachment_claim's (below); the upload and download routes are
 * api/attachments.c's. */
#include "core/attachment.h"

#include <magic.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/challenge.h"
#include "core/event.h"
#include "core/item.h"
#include "core/perm.h"
#include "util/mem.h"
#include "util/str.h"
#include "util/time.h"
#include "util/utf8.h"

/* An extension, the type it is served as, and what libmagic may call its
 * content: OOXML files are ZIPs (libmagic names the type only when the
 * package's first member says so), Word, Excel and WPS binaries are OLE2
 * compound files, named by the application when libmagic can tell. */
struct file_type {
    const char *ext, *mime;
    const char *sniffed[6];
};

#define OLE       "application/vnd.ms-office", "application/CDFV2", "application/x-ole-storage"
#define OOXML_DOC "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
#define OOXML_XLS "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

static const struct file_type types[] = {
    {"doc", "application/msword", {"application/msword", OLE}},
    {"docx", OOXML_DOC, {OOXML_DOC, "application/zip"}},
    {"et", "application/vnd.ms-excel", {"application/vnd.ms-excel", OLE}},
    {"gif", "image/gif", {"image/gif"}},
    {"jpeg", "image/jpeg", {"image/jpeg"}},
    {"jpg", "image/jpeg", {"image/jpeg"}},
    {"pdf", "application/pdf", {"application/pdf"}},
    {"png", "image/png", {"image/png"}},
    {"txt", "text/plain", {"text/plain", "text/csv"}},
    {"webp", "image/webp", {"image/webp"}},
    {"wps", "application/msword", {"application/msword", OLE}},
    {"xls", "application/vnd.ms-excel", {"application/vnd.ms-excel", OLE}},
    {"xlsx", OOXML_XLS, {OOXML_XLS, "application/zip"}},
    {"zip", "application/zip", {"application/zip"}},
};

/* One libmagic cookie for the process, loaded at first use; a cookie is not
 * safe to share between threads, so the lock covers each look. */
static pthread_mutex_t magic_lock = PTHREAD_MUTEX_INITIALIZER;
static magic_t cookie;

/* libmagic's MIME type for p[0..n) into out; 0, or -1 when it cannot run. */
static int sniff(const unsigned char *p, size_t n, char *out, size_t outlen)
{
    int rc = -1;
    pthread_mutex_lock(&magic_lock);
    if (!cookie) {
        cookie = magic_open(MAGIC_MIME_TYPE | MAGIC_ERROR);
        if (cookie && magic_load(cookie, NULL) != 0) magic_close(cookie), cookie = NULL;
    }
    const char *m = cookie ? magic_buffer(cookie, p, n) : NULL;
    if (m) snprintf(out, outlen, "%s", m), rc = 0;
    pthread_mutex_unlock(&magic_lock);
    return rc;
}

int attachment_check_name(const char *name, struct err *e)
{
    size_t n = name ? strlen(name) : 0, bad;
    if (!n) return err_set(e, 400, "file_name_missing", "'name' must give the file's name");
    if (!utf8_validate(name, n, &bad))
        return err_set(e, 400, "invalid_utf8", "the file's name is not valid UTF-8");
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
            return err_set(e, 422, "file_name_control",
                           "the file's name must not hold control characters (CR, LF …)");
    if (strchr(name, '/') || strchr(name, '\\') || strstr(name, ".."))
        return err_set(e, 422, "file_name_path",
                       "the file's name must be a name, without a path ('/', '\\', '..')");
    if (n > ATTACHMENT_NAME_MAX)
        return err_set(e, 422, "file_name_long", "the file's name is longer than %d bytes",
                       ATTACHMENT_NAME_MAX);
    return 0;
}

/* The row of name's extension (ASCII, any case), or NULL. */
static const struct file_type *type_of_name(const char *name)
{
    const char *dot = strrchr(name, '.');
    if (!dot || !dot[1]) return NULL;
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (!strcasecmp(dot + 1, types[i].ext)) return &types[i];
    return NULL;
}

const char *attachment_type(const char *name, const unsigned char *p, size_t n, struct err *e)
{
    if (attachment_check_name(name, e)) return NULL;
    const struct file_type *t = type_of_name(name);
    if (!t)
        return err_set(e, 415, "file_type_unsupported",
                       "a file must be PDF, Word, Excel, WPS, an image (JPEG, PNG, GIF, WebP),"
                       " text or ZIP, named with its extension"),
               NULL;
    if (!n) return err_set(e, 422, "file_empty", "the file is empty"), NULL;
    char got[128];
    if (sniff(p, n, got, sizeof got))
        return err_set(e, 500, "internal", "the file type library cannot be loaded"), NULL;
    for (size_t i = 0; i < 6 && t->sniffed[i]; i++)
        if (!strcmp(got, t->sniffed[i])) return t->mime;
    err_set(e, 415, "file_type_mismatch", "the file is named .%s but its content is %s", t->ext,
            got);
    return NULL;
}

int attachment_max_bytes(struct db *db, int64_t *max)
{
    struct db_stmt *st =
        db_prepare(db, "SELECT value FROM settings WHERE key = 'attachment.max_bytes'");
    if (!st) return DB_ERR;
    *max = ATTACHMENT_MAX_DEFAULT;
    int rc = db_step(st);
    if (rc == DB_ROW && !db_column_is_null(st, 0)) {
        char *end;
        long long v = strtoll(db_column_text(st, 0), &end, 10);
        if (!*end && v > 0 && v <= ATTACHMENT_MAX_CAP) *max = v;
    }
    db_finalize(st);
    return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

int attachment_may_upload(struct db *db, const struct actor *a, int64_t item_id, struct err *e)
{
    int app = challenge_may_attach(db, a, item_id, e); /* an applicant's files */
    if (app) return app < 0 ? -1 : 0;
    int internal = perm_item_internal(db, a, item_id);
    if (internal < 0) return err_db(e, internal, "reading the item");
    if (!internal)
        return err_set(e, 404, "not_found", "no item with id %lld", (long long)item_id),
               err_detail(e, "item");
    json_t *item = item_get_json(db, a, item_id, e);
    if (!item) return -1;
    int ok = json_array_size(json_object_get(item, "allowed_actions")) > 0;
    json_decref(item);
    if (!ok)
        return err_set(e, 403, "forbidden",
                       "only those who may act on the item now add evidence to it");
    return 0;
}

int attachment_add(struct db *db, const struct actor *a, int64_t item_id, const char *name,
                   const unsigned char *data, size_t len, int64_t *id, const char **mime,
                   char sha[65], struct err *e)
{
    int64_t max = 0;
    int rc = attachment_max_bytes(db, &max);
    if (rc != DB_OK) return err_db(e, rc, "reading the settings");
    if ((int64_t)len > max)
        return err_set(e, 413, "file_too_large", "a file may have at most %lld bytes",
                       (long long)max);
    if (!(*mime = attachment_type(name, data, len, e))) return -1;
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, data, len);
    str_hex(h, sizeof h, sha);
    struct db_stmt *st = db_prepare(
        db, "INSERT INTO attachments (item_id, unit_id, uploaded_by, name, mime, bytes, sha256,"
            " data, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING id");
    if (!st) return err_db(e, DB_ERR, "storing an attachment");
    db_bind_int64(st, 1, item_id);
    a->unit_id ? db_bind_int64(st, 2, a->unit_id) : db_bind_null(st, 2);
    a->user_id ? db_bind_int64(st, 3, a->user_id) : db_bind_null(st, 3);
    db_bind_text(st, 4, name, (size_t)-1);
    db_bind_text(st, 5, *mime, (size_t)-1);
    db_bind_int64(st, 6, (int64_t)len);
    db_bind_text(st, 7, sha, 64);
    db_bind_blob(st, 8, data, len);
    db_bind_int64(st, 9, time_now_ms());
    rc = db_step(st);
    if (rc == DB_ROW) *id = db_column_int64(st, 0), rc = DB_OK;
    db_finalize(st);
    return rc == DB_OK ? 0 : err_db(e, rc, "storing an attachment");
}

int attachment_get(struct db *db, int64_t id, struct attachment *out)
{
    memset(out, 0, sizeof *out);
    struct db_stmt *st = db_prepare(db, "SELECT id, item_id, unit_id, event_id, name, mime,"
                                        " sha256, bytes, data FROM attachments WHERE id = ?1");
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, id);
    int rc = db_step(st);
    if (rc == DB_ROW) {
        out->id = db_column_int64(st, 0), out->item_id = db_column_int64(st, 1);
        out->unit_id = db_column_int64(st, 2), out->event_id = db_column_int64(st, 3);
        snprintf(out->name, sizeof out->name, "%s", db_column_text(st, 4));
        snprintf(out->mime, sizeof out->mime, "%s", db_column_text(st, 5));
        snprintf(out->sha256, sizeof out->sha256, "%s", db_column_text(st, 6));
        out->bytes = db_column_int64(st, 7);
        out->data = db_column_blob(st, 8, &out->len);
        rc = out->data ? DB_OK : DB_ERR;
    }
    db_finalize(st);
    return rc;
}

void attachment_free(struct attachment *x)
{
    free(x->data);
    x->data = NULL;
}

int attachment_may_read(struct db *db, const struct actor *a, const struct attachment *x)
{
    int is_app = 0, may = 0;
    int rc = challenge_file_reader(db, a, x->id, &is_app, &may); /* an application's files */
    if (rc != DB_OK) return rc < 0 ? rc : DB_ERR;
    if (is_app) return may;
    int seen = perm_item_visible(db, a, x->item_id);
    return seen <= 0 ? seen : perm_item_internal(db, a, x->item_id);
}

/* ---- carried by an action ---- */

/* The record of attachment id for a's action on item_id, or NULL with e. */
static json_t *claim_one(struct db *db, const struct actor *a, int64_t item_id, int64_t id,
                         struct err *e)
{
    struct db_stmt *st = db_prepare(db, "SELECT name, bytes, sha256 FROM attachments"
                                        " WHERE id = ?1 AND item_id = ?2 AND event_id IS NULL"
                                        " AND unit_id = ?3");
    if (!st) return err_db(e, DB_ERR, "reading the attachments"), NULL;
    db_bind_int64(st, 1, id);
    db_bind_int64(st, 2, item_id);
    db_bind_int64(st, 3, a->unit_id);
    int rc = db_step(st);
    json_t *r = NULL;
    if (rc == DB_ROW)
        r = json_pack("{s:I,s:s,s:I,s:s}", "id", (json_int_t)id, "name", db_column_text(st, 0),
                      "bytes", (json_int_t)db_column_int64(st, 1), "sha256", db_column_text(st, 2));
    db_finalize(st);
    if (rc == DB_DONE) {
        err_set(e, 422, "invalid_attachment",
                "attachment %lld is not one your unit uploaded to this item that no step"
                " carries yet",
                (long long)id);
        char subject[24];
        snprintf(subject, sizeof subject, "%lld", (long long)id);
        err_subject(e, subject);
    } else if (rc != DB_ROW) {
        err_db(e, rc, "reading the attachments");
    }
    return r;
}

int attachment_claim(struct db *db, const struct actor *a, int64_t item_id, json_t *ids,
                     json_t **records, struct err *e)
{
    *records = NULL;
    if (json_array_size(ids) > ATTACHMENTS_PER_ACTION)
        return err_set(e, 422, "invalid_attachment", "'attachment_ids' holds more than %d",
                       ATTACHMENTS_PER_ACTION);
    json_t *list = json_array();
    for (size_t i = 0; i < json_array_size(ids); i++) {
        json_int_t id = json_integer_value(json_array_get(ids, i));
        for (size_t k = 0; k < i; k++)
            if (json_integer_value(json_array_get(ids, k)) == id) {
                json_decref(list);
                return err_set(e, 422, "invalid_attachment", "attachment %lld is named twice",
                               (long long)id);
            }
        json_t *r = claim_one(db, a, item_id, id, e);
        if (!r) return json_decref(list), -1;
        json_array_append_new(list, r);
    }
    *records = list;
    return 0;
}

int attachment_link(struct db *db, int64_t item_id, json_t *records)
{
    return event_link(db, item_id,
                      db_prepare(db, "UPDATE attachments SET event_id = ?1 WHERE id = ?2"
                                     " AND event_id IS NULL"),
                      records);
}

/* ---- verify ---- */

/* The record of attachment id in an event's data text, or NULL. */
static json_t *record_in(json_t *data, int64_t id)
{
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(data, "attachments"), i, r)
    {
        if (json_integer_value(json_object_get(r, "id")) == id) return r;
    }
    return NULL;
}

/* One carried attachment (the row of rows_sql) against its event's record. */
static void verify_row(struct db_stmt *st, struct verify_log *v)
{
    int64_t id = db_column_int64(st, 0), item = db_column_int64(st, 1);
    size_t n = 0;
    unsigned char *bytes = db_column_blob(st, 5, &n), h[crypto_hash_sha256_BYTES];
    char sha[65] = "";
    crypto_hash_sha256(h, bytes ? bytes : (const unsigned char *)"", n);
    str_hex(h, sizeof h, sha);
    free(bytes);
    json_t *data = json_loads(db_column_text(st, 6), 0, NULL), *r = record_in(data, id);
    if (!r) {
        verify_problem(v, "item %lld: attachment %lld: its event does not record it",
                       (long long)item, (long long)id);
    } else {
        const char *want = json_string_value(json_object_get(r, "sha256"));
        if (!want || strcmp(sha, want) || strcmp(db_column_text(st, 4), want))
            verify_problem(v,
                           "item %lld: attachment %lld: its bytes do not match the SHA-256 its"
                           " event recorded",
                           (long long)item, (long long)id);
        json_t *w = json_pack("{s:O,s:O}", "name", json_object_get(r, "name"), "bytes",
                              json_object_get(r, "bytes"));
        json_t *row = json_pack("{s:s,s:I}", "name", db_column_text(st, 2), "bytes",
                                (json_int_t)db_column_int64(st, 3));
        char prefix[48];
        snprintf(prefix, sizeof prefix, "attachment %lld ", (long long)id);
        verify_fields(v, item, prefix, "attachment row", w, row);
        json_decref(w);
        json_decref(row);
    }
    json_decref(data);
}

int attachment_verify(struct db *db, struct verify_log *v)
{
    struct db_stmt *st =
        db_prepare(db, "SELECT a.id, a.item_id, a.name, a.bytes, a.sha256, a.data, e.data"
                       " FROM attachments a JOIN events e ON e.id = a.event_id ORDER BY a.id");
    if (!st) return DB_ERR;
    int rc;
    while ((rc = db_step(st)) == DB_ROW)
        verify_row(st, v);
    db_finalize(st);
    if (rc != DB_DONE) return rc;
    /* each record of an event: a row that points back to that event */
    st = db_prepare(db, "SELECT e.id, e.item_id, e.data FROM events e"
                        " WHERE e.data LIKE '%\"attachments\":[%' ORDER BY e.id");
    if (!st) return DB_ERR;
    while ((rc = db_step(st)) == DB_ROW) {
        int64_t event = db_column_int64(st, 0), item = db_column_int64(st, 1);
        json_t *data = json_loads(db_column_text(st, 2), 0, NULL), *r;
        size_t i;
        json_array_foreach(json_object_get(data, "attachments"), i, r)
        {
            int64_t id = json_integer_value(json_object_get(r, "id")), at = 0;
            if (db_query_int64(db, "SELECT event_id FROM attachments WHERE id = ?1", 1, id, &at) ||
                at != event)
                verify_problem(v, "item %lld: attachment %lld that event %lld recorded is missing",
                               (long long)item, (long long)id, (long long)event);
        }
        json_decref(data);
    }
    db_finalize(st);
    return rc == DB_DONE ? DB_OK : rc;
}
