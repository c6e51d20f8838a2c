/* admin_cmds.c — luoshi user … and luoshi unit …: accounts and the unit tree
 * from the command line.  Each write is one transaction. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/review.h"
#include "core/unit.h"
#include "core/user.h"

static int tx_done(struct db *db, int failed, struct err *e, const char *cmd)
{
    if (failed) {
        db_rollback(db);
        fprintf(stderr, "luoshi %s: %s\n", cmd, e->message);
        return e->status == 422 ? CLI_USAGE : CLI_FAIL;
    }
    if (db_commit(db) != DB_OK) {
        fprintf(stderr, "luoshi %s: cannot commit: %s\n", cmd, db_errmsg(db));
        return CLI_FAIL;
    }
    return CLI_OK;
}

static int user_add_cmd(int argc, char **argv)
{
    const char *dbopt = NULL, *username = NULL, *unit = NULL, *role = NULL, *name = "", *pos[1];
    int pwstdin = 0, npos;
    struct cli_opt opts[] = {{"db", &dbopt, NULL},  {"username", &username, NULL},
                             {"unit", &unit, NULL}, {"role", &role, NULL},
                             {"name", &name, NULL}, {"password-stdin", NULL, &pwstdin}};
    if (cli_parse("user add", argc, argv, opts, 6, pos, 0, &npos)) return CLI_USAGE;
    if (!username || !unit || !role || !pwstdin) {
        fprintf(stderr, "luoshi user add: needs --username U --unit CODE --role ROLE[,ROLE…]"
                        " --password-stdin\n");
        return CLI_USAGE;
    }
    unsigned roles = role_parse(role);
    if (!roles) {
        fprintf(stderr,
                "luoshi user add: unknown role in '%s' (admin, supervisor, leader,"
                " handler, reporter, applicant, head)\n",
                role);
        return CLI_USAGE;
    }
    char pw[300], hash[USER_HASH_MAX];
    struct err e = {0};
    if (cli_read_password(pw, sizeof pw)) return CLI_USAGE;
    if (user_password_ok(pw, username, NULL, 1, &e)) {
        fprintf(stderr, "luoshi user add: %s\n", e.message);
        return CLI_USAGE;
    }
    if (user_hash_password(pw, hash)) {
        fprintf(stderr, "luoshi user add: out of memory hashing the password\n");
        return CLI_FAIL;
    }
    struct db *db = cli_open(cli_db_target(dbopt), 0);
    if (!db) return CLI_FAIL;
    int64_t id = 0;
    int rc = db_begin(db) != DB_OK
                 ? err_db(&e, DB_ERR, "starting")
                 : user_add(db, cli_actor(), username, name, unit, roles, hash, &id, &e);
    rc = tx_done(db, rc != 0, &e, "user add");
    if (rc == CLI_OK) printf("user %s added (id %lld)\n", username, (long long)id);
    db_close(db);
    return rc;
}

static int user_change_cmd(const char *what, int argc, char **argv)
{
    const char *dbopt = NULL, *username = NULL, *pos[1];
    int pwstdin = 0, npos, is_passwd = strcmp(what, "passwd") == 0;
    struct cli_opt opts[] = {
        {"db", &dbopt, NULL}, {"username", &username, NULL}, {"password-stdin", NULL, &pwstdin}};
    char cmd[32];
    snprintf(cmd, sizeof cmd, "user %s", what);
    if (cli_parse(cmd, argc, argv, opts, is_passwd ? 3 : 2, pos, 0, &npos)) return CLI_USAGE;
    if (!username || (is_passwd && !pwstdin)) {
        fprintf(stderr, "luoshi %s: needs --username U%s\n", cmd,
                is_passwd ? " --password-stdin" : "");
        return CLI_USAGE;
    }
    char pw[300], hash[USER_HASH_MAX];
    struct err e = {0};
    if (is_passwd) {
        if (cli_read_password(pw, sizeof pw)) return CLI_USAGE;
        if (user_password_ok(pw, username, NULL, 1, &e)) {
            fprintf(stderr, "luoshi %s: %s\n", cmd, e.message);
            return CLI_USAGE;
        }
        user_hash_password(pw, hash);
    }
    struct db *db = cli_open(cli_db_target(dbopt), 0);
    if (!db) return CLI_FAIL;
    int rc = db_begin(db) != DB_OK ? err_db(&e, DB_ERR, "starting")
             : is_passwd           ? user_set_password(db, cli_actor(), username, hash, &e)
                                   : user_set_disabled(db, cli_actor(), username, 1, &e);
    rc = tx_done(db, rc != 0, &e, cmd);
    if (rc == CLI_OK)
        printf("user %s %s\n", username, is_passwd ? "has a new password" : "disabled");
    db_close(db);
    return rc;
}

static int list_cmd(const char *cmd, int argc, char **argv,
                    json_t *(*fn)(struct db *, struct err *))
{
    const char *dbopt = NULL, *pos[1];
    int npos, as_json = 0;
    struct cli_opt opts[] = {{"db", &dbopt, NULL}, {"json", NULL, &as_json}};
    if (cli_parse(cmd, argc, argv, opts, 2, pos, 0, &npos)) return CLI_USAGE;
    struct db *db = cli_open(cli_db_target(dbopt), 0);
    if (!db) return CLI_FAIL;
    struct err e = {0};
    json_t *v = fn(db, &e);
    db_close(db);
    if (!v) {
        fprintf(stderr, "luoshi %s: %s\n", cmd, e.message);
        return CLI_FAIL;
    }
    if (as_json) {
        json_dumpf(v, stdout, JSON_INDENT(2));
        putchar('\n');
    } else {
        json_t *rows = json_object_get(v, strcmp(cmd, "unit list") == 0 ? "units" : "users");
        size_t i;
        json_t *row;
        json_array_foreach(rows, i, row)
        {
            if (strcmp(cmd, "unit list") == 0)
                printf("%-16s %-10s %s\n", json_string_value(json_object_get(row, "code")),
                       json_string_value(json_object_get(row, "kind")),
                       json_string_value(json_object_get(row, "name")));
            else
                printf("%-16s %-12s %s%s\n", json_string_value(json_object_get(row, "username")),
                       json_string_value(json_object_get(row, "unit_code")),
                       json_string_value(json_array_get(json_object_get(row, "roles"), 0)),
                       json_is_true(json_object_get(row, "disabled")) ? " (disabled)" : "");
        }
    }
    json_decref(v);
    return CLI_OK;
}

int cmd_user(int argc, char **argv)
{
    const char *sub = argc > 0 ? argv[0] : "";
    if (!strcmp(sub, "add")) return user_add_cmd(argc - 1, argv + 1);
    if (!strcmp(sub, "list")) return list_cmd("user list", argc - 1, argv + 1, user_list_json);
    if (!strcmp(sub, "passwd") || !strcmp(sub, "disable"))
        return user_change_cmd(sub, argc - 1, argv + 1);
    if (!strcmp(sub, "prefs")) return user_prefs_cmd(argc - 1, argv + 1);
    fprintf(stderr,
            "luoshi user: say add, list, passwd, disable or prefs (see luoshi user --help)\n");
    return CLI_USAGE;
}

static int unit_add_cmd(int argc, char **argv)
{
    const char *dbopt = NULL, *code = NULL, *name = NULL, *kind = NULL, *parent = NULL, *pos[1];
    int npos;
    struct cli_opt opts[] = {{"db", &dbopt, NULL},
                             {"code", &code, NULL},
                             {"name", &name, NULL},
                             {"kind", &kind, NULL},
                             {"parent", &parent, NULL}};
    if (cli_parse("unit add", argc, argv, opts, 5, pos, 0, &npos)) return CLI_USAGE;
    if (!code || !name || !kind) {
        fprintf(stderr, "luoshi unit add: needs --code CODE --name NAME --kind KIND\n");
        return CLI_USAGE;
    }
    struct db *db = cli_open(cli_db_target(dbopt), 0);
    if (!db) return CLI_FAIL;
    struct err e = {0};
    int64_t id = 0;
    int rc = db_begin(db) != DB_OK ? err_db(&e, DB_ERR, "starting")
                                   : unit_add(db, cli_actor(), code, name, kind, parent, &id, &e);
    rc = tx_done(db, rc != 0, &e, "unit add");
    if (rc == CLI_OK) printf("unit %s added (id %lld)\n", code, (long long)id);
    db_close(db);
    return rc;
}

/* luoshi unit review --code CODE --on|--off: the unit's review before it
 * reports (core/review.h), as the system. */
static int unit_review_cmd(int argc, char **argv)
{
    const char *dbopt = NULL, *code = NULL, *pos[1];
    int npos, on = 0, off = 0;
    struct cli_opt opts[] = {
        {"db", &dbopt, NULL}, {"code", &code, NULL}, {"on", NULL, &on}, {"off", NULL, &off}};
    if (cli_parse("unit review", argc, argv, opts, 4, pos, 0, &npos)) return CLI_USAGE;
    if (!code || on == off) {
        fprintf(stderr, "luoshi unit review: needs --code CODE and one of --on, --off\n");
        return CLI_USAGE;
    }
    struct db *db = cli_open(cli_db_target(dbopt), 0);
    if (!db) return CLI_FAIL;
    struct err e = {0};
    int64_t id = unit_id_by_code(db, code);
    int rc;
    if (id <= 0) {
        fprintf(stderr, "luoshi unit review: no unit with code %s\n", code);
        rc = CLI_FAIL;
    } else {
        rc = db_begin(db) != DB_OK ? err_db(&e, DB_ERR, "starting")
                                   : review_unit_set(db, cli_actor(), id, on, &e);
        rc = tx_done(db, rc != 0, &e, "unit review");
    }
    if (rc == CLI_OK) printf("unit %s: review %s\n", code, on ? "on" : "off");
    db_close(db);
    return rc;
}

int cmd_unit(int argc, char **argv)
{
    const char *sub = argc > 0 ? argv[0] : "";
    if (!strcmp(sub, "add")) return unit_add_cmd(argc - 1, argv + 1);
    if (!strcmp(sub, "list")) return list_cmd("unit list", argc - 1, argv + 1, unit_list_json);
    if (!strcmp(sub, "review")) return unit_review_cmd(argc - 1, argv + 1);
    fprintf(stderr, "luoshi unit: say add, list or review (see luoshi unit --help)\n");
    return CLI_USAGE;
}
