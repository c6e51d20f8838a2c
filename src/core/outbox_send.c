/* outbox_send.c — the outbox's sender thread and the daily digests.  See
 * outbox.h.
 *
 * A tick, under the outbox's job lock (one instance at a time): the day's
 * digests once the digest hour has come, then batches of due rows — read
 * on the thread's own connection, handed one by one to the transport, and
 * their results written in one pool write per batch.  A delivery is
 * written down only after it happened, so a sender stopped in between
 * (SIGKILL, power) delivers it again: at least once, never lost. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/outbox.h"
#include "core/prefs.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/time.h"

#define OUTBOX_PERIOD_MS 1000
#define OUTBOX_BATCH     50
#define DIGEST_LINES     50
/* The sender's job lock key (db_try_job_lock); the scheduler's is ...01. */
#define OUTBOX_LOCK_KEY 0x6c756f736802LL

/* ---- the digests ---- */

struct digest_user {
    int64_t user_id, after;
    struct prefs p;
};

/* Mark the day's digest: 1 when this is the first, 0 when it ran before. */
static int digest_claim(struct db *db, const char *day, int64_t now)
{
    struct db_stmt *st = db_prepare(db, "INSERT INTO jobs_done (job, period, at)"
                                        " VALUES ('digest', ?1, ?2) ON CONFLICT DO NOTHING");
    if (!st) return DB_ERR;
    db_bind_text(st, 1, day, (size_t)-1);
    db_bind_int64(st, 2, now);
    int rc = db_step(st);
    db_finalize(st);
    if (rc != DB_DONE) return rc;
    return db_changes(db) == 1;
}

/* The users who chose a digest and an outside channel. */
static int digest_users(struct db *db, struct digest_user **out, size_t *n)
{
    struct db_stmt *st = db_prepare(db, "SELECT user_id FROM user_prefs WHERE digest = 1"
                                        " AND channels <> '' ORDER BY user_id");
    if (!st) return DB_ERR;
    size_t cap = 0;
    int rc;
    *out = NULL, *n = 0;
    while ((rc = db_step(st)) == DB_ROW) {
        if (*n == cap) *out = xrealloc(*out, (cap = cap ? 2 * cap : 8) * sizeof **out);
        (*out)[(*n)++].user_id = db_column_int64(st, 0);
    }
    db_finalize(st);
    for (size_t k = 0; rc == DB_DONE && k < *n; k++) {
        rc = prefs_load(db, (*out)[k].user_id, &(*out)[k].p);
        rc = rc == DB_OK ? DB_DONE : rc;
        (*out)[k].after = (*out)[k].p.digest_after;
    }
    return rc == DB_DONE ? DB_OK : rc;
}

/* The user's messages since the last digest as lines into body; *count
 * gets how many of them the user's events take, *newest the newest id. */
static int digest_lines(struct db *db, struct digest_user *u, char *body, size_t max, int *count,
                        int64_t *newest)
{
    struct db_stmt *st = db_prepare(db, "SELECT id, action, title, at FROM messages"
                                        " WHERE user_id = ?1 AND id > ?2 ORDER BY id");
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, u->user_id);
    db_bind_int64(st, 2, u->after);
    size_t used = strlen(body);
    int rc;
    *count = 0, *newest = u->after;
    while ((rc = db_step(st)) == DB_ROW) {
        *newest = db_column_int64(st, 0);
        if (!prefs_wants(u->p.events, db_column_text(st, 1))) continue;
        if (++*count > DIGEST_LINES) continue;
        char at[40];
        time_format_iso(db_column_int64(st, 3), at, sizeof at);
        int w = snprintf(body + used, max - used, "· %s（%.16s）\n", db_column_text(st, 2), at);
        if (w > 0 && (size_t)w < max - used) used += (size_t)w;
    }
    db_finalize(st);
    return rc == DB_DONE ? DB_OK : rc;
}

/* One user's digest rows, and their mark moved on. */
static int digest_user_run(struct db *db, struct digest_user *u, const char *day, const char *base,
                           unsigned enabled, int64_t now, int *queued)
{
    char body[12288], subject[160], link[600], key[96];
    int count;
    int64_t newest;
    snprintf(body, sizeof body, "今日待办汇总（%s）\n", day);
    int rc = digest_lines(db, u, body, sizeof body - 700, &count, &newest);
    if (rc != DB_OK) return rc;
    snprintf(link, sizeof link, "%s/messages", base);
    size_t used = strlen(body);
    if (count > DIGEST_LINES)
        used += (size_t)snprintf(body + used, sizeof body - used, "……另有 %d 条\n",
                                 count - DIGEST_LINES);
    snprintf(body + used, sizeof body - used, "查看：%s", link);
    snprintf(subject, sizeof subject, "【每日汇总】%d 条消息（%s）", count, day);
    for (int k = 0; count && k < CHANNEL_COUNT && rc == DB_OK; k++) {
        unsigned bit = 1u << k;
        const char *address = bit == CHANNEL_EMAIL      ? u->p.email
                              : bit == CHANNEL_DINGTALK ? u->p.mobile
                                                        : "";
        if (!(u->p.channels & enabled & bit) || (bit == CHANNEL_EMAIL && !address[0])) continue;
        snprintf(key, sizeof key, "luoshi-d%lld-%s-%s", (long long)u->user_id, day,
                 channel_names[k]);
        struct outbox_new n = {.key = key,
                               .channel = channel_names[k],
                               .user_id = u->user_id,
                               .action = "digest",
                               .address = address,
                               .subject = subject,
                               .body = body,
                               .link = link,
                               .next_at = prefs_release_at(u->p.quiet_start, u->p.quiet_end, now),
                               .now = now};
        if ((rc = outbox_queue(db, &n)) == DB_OK) (*queued)++;
    }
    struct db_stmt *st = db_prepare(db, "UPDATE user_prefs SET digest_after = ?2"
                                        " WHERE user_id = ?1");
    if (rc != DB_OK || !st) return st ? (db_finalize(st), rc) : DB_ERR;
    db_bind_int64(st, 1, u->user_id);
    db_bind_int64(st, 2, newest);
    rc = db_step(st);
    db_finalize(st);
    return rc == DB_DONE ? DB_OK : rc;
}

int outbox_digest_run(struct db *db, int64_t now, int *queued, struct err *e)
{
    struct outbox_rules r;
    char day[11], base[512];
    unsigned enabled = 0;
    *queued = 0;
    int rc = outbox_rules_load(db, &r);
    if (rc != DB_OK) return err_db(e, rc, "reading the outbox rules");
    if (time_minute_of_day(now) < r.digest_hour * 60) return 0;
    date_format(time_day_of(now), day);
    rc = digest_claim(db, day, now);
    if (rc <= 0) return rc == 0 ? 0 : err_db(e, rc, "marking the digest");
    struct digest_user *users = NULL;
    size_t n = 0;
    rc = channel_enabled(db, &enabled);
    if (rc == DB_OK) rc = channel_base_url(db, base, sizeof base);
    if (rc == DB_OK) rc = digest_users(db, &users, &n);
    for (size_t k = 0; k < n && rc == DB_OK; k++)
        rc = digest_user_run(db, &users[k], day, base, enabled, now, queued);
    free(users);
    return rc == DB_OK ? 0 : err_db(e, rc, "writing the digests");
}

/* ---- the thread ---- */

struct outbox_sender {
    struct db_pool *pool;
    char *target;
    struct outbox_transport t;
    int32_t digest_day; /* the day whose digest is written (skip until the next) */
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int stop, kicked;
};

static int stopping(struct outbox_sender *s)
{
    pthread_mutex_lock(&s->mu);
    int stop = s->stop;
    pthread_mutex_unlock(&s->mu);
    return stop;
}

struct record_job {
    const struct outbox_result *res;
    size_t n;
    int dead;
};

static int record_run(struct db *db, void *ctx)
{
    struct record_job *j = ctx;
    struct outbox_rules r;
    j->dead = 0;
    int rc = outbox_rules_load(db, &r);
    if (rc == DB_OK) rc = outbox_record(db, j->res, j->n, time_now_ms(), &r, &j->dead);
    return rc;
}

/* Deliver one row through the transport with its channel's settings. */
static void deliver(struct outbox_sender *s, const struct outbox_row *row,
                    const struct channel_conf *confs, struct outbox_result *res)
{
    const struct channel_conf *c = NULL;
    res->id = row->id;
    for (int k = 0; k < CHANNEL_COUNT; k++)
        if (!strcmp(confs[k].name, row->channel)) c = &confs[k];
    if (!c || !c->enabled) {
        snprintf(res->error, sizeof res->error, "the %s channel is turned off", row->channel);
        return;
    }
    res->ok = s->t.send(s->t.ctx, row, c, res->error, sizeof res->error) == 0;
    if (res->ok) res->error[0] = '\0';
}

/* One batch: 1 when it was full (more may be due), 0 when not, -1 when the
 * connection failed. */
static int send_batch(struct outbox_sender *s, struct db *lockdb)
{
    struct outbox_row *rows;
    size_t got, n, done = 0;
    struct channel_conf confs[CHANNEL_COUNT];
    if (outbox_due(lockdb, time_now_ms(), OUTBOX_BATCH, &rows, &got) != DB_OK) return -1;
    n = got;
    for (int k = 0; k < CHANNEL_COUNT && n; k++)
        if (channel_load(lockdb, channel_names[k], &confs[k]) < 0) n = 0; /* none this time */
    struct outbox_result *res = xcalloc(n ? n : 1, sizeof *res);
    for (; done < n && !stopping(s); done++)
        deliver(s, &rows[done], confs, &res[done]);
    struct record_job j = {res, done, 0};
    int rc = done ? db_pool_write(s->pool, record_run, &j) : DB_OK;
    if (rc != DB_OK)
        log_error("outbox: recording %zu deliveries failed; they will be sent again", done);
    else if (j.dead)
        log_error("outbox: %d messages could not be delivered and are dead", j.dead);
    for (size_t k = 0; k < done; k++)
        if (!res[k].ok) log_info("outbox: %s %s: %s", rows[k].channel, rows[k].key, res[k].error);
    free(res);
    outbox_rows_free(rows, got);
    if (got && !n) return -1; /* the channels could not be read: the connection again */
    return n == OUTBOX_BATCH && done == n && rc == DB_OK;
}

struct digest_job {
    int64_t now;
    int queued;
    struct err e;
};

static int digest_run(struct db *db, void *ctx)
{
    struct digest_job *j = ctx;
    memset(&j->e, 0, sizeof j->e);
    j->queued = 0;
    return outbox_digest_run(db, j->now, &j->queued, &j->e) ? DB_ERR : DB_OK;
}

/* The day's digests once the digest hour has come; once per day per
 * process (the jobs_done row keeps it once across instances). */
static void tick_digest(struct outbox_sender *s, struct db *lockdb)
{
    struct digest_job j = {.now = time_now_ms()};
    int32_t today = time_day_of(j.now);
    struct outbox_rules r;
    if (s->digest_day == today || outbox_rules_load(lockdb, &r) != DB_OK) return;
    if (time_minute_of_day(j.now) < r.digest_hour * 60) return;
    if (db_pool_write(s->pool, digest_run, &j) != DB_OK) {
        log_error("outbox: the digests failed: %s", j.e.message[0] ? j.e.message : "storage");
        return;
    }
    s->digest_day = today;
    if (j.queued) log_info("outbox: %d digest messages queued", j.queued);
}

/* One tick under the job lock.  -1 when the lock's connection failed. */
static int tick(struct outbox_sender *s, struct db *lockdb)
{
    int locked = db_try_job_lock(lockdb, OUTBOX_LOCK_KEY);
    if (locked < 0) return -1;
    if (locked != 1) return 0; /* another instance sends */
    tick_digest(s, lockdb);
    int more, rc = 0;
    while ((more = send_batch(s, lockdb)) == 1 && !stopping(s)) {
    }
    if (more < 0) rc = -1;
    db_job_unlock(lockdb, OUTBOX_LOCK_KEY);
    return rc;
}

static void wait_period(struct outbox_sender *s)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_nsec += (long)OUTBOX_PERIOD_MS * 1000000L;
    until.tv_sec += until.tv_nsec / 1000000000L;
    until.tv_nsec %= 1000000000L;
    pthread_mutex_lock(&s->mu);
    while (!s->stop && !s->kicked && pthread_cond_timedwait(&s->cv, &s->mu, &until) != ETIMEDOUT) {
    }
    s->kicked = 0;
    pthread_mutex_unlock(&s->mu);
}

static void *sender_main(void *arg)
{
    struct outbox_sender *s = arg;
    struct db *lockdb = NULL;
    while (!stopping(s)) {
        if (!lockdb) {
            char err[256];
            lockdb = db_open(s->target, 0, err, sizeof err);
            if (!lockdb) log_error("outbox: cannot open the database: %s", err);
        }
        if (lockdb && tick(s, lockdb) < 0) {
            log_error("outbox: the sender's connection failed; reconnecting");
            db_close(lockdb);
            lockdb = NULL;
        }
        wait_period(s);
    }
    db_close(lockdb);
    return NULL;
}

struct outbox_sender *outbox_start(struct db_pool *pool, const char *target,
                                   const struct outbox_transport *t)
{
    struct outbox_sender *s = xcalloc(1, sizeof *s);
    s->pool = pool;
    s->t = *t;
    s->target = xstrdup(target);
    s->digest_day = -1;
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->cv, NULL);
    if (pthread_create(&s->thread, NULL, sender_main, s)) {
        log_error("outbox: cannot start the sender's thread");
        pthread_mutex_destroy(&s->mu);
        pthread_cond_destroy(&s->cv);
        free(s->target);
        free(s);
        return NULL;
    }
    return s;
}

void outbox_kick(struct outbox_sender *s)
{
    if (!s) return;
    pthread_mutex_lock(&s->mu);
    s->kicked = 1;
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->mu);
}

void outbox_stop(struct outbox_sender *s)
{
    if (!s) return;
    pthread_mutex_lock(&s->mu);
    s->stop = 1;
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->mu);
    pthread_join(s->thread, NULL);
    pthread_mutex_destroy(&s->mu);
    pthread_cond_destroy(&s->cv);
    free(s->target);
    free(s);
}
