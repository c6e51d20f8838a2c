/* meeting_test.c — core/meeting.c against a real SQLite file: unit names
 * matched exactly or by a unique start, the keyword table seeded for the
 * city's own names and used by the pipeline, a meeting stored with chosen
 * drafts (linked to their paragraphs, each with its create event), a bad
 * draft refused with nothing written, and an item's way back to its
 * meeting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/event.h"
#include "core/meeting.h"
#include "core/unit.h"
#include "db/db.h"
#include "util/buf.h"

#define REPORT                                                                                                                 \
    "市委召开常委会会议\n"                                                                                            \
    "3月15日下午，市委常委会召开会议，研究安全生产工作。市委书记章旭升主持会议。\n"        \
    "会议强调，安全生产是发展的前提和基础。各级各部门要时刻绷紧安全弦，坚持底线思维。" \
    "市委组织部、市委党校要把要求传达至每一位干部。\n"                                                  \
    "会议要求，要强化督查指导，建立健全督查通报和反馈机制。\n"

struct fixture {
    char path[64];
    struct db *db;
    struct actor sys;
};

static const struct {
    const char *code, *name;
} units[] = {
    {"yjj", "应急管理局"},       {"zzb", "市委组织部"}, {"dx", "市委党校"},
    {"dcs", "督查室（督考办）"}, {"dc", "东城街道"},    {"dc-01", "东城街道第一网格"},
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    char err[256];
    int applied;
    struct err e = {0};
    snprintf(f->path, sizeof f->path, "/tmp/luoshi-meeting-test-%ld.db", (long)getpid());
    unlink(f->path);
    f->db = db_open(f->path, DB_OPEN_CREATE, err, sizeof err);
    if (!f->db || db_migrate(f->db, &applied, err, sizeof err) != DB_OK) fail_msg("%s", err);
    for (size_t i = 0; i < sizeof units / sizeof *units; i++) {
        int64_t id;
        if (unit_add(f->db, NULL, units[i].code, units[i].name, i < 4 ? "department" : "town", NULL,
                     &id, &e))
            fail_msg("%s", e.message);
    }
    f->sys = (struct actor){0, "system", 0, ROLE_ADMIN};
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    db_close(f->db);
    unlink(f->path);
    free(f);
    return 0;
}

static void test_unit_by_name(void **state)
{
    struct fixture *f = *state;
    static const struct {
        const char *name, *code; /* code NULL: no unit */
    } cases[] = {
        {"应急管理局", "yjj"}, {"督查室", "dcs"}, {"督查室（督考办）", "dcs"},
        {"东城街道", "dc"},    {"东城", NULL}, /* two units start with it */
        {"住建局", NULL},      {"", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        int64_t want = cases[i].code ? unit_id_by_code(f->db, cases[i].code) : 0;
        assert_int_equal(meeting_unit_by_name(f->db, cases[i].name), want);
    }
}

static void test_rules_seed_and_intake(void **state)
{
    struct fixture *f = *state;
    struct err e = {0};
    struct intake_result r;
    int added;
    assert_int_equal(meeting_rules_seed(f->db, NULL, &added, &e), 0);
    /* the rows of the built-in table whose unit this city has: 应急管理局 ×7,
     * 党校, 干部/党组织/组织工作, 督查/督办 */
    assert_int_equal(added, 13);
    assert_int_equal(meeting_intake(f->db, REPORT, strlen(REPORT), 0, &r, &e), 0);
    assert_int_equal(r.n_directives, 3);
    assert_int_equal(r.directives[0].n_units, 0);
    assert_int_equal(r.directives[0].n_suggested_units, 1);
    assert_string_equal(r.directives[0].suggested_units[0], "应急管理局");
    assert_int_equal(r.directives[1].n_units, 2);
    assert_string_equal(r.directives[2].suggested_units[0], "督查室（督考办）");
    intake_result_free(&r);
    assert_int_equal(meeting_intake(f->db, "会议\xff", 7, 0, &r, &e), -1);
    assert_int_equal(e.status, 400);
    assert_string_equal(e.message, "the text is not valid UTF-8 at byte 6");
    assert_int_equal(meeting_intake(f->db, REPORT, strlen(REPORT), 100, &r, &e), -1);
    assert_int_equal(e.status, 413);
}

static void test_store(void **state)
{
    struct fixture *f = *state;
    struct err e = {0};
    struct intake_result r;
    struct arena *a = arena_new();
    struct meeting_draft d[2];
    int64_t mid, ids[2], m2, p;
    int added;
    char name[64];
    assert_int_equal(meeting_rules_seed(f->db, NULL, &added, &e), 0);
    assert_int_equal(meeting_intake(f->db, REPORT, strlen(REPORT), 0, &r, &e), 0);
    assert_int_equal(meeting_draft_suggest(f->db, &r, 1, a, &d[0], &e), 0);
    assert_int_equal(meeting_draft_suggest(f->db, &r, 2, a, &d[1], &e), 0);
    assert_int_equal(d[0].in.lead_unit_id, unit_id_by_code(f->db, "zzb"));
    assert_int_equal(d[0].in.n_co, 1);
    assert_int_equal(d[0].in.co_unit_ids[0], unit_id_by_code(f->db, "dx"));
    assert_string_equal(d[0].in.deadline + 4, "-04-04"); /* 20 days after 3月15日 */
    assert_int_equal(d[1].in.lead_unit_id, unit_id_by_code(f->db, "dcs"));

    /* a draft naming a directive that does not exist: refused, nothing kept */
    d[1].directive = 3;
    assert_int_equal(db_begin(f->db), DB_OK);
    assert_int_equal(meeting_store(f->db, &f->sys, &r, d, 2, &mid, ids, &e), -1);
    assert_int_equal(e.status, 422);
    assert_string_equal(e.message, "items[1]: no directive 3 (there are 3)");
    db_rollback(f->db);
    int64_t n = -1;
    assert_int_equal(db_query_int64(f->db, "SELECT count(*) FROM meetings", 0, 0, &n), DB_OK);
    assert_int_equal(n, 0);

    d[1].directive = 2;
    assert_int_equal(db_begin(f->db), DB_OK);
    assert_int_equal(meeting_store(f->db, &f->sys, &r, d, 2, &mid, ids, &e), 0);
    assert_int_equal(db_commit(f->db), DB_OK);
    assert_int_equal(meeting_of_item(f->db, ids[0], &m2, &p, name, sizeof name), 1);
    assert_int_equal(m2, mid);
    assert_int_equal(p, 2);
    assert_string_equal(name, "市委常委会会议");
    json_t *m = meeting_get_json(f->db, &f->sys, mid, &e);
    assert_non_null(m);
    assert_int_equal(json_array_size(json_object_get(m, "paragraphs")), r.n_paragraphs);
    assert_int_equal(json_array_size(json_object_get(m, "items")), 2);
    assert_string_equal(json_string_value(json_object_get(m, "chair")), "市委书记章旭升");
    json_decref(m);
    assert_null(meeting_get_json(f->db, &f->sys, mid + 1, &e));
    assert_int_equal(e.status, 404);
    struct buf msg;
    buf_init(&msg, 0);
    assert_int_equal(event_verify(f->db, &msg), 0);
    buf_free(&msg);
    intake_result_free(&r);
    arena_free(a);
}

/* A file's problems as answers: status, code and the message in either language. */
static void test_source_errors(void **state)
{
    static const struct {
        const char *bytes;
        size_t len;
        int en, status;
        const char *code, *message;
    } cases[] = {
        {"会议要求，\xe4\x41", 17, 1, 400, "invalid_utf8",
         "the text is not valid UTF-8 at byte 15"},
        {"会议要求，\xe4\x41", 17, 0, 400, "invalid_utf8",
         "文本既不是有效的 UTF-8，也不是 GB18030：第 15 字节处有误"},
        {"\xff\xfe\x1a\x4f\xae", 5, 1, 422, "invalid_text",
         "the UTF-16 text is malformed at byte 4"},
        {"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8, 0, 422, "unsupported_format",
         "不能读取 Word 97-2003 的 .doc 或 .wps 文件，请另存为 .docx 或 PDF"},
        {"PK\3\4 not really", 15, 1, 422, "invalid_docx",
         "the .docx is not a readable zip archive: Not a zip archive"},
        {"%PDF-1.7 nothing", 16, 1, 422, "invalid_pdf", NULL},
        {"会议要求，各部门要抓好落实。", 0, 1, 413, "text_too_long",
         "the text is longer than 20 bytes"},
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct intake_source src;
        struct err e = {0};
        size_t len = cases[i].len ? cases[i].len : strlen(cases[i].bytes);
        assert_int_equal(meeting_source_read(cases[i].bytes, len, 20, cases[i].en, &src, &e), -1);
        assert_int_equal(e.status, cases[i].status);
        assert_string_equal(e.code, cases[i].code);
        if (cases[i].message) assert_string_equal(e.message, cases[i].message);
        assert_null(src.text);
    }
}

/* A GB18030 file is read, and says so in the result. */
static void test_reading_a_file(void **state)
{
    struct fixture *f = *state;
    struct meeting_reading m;
    struct intake_source src;
    struct intake_result r;
    struct err e = {0};
    static const char gbk[] = "\xbb\xe1\xd2\xe9\xd2\xaa\xc7\xf3\xa3\xac\xb8\xf7\xb2\xbf\xc3\xc5"
                              "\xd2\xaa\xd7\xa5\xba\xc3\xc2\xe4\xca\xb5\xa1\xa3";
    assert_int_equal(meeting_reading_load(f->db, 0, &m, &e), 0);
    assert_int_equal(meeting_reading_run_file(&m, gbk, strlen(gbk), 1, &src, &r, &e), 0);
    assert_string_equal(src.text, "会议要求，各部门要抓好落实。");
    assert_int_equal(r.source.format, INTAKE_FORMAT_TEXT);
    assert_int_equal(r.source.encoding, INTAKE_ENC_GB18030);
    assert_int_equal(r.n_directives, 1);
    assert_string_equal(r.directives[0].title, "抓好落实");
    intake_result_free(&r);
    intake_source_free(&src);
    meeting_reading_free(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_source_errors),
        cmocka_unit_test_setup_teardown(test_reading_a_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unit_by_name, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rules_seed_and_intake, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
