/* channel.h — the outside channels messages reach people on: email (SMTP),
 * a generic webhook and the DingTalk/浙政钉 custom robot, as an admin set
 * them up (the channels table, migration 013).
 *
 * A channel without a row, or not enabled, is off: nothing is queued for
 * it.  Its secret (the SMTP password, the webhook's HMAC key, the robot's
 * signing secret) is stored for the sender and never shown back: lists say
 * only whether one is set, and the configuration chain keeps its SHA-256.
 * Every change is an event of the configuration chain, by its actor. */
#ifndef LUOSHI_CORE_CHANNEL_H
#define LUOSHI_CORE_CHANNEL_H

#include <jansson.h>

#include "core/core.h"
#include "db/db.h"

/* The channels as bits, in the order of channel_names. */
enum { CHANNEL_EMAIL = 1, CHANNEL_WEBHOOK = 2, CHANNEL_DINGTALK = 4, CHANNEL_COUNT = 3 };

/* "email", "webhook", "dingtalk" (index 0..CHANNEL_COUNT-1). */
extern const char *const channel_names[CHANNEL_COUNT];

/* The bit of channel name, or 0. */
unsigned channel_bit(const char *name);

/* One channel's settings, as the sender needs them (secret included). */
struct channel_conf {
    char name[16];
    int enabled;
    char url[1024];     /* smtp[s]://host:port; the webhook's or robot's https URL */
    char username[256]; /* SMTP login ("" none) */
    char sender[256];   /* the From address */
    char tls[16];       /* none | try | require (SMTP's STARTTLS) */
    char secret[512];   /* SMTP password, HMAC key, robot secret ("" none) */
};

/* Load channel name into c: DB_OK, DB_DONE when it has no row (c is then
 * its defaults, disabled), or a db code. */
int channel_load(struct db *db, const char *name, struct channel_conf *c);

/* The bits of the enabled channels into *mask.  DB_OK or a db code. */
int channel_enabled(struct db *db, unsigned *mask);

/* {"channels":[{"name","enabled","url","username","sender","tls","secret_set"}]}
 * for every channel, set up or not (never the secret), or NULL with e. */
json_t *channel_list_json(struct db *db, struct err *e);

/* Change channel name as a does, inside the caller's write transaction,
 * from body {"enabled"?,"url"?,"username"?,"sender"?,"tls"?,"secret"?}:
 * fields left out keep their value ("secret": "" clears it).  The URL must
 * suit the channel (smtp:// or smtps:// for email, http:// or https:// for
 * the others); an enabled channel needs its URL, and email its sender.
 * 0, or -1 with e: 404 unknown channel, 422 naming the field, 5xx. */
int channel_set(struct db *db, const struct actor *a, const char *name, json_t *body,
                struct err *e);

/* The site's public address for the links in outside messages (the
 * setting notify.base_url, without a trailing slash; "" when unset: links
 * are then paths) into out.  DB_OK or a db code. */
int channel_base_url(struct db *db, char *out, size_t n);
/* Set it as a does (a configuration-chain event), inside the caller's
 * write transaction: "" or an http:// or https:// URL of at most 500
 * bytes, stored without trailing slashes.  0, or -1 with e (422
 * invalid_field, 5xx). */
int channel_base_url_set(struct db *db, const struct actor *a, const char *url, struct err *e);

#endif
