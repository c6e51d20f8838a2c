/* review.h — review before a unit reports (报送审核, issue 18 part 5;
 * docs/chain.md).
 *
 * A unit may ask that what its clerks write to the office waits for the
 * unit head first.  The setting is a settings row, unit.review_reports.CODE
 * = "1" (on) or "0", written by the office (supervisors, admins) through
 * setting_write, so the configuration chain records who turned it on.
 *
 * The unit head (单位负责人) is a user of the unit with the role `head`
 * besides `handler`.  While the setting is on, a feedback or a submission
 * by anyone else of the unit (a clerk: a handler, a grid's reporter) is
 * checked as the action would be (every refusal the action has, at the
 * moment it is written) and then held as a row of unit_reviews (migration
 * 026) instead of being taken: nothing of it is on the item, so the office
 * sees none of it.  A head of the unit approves it (the action is then
 * taken as the clerk's, at that moment, after a "review_approve" event of
 * the head's) or sends it back with a reason (a "review_return" event); the
 * clerk writes again to resubmit.  The deadline, the lights and the next
 * feedback date count on the moment the office receives the report: the
 * approval.  The head's own reports, and the office's, are never held. */
#ifndef LUOSHI_CORE_REVIEW_H
#define LUOSHI_CORE_REVIEW_H

#include <jansson.h>
#include <stdint.h>

#include "core/core.h"
#include "db/db.h"

#define REVIEW_REASON_MAX 500 /* characters of a send-back's reason */

/* Whether unit_id holds its clerks' reports for review into *on (0 or 1).
 * A db code. */
int review_unit_on(struct db *db, int64_t unit_id, int *on);
/* Turn the review of unit_id on (1) or off (0) as a does, inside the
 * caller's write transaction (an event "set" of the configuration chain,
 * section settings, key unit.review_reports.CODE).  0, or -1 with e (404
 * not_found for no such unit, 5xx storage). */
int review_unit_set(struct db *db, const struct actor *a, int64_t unit_id, int on, struct err *e);

/* The ids of the units whose review is on, as a JSON array by id (caller
 * owns), or NULL on a storage error. */
json_t *review_units_json(struct db *db);

/* Take the action body describes on item_id as a, as item_act does, except
 * that a clerk's feedback or submission in a unit under review is checked
 * (item_act run inside a savepoint and rolled back) and held: then *held
 * gets the new review's id (else 0).  body is borrowed.  0, or what
 * item_act returns on a refusal (-1 with e, or DB_RETRY). */
int review_act(struct db *db, const struct actor *a, int64_t item_id, json_t *body, int64_t *held,
               struct err *e);

/* Decide review id as a, inside the caller's write transaction: body is
 * {"decision":"approve"} or {"decision":"return","reason":TEXT}.  Approving
 * appends "review_approve" and takes the held action as its author (every
 * refusal of the action applies: the item may have moved on); returning
 * appends "review_return" with the reason.  0, or -1 with e: 404 not_found
 * (no such review), 403 review_own (its author), 403 forbidden (not a head
 * of its unit), 409 review_decided (approved or returned already), 422 for
 * a bad body; DB_RETRY as item_act. */
int review_decide(struct db *db, const struct actor *a, int64_t id, json_t *body, struct err *e);

/* {"review"}: review id as review_list_json shows it, for its head or its
 * author; NULL with e (404 for anyone else). */
json_t *review_get_json(struct db *db, const struct actor *a, int64_t id, struct err *e);
/* {"reviews":[…]} newest first, at most 200: a head's unit's reviews and the
 * caller's own (a clerk's); status "pending", "approved", "returned" or NULL
 * for all.  Each is {"id","item_id","title","unit_id","action","text",
 * "progress","body","author":{"id","name"},"written_at","status",
 * "reviewer":{"id","name"}|null,"reviewed_at","reason"}.  NULL with e. */
json_t *review_list_json(struct db *db, const struct actor *a, const char *status, struct err *e);
/* The inbox's two lists as arrays (caller owns) of review_list_json's
 * entries: *waiting, a head's unit's pending reviews (待审核); *returned,
 * the caller's reviews sent back and not written again since.  A db code. */
int review_inbox(struct db *db, const struct actor *a, json_t **waiting, json_t **returned);
/* How many reviews wait on head a (0 for one without the head role). */
int review_pending_count(struct db *db, const struct actor *a, int64_t *n);

#endif
