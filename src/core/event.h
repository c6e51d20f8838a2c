/* event.h — the audit trail (全程留痕): every write to an item appends an
 * event in the same transaction, hash-chained per item.
 *
 *   canonical = JSON, keys sorted, no spaces, of
 *               {"action","actor","at","data","item_id","seq"}
 *   hash      = lowercase hex SHA-256(prev_hash || canonical)
 *
 * prev_hash of an item's first event is "".  The item row keeps the chain's
 * head (event_seq, event_hash), so appending needs no scan and deleting the
 * newest event is detected too. */
#ifndef LUOSHI_CORE_EVENT_H
#define LUOSHI_CORE_EVENT_H

#include <jansson.h>
#include <stdint.h>

#include "core/core.h"
#include "db/db.h"
#include "util/buf.h"

/* Append an event to item_id's chain (inside a write transaction).  data is
 * borrowed (may be NULL for {}).  Returns DB_OK, DB_RETRY when another writer
 * moved the chain meanwhile, or another negative db code. */
int event_append(struct db *db, int64_t item_id, const struct actor *a, const char *action,
                 json_t *data);
/* The canonical text of an event (malloc'd; caller frees). */
char *event_canonical(int64_t item_id, int64_t seq, int64_t at, const char *actor,
                      const char *action, json_t *data);
/* hex SHA-256 of prev_hash || canonical into out (65 bytes). */
void event_hash(const char *prev_hash, const char *canonical, char out[65]);
/* Mark the rows records name ([{"id",...}]) as carried by the newest event of
 * item_id, inside the write that appended it.  update is the caller's
 * prepared "UPDATE <table> SET event_id = ?1 WHERE id = ?2 AND event_id IS
 * NULL" (NULL when preparing failed), given back here.  DB_OK, or a db code
 * (DB_ERR when a row is missing or was carried meanwhile). */
int event_link(struct db *db, int64_t item_id, struct db_stmt *update, json_t *records);
/* {"events":[{"id","seq","at","actor","action","data","prev_hash","hash"}]} oldest first,
 * or NULL with e. */
json_t *event_list_json(struct db *db, int64_t item_id, struct err *e);
/* Recompute every chain.  Returns 0 when all are intact (msg gets a summary),
 * 1 when one is broken (msg names the first broken event and why), or a
 * negative db code. */
int event_verify(struct db *db, struct buf *msg);

#endif
