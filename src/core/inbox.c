/* inbox.c — the 待办.  See inbox.h.
 *
 * Each list is one row of `lists` below: who gets it, its statement (a
 * literal per call: the unit's and the city's variants are two literals,
 * so that a unit's list reads the index on (status, lead unit) instead of
 * every unit's rows), what its ?3 is, and how it is counted.  Every
 * statement binds ?1 today and ?2 the warning date (for the light).  The
 * narrow lists — rejected, urged, instructed — compare the seqs of the
 * item's newest events that the item keeps (migration 031), over the
 * unit's open work only, from the index items_light alone; their counts
 * walk the same index range.  The office's drafts are listed per kind,
 * each in its kind's draft list, and each kind may add lists of its own
 * (kind.h).  The events an entry shows are kept in memory (below). */
#include "core/inbox.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/action.h"
#include "core/assessment.h"
#include "core/item_count.h"
#include "core/kind.h"
#include "core/review.h"
#include "core/session.h"
#include "util/jsonw.h"
#include "util/time.h"

#define OPEN_WORK "i.status IN ('assigned','accepted','in_progress')"
/* the kept seq COL (migration 031) is newer than the item's newest report */
#define KEPT_NEWER(COL) "i." COL " > coalesce(i.report_seq, 0)"
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
                                                       " AND i.lead_unit_id = ?3 ORDER BY +i.id");
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
        db, INBOX_COLS INBOX_KEPT_WHY("reject_seq") " WHERE i.status = 'in_progress'"
                                                    " AND i.lead_unit_id = ?3 AND " KEPT_NEWER(
                                                        "reject_seq") " ORDER BY +i.id");
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

/* urged, instructed and rejected: the unit's open work whose kept seq of
 * the newest urge, instruction or rejection (migration 031) is newer than
 * that of its newest report, from the index items_light alone; the why is
 * that event, read by (item_id, seq). */
static struct db_stmt *p_urged(struct db *db, int city)
{
    (void)city;
    return db_prepare(
        db, INBOX_COLS INBOX_KEPT_WHY("urge_seq") " WHERE " OPEN_WORK
                                                  " AND i.lead_unit_id = ?3 AND " KEPT_NEWER(
                                                      "urge_seq") " ORDER BY +i.id");
}

static struct db_stmt *p_instructed(struct db *db, int city)
{
    (void)city;
    return db_prepare(
        db, INBOX_COLS INBOX_KEPT_WHY("instruct_seq") " WHERE " OPEN_WORK
                                                      " AND i.lead_unit_id = ?3 AND " KEPT_NEWER(
                                                          "instruct_seq") " ORDER BY +i.id");
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

static int c_rejected(struct db *db, const struct actor *a, int city, int64_t *n)
{
    (void)city;
    return count_sql(db_prepare(db, "SELECT count(*) FROM items i WHERE i.status = 'in_progress'"
                                    " AND i.lead_unit_id = ?1 AND " KEPT_NEWER("reject_seq")),
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
    return count_sql(db_prepare(db, "SELECT count(*) FROM items i WHERE " OPEN_WORK
                                    " AND i.lead_unit_id = ?1 AND " KEPT_NEWER("urge_seq")),
                     a->unit_id, n);
}

static int c_instructed(struct db *db, const struct actor *a, int city, int64_t *n)
{
    (void)city;
    return count_sql(db_prepare(db, "SELECT count(*) FROM items i WHERE " OPEN_WORK
                                    " AND i.lead_unit_id = ?1 AND " KEPT_NEWER("instruct_seq")),
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

/* One list of the answer being written: its entries as JSON text, joined
 * by commas, and how many (at most INBOX_LIST_MAX). */
struct inbox_arr {
    const char *name;
    struct buf b;
    size_t n;
};

/* Every key of the answer with its list, in the answer's order. */
struct inbox_out {
    struct inbox_arr arr[40];
    size_t n;
    struct light_accept acc; /* the 签收 limit, loaded for to_accept */
    int acc_loaded;
    struct db_stmt *why_st;    /* an event by (item, seq), prepared at the first need */
    int64_t why_stamp;         /* session_stamp in this answer's snapshot */
    int why_stamped;           /* 0: no stamp, so nothing is kept */
    struct db_stmt *accept_st; /* an item's assigned_on, for to_accept */
};

/* The list called name, added (empty, at the end) when new. */
static struct inbox_arr *out_arr(struct inbox_out *o, const char *name)
{
    for (size_t k = 0; k < o->n; k++)
        if (!strcmp(o->arr[k].name, name)) return &o->arr[k];
    if (o->n == sizeof o->arr / sizeof o->arr[0]) return NULL;
    struct inbox_arr *a = &o->arr[o->n++];
    a->name = name;
    buf_init(&a->b, 0);
    a->n = 0;
    return a;
}

static void col_str_or_null(struct buf *b, struct db_stmt *st, int c)
{
    if (db_column_is_null(st, c))
        buf_puts(b, "null");
    else
        jw_str(b, db_column_text(st, c));
}

/* A JSON string literal inside an event's data, quotes and escapes as
 * stored (n 0: none). */
struct jspan {
    const char *p;
    size_t n;
};

static const char *json_ws(const char *p)
{
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    return p;
}

/* The end of the JSON value at p (a string, an object or an array, a
 * scalar), or NULL when the text ends first. */
static const char *json_skip(const char *p)
{
    if (*p == '"') {
        for (p++; *p && *p != '"'; p++)
            if (*p == '\\' && !*++p) return NULL;
        return *p ? p + 1 : NULL;
    }
    if (*p != '{' && *p != '[') {
        while (*p && *p != ',' && *p != '}' && *p != ']' && *p != ' ' && *p != '\n')
            p++;
        return p;
    }
    int depth = 0;
    do {
        if (*p == '"') {
            if (!(p = json_skip(p))) return NULL;
            continue;
        }
        if (!*p) return NULL;
        depth += (*p == '{' || *p == '[') - (*p == '}' || *p == ']');
        p++;
    } while (depth);
    return p;
}

/* The string values of the top-level keys "reason", "text" and "deadline"
 * of an event's data (an object, as event.c writes it), read where they
 * stand: parsing the whole object per entry was a third of a handler's
 * inbox.  A key absent or not a string leaves its span empty. */
static void why_fields(const char *data, struct jspan f[3])
{
    static const char *const keys[3] = {"\"reason\"", "\"text\"", "\"deadline\""};
    memset(f, 0, 3 * sizeof *f);
    const char *p = json_ws(data);
    if (*p++ != '{') return;
    for (p = json_ws(p); *p == '"'; p = json_ws(p + 1)) {
        const char *k = p, *v, *end = json_skip(p);
        if (!end || *(p = json_ws(end)) != ':' || !(end = json_skip(v = json_ws(p + 1)))) return;
        for (int i = 0; i < 3; i++)
            if (*v == '"' && (size_t)(p - k) >= strlen(keys[i]) &&
                !strncmp(k, keys[i], strlen(keys[i])) && json_ws(k + strlen(keys[i])) == p)
                f[i].p = v, f[i].n = (size_t)(end - v);
        if (*(p = json_ws(end)) != ',') return;
    }
}

/* An event as an entry shows it, from action, at, actor (the user name),
 * name (the actor's display name, NULL for none) and data (text): {"action",
 * "at","actor","actor_name","text"} and "deadline" when data has one. */
static void why_write(struct buf *b, const char *action, int64_t at, const char *actor,
                      const char *name, const char *data)
{
    char when[40];
    struct jspan f[3]; /* reason, text, deadline */
    time_format_iso(at, when, sizeof when);
    why_fields(data ? data : "", f);
    buf_puts(b, "{\"action\":");
    jw_str(b, action);
    buf_puts(b, ",\"at\":");
    jw_str(b, when);
    buf_puts(b, ",\"actor\":");
    jw_str(b, actor);
    buf_puts(b, ",\"actor_name\":");
    if (name)
        jw_str(b, name);
    else
        buf_puts(b, "null");
    buf_puts(b, ",\"text\":");
    if (f[0].n || f[1].n)
        buf_append(b, f[0].n ? f[0].p : f[1].p, f[0].n ? f[0].n : f[1].n);
    else
        buf_puts(b, "null");
    if (f[2].n) {
        buf_puts(b, ",\"deadline\":");
        buf_append(b, f[2].p, f[2].n);
    }
    buf_putc(b, '}');
}

/* ---- the whys, kept in memory ----
 * An entry's why is an event, and an event never changes (migration 009):
 * what it shows is fixed by (item, seq) but for the actor's display name,
 * which a change to the user may change.  So a written why is kept by
 * (item, seq) under session_stamp (migration 019), which every change to a
 * user replaces; the lists read only the seq (from an index or the item's
 * kept seqs), and a why not kept is read once.  Under writes every commit
 * empties each reader's page cache, and the events' rows were most of what
 * a handler's 待办 then read again (bench/README.md, issue 25's fifth
 * round).  A collision overwrites: the memory only saves work. */
#define WHY_SLOTS 8192

struct why_slot {
    int64_t item, seq, stamp;
    char *text;
    size_t len;
};

static struct why_slot why_slots[WHY_SLOTS];
static pthread_mutex_t why_mu = PTHREAD_MUTEX_INITIALIZER;

static struct why_slot *why_slot_of(int64_t item, int64_t seq)
{
    uint64_t h = (uint64_t)item * 0x9E3779B97F4A7C15u ^ (uint64_t)seq * 0xC2B2AE3D27D4EB4Fu;
    return &why_slots[(h >> 40) % WHY_SLOTS];
}

/* Append the kept why of (item, seq) under stamp to b: 1, or 0 when none. */
static int why_kept(int64_t item, int64_t seq, int64_t stamp, struct buf *b)
{
    struct why_slot *s = why_slot_of(item, seq);
    int hit = 0;
    pthread_mutex_lock(&why_mu);
    if (s->text && s->item == item && s->seq == seq && s->stamp == stamp) {
        buf_append(b, s->text, s->len);
        hit = 1;
    }
    pthread_mutex_unlock(&why_mu);
    return hit;
}

static void why_keep(int64_t item, int64_t seq, int64_t stamp, const char *text, size_t len)
{
    char *copy = malloc(len ? len : 1), *old;
    if (!copy) return;
    memcpy(copy, text, len);
    struct why_slot *s = why_slot_of(item, seq);
    pthread_mutex_lock(&why_mu);
    old = s->text;
    *s = (struct why_slot){item, seq, stamp, copy, len};
    pthread_mutex_unlock(&why_mu);
    free(old);
}

/* The why of item's event seq into b, kept or read (and then kept).
 * DB_OK or a db error. */
static int why_by_seq(struct db *db, struct inbox_out *o, struct buf *b, int64_t item, int64_t seq)
{
    if (o->why_stamped && why_kept(item, seq, o->why_stamp, b)) return DB_OK;
    if (!o->why_st &&
        !(o->why_st = db_prepare(db, "SELECT action, at, actor, data, (SELECT an.name FROM users"
                                     " an WHERE an.id = events.actor_id) FROM events"
                                     " WHERE item_id = ?1 AND seq = ?2")))
        return DB_ERR;
    db_reset(o->why_st);
    db_bind_int64(o->why_st, 1, item);
    db_bind_int64(o->why_st, 2, seq);
    int step = db_step(o->why_st);
    if (step != DB_ROW) {
        buf_puts(b, "null");
        return step == DB_DONE ? DB_OK : step;
    }
    size_t from = b->len;
    struct db_stmt *st = o->why_st;
    why_write(b, db_column_text(st, 0), db_column_int64(st, 1), db_column_text(st, 2),
              db_column_is_null(st, 4) ? NULL : db_column_text(st, 4), db_column_text(st, 3));
    if (o->why_stamped) why_keep(item, seq, o->why_stamp, b->data + from, b->len - from);
    return DB_OK;
}

/* One entry from a row of INBOX_COLS and the why columns, its closing brace
 * left for what follows (outcome, the 签收 marks). */
static int entry_write(struct db *db, struct inbox_out *o, struct buf *b, struct db_stmt *st)
{
    const char *level = action_escalation_name((int)db_column_int64(st, 8));
    buf_puts(b, "{\"id\":");
    jw_int(b, db_column_int64(st, 0));
    buf_puts(b, ",\"title\":");
    jw_str(b, db_column_text(st, 1));
    buf_puts(b, ",\"kind\":");
    jw_str(b, db_column_text(st, 12));
    buf_puts(b, ",\"status\":");
    jw_str(b, db_column_text(st, 2));
    buf_puts(b, ",\"light\":");
    jw_str(b, db_column_text(st, 3));
    buf_puts(b, ",\"deadline\":");
    col_str_or_null(b, st, 4);
    buf_puts(b, ",\"feedback_due\":");
    col_str_or_null(b, st, 5);
    buf_puts(b, db_column_int64(st, 6) ? ",\"feedback_late\":true" : ",\"feedback_late\":false");
    buf_puts(b, ",\"progress\":");
    jw_int(b, db_column_int64(st, 7));
    buf_puts(b, ",\"escalation\":");
    if (level)
        jw_str(b, level);
    else
        buf_puts(b, "null");
    buf_puts(b, ",\"lead_unit\":");
    if (db_column_is_null(st, 9)) {
        buf_puts(b, "null");
    } else {
        buf_puts(b, "{\"id\":");
        jw_int(b, db_column_int64(st, 9));
        buf_puts(b, ",\"code\":");
        jw_str(b, db_column_text(st, 10));
        buf_puts(b, ",\"name\":");
        jw_str(b, db_column_text(st, 11));
        buf_putc(b, '}');
    }
    buf_puts(b, ",\"why\":");
    if (!db_column_is_null(st, 13))
        why_write(b, db_column_text(st, 13), db_column_int64(st, 14), db_column_text(st, 15),
                  db_column_is_null(st, 18) ? NULL : db_column_text(st, 18),
                  db_column_text(st, 16));
    else if (!db_column_is_null(st, 17))
        return why_by_seq(db, o, b, db_column_int64(st, 0), db_column_int64(st, 17));
    else
        buf_puts(b, "null");
    return DB_OK;
}

/* ,"outcome": the newest outcome of item id after event seq, in why's
 * shape, or null.  DB_OK or a db error. */
static int outcome_write(struct db *db, struct buf *b, int64_t id, int64_t seq)
{
    struct db_stmt *st =
        db_prepare(db, "SELECT action, at, actor, data, (SELECT an.name FROM users an"
                       " WHERE an.id = events.actor_id) FROM events WHERE item_id = ?1"
                       " AND seq > ?2 AND action IN ('feedback','submit','verify','reject',"
                       "'return','cancel') ORDER BY seq DESC LIMIT 1");
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, id);
    db_bind_int64(st, 2, seq);
    int step = db_step(st);
    buf_puts(b, ",\"outcome\":");
    if (step == DB_ROW)
        why_write(b, db_column_text(st, 0), db_column_int64(st, 1), db_column_text(st, 2),
                  db_column_is_null(st, 4) ? NULL : db_column_text(st, 4), db_column_text(st, 3));
    else
        buf_puts(b, "null");
    db_finalize(st);
    return step == DB_ROW || step == DB_DONE ? DB_OK : step;
}

/* ,"accept_due","accept_late": item id's 签收 limit (light_accept_due),
 * when it was assigned.  DB_OK or a db error. */
static int accept_write(struct db *db, struct inbox_out *o, struct buf *b, int64_t id)
{
    if (!o->acc_loaded) {
        int rc = light_accept_load(db, &o->acc);
        if (rc != DB_OK) return rc;
        o->acc_loaded = 1;
    }
    if (!o->accept_st &&
        !(o->accept_st = db_prepare(db, "SELECT assigned_on FROM items WHERE id = ?1")))
        return DB_ERR;
    struct db_stmt *st = o->accept_st;
    db_reset(st);
    db_bind_int64(st, 1, id);
    int step = db_step(st);
    char due[11];
    int late = step == DB_ROW && !db_column_is_null(st, 0)
                   ? light_accept_due(&o->acc, db_column_text(st, 0), due)
                   : -1;
    if (late >= 0) {
        buf_puts(b, ",\"accept_due\":");
        jw_str(b, due);
        buf_puts(b, late ? ",\"accept_late\":true" : ",\"accept_late\":false");
    }
    return step == DB_ROW || step == DB_DONE ? DB_OK : step;
}

/* What rows_into adds to each entry. */
enum { ROWS_PLAIN, ROWS_OUTCOME, ROWS_ACCEPT };

/* Step st (bound) into arr, up to INBOX_LIST_MAX entries; each entry gets
 * what mode adds.  DB_OK or a db error; st is finalized. */
static int rows_into(struct db *db, struct inbox_out *o, struct db_stmt *st, struct inbox_arr *arr,
                     int mode)
{
    int rc = DB_DONE, orc = DB_OK;
    if (!arr) {
        db_finalize(st);
        return DB_ERR;
    }
    while (orc == DB_OK && arr->n < INBOX_LIST_MAX && (rc = db_step(st)) == DB_ROW) {
        if (arr->n++) buf_putc(&arr->b, ',');
        orc = entry_write(db, o, &arr->b, st);
        if (orc != DB_OK) break;
        if (mode == ROWS_OUTCOME)
            orc = outcome_write(db, &arr->b, db_column_int64(st, 0), db_column_int64(st, 17));
        else if (mode == ROWS_ACCEPT)
            orc = accept_write(db, o, &arr->b, db_column_int64(st, 0));
        buf_putc(&arr->b, '}');
    }
    db_finalize(st);
    if (orc != DB_OK) return orc;
    return arr->n >= INBOX_LIST_MAX || rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

static void bind_dates(struct db_stmt *st, const char *today, const char *warn)
{
    db_bind_text(st, 1, today, (size_t)-1);
    db_bind_text(st, 2, warn, (size_t)-1);
}

/* Run one generic list into its key of o.  DB_OK or a db error. */
static int list_run(struct db *db, const struct inbox_list *l, const struct actor *a,
                    const char *today, const char *warn, struct inbox_out *o)
{
    int city = actor_sees_all(a);
    struct db_stmt *st = l->prepare(db, city);
    if (!st) return DB_ERR;
    bind_dates(st, today, warn);
    if (l->bind == BIND_UNIT && !(city && l->who == FOR_ALL)) db_bind_int64(st, 3, a->unit_id);
    if (l->bind == BIND_USER || l->bind == BIND_LEADER) db_bind_int64(st, 3, a->user_id);
    int mode = l->bind == BIND_USER            ? ROWS_OUTCOME
               : !strcmp(l->name, "to_accept") ? ROWS_ACCEPT
                                               : ROWS_PLAIN;
    return rows_into(db, o, st, out_arr(o, l->name), mode);
}

/* The office's drafts, each kind's into its draft list. */
static int drafts_run(struct db *db, const char *today, const char *warn, struct inbox_out *o)
{
    for (size_t k = 0; k < kind_count(); k++) {
        const struct kind *kd = kind_at(k);
        struct inbox_arr *arr = out_arr(o, kd->draft_list ? kd->draft_list : "to_assign");
        struct db_stmt *st = db_prepare(db, INBOX_SELECT " WHERE i.status = 'draft'"
                                                         " AND i.kind = ?3 ORDER BY i.id");
        if (!st) return DB_ERR;
        bind_dates(st, today, warn);
        db_bind_text(st, 3, kd->name, (size_t)-1);
        int rc = rows_into(db, o, st, arr, ROWS_PLAIN);
        if (rc != DB_OK) return rc;
    }
    return DB_OK;
}

/* Every kind's own lists that are for a's roles. */
static int kind_lists_run(struct db *db, const struct actor *a, const char *today, const char *warn,
                          struct inbox_out *o)
{
    for (size_t k = 0; k < kind_count(); k++) {
        const struct kind_inbox *l = kind_at(k)->inbox;
        for (; l && l->name; l++) {
            if (!(l->roles & a->roles)) continue;
            struct db_stmt *st = l->prepare(db);
            if (!st) return DB_ERR;
            bind_dates(st, today, warn);
            db_bind_int64(st, 3, l->by_user ? a->user_id : a->unit_id);
            int rc = rows_into(db, o, st, out_arr(o, l->name), ROWS_PLAIN);
            if (rc != DB_OK) return rc;
        }
    }
    return DB_OK;
}

/* Every key of the answer, each with an empty list, in order. */
static void inbox_skeleton(struct inbox_out *o)
{
    memset(o, 0, sizeof *o);
    for (size_t k = 0; k < NLISTS; k++)
        out_arr(o, lists[k].name);
    for (size_t k = 0; k < kind_count(); k++) {
        const struct kind *kd = kind_at(k);
        if (kd->draft_list) out_arr(o, kd->draft_list);
        for (const struct kind_inbox *l = kd->inbox; l && l->name; l++)
            out_arr(o, l->name);
    }
    out_arr(o, "objections");
    out_arr(o, "reviews");
    out_arr(o, "reviews_returned");
}

static void inbox_out_free(struct inbox_out *o)
{
    for (size_t k = 0; k < o->n; k++)
        buf_free(&o->arr[k].b);
    if (o->acc_loaded) light_accept_free(&o->acc);
    if (o->why_st) db_finalize(o->why_st);
    if (o->accept_st) db_finalize(o->accept_st);
}

/* The office's 考核 objections waiting for a decision (core/assessment.h's
 * rows, not items): o's "objections", empty for everyone else. */
static int objections_run(struct db *db, const struct actor *a, unsigned who, struct inbox_out *o)
{
    struct err e = {0};
    if (!(who & FOR_OFFICE)) return DB_OK;
    json_t *v = assessment_objections_json(db, a, "pending", &e);
    if (!v) return DB_ERR;
    struct inbox_arr *arr = out_arr(o, "objections");
    json_t *x;
    size_t i;
    json_array_foreach(json_object_get(v, "objections"), i, x)
    {
        char *text = json_dumps(x, JSON_COMPACT);
        if (arr->n++) buf_putc(&arr->b, ',');
        buf_puts(&arr->b, text ? text : "null");
        free(text);
    }
    json_decref(v);
    return DB_OK;
}

/* The array arr (stolen) as the entries of o's list name. */
static void json_rows_into(struct inbox_out *o, const char *name, json_t *arr)
{
    struct inbox_arr *out = out_arr(o, name);
    json_t *x;
    size_t i;
    json_array_foreach(arr, i, x)
    {
        char *text = json_dumps(x, JSON_COMPACT);
        if (out->n++) buf_putc(&out->b, ',');
        buf_puts(&out->b, text ? text : "null");
        free(text);
    }
    json_decref(arr);
}

/* The reports held for review (core/review.h, not items): a head's unit's
 * waiting ones, and the caller's own sent back. */
static int reviews_run(struct db *db, const struct actor *a, struct inbox_out *o)
{
    json_t *waiting, *returned;
    int rc = review_inbox(db, a, &waiting, &returned);
    if (rc != DB_OK) return rc;
    json_rows_into(o, "reviews", waiting);
    json_rows_into(o, "reviews_returned", returned);
    return DB_OK;
}

/* inbox_write inside its read transaction: the lists into o. */
static int inbox_read(struct db *db, const struct actor *a, struct inbox_out *o)
{
    char today[11], warn[11];
    light_dates(db, today, warn);
    o->why_stamped = session_stamp(db, &o->why_stamp) == DB_OK;
    unsigned who = inbox_who(a);
    int rc = DB_OK;
    for (size_t k = 0; k < NLISTS && rc == DB_OK; k++) {
        if (!list_applies(&lists[k], who)) continue;
        if (lists[k].prepare)
            rc = list_run(db, &lists[k], a, today, warn, o);
        else
            rc = drafts_run(db, today, warn, o);
    }
    if (rc == DB_OK) rc = kind_lists_run(db, a, today, warn, o);
    if (rc == DB_OK) rc = objections_run(db, a, who, o);
    if (rc == DB_OK) rc = reviews_run(db, a, o);
    return rc;
}

int inbox_write(struct db *db, const struct actor *a, struct buf *out, struct err *e)
{
    struct inbox_out o;
    inbox_skeleton(&o);
    db_read_begin(db); /* the lists from one snapshot, with one lock */
    int rc = inbox_read(db, a, &o);
    db_read_end(db);
    if (rc == DB_OK) {
        buf_putc(out, '{');
        for (size_t k = 0; k < o.n; k++) {
            if (k) buf_putc(out, ',');
            jw_key(out, o.arr[k].name);
            buf_putc(out, '[');
            buf_append(out, o.arr[k].b.data, o.arr[k].b.len);
            buf_putc(out, ']');
        }
        buf_putc(out, '}');
    }
    inbox_out_free(&o);
    return rc == DB_OK ? 0 : err_db(e, rc, "reading the inbox");
}

json_t *inbox_json(struct db *db, const struct actor *a, struct err *e)
{
    struct buf b;
    buf_init(&b, 0);
    json_t *v = NULL;
    if (!inbox_write(db, a, &b, e)) {
        v = json_loadb(b.data, b.len, 0, NULL);
        if (!v) err_set(e, 500, "internal", "the inbox's JSON did not parse");
    }
    buf_free(&b);
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
            if ((rc = l->count(db, l->by_user ? a->user_id : a->unit_id, &n)) == DB_OK)
                count_add(counts, l->name, n);
        }
    }
    int64_t n = 0;
    if (rc == DB_OK && (who & FOR_OFFICE) && (rc = assessment_objections_pending(db, &n)) == DB_OK)
        count_add(counts, "objections", n);
    if (rc == DB_OK && (a->roles & ROLE_HEAD) && (rc = review_pending_count(db, a, &n)) == DB_OK)
        count_add(counts, "reviews", n);
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
