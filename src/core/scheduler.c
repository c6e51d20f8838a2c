/* scheduler.c — the daily jobs of the supervision loop and the thread that
 * runs them.  See scheduler.h.
 *
 * One run: mark the day in jobs_done (a second run stops there), then for
 * each open item past its deadline the urge, the escalation and the
 * deduction it is due, for each one past an expected feedback date the urge
 * and the deduction, then each kind's own urges (kind.h: a major hazard's
 * overdue acceptance), then the month's light of every item, and finally the
 * 考核's consequence ladders over those lights (core/consequence.h).  Each
 * item's steps run under a savepoint: one item refused by the lifecycle (it
 * is logged) does not hold up the others. */
#include "core/scheduler.h"

#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/action.h"
#include "core/calendar.h"
#include "core/checkpoint.h"
#include "core/consequence.h"
#include "core/kind.h"
#include "core/item_count.h"
#include "core/light.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/str.h"
#include "util/time.h"

#define SCHEDULER_PERIOD_S 60
/* The scheduler's job lock key (db_try_job_lock); any number below 1<<62. */
#define SCHEDULER_LOCK_KEY 0x6c756f736801LL

const struct scheduler_rules scheduler_rules_default = {1, 1, {0, 3, 10, 20}, -1, -2};

static const char *const level_zh[] = {NULL, "一般督办", "重点督办", "挂牌督办"};

/* The setting key as a number within [min, max]; *ok 0 when missing or unusable. */
static double setting_num(struct db *db, const char *key, double min, double max, int *ok, int *rc)
{
    struct db_stmt *st = db_prepare(db, "SELECT value FROM settings WHERE key = ?1");
    *ok = 0;
    if (!st) {
        *rc = DB_ERR;
        return 0;
    }
    db_bind_text(st, 1, key, (size_t)-1);
    int step = db_step(st);
    double v = 0;
    if (step == DB_ROW) {
        const char *s = db_column_text(st, 0);
        char *end;
        errno = 0;
        v = s && *s ? strtod(s, &end) : 0;
        *ok = s && *s && !errno && !*end && v >= min && v <= max;
    } else if (step != DB_DONE) {
        *rc = step;
    }
    db_finalize(st);
    return v;
}

int scheduler_rules_load(struct db *db, struct scheduler_rules *r)
{
    static const char *const after[] = {NULL, "escalation.general_after", "escalation.key_after",
                                        "escalation.listed_after"};
    int rc = DB_OK, ok;
    double v;
    *r = scheduler_rules_default;
    v = setting_num(db, "scheduler.urge_overdue", 0, 1, &ok, &rc);
    if (ok && (v == 0 || v == 1)) r->urge_overdue = (int)v;
    v = setting_num(db, "scheduler.urge_feedback", 0, 1, &ok, &rc);
    if (ok && (v == 0 || v == 1)) r->urge_feedback = (int)v;
    for (int k = 1; k <= 3; k++) {
        v = setting_num(db, after[k], 0, 366, &ok, &rc);
        if (ok && v == (int)v) r->escalate_after[k] = (int)v;
    }
    v = setting_num(db, "deduction.late_feedback", -100, 0, &ok, &rc);
    if (ok) r->late_feedback_points = v;
    v = setting_num(db, "deduction.overdue", -100, 0, &ok, &rc);
    if (ok) r->overdue_points = v;
    if (rc != DB_OK) *r = scheduler_rules_default;
    return rc;
}

/* ---- one run ---- */

/* An open item past a date. */
struct due {
    int64_t id, lead_unit_id;
    int escalation, overdue;
    char deadline[11], feedback_due[11];
};

struct run {
    struct db *db;
    struct scheduler_rules rules;
    struct calendar cal;
    int32_t today;
    int64_t now;
    struct scheduler_stats *st;
};

static const struct actor system_actor = {0, "system", 0, ROLE_SUPERVISOR};

static void copy_text(struct db_stmt *st, int c, char *out, size_t n)
{
    snprintf(out, n, "%s", db_column_is_null(st, c) ? "" : db_column_text(st, c));
}

/* Open work past its deadline or an expected feedback date, by id. */
static int due_load(struct run *x, struct due **out, size_t *n)
{
    char today[11];
    date_format(x->today, today);
    struct db_stmt *st =
        db_prepare(x->db, "SELECT id, lead_unit_id, escalation, deadline, feedback_due FROM items"
                          " WHERE status IN ('assigned','accepted','in_progress')"
                          " AND (deadline < ?1 OR feedback_due < ?1) ORDER BY id");
    if (!st) return DB_ERR;
    db_bind_text(st, 1, today, (size_t)-1);
    size_t cap = 0;
    int rc;
    *out = NULL;
    *n = 0;
    while ((rc = db_step(st)) == DB_ROW) {
        if (*n == cap) *out = xrealloc(*out, (cap = cap ? 2 * cap : 32) * sizeof **out);
        struct due *d = &(*out)[(*n)++];
        d->id = db_column_int64(st, 0);
        d->lead_unit_id = db_column_int64(st, 1);
        d->escalation = (int)db_column_int64(st, 2);
        copy_text(st, 3, d->deadline, sizeof d->deadline);
        copy_text(st, 4, d->feedback_due, sizeof d->feedback_due);
        d->overdue = d->deadline[0] && strcmp(d->deadline, today) < 0;
        if (!(d->feedback_due[0] && strcmp(d->feedback_due, today) < 0)) d->feedback_due[0] = '\0';
    }
    db_finalize(st);
    return rc == DB_DONE ? DB_OK : rc;
}

/* Record a step once: 1 when it is new, 0 when it was taken before, or a
 * negative db code. */
static int step_once(struct run *x, int64_t item, const char *step, const char *ref)
{
    struct db_stmt *st = db_prepare(x->db, "INSERT INTO auto_steps (item_id, step, ref, at)"
                                           " VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING");
    if (!st) return DB_ERR;
    db_bind_int64(st, 1, item);
    db_bind_text(st, 2, step, (size_t)-1);
    db_bind_text(st, 3, ref, (size_t)-1);
    db_bind_int64(st, 4, x->now);
    int rc = db_step(st);
    db_finalize(st);
    if (rc != DB_DONE) return rc;
    return db_changes(x->db) == 1;
}

/* Take an action as the system.  0, DB_RETRY, or -1 with e. */
static int system_act(struct run *x, int64_t item, json_t *body, struct err *e)
{
    int rc = item_act(x->db, &system_actor, item, body, e);
    json_decref(body);
    return rc;
}

/* Urge once per step and ref with text. */
static int urge_once(struct run *x, const struct due *d, const char *step, const char *ref,
                     const char *text, struct err *e)
{
    int fresh = step_once(x, d->id, step, ref);
    if (fresh < 0) return err_db(e, fresh, "recording the scheduler's step");
    if (!fresh) return 0;
    int rc = system_act(x, d->id, json_pack("{s:s,s:s}", "action", "urge", "text", text), e);
    if (!rc) x->st->urges++;
    return rc;
}

/* Climb the ladder to the highest level whose threshold the overdue days reach. */
static int escalate(struct run *x, const struct due *d, struct err *e)
{
    int32_t deadline;
    if (date_parse(d->deadline, strlen(d->deadline), &deadline)) return 0;
    int days = calendar_working_days_between(&x->cal, deadline, x->today), level = 0;
    for (int k = 1; k <= 3; k++)
        if (x->rules.escalate_after[k] > 0 && days >= x->rules.escalate_after[k]) level = k;
    if (level <= d->escalation) return 0;
    char text[160];
    snprintf(text, sizeof text, "逾期 %d 个工作日（期限 %s），自动升级为%s。", days, d->deadline,
             level_zh[level]);
    int rc = system_act(x, d->id,
                        json_pack("{s:s,s:s,s:s}", "action", "escalate", "level",
                                  action_escalation_name(level), "text", text),
                        e);
    if (!rc) x->st->escalations++;
    return rc;
}

/* Record a deduction once per item, rule and ref. */
static int deduct(struct run *x, const struct due *d, const char *rule, const char *ref,
                  double points, const char *note, struct err *e)
{
    if (points == 0 || !d->lead_unit_id) return 0;
    struct db_stmt *st =
        db_prepare(x->db, "INSERT INTO deductions (unit_id, item_id, rule, ref, points, at, note)"
                          " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT DO NOTHING");
    if (!st) return err_db(e, DB_ERR, "recording a deduction");
    db_bind_int64(st, 1, d->lead_unit_id);
    db_bind_int64(st, 2, d->id);
    db_bind_text(st, 3, rule, (size_t)-1);
    db_bind_text(st, 4, ref, (size_t)-1);
    db_bind_double(st, 5, points);
    db_bind_int64(st, 6, x->now);
    db_bind_text(st, 7, note, (size_t)-1);
    int rc = db_step(st);
    db_finalize(st);
    if (rc != DB_DONE) return err_db(e, rc, "recording a deduction");
    x->st->deductions += (int)db_changes(x->db);
    return 0;
}

/* Everything one item is due.  0, DB_RETRY, or -1 with e. */
static int item_steps(struct run *x, const struct due *d, struct err *e)
{
    char text[200];
    int rc = 0;
    if (d->overdue) {
        snprintf(text, sizeof text, "已逾期：期限 %s 已过，请尽快办理并反馈。", d->deadline);
        if (x->rules.urge_overdue) rc = urge_once(x, d, "urge_overdue", d->deadline, text, e);
        if (!rc) rc = escalate(x, d, e);
        if (!rc)
            rc = deduct(x, d, "overdue", d->deadline, x->rules.overdue_points, "逾期未办结", e);
    }
    if (!rc && d->feedback_due[0]) {
        snprintf(text, sizeof text, "反馈逾期：应于 %s 反馈进展，请尽快反馈。", d->feedback_due);
        /* an overdue item's urge already asks for news */
        if (x->rules.urge_feedback && !d->overdue)
            rc = urge_once(x, d, "urge_feedback", d->feedback_due, text, e);
        if (!rc)
            rc = deduct(x, d, "late_feedback", d->feedback_due, x->rules.late_feedback_points,
                        "未按期反馈", e);
    }
    return rc;
}

/* The month's light of every item that is not archived or cancelled. */
static int lights_snapshot(struct run *x, struct err *e)
{
    char today[11], warn[11], month[8];
    struct light_rules lr;
    int rc = light_rules_load(x->db, &lr);
    if (rc != DB_OK) return err_db(e, rc, "reading the light rules");
    date_format(x->today, today);
    date_format(light_warn_day(&x->cal, &lr, x->today), warn);
    memcpy(month, today, 7);
    month[7] = '\0';
    struct db_stmt *st = db_prepare(
        x->db,
        "INSERT INTO light_history (item_id, month, light) SELECT i.id, ?1, " LIGHT_SQL(
            "?2", "?3") " FROM items i WHERE i.status NOT IN ('archived','cancelled')"
                        " ON CONFLICT (item_id, month) DO UPDATE SET light = excluded.light");
    if (!st) return err_db(e, DB_ERR, "recording lights");
    db_bind_text(st, 1, month, (size_t)-1);
    db_bind_text(st, 2, today, (size_t)-1);
    db_bind_text(st, 3, warn, (size_t)-1);
    rc = db_step(st);
    db_finalize(st);
    if (rc != DB_DONE) return err_db(e, rc, "recording lights");
    x->st->lights = (int)db_changes(x->db);
    return 0;
}

/* The kept red set's horizon to today (core/item_count.h). */
static int red_advance(struct run *x, struct err *e)
{
    char today[11];
    date_format(x->today, today);
    int rc = item_red_advance(x->db, today);
    return rc == DB_OK ? 0 : err_db(e, rc, "advancing the red set");
}

/* Mark the day: 1 when this run is the first, 0 when it ran before. */
static int day_claim(struct run *x, struct err *e)
{
    char day[11];
    date_format(x->today, day);
    struct db_stmt *st = db_prepare(x->db, "INSERT INTO jobs_done (job, period, at)"
                                           " VALUES ('daily', ?1, ?2) ON CONFLICT DO NOTHING");
    if (!st) return err_db(e, DB_ERR, "marking the run");
    db_bind_text(st, 1, day, (size_t)-1);
    db_bind_int64(st, 2, x->now);
    int rc = db_step(st);
    db_finalize(st);
    if (rc != DB_DONE) return err_db(e, rc, "marking the run");
    return db_changes(x->db) == 1;
}

/* A kind's own urge u of d (its date in d->deadline), once. */
static int kind_urge_step(struct run *x, const struct kind_urge *u, const struct due *d,
                          struct err *e)
{
    char text[300];
    snprintf(text, sizeof text, u->text, d->deadline);
    return urge_once(x, d, u->step, d->deadline, text, e);
}

/* Run item_steps for d (or, with u, the kind's urge u) under a savepoint; a
 * refusal (4xx) is logged and skipped.  0, DB_RETRY, or -1 with e. */
static int item_run(struct run *x, const struct due *d, const struct kind_urge *u, struct err *e)
{
    if (db_savepoint(x->db) != DB_OK) return err_db(e, DB_ERR, "starting an item's steps");
    struct err ie = {0};
    int rc = u ? kind_urge_step(x, u, d, &ie) : item_steps(x, d, &ie);
    if (rc == 0) return db_release(x->db) == DB_OK ? 0 : err_db(e, DB_ERR, "an item's steps");
    db_rollback_to(x->db);
    db_release(x->db);
    if (rc == -1 && ie.status >= 400 && ie.status < 500) {
        log_error("scheduler: item %lld skipped: %s", (long long)d->id, ie.message);
        return 0;
    }
    *e = ie;
    return rc;
}

/* The items whose date of urge u has passed (kind.h urges), by id, with
 * the date in deadline. */
static int kind_urge_load(struct run *x, const struct kind_urge *u, struct due **out, size_t *n)
{
    char today[11];
    date_format(x->today, today);
    struct db_stmt *st = u->prepare(x->db);
    if (!st) return DB_ERR;
    db_bind_text(st, 1, today, (size_t)-1);
    size_t cap = 0;
    int rc;
    *out = NULL;
    *n = 0;
    while ((rc = db_step(st)) == DB_ROW) {
        if (*n == cap) *out = xrealloc(*out, (cap = cap ? 2 * cap : 16) * sizeof **out);
        struct due *d = &(*out)[(*n)++];
        memset(d, 0, sizeof *d);
        d->id = db_column_int64(st, 0);
        copy_text(st, 1, d->deadline, sizeof d->deadline);
    }
    db_finalize(st);
    return rc == DB_DONE ? DB_OK : rc;
}

/* Every kind's own urges.  0, DB_RETRY, or -1 with e. */
static int kind_urges(struct run *x, struct err *e)
{
    int rc = 0;
    for (size_t k = 0; k < kind_count() && rc == 0; k++) {
        const struct kind_urge *u = kind_at(k)->urges;
        for (; u && u->step && rc == 0; u++) {
            struct due *due = NULL;
            size_t n = 0;
            int lrc = kind_urge_load(x, u, &due, &n);
            if (lrc != DB_OK) rc = err_db(e, lrc, "reading the items due");
            for (size_t i = 0; i < n && rc == 0; i++)
                rc = item_run(x, &due[i], u, e);
            free(due);
        }
    }
    return rc;
}

int scheduler_run(struct db *db, int64_t now_ms, struct scheduler_stats *st, struct err *e)
{
    struct run x = {.db = db, .today = time_day_of(now_ms), .now = now_ms, .st = st};
    struct due *due = NULL;
    size_t n = 0;
    memset(st, 0, sizeof *st);
    int rc = day_claim(&x, e);
    if (rc <= 0) {
        st->skipped = rc == 0;
        return rc;
    }
    rc = scheduler_rules_load(db, &x.rules);
    if (rc == DB_OK) rc = calendar_load(db, &x.cal);
    if (rc == DB_OK) rc = due_load(&x, &due, &n);
    if (rc != DB_OK) {
        rc = err_db(e, rc, "reading the items due");
        goto out;
    }
    for (size_t k = 0; k < n && rc == 0; k++)
        rc = item_run(&x, &due[k], NULL, e);
    if (rc == 0) rc = kind_urges(&x, e);
    if (rc == 0) rc = lights_snapshot(&x, e);
    if (rc == 0) rc = red_advance(&x, e);
    if (rc == 0) rc = consequence_run(db, x.today, &st->consequences, e);
out:
    free(due);
    calendar_free(&x.cal);
    return rc;
}

/* ---- the thread ---- */

struct scheduler {
    struct db_pool *pool;
    char *target;
    const struct checkpoint_key *key; /* NULL: no checkpoints */
    int64_t next_checkpoint;          /* not before this time (ms) */
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int stop;
    void (*warm)(struct db_pool *pool);
    int warmed; /* warm ran since the last day's run */
};

struct tick {
    int64_t now;
    struct scheduler_stats st;
    struct err e;
};

static int tick_job(struct db *db, void *ctx)
{
    struct tick *t = ctx;
    memset(&t->e, 0, sizeof t->e);
    int rc = scheduler_run(db, t->now, &t->st, &t->e);
    return rc == 0 ? DB_OK : rc == DB_RETRY ? DB_RETRY : DB_ERR;
}

/* Periodic jobs run on one instance at a time: the facade's job lock (a
 * PostgreSQL advisory lock; always granted on SQLite).  Even without it two
 * instances could not both do the day's work — the first to insert its
 * jobs_done row wins and the other's transaction fails on that row. */
static int job_lock(struct db *db)
{
    return db_try_job_lock(db, SCHEDULER_LOCK_KEY);
}

static void job_unlock(struct db *db)
{
    db_job_unlock(db, SCHEDULER_LOCK_KEY);
}

/* ---- checkpoints ---- */

struct checkpoint_tick {
    const struct checkpoint_key *key;
    struct checkpoint c;
    int taken;
    struct err e;
};

static int checkpoint_job(struct db *db, void *ctx)
{
    struct checkpoint_tick *t = ctx;
    memset(&t->e, 0, sizeof t->e);
    if (!checkpoint_take(db, t->key, "schedule", 0, &t->c, &t->taken, &t->e)) return DB_OK;
    return t->e.status == 503 ? DB_RETRY : DB_ERR;
}

/* Sign a checkpoint when the interval has passed since the latest; a
 * refusal (an item's chain no longer holds what the last one covered) is
 * logged every interval until someone looks. */
static void tick_checkpoint(struct scheduler *s, struct db *lockdb, int64_t now)
{
    int ok, rc = DB_OK;
    int64_t last = 0;
    if (!s->key || now < s->next_checkpoint) return;
    double minutes = setting_num(lockdb, "checkpoint.interval_minutes", 0, 1440, &ok, &rc);
    if (!ok) minutes = 60;
    if (rc != DB_OK || minutes < 1 || checkpoint_latest_at(lockdb, &last) != DB_OK) return;
    if (now - last < (int64_t)(minutes * 60000)) return;
    struct checkpoint_tick t = {.key = s->key};
    rc = db_pool_write(s->pool, checkpoint_job, &t);
    s->next_checkpoint = now + (int64_t)(minutes * 60000);
    if (rc != DB_OK)
        log_error("scheduler: no checkpoint signed: %s",
                  t.e.message[0] ? t.e.message : "storage error");
    else if (t.taken)
        log_info("scheduler: checkpoint %lld signed: %lld items, root %s", (long long)t.c.seq,
                 (long long)t.c.size, t.c.root);
}

/* One tick under the job lock held on lockdb (one instance at a time).
 * Returns -1 when the lock connection failed and must be opened anew (the
 * database went away and came back), else 0. */
static int tick(struct scheduler *s, struct db *lockdb)
{
    int locked = job_lock(lockdb);
    if (locked < 0) return -1;
    if (locked != 1) return 0; /* another instance runs the jobs */
    struct tick t = {.now = time_now_ms()};
    int rc = db_pool_write_alone(s->pool, tick_job, &t);
    tick_checkpoint(s, lockdb, t.now);
    job_unlock(lockdb);
    if (rc != DB_OK)
        log_error("scheduler: the daily run failed: %s",
                  t.e.message[0] ? t.e.message : "storage error");
    if (rc == DB_OK && !t.st.skipped) {
        log_info("scheduler: %d urges, %d escalations, %d deductions, %d lights recorded, %d "
                 "consequences fired",
                 t.st.urges, t.st.escalations, t.st.deductions, t.st.lights, t.st.consequences);
        s->warmed = 0; /* a new day, or the day's changes: the views' figures are stale */
        /* A day's run can be one large transaction (a new city's first day
         * lights every item: 1.6 GB at 100,000 items); glibc keeps what it
         * freed for the next allocation, which is a day away.  Give it back. */
        malloc_trim(0);
    }
    return 0;
}

static void *scheduler_main(void *arg)
{
    struct scheduler *s = arg;
    struct db *lockdb = NULL;
    pthread_mutex_lock(&s->mu);
    while (!s->stop) {
        pthread_mutex_unlock(&s->mu);
        if (!lockdb) {
            char err[256];
            lockdb = db_open(s->target, 0, err, sizeof err);
            if (!lockdb) log_error("scheduler: cannot open the database: %s", err);
        }
        if (lockdb && tick(s, lockdb) < 0) {
            log_error("scheduler: the job lock's connection failed; reconnecting next minute");
            db_close(lockdb);
            lockdb = NULL;
        }
        if (s->warm && !s->warmed) {
            s->warm(s->pool);
            s->warmed = 1;
        }
        pthread_mutex_lock(&s->mu);
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += SCHEDULER_PERIOD_S;
        while (!s->stop && pthread_cond_timedwait(&s->cv, &s->mu, &until) != ETIMEDOUT) {
        }
    }
    pthread_mutex_unlock(&s->mu);
    db_close(lockdb);
    return NULL;
}

struct scheduler *scheduler_start(struct db_pool *pool, const char *target,
                                  const struct checkpoint_key *key,
                                  void (*warm)(struct db_pool *pool))
{
    struct scheduler *s = xcalloc(1, sizeof *s);
    s->pool = pool;
    s->warm = warm;
    s->key = key;
    s->target = xstrdup(target);
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->cv, NULL);
    if (pthread_create(&s->thread, NULL, scheduler_main, s)) {
        log_error("scheduler: cannot start its thread");
        pthread_mutex_destroy(&s->mu);
        pthread_cond_destroy(&s->cv);
        free(s->target);
        free(s);
        return NULL;
    }
    return s;
}

void scheduler_stop(struct scheduler *s)
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
