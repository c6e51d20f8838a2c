/* message.h — a user's in-app messages (消息): what core/notify.c told them
 * of the events that concern them, newest first, with the unread count the
 * navigation shows (kept by triggers in message_tally, migration 013, so
 * it costs one small read per page).  A user reads and marks only their
 * own messages. */
#ifndef LUOSHI_CORE_MESSAGE_H
#define LUOSHI_CORE_MESSAGE_H

#include <jansson.h>
#include <stdint.h>

#include "core/core.h"
#include "db/db.h"

#define MESSAGE_LIMIT_MAX 100 /* messages per page */
#define MESSAGE_READ_MAX  100 /* ids marked read at once */

/* User user_id's unread messages into *n.  DB_OK or a db code. */
int message_unread(struct db *db, int64_t user_id, int64_t *n);

/* {"messages":[{"id","item_id","item":{"id","title","status"}|null,"action",
 * "actor","title","text","link","at","read"}],"unread_count","offset","limit"}
 * of user_id, newest first (unread only with unread_only), limit 1..100.
 * link is the item's page ("/items/ID") or null.  NULL with e. */
json_t *message_list_json(struct db *db, int64_t user_id, int unread_only, int64_t offset,
                          int64_t limit, struct err *e);

/* Mark user_id's messages read, inside the caller's write transaction:
 * body {"ids":[id, …]} (1..100 of their own; others' are not touched) or
 * {"all":true}.  *changed gets how many were unread.  0, or -1 with e
 * (422 for a bad body, 5xx). */
int message_mark_read(struct db *db, int64_t user_id, json_t *body, int64_t *changed,
                      struct err *e);

#endif
