/* lifecycle.h — the item lifecycle as one table {kind, from, action, role, to}.
 *
 * Statuses are the contract's (DESIGN.md); the kinds are kind.h's and the
 * actions action_spec.h's, and a unit test holds the rows to both.  The table
 * says which action moves an item of which kind from which status to which,
 * and for whom; action.c runs it (fields, writes, events) and item.c asks it
 * for the "allowed_actions" of an item.  Nothing else decides what may happen to an
 * item.  docs/lifecycle.md renders the table; a unit test keeps the two equal. */
#ifndef LUOSHI_CORE_LIFECYCLE_H
#define LUOSHI_CORE_LIFECYCLE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/core.h"

/* The capacity in which an actor acts on one item, as bits: a user may hold
 * several (a supervisor who is also a leader). */
enum {
    LC_SUPERVISOR = 1, /* role supervisor or admin (督查室) */
    LC_LEADER = 2,     /* role leader (领导) */
    LC_LEAD = 4,       /* role handler, in the item's lead unit (牵头单位) */
    LC_CO = 8,         /* role handler, in one of the item's cooperating units (配合单位) */
    LC_GRID = 16,      /* role reporter, in a hazard's grid unit (网格员: verifies on site) */
    LC_REQUESTER = 32, /* a user of the enterprise that filed a request (rates the reply) */
    LC_DELEGATOR = 64, /* role handler, in the unit that split the item off (转办: runs its loop) */
    LC_AUTHOR = 128,   /* role handler, in the unit that drafted a challenge (the science bureau) */
};

/* "to" values that are not statuses: keep the status, or restore the status
 * the item had when it was suspended. */
#define LIFECYCLE_SAME     "="
#define LIFECYCLE_PREVIOUS "previous"

/* One transition.  kind is an item kind or "*" for every kind; role is
 * exactly one LC_ bit. */
struct lifecycle_row {
    const char *kind, *from, *action;
    unsigned role;
    const char *to;
};

/* The table, sorted by (kind, from, action, role) and unique. */
extern const struct lifecycle_row lifecycle_table[];
extern const size_t lifecycle_table_len;

/* The contract's statuses, in the contract's order.  The kinds are kind.h's
 * table; the actions, with their fields, action_spec.h's list. */
extern const char *const lifecycle_statuses[];
extern const size_t lifecycle_status_count;

/* 1 when s is one of the contract's statuses. */
int lifecycle_status_valid(const char *s);
/* 1 when status is closed: done, archived or cancelled. */
int lifecycle_status_closed(const char *status);
/* The name of one LC_ bit ("supervisor", "leader", "lead", "co"), or NULL. */
const char *lifecycle_role_name(unsigned role);

/* The LC_ bits of actor a on an item; is_lead / is_co say whether a's unit
 * leads or cooperates on it (the handler role is checked here). */
unsigned lifecycle_caps(const struct actor *a, int is_lead, int is_co);

/* LC_GRID when a holds the reporter role and is_grid says a's unit is the
 * hazard's grid unit, else 0: the hazard kind's visible hook adds it to
 * lifecycle_caps' bits. */
unsigned lifecycle_grid_cap(const struct actor *a, int is_grid);

/* The row that lets an actor with caps take action on an item of kind in
 * status.  NULL with e when there is none: 409 "invalid_transition" when no
 * role may take the action from this status (e->allowed then lists what caps
 * may do instead), 403 "forbidden" when another role may. */
const struct lifecycle_row *lifecycle_find(const char *kind, const char *status, const char *action,
                                           unsigned caps, struct err *e);

/* Fill out[0..max) with the distinct actions caps may take on an item of kind
 * in status, in the action list's order (static strings).  Returns the count. */
size_t lifecycle_allowed(const char *kind, const char *status, unsigned caps, const char **out,
                         size_t max);

/* The actions this actor may take on an item of kind in status, as a JSON
 * array of strings (caller owns).  is_lead / is_co say whether the actor's
 * unit leads or cooperates on the item. */
json_t *lifecycle_allowed_json(const struct actor *a, const char *kind, const char *status,
                               int is_lead, int is_co);
/* The same for capacities already computed (caps: LC_ bits). */
json_t *lifecycle_allowed_caps_json(const char *kind, const char *status, unsigned caps);

#endif
