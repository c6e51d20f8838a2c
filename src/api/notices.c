/* notices.c — /api/v1/notices: supervision notices (督查通报).
 *
 *   GET  /api/v1/notices?from&to&unit&format   a notice computed now (a preview; format
 *                                              json, html, csv, xlsx or pdf);
 *                                              without from and to: the issued notices;
 *                                              campaign, meeting or plan instead of unit,
 *                                              or requests=1 (every enterprise request)
 *   POST /api/v1/notices {"from","to","unit"}  issue one: 201 with its record (or
 *                                              "campaign", "meeting", "plan": an id;
 *                                              "requests": 1)
 *   GET  /api/v1/notices/{id}?format           an issued notice exactly as stored
 *
 * The figures and outputs are src/notice/'s; this file parses, picks the
 * format and sets the headers. */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "http/req.h"
#include "http/write.h"
#include "http/server.h"
#include "notice/issue.h"
#include "notice/notice.h"
#include "notice/scope.h"
#include "util/time.h"

#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

static const char *const types[] = {"application/json; charset=utf-8", "text/html; charset=utf-8",
                                    "text/csv; charset=utf-8", XLSX_TYPE, "application/pdf"};
static const char *const exts[] = {"json", "html", "csv", "xlsx", "pdf"};

/* The format index of ?format (json when absent), or -1 after a 422. */
static int want_format(struct req *r)
{
    const char *f = req_query(r, "format");
    int k = notice_format_index(f ? f : "json");
    if (k < 0)
        req_reply_error(r, 422, "invalid_parameter", NULL,
                        "'format' must be json, csv, xlsx, html or pdf");
    return k;
}

/* s with every byte outside RFC 5987's attr-char as %XX (a filename*
 * value), in r's arena. */
static const char *ext_value(struct req *r, const char *s)
{
    static const char keep[] = "!#$&+-.^_`|~";
    char *out = arena_alloc(r->arena, 3 * strlen(s) + 1), *p = out;
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
            strchr(keep, *c))
            *p++ = (char)*c;
        else
            p += sprintf(p, "%%%02X", *c);
    }
    *p = '\0';
    return out;
}

/* Answer with the output of format k; a file (CSV, XLSX, PDF) is named name, and
 * by its document's own name shown (the UTF-8 filename*) when shown is given. */
static void reply_out(struct req *r, int k, const char *name, const char *shown)
{
    int file = k == 2 || k == 3 || k == 4;
    if (file && shown)
        req_add_header(r, "Content-Disposition",
                       arena_printf(r->arena,
                                    "attachment; filename=\"%s.%s\"; filename*=UTF-8''%s.%s", name,
                                    exts[k], ext_value(r, shown), exts[k]));
    else if (file)
        req_add_header(r, "Content-Disposition",
                       arena_printf(r->arena, "attachment; filename=\"%s.%s\"", name, exts[k]));
    req_reply_body(r, 200, types[k]);
}

static void notices_preview(struct req *r, struct db *db, int k)
{
    struct notice_params p;
    struct notice n;
    struct err e = {0};
    if (notice_params_parse(req_query(r, "from"), req_query(r, "to"), req_query(r, "unit"), &p,
                            &e) ||
        notice_params_scope(&p, req_query(r, "campaign"), req_query(r, "meeting"),
                            req_query(r, "plan"), &e) ||
        notice_params_requests(&p, req_query(r, "requests"), &e)) {
        req_reply_err(r, &e);
        return;
    }
    if (notice_compute(db, &p, &n, &e)) {
        notice_free(&n);
        req_reply_err(r, &e);
        return;
    }
    buf_reset(&r->out);
    char today[11];
    date_format(time_today(), today);
    int rc = 0;
    if (k == 0) {
        req_reply_json(r, 200, notice_json(&n, NULL));
        notice_free(&n);
        return;
    }
    if (k == 1) rc = notice_html(&n, NULL, today, &r->out);
    if (k == 2) rc = notice_csv(&n, NULL, &r->out);
    if (k == 3) rc = notice_xlsx(&n, NULL, &r->out, &e);
    if (k == 4) rc = notice_pdf(&n, NULL, today, &r->out, &e);
    notice_free(&n);
    if (rc) {
        if (!e.status) err_set(&e, 500, "internal", "the notice is too large");
        req_reply_err(r, &e);
        return;
    }
    reply_out(r, k, "notice-preview", NULL);
}

void api_notices_list(struct req *r)
{
    struct db *db = api_db(r);
    if (!db) return;
    if (req_query(r, "from") || req_query(r, "to")) {
        int k = want_format(r);
        if (k >= 0) notices_preview(r, db, k);
        return;
    }
    struct err e = {0};
    json_t *v = notice_issued_list(db, 0, &e);
    if (v)
        req_reply_json(r, 200, v);
    else
        req_reply_err(r, &e);
}

struct notice_job {
    struct write_job job;
    struct notice_params p; /* its signer: the server's checkpoint key */
};

static int notice_run(struct db *db, struct write_job *j)
{
    return notice_issue(db, j->actor, &WRITE_OF(j, struct notice_job)->p, &j->id, &j->e);
}

/* The issued notice's record (as the list of issued notices gives it). */
static json_t *notice_load(struct db *db, const struct actor *a, int64_t id, struct err *e)
{
    (void)a;
    json_t *v = notice_issued_list(db, id, e);
    json_t *one = json_incref(json_array_get(json_object_get(v, "notices"), 0));
    json_decref(v);
    return one;
}

static const struct write_ops notice_ops = {.what = "issuing the notice",
                                            .run = notice_run,
                                            .load = notice_load,
                                            .status = 201,
                                            .location = "/api/v1/notices/"};

static const char *body_text(struct req *r, const char *name, int *bad)
{
    json_t *v = json_object_get(r->json, name);
    if (!v || json_is_null(v)) return NULL;
    if (!json_is_string(v)) *bad = 1;
    return json_string_value(v);
}

/* The id in field name as text for notice_params_scope: NULL when absent
 * or null; *bad when it is not a positive integer. */
static const char *body_id(struct req *r, const char *name, int *bad)
{
    json_t *v = json_object_get(r->json, name);
    if (!v || json_is_null(v)) return NULL;
    if (!json_is_integer(v) || json_integer_value(v) <= 0) {
        *bad = 1;
        return NULL;
    }
    return arena_printf(r->arena, "%lld", (long long)json_integer_value(v));
}

void api_notices_issue(struct req *r)
{
    int bad = !json_is_object(r->json);
    const char *from = bad ? NULL : body_text(r, "from", &bad);
    const char *to = bad ? NULL : body_text(r, "to", &bad);
    const char *unit = bad ? NULL : body_text(r, "unit", &bad);
    const char *campaign = bad ? NULL : body_id(r, "campaign", &bad);
    const char *meeting = bad ? NULL : body_id(r, "meeting", &bad);
    const char *plan = bad ? NULL : body_id(r, "plan", &bad);
    const char *requests = bad ? NULL : body_id(r, "requests", &bad);
    if (bad) {
        req_reply_error(r, 422, "invalid_field", NULL,
                        "the body is {\"from\",\"to\",\"unit\"} with strings (unit may be null),"
                        " or \"campaign\", \"meeting\" or \"plan\" with a positive id, or"
                        " \"requests\": 1");
        return;
    }
    struct notice_job *x = WRITE_NEW(r, struct notice_job, &notice_ops);
    if (notice_params_parse(from, to, unit, &x->p, &x->job.e) ||
        notice_params_scope(&x->p, campaign, meeting, plan, &x->job.e) ||
        notice_params_requests(&x->p, requests, &x->job.e)) {
        write_refuse(r, &x->job);
        return;
    }
    x->p.signer = r->server->signer;
    write_start(r, &x->job);
}

void api_notice_get(struct req *r)
{
    int k = want_format(r);
    if (k < 0) return;
    struct db *db = api_db(r);
    if (!db) return;
    struct err e = {0};
    char number[64] = "";
    buf_reset(&r->out);
    if (notice_issued_output(db, r->params[0], exts[k], &r->out, number, &e)) {
        req_reply_err(r, &e);
        return;
    }
    /* the file is named as the document is: 督查通报〔2025〕1号.xlsx */
    reply_out(r, k, arena_printf(r->arena, "notice-%lld", (long long)r->params[0]),
              number[0] ? arena_printf(r->arena, "督查通报%s", number) : NULL);
}
