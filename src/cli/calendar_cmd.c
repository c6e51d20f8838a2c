/* calendar_cmd.c — luoshi calendar import FILE: load official holidays and
 * adjusted working days (core/calendar.h's text format) into the database in
 * one transaction, and the demo's import of the schedules the binary carries. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/calendar.h"
#include "util/buf.h"
#include "util/embedded.h"
#include "util/file.h"

#define CALENDAR_FILE_MAX (1 << 20) /* bytes: a century of holidays fits */

static int calendar_import_cmd(int argc, char **argv)
{
    const char *dbopt = NULL, *pos[1];
    int npos;
    struct cli_opt opts[] = {{"db", &dbopt, NULL}};
    if (cli_parse("calendar import", argc, argv, opts, 1, pos, 1, &npos)) return CLI_USAGE;
    if (npos != 1) {
        fprintf(stderr, "luoshi calendar import: name the file: luoshi calendar import [--db DB]"
                        " FILE\n");
        return CLI_USAGE;
    }
    struct buf text;
    struct err e = {0};
    buf_init(&text, CALENDAR_FILE_MAX);
    if (file_read(pos[0], 0, &text, &e)) {
        fprintf(stderr, "luoshi calendar import: %s\n", e.message);
        buf_free(&text);
        return CLI_FAIL;
    }
    struct db *db = cli_open(cli_db_target(dbopt), 0);
    if (!db) {
        buf_free(&text);
        return CLI_FAIL;
    }
    int count = 0, rc = CLI_OK;
    if (db_begin(db) != DB_OK ||
        calendar_import(db, cli_actor(), buf_cstr(&text), text.len, &count, &e)) {
        db_rollback(db);
        fprintf(stderr, "luoshi calendar import: %s: %s\n", pos[0],
                e.message[0] ? e.message : db_errmsg(db));
        rc = e.status == 422 ? CLI_USAGE : CLI_FAIL;
    } else if (db_commit(db) != DB_OK) {
        fprintf(stderr, "luoshi calendar import: cannot commit: %s\n", db_errmsg(db));
        rc = CLI_FAIL;
    } else {
        printf("%d day%s imported from %s\n", count, count == 1 ? "" : "s", pos[0]);
    }
    db_close(db);
    buf_free(&text);
    return rc;
}

int cmd_calendar(int argc, char **argv)
{
    if (argc > 0 && !strcmp(argv[0], "import")) return calendar_import_cmd(argc - 1, argv + 1);
    fprintf(stderr, "luoshi calendar: use `luoshi calendar import [--db DB] FILE`\n");
    return CLI_USAGE;
}

int calendar_import_builtin(struct db *db, int *count, struct err *e)
{
    *count = 0;
    for (size_t k = 0; k < embedded_count; k++) {
        const struct embedded_file *f = &embedded_files[k];
        if (strncmp(f->name, "data/calendar/", 14)) continue;
        int n;
        if (calendar_import_new_years(db, cli_actor(), (const char *)f->data, f->len, &n, e))
            return -1;
        *count += n;
    }
    return 0;
}
