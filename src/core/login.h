/* login.h — signing in: the throttle per (user name, client address) and per
 * client address, the password check, and the session a good password
 * opens.  One flow for POST /api/v1/session and the login form; no HTTP here
 * (http/login.c runs the steps on the right threads and hands the outcome to
 * the caller).
 *
 * The password check is deliberately slow (argon2id) and every attempt is
 * counted in the database (table login_throttle, migration 011) before its
 * password is checked, in one atomic write shared by every instance, so a
 * parallel burst of guesses cannot outrun the count.  A login is five steps,
 * each on the thread it belongs to:
 *
 *   login_begin    request thread   the attempt's keys (no storage)
 *   login_count    a write job      throttled?  count the attempt; look the user up
 *   login_check    a work thread    compare the password with the stored hash
 *   login_checked  request thread   a wrong password ends here (it was counted)
 *   login_write    a write job      create the session; give the attempt back
 *
 * The throttle backs off instead of locking: a key has LOGIN_FREE_* attempts,
 * then each further one must wait LOGIN_DELAY_MS, doubling per attempt up to
 * LOGIN_DELAY_MAX_MS; an attempt made too early is refused (429) without
 * being counted or checked.  The (user name, address) key is what stops
 * guessing one account; since it names the address, nobody elsewhere can
 * lock a user out.  The address key stops spraying many names from one
 * place.  A success forgets its (user, address) key and gives its address
 * one attempt back.  Keys untried for LOGIN_FORGET_MS are forgotten.
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

#define LOGIN_FREE_PER_USER    5                    /* attempts at one name from one address */
#define LOGIN_FREE_PER_ADDRESS 50                   /* attempts at any name from one address */
#define LOGIN_DELAY_MS         (30LL * 1000)        /* the first wait past the free attempts */
#define LOGIN_DELAY_MAX_MS     (3600LL * 1000)      /* the longest wait */
#define LOGIN_FORGET_MS        (24LL * 3600 * 1000) /* a key untried this long starts afresh */
#define LOGIN_SESSION_MS       (12LL * 3600 * 1000) /* a session lasts 12 hours */
#define LOGIN_USERNAME_MAX     64                   /* longer names and ... */
#define LOGIN_PASSWORD_MAX     256                  /* ... passwords are wrong by definition */
#define LOGIN_ADDRESS_MAX      64                   /* a client address as text (IPv6 fits) */

/* One login attempt, from login_begin to its outcome. */
struct login {
    int status; /* 0 while it goes on; then 200 ok, 401 wrong, 429 throttled, 503 storage */
    int is_api; /* a bearer token (1) or a cookie session (0) */
    char token[SESSION_TOKEN_LEN + 1], csrf[SESSION_TOKEN_LEN + 1]; /* with status 200 */
    struct user_row user; /* the user, when found (with status 200: who logged in) */
    int found, ok;
    int64_t now;           /* when the attempt began (ms) */
    int64_t retry_after_s; /* with status 429: seconds until the next attempt may come */
    char username[LOGIN_USERNAME_MAX + 1];
    char password[LOGIN_PASSWORD_MAX + 1]; /* wiped by login_check */
    char user_key[LOGIN_USERNAME_MAX + LOGIN_ADDRESS_MAX + 8];
    char address_key[LOGIN_ADDRESS_MAX + 8];
};

/* Start a login of username with password from address (the client's
 * address as text) at time now.  A name or password over its maximum, or an
 * address over LOGIN_ADDRESS_MAX, is a wrong login: 401 and non-zero
 * (nothing counted).  Else 0: login_count comes next. */
int login_begin(struct login *l, const char *username, const char *password, const char *address,
                int is_api, int64_t now);
/* The write job's body, before the password is checked: refuse the attempt
 * when either key must still wait (-1 with e 429 too_many_attempts, l->status
 * 429 and l->retry_after_s set: roll back, nothing counted), else count it
 * against both keys and look the user up.  0, or -1 with e (storage: 503). */
int login_count(struct db *db, struct login *l, struct err *e);
/* After login_count's job: l->status from its outcome (rc DB_OK: 0 and 0
 * returned, login_check comes next; else 429 or 503 from e, non-zero). */
int login_counted(struct login *l, int rc, const struct err *e);
/* Check the password against the user's hash (or the dummy one); wipes the
 * password.  CPU-heavy: run it off the request threads. */
void login_check(struct login *l);
/* After login_check: a wrong password ends the login (401, non-zero; it
 * was counted already); a right one returns 0 (login_write comes next). */
int login_checked(struct login *l);
/* The write job's body after a right password: create the session (token and
 * csrf into l), forget the (user, address) key and give the address its
 * attempt back.  Returns 0, or -1 with e. */
int login_write(struct db *db, struct login *l, struct err *e);
/* After the write: status 200 when rc is DB_OK, else 503 with the token
 * wiped. */
void login_written(struct login *l, int rc);

/* A user changing their own password: the current one checked, the new one
 * held to the policy (user_password_ok) and hashed, off the request
 * threads; then written (which revokes every session of the user, this one
 * too).  Three steps, as for a login:
 *
 *   password_change_begin  request thread  look the user up
 *   password_change_check  a work thread   current password, policy, hash
 *   password_change_write  a write job     the new hash (and the chain's record)
 *
 * A step that ends the change sets p->status (403 wrong current password,
 * 422 weak or too long, 503 storage) with p->e, and returns non-zero. */
struct password_change {
    int status; /* 0 while it goes on; then 200, 403, 422 or 503 */
    int en;     /* refusals in English (else Chinese) */
    struct user_row user;
    char current[LOGIN_PASSWORD_MAX + 1], next[LOGIN_PASSWORD_MAX + 1]; /* wiped by check */
    char hash[USER_HASH_MAX];
    struct err e;
};

/* Start user_id's change from current to next.  0 when the check comes
 * next, else non-zero with the status set. */
int password_change_begin(struct password_change *p, struct db *db, int64_t user_id,
                          const char *current, const char *next, int en);
/* Check the current password, the new one's quality, and hash it; wipes
 * both.  CPU-heavy: run it off the request threads.  0, or non-zero with
 * the status set. */
int password_change_check(struct password_change *p);
/* The write job's body: store the new hash as a does.  0, or -1 with e. */
int password_change_write(struct db *db, const struct actor *a, struct password_change *p,
                          struct err *e);

#endif
