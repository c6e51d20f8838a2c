/* calendar.h — the working-day calendar (工作日): weekends, official holidays
 * (放假) and adjusted working days (调休上班).
 *
 * A day is a working day when it is a Monday to Friday that is not listed as
 * a holiday, or any day listed as a workday.  The exceptions live in the
 * calendar_days table and are imported from plain text, one day a line:
 *
 *     # comment
 *     YYYY-MM-DD holiday|workday [name]
 *
 * Every due-date computation (deadlines in working days, the yellow window,
 * feedback dates) goes through here.  Days are util/time.h day numbers. */
#ifndef LUOSHI_CORE_CALENDAR_H
#define LUOSHI_CORE_CALENDAR_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/core.h"
#include "db/db.h"

#define CALENDAR_NAME_MAX 60 /* bytes of a day's name */

/* One listed day. */
struct calendar_day {
    int32_t day;
    int workday; /* 1 adjusted working day, 0 holiday */
    char name[CALENDAR_NAME_MAX + 1];
};

/* The listed days, sorted by day, unique.  Zero-initialised is empty. */
struct calendar {
    struct calendar_day *days;
    size_t n, cap;
};

/* Free the days (the struct itself is the caller's) and empty it. */
void calendar_free(struct calendar *c);
/* List day as a holiday or workday with a name (may be NULL; cut to
 * CALENDAR_NAME_MAX bytes), replacing an earlier listing of the same day. */
void calendar_set(struct calendar *c, int32_t day, int workday, const char *name);
/* Parse calendar text (format above) into c.  Blank lines and lines starting
 * with '#' are skipped; a day listed twice is an error.  0 ok, or -1 with e
 * 422 "invalid_calendar" naming the line and what was wrong. */
int calendar_parse(struct calendar *c, const char *text, size_t len, struct err *e);
/* Load every listed day from the database into c (emptied first).  Returns
 * DB_OK or a negative db code. */
int calendar_load(struct db *db, struct calendar *c);
/* Parse text and store its days as imported by a (inside the caller's write
 * transaction, each changed day an event of the configuration chain),
 * replacing earlier listings of the same days.  0 with *count set, or -1 with
 * e (422 for bad text, 5xx for storage). */
int calendar_import(struct db *db, const struct actor *a, const char *text, size_t len, int *count,
                    struct err *e);

/* Like calendar_import, but only the days of years the database lists no
 * day of yet (an official schedule shipped with the binary, loaded at
 * `luoshi init` without undoing what an admin changed): 0 with *count the
 * days stored, or -1 with e. */
int calendar_import_new_years(struct db *db, const struct actor *a, const char *text, size_t len,
                              int *count, struct err *e);
/* Which of year and year + 1 list no day at all (no official schedule was
 * loaded for them, so holidays count as working days): those years into
 * missing, their number into *n.  DB_OK or a negative db code. */
int calendar_missing_years(struct db *db, int year, int missing[2], int *n);
/* The listed days of year as JSON, for the admin page and GET
 * /api/v1/calendar: {"year","years":[every year with a listed day, and
 * year],"days":[{"date","kind":"holiday"|"workday","name","weekday":1-7}]}
 * ordered by date.  NULL with e on a database error. */
json_t *calendar_year_json(struct db *db, int year, struct err *e);
/* Remove the listing of day as a does (inside the caller's write
 * transaction, an event of the configuration chain), so it is an ordinary
 * weekday or weekend again.  0, or -1 with e: 404 when the day is not
 * listed. */
int calendar_remove(struct db *db, const struct actor *a, int32_t day, struct err *e);

/* 1 when day is a working day. */
int calendar_is_working_day(const struct calendar *c, int32_t day);
/* The n-th working day after day (n > 0), before it (n < 0), or day (n == 0). */
int32_t calendar_add_working_days(const struct calendar *c, int32_t day, int n);
/* day if it is a working day, else the first working day after it. */
int32_t calendar_next_working_day(const struct calendar *c, int32_t day);
/* The number of working days d with from < d <= to; negative (minus the count
 * of to < d <= from) when to is before from.  So
 * calendar_working_days_between(c, d, calendar_add_working_days(c, d, n)) == n
 * for n >= 0. */
int calendar_working_days_between(const struct calendar *c, int32_t from, int32_t to);

#endif
