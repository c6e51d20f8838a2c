/* embedded.h — files compiled into the binary (static assets, SQL migrations).
 * The table is generated at build time by tools/embed.c, sorted by name. */
#ifndef LUOSHI_UTIL_EMBEDDED_H
#define LUOSHI_UTIL_EMBEDDED_H

#include <stddef.h>

struct embedded_file {
    const char *name;          /* path in the source tree, e.g. "assets/style.css" */
    const unsigned char *data; /* the bytes, followed by a NUL */
    size_t len;
};

extern const struct embedded_file embedded_files[];
extern const size_t embedded_count;

/* The embedded file with exactly this name, or NULL. */
const struct embedded_file *embedded_find(const char *name);

#endif
