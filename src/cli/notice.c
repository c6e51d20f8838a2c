/* notice.c — `luoshi notice`: a supervision notice (督查通报) for a period
 * and scope written as html, xlsx, csv, json or pdf to a file or stdout.  The
 * figures and outputs are src/notice/'s; this is options and files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "notice/issue.h"
#include "notice/notice.h"
#include "notice/scope.h"
#include "util/time.h"

static int write_out(const char *path, const struct buf *b)
{
    FILE *fp = path ? fopen(path, "wb") : stdout;
    if (!fp) {
        fprintf(stderr, "luoshi notice: cannot write %s\n", path);
        return CLI_FAIL;
    }
    int bad = b->len && fwrite(b->data, 1, b->len, fp) != b->len;
    if (path)
        bad |= fclose(fp) != 0;
    else
        bad |= fflush(fp) != 0;
    if (bad) fprintf(stderr, "luoshi notice: writing %s failed\n", path ? path : "stdout");
    return bad ? CLI_FAIL : CLI_OK;
}

/* Render n in format into out; 0 or -1 with e. */
static int render(const struct notice *n, int k, struct buf *out, struct err *e)
{
    char today[11];
    date_format(time_today(), today);
    int rc = 0;
    if (k == 0) {
        json_t *j = notice_json(n, NULL);
        char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        buf_puts(out, s);
        buf_putc(out, '\n');
        free(s);
        json_decref(j);
    } else if (k == 1) {
        rc = notice_html(n, NULL, today, out);
    } else if (k == 2) {
        rc = notice_csv(n, NULL, out);
    } else if (k == 3) {
        rc = notice_xlsx(n, NULL, out, e);
    } else {
        rc = notice_pdf(n, NULL, today, out, e);
    }
    if ((rc || out->err) && !e->status)
        return err_set(e, 413, "too_large", "the notice is larger than %zu bytes", out->max);
    return rc;
}

int cmd_notice(int argc, char **argv)
{
    const char *dbopt = NULL, *from = NULL, *to = NULL, *unit = NULL, *format = NULL, *out = NULL;
    const char *campaign = NULL, *meeting = NULL, *plan = NULL;
    const char *pos[2];
    int npos;
    struct cli_opt opts[] = {
        {"db", &dbopt, NULL},          {"from", &from, NULL},       {"to", &to, NULL},
        {"unit", &unit, NULL},         {"format", &format, NULL},   {"output", &out, NULL},
        {"campaign", &campaign, NULL}, {"meeting", &meeting, NULL}, {"plan", &plan, NULL}};
    if (cli_parse("notice", argc, argv, opts, 9, pos, 2, &npos)) return CLI_USAGE;
    if (npos == 2 && !strcmp(pos[0], "-o") && !out) {
        out = pos[1];
    } else if (npos) {
        fprintf(stderr, "luoshi notice: unexpected argument '%s' (see --help)\n", pos[0]);
        return CLI_USAGE;
    }
    int k = notice_format_index(format);
    if (k < 0) {
        fprintf(stderr, "luoshi notice: --format must be html, xlsx, csv, json or pdf\n");
        return CLI_USAGE;
    }
    struct notice_params p;
    struct err e = {0};
    if (notice_params_parse(from, to, unit, &p, &e)) {
        fprintf(stderr, "luoshi notice: %s (use --from and --to)\n", e.message);
        return CLI_USAGE;
    }
    if (notice_params_scope(&p, campaign, meeting, plan, &e)) {
        fprintf(stderr, "luoshi notice: %s\n", e.message);
        return CLI_USAGE;
    }
    struct db *db = cli_open(cli_db_target(dbopt), 0);
    if (!db) return CLI_FAIL;
    struct notice n;
    struct buf b;
    buf_init(&b, NOTICE_OUTPUT_MAX);
    int rc = CLI_FAIL;
    if (notice_compute(db, &p, &n, &e) || render(&n, k, &b, &e))
        fprintf(stderr, "luoshi notice: %s\n", e.message);
    else
        rc = write_out(out, &b);
    notice_free(&n);
    buf_free(&b);
    db_close(db);
    return rc;
}
