/* proof.c — building and checking one item's proof.  See proof.h. */
#include "core/proof.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/event.h"
#include "core/merkle_store.h"
#include "util/str.h"

#define PROOF_FORMAT "luoshi-proof-1"

/* The item's events 1..count, with their times in ms (what the hash covers). */
static json_t *proof_events(struct db *db, int64_t item_id, int64_t count, int *rc)
{
    struct db_stmt *st = db_prepare(db, "SELECT seq, at, actor, action, data, prev_hash, hash"
                                        " FROM events WHERE item_id = ?1 AND seq <= ?2"
                                        " ORDER BY seq");
    if (!st) return *rc = DB_ERR, NULL;
    db_bind_int64(st, 1, item_id);
    db_bind_int64(st, 2, count);
    json_t *list = json_array();
    while ((*rc = db_step(st)) == DB_ROW) {
        json_t *data = json_loads(db_column_text(st, 4), 0, NULL);
        json_array_append_new(
            list,
            json_pack("{s:I,s:I,s:s,s:s,s:o,s:s,s:s}", "seq", (json_int_t)db_column_int64(st, 0),
                      "at", (json_int_t)db_column_int64(st, 1), "actor", db_column_text(st, 2),
                      "action", db_column_text(st, 3), "data", data ? data : json_null(),
                      "prev_hash", db_column_text(st, 5), "hash", db_column_text(st, 6)));
    }
    db_finalize(st);
    if (*rc != DB_DONE) return json_decref(list), NULL;
    *rc = DB_OK;
    return list;
}

/* One attempt at reading the proof (a checkpoint taken meanwhile makes its
 * parts disagree: proof_json checks and tries again). */
static json_t *proof_read(struct db *db, int64_t item_id, int *rc, int *covered)
{
    struct checkpoint c;
    unsigned char path[MERKLE_PATH_MAX][MERKLE_HASH_LEN];
    size_t len = 0;
    int64_t count, size, newest = 0;
    char head[65], hex[65];
    *covered = 0;
    *rc = checkpoint_latest(db, &c);
    if (*rc != 1) return *rc = *rc == 0 ? DB_OK : *rc, NULL;
    *rc = merkle_store_path(db, item_id, &count, head, &size, path, &len);
    if (*rc != 1) return *rc = *rc == 0 ? DB_OK : *rc, NULL;
    *covered = 1;
    *rc = db_query_int64(db, "SELECT coalesce(max(seq), 0) FROM events WHERE item_id = ?1", 1,
                         item_id, &newest);
    json_t *events = *rc == DB_OK ? proof_events(db, item_id, count, rc) : NULL;
    if (!events) return NULL;
    json_t *p = json_array();
    for (size_t i = 0; i < len; i++) {
        str_hex(path[i], MERKLE_HASH_LEN, hex);
        json_array_append_new(p, json_string(hex));
    }
    return json_pack("{s:s,s:I,s:o,s:I,s:{s:I,s:I,s:s},s:o,s:o}", "format", PROOF_FORMAT, "item_id",
                     (json_int_t)item_id, "events", events, "newer_events",
                     (json_int_t)(newest - count), "leaf", "index", (json_int_t)item_id, "count",
                     (json_int_t)count, "head", head, "path", p, "checkpoint", checkpoint_json(&c));
}

json_t *proof_json(struct db *db, int64_t item_id, struct err *e)
{
    int64_t n = 0;
    int rc = db_query_int64(db, "SELECT count(*) FROM items WHERE id = ?1", 1, item_id, &n);
    if (rc != DB_OK) return err_db(e, rc, "reading the proof"), NULL;
    if (!n)
        return err_set(e, 404, "not_found", "no item with id %lld", (long long)item_id),
               err_detail(e, "item"), NULL;
    for (int attempt = 0; attempt < 3; attempt++) {
        int covered;
        json_t *p = proof_read(db, item_id, &rc, &covered);
        if (rc != DB_OK) return err_db(e, rc, "reading the proof"), NULL;
        if (!covered)
            return err_set(e, 409, "not_covered",
                           "no checkpoint covers item %lld yet (`luoshi checkpoint` takes one)",
                           (long long)item_id),
                   NULL;
        struct buf msg;
        buf_init(&msg, 0);
        int bad = proof_check(p, NULL, &msg);
        if (bad && attempt == 2)
            err_set(e, 500, "proof_broken", "the stored tree does not prove item %lld: %.300s",
                    (long long)item_id, buf_cstr(&msg));
        buf_free(&msg);
        if (!bad) return p;
        json_decref(p);
    }
    return NULL;
}

/* The events' chain: each hash recomputed, linked from "" to the leaf's
 * head at the leaf's count.  0, or 1 with msg. */
static int check_events(json_t *proof, int64_t item, int64_t count, const char *head,
                        struct buf *msg)
{
    json_t *events = json_object_get(proof, "events"), *ev;
    char prev[65] = "", hash[65];
    size_t i;
    if (!json_is_array(events) || (int64_t)json_array_size(events) != count)
        return buf_printf(msg, "the proof carries %zu events where its leaf covers %lld",
                          json_array_size(events), (long long)count),
               1;
    json_array_foreach(events, i, ev)
    {
        const char *actor = json_string_value(json_object_get(ev, "actor"));
        const char *action = json_string_value(json_object_get(ev, "action"));
        const char *ph = json_string_value(json_object_get(ev, "prev_hash"));
        const char *h = json_string_value(json_object_get(ev, "hash"));
        json_t *seq = json_object_get(ev, "seq"), *at = json_object_get(ev, "at");
        char *canon = actor && action && json_is_integer(at)
                          ? event_canonical(item, (int64_t)i + 1, json_integer_value(at), actor,
                                            action, json_object_get(ev, "data"))
                          : NULL;
        hash[0] = '\0';
        if (canon) event_hash(prev, canon, hash);
        free(canon);
        if (json_integer_value(seq) != (json_int_t)i + 1 || !ph || strcmp(ph, prev) || !h ||
            strcmp(h, hash))
            return buf_printf(msg, "event seq %zu does not hash to its place in the chain", i + 1),
                   1;
        memcpy(prev, hash, sizeof prev);
    }
    if (strcmp(prev, head))
        return buf_printf(msg, "the events end at a head other than the leaf's"), 1;
    return 0;
}

/* The leaf through the path to the checkpoint's root.  0, or 1 with msg. */
static int check_path(json_t *proof, int64_t item, const struct checkpoint *c, struct buf *msg)
{
    json_t *leaf = json_object_get(proof, "leaf"), *path = json_object_get(proof, "path"), *h;
    unsigned char p[MERKLE_PATH_MAX][MERKLE_HASH_LEN], lh[MERKLE_HASH_LEN], root[MERKLE_HASH_LEN];
    const char *head = json_string_value(json_object_get(leaf, "head"));
    size_t i, n = 0;
    if (!head || !json_is_array(path) || json_array_size(path) > MERKLE_PATH_MAX)
        return buf_printf(msg, "the proof's leaf or path is malformed"), 1;
    json_array_foreach(path, i, h)
    {
        const char *s = json_string_value(h);
        if (!s || sodium_hex2bin(p[i], MERKLE_HASH_LEN, s, strlen(s), NULL, &n, NULL) ||
            n != MERKLE_HASH_LEN)
            return buf_printf(msg, "the proof's path is malformed"), 1;
    }
    merkle_item_leaf(item, json_integer_value(json_object_get(leaf, "count")), head, lh);
    char hex[65] = "";
    json_int_t index = json_integer_value(json_object_get(leaf, "index"));
    if (index != item) /* an item's leaf is at the position of its id */
        return buf_printf(msg, "the leaf is not at its item's position"), 1;
    if (!merkle_path_root(lh, (uint64_t)index, (uint64_t)c->size, p, json_array_size(path), root))
        str_hex(root, sizeof root, hex);
    if (strcmp(hex, c->root))
        return buf_printf(msg, "the leaf and path do not lead to the checkpoint's root"), 1;
    return 0;
}

int proof_check(json_t *proof, const struct checkpoint_key *pub, struct buf *msg)
{
    struct checkpoint c;
    json_t *leaf = json_object_get(proof, "leaf");
    json_t *item = json_object_get(proof, "item_id"), *count = json_object_get(leaf, "count");
    const char *head = json_string_value(json_object_get(leaf, "head"));
    if (!json_is_object(proof) || !json_is_string(json_object_get(proof, "format")) ||
        strcmp(json_string_value(json_object_get(proof, "format")), PROOF_FORMAT) ||
        !json_is_integer(item) || !json_is_integer(count) || !head ||
        checkpoint_from_json(json_object_get(proof, "checkpoint"), &c))
        return buf_printf(msg, "not a luoshi proof (format %s)", PROOF_FORMAT), 1;
    int64_t id = json_integer_value(item);
    if (check_events(proof, id, json_integer_value(count), head, msg) ||
        check_path(proof, id, &c, msg))
        return 1;
    char *canon = checkpoint_canonical(&c), hash[65];
    unsigned char hh[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(hh, (const unsigned char *)canon, strlen(canon));
    str_hex(hh, sizeof hh, hash);
    free(canon);
    if (strcmp(hash, c.hash)) return buf_printf(msg, "the checkpoint's hash does not match it"), 1;
    if (pub && !checkpoint_signed_by(&c, pub))
        return buf_printf(msg, "the checkpoint is not signed by key %s", pub->id), 1;
    buf_printf(msg,
               "item %lld: %lld events (head %.16s…) covered by checkpoint %lld of %lld items"
               " (root %.16s…)%s%s",
               (long long)id, (long long)json_integer_value(count), head, (long long)c.seq,
               (long long)c.size, c.root, pub ? ", signed by key " : "", pub ? pub->id : "");
    return 0;
}
