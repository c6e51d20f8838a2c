/* count_cache.h — remembered total_counts for item lists.
 *
 * A filter the kept counts cannot answer (core/item_count.h) costs a walk
 * of the matching rows, up to a bound.  Counts change only when items do,
 * and the data stamp (the view data_stamp, migration 010) changes with
 * every commit that changes an item: on SQLite the newest event id (one
 * writer commits in order, and every change to an item appends an event),
 * on PostgreSQL the snapshot the statement sees (sequence values commit out
 * of order; a snapshot changes with every commit of a writing transaction);
 * on both with the database's random config stamp mixed in, so that two
 * databases open in one process never share a stamp.
 * A count remembered under the same query, day and stamp is still right.
 * Read the stamp before counting: a count is then at least as new as the
 * stamp it is remembered under. */
#ifndef LUOSHI_CORE_COUNT_CACHE_H
#define LUOSHI_CORE_COUNT_CACHE_H

#include <stdint.h>

#include "db/db.h"

/* The data stamp into *stamp (any value, negative ones too).  DB_OK or a
 * negative db code. */
int count_cache_stamp(struct db *db, int64_t *stamp);
/* 1 with *count set when key was counted under this stamp recently, else 0. */
int count_cache_get(const char *key, int64_t stamp, int64_t *count);
/* Remember count for key under stamp. */
void count_cache_put(const char *key, int64_t stamp, int64_t count);

#endif
