/* perm.c — object-level visibility.  See perm.h. */
#include "core/perm.h"

#include <string.h>

#include "core/lifecycle.h"

int perm_unit_work(const char *assigned_on)
{
    return assigned_on && *assigned_on;
}

int perm_item_visible(struct db *db, const struct actor *a, int64_t item_id)
{
    struct db_stmt *st =
        db_prepare(db, "SELECT count(*) FROM items i WHERE i.id = ?3 AND " PERM_VISIBLE_SQL);
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, actor_sees_all(a));
    db_bind_int64(st, 2, a->unit_id);
    db_bind_int64(st, 3, item_id);
    int rc = db_step(st);
    int visible = rc == DB_ROW ? db_column_int64(st, 0) > 0 : rc;
    db_finalize(st);
    return visible;
}

int perm_item_internal(struct db *db, const struct actor *a, int64_t item_id)
{
    struct db_stmt *st =
        db_prepare(db, "SELECT count(*) FROM items i WHERE i.id = ?3 AND " PERM_INTERNAL_SQL);
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, actor_sees_all(a));
    db_bind_int64(st, 2, a->unit_id);
    db_bind_int64(st, 3, item_id);
    int rc = db_step(st);
    int internal = rc == DB_ROW ? db_column_int64(st, 0) > 0 : rc;
    db_finalize(st);
    return internal;
}

int perm_item_record(struct db *db, const struct actor *a, int64_t item_id, struct err *e)
{
    int internal = perm_item_internal(db, a, item_id);
    if (internal > 0) return 0;
    if (internal < 0) return err_db(e, internal, "reading the item");
    return err_set(e, 403, "forbidden",
                   "item %lld's events and records are the office's internal record: its status "
                   "and reply are on the item",
                   (long long)item_id),
           err_detail(e, "internal");
}

int perm_chain_caps(struct db *db, const struct actor *a, int64_t id, int is_lead, unsigned *caps)
{
    *caps = 0;
    if (!a->unit_id || !(a->roles & (ROLE_HANDLER | ROLE_REPORTER))) return DB_OK;
    struct db_stmt *st =
        db_prepare(db, "SELECT (SELECT count(*) FROM items WHERE id = ?1 AND delegated_by = ?2),"
                       " (SELECT kind FROM units WHERE id = ?2)");
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, id);
    db_bind_int64(st, 2, a->unit_id);
    int rc = db_step(st);
    if (rc == DB_ROW) {
        int grid = !db_column_is_null(st, 1) && !strcmp(db_column_text(st, 1), "grid");
        if ((a->roles & ROLE_HANDLER) && db_column_int64(st, 0) > 0) *caps |= LC_DELEGATOR;
        if (!(a->roles & ROLE_HANDLER) && (a->roles & ROLE_REPORTER) && grid && is_lead)
            *caps |= LC_LEAD;
        rc = DB_OK;
    }
    db_finalize(st);
    return rc;
}

int perm_unit_below(struct db *db, int64_t top, int64_t unit)
{
    struct db_stmt *st =
        db_prepare(db, "SELECT count(*) FROM units WHERE id = ?2 AND id IN " PERM_BELOW_SQL("?1"));
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, top);
    db_bind_int64(st, 2, unit);
    int rc = db_step(st);
    int below = rc == DB_ROW ? db_column_int64(st, 0) > 0 : rc;
    db_finalize(st);
    return below;
}
