/* date.c — the calendar arithmetic intake needs: reading "3月15日下午" style
 * dates from text, filling in a year the text leaves out, and adding days for
 * suggested deadlines.  Working days and holidays are not handled here (the
 * util calendar owns them); intake only suggests calendar dates. */
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
