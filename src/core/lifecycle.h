/* lifecycle.h — the item lifecycle as one table {kind, from, action, role, to}.
 * Statuses and actions are the contract's (DESIGN.md). */
#ifndef LUOSHI_CORE_LIFECYCLE_H
#define LUOSHI_CORE_LIFECYCLE_H

#include <jansson.h>
#include <stdint.h>

#include "core/core.h"

/* 1 when s is one of the contract's statuses. */
int lifecycle_status_valid(const char *s);
/* 1 when s is one of the contract's item kinds. */
int lifecycle_kind_valid(const char *s);
/* The actions this actor may take on an item of kind in status, as a JSON
 * array of strings (caller owns).  is_lead / is_co say whether the actor's
 * unit leads or cooperates on the item. */
json_t *lifecycle_allowed_json(const struct actor *a, const char *kind, const char *status,
                               int is_lead, int is_co);

#endif
