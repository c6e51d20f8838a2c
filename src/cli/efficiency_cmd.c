/* efficiency_cmd.c — the 亩均效益评价 from the command line: luoshi
 * efficiency register|parcel|enterprise|data|config|evaluate|publish|
 * finalize|results|objections|decide.  Each is the core call the API
 * makes (core/efficiency.h) as the command line's actor (cli_actor), so a
 * config change is an event of the configuration chain by "cli:LOGIN";
 * JSON answers print as the API's do. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/efficiency.h"
#include "notice/efficiency_export.h"
#include "util/buf.h"
#include "util/file.h"
#include "util/str.h"

/* What one subcommand was given. */
struct eff_args {
    const char *db, *year, *unit, *credit, *industry, *number, *area, *use, *set, *format, *id,
        *decision, *reason, *data, *pos[1];
    int dry, npos, y;
};

static int parse(const char *cmd, int argc, char **argv, struct eff_args *x)
{
    char name[64];
    struct cli_opt opts[] = {{"db", &x->db, NULL},
                             {"year", &x->year, NULL},
                             {"unit", &x->unit, NULL},
                             {"credit-code", &x->credit, NULL},
                             {"industry", &x->industry, NULL},
                             {"number", &x->number, NULL},
                             {"area", &x->area, NULL},
                             {"use", &x->use, NULL},
                             {"set", &x->set, NULL},
                             {"format", &x->format, NULL},
                             {"objection", &x->id, NULL},
                             {"decision", &x->decision, NULL},
                             {"reason", &x->reason, NULL},
                             {"data", &x->data, NULL},
                             {"dry-run", NULL, &x->dry}};
    int64_t y = 0;
    memset(x, 0, sizeof *x);
    snprintf(name, sizeof name, "efficiency %s", cmd);
    if (cli_parse(name, argc, argv, opts, (int)(sizeof opts / sizeof opts[0]), x->pos, 1, &x->npos))
        return -1;
    if (x->year && (str_to_int64(x->year, strlen(x->year), &y) || y < 2000 || y > 9998)) {
        fprintf(stderr, "luoshi efficiency %s: --year must be from 2000 to 9998\n", cmd);
        return -1;
    }
    x->y = (int)y;
    return 0;
}

static void print_json(json_t *v)
{
    json_dumpf(v, stdout, JSON_INDENT(2) | JSON_SORT_KEYS);
    putchar('\n');
    json_decref(v);
}

/* Print v (stolen), or e's message; CLI_OK, CLI_USAGE (4xx) or CLI_FAIL. */
static int answer(const char *cmd, json_t *v, struct err *e)
{
    if (v) {
        print_json(v);
        return CLI_OK;
    }
    fprintf(stderr, "luoshi efficiency %s: %s\n", cmd, e->message);
    return e->status >= 400 && e->status < 500 ? CLI_USAGE : CLI_FAIL;
}

/* One write in a transaction: fn(db, x, e) then commit; CLI codes. */
static int write_tx(const char *cmd, struct eff_args *x,
                    int (*fn)(struct db *db, struct eff_args *x, struct err *e))
{
    struct db *db = cli_open(cli_db_target(x->db), 0);
    if (!db) return CLI_FAIL;
    struct err e = {0};
    int failed = db_begin(db) != DB_OK ? err_db(&e, DB_ERR, "starting") : fn(db, x, &e);
    if (!failed && db_commit(db) != DB_OK) failed = err_db(&e, DB_ERR, "committing");
    if (failed) db_rollback(db);
    db_close(db);
    return failed ? answer(cmd, NULL, &e) : CLI_OK;
}

static int register_fn(struct db *db, struct eff_args *x, struct err *e)
{
    return efficiency_enterprise_register(db, x->unit, x->credit, x->industry, e);
}

static int parcel_fn(struct db *db, struct eff_args *x, struct err *e)
{
    double area = -1;
    if (!x->area || str_to_double(x->area, strlen(x->area), &area))
        return err_set(e, 422, "invalid_field", "--area takes the parcel's 亩");
    return efficiency_parcel_set(db, x->unit, x->number, area, x->use, e);
}

static int config_fn(struct db *db, struct eff_args *x, struct err *e)
{
    json_t *v = json_loads(x->set, 0, NULL);
    if (!v) return err_set(e, 422, "invalid_field", "--set takes the config as JSON");
    int rc = efficiency_config_set(db, cli_actor(), x->y, v, e);
    json_decref(v);
    return rc;
}

static const char *step_name;

static int step_fn(struct db *db, struct eff_args *x, struct err *e)
{
    return efficiency_step(db, cli_actor(), x->y, step_name, e);
}

static int decide_fn(struct db *db, struct eff_args *x, struct err *e)
{
    int64_t id = 0;
    json_t *data = x->data ? json_loads(x->data, 0, NULL) : NULL;
    if ((x->data && !data) || !x->id || str_to_int64(x->id, strlen(x->id), &id))
        return json_decref(data),
               err_set(e, 422, "invalid_field", "needs --objection ID (and --data as JSON)");
    json_t *body = json_pack("{s:s,s:s}", "decision", x->decision ? x->decision : "", "reason",
                             x->reason ? x->reason : "");
    if (data) json_object_set_new(body, "data", data);
    int rc = efficiency_objection_decide(db, cli_actor(), id, body, &x->y, e);
    json_decref(body);
    return rc;
}

/* The results (format json or csv) or the objections, read. */
static int read_cmd(const char *cmd, struct eff_args *x)
{
    struct db *db = cli_open(cli_db_target(x->db), 0);
    if (!db) return CLI_FAIL;
    struct err e = {0};
    json_t *v = !strcmp(cmd, "objections")   ? efficiency_objections_json(db, cli_actor(), x->y, &e)
                : !strcmp(cmd, "config")     ? efficiency_config_get_json(db, x->y, &e)
                : !strcmp(cmd, "enterprise") ? efficiency_enterprise_json(db, x->unit, &e)
                                             : efficiency_results_json(db, cli_actor(), x->y, &e);
    if (v && !strcmp(cmd, "finalize"))
        json_object_set_new(v, "remediation", efficiency_remediation_json(db, (int)x->y, v));
    db_close(db);
    if (v && x->format && !strcmp(x->format, "csv")) {
        struct buf b;
        buf_init(&b, 256u << 20);
        efficiency_export_csv(v, &b);
        fwrite(buf_cstr(&b), 1, b.len, stdout);
        buf_free(&b);
        json_decref(v);
        return CLI_OK;
    }
    return answer(cmd, v, &e);
}

/* luoshi efficiency data --year Y FILE [--dry-run]. */
static int data_cmd(struct eff_args *x)
{
    struct buf file;
    struct err e = {0};
    struct eff_plan *p = NULL;
    buf_init(&file, 64u << 20);
    if (!x->npos || file_read(x->pos[0], 0, &file, &e)) {
        fprintf(stderr, "luoshi efficiency data: %s\n", x->npos ? e.message : "name the FILE");
        buf_free(&file);
        return CLI_USAGE;
    }
    struct db *db = cli_open(cli_db_target(x->db), 0);
    int rc = CLI_FAIL;
    if (db && !efficiency_plan_read(db, file.data, file.len, &p, &e)) {
        json_t *v = efficiency_plan_json(p);
        int bad = json_array_size(json_object_get(v, "problems")) > 0, failed = 0;
        if (!x->dry && !bad) {
            failed = db_begin(db) != DB_OK ? err_db(&e, DB_ERR, "starting")
                                           : efficiency_plan_store(db, cli_actor(), x->y, p, &e);
            if (!failed && db_commit(db) != DB_OK) failed = err_db(&e, DB_ERR, "committing");
            if (failed) db_rollback(db);
        }
        json_object_set_new(v, "dry_run", json_boolean(x->dry || bad));
        rc = failed ? answer("data", NULL, &e) : (print_json(v), bad ? CLI_FAIL : CLI_OK);
        if (failed) json_decref(v);
    } else if (db) {
        rc = answer("data", NULL, &e);
    }
    efficiency_plan_free(p);
    if (db) db_close(db);
    buf_free(&file);
    return rc;
}

int cmd_efficiency(int argc, char **argv)
{
    const char *sub = argc > 0 ? argv[0] : "";
    static const char *const steps[] = {"evaluate", "publish", "finalize"};
    struct eff_args x;
    if (parse(sub, argc - (argc > 0), argv + (argc > 0), &x)) return CLI_USAGE;
    if (strcmp(sub, "register") && strcmp(sub, "parcel") && strcmp(sub, "enterprise") &&
        strcmp(sub, "decide") && !x.y) {
        fprintf(stderr, "luoshi efficiency %s: needs --year YYYY\n", sub);
        return CLI_USAGE;
    }
    if (!strcmp(sub, "register")) return write_tx(sub, &x, register_fn);
    if (!strcmp(sub, "parcel")) return write_tx(sub, &x, parcel_fn);
    if (!strcmp(sub, "data")) return data_cmd(&x);
    if (!strcmp(sub, "config") && x.set && write_tx(sub, &x, config_fn)) return CLI_USAGE;
    if (!strcmp(sub, "decide")) return write_tx(sub, &x, decide_fn);
    for (size_t i = 0; i < 3; i++)
        if (!strcmp(sub, steps[i])) {
            step_name = steps[i];
            int rc = write_tx(sub, &x, step_fn);
            return rc ? rc : read_cmd(sub, &x);
        }
    if (!strcmp(sub, "config") || !strcmp(sub, "results") || !strcmp(sub, "objections") ||
        !strcmp(sub, "enterprise"))
        return read_cmd(sub, &x);
    fprintf(stderr, "luoshi efficiency: say register, parcel, enterprise, data, config, evaluate,"
                    " publish, finalize, results, objections or decide (see --help)\n");
    return CLI_USAGE;
}
