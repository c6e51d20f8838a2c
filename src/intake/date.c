/* date.c — the calendar arithmetic intake needs: reading "3月15日下午" style
 * dates from text (at a given place, or the first one a sentence mentions:
 * "2023年3月15日", "3月15日", "22日，" alone, "今天上午（3月8日）", the ISO
 * "2024-03-29" of a page's date line), filling in a year or month the text
 * leaves out from a base date (the page's date, else the import's), and adding
 * days for suggested deadlines.  Working days and holidays are not handled
 * here (the util calendar owns them); intake only suggests calendar dates. */
#include <string.h>

#include "intake/internal.h"

/* Read 1..4 ASCII digits at s[*i]; returns the value or -1. */
static int date_digits(const char *s, size_t len, size_t *i, int max_digits)
{
    int v = 0, n = 0;
    while (*i < len && n < max_digits && s[*i] >= '0' && s[*i] <= '9') {
        v = v * 10 + (s[*i] - '0');
        (*i)++;
        n++;
    }
    return n ? v : -1;
}

static void date_skip_spaces(const char *s, size_t len, size_t *i)
{
    while (*i < len && s[*i] == ' ')
        (*i)++;
}

static const char *const date_times[] = {"上午", "下午", "中午", "晚上", "傍晚",
                                         "凌晨", "早上", "清晨", "晚",   NULL};

size_t intake_date_parse(const char *s, size_t len, struct intake_date *d)
{
    size_t i = 0, save;
    int y = 0, m, day;
    date_skip_spaces(s, len, &i);
    save = i;
    int v = date_digits(s, len, &i, 4);
    if (v < 0) return 0;
    if (i - save == 4 && intake_text_has(s, len, i, "年")) {
        y = v;
        i += 3;
        date_skip_spaces(s, len, &i);
        v = date_digits(s, len, &i, 2);
    }
    m = v;
    if (m < 1 || m > 12 || !intake_text_has(s, len, i, "月")) return 0;
    i += 3;
    date_skip_spaces(s, len, &i);
    day = date_digits(s, len, &i, 2);
    if (day < 1 || day > intake_date_mdays(y ? y : 2000, m)) return 0;
    if (intake_text_has(s, len, i, "日"))
        i += 3;
    else if (intake_text_has(s, len, i, "号"))
        i += 3;
    else
        return 0;
    for (int k = 0; date_times[k]; k++) {
        if (intake_text_has(s, len, i, date_times[k])) {
            size_t n = 0;
            while (date_times[k][n])
                n++;
            i += n;
            break;
        }
    }
    d->year = y;
    d->month = m;
    d->day = day;
    return i;
}

int intake_date_mdays(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12) return 0;
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
    return days[m - 1];
}

int intake_date_cmp(struct intake_date a, struct intake_date b)
{
    if (a.year != b.year) return a.year < b.year ? -1 : 1;
    if (a.month != b.month) return a.month < b.month ? -1 : 1;
    if (a.day != b.day) return a.day < b.day ? -1 : 1;
    return 0;
}

struct intake_date intake_date_add(struct intake_date d, int days)
{
    while (days > 0) {
        int left = intake_date_mdays(d.year, d.month) - d.day;
        if (days <= left) {
            d.day += days;
            break;
        }
        days -= left + 1;
        d.day = 1;
        if (++d.month > 12) {
            d.month = 1;
            d.year++;
        }
    }
    return d;
}

void intake_date_resolve(struct intake_date *d, struct intake_date today)
{
    if (d->year || !today.year || !d->month) return;
    d->year = today.year;
    if (d->month == 2 && d->day == 29 && intake_date_mdays(d->year, 2) == 28) d->year--;
    struct intake_date limit = intake_date_add(today, 7);
    if (intake_date_cmp(*d, limit) > 0) d->year--;
    if (d->month == 2 && d->day == 29 && intake_date_mdays(d->year, 2) == 28) d->day = 28;
}

/* A time of day after a date: its bytes at s[i], or 0. */
static size_t date_time_of_day(const char *s, size_t len, size_t i)
{
    for (int k = 0; date_times[k]; k++)
        if (intake_text_has(s, len, i, date_times[k])) return strlen(date_times[k]);
    return 0;
}

/* "2024-03-29", "2024.3.29", "2024/03/29" at s[i]: the bytes used, or 0. */
static size_t date_iso(const char *s, size_t len, size_t i, struct intake_date *d)
{
    size_t j = i;
    int y = date_digits(s, len, &j, 4);
    if (y < 1900 || j - i != 4 || j >= len) return 0;
    char sep = s[j];
    if (sep != '-' && sep != '.' && sep != '/') return 0;
    j++;
    int m = date_digits(s, len, &j, 2);
    if (m < 1 || m > 12 || j >= len || s[j] != sep) return 0;
    j++;
    int day = date_digits(s, len, &j, 2);
    if (day < 1 || day > intake_date_mdays(y, m)) return 0;
    if (j < len && s[j] >= '0' && s[j] <= '9') return 0;
    *d = (struct intake_date){y, m, day};
    return j - i;
}

/* "22日" alone at s[i] (not part of M月D日), followed by a time of day or a
 * clause mark: the bytes used, or 0; d->day is set, month and year 0. */
static size_t date_day_alone(const char *s, size_t len, size_t i, struct intake_date *d)
{
    size_t j = i;
    int day = date_digits(s, len, &j, 2);
    if (day < 1 || day > 31 || !intake_text_has(s, len, j, "日")) return 0;
    j += 3;
    j += date_time_of_day(s, len, j);
    uint32_t next = intake_text_at(s, len, j);
    if (!intake_text_is_clause_mark(next) && next != ' ') return 0;
    *d = (struct intake_date){0, 0, day};
    return j - i;
}

/* "今天上午（3月8日）", "今日", "昨天下午": the bytes used, or 0.  A date in
 * the brackets is the date; else *rel gets 0 for today, -1 for yesterday and
 * d stays empty. */
static size_t date_relative(const char *s, size_t len, size_t i, struct intake_date *d, int *rel)
{
    static const struct {
        const char *word;
        int rel;
    } words[] = {{"今天", 0}, {"今日", 0}, {"昨天", -1}, {"昨日", -1}};
    for (size_t k = 0; k < sizeof words / sizeof words[0]; k++) {
        if (!intake_text_has(s, len, i, words[k].word)) continue;
        size_t j = i + strlen(words[k].word);
        j += date_time_of_day(s, len, j);
        if (intake_text_has(s, len, j, "（") || intake_text_has(s, len, j, "(")) {
            size_t o = j + (s[j] == '(' ? 1 : 3);
            struct intake_date b = {0, 0, 0};
            size_t used = intake_date_parse(s + o, len - o, &b);
            if (used) {
                o += used;
                if (intake_text_has(s, len, o, "）"))
                    o += 3;
                else if (o < len && s[o] == ')')
                    o++;
                *d = b;
                *rel = 1;
                return o - i;
            }
        }
        *rel = words[k].rel;
        return j - i;
    }
    return 0;
}

size_t intake_date_find(const char *s, size_t len, struct intake_date base, struct intake_date *d,
                        size_t *at)
{
    size_t i = 0;
    while (i < len) {
        uint32_t cp;
        size_t next = intake_text_next(s, len, i, &cp);
        struct intake_date got = {0, 0, 0};
        size_t used = 0;
        int rel = 1;
        if (cp >= '0' && cp <= '9' && (i == 0 || !(s[i - 1] >= '0' && s[i - 1] <= '9'))) {
            used = date_iso(s, len, i, &got);
            if (!used) used = intake_date_parse(s + i, len - i, &got);
            if (!used) {
                uint32_t before = intake_text_before(s, i);
                if (before == 0 || intake_text_is_clause_mark(before) || before == ' ' ||
                    before == 0xFF09 || before == ')')
                    used = date_day_alone(s, len, i, &got);
            }
        } else if (cp == 0x4ECA || cp == 0x6628) { /* 今 昨 */
            used = date_relative(s, len, i, &got, &rel);
            if (used && rel < 1) {
                if (!base.year) {
                    i += used;
                    continue;
                }
                got = rel < 0 ? intake_date_add_days(base, -1) : base;
            }
        }
        if (used) {
            if (!got.month && base.year) {
                /* a day alone: the base's month, or the one before when the day
                 * would lie more than a week after the base */
                got.month = base.month;
                got.year = base.year;
                if (got.day > base.day + 7) {
                    if (--got.month < 1) got.month = 12, got.year--;
                }
                if (got.day > intake_date_mdays(got.year, got.month)) {
                    i = next;
                    continue;
                }
            } else if (!got.month) {
                i = next;
                continue;
            }
            intake_date_resolve(&got, base);
            *d = got;
            if (at) *at = i;
            return used;
        }
        i = next;
    }
    return 0;
}

struct intake_date intake_date_add_days(struct intake_date d, int days)
{
    if (days >= 0) return intake_date_add(d, days);
    while (days < 0) {
        if (d.day + days >= 1) {
            d.day += days;
            break;
        }
        days += d.day;
        if (--d.month < 1) d.month = 12, d.year--;
        d.day = intake_date_mdays(d.year, d.month);
    }
    return d;
}
