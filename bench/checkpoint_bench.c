/* checkpoint_bench.c — the time to sign a checkpoint over N items (default
 * 1,000,000) on SQLite: the first one, which builds the whole tree, and
 * incremental ones after 1,000 and 10,000 items changed.
 *
 *   build/rel/bench/checkpoint_bench DB [N]
 *
 * Seeds a fresh database directly with SQL in one transaction: N items with
 * their create event (hashed as event_append hashes it), the rows the
 * checkpoint reads.  Then signs the first checkpoint, appends an event to K
 * random items through event_append and signs again, for K = 1,000 and
 * 10,000, and prints each checkpoint's wall and CPU time (the process's,
 * getrusage-style, so other work on the machine does not count) and size. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/checkpoint.h"
#include "core/event.h"
#include "bench.h"
#include "db/db.h"

static uint64_t rng = 88172645463325252ull;
static uint32_t rnd(uint32_t n)
{
    rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
    return (uint32_t)(rng % n);
}

/* One item and its create event, hashed as event_append does. */
static void seed_item(struct db_stmt *it, struct db_stmt *ev, long id, struct db *db)
{
    char title[32], hash[65];
    snprintf(title, sizeof title, "事项%ld", id);
    json_t *data = json_pack("{s:s}", "title", title);
    int64_t at = 1741000000000LL + id;
    char *canon = event_canonical(id, 1, at, "bench", "create", data);
    char *text = json_dumps(data, JSON_COMPACT | JSON_SORT_KEYS);
    event_hash("", canon, hash);
    db_bind_int64(it, 1, id);
    db_bind_text(it, 2, title, (size_t)-1);
    db_bind_int64(it, 3, at);
    db_bind_text(it, 4, hash, (size_t)-1);
    bench_must(db_step(it), db, "items");
    db_reset(it);
    db_bind_int64(ev, 1, id);
    db_bind_int64(ev, 2, at);
    db_bind_text(ev, 3, text, (size_t)-1);
    db_bind_text(ev, 4, hash, (size_t)-1);
    bench_must(db_step(ev), db, "events");
    db_reset(ev);
    free(canon);
    free(text);
    json_decref(data);
}

static void seed(struct db *db, long n)
{
    bench_must(db_exec(db, "PRAGMA cache_size = -1048576"), db, "cache_size");
    bench_must(db_exec(db, "PRAGMA journal_mode = OFF"), db, "journal_mode");
    bench_must(db_exec(db, "PRAGMA synchronous = OFF"), db, "synchronous");
    bench_must(db_begin(db), db, "begin");
    struct db_stmt *it = db_prepare(
        db, "INSERT INTO items (id, kind, title, status, created_at, updated_at, event_seq,"
            " event_hash) VALUES (?1, 'task', ?2, 'draft', ?3, ?3, 1, ?4)");
    struct db_stmt *ev =
        db_prepare(db, "INSERT INTO events (item_id, seq, at, actor, action, data, prev_hash,"
                       " hash) VALUES (?1, 1, ?2, 'bench', 'create', ?3, '', ?4)");
    for (long id = 1; id <= n; id++)
        seed_item(it, ev, id, db);
    db_finalize(it);
    db_finalize(ev);
    bench_must(db_commit(db), db, "commit");
    bench_must(db_exec(db, "PRAGMA journal_mode = WAL"), db, "journal_mode");
    bench_must(db_exec(db, "PRAGMA synchronous = FULL"), db, "synchronous");
}

/* Sign a checkpoint and print how long it took. */
static void sign(struct db *db, const struct checkpoint_key *k, const char *what)
{
    struct checkpoint c;
    struct err e = {0};
    int taken;
    double w0 = bench_now_s(), c0 = bench_cpu_s();
    bench_must(db_begin(db), db, "begin");
    if (checkpoint_take(db, k, "bench", 1, &c, &taken, &e)) {
        fprintf(stderr, "checkpoint_bench: %s\n", e.message);
        exit(1);
    }
    bench_must(db_commit(db), db, "commit");
    printf("%-44s %7.3f s wall, %7.3f s CPU  (checkpoint %lld, %lld items, root %.16s…)\n", what,
           bench_now_s() - w0, bench_cpu_s() - c0, (long long)c.seq, (long long)c.items, c.root);
}

/* An event on k random items of n. */
static void change(struct db *db, long n, long k)
{
    struct actor a = {0, "bench", 0, ROLE_ADMIN};
    bench_must(db_begin(db), db, "begin");
    for (long i = 0; i < k; i++)
        bench_must(event_append(db, 1 + (int64_t)rnd((uint32_t)n), &a, "urge", NULL), db, "append");
    bench_must(db_commit(db), db, "commit");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: checkpoint_bench DB [N]\n");
        return 2;
    }
    long n = argc > 2 ? strtol(argv[2], NULL, 10) : 1000000;
    char err[512];
    remove(argv[1]);
    struct db *db = db_open(argv[1], DB_OPEN_CREATE, err, sizeof err);
    int applied;
    if (!db || sodium_init() < 0 || db_migrate(db, &applied, err, sizeof err) != DB_OK) {
        fprintf(stderr, "checkpoint_bench: %s\n", err);
        return 1;
    }
    double t0 = bench_now_s();
    seed(db, n);
    printf("seeded %ld items with their create events in %.1f s\n", n, bench_now_s() - t0);
    unsigned char s[crypto_sign_SEEDBYTES] = {1};
    struct checkpoint_key k;
    checkpoint_key_from_seed(s, &k);
    char what[64];
    snprintf(what, sizeof what, "first checkpoint over %ld items", n);
    sign(db, &k, what);
    for (long changed = 1000; changed <= 10000; changed *= 10) {
        change(db, n, changed);
        snprintf(what, sizeof what, "after %ld items changed", changed);
        sign(db, &k, what);
    }
    sign(db, &k, "nothing changed");
    db_close(db);
    return 0;
}
