/* issue.h — issued notices (立此存照): a notice computed now, stored with its
 * five outputs (json, html, csv, xlsx, pdf) and their SHA-256, numbered per year (〔2030〕3号),
 * chained to the previous notice, and shown later exactly as issued.  The notices table (migration
 * 006) refuses UPDATE and DELETE. */
#ifndef LUOSHI_NOTICE_ISSUE_H
#define LUOSHI_NOTICE_ISSUE_H

#include <jansson.h>
#include <stdint.h>

#include "notice/notice.h"

/* Compute the notice for p as of now and store it as issued by a, inside the
 * caller's write transaction, under a checkpoint (notice_params says which).  0 with *id, or -1
 * with e (404 unknown unit, 5xx storage; DB_RETRY-class conflicts come back as 503 "busy"). */
int notice_issue(struct db *db, const struct actor *a, const struct notice_params *p, int64_t *id,
                 struct err *e);
/* Append issued notice id's stored output in format (json, html, csv, xlsx,
 * pdf) to out, exactly as issued; number (64 bytes, may be NULL) gets its
 * number.  0, or -1 with e: 422 unknown format, 404 no such notice (or no
 * PDF: issued before migration 023), 5xx storage. */
int notice_issued_output(struct db *db, int64_t id, const char *format, struct buf *out,
                         char number[64], struct err *e);
/* {"notices":[{"id","number","from","to","unit","title","issued_at","issued_by",
 * "sha256":{json,html,csv,xlsx,pdf},"prev_hash","hash"}]}, newest first (at most
 * 500); with id > 0 only that notice (404 when there is none).  NULL with e. */
json_t *notice_issued_list(struct db *db, int64_t id, struct err *e);
/* Recompute the issued notices' chain in id order: each stored output
 * against its SHA-256, prev_hash against the previous notice's hash, the
 * hash against the row's fields (docs/notices.md).  Every notice is
 * checked, each against its predecessor's stored hash.  A notice whose JSON
 * output cannot be read as a notice but whose outputs and hash hold (issued
 * broken by an older version) is malformed: a line in warn, not a failure.
 * 0 when no notice was tampered with (msg gets a summary), 1 when some were
 * (msg names each, by id and number, and why, one a line), or -1 when the
 * notices cannot be read.  warn's lines name the malformed notices. */
int notice_verify(struct db *db, struct buf *msg, struct buf *warn);
/* 0..4 for json, html, csv, xlsx, pdf; -1 for anything else. */
int notice_format_index(const char *format);

#endif
