/* setting.h — the rules people may change, as rows of the settings table:
 * the lights (core/light.h), the scheduler's urges, escalation ladder and
 * deductions (core/scheduler.h) and the outbox's retries (core/outbox.h).  One static table says
 * which keys exist and their ranges; the readers (light_rules_load, scheduler_rules_load) keep
 * their own fallbacks, so a value written here is always one they accept. */
#ifndef LUOSHI_CORE_SETTING_H
#define LUOSHI_CORE_SETTING_H

#include <jansson.h>
#include <stddef.h>

#include "core/core.h"
#include "db/db.h"
#include "util/arena.h"

/* One editable setting: an integer in [min, max], default def. */
struct setting_def {
    const char *key;
    int min, max, def;
};

/* The table, sorted by key; *n gets its length. */
const struct setting_def *setting_defs(size_t *n);

/* {"settings":[{"key","value","default","min","max"}]} in table order; value
 * is the stored one when it is an integer in range, else the default (what
 * the rules then use).  NULL with e on a database error. */
json_t *setting_list_json(struct db *db, struct err *e);

/* Write values (a JSON object key → integer) as changed by a, inside the
 * caller's write transaction, all or nothing, each change an event of the
 * configuration chain: every key must be in the table and every value an
 * integer in its range, and light.behind_red must stay at least
 * light.behind_yellow.  0, or -1 with e: 422 invalid_field naming the key
 * and the range, 5xx on storage. */
int setting_update(struct db *db, const struct actor *a, json_t *values, struct err *e);
/* Write one settings row (key → value text) as a does, inside the caller's
 * write transaction, as an event of the configuration chain; for the rows
 * outside the editable table (checkpoint.interval_minutes), whose callers
 * check the value.  0, or -1 with e. */
int setting_write(struct db *db, const struct actor *a, const char *key, const char *value,
                  struct err *e);

/* The stored text of any settings row (the table's integer rules and the
 * free-text ones: notice.office, open311.contact …), copied whole into a:
 * *value is NULL when the key is not stored, so the caller keeps its own
 * default.  0, or -1 with e on a storage error. */
int setting_text(struct db *db, const char *key, struct arena *a, const char **value,
                 struct err *e);

#endif
