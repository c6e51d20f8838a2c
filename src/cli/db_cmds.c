/* db_cmds.c — luoshi init, verify and backup: the commands about the database
 * as a whole. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/event.h"
#include "notice/issue.h"
#include "util/buf.h"

int cmd_init(int argc, char **argv)
{
    const char *dbopt = NULL, *pos[1];
    int demo = 0, npos;
    struct cli_opt opts[] = {{"db", &dbopt, NULL}, {"demo", NULL, &demo}};
    if (cli_parse("init", argc, argv, opts, 2, pos, 0, &npos)) return CLI_USAGE;
    const char *target = cli_db_target(dbopt);
    char err[512];
    struct db *db = db_open(target, DB_OPEN_CREATE, err, sizeof err);
    if (!db) {
        fprintf(stderr, "luoshi init: %s\n", err);
        return CLI_FAIL;
    }
    int applied = 0, rc = CLI_OK;
    if (db_migrate(db, &applied, err, sizeof err) != DB_OK) {
        fprintf(stderr, "luoshi init: %s\n", err);
        rc = CLI_FAIL;
        goto out;
    }
    char shown[512]; /* the target without a password */
    printf("%s: schema version %d (%d migration%s applied)\n",
           db_target_display(target, shown, sizeof shown), db_schema_version(db), applied,
           applied == 1 ? "" : "s");
    if (demo) rc = demo_load(db);
out:
    db_close(db);
    return rc;
}

int cmd_verify(int argc, char **argv)
{
    const char *dbopt = NULL, *pos[1];
    int npos;
    struct cli_opt opts[] = {{"db", &dbopt, NULL}};
    if (cli_parse("verify", argc, argv, opts, 1, pos, 0, &npos)) return CLI_USAGE;
    struct db *db = cli_open(cli_db_target(dbopt), 0);
    if (!db) return CLI_FAIL;
    struct buf msg;
    buf_init(&msg, 1 << 16); /* a line or two about the first broken chain */
    int rc = event_verify(db, &msg);
    if (rc == 0)
        printf("ok: %s\n", buf_cstr(&msg));
    else if (rc == 1)
        fprintf(stderr, "luoshi verify: BROKEN: %s\n", buf_cstr(&msg));
    else
        fprintf(stderr, "luoshi verify: cannot read events: %s\n", db_errmsg(db));
    /* the issued notices' chain is checked too, whatever the events' state */
    buf_reset(&msg);
    int nrc = notice_verify(db, &msg);
    if (nrc == 0)
        printf("ok: %s\n", buf_cstr(&msg));
    else if (nrc == 1)
        fprintf(stderr, "luoshi verify: BROKEN: %s\n", buf_cstr(&msg));
    else
        fprintf(stderr, "luoshi verify: cannot read notices: %s\n", db_errmsg(db));
    buf_free(&msg);
    db_close(db);
    return rc == 0 && nrc == 0 ? CLI_OK : CLI_FAIL;
}

int cmd_backup(int argc, char **argv)
{
    const char *dbopt = NULL, *pos[1];
    int npos;
    struct cli_opt opts[] = {{"db", &dbopt, NULL}};
    if (cli_parse("backup", argc, argv, opts, 1, pos, 1, &npos)) return CLI_USAGE;
    if (npos != 1) {
        fprintf(stderr, "luoshi backup: name the file to write: luoshi backup [--db DB] FILE\n");
        return CLI_USAGE;
    }
    FILE *f = fopen(pos[0], "r");
    if (f) {
        fclose(f);
        fprintf(stderr, "luoshi backup: %s already exists; choose a new file\n", pos[0]);
        return CLI_FAIL;
    }
    struct db *db = cli_open(cli_db_target(dbopt), 0);
    if (!db) return CLI_FAIL;
    char err[512];
    int rc = db_backup(db, pos[0], err, sizeof err);
    db_close(db);
    if (rc != DB_OK) {
        fprintf(stderr, "luoshi backup: %s\n", err);
        return CLI_FAIL;
    }
    printf("backed up to %s\n", pos[0]);
    return CLI_OK;
}
