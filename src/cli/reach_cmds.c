/* reach_cmds.c — reaching people from the command line: the delivery
 * channels (luoshi channel list|set), the outbox (luoshi outbox list|retry)
 * and a user's preferences (luoshi user prefs).
 *
 * Each change is the same core call the admin pages and the API make, as
 * the command line's actor (cli_actor), so the channels' changes are events
 * of the configuration chain.  A secret is read from standard input
 * (--secret-stdin), never from the command line where `ps` would show it,
 * and never printed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/channel.h"
#include "core/outbox.h"
#include "core/prefs.h"
#include "core/user.h"
#include "util/str.h"

/* Commit, or roll back and say why.  CLI_OK, CLI_USAGE (422) or CLI_FAIL. */
static int finish(struct db *db, int failed, struct err *e, const char *cmd)
{
    if (failed) {
        db_rollback(db);
        fprintf(stderr, "luoshi %s: %s\n", cmd, e->message);
        return e->status == 422 || e->status == 404 ? CLI_USAGE : CLI_FAIL;
    }
    if (db_commit(db) != DB_OK) {
        fprintf(stderr, "luoshi %s: cannot commit: %s\n", cmd, db_errmsg(db));
        return CLI_FAIL;
    }
    return CLI_OK;
}

static void print_json(json_t *v)
{
    json_dumpf(v, stdout, JSON_INDENT(2));
    putchar('\n');
}

/* ---- channel ---- */

static int channel_list_cmd(int argc, char **argv)
{
    const char *dbopt = NULL, *pos[1];
    int npos, as_json = 0;
    struct cli_opt opts[] = {{"db", &dbopt, NULL}, {"json", NULL, &as_json}};
    if (cli_parse("channel list", argc, argv, opts, 2, pos, 0, &npos)) return CLI_USAGE;
    struct db *db = cli_open(cli_db_target(dbopt), 0);
    if (!db) return CLI_FAIL;
    struct err e = {0};
    char base[512] = "";
    json_t *v = channel_list_json(db, &e);
    if (v && channel_base_url(db, base, sizeof base) == DB_OK)
        json_object_set_new(v, "base_url", json_string(base));
    db_close(db);
    if (!v) {
        fprintf(stderr, "luoshi channel list: %s\n", e.message);
        return CLI_FAIL;
    }
    if (as_json) {
        print_json(v);
    } else {
        size_t i;
        json_t *c;
        printf("base url: %s\n", base[0] ? base : "(none: links are paths)");
        json_array_foreach(json_object_get(v, "channels"), i, c)
            printf("%-9s %-3s %s%s\n", json_string_value(json_object_get(c, "name")),
                   json_is_true(json_object_get(c, "enabled")) ? "on" : "off",
                   json_string_value(json_object_get(c, "url")),
                   json_is_true(json_object_get(c, "secret_set")) ? "  (secret set)" : "");
    }
    json_decref(v);
    return CLI_OK;
}

/* The options of `channel set` as channel_set's object; -1 after printing. */
static int channel_body(const char *const vals[5], const char *enabled, int secret_stdin, int clear,
                        json_t *body)
{
    static const char *const names[] = {"url", "username", "sender", "tls"};
    for (size_t k = 0; k < 4; k++)
        if (vals[k]) json_object_set_new(body, names[k], json_string(vals[k]));
    if (enabled) {
        if (strcmp(enabled, "yes") && strcmp(enabled, "no")) {
            fprintf(stderr, "luoshi channel set: --enabled takes yes or no\n");
            return -1;
        }
        json_object_set_new(body, "enabled", json_boolean(!strcmp(enabled, "yes")));
    }
    char secret[512];
    if (secret_stdin) {
        if (cli_read_password(secret, sizeof secret)) return -1;
        json_object_set_new(body, "secret", json_string(secret));
    } else if (clear) {
        json_object_set_new(body, "secret", json_string(""));
    }
    return 0;
}

static int channel_set_cmd(int argc, char **argv)
{
    const char *dbopt = NULL, *name = NULL, *enabled = NULL, *base = NULL, *pos[1];
    const char *vals[5] = {NULL}; /* url, username, sender, tls */
    int npos, secret_stdin = 0, clear = 0;
    struct cli_opt opts[] = {{"db", &dbopt, NULL},           {"name", &name, NULL},
                             {"enabled", &enabled, NULL},    {"url", &vals[0], NULL},
                             {"username", &vals[1], NULL},   {"sender", &vals[2], NULL},
                             {"tls", &vals[3], NULL},        {"secret-stdin", NULL, &secret_stdin},
                             {"clear-secret", NULL, &clear}, {"base-url", &base, NULL}};
    if (cli_parse("channel set", argc, argv, opts, 10, pos, 0, &npos)) return CLI_USAGE;
    if (!name && !base) {
        fprintf(stderr, "luoshi channel set: needs --name email|webhook|dingtalk, or --base-url\n");
        return CLI_USAGE;
    }
    json_t *body = json_object();
    if (name && channel_body(vals, enabled, secret_stdin, clear, body)) {
        json_decref(body);
        return CLI_USAGE;
    }
    struct db *db = cli_open(cli_db_target(dbopt), 0);
    int rc = CLI_FAIL;
    if (db) {
        struct err e = {0};
        int failed = db_begin(db) != DB_OK ? err_db(&e, DB_ERR, "starting") : 0;
        if (!failed && base) failed = channel_base_url_set(db, cli_actor(), base, &e);
        if (!failed && name) failed = channel_set(db, cli_actor(), name, body, &e);
        rc = finish(db, failed != 0, &e, "channel set");
        if (rc == CLI_OK) printf("%s set\n", name ? name : "base url");
        db_close(db);
    }
    json_decref(body);
    return rc;
}

int cmd_channel(int argc, char **argv)
{
    const char *sub = argc > 0 ? argv[0] : "";
    if (!strcmp(sub, "list")) return channel_list_cmd(argc - 1, argv + 1);
    if (!strcmp(sub, "set")) return channel_set_cmd(argc - 1, argv + 1);
    fprintf(stderr, "luoshi channel: say list or set (see luoshi channel --help)\n");
    return CLI_USAGE;
}

/* ---- outbox ---- */

static int outbox_list_cmd(int argc, char **argv)
{
    const char *dbopt = NULL, *status = NULL, *pos[1];
    int npos, as_json = 0;
    struct cli_opt opts[] = {
        {"db", &dbopt, NULL}, {"status", &status, NULL}, {"json", NULL, &as_json}};
    if (cli_parse("outbox list", argc, argv, opts, 3, pos, 0, &npos)) return CLI_USAGE;
    struct db *db = cli_open(cli_db_target(dbopt), 0);
    if (!db) return CLI_FAIL;
    struct err e = {0};
    json_t *v = outbox_list_json(db, status, 0, 500, &e);
    db_close(db);
    if (!v) {
        fprintf(stderr, "luoshi outbox list: %s\n", e.message);
        return e.status == 422 ? CLI_USAGE : CLI_FAIL;
    }
    if (as_json) {
        print_json(v);
    } else {
        json_t *n = json_object_get(v, "counts"), *x;
        size_t i;
        printf("pending %lld, dead %lld\n",
               (long long)json_integer_value(json_object_get(n, "pending")),
               (long long)json_integer_value(json_object_get(n, "dead")));
        json_array_foreach(json_object_get(v, "rows"), i, x)
            printf("%-6lld %-7s %-8s %-3lld %s  %s\n",
                   (long long)json_integer_value(json_object_get(x, "id")),
                   json_string_value(json_object_get(x, "status")),
                   json_string_value(json_object_get(x, "channel")),
                   (long long)json_integer_value(json_object_get(x, "attempts")),
                   json_string_value(json_object_get(x, "subject")),
                   json_string_value(json_object_get(x, "last_error")));
    }
    json_decref(v);
    return CLI_OK;
}

static int outbox_retry_cmd(int argc, char **argv)
{
    const char *dbopt = NULL, *id = NULL, *pos[1];
    int npos, dead = 0;
    int64_t n = 0;
    struct cli_opt opts[] = {{"db", &dbopt, NULL}, {"id", &id, NULL}, {"dead", NULL, &dead}};
    if (cli_parse("outbox retry", argc, argv, opts, 3, pos, 0, &npos)) return CLI_USAGE;
    if (!dead == !id || (id && (str_to_int64(id, strlen(id), &n) || n <= 0))) {
        fprintf(stderr, "luoshi outbox retry: needs --id N or --dead\n");
        return CLI_USAGE;
    }
    struct db *db = cli_open(cli_db_target(dbopt), 0);
    if (!db) return CLI_FAIL;
    struct err e = {0};
    int64_t count = 1;
    int failed = db_begin(db) != DB_OK ? err_db(&e, DB_ERR, "starting")
                 : dead                ? outbox_retry_dead(db, &count, &e)
                                       : outbox_retry(db, n, &e);
    int rc = finish(db, failed != 0, &e, "outbox retry");
    if (rc == CLI_OK) printf("%lld to deliver again\n", (long long)count);
    db_close(db);
    return rc;
}

int cmd_outbox(int argc, char **argv)
{
    const char *sub = argc > 0 ? argv[0] : "";
    if (!strcmp(sub, "list")) return outbox_list_cmd(argc - 1, argv + 1);
    if (!strcmp(sub, "retry")) return outbox_retry_cmd(argc - 1, argv + 1);
    fprintf(stderr, "luoshi outbox: say list or retry (see luoshi outbox --help)\n");
    return CLI_USAGE;
}

/* ---- user prefs ---- */

/* A comma-separated list as a JSON array ("*" stays the string). */
static json_t *list_json(const char *csv)
{
    if (!strcmp(csv, "*")) return json_string("*");
    json_t *a = json_array();
    while (*csv) {
        const char *comma = strchr(csv, ',');
        size_t n = comma ? (size_t)(comma - csv) : strlen(csv);
        if (n) json_array_append_new(a, json_stringn(csv, n));
        csv += n + (comma != NULL);
    }
    return a;
}

/* --quiet HH:MM-HH:MM, or off. */
static json_t *quiet_json(const char *q)
{
    if (!strcmp(q, "off")) return json_null();
    const char *dash = strchr(q, '-');
    if (!dash) return json_pack("{s:s}", "start", q); /* core refuses it in its words */
    return json_pack("{s:s#,s:s}", "start", q, (int)(dash - q), "end", dash + 1);
}

int user_prefs_cmd(int argc, char **argv)
{
    const char *dbopt = NULL, *username = NULL, *pos[1];
    const char *email = NULL, *mobile = NULL, *chans = NULL, *events = NULL, *quiet = NULL,
               *digest = NULL;
    int npos;
    struct cli_opt opts[] = {{"db", &dbopt, NULL},       {"username", &username, NULL},
                             {"email", &email, NULL},    {"mobile", &mobile, NULL},
                             {"channels", &chans, NULL}, {"events", &events, NULL},
                             {"quiet", &quiet, NULL},    {"digest", &digest, NULL}};
    if (cli_parse("user prefs", argc, argv, opts, 8, pos, 0, &npos)) return CLI_USAGE;
    if (!username) {
        fprintf(stderr, "luoshi user prefs: needs --username U\n");
        return CLI_USAGE;
    }
    json_t *body = json_object();
    if (email) json_object_set_new(body, "email", json_string(email));
    if (mobile) json_object_set_new(body, "mobile", json_string(mobile));
    if (chans) json_object_set_new(body, "channels", list_json(chans));
    if (events) json_object_set_new(body, "events", list_json(events));
    if (quiet) json_object_set_new(body, "quiet_hours", quiet_json(quiet));
    if (digest) json_object_set_new(body, "digest", json_boolean(!strcmp(digest, "yes")));
    struct db *db = cli_open(cli_db_target(dbopt), 0);
    int rc = CLI_FAIL;
    struct user_row u;
    if (db && user_find(db, username, &u) != 1) {
        fprintf(stderr, "luoshi user prefs: no user '%s'\n", username);
        rc = CLI_USAGE;
    } else if (db) {
        struct err e = {0};
        int failed = 0;
        if (json_object_size(body))
            failed = db_begin(db) != DB_OK ? err_db(&e, DB_ERR, "starting")
                                           : prefs_set(db, u.id, body, &e);
        rc = json_object_size(body) ? finish(db, failed != 0, &e, "user prefs") : CLI_OK;
        json_t *now = rc == CLI_OK ? prefs_json(db, u.id, &e) : NULL;
        if (now) print_json(now);
        json_decref(now);
    }
    db_close(db);
    json_decref(body);
    return rc;
}
