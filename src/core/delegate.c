/* delegate.c — 转办/分办: sub-items a unit splits off its own item.  See
 * delegate.h.  Who sees and who may act is perm.h's and the lifecycle's;
 * this file only decides whether a unit may split an item, and to whom. */
#include "core/delegate.h"

#include <stdio.h>
#include <string.h>

#include "core/kind.h"
#include "core/perm.h"

/* The parent of a sub-item as the rule needs it. */
struct parent {
    int64_t lead;
    char status[16], deadline[11];
};

static int parent_load(struct db *db, int64_t id, struct parent *p)
{
    struct db_stmt *st =
        db_prepare(db, "SELECT lead_unit_id, status, deadline FROM items WHERE id = ?1");
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, id);
    int rc = db_step(st);
    memset(p, 0, sizeof *p);
    if (rc == DB_ROW) {
        p->lead = db_column_is_null(st, 0) ? 0 : db_column_int64(st, 0);
        snprintf(p->status, sizeof p->status, "%s", db_column_text(st, 1));
        snprintf(p->deadline, sizeof p->deadline, "%s",
                 db_column_is_null(st, 2) ? "" : db_column_text(st, 2));
        rc = DB_OK;
    }
    db_finalize(st);
    return rc;
}

/* 1 when unit may lead or join a sub-item that a's unit splits off parent:
 * below a's unit, or cooperating on the parent.  Negative db code on error. */
static int unit_allowed(struct db *db, const struct actor *a, int64_t parent, int64_t unit)
{
    int rc = perm_unit_below(db, a->unit_id, unit);
    if (rc) return rc;
    struct db_stmt *st =
        db_prepare(db, "SELECT count(*) FROM item_units WHERE item_id = ?1 AND unit_id = ?2");
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, parent);
    db_bind_int64(st, 2, unit);
    rc = db_step(st);
    int co = rc == DB_ROW ? db_column_int64(st, 0) > 0 : rc;
    db_finalize(st);
    return co;
}

/* The units and deadline of a sub-item of parent p (id parent) against the rule. */
static int check_units_deadline(struct db *db, const struct actor *a, int64_t parent,
                                const struct parent *p, int64_t lead, const int64_t *co, int n_co,
                                const char *deadline, struct err *e)
{
    for (int k = -1; k < n_co; k++) {
        int64_t u = k < 0 ? lead : co[k];
        int rc = u ? unit_allowed(db, a, parent, u) : 0;
        if (rc < 0) return err_db(e, rc, "checking units");
        if (!rc)
            return err_set(e, 422, "invalid_field",
                           "a sub-item goes to a unit below yours or to a cooperating unit of "
                           "item %lld: unit %lld is neither",
                           (long long)parent, (long long)u),
                   err_detail(e, "delegate_unit");
    }
    if (!deadline || !*deadline)
        return err_set(e, 422, "missing_field", "field 'deadline' is required for a sub-item");
    if (p->deadline[0] && strcmp(deadline, p->deadline) > 0)
        return err_set(e, 422, "invalid_field",
                       "a sub-item is due no later than its item: %s is after %s", deadline,
                       p->deadline),
               err_detail(e, "delegate_deadline");
    return 0;
}

int delegate_item_create(struct db *db, const struct actor *a, const struct item_input *in0,
                         int64_t *id, struct err *e)
{
    if (a->roles & (ROLE_ADMIN | ROLE_SUPERVISOR)) return item_create(db, a, in0, id, e);
    const struct kind *k = kind_find(in0->kind);
    if (k && k->unit_creates && !in0->parent_id) /* its create hook says who */
        return item_create(db, a, in0, id, e);
    struct item_input in = *in0;
    if (!in.parent_id)
        return err_set(e, 403, "forbidden",
                       "a unit creates only sub-items of an item it leads: 'parent_id' is "
                       "required"),
               err_detail(e, "delegate");
    struct parent p;
    int rc = parent_load(db, in.parent_id, &p);
    if (rc == DB_DONE)
        return err_set(e, 422, "invalid_field", "no parent item with id %lld",
                       (long long)in.parent_id);
    if (rc != DB_OK) return err_db(e, rc, "reading the parent item");
    if (!(a->roles & ROLE_HANDLER) || !a->unit_id || p.lead != a->unit_id)
        return err_set(e, 403, "forbidden",
                       "item %lld is not led by your unit: only its lead unit's handler splits it",
                       (long long)in.parent_id),
               err_detail(e, "delegate");
    if (strcmp(p.status, "accepted") && strcmp(p.status, "in_progress"))
        return err_set(e, 409, "invalid_status",
                       "item %lld is %s: a unit splits an item once it has accepted it and "
                       "before it submits it",
                       (long long)in.parent_id, p.status);
    if (!in.lead_unit_id)
        return err_set(e, 422, "missing_field", "field 'lead_unit_id' is required for a sub-item");
    if (check_units_deadline(db, a, in.parent_id, &p, in.lead_unit_id, in.co_unit_ids, in.n_co,
                             in.deadline, e))
        return -1;
    in.delegated_by = a->unit_id;
    return item_create(db, a, &in, id, e);
}

int delegate_check_assign(struct db *db, const struct actor *a, int64_t id, int64_t lead,
                          const int64_t *co, int n_co, const char *deadline, struct err *e)
{
    int64_t parent = 0;
    int rc = db_query_int64(db, "SELECT coalesce(parent_id, 0) FROM items WHERE id = ?1", 1, id,
                            &parent);
    if (rc != DB_OK) return err_db(e, rc, "reading the item");
    struct parent p;
    rc = parent ? parent_load(db, parent, &p) : DB_DONE;
    if (rc == DB_DONE) return 0; /* a delegated item always has its parent */
    if (rc != DB_OK) return err_db(e, rc, "reading the parent item");
    return check_units_deadline(db, a, parent, &p, lead, co, n_co, deadline, e);
}
