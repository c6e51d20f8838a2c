/* inbox.c — a unit's inbox.  See inbox.h.
 *
 * Each list is one row of `lists` below: a condition over the item aliased
 * "i" and who gets it.  Every query binds the same four parameters: ?1 today
 * and ?2 the warning date (for the light), ?3 1 for city-wide scope, ?4 the
 * caller's unit. */
#include "core/inbox.h"

#include <string.h>

#include "core/action.h"
#include "core/light.h"

#define OPEN_WORK "i.status IN ('assigned','accepted','in_progress')"

/* Who a list is for. */
enum { FOR_HANDLER = 1, FOR_SUPERVISOR = 2, FOR_ALL = 4 };

struct inbox_list {
    const char *name;
    unsigned who;
    int city_wide; /* 1: the whole city for those who see all */
    /* the list of one lead unit (?4), and of the whole city: two literals,
     * so that a unit's list reads the index on (status, lead unit) instead
     * of every unit's rows ("?3 = 1 OR i.lead_unit_id = ?4" can use none) */
    const char *unit_sql, *city_sql;
};

#define INBOX_SELECT                                                                               \
    "SELECT i.id, i.title, i.status, " LIGHT_SQL("?1", "?2") ", i.deadline, "                      \
                                                             "i.feedback_due,"                     \
                                                             " " LIGHT_FEEDBACK_LATE_SQL(          \
                                                                 "?1") ", i.progress, "            \
                                                                       "i.escalation, u.id, "      \
                                                                       "u.code, u.name"            \
                                                                       " FROM items i LEFT JOIN "  \
                                                                       "units u ON u.id = "        \
                                                                       "i.lead_unit_id"
#define INBOX_LIST(NAME, WHO, CITY, COND)                                                          \
    {                                                                                              \
        NAME, WHO, CITY, INBOX_SELECT " WHERE ?3 = 0 AND i.lead_unit_id = ?4 AND " COND,           \
            INBOX_SELECT " WHERE ?3 = 1 AND " COND                                                 \
    }

/* The newest of an item's reject, feedback and submit events is a reject
 * (read from the newest event back: usually one row, not the whole chain). */
#define REJECTED_LAST                                                                              \
    "(SELECT ev.action FROM events ev WHERE ev.item_id = i.id"                                     \
    " AND ev.action IN ('reject','feedback','submit') ORDER BY ev.seq DESC LIMIT 1) = 'reject'"

static const struct inbox_list lists[] = {
    INBOX_LIST("to_accept", FOR_HANDLER, 0, "i.status = 'assigned' ORDER BY i.id"),
    INBOX_LIST("to_report", FOR_HANDLER, 0,
               "i.status IN ('accepted','in_progress')"
               " ORDER BY i.feedback_due IS NULL, i.feedback_due, i.id"),
    INBOX_LIST("due_soon", FOR_ALL, 1,
               OPEN_WORK " AND i.deadline >= ?1 AND i.deadline <= ?2 ORDER BY i.deadline, i.id"),
    INBOX_LIST("overdue", FOR_ALL, 1, OPEN_WORK " AND i.deadline < ?1 ORDER BY i.deadline, i.id"),
    INBOX_LIST("returned", FOR_HANDLER, 0,
               "i.status = 'in_progress' AND " REJECTED_LAST " ORDER BY i.id"),
    INBOX_LIST("returned", FOR_SUPERVISOR, 1, "i.status = 'returned' ORDER BY i.id"),
    INBOX_LIST("to_verify", FOR_SUPERVISOR, 1, "i.status = 'submitted' ORDER BY i.id"),
};

static json_t *text_or_null(struct db_stmt *st, int c)
{
    return db_column_is_null(st, c) ? json_null() : json_string(db_column_text(st, c));
}

/* One inbox entry from a row of INBOX_SELECT. */
static json_t *entry_json(struct db_stmt *st)
{
    const char *level = action_escalation_name((int)db_column_int64(st, 8));
    json_t *lead = json_null();
    if (!db_column_is_null(st, 9))
        lead = json_pack("{s:I,s:s,s:s}", "id", (json_int_t)db_column_int64(st, 9), "code",
                         db_column_text(st, 10), "name", db_column_text(st, 11));
    return json_pack("{s:I,s:s,s:s,s:s,s:o,s:o,s:b,s:i,s:o,s:o}", "id",
                     (json_int_t)db_column_int64(st, 0), "title", db_column_text(st, 1), "status",
                     db_column_text(st, 2), "light", db_column_text(st, 3), "deadline",
                     text_or_null(st, 4), "feedback_due", text_or_null(st, 5), "feedback_late",
                     db_column_int64(st, 6) != 0, "progress", (int)db_column_int64(st, 7),
                     "escalation", level ? json_string(level) : json_null(), "lead_unit", lead);
}

/* Run one list into arr.  DB_OK or a db error. */
static int list_run(struct db *db, const struct inbox_list *l, const char *today, const char *warn,
                    int city_wide, int64_t unit, json_t *arr)
{
    const char *sql = city_wide ? l->city_sql : l->unit_sql;
    struct db_stmt *st = db_prepare(db, sql);
    if (!st) return DB_ERR;
    db_bind_text(st, 1, today, (size_t)-1);
    db_bind_text(st, 2, warn, (size_t)-1);
    db_bind_int64(st, 3, city_wide);
    if (!city_wide) db_bind_int64(st, 4, unit);
    int rc;
    while ((rc = db_step(st)) == DB_ROW && json_array_size(arr) < INBOX_LIST_MAX)
        json_array_append_new(arr, entry_json(st));
    db_finalize(st);
    return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

/* inbox_json inside its read transaction. */
static json_t *inbox_read(struct db *db, const struct actor *a, struct err *e)
{
    char today[11], warn[11];
    light_dates(db, today, warn);
    unsigned who = FOR_ALL;
    if (a->roles & ROLE_HANDLER) who |= FOR_HANDLER;
    if (a->roles & (ROLE_SUPERVISOR | ROLE_ADMIN)) who |= FOR_SUPERVISOR;
    json_t *out = json_object();
    static const char *const names[] = {"to_accept", "to_report", "due_soon",
                                        "overdue",   "returned",  "to_verify"};
    for (size_t k = 0; k < sizeof names / sizeof *names; k++)
        json_object_set_new(out, names[k], json_array());
    for (size_t k = 0; k < sizeof lists / sizeof *lists; k++) {
        const struct inbox_list *l = &lists[k];
        if (!(l->who & who)) continue;
        /* a supervisor who is also a handler: the supervisor's view of "returned" */
        if (l->who == FOR_HANDLER && !strcmp(l->name, "returned") && (who & FOR_SUPERVISOR))
            continue;
        int city_wide = l->city_wide && actor_sees_all(a);
        int rc = list_run(db, l, today, warn, city_wide, a->unit_id, json_object_get(out, l->name));
        if (rc != DB_OK) {
            json_decref(out);
            err_db(e, rc, "reading the inbox");
            return NULL;
        }
    }
    return out;
}

json_t *inbox_json(struct db *db, const struct actor *a, struct err *e)
{
    db_read_begin(db); /* the lists from one snapshot, with one lock */
    json_t *v = inbox_read(db, a, e);
    db_read_end(db);
    return v;
}
