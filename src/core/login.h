/* login.h — signing in: the throttle per user name and per client address,
 * the password check, and the session a good password opens.  One flow for
 * POST /api/v1/session and the login form; no HTTP here (http/login.c runs
 * the steps on the right threads and hands the outcome to the caller).
 *
 * The password check is deliberately slow (argon2id) and the session is a
 * durable write, so a login is four steps, each on the thread it belongs to:
 *
 *   login_begin    request thread   throttled?  look the user up
 *   login_check    a work thread    compare the password with the stored hash
 *   login_checked  request thread   count a failure, or clear the user's count
 *   login_write    a write job      create the session
 *
 * A step that ends the login sets l->status (200, 401, 429, 503) and returns
 * non-zero; the caller then answers from l.  An unknown user name is checked
 * against a fixed dummy hash, so the answer takes as long as for a real user
 * and does not reveal which names exist. */
#ifndef LUOSHI_CORE_LOGIN_H
#define LUOSHI_CORE_LOGIN_H

#include <stdint.h>

#include "core/session.h"
#include "core/user.h"
#include "db/db.h"

#define LOGIN_PER_USER     5                    /* failures per user name in the window */
#define LOGIN_PER_ADDRESS  30                   /* failures per client address in the window */
#define LOGIN_WINDOW_MS    (15LL * 60 * 1000)   /* the window: 15 minutes */
#define LOGIN_SESSION_MS   (12LL * 3600 * 1000) /* a session lasts 12 hours */
#define LOGIN_USERNAME_MAX 64                   /* longer names and ... */
#define LOGIN_PASSWORD_MAX 256                  /* ... passwords are wrong by definition */

/* The failed-login counters of one process (in memory; see util/throttle.h). */
struct login_limits;

/* One login attempt, from login_begin to its outcome. */
struct login {
    int status; /* 0 while it goes on; then 200 ok, 401 wrong, 429 throttled, 503 storage */
    int is_api; /* a bearer token (1) or a cookie session (0) */
    char token[SESSION_TOKEN_LEN + 1], csrf[SESSION_TOKEN_LEN + 1]; /* with status 200 */
    struct user_row user; /* the user, when found (with status 200: who logged in) */
    int found, ok;
    char password[LOGIN_PASSWORD_MAX + 1]; /* wiped by login_check */
    char user_key[80], address_key[80];
};

/* Counters allowing per_user failures per user name and per_address per
 * client address within window_ms.  Never NULL; free with login_limits_free. */
struct login_limits *login_limits_new(int per_user, int per_address, int64_t window_ms);
/* Free the counters.  NULL is ignored. */
void login_limits_free(struct login_limits *lim);

/* Start a login of username with password from address (the client's
 * address as text) at time now: refuse it when either counter is full (429),
 * else look the user up on db (NULL: unreachable, 503).  Returns 0 when
 * login_check comes next, else non-zero with l->status set. */
int login_begin(struct login *l, struct login_limits *lim, struct db *db, const char *username,
                const char *password, const char *address, int is_api, int64_t now);
/* Check the password against the user's hash (or the dummy one); wipes the
 * password.  CPU-heavy: run it off the request threads. */
void login_check(struct login *l);
/* After login_check: a wrong password counts against both keys and ends the
 * login (401, non-zero); a right one clears the user name's count and
 * returns 0 (login_write comes next). */
int login_checked(struct login *l, struct login_limits *lim, int64_t now);
/* The write job's body: create the session (token and csrf into l).
 * Returns 0, or -1 with e. */
int login_write(struct db *db, struct login *l, struct err *e);
/* After the write: status 200 when rc is DB_OK, else 503 with the token
 * wiped. */
void login_written(struct login *l, int rc);

#endif
