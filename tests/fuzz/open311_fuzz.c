/* open311_fuzz.c — libFuzzer target: an Open311 POST requests body through
 * the form parser (form_parse) and open311_post_parse, a W3C datetime through
 * open311_parse_datetime, and a multipart/form-data body through
 * multipart_split.  Never crashes; what is accepted keeps its promises:
 * attributes are strings or arrays of strings, a location is in range, parts
 * lie inside the body. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/open311.h"
#include "http/body.h"
#include "http/multipart.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_post(const struct open311_post *p)
{
    const char *k;
    json_t *v;
    json_object_foreach(p->attributes, k, v)
    {
        if (!json_is_string(v) && !json_is_array(v)) abort();
    }
    if (p->has_location && (fabs(p->lat) > 90 || fabs(p->lon) > 180)) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena *a = arena_new();
    struct req_field *f = NULL;
    int n = 0;
    if (form_parse(a, (const char *)data, size, &f, &n, 64) == 0) {
        struct open311_post p;
        struct err e = {0};
        if (open311_post_parse(f, n, &p, &e) == 0)
            check_post(&p);
        else if (e.status != 400)
            abort();
        open311_post_free(&p);
    }
    char *s = malloc(size + 1);
    memcpy(s, data, size);
    s[size] = '\0';
    int64_t ms;
    open311_parse_datetime(s, 480, &ms);
    struct multipart_part parts[8];
    int np = multipart_split(a, "multipart/form-data; boundary=XyZ", s, size, parts, 8);
    for (int i = 0; i < np; i++)
        if (parts[i].data < s || parts[i].data + parts[i].len > s + size || !parts[i].name) abort();
    free(s);
    arena_free(a);
    return 0;
}
