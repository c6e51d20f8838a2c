/* campaign.c — campaigns and their figures.  See campaign.h. */
#include "core/campaign.h"

#include <stdio.h>
#include <string.h>

#include "core/hazard_category.h"
#include "core/perm.h"
#include "core/text.h"
#include "core/unit.h"
#include "util/time.h"
#include "util/utf8.h"

#define CAMPAIGN_MAX_LIST 64

static int month_valid(const char *m)
{
    int32_t day;
    char d[11];
    if (strlen(m) != 7) return 0;
    snprintf(d, sizeof d, "%s-01", m);
    return !date_parse(d, 10, &day);
}

static int step_done(struct db_stmt *st)
{
    if (!st) return DB_ERR;
    int rc = db_step(st);
    db_finalize(st);
    return rc == DB_DONE || rc == DB_ROW ? DB_OK : rc;
}

/* Run st (prepared by the caller, NULL when that failed) with two ids. */
static int insert_pair(struct db_stmt *st, int64_t a, int64_t b)
{
    if (st) db_bind_int64(st, 1, a), db_bind_int64(st, 2, b);
    return step_done(st);
}

/* The categories and units of a new campaign, after the campaign row. */
static int create_links(struct db *db, int64_t id, json_t *cats, json_t *units, struct err *e)
{
    size_t i;
    json_t *v;
    json_array_foreach(cats, i, v)
    {
        int64_t cat = json_is_string(v) ? hazard_category_id(db, json_string_value(v)) : 0;
        if (cat < 0) return err_db(e, (int)cat, "reading categories");
        if (!cat) return err_set(e, 422, "invalid_field", "'categories' holds an unknown code");
        int rc =
            insert_pair(db_prepare(db, "INSERT INTO campaign_categories (campaign_id, category_id)"
                                       " VALUES (?1, ?2) ON CONFLICT DO NOTHING"),
                        id, cat);
        if (rc != DB_OK) return err_db(e, rc, "creating the campaign");
    }
    json_array_foreach(units, i, v)
    {
        int rc = json_is_integer(v) ? unit_exists(db, json_integer_value(v)) : 0;
        if (rc < 0) return err_db(e, rc, "checking units");
        if (!rc) return err_set(e, 422, "invalid_field", "'unit_ids' holds an unknown unit");
        rc = insert_pair(
            db_prepare(db, "INSERT INTO campaign_units (campaign_id, unit_id) VALUES (?1, ?2)"
                           " ON CONFLICT DO NOTHING"),
            id, json_integer_value(v));
        if (rc != DB_OK) return err_db(e, rc, "creating the campaign");
    }
    return 0;
}

int campaign_create(struct db *db, const struct actor *a, json_t *body, int64_t *id, struct err *e)
{
    if (!json_is_object(body)) return err_set(e, 400, "invalid_json", "the body must be an object");
    const char *key;
    json_t *v;
    json_object_foreach(body, key, v)
    {
        if (strcmp(key, "theme") && strcmp(key, "month") && strcmp(key, "description") &&
            strcmp(key, "categories") && strcmp(key, "unit_ids"))
            return err_set(e, 422, "unknown_field", "unknown field '%s'", key);
    }
    const char *theme = NULL, *desc = NULL,
               *month = json_string_value(json_object_get(body, "month"));
    json_t *cats = json_object_get(body, "categories"), *units = json_object_get(body, "unit_ids");
    if (text_field(body, "theme", 200, 1, &theme, e) ||
        text_field(body, "description", 5000, 0, &desc, e))
        return -1;
    if (!month || !month_valid(month))
        return err_set(e, 422, "invalid_field", "'month' must be a month as YYYY-MM");
    if (!json_is_array(cats) || !json_array_size(cats) || json_array_size(cats) > 32)
        return err_set(e, 422, "invalid_field", "'categories' must list 1 to 32 category codes");
    if (units && !json_is_null(units) && (!json_is_array(units) || json_array_size(units) > 64))
        return err_set(e, 422, "invalid_field", "'unit_ids' must be an array of at most 64 ids");
    struct db_stmt *st = db_prepare(db, "INSERT INTO campaigns (theme, month, description,"
                                        " created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5)"
                                        " RETURNING id");
    if (!st) return err_db(e, DB_ERR, "creating the campaign");
    db_bind_text(st, 1, theme, (size_t)-1);
    db_bind_text(st, 2, month, (size_t)-1);
    db_bind_text(st, 3, desc ? desc : "", (size_t)-1);
    if (a->user_id)
        db_bind_int64(st, 4, a->user_id);
    else
        db_bind_null(st, 4);
    db_bind_int64(st, 5, time_now_ms());
    int rc = db_step(st);
    if (rc == DB_ROW) *id = db_column_int64(st, 0), rc = DB_OK;
    db_finalize(st);
    if (rc != DB_OK) return err_db(e, rc, "creating the campaign");
    return create_links(db, *id, cats, json_is_array(units) ? units : NULL, e);
}

/* The campaign of this month covering the hazard: its category, and a target
 * unit that is the hazard's grid or place or one of their ancestors (up to 4
 * levels), or no target units at all.  0 when none. */
#define COVERS_SQL                                                                                 \
    "SELECT c.id FROM campaigns c JOIN hazards h ON h.item_id = ?1"                                \
    " JOIN campaign_categories cc ON cc.campaign_id = c.id AND cc.category_id = h.category_id"     \
    " WHERE c.month = ?2 AND (NOT EXISTS (SELECT 1 FROM campaign_units x"                          \
    " WHERE x.campaign_id = c.id) OR EXISTS (SELECT 1 FROM campaign_units x"                       \
    " LEFT JOIN units u1 ON u1.id = coalesce(h.grid_unit_id, h.place_unit_id)"                     \
    " LEFT JOIN units u2 ON u2.id = u1.parent_id LEFT JOIN units u3 ON u3.id = u2.parent_id"       \
    " WHERE x.campaign_id = c.id AND x.unit_id IN (u1.id, u2.id, u3.id, u3.parent_id)))"           \
    " ORDER BY c.id LIMIT 1"

int campaign_attach_hazard(struct db *db, int64_t item_id, int64_t campaign_id, struct err *e)
{
    int64_t n = 0;
    int rc = db_query_int64(db, "SELECT count(*) FROM campaign_items WHERE item_id = ?1", 1,
                            item_id, &n);
    if (rc != DB_OK) return err_db(e, rc, "reading campaigns");
    if (n) return 0;
    if (campaign_id) return campaign_attach_item(db, campaign_id, item_id, e) ? -1 : 0;
    char today[11];
    date_format(time_today(), today);
    today[7] = '\0';
    struct db_stmt *st = db_prepare(db, COVERS_SQL);
    if (!st) return err_db(e, DB_ERR, "reading campaigns");
    db_bind_int64(st, 1, item_id);
    db_bind_text(st, 2, today, (size_t)-1);
    rc = db_step(st);
    int64_t cid = rc == DB_ROW ? db_column_int64(st, 0) : 0;
    db_finalize(st);
    if (rc != DB_ROW && rc != DB_DONE) return err_db(e, rc, "reading campaigns");
    return cid ? campaign_attach_item(db, cid, item_id, e) : 0;
}

int campaign_attach_item(struct db *db, int64_t campaign_id, int64_t item_id, struct err *e)
{
    int64_t n = 0;
    int rc = db_query_int64(db, "SELECT count(*) FROM campaigns WHERE id = ?1", 1, campaign_id, &n);
    if (rc != DB_OK) return err_db(e, rc, "reading campaigns");
    if (!n)
        return err_set(e, 422, "invalid_field", "no campaign with id %lld", (long long)campaign_id);
    rc = db_query_int64(db, "SELECT count(*) FROM items WHERE id = ?1", 1, item_id, &n);
    if (rc != DB_OK) return err_db(e, rc, "reading items");
    if (!n)
        return err_set(e, 404, "not_found", "no item with id %lld", (long long)item_id),
               err_detail(e, "item");
    rc = db_query_int64(db, "SELECT count(*) FROM campaign_items WHERE item_id = ?1", 1, item_id,
                        &n);
    if (rc != DB_OK) return err_db(e, rc, "reading campaigns");
    if (n)
        return err_set(e, 409, "already_attached", "item %lld already belongs to a campaign",
                       (long long)item_id);
    rc = insert_pair(
        db_prepare(db, "INSERT INTO campaign_items (campaign_id, item_id) VALUES (?1, ?2)"),
        campaign_id, item_id);
    return rc == DB_OK ? 0 : err_db(e, rc, "attaching the item");
}

/* Append to arr what q (prepared by the caller, NULL when that failed;
 * one id parameter) returns in column 0, and finalize q:
 * text when text is set, else integers. */
static void append_col(struct db_stmt *q, int64_t id, json_t *arr, int text)
{
    if (!q) return;
    db_bind_int64(q, 1, id);
    while (db_step(q) == DB_ROW)
        json_array_append_new(arr, text ? json_string(db_column_text(q, 0))
                                        : json_integer(db_column_int64(q, 0)));
    db_finalize(q);
}

/* One campaign with its categories and units, or NULL when it does not exist. */
static json_t *campaign_one(struct db *db, int64_t id)
{
    struct db_stmt *st =
        db_prepare(db, "SELECT theme, month, description FROM campaigns WHERE id = ?1");
    if (!st) return NULL;
    db_bind_int64(st, 1, id);
    json_t *c = db_step(st) == DB_ROW
                    ? json_pack("{s:I,s:s,s:s,s:s,s:[],s:[]}", "id", (json_int_t)id, "theme",
                                db_column_text(st, 0), "month", db_column_text(st, 1),
                                "description", db_column_text(st, 2), "categories", "unit_ids")
                    : NULL;
    db_finalize(st);
    if (!c) return NULL;
    append_col(db_prepare(db,
                          "SELECT k.code FROM campaign_categories cc JOIN hazard_categories k"
                          " ON k.id = cc.category_id WHERE cc.campaign_id = ?1 ORDER BY k.sort"),
               id, json_object_get(c, "categories"), 1);
    append_col(
        db_prepare(db,
                   "SELECT unit_id FROM campaign_units WHERE campaign_id = ?1 ORDER BY unit_id"),
        id, json_object_get(c, "unit_ids"), 0);
    return c;
}

json_t *campaign_list_json(struct db *db, struct err *e)
{
    json_t *ids = json_array(), *arr = json_array();
    append_col(
        db_prepare(db,
                   "SELECT id FROM campaigns WHERE ?1 = ?1 ORDER BY month DESC, id DESC LIMIT 200"),
        0, ids, 0);
    size_t i;
    json_t *v;
    json_array_foreach(ids, i, v)
    {
        json_t *c = campaign_one(db, json_integer_value(v));
        if (c) json_array_append_new(arr, c);
    }
    json_decref(ids);
    (void)e;
    return json_pack("{s:o}", "campaigns", arr);
}

/* The figures of one group: found, fixed, overdue, open, major. */
struct fig {
    int64_t unit_id;
    char name[401]; /* a unit's name whole: 100 characters of up to 4 bytes (unit.c) */
    int64_t found, fixed, overdue, open, major;
};

static json_t *fig_json(const struct fig *f, int with_unit)
{
    json_t *o = json_pack("{s:I,s:I,s:I,s:I,s:I}", "found", (json_int_t)f->found, "fixed",
                          (json_int_t)f->fixed, "overdue", (json_int_t)f->overdue, "open",
                          (json_int_t)f->open, "major", (json_int_t)f->major);
    if (with_unit) {
        json_object_set_new(o, "unit_id", f->unit_id ? json_integer(f->unit_id) : json_null());
        json_object_set_new(o, "name", json_string(f->name));
    }
    return o;
}

static struct fig *fig_find(struct fig *list, size_t *n, size_t max, int64_t unit, const char *name)
{
    for (size_t k = 0; k < *n; k++)
        if (list[k].unit_id == unit) return &list[k];
    if (*n == max) return NULL;
    struct fig *f = &list[(*n)++];
    memset(f, 0, sizeof *f);
    f->unit_id = unit;
    utf8_copy(f->name, sizeof f->name, name ? name : "");
    return f;
}

static void fig_add(struct fig *f, const char *status, const char *deadline, const char *level,
                    const char *today)
{
    if (!f) return;
    int closed = !strcmp(status, "done") || !strcmp(status, "archived");
    int cancelled = !strcmp(status, "cancelled");
    f->found++;
    if (closed) f->fixed++;
    if (!closed && !cancelled) f->open++;
    if (!closed && !cancelled && deadline && *deadline && strcmp(deadline, today) < 0) f->overdue++;
    if (level && !strcmp(level, "major")) f->major++;
}

/* The hazards of a campaign (duplicates left out), grouped. */
#define FIG_SQL                                                                                    \
    "SELECT i.status, i.deadline, h.level, g.id, g.name, g.kind, t.id, t.name"                     \
    " FROM campaign_items ci JOIN items i ON i.id = ci.item_id"                                    \
    " JOIN hazards h ON h.item_id = i.id"                                                          \
    " LEFT JOIN units g ON g.id = coalesce(h.grid_unit_id, h.place_unit_id)"                       \
    " LEFT JOIN units t ON t.id = CASE WHEN g.kind = 'town' THEN g.id ELSE g.parent_id END"        \
    " WHERE ci.campaign_id = ?1 AND h.duplicate_of IS NULL ORDER BY i.id"

#define FIG_MAX 256

static int campaign_count(struct db *db, int64_t id, json_t *out)
{
    static __thread struct fig towns[FIG_MAX], grids[FIG_MAX];
    struct fig all = {0};
    size_t nt = 0, ng = 0;
    char today[11];
    date_format(time_today(), today);
    struct db_stmt *st = db_prepare(db, FIG_SQL);
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, id);
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        const char *status = db_column_text(st, 0), *deadline = db_column_text(st, 1),
                   *level = db_column_text(st, 2);
        fig_add(&all, status, deadline, level, today);
        fig_add(fig_find(towns, &nt, FIG_MAX, db_column_int64(st, 6), db_column_text(st, 7)),
                status, deadline, level, today);
        const char *gkind = db_column_text(st, 5);
        if (gkind && !strcmp(gkind, "grid"))
            fig_add(fig_find(grids, &ng, FIG_MAX, db_column_int64(st, 3), db_column_text(st, 4)),
                    status, deadline, level, today);
    }
    db_finalize(st);
    if (rc != DB_DONE) return rc;
    json_object_set_new(out, "figures", fig_json(&all, 0));
    json_t *bt = json_array(), *bg = json_array();
    for (size_t k = 0; k < nt; k++)
        json_array_append_new(bt, fig_json(&towns[k], 1));
    for (size_t k = 0; k < ng; k++)
        json_array_append_new(bg, fig_json(&grids[k], 1));
    json_object_set_new(out, "by_town", bt);
    json_object_set_new(out, "by_grid", bg);
    return DB_OK;
}

/* The campaign's other items (those without a hazard row: tasks and the
 * rest): total, done, overdue. */
static int campaign_tasks(struct db *db, int64_t id, json_t *out)
{
    char today[11];
    date_format(time_today(), today);
    struct db_stmt *st = db_prepare(
        db, "SELECT count(*), coalesce(sum(CASE WHEN i.status IN ('done','archived') THEN 1"
            " ELSE 0 END), 0), coalesce(sum(CASE WHEN i.status NOT IN ('done','archived',"
            "'cancelled') AND i.deadline < ?2 THEN 1 ELSE 0 END), 0) FROM campaign_items ci"
            " JOIN items i ON i.id = ci.item_id WHERE ci.campaign_id = ?1"
            " AND NOT EXISTS (SELECT 1 FROM hazards h WHERE h.item_id = i.id)");
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, id);
    db_bind_text(st, 2, today, (size_t)-1);
    int rc = db_step(st);
    if (rc == DB_ROW)
        json_object_set_new(out, "tasks",
                            json_pack("{s:I,s:I,s:I}", "total", (json_int_t)db_column_int64(st, 0),
                                      "done", (json_int_t)db_column_int64(st, 1), "overdue",
                                      (json_int_t)db_column_int64(st, 2)));
    db_finalize(st);
    return rc == DB_ROW ? DB_OK : rc;
}

/* The ids of the campaign's items a may see, into arr. */
static void visible_items(struct db *db, const struct actor *a, int64_t id, json_t *arr)
{
    struct db_stmt *q =
        db_prepare(db, "SELECT ci.item_id FROM campaign_items ci JOIN items i ON i.id = ci.item_id"
                       " WHERE ci.campaign_id = ?3 AND " PERM_VISIBLE_SQL " ORDER BY ci.item_id");
    if (!q) return;
    db_bind_int64(q, 1, actor_sees_all(a));
    db_bind_int64(q, 2, a->unit_id);
    db_bind_int64(q, 3, id);
    while (db_step(q) == DB_ROW)
        json_array_append_new(arr, json_integer(db_column_int64(q, 0)));
    db_finalize(q);
}

json_t *campaign_figures_json(struct db *db, const struct actor *a, int64_t id, struct err *e)
{
    json_t *c = campaign_one(db, id);
    if (!c) {
        err_set(e, 404, "not_found", "no campaign with id %lld", (long long)id);
        return NULL;
    }
    json_t *out = json_pack("{s:o,s:[]}", "campaign", c, "items");
    visible_items(db, a, id, json_object_get(out, "items"));
    int rc = campaign_count(db, id, out);
    if (rc == DB_OK) rc = campaign_tasks(db, id, out);
    if (rc != DB_OK) {
        json_decref(out);
        err_db(e, rc, "counting the campaign");
        return NULL;
    }
    return out;
}
