/* inbox_bench.c — what one handler's 待办 (GET /api/v1/inbox) costs,
 * independent of any load: inbox_write for one user, N times over a seeded
 * city, with the CPU time per answer, its size and each list's length.
 * Run it on a city after the server's first day's run (the scheduler's
 * urges and escalations fill the "urged" list); bench/README.md has the
 * figures ("The handler's inbox").
 *
 *   build/rel/bench/inbox_bench DB [USER [N [emptied]]]   (defaults: yjj, 50)
 *
 * "emptied" reads as the server's pool readers do (no mapping, a 16 MB
 * cache) and empties that cache before each answer, as a commit by another
 * connection does under a mixed load. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "bench.h"
#include "core/core.h"
#include "core/inbox.h"
#include "db/db.h"
#include "util/buf.h"

/* The actor of user name, or exit. */
static void actor_of(struct db *db, const char *name, struct actor *a)
{
    struct db_stmt *st = db_prepare(db, "SELECT id, unit_id, roles FROM users WHERE username = ?1");
    if (!st) bench_must(DB_ERR, db, "user");
    db_bind_text(st, 1, name, (size_t)-1);
    if (db_step(st) != DB_ROW) {
        fprintf(stderr, "inbox_bench: no user %s\n", name);
        exit(1);
    }
    a->user_id = db_column_int64(st, 0);
    a->unit_id = db_column_int64(st, 1);
    a->roles = (unsigned)db_column_int64(st, 2);
    a->username = name;
    db_finalize(st);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: inbox_bench DB [USER [N]]\n");
        return 2;
    }
    const char *user = argc > 2 ? argv[2] : "yjj";
    int n = argc > 3 ? atoi(argv[3]) : 50;
    int emptied = argc > 4 && !strcmp(argv[4], "emptied");
    char err[256];
    struct db *db = db_open(argv[1], DB_OPEN_READONLY, err, sizeof err);
    if (!db) {
        fprintf(stderr, "inbox_bench: %s\n", err);
        return 1;
    }
    if (emptied) db_exec(db, "PRAGMA mmap_size = 0; PRAGMA cache_size = -16384");
    struct actor a;
    actor_of(db, user, &a);
    struct buf b;
    buf_init(&b, 0);
    struct err e = {0};
    if (inbox_write(db, &a, &b, &e)) bench_must(DB_ERR, db, "inbox"); /* warm */
    json_t *v = json_loadb(b.data, b.len, 0, NULL);
    printf("%s (unit %" PRId64 "): %zu bytes;", user, a.unit_id, b.len);
    const char *key;
    json_t *list;
    json_object_foreach(v, key, list) if (json_array_size(list))
        printf(" %s %zu", key, json_array_size(list));
    printf("\n");
    json_decref(v);
    double *t = calloc((size_t)n, sizeof *t), c0 = bench_cpu_s(), w0 = bench_now_s();
    for (int k = 0; k < n; k++) {
        if (emptied) db_exec(db, "PRAGMA shrink_memory");
        double s = bench_cpu_s();
        buf_reset(&b);
        if (inbox_write(db, &a, &b, &e)) bench_must(DB_ERR, db, "inbox");
        t[k] = bench_cpu_s() - s;
    }
    double cpu = bench_cpu_s() - c0, wall = bench_now_s() - w0;
    qsort(t, (size_t)n, sizeof *t, bench_cmp_double);
    printf("%d answers%s: CPU %.2f ms each (median %.2f, best %.2f), wall %.2f ms each\n", n,
           emptied ? " (cache emptied before each)" : "", cpu * 1e3 / n, t[n / 2] * 1e3, t[0] * 1e3,
           wall * 1e3 / n);
    free(t);
    buf_free(&b);
    db_close(db);
    return 0;
}
