/* deliver.c — the three channels over libcurl.  See deliver.h.
 *
 * One curl handle per channel, kept between deliveries so that a receiver's
 * connection is reused; every transfer has a connect timeout and a total
 * timeout, follows no redirect and speaks only its channel's protocols.  A
 * delivery counts as done when the receiver said so: SMTP accepted the mail
 * (250 after DATA), the webhook answered 2xx, the robot answered
 * {"errcode":0}.  Anything else is a failure whose words go to the outbox
 * row's last_error (never a secret: URLs are named by scheme and host). */
#include <curl/curl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "deliver/deliver.h"
#include "util/mem.h"
#include "util/time.h"

#define CONNECT_TIMEOUT_MS 5000L
#define TOTAL_TIMEOUT_MS   15000L
#define ANSWER_MAX         4096

struct deliver {
    struct outbox_transport t; /* first: the transport is the struct */
    CURL *h[CHANNEL_COUNT];
};

/* The answer's first ANSWER_MAX bytes. */
struct answer {
    char text[ANSWER_MAX + 1];
    size_t len;
};

static size_t answer_write(char *p, size_t size, size_t n, void *ctx)
{
    struct answer *a = ctx;
    size_t len = size * n, room = ANSWER_MAX - a->len;
    memcpy(a->text + a->len, p, len < room ? len : room);
    a->len += len < room ? len : room;
    a->text[a->len] = '\0';
    return len;
}

/* A handle for channel k, reset for a new transfer. */
static CURL *handle(struct deliver *d, int k)
{
    if (!d->h[k])
        d->h[k] = curl_easy_init();
    else
        curl_easy_reset(d->h[k]);
    CURL *h = d->h[k];
    if (!h) return NULL;
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, CONNECT_TIMEOUT_MS);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, TOTAL_TIMEOUT_MS);
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    return h;
}

/* POST body as JSON to url with headers; the status and answer back.
 * 0 when the transfer completed (whatever the status), else -1 with err. */
static int post_json(CURL *h, const char *url, const char *body, struct curl_slist *headers,
                     long *status, struct answer *ans, char *err, size_t errlen)
{
    headers = curl_slist_append(headers, "Content-Type: application/json; charset=utf-8");
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, answer_write);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, ans);
    CURLcode rc = curl_easy_perform(h);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
    curl_slist_free_all(headers);
    if (rc != CURLE_OK) {
        snprintf(err, errlen, "%s", curl_easy_strerror(rc));
        return -1;
    }
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, status);
    return 0;
}

static int send_webhook(struct deliver *d, const struct outbox_row *row,
                        const struct channel_conf *c, char *err, size_t errlen)
{
    CURL *h = handle(d, 1);
    if (!h) return snprintf(err, errlen, "cannot start a transfer"), -1;
    char *body = deliver_webhook_body(row), line[200], sig[80];
    int64_t ts = time_now_ms() / 1000;
    struct curl_slist *hd = NULL;
    snprintf(line, sizeof line, "Idempotency-Key: %s", row->key);
    hd = curl_slist_append(hd, line);
    snprintf(line, sizeof line, "X-Luoshi-Event: %s", row->action);
    hd = curl_slist_append(hd, line);
    snprintf(line, sizeof line, "X-Luoshi-Timestamp: %lld", (long long)ts);
    hd = curl_slist_append(hd, line);
    if (c->secret[0]) {
        deliver_webhook_signature(c->secret, ts, body, sig);
        snprintf(line, sizeof line, "X-Luoshi-Signature: %s", sig);
        hd = curl_slist_append(hd, line);
    }
    long status = 0;
    struct answer ans = {.len = 0};
    int rc = post_json(h, c->url, body, hd, &status, &ans, err, errlen);
    free(body);
    if (rc) return -1;
    if (status < 200 || status > 299) {
        snprintf(err, errlen, "the webhook answered %ld", status);
        return -1;
    }
    return 0;
}

static int send_dingtalk(struct deliver *d, const struct outbox_row *row,
                         const struct channel_conf *c, char *err, size_t errlen)
{
    CURL *h = handle(d, 2);
    if (!h) return snprintf(err, errlen, "cannot start a transfer"), -1;
    char *url = deliver_dingtalk_url(c->url, c->secret, time_now_ms());
    char *body = deliver_dingtalk_body(row), line[200];
    snprintf(line, sizeof line, "Idempotency-Key: %s", row->key);
    long status = 0;
    struct answer ans = {.len = 0};
    int rc = post_json(h, url, body, curl_slist_append(NULL, line), &status, &ans, err, errlen);
    free(url);
    free(body);
    if (rc) return -1;
    json_t *v = json_loads(ans.text, 0, NULL);
    json_t *code = json_object_get(v, "errcode");
    if (status == 200 && json_is_integer(code) && json_integer_value(code) == 0)
        rc = 0;
    else if (status != 200)
        rc = -1, snprintf(err, errlen, "the robot answered %ld", status);
    else
        rc = -1, snprintf(err, errlen, "the robot refused: errcode %lld %.120s",
                          (long long)json_integer_value(code),
                          json_is_string(json_object_get(v, "errmsg"))
                              ? json_string_value(json_object_get(v, "errmsg"))
                              : "");
    json_decref(v);
    return rc;
}

/* The mail being read by libcurl. */
struct upload {
    const char *p;
    size_t left;
};

static size_t upload_read(char *out, size_t size, size_t n, void *ctx)
{
    struct upload *u = ctx;
    size_t len = size * n < u->left ? size * n : u->left;
    memcpy(out, u->p, len);
    u->p += len, u->left -= len;
    return len;
}

static int send_mail(struct deliver *d, const struct outbox_row *row, const struct channel_conf *c,
                     char *err, size_t errlen)
{
    CURL *h = handle(d, 0);
    struct buf mail;
    char from[300], to[300];
    buf_init(&mail, 4 << 20);
    if (!h || deliver_mail_text(row, c->sender, time_now_ms(), &mail)) {
        buf_free(&mail);
        return snprintf(err, errlen, "cannot write the mail"), -1;
    }
    snprintf(from, sizeof from, "<%s>", c->sender);
    snprintf(to, sizeof to, "<%s>", row->address);
    struct curl_slist *rcpt = curl_slist_append(NULL, to);
    struct upload up = {buf_cstr(&mail), mail.len};
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(h, CURLOPT_URL, c->url);
    curl_easy_setopt(h, CURLOPT_MAIL_FROM, from);
    curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(h, CURLOPT_READFUNCTION, upload_read);
    curl_easy_setopt(h, CURLOPT_READDATA, &up);
    curl_easy_setopt(h, CURLOPT_USE_SSL,
                     !strcmp(c->tls, "require") ? (long)CURLUSESSL_ALL
                     : !strcmp(c->tls, "try")   ? (long)CURLUSESSL_TRY
                                                : (long)CURLUSESSL_NONE);
    if (c->username[0]) {
        curl_easy_setopt(h, CURLOPT_USERNAME, c->username);
        curl_easy_setopt(h, CURLOPT_PASSWORD, c->secret);
    }
    CURLcode rc = curl_easy_perform(h);
    curl_easy_setopt(h, CURLOPT_MAIL_RCPT, NULL);
    curl_slist_free_all(rcpt);
    buf_free(&mail);
    if (rc != CURLE_OK) return snprintf(err, errlen, "smtp: %s", curl_easy_strerror(rc)), -1;
    return 0;
}

static int deliver_send(void *ctx, const struct outbox_row *row, const struct channel_conf *c,
                        char *err, size_t errlen)
{
    struct deliver *d = ctx;
    unsigned bit = channel_bit(row->channel);
    if (bit == CHANNEL_EMAIL) return send_mail(d, row, c, err, errlen);
    if (bit == CHANNEL_WEBHOOK) return send_webhook(d, row, c, err, errlen);
    if (bit == CHANNEL_DINGTALK) return send_dingtalk(d, row, c, err, errlen);
    snprintf(err, errlen, "no channel '%s'", row->channel);
    return -1;
}

struct outbox_transport *deliver_new(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    struct deliver *d = xcalloc(1, sizeof *d);
    d->t.send = deliver_send;
    d->t.ctx = d;
    return &d->t;
}

void deliver_free(struct outbox_transport *t)
{
    if (!t) return;
    struct deliver *d = (struct deliver *)(void *)t;
    for (int k = 0; k < CHANNEL_COUNT; k++)
        if (d->h[k]) curl_easy_cleanup(d->h[k]);
    free(d);
    curl_global_cleanup();
}
