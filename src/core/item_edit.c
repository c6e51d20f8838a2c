/* item_edit.c — the fields the edit action corrects.  See item_edit.h.
 *
 * Each field is read (with the same limits as a new item's: core/item.c),
 * compared with the item's stored value, and only a difference is written
 * and recorded: the event of an edit names exactly what changed, so the
 * chain's replay (replay.c) applies it as it applies any "after".  Nothing
 * here decides whether the edit may happen. */
#include "core/item_edit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/item.h"
#include "core/text.h"
#include "core/unit.h"
#include "util/mem.h"

#define EDIT_TITLE_MAX 200   /* characters, as a new item's */
#define EDIT_DESC_MAX  20000 /* characters, as a new item's */
#define EDIT_UNIT_MAX  20    /* characters of a metric's unit */

static const char *const cycles[] = {"none", "weekly", "biweekly", "monthly", "quarterly"};

/* What the item holds now. */
struct edit_now {
    char *title, *description, *cycle, *metric_unit;
    int has_target;
    double target;
    json_t *co; /* sorted unit ids */
};

/* A text column, NULL when null or empty (a description never given is ''). */
static char *col_dup(struct db_stmt *st, int col)
{
    const char *s = db_column_is_null(st, col) ? NULL : db_column_text(st, col);
    return s && *s ? xstrdup(s) : NULL;
}

static int int64_cmp(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Load the item's editable fields.  DB_OK or a db code. */
static int now_load(struct db *db, int64_t id, struct edit_now *n)
{
    struct db_stmt *st = db_prepare(db, "SELECT title, description, feedback_cycle, metric_target,"
                                        " metric_unit FROM items WHERE id = ?1");
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, id);
    int rc = db_step(st);
    if (rc == DB_ROW) {
        n->title = col_dup(st, 0);
        n->description = col_dup(st, 1);
        n->cycle = col_dup(st, 2);
        n->has_target = !db_column_is_null(st, 3);
        n->target = db_column_double(st, 3);
        n->metric_unit = col_dup(st, 4);
        rc = DB_OK;
    } else if (rc == DB_DONE) {
        rc = DB_ERR;
    }
    db_finalize(st);
    if (rc != DB_OK) return rc;
    st = db_prepare(db, "SELECT unit_id FROM item_units WHERE item_id = ?1 ORDER BY unit_id");
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, id);
    n->co = json_array();
    while ((rc = db_step(st)) == DB_ROW)
        json_array_append_new(n->co, json_integer(db_column_int64(st, 0)));
    db_finalize(st);
    return rc == DB_DONE ? DB_OK : rc;
}

static void now_free(struct edit_now *n)
{
    free(n->title), free(n->description), free(n->cycle), free(n->metric_unit);
    json_decref(n->co);
}

/* 1 when the two texts (NULL: none) differ. */
static int text_differs(const char *a, const char *b)
{
    return (a == NULL) != (b == NULL) || (a && strcmp(a, b));
}

static json_t *text_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static void record(json_t *before, json_t *after, const char *name, json_t *o, json_t *n)
{
    json_object_set_new(before, name, o);
    json_object_set_new(after, name, n);
}

/* Run one UPDATE of the item's column: text (NULL: null) or a real. */
static int store(struct db *db, const char *sql, int64_t id, const char *text, const double *real)
{
    struct db_stmt *st = db_prepare(db, sql);
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, id);
    if (real)
        db_bind_double(st, 2, *real);
    else if (text)
        db_bind_text(st, 2, text, (size_t)-1);
    else
        db_bind_null(st, 2);
    int rc = db_step(st);
    db_finalize(st);
    return rc == DB_DONE ? DB_OK : rc;
}

/* The texts: title (copied out), description (written), cycle (copied out). */
static int edit_texts(json_t *body, struct edit_now *n, char *title, size_t title_len, char *cycle,
                      size_t cycle_len, json_t *before, json_t *after, int *changed, struct err *e)
{
    const char *t = NULL, *d = NULL, *c = NULL;
    if (text_field(body, "title", EDIT_TITLE_MAX, 0, &t, e)) return -1;
    if (!t && json_object_get(body, "title") && !json_is_null(json_object_get(body, "title")))
        return err_set(e, 422, "missing_field", "'title' must not be empty");
    if (t && strcmp(t, n->title ? n->title : "")) snprintf(title, title_len, "%s", t), (*changed)++;
    json_t *dv = json_object_get(body, "description");
    if (text_field(body, "description", EDIT_DESC_MAX, 0, &d, e)) return -1;
    if (dv && text_differs(d, n->description)) { /* blank or null clears it: "" as at creation */
        record(before, after, "description", json_string(n->description ? n->description : ""),
               json_string(d ? d : ""));
        (*changed)++;
    }
    if (text_field(body, "feedback_cycle", 20, 0, &c, e)) return -1;
    if (c) {
        size_t k = 0;
        while (k < sizeof cycles / sizeof *cycles && strcmp(c, cycles[k]))
            k++;
        if (k == sizeof cycles / sizeof *cycles)
            return err_set(e, 422, "invalid_field",
                           "'feedback_cycle' must be none, weekly, biweekly, monthly or quarterly");
        if (text_differs(c, n->cycle)) {
            record(before, after, "feedback_cycle", text_or_null(n->cycle), json_string(c));
            snprintf(cycle, cycle_len, "%s", c);
            (*changed)++;
        }
    }
    return 0;
}

/* The metric: {"target","unit"} sets it, null removes it. */
static int edit_metric(json_t *body, struct edit_now *n, json_t *before, json_t *after,
                       int *changed, struct err *e)
{
    json_t *m = json_object_get(body, "metric");
    if (!m) return 0;
    int has = 0;
    double target = 0;
    const char *unit = NULL;
    if (!json_is_null(m)) {
        json_t *t = json_object_get(m, "target");
        if (!json_is_object(m) || !json_is_number(t))
            return err_set(e, 422, "invalid_field",
                           "'metric' must be {\"target\": number, \"unit\"} or null");
        if (!(json_number_value(t) >= 0) || json_number_value(t) > 1e12)
            return err_set(e, 422, "invalid_field",
                           "'metric.target' must be a number from 0 to 1000000000000");
        has = 1, target = json_number_value(t);
        if (text_field(m, "unit", EDIT_UNIT_MAX, 0, &unit, e)) return -1;
    }
    if (has != n->has_target || (has && target != n->target))
        record(before, after, "metric_target", n->has_target ? json_real(n->target) : json_null(),
               has ? json_real(target) : json_null()),
            (*changed)++;
    if (text_differs(unit, n->metric_unit))
        record(before, after, "metric_unit", text_or_null(n->metric_unit), text_or_null(unit)),
            (*changed)++;
    return 0;
}

/* The cooperating units as a sorted array (a new reference), checked. */
static int edit_co_read(struct db *db, json_t *v, int64_t lead, json_t **out, struct err *e)
{
    if (!json_is_array(v) || json_array_size(v) > ITEM_MAX_CO_UNITS)
        return err_set(e, 422, "invalid_field", "'co_unit_ids' must be an array of at most %d ids",
                       ITEM_MAX_CO_UNITS);
    int64_t ids[ITEM_MAX_CO_UNITS];
    size_t n = 0, i;
    json_t *u;
    json_array_foreach(v, i, u)
    {
        if (!json_is_integer(u) || json_integer_value(u) <= 0)
            return err_set(e, 422, "invalid_field", "'co_unit_ids' must hold positive unit ids");
        int64_t id = json_integer_value(u);
        if (id == lead)
            return err_set(e, 422, "invalid_field", "the lead unit cannot also cooperate");
        for (size_t k = 0; k < n; k++)
            if (ids[k] == id)
                return err_set(e, 422, "invalid_field", "unit %lld is listed twice", (long long)id);
        int rc = unit_exists(db, id);
        if (rc < 0) return err_db(e, rc, "checking units");
        if (!rc)
            return err_set(e, 422, "invalid_field", "no unit with id %lld", (long long)id),
                   err_detail(e, "unit");
        ids[n++] = id;
    }
    qsort(ids, n, sizeof *ids, int64_cmp);
    *out = json_array();
    for (size_t k = 0; k < n; k++)
        json_array_append_new(*out, json_integer(ids[k]));
    return 0;
}

/* Replace the item's cooperating units with ids. */
static int edit_co_store(struct db *db, int64_t id, json_t *ids)
{
    struct db_stmt *del = db_prepare(db, "DELETE FROM item_units WHERE item_id = ?1");
    if (!del) return DB_ERR;
    db_bind_int64(del, 1, id);
    int rc = db_step(del);
    db_finalize(del);
    rc = rc == DB_DONE ? DB_OK : rc;
    size_t i;
    json_t *u;
    json_array_foreach(ids, i, u)
    {
        if (rc != DB_OK) break;
        struct db_stmt *st =
            db_prepare(db, "INSERT INTO item_units (item_id, unit_id) VALUES (?1, ?2)");
        if (!st) return DB_ERR;
        db_bind_int64(st, 1, id);
        db_bind_int64(st, 2, json_integer_value(u));
        rc = db_step(st);
        db_finalize(st);
        rc = rc == DB_DONE ? DB_OK : rc;
    }
    return rc;
}

/* Write the changed columns recorded in after. */
static int edit_store(struct db *db, int64_t id, json_t *after)
{
    int rc = DB_OK;
    json_t *v;
    if ((v = json_object_get(after, "description")))
        rc = store(db, "UPDATE items SET description = ?2 WHERE id = ?1", id, json_string_value(v),
                   NULL);
    if (rc == DB_OK && (v = json_object_get(after, "feedback_cycle")))
        rc = store(db, "UPDATE items SET feedback_cycle = ?2 WHERE id = ?1", id,
                   json_string_value(v), NULL);
    if (rc == DB_OK && (v = json_object_get(after, "metric_target"))) {
        double t = json_real_value(v);
        rc = store(db, "UPDATE items SET metric_target = ?2 WHERE id = ?1", id, NULL,
                   json_is_null(v) ? NULL : &t);
    }
    if (rc == DB_OK && (v = json_object_get(after, "metric_unit")))
        rc = store(db, "UPDATE items SET metric_unit = ?2 WHERE id = ?1", id, json_string_value(v),
                   NULL);
    if (rc == DB_OK && (v = json_object_get(after, "co_unit_ids"))) rc = edit_co_store(db, id, v);
    return rc;
}

int item_edit_apply(struct db *db, int64_t id, int64_t lead_unit_id, json_t *body, json_t *before,
                    json_t *after, char *title, size_t title_len, char *cycle, size_t cycle_len,
                    int *changed, struct err *e)
{
    struct edit_now n = {0};
    int ret = -1, rc = now_load(db, id, &n);
    *changed = 0;
    if (rc != DB_OK) {
        err_db(e, rc, "reading the item");
        goto out;
    }
    if (edit_texts(body, &n, title, title_len, cycle, cycle_len, before, after, changed, e) ||
        edit_metric(body, &n, before, after, changed, e))
        goto out;
    json_t *v = json_object_get(body, "co_unit_ids"), *co = NULL;
    if (v && !json_is_null(v)) {
        if (edit_co_read(db, v, lead_unit_id, &co, e)) goto out;
        if (!json_equal(co, n.co))
            record(before, after, "co_unit_ids", json_incref(n.co), co), (*changed)++;
        else
            json_decref(co);
    }
    rc = edit_store(db, id, after);
    if (rc != DB_OK) {
        err_db(e, rc, "editing the item");
        goto out;
    }
    ret = 0;
out:
    now_free(&n);
    return ret;
}
