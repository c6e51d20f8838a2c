/* prefs.h — how each user wants to be reached (user_prefs, migration 013):
 * their email address and mobile number, the outside channels they chose
 * (email, webhook, dingtalk), the events that may reach them there, quiet
 * hours during which deliveries are held until the hours end, and a daily
 * digest instead of one message per event.
 *
 * Without a row a user is reached in the app only.  In-app messages are
 * always written (they are the record of what was asked of whom); the
 * choices here decide what leaves the system.  Not configuration of the
 * city: a user's own setting, outside the configuration chain. */
#ifndef LUOSHI_CORE_PREFS_H
#define LUOSHI_CORE_PREFS_H

#include <jansson.h>
#include <stdint.h>

#include "core/core.h"
#include "db/db.h"

struct prefs {
    char email[256];
    char mobile[32];
    unsigned channels;    /* CHANNEL_ bits (core/channel.h) */
    char events[1024];    /* "*" or a comma-separated list of actions */
    int quiet_start;      /* minutes after the city's midnight; -1: no quiet hours */
    int quiet_end;        /* the minute they end (may be before quiet_start: overnight) */
    int digest;           /* 1: one digest a day instead of one message per event */
    int64_t digest_after; /* the newest message id a digest covered */
};

/* User user_id's preferences into p: DB_OK, DB_DONE when they have none (p
 * holds the defaults: in-app only, every event, no quiet hours), or a db
 * code. */
int prefs_load(struct db *db, int64_t user_id, struct prefs *p);

/* {"email","mobile","channels":[…],"events":"*"|[…],"quiet_hours":
 * {"start":"HH:MM","end":"HH:MM"}|null,"digest":bool} of user_id, or NULL
 * with e. */
json_t *prefs_json(struct db *db, int64_t user_id, struct err *e);

/* Change user_id's preferences from body (an object of the fields above;
 * those left out keep their value), inside the caller's write transaction.
 * "email" must be an address or "", "mobile" 5–20 digits with an optional
 * leading + or "", "channels" names of channels, "events" "*" or names of
 * the actions that reach people (notify.h), "quiet_hours" two distinct
 * "HH:MM" or null, "digest" a boolean.  0, or -1 with e: 422 naming the
 * field (unknown_field for others; missing_field for {}), 5xx. */
int prefs_set(struct db *db, int64_t user_id, json_t *body, struct err *e);

/* 1 when events ("*" or a comma-separated list) holds action. */
int prefs_wants(const char *events, const char *action);
/* The CHANNEL_ bits of a comma-separated list of channel names. */
unsigned prefs_channel_mask(const char *csv);
/* When a delivery queued at now may go: now, or the end of the quiet hours
 * [start, end) (minutes, city time; start -1 or start == end: none) that
 * now falls in. */
int64_t prefs_release_at(int quiet_start, int quiet_end, int64_t now);

#endif
