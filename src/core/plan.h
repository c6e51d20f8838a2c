/* plan.h — the project list (项目清单): an item's subtree (plan → goal →
 * task → milestone) with owners, deadlines, lights and progress, for
 * GET /api/v1/items/{id}/tree, the plan page and the exports
 * (notice/export.h).  Nothing here writes.
 *
 * The walk descends only through items the actor may see (perm.h): a hidden
 * item is left out with everything under it. */
#ifndef LUOSHI_CORE_PLAN_H
#define LUOSHI_CORE_PLAN_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/core.h"
#include "db/db.h"

#define PLAN_MAX_ROWS  5000 /* items in one tree */
#define PLAN_MAX_DEPTH 16   /* levels below the root */

/* One item of the tree.  Strings are owned by the row (plan_rows_free). */
struct plan_row {
    int64_t id, parent_id; /* parent_id 0 for none */
    int depth;             /* 0 for the root */
    char number[64];       /* outline number: "1" for the root, then "1.2", "1.2.1" */
    char *title, *kind, *status, *light, *deadline; /* deadline NULL when none */
    int progress, weight;
    int has_metric, has_value;
    double target, value;
    char *metric_unit;           /* NULL without a metric */
    int64_t lead_unit_id;        /* 0 for none */
    char *lead_code, *lead_name; /* NULL without a lead unit */
    char *co_names;              /* cooperating units' names joined by "、" ("" for none) */
    json_t *co_units;            /* [{"id","code","name"}] */
};

/* A tree in pre-order (a parent before its children, siblings by id). */
struct plan {
    struct plan_row *rows;
    size_t n;
};

/* Read the subtree under root_id as actor a sees it into p (emptied first).
 * 0, or -1 with e: 404 no such item, 403 the root is not visible to a, 422
 * "tree_too_large" above PLAN_MAX_ROWS items, 5xx storage. */
int plan_load(struct db *db, const struct actor *a, int64_t root_id, struct plan *p, struct err *e);
/* Free the rows (p itself is the caller's) and empty it. */
void plan_free(struct plan *p);

/* The tree as nested JSON (caller owns): {"tree": node, "count": n} where a
 * node is {"id","number","depth","title","kind","status","light","deadline",
 * "progress","weight","metric":{"target","unit","value"}|null,
 * "lead_unit":{"id","code","name"}|null,"co_units":[…],"children":[node…]}. */
json_t *plan_json(const struct plan *p);

#endif
