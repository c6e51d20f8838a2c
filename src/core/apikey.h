/* apikey.h — Open311 API keys (`luoshi apikey add`).
 *
 * A key is 32 random bytes shown once as 64 hex digits; only its SHA-256 is
 * stored, so a copy of the database gives no usable key.  POST requests of
 * GeoReport v2 must carry one (api_key); the reads need none. */
#ifndef LUOSHI_CORE_APIKEY_H
#define LUOSHI_CORE_APIKEY_H

#include <jansson.h>
#include <stdint.h>

#include "core/core.h"
#include "db/db.h"
#include "util/arena.h"

#define APIKEY_LEN 64

/* Create a key called name (1..100 characters) as a does, inside a
 * transaction (an event of the configuration chain, which keeps the SHA-256
 * of the key's hash): the key goes to key (APIKEY_LEN + 1 bytes).  0 with
 * *id, or -1 with e. */
int apikey_create(struct db *db, const struct actor *a, const char *name, char key[APIKEY_LEN + 1],
                  int64_t *id, struct err *e);
/* Look a presented key up: 1 with *id and *name (its whole name, in a) when
 * it is known and not revoked, 0 when not, or a negative db code. */
int apikey_check(struct db *db, const char *key, int64_t *id, struct arena *a, const char **name);
/* Revoke the keys called name as a does (each an event of the configuration
 * chain): 1 revoked, 0 no such key, or -1 with e. */
int apikey_revoke(struct db *db, const struct actor *a, const char *name, struct err *e);
/* {"api_keys":[{"id","name","created_at","revoked"}]} (never the keys). */
json_t *apikey_list_json(struct db *db, struct err *e);

#endif
