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

/* The value of column name after the edit (a new reference): after's when
 * it changed, else now (stolen either way). */
static json_t *edited(json_t *after, const char *name, json_t *now)
{
    json_t *v = json_object_get(after, name);
    if (!v) return now;
    json_decref(now);
    return json_incref(v);
}

/* Write the item's editable columns (the changed ones from after, the rest
 * as they are) and, when they changed, the cooperating units. */
static int edit_store(struct db *db, int64_t id, const struct edit_now *n, json_t *after)
{
    json_t *d = edited(after, "description", json_string(n->description ? n->description : ""));
    json_t *c = edited(after, "feedback_cycle", json_string(n->cycle ? n->cycle : "none"));
    json_t *t = edited(after, "metric_target", n->has_target ? json_real(n->target) : json_null());
    json_t *u = edited(after, "metric_unit", text_or_null(n->metric_unit));
    struct db_stmt *st = db_prepare(db, "UPDATE items SET description = ?2, feedback_cycle = ?3,"
                                        " metric_target = ?4, metric_unit = ?5 WHERE id = ?1");
    int rc = DB_ERR;
    if (st) {
        db_bind_int64(st, 1, id);
        db_bind_text(st, 2, json_is_string(d) ? json_string_value(d) : "", (size_t)-1);
        db_bind_text(st, 3, json_string_value(c), (size_t)-1);
        if (json_is_number(t))
            db_bind_double(st, 4, json_number_value(t));
        else
            db_bind_null(st, 4);
        if (json_is_string(u))
            db_bind_text(st, 5, json_string_value(u), (size_t)-1);
        else
            db_bind_null(st, 5);
        rc = db_step(st);
        db_finalize(st);
        rc = rc == DB_DONE ? DB_OK : rc;
    }
    json_decref(d), json_decref(c), json_decref(t), json_decref(u);
    json_t *co = json_object_get(after, "co_unit_ids");
    if (rc == DB_OK && co) rc = edit_co_store(db, id, co);
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
    rc = edit_store(db, id, &n, after);
    if (rc != DB_OK) {
        err_db(e, rc, "editing the item");
        goto out;
    }
    ret = 0;
out:
    now_free(&n);
    return ret;
}
