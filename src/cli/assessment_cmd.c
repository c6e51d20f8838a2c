/* assessment_cmd.c — the 考核 from the command line: luoshi assessment
 * show|add|withdraw|rules.  Each is the same core call the page and the API
 * make (core/assessment.h), as the command line's actor (cli_actor), so an
 * entry records "cli:LOGIN" and a rule change is an event of the
 * configuration chain. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/assessment.h"
#include "core/unit.h"
#include "notice/assessment_export.h"
#include "util/buf.h"
#include "util/str.h"
#include "util/time.h"

/* --year (default this year) into *year; 0, or -1 after printing. */
static int year_opt(const char *cmd, const char *s, int *year)
{
    int y, m, d;
    date_split(time_today(), &y, &m, &d);
    int64_t v = y;
    if (s && (str_to_int64(s, strlen(s), &v) || v < 2000 || v > 9998)) {
        fprintf(stderr, "luoshi assessment %s: --year must be from 2000 to 9998\n", cmd);
        return -1;
    }
    *year = (int)v;
    return 0;
}

/* Commit, or roll back and say why.  CLI_OK, CLI_USAGE (4xx) or CLI_FAIL. */
static int finish(struct db *db, int failed, struct err *e, const char *cmd)
{
    if (failed) {
        db_rollback(db);
        fprintf(stderr, "luoshi assessment %s: %s\n", cmd, e->message);
        return e->status >= 400 && e->status < 500 ? CLI_USAGE : CLI_FAIL;
    }
    if (db_commit(db) != DB_OK) {
        fprintf(stderr, "luoshi assessment %s: cannot commit: %s\n", cmd, db_errmsg(db));
        return CLI_FAIL;
    }
    return CLI_OK;
}

static void print_text(json_t *v)
{
    size_t i;
    json_t *u;
    json_array_foreach(json_object_get(v, "units"), i, u)
        printf("%-3lld %-12s %8g  %s\n", (long long)json_integer_value(json_object_get(u, "rank")),
               json_string_value(json_object_get(u, "unit_code")),
               json_number_value(json_object_get(u, "score")),
               json_string_value(json_object_get(u, "unit_name")));
}

/* --period and --n into w for year; 0, or -1 after printing. */
static int window_opt(const char *period, const char *ns, int year, struct assessment_window *w)
{
    int64_t n = 0;
    struct err e = {0};
    if ((ns && (str_to_int64(ns, strlen(ns), &n) || n < 1 || n > 12)) ||
        assessment_window_set(w, year, period, (int)n, &e)) {
        fprintf(stderr, "luoshi assessment show: %s\n",
                e.status ? e.message : "--n must be a month (1-12) or a quarter (1-4)");
        return -1;
    }
    return 0;
}

static int show_cmd(int argc, char **argv)
{
    const char *dbopt = NULL, *ys = NULL, *code = NULL, *format = NULL, *period = NULL, *ns = NULL,
               *pos[1];
    int npos, year;
    struct assessment_window w;
    struct cli_opt opts[] = {{"db", &dbopt, NULL},      {"year", &ys, NULL},
                             {"unit", &code, NULL},     {"format", &format, NULL},
                             {"period", &period, NULL}, {"n", &ns, NULL}};
    if (cli_parse("assessment show", argc, argv, opts, 6, pos, 0, &npos) ||
        year_opt("show", ys, &year) || window_opt(period, ns, year, &w))
        return CLI_USAGE;
    if (format && strcmp(format, "text") && strcmp(format, "json") && strcmp(format, "csv")) {
        fprintf(stderr, "luoshi assessment show: --format is text, json or csv\n");
        return CLI_USAGE;
    }
    struct db *db = cli_open(cli_db_target(dbopt), 0);
    if (!db) return CLI_FAIL;
    int64_t unit = code ? unit_id_by_code(db, code) : 0;
    struct err e = {0};
    json_t *v =
        unit < 0 || (code && !unit) ? NULL : assessment_window_json(db, cli_actor(), &w, unit, &e);
    db_close(db);
    if (!v) {
        fprintf(stderr, "luoshi assessment show: %s\n",
                code && unit <= 0 ? "no such unit" : e.message);
        return code && !unit ? CLI_USAGE : CLI_FAIL;
    }
    if (format && !strcmp(format, "json")) {
        json_dumpf(v, stdout, JSON_INDENT(2));
        putchar('\n');
    } else if (format && !strcmp(format, "csv")) {
        struct buf b;
        buf_init(&b, 64u << 20);
        assessment_export_csv(v, &b);
        fwrite(buf_cstr(&b), 1, b.len, stdout);
        buf_free(&b);
    } else {
        print_text(v);
    }
    json_decref(v);
    return CLI_OK;
}

/* Run one entry body (stolen) as the command line's actor; prints the id. */
static int entry_write(const char *cmd, const char *dbopt, json_t *body)
{
    struct db *db = cli_open(cli_db_target(dbopt), 0);
    if (!db) {
        json_decref(body);
        return CLI_FAIL;
    }
    struct err e = {0};
    int64_t id = 0;
    int failed = db_begin(db) != DB_OK ? err_db(&e, DB_ERR, "starting") : 0;
    if (!failed) failed = assessment_entry_add(db, cli_actor(), body, &id, &e);
    int rc = finish(db, failed != 0, &e, cmd);
    if (rc == CLI_OK) printf("entry %lld\n", (long long)id);
    db_close(db);
    json_decref(body);
    return rc;
}

/* A number option into body (as text when it is not one, so core names it). */
static void number_opt(json_t *body, const char *name, const char *s, int integer)
{
    double d;
    int64_t n;
    if (!s) return;
    if (integer && !str_to_int64(s, strlen(s), &n))
        json_object_set_new(body, name, json_integer(n));
    else if (!integer && !str_to_double(s, strlen(s), &d))
        json_object_set_new(body, name, json_real(d));
    else
        json_object_set_new(body, name, json_string(s));
}

static int add_cmd(int argc, char **argv)
{
    const char *dbopt = NULL, *code = NULL, *points = NULL, *reason = NULL, *kind = NULL,
               *item = NULL, *ys = NULL, *evidence = NULL, *pos[1];
    int npos;
    struct cli_opt opts[] = {{"db", &dbopt, NULL},      {"unit", &code, NULL},
                             {"points", &points, NULL}, {"reason", &reason, NULL},
                             {"kind", &kind, NULL},     {"item", &item, NULL},
                             {"year", &ys, NULL},       {"evidence", &evidence, NULL}};
    if (cli_parse("assessment add", argc, argv, opts, 8, pos, 0, &npos)) return CLI_USAGE;
    if (!code || !reason) {
        fprintf(stderr, "luoshi assessment add: needs --unit CODE and --reason TEXT\n");
        return CLI_USAGE;
    }
    struct db *db = cli_open(cli_db_target(dbopt), 0);
    if (!db) return CLI_FAIL;
    int64_t unit = unit_id_by_code(db, code);
    db_close(db);
    if (unit <= 0) {
        fprintf(stderr, "luoshi assessment add: no unit with code '%s'\n", code);
        return CLI_USAGE;
    }
    json_t *body = json_pack("{s:I,s:s}", "unit_id", (json_int_t)unit, "reason", reason);
    if (kind) json_object_set_new(body, "kind", json_string(kind));
    if (evidence) json_object_set_new(body, "evidence", json_string(evidence));
    number_opt(body, "points", points, 0);
    number_opt(body, "item_id", item, 1);
    number_opt(body, "year", ys, 1);
    return entry_write("add", dbopt, body);
}

static int withdraw_cmd(int argc, char **argv)
{
    const char *dbopt = NULL, *entry = NULL, *reason = NULL, *pos[1];
    int npos;
    struct cli_opt opts[] = {
        {"db", &dbopt, NULL}, {"entry", &entry, NULL}, {"reason", &reason, NULL}};
    if (cli_parse("assessment withdraw", argc, argv, opts, 3, pos, 0, &npos)) return CLI_USAGE;
    if (!entry || !reason) {
        fprintf(stderr, "luoshi assessment withdraw: needs --entry ID and --reason TEXT\n");
        return CLI_USAGE;
    }
    json_t *body = json_pack("{s:s}", "reason", reason);
    number_opt(body, "withdraws", entry, 1);
    return entry_write("withdraw", dbopt, body);
}

/* --set RULE=POINTS as rules_set's object; NULL after printing. */
static json_t *rule_set_opt(const char *set)
{
    const char *eq = set ? strchr(set, '=') : NULL;
    int64_t n;
    if (!eq || eq == set || str_to_int64(eq + 1, strlen(eq + 1), &n)) {
        fprintf(stderr, "luoshi assessment rules: --set takes RULE=POINTS\n");
        return NULL;
    }
    json_t *v = json_object();
    char name[64];
    snprintf(name, sizeof name, "%.*s", (int)(eq - set), set);
    json_object_set_new(v, name, json_integer(n));
    return v;
}

static int rules_cmd(int argc, char **argv)
{
    const char *dbopt = NULL, *ys = NULL, *set = NULL, *pos[1];
    int npos, year;
    struct cli_opt opts[] = {{"db", &dbopt, NULL}, {"year", &ys, NULL}, {"set", &set, NULL}};
    if (cli_parse("assessment rules", argc, argv, opts, 3, pos, 0, &npos) ||
        year_opt("rules", ys, &year))
        return CLI_USAGE;
    json_t *values = set ? rule_set_opt(set) : NULL;
    if (set && !values) return CLI_USAGE;
    struct db *db = cli_open(cli_db_target(dbopt), 0);
    if (!db) {
        json_decref(values);
        return CLI_FAIL;
    }
    struct err e = {0};
    int rc = CLI_OK;
    if (values) {
        int failed = db_begin(db) != DB_OK ? err_db(&e, DB_ERR, "starting") : 0;
        if (!failed) failed = assessment_rules_set(db, cli_actor(), year, values, &e);
        rc = finish(db, failed != 0, &e, "rules");
        json_decref(values);
    }
    json_t *v = rc == CLI_OK ? assessment_rules_json(db, year, &e) : NULL;
    if (v) {
        json_dumpf(v, stdout, JSON_INDENT(2));
        putchar('\n');
        json_decref(v);
    } else if (rc == CLI_OK) {
        fprintf(stderr, "luoshi assessment rules: %s\n", e.message);
        rc = CLI_FAIL;
    }
    db_close(db);
    return rc;
}

int cmd_assessment(int argc, char **argv)
{
    const char *sub = argc > 0 ? argv[0] : "";
    if (!strcmp(sub, "show")) return show_cmd(argc - 1, argv + 1);
    if (!strcmp(sub, "add")) return add_cmd(argc - 1, argv + 1);
    if (!strcmp(sub, "withdraw")) return withdraw_cmd(argc - 1, argv + 1);
    if (!strcmp(sub, "rules")) return rules_cmd(argc - 1, argv + 1);
    fprintf(stderr,
            "luoshi assessment: say show, add, withdraw or rules (see luoshi assessment --help)\n");
    return CLI_USAGE;
}
