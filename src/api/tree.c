/* tree.c — GET /api/v1/items/{id}/tree: the project list (项目清单) of an
 * item's subtree as JSON, or with ?format=csv|xlsx as a file to download.
 * The tree is core/plan.h's; the files are notice/export.h's. */
#include <string.h>

#include "api/api.h"
#include "core/plan.h"
#include "http/req.h"
#include "notice/export.h"

#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

static void reply_file(struct req *r, const char *type, const char *ext)
{
    req_add_header(r, "Content-Disposition",
                   arena_printf(r->arena, "attachment; filename=\"plan-%lld.%s\"",
                                (long long)r->params[0], ext));
    req_reply_body(r, 200, type);
}

void api_item_tree(struct req *r)
{
    const char *format = req_query(r, "format");
    if (format && strcmp(format, "json") && strcmp(format, "csv") && strcmp(format, "xlsx")) {
        req_reply_error(r, 422, "invalid_parameter", NULL, "'format' must be json, csv or xlsx");
        return;
    }
    struct db *db = api_db(r);
    if (!db) return;
    struct plan p = {0};
    struct err e = {0};
    if (plan_load(db, r->actor, r->params[0], &p, &e)) {
        req_reply_err(r, &e);
        return;
    }
    buf_reset(&r->out);
    if (!format || !strcmp(format, "json")) {
        req_reply_json(r, 200, plan_json(&p));
    } else if (!strcmp(format, "csv")) {
        if (export_plan_csv(&p, &r->out))
            req_reply_error(r, 500, "internal", NULL, "the export is too large");
        else
            reply_file(r, "text/csv; charset=utf-8", "csv");
    } else if (export_plan_xlsx(&p, &r->out, &e)) {
        req_reply_err(r, &e);
    } else {
        reply_file(r, XLSX_TYPE, "xlsx");
    }
    plan_free(&p);
}
