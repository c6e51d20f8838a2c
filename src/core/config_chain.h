/* config_chain.h — the configuration chain (配置留痕): every change to the
 * rules and the directory the figures and the routing depend on, as an
 * event in a hash chain of its own, written in the same transaction as the
 * change.
 *
 * The chain covers thirteen sections, each a table read as rows keyed by its
 * key: settings (key), calendar (calendar_days, by day), keywords
 * (intake_rules), categories (hazard_categories), routes (hazard_routes),
 * users, units and api_keys (each by id), the delivery channels (by
 * name, migration 013), since migration 016 the request categories (by
 * code) and request_routes (by id), and since migration 017 the 考核's manual
 * entries (assessment: assessment_entries) and objections
 * (assessment_objections), by id: they are not configuration, but records
 * the office makes by hand that must be as tamper-evident as the rules they
 * apply.  A row is a canonical JSON object of its columns; a password hash,
 * an API key's hash or a channel's secret appears only as
 * the SHA-256 of it, so the chain says that a secret changed, never what it
 * is.  An event is (seq, at, actor, action, section, key, before, after),
 * before/after the whole row or null (absent), and
 *
 *   canonical = JSON, keys sorted, no spaces, of
 *               {"action","actor","after","at","before","key","section","seq"}
 *   hash      = lowercase hex SHA-256(prev_hash || canonical)
 *
 * with prev_hash "" for seq 1.  The first event is a baseline (section "*"):
 * after = {"rows": {section: {key: row}}}, every row as it was when the chain
 * began (a new database after its migrations, an older one at its upgrade);
 * an upgrade event records in the same shape the rows a later migration
 * changed.  Replaying the chain from the baseline gives each section's
 * rows; config_chain_verify compares them with the tables, so a change made
 * behind the chain's back (plain SQL) is named by section and key. */
#ifndef LUOSHI_CORE_CONFIG_CHAIN_H
#define LUOSHI_CORE_CONFIG_CHAIN_H

#include <jansson.h>
#include <stdint.h>

#include "core/core.h"
#include "core/verify.h"
#include "db/db.h"

/* The schema version whose migration made config_events (src/db/sql/…/009). */
#define CONFIG_CHAIN_SCHEMA 9

enum config_section {
    CONFIG_SETTINGS,
    CONFIG_CALENDAR,
    CONFIG_KEYWORDS,
    CONFIG_CATEGORIES,
    CONFIG_ROUTES,
    CONFIG_USERS,
    CONFIG_UNITS,
    CONFIG_API_KEYS,
    CONFIG_CHANNELS,
    CONFIG_REQUEST_CATEGORIES,
    CONFIG_REQUEST_ROUTES,
    CONFIG_ASSESSMENT,
    CONFIG_OBJECTIONS,
    CONFIG_SECTIONS
};

/* The section's name as the chain and the admin pages show it ("settings"). */
const char *config_section_name(enum config_section s);
/* The section called name, or -1. */
int config_section_find(const char *name);

/* The row of section s whose key is key (text: an id as decimal digits) as
 * its canonical JSON object into *row (caller owns; NULL when there is no
 * such row).  A db code. */
int config_row(struct db *db, enum config_section s, const char *key, json_t **row);
/* Record a change of one row inside the caller's write transaction: before
 * is the row as config_row read it before the change (stolen; NULL when it
 * did not exist), the row after is read now.  Appends an event unless the
 * two are equal; on an empty chain first writes the baseline (with before in
 * place of the changed row).  0, or -1 with e (503 "busy" when another
 * writer appended meanwhile: the pool runs the job again). */
int config_record(struct db *db, const struct actor *a, const char *action, enum config_section s,
                  const char *key, json_t *before, struct err *e);
/* A key as config_row takes it, for the sections keyed by id. */
void config_key_id(int64_t id, char out[24]);

/* Every section's rows now: {section: {key: row}} (caller owns), or NULL
 * when they cannot be read (the tables predate this code).  Taken before
 * migrations, for config_chain_upgrade. */
json_t *config_snapshot(struct db *db);
/* The same of a database at schema version schema: the sections the chain
 * took in later (their `since` is above schema) as empty, so that the
 * upgrade records their rows as new.  Caller owns; NULL as above. */
json_t *config_snapshot_at(struct db *db, int schema);
/* After migrations: write the baseline when the chain is empty, or record
 * as one "upgrade" event the rows that changed since before (a
 * config_snapshot taken before the migrations; NULL: nothing to compare).
 * schema is the version now.  0, or -1 with e. */
int config_chain_upgrade(struct db *db, json_t *before, int schema, struct err *e);

/* The chain's head: *seq (0 when empty) and its hash ("" when empty).  A db code. */
int config_chain_head(struct db *db, int64_t *seq, char hash[65]);
/* The hash of event seq into hash ("" when seq is 0): 1 found, 0 not, or a db code. */
int config_chain_hash_at(struct db *db, int64_t seq, char hash[65]);

/* Recompute the chain (sequence, links, hashes, each change's before
 * against the replayed row) and compare the replayed rows with the tables,
 * reporting every difference to v.  *events gets the chain's length.
 * DB_OK when it could read everything (problems or not), else a db code. */
int config_chain_verify(struct db *db, struct verify_log *v, int64_t *events);

/* {"events":[{"seq","at","actor","action","section","key","before","after",
 * "changed":[fields]}],"total_count","offset","limit"}, newest first, of one
 * section (NULL: all), for the admin pages (a password's digest shows only
 * as "changed").  NULL with e. */
json_t *config_chain_list_json(struct db *db, const char *section, int64_t offset, int64_t limit,
                               struct err *e);

#endif
