/* consequence.h — the consequence ladders of the 考核 (research §2.2 广元,
 * 隆昌; §3.3): in a month, as many of a unit's items yellow as the year's
 * letter_yellows → 专函督办 (letter); as many red as talk_reds → 约谈 (talk);
 * in a quarter, as many item-months red as criticism_reds → 通报批评
 * (criticism).  The lights are the monthly light_history rows the scheduler
 * writes, counted for each item's lead unit (departments, task forces,
 * towns).  The thresholds are rules of core/assessment.h (per year, on the
 * configuration chain; 0 turns a ladder off).
 *
 * Each ladder fires once per unit and period: a row of consequences
 * (migration 015) and an in-app message to the unit's users and to the
 * leaders, in the transaction of the scheduler's daily run. */
#ifndef LUOSHI_CORE_CONSEQUENCE_H
#define LUOSHI_CORE_CONSEQUENCE_H

#include <jansson.h>
#include <stdint.h>

#include "core/core.h"
#include "db/db.h"

/* The Chinese name of a ladder ("letter" → 专函督办), else the name itself. */
const char *consequence_name_zh(const char *ladder);

/* Evaluate every ladder for the month and the quarter of the city-local day
 * today, inside the caller's write transaction; *fired gets how many fired
 * now.  0, or -1 with e (5xx storage). */
int consequence_run(struct db *db, int32_t today, int *fired, struct err *e);

/* The consequences of year (unit 0: every unit) as {"consequences":[{"id",
 * "unit_id","ladder","name","period","count","at"}]}, oldest first.  NULL
 * with e.  The caller owns the result. */
json_t *consequence_list_json(struct db *db, int year, int64_t unit, struct err *e);

/* As consequence_list_json, only those fired at a time in [lo, hi) (ms). */
json_t *consequence_list_between(struct db *db, int year, int64_t unit, int64_t lo, int64_t hi,
                                 struct err *e);

#endif
