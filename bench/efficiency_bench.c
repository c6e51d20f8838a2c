/* efficiency_bench.c — the CPU time of the 亩均效益评价 (core/efficiency.h)
 * over N enterprises (default 100,000) on SQLite: scoring them (the pure
 * efficiency_score), the year's results as the office reads them (read,
 * score, rank, count by town, JSON written: efficiency_results_write, then
 * the jansson tree of efficiency_results_json for comparison), and importing
 * an N-row .xlsx written here with libxlsxwriter (read and check:
 * efficiency_plan_read; store, creating every enterprise as a unit on the
 * configuration chain: efficiency_plan_store).  Issue 21 asks for ≤ 1 s of
 * CPU to evaluate 100,000 enterprises and ≤ 5 s to import a 100,000-row XLSX.
 *
 *   build/rel/bench/efficiency_bench DB [N] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "bench.h"
#include "core/efficiency.h"
#include "db/db.h"
#include "util/buf.h"
#include "util/file.h"
#include "util/time.h"

#define TOWNS 20

/* The 18-character credit code of enterprise k (its check character computed). */
static void credit(long k, char out[19])
{
    static const char a[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    int sum = 0, w = 1;
    char digits[24];
    snprintf(digits, sizeof digits, "%07ld", k % 10000000);
    memcpy(out, "91330784MA", 10);
    memcpy(out + 10, digits, 7);
    for (int i = 0; i < 17; i++) {
        sum += (int)(strchr(a, out[i]) - a) * w;
        w = w * 3 % 31;
    }
    out[17] = a[(31 - sum % 31) % 31];
    out[18] = '\0';
}

static void seed_towns(struct db *db)
{
    bench_must(db_begin(db), db, "begin");
    struct db_stmt *u = db_prepare(db, "INSERT INTO units (code, name, kind, created_at)"
                                       " VALUES (?1, ?2, 'town', 0)");
    for (int k = 1; k <= TOWNS; k++) {
        char code[16], name[32];
        snprintf(code, sizeof code, "t%02d", k);
        snprintf(name, sizeof name, "镇街%02d", k);
        db_bind_text(u, 1, code, (size_t)-1);
        db_bind_text(u, 2, name, (size_t)-1);
        bench_must(db_step(u), db, "towns");
        db_reset(u);
    }
    db_finalize(u);
    bench_must(db_commit(db), db, "commit");
}

/* An N-row sheet: every third above, the rest below, one in seven on < 3 亩. */
static void write_sheet(const char *path, long n)
{
    static const char *const head[] = {
        "credit_code",     "name",        "town",      "scale",      "land_mu",    "tax_wan",
        "value_added_wan", "revenue_wan", "employees", "energy_tce", "emission_t", "rd_wan",
        "electricity_mwh"};
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *ws = workbook_add_worksheet(wb, NULL);
    for (int c = 0; c < 13; c++)
        worksheet_write_string(ws, 0, (lxw_col_t)c, head[c], NULL);
    for (long k = 1; k <= n; k++) {
        char code[19], name[32], town[8];
        lxw_row_t r = (lxw_row_t)k;
        credit(k, code);
        snprintf(name, sizeof name, "企业%ld", k);
        snprintf(town, sizeof town, "t%02ld", 1 + k % TOWNS);
        worksheet_write_string(ws, r, 0, code, NULL);
        worksheet_write_string(ws, r, 1, name, NULL);
        worksheet_write_string(ws, r, 2, town, NULL);
        worksheet_write_string(ws, r, 3, k % 3 ? "below" : "above", NULL);
        worksheet_write_number(ws, r, 4, k % 7 ? 5 + k % 40 : 2, NULL);
        for (int c = 5; c < 13; c++)
            if ((k + c) % 50) worksheet_write_number(ws, r, (lxw_col_t)c, 1 + (k * c) % 97, NULL);
    }
    workbook_close(wb);
}

static void bench_import(struct db *db, const char *xlsx, long n)
{
    struct buf b;
    struct err e = {0};
    struct eff_plan *p;
    buf_init(&b, 0);
    if (file_read(xlsx, 0, &b, &e)) {
        fprintf(stderr, "efficiency_bench: %s\n", e.message);
        exit(1);
    }
    double c0 = bench_cpu_s();
    if (efficiency_plan_read(db, b.data, b.len, &p, &e)) {
        fprintf(stderr, "efficiency_bench: %s\n", e.message);
        exit(1);
    }
    double c1 = bench_cpu_s();
    struct actor office = {.username = "bench", .unit_id = 0, .roles = ROLE_SUPERVISOR};
    bench_must(db_begin(db), db, "begin");
    if (efficiency_plan_store(db, &office, 2025, p, &e)) {
        fprintf(stderr, "efficiency_bench: %s\n", e.message);
        exit(1);
    }
    bench_must(db_commit(db), db, "commit");
    double c2 = bench_cpu_s();
    printf("import %ld rows (%zu bytes of xlsx): read and check %.3f s, store %.3f s CPU\n", n,
           b.len, c1 - c0, c2 - c1);
    efficiency_plan_free(p);
    buf_free(&b);
}

static void bench_evaluate(struct db *db, long n)
{
    struct eff_config c;
    struct eff_score s;
    struct actor office = {.username = "bench", .unit_id = 0, .roles = ROLE_SUPERVISOR};
    struct err e = {0};
    double sum = 0, c0 = bench_cpu_s();
    efficiency_config_default(&c);
    for (long k = 0; k < n; k++) {
        struct eff_row r = {.above = k % 3 == 0, .land_mu = 2 + k % 40, .have = 0xff};
        for (int i = 0; i < EFF_INPUTS; i++)
            r.in[i] = 1 + (double)((k * (i + 5)) % 97);
        efficiency_score(&c, &r, &s);
        sum += s.score;
    }
    double c1 = bench_cpu_s();
    bench_must(db_begin(db), db, "begin");
    if (efficiency_step(db, &office, 2025, "evaluate", &e)) {
        fprintf(stderr, "efficiency_bench: %s\n", e.message);
        exit(1);
    }
    bench_must(db_commit(db), db, "commit");
    double c2 = bench_cpu_s();
    struct buf out;
    buf_init(&out, 0);
    if (efficiency_results_write(db, &office, 2025, &out, &e)) {
        fprintf(stderr, "efficiency_bench: %s\n", e.message);
        exit(1);
    }
    double c3 = bench_cpu_s();
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("score %ld enterprises: %.3f s CPU (checksum %.0f)\n", n, c1 - c0, sum);
    printf("evaluate (the step) %.3f s; the results read, scored, ranked, counted and written as "
           "JSON (the API's read): %.3f s CPU (%zu bytes; peak resident memory so far %ld KiB)\n",
           c2 - c1, c3 - c2, out.len, ru.ru_maxrss);
    buf_free(&out);
    /* the JSON tree the read built before (the step's reply and the CLI still do) */
    json_t *v = efficiency_results_json(db, &office, 2025, &e);
    char *text = v ? json_dumps(v, JSON_COMPACT) : NULL;
    double c4 = bench_cpu_s();
    if (!text) {
        fprintf(stderr, "efficiency_bench: %s\n", e.message);
        exit(1);
    }
    printf("the same as a jansson tree, dumped: %.3f s CPU (%zu rows)\n", c4 - c3,
           json_array_size(json_object_get(v, "results")));
    free(text);
    json_decref(v);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: efficiency_bench DB [N]\n");
        return 2;
    }
    long n = argc > 2 ? strtol(argv[2], NULL, 10) : 100000;
    char err[256], xlsx[512];
    int applied;
    time_set_zone("Asia/Shanghai");
    remove(argv[1]);
    snprintf(xlsx, sizeof xlsx, "%s.xlsx", argv[1]);
    struct db *db = db_open(argv[1], DB_OPEN_CREATE, err, sizeof err);
    if (!db || db_migrate(db, &applied, err, sizeof err) != DB_OK) {
        fprintf(stderr, "efficiency_bench: %s\n", err);
        return 1;
    }
    seed_towns(db);
    write_sheet(xlsx, n);
    bench_import(db, xlsx, n);
    bench_evaluate(db, n);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("peak resident memory: %ld KiB\n", ru.ru_maxrss);
    db_close(db);
    remove(xlsx);
    return 0;
}
