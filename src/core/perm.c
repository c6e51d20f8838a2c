/* perm.c — object-level visibility.  See perm.h. */
#include "core/perm.h"

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
