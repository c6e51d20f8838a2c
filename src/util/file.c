/* file.c — whole-file reads and temporary files.  See file.h. */
#include "util/file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int file_read(const char *path, size_t max, struct buf *out, struct err *e)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) return err_set(e, 404, "not_found", "cannot open %s: %s", path, strerror(errno));
    size_t before = out->len, total = 0, n;
    int err_before = out->err;
    char chunk[16384];
    int rc = 0;
    while (!rc && (n = fread(chunk, 1, sizeof chunk, fp)) > 0) {
        total += n;
        if ((max && total > max) || buf_append(out, chunk, n))
            rc = err_set(e, 413, "too_large", "%s is larger than %zu bytes", path,
                         max ? max : out->max);
    }
    if (!rc && ferror(fp)) rc = err_set(e, 500, "io_error", "cannot read %s", path);
    fclose(fp);
    if (rc) {
        out->len = before;
        out->err = err_before;
        if (out->data) out->data[before] = '\0';
    }
    return rc;
}

int file_temp(const char *prefix, char *path, size_t size, struct err *e)
{
    const char *dir = getenv("TMPDIR");
    int n = snprintf(path, size, "%s/%s-XXXXXX", dir && *dir ? dir : "/tmp", prefix);
    int fd = n > 0 && (size_t)n < size ? mkstemp(path) : -1;
    if (fd < 0) return err_set(e, 500, "internal", "cannot create a temporary file");
    close(fd);
    return 0;
}
