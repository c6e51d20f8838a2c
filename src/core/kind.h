/* kind.h — item kinds as data: one row of a static table per kind.
 *
 * Every item has a kind (task 任务, hazard 隐患, request 诉求, challenge 榜单,
 * remediation 整治).  What all kinds share — the items table, the lifecycle
 * table, the event chain, lights, feedback, the unit rule of who sees what —
 * knows no kind by name; what one kind adds is its row here: its labels, its
 * own table, and hooks the generic code calls at fixed points:
 *
 *   create       validate a create: the kind's own fields (from the body of
 *                POST /items, or a kind's own input given in process), before
 *                the item row is written
 *   after_create its own row, once the item exists (same transaction)
 *   steps        before/after an action: its own actions (a hazard's triage)
 *                and its checks and records on the generic ones
 *   json         its part of the item's JSON, under the kind's name
 *   visible      who sees the item beyond the generic unit rule, and which
 *                lifecycle capacities (LC_ bits) that gives them
 *   replay       `luoshi verify`: fold each event into the kind's own fields
 *                as the events establish them, then compare them with its
 *                own rows (replay_check)
 *   upgrade      once, when an older database is upgraded: put into events
 *                what its own rows hold that no event covered (photos' hashes)
 *
 * A kind that is not built yet has a row with creatable 0: it is a valid name
 * (filters, the lifecycle's rows) but POST /items answers 422
 * unsupported_kind.  Each kind lives in its own file (kind_<name>.c, the
 * hazard in hazard_*.c behind kind_hazard.c); adding one is that file, its
 * row in kind.c, its line in KIND_VISIBLE_SQL and its branch in
 * KIND_VISIBLE_IDS_SQL when it has one, and its rows
 * in the lifecycle and action tables (docs/kinds.md). */
#ifndef LUOSHI_CORE_KIND_H
#define LUOSHI_CORE_KIND_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/core.h"
#include "core/verify.h"
#include "db/db.h"

struct item_input;

/* Room for an item's title (200 characters of up to 4 bytes) and its NUL. */
#define KIND_TITLE_BYTES 808
/* A list a kind adds to the 待办 (core/inbox.c runs it as one of its own):
 * what waits on someone because of the kind's own rows (a grid's on-site
 * checks).  prepare gives the list's statement with INBOX_SELECT's columns
 * (core/inbox.h), ?1 today, ?2 the warning date and ?3 the actor's unit
 * (or, for a list by_user, the actor's own user id: what waits on them);
 * count counts its entries for a unit the same way, cheaply (an index
 * range, never a walk of every item).  Both return NULL / a db code on a
 * storage error. */
struct kind_inbox {
    const char *name; /* its key in GET /api/v1/inbox; NULL ends the rows */
    unsigned roles;   /* the ROLE_ bits it is for */
    struct db_stmt *(*prepare)(struct db *db);
    int (*count)(struct db *db, int64_t unit, int64_t *n);
    int by_user; /* 1: ?3 (and count's unit) is the actor's user id, not its unit */
};

/* An urge (催办) the scheduler sends once per item and date when a date of
 * the kind's own has passed (core/scheduler.c), as it urges overdue work:
 * prepare gives the statement of (item id, the date 'YYYY-MM-DD') over ?1
 * today, by id (NULL on a storage error); the
 * urge is recorded in auto_steps under step and the date, and its text is
 * the format text with the date for its one %s.  The kind's urge step must
 * allow the urge on those items (kind_step may). */
struct kind_urge {
    const char *step; /* NULL ends the rows */
    struct db_stmt *(*prepare)(struct db *db);
    const char *text;
};

/* Whom an event on an item of the kind also concerns, beyond the generic
 * recipients (core/notify.c): the users of unit_id holding one of roles. */
struct kind_notify {
    int64_t unit_id;
    unsigned roles;
};
#define KIND_NOTIFY_MAX 4

/* An action in progress, as a kind's step sees it.  A step may write its
 * own rows, add what it recorded to data (the event's fields), and change
 * the four item columns below; the generic code writes those with the
 * item's version check and the event (their before/after). */
struct kind_act {
    struct db *db;
    const struct actor *a;
    int64_t id;
    const char *action;
    json_t *body;         /* the request (borrowed; its fields were checked against action_spec) */
    json_t *data;         /* the event's fields (borrowed) */
    const char *from;     /* the status before */
    unsigned role;        /* the capacity (LC_ bit) the lifecycle row granted */
    int64_t lead_unit_id; /* 0 when none */
    char deadline[11];    /* "" when none */
    int escalation;       /* 0, or 1..3 (general, key, listed): only ever raised */
    char title[KIND_TITLE_BYTES]; /* the item's title (a re-routed hazard's default one follows) */
};

/* What a kind does around one action: before runs after the lifecycle and
 * field checks and before the generic step (its preconditions, and the whole
 * of an action of its own, which has no generic step); after runs after the
 * generic step (what it records); may, first of all, says whether the item
 * allows the action at all whatever its fields — it is also what
 * allowed_actions asks (then x->body and x->data are NULL), so the list never
 * offers what the action would refuse.  Any may be NULL.  0, or -1 with e. */
struct kind_step {
    const char *action;
    int (*before)(struct kind_act *x, struct err *e);
    int (*after)(struct kind_act *x, struct err *e);
    int (*may)(struct kind_act *x, struct err *e);
};

/* One kind.  Hooks may be NULL (nothing to do). */
struct kind {
    const char *name; /* as stored in items.kind */
    const char *label_zh, *label_en;
    const char *table; /* its own table keyed by item id, or NULL */
    int creatable;     /* 0: 422 unsupported_kind until it is built */
    /* 1: a user outside the office may create one at the top (no parent):
     * its create hook decides who (a challenge: the science bureau's
     * handlers, delegate.h) */
    int unit_creates;
    int published; /* its items are public (Open311): the item page offers the office a public note
                    */
    const char *const *create_fields; /* fields of POST /items it adds, NULL-ended, or NULL */
    /* Parse and check the kind's own fields (in->body, in->kind_input) before
     * the item row is written; may fill generic fields it derives (a default
     * title).  0, or -1 with e (4xx, or storage). */
    int (*create)(struct db *db, const struct actor *a, struct item_input *in, struct err *e);
    /* Write the kind's own row for new item id, and add to data (the create
     * event's fields) what the event must vouch for of it (hashes of what
     * replay cannot rebuild).  0, or -1 with e. */
    int (*after_create)(struct db *db, const struct actor *a, int64_t id,
                        const struct item_input *in, json_t *data, struct err *e);
    const struct kind_step *steps; /* sorted by action, ended by {NULL}; or NULL */
    /* The kind's part of item id's JSON (caller owns).  NULL with e. */
    json_t *(*json)(struct db *db, int64_t id, struct err *e);
    /* Whether a's unit sees item id through the kind's own row (*sees), and
     * the lifecycle capacities that gives a (*caps, LC_ bits).  A db code. */
    int (*visible)(struct db *db, const struct actor *a, int64_t id, int *sees, unsigned *caps);
    /* Fold one event of the item (oldest first; at in ms, data its fields)
     * into state, an object of the kind's own fields as the events establish
     * them: a field no event has established stays out of it. */
    void (*replay)(json_t *state, int64_t seq, const char *action, int64_t at, json_t *data);
    /* Compare state (as replay left it) with item id's own rows, reporting
     * each difference to v as "item ID: …".  A db code. */
    int (*replay_check)(struct db *db, int64_t id, json_t *state, struct verify_log *v);
    /* Once, inside the upgrade of an older database: record in events what
     * the kind's rows hold that no event covered.  0, or -1 with e. */
    int (*upgrade)(struct db *db, struct err *e);
    /* The 待办 list its drafts wait in ("to_triage"), instead of the
     * office's generic "to_assign"; NULL: the generic one. */
    const char *draft_list;
    const struct kind_inbox *inbox; /* its own 待办 lists, ended by {NULL}; or NULL */
    /* Whom action on item id also concerns: up to KIND_NOTIFY_MAX rows into
     * to, their number into *n.  A db code. */
    int (*notify)(struct db *db, int64_t id, const char *action, struct kind_notify *to, size_t *n);
    const struct kind_urge *urges; /* the scheduler's urges of its own, ended by {NULL}; or NULL */
};

/* The kind called name, or NULL. */
const struct kind *kind_find(const char *name);
/* The number of kinds, and the i-th (sorted by name). */
size_t kind_count(void);
const struct kind *kind_at(size_t i);
/* The kind's step for action, or NULL. */
const struct kind_step *kind_step_find(const struct kind *k, const char *action);
/* Run every kind's upgrade hook (inside the caller's write transaction), once,
 * when an older database is brought past the schema that made events vouch
 * for the kinds' own rows.  0, or -1 with e. */
int kind_upgrade_all(struct db *db, struct err *e);
/* The kinds' names, comma-separated ("challenge, hazard, …"), into out
 * (truncated to outlen). */
void kind_names_text(char *out, size_t outlen);

/* The rows (one file each). */
extern const struct kind kind_challenge, kind_hazard, kind_remediation, kind_request, kind_task;

/* What the kinds add to the unit rule, in SQL over the item aliased "i" and
 * the actor's unit ?2: the list queries filter in the database, so this is
 * the twin of each kind's visible hook (a unit test holds the two to the
 * same answers).  perm.h ORs it into PERM_VISIBLE_SQL. */
#define KIND_HAZARD_VISIBLE_SQL                                                                    \
    " OR (i.kind = 'hazard' AND EXISTS (SELECT 1 FROM hazards hv WHERE hv.item_id = i.id"          \
    " AND (hv.grid_unit_id = ?2 OR hv.place_unit_id = ?2)))"
#define KIND_REQUEST_VISIBLE_SQL                                                                   \
    " OR (i.kind = 'request' AND EXISTS (SELECT 1 FROM requests rv WHERE rv.item_id = i.id"        \
    " AND rv.requester_unit_id = ?2))"
#define KIND_CHALLENGE_VISIBLE_SQL                                                                 \
    " OR (i.kind = 'challenge' AND (EXISTS (SELECT 1 FROM challenge_applications cv"               \
    " WHERE cv.item_id = i.id AND cv.unit_id = ?2) OR EXISTS (SELECT 1 FROM challenges ca"         \
    " WHERE ca.item_id = i.id AND ca.author_unit_id = ?2)))"
#define KIND_REMEDIATION_VISIBLE_SQL                                                               \
    " OR (i.kind = 'remediation' AND EXISTS (SELECT 1 FROM remediations mv"                        \
    " WHERE mv.item_id = i.id AND mv.enterprise_unit_id = ?2))"
#define KIND_VISIBLE_SQL                                                                           \
    KIND_HAZARD_VISIBLE_SQL KIND_REQUEST_VISIBLE_SQL KIND_CHALLENGE_VISIBLE_SQL                    \
        KIND_REMEDIATION_VISIBLE_SQL
/* The same rules as ids, for perm.h's PERM_UNIT_IDS_SQL: one branch per
 * EXISTS above, each exactly the items its rule shows, below the id bound
 * B, with the caller's TAIL.  The kind is not tested again: a kind's own
 * table holds its kind's items only (its create hook writes the row, and no
 * action changes an item's kind), and the test cost PostgreSQL a third of
 * its planning. */
#define KIND_VISIBLE_IDS_SQL(B, TAIL)                                                              \
    " UNION SELECT id FROM (SELECT kh.item_id AS id FROM hazards kh WHERE kh.grid_unit_id = ?2"    \
    " AND kh.item_id < " B TAIL ") AS pb"                                                          \
    " UNION SELECT id FROM (SELECT kh.item_id AS id FROM hazards kh"                               \
    " WHERE kh.place_unit_id = ?2 AND kh.item_id < " B TAIL ") AS pb"                              \
    " UNION SELECT id FROM (SELECT kr.item_id AS id FROM requests kr"                              \
    " WHERE kr.requester_unit_id = ?2 AND kr.item_id < " B TAIL ") AS pb"                          \
    " UNION SELECT id FROM (SELECT DISTINCT kc.item_id AS id FROM challenge_applications kc"       \
    " WHERE kc.unit_id = ?2 AND kc.item_id < " B TAIL ") AS pb"                                    \
    " UNION SELECT id FROM (SELECT kc.item_id AS id FROM challenges kc"                            \
    " WHERE kc.author_unit_id = ?2 AND kc.item_id < " B TAIL ") AS pb"                             \
    " UNION SELECT id FROM (SELECT km.item_id AS id FROM remediations km"                          \
    " WHERE km.enterprise_unit_id = ?2 AND km.item_id < " B TAIL ") AS pb"
/* The kinds' rules that show the internal record as well: a hazard's grid
 * and place work on it; a request's enterprise only asks (perm.h). */
#define KIND_INTERNAL_SQL KIND_HAZARD_VISIBLE_SQL

#endif
