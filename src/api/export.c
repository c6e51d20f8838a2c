/* export.c — the format parameter and the download of a list's file.  See
 * export.h. */
#include "api/export.h"

#include <string.h>

#include "http/req.h"
#include "util/html.h"
#include "util/time.h"

#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

int api_format(struct req *r)
{
    const char *f = req_query(r, "format");
    if (!f || !strcmp(f, "json")) return API_FORMAT_JSON;
    if (!strcmp(f, "csv")) return API_FORMAT_CSV;
    if (!strcmp(f, "xlsx")) return API_FORMAT_XLSX;
    req_reply_error(r, 422, "invalid_parameter", NULL, "'format' must be json, csv or xlsx");
    return -1;
}

void api_send_export(struct req *r, int fd, uint64_t size, int xlsx, const char *ascii,
                     const char *zh)
{
    char day[11];
    date_format(time_today(), day);
    const char *ext = xlsx ? "xlsx" : "csv";
    req_add_header(r, "Content-Disposition",
                   arena_printf(r->arena,
                                "attachment; filename=\"%s-%s.%s\"; filename*=UTF-8''%s-%s.%s",
                                ascii, day, ext, url_encode(r->arena, zh), day, ext));
    req_reply_file(r, 200, xlsx ? XLSX_TYPE : "text/csv; charset=utf-8", fd, size);
}

void api_send_table(struct req *r, json_t *v, int xlsx, api_csv_fn csv, api_xlsx_fn xl,
                    const char *name)
{
    struct err e = {0};
    buf_reset(&r->out);
    int rc = xlsx ? xl(v, &r->out, &e) : csv(v, &r->out);
    if (rc) {
        if (!xlsx) err_set(&e, 500, "internal", "the export is too large");
        req_reply_err(r, &e);
        return;
    }
    req_add_header(
        r, "Content-Disposition",
        arena_printf(r->arena, "attachment; filename=\"%s.%s\"", name, xlsx ? "xlsx" : "csv"));
    req_reply_body(r, 200, xlsx ? XLSX_TYPE : "text/csv; charset=utf-8");
}
