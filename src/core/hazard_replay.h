/* hazard_replay.h — what a hazard's events vouch for of its own rows, and
 * `luoshi verify`'s check of them (the hazard kind's replay hooks).
 *
 * The create event carries the report's category, the routing proposal, the
 * SHA-256 of the report's fields (place, reporter, attributes: kept out of
 * the event in clear, as the event list is shown to more people than the
 * reporter's contact) and each photo's SHA-256; each photo added later is a
 * "photo" event; triage, assign, submit, verify and cancel carry what they
 * set (level, category, plan, proposal, listing, acceptance, closing,
 * duplicate).  Replaying them gives the hazard row and its photos as they
 * must be; an older database's events, which carry less, establish less,
 * and its photos are vouched for by "photo" events at its upgrade. */
#ifndef LUOSHI_CORE_HAZARD_REPLAY_H
#define LUOSHI_CORE_HAZARD_REPLAY_H

#include <jansson.h>
#include <stdint.h>

#include "core/core.h"
#include "core/verify.h"
#include "db/db.h"

/* Add to data (the create event's fields) what it vouches for of new hazard
 * id's row and photos: "hazard": {"category","proposed_unit_id",
 * "report_sha256"} and "photos": [photo records].  0, or -1 with e. */
int hazard_create_record(struct db *db, int64_t id, json_t *data, struct err *e);
/* The kind's replay hook: fold one event into state. */
void hazard_replay(json_t *state, int64_t seq, const char *action, int64_t at, json_t *data);
/* The kind's replay_check hook: state against the hazard row and photos. */
int hazard_replay_check(struct db *db, int64_t id, json_t *state, struct verify_log *v);
/* The kind's upgrade hook: a "photo" event (with "legacy": true) for every
 * photo of an older database.  0, or -1 with e. */
int hazard_replay_upgrade(struct db *db, struct err *e);

#endif
