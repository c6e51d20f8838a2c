/* hazard_act.h — the hazard's part of the loop: its own action (triage) and
 * its checks and records on the generic ones, as the hazard kind's steps
 * (kind.h's struct kind_step; kind_hazard.c lists them).
 *
 *   triage   level (general 一般 / major 重大), category, lead unit (routing
 *            proposes it), deadline, the six-part plan (治理方案)
 *   assign   before: triaged (409 triage_required), a major one's plan
 *            complete (409 plan_required); after: a major one is listed
 *            (挂牌督办: escalation 挂牌, once)
 *   submit   before: an after-photo (409 photo_required); after: the
 *            acceptance clock (hazard.acceptance_days, default 10)
 *   verify   after: closed, delisted (摘牌) when listed
 *   cancel   before: duplicate_of (the original it repeats); after: closed */
#ifndef LUOSHI_CORE_HAZARD_ACT_H
#define LUOSHI_CORE_HAZARD_ACT_H

#include "core/kind.h"

/* The triage step: records level, category and plan, proposes the lead unit
 * from routing when none is given (re-routing when the category changes) and
 * sets x's lead unit and deadline.  0, or -1 with e (422). */
int hazard_triage(struct kind_act *x, struct err *e);
/* Before assign: the hazard is triaged, and a major one has its plan.  0, or
 * -1 with e (409). */
int hazard_assign_check(struct kind_act *x, struct err *e);
/* After assign: list a major hazard once (an escalations row, level 3, and
 * x->escalation = 3).  0, or -1 with e. */
int hazard_assign_list(struct kind_act *x, struct err *e);
/* Before submit: store the body's own photos (optional "photos", base64) as
 * after-photos, each with its photo event; then require at least one
 * after-photo added since the hazard was last sent back (reject or return),
 * so a resubmission never reuses the photo of a rework that was refused.
 * 0, or -1 with e (409 photo_required, 422 invalid_photo / invalid_field). */
int hazard_submit_check(struct kind_act *x, struct err *e);
/* After submit: record the submission day and the acceptance due date.  0,
 * or -1 with e. */
int hazard_submit_record(struct kind_act *x, struct err *e);
/* May verify: a major hazard is accepted and delisted (摘牌) by the office,
 * not by its grid on site (403 forbidden, detail delist); a general one by
 * either.  0, or -1 with e. */
int hazard_verify_may(struct kind_act *x, struct err *e);
/* May urge: a submitted hazard only when it is major and its acceptance
 * (复查验收) is past acceptance_due (issue 17 defect 13: the scheduler urges
 * it once then, core/kind.h urges); open work as every item.  0, or -1
 * with e (409 invalid_transition, detail acceptance). */
int hazard_urge_may(struct kind_act *x, struct err *e);
/* After verify: closed, and delisted when it was listed.  0, or -1 with e. */
int hazard_verify_close(struct kind_act *x, struct err *e);
/* Before cancel: link the duplicate to its original when duplicate_of is
 * given (422 when it is not an original hazard).  0, or -1 with e. */
int hazard_cancel_check(struct kind_act *x, struct err *e);
/* After cancel: closed.  0, or -1 with e. */
int hazard_cancel_close(struct kind_act *x, struct err *e);

#endif
