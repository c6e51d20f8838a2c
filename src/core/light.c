/* light.c — the rules' numbers, the dates lights are computed against, and
 * the per-item dates (feedback due, behind schedule) the SQL compares.
 * See light.h.  The SQL itself is LIGHT_SQL in the header. */
#include "core/light.h"

#include <pthread.h>
#include <string.h>

#include "util/str.h"
#include "util/time.h"

const struct light_rules light_rules_default = {3, 10, 30};

/* The integer setting key within [min, max], or -1. */
static int setting_int(struct db *db, const char *key, int min, int max, int *rc)
{
    struct db_stmt *st = db_prepare(db, "SELECT value FROM settings WHERE key = ?1");
    if (!st) {
        *rc = DB_ERR;
        return -1;
    }
    db_bind_text(st, 1, key, (size_t)-1);
    int step = db_step(st), v = -1;
    if (step == DB_ROW) {
        const char *s = db_column_text(st, 0);
        int64_t n;
        if (s && !str_to_int64(s, strlen(s), &n) && n >= min && n <= max) v = (int)n;
    } else if (step != DB_DONE) {
        *rc = step;
    }
    db_finalize(st);
    return v;
}

int light_rules_load(struct db *db, struct light_rules *r)
{
    int rc = DB_OK;
    *r = light_rules_default;
    int w = setting_int(db, "light.warn_working_days", 0, 30, &rc);
    int y = setting_int(db, "light.behind_yellow", 1, 100, &rc);
    int red = setting_int(db, "light.behind_red", 1, 100, &rc);
    if (rc != DB_OK) return rc;
    if (w >= 0) r->warn_working_days = w;
    if (y >= 0) r->behind_yellow = y;
    if (red >= r->behind_yellow) r->behind_red = red;
    if (r->behind_red < r->behind_yellow) r->behind_red = r->behind_yellow;
    return DB_OK;
}

int32_t light_warn_day(const struct calendar *c, const struct light_rules *r, int32_t today)
{
    return calendar_add_working_days(c, today, r->warn_working_days);
}

/* The last warning date computed, for the day and the settings and calendar
 * it was computed from (config_stamp, migration 008: a random value every
 * write to either replaces).  Every item list asks; the calendar and the
 * rules change a few times a year. */
static struct {
    pthread_mutex_t mu;
    int valid;
    int64_t stamp;
    int32_t today, warn;
} light_memo = {.mu = PTHREAD_MUTEX_INITIALIZER};

void light_dates(struct db *db, char today[11], char warn[11])
{
    int32_t t = time_today(), w = -1;
    date_format(t, today);
    int64_t stamp = 0;
    int stamped = db_stamp(db, DB_STAMP_CONFIG, &stamp) == DB_OK;
    if (stamped) {
        pthread_mutex_lock(&light_memo.mu);
        if (light_memo.valid && light_memo.stamp == stamp && light_memo.today == t)
            w = light_memo.warn;
        pthread_mutex_unlock(&light_memo.mu);
    }
    if (w < 0) {
        struct light_rules r;
        struct calendar c = {0};
        int rc = light_rules_load(db, &r);
        if (calendar_load(db, &c) != DB_OK) calendar_free(&c), rc = DB_ERR;
        w = light_warn_day(&c, &r, t);
        calendar_free(&c);
        if (stamped && rc == DB_OK) {
            pthread_mutex_lock(&light_memo.mu);
            light_memo.valid = 1;
            light_memo.stamp = stamp;
            light_memo.today = t;
            light_memo.warn = w;
            pthread_mutex_unlock(&light_memo.mu);
        }
    }
    date_format(w, warn);
}

/* The first day t >= start with (t - start) * 100 >= (progress + margin) * span. */
static int32_t behind_day(int32_t start, int32_t span, int progress, int margin)
{
    int64_t need = (int64_t)(progress + margin) * span;
    if (progress + margin > 100) return -1;
    return start + (int32_t)((need + 99) / 100);
}

void light_behind_days(const struct light_rules *r, int32_t start, int32_t deadline, int progress,
                       int32_t *yellow_on, int32_t *red_on)
{
    int32_t span = deadline - start;
    if (span <= 0 || progress < 0) {
        *yellow_on = *red_on = -1;
        return;
    }
    *yellow_on = behind_day(start, span, progress, r->behind_yellow);
    *red_on = behind_day(start, span, progress, r->behind_red);
}

/* y-m-d plus months, the day clamped to the month's length. */
static int32_t add_months(int32_t day, int months)
{
    int y, m, d;
    date_split(day, &y, &m, &d);
    int idx = y * 12 + (m - 1) + months;
    y = idx / 12, m = idx % 12 + 1;
    int32_t first_next = m == 12 ? date_make(y + 1, 1, 1) : date_make(y, m + 1, 1);
    int len = (int)(first_next - date_make(y, m, 1));
    return date_make(y, m, d > len ? len : d);
}

int32_t light_feedback_due(const struct calendar *c, const char *cycle, int32_t from)
{
    int32_t due;
    if (!strcmp(cycle, "weekly"))
        due = from + 7;
    else if (!strcmp(cycle, "biweekly"))
        due = from + 14;
    else if (!strcmp(cycle, "monthly"))
        due = add_months(from, 1);
    else if (!strcmp(cycle, "quarterly"))
        due = add_months(from, 3);
    else
        return -1;
    return calendar_next_working_day(c, due);
}

int light_accept_load(struct db *db, struct light_accept *acc)
{
    int rc = DB_OK;
    int w = setting_int(db, "notice.accept_working_days", 0, 30, &rc);
    acc->working_days = w >= 0 ? w : 1;
    acc->today = time_today();
    acc->cal = (struct calendar){0};
    if (rc == DB_OK) rc = calendar_load(db, &acc->cal);
    return rc;
}

void light_accept_free(struct light_accept *acc)
{
    calendar_free(&acc->cal);
}

int light_accept_due(const struct light_accept *acc, const char *assigned_on, char due[11])
{
    int32_t a;
    if (!assigned_on || date_parse(assigned_on, strlen(assigned_on), &a)) return -1;
    int32_t d = calendar_add_working_days(&acc->cal, a, acc->working_days);
    date_format(d, due);
    return acc->today > d;
}

void light_accept_cutoff(const struct light_accept *acc, char cutoff[11])
{
    int32_t d = acc->today - 1;
    for (int k = 0; k < 400; k++, d--)
        if (calendar_add_working_days(&acc->cal, d, acc->working_days) < acc->today) break;
    date_format(d, cutoff);
}

int light_valid(const char *s)
{
    return !strcmp(s, "green") || !strcmp(s, "yellow") || !strcmp(s, "red") || !strcmp(s, "none");
}
