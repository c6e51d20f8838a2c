/* fixture.h — what the unit tests' fixtures share on a testdb (testdb.h):
 * a user of a unit and the actor it acts as.  Include after <cmocka.h>. */
#ifndef LUOSHI_TESTS_FIXTURE_H
#define LUOSHI_TESTS_FIXTURE_H

#include "core/core.h"
#include "core/user.h"
#include "db/db.h"

/* Add user name (display name the same, password "x") to the unit coded
 * unit (id unit_id) with roles, and set *a to act as it; fails the test when
 * the user cannot be added. */
static inline void fixture_user(struct db *db, struct actor *a, const char *name, const char *unit,
                                int64_t unit_id, unsigned roles)
{
    int64_t id;
    struct err e = {0};
    if (user_add(db, NULL, name, name, unit, roles, "x", &id, &e)) fail_msg("%s", e.message);
    *a = (struct actor){.user_id = id, .username = name, .unit_id = unit_id, .roles = roles};
}

#endif
