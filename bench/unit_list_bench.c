/* unit_list_bench.c — what the item list costs one who does not see every
 * item (a handler, a grid worker, an enterprise's staff): item_list_write
 * without a filter (GET /api/v1/items?limit=25), item_counts_json (the
 * dashboard's figures) and the list of the red light (a filter), N times
 * each for three units of a seeded city: the
 * handler yjj's (a bureau leading its share of the items), a town above
 * grids (the unit tree: it sees what its grids lead), and a unit that leads
 * nothing.  CPU time per answer; the list once with its count remembered
 * (no writes in between) and once counted again each time, as under writes
 * (an event row added before each answer moves the data stamp).  Run it on
 * a copy: it writes those event rows.
 *
 *   build/rel/bench/unit_list_bench DB [N]   (default N 50) */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "bench.h"
#include "core/core.h"
#include "core/item.h"
#include "db/db.h"
#include "util/buf.h"
#include "util/time.h"

static int64_t query_int(struct db *db, const char *sql)
{
    int64_t v = 0;
    bench_must(db_query_int64(db, sql, 0, 0, &v), db, sql);
    return v;
}

/* An event row that moves the data stamp (max(events.id)), committed. */
static void add_event(struct db *db, int64_t seq)
{
    struct db_stmt *st = db_prepare(db, "INSERT INTO events (item_id, seq, at, actor, action, data,"
                                        " prev_hash, hash) VALUES (1, ?1, 0, 'bench', 'bench',"
                                        " '{}', '', '')");
    if (!st) bench_must(DB_ERR, db, "event");
    db_bind_int64(st, 1, seq);
    bench_must(db_step(st), db, "event");
    db_finalize(st);
}

/* CPU ms per answer of what (0 list, 1 list under writes, 2 figures, 3 the
 * red list under writes) for a. */
static double measure(struct db *db, const struct actor *a, int what, int n, int64_t *seq)
{
    struct item_filter f = {.limit = 25, .light = what == 3 ? "red" : NULL};
    struct buf b;
    struct err e = {0};
    buf_init(&b, 0);
    double cpu = 0;
    for (int k = 0; k < n; k++) {
        if (what == 1 || what == 3) add_event(db, (*seq)++);
        double s = bench_cpu_s();
        if (what == 2) {
            json_t *c = item_counts_json(db, a, &e);
            if (!c) bench_must(DB_ERR, db, "figures");
            json_decref(c);
        } else {
            buf_reset(&b);
            if (item_list_write(db, a, &f, &b, &e)) bench_must(DB_ERR, db, "list");
        }
        cpu += bench_cpu_s() - s;
    }
    buf_free(&b);
    return cpu * 1e3 / n;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: unit_list_bench DB [N]\n");
        return 2;
    }
    int n = argc > 2 ? atoi(argv[2]) : 50;
    char err[256];
    time_set_zone("Asia/Shanghai");
    struct db *db = db_open(argv[1], 0, err, sizeof err);
    if (!db) {
        fprintf(stderr, "unit_list_bench: %s\n", err);
        return 1;
    }
    int64_t seq = 1000000000 + query_int(db, "SELECT coalesce(max(seq), 0) FROM events");
    struct {
        const char *what;
        int64_t unit;
    } units[] = {
        {"the handler yjj's unit",
         query_int(db, "SELECT unit_id FROM users WHERE username = 'yjj'")},
        {"a town above grids",
         query_int(db, "SELECT parent_id FROM units WHERE parent_id IS NOT NULL"
                       " GROUP BY parent_id ORDER BY count(*) DESC LIMIT 1")},
        {"a unit that leads nothing", 1 + query_int(db, "SELECT max(id) FROM units")},
    };
    for (size_t u = 0; u < sizeof units / sizeof *units; u++) {
        struct actor a = {1, "bench", units[u].unit, ROLE_HANDLER};
        struct item_filter f = {.limit = 25};
        struct err e = {0};
        json_t *v = item_list_json(db, &a, &f, &e);
        if (!v) bench_must(DB_ERR, db, "list");
        printf("%s (unit %" PRId64 ", %" JSON_INTEGER_FORMAT " items, %zu on the page):",
               units[u].what, units[u].unit, json_integer_value(json_object_get(v, "total_count")),
               json_array_size(json_object_get(v, "items")));
        json_decref(v);
        printf(" list %.3f ms, under writes %.3f ms, figures %.3f ms, light=red under writes"
               " %.3f ms of CPU each\n",
               measure(db, &a, 0, n, &seq), measure(db, &a, 1, n, &seq),
               measure(db, &a, 2, n, &seq), measure(db, &a, 3, n, &seq));
    }
    db_close(db);
    return 0;
}
