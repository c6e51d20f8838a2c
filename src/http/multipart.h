/* multipart.h — multipart/form-data bodies (RFC 7578), for the forms that
 * carry a photo (the phone reporting page).  Only what browsers send: a
 * boundary parameter, parts with Content-Disposition form-data; name and an
 * optional filename, an optional Content-Type.  Limits: 64 parts, 4 KiB of
 * headers per part; the body itself is limited by the route (route.h). */
#ifndef LUOSHI_HTTP_MULTIPART_H
#define LUOSHI_HTTP_MULTIPART_H

#include <stddef.h>

#include "util/arena.h"

struct req;
struct req_file;

#define MULTIPART_MAX_PARTS 64

/* One part: name and filename (NULL when it is not a file) and type (NULL
 * when absent) are NUL-terminated copies in the arena; data points into the
 * body. */
struct multipart_part {
    const char *name, *filename, *type;
    const char *data;
    size_t len;
};

/* Split body[0..n) by the boundary of content_type into parts (at most max).
 * Returns the number of parts, or -1 when the type has no usable boundary,
 * the body is malformed, a header is not UTF-8, or there are too many parts. */
int multipart_split(struct arena *a, const char *content_type, const char *body, size_t n,
                    struct multipart_part *parts, int max);
/* Parse r->body: parts without a filename become form fields (r->form, text
 * that must be UTF-8 without NUL), parts with one become r->files.  0, or -1
 * when malformed. */
int multipart_parse(struct req *r, const char *content_type);
/* The first file part called name with at least one byte, or NULL. */
const struct req_file *multipart_file(struct req *r, const char *name);

#endif
