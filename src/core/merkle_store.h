/* merkle_store.h — the Merkle tree that checkpoints sign, kept in the
 * database so that a checkpoint recomputes only what changed.
 *
 * One leaf per item, at a position fixed when a checkpoint first covers the
 * item (merkle_leaves: items in id order among those new to that
 * checkpoint), holding the event count and head hash it covered:
 *
 *   leaf data = "<item id> <event count> <head hash>"   (ASCII, one space)
 *   leaf hash = SHA-256(0x00 || leaf data)               (RFC 6962)
 *
 * The tree is RFC 6962's over the leaves in position order (util/merkle.h).
 * Its full chunks of MERKLE_CHUNK leaves are perfect subtrees whose roots
 * are kept (merkle_chunks); RFC 6962 splits a tree of more than one chunk
 * only at chunk boundaries, so the root is the same tree over the chunk
 * roots and the last, partial chunk.  A trigger marks every item that gets
 * an event (merkle_dirty); an update reads the marked items, moves their
 * leaves, recomputes the chunks they are in and the small tree above. */
#ifndef LUOSHI_CORE_MERKLE_STORE_H
#define LUOSHI_CORE_MERKLE_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "core/core.h"
#include "db/db.h"
#include "util/buf.h"
#include "util/merkle.h"

#define MERKLE_CHUNK 1024 /* leaves per stored subtree root; a power of two */

/* The leaf hash of an item covered at count events with head (hex). */
void merkle_item_leaf(int64_t item_id, int64_t count, const char *head,
                      unsigned char out[MERKLE_HASH_LEN]);

/* How many items changed since the tree was last brought up to date (the
 * marked items).  A db code. */
int merkle_store_pending(struct db *db, int64_t *items);

/* Bring the tree up to date inside the caller's write transaction: each
 * marked item's leaf moves to its head (a new item gets the next
 * position), after checking that the head is the item's newest event and
 * that its chain still holds the head the tree had (else nothing is
 * written: 0 with *refused set and the reasons in why).  *size and root get
 * the tree.  0, or -1 with e. */
int merkle_store_update(struct db *db, int64_t *size, unsigned char root[MERKLE_HASH_LEN],
                        int *refused, struct buf *why, struct err *e);

/* The root over every stored leaf, recomputed from the leaves alone (not
 * from the kept chunk roots).  A db code. */
int merkle_store_root(struct db *db, int64_t *size, unsigned char root[MERKLE_HASH_LEN]);

/* Item item_id's leaf and audit path in the stored tree: *pos, *count,
 * head, the path (room for MERKLE_PATH_MAX) and its length, *size.  1
 * found, 0 when no checkpoint covers the item yet, or a db code. */
int merkle_store_path(struct db *db, int64_t item_id, int64_t *pos, int64_t *count, char head[65],
                      int64_t *size, unsigned char (*path)[MERKLE_HASH_LEN], size_t *len);

#endif
