/* apikey.c — luoshi apikey add|list|revoke: Open311 API keys from the
 * command line.  The key itself is printed once, by add; only its hash is
 * kept (core/apikey.h). */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/apikey.h"

static int apikey_add_cmd(int argc, char **argv)
{
    const char *dbopt = NULL, *name = NULL, *pos[1];
    int npos;
    struct cli_opt opts[] = {{"db", &dbopt, NULL}, {"name", &name, NULL}};
    if (cli_parse("apikey add", argc, argv, opts, 2, pos, 0, &npos)) return CLI_USAGE;
    if (!name) {
        fprintf(stderr, "luoshi apikey add: needs --name NAME\n");
        return CLI_USAGE;
    }
    struct db *db = cli_open(cli_db_target(dbopt), 0);
    if (!db) return CLI_FAIL;
    char key[APIKEY_LEN + 1];
    int64_t id = 0;
    struct err e = {0};
    int rc = CLI_OK;
    if (db_begin(db) != DB_OK || apikey_create(db, cli_actor(), name, key, &id, &e)) {
        db_rollback(db);
        fprintf(stderr, "luoshi apikey add: %s\n", e.message[0] ? e.message : db_errmsg(db));
        rc = e.status == 422 ? CLI_USAGE : CLI_FAIL;
    } else if (db_commit(db) != DB_OK) {
        fprintf(stderr, "luoshi apikey add: cannot commit: %s\n", db_errmsg(db));
        rc = CLI_FAIL;
    } else {
        printf("%s\n", key);
        fprintf(stderr, "api key %lld '%s' created; it is shown only now\n", (long long)id, name);
    }
    db_close(db);
    return rc;
}

static int apikey_list_cmd(int argc, char **argv)
{
    const char *dbopt = NULL, *pos[1];
    int npos;
    struct cli_opt opts[] = {{"db", &dbopt, NULL}};
    if (cli_parse("apikey list", argc, argv, opts, 1, pos, 0, &npos)) return CLI_USAGE;
    struct db *db = cli_open(cli_db_target(dbopt), 0);
    if (!db) return CLI_FAIL;
    struct err e = {0};
    json_t *v = apikey_list_json(db, &e);
    db_close(db);
    if (!v) {
        fprintf(stderr, "luoshi apikey list: %s\n", e.message);
        return CLI_FAIL;
    }
    size_t i;
    json_t *k;
    json_array_foreach(json_object_get(v, "api_keys"), i, k)
        printf("%-4lld %-30s %s%s\n", (long long)json_integer_value(json_object_get(k, "id")),
               json_string_value(json_object_get(k, "name")),
               json_string_value(json_object_get(k, "created_at")),
               json_is_true(json_object_get(k, "revoked")) ? "  revoked" : "");
    json_decref(v);
    return CLI_OK;
}

static int apikey_revoke_cmd(int argc, char **argv)
{
    const char *dbopt = NULL, *name = NULL, *pos[1];
    int npos;
    struct cli_opt opts[] = {{"db", &dbopt, NULL}, {"name", &name, NULL}};
    if (cli_parse("apikey revoke", argc, argv, opts, 2, pos, 0, &npos)) return CLI_USAGE;
    if (!name) {
        fprintf(stderr, "luoshi apikey revoke: needs --name NAME\n");
        return CLI_USAGE;
    }
    struct db *db = cli_open(cli_db_target(dbopt), 0);
    if (!db) return CLI_FAIL;
    struct err e = {0};
    int rc = db_begin(db) != DB_OK ? err_db(&e, DB_ERR, "starting")
                                   : apikey_revoke(db, cli_actor(), name, &e);
    if (rc < 0 || (rc > 0 && db_commit(db) != DB_OK)) {
        db_rollback(db);
        fprintf(stderr, "luoshi apikey revoke: %s\n", e.message[0] ? e.message : db_errmsg(db));
        rc = -1;
    } else if (!rc) {
        db_rollback(db);
        fprintf(stderr, "luoshi apikey revoke: no key named '%s'\n", name);
    } else {
        printf("api key '%s' revoked\n", name);
    }
    db_close(db);
    return rc < 0 ? CLI_FAIL : rc ? CLI_OK : CLI_USAGE;
}

int cmd_apikey(int argc, char **argv)
{
    const char *sub = argc > 0 ? argv[0] : "";
    if (!strcmp(sub, "add")) return apikey_add_cmd(argc - 1, argv + 1);
    if (!strcmp(sub, "list")) return apikey_list_cmd(argc - 1, argv + 1);
    if (!strcmp(sub, "revoke")) return apikey_revoke_cmd(argc - 1, argv + 1);
    fprintf(stderr, "luoshi apikey: say add, list or revoke (see luoshi apikey --help)\n");
    return CLI_USAGE;
}
