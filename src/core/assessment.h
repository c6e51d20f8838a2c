/* assessment.h — the yearly 考核 score of each unit (research §3.2, §3.3):
 * a base, minus the automatic deductions the system derives from what it
 * already records, plus the office's own entries and the leaders'
 * evaluation.
 *
 * The rules (points per automatic entry, the base, the evaluation's
 * maximum) are per year, stored as settings rows "assessment.YYYY.RULE"
 * and written through setting_write, so every change is an event of the
 * configuration chain with its actor.  A rule not set for a year has its
 * default; the deductions ledger's two rules (overdue, late_feedback)
 * default to the points each ledger row recorded (the deduction.* settings
 * at the time), so nothing the ledger said before changes.
 *
 * Automatic entries are read, never stored: the deductions ledger
 * (overdue, late_feedback), the escalations table (escalation_general,
 * escalation_key, escalation_listed, by level reached), the events
 * (rejected: an office's reject; unsatisfied: a requester's rating;
 * late_signing: an accept after the 签收 limit of the assignment it
 * answered, notice.accept_working_days working days, core/light.h), each
 * counted for the item's lead unit in the city-local year it happened.
 * Manual entries are rows of assessment_entries (migration 015),
 * append-only: a deduction (negative points), a bonus (加分, positive), a
 * report without substance (no_substance: the year's rule's points, on an
 * item), the leader's evaluation (0..evaluation_max, one a year per unit)
 * and a withdrawal, which is a counter-entry of minus the points of the
 * entry it withdraws (at most one per entry).  A manual entry may carry
 * its evidence (a reference text or URL) and one objection of its unit
 * (migration 017, assessment_objection.c).  Entries and objections are
 * sections of the configuration chain, so `luoshi verify` and the signed
 * checkpoints cover them. */
#ifndef LUOSHI_CORE_ASSESSMENT_H
#define LUOSHI_CORE_ASSESSMENT_H

#include <jansson.h>
#include <stdint.h>

#include "core/core.h"
#include "db/db.h"

/* The rules, sorted by name (a unit test checks it).  Three are not points
 * but the thresholds of the consequence ladders (core/consequence.h):
 * criticism_reds, letter_yellows, talk_reds (0 turns a ladder off). */
enum assessment_rule {
    ASSESS_BASE,
    ASSESS_CRITICISM_REDS,
    ASSESS_ESCALATION_GENERAL,
    ASSESS_ESCALATION_KEY,
    ASSESS_ESCALATION_LISTED,
    ASSESS_EVALUATION_MAX,
    ASSESS_LATE_FEEDBACK,
    ASSESS_LATE_SIGNING,
    ASSESS_LETTER_YELLOWS,
    ASSESS_NO_SUBSTANCE,
    ASSESS_OVERDUE,
    ASSESS_REJECTED,
    ASSESS_TALK_REDS,
    ASSESS_UNSATISFIED,
    ASSESS_RULES
};

/* One rule: its name, the integer range of its points and its default
 * (ledger 1: the default is each ledger row's own points). */
struct assessment_rule_def {
    const char *name;
    int min, max, def;
    int ledger;
};

/* The rules of one year: points[r], and set[r] 1 when the year sets it. */
struct assessment_rules {
    int year;
    double points[ASSESS_RULES];
    int set[ASSESS_RULES];
};

/* The Chinese name of a rule or an entry's kind ("overdue" → 逾期未办结,
 * "bonus" → 加分); the name itself when unknown.  Static storage. */
const char *assessment_label_zh(const char *name);

/* The rule table (ASSESS_RULES rows in enum order). */
const struct assessment_rule_def *assessment_rule_defs(void);

/* Load year's rules into *r (defaults where unset or unusable).  A db code. */
int assessment_rules_load(struct db *db, int year, struct assessment_rules *r);

/* {"year","rules":[{"rule","points","default","set","min","max"}]} in table
 * order; for a ledger rule not set, points and default are null (each
 * ledger row counts its own points).  NULL with e on a database error.
 * The caller owns the result. */
json_t *assessment_rules_json(struct db *db, int year, struct err *e);

/* Set year's rules from values (an object rule → integer in its range) as a
 * does, inside the caller's write transaction, all or nothing, each change an
 * event of the configuration chain.  0, or -1 with e: 422 invalid_field for
 * an unknown rule or a value out of range, 5xx on storage. */
int assessment_rules_set(struct db *db, const struct actor *a, int year, json_t *values,
                         struct err *e);

/* Add one manual entry from body {"unit_id","points","reason","item_id"?,
 * "meeting_id"?,"year"?,"kind"?,"evidence"?} or a withdrawal {"withdraws",
 * "reason","evidence"?} as a
 * does, inside the caller's write transaction; *id gets the new entry's id.
 * kind defaults from the sign of points (deduction < 0 < bonus);
 * "evaluation" takes 0..evaluation_max, once a year per unit unless
 * withdrawn, from a leader or the office; "no_substance" needs item_id and
 * takes its points from the year's rule (points must be absent); the rest
 * only from the office (supervisor, admin).  0, or -1 with e: 403
 * forbidden, 404 not_found (the entry withdrawn), 409 already_withdrawn or
 * evaluation_exists, 422 invalid_field / missing_field, 5xx on storage. */
int assessment_entry_add(struct db *db, const struct actor *a, json_t *body, int64_t *id,
                         struct err *e);

/* The year's scores: {"year","units":[{"unit_id","unit_code","unit_name",
 * "unit_kind","score","base","deducted","added","evaluation","rank",
 * "rank_of","entries":[…],"consequences":[…]}]} (consequences as
 * consequence_list_json's rows) for the assessed units (department, taskforce,
 * town), ordered by kind, then score (highest first), then code; rank is
 * within the unit's kind (ties share a rank).  An entry is {"source":
 * "auto"|"manual","rule","points","at","item_id","item_title", …} with
 * "ref" (ledger), "level" (escalation), "event_id" (events), or "id",
 * "reason","actor","meeting_id","withdraws","withdrawn_by","evidence",
 * "objection" ({"id","status","text","decision_reason"} or null) (manual).  unit
 * (0: all) keeps only that unit; an actor who does not see every unit sees
 * only their own (403 forbidden when unit names another).  NULL with e.
 * The caller owns the result. */
json_t *assessment_json(struct db *db, const struct actor *a, int year, int64_t unit,
                        struct err *e);

/* A unit's objection (异议) to manual entry `entry` of its own, from body
 * {"text"}, inside the caller's write transaction; *id gets its id.  Any
 * user of the entry's unit may object, once per entry.  0, or -1 with e:
 * 404 not_found (no such entry, or another unit's), 409 objection_exists
 * or already_withdrawn, 422 invalid_field (a withdrawal, or a bad body) /
 * missing_field, 5xx on storage.  Recorded on the configuration chain. */
int assessment_objection_add(struct db *db, const struct actor *a, int64_t entry, json_t *body,
                             int64_t *id, struct err *e);

/* The office's decision on pending objection id from body {"decision":
 * "accept"|"reject","reason"}, inside the caller's write transaction:
 * accepting adds the withdrawal of the entry (reason "异议成立（第N号记录）："
 * and the office's reason) and links it as counter_entry_id.  0, or -1
 * with e: 403 forbidden (not the office), 404 not_found, 409
 * objection_decided or already_withdrawn, 422, 5xx. */
int assessment_objection_decide(struct db *db, const struct actor *a, int64_t id, json_t *body,
                                struct err *e);

/* The objections (status NULL: all; else pending, accepted or rejected) as
 * {"objections":[{"id","entry_id","unit_id","unit_name","text","actor",
 * "at","status","decision_reason","decided_by","decided_at",
 * "counter_entry_id","entry":{"year","rule","points","reason","item_id",
 * "evidence"}}]}, oldest first; an actor who does not see every unit gets
 * their own unit's only.  NULL with e (422 invalid_parameter for another
 * status, 5xx).  The caller owns the result. */
json_t *assessment_objections_json(struct db *db, const struct actor *a, const char *status,
                                   struct err *e);

/* How many objections wait for the office's decision, into *n.  A db code. */
int assessment_objections_pending(struct db *db, int64_t *n);

/* A span of one year the scores are summed over: the entries that happened
 * in [lo, hi) (ms).  A manual entry happens at its time held within its
 * year (an entry for a year made after it counts on its last day), so the
 * months of a year add up to the year. */
struct assessment_window {
    int year;
    int64_t lo, hi;
    char period[12]; /* "2025", "2025-03", "2025-Q1"; "" for a span of a notice */
};

/* The window of year's period: NULL or "year" (n must be 0), "month" (n
 * 1..12) or "quarter" (n 1..4).  0, or -1 with e 422 invalid_parameter. */
int assessment_window_set(struct assessment_window *w, int year, const char *period, int n,
                          struct err *e);

/* The stamps the score is kept under (migration 019): *score changes with
 * every write to what assessment_window_json reads but the settings and the
 * calendar, *config with those (config_stamp).  A caller that keeps a
 * rendering of a score for a day may reuse it while both are unchanged.
 * DB_OK, or a negative db code. */
int assessment_stamp(struct db *db, int64_t *score, int64_t *config);

/* The window from the start of year up to until_ms (or the year's end when
 * earlier); period "". */
void assessment_window_until(struct assessment_window *w, int year, int64_t until_ms);

/* As assessment_json over the entries of window w only (the base is the
 * year's), with "period", "from" and "to" (the first and last day,
 * YYYY-MM-DD) beside "year".  NULL with e.  The caller owns the result. */
json_t *assessment_window_json(struct db *db, const struct actor *a,
                               const struct assessment_window *w, int64_t unit, struct err *e);

/* As assessment_window_json without the units' "entries" (the sums, ranks
 * and consequences only): what a ranking shows.  The last few are kept in
 * memory under the stamps (assessment_stamp) and the day, so views of an
 * unchanged score share one computation.  NULL with e. */
json_t *assessment_window_scores_json(struct db *db, const struct actor *a,
                                      const struct assessment_window *w, int64_t unit,
                                      struct err *e);

#endif
