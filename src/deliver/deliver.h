/* deliver.h — delivering the outbox's rows to the world with libcurl: email
 * over SMTP (STARTTLS and login as the channel says), a generic webhook
 * (JSON, signed with HMAC-SHA256) and the DingTalk/浙政钉 custom robot (its
 * timestamp and HMAC signature on the URL, a markdown body).
 *
 * This layer only talks to receivers: what to send and when is core's
 * (core/outbox.h hands it a row and its channel's settings); it reads and
 * writes no database.  The formats are public for tests (format.c): the
 * mail as it goes on the wire, the webhook's body and signature, the
 * robot's signed URL and body.  docs/operations.md describes what a
 * receiver gets. */
#ifndef LUOSHI_DELIVER_DELIVER_H
#define LUOSHI_DELIVER_DELIVER_H

#include <stddef.h>
#include <stdint.h>

#include "core/channel.h"
#include "core/outbox.h"
#include "util/buf.h"

/* The transport for outbox_start: one per sender thread (it keeps a curl
 * handle per channel for connection reuse).  deliver_free gives it back. */
struct outbox_transport *deliver_new(void);
void deliver_free(struct outbox_transport *t);

/* ---- the formats (format.c) ---- */

/* Lowercase hex HMAC-SHA256 of msg under key into out (65 bytes). */
void deliver_hmac_hex(const char *key, const void *msg, size_t len, char out[65]);

/* The webhook's JSON body of row (malloc'd; caller frees). */
char *deliver_webhook_body(const struct outbox_row *row);
/* Its signature header's value for body sent at unix time ts:
 * "sha256=" hex HMAC-SHA256(secret, ts "." body) into out (80 bytes). */
void deliver_webhook_signature(const char *secret, int64_t ts, const char *body, char out[80]);

/* The DingTalk robot's sign for timestamp ts_ms: base64 of HMAC-SHA256 under
 * secret of "ts_ms\nsecret", URL-encoded, into out (128 bytes). */
void deliver_dingtalk_sign(const char *secret, int64_t ts_ms, char out[128]);
/* The robot's URL for ts_ms: url with &timestamp=…&sign=… when there is a
 * secret (malloc'd). */
char *deliver_dingtalk_url(const char *url, const char *secret, int64_t ts_ms);
/* The robot's markdown message of row (malloc'd). */
char *deliver_dingtalk_body(const struct outbox_row *row);

/* The mail of row from sender as it goes on the wire (CRLF lines: headers,
 * the UTF-8 subject as RFC 2047 encoded words, a base64 text body), dated
 * now (ms), into out.  0, or -1 when it does not fit. */
int deliver_mail_text(const struct outbox_row *row, const char *sender, int64_t now,
                      struct buf *out);

#endif
