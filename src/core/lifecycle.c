/* lifecycle.c — statuses, kinds and (to come) the transition table. */
#include "core/lifecycle.h"

#include <string.h>

static const char *const statuses[] = {"draft",   "assigned", "accepted", "in_progress",
                                       "submitted", "done",   "archived", "returned",
                                       "suspended", "cancelled"};
static const char *const kinds[] = {"task", "hazard", "request", "challenge", "remediation"};

static int in_list(const char *s, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(s, list[i]) == 0) return 1;
    return 0;
}

int lifecycle_status_valid(const char *s)
{
    return in_list(s, statuses, sizeof statuses / sizeof *statuses);
}

int lifecycle_kind_valid(const char *s)
{
    return in_list(s, kinds, sizeof kinds / sizeof *kinds);
}

json_t *lifecycle_allowed_json(const struct actor *a, const char *kind, const char *status,
                               int is_lead, int is_co)
{
    (void)a, (void)kind, (void)status, (void)is_lead, (void)is_co;
    return json_array();
}
