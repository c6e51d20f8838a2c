/* deduction.c — the 考核 deductions ledger, read for the admin pages and the
 * API (see deduction.h).  The month filter is on the city-local day, so the
 * SQL takes a window a day wider on each side (bound parameters, no date
 * functions that differ between SQLite and PostgreSQL) and the exact cut is
 * made here. */
#include "core/deduction.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/mem.h"
#include "util/time.h"

#define DAY_MS 86400000LL

int deduction_month_parse(const char *month, int32_t *first, int32_t *next)
{
    char day[11];
    int32_t d;
    if (!month || strlen(month) != 7 || month[4] != '-') return -1;
    memcpy(day, month, 7);
    memcpy(day + 7, "-01", 4);
    if (date_parse(day, 10, &d)) return -1;
    int y, m, dd;
    date_split(d, &y, &m, &dd);
    *first = d;
    *next = m == 12 ? date_make(y + 1, 1, 1) : date_make(y, m + 1, 1);
    return 0;
}

/* Add points to unit's total in totals (an array of objects), adding it. */
static void total_add(json_t *totals, int64_t unit, const char *name, double points)
{
    size_t i;
    json_t *t;
    json_array_foreach(totals, i, t)
    {
        if (json_integer_value(json_object_get(t, "unit_id")) != unit) continue;
        json_object_set_new(t, "count",
                            json_integer(json_integer_value(json_object_get(t, "count")) + 1));
        json_object_set_new(t, "points",
                            json_real(json_real_value(json_object_get(t, "points")) + points));
        return;
    }
    json_array_append_new(totals, json_pack("{s:I,s:s,s:i,s:f}", "unit_id", (json_int_t)unit,
                                            "unit_name", name, "count", 1, "points", points));
}

static int total_cmp(const void *a, const void *b)
{
    json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
    double px = json_real_value(json_object_get(x, "points"));
    double py = json_real_value(json_object_get(y, "points"));
    if (px != py) return px < py ? -1 : 1;
    return strcmp(json_string_value(json_object_get(x, "unit_name")),
                  json_string_value(json_object_get(y, "unit_name")));
}

/* totals sorted by total_cmp (jansson has no array sort). */
static json_t *totals_sorted(json_t *totals)
{
    size_t n = json_array_size(totals);
    json_t **v = xcalloc(n + 1, sizeof *v);
    for (size_t i = 0; i < n; i++)
        v[i] = json_incref(json_array_get(totals, i));
    qsort(v, n, sizeof *v, total_cmp);
    json_t *out = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(out, v[i]);
    free(v);
    json_decref(totals);
    return out;
}

json_t *deduction_list_json(struct db *db, int64_t unit_id, const char *month, struct err *e)
{
    int32_t first = 0, next = 0;
    int64_t lo = INT64_MIN, hi = INT64_MAX;
    if (month && *month) {
        if (deduction_month_parse(month, &first, &next))
            return err_set(e, 422, "invalid_field", "month must be YYYY-MM"), NULL;
        lo = ((int64_t)first - 1) * DAY_MS;
        hi = ((int64_t)next + 1) * DAY_MS;
    }
    struct db_stmt *st = db_prepare(
        db, "SELECT d.id, d.unit_id, u.name, d.item_id, i.title, d.rule, d.ref, d.points, d.at,"
            " d.note FROM deductions d JOIN units u ON u.id = d.unit_id"
            " JOIN items i ON i.id = d.item_id"
            " WHERE (?1 = 0 OR d.unit_id = ?1) AND d.at >= ?2 AND d.at < ?3"
            " ORDER BY d.at DESC, d.id DESC");
    if (!st) return err_db(e, DB_ERR, "reading the deductions"), NULL;
    db_bind_int64(st, 1, unit_id);
    db_bind_int64(st, 2, lo);
    db_bind_int64(st, 3, hi);
    json_t *rows = json_array(), *totals = json_array();
    double sum = 0;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        int64_t at = db_column_int64(st, 8);
        int32_t day = time_day_of(at);
        if (month && *month && (day < first || day >= next)) continue;
        char iso[40];
        time_format_iso(at, iso, sizeof iso);
        double points = db_column_double(st, 7);
        json_array_append_new(rows, json_pack("{s:I,s:I,s:s,s:I,s:s,s:s,s:s,s:f,s:s,s:s}", "id",
                                              (json_int_t)db_column_int64(st, 0), "unit_id",
                                              (json_int_t)db_column_int64(st, 1), "unit_name",
                                              db_column_text(st, 2), "item_id",
                                              (json_int_t)db_column_int64(st, 3), "item_title",
                                              db_column_text(st, 4), "rule", db_column_text(st, 5),
                                              "ref", db_column_text(st, 6), "points", points, "at",
                                              iso, "note", db_column_text(st, 9)));
        total_add(totals, db_column_int64(st, 1), db_column_text(st, 2), points);
        sum += points;
    }
    db_finalize(st);
    if (rc != DB_DONE) {
        json_decref(rows);
        json_decref(totals);
        return err_db(e, rc, "reading the deductions"), NULL;
    }
    return json_pack("{s:o,s:o,s:I,s:f}", "deductions", rows, "totals", totals_sorted(totals),
                     "count", (json_int_t)json_array_size(rows), "points", sum);
}
