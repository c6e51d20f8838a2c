/* dossier.c — an item's whole record for its dossier.  See dossier.h.
 * Times are ISO 8601 in the city's zone, as the API writes them. */
#include "core/dossier.h"

#include "core/document.h"
#include "util/time.h"

/* An ISO time of a column of milliseconds. */
static json_t *time_json(struct db_stmt *st, int col)
{
    char at[32];
    time_format_iso(db_column_int64(st, col), at, sizeof at);
    return json_string(at);
}

static json_t *text_json(struct db_stmt *st, int col)
{
    return json_string(db_column_is_null(st, col) ? "" : db_column_text(st, col));
}

/* Run st (?1 = item_id) and append each row, made by row, to f[key]. */
static int rows(struct db_stmt *st, int64_t item_id, json_t *f, const char *key,
                json_t *(*row)(struct db_stmt *st))
{
    if (!st) return DB_ERR;
    json_t *list = json_array();
    json_object_set_new(f, key, list);
    db_bind_int64(st, 1, item_id);
    int rc;
    while ((rc = db_step(st)) == DB_ROW)
        json_array_append_new(list, row(st));
    db_finalize(st);
    return rc == DB_DONE ? DB_OK : rc;
}

static json_t *event_row(struct db_stmt *st)
{
    return json_pack("{s:I,s:o,s:o,s:o,s:o}", "seq", (json_int_t)db_column_int64(st, 0), "at",
                     time_json(st, 1), "actor", text_json(st, 2), "action", text_json(st, 3),
                     "hash", text_json(st, 4));
}

static json_t *feedback_row(struct db_stmt *st)
{
    return json_pack("{s:o,s:o,s:o,s:o}", "at", time_json(st, 0), "unit", text_json(st, 1),
                     "progress",
                     db_column_is_null(st, 2) ? json_null() : json_integer(db_column_int64(st, 2)),
                     "text", text_json(st, 3));
}

static json_t *attachment_row(struct db_stmt *st)
{
    return json_pack("{s:I,s:o,s:I,s:o}", "id", (json_int_t)db_column_int64(st, 0), "name",
                     text_json(st, 1), "bytes", (json_int_t)db_column_int64(st, 2), "sha256",
                     text_json(st, 3));
}

static json_t *item_row(struct db_stmt *st)
{
    return json_pack("{s:o,s:o,s:o}", "kind", text_json(st, 0), "status", text_json(st, 1),
                     "created_at", time_json(st, 2));
}

int dossier_fields(struct db *db, int64_t item_id, json_t *f, struct err *e)
{
    int rc = rows(db_prepare(db, "SELECT kind, status, created_at FROM items WHERE id = ?1"),
                  item_id, f, "item", item_row);
    json_t *item = json_array_get(json_object_get(f, "item"), 0);
    if (rc == DB_OK && item) json_object_update(f, item);
    json_object_del(f, "item");
    if (rc == DB_OK)
        rc = rows(db_prepare(db, "SELECT seq, at, actor, action, hash FROM events"
                                 " WHERE item_id = ?1 ORDER BY seq"),
                  item_id, f, "events", event_row);
    if (rc == DB_OK)
        rc = rows(db_prepare(db, "SELECT f.at, u.name, f.progress, f.text FROM feedback f"
                                 " JOIN units u ON u.id = f.unit_id WHERE f.item_id = ?1"
                                 " ORDER BY f.id"),
                  item_id, f, "feedback", feedback_row);
    if (rc == DB_OK)
        rc = rows(db_prepare(db, "SELECT id, name, bytes, sha256 FROM attachments"
                                 " WHERE item_id = ?1 AND event_id IS NOT NULL ORDER BY id"),
                  item_id, f, "attachments", attachment_row);
    if (rc != DB_OK) return err_db(e, rc, "reading the item's record");
    json_t *docs = document_list_json(db, item_id, e);
    if (!docs) return -1;
    json_object_set_new(f, "documents", docs);
    return 0;
}
