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

/* Bumped by each zone change: time_format_iso's per-thread hour cache holds
 * the old zone's offset until it sees a new generation. */
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

/* localtime_r is the slow part of formatting (it consults the zone rules each
 * call); zone offsets only change on the hour, so each thread keeps the
 * hour's formatted prefix and offset and fills in minutes and seconds. */
static _Thread_local struct {
    int64_t hour;
    char prefix[48]; /* "YYYY-MM-DDTHH:" */
    char offset[16]; /* "+08:00" */
    int valid;
    int generation; /* zone_generation when filled */
} iso_cache;

void time_format_iso(int64_t ms, char *out, size_t outlen)
{
    int64_t secs = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
    int64_t hour = secs >= 0 ? secs / 3600 : (secs - 3599) / 3600;
    if (!iso_cache.valid || iso_cache.hour != hour || iso_cache.generation != zone_generation) {
        time_t t = (time_t)(hour * 3600);
        struct tm tm;
        localtime_r(&t, &tm);
        long off = tm.tm_gmtoff / 60;
        char sign = off < 0 ? '-' : '+';
        if (off < 0) off = -off;
        snprintf(iso_cache.prefix, sizeof iso_cache.prefix,
                 "%04d-%02d-%02dT%02d:", (tm.tm_year + 1900) % 10000, tm.tm_mon + 1, tm.tm_mday,
                 tm.tm_hour);
        snprintf(iso_cache.offset, sizeof iso_cache.offset, "%c%02ld:%02ld", sign, (off / 60) % 100,
                 off % 60);
        iso_cache.hour = hour;
        iso_cache.generation = zone_generation;
        iso_cache.valid = 1;
    }
    int within = (int)(secs - hour * 3600);
    size_t np = strlen(iso_cache.prefix), no = strlen(iso_cache.offset);
    if (outlen < np + 5 + no + 1) {
        snprintf(out, outlen, "%s%02d:%02d%s", iso_cache.prefix, within / 60, within % 60,
                 iso_cache.offset);
        return;
    }
    /* by hand: this runs for every timestamp of every item listed */
    char *p = out;
    memcpy(p, iso_cache.prefix, np), p += np;
    *p++ = (char)('0' + within / 600), *p++ = (char)('0' + within / 60 % 10), *p++ = ':';
    *p++ = (char)('0' + within % 60 / 10), *p++ = (char)('0' + within % 10);
    memcpy(p, iso_cache.offset, no + 1);
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
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    localtime_r(&t, &tm);
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
