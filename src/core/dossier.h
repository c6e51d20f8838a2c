/* dossier.h — what an item's dossier (立卷归档) holds: the whole record of
 * one item as JSON for core/document.h's renderer — every event with its
 * actor, time and hash, the feedback, the attachments with their SHA-256 and
 * the documents issued.  Read only; the dossier is stored at archive time by
 * document_issue and rendered on demand by document_dossier_pdf. */
#ifndef LUOSHI_CORE_DOSSIER_H
#define LUOSHI_CORE_DOSSIER_H

#include <jansson.h>
#include <stdint.h>

#include "core/core.h"
#include "db/db.h"

/* Add to f the record of item_id: "kind", "status", "created_at",
 * "events":[{"seq","at","actor","action","hash"}], "feedback":[{"at",
 * "unit","progress","text"}], "attachments":[{"id","name","bytes",
 * "sha256"}] (those an event carries) and "documents":[{"id","type",
 * "number","sha256","url"}], each oldest first.  0, or -1 with e. */
int dossier_fields(struct db *db, int64_t item_id, json_t *f, struct err *e);

#endif
