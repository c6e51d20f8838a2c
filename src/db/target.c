/* target.c — showing a database target to a person: in messages of the CLI
 * (and anywhere else a target is printed) a postgres:// URL loses its
 * password.  See db.h.  Parsing follows libpq's URI rules only as far as
 * needed to find the password, and on the side of hiding too much: the user
 * info ends at the last '@' before the query (libpq stops at the first '@' or
 * '/', but a stray '/' or '@' in a password must not leak it), the password is
 * what follows the user's ':', and a query parameter password=… is a
 * password too. */
#include "db/db.h"

#include <string.h>

struct out {
    char *p;
    size_t len, cap;
};

static void put(struct out *o, const char *s, size_t n)
{
    if (o->len + 1 >= o->cap) return;
    size_t room = o->cap - 1 - o->len;
    if (n > room) n = room;
    memcpy(o->p + o->len, s, n);
    o->len += n;
    o->p[o->len] = '\0';
}

/* Copy the query string q (after '?'), masking every password=… value. */
static void put_query(struct out *o, const char *q)
{
    while (*q) {
        size_t n = strcspn(q, "&");
        const char *eq = memchr(q, '=', n);
        if (eq && (size_t)(eq - q) == 8 && strncmp(q, "password", 8) == 0) {
            put(o, q, 9);
            put(o, "***", 3);
        } else {
            put(o, q, n);
        }
        q += n;
        if (*q == '&') put(o, q++, 1);
    }
}

const char *db_target_display(const char *target, char *out, size_t outlen)
{
    struct out o = {out, 0, outlen};
    if (outlen) out[0] = '\0';
    if (!db_target_is_pg(target)) {
        put(&o, target, strlen(target));
        return out;
    }
    const char *rest = strstr(target, "://") + 3;
    put(&o, target, (size_t)(rest - target));
    size_t auth = strcspn(rest, "?"); /* then back to the last '@' before it */
    while (auth && rest[auth - 1] != '@')
        auth--;
    if (auth > 0) {
        auth--; /* rest[auth] is that '@' */
        const char *colon = memchr(rest, ':', auth);
        if (colon) {
            put(&o, rest, (size_t)(colon - rest));
            put(&o, ":***", 4);
        } else {
            put(&o, rest, auth);
        }
        put(&o, "@", 1);
        rest += auth + 1;
    }
    size_t path = strcspn(rest, "?");
    put(&o, rest, path);
    if (rest[path] == '?') {
        put(&o, "?", 1);
        put_query(&o, rest + path + 1);
    }
    return out;
}
