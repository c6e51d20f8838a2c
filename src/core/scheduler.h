/* scheduler.h — the supervision loop's clock: automatic urges (催办), the
 * escalation ladder (督办), deductions for the units' assessment (考核) and
 * the monthly light history, run once a day by a thread of `luoshi serve`.
 *
 * The thread wakes once a minute and runs scheduler_run for the current
 * time.  Everything scheduler_run does is idempotent: the day's run is
 * marked in jobs_done (job "daily", period YYYY-MM-DD) in the same
 * transaction as its work, and each step on an item is keyed by the date
 * that caused it (auto_steps, deductions), so a second run for the same day
 * — a second tick, a second instance, a retried transaction — does nothing.
 *
 * The rules are settings (docs/lifecycle.md, "The scheduler"):
 *   scheduler.urge_overdue      1: urge open work once when its deadline passes (0 off)
 *   scheduler.urge_feedback     1: urge once when an expected feedback date passes (0 off)
 *   escalation.general_after    working days past the deadline → 一般督办 (general) [3]
 *   escalation.key_after        … → 重点督办 (key) [10]
 *   escalation.listed_after     … → 挂牌督办 (listed) [20]; 0 turns a step off
 *   deduction.late_feedback     points for each missed feedback date [-1]; 0 off
 *   deduction.overdue           points for each missed deadline [-2]; 0 off
 * Urges and escalations are actions of the loop (core/action.h) taken by the
 * actor "system", so they are events on the item's chain like any other. */
#ifndef LUOSHI_CORE_SCHEDULER_H
#define LUOSHI_CORE_SCHEDULER_H

#include <stdint.h>

#include "core/core.h"
#include "db/db.h"

/* The rules, from settings. */
struct scheduler_rules {
    int urge_overdue, urge_feedback;
    int escalate_after[4]; /* [1] general, [2] key, [3] listed: working days; 0 off */
    double late_feedback_points, overdue_points;
};

/* The defaults: urges on, ladder 3 / 10 / 20, deductions -1 / -2. */
extern const struct scheduler_rules scheduler_rules_default;

/* Read the rules from settings; a missing or unusable value keeps its
 * default (urges 0 or 1; thresholds 0..366; points -100..0).  Returns DB_OK or
 * a negative db code (r then holds the defaults). */
int scheduler_rules_load(struct db *db, struct scheduler_rules *r);

/* What one run did. */
struct scheduler_stats {
    int skipped; /* 1 when the day had already been run */
    int urges, escalations, deductions, lights;
    int consequences; /* the 考核 ladders fired (core/consequence.h) */
};

/* Run the day's jobs for time now_ms (the day is its city-local date; the
 * actions taken read the clock themselves, so tests set LUOSHI_NOW) inside
 * the caller's write transaction.  Returns 0 with st filled, DB_RETRY when
 * an item changed meanwhile (run the transaction again), or -1 with e; on
 * anything but 0 the caller must roll back. */
int scheduler_run(struct db *db, int64_t now_ms, struct scheduler_stats *st, struct err *e);

struct db_pool;
struct scheduler;

struct checkpoint_key;

/* Start the scheduler thread: once a minute it runs scheduler_run as a write
 * job of pool, holding the job lock of target's database (one instance at a
 * time), and, with a signing key (borrowed; NULL: none), signs a checkpoint
 * when the setting checkpoint.interval_minutes (default 60, 0 off) has passed
 * since the latest and something changed.  warm (NULL: none) runs on the
 * scheduler's thread after its first minute and after each day's run: the
 * server computes there what the day's first views would otherwise wait for.
 * Returns NULL (logged) when the thread cannot start. */
struct scheduler *scheduler_start(struct db_pool *pool, const char *target,
                                  const struct checkpoint_key *key,
                                  void (*warm)(struct db_pool *pool));
/* Stop the thread (waking it at once) and free it.  NULL is ignored. */
void scheduler_stop(struct scheduler *s);

#endif
