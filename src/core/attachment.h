/* attachment.h — evidence (佐证材料) on an item's steps: files uploaded to an
 * item, then carried by the action they support (feedback, submit, verify,
 * reject, instruct; a request's reply is its submit).
 *
 * What a file may be (a name and a type sniffed from its content by
 * libmagic that agree), who may upload to an item and who may read one, and
 * the rows: stored whole in the database (migration 018), never changed but
 * for the one time an action names them.  Serving them is api/attachments.c's. */
#ifndef LUOSHI_CORE_ATTACHMENT_H
#define LUOSHI_CORE_ATTACHMENT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/core.h"
#include "core/verify.h"
#include "db/db.h"

#define ATTACHMENT_MAX_DEFAULT (20 * 1024 * 1024) /* attachment.max_bytes' default */
#define ATTACHMENT_MAX_CAP     (64 * 1024 * 1024) /* the most the setting may allow */
#define ATTACHMENT_NAME_MAX    255                /* bytes of a file's name */

/* One stored attachment as attachment_get reads it. */
struct attachment {
    int64_t id, item_id, unit_id, event_id; /* event_id 0 while unattached */
    char name[ATTACHMENT_NAME_MAX + 1];
    char mime[96];
    char sha256[65];
    int64_t bytes;
    unsigned char *data; /* malloc'd: attachment_free */
    size_t len;
};

/* Check a file's name: not empty, at most ATTACHMENT_NAME_MAX bytes of
 * UTF-8, no path ("/", "\", ".."), no control characters (CR, LF …).  0, or
 * -1 with e: 400 file_name_missing, 422 file_name_path, file_name_control,
 * file_name_long,
 * 400 invalid_utf8. */
int attachment_check_name(const char *name, struct err *e);

/* The type of the file name with content p[0..n): the canonical MIME type
 * of the name's extension (pdf, doc, docx, xls, xlsx, wps, et, jpg, jpeg,
 * png, gif, webp, txt, zip) when what libmagic sniffs from the content
 * agrees with it.  Checks the name first (attachment_check_name).  The
 * returned string is static; NULL with e: the name's errors, 422 file_empty
 * for 0 bytes, 415 file_type_unsupported for another extension, 415
 * file_type_mismatch when the content is something else (an EXE named
 * .pdf), 500 when libmagic cannot be loaded. */
const char *attachment_type(const char *name, const unsigned char *p, size_t n, struct err *e);

/* The setting attachment.max_bytes (its default when unset).  A db code. */
int attachment_max_bytes(struct db *db, int64_t *max);

/* May a upload evidence to item_id?  When a sees the item's internal record
 * and may act on it now (its "allowed_actions" for a are not empty), or is
 * an applicant and item_id a challenge open for applications (the files of
 * its application, core/challenge.h).  0, or -1 with e: 404 (not seen),
 * 403, 409 applications_closed, storage. */
int attachment_may_upload(struct db *db, const struct actor *a, int64_t item_id, struct err *e);

/* Store a file for item_id as uploaded by a (its unit), inside the caller's
 * write: the type checked (attachment_type), the size against
 * attachment.max_bytes (413 file_too_large).  0 with *id, *mime (static)
 * and sha (hex SHA-256), or -1 with e; nothing stored on a refusal. */
int attachment_add(struct db *db, const struct actor *a, int64_t item_id, const char *name,
                   const unsigned char *data, size_t len, int64_t *id, const char **mime,
                   char sha[65], struct err *e);

/* Read attachment id with its bytes into *out (attachment_free it).
 * DB_OK, DB_DONE when there is none, or an error code. */
int attachment_get(struct db *db, int64_t id, struct attachment *out);
/* Free what attachment_get allocated in x. */
void attachment_free(struct attachment *x);

/* 1 when a may download attachment x: a sees its item's internal record
 * (perm_item_internal: a request's enterprise never gets them) — but an
 * application's file (core/challenge.h: challenge_file_reader) only the
 * office, the leaders and the applicant's unit; 0 when not, a negative db
 * code on error. */
int attachment_may_read(struct db *db, const struct actor *a, const struct attachment *x);

/* The most attachments one action carries. */
#define ATTACHMENTS_PER_ACTION 20

/* What an action's "attachment_ids" (ids, a JSON array the action list
 * checked: positive integers) carry, for its event: each must be an
 * attachment of item_id not yet carried by an event and uploaded by a's
 * unit, and none twice.  *records gets [{"id","name","bytes","sha256"}] in
 * the given order (caller owns).  0, or -1 with e: 422 invalid_attachment
 * naming the id (err_subject) or too many, storage. */
int attachment_claim(struct db *db, const struct actor *a, int64_t item_id, json_t *ids,
                     json_t **records, struct err *e);
/* Mark the attachments of records (attachment_claim's) as carried by the
 * newest event of item_id, inside the write that appended it.  DB_OK or a
 * db code (DB_ERR when one was carried meanwhile). */
int attachment_link(struct db *db, int64_t item_id, json_t *records);

/* `luoshi verify`'s check of the evidence: every attachment an event
 * carries against the record in that event's data (name, bytes, the
 * SHA-256 recomputed from the stored bytes and the row's own), and every
 * event's record against a row that points back to it.  Problems go to v.
 * DB_OK when everything could be read, else a db code. */
int attachment_verify(struct db *db, struct verify_log *v);

#endif
