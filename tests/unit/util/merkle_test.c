/* merkle_test.c — RFC 6962 tree hashing against the Certificate
 * Transparency reference vectors (the eight leaves of the CT test tree, its
 * roots for every size 0..8 and three of its audit paths), and audit paths
 * of every leaf of every tree up to 70 leaves, also over chunk roots. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "util/merkle.h"
#include "util/str.h"

typedef unsigned char hash_t[MERKLE_HASH_LEN];

/* The CT test tree's leaf inputs, as hex. */
static const char *const leaf_hex[8] = {
    "",
    "00",
    "10",
    "2021",
    "3031",
    "40414243",
    "5051525354555657",
    "606162636465666768696a6b6c6d6e6f",
};

/* Its root for sizes 0 (the empty tree) to 8. */
static const char *const root_hex[9] = {
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
};

static void hex_of(const unsigned char *h, char out[65])
{
    str_hex(h, MERKLE_HASH_LEN, out);
}

static void leaves(hash_t out[8])
{
    for (int i = 0; i < 8; i++) {
        unsigned char bin[16];
        size_t n = 0;
        assert_int_equal(
            sodium_hex2bin(bin, sizeof bin, leaf_hex[i], strlen(leaf_hex[i]), NULL, &n, NULL), 0);
        merkle_leaf_hash(bin, n, out[i]);
    }
}

static void test_roots(void **state)
{
    (void)state;
    hash_t l[8], root;
    char hex[65];
    leaves(l);
    for (size_t n = 0; n <= 8; n++) {
        merkle_root(l, n, root);
        hex_of(root, hex);
        assert_string_equal(hex, root_hex[n]);
    }
}

/* Three audit paths of the reference tree: leaf 0 and leaf 5 of 8, leaf 2 of 3. */
static void test_reference_paths(void **state)
{
    (void)state;
    static const struct {
        size_t index, size, len;
        const char *path[3];
    } cases[] = {
        {0,
         8,
         3,
         {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
          "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
          "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
        {5,
         8,
         3,
         {"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
          "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
          "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
        {2, 3, 1, {"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"}},
    };
    hash_t l[8], path[MERKLE_PATH_MAX], root;
    char hex[65];
    leaves(l);
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        size_t len = merkle_path(l, cases[c].size, cases[c].index, path);
        assert_int_equal(len, cases[c].len);
        for (size_t i = 0; i < len; i++) {
            hex_of(path[i], hex);
            assert_string_equal(hex, cases[c].path[i]);
        }
        assert_int_equal(
            merkle_path_root(l[cases[c].index], cases[c].index, cases[c].size, path, len, root), 0);
        hex_of(root, hex);
        assert_string_equal(hex, root_hex[cases[c].size]);
    }
}

/* Every leaf of every tree of 1..70 leaves: its path leads to the root, and
 * a changed leaf, a changed sibling, a wrong index, a wrong size or a cut
 * path does not (nor the path of a tree one leaf smaller). */
static void test_every_path(void **state)
{
    (void)state;
    enum { N = 70 };
    hash_t l[N], path[MERKLE_PATH_MAX], root, next, got, bad;
    for (int i = 0; i < N; i++) {
        unsigned char b[2] = {(unsigned char)i, (unsigned char)(i * 7)};
        merkle_leaf_hash(b, 2, l[i]);
    }
    for (size_t n = 1; n <= N; n++) {
        merkle_root(l, n, root);
        if (n < N) merkle_root(l, n + 1, next);
        for (size_t m = 0; m < n; m++) {
            size_t len = merkle_path(l, n, m, path);
            assert_int_equal(merkle_path_root(l[m], m, n, path, len, got), 0);
            assert_memory_equal(got, root, MERKLE_HASH_LEN);
            memcpy(bad, l[m], MERKLE_HASH_LEN);
            bad[0] ^= 1;
            assert_int_equal(merkle_path_root(bad, m, n, path, len, got), 0);
            assert_memory_not_equal(got, root, MERKLE_HASH_LEN);
            if (len) {
                path[len - 1][5] ^= 0x10;
                assert_int_equal(merkle_path_root(l[m], m, n, path, len, got), 0);
                assert_memory_not_equal(got, root, MERKLE_HASH_LEN);
                path[len - 1][5] ^= 0x10;
                int cut = merkle_path_root(l[m], m, n, path, len - 1, got);
                assert_true(cut != 0 || memcmp(got, root, MERKLE_HASH_LEN) != 0);
            }
            if (n > 1) {
                size_t other = (m + 1) % n;
                int r = merkle_path_root(l[m], other, n, path, len, got);
                assert_true(r != 0 || memcmp(got, root, MERKLE_HASH_LEN) != 0);
            }
            if (n < N) { /* the signed head binds the size: a path of n leaves is not one of n+1 */
                int r = merkle_path_root(l[m], m, n + 1, path, len, got);
                assert_true(r != 0 || memcmp(got, next, MERKLE_HASH_LEN) != 0);
            }
        }
        assert_int_equal(merkle_path_root(l[0], n, n, path, 0, got), -1);
    }
}

/* A tree of 4 chunks of 8 leaves and a partial one of 3: the root over the
 * chunk roots is the root over the leaves, and a leaf's path is its path in
 * its chunk followed by its chunk's path among the chunks. */
static void test_chunks(void **state)
{
    (void)state;
    enum { C = 8, N = 4 * C + 3 };
    hash_t l[N], chunks[5], root, via, path[MERKLE_PATH_MAX], cpath[MERKLE_PATH_MAX];
    for (int i = 0; i < N; i++) {
        unsigned char b = (unsigned char)i;
        merkle_leaf_hash(&b, 1, l[i]);
    }
    for (int c = 0; c < 5; c++)
        merkle_root(l + c * C, c < 4 ? C : 3, chunks[c]);
    merkle_root(l, N, root);
    merkle_root(chunks, 5, via);
    assert_memory_equal(via, root, MERKLE_HASH_LEN);
    for (size_t m = 0; m < N; m++) {
        size_t c = m / C, in = merkle_path(l + c * C, c < 4 ? C : 3, m % C, cpath);
        size_t top = merkle_path(chunks, 5, c, cpath + in);
        size_t len = merkle_path(l, N, m, path);
        assert_int_equal(len, in + top);
        assert_memory_equal(path, cpath, len * MERKLE_HASH_LEN);
    }
}

int main(void)
{
    if (sodium_init() < 0) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roots),
        cmocka_unit_test(test_reference_paths),
        cmocka_unit_test(test_every_path),
        cmocka_unit_test(test_chunks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
