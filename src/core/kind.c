/* kind.c — the kind table and its lookups.  See kind.h.
 *
 * The table holds pointers to the rows, which live in each kind's own file,
 * so this file knows the kinds only by their row's name. */
#include "core/kind.h"

#include <stdio.h>
#include <string.h>

/* Sorted by name (a unit test checks it). */
static const struct kind *const kinds[] = {
    &kind_challenge, &kind_hazard, &kind_remediation, &kind_request, &kind_task,
};
#define KINDS (sizeof kinds / sizeof *kinds)

const struct kind *kind_find(const char *name)
{
    for (size_t i = 0; name && i < KINDS; i++)
        if (!strcmp(kinds[i]->name, name)) return kinds[i];
    return NULL;
}

size_t kind_count(void)
{
    return KINDS;
}

const struct kind *kind_at(size_t i)
{
    return i < KINDS ? kinds[i] : NULL;
}

const struct kind_step *kind_step_find(const struct kind *k, const char *action)
{
    for (const struct kind_step *s = k->steps; s && s->action; s++)
        if (!strcmp(s->action, action)) return s;
    return NULL;
}

int kind_upgrade_all(struct db *db, struct err *e)
{
    for (size_t i = 0; i < KINDS; i++)
        if (kinds[i]->upgrade && kinds[i]->upgrade(db, e)) return -1;
    return 0;
}

void kind_names_text(char *out, size_t outlen)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < KINDS; i++) {
        int n = snprintf(out + used, outlen - used, "%s%s", i ? ", " : "", kinds[i]->name);
        if (n < 0 || (size_t)n >= outlen - used) break;
        used += (size_t)n;
    }
}
