/* file_test.c — the one file reader (util/file.c): a whole file appended,
 * a file over its maximum refused and the buffer left as it was, a missing
 * file named, and temporary files made under $TMPDIR. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/file.h"

/* A temporary file holding n bytes of c; its path in path. */
static void make_file(char path[256], size_t n, char c)
{
    struct err e = {0};
    assert_int_equal(file_temp("luoshi-file-test", path, 256, &e), 0);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    for (size_t k = 0; k < n; k++)
        fputc(c, fp);
    fclose(fp);
}

static void test_read_whole(void **state)
{
    (void)state;
    char path[256];
    make_file(path, 40000, 'x'); /* more than one chunk */
    struct buf b;
    struct err e = {0};
    buf_init(&b, 0);
    buf_puts(&b, "head:");
    assert_int_equal(file_read(path, 40000, &b, &e), 0);
    assert_int_equal(b.len, 5 + 40000);
    assert_memory_equal(b.data, "head:xxx", 8);
    assert_int_equal(b.data[b.len - 1], 'x');
    buf_free(&b);
    unlink(path);
}

static void test_too_large(void **state)
{
    (void)state;
    char path[256];
    make_file(path, 101, 'y');
    struct buf b;
    struct err e = {0};
    buf_init(&b, 0);
    buf_puts(&b, "kept");
    assert_int_equal(file_read(path, 100, &b, &e), -1);
    assert_int_equal(e.status, 413);
    assert_non_null(strstr(e.message, "is larger than 100 bytes"));
    assert_string_equal(buf_cstr(&b), "kept");
    assert_int_equal(b.err, 0);
    buf_free(&b);
    /* the buffer's own maximum is the limit when none is given */
    buf_init(&b, 50);
    assert_int_equal(file_read(path, 0, &b, &e), -1);
    assert_int_equal(e.status, 413);
    assert_int_equal(b.len, 0);
    buf_free(&b);
    unlink(path);
}

static void test_missing(void **state)
{
    (void)state;
    struct buf b;
    struct err e = {0};
    buf_init(&b, 0);
    assert_int_equal(file_read("/nonexistent/luoshi/x.txt", 0, &b, &e), -1);
    assert_int_equal(e.status, 404);
    assert_string_equal(e.message,
                        "cannot open /nonexistent/luoshi/x.txt: No such file or directory");
    buf_free(&b);
}

static void test_temp_in_tmpdir(void **state)
{
    (void)state;
    char dir[] = "/tmp/luoshi-file-test-XXXXXX", path[256];
    assert_non_null(mkdtemp(dir));
    setenv("TMPDIR", dir, 1);
    struct err e = {0};
    assert_int_equal(file_temp("luoshi-x", path, sizeof path, &e), 0);
    assert_int_equal(strncmp(path, dir, strlen(dir)), 0);
    assert_int_equal(strncmp(path + strlen(dir), "/luoshi-x-", 10), 0);
    assert_int_equal(access(path, R_OK | W_OK), 0);
    unlink(path);
    char tiny[8];
    assert_int_equal(file_temp("luoshi-x", tiny, sizeof tiny, &e), -1);
    assert_int_equal(e.status, 500);
    unsetenv("TMPDIR");
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_read_whole),
        cmocka_unit_test(test_too_large),
        cmocka_unit_test(test_missing),
        cmocka_unit_test(test_temp_in_tmpdir),
    };
    return cmocka_run_group_tests_name("file", tests, NULL, NULL);
}
