/* merkle.c — RFC 6962 tree hashing and audit paths.  See merkle.h. */
#include "util/merkle.h"

#include <sodium.h>
#include <string.h>

void merkle_leaf_hash(const void *data, size_t len, unsigned char out[MERKLE_HASH_LEN])
{
    static const unsigned char prefix = 0x00;
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, &prefix, 1);
    crypto_hash_sha256_update(&st, data, len);
    crypto_hash_sha256_final(&st, out);
}

void merkle_node_hash(const unsigned char left[MERKLE_HASH_LEN],
                      const unsigned char right[MERKLE_HASH_LEN],
                      unsigned char out[MERKLE_HASH_LEN])
{
    unsigned char in[1 + 2 * MERKLE_HASH_LEN];
    in[0] = 0x01;
    memcpy(in + 1, left, MERKLE_HASH_LEN);
    memcpy(in + 1 + MERKLE_HASH_LEN, right, MERKLE_HASH_LEN);
    crypto_hash_sha256(out, in, sizeof in);
}

/* The largest power of two smaller than n (n >= 2). */
static size_t split_point(size_t n)
{
    size_t k = 1;
    while (k << 1 < n)
        k <<= 1;
    return k;
}

/* MTH of hashes[0..n), n >= 1, without allocating: the recursion of the
 * definition, as deep as the tree. */
static void root_of(const unsigned char (*h)[MERKLE_HASH_LEN], size_t n,
                    unsigned char out[MERKLE_HASH_LEN])
{
    if (n == 1) {
        memcpy(out, h[0], MERKLE_HASH_LEN);
        return;
    }
    size_t k = split_point(n);
    unsigned char l[MERKLE_HASH_LEN], r[MERKLE_HASH_LEN];
    root_of(h, k, l);
    root_of(h + k, n - k, r);
    merkle_node_hash(l, r, out);
}

void merkle_root(const unsigned char (*hashes)[MERKLE_HASH_LEN], size_t n,
                 unsigned char out[MERKLE_HASH_LEN])
{
    if (n == 0) {
        crypto_hash_sha256(out, (const unsigned char *)"", 0);
        return;
    }
    root_of(hashes, n, out);
}

size_t merkle_path(const unsigned char (*hashes)[MERKLE_HASH_LEN], size_t n, size_t index,
                   unsigned char (*path)[MERKLE_HASH_LEN])
{
    if (index >= n || n < 2) return 0;
    size_t k = split_point(n), len;
    if (index < k) {
        len = merkle_path(hashes, k, index, path);
        root_of(hashes + k, n - k, path[len]);
    } else {
        len = merkle_path(hashes + k, n - k, index - k, path);
        root_of(hashes, k, path[len]);
    }
    return len + 1;
}

int merkle_path_root(const unsigned char leaf[MERKLE_HASH_LEN], uint64_t index, uint64_t size,
                     const unsigned char (*path)[MERKLE_HASH_LEN], size_t len,
                     unsigned char root[MERKLE_HASH_LEN])
{
    if (index >= size || len > MERKLE_PATH_MAX) return -1;
    uint64_t fn = index, sn = size - 1;
    unsigned char r[MERKLE_HASH_LEN];
    memcpy(r, leaf, MERKLE_HASH_LEN);
    for (size_t i = 0; i < len; i++) {
        if (sn == 0) return -1;
        if ((fn & 1) || fn == sn) {
            merkle_node_hash(path[i], r, r);
            while (!(fn & 1) && fn != 0)
                fn >>= 1, sn >>= 1;
        } else {
            merkle_node_hash(r, path[i], r);
        }
        fn >>= 1, sn >>= 1;
    }
    if (sn != 0) return -1;
    memcpy(root, r, MERKLE_HASH_LEN);
    return 0;
}
