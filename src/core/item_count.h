/* item_count.h — how many items a list holds, without walking the rows
 * where that can be avoided.
 *
 * Three sources, cheapest first: the maintained tally of items per lead
 * unit, kind and status (item_tally, migration 010, kept by triggers); the
 * lights' date boundaries (light_days, migration 010: how many items turn
 * red, and how many turn yellow or red, on each day; a light's count is a
 * sum over the days up to today, plus the few items whose deadline falls
 * within the warning window); and, for any other filter, a count that stops
 * at ITEM_COUNT_BOUND matches (the caller says "at least" then), remembered
 * by core/count_cache.h while the data does not change.  Everything here
 * counts what an actor who sees every item sees; item.c falls back to the
 * bounded count for others. */
#ifndef LUOSHI_CORE_ITEM_COUNT_H
#define LUOSHI_CORE_ITEM_COUNT_H

#include <stdint.h>

#include "core/core.h"
#include "db/db.h"

/* A filtered count stops here: past it, a list says total_count_bounded. */
#define ITEM_COUNT_BOUND 10000

/* Indexes of item_count_lights' answer. */
enum { ITEM_LIGHT_GREEN, ITEM_LIGHT_YELLOW, ITEM_LIGHT_RED, ITEM_LIGHT_NONE };

/* The items of kind (NULL: any) and status (NULL: any) whose lead unit is
 * unit (0: any), from the tally.  DB_OK with *n, or a negative db code. */
int item_count_tally(struct db *db, const char *kind, const char *status, int64_t unit, int64_t *n);

/* Every item by light on the day today with warning date warn (both
 * 'YYYY-MM-DD', as light_dates gives them), in the order of the enum above:
 * exactly what grouping by LIGHT_SQL gives, counted from the boundaries, and
 * remembered under the data stamp (core/count_cache.h) until the next write.
 * Thread-safe.  DB_OK with out filled, or a negative db code. */
int item_count_lights(struct db *db, const char *today, const char *warn, int64_t out[4]);

/* Move the horizon of the kept red set (red_items, migration 019) to
 * today ('YYYY-MM-DD'), adding the items that turned red since the old
 * horizon; nothing when the horizon is today or later.  Inside a write
 * transaction (the scheduler's day).  DB_OK or a negative db code. */
int item_red_advance(struct db *db, const char *today);

/* 1 when name is a light item_count_lights counts, with its index in *idx. */
int item_count_light_index(const char *name, int *idx);

/* The items a sees that are still assigned past their 签收 limit
 * (light_accept_cutoff: not signed for within notice.accept_working_days
 * working days).  DB_OK with *n, or a negative db code. */
int item_count_accept_late(struct db *db, const struct actor *a, int64_t *n);

#endif
