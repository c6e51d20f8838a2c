/* hazard_public.c — the public reads of hazards.  See hazard_public.h. */
#include "core/hazard_public.h"

#include <stddef.h>

#include "core/action.h"

#define REQ_SQL                                                                                    \
    "SELECT i.id, i.status, i.description, c.code, c.name, u.name, i.created_at, i.updated_at,"    \
    " h.closed_at, i.deadline, h.address, h.latitude, h.longitude, h.duplicate_of,"                \
    " (SELECT e.data FROM events e WHERE e.item_id = i.id AND e.data LIKE '%\"public_note\":%'"    \
    " ORDER BY e.seq DESC LIMIT 1)"                                                                \
    " FROM items i JOIN hazards h ON h.item_id = i.id JOIN hazard_categories c"                    \
    " ON c.id = h.category_id LEFT JOIN units u ON u.id = i.lead_unit_id WHERE i.kind = 'hazard'"

/* Column k as text, NULL when it is NULL. */
static const char *text_or_null(struct db_stmt *st, int k)
{
    return db_column_is_null(st, k) ? NULL : db_column_text(st, k);
}

/* REQ_SQL's row as a hazard_public; *note holds the latest public note's
 * event (the caller frees it after the callback). */
static void row_of(struct db_stmt *st, struct hazard_public *h, json_t **note)
{
    h->id = db_column_int64(st, 0);
    h->status = db_column_text(st, 1);
    h->description = text_or_null(st, 2);
    h->category_code = db_column_text(st, 3);
    h->category_name = db_column_text(st, 4);
    h->unit_name = text_or_null(st, 5);
    h->created_at = db_column_int64(st, 6);
    h->updated_at = db_column_int64(st, 7);
    h->closed_at = db_column_is_null(st, 8) ? 0 : db_column_int64(st, 8);
    h->deadline = text_or_null(st, 9);
    h->address = text_or_null(st, 10);
    h->has_lat = !db_column_is_null(st, 11);
    h->lat = h->has_lat ? db_column_double(st, 11) : 0;
    h->has_lon = !db_column_is_null(st, 12);
    h->lon = h->has_lon ? db_column_double(st, 12) : 0;
    h->duplicate_of = db_column_is_null(st, 13) ? 0 : db_column_int64(st, 13);
    /* the event's own field, not a key of the same name deeper in its data */
    *note = db_column_is_null(st, 14) ? NULL : json_loads(db_column_text(st, 14), 0, NULL);
    h->public_note = json_string_value(json_object_get(*note, ACTION_PUBLIC_NOTE));
}

int hazard_public_get(struct db *db, int64_t id, hazard_public_fn fn, void *ctx, struct err *e)
{
    struct db_stmt *st = db_prepare(db, REQ_SQL " AND i.id = ?1");
    if (!st) return err_db(e, DB_ERR, "reading a hazard");
    db_bind_int64(st, 1, id);
    int rc = db_step(st), stop = 0;
    if (rc == DB_ROW) {
        struct hazard_public h;
        json_t *note;
        row_of(st, &h, &note);
        stop = fn(ctx, &h);
        json_decref(note);
    }
    db_finalize(st);
    if (rc != DB_ROW && rc != DB_DONE) return err_db(e, rc, "reading a hazard");
    return stop ? -1 : rc == DB_ROW;
}

int hazard_public_window(struct db *db, int64_t from_ms, int64_t to_ms, hazard_public_fn fn,
                         void *ctx, struct err *e)
{
    struct db_stmt *st = db_prepare(db, REQ_SQL " AND i.created_at >= ?1 AND i.created_at <= ?2"
                                                " ORDER BY i.created_at DESC, i.id DESC");
    if (!st) return err_db(e, DB_ERR, "reading hazards");
    db_bind_int64(st, 1, from_ms);
    db_bind_int64(st, 2, to_ms);
    int rc = DB_DONE, stop = 0;
    while (!stop && (rc = db_step(st)) == DB_ROW) {
        struct hazard_public h;
        json_t *note;
        row_of(st, &h, &note);
        stop = fn(ctx, &h);
        json_decref(note);
    }
    db_finalize(st);
    return stop || rc == DB_DONE ? 0 : err_db(e, rc, "reading hazards");
}

/* a photo event vouches for an upload's bytes: no update to the public */
int hazard_public_events(struct db *db, int64_t from_ms, int64_t to_ms, hazard_event_fn fn,
                         void *ctx, struct err *e)
{
    struct db_stmt *st =
        db_prepare(db, "SELECT e.id, e.item_id, e.at, e.action, e.data FROM events e JOIN items i"
                       " ON i.id = e.item_id WHERE i.kind = 'hazard' AND e.action <> 'photo'"
                       " AND e.item_id IN (SELECT item_id FROM events WHERE at >= ?1 AND at <= ?2)"
                       " ORDER BY e.item_id, e.seq");
    if (!st) return err_db(e, DB_ERR, "reading hazard events");
    db_bind_int64(st, 1, from_ms);
    db_bind_int64(st, 2, to_ms);
    int rc = DB_DONE, stop = 0;
    while (!stop && (rc = db_step(st)) == DB_ROW) {
        json_t *data = json_loads(db_column_text(st, 4), 0, NULL);
        json_t *after = json_object_get(data, "after");
        struct hazard_public_event ev = {
            db_column_int64(st, 0),
            db_column_int64(st, 1),
            db_column_int64(st, 2),
            db_column_text(st, 3),
            json_string_value(json_object_get(after, "status")),
            json_string_value(json_object_get(data, ACTION_PUBLIC_NOTE)),
        };
        stop = fn(ctx, &ev);
        json_decref(data);
    }
    db_finalize(st);
    return stop || rc == DB_DONE ? 0 : err_db(e, rc, "reading hazard events");
}
