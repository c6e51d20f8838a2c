/* core.c — roles and storage errors.  See core.h. */
#include "core/core.h"

#include <stdio.h>
#include <string.h>

#include "db/db.h"
#include "util/log.h"

static const char *const role_names[] = {"admin",    "supervisor", "leader", "handler",
                                         "reporter", "applicant",  "head"};
#define NROLES (sizeof role_names / sizeof *role_names)

const char *role_name(unsigned bit)
{
    for (unsigned i = 0; i < NROLES; i++)
        if (bit == 1u << i) return role_names[i];
    return NULL;
}

unsigned role_parse(const char *list)
{
    unsigned bits = 0;
    const char *p = list;
    while (*p) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        unsigned found = 0;
        for (unsigned i = 0; i < NROLES; i++)
            if (strlen(role_names[i]) == n && strncmp(p, role_names[i], n) == 0) found = 1u << i;
        if (!found) return 0;
        bits |= found;
        p += n + (end ? 1 : 0);
        if (end && !*p) return 0;
    }
    return bits;
}

void role_format(unsigned bits, char *out, size_t outlen)
{
    size_t used = 0;
    out[0] = '\0';
    for (unsigned i = 0; i < NROLES; i++) {
        if (!(bits & (1u << i))) continue;
        int n = snprintf(out + used, outlen - used, "%s%s", used ? "," : "", role_names[i]);
        if (n < 0 || (size_t)n >= outlen - used) break;
        used += (size_t)n;
    }
}

int actor_sees_all(const struct actor *a)
{
    return (a->roles & (ROLE_ADMIN | ROLE_SUPERVISOR | ROLE_LEADER)) != 0;
}

int err_db(struct err *e, int rc, const char *what)
{
    if (rc == DB_UNAVAILABLE)
        return err_set(e, 503, "database_unavailable",
                       "the database cannot be reached right now; try again shortly");
    if (rc == DB_RETRY) return err_set(e, 503, "busy", "%s: the database is busy; try again", what);
    if (rc == DB_UNIQUE) return err_set(e, 409, "conflict", "%s: that already exists", what);
    log_error("storage failure in %s (code %d)", what, rc);
    return err_set(e, 500, "internal", "%s failed because of a storage error", what);
}

int core_db_alive(struct db *db)
{
    int64_t one = 0;
    return db && db_query_int64(db, "SELECT 1", 0, 0, &one) == DB_OK && one == 1;
}
