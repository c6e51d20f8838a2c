/* count_cache.h — remembered total_counts for item lists.
 *
 * Counting a filtered list costs a scan of every matching row, which on a
 * city's 100,000 items dwarfs fetching the 25 shown.  Counts change only when
 * items do, and every change to an item appends an event, so the newest
 * event id is a version stamp of the whole item table: a count remembered
 * under the same query, day and stamp is still right.  A short lifetime
 * covers the one case the stamp misses (on PostgreSQL, a transaction holding
 * a lower event id may commit after a higher one was seen). */
#ifndef LUOSHI_CORE_COUNT_CACHE_H
#define LUOSHI_CORE_COUNT_CACHE_H

#include <stdint.h>

#include "db/db.h"

/* The data stamp: the newest event id, or a negative db code. */
int64_t count_cache_stamp(struct db *db);
/* 1 with *count set when key was counted under this stamp recently, else 0. */
int count_cache_get(const char *key, int64_t stamp, int64_t *count);
/* Remember count for key under stamp. */
void count_cache_put(const char *key, int64_t stamp, int64_t count);

#endif
