/* login.c — the login flow's steps and the throttle's counts.  See login.h.
 * Which thread runs which step is the caller's business (http/login.c);
 * this file only keeps the order and the rules. */
#include "core/login.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

static char dummy[USER_HASH_MAX];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void dummy_make(void)
{
    user_hash_password("not a real password", dummy);
}

static const char *dummy_hash(void)
{
    pthread_once(&dummy_once, dummy_make);
    return dummy;
}

int login_begin(struct login *l, const char *username, const char *password, const char *address,
                int is_api, int64_t now)
{
    memset(l, 0, sizeof *l);
    l->is_api = is_api;
    l->now = now;
    if (strlen(username) > LOGIN_USERNAME_MAX || strlen(password) > LOGIN_PASSWORD_MAX ||
        strlen(address) > LOGIN_ADDRESS_MAX) {
        l->status = 401;
        return -1;
    }
    /* whole: every part was checked to fit */
    snprintf(l->username, sizeof l->username, "%s", username);
    snprintf(l->password, sizeof l->password, "%s", password);
    snprintf(l->user_key, sizeof l->user_key, "u:%s\n%s", username, address);
    snprintf(l->address_key, sizeof l->address_key, "a:%s", address);
    return 0;
}

/* The wait after the n-th attempt of a key with free attempts: none within
 * them, then LOGIN_DELAY_MS doubling up to LOGIN_DELAY_MAX_MS. */
static int64_t login_delay(int64_t n, int64_t free)
{
    if (n < free) return 0;
    int64_t d = LOGIN_DELAY_MS;
    for (int64_t k = free; k < n && d < LOGIN_DELAY_MAX_MS; k++)
        d *= 2;
    return d < LOGIN_DELAY_MAX_MS ? d : LOGIN_DELAY_MAX_MS;
}

/* Count one attempt of key at now, atomically (the upsert holds the row
 * until the transaction ends, on every instance).  Sets *wait_ms to how long
 * the attempt must still wait (0: counted).  A db code. */
static int throttle_count(struct db *db, const char *key, int64_t free, int64_t now,
                          int64_t *wait_ms)
{
    struct db_stmt *st = db_prepare(
        db, "INSERT INTO login_throttle (key, failures, next_at, last_at) VALUES (?1, 1, 0, ?2)"
            " ON CONFLICT (key) DO UPDATE SET failures = CASE"
            " WHEN login_throttle.next_at > ?2 THEN login_throttle.failures"
            " WHEN login_throttle.last_at < ?3 THEN 1 ELSE login_throttle.failures + 1 END,"
            " next_at = CASE WHEN login_throttle.next_at > ?2 THEN login_throttle.next_at"
            " WHEN login_throttle.last_at < ?3 THEN 0 ELSE login_throttle.next_at END,"
            " last_at = ?2 RETURNING failures, next_at");
    if (!st) return DB_ERR;
    db_bind_text(st, 1, key, (size_t)-1);
    db_bind_int64(st, 2, now);
    db_bind_int64(st, 3, now - LOGIN_FORGET_MS);
    int rc = db_step(st);
    int64_t n = rc == DB_ROW ? db_column_int64(st, 0) : 0;
    int64_t next = rc == DB_ROW ? db_column_int64(st, 1) : 0;
    db_finalize(st);
    if (rc != DB_ROW) return rc == DB_DONE ? DB_ERR : rc;
    *wait_ms = next > now ? next - now : 0;
    int64_t delay = login_delay(n, free);
    if (*wait_ms || !delay) return DB_OK;
    st = db_prepare(db, "UPDATE login_throttle SET next_at = ?2 WHERE key = ?1");
    if (!st) return DB_ERR;
    db_bind_text(st, 1, key, (size_t)-1);
    db_bind_int64(st, 2, now + delay);
    rc = db_step(st);
    db_finalize(st);
    return rc == DB_DONE ? DB_OK : rc;
}

int login_count(struct db *db, struct login *l, struct err *e)
{
    int64_t wait_user = 0, wait_address = 0;
    struct db_stmt *st = db_prepare(db, "DELETE FROM login_throttle WHERE last_at < ?1");
    if (!st) return err_db(e, DB_ERR, "counting the login");
    db_bind_int64(st, 1, l->now - LOGIN_FORGET_MS);
    int rc = db_step(st);
    db_finalize(st);
    if (rc == DB_DONE)
        rc = throttle_count(db, l->user_key, LOGIN_FREE_PER_USER, l->now, &wait_user);
    if (rc == DB_OK && !wait_user)
        rc = throttle_count(db, l->address_key, LOGIN_FREE_PER_ADDRESS, l->now, &wait_address);
    if (rc != DB_OK && rc != DB_DONE) return err_db(e, rc, "counting the login");
    int64_t wait = wait_user > wait_address ? wait_user : wait_address;
    if (wait) {
        l->retry_after_s = (wait + 999) / 1000;
        return err_set(e, 429, "too_many_attempts",
                       "too many login attempts; try again in %lld seconds",
                       (long long)l->retry_after_s);
    }
    rc = user_find(db, l->username, &l->user);
    if (rc < 0) return err_db(e, rc, "looking the user up");
    l->found = rc == 1;
    return 0;
}

int login_counted(struct login *l, int rc, const struct err *e)
{
    if (rc == DB_OK) return 0;
    memset(l->password, 0, sizeof l->password);
    l->status = e->status == 429 ? 429 : 503;
    return -1;
}

void login_check(struct login *l)
{
    const char *hash = l->found ? l->user.password_hash : dummy_hash();
    l->ok = user_check_password(hash, l->password) && l->found && !l->user.disabled;
    memset(l->password, 0, sizeof l->password);
}

int login_checked(struct login *l)
{
    if (l->ok) return 0;
    l->status = 401;
    return -1;
}

int login_write(struct db *db, struct login *l, struct err *e)
{
    struct db_stmt *st = db_prepare(db, "DELETE FROM login_throttle WHERE key = ?1");
    if (!st) return err_db(e, DB_ERR, "opening a session");
    db_bind_text(st, 1, l->user_key, (size_t)-1);
    int rc = db_step(st);
    db_finalize(st);
    if (rc == DB_DONE) {
        st = db_prepare(db, "UPDATE login_throttle SET failures = failures - 1, next_at = CASE"
                            " WHEN failures - 1 < ?2 THEN 0 ELSE next_at END"
                            " WHERE key = ?1 AND failures > 0");
        if (!st) return err_db(e, DB_ERR, "opening a session");
        db_bind_text(st, 1, l->address_key, (size_t)-1);
        db_bind_int64(st, 2, LOGIN_FREE_PER_ADDRESS);
        rc = db_step(st);
        db_finalize(st);
    }
    if (rc != DB_DONE) return err_db(e, rc, "opening a session");
    return session_create(db, l->user.id, l->is_api, LOGIN_SESSION_MS, l->token, l->csrf, e);
}

void login_written(struct login *l, int rc)
{
    if (rc == DB_OK) {
        l->status = 200;
        return;
    }
    l->status = 503;
    memset(l->token, 0, sizeof l->token);
}

int password_change_begin(struct password_change *p, struct db *db, int64_t user_id,
                          const char *current, const char *next, int en)
{
    memset(p, 0, sizeof *p);
    p->en = en;
    if (strlen(current) > LOGIN_PASSWORD_MAX || strlen(next) > LOGIN_PASSWORD_MAX) {
        p->status = 422;
        err_set(&p->e, 422, "invalid_field", "a password may have at most %d bytes",
                LOGIN_PASSWORD_MAX);
        return -1;
    }
    int rc = db ? user_find_id(db, user_id, &p->user) : DB_UNAVAILABLE;
    if (rc != 1) {
        p->status = 503;
        err_db(&p->e, rc < 0 ? rc : DB_ERR, "reading the user");
        return -1;
    }
    snprintf(p->current, sizeof p->current, "%s", current);
    snprintf(p->next, sizeof p->next, "%s", next);
    return 0;
}

int password_change_check(struct password_change *p)
{
    int ret = 0;
    if (!user_check_password(p->user.password_hash, p->current)) {
        p->status = 403;
        err_set(&p->e, 403, "wrong_password",
                p->en ? "The current password is wrong." : "当前密码不正确。");
        ret = -1;
    } else if (user_password_ok(p->next, p->user.username, p->current, p->en, &p->e)) {
        p->status = 422;
        ret = -1;
    } else if (user_hash_password(p->next, p->hash)) {
        p->status = 503;
        err_set(&p->e, 503, "out_of_memory", "the password cannot be hashed now");
        ret = -1;
    }
    memset(p->current, 0, sizeof p->current);
    memset(p->next, 0, sizeof p->next);
    return ret;
}

int password_change_write(struct db *db, const struct actor *a, struct password_change *p,
                          struct err *e)
{
    return user_set_password(db, a, p->user.username, p->hash, e);
}
