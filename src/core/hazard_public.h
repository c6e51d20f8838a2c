/* hazard_public.h — what the public interfaces (Open311, api/open311.c)
 * read of hazards: one hazard, the hazards reported in a window, and the
 * events of the hazards that changed in a window, as plain rows.
 *
 * The rows carry stored values only, and of the events' texts only what the
 * office wrote for the public (an action's public_note): never what an
 * official typed for the loop (reasons, instructions, urges, feedback,
 * names).  Which of them a client may see and how they are named (Open311's statuses, the spec's
 * fields, XML or JSON) is the caller's.  Each function runs one literal query with bound parameters
 * and calls back once per row; a callback returns 0 to go on and anything else to stop.  Texts in a
 * row are valid during the callback only. */
#ifndef LUOSHI_CORE_HAZARD_PUBLIC_H
#define LUOSHI_CORE_HAZARD_PUBLIC_H

#include <jansson.h>
#include <stdint.h>

#include "core/core.h"
#include "db/db.h"

/* One hazard as the public interfaces show it.  A text is NULL when the
 * column is NULL. */
struct hazard_public {
    int64_t id;
    const char *status;      /* the item's status */
    const char *description; /* may be NULL or "" */
    const char *category_code, *category_name;
    const char *unit_name;                     /* the lead unit's name, NULL before triage */
    int64_t created_at, updated_at, closed_at; /* ms; closed_at 0 when not closed */
    const char *deadline;                      /* YYYY-MM-DD or NULL */
    const char *address;
    int has_lat, has_lon;
    double lat, lon;
    int64_t duplicate_of;    /* the original's id, 0 when none */
    const char *public_note; /* the latest note the office wrote for the public, or NULL */
};
typedef int (*hazard_public_fn)(void *ctx, const struct hazard_public *h);

/* One event of a hazard as the public may see it: its action, the status it
 * led to, and the office's public note; nothing else of its data. */
struct hazard_public_event {
    int64_t id, item_id, at;
    const char *action;
    const char *status;      /* the status after the event, NULL when it did not change */
    const char *public_note; /* NULL when the event has none */
};
typedef int (*hazard_event_fn)(void *ctx, const struct hazard_public_event *ev);

/* Hazard id, handed to fn.  1 when there is one, 0 when there is none (or
 * the item is not a hazard), -1 with e on a storage error or when fn
 * stopped. */
int hazard_public_get(struct db *db, int64_t id, hazard_public_fn fn, void *ctx, struct err *e);
/* The hazards reported in [from_ms, to_ms], newest first, each handed to fn
 * until it returns nonzero.  0, or -1 with e on a storage error. */
int hazard_public_window(struct db *db, int64_t from_ms, int64_t to_ms, hazard_public_fn fn,
                         void *ctx, struct err *e);
/* Every event of each hazard that has an event in [from_ms, to_ms], item by
 * item in chain order, each handed to fn until it returns nonzero.  0, or -1
 * with e on a storage error. */
int hazard_public_events(struct db *db, int64_t from_ms, int64_t to_ms, hazard_event_fn fn,
                         void *ctx, struct err *e);

#endif
