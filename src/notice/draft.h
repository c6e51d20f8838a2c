/* draft.h — signing a notice's draft (签发): the checks of
 * core/notice_draft.h, then the notice computed as of now with the draft's
 * texts and issued (issue.h), and the draft marked signed, in one write.
 * Issuing is signing: there is no other way from a draft to a notice. */
#ifndef LUOSHI_NOTICE_DRAFT_H
#define LUOSHI_NOTICE_DRAFT_H

#include <stdint.h>

#include "core/core.h"
#include "notice/notice.h"

/* The 发文字号 the next issued notice would take now ("督通〔2025〕3号": the
 * setting notice.number_prefix, the year, the next number) into out.  0, or
 * -1 with e (storage). */
int notice_draft_number(struct db *db, char out[128], struct err *e);

/* Sign draft id as a, inside the caller's write: may a sign it
 * (notice_draft_may_sign), then issue its notice under signer's checkpoint
 * (NULL: none) and record the signature.  0 with *notice_id, or -1 with e:
 * 404, 409 already_signed, 403 sign_own_draft, the notice's errors. */
int notice_draft_sign(struct db *db, const struct actor *a, int64_t id,
                      const struct checkpoint_key *signer, int64_t *notice_id, struct err *e);

#endif
