/* plan.c — the project list: an item's subtree.  See plan.h.
 *
 * Two queries over one recursive walk (the items, then their cooperating
 * units), both ordered by id; the pre-order and outline numbers are made
 * here, so the SQL stays the common dialect of both drivers. */
#include "core/plan.h"

#include <stdlib.h>
#include <string.h>

#include "core/light.h"
#include "core/perm.h"
#include "util/buf.h"
#include "util/mem.h"

/* The subtree of ?1, at most PLAN_MAX_DEPTH levels down. */
#define PLAN_WALK                                                                                  \
    "WITH RECURSIVE sub(id, depth) AS (SELECT CAST(?1 AS BIGINT), 0 UNION ALL"                     \
    " SELECT c.id, s.depth + 1 FROM items c JOIN sub s ON c.parent_id = s.id"                      \
    " WHERE s.depth < 16) "

/* ?4 1 when the actor sees every item, ?5 the actor's unit. */
#define PLAN_VISIBLE PERM_UNIT_SQL("?4", "?5") ")"

static char *col_dup(struct db_stmt *st, int c)
{
    return db_column_is_null(st, c) ? NULL : xstrdup(db_column_text(st, c));
}

void plan_free(struct plan *p)
{
    for (size_t k = 0; k < p->n; k++) {
        struct plan_row *r = &p->rows[k];
        free(r->title), free(r->kind), free(r->status), free(r->light), free(r->deadline);
        free(r->metric_unit), free(r->lead_code), free(r->lead_name), free(r->co_names);
        json_decref(r->co_units);
    }
    free(p->rows);
    p->rows = NULL;
    p->n = 0;
}

/* The rows of the walk ordered by id, with their visibility in *vis. */
static int load_items(struct db *db, const struct actor *a, int64_t root, struct plan *p,
                      unsigned char **vis)
{
    char today[11], warn[11];
    light_dates(db, today, warn);
    struct db_stmt *st = db_prepare(
        db, PLAN_WALK "SELECT i.id, i.parent_id, s.depth, i.title, i.kind, i.status, " LIGHT_SQL(
                "?2", "?3") ", i.deadline, i.progress, i.weight, i.metric_target,"
                            " i.metric_unit, i.metric_value, u.id, u.code, u.name, " PLAN_VISIBLE
                            " FROM sub s JOIN items i ON i.id = s.id LEFT JOIN units u ON u.id = "
                            "i.lead_unit_id"
                            " ORDER BY i.id");
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, root);
    db_bind_text(st, 2, today, (size_t)-1);
    db_bind_text(st, 3, warn, (size_t)-1);
    db_bind_int64(st, 4, actor_sees_all(a));
    db_bind_int64(st, 5, a->unit_id);
    size_t cap = 0;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        if (p->n == PLAN_MAX_ROWS + 1) continue; /* count no further: too large */
        if (p->n == cap) {
            cap = cap ? 2 * cap : 64;
            p->rows = xrealloc(p->rows, cap * sizeof *p->rows);
            *vis = xrealloc(*vis, cap);
        }
        struct plan_row *r = &p->rows[p->n];
        memset(r, 0, sizeof *r);
        r->id = db_column_int64(st, 0);
        r->parent_id = db_column_int64(st, 1);
        r->depth = (int)db_column_int64(st, 2);
        r->title = col_dup(st, 3), r->kind = col_dup(st, 4), r->status = col_dup(st, 5);
        r->light = col_dup(st, 6), r->deadline = col_dup(st, 7);
        r->progress = (int)db_column_int64(st, 8);
        r->weight = (int)db_column_int64(st, 9);
        r->has_metric = !db_column_is_null(st, 10);
        r->target = db_column_double(st, 10);
        r->metric_unit = col_dup(st, 11);
        r->has_value = !db_column_is_null(st, 12);
        r->value = db_column_double(st, 12);
        r->lead_unit_id = db_column_int64(st, 13);
        r->lead_code = col_dup(st, 14), r->lead_name = col_dup(st, 15);
        r->co_units = json_array();
        (*vis)[p->n] = db_column_int64(st, 16) != 0;
        p->n++;
    }
    db_finalize(st);
    return rc == DB_DONE ? DB_OK : rc;
}

static int row_cmp_id(const void *key, const void *elem)
{
    int64_t id = *(const int64_t *)key, other = ((const struct plan_row *)elem)->id;
    return id < other ? -1 : id > other;
}

static struct plan_row *row_find(struct plan *p, int64_t id)
{
    return p->n ? bsearch(&id, p->rows, p->n, sizeof *p->rows, row_cmp_id) : NULL;
}

/* Attach the cooperating units (rows are ordered by id). */
static int load_co_units(struct db *db, int64_t root, struct plan *p)
{
    struct db_stmt *st =
        db_prepare(db, PLAN_WALK "SELECT iu.item_id, u.id, u.code, u.name FROM sub s"
                                 " JOIN item_units iu ON iu.item_id = s.id"
                                 " JOIN units u ON u.id = iu.unit_id ORDER BY iu.item_id, u.id");
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, root);
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        struct plan_row *r = row_find(p, db_column_int64(st, 0));
        if (!r) continue;
        json_array_append_new(
            r->co_units, json_pack("{s:I,s:s,s:s}", "id", (json_int_t)db_column_int64(st, 1),
                                   "code", db_column_text(st, 2), "name", db_column_text(st, 3)));
    }
    db_finalize(st);
    for (size_t k = 0; k < p->n; k++) {
        struct buf b;
        buf_init(&b, 0);
        size_t i;
        json_t *u;
        json_array_foreach(p->rows[k].co_units, i, u)
        {
            if (i) buf_puts(&b, "、");
            buf_puts(&b, json_string_value(json_object_get(u, "name")));
        }
        p->rows[k].co_names = buf_detach(&b, NULL);
    }
    return rc == DB_DONE ? DB_OK : rc;
}

/* Append the visible subtree of by[k] to out in pre-order with outline numbers. */
static void preorder(struct plan *by, const unsigned char *vis, size_t k, const char *number,
                     struct plan *out)
{
    struct plan_row *r = &by->rows[k];
    out->rows[out->n] = *r;
    snprintf(out->rows[out->n].number, sizeof r->number, "%s", number);
    memset(r, 0, sizeof *r); /* moved */
    int64_t id = out->rows[out->n].id;
    out->n++;
    int child = 0;
    for (size_t c = 0; c < by->n; c++) {
        if (by->rows[c].parent_id != id || !vis[c] || !by->rows[c].title) continue;
        char sub[64];
        snprintf(sub, sizeof sub, "%s.%d", number, ++child);
        preorder(by, vis, c, sub, out);
    }
}

int plan_load(struct db *db, const struct actor *a, int64_t root_id, struct plan *p, struct err *e)
{
    struct plan by = {0};
    unsigned char *vis = NULL;
    int ret = -1;
    plan_free(p);
    int rc = load_items(db, a, root_id, &by, &vis);
    if (rc == DB_OK && by.n > PLAN_MAX_ROWS) {
        err_set(e, 422, "tree_too_large", "the tree holds more than %d items", PLAN_MAX_ROWS);
        goto out;
    }
    if (rc == DB_OK) rc = load_co_units(db, root_id, &by);
    if (rc != DB_OK) {
        err_db(e, rc, "reading the tree");
        goto out;
    }
    struct plan_row *root = row_find(&by, root_id);
    if (!root) {
        err_set(e, 404, "not_found", "no item with id %lld", (long long)root_id);
        err_detail(e, "item");
        goto out;
    }
    if (!vis[root - by.rows]) {
        err_set(e, 403, "forbidden", "item %lld belongs to another unit", (long long)root_id);
        goto out;
    }
    p->rows = xcalloc(by.n, sizeof *p->rows);
    preorder(&by, vis, (size_t)(root - by.rows), "1", p);
    ret = 0;
out:
    plan_free(&by);
    free(vis);
    return ret;
}

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *node_json(const struct plan_row *r)
{
    json_t *metric = json_null(), *lead = json_null();
    if (r->has_metric)
        metric =
            json_pack("{s:f,s:o,s:o}", "target", r->target, "unit", str_or_null(r->metric_unit),
                      "value", r->has_value ? json_real(r->value) : json_null());
    if (r->lead_unit_id)
        lead = json_pack("{s:I,s:s,s:s}", "id", (json_int_t)r->lead_unit_id, "code", r->lead_code,
                         "name", r->lead_name);
    return json_pack("{s:I,s:s,s:i,s:s,s:s,s:s,s:s,s:o,s:i,s:i,s:o,s:o,s:O,s:[]}", "id",
                     (json_int_t)r->id, "number", r->number, "depth", r->depth, "title", r->title,
                     "kind", r->kind, "status", r->status, "light", r->light, "deadline",
                     str_or_null(r->deadline), "progress", r->progress, "weight", r->weight,
                     "metric", metric, "lead_unit", lead, "co_units", r->co_units, "children");
}

json_t *plan_json(const struct plan *p)
{
    json_t *stack[PLAN_MAX_DEPTH + 2] = {0}, *root = NULL;
    for (size_t k = 0; k < p->n; k++) {
        const struct plan_row *r = &p->rows[k];
        json_t *node = node_json(r);
        if (r->depth == 0 || !root) {
            root = node;
        } else {
            json_array_append_new(json_object_get(stack[r->depth - 1], "children"), node);
        }
        if (r->depth <= PLAN_MAX_DEPTH) stack[r->depth] = node;
    }
    return json_pack("{s:o,s:I}", "tree", root ? root : json_null(), "count", (json_int_t)p->n);
}
