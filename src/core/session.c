/* session.c — creating, resolving and revoking sessions.  See session.h. */
#include "core/session.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "util/str.h"
#include "util/time.h"
#include "util/utf8.h"

void session_random_hex(char *out, size_t nbytes)
{
    unsigned char raw[64];
    if (nbytes > sizeof raw) nbytes = sizeof raw;
    randombytes_buf(raw, nbytes);
    str_hex(raw, nbytes, out);
}

static void token_hash(const char *token, char out[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
    str_hex(h, sizeof h, out);
}

int session_create(struct db *db, int64_t user_id, int is_api, int64_t ttl_ms,
                   char token[SESSION_TOKEN_LEN + 1], char csrf[SESSION_TOKEN_LEN + 1],
                   struct err *e)
{
    char hash[65];
    session_random_hex(token, SESSION_TOKEN_LEN / 2);
    session_random_hex(csrf, SESSION_TOKEN_LEN / 2);
    token_hash(token, hash);
    int64_t now = time_now_ms();
    struct db_stmt *st = db_prepare(db, "INSERT INTO sessions (token_hash, user_id, kind, csrf,"
                                        " created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    if (!st) return err_db(e, DB_ERR, "creating a session");
    db_bind_text(st, 1, hash, (size_t)-1);
    db_bind_int64(st, 2, user_id);
    db_bind_text(st, 3, is_api ? "api" : "web", (size_t)-1);
    db_bind_text(st, 4, csrf, (size_t)-1);
    db_bind_int64(st, 5, now);
    db_bind_int64(st, 6, now + ttl_ms);
    int rc = db_step(st);
    db_finalize(st);
    return rc == DB_DONE ? 0 : err_db(e, rc, "creating a session");
}

static int token_well_formed(const char *token)
{
    if (strlen(token) != SESSION_TOKEN_LEN) return 0;
    for (const char *p = token; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'))) return 0;
    return 1;
}

/* Resolved sessions kept in memory (direct-mapped by the token's hash, one
 * mutex) under session_stamp (migration 019), which every revocation, every
 * removed session and every change to a user replaces: an entry is used
 * only while the database's stamp is the one it was read under, so a
 * revocation from any instance or tool is seen by the next request.  The
 * stamp is read before the session, so an entry is never newer than its
 * stamp.  A collision overwrites: the cache only saves work. */
#define SC_SLOTS 256

struct sc_slot {
    char hash[65];
    int64_t stamp, expires_at;
    struct session_info info;
};

static struct sc_slot sc_slots[SC_SLOTS];
static pthread_mutex_t sc_mu = PTHREAD_MUTEX_INITIALIZER;

static struct sc_slot *sc_slot_of(const char hash[65])
{
    unsigned h = 0;
    for (int k = 0; k < 6; k++)
        h = h * 16 + (unsigned)(hash[k] <= '9' ? hash[k] - '0' : hash[k] - 'a' + 10);
    return &sc_slots[h % SC_SLOTS];
}

static int sc_get(const char hash[65], int64_t stamp, int64_t now, struct session_info *out)
{
    struct sc_slot *s = sc_slot_of(hash);
    int hit = 0;
    pthread_mutex_lock(&sc_mu);
    if (s->hash[0] && s->stamp == stamp && s->expires_at > now && !strcmp(s->hash, hash)) {
        *out = s->info;
        out->actor.username = out->username;
        hit = 1;
    }
    pthread_mutex_unlock(&sc_mu);
    return hit;
}

static void sc_put(const char hash[65], int64_t stamp, int64_t expires_at,
                   const struct session_info *info)
{
    struct sc_slot *s = sc_slot_of(hash);
    pthread_mutex_lock(&sc_mu);
    memcpy(s->hash, hash, 65);
    s->stamp = stamp;
    s->expires_at = expires_at;
    s->info = *info;
    pthread_mutex_unlock(&sc_mu);
}

/* The session of hash from the database into *out: 1, 0 or a db code. */
static int session_read(struct db *db, const char *hash, int64_t now, struct session_info *out,
                        int64_t *expires_at)
{
    struct db_stmt *st = db_prepare(
        db, "SELECT s.id, s.kind, s.csrf, u.id, u.username, u.unit_id, u.roles, s.expires_at"
            " FROM sessions s JOIN users u ON u.id = s.user_id"
            " WHERE s.token_hash = ?1 AND s.revoked = 0 AND s.expires_at > ?2 AND u.disabled = 0");
    if (!st) return DB_ERR;
    db_bind_text(st, 1, hash, (size_t)-1);
    db_bind_int64(st, 2, now);
    int rc = db_step(st);
    if (rc == DB_ROW) {
        memset(out, 0, sizeof *out);
        out->id = db_column_int64(st, 0);
        out->is_api = strcmp(db_column_text(st, 1), "api") == 0;
        snprintf(out->csrf, sizeof out->csrf, "%s", db_column_text(st, 2));
        out->actor.user_id = db_column_int64(st, 3);
        utf8_copy(out->username, sizeof out->username, db_column_text(st, 4)); /* ASCII, <= 64 */
        out->actor.username = out->username;
        out->actor.unit_id = db_column_int64(st, 5);
        out->actor.roles = (unsigned)db_column_int64(st, 6);
        *expires_at = db_column_int64(st, 7);
    }
    db_finalize(st);
    return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : rc;
}

int session_lookup(struct db *db, const char *token, struct session_info *out)
{
    if (!token_well_formed(token)) return 0;
    char hash[65];
    token_hash(token, hash);
    int64_t now = time_now_ms(), stamp = 0, expires_at = 0;
    int rc = session_stamp(db, &stamp);
    if (rc != DB_OK) return rc < 0 ? rc : DB_ERR;
    if (sc_get(hash, stamp, now, out)) return 1;
    rc = session_read(db, hash, now, out, &expires_at);
    if (rc == 1) sc_put(hash, stamp, expires_at, out);
    return rc;
}

int session_revoke(struct db *db, const char *token, struct err *e)
{
    char hash[65];
    token_hash(token, hash);
    struct db_stmt *st = db_prepare(db, "UPDATE sessions SET revoked = 1 WHERE token_hash = ?1");
    if (!st) return err_db(e, DB_ERR, "revoking a session");
    db_bind_text(st, 1, hash, (size_t)-1);
    int rc = db_step(st);
    db_finalize(st);
    return rc == DB_DONE ? 0 : err_db(e, rc, "revoking a session");
}

int session_stamp(struct db *db, int64_t *stamp)
{
    return db_stamp(db, DB_STAMP_SESSION, stamp);
}
