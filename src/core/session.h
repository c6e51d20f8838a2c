/* session.h — login sessions: web (cookie) and api (bearer token).
 *
 * A token is 32 random bytes shown once as 64 hex digits; the database keeps
 * only its SHA-256, so a stolen database file does not hand out sessions.
 * Each session carries its own CSRF token for forms. */
#ifndef LUOSHI_CORE_SESSION_H
#define LUOSHI_CORE_SESSION_H

#include <stdint.h>

#include "core/core.h"
#include "db/db.h"

#define SESSION_TOKEN_LEN 64

/* What a valid token resolves to. */
struct session_info {
    int64_t id;
    int is_api; /* 1 for a bearer token, 0 for a cookie */
    char csrf[SESSION_TOKEN_LEN + 1];
    char username[65];
    struct actor actor; /* actor.username points into username */
};

/* Create a session for user_id (inside a write transaction) lasting ttl_ms.
 * token and csrf receive fresh hex strings.  0 ok, -1 with e. */
int session_create(struct db *db, int64_t user_id, int is_api, int64_t ttl_ms,
                   char token[SESSION_TOKEN_LEN + 1], char csrf[SESSION_TOKEN_LEN + 1],
                   struct err *e);
/* Resolve a token: 1 found (live, not revoked, user enabled) with *out filled,
 * 0 not found, or a negative db code. */
int session_lookup(struct db *db, const char *token, struct session_info *out);
/* The session stamp (migration 019) into *stamp: it changes with every
 * change to a session or a user.  DB_OK or a negative db code. */
int session_stamp(struct db *db, int64_t *stamp);
/* Revoke the session with this token (inside a write transaction).  0 or -1 with e. */
int session_revoke(struct db *db, const char *token, struct err *e);
/* Fill out with n random bytes as 2n hex digits. */
void session_random_hex(char *out, size_t nbytes);

#endif
