/* intake_bench.c — intake throughput: the whole pipeline (clean, repair
 * lines, structure, meetings, directives, suggestions) over 1 MB and 10 MB of
 * meeting reports, alone and with the JSON of POST /api/v1/intake — built as
 * jansson values and serialised (the CLI's way), and written straight into a
 * buffer (the API's way).  The input is the given reports (the .txt files of
 * tests/intake) repeated, each after a blank line, up to the size.  Each
 * figure is the best of several runs, timed both by the wall clock and by the
 * process's CPU clock: on a shared machine the CPU figure is the one that
 * repeats.  The per-MB time at 10 MB over that at 1 MB says whether it stays
 * linear.  Then the adversarial shapes (one pattern repeated: 要 without end,
 * unit lists, cues, a long lead-in before many directives, short lines …) at
 * 64 KiB and 1 MiB: the time per MB at 1 MiB over that at 64 KiB is about 1
 * when a shape is linear, 16 when it is quadratic (tests/unit/intake/
 * linear_test.c asserts the same on operation counts, never on time).
 * Usage: intake_bench FILE...   (prints one line per size and mode) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "intake/intake.h"
#include "util/mem.h"

static double now(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        exit(1);
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *p = xmalloc((size_t)n + 1);
    if (fread(p, 1, (size_t)n, f) != (size_t)n) {
        perror(path);
        exit(1);
    }
    fclose(f);
    *len = (size_t)n;
    return p;
}

/* The reports repeated up to size bytes, cut at a report boundary. */
static char *build(char **texts, size_t *lens, int n, size_t size, size_t *out)
{
    char *buf = xmalloc(size + 1);
    size_t at = 0;
    for (int i = 0;; i = (i + 1) % n) {
        if (at + lens[i] + 2 > size) break;
        memcpy(buf + at, texts[i], lens[i]);
        at += lens[i];
        memcpy(buf + at, "\n\n", 2);
        at += 2;
    }
    *out = at;
    return buf;
}

/* The best of runs in CPU seconds (returned) and wall seconds (*wall);
 * *dirs gets the directives found. */
static double measure(const char *data, size_t len, int with_json, int runs, double *wall,
                      size_t *dirs)
{
    double best = 1e9;
    *wall = 1e9;
    for (int r = 0; r < runs; r++) {
        double w0 = now(CLOCK_MONOTONIC), c0 = now(CLOCK_PROCESS_CPUTIME_ID);
        *dirs = intake_bench_run(data, len, with_json);
        double c = now(CLOCK_PROCESS_CPUTIME_ID) - c0, w = now(CLOCK_MONOTONIC) - w0;
        if (c < best) best = c;
        if (w < *wall) *wall = w;
    }
    return best;
}

/* Adversarial shapes: head once, then unit repeated up to the size. */
static const struct {
    const char *name, *head, *unit;
} shapes[] = {
    {"要 without end", "", "要"},
    {"要加强 without end", "", "要加强"},
    {"a unit list without end", "", "市委组织部、"},
    {"；要 without end", "会议要求，", "；要"},
    {"cues", "", "会议要求，"},
    {"cues without commas", "", "会议要求各部门务必"},
    {"topics before 要", "会议强调，", "核心指标要盯紧，"},
    {"actions after a directive", "会议强调，要抓好落实。", "加快推进项目建设。"},
    {"a long lead-in, then directives", "会议强调，安全是发展的前提。", "要抓好安全生产。"},
    {"由X牵头 clauses", "", "由市经信局牵头，"},
    {"short lines", "", "中\n"},
    {"leads and meetings", "",
     "本报讯（记者 "
     "甲）3月15日下午，市委常委会召开会议。市委书记甲主持会议。会议要求，要抓好落实。\n"},
};

static char *shape_text(size_t k, size_t size, size_t *len)
{
    size_t h = strlen(shapes[k].head), u = strlen(shapes[k].unit), n = 0;
    char *p = xmalloc(size + 1);
    memcpy(p, shapes[k].head, h);
    n = h;
    while (n + u <= size) {
        memcpy(p + n, shapes[k].unit, u);
        n += u;
    }
    *len = n;
    return p;
}

/* Each shape at 64 KiB and 1 MiB, the pipeline alone. */
static void adversarial(void)
{
    printf("adversarial shapes (pipeline, cpu; per-MB time at 1 MiB / at 64 KiB: 1 is linear)\n");
    for (size_t k = 0; k < sizeof shapes / sizeof shapes[0]; k++) {
        double per_mb[2], wall;
        size_t dirs = 0;
        for (int s = 0; s < 2; s++) {
            size_t len;
            char *data = shape_text(k, s ? 1u << 20 : 64u << 10, &len);
            double t = measure(data, len, 0, s ? 3 : 10, &wall, &dirs);
            per_mb[s] = t / ((double)len / (1 << 20));
            free(data);
        }
        printf("  %-34s 1 MiB: cpu %7.1f ms = %6.1f MB/s, %6zu directives; ratio %.2f\n",
               shapes[k].name, per_mb[1] * 1e3, 1 / per_mb[1], dirs, per_mb[1] / per_mb[0]);
    }
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: intake_bench FILE...\n");
        return 2;
    }
    int n = argc - 1;
    char **texts = xcalloc((size_t)n, sizeof *texts);
    size_t *lens = xcalloc((size_t)n, sizeof *lens);
    for (int i = 0; i < n; i++)
        texts[i] = slurp(argv[i + 1], &lens[i]);
    static const size_t sizes[] = {1u << 20, 10u << 20};
    double per_mb[2][3];
    for (int s = 0; s < 2; s++) {
        size_t len, dirs;
        char *data = build(texts, lens, n, sizes[s], &len);
        for (int j = 0; j < 3; j++) {
            double wall, t = measure(data, len, j, s ? 5 : 20, &wall, &dirs);
            double mb = (double)len / (1 << 20);
            per_mb[s][j] = t / mb;
            printf("intake %-13s %4.1f MB: cpu %6.1f ms = %5.1f MB/s, wall %6.1f ms = %5.1f MB/s"
                   " (%zu directives)\n",
                   j == 2 ? "+json written"
                   : j    ? "+json jansson"
                          : "pipeline",
                   mb, t * 1e3, mb / t, wall * 1e3, mb / wall, dirs);
        }
        free(data);
    }
    printf("linearity (cpu time per MB at 10 MB / at 1 MB): pipeline %.2f, +json jansson %.2f,"
           " +json written %.2f\n",
           per_mb[1][0] / per_mb[0][0], per_mb[1][1] / per_mb[0][1], per_mb[1][2] / per_mb[0][2]);
    adversarial();
    for (int i = 0; i < n; i++)
        free(texts[i]);
    free(texts);
    free(lens);
    return 0;
}
