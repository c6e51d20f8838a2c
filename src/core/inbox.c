/* inbox.c — the 待办.  See inbox.h.
 *
 * Each list is one row of `lists` below: who gets it, its statement (a
 * literal per call: the unit's and the city's variants are two literals,
 * so that a unit's list reads the index on (status, lead unit) instead of
 * every unit's rows), what its ?3 is, and how it is counted.  Every
 * statement binds ?1 today and ?2 the warning date (for the light).  The
 * narrow lists — rejected, urged, instructed — find their items from the
 * item's newest events back (usually one row, not the whole chain), over
 * the unit's open work only; their counts walk the same index range.  The
 * office's drafts are listed per kind, each in its kind's draft list, and
 * each kind may add lists of its own (kind.h). */
#include "core/inbox.h"

#include <string.h>

#include "core/action.h"
#include "core/assessment.h"
#include "core/item_count.h"
#include "core/kind.h"
#include "util/time.h"

#define OPEN_WORK "i.status IN ('assigned','accepted','in_progress')"
/* not closed: what a leader's escalation still concerns */
#define NOT_CLOSED                                                                                 \
    "i.status IN ('assigned','accepted','in_progress','submitted','returned','suspended')"

/* Who a list is for. */
enum { FOR_HANDLER = 1, FOR_OFFICE = 2, FOR_LEADER = 4, FOR_ALL = 8 };
/* What a statement's ?3 is. */
enum { BIND_NONE, BIND_UNIT, BIND_USER, BIND_LEADER };

struct inbox_list {
    const char *name;
    unsigned who;
    int bind; /* BIND_UNIT: the actor's unit, unless the city-wide variant runs */
    /* the statement; city 1 for the city-wide variant (those who see all) */
    struct db_stmt *(*prepare)(struct db *db, int city);
    /* its count for the navigation (NULL: not counted); city as above */
    int (*count)(struct db *db, const struct actor *a, int city, int64_t *n);
};

/* ---- the statements ---- */

static struct db_stmt *p_to_accept(struct db *db, int city)
{
    (void)city;
    return db_prepare(db, INBOX_SELECT_WHY("'assign'") " WHERE i.status = 'assigned'"
                                                       " AND i.lead_unit_id = ?3 ORDER BY i.id");
}

static struct db_stmt *p_to_report(struct db *db, int city)
{
    (void)city;
    return db_prepare(db, INBOX_SELECT " WHERE i.status IN ('accepted','in_progress')"
                                       " AND i.lead_unit_id = ?3"
                                       " ORDER BY i.feedback_due IS NULL, i.feedback_due, i.id");
}

static struct db_stmt *p_due_soon(struct db *db, int city)
{
    return city ? db_prepare(db, INBOX_SELECT " WHERE " OPEN_WORK " AND i.deadline >= ?1"
                                              " AND i.deadline <= ?2 ORDER BY i.deadline, i.id")
                : db_prepare(db, INBOX_SELECT " WHERE i.lead_unit_id = ?3 AND " OPEN_WORK
                                              " AND i.deadline >= ?1 AND i.deadline <= ?2"
                                              " ORDER BY i.deadline, i.id");
}

static struct db_stmt *p_overdue(struct db *db, int city)
{
    return city ? db_prepare(db, INBOX_SELECT " WHERE " OPEN_WORK
                                              " AND i.deadline < ?1 ORDER BY i.deadline, i.id")
                : db_prepare(db, INBOX_SELECT " WHERE i.lead_unit_id = ?3 AND " OPEN_WORK
                                              " AND i.deadline < ?1 ORDER BY i.deadline, i.id");
}

/* the office sent it back (reject) and the unit has not reported since */
static struct db_stmt *p_rejected(struct db *db, int city)
{
    (void)city;
    return db_prepare(
        db,
        INBOX_SELECT_WHY("'reject','feedback','submit'") " WHERE i.status = 'in_progress' AND "
                                                         "i.lead_unit_id = ?3"
                                                         " AND w.action = 'reject' ORDER BY i.id");
}

static struct db_stmt *p_returned(struct db *db, int city)
{
    (void)city;
    return db_prepare(db,
                      INBOX_SELECT_WHY("'return'") " WHERE i.status = 'returned' ORDER BY i.id");
}

static struct db_stmt *p_to_verify(struct db *db, int city)
{
    (void)city;
    return db_prepare(db,
                      INBOX_SELECT_WHY("'submit'") " WHERE i.status = 'submitted' ORDER BY i.id");
}

/* the sub-items the unit (?3) split off and its units have submitted (转办) */
static struct db_stmt *p_sub_to_verify(struct db *db, int city)
{
    (void)city;
    return db_prepare(db, INBOX_SELECT_WHY("'submit'") " WHERE i.delegated_by = ?3"
                                                       " AND i.status = 'submitted' ORDER BY i.id");
}

#define PENDING_EXTENSION " i.id IN (SELECT x.item_id FROM extensions x WHERE x.status = 'pending')"

static struct db_stmt *p_extensions(struct db *db, int city)
{
    (void)city;
    return db_prepare(db, INBOX_SELECT_WHY("'request_extension'") " WHERE " NOT_CLOSED
                                                                  " AND" PENDING_EXTENSION
                                                                  " ORDER BY i.id");
}

static struct db_stmt *p_urged(struct db *db, int city)
{
    (void)city;
    return db_prepare(
        db,
        INBOX_SELECT_WHY(
            "'urge','escalate','feedback','submit'") " WHERE " OPEN_WORK " AND i.lead_unit_id = ?3"
                                                     " AND w.action IN ('urge','escalate') ORDER "
                                                     "BY i.id");
}

static struct db_stmt *p_instructed(struct db *db, int city)
{
    (void)city;
    return db_prepare(
        db, INBOX_SELECT_WHY(
                "'instruct','feedback','submit'") " WHERE " OPEN_WORK " AND i.lead_unit_id = ?3"
                                                  " AND w.action = 'instruct' ORDER BY i.id");
}

static struct db_stmt *p_escalated(struct db *db, int city)
{
    (void)city;
    return db_prepare(db, INBOX_SELECT_WHY("'escalate'") " WHERE i.escalation >= 2 AND " NOT_CLOSED
                                                         " ORDER BY i.escalation DESC, i.id");
}

/* the leader's (?3) newest instruction on each item they instructed */
static struct db_stmt *p_my_instructions(struct db *db, int city)
{
    (void)city;
    return db_prepare(db, INBOX_COLS
                      ", w.action, w.at, w.actor, w.data, w.seq, " INBOX_ACTOR_NAME " FROM items i"
                      " LEFT JOIN units u ON u.id = i.lead_unit_id JOIN events w ON w.id ="
                      " (SELECT ev.id FROM events ev WHERE ev.item_id = i.id"
                      " AND ev.action = 'instruct' AND ev.actor_id = ?3"
                      " ORDER BY ev.seq DESC LIMIT 1)"
                      " WHERE i.id IN (SELECT n.item_id FROM instructions n WHERE n.user_id = ?3)"
                      " ORDER BY w.at DESC, i.id DESC");
}

/* the closed items of the leader's (?3) 批示件 whose items are all closed
 * and that the leader has not closed yet: the result back to the leader */
static struct db_stmt *p_instruction_results(struct db *db, int city)
{
    (void)city;
    return db_prepare(
        db,
        INBOX_SELECT_WHY("'verify','cancel'") " WHERE i.instruction_file_id IN (SELECT f.id"
                                              " FROM instruction_files f WHERE f.leader_id = ?3"
                                              " AND f.closed_at IS NULL AND NOT EXISTS (SELECT 1"
                                              " FROM items o WHERE o.instruction_file_id = f.id"
                                              " AND o.status NOT IN ('done','archived',"
                                              "'cancelled'))) ORDER BY i.id");
}

/* ---- the counts ---- */

static int c_to_accept(struct db *db, const struct actor *a, int city, int64_t *n)
{
    (void)city;
    return item_count_tally(db, NULL, "assigned", a->unit_id, n);
}

static int c_returned(struct db *db, const struct actor *a, int city, int64_t *n)
{
    (void)a, (void)city;
    return item_count_tally(db, NULL, "returned", 0, n);
}

static int c_to_verify(struct db *db, const struct actor *a, int city, int64_t *n)
{
    (void)a, (void)city;
    return item_count_tally(db, NULL, "submitted", 0, n);
}

/* A count with one int64 parameter (0: none). */
static int count_sql(struct db_stmt *st, int64_t p, int64_t *n)
{
    if (!st) return DB_ERR;
    if (p) db_bind_int64(st, 1, p);
    int rc = db_step(st);
    if (rc == DB_ROW) *n = db_column_int64(st, 0), rc = DB_OK;
    db_finalize(st);
    return rc;
}

/* The newest of the item's events among ACTIONS is one of WANT. */
#define NEWEST_IS(ACTIONS, WANT)                                                                   \
    "(SELECT ev.action FROM events ev WHERE ev.item_id = i.id AND ev.action IN (" ACTIONS ")"      \
    " ORDER BY ev.seq DESC LIMIT 1) IN (" WANT ")"

static int c_rejected(struct db *db, const struct actor *a, int city, int64_t *n)
{
    (void)city;
    return count_sql(db_prepare(db, "SELECT count(*) FROM items i WHERE i.status = 'in_progress'"
                                    " AND i.lead_unit_id = ?1 AND " NEWEST_IS(
                                        "'reject','feedback','submit'", "'reject'")),
                     a->unit_id, n);
}

static int c_sub_to_verify(struct db *db, const struct actor *a, int city, int64_t *n)
{
    (void)city;
    return count_sql(db_prepare(db, "SELECT count(*) FROM items i WHERE i.delegated_by = ?1"
                                    " AND i.status = 'submitted'"),
                     a->unit_id, n);
}

static int c_extensions(struct db *db, const struct actor *a, int city, int64_t *n)
{
    (void)a, (void)city;
    return count_sql(db_prepare(db, "SELECT count(*) FROM extensions x JOIN items i"
                                    " ON i.id = x.item_id WHERE x.status = 'pending'"
                                    " AND " NOT_CLOSED),
                     0, n);
}

static int c_urged(struct db *db, const struct actor *a, int city, int64_t *n)
{
    (void)city;
    return count_sql(db_prepare(db,
                                "SELECT count(*) FROM items i WHERE " OPEN_WORK
                                " AND i.lead_unit_id = ?1 AND " NEWEST_IS(
                                    "'urge','escalate','feedback','submit'", "'urge','escalate'")),
                     a->unit_id, n);
}

static int c_instructed(struct db *db, const struct actor *a, int city, int64_t *n)
{
    (void)city;
    return count_sql(db_prepare(db, "SELECT count(*) FROM items i WHERE " OPEN_WORK
                                    " AND i.lead_unit_id = ?1 AND " NEWEST_IS(
                                        "'instruct','feedback','submit'", "'instruct'")),
                     a->unit_id, n);
}

static int c_escalated(struct db *db, const struct actor *a, int city, int64_t *n)
{
    (void)a, (void)city;
    return count_sql(db_prepare(db, "SELECT count(*) FROM items i WHERE i.escalation >= 2"
                                    " AND " NOT_CLOSED),
                     0, n);
}

/* The generic lists, in the order of the answer's keys (the first six are
 * the oldest).  A name may have a row per audience (returned). */
static const struct inbox_list lists[] = {
    {"to_accept", FOR_HANDLER, BIND_UNIT, p_to_accept, c_to_accept},
    {"to_report", FOR_HANDLER, BIND_UNIT, p_to_report, NULL},
    {"due_soon", FOR_ALL, BIND_UNIT, p_due_soon, NULL},
    {"overdue", FOR_ALL, BIND_UNIT, p_overdue, NULL},
    {"returned", FOR_HANDLER, BIND_UNIT, p_rejected, c_rejected},
    {"returned", FOR_OFFICE, BIND_NONE, p_returned, c_returned},
    {"to_verify", FOR_HANDLER, BIND_UNIT, p_sub_to_verify, c_sub_to_verify},
    {"to_verify", FOR_OFFICE, BIND_NONE, p_to_verify, c_to_verify},
    {"to_assign", FOR_OFFICE, BIND_NONE, NULL, NULL}, /* per kind: drafts_run */
    {"extensions", FOR_OFFICE, BIND_NONE, p_extensions, c_extensions},
    {"urged", FOR_HANDLER, BIND_UNIT, p_urged, c_urged},
    {"instructed", FOR_HANDLER, BIND_UNIT, p_instructed, c_instructed},
    {"escalated", FOR_LEADER, BIND_NONE, p_escalated, c_escalated},
    {"my_instructions", FOR_LEADER, BIND_USER, p_my_instructions, NULL},
    {"instruction_results", FOR_LEADER, BIND_LEADER, p_instruction_results, NULL},
};
#define NLISTS (sizeof lists / sizeof lists[0])

/* The audiences actor a belongs to. */
static unsigned inbox_who(const struct actor *a)
{
    unsigned who = FOR_ALL;
    if (a->roles & ROLE_HANDLER) who |= FOR_HANDLER;
    if (a->roles & (ROLE_SUPERVISOR | ROLE_ADMIN)) who |= FOR_OFFICE;
    if (a->roles & ROLE_LEADER) who |= FOR_LEADER;
    return who;
}

/* 1 when list l runs for audiences who: a supervisor who is also a handler
 * gets the office's view of "returned" and "to_verify". */
static int list_applies(const struct inbox_list *l, unsigned who)
{
    if (!(l->who & who)) return 0;
    return !(l->who == FOR_HANDLER &&
             (!strcmp(l->name, "returned") || !strcmp(l->name, "to_verify")) && (who & FOR_OFFICE));
}

/* ---- entries ---- */

static json_t *text_or_null(struct db_stmt *st, int c)
{
    return db_column_is_null(st, c) ? json_null() : json_string(db_column_text(st, c));
}

/* An event as an entry shows it, from action, at, actor (the user name),
 * name (the actor's display name, NULL for none) and data (text). */
static json_t *why_json(const char *action, int64_t at, const char *actor, const char *name,
                        const char *data)
{
    char when[40];
    time_format_iso(at, when, sizeof when);
    json_t *d = data ? json_loads(data, 0, NULL) : NULL;
    json_t *text = json_object_get(d, "reason");
    if (!json_is_string(text)) text = json_object_get(d, "text");
    json_t *w = json_pack("{s:s,s:s,s:s,s:o,s:O}", "action", action, "at", when, "actor", actor,
                          "actor_name", name ? json_string(name) : json_null(), "text",
                          json_is_string(text) ? text : json_null());
    json_t *deadline = json_object_get(d, "deadline");
    if (json_is_string(deadline)) json_object_set(w, "deadline", deadline);
    json_decref(d);
    return w;
}

/* One entry from a row of INBOX_COLS and the why columns. */
static json_t *entry_json(struct db_stmt *st)
{
    const char *level = action_escalation_name((int)db_column_int64(st, 8));
    json_t *lead = json_null(), *why = json_null();
    if (!db_column_is_null(st, 9))
        lead = json_pack("{s:I,s:s,s:s}", "id", (json_int_t)db_column_int64(st, 9), "code",
                         db_column_text(st, 10), "name", db_column_text(st, 11));
    if (!db_column_is_null(st, 13))
        why = why_json(db_column_text(st, 13), db_column_int64(st, 14), db_column_text(st, 15),
                       db_column_is_null(st, 18) ? NULL : db_column_text(st, 18),
                       db_column_text(st, 16));
    return json_pack("{s:I,s:s,s:s,s:s,s:s,s:o,s:o,s:b,s:i,s:o,s:o,s:o}", "id",
                     (json_int_t)db_column_int64(st, 0), "title", db_column_text(st, 1), "kind",
                     db_column_text(st, 12), "status", db_column_text(st, 2), "light",
                     db_column_text(st, 3), "deadline", text_or_null(st, 4), "feedback_due",
                     text_or_null(st, 5), "feedback_late", db_column_int64(st, 6) != 0, "progress",
                     (int)db_column_int64(st, 7), "escalation",
                     level ? json_string(level) : json_null(), "lead_unit", lead, "why", why);
}

/* The newest outcome of item id after event seq, in why's shape, or null. */
static json_t *outcome_json(struct db *db, int64_t id, int64_t seq, int *rc)
{
    struct db_stmt *st =
        db_prepare(db, "SELECT action, at, actor, data, (SELECT an.name FROM users an"
                       " WHERE an.id = events.actor_id) FROM events WHERE item_id = ?1"
                       " AND seq > ?2 AND action IN ('feedback','submit','verify','reject',"
                       "'return','cancel') ORDER BY seq DESC LIMIT 1");
    if (!st) {
        *rc = DB_ERR;
        return json_null();
    }
    db_bind_int64(st, 1, id);
    db_bind_int64(st, 2, seq);
    int step = db_step(st);
    json_t *v = json_null();
    if (step == DB_ROW)
        v = why_json(db_column_text(st, 0), db_column_int64(st, 1), db_column_text(st, 2),
                     db_column_is_null(st, 4) ? NULL : db_column_text(st, 4),
                     db_column_text(st, 3));
    else if (step != DB_DONE)
        *rc = step;
    db_finalize(st);
    return v;
}

/* Step st (bound) into arr, up to INBOX_LIST_MAX entries; with outcome, each
 * entry gets its "outcome".  DB_OK or a db error; st is finalized. */
static int rows_into(struct db *db, struct db_stmt *st, json_t *arr, int outcome)
{
    int rc, orc = DB_OK;
    while ((rc = db_step(st)) == DB_ROW && json_array_size(arr) < INBOX_LIST_MAX) {
        json_t *v = entry_json(st);
        if (outcome)
            json_object_set_new(
                v, "outcome",
                outcome_json(db, db_column_int64(st, 0), db_column_int64(st, 17), &orc));
        json_array_append_new(arr, v);
    }
    db_finalize(st);
    if (orc != DB_OK) return orc;
    return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

static void bind_dates(struct db_stmt *st, const char *today, const char *warn)
{
    db_bind_text(st, 1, today, (size_t)-1);
    db_bind_text(st, 2, warn, (size_t)-1);
}

/* Run one generic list into arr.  DB_OK or a db error. */
static int list_run(struct db *db, const struct inbox_list *l, const struct actor *a,
                    const char *today, const char *warn, json_t *arr)
{
    int city = actor_sees_all(a);
    struct db_stmt *st = l->prepare(db, city);
    if (!st) return DB_ERR;
    bind_dates(st, today, warn);
    if (l->bind == BIND_UNIT && !(city && l->who == FOR_ALL)) db_bind_int64(st, 3, a->unit_id);
    if (l->bind == BIND_USER || l->bind == BIND_LEADER) db_bind_int64(st, 3, a->user_id);
    return rows_into(db, st, arr, l->bind == BIND_USER);
}

/* The office's drafts, each kind's into its draft list. */
static int drafts_run(struct db *db, const char *today, const char *warn, json_t *out)
{
    for (size_t k = 0; k < kind_count(); k++) {
        const struct kind *kd = kind_at(k);
        json_t *arr = json_object_get(out, kd->draft_list ? kd->draft_list : "to_assign");
        struct db_stmt *st = db_prepare(db, INBOX_SELECT " WHERE i.status = 'draft'"
                                                         " AND i.kind = ?3 ORDER BY i.id");
        if (!st) return DB_ERR;
        bind_dates(st, today, warn);
        db_bind_text(st, 3, kd->name, (size_t)-1);
        int rc = rows_into(db, st, arr, 0);
        if (rc != DB_OK) return rc;
    }
    return DB_OK;
}

/* Every kind's own lists that are for a's roles. */
static int kind_lists_run(struct db *db, const struct actor *a, const char *today, const char *warn,
                          json_t *out)
{
    for (size_t k = 0; k < kind_count(); k++) {
        const struct kind_inbox *l = kind_at(k)->inbox;
        for (; l && l->name; l++) {
            if (!(l->roles & a->roles)) continue;
            struct db_stmt *st = l->prepare(db);
            if (!st) return DB_ERR;
            bind_dates(st, today, warn);
            db_bind_int64(st, 3, a->unit_id);
            int rc = rows_into(db, st, json_object_get(out, l->name), 0);
            if (rc != DB_OK) return rc;
        }
    }
    return DB_OK;
}

/* Every key of the answer, each with an empty list, in order. */
static json_t *inbox_skeleton(void)
{
    json_t *out = json_object();
    for (size_t k = 0; k < NLISTS; k++)
        json_object_set_new(out, lists[k].name, json_array());
    for (size_t k = 0; k < kind_count(); k++) {
        const struct kind *kd = kind_at(k);
        if (kd->draft_list) json_object_set_new(out, kd->draft_list, json_array());
        for (const struct kind_inbox *l = kd->inbox; l && l->name; l++)
            json_object_set_new(out, l->name, json_array());
    }
    json_object_set_new(out, "objections", json_array());
    return out;
}

/* Each entry of to_accept with its 签收 limit: accept_due and accept_late
 * (light_accept_due).  DB_OK or a db error. */
static int accept_marks(struct db *db, json_t *arr)
{
    if (!json_array_size(arr)) return DB_OK;
    struct light_accept acc;
    int rc = light_accept_load(db, &acc);
    size_t i;
    json_t *x;
    json_array_foreach(arr, i, x)
    {
        if (rc != DB_OK) break;
        struct db_stmt *st = db_prepare(db, "SELECT assigned_on FROM items WHERE id = ?1");
        if (!st) {
            rc = DB_ERR;
            break;
        }
        db_bind_int64(st, 1, json_integer_value(json_object_get(x, "id")));
        int step = db_step(st);
        char due[11];
        int late = step == DB_ROW && !db_column_is_null(st, 0)
                       ? light_accept_due(&acc, db_column_text(st, 0), due)
                       : -1;
        db_finalize(st);
        if (step != DB_ROW && step != DB_DONE) rc = step;
        if (late < 0) continue;
        json_object_set_new(x, "accept_due", json_string(due));
        json_object_set_new(x, "accept_late", json_boolean(late));
    }
    light_accept_free(&acc);
    return rc;
}

/* inbox_json inside its read transaction. */
/* The office's 考核 objections waiting for a decision (core/assessment.h's
 * rows, not items): out's "objections", empty for everyone else. */
static int objections_run(struct db *db, const struct actor *a, unsigned who, json_t *out)
{
    struct err e = {0};
    if (!(who & FOR_OFFICE)) return DB_OK;
    json_t *v = assessment_objections_json(db, a, "pending", &e);
    if (!v) return DB_ERR;
    json_object_set(out, "objections", json_object_get(v, "objections"));
    json_decref(v);
    return DB_OK;
}

static json_t *inbox_read(struct db *db, const struct actor *a, struct err *e)
{
    char today[11], warn[11];
    light_dates(db, today, warn);
    unsigned who = inbox_who(a);
    json_t *out = inbox_skeleton();
    int rc = DB_OK;
    for (size_t k = 0; k < NLISTS && rc == DB_OK; k++) {
        if (!list_applies(&lists[k], who)) continue;
        if (lists[k].prepare)
            rc = list_run(db, &lists[k], a, today, warn, json_object_get(out, lists[k].name));
        else
            rc = drafts_run(db, today, warn, out);
    }
    if (rc == DB_OK) rc = kind_lists_run(db, a, today, warn, out);
    if (rc == DB_OK) rc = objections_run(db, a, who, out);
    if (rc == DB_OK) rc = accept_marks(db, json_object_get(out, "to_accept"));
    if (rc != DB_OK) {
        json_decref(out);
        err_db(e, rc, "reading the inbox");
        return NULL;
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

/* ---- counts ---- */

/* Add n to counts[name] (the office's drafts of several kinds share one). */
static void count_add(json_t *counts, const char *name, int64_t n)
{
    json_t *v = json_object_get(counts, name);
    json_object_set_new(counts, name, json_integer(json_integer_value(v) + n));
}

/* The office's drafts, by their kinds' draft lists, from the tally. */
static int drafts_count(struct db *db, json_t *counts)
{
    for (size_t k = 0; k < kind_count(); k++) {
        const struct kind *kd = kind_at(k);
        int64_t n = 0;
        int rc = item_count_tally(db, kd->name, "draft", 0, &n);
        if (rc != DB_OK) return rc;
        count_add(counts, kd->draft_list ? kd->draft_list : "to_assign", n);
    }
    return DB_OK;
}

static int counts_read(struct db *db, const struct actor *a, json_t *counts)
{
    unsigned who = inbox_who(a);
    int rc = DB_OK, city = actor_sees_all(a);
    for (size_t k = 0; k < NLISTS && rc == DB_OK; k++) {
        const struct inbox_list *l = &lists[k];
        int64_t n = 0;
        if (!list_applies(l, who) || (l->prepare && !l->count)) continue;
        if (!l->prepare)
            rc = drafts_count(db, counts);
        else if ((rc = l->count(db, a, city, &n)) == DB_OK)
            count_add(counts, l->name, n);
    }
    for (size_t k = 0; k < kind_count() && rc == DB_OK; k++) {
        for (const struct kind_inbox *l = kind_at(k)->inbox; l && l->name && rc == DB_OK; l++) {
            int64_t n = 0;
            if (!(l->roles & a->roles) || !l->count) continue;
            if ((rc = l->count(db, a->unit_id, &n)) == DB_OK) count_add(counts, l->name, n);
        }
    }
    int64_t n = 0;
    if (rc == DB_OK && (who & FOR_OFFICE) && (rc = assessment_objections_pending(db, &n)) == DB_OK)
        count_add(counts, "objections", n);
    return rc;
}

json_t *inbox_counts_json(struct db *db, const struct actor *a, struct err *e)
{
    json_t *counts = json_object();
    db_read_begin(db);
    int rc = counts_read(db, a, counts);
    db_read_end(db);
    if (rc != DB_OK) {
        json_decref(counts);
        err_db(e, rc, "counting the inbox");
        return NULL;
    }
    json_int_t total = 0;
    const char *key;
    json_t *v;
    json_object_foreach(counts, key, v) total += json_integer_value(v);
    return json_pack("{s:o,s:I}", "counts", counts, "total", total);
}

int inbox_total(struct db *db, const struct actor *a, int64_t *n)
{
    struct err e = {0};
    json_t *v = inbox_counts_json(db, a, &e);
    if (!v) return DB_ERR;
    *n = json_integer_value(json_object_get(v, "total"));
    json_decref(v);
    return DB_OK;
}
