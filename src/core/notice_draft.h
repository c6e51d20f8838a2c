/* notice_draft.h — a notice's draft (拟稿) → sign-off (签发): the rows of
 * migration 025's notice_drafts and their steps (notice_draft_events: draft,
 * edit, sign), and who may do what.  A supervisor drafts a notice of a period
 * and scope with its 主送, 抄送 and summary ("" keeps the setting's or the
 * computed one) and may edit it until it is signed; a leader or an admin (the
 * office head) signs it, which issues it (notice/draft.c computes and stores
 * the notice, then notice_draft_signed records it).  With the setting
 * notice.sign_own at 0 (the default) nobody signs a draft of their own.  A
 * signed draft never changes (the triggers refuse). */
#ifndef LUOSHI_CORE_NOTICE_DRAFT_H
#define LUOSHI_CORE_NOTICE_DRAFT_H

#include <jansson.h>
#include <stdint.h>

#include "core/core.h"
#include "db/db.h"

#define NOTICE_DRAFT_TEXT_MAX 5000 /* characters of a summary */
#define NOTICE_DRAFT_LIST_MAX 500  /* characters of 主送 or 抄送 */

/* A draft as notice_draft_load reads it (texts malloc'd: notice_draft_free). */
struct notice_draft {
    int64_t id, drafted_by, notice_id;
    char from[11], to[11], unit[65];
    char *main_to, *copy_to, *summary;
};

/* Store a new draft of {"from","to","unit"} (checked by the caller) with the
 * texts of body ("main_to", "copy_to", "summary", each optional) as drafted
 * by a, inside the caller's write, with its "draft" step.  0 with *id, or
 * -1 with e: 422 invalid_field (a text not a string, too long), storage. */
int notice_draft_create(struct db *db, const struct actor *a, const char *from, const char *to,
                        const char *unit, json_t *body, int64_t *id, struct err *e);
/* Change the texts body names of unsigned draft id, as a, with an "edit"
 * step recording before and after.  0, or -1 with e: 404, 409
 * already_signed, 422 as above or nothing_changed, storage. */
int notice_draft_edit(struct db *db, const struct actor *a, int64_t id, json_t *body,
                      struct err *e);
/* Read draft id into *d.  DB_OK, DB_DONE when there is none, or a db code. */
int notice_draft_load(struct db *db, int64_t id, struct notice_draft *d);
/* Free what notice_draft_load allocated. */
void notice_draft_free(struct notice_draft *d);
/* May a sign draft d now?  0, or -1 with e: 409 already_signed, 403
 * sign_own_draft (the drafter, with notice.sign_own 0), storage. */
int notice_draft_may_sign(struct db *db, const struct actor *a, const struct notice_draft *d,
                          struct err *e);
/* Record that a signed draft id, which issued notice notice_id (inside the
 * same write), with its "sign" step.  0, or -1 with e. */
int notice_draft_signed(struct db *db, const struct actor *a, int64_t id, int64_t notice_id,
                        struct err *e);
/* The draft as JSON: {"id","from","to","unit","main_to","copy_to","summary",
 * "drafted_by","drafted_at","version","status":"draft"|"signed","signed_by",
 * "signed_at","notice_id","steps":[{"at","user","action","data"}]}.  NULL
 * with e: 404, storage. */
json_t *notice_draft_json(struct db *db, int64_t id, struct err *e);

#endif
