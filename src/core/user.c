/* user.c — accounts: validation, argon2id hashing, storage, listing.
 * Sessions and tokens are session.c's; who may do what is perm.c's. */
#include "core/user.h"

#include <sodium.h>
#include <string.h>

#include "core/config_chain.h"
#include "util/time.h"
#include "util/utf8.h"

int user_password_ok(const char *password, struct err *e)
{
    size_t n = strlen(password);
    if (n < 8) return err_set(e, 422, "weak_password", "a password needs at least 8 characters");
    if (n > 256) return err_set(e, 422, "invalid_field", "a password may have at most 256 bytes");
    return 0;
}

int user_hash_password(const char *password, char out[USER_HASH_MAX])
{
    _Static_assert(crypto_pwhash_STRBYTES <= USER_HASH_MAX, "hash buffer too small");
    return crypto_pwhash_str_alg(out, password, strlen(password),
                                 crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                 crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13);
}

int user_check_password(const char *hash, const char *password)
{
    return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

static int username_valid(const char *u)
{
    size_t n = strlen(u);
    if (n == 0 || n > 64) return 0;
    for (size_t i = 0; i < n; i++) {
        char c = u[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.'))
            return 0;
    }
    return 1;
}

int user_add(struct db *db, const struct actor *a, const char *username, const char *name,
             const char *unit_code, unsigned roles, const char *hash, int64_t *id, struct err *e)
{
    if (!username_valid(username))
        return err_set(e, 422, "invalid_field",
                       "username must be 1-64 letters, digits, '-', '_' or '.'");
    if (utf8_count(name, strlen(name)) > 100)
        return err_set(e, 422, "invalid_field", "name may have at most 100 characters");
    if (!roles || roles & ~(unsigned)ROLE_ALL)
        return err_set(e, 422, "invalid_field",
                       "roles must be among admin, supervisor, leader, handler, reporter");
    struct db_stmt *st = db_prepare(db, "SELECT id FROM units WHERE code = ?1");
    if (!st) return err_db(e, DB_ERR, "adding a user");
    db_bind_text(st, 1, unit_code, (size_t)-1);
    int rc = db_step(st);
    int64_t unit = rc == DB_ROW ? db_column_int64(st, 0) : 0;
    db_finalize(st);
    if (rc != DB_ROW && rc != DB_DONE) return err_db(e, rc, "adding a user");
    if (!unit)
        return err_set(e, 404, "not_found", "no unit with code %s", unit_code),
               err_detail(e, "unit");
    st = db_prepare(db, "INSERT INTO users (username, name, unit_id, roles, password_hash,"
                        " created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id");
    if (!st) return err_db(e, DB_ERR, "adding a user");
    db_bind_text(st, 1, username, (size_t)-1);
    db_bind_text(st, 2, name, (size_t)-1);
    db_bind_int64(st, 3, unit);
    db_bind_int64(st, 4, roles);
    db_bind_text(st, 5, hash, (size_t)-1);
    db_bind_int64(st, 6, time_now_ms());
    rc = db_step(st);
    if (rc == DB_ROW) *id = db_column_int64(st, 0);
    db_finalize(st);
    if (rc == DB_UNIQUE) return err_set(e, 409, "conflict", "user %s already exists", username);
    if (rc != DB_ROW) return err_db(e, rc, "adding a user");
    char key[24];
    config_key_id(*id, key);
    return config_record(db, a, "add", CONFIG_USERS, key, NULL, e);
}

static void copy_col(struct db_stmt *st, int col, char *out, size_t outlen)
{
    const char *s = db_column_text(st, col);
    size_t n = s ? strlen(s) : 0;
    if (n >= outlen) n = outlen - 1;
    if (n) memcpy(out, s, n);
    out[n] = '\0';
}

static int user_load(struct db_stmt *st, struct user_row *out)
{
    int rc = db_step(st);
    if (rc == DB_ROW) {
        memset(out, 0, sizeof *out);
        out->id = db_column_int64(st, 0);
        copy_col(st, 1, out->username, sizeof out->username);
        copy_col(st, 2, out->name, sizeof out->name);
        out->unit_id = db_column_int64(st, 3);
        out->roles = (unsigned)db_column_int64(st, 4);
        out->disabled = (int)db_column_int64(st, 5);
        copy_col(st, 6, out->password_hash, sizeof out->password_hash);
    }
    db_finalize(st);
    return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : rc;
}

int user_find(struct db *db, const char *username, struct user_row *out)
{
    struct db_stmt *st = db_prepare(db, "SELECT id, username, name, unit_id, roles, disabled,"
                                        " password_hash FROM users WHERE username = ?1");
    if (!st) return DB_ERR;
    db_bind_text(st, 1, username, (size_t)-1);
    return user_load(st, out);
}

int user_find_id(struct db *db, int64_t id, struct user_row *out)
{
    struct db_stmt *st = db_prepare(db, "SELECT id, username, name, unit_id, roles, disabled,"
                                        " password_hash FROM users WHERE id = ?1");
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, id);
    return user_load(st, out);
}

/* The user's id and row as the configuration chain has it (*before, NULL
 * when there is no such user).  A db code. */
static int user_before(struct db *db, const char *username, char key[24], json_t **before)
{
    *before = NULL;
    struct db_stmt *st = db_prepare(db, "SELECT id FROM users WHERE username = ?1");
    if (!st) return DB_ERR;
    db_bind_text(st, 1, username, (size_t)-1);
    int rc = db_step(st);
    int64_t id = rc == DB_ROW ? db_column_int64(st, 0) : 0;
    db_finalize(st);
    if (rc != DB_ROW) return rc == DB_DONE ? DB_OK : rc;
    config_key_id(id, key);
    return config_row(db, CONFIG_USERS, key, before);
}

/* Run an UPDATE keyed by username with one text or int parameter, recorded
 * as action; 404 when no row. */
static int user_update(struct db *db, const struct actor *a, const char *action, const char *sql,
                       const char *username, const char *text, int64_t num, struct err *e)
{
    char key[24];
    json_t *before;
    int rc = user_before(db, username, key, &before);
    if (rc != DB_OK) return err_db(e, rc, "updating a user");
    if (!before) return err_set(e, 404, "not_found", "no user %s", username);
    struct db_stmt *st = db_prepare(db, sql);
    rc = DB_ERR;
    if (st) {
        db_bind_text(st, 1, username, (size_t)-1);
        if (text)
            db_bind_text(st, 2, text, (size_t)-1);
        else
            db_bind_int64(st, 2, num);
        rc = db_step(st);
        db_finalize(st);
    }
    if (rc != DB_DONE) {
        json_decref(before);
        return err_db(e, rc, "updating a user");
    }
    if (config_record(db, a, action, CONFIG_USERS, key, before, e)) return -1;
    st = db_prepare(db, "UPDATE sessions SET revoked = 1 WHERE user_id ="
                        " (SELECT id FROM users WHERE username = ?1)");
    if (!st) return err_db(e, DB_ERR, "updating a user");
    db_bind_text(st, 1, username, (size_t)-1);
    rc = db_step(st);
    db_finalize(st);
    return rc == DB_DONE ? 0 : err_db(e, rc, "revoking sessions");
}

int user_set_password(struct db *db, const struct actor *a, const char *username, const char *hash,
                      struct err *e)
{
    return user_update(db, a, "password", "UPDATE users SET password_hash = ?2 WHERE username = ?1",
                       username, hash, 0, e);
}

int user_set_disabled(struct db *db, const struct actor *a, const char *username, int disabled,
                      struct err *e)
{
    return user_update(db, a, disabled ? "disable" : "enable",
                       "UPDATE users SET disabled = ?2 WHERE username = ?1", username, NULL,
                       disabled ? 1 : 0, e);
}

static json_t *roles_json(unsigned roles)
{
    json_t *a = json_array();
    for (unsigned b = 1; b <= ROLE_REPORTER; b <<= 1)
        if (roles & b) json_array_append_new(a, json_string(role_name(b)));
    return a;
}

json_t *user_json(const struct user_row *u)
{
    return json_pack("{s:I,s:s,s:s,s:I,s:o}", "id", (json_int_t)u->id, "username", u->username,
                     "name", u->name, "unit_id", (json_int_t)u->unit_id, "roles",
                     roles_json(u->roles));
}

json_t *user_list_json(struct db *db, struct err *e)
{
    struct db_stmt *st = db_prepare(db, "SELECT u.id, u.username, u.name, u.unit_id, n.code,"
                                        " u.roles, u.disabled FROM users u"
                                        " JOIN units n ON n.id = u.unit_id ORDER BY u.username");
    if (!st) {
        err_db(e, DB_ERR, "listing users");
        return NULL;
    }
    json_t *users = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        json_array_append_new(users, json_pack("{s:I,s:s,s:s,s:I,s:s,s:o,s:b}", "id",
                                               (json_int_t)db_column_int64(st, 0), "username",
                                               db_column_text(st, 1), "name", db_column_text(st, 2),
                                               "unit_id", (json_int_t)db_column_int64(st, 3),
                                               "unit_code", db_column_text(st, 4), "roles",
                                               roles_json((unsigned)db_column_int64(st, 5)),
                                               "disabled", (int)db_column_int64(st, 6)));
    }
    db_finalize(st);
    if (rc != DB_DONE) {
        json_decref(users);
        err_db(e, rc, "listing users");
        return NULL;
    }
    return json_pack("{s:o}", "users", users);
}
