/* lifecycle.c — statuses and the transition table.  See lifecycle.h.
 *
 * The table is the whole lifecycle: what an action needs from the request
 * (fields) is action_spec.c's and what it writes besides the status is
 * action.c's and the kinds' (kind.h), but whether it may happen at all is
 * decided here and only here.  Rows for every kind use kind "*"; a kind's own
 * steps (a hazard's triage, its grid's on-site check) are rows with its
 * kind.  The delegator (转办/分办, issue 18) is the unit that split a
 * sub-item off its own item: it runs the sub-item's loop as the office runs
 * its own (assign, urge, extensions, verify or reject, cancel), never
 * edits, suspends or escalates it.  The author is the unit that drafted a
 * challenge (the science bureau): it edits the draft until the office
 * publishes it. */
#include "core/lifecycle.h"

#include <stdio.h>
#include <string.h>

#include "core/action_spec.h"

#define S     LC_SUPERVISOR
#define L     LC_LEADER
#define LEAD  LC_LEAD
#define CO    LC_CO
#define GRID  LC_GRID
#define REQR  LC_REQUESTER
#define DELEG LC_DELEGATOR
#define AUTH  LC_AUTHOR
#define SAME  LIFECYCLE_SAME

/* Sorted by kind, from, action, role (a unit test checks it). */
const struct lifecycle_row lifecycle_table[] = {
    {"*", "accepted", "approve_extension", S, SAME},
    {"*", "accepted", "approve_extension", DELEG, SAME},
    {"*", "accepted", "cancel", S, "cancelled"},
    {"*", "accepted", "cancel", DELEG, "cancelled"},
    {"*", "accepted", "deny_extension", S, SAME},
    {"*", "accepted", "deny_extension", DELEG, SAME},
    {"*", "accepted", "edit", S, SAME},
    {"*", "accepted", "escalate", S, SAME},
    {"*", "accepted", "feedback", LEAD, "in_progress"},
    {"*", "accepted", "feedback", CO, SAME},
    {"*", "accepted", "instruct", L, SAME},
    {"*", "accepted", "request_extension", LEAD, SAME},
    {"*", "accepted", "submit", LEAD, "submitted"},
    {"*", "accepted", "suspend", S, "suspended"},
    {"*", "accepted", "urge", S, SAME},
    {"*", "accepted", "urge", L, SAME},
    {"*", "accepted", "urge", DELEG, SAME},
    {"*", "assigned", "accept", LEAD, "accepted"},
    {"*", "assigned", "assign", S, "assigned"},
    {"*", "assigned", "assign", DELEG, "assigned"},
    {"*", "assigned", "cancel", S, "cancelled"},
    {"*", "assigned", "cancel", DELEG, "cancelled"},
    {"*", "assigned", "edit", S, SAME},
    {"*", "assigned", "escalate", S, SAME},
    {"*", "assigned", "instruct", L, SAME},
    {"*", "assigned", "return", LEAD, "returned"},
    {"*", "assigned", "suspend", S, "suspended"},
    {"*", "assigned", "urge", S, SAME},
    {"*", "assigned", "urge", L, SAME},
    {"*", "assigned", "urge", DELEG, SAME},
    {"*", "cancelled", "archive", S, "archived"},
    {"*", "done", "archive", S, "archived"},
    {"*", "done", "instruct", L, SAME},
    {"*", "draft", "assign", S, "assigned"},
    {"*", "draft", "assign", DELEG, "assigned"},
    {"*", "draft", "cancel", S, "cancelled"},
    {"*", "draft", "cancel", DELEG, "cancelled"},
    {"*", "draft", "edit", S, SAME},
    {"*", "draft", "instruct", L, SAME},
    {"*", "in_progress", "approve_extension", S, SAME},
    {"*", "in_progress", "approve_extension", DELEG, SAME},
    {"*", "in_progress", "cancel", S, "cancelled"},
    {"*", "in_progress", "cancel", DELEG, "cancelled"},
    {"*", "in_progress", "deny_extension", S, SAME},
    {"*", "in_progress", "deny_extension", DELEG, SAME},
    {"*", "in_progress", "edit", S, SAME},
    {"*", "in_progress", "escalate", S, SAME},
    {"*", "in_progress", "feedback", LEAD, SAME},
    {"*", "in_progress", "feedback", CO, SAME},
    {"*", "in_progress", "instruct", L, SAME},
    {"*", "in_progress", "request_extension", LEAD, SAME},
    {"*", "in_progress", "submit", LEAD, "submitted"},
    {"*", "in_progress", "suspend", S, "suspended"},
    {"*", "in_progress", "urge", S, SAME},
    {"*", "in_progress", "urge", L, SAME},
    {"*", "in_progress", "urge", DELEG, SAME},
    {"*", "returned", "assign", S, "assigned"},
    {"*", "returned", "assign", DELEG, "assigned"},
    {"*", "returned", "cancel", S, "cancelled"},
    {"*", "returned", "cancel", DELEG, "cancelled"},
    {"*", "returned", "edit", S, SAME},
    {"*", "returned", "instruct", L, SAME},
    {"*", "returned", "suspend", S, "suspended"},
    {"*", "submitted", "cancel", S, "cancelled"},
    {"*", "submitted", "cancel", DELEG, "cancelled"},
    {"*", "submitted", "edit", S, SAME},
    {"*", "submitted", "instruct", L, SAME},
    {"*", "submitted", "reject", S, "in_progress"},
    {"*", "submitted", "reject", DELEG, "in_progress"},
    {"*", "submitted", "verify", S, "done"},
    {"*", "submitted", "verify", DELEG, "done"},
    {"*", "suspended", "cancel", S, "cancelled"},
    {"*", "suspended", "edit", S, SAME},
    {"*", "suspended", "instruct", L, SAME},
    {"*", "suspended", "resume", S, LIFECYCLE_PREVIOUS},
    {"challenge", "accepted", "disburse", S, SAME},
    {"challenge", "assigned", "disburse", S, SAME},
    {"challenge", "done", "disburse", S, SAME},
    {"challenge", "draft", "award", S, "assigned"},
    {"challenge", "draft", "close_applications", S, SAME},
    {"challenge", "draft", "edit", AUTH, SAME},
    {"challenge", "draft", "publish", S, SAME},
    {"challenge", "draft", "review", S, SAME},
    {"challenge", "draft", "review", L, SAME},
    {"challenge", "in_progress", "disburse", S, SAME},
    {"challenge", "submitted", "disburse", S, SAME},
    {"hazard", "draft", "triage", S, SAME},
    {"hazard", "returned", "triage", S, SAME},
    {"hazard", "submitted", "reject", GRID, "in_progress"},
    {"hazard", "submitted", "urge", S, SAME},
    {"hazard", "submitted", "verify", GRID, "done"},
    {"remediation", "accepted", "plan", S, SAME},
    {"remediation", "accepted", "plan", LEAD, SAME},
    {"remediation", "assigned", "plan", S, SAME},
    {"remediation", "assigned", "plan", LEAD, SAME},
    {"remediation", "draft", "plan", S, SAME},
    {"remediation", "in_progress", "plan", S, SAME},
    {"remediation", "in_progress", "plan", LEAD, SAME},
    {"remediation", "returned", "plan", S, SAME},
    {"remediation", "returned", "plan", LEAD, SAME},
    {"request", "done", "explain", S, SAME},
    {"request", "done", "follow_up", S, SAME},
    {"request", "done", "rate", REQR, SAME},
    {"request", "done", "redo", S, "assigned"},
};
const size_t lifecycle_table_len = sizeof lifecycle_table / sizeof *lifecycle_table;

#undef S
#undef L
#undef LEAD
#undef CO
#undef GRID
#undef REQR
#undef DELEG
#undef AUTH
#undef SAME

const char *const lifecycle_statuses[] = {"draft",     "assigned", "accepted", "in_progress",
                                          "submitted", "done",     "archived", "returned",
                                          "suspended", "cancelled"};
const size_t lifecycle_status_count = sizeof lifecycle_statuses / sizeof *lifecycle_statuses;

static int in_list(const char *s, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(s, list[i]) == 0) return 1;
    return 0;
}

int lifecycle_status_valid(const char *s)
{
    return in_list(s, lifecycle_statuses, lifecycle_status_count);
}

int lifecycle_status_closed(const char *status)
{
    return !strcmp(status, "done") || !strcmp(status, "archived") || !strcmp(status, "cancelled");
}

const char *lifecycle_role_name(unsigned role)
{
    switch (role) {
    case LC_SUPERVISOR:
        return "supervisor";
    case LC_LEADER:
        return "leader";
    case LC_LEAD:
        return "lead";
    case LC_CO:
        return "co";
    case LC_GRID:
        return "grid";
    case LC_REQUESTER:
        return "requester";
    case LC_DELEGATOR:
        return "delegator";
    case LC_AUTHOR:
        return "author";
    default:
        return NULL;
    }
}

unsigned lifecycle_caps(const struct actor *a, int is_lead, int is_co)
{
    unsigned caps = 0;
    if (a->roles & (ROLE_ADMIN | ROLE_SUPERVISOR)) caps |= LC_SUPERVISOR;
    if (a->roles & ROLE_LEADER) caps |= LC_LEADER;
    if ((a->roles & ROLE_HANDLER) && is_lead) caps |= LC_LEAD;
    if ((a->roles & ROLE_HANDLER) && is_co) caps |= LC_CO;
    return caps;
}

unsigned lifecycle_grid_cap(const struct actor *a, int is_grid)
{
    return is_grid && (a->roles & ROLE_REPORTER) ? LC_GRID : 0;
}

static int row_matches(const struct lifecycle_row *r, const char *kind, const char *status,
                       const char *action)
{
    return (r->kind[0] == '*' || !strcmp(r->kind, kind)) && !strcmp(r->from, status) &&
           !strcmp(r->action, action);
}

/* Who may take an action, in words, for a 403 message. */
static void roles_in_words(unsigned roles, char *out, size_t outlen)
{
    static const char *const words[] = {"a supervisor",
                                        "a leader",
                                        "the lead unit's handler",
                                        "a cooperating unit's handler",
                                        "the hazard's grid reporter",
                                        "the requesting enterprise",
                                        "the delegating unit's handler"};
    size_t used = 0;
    out[0] = '\0';
    for (unsigned i = 0; i < sizeof words / sizeof *words; i++) {
        if (!(roles & (1u << i))) continue;
        int n = snprintf(out + used, outlen - used, "%s%s", used ? " or " : "", words[i]);
        if (n < 0 || (size_t)n >= outlen - used) break;
        used += (size_t)n;
    }
}

const struct lifecycle_row *lifecycle_find(const char *kind, const char *status, const char *action,
                                           unsigned caps, struct err *e)
{
    unsigned others = 0;
    for (size_t i = 0; i < lifecycle_table_len; i++) {
        const struct lifecycle_row *r = &lifecycle_table[i];
        if (!row_matches(r, kind, status, action)) continue;
        if (r->role & caps) return r;
        others |= r->role;
    }
    if (others) {
        char who[128];
        roles_in_words(others, who, sizeof who);
        err_set(e, 403, "forbidden", "'%s' on this item is for %s", action, who);
        return NULL;
    }
    err_set(e, 409, "invalid_transition", "'%s' is not possible on a %s that is %s", action, kind,
            status);
    if (e) {
        const char *names[32];
        size_t n = lifecycle_allowed(kind, status, caps, names, 32), used = 0;
        for (size_t k = 0; k < n; k++) {
            int w = snprintf(e->allowed + used, sizeof e->allowed - used, "%s%s", k ? " " : "",
                             names[k]);
            if (w < 0 || (size_t)w >= sizeof e->allowed - used) break;
            used += (size_t)w;
        }
    }
    return NULL;
}

size_t lifecycle_allowed(const char *kind, const char *status, unsigned caps, const char **out,
                         size_t max)
{
    size_t n = 0;
    const char *names[64];
    size_t count = action_names(names, 64);
    for (size_t k = 0; k < count && n < max; k++) {
        for (size_t i = 0; i < lifecycle_table_len; i++) {
            const struct lifecycle_row *r = &lifecycle_table[i];
            if ((r->role & caps) && row_matches(r, kind, status, names[k])) {
                out[n++] = names[k];
                break;
            }
        }
    }
    return n;
}

json_t *lifecycle_allowed_json(const struct actor *a, const char *kind, const char *status,
                               int is_lead, int is_co)
{
    return lifecycle_allowed_caps_json(kind, status, lifecycle_caps(a, is_lead, is_co));
}

json_t *lifecycle_allowed_caps_json(const char *kind, const char *status, unsigned caps)
{
    const char *names[32];
    size_t n = lifecycle_allowed(kind, status, caps, names, 32);
    json_t *arr = json_array();
    for (size_t k = 0; k < n; k++)
        json_array_append_new(arr, json_string(names[k]));
    return arr;
}
