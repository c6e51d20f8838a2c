/* import.c — luoshi import meeting FILE: a meeting report → the meeting and
 * its draft items; the demo city's seed meeting; and luoshi keyword, the
 * keyword → unit table the suggestions come from.
 *
 * FILE may be a .docx, a .pdf or text in UTF-8, UTF-16 or GB18030: its bytes
 * say which (core/meeting.c's meeting_source_read, English messages).  The
 * text goes through intake (src/intake/) with the database's keyword →
 * unit table; what it found is printed (as text, or as the JSON of
 * POST /api/v1/intake); without --dry-run the meeting and one draft item per
 * directive, with the suggested units and deadline, are stored in one
 * transaction by core/meeting.c.  Choosing among directives is the page's
 * job (/intake); the command takes them all. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "core/meeting.h"
#include "util/embedded.h"
#include "util/file.h"
#include "util/mem.h"
#include "util/time.h"

#define SEED_FILE "tests/intake/seed.txt"

static void print_date(const char *label, struct intake_date d)
{
    if (d.year) printf("%s%04d-%02d-%02d", label, d.year, d.month, d.day);
}

static void print_list(const char *label, char **v, size_t n)
{
    if (!n) return;
    printf("%s", label);
    for (size_t i = 0; i < n; i++)
        printf("%s%s", i ? "、" : "", v[i]);
    printf("\n");
}

/* The structure for a person: articles, meetings, directives. */
static void print_text(const struct intake_result *r)
{
    const char *enc = intake_encoding_name(r->source.encoding);
    printf("%zu paragraphs, %zu articles, %zu meetings, %zu directives\n", r->n_paragraphs,
           r->n_articles, r->n_meetings, r->n_directives);
    printf("read from: %s%s%s\n\n", intake_format_name(r->source.format), enc ? ", " : "",
           enc ? enc : "");
    for (size_t i = 0; i < r->n_articles; i++) {
        const struct intake_article *a = &r->articles[i];
        printf("article %zu: %s\n", i + 1, a->title ? a->title : "(no headline)");
        print_list("  subtitles: ", a->subtitles, a->n_subtitles);
        if (a->dateline || a->byline)
            printf("  %s%s%s\n", a->dateline ? a->dateline : "",
                   a->dateline && a->byline ? " · " : "", a->byline ? a->byline : "");
        printf("  paragraphs: %zu\n", a->n_paragraphs);
    }
    for (size_t i = 0; i < r->n_meetings; i++) {
        const struct intake_meeting *m = &r->meetings[i];
        printf("\nmeeting: %s", m->name);
        print_date(", ", m->date);
        if (m->chair) printf(", chaired by %s", m->chair);
        printf("\n");
        for (size_t k = 0; k < m->n_agenda; k++)
            printf("  - %s\n", m->agenda[k]);
    }
    printf("\ndirectives:\n");
    for (size_t i = 0; i < r->n_directives; i++) {
        const struct intake_directive *d = &r->directives[i];
        printf("%3zu. [paragraph %zu] %s\n", i, d->paragraph, d->text);
        print_list("     units: ", d->units, d->n_units);
        print_list("     suggested units: ", d->suggested_units, d->n_suggested_units);
        print_date("     deadline: ", d->deadline);
        printf("%s     kind: %s\n", d->deadline.year ? "\n" : "", intake_kind_name(d->kind));
    }
}

/* Store the meeting and a draft for every directive, in one transaction. */
static int store_all(struct db *db, const struct intake_result *res, int64_t *meeting_id,
                     int64_t *ids, struct err *e)
{
    struct actor system = {0, "system", 0, ROLE_ADMIN};
    struct arena *a = arena_new();
    struct meeting_draft *drafts = xcalloc(res->n_directives + 1, sizeof *drafts);
    int rc = 0;
    for (size_t i = 0; i < res->n_directives && !rc; i++)
        rc = meeting_draft_suggest(db, res, i, a, &drafts[i], e);
    if (!rc) rc = meeting_store(db, &system, res, drafts, res->n_directives, meeting_id, ids, e);
    free(drafts);
    arena_free(a);
    return rc;
}

/* Without a database file, a dry run suggests from the built-in table. */
static int db_missing(const char *target)
{
    struct stat st;
    return !db_target_is_pg(target) && stat(target, &st) != 0;
}

static int intake_builtin(const char *data, size_t len, struct intake_result *res, struct err *e)
{
    struct intake_options opt = {0};
    size_t bad = 0;
    date_split(time_today(), &opt.today.year, &opt.today.month, &opt.today.day);
    int rc = intake_run(data, len, &opt, res, &bad);
    if (rc == INTAKE_EUTF8)
        return err_set(e, 400, "invalid_utf8", "the text is not valid UTF-8 at byte %zu", bad);
    if (rc) return err_set(e, 413, "text_too_long", "the text is too long");
    return 0;
}

static int stored(struct db *db, struct intake_result *res, int json, json_t *out)
{
    struct err e = {0};
    int64_t mid = 0, *ids = xcalloc(res->n_directives + 1, sizeof *ids);
    int rc =
        db_begin(db) != DB_OK ? err_db(&e, DB_ERR, "starting") : store_all(db, res, &mid, ids, &e);
    if (rc || db_commit(db) != DB_OK) {
        db_rollback(db);
        fprintf(stderr, "luoshi import: not stored: %s\n", rc ? e.message : db_errmsg(db));
        free(ids);
        return CLI_FAIL;
    }
    if (json) {
        json_t *a = json_array();
        for (size_t i = 0; i < res->n_directives; i++)
            json_array_append_new(a, json_integer(ids[i]));
        json_object_set_new(out, "meeting_id", json_integer(mid));
        json_object_set_new(out, "item_ids", a);
    } else {
        printf("\nstored meeting %lld with %zu draft items", (long long)mid, res->n_directives);
        if (res->n_directives)
            printf(" (#%lld–#%lld)", (long long)ids[0], (long long)ids[res->n_directives - 1]);
        printf("\n");
    }
    free(ids);
    return CLI_OK;
}

static int import_meeting(int argc, char **argv)
{
    const char *dbopt = NULL, *pos[1];
    int dry = 0, json = 0, npos, rc = CLI_FAIL;
    struct cli_opt opts[] = {{"db", &dbopt, NULL}, {"dry-run", NULL, &dry}, {"json", NULL, &json}};
    if (cli_parse("import meeting", argc, argv, opts, 3, pos, 1, &npos)) return CLI_USAGE;
    if (npos != 1) {
        fprintf(stderr, "luoshi import meeting: name the file: luoshi import meeting FILE"
                        " [--dry-run] [--json]\n");
        return CLI_USAGE;
    }
    const char *target = cli_db_target(dbopt);
    struct buf text;
    struct err e = {0};
    buf_init(&text, INTAKE_MAX_LEN);
    if (file_read(pos[0], 0, &text, &e)) {
        fprintf(stderr, "luoshi import: %s\n", e.message);
        buf_free(&text);
        return CLI_FAIL;
    }
    struct intake_source src = {0};
    int want_db = !dry || !db_missing(target);
    struct db *db = NULL;
    struct intake_result res = {0};
    if (meeting_source_read(buf_cstr(&text), text.len, 0, 1, &src, &e)) {
        fprintf(stderr, "luoshi import: %s: %s\n", pos[0], e.message);
        goto out;
    }
    if (want_db && !(db = cli_open(target, 0))) goto out;
    if (db ? meeting_intake(db, src.text, src.len, 0, &res, &e)
           : intake_builtin(src.text, src.len, &res, &e)) {
        fprintf(stderr, "luoshi import: %s: %s\n", pos[0], e.message);
        goto out;
    }
    res.source.format = src.format;
    res.source.encoding = src.encoding;
    json_t *out = json ? intake_result_to_json(&res) : NULL;
    if (!json) print_text(&res);
    rc = dry ? CLI_OK : stored(db, &res, json, out);
    if (json && rc == CLI_OK) {
        json_dumpf(out, stdout, JSON_INDENT(2));
        printf("\n");
    }
    json_decref(out);
out:
    intake_result_free(&res);
    intake_source_free(&src);
    db_close(db);
    buf_free(&text);
    return rc;
}

int cmd_import(int argc, char **argv)
{
    const char *sub = argc > 0 ? argv[0] : "";
    if (!strcmp(sub, "meeting")) return import_meeting(argc - 1, argv + 1);
    if (!strcmp(sub, "items")) return cli_import_items(argc - 1, argv + 1);
    fprintf(stderr, "luoshi import: say what to import: luoshi import meeting FILE or luoshi"
                    " import items FILE (see luoshi import --help)\n");
    return CLI_USAGE;
}

int import_seed_meeting(struct db *db, struct err *e)
{
    const struct embedded_file *f = embedded_find(SEED_FILE);
    int added;
    if (!f) return err_set(e, 500, "no_seed", "the binary carries no %s", SEED_FILE);
    if (meeting_rules_seed(db, cli_actor(), &added, e)) return -1;
    struct intake_result res;
    if (meeting_intake(db, (const char *)f->data, f->len, 0, &res, e)) return -1;
    int64_t mid, *ids = xcalloc(res.n_directives + 1, sizeof *ids);
    int rc = store_all(db, &res, &mid, ids, e);
    free(ids);
    intake_result_free(&res);
    return rc;
}

static int keyword_list(int argc, char **argv)
{
    const char *dbopt = NULL, *pos[1];
    int npos, as_json = 0;
    struct cli_opt opts[] = {{"db", &dbopt, NULL}, {"json", NULL, &as_json}};
    if (cli_parse("keyword list", argc, argv, opts, 2, pos, 0, &npos)) return CLI_USAGE;
    struct db *db = cli_open(cli_db_target(dbopt), 0);
    if (!db) return CLI_FAIL;
    struct err e = {0};
    json_t *v = meeting_rules_json(db, &e);
    db_close(db);
    if (!v) {
        fprintf(stderr, "luoshi keyword list: %s\n", e.message);
        return CLI_FAIL;
    }
    if (as_json) {
        json_dumpf(v, stdout, JSON_INDENT(2));
        putchar('\n');
    } else {
        size_t i;
        json_t *row;
        json_array_foreach(json_object_get(v, "rules"), i, row)
        {
            printf("%-12s %-10s %s\n", json_string_value(json_object_get(row, "keyword")),
                   json_string_value(json_object_get(row, "unit_code")),
                   json_string_value(json_object_get(row, "unit_name")));
        }
    }
    json_decref(v);
    return CLI_OK;
}

/* luoshi keyword add|remove --keyword K --unit CODE, in one transaction. */
static int keyword_change(const char *sub, int argc, char **argv)
{
    const char *dbopt = NULL, *keyword = NULL, *unit = NULL, *pos[1];
    int npos;
    char cmd[32];
    snprintf(cmd, sizeof cmd, "keyword %s", sub);
    struct cli_opt opts[] = {
        {"db", &dbopt, NULL}, {"keyword", &keyword, NULL}, {"unit", &unit, NULL}};
    if (cli_parse(cmd, argc, argv, opts, 3, pos, 0, &npos)) return CLI_USAGE;
    if (!keyword || !unit) {
        fprintf(stderr, "luoshi %s: needs --keyword K --unit CODE\n", cmd);
        return CLI_USAGE;
    }
    struct db *db = cli_open(cli_db_target(dbopt), 0);
    if (!db) return CLI_FAIL;
    struct err e = {0};
    int64_t id = 0;
    int rc = db_begin(db) != DB_OK ? err_db(&e, DB_ERR, "starting")
             : !strcmp(sub, "add") ? meeting_rule_add(db, cli_actor(), keyword, unit, &id, &e)
                                   : meeting_rule_remove(db, cli_actor(), keyword, unit, &e);
    if (rc || db_commit(db) != DB_OK) {
        db_rollback(db);
        fprintf(stderr, "luoshi %s: %s\n", cmd, rc ? e.message : db_errmsg(db));
        db_close(db);
        return rc && (e.status == 422 || e.status == 404) ? CLI_USAGE : CLI_FAIL;
    }
    db_close(db);
    printf("%s: %s → %s\n", !strcmp(sub, "add") ? "added" : "removed", keyword, unit);
    return CLI_OK;
}

int cmd_keyword(int argc, char **argv)
{
    const char *sub = argc > 0 ? argv[0] : "";
    if (!strcmp(sub, "list")) return keyword_list(argc - 1, argv + 1);
    if (!strcmp(sub, "add") || !strcmp(sub, "remove"))
        return keyword_change(sub, argc - 1, argv + 1);
    fprintf(stderr, "luoshi keyword: say list, add or remove (see luoshi keyword --help)\n");
    return CLI_USAGE;
}
