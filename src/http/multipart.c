/* multipart.c — splitting multipart/form-data bodies.  See multipart.h.
 * Pure byte work over the body with memmem; nothing is copied but the names. */
#include "http/multipart.h"

#include <string.h>
#include <strings.h>

#include "http/req.h"
#include "util/utf8.h"

#define PART_HEADERS_MAX 4096
#define FORM_FIELDS_MAX  256

/* The boundary parameter of a multipart/form-data type into out (1..70 bytes). */
static int boundary_of(const char *ct, char *out, size_t outlen)
{
    static const char want[] = "multipart/form-data";
    if (!ct || strncasecmp(ct, want, sizeof want - 1)) return -1;
    const char *p = ct + sizeof want - 1;
    while (*p) {
        while (*p == ';' || *p == ' ' || *p == '\t')
            p++;
        if (!strncasecmp(p, "boundary=", 9)) {
            p += 9;
            int quoted = *p == '"';
            p += quoted;
            size_t n = 0;
            while (p[n] && (quoted ? p[n] != '"' : p[n] != ';' && p[n] != ' '))
                n++;
            if (n == 0 || n > 70 || n + 1 > outlen) return -1;
            memcpy(out, p, n);
            out[n] = '\0';
            return 0;
        }
        while (*p && *p != ';')
            p++;
    }
    return -1;
}

/* The value of param (name= or filename=) in a Content-Disposition line
 * s[0..n), as an arena string; NULL when absent.  *bad on a malformed value. */
static const char *disp_param(struct arena *a, const char *s, size_t n, const char *param, int *bad)
{
    size_t pl = strlen(param);
    for (size_t i = 0; i + pl < n; i++) {
        if ((i > 0 && s[i - 1] != ';' && s[i - 1] != ' ') || strncasecmp(s + i, param, pl))
            continue;
        size_t j = i + pl;
        if (j < n && s[j] == '"') {
            size_t end = j + 1;
            while (end < n && s[end] != '"')
                end++;
            if (end >= n) {
                *bad = 1;
                return NULL;
            }
            return arena_strndup(a, s + j + 1, end - j - 1);
        }
        size_t end = j;
        while (end < n && s[end] != ';')
            end++;
        return arena_strndup(a, s + j, end - j);
    }
    return NULL;
}

/* Read the headers of one part from h[0..n) into p.  0 or -1. */
static int part_headers(struct arena *a, const char *h, size_t n, struct multipart_part *p)
{
    if (!utf8_validate(h, n, NULL) || memchr(h, '\0', n)) return -1;
    size_t i = 0;
    while (i < n) {
        const char *eol = memmem(h + i, n - i, "\r\n", 2);
        size_t len = eol ? (size_t)(eol - (h + i)) : n - i;
        const char *line = h + i;
        int bad = 0;
        if (len > 20 && !strncasecmp(line, "Content-Disposition:", 20)) {
            const char *v = line + 20;
            size_t vl = len - 20;
            while (vl && *v == ' ')
                v++, vl--;
            if (vl < 9 || strncasecmp(v, "form-data", 9)) return -1;
            p->name = disp_param(a, v, vl, "name=", &bad);
            p->filename = disp_param(a, v, vl, "filename=", &bad);
        } else if (len > 13 && !strncasecmp(line, "Content-Type:", 13)) {
            const char *v = line + 13;
            size_t vl = len - 13;
            while (vl && *v == ' ')
                v++, vl--;
            p->type = arena_strndup(a, v, vl);
        }
        if (bad) return -1;
        i += len + 2;
    }
    return p->name ? 0 : -1;
}

int multipart_split(struct arena *a, const char *content_type, const char *body, size_t n,
                    struct multipart_part *parts, int max)
{
    char b[80], delim[84];
    if (boundary_of(content_type, b, sizeof b)) return -1;
    size_t dl = (size_t)snprintf(delim, sizeof delim, "\r\n--%s", b);
    /* the first delimiter may open the body without the CRLF before it */
    const char *p = n >= dl - 2 && !memcmp(body, delim + 2, dl - 2) ? body + dl - 2 : NULL;
    if (!p) {
        const char *f = memmem(body, n, delim, dl);
        if (!f) return -1;
        p = f + dl;
    }
    const char *end = body + n;
    int count = 0;
    for (;;) {
        if (end - p >= 2 && p[0] == '-' && p[1] == '-') return count; /* the close delimiter */
        if (end - p < 2 || p[0] != '\r' || p[1] != '\n') return -1;
        p += 2;
        size_t room = (size_t)(end - p) < PART_HEADERS_MAX ? (size_t)(end - p) : PART_HEADERS_MAX;
        const char *hend = memmem(p, room, "\r\n\r\n", 4);
        if (!hend || count == max) return -1;
        struct multipart_part *part = &parts[count];
        memset(part, 0, sizeof *part);
        if (part_headers(a, p, (size_t)(hend - p) + 2, part)) return -1;
        const char *data = hend + 4;
        const char *next = memmem(data, (size_t)(end - data), delim, dl);
        if (!next) return -1;
        part->data = data;
        part->len = (size_t)(next - data);
        count++;
        p = next + dl;
    }
}

int multipart_parse(struct req *r, const char *content_type)
{
    struct multipart_part parts[MULTIPART_MAX_PARTS];
    int n = multipart_split(r->arena, content_type, r->body.data ? r->body.data : "", r->body.len,
                            parts, MULTIPART_MAX_PARTS);
    if (n < 0) return -1;
    r->form = arena_alloc(r->arena, FORM_FIELDS_MAX * sizeof *r->form);
    r->files = arena_alloc(r->arena, MULTIPART_MAX_PARTS * sizeof *r->files);
    for (int i = 0; i < n; i++) {
        const struct multipart_part *p = &parts[i];
        if (p->filename) {
            r->files[r->nfiles++] = (struct req_file){p->name, p->filename, p->type,
                                                      (const unsigned char *)p->data, p->len};
            continue;
        }
        if (memchr(p->data, '\0', p->len) || !utf8_validate(p->data, p->len, NULL)) return -1;
        r->form[r->nform].name = p->name;
        r->form[r->nform].value = arena_strndup(r->arena, p->data, p->len);
        r->nform++;
    }
    return 0;
}

const struct req_file *multipart_file(struct req *r, const char *name)
{
    for (int i = 0; i < r->nfiles; i++)
        if (!strcmp(r->files[i].name, name) && r->files[i].len) return &r->files[i];
    return NULL;
}
