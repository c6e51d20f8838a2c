/* documents.c — an item's documents over HTTP (core/document.h): the stored
 * original as issued (GET /api/v1/documents/{id}) and a fresh copy with the
 * 签收回执 line filled (GET /api/v1/documents/{id}/copy), both as PDF
 * downloads named by the document's number, and the item's dossier as it
 * stands now (GET /api/v1/items/{id}/dossier.pdf), to those who see the
 * item's internal record (as its attachments); anyone else gets the 404 of a
 * document that does not exist. */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "core/document.h"
#include "core/perm.h"
#include "http/req.h"
#include "util/html.h"

/* Read document {id} for r's actor into x: 0, or -1 with the error sent
 * (db NULL: api_db answered already). */
static int document_load(struct req *r, struct db *db, struct document *x)
{
    if (!db) return -1;
    int rc = document_get(db, r->params[0], x);
    int may = rc == DB_OK ? perm_item_internal(db, r->actor, x->item_id) : 0;
    if (rc == DB_OK && may > 0) return 0;
    if (rc == DB_OK) document_free(x);
    if (rc == DB_DONE || (rc == DB_OK && may == 0))
        req_reply_error(r, 404, "not_found", NULL, "no such document");
    else
        req_reply_error(r, 503, "database_unavailable", NULL, "the database cannot be read");
    return -1;
}

/* Send r->out as the PDF download named "NUMBER[ suffix].pdf". */
static void reply_pdf(struct req *r, const struct document *x, const char *suffix)
{
    const char *name = arena_printf(r->arena, "%s%s.pdf", x->number, suffix);
    req_add_header(r, "Content-Disposition",
                   arena_printf(r->arena,
                                "attachment; filename=\"document-%lld.pdf\"; filename*=UTF-8''%s",
                                (long long)x->id, url_encode(r->arena, name)));
    req_add_header(r, "Cache-Control", "no-store");
    req_reply_body(r, 200, "application/pdf");
}

void api_document_get(struct req *r)
{
    struct document x;
    if (document_load(r, api_db(r), &x)) return;
    buf_reset(&r->out);
    int bad = buf_append(&r->out, x.data, x.len);
    if (bad)
        req_reply_error(r, 500, "internal", NULL, "the stored document cannot be read");
    else
        reply_pdf(r, &x, "");
    document_free(&x);
}

void api_document_copy(struct req *r)
{
    struct db *db = api_db(r);
    struct document x;
    if (document_load(r, db, &x)) return;
    struct err e = {0};
    buf_reset(&r->out);
    if (document_copy(db, &x, &r->out, &e))
        req_reply_err(r, &e);
    else
        reply_pdf(r, &x, "（副本）");
    document_free(&x);
}

void api_item_dossier(struct req *r)
{
    struct db *db = api_db(r);
    if (!db) return;
    int may = perm_item_internal(db, r->actor, r->params[0]);
    if (may <= 0) {
        if (may == 0)
            req_reply_error(r, 404, "not_found", NULL, "no such item");
        else
            req_reply_error(r, 503, "database_unavailable", NULL, "the database cannot be read");
        return;
    }
    struct err e = {0};
    buf_reset(&r->out);
    if (document_dossier_pdf(db, r->params[0], &r->out, &e)) {
        req_reply_err(r, &e);
        return;
    }
    req_add_header(r, "Content-Disposition",
                   arena_printf(r->arena, "attachment; filename=\"dossier-%lld.pdf\"",
                                (long long)r->params[0]));
    req_add_header(r, "Cache-Control", "no-store");
    req_reply_body(r, 200, "application/pdf");
}
