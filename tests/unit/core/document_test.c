/* document_test.c — an item's documents (core/document.c) through the
 * actions that issue them, on real storage, with a stand-in renderer that
 * prints the number and the receipt (the PDF itself is
 * tests/e2e/documents.test.js's): each type's series per year, the prefix
 * setting, none for the system's urge or without a renderer, the event's
 * record and the list, the stored bytes and their SHA-256, the receipt the
 * unit's accept fills, and verify naming changed bytes (SQLite). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/action.h"
#include "core/document.h"
#include "core/item.h"
#include "core/replay.h"
#include "core/setting.h"
#include "core/unit.h"
#include "core/user.h"
#include "core/verify.h"
#include "db/db.h"
#include "fixture.h"
#include "testdb.h"
#include "util/buf.h"
#include "util/str.h"
#include "util/time.h"

struct fixture {
    struct testdb t;
    struct db *db;
    int64_t office, unit_a;
    struct actor sup, lead;
};

/* The stand-in: "number|unit|by-or-blank". */
static int fake_render(json_t *fields, json_t *receipt, struct buf *out, struct err *e)
{
    (void)e;
    buf_printf(out, "%s|%s|%s", json_string_value(json_object_get(fields, "number")),
               json_string_value(json_object_get(fields, "unit")),
               receipt ? json_string_value(json_object_get(receipt, "by")) : "");
    return 0;
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    *state = f;
    if (testdb_open(&f->t, "document")) return -1;
    f->db = f->t.db;
    struct err e = {0};
    if (db_begin(f->db) ||
        unit_add(f->db, NULL, "DCS", "督查室", "department", NULL, &f->office, &e) ||
        unit_add(f->db, NULL, "A", "发改局", "department", NULL, &f->unit_a, &e))
        return -1;
    fixture_user(f->db, &f->sup, "sup", "DCS", f->office, ROLE_SUPERVISOR);
    fixture_user(f->db, &f->lead, "lead", "A", f->unit_a, ROLE_HANDLER);
    if (db_commit(f->db)) return -1;
    setenv("LUOSHI_NOW", "2030-04-01", 1);
    if (time_set_zone("Asia/Shanghai")) return -1; /* the receipt's time is the city's */
    document_set_renderer(fake_render);
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    document_set_renderer(NULL);
    testdb_close(&f->t);
    free(f);
    unsetenv("LUOSHI_NOW");
    return 0;
}

static int64_t create(struct fixture *f, const char *title)
{
    char json[256];
    snprintf(json, sizeof json,
             "{\"kind\":\"task\",\"title\":\"%s\",\"lead_unit_id\":%lld,"
             "\"deadline\":\"2030-12-31\"}",
             title, (long long)f->unit_a);
    json_t *body = json_loads(json, 0, NULL);
    struct item_input in;
    struct err e = {0};
    int64_t id = 0;
    assert_int_equal(db_begin(f->db), DB_OK);
    if (item_input_parse(body, &in, &e) || item_create(f->db, &f->sup, &in, &id, &e))
        fail_msg("create: %s", e.message);
    assert_int_equal(db_commit(f->db), DB_OK);
    json_decref(body);
    return id;
}

static void act(struct fixture *f, const struct actor *a, int64_t id, const char *json)
{
    json_t *body = json_loads(json, 0, NULL);
    struct err e = {0};
    assert_int_equal(db_begin(f->db), DB_OK);
    if (item_act(f->db, a, id, body, &e)) fail_msg("%s: %s %s", json, e.code, e.message);
    assert_int_equal(db_commit(f->db), DB_OK);
    json_decref(body);
}

/* The numbers of item id's documents, "|"-joined, into out. */
static void numbers(struct fixture *f, int64_t id, char *out, size_t n)
{
    struct err e = {0};
    json_t *list = document_list_json(f->db, id, &e), *d;
    assert_non_null(list);
    size_t i, len = 0;
    out[0] = '\0';
    json_array_foreach(list, i, d)
    {
        len += (size_t)snprintf(out + len, n - len, "%s%s:%s", i ? "|" : "",
                                json_string_value(json_object_get(d, "type")),
                                json_string_value(json_object_get(d, "number")));
    }
    json_decref(list);
}

static void test_series(void **state)
{
    struct fixture *f = *state;
    char got[512];
    int64_t x = create(f, "甲"), y = create(f, "乙");
    act(f, &f->sup, x, "{\"action\":\"assign\"}");
    act(f, &f->sup, y, "{\"action\":\"assign\"}");
    act(f, &f->sup, x, "{\"action\":\"escalate\",\"level\":\"key\",\"text\":\"滞后\"}");
    act(f, &f->sup, x, "{\"action\":\"urge\",\"text\":\"请抓紧\"}");
    struct actor system = {
        .user_id = 0, .username = "system", .unit_id = 0, .roles = ROLE_SUPERVISOR};
    act(f, &system, y, "{\"action\":\"urge\",\"text\":\"自动催办\"}"); /* a message, no document */
    numbers(f, x, got, sizeof got);
    assert_string_equal(got,
                        "assign:交办〔2030〕1号|escalate:督办〔2030〕1号|urge:催办〔2030〕1号");
    numbers(f, y, got, sizeof got);
    assert_string_equal(got, "assign:交办〔2030〕2号");
    /* the prefix is a setting; a new year starts the series again */
    struct err e = {0};
    assert_int_equal(db_begin(f->db), DB_OK);
    assert_int_equal(setting_write(f->db, &f->sup, "document.prefix.assign", "市督交", &e), 0);
    assert_int_equal(db_commit(f->db), DB_OK);
    int64_t z = create(f, "丙"), w = create(f, "丁");
    act(f, &f->sup, z, "{\"action\":\"assign\"}");
    setenv("LUOSHI_NOW", "2031-01-02", 1);
    act(f, &f->sup, w, "{\"action\":\"assign\"}");
    numbers(f, z, got, sizeof got);
    assert_string_equal(got, "assign:市督交〔2030〕3号");
    numbers(f, w, got, sizeof got);
    assert_string_equal(got, "assign:市督交〔2031〕1号");
    /* without a renderer, no document */
    document_set_renderer(NULL);
    int64_t v = create(f, "戊");
    act(f, &f->sup, v, "{\"action\":\"assign\"}");
    numbers(f, v, got, sizeof got);
    assert_string_equal(got, "");
}

static void test_record_bytes_receipt(void **state)
{
    struct fixture *f = *state;
    int64_t x = create(f, "甲");
    act(f, &f->sup, x, "{\"action\":\"assign\"}");
    struct err e = {0};
    json_t *list = document_list_json(f->db, x, &e);
    json_t *d = json_array_get(list, 0);
    int64_t id = json_integer_value(json_object_get(d, "id"));
    char url[64];
    snprintf(url, sizeof url, "/api/v1/documents/%lld", (long long)id);
    assert_string_equal(json_string_value(json_object_get(d, "url")), url);
    struct document doc;
    assert_int_equal(document_get(f->db, id, &doc), DB_OK);
    assert_int_equal(doc.item_id, x);
    assert_string_equal(doc.number, "交办〔2030〕1号");
    assert_int_equal(doc.len, strlen("交办〔2030〕1号|发改局|"));
    assert_memory_equal(doc.data, "交办〔2030〕1号|发改局|", doc.len);
    unsigned char h[crypto_hash_sha256_BYTES];
    char sha[65];
    crypto_hash_sha256(h, doc.data, doc.len);
    str_hex(h, sizeof h, sha);
    assert_string_equal(doc.sha256, sha);
    assert_string_equal(json_string_value(json_object_get(d, "sha256")), sha);
    /* the assign event records it, as the list has it (without the url) */
    char *rec = NULL;
    struct db_stmt *st = db_prepare(f->db, "SELECT data FROM events WHERE id = ?1");
    db_bind_int64(st, 1, doc.event_id);
    assert_int_equal(db_step(st), DB_ROW);
    json_t *data = json_loads(db_column_text(st, 0), 0, NULL);
    db_finalize(st);
    assert_true(json_is_null(json_object_get(d, "receipt")));
    json_object_del(d, "url");
    json_object_del(d, "receipt");
    rec = json_dumps(json_array_get(json_object_get(data, "documents"), 0), JSON_SORT_KEYS);
    char *want = json_dumps(d, JSON_SORT_KEYS);
    assert_string_equal(rec, want);
    free(rec), free(want), json_decref(data), json_decref(list);
    /* no receipt until the unit signs; then the copy carries who */
    json_t *r = document_receipt(f->db, x, id);
    assert_true(json_is_null(r));
    json_decref(r);
    act(f, &f->lead, x, "{\"action\":\"accept\"}");
    r = document_receipt(f->db, x, id);
    assert_string_equal(json_string_value(json_object_get(r, "unit")), "发改局");
    assert_string_equal(json_string_value(json_object_get(r, "by")), "lead");
    assert_string_equal(json_string_value(json_object_get(r, "action")), "accept");
    assert_string_equal(json_string_value(json_object_get(r, "at")), "2030-04-01T12:00:00+08:00");
    json_decref(r);
    struct buf copy;
    buf_init(&copy, 0);
    assert_int_equal(document_copy(f->db, &doc, &copy, &e), 0);
    assert_string_equal(buf_cstr(&copy), "交办〔2030〕1号|发改局|lead");
    buf_free(&copy);
    document_free(&doc);
}

static void test_verify(void **state)
{
    struct fixture *f = *state;
    int64_t x = create(f, "甲");
    act(f, &f->sup, x, "{\"action\":\"assign\"}");
    struct verify_log v;
    verify_log_init(&v, 10);
    assert_int_equal(document_verify(f->db, &v), DB_OK);
    assert_int_equal(v.problems, 0);
    if (db_kind(f->db) == DB_SQLITE) {
        assert_int_equal(db_exec(f->db, "DROP TRIGGER item_documents_no_update;"
                                        " UPDATE item_documents SET pdf = X'00'"),
                         DB_OK);
        assert_int_equal(document_verify(f->db, &v), DB_OK);
        assert_int_equal(v.problems, 1);
        char want[128];
        snprintf(want, sizeof want,
                 "item %lld: document 1: its PDF does not match the SHA-256 its event recorded\n",
                 (long long)x);
        assert_string_equal(buf_cstr(&v.lines), want);
    }
    verify_log_free(&v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_series, setup, teardown),
        cmocka_unit_test_setup_teardown(test_record_bytes_receipt, setup, teardown),
        cmocka_unit_test_setup_teardown(test_verify, setup, teardown),
    };
    return testdb_rounds("document", tests);
}
