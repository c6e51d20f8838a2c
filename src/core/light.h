/* light.h — warning lights (预警灯), derived, never stored by hand.
 *
 * red: not closed and the deadline has passed; yellow: the deadline is within
 * the warning window; green otherwise; none: closed.  Computed in SQL so lists
 * filter and sort by it; the caller binds today and the warning date. */
#ifndef LUOSHI_CORE_LIGHT_H
#define LUOSHI_CORE_LIGHT_H

#include "db/db.h"

/* The light of the item aliased "i", given the placeholders (string literals
 * such as "?10") holding today and the last day of the warning window, both
 * 'YYYY-MM-DD'. */
#define LIGHT_SQL(TODAY, WARN)                                                                     \
    "(CASE WHEN i.status IN ('done','archived','cancelled') THEN 'none'"                           \
    " WHEN i.deadline IS NOT NULL AND i.deadline < " TODAY " THEN 'red'"                           \
    " WHEN i.deadline IS NOT NULL AND i.deadline <= " WARN " THEN 'yellow'"                        \
    " ELSE 'green' END)"

/* Fill today and the warning date (today + the warning window) for LIGHT_SQL. */
void light_dates(struct db *db, char today[11], char warn[11]);
/* 1 when s is green, yellow, red or none. */
int light_valid(const char *s);

#endif
