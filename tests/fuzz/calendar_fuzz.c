/* calendar_fuzz.c — libFuzzer target: the holiday calendar import text
 * (calendar_parse, the format of `luoshi calendar import FILE`).  Never
 * crashes; on success the listed days are sorted, unique, of kind 0 or 1,
 * with a UTF-8 name of at most CALENDAR_NAME_MAX bytes, and the working-day
 * arithmetic holds on them (adding n working days and counting them back
 * gives n; the n-th day is a working day); on failure the error is a 422
 * invalid_calendar with a message and nothing is half-kept that breaks the
 * order. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "util/err.h"
#include "util/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_sorted(const struct calendar *c)
{
    for (size_t i = 0; i < c->n; i++) {
        const struct calendar_day *d = &c->days[i];
        if (d->workday != 0 && d->workday != 1) abort();
        size_t n = strnlen(d->name, CALENDAR_NAME_MAX + 1);
        if (n > CALENDAR_NAME_MAX || !utf8_validate(d->name, n, NULL)) abort();
        if (i > 0 && c->days[i - 1].day >= d->day) abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct calendar c = {0};
    struct err e = {0};
    if (calendar_parse(&c, (const char *)data, size, &e) == 0) {
        if (e.status) abort();
        check_sorted(&c);
        /* the arithmetic around the first and last listed days */
        for (size_t k = 0; k < c.n && k < 4; k++) {
            int32_t day = c.days[k % 2 ? c.n - 1 : 0].day;
            int n = (int)(data[k % size] % 40);
            int32_t to = calendar_add_working_days(&c, day, n);
            if (calendar_working_days_between(&c, day, to) != n) abort();
            if (n > 0 && !calendar_is_working_day(&c, to)) abort();
            int32_t next = calendar_next_working_day(&c, day);
            if (next < day || !calendar_is_working_day(&c, next)) abort();
        }
    } else {
        if (e.status != 422 || !e.code || strcmp(e.code, "invalid_calendar") || !e.message[0])
            abort();
        check_sorted(&c);
    }
    calendar_free(&c);
    return 0;
}
