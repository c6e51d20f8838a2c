/* import_store.c — a 任务分解表's rows checked as a whole (parents by outline
 * number or reference, cycles, duplicates) and stored, all or nothing
 * (import.h); the plan as JSON for the preview and the answer.
 *
 * Parents are indexes into the plan's rows, never item ids: an import only
 * builds its own tree.  A cycle (A's parent B, B's parent A) is found by
 * walking up at most n steps; its rows lose their parent, so depths stay
 * finite for the problems that follow.  Storing creates parents before
 * children (by depth, then sheet order), each through item_create, so
 * every item has its 'create' event carrying the import's id, row and
 * hash. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/import.h"
#include "core/import_internal.h"
#include "util/mem.h"
#include "util/time.h"

/* 1 when s is an outline number: 1, 1.2, 1.2.3 (a last dot is allowed). */
static int outline_ok(const char *s)
{
    int digit = 0;
    for (; *s; s++) {
        if (*s >= '0' && *s <= '9')
            digit = 1;
        else if (*s == '.' && digit)
            digit = 0;
        else
            return 0;
    }
    return 1;
}

/* The outline without a last dot, into out. */
static void outline_norm(const char *s, char *out, size_t size)
{
    size_t n = strlen(s);
    if (n && s[n - 1] == '.') n--;
    snprintf(out, size, "%.*s", (int)n, s);
}

/* The row whose outline is o, or -1. */
static int by_outline(const struct import_plan *p, const char *o)
{
    char a[64], b[64];
    outline_norm(o, a, sizeof a);
    for (size_t i = 0; i < p->n; i++) {
        outline_norm(p->rows[i].cell[IMPORT_OUTLINE], b, sizeof b);
        if (*b && !strcmp(a, b)) return (int)i;
    }
    return -1;
}

/* The row a 上级 cell names: an outline number, 第N行, row N or #N; or -1. */
static int by_reference(const struct import_plan *p, const char *v)
{
    if (outline_ok(v)) return by_outline(p, v);
    const char *d = !strncmp(v, "第", 3)     ? v + 3
                    : !strncmp(v, "row ", 4) ? v + 4
                    : *v == '#'              ? v + 1
                                             : NULL;
    if (!d) return -1;
    char *end;
    long n = strtol(d, &end, 10);
    if (end == d || (strcmp(end, "行") && *end)) return -1;
    for (size_t i = 0; i < p->n; i++)
        if ((long)p->rows[i].row == n) return (int)i;
    return -1;
}

/* Each row's parent, by its 上级 cell or its outline number. */
static void plan_parents(struct import_plan *p)
{
    for (size_t i = 0; i < p->n; i++) {
        struct import_row *r = &p->rows[i];
        const char *o = r->cell[IMPORT_OUTLINE], *ref = r->cell[IMPORT_PARENT], *dot;
        char up[64];
        if (*o && !outline_ok(o)) import_problem(p, r->row, IMPORT_OUTLINE, "bad_outline", o);
        if (*ref) {
            if ((r->parent = by_reference(p, ref)) < 0)
                import_problem(p, r->row, IMPORT_PARENT, "unknown_parent", ref);
            else if ((size_t)r->parent == i)
                import_problem(p, r->row, IMPORT_PARENT, "parent_cycle", ref), r->parent = -1;
            continue;
        }
        if (!*o || !outline_ok(o)) continue;
        outline_norm(o, up, sizeof up);
        if (!(dot = strrchr(up, '.'))) continue;
        up[dot - up] = '\0';
        if ((r->parent = by_outline(p, up)) < 0)
            import_problem(p, r->row, IMPORT_OUTLINE, "unknown_parent", o);
    }
}

/* Rows in a cycle of parents lose their parent (a problem each); then each
 * row's depth. */
static void plan_cycles(struct import_plan *p)
{
    char *cyc = xcalloc(p->n + 1, 1);
    for (size_t i = 0; i < p->n; i++) {
        int at = p->rows[i].parent;
        for (size_t steps = 0; at >= 0 && steps <= p->n; steps++) {
            if ((size_t)at == i) {
                cyc[i] = 1;
                break;
            }
            at = p->rows[at].parent;
        }
    }
    for (size_t i = 0; i < p->n; i++)
        if (cyc[i]) {
            import_problem(p, p->rows[i].row,
                           p->rows[i].cell[IMPORT_PARENT][0] ? IMPORT_PARENT : IMPORT_OUTLINE,
                           "parent_cycle", p->rows[i].cell[IMPORT_PARENT]);
            p->rows[i].parent = -1;
        }
    for (size_t i = 0; i < p->n; i++) { /* parents of cycle rows are gone: every walk ends */
        int d = 0;
        for (int at = p->rows[i].parent; at >= 0 && d <= (int)p->n; at = p->rows[at].parent)
            d++;
        p->rows[i].depth = d;
    }
    free(cyc);
}

/* A second row with the same outline number, or the same title under the
 * same parent. */
static void plan_duplicates(struct import_plan *p)
{
    for (size_t j = 0; j < p->n; j++) {
        const struct import_row *b = &p->rows[j];
        int dup_o = 0, dup_t = 0;
        for (size_t i = 0; i < j && !(dup_o && dup_t); i++) {
            const struct import_row *a = &p->rows[i];
            dup_o |= *b->cell[IMPORT_OUTLINE] &&
                     !strcmp(a->cell[IMPORT_OUTLINE], b->cell[IMPORT_OUTLINE]);
            dup_t |= a->parent == b->parent && *b->cell[IMPORT_TITLE] &&
                     !strcmp(a->cell[IMPORT_TITLE], b->cell[IMPORT_TITLE]);
        }
        if (dup_o) import_problem(p, b->row, IMPORT_OUTLINE, "duplicate_outline", b->cell[0]);
        if (dup_t)
            import_problem(p, b->row, IMPORT_TITLE, "duplicate_title", b->cell[IMPORT_TITLE]);
    }
}

static int problem_order(const void *x, const void *y)
{
    const struct import_problem *a = x, *b = y;
    if (a->row != b->row) return a->row < b->row ? -1 : 1;
    if (a->field != b->field) return a->field < b->field ? -1 : 1;
    return strcmp(a->code, b->code);
}

int import_check(struct db *db, struct import_plan *p, struct err *e)
{
    struct import_ctx cx = {0};
    int rc = DB_OK;
    for (size_t i = 0; i < p->n && rc == DB_OK; i++) {
        import_values(p, &p->rows[i]);
        rc = import_units(db, &p->rows[i], p);
        if (rc == DB_OK) rc = import_deadline(db, &cx, &p->rows[i], p);
    }
    calendar_free(&cx.cal);
    if (rc != DB_OK) return err_db(e, rc, "reading units and the calendar");
    plan_parents(p);
    plan_cycles(p);
    plan_duplicates(p);
    if (p->n_problems) qsort(p->problems, p->n_problems, sizeof *p->problems, problem_order);
    return 0;
}

/* The import's own row: -1 with e 409 when the hash was imported before. */
static int import_row_add(struct db *db, const struct actor *a, struct import_plan *p, int64_t *id,
                          struct err *e)
{
    struct db_stmt *st = db_prepare(db, "SELECT id FROM imports WHERE sha256 = ?1");
    if (!st) return err_db(e, DB_ERR, "reading imports");
    db_bind_text(st, 1, p->sha256, 64);
    int rc = db_step(st);
    int64_t n = rc == DB_ROW ? db_column_int64(st, 0) : 0;
    db_finalize(st);
    if (rc != DB_ROW && rc != DB_DONE) return err_db(e, rc, "reading imports");
    if (n)
        return err_set(e, 409, "import_duplicate", "this file was imported before (import %lld)",
                       (long long)n);
    st = db_prepare(db, "INSERT INTO imports (sha256, name, format, rows, created_by, created_at)"
                        " VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id");
    if (!st) return err_db(e, DB_ERR, "storing the import");
    db_bind_text(st, 1, p->sha256, 64);
    db_bind_text(st, 2, p->name, (size_t)-1);
    db_bind_text(st, 3, p->format, (size_t)-1);
    db_bind_int64(st, 4, (int64_t)p->n);
    a->user_id ? db_bind_int64(st, 5, a->user_id) : db_bind_null(st, 5);
    db_bind_int64(st, 6, time_now_ms());
    rc = db_step(st);
    if (rc == DB_ROW) *id = db_column_int64(st, 0), rc = DB_OK;
    db_finalize(st);
    return rc == DB_OK ? 0 : err_db(e, rc, "storing the import");
}

/* Row r as an item of import id, linked to it. */
static int import_item(struct db *db, const struct actor *a, struct import_plan *p,
                       struct import_row *r, int64_t id, struct err *e)
{
    r->in.parent_id = r->parent >= 0 ? p->rows[r->parent].item_id : 0;
    r->in.import_id = id, r->in.import_row = (int64_t)r->row, r->in.import_sha256 = p->sha256;
    if (item_create(db, a, &r->in, &r->item_id, e)) {
        char msg[sizeof e->message];
        snprintf(msg, sizeof msg, "%s", e->message);
        return err_set(e, e->status, e->code, "row %zu: %s", r->row, msg);
    }
    struct db_stmt *st = db_prepare(
        db, "INSERT INTO import_items (item_id, import_id, sheet_row) VALUES (?1, ?2, ?3)");
    if (!st) return err_db(e, DB_ERR, "linking an imported item");
    db_bind_int64(st, 1, r->item_id);
    db_bind_int64(st, 2, id);
    db_bind_int64(st, 3, (int64_t)r->row);
    int rc = db_step(st);
    db_finalize(st);
    return rc == DB_DONE ? 0 : err_db(e, rc, "linking an imported item");
}

int import_store(struct db *db, const struct actor *a, struct import_plan *p, int64_t *import_id,
                 struct err *e)
{
    if (p->n_problems)
        return err_set(e, 422, "import_invalid",
                       "the sheet has %zu problems; nothing was imported (see the preview)",
                       p->n_problems);
    if (import_row_add(db, a, p, import_id, e)) return -1;
    int most = 0;
    for (size_t i = 0; i < p->n; i++)
        if (p->rows[i].depth > most) most = p->rows[i].depth;
    for (int d = 0; d <= most; d++)
        for (size_t i = 0; i < p->n; i++)
            if (p->rows[i].depth == d && import_item(db, a, p, &p->rows[i], *import_id, e))
                return -1;
    return 0;
}

/* A problem as JSON. */
static json_t *problem_json(const struct import_plan *p, const struct import_problem *x)
{
    char col[4];
    import_column_name(p, x->field, col);
    return json_pack("{s:I,s:s,s:s,s:s,s:s}", "row", (json_int_t)x->row, "column", col, "field",
                     import_field_name(x->field), "code", x->code, "value", x->value);
}

/* Row r as JSON, with its problems (those of p from *k on that are its). */
static json_t *row_json(const struct import_plan *p, const struct import_row *r, size_t *k)
{
    const struct item_input *in = &r->in;
    json_t *co = json_array(), *probs = json_array();
    for (int c = 0; c < in->n_co; c++)
        json_array_append_new(co, json_integer(in->co_unit_ids[c]));
    for (; *k < p->n_problems && p->problems[*k].row == r->row; (*k)++)
        json_array_append_new(probs, problem_json(p, &p->problems[*k]));
    json_t *o =
        json_pack("{s:I,s:s,s:s,s:o,s:s,s:o,s:s,s:s,s:o}", "row", (json_int_t)r->row, "outline",
                  r->cell[IMPORT_OUTLINE], "title", r->cell[IMPORT_TITLE], "lead_unit_id",
                  in->lead_unit_id ? json_integer(in->lead_unit_id) : json_null(), "lead_unit",
                  r->cell[IMPORT_LEAD], "co_unit_ids", co, "feedback_cycle", in->feedback_cycle,
                  "description", r->cell[IMPORT_DESCRIPTION], "problems", probs);
    json_object_set_new(o, "parent_row",
                        r->parent >= 0 ? json_integer((json_int_t)p->rows[r->parent].row)
                                       : json_null());
    json_object_set_new(o, "deadline", in->deadline ? json_string(in->deadline) : json_null());
    json_object_set_new(o, "metric",
                        in->has_metric ? json_pack("{s:f,s:s?}", "target", in->metric_target,
                                                   "unit", in->metric_unit)
                                       : json_null());
    if (p->column[IMPORT_LEADER] >= 0) { /* only from a sheet with the column */
        json_object_set_new(o, "leader_id",
                            in->leader_id ? json_integer(in->leader_id) : json_null());
        json_object_set_new(o, "leader", json_string(r->cell[IMPORT_LEADER]));
    }
    if (r->item_id) json_object_set_new(o, "item_id", json_integer(r->item_id));
    return o;
}

json_t *import_plan_json(const struct import_plan *p)
{
    json_t *cols = json_object(), *rows = json_array(), *probs = json_array();
    for (int f = 0; f < IMPORT_FIELDS; f++) {
        char col[4];
        import_column_name(p, (enum import_field)f, col);
        if (*col)
            json_object_set_new(cols, import_field_name((enum import_field)f), json_string(col));
    }
    size_t k = 0;
    for (size_t i = 0; i < p->n; i++) {
        while (k < p->n_problems && p->problems[k].row < p->rows[i].row)
            k++;
        json_array_append_new(rows, row_json(p, &p->rows[i], &k));
    }
    for (size_t i = 0; i < p->n_problems; i++)
        json_array_append_new(probs, problem_json(p, &p->problems[i]));
    return json_pack("{s:s,s:s,s:s,s:I,s:o,s:I,s:o,s:o}", "name", p->name, "sha256", p->sha256,
                     "format", p->format, "header_row", (json_int_t)p->header_row, "columns", cols,
                     "row_count", (json_int_t)p->n, "rows", rows, "problems", probs);
}
