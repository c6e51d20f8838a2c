/* consequence.c — the consequence ladders (see consequence.h): count the
 * month's or the quarter's lights per lead unit, fire what reached its
 * threshold once, and tell the unit and the leaders. */
#include "core/consequence.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/assessment.h"
#include "util/mem.h"
#include "util/time.h"

struct ladder {
    const char *name, *zh, *light;
    enum assessment_rule threshold;
    int quarter; /* counted over the quarter, else the month */
};

static const struct ladder ladders[] = {
    {"letter", "专函督办", "yellow", ASSESS_LETTER_YELLOWS, 0},
    {"talk", "约谈", "red", ASSESS_TALK_REDS, 0},
    {"criticism", "通报批评", "red", ASSESS_CRITICISM_REDS, 1},
};
#define NLADDERS (sizeof ladders / sizeof ladders[0])

const char *consequence_name_zh(const char *ladder)
{
    for (size_t i = 0; i < NLADDERS; i++)
        if (!strcmp(ladders[i].name, ladder)) return ladders[i].zh;
    return ladder;
}

/* One unit that reached a ladder's threshold. */
struct hit {
    int64_t unit, count;
    char name[128];
};

/* Tell the unit's users and the leaders (enabled ones) that l fired. */
static int tell(struct db *db, const struct hit *h, const struct ladder *l, const char *period)
{
    char title[300], text[400];
    snprintf(title, sizeof title, "考核：%s %s（%s）", h->name, l->zh, period);
    snprintf(text, sizeof text, "%s 内有 %lld 项%s灯事项，按考核规则予以%s。", period,
             (long long)h->count, !strcmp(l->light, "red") ? "红" : "黄", l->zh);
    struct db_stmt *st =
        db_prepare(db, "INSERT INTO messages (user_id, item_id, action, actor, title, text, at)"
                       " SELECT u.id, NULL, 'consequence', 'system', ?2, ?3, ?4"
                       " FROM users u WHERE u.disabled = 0"
                       " AND (u.unit_id = ?1 OR (u.roles & 4) <> 0) ORDER BY u.id");
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, h->unit);
    db_bind_text(st, 2, title, (size_t)-1);
    db_bind_text(st, 3, text, (size_t)-1);
    db_bind_int64(st, 4, time_now_ms());
    int rc = db_step(st);
    db_finalize(st);
    return rc == DB_DONE ? DB_OK : rc;
}

/* Fire l for one unit and period unless it fired already; *fired +1 when now. */
static int fire(struct db *db, const struct hit *h, const struct ladder *l, const char *period,
                int *fired)
{
    struct db_stmt *st = db_prepare(
        db, "INSERT INTO consequences (unit_id, ladder, period, count, at)"
            " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (unit_id, ladder, period) DO NOTHING");
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, h->unit);
    db_bind_text(st, 2, l->name, (size_t)-1);
    db_bind_text(st, 3, period, (size_t)-1);
    db_bind_int64(st, 4, h->count);
    db_bind_int64(st, 5, time_now_ms());
    int rc = db_step(st);
    db_finalize(st);
    if (rc != DB_DONE) return rc;
    if (db_changes(db) != 1) return DB_OK;
    (*fired)++;
    return tell(db, h, l, period);
}

/* The units whose count of l's light over months [from, to] reaches min. */
static int ladder_run(struct db *db, const struct ladder *l, const char *from, const char *to,
                      const char *period, int64_t min, int *fired)
{
    struct db_stmt *st = db_prepare(
        db, "SELECT i.lead_unit_id, n.name, count(*) FROM light_history h"
            " JOIN items i ON i.id = h.item_id JOIN units n ON n.id = i.lead_unit_id"
            " WHERE h.month >= ?1 AND h.month <= ?2 AND h.light = ?3"
            " AND n.kind IN ('department','taskforce','town')"
            " GROUP BY i.lead_unit_id, n.name HAVING count(*) >= ?4 ORDER BY i.lead_unit_id");
    if (!st) return DB_ERR;
    db_bind_text(st, 1, from, (size_t)-1);
    db_bind_text(st, 2, to, (size_t)-1);
    db_bind_text(st, 3, l->light, (size_t)-1);
    db_bind_int64(st, 4, min);
    struct hit *hits = NULL;
    size_t n = 0, cap = 0;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        if (n == cap) hits = xrealloc(hits, (cap = cap ? 2 * cap : 8) * sizeof *hits);
        hits[n].unit = db_column_int64(st, 0);
        snprintf(hits[n].name, sizeof hits[n].name, "%s", db_column_text(st, 1));
        hits[n++].count = db_column_int64(st, 2);
    }
    db_finalize(st);
    if (rc == DB_DONE) rc = DB_OK;
    for (size_t k = 0; k < n && rc == DB_OK; k++)
        rc = fire(db, &hits[k], l, period, fired);
    free(hits);
    return rc;
}

int consequence_run(struct db *db, int32_t today, int *fired, struct err *e)
{
    int y, m, d;
    date_split(today, &y, &m, &d);
    struct assessment_rules r;
    *fired = 0;
    int rc = assessment_rules_load(db, y, &r);
    int q = (m - 1) / 3;
    char month[32], qfrom[32], qto[32], quarter[32];
    snprintf(month, sizeof month, "%04d-%02d", y, m);
    snprintf(qfrom, sizeof qfrom, "%04d-%02d", y, 3 * q + 1);
    snprintf(qto, sizeof qto, "%04d-%02d", y, 3 * q + 3);
    snprintf(quarter, sizeof quarter, "%04d-Q%d", y, q + 1);
    for (size_t i = 0; i < NLADDERS && rc == DB_OK; i++) {
        const struct ladder *l = &ladders[i];
        int64_t min = (int64_t)r.points[l->threshold];
        if (min <= 0) continue;
        rc = l->quarter ? ladder_run(db, l, qfrom, qto, quarter, min, fired)
                        : ladder_run(db, l, month, month, month, min, fired);
    }
    return rc == DB_OK ? 0 : err_db(e, rc, "firing the consequences");
}

json_t *consequence_list_json(struct db *db, int year, int64_t unit, struct err *e)
{
    return consequence_list_between(db, year, unit, INT64_MIN, INT64_MAX, e);
}

json_t *consequence_list_between(struct db *db, int year, int64_t unit, int64_t from_ms,
                                 int64_t until_ms, struct err *e)
{
    char lo[24], hi[24];
    snprintf(lo, sizeof lo, "%04d-", year);
    snprintf(hi, sizeof hi, "%04d.", year); /* '.' sorts after '-' and before digits */
    struct db_stmt *st =
        db_prepare(db, "SELECT id, unit_id, ladder, period, count, at FROM consequences"
                       " WHERE period > ?1 AND period < ?2 AND (?3 = 0 OR unit_id = ?3)"
                       " AND at >= ?4 AND at < ?5 ORDER BY id");
    if (!st) return err_db(e, DB_ERR, "reading the consequences"), NULL;
    db_bind_text(st, 1, lo, (size_t)-1);
    db_bind_text(st, 2, hi, (size_t)-1);
    db_bind_int64(st, 3, unit);
    db_bind_int64(st, 4, from_ms);
    db_bind_int64(st, 5, until_ms);
    json_t *rows = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        char iso[40];
        time_format_iso(db_column_int64(st, 5), iso, sizeof iso);
        json_array_append_new(rows, json_pack("{s:I,s:I,s:s,s:s,s:s,s:I,s:s}", "id",
                                              (json_int_t)db_column_int64(st, 0), "unit_id",
                                              (json_int_t)db_column_int64(st, 1), "ladder",
                                              db_column_text(st, 2), "name",
                                              consequence_name_zh(db_column_text(st, 2)), "period",
                                              db_column_text(st, 3), "count",
                                              (json_int_t)db_column_int64(st, 4), "at", iso));
    }
    db_finalize(st);
    if (rc != DB_DONE) {
        json_decref(rows);
        return err_db(e, rc, "reading the consequences"), NULL;
    }
    return json_pack("{s:o}", "consequences", rows);
}
