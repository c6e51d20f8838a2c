/* checkpoint_cmd.c — luoshi checkpoint: sign a checkpoint now, print the
 * latest one for publishing, or set how often the server signs one
 * (core/checkpoint.h; the key is keyfile.c's). */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/checkpoint.h"
#include "core/setting.h"
#include "util/str.h"

/* --export: the latest checkpoint as JSON on stdout. */
static int checkpoint_export(struct db *db)
{
    struct checkpoint c;
    int rc = checkpoint_latest(db, &c);
    if (rc < 0) {
        fprintf(stderr, "luoshi checkpoint: cannot read the checkpoints: %s\n", db_errmsg(db));
        return CLI_FAIL;
    }
    if (!rc) {
        fprintf(stderr, "luoshi checkpoint: there is no checkpoint yet\n");
        return CLI_FAIL;
    }
    json_t *o = checkpoint_json(&c);
    char *s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    printf("%s\n", s);
    free(s);
    json_decref(o);
    return CLI_OK;
}

/* --interval MINUTES: the scheduler's period, as a change of the configuration. */
static int checkpoint_interval(struct db *db, const char *minutes)
{
    int64_t m;
    if (str_to_int64(minutes, strlen(minutes), &m) || m < 0 || m > 1440) {
        fprintf(stderr, "luoshi checkpoint: --interval takes minutes from 0 (off) to 1440\n");
        return CLI_USAGE;
    }
    char text[24];
    snprintf(text, sizeof text, "%lld", (long long)m);
    struct err e = {0};
    if (db_begin(db) != DB_OK ||
        setting_write(db, cli_actor(), "checkpoint.interval_minutes", text, &e) ||
        db_commit(db) != DB_OK) {
        db_rollback(db);
        fprintf(stderr, "luoshi checkpoint: %s\n", e.message[0] ? e.message : db_errmsg(db));
        return CLI_FAIL;
    }
    if (m)
        printf("the server signs a checkpoint every %lld minutes when something changed\n",
               (long long)m);
    else
        printf("the server signs checkpoints only at issued notices\n");
    return CLI_OK;
}

/* Sign one now. */
static int checkpoint_now(struct db *db, const char *keyopt, const char *target)
{
    struct checkpoint_key k;
    char path[1024];
    int have = cli_signing_key(keyopt, target, &k, path, sizeof path);
    if (have <= 0) {
        if (!have)
            fprintf(stderr, "luoshi checkpoint: no signing key: give --key FILE or set"
                            " LUOSHI_KEY (`luoshi init` makes one beside a SQLite database)\n");
        return CLI_FAIL;
    }
    struct checkpoint c;
    struct err e = {0};
    int taken = 0;
    if (db_begin(db) != DB_OK || checkpoint_take(db, &k, "cli", 1, &c, &taken, &e) ||
        db_commit(db) != DB_OK) {
        db_rollback(db);
        fprintf(stderr, "luoshi checkpoint: %s\n", e.message[0] ? e.message : db_errmsg(db));
        sodium_memzero(&k, sizeof k);
        return CLI_FAIL;
    }
    sodium_memzero(&k, sizeof k);
    printf("checkpoint %lld: %lld items (tree size %lld), root %s, signed by key %s\n",
           (long long)c.seq, (long long)c.items, (long long)c.size, c.root, c.key_id);
    return CLI_OK;
}

int cmd_checkpoint(int argc, char **argv)
{
    const char *dbopt = NULL, *keyopt = NULL, *interval = NULL, *pos[1];
    int npos, export = 0;
    struct cli_opt opts[] = {{"db", &dbopt, NULL},
                             {"key", &keyopt, NULL},
                             {"export", NULL, &export},
                             {"interval", &interval, NULL}};
    if (cli_parse("checkpoint", argc, argv, opts, 4, pos, 0, &npos)) return CLI_USAGE;
    if (export && interval) {
        fprintf(stderr, "luoshi checkpoint: --export and --interval do not go together\n");
        return CLI_USAGE;
    }
    const char *target = cli_db_target(dbopt);
    struct db *db = cli_open(target, 0);
    if (!db) return CLI_FAIL;
    int rc = export     ? checkpoint_export(db)
             : interval ? checkpoint_interval(db, interval)
                        : checkpoint_now(db, keyopt, target);
    db_close(db);
    return rc;
}
