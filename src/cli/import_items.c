/* import_items.c — luoshi import items FILE [--dry-run] [--json]: a
 * 任务分解表 (.xlsx or CSV) into items, as POST /api/v1/imports does
 * (core/import.h).
 *
 * Every row's problems are printed (row, column, field, code, the cell's
 * text) and nothing is stored while there is one (exit 1).  Otherwise a dry
 * run prints each row with its parent row and lead unit, and without
 * --dry-run the items are created in one transaction as the command line's
 * actor.  --json prints the API's JSON instead of text. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/import.h"
#include "util/file.h"

/* The plan as text, or its JSON. */
static void plan_print(const struct import_plan *p, int json, int64_t import_id)
{
    if (json) {
        json_t *v = import_plan_json(p);
        if (import_id) json_object_set_new(v, "import_id", json_integer(import_id));
        json_dumpf(v, stdout, JSON_INDENT(2));
        printf("\n");
        json_decref(v);
        return;
    }
    printf("%s (%s, SHA-256 %s): %zu rows under the header in row %zu, %zu problems\n", p->name,
           p->format, p->sha256, p->n, p->header_row, p->n_problems);
    for (size_t i = 0; i < p->n_problems; i++) {
        const struct import_problem *x = &p->problems[i];
        char col[4];
        import_column_name(p, x->field, col);
        printf("row %zu column %s (%s): %s%s%s\n", x->row, *col ? col : "-",
               import_field_name(x->field), x->code, *x->value ? ": " : "", x->value);
    }
    for (size_t i = 0; !p->n_problems && i < p->n; i++) {
        const struct import_row *r = &p->rows[i];
        printf("row %zu: %s%s%s", r->row, r->cell[IMPORT_OUTLINE],
               *r->cell[IMPORT_OUTLINE] ? " " : "", r->cell[IMPORT_TITLE]);
        if (r->parent >= 0) printf(" (under row %zu)", p->rows[r->parent].row);
        printf(", lead unit #%lld%s%s", (long long)r->in.lead_unit_id,
               r->in.deadline ? ", deadline " : "", r->in.deadline ? r->in.deadline : "");
        if (r->item_id) printf(" → item #%lld", (long long)r->item_id);
        printf("\n");
    }
}

/* Store p in one transaction.  0, or -1 after printing why. */
static int plan_store(struct db *db, struct import_plan *p, int64_t *id)
{
    struct err e = {0};
    int rc = db_begin(db) != DB_OK ? err_db(&e, DB_ERR, "starting")
                                   : import_store(db, cli_actor(), p, id, &e);
    if (rc || db_commit(db) != DB_OK) {
        db_rollback(db);
        fprintf(stderr, "luoshi import items: not stored: %s\n", rc ? e.message : db_errmsg(db));
        return -1;
    }
    return 0;
}

int cli_import_items(int argc, char **argv)
{
    const char *dbopt = NULL, *pos[1];
    int dry = 0, json = 0, npos, rc = CLI_FAIL;
    struct cli_opt opts[] = {{"db", &dbopt, NULL}, {"dry-run", NULL, &dry}, {"json", NULL, &json}};
    if (cli_parse("import items", argc, argv, opts, 3, pos, 1, &npos)) return CLI_USAGE;
    if (npos != 1) {
        fprintf(stderr, "luoshi import items: name the file: luoshi import items FILE"
                        " [--dry-run] [--json]\n");
        return CLI_USAGE;
    }
    struct buf data;
    struct err e = {0};
    struct import_plan p = {0};
    int64_t id = 0;
    buf_init(&data, (size_t)64 * 1024 * 1024);
    if (file_read(pos[0], 0, &data, &e)) {
        fprintf(stderr, "luoshi import items: %s\n", e.message);
        buf_free(&data);
        return CLI_FAIL;
    }
    const char *slash = strrchr(pos[0], '/');
    struct db *db = cli_open(cli_db_target(dbopt), 0);
    if (!db) goto out;
    if (import_plan_read(db, data.data ? data.data : "", data.len, slash ? slash + 1 : pos[0], &p,
                         &e)) {
        fprintf(stderr, "luoshi import items: %s: %s (%s)\n", pos[0], e.message, e.code);
        goto out;
    }
    if (!p.n_problems && !dry && plan_store(db, &p, &id)) goto out;
    plan_print(&p, json, id);
    if (!p.n_problems && !dry && !json)
        printf("imported %zu items (import #%lld)\n", p.n, (long long)id);
    rc = p.n_problems ? CLI_FAIL : CLI_OK;
out:
    import_plan_free(&p);
    db_close(db);
    buf_free(&data);
    return rc;
}
