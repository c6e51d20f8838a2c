/* calendar.c — working days: parsing and storing the listed exceptions, and
 * the arithmetic over them.  See calendar.h.
 *
 * The calendar is small (a few dozen days a year) and read whole; lookups
 * are binary searches.  It does not know lunar dates or the holiday law: the
 * State Council publishes each year's schedule and it is imported as data. */
#include "core/calendar.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config_chain.h"
#include "util/mem.h"
#include "util/str.h"
#include "util/time.h"
#include "util/utf8.h"

#define CALENDAR_LINE_MAX 512

void calendar_free(struct calendar *c)
{
    free(c->days);
    c->days = NULL;
    c->n = c->cap = 0;
}

/* Index of day in c, or -(insertion point) - 1. */
static ptrdiff_t calendar_find(const struct calendar *c, int32_t day)
{
    size_t lo = 0, hi = c->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->days[mid].day == day) return (ptrdiff_t)mid;
        if (c->days[mid].day < day)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -(ptrdiff_t)lo - 1;
}

void calendar_set(struct calendar *c, int32_t day, int workday, const char *name)
{
    ptrdiff_t i = calendar_find(c, day);
    if (i < 0) {
        size_t at = (size_t)(-i - 1);
        if (c->n == c->cap) {
            c->cap = c->cap ? 2 * c->cap : 64;
            c->days = xrealloc(c->days, c->cap * sizeof *c->days);
        }
        memmove(c->days + at + 1, c->days + at, (c->n - at) * sizeof *c->days);
        c->n++;
        i = (ptrdiff_t)at;
    }
    struct calendar_day *d = &c->days[i];
    d->day = day;
    d->workday = workday != 0;
    snprintf(d->name, sizeof d->name, "%s", name ? name : "");
}

static int is_space(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\r';
}

/* Parse one non-blank, non-comment line p[0..len) into c. */
static int calendar_parse_line(struct calendar *c, const char *p, size_t len, int lineno,
                               struct err *e)
{
    size_t i = 0, start;
    int32_t day;
    start = i;
    while (i < len && !is_space(p[i]))
        i++;
    if (date_parse(p + start, i - start, &day))
        return err_set(e, 422, "invalid_calendar", "line %d: '%.*s' is not a date as YYYY-MM-DD",
                       lineno, (int)(i - start > 40 ? 40 : i - start), p + start);
    while (i < len && is_space(p[i]))
        i++;
    start = i;
    while (i < len && !is_space(p[i]))
        i++;
    int workday;
    if (i - start == 7 && !memcmp(p + start, "holiday", 7))
        workday = 0;
    else if (i - start == 7 && !memcmp(p + start, "workday", 7))
        workday = 1;
    else
        return err_set(e, 422, "invalid_calendar",
                       "line %d: the kind must be 'holiday' or 'workday' after the date", lineno);
    while (i < len && is_space(p[i]))
        i++;
    size_t end = len;
    while (end > i && is_space(p[end - 1]))
        end--;
    if (end - i > CALENDAR_NAME_MAX)
        return err_set(e, 422, "invalid_calendar", "line %d: the name is longer than %d bytes",
                       lineno, CALENDAR_NAME_MAX);
    char name[CALENDAR_NAME_MAX + 1];
    memcpy(name, p + i, end - i);
    name[end - i] = '\0';
    if (calendar_find(c, day) >= 0) {
        char d[11];
        date_format(day, d);
        return err_set(e, 422, "invalid_calendar", "line %d: %s is listed twice", lineno, d);
    }
    calendar_set(c, day, workday, name);
    return 0;
}

int calendar_parse(struct calendar *c, const char *text, size_t len, struct err *e)
{
    size_t bad = 0;
    if (!utf8_validate(text, len, &bad))
        return err_set(e, 422, "invalid_calendar", "the calendar is not UTF-8 text (byte %zu)",
                       bad);
    if (memchr(text, '\0', len))
        return err_set(e, 422, "invalid_calendar", "the calendar contains a NUL byte");
    int lineno = 0;
    size_t pos = 0;
    while (pos < len) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - text) : len, s = pos;
        lineno++;
        pos = end + 1;
        if (end - s > CALENDAR_LINE_MAX)
            return err_set(e, 422, "invalid_calendar", "line %d is longer than %d bytes", lineno,
                           CALENDAR_LINE_MAX);
        while (s < end && is_space(text[s]))
            s++;
        if (s == end || text[s] == '#') continue;
        if (calendar_parse_line(c, text + s, end - s, lineno, e)) {
            char where[32]; /* the line, for the Chinese text (the English names it itself) */
            snprintf(where, sizeof where, "第 %d 行", lineno);
            return err_subject(e, where);
        }
    }
    return 0;
}

int calendar_load(struct db *db, struct calendar *c)
{
    calendar_free(c);
    struct db_stmt *st = db_prepare(db, "SELECT day, kind, name FROM calendar_days ORDER BY day");
    if (!st) return DB_ERR;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        const char *d = db_column_text(st, 0);
        int32_t day;
        if (date_parse(d, strlen(d), &day)) continue; /* only calendar_import writes here */
        calendar_set(c, day, !strcmp(db_column_text(st, 1), "workday"), db_column_text(st, 2));
    }
    db_finalize(st);
    return rc == DB_DONE ? DB_OK : rc;
}

/* Store one listed day of an import, recorded in the configuration chain. */
static int calendar_put(struct db *db, const struct actor *a, const struct calendar_day *cd,
                        struct err *e)
{
    char d[11];
    date_format(cd->day, d);
    json_t *before;
    int rc = config_row(db, CONFIG_CALENDAR, d, &before);
    if (rc != DB_OK) return err_db(e, rc, "storing the calendar");
    struct db_stmt *st = db_prepare(
        db, "INSERT INTO calendar_days (day, kind, name) VALUES (?1, ?2, ?3)"
            " ON CONFLICT (day) DO UPDATE SET kind = excluded.kind, name = excluded.name");
    rc = DB_ERR;
    if (st) {
        db_bind_text(st, 1, d, (size_t)-1);
        db_bind_text(st, 2, cd->workday ? "workday" : "holiday", (size_t)-1);
        db_bind_text(st, 3, cd->name, (size_t)-1);
        rc = db_step(st);
        db_finalize(st);
    }
    if (rc != DB_DONE) {
        json_decref(before);
        return err_db(e, rc, "storing the calendar");
    }
    return config_record(db, a, "import", CONFIG_CALENDAR, d, before, e);
}

int calendar_import(struct db *db, const struct actor *a, const char *text, size_t len, int *count,
                    struct err *e)
{
    struct calendar c = {0};
    int ret = -1;
    if (calendar_parse(&c, text, len, e)) goto out;
    for (size_t i = 0; i < c.n; i++)
        if (calendar_put(db, a, &c.days[i], e)) goto out;
    *count = (int)c.n;
    ret = 0;
out:
    calendar_free(&c);
    return ret;
}

/* 1 when c lists a day of year. */
static int calendar_has_year(const struct calendar *c, int year)
{
    char y[12], d[11];
    snprintf(y, sizeof y, "%04d", year);
    for (size_t i = 0; i < c->n; i++) {
        date_format(c->days[i].day, d);
        if (!strncmp(d, y, 4)) return 1;
    }
    return 0;
}

/* The year of day number day. */
static int calendar_year_of(int32_t day)
{
    char d[11];
    date_format(day, d);
    return (d[0] - '0') * 1000 + (d[1] - '0') * 100 + (d[2] - '0') * 10 + (d[3] - '0');
}

int calendar_import_new_years(struct db *db, const struct actor *a, const char *text, size_t len,
                              int *count, struct err *e)
{
    struct calendar c = {0}, have = {0};
    int ret = -1, rc = calendar_load(db, &have);
    *count = 0;
    if (rc != DB_OK) {
        err_db(e, rc, "reading the calendar");
        goto out;
    }
    if (calendar_parse(&c, text, len, e)) goto out;
    for (size_t i = 0; i < c.n; i++) {
        if (calendar_has_year(&have, calendar_year_of(c.days[i].day))) continue;
        if (calendar_put(db, a, &c.days[i], e)) goto out;
        (*count)++;
    }
    ret = 0;
out:
    calendar_free(&c);
    calendar_free(&have);
    return ret;
}

int calendar_missing_years(struct db *db, int year, int missing[2], int *n)
{
    *n = 0;
    for (int y = year; y <= year + 1; y++) {
        char from[12], to[12];
        snprintf(from, sizeof from, "%04d-01-01", y);
        snprintf(to, sizeof to, "%04d-12-31", y);
        struct db_stmt *st =
            db_prepare(db, "SELECT count(*) FROM calendar_days WHERE day >= ?1 AND day <= ?2");
        if (!st) return DB_ERR;
        db_bind_text(st, 1, from, (size_t)-1);
        db_bind_text(st, 2, to, (size_t)-1);
        int rc = db_step(st);
        int64_t k = rc == DB_ROW ? db_column_int64(st, 0) : 0;
        db_finalize(st);
        if (rc != DB_ROW) return rc;
        if (!k) missing[(*n)++] = y;
    }
    return DB_OK;
}

/* The years with a listed day, and year itself, ascending. */
static json_t *calendar_years(struct db *db, int year, int *rc)
{
    json_t *a = json_array();
    int have = 0;
    struct db_stmt *st =
        db_prepare(db, "SELECT DISTINCT substr(day, 1, 4) AS y FROM calendar_days ORDER BY y");
    if (!st) {
        *rc = DB_ERR;
        return a;
    }
    while ((*rc = db_step(st)) == DB_ROW) {
        const char *y = db_column_text(st, 0);
        int64_t v;
        if (!y || str_to_int64(y, strlen(y), &v)) continue;
        if (!have && v > year) json_array_append_new(a, json_integer(year));
        have |= v >= year;
        json_array_append_new(a, json_integer(v));
    }
    db_finalize(st);
    if (*rc == DB_DONE) *rc = DB_OK;
    if (!have) json_array_append_new(a, json_integer(year));
    return a;
}

json_t *calendar_year_json(struct db *db, int year, struct err *e)
{
    int rc = DB_OK;
    json_t *years = calendar_years(db, year, &rc), *days = json_array();
    char from[11], to[11];
    date_format(date_make(year, 1, 1), from);
    date_format(date_make(year + 1, 1, 1), to);
    struct db_stmt *st = rc != DB_OK ? NULL
                                     : db_prepare(db, "SELECT day, kind, name FROM calendar_days"
                                                      " WHERE day >= ?1 AND day < ?2 ORDER BY day");
    if (st) {
        db_bind_text(st, 1, from, (size_t)-1);
        db_bind_text(st, 2, to, (size_t)-1);
        while ((rc = db_step(st)) == DB_ROW) {
            const char *d = db_column_text(st, 0);
            int32_t day;
            if (date_parse(d, strlen(d), &day)) continue;
            json_array_append_new(
                days, json_pack("{s:s,s:s,s:s,s:i}", "date", d, "kind", db_column_text(st, 1),
                                "name", db_column_text(st, 2), "weekday", date_weekday(day)));
        }
        db_finalize(st);
        if (rc == DB_DONE) rc = DB_OK;
    } else if (rc == DB_OK) {
        rc = DB_ERR;
    }
    if (rc != DB_OK) {
        json_decref(years);
        json_decref(days);
        return err_db(e, rc, "reading the calendar"), NULL;
    }
    return json_pack("{s:i,s:o,s:o}", "year", year, "years", years, "days", days);
}

int calendar_remove(struct db *db, const struct actor *a, int32_t day, struct err *e)
{
    char d[11];
    date_format(day, d);
    json_t *before;
    int rc = config_row(db, CONFIG_CALENDAR, d, &before);
    if (rc != DB_OK) return err_db(e, rc, "removing a calendar day");
    if (!before) return err_set(e, 404, "not_found", "%s is not listed", d);
    struct db_stmt *st = db_prepare(db, "DELETE FROM calendar_days WHERE day = ?1");
    rc = DB_ERR;
    if (st) {
        db_bind_text(st, 1, d, (size_t)-1);
        rc = db_step(st);
        db_finalize(st);
    }
    if (rc != DB_DONE) {
        json_decref(before);
        return err_db(e, rc, "removing a calendar day");
    }
    return config_record(db, a, "remove", CONFIG_CALENDAR, d, before, e);
}

int calendar_is_working_day(const struct calendar *c, int32_t day)
{
    ptrdiff_t i = calendar_find(c, day);
    if (i >= 0) return c->days[i].workday;
    return date_weekday(day) <= 5;
}

int32_t calendar_add_working_days(const struct calendar *c, int32_t day, int n)
{
    int step = n < 0 ? -1 : 1;
    while (n != 0) {
        day += step;
        if (calendar_is_working_day(c, day)) n -= step;
    }
    return day;
}

int32_t calendar_next_working_day(const struct calendar *c, int32_t day)
{
    while (!calendar_is_working_day(c, day))
        day++;
    return day;
}

int calendar_working_days_between(const struct calendar *c, int32_t from, int32_t to)
{
    if (to < from) return -calendar_working_days_between(c, to, from);
    int n = 0;
    for (int32_t d = from + 1; d <= to; d++)
        n += calendar_is_working_day(c, d);
    return n;
}
