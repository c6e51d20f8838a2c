/* instruction_file.h — the 批示件 register (issue 18): a leader's instruction
 * on a document, registered with its number, text, date, the leader and a
 * due date, and turned into tracked work.
 *
 * The office or a leader registers it and turns it into one or more items
 * (kind task, source `instruction`, the file's leader as the items'
 * responsible leader, items.instruction_file_id): drafts that the office
 * assigns as any other.  When every item is closed the result goes back to
 * the leader: the items wait in their 待办 (inbox list `instruction_results`)
 * until the leader closes the file (办结), or instructs again, which opens
 * another linked item.  The state is derived: `open` (no item yet, or one
 * open), `answered` (items, all closed, the file not closed), `closed`. */
#ifndef LUOSHI_CORE_INSTRUCTION_FILE_H
#define LUOSHI_CORE_INSTRUCTION_FILE_H

#include <jansson.h>
#include <stdint.h>

#include "core/core.h"
#include "db/db.h"

/* Register a file from body {"number","text","issued_on","leader_id","due"}
 * as a (inside a write transaction); leader_id defaults to a when a is a
 * leader.  0 with *id, or -1 with e: 422 missing_field / invalid_field
 * (detail "leader" for a user who is not a leader), 409 conflict (the
 * number is taken). */
int ifile_create(struct db *db, const struct actor *a, json_t *body, int64_t *id, struct err *e);
/* One file as JSON {"id","number","text","issued_on","due","leader":{"id",
 * "name"},"state","closed_at","items":[{"id","title","status"}…]}, or NULL
 * with e (404 not_found).  Caller owns. */
json_t *ifile_get_json(struct db *db, const struct actor *a, int64_t id, struct err *e);
/* {"instruction_files":[…]} issued in month ("YYYY-MM"; NULL: every
 * month), by issue date then id, each as ifile_get_json.  NULL with e. */
json_t *ifile_list_json(struct db *db, const struct actor *a, const char *month, struct err *e);
/* Turn file id into an item from body {"title","description","lead_unit_id",
 * "co_unit_ids","deadline"} as a (inside a write transaction): a draft task,
 * source instruction, the file's leader as its leader.  0 with *item_id, or
 * -1 with e: 404 (no file), 409 invalid_status (the file is closed), the
 * item's own refusals; 403 for a leader turning another leader's file into
 * work (the office and the file's own leader may). */
int ifile_spawn(struct db *db, const struct actor *a, int64_t id, json_t *body, int64_t *item_id,
                struct err *e);
/* Close file id (办结) as a: its leader or the office, once every item is
 * closed.  0, or -1 with e: 404, 403 (another leader), 409 invalid_status
 * (closed already, no item, or an item still open). */
int ifile_close(struct db *db, const struct actor *a, int64_t id, struct err *e);
/* The 批示件 item_id was spawned from into *file (0 when none, or when
 * there is no such item).  A db code (DB_OK). */
int ifile_of_item(struct db *db, int64_t item_id, int64_t *file);

#endif
