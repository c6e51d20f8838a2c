/* item_count.c — counts from the tally and from the lights' boundaries.
 * See item_count.h; light_days (migration 010) and the window's query
 * mirror LIGHT_SQL in core/light.h rule by rule, and
 * tests/unit/core/item_count_test.c holds the two to the same answer. */
#include "core/item_count.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "core/light.h"
#include "core/perm.h"

#include "core/count_cache.h"

int item_count_tally(struct db *db, const char *kind, const char *status, int64_t unit, int64_t *n)
{
    struct db_stmt *st =
        db_prepare(db, "SELECT coalesce(sum(n), 0) FROM item_tally WHERE (?1 IS NULL OR kind = ?1)"
                       " AND (?2 IS NULL OR status = ?2) AND (?3 = 0 OR unit_id = ?3)");
    if (!st) return DB_ERR;
    db_bind_text(st, 1, kind, (size_t)-1);
    db_bind_text(st, 2, status, (size_t)-1);
    db_bind_int64(st, 3, unit);
    int rc = db_step(st);
    if (rc == DB_ROW) *n = db_column_int64(st, 0), rc = DB_OK;
    db_finalize(st);
    return rc;
}

/* The statuses that have a light (not none), and open work. */
#define LIT      "('assigned','accepted','in_progress','submitted','returned')"
#define OPENWORK "('assigned','accepted','in_progress')"
/* Not red by the schedule rule, for open work (?1 today). */
#define NOT_BEHIND_RED "(behind_red_on IS NULL OR behind_red_on > ?1)"

/* Counted from light_days (migration 010): the items whose red day is
 * today or before are red; those whose lit day is are red or yellow; of
 * the others, those whose deadline falls within the window are yellow
 * (read from the index on the deadline: the window's few days).  ?1 today,
 * ?2 the warning date. */
#define LIGHT_COUNT_SQL                                                                            \
    "SELECT (SELECT coalesce(sum(red), 0) FROM light_days WHERE day <= ?1),"                       \
    " (SELECT coalesce(sum(lit), 0) FROM light_days WHERE day <= ?1),"                             \
    " (SELECT count(*) FROM items WHERE deadline >= ?1 AND deadline <= ?2 AND status IN " LIT      \
    "  AND (status NOT IN " OPENWORK " OR (" NOT_BEHIND_RED                                        \
    "  AND (feedback_due IS NULL OR feedback_due >= ?1)"                                           \
    "  AND (behind_yellow_on IS NULL OR behind_yellow_on > ?1))))"

/* Counted from the boundaries, every time. */
static int lights_count(struct db *db, const char *today, const char *warn, int64_t out[4])
{
    int64_t lit = 0, all = 0;
    struct db_stmt *st =
        db_prepare(db, "SELECT coalesce(sum(CASE WHEN status IN " LIT " THEN n ELSE 0 END), 0),"
                       " coalesce(sum(n), 0) FROM item_tally");
    if (!st) return DB_ERR;
    int rc = db_step(st);
    if (rc == DB_ROW) lit = db_column_int64(st, 0), all = db_column_int64(st, 1), rc = DB_OK;
    db_finalize(st);
    if (rc != DB_OK) return rc;
    if (!(st = db_prepare(db, LIGHT_COUNT_SQL))) return DB_ERR;
    db_bind_text(st, 1, today, (size_t)-1);
    db_bind_text(st, 2, warn, (size_t)-1);
    rc = db_step(st);
    if (rc == DB_ROW) {
        out[ITEM_LIGHT_RED] = db_column_int64(st, 0);
        out[ITEM_LIGHT_YELLOW] =
            db_column_int64(st, 1) - out[ITEM_LIGHT_RED] + db_column_int64(st, 2);
        out[ITEM_LIGHT_GREEN] = lit - out[ITEM_LIGHT_RED] - out[ITEM_LIGHT_YELLOW];
        out[ITEM_LIGHT_NONE] = all - lit;
        rc = DB_OK;
    }
    db_finalize(st);
    return rc;
}

int item_count_light_index(const char *name, int *idx)
{
    static const char *const names[] = {"green", "yellow", "red", "none"};
    for (int k = 0; k < 4; k++)
        if (!strcmp(name, names[k])) {
            *idx = k;
            return 1;
        }
    return 0;
}

/* The last lights counted, for the data stamp, day and warning date they
 * were counted under: the dashboard asks three times a view, and every
 * view between two writes asks the same. */
static struct {
    pthread_mutex_t mu;
    int valid;
    int64_t stamp, n[4];
    char today[11], warn[11];
} lights_memo = {.mu = PTHREAD_MUTEX_INITIALIZER};

int item_count_lights(struct db *db, const char *today, const char *warn, int64_t out[4])
{
    int64_t stamp;
    int rc = count_cache_stamp(db, &stamp), hit = 0;
    if (rc != DB_OK) return rc;
    pthread_mutex_lock(&lights_memo.mu);
    if (lights_memo.valid && lights_memo.stamp == stamp && !strcmp(lights_memo.today, today) &&
        !strcmp(lights_memo.warn, warn)) {
        memcpy(out, lights_memo.n, sizeof lights_memo.n);
        hit = 1;
    }
    pthread_mutex_unlock(&lights_memo.mu);
    if (hit) return DB_OK;
    /* the stamp was read first: the counts are at least as new as it */
    rc = lights_count(db, today, warn, out);
    if (rc != DB_OK) return rc;
    pthread_mutex_lock(&lights_memo.mu);
    lights_memo.valid = 1;
    lights_memo.stamp = stamp;
    memcpy(lights_memo.n, out, sizeof lights_memo.n);
    snprintf(lights_memo.today, sizeof lights_memo.today, "%s", today);
    snprintf(lights_memo.warn, sizeof lights_memo.warn, "%s", warn);
    pthread_mutex_unlock(&lights_memo.mu);
    return DB_OK;
}

int item_count_accept_late(struct db *db, const struct actor *a, int64_t *n)
{
    struct light_accept acc;
    char cutoff[11];
    int rc = light_accept_load(db, &acc);
    if (rc == DB_OK) light_accept_cutoff(&acc, cutoff);
    light_accept_free(&acc);
    if (rc != DB_OK) return rc;
    /* one who sees every item counts the range of items_status_assigned
     * (migration 029) without reading a row; anyone else through the
     * permission's SQL */
    struct db_stmt *st =
        actor_sees_all(a) ? db_prepare(db, "SELECT count(*) FROM items i WHERE ?1 = ?1 AND ?2 = ?2"
                                           " AND i.status = 'assigned' AND i.assigned_on <= ?3")
                          : db_prepare(db, "SELECT count(*) FROM items i WHERE " PERM_VISIBLE_SQL
                                           " AND i.status = 'assigned' AND i.assigned_on <= ?3");
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, actor_sees_all(a));
    db_bind_int64(st, 2, a->unit_id);
    db_bind_text(st, 3, cutoff, (size_t)-1);
    rc = db_step(st);
    if (rc == DB_ROW) *n = db_column_int64(st, 0);
    db_finalize(st);
    return rc == DB_ROW ? DB_OK : rc;
}

int item_red_advance(struct db *db, const char *today)
{
    struct db_stmt *st = db_prepare(db, "SELECT day FROM red_horizon WHERE id = 1");
    if (!st) return DB_ERR;
    char old[16] = "";
    int rc = db_step(st);
    if (rc == DB_ROW) snprintf(old, sizeof old, "%s", db_column_text(st, 0)), rc = DB_OK;
    db_finalize(st);
    if (rc != DB_OK) return rc == DB_DONE ? DB_OK : rc;
    if (strcmp(old, today) >= 0) return DB_OK;
    /* the horizon first: on PostgreSQL its row lock orders this against
     * the triggers that read it (migration 019) */
    st = db_prepare(db, "UPDATE red_horizon SET day = ?1 WHERE id = 1 AND day < ?1");
    if (!st) return DB_ERR;
    db_bind_text(st, 1, today, (size_t)-1);
    rc = db_step(st);
    db_finalize(st);
    if (rc != DB_DONE) return rc;
    st = db_prepare(db, "INSERT INTO red_items (id) SELECT id FROM items"
                        " WHERE red_on > ?2 AND red_on <= ?1 ON CONFLICT DO NOTHING");
    if (!st) return DB_ERR;
    db_bind_text(st, 1, today, (size_t)-1);
    db_bind_text(st, 2, old, (size_t)-1);
    rc = db_step(st);
    db_finalize(st);
    return rc == DB_DONE ? DB_OK : rc;
}
