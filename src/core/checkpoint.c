/* checkpoint.c — taking, storing and checking signed checkpoints.  See
 * checkpoint.h; the tree they sign is merkle_store.c's. */
#include "core/checkpoint.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config_chain.h"
#include "core/merkle_store.h"
#include "util/mem.h"
#include "util/str.h"
#include "util/time.h"

#define CHECKPOINT_DOMAIN "luoshi checkpoint v1\n"

static void key_id(struct checkpoint_key *k)
{
    unsigned char h[crypto_hash_sha256_BYTES];
    char hex[65];
    crypto_hash_sha256(h, k->pk, sizeof k->pk);
    str_hex(h, sizeof h, hex);
    memcpy(k->id, hex, 16);
    k->id[16] = '\0';
}

void checkpoint_key_from_seed(const unsigned char seed[crypto_sign_SEEDBYTES],
                              struct checkpoint_key *k)
{
    crypto_sign_seed_keypair(k->pk, k->sk, seed);
    k->can_sign = 1;
    key_id(k);
}

void checkpoint_key_from_public(const unsigned char pk[crypto_sign_PUBLICKEYBYTES],
                                struct checkpoint_key *k)
{
    memcpy(k->pk, pk, sizeof k->pk);
    sodium_memzero(k->sk, sizeof k->sk);
    k->can_sign = 0;
    key_id(k);
}

char *checkpoint_canonical(const struct checkpoint *c)
{
    json_t *o =
        json_pack("{s:s,s:I,s:s,s:s,s:I,s:I,s:I}", "config_hash", c->config_hash, "config_seq",
                  (json_int_t)c->config_seq, "prev_hash", c->prev_hash, "root", c->root, "seq",
                  (json_int_t)c->seq, "size", (json_int_t)c->size, "time", (json_int_t)c->at);
    char *s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(o);
    return s;
}

/* The signed message: the domain line, then the canonical text. */
static char *signed_message(const char *canon, size_t *len)
{
    size_t d = sizeof CHECKPOINT_DOMAIN - 1, n = strlen(canon);
    char *m = xmalloc(d + n + 1);
    memcpy(m, CHECKPOINT_DOMAIN, d);
    memcpy(m + d, canon, n + 1);
    *len = d + n;
    return m;
}

static void sha256_hex(const char *s, char out[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)s, strlen(s));
    str_hex(h, sizeof h, out);
}

/* Fill c's hash, key_id and signature with k. */
static void checkpoint_sign(struct checkpoint *c, const struct checkpoint_key *k)
{
    char *canon = checkpoint_canonical(c);
    size_t len;
    char *m = signed_message(canon, &len);
    unsigned char sig[crypto_sign_BYTES];
    crypto_sign_detached(sig, NULL, (const unsigned char *)m, len, k->sk);
    sha256_hex(canon, c->hash);
    snprintf(c->key_id, sizeof c->key_id, "%s", k->id);
    str_hex(sig, sizeof sig, c->signature);
    free(m);
    free(canon);
}

int checkpoint_signed_by(const struct checkpoint *c, const struct checkpoint_key *k)
{
    char *canon = checkpoint_canonical(c), hash[65];
    unsigned char sig[crypto_sign_BYTES];
    size_t n = 0, len;
    int ok = 0;
    if (!canon) return 0;
    sha256_hex(canon, hash);
    char *m = signed_message(canon, &len);
    if (!strcmp(hash, c->hash) && !strcmp(k->id, c->key_id) &&
        !sodium_hex2bin(sig, sizeof sig, c->signature, strlen(c->signature), NULL, &n, NULL) &&
        n == sizeof sig)
        ok = crypto_sign_verify_detached(sig, (const unsigned char *)m, len, k->pk) == 0;
    free(m);
    free(canon);
    return ok;
}

/* ---- storage ---- */

#define CHECKPOINT_COLS                                                                            \
    "seq, at, reason, size, root, config_seq, config_hash, prev_hash, hash, key_id, signature"

static void copy_text(struct db_stmt *st, int col, char *out, size_t len)
{
    snprintf(out, len, "%s", db_column_is_null(st, col) ? "" : db_column_text(st, col));
}

/* The checkpoint in st's row (CHECKPOINT_COLS). */
static void checkpoint_row(struct db_stmt *st, struct checkpoint *c)
{
    memset(c, 0, sizeof *c);
    c->seq = db_column_int64(st, 0);
    c->at = db_column_int64(st, 1);
    copy_text(st, 2, c->reason, sizeof c->reason);
    c->size = db_column_int64(st, 3);
    copy_text(st, 4, c->root, sizeof c->root);
    c->config_seq = db_column_int64(st, 5);
    copy_text(st, 6, c->config_hash, sizeof c->config_hash);
    copy_text(st, 7, c->prev_hash, sizeof c->prev_hash);
    copy_text(st, 8, c->hash, sizeof c->hash);
    copy_text(st, 9, c->key_id, sizeof c->key_id);
    copy_text(st, 10, c->signature, sizeof c->signature);
}

int checkpoint_latest(struct db *db, struct checkpoint *out)
{
    struct db_stmt *st = db_prepare(db, "SELECT " CHECKPOINT_COLS " FROM checkpoints"
                                        " ORDER BY seq DESC LIMIT 1");
    if (!st) return DB_ERR;
    int rc = db_step(st);
    if (rc == DB_ROW) checkpoint_row(st, out);
    db_finalize(st);
    return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : rc;
}

int checkpoint_latest_at(struct db *db, int64_t *at)
{
    return db_query_int64(db, "SELECT coalesce(max(at), 0) FROM checkpoints", 0, 0, at);
}

static int checkpoint_insert(struct db *db, const struct checkpoint *c)
{
    struct db_stmt *st = db_prepare(db, "INSERT INTO checkpoints (" CHECKPOINT_COLS ") VALUES"
                                        " (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, c->seq);
    db_bind_int64(st, 2, c->at);
    db_bind_text(st, 3, c->reason, (size_t)-1);
    db_bind_int64(st, 4, c->size);
    db_bind_text(st, 5, c->root, (size_t)-1);
    db_bind_int64(st, 6, c->config_seq);
    db_bind_text(st, 7, c->config_hash, (size_t)-1);
    db_bind_text(st, 8, c->prev_hash, (size_t)-1);
    db_bind_text(st, 9, c->hash, (size_t)-1);
    db_bind_text(st, 10, c->key_id, (size_t)-1);
    db_bind_text(st, 11, c->signature, (size_t)-1);
    int rc = db_step(st);
    db_finalize(st);
    if (rc == DB_UNIQUE) return DB_RETRY; /* another instance took one meanwhile */
    return rc == DB_DONE ? DB_OK : rc;
}

/* ---- taking one ---- */

/* 1 when neither an item nor the configuration changed since prev. */
static int unchanged(struct db *db, const struct checkpoint *prev, int64_t cfg_seq, int *rc)
{
    int64_t pending = 0;
    *rc = merkle_store_pending(db, &pending);
    return *rc == DB_OK && !pending && cfg_seq == prev->config_seq;
}

/* The tree brought up to date into c's root and size.  0, or -1 with e. */
static int checkpoint_tree(struct db *db, struct checkpoint *c, struct err *e)
{
    unsigned char root[MERKLE_HASH_LEN];
    int refused = 0;
    struct buf why;
    buf_init(&why, 0);
    int ret = merkle_store_update(db, &c->size, root, &refused, &why, e);
    if (!ret && refused) {
        if (why.len) why.data[--why.len] = '\0'; /* the last newline */
        ret = err_set(e, 409, "tampered",
                      "no checkpoint signed: an item's chain no longer holds what the last"
                      " checkpoint covered: %.400s",
                      buf_cstr(&why));
    }
    buf_free(&why);
    if (!ret) str_hex(root, sizeof root, c->root);
    return ret;
}

int checkpoint_take(struct db *db, const struct checkpoint_key *k, const char *reason, int force,
                    struct checkpoint *out, int *taken, struct err *e)
{
    struct checkpoint prev = {0}, *c = out;
    *taken = 0;
    if (!k || !k->can_sign) return err_set(e, 500, "no_key", "no signing key was given");
    int rc = checkpoint_latest(db, &prev);
    int64_t cfg_seq = 0;
    char cfg_hash[65];
    if (rc >= 0) rc = config_chain_head(db, &cfg_seq, cfg_hash);
    if (rc < 0) return err_db(e, rc, "reading the checkpoints");
    if (!force && prev.seq && unchanged(db, &prev, cfg_seq, &rc)) {
        *out = prev;
        return 0;
    }
    if (rc != DB_OK) return err_db(e, rc, "reading the checkpoints");
    memset(c, 0, sizeof *c);
    c->seq = prev.seq + 1;
    c->at = time_now_ms();
    if (c->at <= prev.at) c->at = prev.at + 1; /* time only moves forward along the chain */
    snprintf(c->reason, sizeof c->reason, "%s", reason);
    c->config_seq = cfg_seq;
    snprintf(c->config_hash, sizeof c->config_hash, "%s", cfg_hash);
    snprintf(c->prev_hash, sizeof c->prev_hash, "%s", prev.hash);
    if (checkpoint_tree(db, c, e)) return -1;
    rc = db_query_int64(db, "SELECT count(*) FROM merkle_leaves", 0, 0, &c->items);
    if (rc != DB_OK) return err_db(e, rc, "counting the covered items");
    checkpoint_sign(c, k);
    rc = checkpoint_insert(db, c);
    if (rc == DB_RETRY) return err_set(e, 503, "busy", "another checkpoint was taken meanwhile");
    if (rc != DB_OK) return err_db(e, rc, "storing the checkpoint");
    *taken = 1;
    return 0;
}

/* ---- checking ---- */

/* One stored checkpoint against the previous one, its hash, its signature
 * and the configuration chain. */
static int check_one(struct db *db, const struct checkpoint *c, const struct checkpoint *prev,
                     const struct checkpoint_key *pub, struct verify_log *v)
{
    long long seq = c->seq;
    char *canon = checkpoint_canonical(c), hash[65] = "";
    if (canon) sha256_hex(canon, hash);
    free(canon);
    if (c->seq != prev->seq + 1)
        verify_problem(v,
                       "checkpoint %lld: sequence %lld where %lld was expected (a checkpoint"
                       " was deleted)",
                       seq, seq, (long long)prev->seq + 1);
    if (strcmp(c->prev_hash, prev->hash))
        verify_problem(v, "checkpoint %lld: prev_hash does not match the previous checkpoint", seq);
    if (strcmp(hash, c->hash))
        verify_problem(v, "checkpoint %lld: its hash does not match its fields (it was edited)",
                       seq);
    else if (pub && strcmp(pub->id, c->key_id))
        verify_problem(v, "checkpoint %lld: signed by key %s, not by the trusted key %s", seq,
                       c->key_id, pub->id);
    else if (pub && !checkpoint_signed_by(c, pub))
        verify_problem(v, "checkpoint %lld: its signature does not verify under key %s", seq,
                       pub->id);
    char cfg[65];
    int rc = config_chain_hash_at(db, c->config_seq, cfg);
    if (rc < 0) return rc;
    if (!rc || strcmp(cfg, c->config_hash))
        verify_problem(v,
                       "checkpoint %lld: the configuration chain no longer holds the event seq"
                       " %lld it covered",
                       seq, (long long)c->config_seq);
    return DB_OK;
}

/* The latest checkpoint's root and size against the stored leaves. */
static int check_tree(struct db *db, const struct checkpoint *c, struct verify_log *v)
{
    int64_t size = 0, items = 0;
    unsigned char root[MERKLE_HASH_LEN];
    char hex[65];
    int rc = merkle_store_root(db, &size, &items, root);
    if (rc != DB_OK) {
        verify_problem(v, "checkpoint %lld: its tree cannot be read back (leaves are missing)",
                       (long long)c->seq);
        return DB_OK;
    }
    str_hex(root, sizeof root, hex);
    if (size != c->size || strcmp(hex, c->root))
        verify_problem(v,
                       "checkpoint %lld: the stored tree (size %lld, root %.16s…) is not the one"
                       " it signed (size %lld, root %.16s…)",
                       (long long)c->seq, (long long)size, hex, (long long)c->size, c->root);
    return DB_OK;
}

int checkpoint_verify(struct db *db, const struct checkpoint_key *pub, struct verify_log *v,
                      int64_t *count, struct checkpoint *latest)
{
    struct db_stmt *st = db_prepare(db, "SELECT " CHECKPOINT_COLS " FROM checkpoints ORDER BY seq");
    if (!st) return DB_ERR;
    struct checkpoint prev = {0}, c;
    int rc;
    *count = 0;
    while ((rc = db_step(st)) == DB_ROW) {
        checkpoint_row(st, &c);
        int crc = check_one(db, &c, &prev, pub, v);
        if (crc != DB_OK) {
            rc = crc;
            break;
        }
        prev = c;
        ++*count;
    }
    db_finalize(st);
    *latest = prev;
    if (rc != DB_DONE) return rc < 0 ? rc : DB_ERR;
    if (prev.seq) return check_tree(db, &prev, v);
    int64_t leaves = 0;
    rc = db_query_int64(db, "SELECT count(*) FROM merkle_leaves", 0, 0, &leaves);
    if (rc == DB_OK && leaves)
        verify_problem(v,
                       "checkpoints: none remain, but the tree of one covers %lld items (the"
                       " checkpoints were deleted)",
                       (long long)leaves);
    return rc;
}

int checkpoint_published(struct db *db, const struct checkpoint *c, struct verify_log *v)
{
    struct db_stmt *st =
        db_prepare(db, "SELECT " CHECKPOINT_COLS " FROM checkpoints WHERE seq = ?1");
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, c->seq);
    struct checkpoint have;
    int rc = db_step(st);
    if (rc == DB_ROW) checkpoint_row(st, &have);
    db_finalize(st);
    if (rc == DB_DONE)
        verify_problem(v, "checkpoint %lld, as published (root %.16s…), is missing",
                       (long long)c->seq, c->root);
    else if (rc == DB_ROW && (strcmp(have.hash, c->hash) || strcmp(have.signature, c->signature)))
        verify_problem(v, "checkpoint %lld differs from the one published (root %.16s…)",
                       (long long)c->seq, c->root);
    return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

/* ---- as JSON ---- */

json_t *checkpoint_json(const struct checkpoint *c)
{
    char at[40];
    time_format_iso(c->at, at, sizeof at);
    char *canon = checkpoint_canonical(c);
    json_t *o = json_pack("{s:I,s:I,s:s,s:s,s:I,s:s,s:I,s:s,s:s,s:s,s:s,s:s,s:s}", "seq",
                          (json_int_t)c->seq, "time", (json_int_t)c->at, "at", at, "reason",
                          c->reason, "size", (json_int_t)c->size, "root", c->root, "config_seq",
                          (json_int_t)c->config_seq, "config_hash", c->config_hash, "prev_hash",
                          c->prev_hash, "hash", c->hash, "key_id", c->key_id, "signature",
                          c->signature, "signed", canon ? canon : "");
    free(canon);
    return o;
}

/* A string field of o into out (len bytes), which it must fit.  0, or -1. */
static int str_field(json_t *o, const char *key, char *out, size_t len)
{
    const char *s = json_string_value(json_object_get(o, key));
    if (!s || strlen(s) >= len) return -1;
    memcpy(out, s, strlen(s) + 1);
    return 0;
}

static int int_field(json_t *o, const char *key, int64_t *out)
{
    json_t *v = json_object_get(o, key);
    if (!json_is_integer(v)) return -1;
    *out = json_integer_value(v);
    return 0;
}

int checkpoint_from_json(json_t *o, struct checkpoint *c)
{
    memset(c, 0, sizeof *c);
    if (!json_is_object(o)) return -1;
    return int_field(o, "seq", &c->seq) || int_field(o, "time", &c->at) ||
                   int_field(o, "size", &c->size) || int_field(o, "config_seq", &c->config_seq) ||
                   str_field(o, "root", c->root, sizeof c->root) ||
                   str_field(o, "config_hash", c->config_hash, sizeof c->config_hash) ||
                   str_field(o, "prev_hash", c->prev_hash, sizeof c->prev_hash) ||
                   str_field(o, "hash", c->hash, sizeof c->hash) ||
                   str_field(o, "key_id", c->key_id, sizeof c->key_id) ||
                   str_field(o, "signature", c->signature, sizeof c->signature)
               ? -1
               : 0;
}
