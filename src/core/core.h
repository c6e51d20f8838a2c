/* core.h — what every part of the domain shares: roles, the acting user,
 * and turning storage results into errors.
 *
 * core/ is plain functions over a db handle: no HTTP, no HTML.  Writes run
 * inside a db_pool write job (a transaction the caller opened); reads take
 * any connection. */
#ifndef LUOSHI_CORE_CORE_H
#define LUOSHI_CORE_CORE_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

/* Roles are bits so a user may hold several and a route may accept several. */
enum {
    ROLE_ADMIN = 1,
    ROLE_SUPERVISOR = 2,
    ROLE_LEADER = 4,
    ROLE_HANDLER = 8,
    ROLE_REPORTER = 16,
    ROLE_APPLICANT =
        32,         /* 揭榜: a user of an enterprise or university that applies to challenges */
    ROLE_HEAD = 64, /* 单位负责人: with handler, reviews the unit's reports (core/review.h) */
    ROLE_ALL = 127,
};

/* Who is acting: filled from a session (or by the CLI as the system). */
struct actor {
    int64_t user_id; /* 0 for the system (CLI, scheduler) */
    const char *username;
    int64_t unit_id;
    unsigned roles;
};

/* The name of a single role bit ("admin" …), or NULL. */
const char *role_name(unsigned bit);
/* Parse "supervisor,handler" into bits.  Returns 0 on an unknown or empty name. */
unsigned role_parse(const char *list);
/* Write the role names of bits, comma-separated, into out (at least 64 bytes). */
void role_format(unsigned bits, char *out, size_t outlen);
/* 1 when the actor sees every unit's items (admin, supervisor, leader). */
int actor_sees_all(const struct actor *a);

struct db;

/* 1 when db answers a trivial query (the health check), else 0. */
int core_db_alive(struct db *db);

/* Turn a db.h result code into e: DB_UNAVAILABLE and DB_RETRY → 503,
 * DB_UNIQUE → 409 conflict, the rest → 500 (logged).  `what` names the
 * operation.  Returns -1. */
int err_db(struct err *e, int rc, const char *what);

#endif
