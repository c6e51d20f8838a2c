/* seed.c — benchmark helper: fill a database with N items (default 100,000)
 * as a working city has them, through the same core functions the server
 * uses (item_create and item_act, each with its event), in transactions of
 * 2,000.  Usage: bench/seed DB N   (DB made with `luoshi init --demo`).
 *
 * The model is the notice benchmark's (bench/notice_bench.c): each item is
 * assigned to one of the demo city's units on a day of the past year with a
 * deadline 5 to 65 days later; of the items due by today 96 % are verified
 * (85 % of those by the deadline), of those due later 30 %; the rest is
 * open: half in progress with a feedback, a third signed for, the others
 * waiting to be signed for.  One item in fifty stays a draft and one in a
 * hundred is cancelled; a fifth report weekly, the rest monthly or not at
 * all.  Each action happens on its own day (LUOSHI_NOW), so the feedback
 * dates and the schedule's lights are what the loop computes.  Titles come
 * from a short list of a city's themes, so searches find realistic shares.
 * Deterministic: the same N gives the same city. */
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/action.h"
#include "core/item.h"
#include "db/db.h"
#include "util/time.h"

static uint64_t rng = 88172645463325252ull;
static uint32_t rnd(uint32_t n)
{
    rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
    return (uint32_t)(rng % n);
}

static const char *const themes[] = {"消防通道堵塞整改", "老旧小区加装电梯",   "低效工业用地整治",
                                     "燃气管道安全排查", "城乡道路积水治理",   "企业诉求办理",
                                     "招商引资项目推进", "河道水质提升",       "农村生活污水治理",
                                     "学校周边交通整治", "电动自行车充电安全", "重点项目征地拆迁"};

/* Take action (a JSON body) on item id as a, on day; 0 or -1 (printed). */
static int act(struct db *db, struct actor *a, int64_t id, int32_t day, const char *body)
{
    char now[11];
    date_format(day, now);
    setenv("LUOSHI_NOW", now, 1);
    json_t *b = json_loads(body, 0, NULL);
    struct err e = {0};
    int rc = item_act(db, a, id, b, &e);
    json_decref(b);
    if (rc) fprintf(stderr, "seed: item %lld %s: %s\n", (long long)id, body, e.message);
    return rc ? -1 : 0;
}

/* What happens to one item after its creation on day: 0 or -1. */
static int live(struct db *db, struct actor *a, int64_t id, int32_t day, int32_t deadline,
                int32_t today)
{
    int r = (int)rnd(100), o = (int)rnd(100);
    if (r < 2) return 0; /* stays a draft */
    if (act(db, a, id, day, "{\"action\":\"assign\"}")) return -1;
    if (r < 3) return act(db, a, id, day + 1, "{\"action\":\"cancel\",\"reason\":\"合并办理\"}");
    int done = deadline < today ? r >= 7 : r >= 73; /* ~96 % and ~30 % of the assigned */
    if (!done && o >= 85) return 0;                 /* waiting to be signed for */
    int32_t accepted = day + (int32_t)rnd(3);
    if (accepted >= today) accepted = today - 1;
    if (accepted < day) accepted = day;
    if (act(db, a, id, accepted, "{\"action\":\"accept\"}")) return -1;
    if (!done && o >= 50) return 0; /* signed for, not reported on */
    int32_t end = rnd(100) < 85 ? day + (int32_t)rnd((uint32_t)(deadline - day + 1))
                                : deadline + 1 + (int32_t)rnd(20);
    if (end >= today) end = today - 1;
    if (end < accepted) end = accepted;
    char fb[96];
    snprintf(fb, sizeof fb, "{\"action\":\"feedback\",\"text\":\"按计划推进\",\"progress\":%d}",
             done ? 80 : 10 + (int)rnd(60));
    if (act(db, a, id, accepted + (end - accepted) / 2, fb)) return -1;
    if (!done) return 0;
    return act(db, a, id, end, "{\"action\":\"submit\",\"text\":\"已办结\"}") ||
           act(db, a, id, end, "{\"action\":\"verify\"}");
}

static int seed_one(struct db *db, long i, int64_t units, int32_t today)
{
    static const char *const cycles[] = {"weekly", "monthly", "monthly", "none", "none"};
    int32_t day = today - 365 + (int32_t)rnd(365), deadline = day + 5 + (int32_t)rnd(61);
    char title[96], dl[11], now[11];
    snprintf(title, sizeof title, "%s（%ld）", themes[rnd(sizeof themes / sizeof *themes)], i);
    date_format(deadline, dl);
    date_format(day, now);
    setenv("LUOSHI_NOW", now, 1);
    struct item_input in = {0};
    in.kind = "task", in.title = title, in.source = i % 3 ? "plan" : "meeting";
    in.description = i % 4 ? "" : "按照市委部署，明确责任单位和完成时限，按月报送进展。";
    in.feedback_cycle = cycles[rnd(5)], in.deadline = dl;
    in.lead_unit_id = 1 + (int64_t)rnd((uint32_t)units);
    struct actor a = {0, "bench", in.lead_unit_id, ROLE_ADMIN | ROLE_SUPERVISOR | ROLE_HANDLER};
    int64_t id;
    struct err e = {0};
    if (item_create(db, &a, &in, &id, &e)) {
        fprintf(stderr, "seed: %s\n", e.message);
        return -1;
    }
    return live(db, &a, id, day, deadline, today);
}

int main(int argc, char **argv)
{
    if (argc < 2 || sodium_init() < 0) {
        fprintf(stderr, "usage: seed DB [N]\n");
        return 2;
    }
    long n = argc > 2 ? strtol(argv[2], NULL, 10) : 100000;
    const char *zone = getenv("LUOSHI_TZ");
    time_set_zone(zone && *zone ? zone : "Asia/Shanghai");
    char err[256];
    struct db *db = db_open(argv[1], 0, err, sizeof err);
    if (!db) {
        fprintf(stderr, "seed: %s\n", err);
        return 1;
    }
    /* keep a transaction's pages in memory until its commit instead of
     * spilling them to the WAL again and again */
    if (db_kind(db) == DB_SQLITE) db_exec(db, "PRAGMA cache_size = -524288");
    int64_t units = 0;
    db_query_int64(db, "SELECT count(*) FROM units", 0, 0, &units);
    if (units < 1) units = 1;
    int32_t today = time_today();
    for (long i = 0; i < n; i++) {
        if (i % 2000 == 0 && db_begin(db) != DB_OK) return 1;
        if (seed_one(db, i, units, today)) return 1;
        if ((i % 2000 == 1999 || i == n - 1) && db_commit(db) != DB_OK) return 1;
    }
    unsetenv("LUOSHI_NOW");
    db_close(db);
    printf("seeded %ld items\n", n);
    return 0;
}
