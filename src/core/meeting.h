/* meeting.h — meetings read by intake, and the draft items made from their
 * directives.
 *
 * The text pipeline (intake/intake.h) is pure; this file is where it meets
 * the database: the keyword → unit table lives in intake_rules (seeded for
 * the demo city from intake_rules_default()), a meeting is stored with its
 * cleaned text and paragraphs, and every chosen directive becomes a draft
 * item through item_create (so each gets its 'create' event), all in the
 * caller's one write transaction.  See docs/intake.md. */
#ifndef LUOSHI_CORE_MEETING_H
#define LUOSHI_CORE_MEETING_H

#include <jansson.h>
#include <stdint.h>

#include "core/core.h"
#include "core/item.h"
#include "db/db.h"
#include "intake/intake.h"
#include "intake/source.h"
#include "util/arena.h"

/* A directive the user chose to make into a draft item.  in holds the item's
 * fields (strings borrowed, living until meeting_store returns); its source,
 * meeting_id and meeting_paragraph are set by meeting_store. */
struct meeting_draft {
    size_t directive; /* index into the intake result's directives */
    struct item_input in;
};

/* What intake needs from the database and the clock — the city's keyword →
 * unit table and today's date — read on the request thread, so that the
 * pipeline itself (meeting_reading_run) can run on another, which has no
 * connection. */
struct meeting_reading {
    struct intake_options opt; /* rules point into rows (or at an empty table) */
    struct intake_rule *rows;  /* owned */
    size_t n;
};

/* Read the keyword table and today's date into *m (max_len bytes of text at
 * most; 0: intake's own limit).  0, or -1 with e (503/500 when the table
 * cannot be read; *m is then empty).  Release with meeting_reading_free. */
int meeting_reading_load(struct db *db, size_t max_len, struct meeting_reading *m, struct err *e);
/* Run intake over text[0..len) with what m holds; touches no database, so any
 * thread may call it.  0 with *res filled (free with intake_result_free), or -1
 * with e: 400 invalid_utf8 naming the byte offset, 413 text_too_long. */
int meeting_reading_run(const struct meeting_reading *m, const char *text, size_t len,
                        struct intake_result *res, struct err *e);
/* Read a meeting report's file — a .docx, a .pdf or text in UTF-8, UTF-16 or
 * GB18030, told apart by its bytes (intake/source.h) — into *src, its text at
 * most max_len bytes (0: intake's own limit), with the problem named in
 * English when en is 1, else in Chinese.  Touches no database.  0 with *src
 * filled (free with intake_source_free), or -1 with e: 400 invalid_utf8 for
 * text that is neither UTF-8 nor GB18030 ("the text is not valid UTF-8 at byte
 * N"), 413 document_too_large (word/document.xml or the pages past their
 * limits) or text_too_long, 422 invalid_text (a NUL, broken UTF-16),
 * invalid_docx, invalid_pdf, encrypted_pdf, unsupported_format (.doc, .wps)
 * or no_text (nothing but spaces, a scanned PDF). */
int meeting_source_read(const void *data, size_t len, size_t max_len, int en,
                        struct intake_source *src, struct err *e);
/* meeting_source_read, then meeting_reading_run over the text with what m
 * holds (its max_len for both), res->source naming the format and encoding.
 * Any thread may call it.  0 with *src and *res filled (the caller frees
 * both: the page shows src->text again), or -1 with e as the two say; *src
 * and *res are then empty. */
int meeting_reading_run_file(const struct meeting_reading *m, const void *data, size_t len, int en,
                             struct intake_source *src, struct intake_result *res, struct err *e);
/* Free what m owns and empty it. */
void meeting_reading_free(struct meeting_reading *m);

/* Run intake over text[0..len) with the database's keyword → unit table and
 * today's date (meeting_reading_load, _run and _free in one call).  Returns 0 with *res filled
 * (free with intake_result_free), or -1 with e: 400 invalid_utf8 naming the byte offset, 413
 * text_too_long, 503/500 when the table cannot be read. */
int meeting_intake(struct db *db, const char *text, size_t len, size_t max_len,
                   struct intake_result *res, struct err *e);

/* The id of the unit called name: exactly, else the one unit whose name
 * starts with it (督查室 → 督查室（督考办）).  0 when none, negative db code. */
int64_t meeting_unit_by_name(struct db *db, const char *name);

/* The suggested draft of directive i of res: title = its topic (cut to the
 * item title limit), description = its text, lead unit = the first of its
 * named units (else suggested units) that exists, cooperating units = the
 * others that exist, deadline = the suggested one.  Strings live in arena a.
 * 0, or -1 with e on a database error. */
int meeting_draft_suggest(struct db *db, const struct intake_result *res, size_t i, struct arena *a,
                          struct meeting_draft *out, struct err *e);

/* Store the meeting res describes (name, date, chair, source title, cleaned
 * text, paragraphs) and create drafts[0..n) as draft items of source
 * 'meeting' linked to it and to their directive's paragraph.  Run inside a
 * write transaction: on error the caller rolls everything back.  *meeting_id
 * gets the meeting; item_ids[k] (n slots) the item of drafts[k].  0, or -1
 * with e (422 for a bad directive index or a field item_create refuses). */
int meeting_store(struct db *db, const struct actor *a, const struct intake_result *res,
                  struct meeting_draft *drafts, size_t n, int64_t *meeting_id, int64_t *item_ids,
                  struct err *e);

/* The meeting as JSON: {"id","name","date","chair","source_title","created_at",
 * "paragraphs":[{"index","kind","start","end","text"}],"items":[{"id","title",
 * "status","paragraph","lead_unit_id","deadline"}]} with only the items the
 * actor may see.  NULL with e (404 when there is no such meeting). */
json_t *meeting_get_json(struct db *db, const struct actor *a, int64_t id, struct err *e);

/* The meeting an item came from: 1 with *meeting_id, *paragraph and the
 * meeting's name copied into name (namelen bytes), 0 when the item is not from
 * a meeting, or a negative db code. */
int meeting_of_item(struct db *db, int64_t item_id, int64_t *meeting_id, int64_t *paragraph,
                    char *name, size_t namelen);

/* Fill intake_rules from intake_rules_default() for the units of this
 * database whose names match the table's (as meeting_unit_by_name matches);
 * rows naming a unit the city lacks are skipped.  Inside a write
 * transaction, each row an event of the configuration chain by a.  *added
 * gets the number of rows.  0, or -1 with e. */
int meeting_rules_seed(struct db *db, const struct actor *a, int *added, struct err *e);

/* The keyword → unit table: {"rules":[{"id","keyword","unit_id","unit_code",
 * "unit_name"}]} ordered by keyword, then id.  NULL with e on a db error. */
json_t *meeting_rules_json(struct db *db, struct err *e);

/* Add the row keyword → the unit with code unit_code as a does (inside a
 * write transaction; an event of the configuration chain).  0 with *id, or
 * -1 with e: 422 when the keyword is empty or longer than 20 characters, 404
 * for an unknown unit, 409 when the row exists. */
int meeting_rule_add(struct db *db, const struct actor *a, const char *keyword,
                     const char *unit_code, int64_t *id, struct err *e);

/* Remove the row keyword → unit_code as a does (inside a write transaction;
 * an event of the configuration chain).  0, or -1 with e: 404 when there is
 * no such row. */
int meeting_rule_remove(struct db *db, const struct actor *a, const char *keyword,
                        const char *unit_code, struct err *e);

#endif
