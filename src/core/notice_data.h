/* notice_data.h — the reads a supervision notice (notice/) is computed from,
 * handed back as plain rows: the units, the per-item facts the events keep
 * (item_facts, migrations 006 and 007), the feedback, deduction, light and
 * light-history records, the red list's details and an item scope's items.
 *
 * Each function runs one literal query (or a fixed few) with bound
 * parameters and calls back once per row, so a notice over a million items
 * is still one pass over each index with nothing held but its figures; the
 * figures themselves, the scope and every rule of docs/notices.md are
 * notice.c's.  A callback returns 0 to go on; anything else stops the scan,
 * which then returns -1 leaving e to the callback.  Texts in a row are valid
 * during the callback only.  Nothing here knows what a notice looks like. */
#ifndef LUOSHI_CORE_NOTICE_DATA_H
#define LUOSHI_CORE_NOTICE_DATA_H

#include <jansson.h>
#include <stdint.h>

#include "core/calendar.h"
#include "core/core.h"
#include "db/db.h"
#include "util/arena.h"

/* The item scopes of a notice (notice/scope.h): its campaign's items, its
 * meeting's, a plan item's subtree, or every enterprise request (kind
 * request; its id is always 1); NONE: the city or a unit subtree. */
enum {
    NOTICE_SCOPE_NONE,
    NOTICE_SCOPE_CAMPAIGN,
    NOTICE_SCOPE_MEETING,
    NOTICE_SCOPE_PLAN,
    NOTICE_SCOPE_REQUESTS
};

/* One unit (code and name in the caller's arena). */
struct notice_data_unit {
    int64_t id, parent_id; /* parent_id 0 for a root */
    const char *code, *name;
};

/* One item's facts as the scans read them.  Times are ms since the epoch. */
struct notice_fact {
    int64_t item_id, unit_id; /* unit_id: the lead unit */
    const char *status;       /* NULL where the scan does not read it */
    const char *deadline;     /* "YYYY-MM-DD", NULL when none */
    int64_t assigned_at;      /* the first assignment */
    int64_t accepted_at;      /* INT64_MAX when not accepted */
    int64_t accept_from;      /* when the acceptance clock started (assigned_at when unknown) */
    int64_t done_at;          /* the verification, INT64_MAX when none */
    int64_t extensions;       /* extensions approved before the cutoff */
    int64_t rejects;          /* rejections before the cutoff */
};
typedef int (*notice_fact_fn)(void *ctx, const struct notice_fact *f);

/* One row of a counting query; which fields are set is each function's. */
struct notice_tally {
    int64_t unit_id, item_id;
    const char *month, *light; /* "YYYY-MM"; green, yellow, red, none */
    int64_t count;
    int late; /* a report: 1 when it came late */
    double points;
};
typedef int (*notice_tally_fn)(void *ctx, const struct notice_tally *t);

/* An item in an item scope, as it is now (codes, never user text). */
struct notice_scope_item {
    int64_t id, unit_id; /* unit_id 0 when the item has no lead unit */
    char status[16];
    char feedback_due[11]; /* "" when none */
    char light[8];         /* green, yellow, red, none */
};

/* Every unit, in id order, into *units (malloc'd, the caller frees) and *n,
 * codes and names copied whole into a.  0, or -1 with e. */
int notice_data_units(struct db *db, struct arena *a, struct notice_data_unit **units, int *n,
                      struct err *e);

/* The working-day calendar into c (calendar_free).  0, or -1 with e. */
int notice_data_calendar(struct db *db, struct calendar *c, struct err *e);

/* The facts of the items first assigned in [from_ms, cutoff_ms), not
 * cancelled, with a lead unit; extensions and rejects counted before
 * cutoff_ms.  One call of fn per item.  0, or -1 with e. */
int notice_data_assigned(struct db *db, int64_t from_ms, int64_t cutoff_ms, notice_fact_fn fn,
                         void *ctx, struct err *e);
/* The facts (item_id, unit_id, deadline, assigned_at, done_at) of the items
 * first assigned before assigned_before, not verified before done_from, due
 * by deadline_by, neither cancelled, suspended nor returned, with a lead
 * unit.  0, or -1 with e. */
int notice_data_open(struct db *db, int64_t done_from, int64_t assigned_before,
                     const char *deadline_by, notice_fact_fn fn, void *ctx, struct err *e);
/* As notice_data_open without the item ids (unit_id, deadline, assigned_at,
 * done_at; item_id 0), read from the index alone where the driver can. */
int notice_data_overdue(struct db *db, int64_t done_from, int64_t assigned_before,
                        const char *deadline_by, notice_fact_fn fn, void *ctx, struct err *e);
/* The lead unit of item_id when its facts count (not cancelled, with a lead
 * unit) into *unit, else 0.  0, or -1 with e. */
int notice_data_fact_unit(struct db *db, int64_t item_id, int64_t *unit, struct err *e);

/* The lead unit's reports answering an expected feedback due in [from,
 * last] (dates): item_id and late per report.  0, or -1 with e. */
int notice_data_reports(struct db *db, const char *from, const char *last, notice_tally_fn fn,
                        void *ctx, struct err *e);
/* The open items (assigned, accepted, in progress) whose expected feedback
 * in [from, last] passed without a report, counted per lead unit (unit_id,
 * count).  0, or -1 with e. */
int notice_data_missed(struct db *db, const char *from, const char *last, notice_tally_fn fn,
                       void *ctx, struct err *e);
/* The deduction ledger within [from_ms, cutoff_ms): summed per unit
 * (unit_id, points), or with per_item one row per deduction (unit_id,
 * points, item_id).  0, or -1 with e. */
int notice_data_deductions(struct db *db, int64_t from_ms, int64_t cutoff_ms, int per_item,
                           notice_tally_fn fn, void *ctx, struct err *e);
/* The items' lights now, as the item list computes them, counted per lead
 * unit (unit_id 0 for none) and light (unit_id, light, count); the closed
 * items are counted apart, so a unit and a light may come twice.  0, or -1
 * with e. */
int notice_data_lights(struct db *db, notice_tally_fn fn, void *ctx, struct err *e);
/* The scheduler's month-end light snapshots of the items with a lead unit
 * for the months [first, last] ("YYYY-MM"), counted per month, light and
 * unit (month, light, unit_id, count).  0, or -1 with e. */
int notice_data_history(struct db *db, const char *first, const char *last, notice_tally_fn fn,
                        void *ctx, struct err *e);
/* The same snapshots of one item (month, light; count 1).  0, or -1 with e. */
int notice_data_item_history(struct db *db, int64_t item_id, const char *first, const char *last,
                             notice_tally_fn fn, void *ctx, struct err *e);

/* One item with a responsible leader (责任领导, items.leader_id) as
 * notice_data_leaders reads it; name valid during the callback only. */
struct notice_data_leader {
    int64_t item_id, leader_id;
    const char *name; /* the leader's display name */
};
typedef int (*notice_leader_fn)(void *ctx, const struct notice_data_leader *l);
/* Every item with a responsible leader, in item id order (item_id,
 * leader_id and the leader's name).  0, or -1 with e. */
int notice_data_leaders(struct db *db, notice_leader_fn fn, void *ctx, struct err *e);

/* The title of item_id and its lead unit's last report before cutoff_ms:
 * *title, and *text with *at (NULL and 0 when none), copied into a.  0, or
 * -1 with e (500 when the item is gone). */
int notice_data_red_detail(struct db *db, int64_t item_id, int64_t cutoff_ms, struct arena *a,
                           const char **title, const char **text, int64_t *at, struct err *e);

/* The name of item scope kind/id ("<theme>（<month>）", the meeting's name,
 * the plan item's title, copied whole into a) into *name, and its items in
 * id order into *items (malloc'd, the caller frees) and *n.  0, or -1 with
 * e: 404 no such campaign, meeting or item, 5xx storage. */
int notice_data_scope(struct db *db, int kind, int64_t id, struct arena *a, const char **name,
                      struct notice_scope_item **items, int *n, struct err *e);

/* The stamps of what a notice is computed from: *facts changes with every
 * commit that writes item facts, feedback, extensions, deductions, units,
 * the light history or an item's next expected feedback (facts_stamp,
 * migration 010: creating a draft changes none of them); *config with every
 * change to the settings or the calendar (config_stamp, migration 008).  A
 * notice computed on one day under both stamps is the same notice while
 * they and the day stay.  DB_OK, or a negative db code. */
int notice_data_facts_stamp(struct db *db, int64_t *facts, int64_t *config);

/* The open items due from today to today + days (at most limit), of unit_id
 * alone (0 = every unit), soonest first: [{"id","title","deadline","unit"}]
 * with the lead unit's name.  New reference, or NULL with e. */
json_t *notice_data_due_soon(struct db *db, int64_t unit_id, int days, int limit, struct err *e);

#endif
