/* outbox_bench.c — how fast the loop's events write their messages and
 * outbox rows, and what the sender itself costs per row, on SQLite.
 *
 *   build/rel/bench/outbox_bench DB [EVENTS]
 *
 * Makes a fresh database: an office, a bureau with five handlers who each
 * chose email and the webhook (both channels on), and 1,000 items assigned
 * to the bureau.  Then EVENTS (default 20,000) urges through item_act, as
 * the server takes them, 100 to a transaction (what group commit does under
 * load): each writes its event, five messages and ten outbox rows.  Prints
 * events, messages and outbox rows per second, by the wall clock and by the
 * process's CPU clock.  Then the sender's own work with a receiver that
 * answers at once: the due rows read 50 at a time and their results
 * recorded, per second (a real delivery is bounded by its receiver: an SMTP
 * server's or a webhook's answer time). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/action.h"
#include "core/channel.h"
#include "core/item.h"
#include "core/outbox.h"
#include "core/prefs.h"
#include "core/unit.h"
#include "core/user.h"
#include "bench.h"
#include "db/db.h"

#define ITEMS    1000
#define HANDLERS 5
#define PER_TX   100

static void fail(const char *what, const char *why)
{
    fprintf(stderr, "outbox_bench: %s: %s\n", what, why);
    exit(1);
}

static void check(int failed, const struct err *e, const char *what)
{
    if (failed) fail(what, e->message);
}

static int64_t count(struct db *db, const char *sql)
{
    int64_t n = 0;
    if (db_query_int64(db, sql, 0, 0, &n) != DB_OK) fail(sql, db_errmsg(db));
    return n;
}

/* The city: units, users with their preferences, the channels on. */
static void city(struct db *db, struct actor *sup, int64_t *unit)
{
    struct err e = {0};
    int64_t office, id;
    char name[32];
    db_begin(db);
    check(unit_add(db, NULL, "DCS", "督查室", "department", NULL, &office, &e), &e, "unit");
    check(unit_add(db, NULL, "A", "应急管理局", "department", NULL, unit, &e), &e, "unit");
    check(user_add(db, NULL, "sup", "督查员", "DCS", ROLE_SUPERVISOR, "x", &id, &e), &e, "user");
    *sup = (struct actor){
        .user_id = id, .username = "sup", .unit_id = office, .roles = ROLE_SUPERVISOR};
    json_t *on = json_loads("{\"email\":{\"enabled\":true,\"url\":\"smtp://127.0.0.1:25\","
                            "\"sender\":\"ls@city.test\"},\"webhook\":{\"enabled\":true,"
                            "\"url\":\"http://127.0.0.1:9/h\",\"secret\":\"k\"}}",
                            0, NULL);
    check(channel_set(db, NULL, "email", json_object_get(on, "email"), &e) ||
              channel_set(db, NULL, "webhook", json_object_get(on, "webhook"), &e),
          &e, "channels");
    json_decref(on);
    for (int k = 0; k < HANDLERS; k++) {
        snprintf(name, sizeof name, "h%d", k);
        check(user_add(db, NULL, name, name, "A", ROLE_HANDLER, "x", &id, &e), &e, "handler");
        char prefs[128];
        snprintf(prefs, sizeof prefs,
                 "{\"email\":\"%s@city.test\",\"channels\":[\"email\","
                 "\"webhook\"]}",
                 name);
        json_t *p = json_loads(prefs, 0, NULL);
        check(prefs_set(db, id, p, &e), &e, "prefs");
        json_decref(p);
    }
    if (db_commit(db) != DB_OK) fail("commit", db_errmsg(db));
}

/* ITEMS tasks of unit, assigned. */
static void items(struct db *db, const struct actor *sup, int64_t unit, int64_t *ids)
{
    struct err e = {0};
    char json[160];
    db_begin(db);
    for (int k = 0; k < ITEMS; k++) {
        snprintf(json, sizeof json,
                 "{\"kind\":\"task\",\"title\":\"压测事项%d\",\"lead_unit_id\":"
                 "%lld,\"deadline\":\"2030-12-31\"}",
                 k, (long long)unit);
        json_t *body = json_loads(json, 0, NULL), *assign = json_pack("{s:s}", "action", "assign");
        struct item_input in;
        check(item_input_parse(body, &in, &e) || item_create(db, sup, &in, &ids[k], &e) ||
                  item_act(db, sup, ids[k], assign, &e),
              &e, "item");
        json_decref(body);
        json_decref(assign);
    }
    if (db_commit(db) != DB_OK) fail("commit", db_errmsg(db));
}

static void urges(struct db *db, const struct actor *sup, const int64_t *ids, int n)
{
    struct err e = {0};
    json_t *urge = json_pack("{s:s,s:s}", "action", "urge", "text", "请加快进度，本周内反馈");
    int64_t m0 = count(db, "SELECT count(*) FROM messages"),
            o0 = count(db, "SELECT count(*) FROM outbox");
    double t0 = bench_now_s(), c0 = bench_cpu_s();
    for (int k = 0; k < n; k += PER_TX) {
        db_begin(db);
        for (int j = k; j < k + PER_TX && j < n; j++)
            check(item_act(db, sup, ids[j % ITEMS], urge, &e) != 0, &e, "urge");
        if (db_commit(db) != DB_OK) fail("commit", db_errmsg(db));
    }
    double wall = bench_now_s() - t0, cpu = bench_cpu_s() - c0;
    int64_t m = count(db, "SELECT count(*) FROM messages") - m0;
    int64_t o = count(db, "SELECT count(*) FROM outbox") - o0;
    json_decref(urge);
    printf("urges with their messages and outbox rows, %d a transaction (synchronous=FULL):\n",
           PER_TX);
    printf("  %d events, %lld messages, %lld outbox rows in %.2f s wall, %.2f s cpu\n", n,
           (long long)m, (long long)o, wall, cpu);
    printf(
        "  %.0f events/s, %.0f messages/s, %.0f queued outbox rows/s (wall); %.0f rows/s (cpu)\n",
        n / wall, m / wall, o / wall, o / cpu);
}

static void sender(struct db *db)
{
    struct outbox_rules r;
    outbox_rules_load(db, &r);
    int64_t total = count(db, "SELECT count(*) FROM outbox WHERE status = 'pending'"), done = 0;
    double t0 = bench_now_s(), c0 = bench_cpu_s();
    for (;;) {
        struct outbox_row *rows;
        size_t n;
        if (outbox_due(db, INT64_MAX / 2, 50, &rows, &n) != DB_OK) fail("due", db_errmsg(db));
        if (!n) break;
        struct outbox_result *res = calloc(n, sizeof *res);
        for (size_t k = 0; k < n; k++)
            res[k] = (struct outbox_result){rows[k].id, 1, ""};
        db_begin(db);
        if (outbox_record(db, res, n, 0, &r, NULL) != DB_OK) fail("record", db_errmsg(db));
        if (db_commit(db) != DB_OK) fail("commit", db_errmsg(db));
        done += (int64_t)n;
        free(res);
        outbox_rows_free(rows, n);
    }
    double wall = bench_now_s() - t0, cpu = bench_cpu_s() - c0;
    printf("the sender's own work (read 50 due rows, record them sent), a receiver answering at "
           "once:\n  %lld of %lld rows in %.2f s wall: %.0f rows/s (wall), %.0f rows/s (cpu)\n",
           (long long)done, (long long)total, wall, done / wall, done / cpu);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: outbox_bench DB [EVENTS]\n");
        return 2;
    }
    int n = argc > 2 ? (int)strtol(argv[2], NULL, 10) : 20000;
    if (n < PER_TX) n = PER_TX;
    unlink(argv[1]);
    char err[512];
    int applied;
    struct db *db = db_open(argv[1], DB_OPEN_CREATE, err, sizeof err);
    if (!db || db_migrate(db, &applied, err, sizeof err) != DB_OK) fail(argv[1], err);
    struct actor sup;
    int64_t unit, *ids = calloc(ITEMS, sizeof *ids);
    city(db, &sup, &unit);
    items(db, &sup, unit, ids);
    urges(db, &sup, ids, n);
    sender(db);
    free(ids);
    db_close(db);
    return 0;
}
