/* item_count_test.c — the kept counts (core/item_count.c) and the list's
 * shapes (core/item.c) against the rows they stand for.
 *
 * A few hundred items with every status and dates scattered around today
 * are written with plain SQL; then the tally equals grouping the rows, the
 * lights counted from their boundaries equal grouping by LIGHT_SQL, for
 * several days and warning windows (the rules' edges included), also after
 * updates and deletes; the lists' totals equal counting the rows, pages
 * after= join up with the offset pages, and q finds what LIKE finds through
 * the text index.  On SQLite the plans are checked too: each board filter
 * is served by an index in its order (SQLite plans without statistics here
 * and in the server, which never runs ANALYZE, so the plan does not depend
 * on the number of rows; bench/run prints the same plans at 1,000,000). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "testdb.h"

#include <jansson.h>

#include "core/core.h"
#include "core/count_cache.h"
#include "core/item.h"
#include "core/item_count.h"
#include "core/light.h"
#include "core/perm.h"
#include "util/time.h"

static const char *const statuses[] = {"draft",     "assigned", "accepted",  "in_progress",
                                       "submitted", "returned", "suspended", "done",
                                       "archived",  "cancelled"};
static const char *const titles[] = {"消防通道堵塞整改", "燃气管道巡查", "老旧小区改造",
                                     "50%_literal", "道路积水"};

static uint64_t rng = 42;
static unsigned rnd(unsigned n)
{
    rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
    return (unsigned)(rng % n);
}

static void exec_ok(struct db *db, const char *sql)
{
    if (db_exec(db, sql) != DB_OK) fail_msg("%s: %s", sql, db_errmsg(db));
}

/* A date 'YYYY-MM-DD' within ±days of 2030-05-06, or NULL one time in five. */
static const char *some_date(char out[11], int days)
{
    if (rnd(5) == 0) return NULL;
    int32_t d;
    date_parse("2030-05-06", 10, &d);
    date_format(d - days + (int32_t)rnd((unsigned)(2 * days + 1)), out);
    return out;
}

static void seed(struct db *db, int n)
{
    exec_ok(db, "INSERT INTO units (id, code, name, kind, created_at) VALUES"
                " (1, 'a', 'A', 'department', 0), (2, 'b', 'B', 'department', 0),"
                " (3, 'c', 'C', 'town', 0)");
    struct db_stmt *st = db_prepare(
        db, "INSERT INTO items (kind, title, description, status, lead_unit_id, deadline,"
            " feedback_due, behind_yellow_on, behind_red_on, created_at, updated_at, assigned_on)"
            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 0, 0, CASE WHEN ?4 = 'draft' OR ?10 = 1"
            " THEN NULL ELSE '2030-01-01' END)");
    assert_non_null(st);
    for (int k = 0; k < n; k++) {
        char d1[11], d2[11], d3[11], d4[11];
        db_bind_text(st, 1, rnd(4) ? "task" : "hazard", (size_t)-1);
        db_bind_text(st, 2, titles[rnd(5)], (size_t)-1);
        db_bind_text(st, 3, rnd(3) ? "" : "现场发现安全隐患", (size_t)-1);
        db_bind_text(st, 4, statuses[rnd(10)], (size_t)-1);
        if (rnd(6))
            db_bind_int64(st, 5, 1 + rnd(3));
        else
            db_bind_null(st, 5);
        db_bind_text(st, 6, some_date(d1, 12), (size_t)-1);
        db_bind_text(st, 7, some_date(d2, 12), (size_t)-1);
        db_bind_text(st, 8, some_date(d3, 12), (size_t)-1);
        db_bind_text(st, 9, some_date(d4, 12), (size_t)-1);
        db_bind_int64(st, 10, rnd(8) == 0); /* now and then cancelled before it was assigned */
        assert_int_equal(db_step(st), DB_DONE);
        db_reset(st);
    }
    db_finalize(st);
}

static int64_t one(struct db *db, const char *sql)
{
    int64_t v = -1;
    if (db_query_int64(db, sql, 0, 0, &v) != DB_OK) fail_msg("%s: %s", sql, db_errmsg(db));
    return v;
}

/* The tally equals the rows grouped, for each kind × status and in all. */
static void check_tally(struct db *db)
{
    assert_int_equal(one(db, "SELECT count(*) FROM (SELECT coalesce(lead_unit_id, 0) AS u, kind,"
                             " status, count(*) AS n FROM items GROUP BY 1, 2, 3"
                             " EXCEPT SELECT unit_id, kind, status, sum(n) FROM item_tally"
                             " GROUP BY 1, 2, 3) x"),
                     0);
    assert_int_equal(one(db, "SELECT count(*) FROM (SELECT unit_id, kind, status, sum(n)"
                             " FROM item_tally GROUP BY 1, 2, 3 HAVING sum(n) <> 0"
                             " EXCEPT SELECT coalesce(lead_unit_id, 0), kind, status, count(*)"
                             " FROM items GROUP BY 1, 2, 3) x"),
                     0);
    int64_t n;
    assert_int_equal(item_count_tally(db, NULL, NULL, 0, &n), DB_OK);
    assert_int_equal(n, one(db, "SELECT count(*) FROM items"));
    assert_int_equal(item_count_tally(db, "hazard", "done", 0, &n), DB_OK);
    assert_int_equal(n, one(db, "SELECT count(*) FROM items WHERE kind = 'hazard'"
                                " AND status = 'done'"));
    assert_int_equal(item_count_tally(db, NULL, NULL, 2, &n), DB_OK);
    assert_int_equal(n, one(db, "SELECT count(*) FROM items WHERE lead_unit_id = 2"));
}

/* The lights from their boundaries equal LIGHT_SQL grouped, on day today
 * with warning date warn. */
static void check_lights(struct db *db, const char *today, const char *warn)
{
    int64_t want[4] = {0}, got[4];
    struct db_stmt *st = db_prepare(db, "SELECT " LIGHT_SQL("?1", "?2") ", count(*) FROM items i"
                                                                        " GROUP BY 1");
    db_bind_text(st, 1, today, (size_t)-1);
    db_bind_text(st, 2, warn, (size_t)-1);
    while (db_step(st) == DB_ROW) {
        int idx;
        assert_true(item_count_light_index(db_column_text(st, 0), &idx));
        want[idx] = db_column_int64(st, 1);
    }
    db_finalize(st);
    assert_int_equal(item_count_lights(db, today, warn, got), DB_OK);
    for (int k = 0; k < 4; k++) {
        if (got[k] != want[k])
            fail_msg("%s/%s light %d: %lld counted, %lld in the rows", today, warn, k,
                     (long long)got[k], (long long)want[k]);
    }
}

static void test_counts_match_rows(void **state)
{
    (void)state;
    struct testdb t;
    assert_int_equal(testdb_open(&t, "itemcount"), 0);
    seed(t.db, 600);
    check_tally(t.db);
    static const char *const days[][2] = {{"2030-05-06", "2030-05-09"},
                                          {"2030-05-06", "2030-05-06"},
                                          {"2030-04-20", "2030-04-25"},
                                          {"2030-05-18", "2030-05-30"},
                                          {"2031-01-01", "2031-01-01"}};
    for (size_t k = 0; k < sizeof days / sizeof *days; k++)
        check_lights(t.db, days[k][0], days[k][1]);
    /* every write path changes rows with UPDATE and DELETE: the triggers follow */
    exec_ok(t.db, "UPDATE items SET status = 'in_progress' WHERE id % 7 = 0");
    exec_ok(t.db, "UPDATE items SET lead_unit_id = 3, kind = 'task' WHERE id % 11 = 0");
    exec_ok(t.db, "UPDATE items SET deadline = '2030-05-07', behind_red_on = NULL"
                  " WHERE id % 13 = 0");
    exec_ok(t.db, "DELETE FROM items WHERE id % 17 = 0");
    check_tally(t.db);
    for (size_t k = 0; k < sizeof days / sizeof *days; k++)
        check_lights(t.db, days[k][0], days[k][1]);
    testdb_close(&t);
}

static const char *get_param(void *ctx, const char *name)
{
    const char *const *kv = ctx;
    for (; kv[0]; kv += 2)
        if (!strcmp(kv[0], name)) return kv[1];
    return NULL;
}

static json_t *list(struct db *db, const struct actor *a, const char *const *params)
{
    struct item_filter f;
    struct err e = {0};
    assert_int_equal(item_filter_parse(get_param, (void *)params, &f, &e), 0);
    json_t *v = item_list_json(db, a, &f, &e);
    if (!v) fail_msg("list: %s", e.message);
    return v;
}

static int64_t total(struct db *db, const struct actor *a, const char *const *params)
{
    json_t *v = list(db, a, params);
    int64_t n = json_integer_value(json_object_get(v, "total_count"));
    assert_null(json_object_get(v, "total_count_bounded"));
    json_decref(v);
    return n;
}

static void test_list_totals(void **state)
{
    (void)state;
    struct testdb t;
    assert_int_equal(testdb_open(&t, "itemcount"), 0);
    seed(t.db, 400);
    setenv("LUOSHI_NOW", "2030-05-06", 1);
    struct actor boss = {1, "boss", 1, ROLE_SUPERVISOR}, handler = {2, "h", 2, ROLE_HANDLER};
    const char *plain[] = {NULL}, *st[] = {"status", "assigned", NULL},
               *kd[] = {"kind", "hazard", "status", "done", NULL}, *red[] = {"light", "red", NULL},
               *yel[] = {"light", "yellow", NULL}, *q[] = {"q", "消防通道", NULL},
               *q2[] = {"q", "燃气", NULL}, *lit[] = {"q", "50%_", NULL},
               *unit[] = {"unit", "2", NULL};
    assert_int_equal(total(t.db, &boss, plain), one(t.db, "SELECT count(*) FROM items"));
    /* the kept sum is remembered under the data stamp: a new item (with its
     * event, as every change has) is counted at once */
    int64_t before = total(t.db, &boss, plain);
    exec_ok(t.db, "INSERT INTO items (kind, title, description, status, created_at, updated_at)"
                  " VALUES ('task', 't', '', 'draft', 0, 0)");
    exec_ok(t.db, "INSERT INTO events (item_id, seq, at, actor, action, data, prev_hash, hash)"
                  " SELECT max(id), 1, 0, 'a', 'create', '{}', '', '' FROM items");
    assert_int_equal(total(t.db, &boss, plain), before + 1);
    assert_int_equal(total(t.db, &boss, st),
                     one(t.db, "SELECT count(*) FROM items WHERE status = 'assigned'"));
    assert_int_equal(total(t.db, &boss, kd),
                     one(t.db, "SELECT count(*) FROM items"
                               " WHERE kind = 'hazard' AND status = 'done'"));
    char today[11], warn[11];
    light_dates(t.db, today, warn);
    int64_t n[4];
    assert_int_equal(item_count_lights(t.db, today, warn, n), DB_OK);
    assert_int_equal(total(t.db, &boss, red), n[ITEM_LIGHT_RED]);
    assert_int_equal(total(t.db, &boss, yel), n[ITEM_LIGHT_YELLOW]);
    assert_int_equal(total(t.db, &boss, q), one(t.db, "SELECT count(*) FROM items"
                                                      " WHERE title LIKE '%消防通道%'"));
    assert_int_equal(total(t.db, &boss, q2), one(t.db, "SELECT count(*) FROM items"
                                                       " WHERE title LIKE '%燃气%'"));
    assert_int_equal(total(t.db, &boss, lit), one(t.db, "SELECT count(*) FROM items"
                                                        " WHERE title = '50%_literal'"));
    assert_int_equal(total(t.db, &boss, unit),
                     one(t.db, "SELECT count(*) FROM items WHERE lead_unit_id = 2"));
    /* a handler's unit sees its items once assigned: its drafts are the office's */
    assert_int_equal(total(t.db, &handler, plain),
                     one(t.db, "SELECT count(*) FROM items WHERE lead_unit_id = 2"
                               " AND assigned_on IS NOT NULL"));
    assert_true(one(t.db, "SELECT count(*) FROM items WHERE lead_unit_id = 2"
                          " AND assigned_on IS NULL") > 0);
    assert_true(one(t.db, "SELECT count(*) FROM items WHERE lead_unit_id = 2"
                          " AND assigned_on IS NOT NULL") > 0);
    unsetenv("LUOSHI_NOW");
    testdb_close(&t);
}

/* Two databases open in one process (a test run, a tool) never share a
 * remembered count: the data stamp carries each database's own random part,
 * though both have the same events (none here). */
static void test_two_databases(void **state)
{
    (void)state;
    struct testdb a, b;
    assert_int_equal(testdb_open(&a, "itemcount"), 0);
    assert_int_equal(testdb_open(&b, "itemcount"), 0);
    seed(a.db, 40);
    seed(b.db, 70);
    struct actor boss = {1, "boss", 1, ROLE_SUPERVISOR};
    const char *src[] = {"source", "plan", NULL};
    assert_int_equal(total(a.db, &boss, src), 40);
    assert_int_equal(total(b.db, &boss, src), 70);
    const char *plain[] = {NULL}; /* the kept sum's too */
    assert_int_equal(total(a.db, &boss, plain), 40);
    assert_int_equal(total(b.db, &boss, plain), 70);
    testdb_close(&a);
    testdb_close(&b);
}

/* The ids of a page, appended to ids; returns the page's size. */
static size_t page_ids(json_t *v, int64_t *ids, size_t at)
{
    json_t *items = json_object_get(v, "items"), *x;
    size_t i;
    json_array_foreach(items, i, x) ids[at + i] = json_integer_value(json_object_get(x, "id"));
    return json_array_size(items);
}

/* Paging with after= gives the same items as paging with offset=, for the
 * plain list, a status, a light and a text search. */
static void test_after_pages(void **state)
{
    (void)state;
    struct testdb t;
    assert_int_equal(testdb_open(&t, "itemcount"), 0);
    seed(t.db, 300);
    setenv("LUOSHI_NOW", "2030-05-06", 1);
    struct actor boss = {1, "boss", 1, ROLE_SUPERVISOR};
    static const char *const filters[][2] = {
        {"sort", "new"}, {"status", "done"}, {"light", "red"}, {"q", "小区改"}};
    for (size_t k = 0; k < sizeof filters / sizeof *filters; k++) {
        int64_t by_offset[400], by_after[400];
        size_t n1 = 0, n2 = 0, got;
        char off[16], after[24];
        do {
            snprintf(off, sizeof off, "%zu", n1);
            const char *p[] = {filters[k][0], filters[k][1], "limit", "7", "offset", off, NULL};
            json_t *v = list(t.db, &boss, p);
            n1 += got = page_ids(v, by_offset, n1);
            json_decref(v);
        } while (got == 7);
        do {
            const char *p[] = {filters[k][0],       filters[k][1], "limit", "7",
                               n2 ? "after" : NULL, after,         NULL};
            json_t *v = list(t.db, &boss, p);
            n2 += got = page_ids(v, by_after, n2);
            json_decref(v);
            if (n2) snprintf(after, sizeof after, "%lld", (long long)by_after[n2 - 1]);
        } while (got == 7);
        assert_true(n1 > 7);
        assert_int_equal(n2, n1);
        assert_memory_equal(by_after, by_offset, n1 * sizeof *by_offset);
    }
    const char *bad[] = {"sort", "deadline", "after", "5", NULL};
    struct item_filter f;
    struct err e = {0};
    assert_int_equal(item_filter_parse(get_param, (void *)bad, &f, &e), -1);
    assert_int_equal(e.status, 422);
    unsetenv("LUOSHI_NOW");
    testdb_close(&t);
}

/* The red list paged by after= (pages of 7) equals the rows with red_on on
 * or before today, newest first, and red_items holds exactly the items red
 * by the horizon. */
static void check_red_list(struct db *db, const char *today)
{
    struct actor boss = {1, "boss", 1, ROLE_SUPERVISOR};
    int64_t got[600], want[600];
    size_t n = 0, m = 0, page;
    char after[24];
    do {
        const char *p[] = {"light", "red", "limit", "7", n ? "after" : NULL, after, NULL};
        json_t *v = list(db, &boss, p);
        n += page = page_ids(v, got, n);
        json_decref(v);
        if (n) snprintf(after, sizeof after, "%lld", (long long)got[n - 1]);
    } while (page == 7);
    struct db_stmt *st = db_prepare(
        db, "SELECT id FROM items i WHERE " LIGHT_SQL("?1", "?1") " = 'red' ORDER BY id DESC");
    db_bind_text(st, 1, today, (size_t)-1);
    while (db_step(st) == DB_ROW && m < 600)
        want[m++] = db_column_int64(st, 0);
    db_finalize(st);
    assert_true(m > 7);
    assert_int_equal(n, m);
    assert_memory_equal(got, want, n * sizeof *got);
    assert_int_equal(one(db, "SELECT count(*) FROM (SELECT id FROM red_items EXCEPT SELECT id"
                             " FROM items WHERE red_on <= (SELECT day FROM red_horizon)) x"),
                     0);
    assert_int_equal(one(db, "SELECT count(*) FROM (SELECT id FROM items WHERE red_on <="
                             " (SELECT day FROM red_horizon) EXCEPT SELECT id FROM red_items) x"),
                     0);
}

/* The red list from the kept red set (migration 019): with the horizon
 * before today (the items red since read from red_on), on today (the set
 * alone) and after it (a clock set back), through updates and deletes. */
static void test_red_set(void **state)
{
    (void)state;
    struct testdb t;
    assert_int_equal(testdb_open(&t, "itemcount"), 0);
    seed(t.db, 500);
    setenv("LUOSHI_NOW", "2030-05-06", 1);
    exec_ok(t.db, "UPDATE red_horizon SET day = '2030-04-20'");
    exec_ok(t.db, "DELETE FROM red_items");
    exec_ok(t.db, "INSERT INTO red_items (id) SELECT id FROM items WHERE red_on <= '2030-04-20'");
    check_red_list(t.db, "2030-05-06");
    assert_int_equal(item_red_advance(t.db, "2030-05-06"), DB_OK);
    assert_int_equal(one(t.db, "SELECT count(*) FROM red_horizon WHERE day = '2030-05-06'"), 1);
    check_red_list(t.db, "2030-05-06");
    /* every write path: the set follows red_on */
    exec_ok(t.db, "UPDATE items SET status = 'done' WHERE id % 7 = 0");
    exec_ok(t.db, "UPDATE items SET status = 'in_progress' WHERE id % 5 = 0");
    exec_ok(t.db, "UPDATE items SET deadline = '2030-05-01' WHERE id % 13 = 0");
    exec_ok(t.db, "UPDATE items SET deadline = '2030-06-01', behind_red_on = NULL"
                  " WHERE id % 11 = 0");
    exec_ok(t.db, "DELETE FROM items WHERE id % 17 = 0");
    check_red_list(t.db, "2030-05-06");
    /* a horizon never moves back; one later than today adds nothing red */
    assert_int_equal(item_red_advance(t.db, "2030-05-20"), DB_OK);
    assert_int_equal(item_red_advance(t.db, "2030-05-01"), DB_OK);
    assert_int_equal(one(t.db, "SELECT count(*) FROM red_horizon WHERE day = '2030-05-20'"), 1);
    assert_true(one(t.db, "SELECT count(*) FROM red_items r JOIN items i ON i.id = r.id"
                          " WHERE i.red_on > '2030-05-06'") > 0);
    check_red_list(t.db, "2030-05-06");
    unsetenv("LUOSHI_NOW");
    testdb_close(&t);
}

/* Units deep in a tree (a town 3, its grids 4 and 5, 4's section 6) and an
 * enterprise 7 over seed's items: some led by each, cooperated on, split
 * off by the town (drafts it sees). */
static void seed_units(struct db *db)
{
    exec_ok(db, "INSERT INTO units (id, code, name, kind, parent_id, created_at) VALUES"
                " (4, 'd', 'D', 'grid', 3, 0), (5, 'e', 'E', 'grid', 3, 0),"
                " (6, 'f', 'F', 'grid', 4, 0), (7, 'g', 'G', 'enterprise', NULL, 0)");
    exec_ok(db, "UPDATE items SET lead_unit_id = 4 + id % 3 WHERE id % 5 = 1");
    exec_ok(db, "UPDATE items SET lead_unit_id = 7 WHERE id IN (17, 211)");
    exec_ok(db, "INSERT INTO item_units (item_id, unit_id) SELECT id, 1 + id % 6 FROM items"
                " WHERE id % 4 = 0 AND (lead_unit_id IS NULL OR lead_unit_id <> 1 + id % 6)");
    exec_ok(
        db,
        "INSERT INTO item_units (item_id, unit_id) SELECT id, 6 FROM items"
        " WHERE id % 9 = 0 AND (lead_unit_id IS NULL OR lead_unit_id <> 6) AND 1 + id % 6 <> 6");
    exec_ok(db, "UPDATE items SET delegated_by = 3, status = 'draft', assigned_on = NULL"
                " WHERE id % 23 = 0");
}

/* The ids of a's whole list for params, in pages of size (a string) by
 * offset, into ids; the count, and in *total the total_count, which every
 * page gives alike. */
static size_t all_ids(struct db *db, const struct actor *a, const char *const *params,
                      const char *size, int64_t *ids, int64_t *total)
{
    const char *p[16];
    size_t k = 0, n = 0, got, want = (size_t)atoi(size);
    char off[16];
    for (; params[k]; k++)
        p[k] = params[k];
    p[k] = "limit", p[k + 1] = size, p[k + 2] = "offset", p[k + 3] = off, p[k + 4] = NULL;
    do {
        snprintf(off, sizeof off, "%zu", n);
        json_t *v = list(db, a, p);
        int64_t t = json_integer_value(json_object_get(v, "total_count"));
        if (!n) *total = t;
        assert_int_equal(t, *total);
        n += got = page_ids(v, ids, n);
        json_decref(v);
    } while (got == want);
    return n;
}

/* A unit's plain list (perm.h's PERM_UNIT_IDS_SQL: each rule's newest
 * items) equals the items perm_item_visible shows the unit, newest first,
 * paged by offset= and by after=, with the same total: units deep in a
 * tree (a town, its grids, a grid's section), items led, cooperated on and
 * split off, drafts among them; and the dashboard's figures for the unit
 * (item_counts_json) count them too. */
static void test_unit_lists(void **state)
{
    (void)state;
    struct testdb t;
    assert_int_equal(testdb_open(&t, "itemcount"), 0);
    seed(t.db, 400);
    seed_units(t.db);
    setenv("LUOSHI_NOW", "2030-05-06", 1);
    int64_t max = one(t.db, "SELECT max(id) FROM items");
    for (int64_t unit = 1; unit <= 8; unit++) {
        struct actor h = {10 + unit, "h", unit, ROLE_HANDLER};
        int64_t want[500], by_offset[500], by_after[500], total;
        size_t m = 0, n2 = 0, got;
        for (int64_t id = max; id > 0; id--)
            if (perm_item_visible(t.db, &h, id) == 1) want[m++] = id;
        const char *plain[] = {NULL};
        size_t n1 = all_ids(t.db, &h, plain, "7", by_offset, &total);
        assert_int_equal(total, (int64_t)m);
        char after[24];
        do {
            const char *p[] = {"limit", "7", n2 ? "after" : NULL, after, NULL};
            json_t *v = list(t.db, &h, p);
            n2 += got = page_ids(v, by_after, n2);
            json_decref(v);
            if (n2) snprintf(after, sizeof after, "%lld", (long long)by_after[n2 - 1]);
        } while (got == 7);
        if (n1 != m || n2 != m || memcmp(by_offset, want, m * sizeof *want) ||
            memcmp(by_after, want, m * sizeof *want))
            fail_msg("unit %lld: %zu visible, %zu by offset, %zu by after", (long long)unit, m, n1,
                     n2);
        if (unit <= 7) assert_true(m > 0);
        /* the dashboard's figures for the unit count the same items */
        struct err e = {0};
        json_t *c = item_counts_json(t.db, &h, &e);
        assert_non_null(c);
        assert_int_equal(json_integer_value(json_object_get(c, "total")), (int64_t)m);
        json_int_t lights = 0, drafts = 0;
        for (size_t k = 0; k < m; k++) {
            char sql[160];
            snprintf(sql, sizeof sql, "SELECT status = 'draft' FROM items WHERE id = %lld",
                     (long long)want[k]);
            drafts += one(t.db, sql);
        }
        static const char *const keys[] = {"green", "yellow", "red", "none"};
        for (size_t k = 0; k < 4; k++)
            lights += json_integer_value(json_object_get(c, keys[k]));
        assert_int_equal(lights, (int64_t)m);
        assert_int_equal(json_integer_value(json_object_get(c, "draft")), drafts);
        json_decref(c);
    }
    unsetenv("LUOSHI_NOW");
    testdb_close(&t);
}

/* A unit's filtered lists and its sorted ones, for a small unit (its items
 * read by ITEM_WHERE_IDS) and a large one (2,100 more items: the walk along
 * the filter's index): the supervisor's list of the same filter, in the
 * same order, less what perm_item_visible hides from the unit, with the
 * same total. */
static void test_unit_filtered_lists(void **state)
{
    (void)state;
    struct testdb t;
    assert_int_equal(testdb_open(&t, "itemcount"), 0);
    seed(t.db, 400);
    seed_units(t.db);
    exec_ok(t.db, "INSERT INTO items (kind, title, description, status, lead_unit_id, deadline,"
                  " created_at, updated_at, assigned_on) SELECT 'task', '小区改造' || k, '',"
                  " CASE WHEN k % 3 = 0 THEN 'assigned' ELSE 'done' END, 2,"
                  " '2030-05-0' || (1 + k % 9), 0, 0, '2030-01-01' FROM (WITH RECURSIVE"
                  " n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < 2100)"
                  " SELECT k FROM n) x");
    setenv("LUOSHI_NOW", "2030-05-06", 1);
    static const char *const filters[][5] = {
        {"status", "assigned"}, {"status", "done"},   {"kind", "hazard"},
        {"light", "red"},       {"light", "yellow"},  {"q", "小区改"},
        {"unit", "4"},          {"sort", "deadline"}, {"status", "in_progress", "sort", "light"}};
    struct actor boss = {1, "boss", 1, ROLE_SUPERVISOR};
    int64_t *all = calloc(4000, sizeof *all), *want = calloc(4000, sizeof *want),
            *got = calloc(4000, sizeof *got);
    for (int64_t unit = 1; unit <= 8; unit++) {
        struct actor h = {10 + unit, "h", unit, ROLE_HANDLER};
        for (size_t k = 0; k < sizeof filters / sizeof *filters; k++) {
            int64_t total_all, total;
            size_t n = all_ids(t.db, &boss, filters[k], "100", all, &total_all), m = 0;
            for (size_t i = 0; i < n; i++)
                if (perm_item_visible(t.db, &h, all[i]) == 1) want[m++] = all[i];
            size_t g = all_ids(t.db, &h, filters[k], "100", got, &total);
            if (g != m || memcmp(got, want, m * sizeof *want) || total != (int64_t)m)
                fail_msg("unit %lld, %s=%s: %zu visible, %zu listed, total %lld", (long long)unit,
                         filters[k][0], filters[k][1], m, g, (long long)total);
        }
    }
    free(all), free(want), free(got);
    unsetenv("LUOSHI_NOW");
    testdb_close(&t);
}

/* The plan of sql (EXPLAIN QUERY PLAN), one line per step, into out. */
static void plan_of_sql(struct db *db, const char *sql, char *out, size_t outlen)
{
    static char q[32768];
    snprintf(q, sizeof q, "EXPLAIN QUERY PLAN %s", sql);
    struct db_stmt *st = db_prepare(db, q);
    if (!st) fail_msg("%s", db_errmsg(db));
    size_t len = 0;
    out[0] = '\0';
    while (db_step(st) == DB_ROW && len < outlen)
        len += (size_t)snprintf(out + len, outlen - len, "%s\n", db_column_text(st, 3));
    db_finalize(st);
}

/* The plan of a's list for params, one line per step, into out. */
static void plan_of_actor(struct db *db, const struct actor *a, const char *const *params,
                          char *out, size_t outlen)
{
    struct item_filter f;
    struct err e = {0};
    assert_int_equal(item_filter_parse(get_param, (void *)params, &f, &e), 0);
    plan_of_sql(db, item_list_sql(db, a, &f), out, outlen);
}

/* The plan of the supervisor's list for params. */
static void plan_of(struct db *db, const char *const *params, char *out, size_t outlen)
{
    struct actor boss = {1, "boss", 1, ROLE_SUPERVISOR};
    plan_of_actor(db, &boss, params, out, outlen);
}

/* A unit's plan (plan_of_actor) scans nothing but its branches' own
 * results and reads no range of ids alone (a walk of every row). */
static void unit_plan_walks_nothing(const char *plan)
{
    for (const char *line = plan; *line; line = strchr(line, '\n') + 1) {
        size_t len = strcspn(line, "\n");
        int scan = !strncmp(line, "SCAN ", 5) && strncmp(line, "SCAN pb\n", 8) &&
                   strncmp(line, "SCAN perm_below\n", 16);
        if (scan || (memmem(line, len, "(rowid<?)", 9) || memmem(line, len, "(item_id<?)", 11)))
            fail_msg("a unit's plan walks: %.*s", (int)len, line);
    }
}

/* Each board filter reads an index in the list's order: no step sorts the
 * matches (a temporary b-tree); red and yellow read their index of the day
 * the light turned on; a unit walks the items newest first and stops after
 * a page. */
static void test_plans(void **state)
{
    (void)state;
    if (testdb_pg_url) skip();
    struct testdb t;
    assert_int_equal(testdb_open(&t, "itemcount"), 0);
    seed(t.db, 50);
    /* sort: the one sort allowed, of the page's ids inside the index range
     * (the top of red alone: ids only, a page's worth kept) */
    static const struct {
        const char *params[5];
        const char *want;
        int sort;
    } cases[] = {
        {{NULL}, "SEARCH i USING INTEGER PRIMARY KEY (rowid<?)", 0},
        {{"status", "assigned", NULL}, "SEARCH i USING INDEX items_status (status=? AND id<?)", 0},
        {{"kind", "hazard", NULL}, "SEARCH i USING INDEX items_kind (kind=? AND id<?)", 0},
        {{"after", "30", NULL}, "SEARCH i USING INTEGER PRIMARY KEY (rowid<?)", 0},
        {{"q", "消防通道", NULL}, "SCAN items_fts VIRTUAL TABLE INDEX", 0},
        {{"light", "red", NULL}, "SEARCH r USING INTEGER PRIMARY KEY (rowid<?)", 1},
        {{"light", "red", "kind", "task", NULL},
         "SEARCH i USING INDEX items_kind (kind=? AND id<?)",
         0},
        {{"light", "yellow", NULL},
         "SEARCH items USING COVERING INDEX items_lit_red (lit_on<?)",
         0},
        {{"unit", "2", NULL}, "SEARCH i USING INTEGER PRIMARY KEY (rowid<?)", 0},
    };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        char plan[2048];
        plan_of(t.db, cases[k].params, plan, sizeof plan);
        const char *sort = strstr(plan, "USE TEMP B-TREE FOR ORDER BY");
        if (!strstr(plan, cases[k].want) || (sort && (!cases[k].sort || strstr(sort + 28, "TEMP"))))
            fail_msg("case %zu: plan\n%swithout \"%s\"", k, plan, cases[k].want);
    }
    /* a unit's plain list reads its items newest first from each rule's
     * index, never every item nor every row of a rule's table: no scan but
     * of the branches' own results, no range of ids alone */
    struct actor h = {2, "h", 2, ROLE_HANDLER};
    const char *plain[] = {NULL};
    static char plan[32768];
    plan_of_actor(t.db, &h, plain, plan, sizeof plan);
    static const char *const wants[] = {
        "SEARCH i USING INTEGER PRIMARY KEY (rowid=?)\nLIST SUBQUERY",
        "SEARCH pi USING INDEX items_lead (lead_unit_id=? AND id<?)",
        "SEARCH pu USING COVERING INDEX item_units_unit (unit_id=? AND item_id<?)",
        "SEARCH pi USING COVERING INDEX items_delegated_by (delegated_by=?)",
        "SEARCH kh USING COVERING INDEX hazards_grid (grid_unit_id=? AND rowid<?)",
        "SEARCH kh USING COVERING INDEX hazards_place (place_unit_id=? AND rowid<?)",
        "SEARCH kr USING COVERING INDEX requests_requester (requester_unit_id=? AND item_id<?)",
        "SEARCH kc USING COVERING INDEX challenge_applications_unit (unit_id=? AND item_id<?)",
        "SEARCH kc USING COVERING INDEX challenges_author (author_unit_id=? AND item_id<?)",
        "SEARCH km USING COVERING INDEX remediations_enterprise (enterprise_unit_id=? AND"
        " item_id<?)"};
    for (size_t k = 0; k < sizeof wants / sizeof *wants; k++)
        if (!strstr(plan, wants[k]))
            fail_msg("without \"%s\": %s", wants[k], (fprintf(stderr, "%s", plan), "above"));
    unit_plan_walks_nothing(plan);
    /* and a small unit's filtered and sorted lists read them all (none
     * walks the city's items along the filter's index; a search reads the
     * text index's matches, as anyone's) */
    static const char *const filtered[][5] = {
        {"status", "assigned"},       {"kind", "hazard"}, {"light", "red"},
        {"light", "yellow"},          {"unit", "2"},      {"source", "plan"},
        {"sort", "deadline"},         {"sort", "light"},  {"light", "green"},
        {"deadline_to", "2030-05-01"}};
    for (size_t k = 0; k < sizeof filtered / sizeof *filtered; k++) {
        plan_of_actor(t.db, &h, filtered[k], plan, sizeof plan);
        size_t first = strcspn(plan, "\n");
        if (!memmem(plan, first, "id=?", 4) || strncmp(plan + first, "\nLIST SUBQUERY", 14))
            fail_msg("%s=%s: %s", filtered[k][0], filtered[k][1],
                     (fprintf(stderr, "%s", plan), "the plan above"));
        unit_plan_walks_nothing(plan);
    }
    testdb_close(&t);
}

/* The links most items never have are indexed only where they are set
 * (migration 032): each of the ways the code reads them (a value, a join,
 * IN, IS NOT NULL) still searches its index, and "IS NULL", which only a
 * whole index could answer, no longer can. */
static void test_link_plans(void **state)
{
    (void)state;
    if (testdb_pg_url) skip();
    struct testdb t;
    assert_int_equal(testdb_open(&t, "itemcount"), 0);
    seed(t.db, 20);
    static const struct {
        const char *sql, *want;
    } cases[] = {
        {"SELECT count(*) FROM items WHERE parent_id = ?1", "items_parent (parent_id=?)"},
        {"WITH RECURSIVE sub(id) AS (SELECT ?1 UNION ALL SELECT c.id FROM items c"
         " JOIN sub s ON c.parent_id = s.id) SELECT id FROM sub",
         "SEARCH c USING COVERING INDEX items_parent (parent_id=?)"},
        {"SELECT id FROM items i WHERE i.meeting_id = ?1 ORDER BY i.id",
         "items_meeting (meeting_id=?)"},
        {"SELECT count(*) FROM items WHERE meeting_id IS NOT NULL", "items_meeting (meeting_id>?)"},
        {"SELECT count(*) FROM items i WHERE i.delegated_by = ?1 AND i.status = 'submitted'",
         "items_delegated_by (delegated_by=? AND status=?)"},
        {"SELECT count(*) FROM items i WHERE i.leader_id = ?1 AND i.status = 'assigned'",
         "items_leader (leader_id=? AND status=?)"},
        {"SELECT id FROM items i WHERE i.instruction_file_id IN"
         " (SELECT f.id FROM instruction_files f WHERE f.leader_id = ?1)",
         "items_instruction_file (instruction_file_id=?)"},
        {"SELECT f.id, EXISTS (SELECT 1 FROM items o WHERE o.instruction_file_id = f.id)"
         " FROM instruction_files f",
         "items_instruction_file (instruction_file_id=?)"},
    };
    char plan[2048];
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        plan_of_sql(t.db, cases[k].sql, plan, sizeof plan);
        if (!strstr(plan, cases[k].want))
            fail_msg("case %zu: plan\n%swithout \"%s\"", k, plan, cases[k].want);
    }
    static const char *const links[] = {"parent_id", "meeting_id", "delegated_by", "leader_id",
                                        "instruction_file_id"};
    for (size_t k = 0; k < sizeof links / sizeof *links; k++) {
        char sql[128];
        snprintf(sql, sizeof sql, "SELECT count(*) FROM items WHERE %s IS NULL", links[k]);
        plan_of_sql(t.db, sql, plan, sizeof plan);
        if (strstr(plan, "INDEX items_parent") || strstr(plan, "INDEX items_meeting") ||
            strstr(plan, "INDEX items_delegated_by") || strstr(plan, "INDEX items_leader") ||
            strstr(plan, "INDEX items_instruction_file"))
            fail_msg("%s IS NULL read a link's index, which holds only the set ones:\n%s", links[k],
                     plan);
    }
    testdb_close(&t);
}

/* The text index is written at commit (migration 033): ten jobs of one
 * transaction, each in its savepoint as the pool's writer runs them, add
 * one segment to the index where each used to add its own; a job rolled
 * back, a transaction rolled back, a title changed and an item deleted
 * outside any transaction are found as the rows say; nothing waits between
 * transactions; and the index checks against its content. */
static int64_t matches(struct db *db, const char *phrase)
{
    struct db_stmt *st = db_prepare(db, "SELECT count(*) FROM items_fts WHERE items_fts MATCH ?1");
    assert_non_null(st);
    db_bind_text(st, 1, phrase, (size_t)-1);
    assert_int_equal(db_step(st), DB_ROW);
    int64_t n = db_column_int64(st, 0);
    db_finalize(st);
    return n;
}

#define ADD_ITEM(TITLE)                                                                            \
    "INSERT INTO items (kind, title, description, status, created_at, updated_at)"                 \
    " VALUES ('task', " TITLE ", '', 'draft', 0, 0)"

static void test_text_index_at_commit(void **state)
{
    (void)state;
    struct testdb t;
    assert_int_equal(testdb_open(&t, "itemcount"), 0);
    if (db_kind(t.db) != DB_SQLITE) { /* PostgreSQL's trigram index fills itself */
        testdb_close(&t);
        return;
    }
    int64_t segments = one(t.db, "SELECT count(*) FROM items_fts_idx");
    assert_int_equal(db_begin(t.db), DB_OK);
    for (int k = 0; k < 10; k++) {
        assert_int_equal(db_savepoint(t.db), DB_OK);
        exec_ok(t.db, ADD_ITEM("'夜间施工噪音' || (SELECT count(*) FROM items)"));
        assert_int_equal(db_release(t.db), DB_OK);
    }
    assert_int_equal(db_savepoint(t.db), DB_OK);
    exec_ok(t.db, ADD_ITEM("'回滚的事项'"));
    assert_int_equal(db_rollback_to(t.db), DB_OK);
    assert_int_equal(db_release(t.db), DB_OK);
    assert_int_equal(db_commit(t.db), DB_OK);
    assert_int_equal(one(t.db, "SELECT count(*) FROM items_fts_pending"), 0);
    assert_int_equal(one(t.db, "SELECT count(*) FROM items_fts_idx"), segments + 1);
    assert_int_equal(matches(t.db, "\"夜间施工\""), 10);
    assert_int_equal(matches(t.db, "\"回滚的\""), 0);

    assert_int_equal(db_begin(t.db), DB_OK);
    exec_ok(t.db, ADD_ITEM("'撤销的事项'"));
    assert_int_equal(db_rollback(t.db), DB_OK);
    assert_int_equal(matches(t.db, "\"撤销的\""), 0);

    exec_ok(t.db, "UPDATE items SET title = '白天施工' WHERE title = '夜间施工噪音0'");
    exec_ok(t.db, "DELETE FROM items WHERE title = '夜间施工噪音1'");
    assert_int_equal(one(t.db, "SELECT count(*) FROM items_fts_pending"), 0);
    assert_int_equal(matches(t.db, "\"夜间施工\""), 8);
    assert_int_equal(matches(t.db, "\"白天施工\""), 1);
    exec_ok(t.db, "INSERT INTO items_fts (items_fts) VALUES ('integrity-check')");
    testdb_close(&t);
}

int main(void)
{
    time_set_zone("Asia/Shanghai");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts_match_rows), cmocka_unit_test(test_list_totals),
        cmocka_unit_test(test_two_databases),     cmocka_unit_test(test_after_pages),
        cmocka_unit_test(test_red_set),           cmocka_unit_test(test_plans),
        cmocka_unit_test(test_unit_lists),        cmocka_unit_test(test_unit_filtered_lists),
        cmocka_unit_test(test_link_plans),        cmocka_unit_test(test_text_index_at_commit),
    };
    return testdb_rounds("item_count", tests);
}
