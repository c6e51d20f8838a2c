/* leader.c — figures by responsible leader.  See leader.h.  Visibility is
 * perm.h's (the same rule as every list). */
#include "core/leader.h"

#include "core/perm.h"

#define LEADER_OPEN                                                                                \
    "i.status IN ('assigned','accepted','in_progress','submitted','returned','suspended')"

json_t *leader_figures_json(struct db *db, const struct actor *a, const char *today, struct err *e)
{
    struct db_stmt *st =
        db_prepare(db, "SELECT ld.id, ld.name, sum(CASE WHEN " LEADER_OPEN " THEN 1 ELSE 0 END),"
                       " sum(CASE WHEN " LEADER_OPEN " AND i.deadline < ?3 THEN 1 ELSE 0 END),"
                       " sum(CASE WHEN i.status IN ('done','archived') THEN 1 ELSE 0 END)"
                       " FROM items i JOIN users ld ON ld.id = i.leader_id WHERE " PERM_VISIBLE_SQL
                       " GROUP BY ld.id, ld.name ORDER BY ld.id");
    if (!st) {
        err_db(e, DB_ERR, "counting by leader");
        return NULL;
    }
    db_bind_int64(st, 1, actor_sees_all(a));
    db_bind_int64(st, 2, a->unit_id);
    db_bind_text(st, 3, today, (size_t)-1);
    json_t *rows = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW)
        json_array_append_new(rows, json_pack("{s:{s:I,s:s},s:I,s:I,s:I}", "leader", "id",
                                              (json_int_t)db_column_int64(st, 0), "name",
                                              db_column_text(st, 1), "open",
                                              (json_int_t)db_column_int64(st, 2), "overdue",
                                              (json_int_t)db_column_int64(st, 3), "done",
                                              (json_int_t)db_column_int64(st, 4)));
    db_finalize(st);
    if (rc != DB_DONE) {
        json_decref(rows);
        err_db(e, rc, "counting by leader");
        return NULL;
    }
    return rows;
}
