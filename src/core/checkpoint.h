/* checkpoint.h — signed checkpoints (签名检查点): what the database held at a
 * moment, in 32 bytes signed by a key kept outside it.
 *
 * A checkpoint is the Merkle root over every item's (id, event count, head
 * hash) (merkle_store.h), the number of items (size), the configuration
 * chain's head (config_seq, config_hash), the time in ms, a sequence number
 * and the previous checkpoint's hash, as the canonical JSON
 *
 *   {"config_hash","config_seq","prev_hash","root","seq","size","time"}
 *
 * (keys sorted, no spaces); its hash is the hex SHA-256 of that text and
 * its signature the Ed25519 signature (libsodium) of "luoshi checkpoint
 * v1\n" followed by it.  The key pair lives in files (cli/keyfile.c), never
 * in the database; a checkpoint names its key by key_id, the first 16 hex
 * digits of the SHA-256 of the public key.  `luoshi verify` trusts only a
 * public key given from outside. */
#ifndef LUOSHI_CORE_CHECKPOINT_H
#define LUOSHI_CORE_CHECKPOINT_H

#include <jansson.h>
#include <sodium.h>
#include <stdint.h>

#include "core/core.h"
#include "core/verify.h"
#include "db/db.h"

/* A key: the public half always, the secret half when can_sign. */
struct checkpoint_key {
    unsigned char pk[crypto_sign_PUBLICKEYBYTES];
    unsigned char sk[crypto_sign_SECRETKEYBYTES];
    int can_sign;
    char id[17];
};

/* One checkpoint as stored (size: the tree's, the highest covered item id
 * + 1; items: how many items it covers, filled by checkpoint_take only). */
struct checkpoint {
    int64_t seq, at, size, config_seq, items;
    char reason[16];
    char root[65], config_hash[65], prev_hash[65], hash[65];
    char key_id[17], signature[129];
};

/* The key pair of a 32-byte seed (the secret key file's contents). */
void checkpoint_key_from_seed(const unsigned char seed[crypto_sign_SEEDBYTES],
                              struct checkpoint_key *k);
/* A public key alone (can_sign 0). */
void checkpoint_key_from_public(const unsigned char pk[crypto_sign_PUBLICKEYBYTES],
                                struct checkpoint_key *k);

/* The canonical text c's hash and signature are over (malloc'd). */
char *checkpoint_canonical(const struct checkpoint *c);
/* 1 when c's hash is its canonical text's and its signature verifies under
 * k (whose id must be c's key_id), else 0. */
int checkpoint_signed_by(const struct checkpoint *c, const struct checkpoint_key *k);

/* Take a checkpoint with k (which can sign) inside the caller's write
 * transaction: bring the tree up to date, sign, store.  Unless force, when
 * nothing changed since the latest checkpoint that one is returned instead
 * (*taken 0).  0 with *out, or -1 with e: 409 "tampered" when an item's
 * chain no longer holds what the previous checkpoint covered (nothing is
 * signed then; the message names the items), 503 on a concurrent one. */
int checkpoint_take(struct db *db, const struct checkpoint_key *k, const char *reason, int force,
                    struct checkpoint *out, int *taken, struct err *e);
/* The latest checkpoint: 1 with *out, 0 when there is none, or a db code. */
int checkpoint_latest(struct db *db, struct checkpoint *out);
/* The time of the latest checkpoint (0 when none).  A db code. */
int checkpoint_latest_at(struct db *db, int64_t *at);

/* Check the checkpoints: their sequence and chain of hashes, each hash
 * against its fields, each signature under pub (NULL: not checked; the
 * caller says so), the latest one's root against the stored leaves, and its
 * configuration head against the configuration chain.  Problems go to v;
 * *count gets the number of checkpoints and *latest the newest (seq 0 when
 * none).  DB_OK when all could be read, else a db code. */
int checkpoint_verify(struct db *db, const struct checkpoint_key *pub, struct verify_log *v,
                      int64_t *count, struct checkpoint *latest);

/* A checkpoint published elsewhere (checkpoint_json's form, its signature
 * checked by the caller) must still be in the database unchanged: a problem
 * to v when it is missing or differs.  A db code. */
int checkpoint_published(struct db *db, const struct checkpoint *c, struct verify_log *v);

/* {"seq","time","reason","size","root","config_seq","config_hash","prev_hash",
 * "hash","key_id","signature","signed":canonical text} of c (caller owns):
 * what `luoshi checkpoint --export` prints and a proof carries. */
json_t *checkpoint_json(const struct checkpoint *c);
/* The checkpoint of such an object.  0, or -1 when a field is missing or
 * malformed. */
int checkpoint_from_json(json_t *o, struct checkpoint *c);

#endif
