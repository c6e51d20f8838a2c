/* merkle_store.c — the checkpoints' tree in the database.  See
 * merkle_store.h.
 *
 * An update costs what changed: the marked items (one joined query that
 * also reads the heads it checks), their leaves, the chunks they are in
 * (MERKLE_CHUNK leaf hashes each; a chunk of new items is hashed from
 * memory, another from its stored leaves) and the tree over the chunk
 * roots (one row per chunk). */
#include "core/merkle_store.h"

#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/mem.h"
#include "util/str.h"

typedef unsigned char hash_t[MERKLE_HASH_LEN];

void merkle_item_leaf(int64_t item_id, int64_t count, const char *head,
                      unsigned char out[MERKLE_HASH_LEN])
{
    char data[128];
    int n =
        snprintf(data, sizeof data, "%lld %lld %.64s", (long long)item_id, (long long)count, head);
    merkle_leaf_hash(data, (size_t)n, out);
}

int merkle_store_pending(struct db *db, int64_t *items)
{
    return db_query_int64(db, "SELECT count(*) FROM (SELECT DISTINCT item_id FROM merkle_dirty) d",
                          0, 0, items);
}

/* A marked item: its head now and its leaf. */
struct dirty {
    int64_t item, count, pos; /* pos -1: not in the tree yet */
    char head[65];
};

struct update {
    struct db *db;
    struct dirty *d;
    size_t n, cap;
    int64_t size0, size; /* leaves before and after */
    hash_t *fresh;       /* leaf hashes of the new items, by pos - size0 */
    int refused;
    struct buf *why;
};

static void refuse(struct update *u, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Note why the update is refused (the first few reasons are kept). */
static void refuse(struct update *u, const char *fmt, ...)
{
    u->refused = 1;
    if (u->why->len >= 4000) return;
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(u->why, fmt, ap);
    va_end(ap);
    buf_putc(u->why, '\n');
}

/* One row of the marked items' query into u->d, with its checks. */
static void dirty_row(struct update *u, struct db_stmt *st)
{
    long long item = db_column_int64(st, 0), seq = db_column_int64(st, 2);
    const char *head = db_column_text(st, 3), *newest = db_column_text(st, 8);
    int covered = !db_column_is_null(st, 4);
    if (db_column_is_null(st, 1)) {
        refuse(u, "item %lld: it has new events but its row is gone", item);
        return;
    }
    if (!newest || strcmp(newest, head)) {
        refuse(u, "item %lld: its head (seq %lld) is not its newest event", item, seq);
        return;
    }
    if (covered && (seq < db_column_int64(st, 5) || db_column_is_null(st, 7) ||
                    strcmp(db_column_text(st, 7), db_column_text(st, 6)))) {
        refuse(u, "item %lld: its chain no longer holds the head of event seq %lld", item,
               (long long)db_column_int64(st, 5));
        return;
    }
    if (u->n == u->cap) {
        u->cap = u->cap ? 2 * u->cap : 1024;
        u->d = xrealloc(u->d, u->cap * sizeof *u->d);
    }
    struct dirty *d = &u->d[u->n++];
    d->item = item;
    d->count = seq;
    d->pos = covered ? db_column_int64(st, 4) : -1;
    snprintf(d->head, sizeof d->head, "%s", head);
}

static int dirty_load(struct update *u)
{
    struct db_stmt *st = db_prepare(
        u->db, "SELECT d.item_id, i.id, i.event_seq, i.event_hash, l.pos, l.event_count, l.head,"
               " eo.hash, en.hash FROM (SELECT DISTINCT item_id FROM merkle_dirty) d"
               " LEFT JOIN items i ON i.id = d.item_id"
               " LEFT JOIN merkle_leaves l ON l.item_id = d.item_id"
               " LEFT JOIN events eo ON eo.item_id = d.item_id AND eo.seq = l.event_count"
               " LEFT JOIN events en ON en.item_id = d.item_id AND en.seq = i.event_seq"
               " ORDER BY d.item_id");
    if (!st) return DB_ERR;
    int rc;
    while ((rc = db_step(st)) == DB_ROW)
        dirty_row(u, st);
    db_finalize(st);
    return rc == DB_DONE ? DB_OK : rc;
}

/* Move each marked item's leaf; the new ones get the next positions. */
static int leaves_write(struct update *u)
{
    int rc = db_query_int64(u->db, "SELECT count(*) FROM merkle_leaves", 0, 0, &u->size0);
    u->size = u->size0;
    for (size_t i = 0; i < u->n && rc == DB_OK; i++) {
        struct dirty *d = &u->d[i];
        int fresh = d->pos < 0;
        if (fresh) d->pos = u->size++;
        struct db_stmt *st =
            fresh ? db_prepare(u->db, "INSERT INTO merkle_leaves (pos, item_id, event_count, head)"
                                      " VALUES (?1, ?2, ?3, ?4)")
                  : db_prepare(u->db, "UPDATE merkle_leaves SET event_count = ?3, head = ?4"
                                      " WHERE pos = ?1 AND item_id = ?2");
        if (!st) return DB_ERR;
        db_bind_int64(st, 1, d->pos);
        db_bind_int64(st, 2, d->item);
        db_bind_int64(st, 3, d->count);
        db_bind_text(st, 4, d->head, (size_t)-1);
        rc = db_step(st);
        db_finalize(st);
        rc = rc == DB_DONE ? DB_OK : rc;
    }
    if (rc != DB_OK) return rc;
    u->fresh = xcalloc((size_t)(u->size - u->size0) + 1, sizeof *u->fresh);
    for (size_t i = 0; i < u->n; i++)
        if (u->d[i].pos >= u->size0)
            merkle_item_leaf(u->d[i].item, u->d[i].count, u->d[i].head,
                             u->fresh[u->d[i].pos - u->size0]);
    return DB_OK;
}

/* The leaf hashes of positions [from, to) into out, from memory when they
 * are new, else from the stored leaves.  A db code. */
static int leaves_read(struct update *u, int64_t from, int64_t to, hash_t *out)
{
    if (from >= u->size0) {
        memcpy(out, u->fresh[from - u->size0], (size_t)(to - from) * sizeof *out);
        return DB_OK;
    }
    struct db_stmt *st = db_prepare(u->db, "SELECT pos, item_id, event_count, head"
                                           " FROM merkle_leaves WHERE pos >= ?1 AND pos < ?2"
                                           " ORDER BY pos");
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, from);
    db_bind_int64(st, 2, to);
    int rc;
    int64_t want = from;
    while ((rc = db_step(st)) == DB_ROW && want < to) {
        if (db_column_int64(st, 0) != want) break; /* a hole: the tree is damaged */
        merkle_item_leaf(db_column_int64(st, 1), db_column_int64(st, 2), db_column_text(st, 3),
                         out[want++ - from]);
    }
    db_finalize(st);
    if (rc != DB_ROW && rc != DB_DONE) return rc;
    return want == to ? DB_OK : DB_ERR;
}

/* The root of chunk c (its first MERKLE_CHUNK leaves, or fewer for the
 * last) into out. */
static int chunk_root(struct update *u, int64_t c, unsigned char out[MERKLE_HASH_LEN])
{
    int64_t from = c * MERKLE_CHUNK, to = from + MERKLE_CHUNK;
    if (to > u->size) to = u->size;
    hash_t *h = xmalloc((size_t)(to - from + 1) * sizeof *h);
    int rc = leaves_read(u, from, to, h);
    if (rc == DB_OK) merkle_root(h, (size_t)(to - from), out);
    free(h);
    return rc;
}

/* Recompute and keep the root of every full chunk a marked item is in. */
static int chunks_write(struct update *u)
{
    int64_t last = -1;
    for (size_t i = 0; i < u->n; i++) {
        int64_t c = u->d[i].pos / MERKLE_CHUNK;
        if (c == last || (c + 1) * MERKLE_CHUNK > u->size) continue; /* done, or partial */
        last = c;
        hash_t root;
        char hex[65];
        int rc = chunk_root(u, c, root);
        if (rc != DB_OK) return rc;
        str_hex(root, sizeof root, hex);
        struct db_stmt *st = db_prepare(u->db, "INSERT INTO merkle_chunks (idx, hash)"
                                               " VALUES (?1, ?2) ON CONFLICT (idx)"
                                               " DO UPDATE SET hash = excluded.hash");
        if (!st) return DB_ERR;
        db_bind_int64(st, 1, c);
        db_bind_text(st, 2, hex, (size_t)-1);
        rc = db_step(st);
        db_finalize(st);
        if (rc != DB_DONE) return rc;
    }
    return DB_OK;
}

static int dirty_pos_cmp(const void *a, const void *b)
{
    const struct dirty *x = a, *y = b;
    return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* The roots of every chunk into c (room for size / MERKLE_CHUNK + 1): the
 * kept ones of the full chunks, the partial last one computed; *n gets
 * their number. */
static int chunk_roots(struct update *u, hash_t *c, int64_t *n)
{
    int64_t full = u->size / MERKLE_CHUNK, got = 0;
    *n = full + (u->size % MERKLE_CHUNK != 0);
    struct db_stmt *st =
        db_prepare(u->db, "SELECT idx, hash FROM merkle_chunks WHERE idx < ?1 ORDER BY idx");
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, full);
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        size_t len = 0;
        if (db_column_int64(st, 0) != got ||
            sodium_hex2bin(c[got], MERKLE_HASH_LEN, db_column_text(st, 1), 64, NULL, &len, NULL) ||
            len != MERKLE_HASH_LEN)
            break;
        got++;
    }
    db_finalize(st);
    if (rc == DB_DONE || rc == DB_ROW) rc = got == full ? DB_OK : DB_ERR;
    if (rc == DB_OK && *n > full) rc = chunk_root(u, full, c[full]);
    return rc;
}

/* The root over the chunk roots. */
static int tree_root(struct update *u, unsigned char root[MERKLE_HASH_LEN])
{
    int64_t n;
    hash_t *c = xmalloc((size_t)(u->size / MERKLE_CHUNK + 2) * sizeof *c);
    int rc = chunk_roots(u, c, &n);
    if (rc == DB_OK) merkle_root(c, (size_t)n, root);
    free(c);
    return rc;
}

int merkle_store_update(struct db *db, int64_t *size, unsigned char root[MERKLE_HASH_LEN],
                        int *refused, struct buf *why, struct err *e)
{
    struct update u = {.db = db, .why = why};
    int rc = dirty_load(&u);
    *refused = 0;
    if (rc == DB_OK && u.refused) {
        *refused = 1;
        goto out;
    }
    if (rc == DB_OK) rc = leaves_write(&u);
    if (rc == DB_OK) {
        qsort(u.d, u.n, sizeof *u.d, dirty_pos_cmp);
        rc = chunks_write(&u);
    }
    if (rc == DB_OK) rc = tree_root(&u, root);
    if (rc == DB_OK)
        rc = db_exec(db, "DELETE FROM merkle_dirty WHERE seq <= (SELECT l.event_count"
                         " FROM merkle_leaves l WHERE l.item_id = merkle_dirty.item_id)");
    *size = u.size;
out:
    free(u.d);
    free(u.fresh);
    return rc == DB_OK ? 0 : err_db(e, rc, "updating the checkpoint tree");
}

int merkle_store_root(struct db *db, int64_t *size, unsigned char root[MERKLE_HASH_LEN])
{
    int rc = db_query_int64(db, "SELECT count(*) FROM merkle_leaves", 0, 0, size);
    if (rc != DB_OK) return rc;
    struct update u = {.db = db, .size0 = *size, .size = *size};
    hash_t *h = xmalloc((size_t)(*size + 1) * sizeof *h);
    rc = leaves_read(&u, 0, *size, h);
    if (rc == DB_OK) merkle_root(h, (size_t)*size, root);
    free(h);
    return rc;
}

/* Item item_id's leaf: 1 with *pos, *count and head, 0 when it has none. */
static int leaf_of(struct db *db, int64_t item_id, int64_t *pos, int64_t *count, char head[65])
{
    struct db_stmt *st = db_prepare(db, "SELECT pos, event_count, head FROM merkle_leaves"
                                        " WHERE item_id = ?1");
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, item_id);
    int rc = db_step(st);
    if (rc == DB_ROW) {
        *pos = db_column_int64(st, 0);
        *count = db_column_int64(st, 1);
        snprintf(head, 65, "%s", db_column_text(st, 2));
    }
    db_finalize(st);
    return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : rc;
}

int merkle_store_path(struct db *db, int64_t item_id, int64_t *pos, int64_t *count, char head[65],
                      int64_t *size, unsigned char (*path)[MERKLE_HASH_LEN], size_t *len)
{
    int rc = leaf_of(db, item_id, pos, count, head);
    if (rc != 1) return rc;
    rc = db_query_int64(db, "SELECT count(*) FROM merkle_leaves", 0, 0, size);
    if (rc != DB_OK) return rc;
    struct update u = {.db = db, .size0 = *size, .size = *size};
    int64_t c = *pos / MERKLE_CHUNK, from = c * MERKLE_CHUNK, to = from + MERKLE_CHUNK;
    if (to > *size) to = *size;
    int64_t nchunks = (*size + MERKLE_CHUNK - 1) / MERKLE_CHUNK;
    hash_t *h = xmalloc((size_t)(to - from + 1) * sizeof *h);
    hash_t *chunks = xmalloc((size_t)(nchunks + 1) * sizeof *chunks);
    rc = leaves_read(&u, from, to, h);
    if (rc == DB_OK) *len = merkle_path(h, (size_t)(to - from), (size_t)(*pos - from), path);
    if (rc == DB_OK && nchunks > 1) rc = chunk_roots(&u, chunks, &nchunks);
    if (rc == DB_OK && nchunks > 1)
        *len += merkle_path(chunks, (size_t)nchunks, (size_t)c, path + *len);
    free(h);
    free(chunks);
    return rc == DB_OK ? 1 : rc;
}
