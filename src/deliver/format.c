/* format.c — what each channel puts on the wire.  See deliver.h.
 *
 * Pure functions of a row and a channel's settings, so that the tests can
 * hold them to known answers (RFC 4231's HMAC vectors, a decoded mail). */
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "deliver/deliver.h"
#include "util/str.h"
#include "util/time.h"

void deliver_hmac_hex(const char *key, const void *msg, size_t len, char out[65])
{
    crypto_auth_hmacsha256_state st;
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_init(&st, (const unsigned char *)key, strlen(key));
    crypto_auth_hmacsha256_update(&st, msg, len);
    crypto_auth_hmacsha256_final(&st, mac);
    str_hex(mac, sizeof mac, out);
}

/* ---- webhook ---- */

char *deliver_webhook_body(const struct outbox_row *row)
{
    char at[40];
    time_format_iso(row->created_at, at, sizeof at);
    json_t *item = row->item_id
                       ? json_pack("{s:I,s:s}", "id", (json_int_t)row->item_id, "link", row->link)
                       : json_null();
    json_t *who = row->user_id
                      ? json_pack("{s:I,s:s,s:s,s:{s:s,s:s}}", "id", (json_int_t)row->user_id,
                                  "username", row->username, "name", row->name, "unit", "code",
                                  row->unit_code, "name", row->unit_name)
                      : json_null();
    json_t *o = json_pack("{s:s,s:s,s:s,s:o,s:o,s:s,s:s,s:s}", "id", row->key, "event", row->action,
                          "at", at, "item", item, "recipient", who, "title", row->subject, "text",
                          row->body, "link", row->link);
    char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    return s ? s : strdup("{}");
}

void deliver_webhook_signature(const char *secret, int64_t ts, const char *body, char out[80])
{
    size_t n = strlen(body);
    char head[24], hex[65];
    int h = snprintf(head, sizeof head, "%lld.", (long long)ts);
    unsigned char *msg = malloc((size_t)h + n);
    if (!msg) abort();
    memcpy(msg, head, (size_t)h);
    memcpy(msg + h, body, n);
    deliver_hmac_hex(secret, msg, (size_t)h + n, hex);
    free(msg);
    snprintf(out, 80, "sha256=%s", hex);
}

/* ---- DingTalk ---- */

void deliver_dingtalk_sign(const char *secret, int64_t ts_ms, char out[128])
{
    char msg[600], b64[64];
    int n = snprintf(msg, sizeof msg, "%lld\n%s", (long long)ts_ms, secret);
    crypto_auth_hmacsha256_state st;
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)msg,
                                  n < (int)sizeof msg ? (size_t)n : sizeof msg - 1);
    crypto_auth_hmacsha256_final(&st, mac);
    sodium_bin2base64(b64, sizeof b64, mac, sizeof mac, sodium_base64_VARIANT_ORIGINAL);
    size_t o = 0;
    for (const char *p = b64; *p && o + 4 < 128; p++) {
        if (*p == '+' || *p == '/' || *p == '=')
            o += (size_t)snprintf(out + o, 128 - o, "%%%02X", (unsigned char)*p);
        else
            out[o++] = *p;
    }
    out[o] = '\0';
}

char *deliver_dingtalk_url(const char *url, const char *secret, int64_t ts_ms)
{
    size_t n = strlen(url) + 200;
    char *out = malloc(n), sign[128];
    if (!out) abort();
    if (!secret[0]) {
        snprintf(out, n, "%s", url);
        return out;
    }
    deliver_dingtalk_sign(secret, ts_ms, sign);
    snprintf(out, n, "%s%ctimestamp=%lld&sign=%s", url, strchr(url, '?') ? '&' : '?',
             (long long)ts_ms, sign);
    return out;
}

char *deliver_dingtalk_body(const struct outbox_row *row)
{
    struct buf md;
    buf_init(&md, 64 * 1024);
    buf_printf(&md, "#### %s\n\n", row->subject);
    /* the body's first line is the subject; the rest are paragraphs */
    const char *p = strchr(row->body, '\n');
    while (p && *p) {
        const char *line = p + 1, *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        if (len && strncmp(line, "办理：", strlen("办理：")))
            buf_printf(&md, "%.*s\n\n", (int)len, line);
        p = end;
    }
    if (row->link[0]) buf_printf(&md, "[查看事项](%s)", row->link);
    if (row->address[0]) buf_printf(&md, "\n\n@%s", row->address);
    json_t *at = json_array();
    if (row->address[0]) json_array_append_new(at, json_string(row->address));
    json_t *o =
        json_pack("{s:s,s:{s:s,s:s},s:{s:o,s:b}}", "msgtype", "markdown", "markdown", "title",
                  row->subject, "text", buf_cstr(&md), "at", "atMobiles", at, "isAtAll", 0);
    buf_free(&md);
    char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    return s ? s : strdup("{}");
}

/* ---- mail ---- */

/* Base64 of n bytes of p into out, lines of 76 joined by CRLF when wrap. */
static void put_base64(struct buf *out, const unsigned char *p, size_t n, int wrap)
{
    char chunk[80];
    for (size_t k = 0; k < n; k += 57) {
        size_t m = n - k < 57 ? n - k : 57;
        sodium_bin2base64(chunk, sizeof chunk, p + k, m, sodium_base64_VARIANT_ORIGINAL);
        buf_puts(out, chunk);
        if (wrap) buf_puts(out, "\r\n");
    }
}

/* The subject as RFC 2047 encoded words of at most 45 bytes of UTF-8 each
 * (cut between characters), folded onto continuation lines. */
static void put_subject(struct buf *out, const char *s)
{
    size_t n = strlen(s), k = 0;
    buf_puts(out, "Subject:");
    while (k < n) {
        size_t m = n - k < 45 ? n - k : 45;
        while (m < n - k && m > 1 && ((unsigned char)s[k + m] & 0xc0) == 0x80)
            m--;
        buf_puts(out, k ? "\r\n =?UTF-8?B?" : " =?UTF-8?B?");
        put_base64(out, (const unsigned char *)s + k, m, 0);
        buf_puts(out, "?=");
        k += m;
    }
    buf_puts(out, "\r\n");
}

int deliver_mail_text(const struct outbox_row *row, const char *sender, int64_t now,
                      struct buf *out)
{
    char date[64];
    time_t t = (time_t)(now / 1000);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S %z", &tm);
    buf_printf(out,
               "Date: %s\r\nFrom: %s\r\nTo: %s\r\nMessage-ID: <%s@luoshi>\r\n"
               "X-Luoshi-Key: %s\r\nX-Luoshi-Event: %s\r\n",
               date, sender, row->address, row->key, row->key, row->action);
    put_subject(out, row->subject);
    buf_puts(out, "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
                  "Content-Transfer-Encoding: base64\r\n\r\n");
    struct buf text;
    buf_init(&text, 1 << 20);
    for (const char *p = row->body; *p; p++) {
        if (*p == '\n' && (p == row->body || p[-1] != '\r')) buf_putc(&text, '\r');
        buf_putc(&text, *p);
    }
    put_base64(out, (const unsigned char *)buf_cstr(&text), text.len, 1);
    int err = text.err || out->err;
    buf_free(&text);
    return err ? -1 : 0;
}
