/* outbox.h — the durable outbox: what is to leave the system on an outside
 * channel (email, webhook, DingTalk robot), and the sender that delivers it.
 *
 * A row is written in the transaction of the event that causes it (one per
 * recipient and channel, core/notify.c), so a delivery is never lost and
 * never made up: it is delivered at least once.  Each row has an
 * idempotency key, sent with every attempt (the webhook's Idempotency-Key
 * header, the mail's Message-ID), so a receiver that has it already can
 * drop a repeat — a repeat happens only when the sender stopped between a
 * delivery and writing it down.
 *
 * The sender is one thread of `luoshi serve`; across instances only the one
 * holding the outbox's job lock sends (db_try_job_lock), so two instances
 * on one PostgreSQL deliver each row once.  It wakes every second (or when
 * kicked), takes the rows due (pending, next_at passed) oldest first, hands
 * each to the transport (deliver/, libcurl) and records the results in one
 * write: sent; or failed, retried after outbox.retry_base_seconds doubling
 * per attempt up to outbox.retry_max_seconds; or dead once it has failed
 * for outbox.dead_after_hours since it was queued (or retried by an admin).
 * Once a day at outbox.digest_hour it writes each digest user's digest.
 * Settings: core/setting.h. */
#ifndef LUOSHI_CORE_OUTBOX_H
#define LUOSHI_CORE_OUTBOX_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/channel.h"
#include "core/core.h"
#include "db/db.h"

/* A row to queue. */
struct outbox_new {
    const char *key, *channel;
    int64_t user_id, message_id, item_id; /* 0: none */
    const char *action, *address, *subject, *body, *link;
    int64_t next_at, now;
};

/* Queue n inside the caller's write transaction; a row with the same key
 * is left as it is (queued once).  DB_OK or a db code. */
int outbox_queue(struct db *db, const struct outbox_new *n);

/* A row as the sender hands it to the transport. */
struct outbox_row {
    int64_t id, user_id, item_id, message_id, created_at;
    int attempts;
    char key[96], channel[16], action[32], address[256];
    char username[64], name[128], unit_code[64], unit_name[128]; /* the recipient */
    char *subject, *body, *link;                                 /* malloc'd; outbox_rows_free */
};

/* Up to max rows due at now (pending, next_at <= now), oldest first, into a
 * new array *rows of *n.  DB_OK or a db code. */
int outbox_due(struct db *db, int64_t now, size_t max, struct outbox_row **rows, size_t *n);
void outbox_rows_free(struct outbox_row *rows, size_t n);

/* The retry rules, from settings (defaults 30 s, 3600 s, 24 h, 8 o'clock). */
struct outbox_rules {
    int retry_base_s, retry_max_s, dead_after_h, digest_hour;
};
/* Read them; a missing or unusable value keeps its default.  A db code. */
int outbox_rules_load(struct db *db, struct outbox_rules *r);
/* The wait after the attempts-th failed attempt (1, 2, …), in ms. */
int64_t outbox_backoff_ms(const struct outbox_rules *r, int attempts);

/* What one attempt came to. */
struct outbox_result {
    int64_t id;
    int ok;
    char error[256];
};
/* Record n results at now inside the caller's write transaction: sent, or
 * failed with the next attempt scheduled, or dead.  *dead (may be NULL)
 * gets how many rows died.  DB_OK or a db code. */
int outbox_record(struct db *db, const struct outbox_result *res, size_t n, int64_t now,
                  const struct outbox_rules *r, int *dead);

/* For admins: {"counts":{"pending","dead"},"rows":[{"id","key","channel",
 * "status","user":{"id","username"}|null,"item_id","action","address",
 * "subject","attempts","next_at","created_at","sent_at","last_error"}],
 * "offset","limit"} of status (pending|dead|sent; NULL: pending and dead),
 * newest first.  NULL with e (422 for an unknown status). */
json_t *outbox_list_json(struct db *db, const char *status, int64_t offset, int64_t limit,
                         struct err *e);
/* Send row id again as soon as the sender runs: pending, next_at now, and
 * a fresh day before it dies.  0, or -1 with e (404, 409 when it was sent). */
int outbox_retry(struct db *db, int64_t id, struct err *e);
/* outbox_retry for every dead row; *n gets how many. */
int outbox_retry_dead(struct db *db, int64_t *n, struct err *e);

/* The day's digests, at now, inside the caller's write transaction: once
 * a day (from the digest hour on), for every user who chose a digest, one
 * row per chosen and enabled channel listing their messages since the last
 * digest.  *queued gets how many rows.  0, or -1 with e. */
int outbox_digest_run(struct db *db, int64_t now, int *queued, struct err *e);

/* How the sender delivers a row on channel c (given by the layer above:
 * deliver/): 0 delivered, or -1 with err filled.  Runs on the sender's
 * thread; ctx is the transport's own. */
struct outbox_transport {
    int (*send)(void *ctx, const struct outbox_row *row, const struct channel_conf *c, char *err,
                size_t errlen);
    void *ctx;
};

struct db_pool;
struct outbox_sender;

/* Start the sender thread on pool (writes) and target (its own connection
 * for the job lock and reads), delivering through t (borrowed).  NULL
 * (logged) when it cannot start. */
struct outbox_sender *outbox_start(struct db_pool *pool, const char *target,
                                   const struct outbox_transport *t);
/* Wake it now (rows were queued).  NULL is ignored. */
void outbox_kick(struct outbox_sender *s);
/* Stop the thread after the delivery in progress and free it.  NULL is ignored. */
void outbox_stop(struct outbox_sender *s);

#endif
