/* apikey.c — creating and checking Open311 API keys.  See apikey.h. */
#include "core/apikey.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/config_chain.h"
#include "util/str.h"
#include "util/time.h"
#include "util/utf8.h"

static void key_hash(const char *key, char out[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)key, strlen(key));
    str_hex(h, sizeof h, out);
}

int apikey_create(struct db *db, const struct actor *a, const char *name, char key[APIKEY_LEN + 1],
                  int64_t *id, struct err *e)
{
    size_t n = utf8_count(name, strlen(name));
    if (n == 0 || n > 100)
        return err_set(e, 422, "invalid_field", "the name must have 1 to 100 characters");
    unsigned char raw[APIKEY_LEN / 2];
    randombytes_buf(raw, sizeof raw);
    str_hex(raw, sizeof raw, key);
    char hash[65];
    key_hash(key, hash);
    struct db_stmt *st = db_prepare(db, "INSERT INTO api_keys (name, key_hash, created_at)"
                                        " VALUES (?1, ?2, ?3) RETURNING id");
    if (!st) return err_db(e, DB_ERR, "storing the key");
    db_bind_text(st, 1, name, (size_t)-1);
    db_bind_text(st, 2, hash, (size_t)-1);
    db_bind_int64(st, 3, time_now_ms());
    int rc = db_step(st);
    if (rc == DB_ROW) *id = db_column_int64(st, 0), rc = DB_OK;
    db_finalize(st);
    if (rc != DB_OK) return err_db(e, rc, "storing the key");
    char k[24];
    config_key_id(*id, k);
    return config_record(db, a, "add", CONFIG_API_KEYS, k, NULL, e);
}

int apikey_check(struct db *db, const char *key, int64_t *id, struct arena *a, const char **name)
{
    *name = NULL;
    size_t n = strlen(key);
    if (n != APIKEY_LEN) return 0;
    for (size_t i = 0; i < n; i++)
        if (!((key[i] >= '0' && key[i] <= '9') || (key[i] >= 'a' && key[i] <= 'f'))) return 0;
    char hash[65];
    key_hash(key, hash);
    struct db_stmt *st =
        db_prepare(db, "SELECT id, name FROM api_keys WHERE key_hash = ?1 AND revoked = 0");
    if (!st) return DB_ERR;
    db_bind_text(st, 1, hash, (size_t)-1);
    int rc = db_step(st);
    if (rc == DB_ROW) {
        *id = db_column_int64(st, 0);
        *name = arena_strdup(a, db_column_text(st, 1)); /* whole: it names the events */
    }
    db_finalize(st);
    return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : rc;
}

/* Revoke key id, recorded as a's change. */
static int revoke_one(struct db *db, const struct actor *a, int64_t id, struct err *e)
{
    char k[24];
    json_t *before;
    config_key_id(id, k);
    int rc = config_row(db, CONFIG_API_KEYS, k, &before);
    if (rc != DB_OK) return err_db(e, rc, "revoking the key");
    struct db_stmt *st = db_prepare(db, "UPDATE api_keys SET revoked = 1 WHERE id = ?1");
    rc = DB_ERR;
    if (st) {
        db_bind_int64(st, 1, id);
        rc = db_step(st);
        db_finalize(st);
    }
    if (rc != DB_DONE) {
        json_decref(before);
        return err_db(e, rc, "revoking the key");
    }
    return config_record(db, a, "revoke", CONFIG_API_KEYS, k, before, e);
}

int apikey_revoke(struct db *db, const struct actor *a, const char *name, struct err *e)
{
    int found = 0;
    for (;;) { /* the keys of that name not yet revoked, a few at a time */
        int64_t ids[16];
        int n = 0, rc;
        struct db_stmt *st = db_prepare(db, "SELECT id, revoked FROM api_keys WHERE name = ?1"
                                            " ORDER BY revoked, id");
        if (!st) return err_db(e, DB_ERR, "revoking the key");
        db_bind_text(st, 1, name, (size_t)-1);
        while (n < 16 && (rc = db_step(st)) == DB_ROW) {
            found = 1;
            if (!db_column_int64(st, 1)) ids[n++] = db_column_int64(st, 0);
        }
        db_finalize(st);
        if (rc != DB_DONE && rc != DB_ROW) return err_db(e, rc, "revoking the key");
        if (n == 0) return found;
        for (int i = 0; i < n; i++)
            if (revoke_one(db, a, ids[i], e)) return -1;
    }
}

json_t *apikey_list_json(struct db *db, struct err *e)
{
    struct db_stmt *st =
        db_prepare(db, "SELECT id, name, created_at, revoked FROM api_keys ORDER BY id");
    if (!st) {
        err_db(e, DB_ERR, "reading keys");
        return NULL;
    }
    json_t *arr = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        char at[40];
        time_format_iso(db_column_int64(st, 2), at, sizeof at);
        json_array_append_new(arr, json_pack("{s:I,s:s,s:s,s:b}", "id",
                                             (json_int_t)db_column_int64(st, 0), "name",
                                             db_column_text(st, 1), "created_at", at, "revoked",
                                             (int)db_column_int64(st, 3)));
    }
    db_finalize(st);
    if (rc != DB_DONE) {
        json_decref(arr);
        err_db(e, rc, "reading keys");
        return NULL;
    }
    return json_pack("{s:o}", "api_keys", arr);
}
