/* user.h — user accounts and their passwords.
 *
 * Passwords are stored as libsodium argon2id strings.  Hashing and checking
 * are deliberately slow (tens of milliseconds, 64 MiB), so servers run them
 * off the request threads. */
#ifndef LUOSHI_CORE_USER_H
#define LUOSHI_CORE_USER_H

#include <jansson.h>
#include <stdint.h>

#include "core/core.h"
#include "db/db.h"

#define USER_HASH_MAX 128
#define USER_NAME_MAX 100 /* characters of a display name (up to 4 bytes each) */

/* One user as the login path needs it. */
struct user_row {
    int64_t id;
    char username[65];
    char name[USER_NAME_MAX * 4 + 1]; /* whole: 100 characters of any width */
    int64_t unit_id;
    unsigned roles;
    int disabled;
    char password_hash[USER_HASH_MAX];
};

/* Check a new password for username (NULL: not known yet) against the
 * policy: at most 256 bytes, and libpwquality's checks with its defaults and
 * at least 8 characters — cracklib's dictionary (no "password", no
 * "12345678"), not the user name, and, when old (the current password) is
 * given, not the same or too like it.  0 ok, or -1 with e 422 weak_password
 * and the reason in Chinese, or in English when en. */
int user_password_ok(const char *password, const char *username, const char *old, int en,
                     struct err *e);
/* Hash a password with argon2id into out.  0 ok, -1 when out of memory. */
int user_hash_password(const char *password, char out[USER_HASH_MAX]);
/* 1 when password matches hash, else 0. */
int user_check_password(const char *hash, const char *password);
/* Add a user as a does (inside a write transaction; an event of the
 * configuration chain) with an already computed hash.  Returns 0 with *id,
 * or -1 with e (422 bad field, 404 unknown unit, 409 taken). */
int user_add(struct db *db, const struct actor *a, const char *username, const char *name,
             const char *unit_code, unsigned roles, const char *hash, int64_t *id, struct err *e);
/* Load a user by name.  1 found, 0 not found, negative db code on error. */
int user_find(struct db *db, const char *username, struct user_row *out);
/* Load a user by id.  1 found, 0 not found, negative db code on error. */
int user_find_id(struct db *db, int64_t id, struct user_row *out);
/* Replace a user's password hash and revoke their sessions, as a does (the
 * configuration chain records that the password changed, as the SHA-256 of
 * the new hash).  0 or -1 with e (404). */
int user_set_password(struct db *db, const struct actor *a, const char *username, const char *hash,
                      struct err *e);
/* Disable (disabled = 1) or enable a user as a does; disabling revokes their
 * sessions; an event of the configuration chain.  0 or -1 with e. */
int user_set_disabled(struct db *db, const struct actor *a, const char *username, int disabled,
                      struct err *e);
/* Change a user's display name (trimmed, 1..USER_NAME_MAX characters), unit
 * and roles as a does (inside a write transaction; an event "edit" of the
 * configuration chain).  Sessions stay: each request reads the roles anew.
 * 0, or -1 with e (422 bad field, 404 no such user or unit). */
int user_edit(struct db *db, const struct actor *a, const char *username, const char *name,
              const char *unit_code, unsigned roles, struct err *e);
/* {"users":[{"id","username","name","unit_id","unit_code","roles":[…],"disabled"}]}, or NULL with
 * e. */
json_t *user_list_json(struct db *db, struct err *e);
/* The enabled users with the leader role, [{"id","name"}…] by id: who may be
 * an item's responsible leader (责任领导).  Caller owns; NULL with e. */
json_t *user_leaders_json(struct db *db, struct err *e);
/* {"id","username","name","unit_id","roles":[…]} for a loaded user.  Caller owns it. */
json_t *user_json(const struct user_row *u);

#endif
