/* time.c — clock and date arithmetic.  See time.h.
 * Day numbers use Howard Hinnant's civil-from-days algorithms, which are exact
 * for the proleptic Gregorian calendar and need no tables. */
#include "util/time.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/str.h"

/* Whether zone is the name of a zone file: "Asia/Shanghai", "UTC"; never a
 * path of its own (no leading '/', no "..") so only the zone directory is
 * read. */
static int zone_known(const char *zone)
{
    if (!*zone || *zone == '/' || strstr(zone, "..") || strlen(zone) > 200) return 0;
    const char *dir = getenv("TZDIR");
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", zone);
    FILE *f = fopen(path, "rb");
    if (!f) return 0;
    char magic[4] = {0};
    size_t n = fread(magic, 1, 4, f);
    fclose(f);
    return n == 4 && !memcmp(magic, "TZif", 4);
}

/* Bumped by each zone change: the per-thread kept days (zone_days) hold
 * the old zone's offsets until they see a new generation. */
static int zone_generation;

int time_set_zone(const char *zone)
{
    if (!zone || !zone_known(zone)) return -1;
    setenv("TZ", zone, 1);
    tzset();
    zone_generation++;
    return 0;
}

int64_t time_now_ms(void)
{
    const char *fake = getenv("LUOSHI_NOW");
    if (fake && *fake) {
        int32_t day;
        int64_t ms;
        if (date_parse(fake, strlen(fake), &day) == 0) {
            /* noon city time on that day: far from either midnight */
            struct tm tm = {0};
            int y, m, d;
            date_split(day, &y, &m, &d);
            tm.tm_year = y - 1900, tm.tm_mon = m - 1, tm.tm_mday = d, tm.tm_hour = 12;
            tm.tm_isdst = -1;
            return (int64_t)mktime(&tm) * 1000;
        }
        if (str_to_int64(fake, strlen(fake), &ms) == 0) return ms;
    }
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* localtime_r is the slow part of formatting: the zone's rules, under the C
 * library's lock.  Over a list of items made in different hours it ran for
 * nearly every timestamp (a fifth of a list's CPU).  A zone's offset changes a
 * few times a year at most, so each thread keeps, per UTC day, the offset at the
 * day's first and last second; on a day where the two agree (every day but a
 * transition's) local time is arithmetic.  A transition's day asks localtime_r
 * for each timestamp. */
#define ZONE_DAYS 1024 /* nearly three years: a list's items span months (16 KB) */
static _Thread_local struct zone_day {
    int32_t day;    /* UTC day number */
    int32_t off;    /* seconds east of UTC all that day */
    int32_t mixed;  /* the offset changes during the day */
    int32_t filled; /* zone_generation + 1 when filled, 0 never */
} zone_days[ZONE_DAYS];

static long gmtoff_at(int64_t secs)
{
    time_t t = (time_t)secs;
    struct tm tm;
    localtime_r(&t, &tm);
    return tm.tm_gmtoff;
}

/* 0 and the offset of secs' UTC day, or -1 on a day the offset changes. */
static int day_offset(int64_t secs, long *off)
{
    int64_t day = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
    if (day < -100000000 || day > 100000000) return -1; /* beyond the kept days' range */
    struct zone_day *z = &zone_days[(uint64_t)day % ZONE_DAYS];
    if (z->filled != zone_generation + 1 || z->day != day) {
        long first = gmtoff_at(day * 86400), last = gmtoff_at(day * 86400 + 86399);
        z->day = (int32_t)day, z->off = (int32_t)first, z->mixed = first != last;
        z->filled = zone_generation + 1;
    }
    if (z->mixed) return -1;
    *off = z->off;
    return 0;
}

/* The city-local fields of secs, and its offset east of UTC in seconds. */
static void local_fields(int64_t secs, struct tm *tm, long *off)
{
    if (day_offset(secs, off) != 0) {
        time_t t = (time_t)secs;
        localtime_r(&t, tm);
        *off = tm->tm_gmtoff;
        return;
    }
    int64_t local = secs + *off;
    int64_t day = local >= 0 ? local / 86400 : (local - 86399) / 86400;
    int rem = (int)(local - day * 86400), y, m, d;
    date_split((int32_t)day, &y, &m, &d);
    memset(tm, 0, sizeof *tm);
    tm->tm_year = y - 1900, tm->tm_mon = m - 1, tm->tm_mday = d;
    tm->tm_hour = rem / 3600, tm->tm_min = rem / 60 % 60, tm->tm_sec = rem % 60;
}

static char *two(char *p, int v)
{
    *p++ = (char)('0' + v / 10 % 10), *p++ = (char)('0' + v % 10);
    return p;
}

void time_format_iso(int64_t ms, char *out, size_t outlen)
{
    int64_t secs = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
    struct tm tm;
    long off;
    local_fields(secs, &tm, &off);
    int y = (tm.tm_year + 1900) % 10000;
    off /= 60;
    char sign = off < 0 ? '-' : '+';
    if (off < 0) off = -off;
    if (outlen < 26 || y < 0) {
        snprintf(out, outlen, "%04d-%02d-%02dT%02d:%02d:%02d%c%02ld:%02ld", y, tm.tm_mon + 1,
                 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, sign, (off / 60) % 100, off % 60);
        return;
    }
    /* by hand: this runs for every timestamp of every item listed */
    char *p = two(two(out, y / 100), y % 100);
    *p++ = '-', p = two(p, tm.tm_mon + 1), *p++ = '-', p = two(p, tm.tm_mday);
    *p++ = 'T', p = two(p, tm.tm_hour), *p++ = ':', p = two(p, tm.tm_min);
    *p++ = ':', p = two(p, tm.tm_sec), *p++ = sign;
    p = two(p, (int)(off / 60 % 100)), *p++ = ':', p = two(p, (int)(off % 60));
    *p = '\0';
}

int32_t date_make(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (unsigned)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int32_t)doe - 719468;
}

void date_split(int32_t z, int *y, int *m, int *d)
{
    z += 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int yy = (int)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yy + (*m <= 2);
}

int32_t time_day_of(int64_t ms)
{
    struct tm tm;
    long off;
    local_fields(ms >= 0 ? ms / 1000 : (ms - 999) / 1000, &tm, &off);
    return date_make(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

int32_t time_today(void)
{
    return time_day_of(time_now_ms());
}

int time_minute_of_day(int64_t ms)
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    localtime_r(&t, &tm);
    return tm.tm_hour * 60 + tm.tm_min;
}

int64_t time_at_minute(int64_t ms, int days, int minute)
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    localtime_r(&t, &tm);
    tm.tm_mday += days;
    tm.tm_hour = minute / 60, tm.tm_min = minute % 60, tm.tm_sec = 0;
    tm.tm_isdst = -1;
    return (int64_t)mktime(&tm) * 1000;
}

static int digits(const char *s, size_t n, int *out)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

int date_parse(const char *s, size_t len, int32_t *day)
{
    int y, m, d;
    if (len != 10 || s[4] != '-' || s[7] != '-') return -1;
    if (digits(s, 4, &y) || digits(s + 5, 2, &m) || digits(s + 8, 2, &d)) return -1;
    if (y < 1900 || m < 1 || m > 12 || d < 1) return -1;
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (d > mdays[m - 1] + (m == 2 && leap)) return -1;
    *day = date_make(y, m, d);
    return 0;
}

void date_format(int32_t day, char *out)
{
    int y, m, d;
    date_split(day, &y, &m, &d);
    y = y < 0 ? 0 : y % 10000;
    out[0] = (char)('0' + y / 1000), out[1] = (char)('0' + y / 100 % 10);
    out[2] = (char)('0' + y / 10 % 10), out[3] = (char)('0' + y % 10), out[4] = '-';
    out[5] = (char)('0' + m / 10), out[6] = (char)('0' + m % 10), out[7] = '-';
    out[8] = (char)('0' + d / 10), out[9] = (char)('0' + d % 10), out[10] = '\0';
}

int date_weekday(int32_t day)
{
    /* 1970-01-01 was a Thursday (4) */
    int w = (int)((day % 7 + 7) % 7);
    return (w + 3) % 7 + 1;
}
