/* json_fuzz.c — libFuzzer target: a request body as the API takes it — the
 * depth check, jansson's parser with the server's flags, then the item and
 * action validation of core (item_input_parse, item_filter_parse).  Never
 * crashes, never leaks; accepted input has the fields core promises. */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/item.h"
#include "http/body.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *fuzz_get(void *ctx, const char *name)
{
    json_t *o = ctx;
    json_t *v = json_object_get(o, name);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (json_depth((const char *)data, size) > 32) return 0;
    json_t *v = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
    if (!v) return 0;
    struct item_input in;
    struct err e = {0};
    if (item_input_parse(v, &in, &e) == 0) {
        if (!in.title || !*in.title || !in.kind) abort();
        if (in.n_co < 0 || in.n_co > ITEM_MAX_CO_UNITS) abort();
    } else if (e.status < 400 || e.status > 499 || !e.code) {
        abort();
    }
    struct item_filter f;
    memset(&e, 0, sizeof e);
    if (item_filter_parse(fuzz_get, v, &f, &e) == 0) {
        if (f.limit < 1 || f.limit > 100 || f.offset < 0) abort();
    } else if (e.status != 422) {
        abort();
    }
    json_decref(v);
    return 0;
}
