/* kind_challenge.c — the challenge (揭榜挂帅 榜单, DESIGN.md "Challenges"): a
 * published problem, applications, review, award, milestones, acceptance and
 * funds.  Not built yet: the row makes the name valid and POST /items answers
 * 422 unsupported_kind.  When it is built, this file gets its table, its
 * create fields (problem, owner_unit_id, field, reward_wan, apply_until,
 * max_per_applicant), its steps (publish, review, award, verify's result,
 * disburse) and its visibility (applicants see their own applications). */
#include "core/kind.h"

const struct kind kind_challenge = {
    .name = "challenge",
    .label_zh = "榜单",
    .label_en = "Challenge",
};
