/* bench.h — what every benchmark under bench/ measures with: wall and CPU
 * seconds, a stop on a storage error, and the order of a list of timings
 * (for its percentiles).  Header-only: each benchmark is a program of its
 * own (the Makefile's $(BUILD)/bench/% rule). */
#ifndef LUOSHI_BENCH_H
#define LUOSHI_BENCH_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "db/db.h"

/* Seconds on the monotonic clock. */
static inline double bench_now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Seconds of CPU this process has used. */
static inline double bench_cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Stop the benchmark (exit 1, naming what failed) unless rc is DB_OK or
 * DB_DONE. */
static inline void bench_must(int rc, struct db *db, const char *what)
{
    if (rc != DB_OK && rc != DB_DONE) {
        fprintf(stderr, "%s: %s: %s\n", program_invocation_short_name, what, db_errmsg(db));
        exit(1);
    }
}

/* qsort's order of doubles, smallest first. */
static inline int bench_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

#endif
