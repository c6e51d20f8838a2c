/* form_fuzz.c — libFuzzer target: urlencoded form bodies (form_parse) and the
 * JSON depth scanner.  Never crashes; every field it accepts is valid UTF-8
 * without NUL; the field count respects the limit. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/body.h"
#include "util/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena *a = arena_new();
    struct req_field *f = NULL;
    int n = 0;
    if (form_parse(a, (const char *)data, size, &f, &n, 16) == 0) {
        if (n > 16) abort();
        for (int i = 0; i < n; i++) {
            if (!utf8_validate(f[i].name, strlen(f[i].name), NULL)) abort();
            if (!utf8_validate(f[i].value, strlen(f[i].value), NULL)) abort();
        }
    }
    if (json_depth((const char *)data, size) < 0) abort();
    arena_free(a);
    return 0;
}
