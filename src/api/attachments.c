/* attachments.c — evidence files over HTTP: the raw upload to an item
 * (POST /api/v1/items/{id}/attachments?name=FILE) and the download
 * (GET /attachments/{id}, GET /api/v1/attachments/{id}).
 *
 * What a file may be, who may upload and who may read are core's
 * (core/attachment.h); here is only the body in and the bytes out, with the
 * headers that keep a download a download: Content-Disposition attachment
 * with the name as RFC 5987 filename*, no-store, and the server's nosniff. */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "core/attachment.h"
#include "http/req.h"
#include "http/write.h"
#include "util/html.h"

struct attachment_new {
    struct write_job job; /* id: the attachment's */
    int64_t item_id;
    const char *name;
    const unsigned char *data;
    size_t len;
    const char *mime;
    char sha[65];
};

static int attachment_new_run(struct db *db, struct write_job *j)
{
    struct attachment_new *p = WRITE_OF(j, struct attachment_new);
    if (attachment_may_upload(db, j->actor, p->item_id, &j->e)) return -1;
    return attachment_add(db, j->actor, p->item_id, p->name, p->data, p->len, &j->id, &p->mime,
                          p->sha, &j->e);
}

static void attachment_new_done(struct req *r, struct write_job *j)
{
    struct attachment_new *p = WRITE_OF(j, struct attachment_new);
    const char *url = arena_printf(r->arena, "/attachments/%lld", (long long)j->id);
    write_reply_json(r, 201, url,
                     json_pack("{s:I,s:s,s:s,s:I,s:s}", "id", (json_int_t)j->id, "name", p->name,
                               "mime", p->mime, "bytes", (json_int_t)p->len, "sha256", p->sha));
}

static const struct write_ops attachment_new_ops = {
    .what = "storing an attachment", .run = attachment_new_run, .done = attachment_new_done};

void api_item_attachment_add(struct req *r)
{
    struct attachment_new *p = WRITE_NEW(r, struct attachment_new, &attachment_new_ops);
    p->item_id = r->params[0];
    p->name = req_query(r, "name");
    p->data = (const unsigned char *)(r->body.data ? r->body.data : "");
    p->len = r->body.len;
    struct err e = {0};
    /* the name is judged before anything is read from the database */
    if (attachment_check_name(p->name, &e)) {
        req_reply_err(r, &e);
        return;
    }
    write_start(r, &p->job);
}

/* name as an ASCII fallback for filename=: each character outside printable
 * ASCII, and the quote, backslash, semicolon and percent, becomes one '_'. */
static char *ascii_name(struct req *r, const char *name)
{
    char *s = arena_strdup(r->arena, name), *o = s;
    for (const unsigned char *c = (const unsigned char *)name; *c; c++) {
        if (*c >= 0x80 && *c < 0xc0) continue; /* a UTF-8 continuation byte */
        *o++ = *c >= 0x7f || *c == '"' || *c == '\\' || *c == ';' || *c == '%' ? '_' : (char)*c;
    }
    *o = '\0';
    return s;
}

void api_attachment_get(struct req *r)
{
    struct db *db = api_db(r);
    if (!db) return;
    struct attachment x;
    int rc = attachment_get(db, r->params[0], &x);
    int may = rc == DB_OK ? attachment_may_read(db, r->actor, &x) : 0;
    if (rc != DB_OK || may <= 0) {
        if (rc == DB_OK) attachment_free(&x);
        if (rc == DB_DONE || (rc == DB_OK && may == 0))
            req_reply_error(r, 404, "not_found", NULL, "no such attachment");
        else
            req_reply_error(r, 503, "database_unavailable", NULL, "the database cannot be read");
        return;
    }
    buf_reset(&r->out);
    int bad = buf_append(&r->out, x.data, x.len);
    attachment_free(&x);
    if (bad) {
        req_reply_error(r, 500, "internal", NULL, "the stored attachment cannot be read");
        return;
    }
    req_add_header(r, "Content-Disposition",
                   arena_printf(r->arena, "attachment; filename=\"%s\"; filename*=UTF-8''%s",
                                ascii_name(r, x.name), url_encode(r->arena, x.name)));
    req_add_header(r, "Cache-Control", "no-store");
    req_reply_body(r, 200, x.mime);
}
