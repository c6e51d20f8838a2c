/* notice_store.h — the issued notices' table (notices, migration 006): the
 * chain's head, a new row, a stored output, the list, and every row in turn
 * for verification.  The table refuses UPDATE and DELETE (its triggers).
 *
 * What a row holds (the outputs, their SHA-256, the chain hash) is computed
 * by notice/issue.c; this file only stores and reads it, with bound
 * parameters.  The outputs are indexed 0..4 for json, html, csv, xlsx and
 * pdf (the workbook and the PDF as base64 text; a notice issued before
 * migration 023 has "" for the PDF and its SHA-256). */
#ifndef LUOSHI_CORE_NOTICE_STORE_H
#define LUOSHI_CORE_NOTICE_STORE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/core.h"
#include "db/db.h"
#include "util/buf.h"

#define NOTICE_OUTPUTS 5 /* json, html, csv, xlsx, pdf */

/* One issued notice as stored.  Strings borrowed (from the caller when
 * inserting; from the row, valid during the callback, when reading). */
struct notice_record {
    int64_t id;
    const char *number; /* 〔2030〕3号 */
    int year;
    int64_t seq;
    const char *from, *to; /* the period, YYYY-MM-DD */
    int64_t unit_id;       /* the scope's unit, 0 for none */
    const char *title;
    int64_t issued_by; /* the user, 0 for the system */
    int64_t issued_at; /* ms */
    const char *output[NOTICE_OUTPUTS];
    size_t output_len[NOTICE_OUTPUTS];
    const char *sha256[NOTICE_OUTPUTS];
    const char *prev_hash, *hash;
};
typedef int (*notice_record_fn)(void *ctx, const struct notice_record *r);

/* The newest notice's hash into prev ("" when none) and the next sequence
 * number of year into *seq.  0, or -1 with e. */
int notice_store_head(struct db *db, int year, char prev[65], int64_t *seq, struct err *e);
/* Insert r (its id ignored) inside the caller's write transaction.  0 with
 * *id, or -1 with e (DB_RETRY-class conflicts as 503). */
int notice_store_insert(struct db *db, const struct notice_record *r, int64_t *id, struct err *e);
/* Append issued notice id's stored output k (0..4) to out as stored, and its
 * number to number[64] (may be NULL).  0, or -1 with e: 404 no such notice,
 * 500 when out's maximum was reached, 5xx storage. */
int notice_store_output(struct db *db, int64_t id, int k, struct buf *out, char number[64],
                        struct err *e);
/* {"notices":[{"id","number","from","to","unit","title","issued_at","issued_by",
 * "sha256":{json,html,csv,xlsx,pdf},"prev_hash","hash"}]} (pdf null for a
 * notice issued without one), newest first (at most 500); with id > 0 only that notice (404 when
 * there is none).  New reference, or NULL with e. */
json_t *notice_store_list_json(struct db *db, int64_t id, struct err *e);
/* Every issued notice in id order, each handed to fn until it returns
 * nonzero.  0 when fn saw every row, 1 when fn stopped, or -1 with e. */
int notice_store_each(struct db *db, notice_record_fn fn, void *ctx, struct err *e);

#endif
