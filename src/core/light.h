/* light.h — warning lights (预警灯), derived, never stored by hand.
 *
 * The rules, first match wins (defaults in brackets; the numbers are the
 * settings light.warn_working_days, light.behind_yellow, light.behind_red):
 *
 *   none    the item is closed (done, archived, cancelled) or suspended
 *   red     the deadline has passed (an item created with a past deadline is red at once)
 *   red     open work (assigned, accepted, in_progress) is behind the pro-rata
 *           schedule (序时进度) by [30] percentage points or more
 *   yellow  the deadline is within [3] working days (today counts as within)
 *   yellow  open work has a late feedback, or is behind schedule by [10] points or more
 *   green   otherwise
 *
 * Lights are computed in SQL so lists filter and sort by them.  What needs
 * the calendar or the settings is computed in C: the caller binds today and
 * the warning date (light_dates), and the item row carries the next expected
 * feedback date and the first days it falls behind by each margin
 * (feedback_due, behind_yellow_on, behind_red_on), which core/action.c keeps
 * up to date with light_feedback_due and light_behind_days. */
#ifndef LUOSHI_CORE_LIGHT_H
#define LUOSHI_CORE_LIGHT_H

#include <stdint.h>

#include "core/calendar.h"
#include "db/db.h"

/* The light of the item aliased "i", given the placeholders (string literals
 * such as "?10") holding today and the last day of the warning window, both
 * 'YYYY-MM-DD'. */
#define LIGHT_SQL(TODAY, WARN)                                                                     \
    "(CASE WHEN i.status IN ('draft','done','archived','cancelled','suspended') THEN 'none'"       \
    " WHEN i.deadline IS NOT NULL AND i.deadline < " TODAY " THEN 'red'"                           \
    " WHEN i.status IN ('assigned','accepted','in_progress') AND i.behind_red_on IS NOT NULL"      \
    " AND i.behind_red_on <= " TODAY " THEN 'red'"                                                 \
    " WHEN i.deadline IS NOT NULL AND i.deadline <= " WARN " THEN 'yellow'"                        \
    " WHEN i.status IN ('assigned','accepted','in_progress') AND ((i.feedback_due IS NOT NULL"     \
    " AND i.feedback_due < " TODAY ") OR (i.behind_yellow_on IS NOT NULL"                          \
    " AND i.behind_yellow_on <= " TODAY ")) THEN 'yellow'"                                         \
    " ELSE 'green' END)"

/* 1 when the item aliased "i" is open work whose expected feedback is late,
 * given the placeholder holding today. */
#define LIGHT_FEEDBACK_LATE_SQL(TODAY)                                                             \
    "(i.status IN ('assigned','accepted','in_progress') AND i.feedback_due IS NOT NULL"            \
    " AND i.feedback_due < " TODAY ")"

/* The configurable numbers of the rules. */
struct light_rules {
    int warn_working_days; /* yellow when the deadline is within this many working days */
    int behind_yellow;     /* yellow when behind schedule by at least this many points */
    int behind_red;        /* red when behind schedule by at least this many points */
};

/* The defaults: 3, 10, 30. */
extern const struct light_rules light_rules_default;

/* Read the rules from the settings table; a missing or unusable value keeps
 * its default (warn_working_days 0..30, behind_yellow 1..100, behind_red
 * behind_yellow..100).  Returns DB_OK or a negative db code (r then holds the
 * defaults). */
int light_rules_load(struct db *db, struct light_rules *r);

/* Fill today and the warning date (today + warn_working_days working days on
 * the stored calendar) for LIGHT_SQL.  On a storage error the weekday rule
 * and the default window are used: lights stay computable.  The warning date
 * is kept in memory for the day and the config_stamp (migration 008) it was
 * computed for, so any write to the settings or the calendar, from any
 * process, is seen by the next call; thread-safe. */
void light_dates(struct db *db, char today[11], char warn[11]);

/* The warning date for today on calendar c with rules r (a day number). */
int32_t light_warn_day(const struct calendar *c, const struct light_rules *r, int32_t today);

/* The first days on which an item scheduled from start to deadline, at
 * progress percent, is behind the pro-rata schedule by at least
 * r->behind_yellow and r->behind_red points: expected progress on day t is
 * (t - start) * 100 / (deadline - start).  -1 when it never is before the
 * deadline (or there is no schedule: deadline <= start). */
void light_behind_days(const struct light_rules *r, int32_t start, int32_t deadline, int progress,
                       int32_t *yellow_on, int32_t *red_on);

/* The next expected feedback after a report (or the assignment) on day from,
 * for cycle weekly (+7 days), biweekly (+14), monthly (same day next month,
 * or its last day), quarterly (+3 months), moved to the next working day of
 * c.  -1 for cycle none (or an unknown cycle). */
int32_t light_feedback_due(const struct calendar *c, const char *cycle, int32_t from);

/* 1 when s is green, yellow, red or none. */
int light_valid(const char *s);

/* The 签收 limit (defect 18 of issue 17): an item assigned on day a is due to
 * be accepted by the working day notice.accept_working_days [1] after a (the
 * same rule the notices' on-time signing counts), and is late to sign once
 * today is past that day while it is still assigned.  What the rule needs,
 * loaded once per page or list. */
struct light_accept {
    int working_days;
    int32_t today;
    struct calendar cal;
};
/* Load the setting, today and the calendar into acc (light_accept_free it
 * after, whatever the result).  DB_OK or a negative db code. */
int light_accept_load(struct db *db, struct light_accept *acc);
/* Free what light_accept_load loaded. */
void light_accept_free(struct light_accept *acc);
/* The day an item assigned on assigned_on ('YYYY-MM-DD') is due to be
 * accepted, into due; returns 1 when today is past it, 0 when not, -1 (due
 * untouched) when assigned_on is NULL or not a date. */
int light_accept_due(const struct light_accept *acc, const char *assigned_on, char due[11]);
/* The last assignment day whose limit has passed ('YYYY-MM-DD' into
 * cutoff): an item still assigned with assigned_on <= cutoff is late to
 * sign (for counting in SQL). */
void light_accept_cutoff(const struct light_accept *acc, char cutoff[11]);

#endif
