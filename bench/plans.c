/* plans.c — the query plans of the item list's board filters on a given
 * database, as SQLite chooses them there (bench/run prints them over the
 * 1,000,000-item database; tests/unit/core/item_count_test.c checks the same
 * plans on a small one: SQLite plans without statistics, so the size does
 * not change them, and the line "same plans" says whether that held).
 *
 *   build/rel/bench/plans DB */
#include <stdio.h>
#include <string.h>

#include "core/core.h"
#include "core/item.h"
#include "db/db.h"

static const char *const shapes[][4] = {
    {"plain", NULL},      {"status", "assigned"}, {"kind", "hazard"}, {"light", "red"},
    {"unit", "5"},        {"q", "消防通道"},      {"after", "500"},   {"offset", "100"},
    {"sort", "deadline"}, {"sort", "light"},
};

static const char *get(void *ctx, const char *name)
{
    const char *const *kv = ctx;
    return kv[0] && !strcmp(kv[0], name) ? kv[1] : NULL;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: plans DB\n");
        return 2;
    }
    char err[256];
    struct db *db = db_open(argv[1], DB_OPEN_READONLY, err, sizeof err);
    if (!db) {
        fprintf(stderr, "plans: %s\n", err);
        return 1;
    }
    struct actor boss = {1, "bench", 1, ROLE_SUPERVISOR};
    for (size_t k = 0; k < sizeof shapes / sizeof *shapes; k++) {
        struct item_filter f;
        struct err e = {0};
        if (item_filter_parse(get, (void *)shapes[k], &f, &e)) return 1;
        char sql[8192];
        snprintf(sql, sizeof sql, "EXPLAIN QUERY PLAN %s", item_list_sql(db, &boss, &f));
        struct db_stmt *st = db_prepare(db, sql);
        if (!st) return 1;
        printf("%s%s%s:", shapes[k][0], shapes[k][1] ? "=" : "", shapes[k][1] ? shapes[k][1] : "");
        while (db_step(st) == DB_ROW) {
            const char *d = db_column_text(st, 3);
            if (strncmp(d, "CORRELATED", 10) && !strstr(d, " iu ") && !strstr(d, " hv ") &&
                !strstr(d, " c USING") && !strstr(d, " u USING"))
                printf("  %s;", d);
        }
        printf("\n");
        db_finalize(st);
    }
    db_close(db);
    return 0;
}
