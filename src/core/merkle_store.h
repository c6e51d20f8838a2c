/* merkle_store.h — the Merkle tree that checkpoints sign, kept in the
 * database so that a checkpoint recomputes only what changed.
 *
 * The leaf at position p is item p's (the item id is its position), with
 * the event count and head hash the latest checkpoint covered; a position
 * no covered item has (an id not used, or not yet covered) holds the empty
 * leaf:
 *
 *   leaf data = "<item id> <event count> <head hash>"   (ASCII, one space)
 *   leaf hash = SHA-256(0x00 || leaf data)               (RFC 6962)
 *   empty     = SHA-256(0x00)                            (the empty leaf data)
 *
 * The tree is RFC 6962's over positions 0 .. size-1, size being the highest
 * covered id + 1 (util/merkle.h).  Its chunks of MERKLE_CHUNK positions are
 * perfect subtrees; the roots of the full ones that hold a leaf are kept
 * (merkle_chunks; a full chunk without a row holds only empty leaves), and
 * RFC 6962 splits a tree of more than one chunk only at chunk boundaries, so
 * the root is the same tree over the chunk roots and the last, partial
 * chunk.  A trigger marks every item that gets an event (merkle_dirty); an
 * update reads the marked items, moves their leaves, recomputes the chunks
 * they are in and the tree above: its cost is MERKLE_CHUNK leaves per
 * changed item, plus a row per chunk for the top. */
#ifndef LUOSHI_CORE_MERKLE_STORE_H
#define LUOSHI_CORE_MERKLE_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "core/core.h"
#include "db/db.h"
#include "util/buf.h"
#include "util/merkle.h"

#define MERKLE_CHUNK 64 /* positions per kept subtree root; a power of two */

/* The leaf hash of an item covered at count events with head (hex). */
void merkle_item_leaf(int64_t item_id, int64_t count, const char *head,
                      unsigned char out[MERKLE_HASH_LEN]);

/* How many items changed since the tree was last brought up to date (the
 * marked items).  A db code. */
int merkle_store_pending(struct db *db, int64_t *items);

/* Bring the tree up to date inside the caller's write transaction: each
 * marked item's leaf moves to its head, after checking that the item still
 * exists and that its chain still holds the head the tree had (else nothing
 * is written: 0 with *refused set and the reasons in why).  *size and root
 * get the tree.  0, or -1 with e. */
int merkle_store_update(struct db *db, int64_t *size, unsigned char root[MERKLE_HASH_LEN],
                        int *refused, struct buf *why, struct err *e);

/* The root over every stored leaf, recomputed from the leaves alone (not
 * from the kept chunk roots); *size the tree's, *items the covered items.
 * A db code. */
int merkle_store_root(struct db *db, int64_t *size, int64_t *items,
                      unsigned char root[MERKLE_HASH_LEN]);

/* Item item_id's leaf and audit path in the stored tree: *count, head, the
 * path (room for MERKLE_PATH_MAX) and its length, *size.  1 found, 0 when
 * no checkpoint covers the item yet, or a db code. */
int merkle_store_path(struct db *db, int64_t item_id, int64_t *count, char head[65], int64_t *size,
                      unsigned char (*path)[MERKLE_HASH_LEN], size_t *len);

#endif
