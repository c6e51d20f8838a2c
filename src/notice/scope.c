/* scope.c — a notice's item scopes (campaign, meeting, plan): the parameters
 * and the items that count.  See scope.h.  Each scope is one literal query;
 * the plan's subtree is a recursive one, as both drivers speak it. */
#include "notice/scope.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/light.h"
#include "util/mem.h"

static const char *const keys[] = {NULL, "campaign", "meeting", "plan"};

const char *notice_scope_key(int kind)
{
    return kind > NOTICE_SCOPE_NONE && kind <= NOTICE_SCOPE_PLAN ? keys[kind] : NULL;
}

/* The item columns every scope query selects, ?1 the scope's id, ?2 today
 * and ?3 the warning date. */
#define ITEM_COLUMNS                                                                               \
    "SELECT i.id, coalesce(i.lead_unit_id, 0), i.status, coalesce(i.feedback_due, "                \
    "''), " LIGHT_SQL("?2", "?3")

static const char *const item_sql[] = {
    NULL,
    ITEM_COLUMNS " FROM items i JOIN campaign_items ci ON ci.item_id = i.id"
                 " WHERE ci.campaign_id = ?1 ORDER BY i.id",
    ITEM_COLUMNS " FROM items i WHERE i.meeting_id = ?1 ORDER BY i.id",
    "WITH RECURSIVE plan(id) AS (SELECT id FROM items WHERE id = ?1"
    " UNION SELECT c.id FROM items c JOIN plan ON c.parent_id = plan.id) " ITEM_COLUMNS
    " FROM items i JOIN plan ON plan.id = i.id ORDER BY i.id",
};

static const char *const name_sql[] = {
    NULL,
    "SELECT theme || '（' || month || '）' FROM campaigns WHERE id = ?1",
    "SELECT name FROM meetings WHERE id = ?1",
    "SELECT title FROM items WHERE id = ?1",
};

static const char *const missing[] = {NULL, "no campaign %lld", "no meeting %lld",
                                      "no item %lld to take as a plan"};

static int parse_id(const char *key, const char *text, int64_t *id, struct err *e)
{
    char *end;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (errno || end == text || *end || v <= 0)
        return err_set(e, 422, "invalid_parameter", "'%s' must be a positive id", key);
    *id = v;
    return 0;
}

int notice_params_scope(struct notice_params *p, const char *campaign, const char *meeting,
                        const char *plan, struct err *e)
{
    const char *given[] = {NULL, campaign, meeting, plan};
    p->scope = NOTICE_SCOPE_NONE;
    p->scope_id = 0;
    for (int k = NOTICE_SCOPE_CAMPAIGN; k <= NOTICE_SCOPE_PLAN; k++) {
        if (!given[k] || !*given[k]) continue;
        if (p->scope || p->unit_code[0])
            return err_set(e, 422, "invalid_parameter",
                           "a notice has one scope: unit, campaign, meeting or plan");
        if (parse_id(keys[k], given[k], &p->scope_id, e)) return -1;
        p->scope = k;
    }
    return 0;
}

static int load_name(struct db *db, const struct notice_params *p, char name[128], struct err *e)
{
    struct db_stmt *st = db_prepare(db, name_sql[p->scope]);
    if (!st) return err_db(e, DB_ERR, "reading the notice's scope");
    db_bind_int64(st, 1, p->scope_id);
    int rc = db_step(st);
    if (rc == DB_ROW) snprintf(name, 128, "%s", db_column_text(st, 0));
    db_finalize(st);
    if (rc == DB_DONE)
        return err_set(e, 404, "not_found", missing[p->scope], (long long)p->scope_id);
    return rc == DB_ROW ? 0 : err_db(e, rc, "reading the notice's scope");
}

int notice_scope_load(struct db *db, const struct notice_params *p, struct notice_scope *s,
                      char name[128], struct err *e)
{
    memset(s, 0, sizeof *s);
    if (p->scope <= NOTICE_SCOPE_NONE || p->scope > NOTICE_SCOPE_PLAN) return 0;
    if (load_name(db, p, name, e)) return -1;
    s->kind = p->scope;
    char today[11], warn[11];
    light_dates(db, today, warn);
    struct db_stmt *st = db_prepare(db, item_sql[p->scope]);
    if (!st) return err_db(e, DB_ERR, "reading the notice's items");
    db_bind_int64(st, 1, p->scope_id);
    db_bind_text(st, 2, today, (size_t)-1);
    db_bind_text(st, 3, warn, (size_t)-1);
    int rc, cap = 0;
    while ((rc = db_step(st)) == DB_ROW) {
        if (s->n == cap) {
            cap = cap ? 2 * cap : 64;
            s->items = xrealloc(s->items, sizeof *s->items * (size_t)cap);
        }
        struct notice_scope_item *it = &s->items[s->n++];
        it->id = db_column_int64(st, 0);
        it->unit_id = db_column_int64(st, 1);
        snprintf(it->status, sizeof it->status, "%s", db_column_text(st, 2));
        snprintf(it->feedback_due, sizeof it->feedback_due, "%s", db_column_text(st, 3));
        snprintf(it->light, sizeof it->light, "%s", db_column_text(st, 4));
    }
    db_finalize(st);
    return rc == DB_DONE ? 0 : err_db(e, rc, "reading the notice's items");
}

const struct notice_scope_item *notice_scope_find(const struct notice_scope *s, int64_t id)
{
    int lo = 0, hi = s->n;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (s->items[mid].id == id) return &s->items[mid];
        if (s->items[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

int notice_scope_has(const struct notice_scope *s, int64_t id)
{
    return s->kind == NOTICE_SCOPE_NONE || notice_scope_find(s, id) != NULL;
}

void notice_scope_free(struct notice_scope *s)
{
    free(s->items);
    memset(s, 0, sizeof *s);
}
