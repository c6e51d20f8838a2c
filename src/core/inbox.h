/* inbox.h — the 待办: everything that waits on the caller, as lists of
 * items computed from the data, for GET /api/v1/inbox, the inbox page and
 * the count in the navigation.
 *
 * The lists depend on who asks.  A handler (承办人) sees their own unit's
 * work as the lead unit (牵头单位): what to sign for, to report on, what the
 * office sent back, urged or escalated, and the leaders' instructions not
 * yet answered.  The office (supervisors, admins) sees the drafts to
 * assign, the extension requests, the submissions to verify and what units
 * returned; a leader the items escalated to the leaders and what came of
 * their own instructions; the whole city's deadlines for those who see
 * all.  A kind adds lists of its own (kind.h: a hazard's triage and a
 * grid's on-site checks).  Nothing here writes. */
#ifndef LUOSHI_CORE_INBOX_H
#define LUOSHI_CORE_INBOX_H

#include <jansson.h>

#include "core/core.h"
#include "core/light.h"
#include "db/db.h"
#include "util/buf.h"

#define INBOX_LIST_MAX 200 /* entries per list */

/* The columns of every list's statement, over the item aliased "i" with ?1
 * today and ?2 the warning date: the item, its lead unit, its kind, and the
 * event that put it in the list ("why"), either as the event's columns
 * (w.action, w.at, w.actor, w.data, w.seq, the actor's name) or, for the
 * lists here, as its seq alone in the fifth (the others NULL): inbox.c
 * writes that event from memory (events never change) or reads it once.
 * INBOX_SELECT_WHY takes the item's newest event among ACTIONS (a literal
 * list such as "'reject','feedback'"); INBOX_SELECT has none. */
#define INBOX_COLS INBOX_COLS_HEAD LIGHT_SQL("?1", "?2") INBOX_COLS_TAIL
/* INBOX_COLS around its light: a kind's list that waits on a date of its
 * own puts its own light between the two (kind_hazard.c's acceptance). */
#define INBOX_COLS_HEAD "SELECT i.id, i.title, i.status, "
#define INBOX_COLS_TAIL                                                                            \
    ", i.deadline, i.feedback_due, " LIGHT_FEEDBACK_LATE_SQL(                                      \
        "?1") ", i.progress, i.escalation, u.id, u.code, u.name, i.kind"
/* The display name of the person who wrote event w (NULL for the system). */
#define INBOX_ACTOR_NAME          "(SELECT an.name FROM users an WHERE an.id = w.actor_id)"
#define INBOX_SELECT_WHY(ACTIONS) INBOX_COLS INBOX_WHY_FROM(ACTIONS)
/* What follows the columns in INBOX_SELECT_WHY: the seq of the item's
 * newest event among ACTIONS, from the index events_item_seq_action. */
#define INBOX_WHY_FROM(ACTIONS)                                                                    \
    ", NULL, NULL, NULL, NULL, (SELECT ev.seq FROM events ev WHERE ev.item_id = i.id"              \
    " AND ev.action IN (" ACTIONS ") ORDER BY ev.seq DESC LIMIT 1), NULL FROM items i"             \
    " LEFT JOIN units u ON u.id = i.lead_unit_id"
/* What follows the columns when the why is the event whose seq the item
 * keeps in COL (migration 031: urge_seq, instruct_seq, reject_seq). */
#define INBOX_KEPT_WHY(COL)                                                                        \
    ", NULL, NULL, NULL, NULL, i." COL ", NULL FROM items i"                                       \
    " LEFT JOIN units u ON u.id = i.lead_unit_id"
#define INBOX_SELECT                                                                               \
    INBOX_COLS ", NULL, NULL, NULL, NULL, NULL, NULL FROM items i"                                 \
               " LEFT JOIN units u ON u.id = i.lead_unit_id"

/* The inbox of actor a: an object of lists, every key always present (a
 * list a role has no part in is empty), each at most INBOX_LIST_MAX long:
 *
 *   to_accept    handler: assigned to the unit, to sign for (待签收)
 *   to_report    handler: accepted or in_progress, next feedback first (待反馈)
 *   due_soon     open work due today or within the warning window (即将到期)
 *   overdue      open work past its deadline (已逾期); both the unit's, or
 *                the whole city's for those who see all
 *   returned     handler: in_progress work the office rejected and not
 *                reported on since (被退回); office: items a unit returned
 *   to_verify    office: submitted items (待销号)
 *   to_assign    office: drafts to assign (待交办), of the kinds without a
 *                draft list of their own (kind.h draft_list, e.g. to_triage)
 *   extensions   office: open items with a pending extension request (延期申请)
 *   urged        handler: open work urged or escalated and not answered
 *                by a feedback or a submission since (催办督办)
 *   instructed   handler: open work with a leader's instruction not
 *                answered since (领导批示)
 *   escalated    leader: open items escalated to key or listed (重点、挂牌督办)
 *   my_instructions  leader: the items they instructed, newest first, with
 *                what came of it ("outcome")
 *   …            each kind's draft list and own lists (kind.h)
 *   objections   office: the 考核 objections waiting for a decision (异议待处理),
 *                as assessment_objections_json's rows, not items
 *   reviews      a unit head: the reports of the unit's clerks held for
 *                review (待审核报送, core/review.h), review_list_json's rows
 *   reviews_returned  a clerk: their reports the head sent back and not
 *                written again since (报送被退回), the same rows
 *
 * Each entry is {"id","title","kind","status","light","deadline",
 * "feedback_due","feedback_late","progress","escalation","lead_unit":
 * {"id","code","name"}|null,"why"}, why being the event that put it there
 * as {"action","at","actor","text","deadline"?} (text: its reason or text,
 * else null) or null; my_instructions' entries add "outcome" (the newest
 * feedback, submission, verification, rejection, return or cancellation
 * since, in why's shape, or null).  Returns a new object, or NULL with e
 * (5xx storage). */
json_t *inbox_json(struct db *db, const struct actor *a, struct err *e);
/* The same answer as JSON text appended to out, written as it is read (the
 * API's: no jansson values for hundreds of entries); inbox_json parses it.
 * 0, or -1 with e (out then holds nothing more). */
int inbox_write(struct db *db, const struct actor *a, struct buf *out, struct err *e);

/* How many entries the lists that ask something of actor a hold, from the
 * kept counts and indexes (never a walk of every item): {"counts":{list:
 * n},"total":n} over to_accept, returned, urged, instructed (handler),
 * to_assign and each kind's draft list, extensions, to_verify, returned
 * (office), escalated (leader), reviews (a unit head) and the kinds' own lists; each n equals the
 * length of the list inbox_json gives (when under INBOX_LIST_MAX).  The
 * total counts an item once per list it is in.  NULL with e. */
json_t *inbox_counts_json(struct db *db, const struct actor *a, struct err *e);

/* The total of inbox_counts_json alone into *n (the navigation's badge).
 * DB_OK or a db code. */
int inbox_total(struct db *db, const struct actor *a, int64_t *n);

#endif
