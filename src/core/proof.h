/* proof.h — the proof that one item's events are what a signed checkpoint
 * covered, for an auditor or a court, checked without the database.
 *
 *   {"format": "luoshi-proof-1", "item_id",
 *    "events": [{"seq","at" (ms),"actor","action","data","prev_hash","hash"}],
 *    "newer_events": N,
 *    "leaf": {"index","count","head"},     index: the item id, its position
 *    "path": [hex, …],                   the audit path, deepest sibling first
 *    "checkpoint": {…}}                  checkpoint_json of the latest checkpoint
 *
 * The events are those the checkpoint covered (1..count); newer_events
 * says how many came after it.  Checking it recomputes each event's hash
 * (event.h's rule) along the chain to the head, the leaf hash
 * (merkle_store.h), the root through the path (RFC 6962), the checkpoint's
 * hash from its fields, and its signature under a public key the checker
 * trusts. */
#ifndef LUOSHI_CORE_PROOF_H
#define LUOSHI_CORE_PROOF_H

#include <jansson.h>
#include <stdint.h>

#include "core/checkpoint.h"
#include "core/core.h"
#include "db/db.h"
#include "util/buf.h"

/* The proof of item id against the latest checkpoint (caller owns).  NULL
 * with e: 404 no such item, 409 "not_covered" when no checkpoint covers it
 * yet, 5xx storage.  The caller checked that the actor may see the item. */
json_t *proof_json(struct db *db, int64_t item_id, struct err *e);
/* Check proof; with pub (NULL: the signature is not checked) also the
 * checkpoint's signature.  0 when it holds (msg says what it proves), 1
 * when it does not (msg says why). */
int proof_check(json_t *proof, const struct checkpoint_key *pub, struct buf *msg);

#endif
