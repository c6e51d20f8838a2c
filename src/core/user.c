/* user.c — accounts: validation, argon2id hashing, storage, listing.
 * Sessions and tokens are session.c's; who may do what is perm.c's. */
#include "core/user.h"

#include <pthread.h>
#include <pwquality.h>
#include <sodium.h>
#include <string.h>

#include "core/config_chain.h"
#include "core/unit.h"
#include "util/str.h"
#include "util/time.h"
#include "util/utf8.h"

/* libpwquality's refusals in the city's words and in English. */
static const struct pw_reason {
    int rc;
    const char *zh, *en;
} pw_reasons[] = {
    {PWQ_ERROR_MIN_LENGTH, "密码至少需要 8 个字符。", "A password needs at least 8 characters."},
    {PWQ_ERROR_USER_CHECK, "密码不能包含用户名。", "The password must not contain the user name."},
    {PWQ_ERROR_SAME_PASSWORD, "新密码不能与原密码相同。",
     "The new password must differ from the current one."},
    {PWQ_ERROR_TOO_SIMILAR, "新密码与原密码太相似。",
     "The new password is too similar to the current one."},
    {PWQ_ERROR_PALINDROME, "密码不能是回文。", "The password must not be a palindrome."},
    {PWQ_ERROR_CASE_CHANGES_ONLY, "新密码不能只改大小写。",
     "The new password must not differ only in letter case."},
    {PWQ_ERROR_ROTATED, "新密码不能是原密码的轮换。",
     "The new password must not be a rotation of the current one."},
    {PWQ_ERROR_MAX_CONSECUTIVE, "密码含有太多连续相同的字符。",
     "The password repeats one character too often in a row."},
    {PWQ_ERROR_MAX_SEQUENCE, "密码含有太长的连续序列（如 12345、abcde）。",
     "The password contains too long a sequence (such as 12345 or abcde)."},
};

/* The refusal's words for rc (aux: cracklib's reason, for its check). */
static const char *pw_words(int rc, void *aux, int en)
{
    for (size_t i = 0; i < sizeof pw_reasons / sizeof *pw_reasons; i++)
        if (pw_reasons[i].rc == rc) return en ? pw_reasons[i].en : pw_reasons[i].zh;
    if (rc == PWQ_ERROR_CRACKLIB_CHECK && aux && strstr(aux, "dictionary word"))
        return en ? "The password is based on a dictionary word: too easy to guess."
                  : "密码基于常见单词，太容易被猜到。";
    if (rc == PWQ_ERROR_CRACKLIB_CHECK && aux && strstr(aux, "simplistic"))
        return en ? "The password is too simple or systematic (such as 12345678)."
                  : "密码太简单或太有规律（如 12345678）。";
    return en ? "The password is too easy to guess; choose a longer one with words and digits."
              : "密码太容易被猜到，请换一个更长、混合字词和数字的密码。";
}

/* libpwquality (its dictionary is cracklib's) keeps static state: one check
 * at a time. */
static pthread_mutex_t pw_mu = PTHREAD_MUTEX_INITIALIZER;

int user_password_ok(const char *password, const char *username, const char *old, int en,
                     struct err *e)
{
    size_t n = strlen(password);
    if (n > 256) return err_set(e, 422, "invalid_field", "a password may have at most 256 bytes");
    pthread_mutex_lock(&pw_mu);
    pwquality_settings_t *s = pwquality_default_settings();
    void *aux = NULL;
    int rc = s ? pwquality_set_int_value(s, PWQ_SETTING_MIN_LENGTH, 8) : PWQ_ERROR_MEM_ALLOC;
    if (!rc) rc = pwquality_check(s, password, old, username, &aux);
    const char *words = rc < 0 ? pw_words(rc, aux, en) : NULL;
    if (words) {
        char buf[256];
        err_say(e, 422, "weak_password", words);      /* words are in the reader's language */
        pwquality_strerror(buf, sizeof buf, rc, aux); /* releases aux, as the library asks */
    }
    pwquality_free_settings(s);
    pthread_mutex_unlock(&pw_mu);
    return words ? -1 : 0;
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
    if (utf8_count(name, strlen(name)) > USER_NAME_MAX)
        return err_set(e, 422, "invalid_field", "name may have at most %d characters",
                       USER_NAME_MAX);
    if (!roles || roles & ~(unsigned)ROLE_ALL)
        return err_set(
            e, 422, "invalid_field",
            "roles must be among admin, supervisor, leader, handler, reporter, applicant");
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

/* The columns fit by construction (user_add's checks); a longer value (a
 * row written by hand) is cut between characters, never inside one. */
static void copy_col(struct db_stmt *st, int col, char *out, size_t outlen)
{
    const char *s = db_column_text(st, col);
    utf8_copy(out, outlen, s ? s : "");
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

/* Run the UPDATE st (prepared by the caller, NULL when that failed; always
 * finalized) keyed by username with one text or int parameter, recorded as
 * action; 404 when no row. */
static int user_update(struct db *db, const struct actor *a, const char *action, struct db_stmt *st,
                       const char *username, const char *text, int64_t num, struct err *e)
{
    char key[24];
    json_t *before = NULL;
    int rc = st ? user_before(db, username, key, &before) : DB_ERR;
    if (rc != DB_OK || !before) db_finalize(st);
    if (rc != DB_OK) return err_db(e, rc, "updating a user");
    if (!before) return err_set(e, 404, "not_found", "no user %s", username);
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
    return user_update(db, a, "password",
                       db_prepare(db, "UPDATE users SET password_hash = ?2 WHERE username = ?1"),
                       username, hash, 0, e);
}

int user_set_disabled(struct db *db, const struct actor *a, const char *username, int disabled,
                      struct err *e)
{
    return user_update(db, a, disabled ? "disable" : "enable",
                       db_prepare(db, "UPDATE users SET disabled = ?2 WHERE username = ?1"),
                       username, NULL, disabled ? 1 : 0, e);
}

int user_edit(struct db *db, const struct actor *a, const char *username, const char *name,
              const char *unit_code, unsigned roles, struct err *e)
{
    size_t start, nl = str_trim(name, strlen(name), &start);
    if (nl == 0 || utf8_count(name + start, nl) > USER_NAME_MAX)
        return err_set(e, 422, "invalid_field", "name must be 1-%d characters", USER_NAME_MAX);
    if (!roles || roles & ~(unsigned)ROLE_ALL)
        return err_set(
            e, 422, "invalid_field",
            "roles must be among admin, supervisor, leader, handler, reporter, applicant");
    int64_t unit = unit_id_by_code(db, unit_code);
    if (unit < 0) return err_db(e, (int)unit, "editing a user");
    if (!unit)
        return err_set(e, 404, "not_found", "no unit with code %s", unit_code),
               err_detail(e, "unit");
    char key[24];
    json_t *before = NULL;
    int rc = user_before(db, username, key, &before);
    if (rc != DB_OK) return err_db(e, rc, "editing a user");
    if (!before) return err_set(e, 404, "not_found", "no user %s", username);
    struct db_stmt *st = db_prepare(db, "UPDATE users SET name = ?2, unit_id = ?3, roles = ?4"
                                        " WHERE username = ?1");
    rc = DB_ERR;
    if (st) {
        db_bind_text(st, 1, username, (size_t)-1);
        db_bind_text(st, 2, name + start, nl);
        db_bind_int64(st, 3, unit);
        db_bind_int64(st, 4, roles);
        rc = db_step(st);
        db_finalize(st);
    }
    if (rc != DB_DONE) {
        json_decref(before);
        return err_db(e, rc, "editing a user");
    }
    return config_record(db, a, "edit", CONFIG_USERS, key, before, e);
}

static json_t *roles_json(unsigned roles)
{
    json_t *a = json_array();
    for (unsigned b = 1; b <= ROLE_APPLICANT; b <<= 1)
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

json_t *user_leaders_json(struct db *db, struct err *e)
{
    struct db_stmt *st = db_prepare(db, "SELECT id, name FROM users WHERE (roles & 4) <> 0"
                                        " AND disabled = 0 ORDER BY id");
    if (!st) {
        err_db(e, DB_ERR, "listing leaders");
        return NULL;
    }
    json_t *list = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW)
        json_array_append_new(list, json_pack("{s:I,s:s}", "id", (json_int_t)db_column_int64(st, 0),
                                              "name", db_column_text(st, 1)));
    db_finalize(st);
    if (rc != DB_DONE) {
        json_decref(list);
        err_db(e, rc, "listing leaders");
        return NULL;
    }
    return list;
}
