/* checkpoint_test.c — signed checkpoints (core/checkpoint.c), their tree
 * (core/merkle_store.c) and proofs (core/proof.c) on a real database: the
 * Ed25519 key against RFC 8032's first test vector, the canonical text, the
 * signature under the right key only, an incremental tree equal to one
 * computed from scratch over 2,600 items (41 chunks, the last partial) after
 * changes in many chunks, proofs round-tripping, a rewound chain refused.
 * SQLite, then PostgreSQL when LUOSHI_TEST_PG is set (testdb.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/checkpoint.h"
#include "core/event.h"
#include "core/item.h"
#include "core/merkle_store.h"
#include "core/proof.h"
#include "db/db.h"
#include "testdb.h"
#include "util/str.h"

#define ITEMS 2600 /* 40 full chunks of 64 and a partial one */

struct fixture {
    struct testdb t;
    struct db *db;
    struct checkpoint_key key, other;
    struct actor a;
    int64_t first; /* the first item's id */
};

static void seed_of(unsigned char fill, unsigned char seed[32])
{
    memset(seed, fill, 32);
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    *state = f;
    if (testdb_open(&f->t, "checkpoint")) return -1;
    f->db = f->t.db;
    unsigned char seed[32];
    seed_of(7, seed);
    checkpoint_key_from_seed(seed, &f->key);
    seed_of(8, seed);
    checkpoint_key_from_seed(seed, &f->other);
    f->a = (struct actor){0, "tester", 0, ROLE_ADMIN};
    struct err e = {0};
    if (db_begin(f->db)) return -1;
    for (int k = 0; k < ITEMS; k++) {
        struct item_input in = {.kind = "task",
                                .title = "事项",
                                .description = "",
                                .source = "plan",
                                .feedback_cycle = "none"};
        int64_t id;
        if (item_create(f->db, &f->a, &in, &id, &e)) return -1;
        if (!k) f->first = id;
    }
    return db_commit(f->db) == DB_OK ? 0 : -1;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    testdb_close(&f->t);
    free(f);
    return 0;
}

/* RFC 8032 section 7.1, test 1: the seed's public key, its signature of the
 * empty message; the key id is the SHA-256 of the public key, cut to 16. */
static void test_key(void **state)
{
    (void)state;
    unsigned char seed[32], sig[64], h[32];
    char hex[129];
    size_t n;
    assert_int_equal(
        sodium_hex2bin(seed, 32, "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
                       64, NULL, &n, NULL),
        0);
    struct checkpoint_key k;
    checkpoint_key_from_seed(seed, &k);
    str_hex(k.pk, 32, hex);
    assert_string_equal(hex, "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
    crypto_sign_detached(sig, NULL, (const unsigned char *)"", 0, k.sk);
    str_hex(sig, 64, hex);
    assert_string_equal(hex, "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb"
                             "8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
    crypto_hash_sha256(h, k.pk, 32);
    str_hex(h, 32, hex);
    hex[16] = '\0';
    assert_string_equal(k.id, hex);
    struct checkpoint_key p;
    checkpoint_key_from_public(k.pk, &p);
    assert_string_equal(p.id, k.id);
    assert_int_equal(p.can_sign, 0);
}

static void test_canonical(void **state)
{
    (void)state;
    struct checkpoint c = {.seq = 3, .at = 1741000000000, .size = 2, .config_seq = 9};
    strcpy(c.root, "ab");
    strcpy(c.config_hash, "cd");
    strcpy(c.prev_hash, "ef");
    char *s = checkpoint_canonical(&c);
    assert_string_equal(s, "{\"config_hash\":\"cd\",\"config_seq\":9,\"prev_hash\":\"ef\","
                           "\"root\":\"ab\",\"seq\":3,\"size\":2,\"time\":1741000000000}");
    free(s);
}

/* The root over every item, computed here from the items themselves: each
 * item's leaf at the position of its id, the empty leaf elsewhere. */
static void root_of_items(struct db *db, int64_t size, char out[65])
{
    struct db_stmt *st = db_prepare(db, "SELECT id, event_seq, event_hash FROM items ORDER BY id");
    unsigned char(*h)[32] = calloc((size_t)size, 32), root[32];
    size_t n = 0;
    for (int64_t k = 0; k < size; k++)
        merkle_leaf_hash("", 0, h[k]);
    while (db_step(st) == DB_ROW) {
        int64_t id = db_column_int64(st, 0);
        assert_true(id < size);
        merkle_item_leaf(id, db_column_int64(st, 1), db_column_text(st, 2), h[id]);
        n++;
    }
    db_finalize(st);
    assert_int_equal(n, ITEMS);
    merkle_root(h, (size_t)size, root);
    str_hex(root, 32, out);
    free(h);
}

static int take(struct fixture *f, struct checkpoint *c, int force, int *taken, struct err *e)
{
    memset(e, 0, sizeof *e);
    assert_int_equal(db_begin(f->db), DB_OK);
    int rc = checkpoint_take(f->db, &f->key, "test", force, c, taken, e);
    assert_int_equal(rc ? db_rollback(f->db) : db_commit(f->db), DB_OK);
    return rc;
}

static void append(struct fixture *f, int64_t id)
{
    assert_int_equal(db_begin(f->db), DB_OK);
    assert_int_equal(event_append(f->db, id, &f->a, "urge", NULL), DB_OK);
    assert_int_equal(db_commit(f->db), DB_OK);
}

static void test_take_incremental(void **state)
{
    struct fixture *f = *state;
    struct checkpoint c, c2;
    struct err e;
    int taken;
    char want[65];
    assert_int_equal(take(f, &c, 0, &taken, &e), 0);
    assert_int_equal(taken, 1);
    assert_int_equal(c.seq, 1);
    assert_int_equal(c.size, f->first + ITEMS); /* the highest id + 1 */
    root_of_items(f->db, c.size, want);
    assert_string_equal(c.root, want);
    assert_true(checkpoint_signed_by(&c, &f->key));
    assert_false(checkpoint_signed_by(&c, &f->other));
    c2 = c;
    c2.size++;
    assert_false(checkpoint_signed_by(&c2, &f->key));
    /* nothing changed: the latest is the answer, unless forced */
    assert_int_equal(take(f, &c2, 0, &taken, &e), 0);
    assert_int_equal(taken, 0);
    assert_int_equal(c2.seq, 1);
    /* a change in each chunk, the partial one too */
    for (int64_t k = 0; k < ITEMS; k += 700)
        append(f, f->first + k);
    append(f, f->first + ITEMS - 1);
    assert_int_equal(take(f, &c2, 0, &taken, &e), 0);
    assert_int_equal(taken, 1);
    assert_int_equal(c2.seq, 2);
    assert_string_equal(c2.prev_hash, c.hash);
    root_of_items(f->db, c2.size, want);
    assert_string_equal(c2.root, want);
    unsigned char root[32];
    int64_t size, items;
    assert_int_equal(merkle_store_root(f->db, &size, &items, root), DB_OK);
    assert_int_equal(items, ITEMS);
    str_hex(root, 32, want);
    assert_string_equal(c2.root, want);
    struct verify_log v;
    struct checkpoint latest;
    int64_t count;
    verify_log_init(&v, 10);
    assert_int_equal(checkpoint_verify(f->db, &f->key, &v, &count, &latest), DB_OK);
    assert_int_equal(v.problems, 0);
    assert_int_equal(count, 2);
    verify_log_free(&v);
}

static void test_proof(void **state)
{
    struct fixture *f = *state;
    struct checkpoint c;
    struct err e;
    int taken;
    append(f, f->first + 1500);
    assert_int_equal(take(f, &c, 1, &taken, &e), 0);
    append(f, f->first + 1500); /* after the checkpoint: not in the proof */
    json_t *p = proof_json(f->db, f->first + 1500, &e);
    assert_non_null(p);
    assert_int_equal(json_array_size(json_object_get(p, "events")), 2);
    assert_int_equal(json_integer_value(json_object_get(p, "newer_events")), 1);
    struct buf msg;
    buf_init(&msg, 0);
    assert_int_equal(proof_check(p, &f->key, &msg), 0);
    buf_reset(&msg);
    assert_int_equal(proof_check(p, &f->other, &msg), 1);
    char want[80];
    snprintf(want, sizeof want, "the checkpoint is not signed by key %s", f->other.id);
    assert_string_equal(buf_cstr(&msg), want);
    buf_reset(&msg);
    json_t *path = json_object_get(p, "path");
    char zero[65];
    memset(zero, '0', 64);
    zero[64] = '\0';
    json_array_set_new(path, 0, json_string(zero));
    assert_int_equal(proof_check(p, &f->key, &msg), 1);
    assert_string_equal(buf_cstr(&msg), "the leaf and path do not lead to the checkpoint's root");
    buf_free(&msg);
    json_decref(p);
}

/* A covered event deleted and the head pointed back: no checkpoint signs it. */
static void test_refuses_rewind(void **state)
{
    struct fixture *f = *state;
    struct checkpoint c;
    struct err e;
    int taken;
    int64_t id = f->first + 7;
    append(f, id);
    assert_int_equal(take(f, &c, 0, &taken, &e), 0);
    int pg = db_kind(f->db) == DB_PG;
    assert_int_equal(db_exec(f->db, pg ? "ALTER TABLE events DISABLE TRIGGER events_no_change"
                                       : "DROP TRIGGER events_no_delete"),
                     DB_OK);
    struct db_stmt *st = db_prepare(f->db, "DELETE FROM events WHERE item_id = ?1 AND seq = 2");
    db_bind_int64(st, 1, id);
    assert_int_equal(db_step(st), DB_DONE);
    db_finalize(st);
    st = db_prepare(f->db, "UPDATE items SET event_seq = 1, event_hash = (SELECT hash FROM events"
                           " WHERE item_id = ?1 AND seq = 1) WHERE id = ?1");
    db_bind_int64(st, 1, id);
    assert_int_equal(db_step(st), DB_DONE);
    db_finalize(st);
    append(f, id); /* a new event, so the item is marked */
    assert_int_equal(take(f, &c, 0, &taken, &e), -1);
    assert_int_equal(e.status, 409);
    char want[128];
    snprintf(want, sizeof want, "item %lld: its chain no longer holds the head of event seq 2",
             (long long)id);
    assert_non_null(strstr(e.message, want));
}

int main(void)
{
    if (sodium_init() < 0) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_key),
        cmocka_unit_test(test_canonical),
        cmocka_unit_test_setup_teardown(test_take_incremental, setup, teardown),
        cmocka_unit_test_setup_teardown(test_proof, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refuses_rewind, setup, teardown),
    };
    return testdb_rounds("checkpoint", tests);
}
