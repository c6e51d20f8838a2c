/* light.c — the dates lights are computed against.  See light.h. */
#include "core/light.h"

#include <string.h>

#include "util/time.h"

#define LIGHT_WARN_DAYS 3

void light_dates(struct db *db, char today[11], char warn[11])
{
    (void)db;
    int32_t t = time_today();
    date_format(t, today);
    date_format(t + LIGHT_WARN_DAYS, warn);
}

int light_valid(const char *s)
{
    return !strcmp(s, "green") || !strcmp(s, "yellow") || !strcmp(s, "red") || !strcmp(s, "none");
}
