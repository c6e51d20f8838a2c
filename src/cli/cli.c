/* cli.c — shared command-line helpers: option parsing, the database target,
 * opening with a schema check, reading a password from stdin. */
#include "cli/cli.h"

#include <jansson.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/config_chain.h"
#include "core/kind.h"
#include "util/utf8.h"

int cli_parse(const char *cmd, int argc, char **argv, const struct cli_opt *opts, int nopts,
              const char **pos, int maxpos, int *npos)
{
    *npos = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (strncmp(a, "--", 2) != 0 || a[2] == '\0') {
            if (*npos == maxpos) {
                fprintf(stderr, "luoshi %s: unexpected argument '%s' (see --help)\n", cmd, a);
                return CLI_USAGE;
            }
            pos[(*npos)++] = a;
            continue;
        }
        const char *eq = strchr(a, '=');
        size_t n = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
        const struct cli_opt *o = NULL;
        for (int k = 0; k < nopts; k++)
            if (strlen(opts[k].name) == n && strncmp(opts[k].name, a + 2, n) == 0) o = &opts[k];
        if (!o) {
            fprintf(stderr, "luoshi %s: unknown option '%s' (see --help)\n", cmd, a);
            return CLI_USAGE;
        }
        if (o->flag) {
            if (eq) {
                fprintf(stderr, "luoshi %s: --%s takes no value\n", cmd, o->name);
                return CLI_USAGE;
            }
            *o->flag = 1;
        } else if (eq) {
            *o->value = eq + 1;
        } else if (i + 1 < argc) {
            *o->value = argv[++i];
        } else {
            fprintf(stderr, "luoshi %s: --%s needs a value\n", cmd, o->name);
            return CLI_USAGE;
        }
    }
    return 0;
}

const char *cli_db_target(const char *opt)
{
    if (opt && *opt) return opt;
    const char *env = getenv("LUOSHI_DB");
    return env && *env ? env : "./luoshi.db";
}

/* After the migrations, in one transaction: the configuration chain's
 * baseline or upgrade event, and the kinds' upgrade hooks when this process
 * took an older database past CONFIG_CHAIN_SCHEMA.  A db code (e set). */
static int after_migrate(struct db *db, json_t *before, int have, int applied, struct err *e)
{
    int rc = db_begin(db);
    if (rc == DB_OK && config_chain_upgrade(db, applied ? before : NULL, db_schema_version(db), e))
        rc = e->status == 503 ? DB_RETRY : DB_ERR;
    /* an older database's rows that its events never vouched for (photos) */
    if (rc == DB_OK && applied && have > 0 && have < CONFIG_CHAIN_SCHEMA && kind_upgrade_all(db, e))
        rc = DB_ERR;
    if (rc == DB_OK) rc = db_commit(db);
    if (rc != DB_OK) db_rollback(db);
    return rc;
}

int cli_migrate(struct db *db, int *applied, char *err, size_t errlen)
{
    int have = db_schema_version(db);
    json_t *before = have >= CONFIG_CHAIN_SCHEMA ? config_snapshot_at(db, have) : NULL;
    int rc = db_migrate(db, applied, err, errlen);
    struct err e = {0};
    if (rc != DB_OK) { /* err says why */
        json_decref(before);
        return rc;
    }
    /* instances starting at once: one writes the baseline, the others retry and find it */
    for (int tries = 0; rc == DB_OK && tries < 5; tries++) {
        memset(&e, 0, sizeof e);
        rc = after_migrate(db, before, have, *applied, &e);
        if (rc == DB_RETRY && tries < 4)
            rc = DB_OK;
        else
            break;
    }
    json_decref(before);
    if (rc != DB_OK)
        snprintf(err, errlen, "recording the configuration: %s",
                 e.status ? e.message : db_errmsg(db));
    return rc;
}

struct db *cli_open(const char *target, int migrate)
{
    char err[512];
    struct db *db = db_open(target, 0, err, sizeof err);
    if (!db) {
        fprintf(stderr, "luoshi: %s\n", err);
        return NULL;
    }
    int have = db_schema_version(db), known = db_schema_known(db_kind(db));
    char shown[512]; /* the target without a password */
    db_target_display(target, shown, sizeof shown);
    if (have < 0) {
        fprintf(stderr, "luoshi: cannot read the schema of %s: %s\n", shown, db_errmsg(db));
        goto fail;
    }
    if (have > known) {
        fprintf(stderr,
                "luoshi: %s has schema version %d but this luoshi knows only up to %d;"
                " use a newer luoshi\n",
                shown, have, known);
        goto fail;
    }
    if (have < known) {
        int applied;
        if (!migrate) {
            fprintf(stderr,
                    "luoshi: %s has schema version %d, older than this luoshi (%d);"
                    " run `luoshi init` to upgrade it\n",
                    shown, have, known);
            goto fail;
        }
        if (cli_migrate(db, &applied, err, sizeof err) != DB_OK) {
            fprintf(stderr, "luoshi: %s\n", err);
            goto fail;
        }
    }
    return db;
fail:
    db_close(db);
    return NULL;
}

const struct actor *cli_actor(void)
{
    static char name[80];
    static struct actor a = {0, name, 0, ROLE_ALL};
    if (!name[0]) {
        struct passwd *pw = getpwuid(geteuid());
        snprintf(name, sizeof name, "cli:%.60s", pw && pw->pw_name ? pw->pw_name : "unknown");
        utf8_sanitize(name); /* it names events: their canonical JSON needs text */
    }
    return &a;
}

int cli_read_password(char *out, size_t outlen)
{
    if (!fgets(out, (int)outlen, stdin)) {
        fprintf(stderr, "luoshi: no password on standard input\n");
        return -1;
    }
    size_t n = strlen(out);
    if (n && out[n - 1] == '\n') out[--n] = '\0';
    if (n && out[n - 1] == '\r') out[--n] = '\0';
    if (n == outlen - 1) {
        fprintf(stderr, "luoshi: password too long\n");
        return -1;
    }
    return 0;
}
