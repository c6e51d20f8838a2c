/* file.h — reading a whole file, with a maximum, and making a temporary one.
 *
 * Every file luoshi reads whole goes through file_read: the CLI's inputs
 * (a meeting report, a holiday schedule) and the workbooks libxlsxwriter
 * assembles on disk.  A file larger than its maximum is refused, never cut. */
#ifndef LUOSHI_UTIL_FILE_H
#define LUOSHI_UTIL_FILE_H

#include <stddef.h>

#include "util/buf.h"
#include "util/err.h"

/* Append the whole file at path to out, at most max bytes of it (0: only
 * out's own maximum limits it).  0, or -1 with e and out as it was before:
 * 404 not_found when the file cannot be opened, 413 too_large when it holds
 * more than max bytes (or out's maximum was reached), 500 io_error when
 * reading fails.  The message names the path and the reason. */
int file_read(const char *path, size_t max, struct buf *out, struct err *e);

/* Create an empty file named "<prefix>-XXXXXX" under $TMPDIR (else /tmp) that
 * only this user may read, and put its path in path[size].  The caller
 * removes it.  0, or -1 with e (500). */
int file_temp(const char *prefix, char *path, size_t size, struct err *e);

#endif
