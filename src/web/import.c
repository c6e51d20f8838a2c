/* import.c — the import page (任务分解表导入): upload an .xlsx or CSV, see
 * every row as it would be imported with its problems by row and column,
 * then confirm; and the template download.  Works without JavaScript.
 *
 * GET /import is the upload form; POST /import with a file reads it
 * (core/import.h) and shows the preview: a table of the rows, each problem
 * under its row, and — only when there is none — a confirm form carrying
 * the file back as base64 in a hidden field with its SHA-256, so nothing is
 * kept between the two steps.  POST /import with `data` reads the same
 * bytes again (the check runs again: units may have changed) and stores
 * them in one write job, then goes to the list of imported items.  GET
 * /import/template.xlsx is notice/import_template.c's workbook. */
#include <stdlib.h>
#include <string.h>

#include "core/import.h"
#include "http/multipart.h"
#include "http/route.h"
#include "http/write.h"
#include "notice/import_template.h"
#include "util/str.h"
#include "web/page.h"
#include "web/web.h"

/* The upload form, with an error above it. */
static void import_form(struct req *r, int status, const char *error)
{
    struct buf *o = &r->out;
    layout_begin(r, T(r, "import.title"), NAV_NONE, NULL);
    html_printf(o, "<h1>%s</h1><section class=\"card form\">", T(r, "import.title"));
    if (error) html_printf(o, "<p class=\"alert\" role=\"alert\">%s</p>", error);
    html_printf(o,
                "<form method=\"post\" action=\"/import\" enctype=\"multipart/form-data\">"
                "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                "<label for=\"file\">%s</label>"
                "<input id=\"file\" name=\"file\" type=\"file\" required accept=\".xlsx,.csv,"
                "text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\">"
                "<p class=\"note\">%s <a href=\"/import/template.xlsx\">%s</a></p>"
                "<div class=\"buttons\"><button type=\"submit\" class=\"primary\">%s</button>"
                "</div></form></section>",
                r->session.csrf, T(r, "import.file"), T(r, "import.hint"), T(r, "import.template"),
                T(r, "import.preview"));
    layout_end(r, status);
}

void web_import_get(struct req *r)
{
    import_form(r, 200, NULL);
}

/* One row of the preview table, and its problems under it. */
static void preview_row(struct req *r, const struct import_plan *p, const struct import_row *x,
                        size_t *k)
{
    struct buf *o = &r->out;
    if (*k < p->n_problems && p->problems[*k].row == x->row) /* markup: never an escaped %s */
        html_raw(o, "<tr class=\"bad\">");
    else
        html_raw(o, "<tr>");
    html_printf(o, "<td>%zu</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td>", x->row,
                x->cell[IMPORT_OUTLINE], x->cell[IMPORT_TITLE], x->cell[IMPORT_LEAD],
                x->in.deadline ? x->in.deadline : x->cell[IMPORT_DEADLINE],
                i18n_label(r, "cycle", x->in.feedback_cycle));
    if (x->parent >= 0)
        html_printf(o, "<td>%zu</td><td>", p->rows[x->parent].row);
    else
        html_printf(o, "<td></td><td>");
    for (; *k < p->n_problems && p->problems[*k].row == x->row; (*k)++) {
        const struct import_problem *q = &p->problems[*k];
        char col[4];
        import_column_name(p, q->field, col);
        html_printf(o, "<span class=\"problem\" data-code=\"%s\">%s%s %s%s%s</span> ", q->code,
                    T(r, "import.column"), *col ? col : "-", i18n_label(r, "import.p", q->code),
                    *q->value ? T(r, "colon") : "", q->value);
    }
    html_printf(o, "</td></tr>");
}

/* The confirm form: the file back as base64, only for a plan without problems. */
static void preview_confirm(struct req *r, const struct import_plan *p, const void *data,
                            size_t len)
{
    char *b64 = str_base64(data, len);
    html_printf(&r->out,
                "<form method=\"post\" action=\"/import\" enctype=\"multipart/form-data\">"
                "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                "<input type=\"hidden\" name=\"name\" value=\"%s\">"
                "<input type=\"hidden\" name=\"sha256\" value=\"%s\">"
                "<input type=\"hidden\" name=\"data\" value=\"%s\">"
                "<div class=\"buttons\"><button type=\"submit\" class=\"primary\" "
                "id=\"import-confirm\">%s %zu</button> <a href=\"/import\">%s</a></div></form>",
                r->session.csrf, p->name, p->sha256, b64, T(r, "import.confirm"), p->n,
                T(r, "import.again"));
    free(b64);
}

static void preview_page(struct req *r, const struct import_plan *p, const void *data, size_t len)
{
    struct buf *o = &r->out;
    size_t k = 0;
    layout_begin(r, T(r, "import.title"), NAV_NONE, NULL);
    html_printf(o, "<h1>%s</h1><section class=\"card\"><p>%s%s%s (%s) · %zu %s</p>",
                T(r, "import.title"), T(r, "import.file"), T(r, "colon"), p->name, p->format, p->n,
                T(r, "import.rows"));
    if (p->n_problems)
        html_printf(o, "<p class=\"alert\" role=\"alert\" id=\"import-problems\">%s%s%zu</p>",
                    T(r, "import.has_problems"), T(r, "colon"), p->n_problems);
    html_printf(o,
                "<table class=\"list\" id=\"import-preview\"><thead><tr><th>%s</th><th>%s</th>"
                "<th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr>"
                "</thead><tbody>",
                T(r, "import.row"), T(r, "import.outline"), T(r, "import.title_col"),
                T(r, "import.lead"), T(r, "import.deadline"), T(r, "import.cycle"),
                T(r, "import.parent_row"), T(r, "import.problems"));
    for (size_t i = 0; i < p->n; i++)
        preview_row(r, p, &p->rows[i], &k);
    html_printf(o, "</tbody></table>");
    if (!p->n_problems)
        preview_confirm(r, p, data, len);
    else
        html_printf(o, "<p><a href=\"/import\">%s</a></p>", T(r, "import.again"));
    html_printf(o, "</section>");
    layout_end(r, p->n_problems ? 422 : 200);
}

struct import_page {
    struct write_job job;
    struct import_plan plan;
};

static int import_page_run(struct db *db, struct write_job *j)
{
    struct import_page *p = WRITE_OF(j, struct import_page);
    for (size_t i = 0; i < p->plan.n; i++)
        p->plan.rows[i].item_id = 0;
    return import_store(db, j->actor, &p->plan, &j->id, &j->e);
}

static void import_page_release(struct write_job *j)
{
    import_plan_free(&WRITE_OF(j, struct import_page)->plan);
}

static const struct write_ops import_page_ops = {.what = "storing the import",
                                                 .run = import_page_run,
                                                 .next = "/items?source=import",
                                                 .form = import_form,
                                                 .release = import_page_release};

/* The bytes of the form: the confirmed base64, else the uploaded file.
 * NULL after answering. */
static const unsigned char *posted_file(struct req *r, size_t *len, const char **name, int *confirm)
{
    const char *b64 = req_form(r, "data");
    const struct req_file *f = multipart_file(r, "file");
    unsigned char *d = NULL;
    *confirm = b64 && *b64;
    if (*confirm) {
        *name = req_form(r, "name");
        if (str_unbase64(b64, strlen(b64), ROUTE_MAX_FORM, &d, len)) {
            import_form(r, 400, T(r, "import.bad_data"));
            return NULL;
        }
        return d;
    }
    if (!f || !f->len) {
        import_form(r, f ? 400 : 422, T(r, f ? "import.empty" : "import.no_file"));
        return NULL;
    }
    *name = f->filename, *len = f->len;
    return f->data;
}

void web_import_post(struct req *r)
{
    struct db *db = page_db(r);
    size_t len = 0;
    const char *name = NULL;
    int confirm;
    struct err e = {0};
    if (!db) return;
    const unsigned char *data = posted_file(r, &len, &name, &confirm);
    if (!data) return;
    struct import_page *p = WRITE_NEW(r, struct import_page, &import_page_ops);
    int rc = import_plan_read(db, data, len, name, &p->plan, &e);
    const char *sha = confirm ? req_form(r, "sha256") : NULL;
    if (!rc && sha && strcmp(sha, p->plan.sha256)) /* the bytes came back changed */
        rc = -1, import_form(r, 400, T(r, "import.bad_data"));
    else if (rc)
        import_form(r, e.status, req_err_text(r, &e));
    else if (!confirm || p->plan.n_problems)
        preview_page(r, &p->plan, data, len);
    if (confirm) free((void *)data);
    if (rc || !confirm || p->plan.n_problems) {
        import_plan_free(&p->plan);
        return;
    }
    write_start(r, &p->job);
}

void web_import_template(struct req *r)
{
    struct err e = {0};
    buf_reset(&r->out);
    if (import_template_xlsx(&r->out, &e)) {
        req_reply_err(r, &e);
        return;
    }
    req_add_header(r, "Content-Disposition", "attachment; filename=\"import-template.xlsx\"");
    req_reply_body(r, 200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
}
