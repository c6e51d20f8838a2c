/* merkle.h — Merkle tree hashing as RFC 6962 (Certificate Transparency)
 * defines it, over SHA-256:
 *
 *   leaf hash  = SHA-256(0x00 || leaf data)
 *   node hash  = SHA-256(0x01 || left || right)
 *   MTH({})    = SHA-256("")
 *   MTH(D[n])  = node(MTH(D[0:k]), MTH(D[k:n])), k the largest power of two < n
 *
 * and its audit paths (RFC 6962 §2.1.1, checked as RFC 9162 §2.1.3.2 says).
 * The functions take arrays of subtree hashes: leaf hashes for a tree of
 * leaves, or the roots of equal perfect subtrees (core/checkpoint.c's chunks
 * of 1024 leaves), which the same rules combine into the same root.  Nothing
 * here allocates but merkle_root's scratch. */
#ifndef LUOSHI_UTIL_MERKLE_H
#define LUOSHI_UTIL_MERKLE_H

#include <stddef.h>
#include <stdint.h>

#define MERKLE_HASH_LEN 32
#define MERKLE_PATH_MAX 64 /* an audit path never has more elements than this */

/* The leaf hash of data[0..len). */
void merkle_leaf_hash(const void *data, size_t len, unsigned char out[MERKLE_HASH_LEN]);
/* The node hash of two subtree hashes. */
void merkle_node_hash(const unsigned char left[MERKLE_HASH_LEN],
                      const unsigned char right[MERKLE_HASH_LEN],
                      unsigned char out[MERKLE_HASH_LEN]);
/* MTH over n subtree hashes (hashes[0..n)); SHA-256("") when n is 0. */
void merkle_root(const unsigned char (*hashes)[MERKLE_HASH_LEN], size_t n,
                 unsigned char out[MERKLE_HASH_LEN]);
/* The audit path of entry index in the tree over hashes[0..n), deepest
 * sibling first, into path (room for MERKLE_PATH_MAX).  Returns its length;
 * 0 also when index >= n. */
size_t merkle_path(const unsigned char (*hashes)[MERKLE_HASH_LEN], size_t n, size_t index,
                   unsigned char (*path)[MERKLE_HASH_LEN]);
/* The root that leaf (a leaf hash) at index in a tree of size entries
 * implies with path[0..len) into root.  0, or -1 when the path cannot
 * belong to such a tree (index >= size, too short or too long). */
int merkle_path_root(const unsigned char leaf[MERKLE_HASH_LEN], uint64_t index, uint64_t size,
                     const unsigned char (*path)[MERKLE_HASH_LEN], size_t len,
                     unsigned char root[MERKLE_HASH_LEN]);

#endif
