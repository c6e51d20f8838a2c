/* time.h — clock, timestamps and calendar dates.
 *
 * Timestamps are int64 milliseconds since the Unix epoch, stored as integers
 * and shown as ISO 8601 with the city's offset ("2023-03-15T14:30:00+08:00").
 * Dates (deadlines) are "YYYY-MM-DD" strings in storage and day numbers
 * (days since 1970-01-01) in arithmetic.  The city's zone is the process's TZ,
 * set once at start (default Asia/Shanghai).  Working days live in
 * core/calendar, not here. */
#ifndef LUOSHI_UTIL_TIME_H
#define LUOSHI_UTIL_TIME_H

#include <stddef.h>
#include <stdint.h>

/* Set the process time zone (e.g. "Asia/Shanghai").  Call before threads start.
 * Returns 0, or -1 (the zone unchanged) when zone names no zone file under
 * $TZDIR or /usr/share/zoneinfo: the C library would silently use UTC. */
int time_set_zone(const char *zone);
/* Milliseconds since the epoch.  LUOSHI_NOW (ms or YYYY-MM-DD) overrides it for tests. */
int64_t time_now_ms(void);
/* Format ms as ISO 8601 with the city offset into out (at least 32 bytes). */
void time_format_iso(int64_t ms, char *out, size_t outlen);
/* The city-local day number of ms. */
int32_t time_day_of(int64_t ms);
/* Today's day number in the city. */
int32_t time_today(void);
/* The city-local minute of the day of ms (0..1439). */
int time_minute_of_day(int64_t ms);
/* The time (ms) of minute (0..1439) on the city-local day of ms, plus days
 * days; seconds are 0. */
int64_t time_at_minute(int64_t ms, int days, int minute);
/* Parse exactly "YYYY-MM-DD" (a real date, 1900..9999) into a day number.  0 ok, -1 bad. */
int date_parse(const char *s, size_t len, int32_t *day);
/* Format a day number as "YYYY-MM-DD" into out (at least 11 bytes). */
void date_format(int32_t day, char *out);
/* Day of week of a day number: 1 = Monday … 7 = Sunday. */
int date_weekday(int32_t day);
/* Split a day number into year, month (1-12) and day (1-31). */
void date_split(int32_t day, int *y, int *m, int *d);
/* Day number of y-m-d (no validation). */
int32_t date_make(int y, int m, int d);

#endif
