/* format_test.c — what the channels put on the wire (deliver/format.c),
 * held to known answers: RFC 4231's HMAC-SHA256 vectors, the webhook's
 * signature and body, the DingTalk robot's sign (computed apart with
 * Python's hmac) and message, and the mail: its headers, the UTF-8 subject
 * cut into RFC 2047 words between characters, and the base64 body decoded
 * back to the text with CRLF lines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "deliver/deliver.h"
#include "util/time.h"

static void row_init(struct outbox_row *r)
{
    memset(r, 0, sizeof *r);
    r->id = 3, r->user_id = 4, r->item_id = 7, r->message_id = 15;
    r->created_at = 1900000000000LL; /* 2030-03-17T17:46:40Z */
    snprintf(r->key, sizeof r->key, "luoshi-m15-webhook");
    snprintf(r->channel, sizeof r->channel, "webhook");
    snprintf(r->action, sizeof r->action, "urge");
    snprintf(r->username, sizeof r->username, "yjj");
    snprintf(r->name, sizeof r->name, "陈科长");
    snprintf(r->unit_code, sizeof r->unit_code, "yjj");
    snprintf(r->unit_name, sizeof r->unit_name, "应急管理局");
    r->subject = strdup("【催办】持续开展一月一主题平安大整治");
    r->body = strdup(
        "【催办】持续开展一月一主题平安大整治\n请尽快签收\n办理：https://ls.city.cn/items/7");
    r->link = strdup("https://ls.city.cn/items/7");
}

static void row_free(struct outbox_row *r)
{
    free(r->subject);
    free(r->body);
    free(r->link);
}

static void test_hmac(void **state)
{
    (void)state;
    char hex[65];
    /* RFC 4231, test case 2 */
    deliver_hmac_hex("Jefe", "what do ya want for nothing?", 28, hex);
    assert_string_equal(hex, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    char sig[80];
    deliver_webhook_signature("k3y", 1700000000, "{\"a\":1}", sig);
    assert_string_equal(sig,
                        "sha256=fd5a70e965043f7df6309c2c3b5ff5a8ffa99b1f5175e9a311459e73c4634d4a");
}

static void test_webhook_body(void **state)
{
    (void)state;
    struct outbox_row r;
    row_init(&r);
    char *s = deliver_webhook_body(&r);
    json_t *v = json_loads(s, 0, NULL);
    assert_non_null(v);
    char *canon = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);
    assert_string_equal(
        canon,
        "{\"at\":\"2030-03-18T01:46:40+08:00\",\"event\":\"urge\",\"id\":\"luoshi-m15-webhook\","
        "\"item\":{\"id\":7,\"link\":\"https://ls.city.cn/items/7\"},\"link\":\"https://"
        "ls.city.cn/items/7\",\"recipient\":{\"id\":4,\"name\":\"陈科长\",\"unit\":{\"code\":"
        "\"yjj\",\"name\":\"应急管理局\"},\"username\":\"yjj\"},\"text\":\"【催办】持续开展一"
        "月一主题平安大整治\\n请尽快签收\\n办理：https://ls.city.cn/items/7\",\"title\":\"【"
        "催办】持续开展一月一主题平安大整治\"}");
    free(canon);
    json_decref(v);
    free(s);
    row_free(&r);
}

static void test_dingtalk(void **state)
{
    (void)state;
    char sign[128];
    deliver_dingtalk_sign("SECtest", 1700000000000LL, sign);
    assert_string_equal(sign, "aZLLrriXgn05YbwaGR7knYsLeJADjr9NwLaNNKpxh4g%3D");
    char *url = deliver_dingtalk_url("https://oapi.dingtalk.com/robot/send?access_token=t",
                                     "SECtest", 1700000000000LL);
    assert_string_equal(url, "https://oapi.dingtalk.com/robot/send?access_token=t&timestamp="
                             "1700000000000&sign=aZLLrriXgn05YbwaGR7knYsLeJADjr9NwLaNNKpxh4g%3D");
    free(url);
    url = deliver_dingtalk_url("https://x.test/robot", "", 1);
    assert_string_equal(url, "https://x.test/robot");
    free(url);
    struct outbox_row r;
    row_init(&r);
    snprintf(r.address, sizeof r.address, "13800000000");
    char *s = deliver_dingtalk_body(&r);
    assert_string_equal(s,
                        "{\"msgtype\":\"markdown\",\"markdown\":{\"title\":\"【催办】持续开展一月"
                        "一主题平安大整治\",\"text\":\"#### 【催办】持续开展一月一主题平安大整治"
                        "\\n\\n请尽快签收\\n\\n[查看事项](https://ls.city.cn/items/7)\\n\\n@"
                        "13800000000\"},\"at\":{\"atMobiles\":[\"13800000000\"],\"isAtAll\":"
                        "false}}");
    free(s);
    row_free(&r);
}

/* Decode the base64 of s (whitespace ignored) into out. */
static void unbase64(const char *s, size_t n, char *out, size_t max)
{
    size_t len = 0;
    assert_int_equal(sodium_base642bin((unsigned char *)out, max - 1, s, n, " \r\n", &len, NULL,
                                       sodium_base64_VARIANT_ORIGINAL),
                     0);
    out[len] = '\0';
}

static void test_mail(void **state)
{
    (void)state;
    struct outbox_row r;
    row_init(&r);
    snprintf(r.key, sizeof r.key, "luoshi-m15-email");
    snprintf(r.address, sizeof r.address, "yjj@city.cn");
    struct buf b;
    buf_init(&b, 1 << 20);
    assert_int_equal(deliver_mail_text(&r, "luoshi@city.cn", 1900000000000LL, &b), 0);
    const char *m = buf_cstr(&b);
    const char *want_head = "Date: Mon, 18 Mar 2030 01:46:40 +0800\r\nFrom: luoshi@city.cn\r\n"
                            "To: yjj@city.cn\r\nMessage-ID: <luoshi-m15-email@luoshi>\r\n"
                            "X-Luoshi-Key: luoshi-m15-email\r\nX-Luoshi-Event: urge\r\n"
                            "Subject: =?UTF-8?B?";
    assert_memory_equal(m, want_head, strlen(want_head));
    /* the subject: words of at most 45 bytes, each whole characters */
    char subject[512] = "", word[128];
    const char *p = strstr(m, "Subject: ") + 9, *end = strstr(p, "\r\nMIME-Version");
    int words = 0;
    while (p < end) {
        const char *w = strstr(p, "=?UTF-8?B?") + 10, *we = strstr(w, "?=");
        unbase64(w, (size_t)(we - w), word, sizeof word);
        assert_true(strlen(word) <= 45);
        assert_int_not_equal((unsigned char)word[0] & 0xc0, 0x80);
        strcat(subject, word);
        words++;
        p = we + 2;
        if (p < end) assert_memory_equal(p, "\r\n ", 3), p += 3;
    }
    assert_string_equal(subject, r.subject);
    assert_int_equal(words, 2); /* 54 bytes */
    const char *body = strstr(m, "Content-Transfer-Encoding: base64\r\n\r\n");
    assert_non_null(body);
    body += strlen("Content-Transfer-Encoding: base64\r\n\r\n");
    char text[1024];
    unbase64(body, strlen(body), text, sizeof text);
    assert_string_equal(text, "【催办】持续开展一月一主题平安大整治\r\n请尽快签收\r\n办理：https://"
                              "ls.city.cn/items/7");
    buf_free(&b);
    row_free(&r);
}

int main(void)
{
    time_set_zone("Asia/Shanghai");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hmac),
        cmocka_unit_test(test_webhook_body),
        cmocka_unit_test(test_dingtalk),
        cmocka_unit_test(test_mail),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
