/* challenge.h — the challenge (揭榜挂帅 榜单, DESIGN.md "Challenges",
 * docs/challenges.md): what the kind's row (kind_challenge.c), its steps
 * (challenge_act.c) and its applications and board (challenge_data.c)
 * share, and what the API and the pages read of challenges besides the item.
 *
 * A challenge is an item of kind challenge with one row in `challenges`: the
 * problem as the office publishes it, the unit that posts it (发榜单位), the
 * field, the reward (榜金, 万元), the last day of applications, the cap of
 * applications per applicant unit, the expected results and time frame, and
 * its phase: draft → (publish) open → (close_applications, or apply_until
 * passing) closed → (award) awarded, or (cancel) none.  Until the award the
 * item stays a draft (no lights); the award assigns it to the winner's unit,
 * and from then on it is supervised like a task, its milestones child items;
 * verify takes the acceptance's result (验收), disburse records the payments
 * in tranches never above the reward. */
#ifndef LUOSHI_CORE_CHALLENGE_H
#define LUOSHI_CORE_CHALLENGE_H

#include <jansson.h>
#include <stdint.h>

#include "core/core.h"
#include "core/kind.h"
#include "db/db.h"

/* The units whose handlers draft challenges besides the office, by code:
 * the text setting challenge.creator_units' default (the science bureau). */
#define CHALLENGE_CREATOR_UNITS "kjj"

/* Characters of a problem, a plan, a report, a comment. */
#define CHALLENGE_TEXT_MAX 5000
/* The most any amount may be, in 万元 (a reward, a budget, a tranche). */
#define CHALLENGE_WAN_MAX 1000000.0

/* What the steps and the pages read of a challenge's row.  phase is the
 * effective one: an open challenge past apply_until reads "closed". */
struct challenge_row {
    char phase[12], apply_until[11];
    double reward_wan, disbursed_wan;
    int64_t max_per_applicant, winner_id;
};

/* Read item id's row into r (today: the day that closes an open challenge
 * once past apply_until).  0, or -1 with e (500 when the item has no row). */
int challenge_row_load(struct db *db, int64_t id, struct challenge_row *r, struct err *e);

/* An amount in 万元 from body[name]: a number above 0 (or 0 when zero_ok)
 * and at most CHALLENGE_WAN_MAX, rounded to two decimals into *out.  Absent:
 * 422 missing_field when required, else *out stays.  0, or -1 with e. */
int challenge_wan_field(json_t *body, const char *name, int required, int zero_ok, double *out,
                        struct err *e);

/* File an application (揭榜) to challenge id as a (role applicant) from body
 * {"team","plan","budget_wan","members":[names],"attachment_ids"?:[ids]}
 * (the files a's unit uploaded to the challenge for it, which the
 * application then carries as its "apply" event does): 409
 * applications_closed unless the challenge is open and today is not past
 * apply_until, 409 cap_reached when a's unit has filed max_per_applicant
 * already; recorded as the item's "apply" event.  The new application's id
 * into *app.  Inside the caller's write transaction.  0, or -1 with e. */
int challenge_apply(struct db *db, const struct actor *a, int64_t id, json_t *body, int64_t *app,
                    struct err *e);

/* Whether a uploads a file to item id for an application (揭榜材料): 1
 * when a holds the applicant role in a unit and id is a published challenge
 * open for applications; 0 when the rule is not a's (not an applicant, or
 * no published challenge: the generic rule of core/attachment.h decides);
 * -1 with e: 409 applications_closed once the challenge is closed, 409
 * cap_reached once a's unit has filed as many applications as it may. */
int challenge_may_attach(struct db *db, const struct actor *a, int64_t id, struct err *e);

/* Whether attachment att is an application's file — one an "apply" event
 * carries, or one an applicant uploaded to a challenge that no event
 * carries yet — into *is_app, and then whether a may download it into
 * *may: the office and the leaders (the reviewers) and the uploading unit,
 * nobody else (not even the winner's unit).  *is_app 0: the generic rule
 * decides.  A db code. */
int challenge_file_reader(struct db *db, const struct actor *a, int64_t att, int *is_app, int *may);

/* Application app as a sees it (the API's answer to filing it): its fields
 * with its files ("attachments": [{"id","name","bytes","sha256"}]), and to
 * the office its reviews.  NULL with e (404 when a may not see it). */
json_t *challenge_application_json(struct db *db, const struct actor *a, int64_t app,
                                   struct err *e);

/* The applications of challenge id as a sees them, {"applications":[…]}:
 * the office and leaders see every one with its reviews and their mean
 * ("score_mean", one decimal, null before any), an applicant only its own
 * unit's, without reviews.  NULL with e (404 no such challenge, 403). */
json_t *challenge_applications_json(struct db *db, const struct actor *a, int64_t id,
                                    struct err *e);

/* The public board (公示), {"challenges":[…]}: the published challenges,
 * open ones first (by apply_until), then the rest, newest first, each with
 * only what the public may read: title, problem, owner unit, field, reward,
 * dates, cap, expected results, time frame, phase, the winner's unit, the
 * item's status and progress, the acceptance's result and the total paid.
 * Never the description, applications, budgets, scores or people.  NULL
 * with e. */
json_t *challenge_board_json(struct db *db, struct err *e);

/* `luoshi verify` (challenge_replay.c): fold one event of a challenge into
 * state, the object of its own fields as the events establish them (the
 * published fields, the phase, the winner, the acceptance, how many
 * applications and reviews, the total paid); then compare state with its
 * rows, reporting each difference to v.  The check returns a db code. */
void challenge_replay(json_t *state, int64_t seq, const char *action, int64_t at, json_t *data);
int challenge_replay_check(struct db *db, int64_t id, json_t *state, struct verify_log *v);

/* The kind's steps (challenge_act.c), sorted by action, ended by {NULL}. */
extern const struct kind_step challenge_steps[];

#endif
