/* event_fuzz.c — libFuzzer target: the event chain's canonical JSON and
 * hashing (core/event.c) with hostile text (hardening finding 3: a name cut
 * mid-character made event_canonical return NULL and event_hash crash on
 * it).  The input is split at NUL bytes into an actor, an action and a
 * value for the event's data; the actor is also cut at every byte offset up
 * to 64, as a fixed-size copy would cut it.  Invariants: event_canonical
 * returns NULL exactly when a text is not valid UTF-8, else JSON that parses
 * back to the same event; event_hash never crashes (NULL in, a hash nothing
 * matches out) and is the same for the same text; utf8_copy cuts valid
 * text into valid text, and utf8_sanitize leaves any text valid at its
 * length. */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/event.h"
#include "util/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The next NUL-terminated part of data (a copy; the rest if no NUL). */
static char *part(const uint8_t **p, const uint8_t *end)
{
    const uint8_t *z = memchr(*p, 0, (size_t)(end - *p));
    size_t n = z ? (size_t)(z - *p) : (size_t)(end - *p);
    char *s = malloc(n + 1);
    memcpy(s, *p, n);
    s[n] = '\0';
    *p += z ? n + 1 : n;
    return s;
}

static void check_one(const char *actor, const char *action, const char *text)
{
    /* the data's text is left out when it is not UTF-8 (json_string refuses it) */
    int valid =
        utf8_validate(actor, strlen(actor), NULL) && utf8_validate(action, strlen(action), NULL);
    json_t *d = json_object();
    json_t *t = json_string(text);
    if (!t != !utf8_validate(text, strlen(text), NULL)) abort();
    if (t) json_object_set_new(d, "text", t);
    char *canon = event_canonical(7, 3, 1741000000000LL, actor, action, d);
    if (valid != (canon != NULL)) abort();
    char h1[65], h2[65];
    event_hash("", canon, h1);
    event_hash("", canon, h2);
    if (strcmp(h1, h2) || strlen(h1) != 64) abort();
    if (canon) {
        json_t *back = json_loads(canon, 0, NULL);
        if (!back || strcmp(json_string_value(json_object_get(back, "actor")), actor) ||
            strcmp(json_string_value(json_object_get(back, "action")), action))
            abort();
        json_decref(back);
    }
    free(canon);
    json_decref(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *p = data, *end = data + size;
    char *actor = part(&p, end), *action = part(&p, end), *text = part(&p, end);
    check_one(actor, action, text);
    int actor_valid = utf8_validate(actor, strlen(actor), NULL);
    for (size_t cut = 1; cut <= 64 && cut <= strlen(actor) + 1; cut++) {
        char buf[65];
        utf8_copy(buf, cut, actor); /* a valid text stays valid however it is cut */
        if (actor_valid && !utf8_validate(buf, strlen(buf), NULL)) abort();
        check_one(buf, "create", text);
    }
    size_t n = strlen(text);
    utf8_sanitize(text);
    if (strlen(text) != n || !utf8_validate(text, n, NULL)) abort();
    check_one(actor[0] ? "open311:key" : "", "create", text);
    free(actor);
    free(action);
    free(text);
    return 0;
}
