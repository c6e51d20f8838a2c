/* document_pdf.h — an item's documents as PDF (core/document.h's renderer):
 * the 交办通知单, the 督办单 with its level's colour band, the 催办通知书
 * and the dossier (立卷归档), each on the GB/T 9704 page of pdf.h. */
#ifndef LUOSHI_NOTICE_DOCUMENT_PDF_H
#define LUOSHI_NOTICE_DOCUMENT_PDF_H

#include <jansson.h>

#include "core/core.h"
#include "util/buf.h"

/* Render fields (core/document.c's: "type", "doc_title", "number", "title",
 * "description", "unit", "deadline", "date", "office", "escalation", "text")
 * as PDF onto out, with receipt ({"unit","by","at","action"}, or NULL: the
 * blank line of the original) in the 签收回执.  0, or -1 with e 500 (cairo,
 * out full) or 500 for a type it does not know.  A document_render_fn. */
int document_pdf(json_t *fields, json_t *receipt, struct buf *out, struct err *e);

#endif
