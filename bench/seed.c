/* seed.c — benchmark helper: fill a database with N items (default 100,000)
 * spread over the demo city's units, through the same core functions the
 * server uses (each with its create event), in transactions of 5,000.
 * Usage: bench/seed DB N   (DB must have been made with `luoshi init --demo`) */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/item.h"
#include "db/db.h"
#include "util/time.h"

int main(int argc, char **argv)
{
    if (argc < 2 || sodium_init() < 0) {
        fprintf(stderr, "usage: seed DB [N]\n");
        return 2;
    }
    long n = argc > 2 ? strtol(argv[2], NULL, 10) : 100000;
    char err[256];
    struct db *db = db_open(argv[1], 0, err, sizeof err);
    if (!db) {
        fprintf(stderr, "seed: %s\n", err);
        return 1;
    }
    int64_t units = 0;
    db_query_int64(db, "SELECT count(*) FROM units", 0, 0, &units);
    struct actor a = {0, "bench", 0, ROLE_ADMIN};
    int32_t today = time_today();
    for (long i = 0; i < n; i++) {
        if (i % 5000 == 0 && db_begin(db) != DB_OK) return 1;
        struct item_input in = {0};
        char title[64], deadline[11];
        snprintf(title, sizeof title, "基准事项 %ld", i);
        date_format(today - 30 + (int32_t)(i % 120), deadline);
        in.kind = "task", in.title = title, in.description = "", in.source = "plan";
        in.feedback_cycle = "monthly", in.deadline = deadline;
        in.lead_unit_id = 1 + i % (units ? units : 1);
        int64_t id;
        struct err e = {0};
        if (item_create(db, &a, &in, &id, &e)) {
            fprintf(stderr, "seed: %s\n", e.message);
            return 1;
        }
        if (i % 5000 == 4999 || i == n - 1) {
            if (db_commit(db) != DB_OK) return 1;
        }
    }
    db_close(db);
    printf("seeded %ld items\n", n);
    return 0;
}
