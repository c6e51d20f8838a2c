/* replay.h — checking every item against its events (`luoshi verify`).
 *
 * One pass over the items in id order, in batches, with the events, the
 * item rows, their cooperating units and feedback, and the leaves of the
 * latest checkpoint read side by side:
 *
 *   chain     each event's sequence, prev_hash and hash (event.h's rule),
 *             and the item's head (event_seq, event_hash) against its
 *             newest event
 *   replay    the item's state derived from its events — kind, title,
 *             description, source, status, lead unit, deadline, cycle,
 *             metric, progress, escalation (the level), assigned_on,
 *             suspended_from, meeting, version (1 + the events that changed
 *             the item), the cooperating units and the feedback rows (each
 *             made by one feedback event, which carries its text) — against
 *             the item row and side tables, and the kind's own fields
 *             through the kind's replay hooks (kind.h)
 *   coverage  every item the latest checkpoint covered still exists and its
 *             chain still holds, at the covered count, the covered head: a
 *             deleted item, a rewound chain or a changed event is named
 *
 * What an older database's events do not carry is not compared (an older
 * create event says nothing of a hazard's report fields); what they carry is.
 * Every difference is reported by item and field and the pass goes on. */
#ifndef LUOSHI_CORE_REPLAY_H
#define LUOSHI_CORE_REPLAY_H

#include <stdint.h>

#include "core/verify.h"
#include "db/db.h"

struct replay_stats {
    int64_t events; /* events read */
    int64_t chains; /* items with events */
    int64_t items;  /* item rows read */
    int64_t leaves; /* items the latest checkpoint covered */
};

enum {
    REPLAY_CHAINS = 0, /* only the chains and heads; stop at the first problem */
    REPLAY_FULL = 1,   /* chains, replay and checkpoint coverage; every problem */
};

/* Run the pass in mode (REPLAY_CHAINS or REPLAY_FULL), reporting problems
 * to v and filling st.  DB_OK when everything could be read (problems or
 * not), else a db code. */
int replay_verify(struct db *db, int mode, struct verify_log *v, struct replay_stats *st);

#endif
