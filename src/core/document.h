/* document.h — the documents an action issues on an item (公文 of one item):
 * a 交办通知单 at assign, a 督办单 at escalate (coloured by the level it
 * raises the item to), a 催办通知书 at a person's urge; and the item's
 * dossier (立卷归档) at archive.
 *
 * Each is numbered in its own series per type and year (交办〔2026〕12号: the
 * prefix is the setting document.prefix.TYPE, the defaults below), rendered
 * to PDF inside the action's transaction, stored whole and never changed
 * (migration 025), and recorded with its SHA-256 in the action's event
 * ("documents":[{"id","type","number","sha256"}]), so `luoshi verify`
 * recomputes it as it does an attachment's.  What was printed is kept as
 * JSON beside the PDF: a fresh copy renders it again with the receipt
 * (签收回执) line filled once the lead unit has answered, while the stored
 * original stays as issued.  The scheduler's own urges (no user) are
 * messages, not documents.
 *
 * core knows no PDF: the renderer is a hook the program sets at start
 * (main.c sets notice/'s).  Without one (the unit tests of other modules)
 * actions issue no documents. */
#ifndef LUOSHI_CORE_DOCUMENT_H
#define LUOSHI_CORE_DOCUMENT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/core.h"
#include "core/verify.h"
#include "db/db.h"
#include "util/buf.h"

#define DOCUMENT_PREFIX_ASSIGN   "交办"
#define DOCUMENT_PREFIX_ESCALATE "督办"
#define DOCUMENT_PREFIX_URGE     "催办"
#define DOCUMENT_PREFIX_DOSSIER  "归档"

/* Render a document's fields (the JSON document_issue stores: "type",
 * "number", "title", "unit", "deadline", "date", "office", …) as PDF onto
 * out; receipt is NULL for the original, or {"unit","by","at","action"} of
 * the answer that fills the 签收回执 line.  0, or -1 with e. */
typedef int (*document_render_fn)(json_t *fields, json_t *receipt, struct buf *out, struct err *e);

/* Set the renderer (once, at start, before threads).  NULL: none. */
void document_set_renderer(document_render_fn fn);

/* What the action in progress says of its item (core/action.c's state
 * after its step, before the item row is written). */
struct document_item {
    int64_t id, lead_unit_id;
    const char *title, *deadline; /* deadline "" when none */
    int escalation;               /* 0..3: none, general, key, listed */
    const char *text;             /* the action's text (urge, escalate), or NULL */
};

/* Issue the document that action calls for (assign, escalate, urge by a
 * person, archive: the dossier of the record so far) on item it,
 * inside the action's write transaction, before its event is appended:
 * numbered, rendered and stored with event_id NULL, and recorded in
 * data["documents"].  Nothing for other actions, for the system's actions
 * or without a renderer.  0, or -1 with e (the renderer's, storage), or DB_RETRY
 * with e 503 busy when another instance took the number meanwhile (the
 * caller's write runs again). */
int document_issue(struct db *db, const struct actor *a, const char *action,
                   const struct document_item *it, json_t *data, struct err *e);

/* Mark the documents data["documents"] records as carried by the newest
 * event of item_id, inside the write that appended it.  DB_OK or a db code. */
int document_link(struct db *db, int64_t item_id, json_t *data);

/* [{"id","type","number","sha256","url","receipt"}] of item_id's recorded
 * documents, oldest first (url: /api/v1/documents/{id}; receipt as
 * document_receipt's, null until the unit answers).  NULL with e. */
json_t *document_list_json(struct db *db, int64_t item_id, struct err *e);

/* One stored document as document_get reads it. */
struct document {
    int64_t id, item_id, event_id;
    char type[16], number[64], sha256[65];
    json_t *fields;      /* owned: document_free */
    unsigned char *data; /* the stored PDF, malloc'd */
    size_t len;
};

/* Read document id (recorded by an event) into *out (document_free it).
 * DB_OK, DB_DONE when there is none, or an error code. */
int document_get(struct db *db, int64_t id, struct document *out);
/* Free what document_get allocated in x. */
void document_free(struct document *x);

/* The receipt of document id of item_id: the first answer of its unit's
 * people after the event that issued it (accept 签收, return, feedback,
 * request_extension, submit) as {"unit","by","at","action"}, or a JSON null
 * when there is none yet.  NULL on a database error. */
json_t *document_receipt(struct db *db, int64_t item_id, int64_t id);

/* A fresh rendering of document x with its receipt line onto out.  0, or -1
 * with e (500 without a renderer, storage, the renderer's). */
int document_copy(struct db *db, const struct document *x, struct buf *out, struct err *e);

/* The dossier (立卷归档) of item_id as it stands now, unnumbered, rendered
 * onto out (GET /api/v1/items/{id}/dossier.pdf; the caller checks who may
 * read it).  0, or -1 with e (500 without a renderer, storage). */
int document_dossier_pdf(struct db *db, int64_t item_id, struct buf *out, struct err *e);

/* `luoshi verify`'s check of the documents: every recorded document's PDF
 * against the SHA-256 its event recorded and its row's, and every event's
 * record against a row that points back to it.  Problems go to v.  DB_OK
 * when everything could be read, else a db code. */
int document_verify(struct db *db, struct verify_log *v);

#endif
