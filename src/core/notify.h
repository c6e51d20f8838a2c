/* notify.h — telling people what an action asks of them: an in-app message
 * per recipient and, for the channels each recipient chose, a row of the
 * durable outbox, written in the action's own transaction (so an event is
 * never without its messages, nor a message without its event).
 *
 * Who an action concerns is one table (notify.c): the lead unit's handlers
 * (assign, approve or deny an extension, verify, reject, urge, escalate,
 * instruct, cancel), the cooperating units' handlers (assign), the lead unit
 * an item was moved away from (reassign: 改派), the office — the
 * supervisors — (return, extension requested, submit, instruct), the
 * leaders (escalate), and whom the item's kind adds (a hazard's grid
 * workers for a submitted rectification).  The one acting is never told
 * of their own action; disabled users are not told.  A user of an
 * enterprise hears only of the items of their own enterprise (无事不扰):
 * the office and the leaders are roles, and an enterprise's users are left
 * out of them.  Preferences (prefs.h) decide which outside channels get a
 * row: the event must be among the user's events, the channel enabled and
 * chosen, email needs an address; quiet hours hold a row until they end; a
 * digest user gets no row per event (outbox.h writes their digest). */
#ifndef LUOSHI_CORE_NOTIFY_H
#define LUOSHI_CORE_NOTIFY_H

#include <jansson.h>
#include <stdint.h>

#include "core/core.h"
#include "db/db.h"

/* An action that was just taken, as item_act knows it. */
struct notify_event {
    int64_t item_id;
    const char *kind, *action;
    const char *from, *to;           /* the statuses before and after */
    int64_t lead_before, lead_after; /* 0: none */
    const char *deadline;            /* the item's deadline after the action ("" none) */
    json_t *data;                    /* the event's fields (reason, text, deadline, level) */
};

/* 1 when action reaches people (has a row in the table). */
int notify_action_known(const char *action);
/* The names of the actions that reach people, comma-separated, into out. */
void notify_action_names(char *out, size_t outlen);

/* Write the messages and outbox rows ev asks for, as actor a, inside the
 * caller's write transaction.  *messages (may be NULL) gets how many
 * messages were written.  0, or -1 with e (5xx storage): roll back. */
int notify_event(struct db *db, const struct actor *a, const struct notify_event *ev, int *messages,
                 struct err *e);

#endif
