/* feedback.c — the loop's records of one item, as JSON.  See feedback.h.
 * Each list is one query described by a table of columns, so adding a field
 * is one line; nothing here writes. */
#include "core/feedback.h"

#include <string.h>

#include "core/action.h"
#include "core/light.h"
#include "core/perm.h"
#include "util/time.h"

/* How a column becomes JSON. */
enum col_type { COL_INT, COL_TEXT, COL_REAL, COL_BOOL, COL_TIME, COL_LEVEL };

struct col {
    const char *name;
    enum col_type type;
};

static json_t *col_json(struct db_stmt *st, int c, enum col_type t)
{
    if (db_column_is_null(st, c)) return t == COL_BOOL ? json_false() : json_null();
    switch (t) {
    case COL_INT:
        return json_integer(db_column_int64(st, c));
    case COL_REAL:
        return json_real(db_column_double(st, c));
    case COL_BOOL:
        return json_boolean(db_column_int64(st, c) != 0);
    case COL_LEVEL: {
        const char *name = action_escalation_name((int)db_column_int64(st, c));
        return name ? json_string(name) : json_null();
    }
    case COL_TIME: {
        char at[40];
        time_format_iso(db_column_int64(st, c), at, sizeof at);
        return json_string(at);
    }
    case COL_TEXT:
        break;
    }
    return json_string(db_column_text(st, c));
}

/* Run st (prepared by the caller, NULL when that failed; ?1 = item id,
 * selecting the columns cols in order) into an array under name in out,
 * and finalize it.  DB_OK or a db error. */
static int list_json(struct db_stmt *st, int64_t item_id, const struct col *cols, int ncols,
                     const char *name, json_t *out)
{
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, item_id);
    json_t *arr = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        json_t *o = json_object();
        for (int c = 0; c < ncols; c++)
            json_object_set_new(o, cols[c].name, col_json(st, c, cols[c].type));
        json_array_append_new(arr, o);
    }
    db_finalize(st);
    json_object_set_new(out, name, arr);
    return rc == DB_DONE ? DB_OK : rc;
}

static const struct col feedback_cols[] = {
    {"id", COL_INT},         {"at", COL_TIME},    {"unit_id", COL_INT},  {"unit_code", COL_TEXT},
    {"unit_name", COL_TEXT}, {"user", COL_TEXT},  {"is_lead", COL_BOOL}, {"text", COL_TEXT},
    {"progress", COL_INT},   {"value", COL_REAL}, {"due", COL_TEXT},     {"late", COL_BOOL},
    {"user_name", COL_TEXT},
};
static const struct col extension_cols[] = {
    {"id", COL_INT},
    {"requested_at", COL_TIME},
    {"requested_by", COL_TEXT},
    {"old_deadline", COL_TEXT},
    {"new_deadline", COL_TEXT},
    {"reason", COL_TEXT},
    {"status", COL_TEXT},
    {"decided_at", COL_TIME},
    {"decided_by", COL_TEXT},
    {"decision_text", COL_TEXT},
    {"requested_by_name", COL_TEXT},
    {"decided_by_name", COL_TEXT},
};
static const struct col urge_cols[] = {{"id", COL_INT},    {"at", COL_TIME},
                                       {"user", COL_TEXT}, {"text", COL_TEXT},
                                       {"auto", COL_BOOL}, {"user_name", COL_TEXT}};
static const struct col escalation_cols[] = {{"id", COL_INT},    {"at", COL_TIME},
                                             {"user", COL_TEXT}, {"level", COL_LEVEL},
                                             {"text", COL_TEXT}, {"user_name", COL_TEXT}};
static const struct col instruction_cols[] = {{"id", COL_INT},
                                              {"at", COL_TIME},
                                              {"user", COL_TEXT},
                                              {"text", COL_TEXT},
                                              {"user_name", COL_TEXT}};
static const struct col loop_cols[] = {
    {"feedback_cycle", COL_TEXT}, {"feedback_due", COL_TEXT}, {"assigned_on", COL_TEXT},
    {"escalation", COL_LEVEL},    {"status", COL_TEXT},
};

#define N(a) ((int)(sizeof a / sizeof *a))

static int lists_json(struct db *db, int64_t id, json_t *out)
{
    int rc = list_json(
        db_prepare(db,
                   "SELECT f.id, f.at, f.unit_id, un.code, un.name, us.username, f.is_lead, f.text,"
                   " f.progress, f.metric_value, f.due, f.late, us.name FROM feedback f"
                   " JOIN units un ON un.id = f.unit_id LEFT JOIN users us ON us.id = f.user_id"
                   " WHERE f.item_id = ?1 ORDER BY f.id"),
        id, feedback_cols, N(feedback_cols), "feedback", out);
    if (rc == DB_OK)
        rc = list_json(
            db_prepare(
                db, "SELECT x.id, x.requested_at, r.username, x.old_deadline, x.new_deadline,"
                    " x.reason, x.status, x.decided_at, d.username, x.decision_text, r.name, d.name"
                    " FROM extensions x LEFT JOIN users r ON r.id = x.requested_by"
                    " LEFT JOIN users d ON d.id = x.decided_by WHERE x.item_id = ?1"
                    " ORDER BY x.id"),
            id, extension_cols, N(extension_cols), "extensions", out);
    if (rc == DB_OK)
        rc = list_json(
            db_prepare(db,
                       "SELECT g.id, g.at, u.username, g.text, g.auto, u.name FROM urges g"
                       " LEFT JOIN users u ON u.id = g.user_id WHERE g.item_id = ?1 ORDER BY g.id"),
            id, urge_cols, N(urge_cols), "urges", out);
    if (rc == DB_OK)
        rc = list_json(
            db_prepare(db,
                       "SELECT s.id, s.at, u.username, s.level, s.text, u.name FROM escalations s"
                       " LEFT JOIN users u ON u.id = s.user_id WHERE s.item_id = ?1 ORDER BY s.id"),
            id, escalation_cols, N(escalation_cols), "escalations", out);
    if (rc == DB_OK)
        rc = list_json(
            db_prepare(db,
                       "SELECT n.id, n.at, u.username, n.text, u.name FROM instructions n"
                       " LEFT JOIN users u ON u.id = n.user_id WHERE n.item_id = ?1 ORDER BY n.id"),
            id, instruction_cols, N(instruction_cols), "instructions", out);
    return rc;
}

/* An assigned item's 签收 limit on its loop object: accept_due and
 * accept_late (light_accept_due).  A db code. */
static int loop_accept(struct db *db, json_t *loop)
{
    struct light_accept acc;
    int rc = light_accept_load(db, &acc);
    char due[11];
    int late =
        rc == DB_OK
            ? light_accept_due(&acc, json_string_value(json_object_get(loop, "assigned_on")), due)
            : -1;
    if (late >= 0) {
        json_object_set_new(loop, "accept_due", json_string(due));
        json_object_set_new(loop, "accept_late", json_boolean(late));
    }
    light_accept_free(&acc);
    return rc;
}

/* The "loop" object: the item's loop columns, lateness and the waiting request. */
static int loop_json(struct db *db, int64_t id, json_t *out)
{
    json_t *tmp = json_object();
    int rc = list_json(
        db_prepare(db, "SELECT feedback_cycle, feedback_due, assigned_on, escalation, status"
                       " FROM items WHERE id = ?1"),
        id, loop_cols, N(loop_cols), "row", tmp);
    json_t *loop = rc == DB_OK ? json_array_get(json_object_get(tmp, "row"), 0) : NULL;
    if (loop) {
        json_incref(loop);
        const char *due = json_string_value(json_object_get(loop, "feedback_due"));
        const char *status = json_string_value(json_object_get(loop, "status"));
        char today[11];
        date_format(time_today(), today);
        int open = !strcmp(status, "assigned") || !strcmp(status, "accepted") ||
                   !strcmp(status, "in_progress");
        json_object_set_new(loop, "feedback_late",
                            json_boolean(open && due && strcmp(due, today) < 0));
        int arc = !strcmp(status, "assigned") ? loop_accept(db, loop) : DB_OK;
        json_object_del(loop, "status");
        rc = list_json(
            db_prepare(
                db, "SELECT x.id, x.requested_at, r.username, x.old_deadline, x.new_deadline,"
                    " x.reason, x.status, x.decided_at, d.username, x.decision_text, r.name, d.name"
                    " FROM extensions x LEFT JOIN users r ON r.id = x.requested_by"
                    " LEFT JOIN users d ON d.id = x.decided_by WHERE x.item_id = ?1"
                    " AND x.status = 'pending'"),
            id, extension_cols, N(extension_cols), "pending", tmp);
        if (rc == DB_OK) rc = arc;
        json_t *p = json_array_get(json_object_get(tmp, "pending"), 0);
        json_object_set(loop, "pending_extension", p ? p : json_null());
        json_object_set_new(out, "loop", loop);
    }
    json_decref(tmp);
    return rc;
}

json_t *feedback_item_json(struct db *db, const struct actor *a, int64_t item_id, struct err *e)
{
    int64_t exists = 0;
    int rc = db_query_int64(db, "SELECT count(*) FROM items WHERE id = ?1", 1, item_id, &exists);
    if (rc != DB_OK) {
        err_db(e, rc, "reading the item");
        return NULL;
    }
    if (!exists) {
        err_set(e, 404, "not_found", "no item with id %lld", (long long)item_id);
        err_detail(e, "item");
        return NULL;
    }
    rc = perm_item_visible(db, a, item_id);
    if (rc <= 0) {
        if (rc < 0)
            err_db(e, rc, "reading the item");
        else
            err_set(e, 403, "forbidden", "item %lld belongs to another unit", (long long)item_id);
        return NULL;
    }
    json_t *out = json_object();
    rc = loop_json(db, item_id, out);
    if (rc == DB_OK) rc = lists_json(db, item_id, out);
    if (rc != DB_OK) {
        json_decref(out);
        err_db(e, rc, "reading the item's records");
        return NULL;
    }
    return out;
}
