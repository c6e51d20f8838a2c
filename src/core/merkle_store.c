/* merkle_store.c — the checkpoints' tree in the database.  See
 * merkle_store.h.
 *
 * An update costs what changed: the marked items (one joined query that
 * also reads the covered heads it checks), their leaves, the chunks they are
 * in (MERKLE_CHUNK leaf hashes each: from memory when the chunk lies past
 * the old tree, as on a first checkpoint, else from the stored leaves) and
 * the tree over the chunk roots (one row per chunk that holds a leaf). */
#include "core/merkle_store.h"

#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/mem.h"
#include "util/str.h"

typedef unsigned char hash_t[MERKLE_HASH_LEN];

/* Write v in decimal at p; returns the end. */
static char *put_int(char *p, int64_t v)
{
    char tmp[24], *t = tmp + sizeof tmp;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do
        *--t = (char)('0' + u % 10);
    while (u /= 10);
    if (v < 0) *--t = '-';
    size_t n = (size_t)(tmp + sizeof tmp - t);
    memcpy(p, t, n);
    return p + n;
}

void merkle_item_leaf(int64_t item_id, int64_t count, const char *head,
                      unsigned char out[MERKLE_HASH_LEN])
{
    /* "%lld %lld %.64s" by hand: a first checkpoint writes a million */
    char data[128], *p = put_int(data, item_id);
    *p++ = ' ';
    p = put_int(p, count);
    *p++ = ' ';
    size_t h = strnlen(head, 64);
    memcpy(p, head, h);
    merkle_leaf_hash(data, (size_t)(p + h - data), out);
}

static void empty_leaf(unsigned char out[MERKLE_HASH_LEN])
{
    merkle_leaf_hash("", 0, out);
}

/* The root of a full chunk of empty leaves. */
static void empty_chunk(unsigned char out[MERKLE_HASH_LEN])
{
    hash_t h[MERKLE_CHUNK];
    for (int k = 0; k < MERKLE_CHUNK; k++)
        empty_leaf(h[k]);
    merkle_root(h, MERKLE_CHUNK, out);
}

int merkle_store_pending(struct db *db, int64_t *items)
{
    return db_query_int64(db, "SELECT count(*) FROM (SELECT DISTINCT item_id FROM merkle_dirty) d",
                          0, 0, items);
}

/* A marked item: its head now. */
struct dirty {
    int64_t item, count;
    char head[65];
};

struct update {
    struct db *db;
    struct dirty *d; /* by item id */
    size_t n, cap;
    int64_t size0, size; /* the tree's size before and after */
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
    if (db_column_is_null(st, 1)) {
        refuse(u, "item %lld: it has new events but its row is gone", item);
        return;
    }
    if (!db_column_is_null(st, 4) && (seq < db_column_int64(st, 4) || db_column_is_null(st, 6) ||
                                      strcmp(db_column_text(st, 6), db_column_text(st, 5)))) {
        refuse(u, "item %lld: its chain no longer holds the head of event seq %lld", item,
               (long long)db_column_int64(st, 4));
        return;
    }
    if (u->n == u->cap) {
        u->cap = u->cap ? 2 * u->cap : 1024;
        u->d = xrealloc(u->d, u->cap * sizeof *u->d);
    }
    struct dirty *d = &u->d[u->n++];
    d->item = item;
    d->count = seq;
    snprintf(d->head, sizeof d->head, "%s", db_column_text(st, 3));
}

static int dirty_load(struct update *u)
{
    struct db_stmt *st = db_prepare(
        u->db, "SELECT d.item_id, i.id, i.event_seq, i.event_hash, l.event_count, l.head,"
               " eo.hash FROM (SELECT DISTINCT item_id FROM merkle_dirty) d"
               " LEFT JOIN items i ON i.id = d.item_id"
               " LEFT JOIN merkle_leaves l ON l.item_id = d.item_id"
               " LEFT JOIN events eo ON eo.item_id = d.item_id AND eo.seq = l.event_count"
               " ORDER BY d.item_id");
    if (!st) return DB_ERR;
    int rc;
    while ((rc = db_step(st)) == DB_ROW)
        dirty_row(u, st);
    db_finalize(st);
    return rc == DB_DONE ? DB_OK : rc;
}

/* The size of the stored tree: the highest covered id + 1. */
static int stored_size(struct db *db, int64_t *size)
{
    return db_query_int64(db, "SELECT coalesce(max(item_id) + 1, 0) FROM merkle_leaves", 0, 0,
                          size);
}

/* Move each marked item's leaf to its head and clear its marks (the two
 * statements prepared once: a first checkpoint runs them a million times). */
static int leaves_write(struct update *u)
{
    int rc = stored_size(u->db, &u->size0);
    u->size = u->size0;
    if (u->n && u->d[u->n - 1].item + 1 > u->size) u->size = u->d[u->n - 1].item + 1;
    struct db_stmt *put = db_prepare(
        u->db, "INSERT INTO merkle_leaves (item_id, event_count, head) VALUES (?1, ?2, ?3)"
               " ON CONFLICT (item_id) DO UPDATE SET event_count = excluded.event_count,"
               " head = excluded.head");
    /* marks of events now covered go; a later event's (another writer's) stays */
    struct db_stmt *clear =
        db_prepare(u->db, "DELETE FROM merkle_dirty WHERE item_id = ?1 AND seq <= ?2");
    if (!put || !clear) rc = DB_ERR;
    for (size_t i = 0; i < u->n && rc == DB_OK; i++) {
        const struct dirty *d = &u->d[i];
        db_reset(put);
        db_bind_int64(put, 1, d->item);
        db_bind_int64(put, 2, d->count);
        db_bind_text(put, 3, d->head, (size_t)-1);
        rc = db_step(put);
        db_reset(clear);
        db_bind_int64(clear, 1, d->item);
        db_bind_int64(clear, 2, d->count);
        if (rc == DB_DONE) rc = db_step(clear);
        rc = rc == DB_DONE ? DB_OK : rc;
    }
    db_finalize(put);
    db_finalize(clear);
    return rc;
}

/* The first marked item at or after id (u->n when none). */
static size_t dirty_from(const struct update *u, int64_t id)
{
    size_t lo = 0, hi = u->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (u->d[mid].item < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The leaf hashes of chunk c (out: MERKLE_CHUNK, as many as the tree has):
 * from the marked items when the chunk lies past the old tree, else from
 * the stored leaves; empty where no item is covered.  A db code. */
static int chunk_leaves(const struct update *u, int64_t c, hash_t *out)
{
    int64_t from = c * MERKLE_CHUNK, to = from + MERKLE_CHUNK;
    for (int k = 0; k < MERKLE_CHUNK; k++)
        empty_leaf(out[k]);
    if (from >= u->size0) {
        for (size_t i = dirty_from(u, from); i < u->n && u->d[i].item < to; i++)
            merkle_item_leaf(u->d[i].item, u->d[i].count, u->d[i].head, out[u->d[i].item - from]);
        return DB_OK;
    }
    struct db_stmt *st = db_prepare(u->db, "SELECT item_id, event_count, head FROM merkle_leaves"
                                           " WHERE item_id >= ?1 AND item_id < ?2");
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, from);
    db_bind_int64(st, 2, to);
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        int64_t id = db_column_int64(st, 0);
        merkle_item_leaf(id, db_column_int64(st, 1), db_column_text(st, 2), out[id - from]);
    }
    db_finalize(st);
    return rc == DB_DONE ? DB_OK : rc;
}

/* The root of chunk c (fewer leaves for the last, partial one). */
static int chunk_root(const struct update *u, int64_t c, unsigned char out[MERKLE_HASH_LEN])
{
    hash_t h[MERKLE_CHUNK];
    int64_t n = u->size - c * MERKLE_CHUNK;
    int rc = chunk_leaves(u, c, h);
    if (rc == DB_OK) merkle_root(h, (size_t)(n < MERKLE_CHUNK ? n : MERKLE_CHUNK), out);
    return rc;
}

static int chunk_store(const struct update *u, int64_t c)
{
    hash_t root;
    char hex[65];
    int rc = chunk_root(u, c, root);
    if (rc != DB_OK) return rc;
    str_hex(root, sizeof root, hex);
    struct db_stmt *st = db_prepare(u->db, "INSERT INTO merkle_chunks (idx, hash) VALUES (?1, ?2)"
                                           " ON CONFLICT (idx) DO UPDATE SET hash = excluded.hash");
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, c);
    db_bind_text(st, 2, hex, (size_t)-1);
    rc = db_step(st);
    db_finalize(st);
    return rc == DB_DONE ? DB_OK : rc;
}

/* Keep the root of every full chunk a marked item is in, and of the old
 * tree's partial chunk when the tree grew past it. */
static int chunks_write(const struct update *u)
{
    int64_t last = -1, g = u->size0 / MERKLE_CHUNK;
    int rc = DB_OK;
    for (size_t i = 0; i < u->n && rc == DB_OK; i++) {
        int64_t c = u->d[i].item / MERKLE_CHUNK;
        if (c == last) continue;
        last = c;
        if ((c + 1) * MERKLE_CHUNK <= u->size) rc = chunk_store(u, c); /* not the partial one */
    }
    size_t first = dirty_from(u, g * MERKLE_CHUNK);
    int marked = first < u->n && u->d[first].item < (g + 1) * MERKLE_CHUNK;
    if (rc == DB_OK && u->size0 % MERKLE_CHUNK && (g + 1) * MERKLE_CHUNK <= u->size && !marked)
        rc = chunk_store(u, g);
    return rc;
}

/* The roots of every chunk into c (room for size / MERKLE_CHUNK + 1): the
 * kept ones of the full chunks (an empty chunk's where none is kept), the
 * partial last one computed; *n gets their number. */
static int chunk_roots(const struct update *u, hash_t *c, int64_t *n)
{
    int64_t full = u->size / MERKLE_CHUNK;
    *n = full + (u->size % MERKLE_CHUNK != 0);
    if (full) empty_chunk(c[0]);
    for (int64_t k = 1; k < full; k++)
        memcpy(c[k], c[0], MERKLE_HASH_LEN);
    struct db_stmt *st =
        db_prepare(u->db, "SELECT idx, hash FROM merkle_chunks WHERE idx < ?1 ORDER BY idx");
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, full);
    int rc, bad = 0;
    while ((rc = db_step(st)) == DB_ROW) {
        size_t len = 0;
        int64_t k = db_column_int64(st, 0);
        if (k < 0 ||
            sodium_hex2bin(c[k], MERKLE_HASH_LEN, db_column_text(st, 1), 64, NULL, &len, NULL) ||
            len != MERKLE_HASH_LEN)
            bad = 1;
    }
    db_finalize(st);
    if (rc != DB_DONE) return rc;
    if (bad) return DB_ERR;
    return *n > full ? chunk_root(u, full, c[full]) : DB_OK;
}

/* The root over the chunk roots. */
static int tree_root(const struct update *u, unsigned char root[MERKLE_HASH_LEN])
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
    *refused = rc == DB_OK && u.refused;
    if (rc == DB_OK && !u.refused) {
        rc = leaves_write(&u);
        if (rc == DB_OK) rc = chunks_write(&u);
        if (rc == DB_OK) rc = tree_root(&u, root);
        *size = u.size;
    }
    free(u.d);
    return rc == DB_OK ? 0 : err_db(e, rc, "updating the checkpoint tree");
}

int merkle_store_root(struct db *db, int64_t *size, int64_t *items,
                      unsigned char root[MERKLE_HASH_LEN])
{
    int rc = stored_size(db, size);
    if (rc == DB_OK) rc = db_query_int64(db, "SELECT count(*) FROM merkle_leaves", 0, 0, items);
    if (rc != DB_OK) return rc;
    hash_t *h = xmalloc((size_t)(*size + 1) * sizeof *h);
    for (int64_t k = 0; k < *size; k++)
        empty_leaf(h[k]);
    struct db_stmt *st = db_prepare(db, "SELECT item_id, event_count, head FROM merkle_leaves"
                                        " ORDER BY item_id");
    rc = st ? DB_OK : DB_ERR;
    while (st && (rc = db_step(st)) == DB_ROW) {
        int64_t id = db_column_int64(st, 0);
        if (id >= 0 && id < *size)
            merkle_item_leaf(id, db_column_int64(st, 1), db_column_text(st, 2), h[id]);
    }
    db_finalize(st);
    if (rc == DB_DONE) rc = DB_OK;
    if (rc == DB_OK) merkle_root(h, (size_t)*size, root);
    free(h);
    return rc;
}

/* Item item_id's leaf: 1 with *count and head, 0 when it has none. */
static int leaf_of(struct db *db, int64_t item_id, int64_t *count, char head[65])
{
    struct db_stmt *st =
        db_prepare(db, "SELECT event_count, head FROM merkle_leaves WHERE item_id = ?1");
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, item_id);
    int rc = db_step(st);
    if (rc == DB_ROW) {
        *count = db_column_int64(st, 0);
        snprintf(head, 65, "%s", db_column_text(st, 1));
    }
    db_finalize(st);
    return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : rc;
}

int merkle_store_path(struct db *db, int64_t item_id, int64_t *count, char head[65], int64_t *size,
                      unsigned char (*path)[MERKLE_HASH_LEN], size_t *len)
{
    int rc = leaf_of(db, item_id, count, head);
    if (rc != 1) return rc;
    rc = stored_size(db, size);
    if (rc != DB_OK) return rc;
    struct update u = {.db = db, .size0 = *size, .size = *size};
    int64_t c = item_id / MERKLE_CHUNK, from = c * MERKLE_CHUNK, n = *size - from, nchunks;
    hash_t h[MERKLE_CHUNK];
    hash_t *chunks = xmalloc((size_t)(*size / MERKLE_CHUNK + 2) * sizeof *chunks);
    rc = chunk_leaves(&u, c, h);
    if (rc == DB_OK)
        *len = merkle_path(h, (size_t)(n < MERKLE_CHUNK ? n : MERKLE_CHUNK),
                           (size_t)(item_id - from), path);
    if (rc == DB_OK) rc = chunk_roots(&u, chunks, &nchunks);
    if (rc == DB_OK) *len += merkle_path(chunks, (size_t)nchunks, (size_t)c, path + *len);
    free(chunks);
    return rc == DB_OK ? 1 : rc;
}
