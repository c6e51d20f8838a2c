/* instruction_file.c — the 批示件 register.  See instruction_file.h.  The
 * items are item.c's (created through item_create, so their loop, events
 * and visibility are every item's); this file keeps the register and
 * derives a file's state from its items. */
#include "core/instruction_file.h"

#include <stdio.h>
#include <string.h>

#include "core/item.h"
#include "core/text.h"
#include "util/time.h"

#define IFILE_OPEN_ITEM                                                                            \
    "EXISTS (SELECT 1 FROM items o WHERE o.instruction_file_id = f.id"                             \
    " AND o.status NOT IN ('done','archived','cancelled'))"
#define IFILE_COLS                                                                                 \
    "SELECT f.id, f.number, f.text, f.issued_on, f.due, f.leader_id, u.name, f.closed_at,"         \
    " CASE WHEN f.closed_at IS NOT NULL THEN 'closed' WHEN " IFILE_OPEN_ITEM " OR NOT EXISTS"      \
    " (SELECT 1 FROM items x WHERE x.instruction_file_id = f.id) THEN 'open' ELSE 'answered'"      \
    " END FROM instruction_files f JOIN users u ON u.id = f.leader_id"

/* A date field (required or not) as "YYYY-MM-DD". */
static int date_field(json_t *body, const char *name, int required, const char **out, struct err *e)
{
    int32_t day;
    *out = NULL;
    if (text_field(body, name, 10, required, out, e)) return -1;
    if (*out && date_parse(*out, strlen(*out), &day))
        return err_set(e, 422, "invalid_field", "'%s' must be a real date as YYYY-MM-DD", name);
    return 0;
}

/* 1 when user id holds the leader role, 0 when not, or a db code. */
static int is_leader(struct db *db, int64_t id)
{
    int64_t n = 0;
    int rc = db_query_int64(db, "SELECT count(*) FROM users WHERE id = ?1 AND (roles & 4) <> 0", 1,
                            id, &n);
    return rc == DB_OK ? n > 0 : rc;
}

static int ifile_leader(struct db *db, const struct actor *a, json_t *body, int64_t *leader,
                        struct err *e)
{
    json_t *v = json_object_get(body, "leader_id");
    *leader = (a->roles & ROLE_LEADER) ? a->user_id : 0;
    if (v && !json_is_null(v)) {
        if (!json_is_integer(v) || json_integer_value(v) <= 0)
            return err_set(e, 422, "invalid_field", "'leader_id' must be a user id");
        *leader = json_integer_value(v);
    }
    if (!*leader) return err_set(e, 422, "missing_field", "field 'leader_id' is required");
    int rc = is_leader(db, *leader);
    if (rc < 0) return err_db(e, rc, "checking the leader");
    if (!rc)
        return err_set(e, 422, "invalid_field", "user %lld is not a leader", (long long)*leader),
               err_detail(e, "leader");
    return 0;
}

int ifile_create(struct db *db, const struct actor *a, json_t *body, int64_t *id, struct err *e)
{
    const char *number, *text, *issued, *due;
    int64_t leader;
    if (!json_is_object(body)) return err_set(e, 400, "invalid_json", "the body must be an object");
    if (text_field(body, "number", 50, 1, &number, e) ||
        text_field(body, "text", 5000, 1, &text, e) ||
        date_field(body, "issued_on", 1, &issued, e) || date_field(body, "due", 0, &due, e) ||
        ifile_leader(db, a, body, &leader, e))
        return -1;
    struct db_stmt *st = db_prepare(
        db, "INSERT INTO instruction_files (number, text, issued_on, due, leader_id, created_by,"
            " created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id");
    if (!st) return err_db(e, DB_ERR, "registering an instruction");
    db_bind_text(st, 1, number, (size_t)-1);
    db_bind_text(st, 2, text, (size_t)-1);
    db_bind_text(st, 3, issued, (size_t)-1);
    db_bind_text(st, 4, due, (size_t)-1);
    db_bind_int64(st, 5, leader);
    if (a->user_id)
        db_bind_int64(st, 6, a->user_id);
    else
        db_bind_null(st, 6);
    db_bind_int64(st, 7, time_now_ms());
    int rc = db_step(st);
    if (rc == DB_ROW) *id = db_column_int64(st, 0), rc = DB_OK;
    db_finalize(st);
    return rc == DB_OK ? 0 : err_db(e, rc, "registering an instruction");
}

static json_t *text_or_null(struct db_stmt *st, int c)
{
    return db_column_is_null(st, c) ? json_null() : json_string(db_column_text(st, c));
}

/* The items of file id, by id, into arr.  A db code. */
static int ifile_items(struct db *db, int64_t id, json_t *arr)
{
    struct db_stmt *st = db_prepare(db, "SELECT id, title, status FROM items"
                                        " WHERE instruction_file_id = ?1 ORDER BY id");
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, id);
    int rc;
    while ((rc = db_step(st)) == DB_ROW)
        json_array_append_new(
            arr, json_pack("{s:I,s:s,s:s}", "id", (json_int_t)db_column_int64(st, 0), "title",
                           db_column_text(st, 1), "status", db_column_text(st, 2)));
    db_finalize(st);
    return rc == DB_DONE ? DB_OK : rc;
}

/* The row under st (IFILE_COLS) with its items.  NULL on a db error. */
static json_t *ifile_row(struct db *db, struct db_stmt *st)
{
    int64_t id = db_column_int64(st, 0);
    json_t *items = json_array();
    if (ifile_items(db, id, items) != DB_OK) {
        json_decref(items);
        return NULL;
    }
    json_t *closed = json_null();
    if (!db_column_is_null(st, 7)) {
        char at[40];
        time_format_iso(db_column_int64(st, 7), at, sizeof at);
        closed = json_string(at);
    }
    return json_pack("{s:I,s:s,s:s,s:s,s:o,s:{s:I,s:s},s:s,s:o,s:o}", "id", (json_int_t)id,
                     "number", db_column_text(st, 1), "text", db_column_text(st, 2), "issued_on",
                     db_column_text(st, 3), "due", text_or_null(st, 4), "leader", "id",
                     (json_int_t)db_column_int64(st, 5), "name", db_column_text(st, 6), "state",
                     db_column_text(st, 8), "closed_at", closed, "items", items);
}

json_t *ifile_get_json(struct db *db, const struct actor *a, int64_t id, struct err *e)
{
    (void)a; /* the route admits the office and the leaders, who see every file */
    struct db_stmt *st = db_prepare(db, IFILE_COLS " WHERE f.id = ?1");
    if (!st) return err_db(e, DB_ERR, "reading an instruction"), NULL;
    db_bind_int64(st, 1, id);
    int rc = db_step(st);
    json_t *v = NULL;
    if (rc == DB_ROW && !(v = ifile_row(db, st))) rc = DB_ERR;
    db_finalize(st);
    if (rc == DB_DONE)
        err_set(e, 404, "not_found", "no instruction with id %lld", (long long)id);
    else if (!v)
        err_db(e, rc, "reading an instruction");
    return v;
}

json_t *ifile_list_json(struct db *db, const struct actor *a, const char *month, struct err *e)
{
    (void)a;
    struct db_stmt *st =
        db_prepare(db, IFILE_COLS " WHERE (?1 IS NULL OR substr(f.issued_on, 1, 7) = ?1)"
                                  " ORDER BY f.issued_on, f.id");
    if (!st) return err_db(e, DB_ERR, "listing instructions"), NULL;
    db_bind_text(st, 1, month, (size_t)-1);
    json_t *arr = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        json_t *v = ifile_row(db, st);
        if (!v) {
            rc = DB_ERR;
            break;
        }
        json_array_append_new(arr, v);
    }
    db_finalize(st);
    if (rc != DB_DONE) {
        json_decref(arr);
        return err_db(e, rc, "listing instructions"), NULL;
    }
    return json_pack("{s:o}", "instruction_files", arr);
}

/* The file's leader and state into *leader and state[16]: DB_OK, DB_DONE
 * when there is no such file, or a db code. */
static int ifile_state(struct db *db, int64_t id, int64_t *leader, char state[16])
{
    struct db_stmt *st = db_prepare(db, IFILE_COLS " WHERE f.id = ?1");
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, id);
    int rc = db_step(st);
    if (rc == DB_ROW) {
        *leader = db_column_int64(st, 5);
        snprintf(state, 16, "%s", db_column_text(st, 8));
        rc = DB_OK;
    }
    db_finalize(st);
    return rc;
}

int ifile_spawn(struct db *db, const struct actor *a, int64_t id, json_t *body, int64_t *item_id,
                struct err *e)
{
    int64_t leader;
    char state[16];
    int rc = ifile_state(db, id, &leader, state);
    if (rc == DB_DONE)
        return err_set(e, 404, "not_found", "no instruction with id %lld", (long long)id);
    if (rc != DB_OK) return err_db(e, rc, "reading an instruction");
    if (!(a->roles & (ROLE_ADMIN | ROLE_SUPERVISOR)) && a->user_id != leader)
        return err_set(e, 403, "forbidden", "instruction %lld is another leader's", (long long)id),
               err_detail(e, "instruction");
    if (!strcmp(state, "closed"))
        return err_set(e, 409, "invalid_status", "instruction %lld is closed", (long long)id),
               err_detail(e, "instruction");
    if (!json_is_object(body)) return err_set(e, 400, "invalid_json", "the body must be an object");
    static const char *const allowed[] = {"title", "description", "lead_unit_id", "co_unit_ids",
                                          "deadline"};
    json_t *b = json_pack("{s:s,s:s,s:I}", "kind", "task", "source", "instruction", "leader_id",
                          (json_int_t)leader);
    const char *key;
    json_t *v;
    json_object_foreach(body, key, v)
    {
        size_t k = 0, n = sizeof allowed / sizeof *allowed;
        while (k < n && strcmp(key, allowed[k]))
            k++;
        if (k == n) {
            json_decref(b);
            return err_set(e, 422, "unknown_field", "unknown field '%s'", key);
        }
        json_object_set(b, key, v);
    }
    struct item_input in;
    int ret = item_input_parse(b, &in, e);
    if (!ret) {
        in.instruction_file_id = id;
        ret = item_create(db, a, &in, item_id, e);
    }
    json_decref(b);
    return ret;
}

int ifile_close(struct db *db, const struct actor *a, int64_t id, struct err *e)
{
    int64_t leader;
    char state[16];
    int rc = ifile_state(db, id, &leader, state);
    if (rc == DB_DONE)
        return err_set(e, 404, "not_found", "no instruction with id %lld", (long long)id);
    if (rc != DB_OK) return err_db(e, rc, "reading an instruction");
    if (!(a->roles & (ROLE_ADMIN | ROLE_SUPERVISOR)) && a->user_id != leader)
        return err_set(e, 403, "forbidden", "instruction %lld is another leader's", (long long)id),
               err_detail(e, "instruction");
    if (strcmp(state, "answered"))
        return err_set(e, 409, "invalid_status",
                       "instruction %lld is %s: it closes once its items are all closed",
                       (long long)id, state),
               err_detail(e, "instruction");
    struct db_stmt *st =
        db_prepare(db, "UPDATE instruction_files SET closed_at = ?2, closed_by = ?3 WHERE id = ?1");
    if (!st) return err_db(e, DB_ERR, "closing an instruction");
    db_bind_int64(st, 1, id);
    db_bind_int64(st, 2, time_now_ms());
    if (a->user_id)
        db_bind_int64(st, 3, a->user_id);
    else
        db_bind_null(st, 3);
    rc = db_step(st);
    db_finalize(st);
    return rc == DB_DONE ? 0 : err_db(e, rc, "closing an instruction");
}

int ifile_of_item(struct db *db, int64_t item_id, int64_t *file)
{
    *file = 0;
    int rc = db_query_int64(db, "SELECT coalesce(instruction_file_id, 0) FROM items WHERE id = ?1",
                            1, item_id, file);
    if (rc == DB_DONE) *file = 0;
    return rc == DB_DONE ? DB_OK : rc;
}
