/* notice_bench.c — the time to compute a city-wide supervision notice over
 * N items (default 1,000,000) on SQLite.
 *
 *   build/rel/bench/notice_bench DB [N]
 *
 * Seeds a fresh database directly with SQL in one transaction (not through
 * item_create: a million items with their events through the loop would take
 * far longer than a bench may): 60 units, N items assigned through 2025 with
 * deadlines, statuses and the per-item facts the triggers keep (item_facts:
 * assignment, acceptance, verification, rejections, extensions, and the
 * item's lead unit, deadline and status), as a working city has them on
 * 15 January (the items due by then 96 % verified, those due later 30 %),
 * a weekly feedback row for a fifth of them.  Then computes the notice for
 * the whole of 2025 three times and prints the best and the median, with the
 * figures' totals so a run can be checked. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"
#include "db/db.h"
#include "notice/notice.h"
#include "util/buf.h"
#include "util/time.h"

#define UNITS 60

static uint64_t rng = 88172645463325252ull;
static uint32_t rnd(uint32_t n)
{
    rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
    return (uint32_t)(rng % n);
}

static void seed(struct db *db, long n)
{
    /* one transaction of ~1 GB of pages: keep them in memory until the
     * commit instead of spilling the indexes' pages to the WAL again and
     * again, and write them once, without a journal or a flush (a throw-away
     * database; the notice is then computed in WAL mode as the server runs) */
    bench_must(db_exec(db, "PRAGMA cache_size = -1048576"), db, "cache_size");
    bench_must(db_exec(db, "PRAGMA journal_mode = OFF"), db, "journal_mode");
    bench_must(db_exec(db, "PRAGMA synchronous = OFF"), db, "synchronous");
    bench_must(db_begin(db), db, "begin");
    struct db_stmt *u = db_prepare(db, "INSERT INTO units (code, name, kind, created_at)"
                                       " VALUES (?1, ?2, 'department', 0)");
    for (int k = 1; k <= UNITS; k++) {
        char code[16], name[32];
        snprintf(code, sizeof code, "u%02d", k);
        snprintf(name, sizeof name, "单位%02d", k);
        db_bind_text(u, 1, code, (size_t)-1);
        db_bind_text(u, 2, name, (size_t)-1);
        bench_must(db_step(u), db, "units");
        db_reset(u);
    }
    db_finalize(u);
    struct db_stmt *it = db_prepare(
        db, "INSERT INTO items (id, kind, title, status, lead_unit_id, deadline, created_at,"
            " updated_at, assigned_on, feedback_cycle) VALUES (?1, 'task', ?2, ?3, ?4, ?5, ?6, ?6,"
            " ?7, ?8)");
    struct db_stmt *f = db_prepare(
        db, "INSERT INTO item_facts (item_id, first_assigned_at, assigned_at, accepted_at,"
            " accept_from, done_at, rejects, extensions, lead_unit_id, deadline, status)"
            " VALUES (?1, ?2, ?2, ?3, ?2, ?4, ?5, ?6, ?7, ?8, ?9)");
    struct db_stmt *fb =
        db_prepare(db, "INSERT INTO feedback (item_id, unit_id, at, is_lead, text, due, late)"
                       " VALUES (?1, ?2, ?3, 1, '按计划推进', ?4, ?5)");
    int32_t y0 = date_make(2025, 1, 1), today = date_make(2026, 1, 15);
    for (long id = 1; id <= n; id++) {
        int32_t day = y0 + (int32_t)rnd(365), deadline = day + 5 + (int32_t)rnd(60);
        int64_t at = ((int64_t)day * 86400 + 3600) * 1000;
        int unit = 1 + (int)rnd(UNITS), r = (int)rnd(100);
        /* what a working city looks like on 15 January: of the items due by
         * then 96 % were verified (85 % of those by the deadline), of those
         * due later 30 %; the rest is open, mostly signed for and under way */
        int open = deadline < today ? r >= 96 : r >= 30, o = (int)rnd(100);
        const char *status = !open    ? "done"
                             : o < 50 ? "in_progress"
                             : o < 85 ? "accepted"
                                      : "assigned";
        int32_t done_day = rnd(100) < 85 ? day + (int32_t)rnd((uint32_t)(deadline - day + 1))
                                         : deadline + 1 + (int32_t)rnd(20);
        if (done_day >= today) done_day = today - 1;
        char title[32], dl[11], on[11];
        snprintf(title, sizeof title, "事项%ld", id);
        date_format(deadline, dl);
        date_format(day, on);
        db_bind_int64(it, 1, id);
        db_bind_text(it, 2, title, (size_t)-1);
        db_bind_text(it, 3, status, (size_t)-1);
        db_bind_int64(it, 4, unit);
        db_bind_text(it, 5, dl, (size_t)-1);
        db_bind_int64(it, 6, at);
        db_bind_text(it, 7, on, (size_t)-1);
        db_bind_text(it, 8, id % 5 ? "none" : "weekly", (size_t)-1);
        bench_must(db_step(it), db, "items");
        db_reset(it);
        db_bind_int64(f, 1, id);
        db_bind_int64(f, 2, at);
        if (!open || o < 85)
            db_bind_int64(f, 3, at + (int64_t)rnd(3) * 86400000);
        else
            db_bind_null(f, 3);
        if (!open)
            db_bind_int64(f, 4, at + (int64_t)(done_day - day) * 86400000);
        else
            db_bind_null(f, 4);
        db_bind_int64(f, 5, rnd(20) == 0);
        db_bind_int64(f, 6, rnd(25) == 0);
        db_bind_int64(f, 7, unit);
        db_bind_text(f, 8, dl, (size_t)-1);
        db_bind_text(f, 9, status, (size_t)-1);
        bench_must(db_step(f), db, "facts");
        db_reset(f);
        if (id % 5 == 0) {
            char due[11];
            date_format(day + 7, due);
            db_bind_int64(fb, 1, id);
            db_bind_int64(fb, 2, unit);
            db_bind_int64(fb, 3, at + (int64_t)(6 + (int)rnd(3)) * 86400000);
            db_bind_text(fb, 4, due, (size_t)-1);
            db_bind_int64(fb, 5, rnd(4) == 0);
            bench_must(db_step(fb), db, "feedback");
            db_reset(fb);
        }
    }
    db_finalize(it);
    db_finalize(f);
    db_finalize(fb);
    bench_must(db_commit(db), db, "commit");
    bench_must(db_exec(db, "PRAGMA cache_size = -2000"), db, "cache_size");
    bench_must(db_exec(db, "PRAGMA journal_mode = WAL"), db, "journal_mode");
    bench_must(db_exec(db, "PRAGMA synchronous = FULL"), db, "synchronous");
    bench_must(db_exec(db, "ANALYZE"), db, "analyze");
}

/* The same notice as the PDF 公文 an office signs (issue 16): best and
 * median of three renderings, with its size. */
static void pdf_figures(const struct notice *nt)
{
    double times[3], cpu[3];
    size_t bytes = 0;
    for (int k = 0; k < 3; k++) {
        struct buf b;
        struct err e = {0};
        buf_init(&b, 64u << 20);
        double t0 = bench_now_s(), c0 = bench_cpu_s();
        if (notice_pdf(nt, "1", "2026-01-05", &b, &e)) {
            fprintf(stderr, "notice_bench: pdf: %s\n", e.message);
            exit(1);
        }
        times[k] = bench_now_s() - t0;
        cpu[k] = bench_cpu_s() - c0;
        bytes = b.len;
        buf_free(&b);
    }
    qsort(times, 3, sizeof *times, bench_cmp_double);
    qsort(cpu, 3, sizeof *cpu, bench_cmp_double);
    printf("the same notice as a PDF: best %.3f s, median %.3f s (CPU best %.3f s, median %.3f s),"
           " %zu bytes\n",
           times[0], times[1], cpu[0], cpu[1], bytes);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: notice_bench DB [N]\n");
        return 2;
    }
    long n = argc > 2 ? strtol(argv[2], NULL, 10) : 1000000;
    time_set_zone("Asia/Shanghai");
    setenv("LUOSHI_NOW", "2026-01-15", 1);
    remove(argv[1]);
    char err[256];
    int applied;
    struct db *db = db_open(argv[1], DB_OPEN_CREATE, err, sizeof err);
    if (!db || db_migrate(db, &applied, err, sizeof err) != DB_OK) {
        fprintf(stderr, "notice_bench: %s\n", err);
        return 1;
    }
    double t0 = bench_now_s();
    seed(db, n);
    printf("seeded %ld items in %.1f s\n", n, bench_now_s() - t0);
    struct notice_params p;
    struct err e = {0};
    notice_params_parse("2025-01-01", "2025-12-31", NULL, &p, &e);
    double times[3], cpu[3];
    struct notice nt;
    for (int k = 0; k < 3; k++) {
        t0 = bench_now_s();
        double c0 = bench_cpu_s();
        if (notice_compute(db, &p, &nt, &e)) {
            fprintf(stderr, "notice_bench: %s\n", e.message);
            return 1;
        }
        times[k] = bench_now_s() - t0;
        cpu[k] = bench_cpu_s() - c0;
        if (k < 2) notice_free(&nt);
    }
    qsort(times, 3, sizeof *times, bench_cmp_double);
    qsort(cpu, 3, sizeof *cpu, bench_cmp_double);
    /* the CPU time too: on a shared machine the wall time is mostly waiting for a core */
    printf("city-wide notice for 2025 over %ld items: best %.3f s, median %.3f s"
           " (CPU best %.3f s, median %.3f s)"
           " (units %d, assigned %lld, done %lld, on time %lld, overdue %lld, red list %d,"
           " feedback due %lld)\n",
           n, times[0], times[1], cpu[0], cpu[1], nt.n_units, (long long)nt.total.assigned,
           (long long)nt.total.done, (long long)nt.total.done_on_time, (long long)nt.total.overdue,
           nt.n_red, (long long)nt.total.feedback_due);
    pdf_figures(&nt);
    notice_free(&nt);
    db_close(db);
    return 0;
}
