/* apikey.c — creating and checking Open311 API keys.  See apikey.h. */
#include "core/apikey.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "util/str.h"
#include "util/time.h"
#include "util/utf8.h"

static void key_hash(const char *key, char out[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)key, strlen(key));
    str_hex(h, sizeof h, out);
}

int apikey_create(struct db *db, const char *name, char key[APIKEY_LEN + 1], int64_t *id,
                  struct err *e)
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
    return rc == DB_OK ? 0 : err_db(e, rc, "storing the key");
}

int apikey_check(struct db *db, const char *key, int64_t *id, char name[64])
{
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
        snprintf(name, 64, "%s", db_column_text(st, 1));
    }
    db_finalize(st);
    return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : rc;
}

int apikey_revoke(struct db *db, const char *name)
{
    struct db_stmt *st = db_prepare(db, "UPDATE api_keys SET revoked = 1 WHERE name = ?1");
    if (!st) return DB_ERR;
    db_bind_text(st, 1, name, (size_t)-1);
    int rc = db_step(st);
    db_finalize(st);
    if (rc != DB_DONE) return rc;
    return db_changes(db) > 0;
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
