/* import_test.c — core/import.c and import_store.c against a real SQLite file:
 * parents by outline number and by reference (第N行, row N, #N, another row's
 * outline), what each wrong parent is (unknown, a cycle, itself), depths,
 * duplicates; the header found under a title row and a second header row; and
 * storing: parents before children, the links, the same bytes refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/import.h"
#include "core/unit.h"
#include "db/db.h"

struct fixture {
    char path[64];
    struct db *db;
    struct actor sys;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    char err[256];
    int applied;
    struct err e = {0};
    int64_t id;
    snprintf(f->path, sizeof f->path, "/tmp/luoshi-import-test-%ld.db", (long)getpid());
    unlink(f->path);
    f->db = db_open(f->path, DB_OPEN_CREATE, err, sizeof err);
    if (!f->db || db_migrate(f->db, &applied, err, sizeof err) != DB_OK) fail_msg("%s", err);
    if (unit_add(f->db, NULL, "yjj", "应急管理局", "department", NULL, &id, &e) ||
        unit_add(f->db, NULL, "kjj", "科技局", "department", NULL, &id, &e))
        fail_msg("%s", e.message);
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

static void plan_of(struct fixture *f, const char *csv, struct import_plan *p)
{
    struct err e = {0};
    if (import_plan_read(f->db, csv, strlen(csv), "t.csv", p, &e)) fail_msg("%s", e.message);
}

static void test_parents(void **state)
{
    struct fixture *f = *state;
    struct import_plan p;
    plan_of(f,
            "2025年任务分解表,,,\n"
            "序号,任务名称,牵头单位,上级\n"
            "1,甲,yjj,\n"
            "1.1,乙,yjj,\n"
            "1.1.1,丙,科技局,\n"
            "2.,丁,yjj,\n"
            ",戊,yjj,第3行\n"
            ",己,yjj,row 6\n"
            ",庚,yjj,#4\n"
            ",辛,yjj,1.1\n",
            &p);
    assert_int_equal(p.header_row, 2);
    assert_int_equal(p.n, 8);
    assert_int_equal(p.n_problems, 0);
    static const struct {
        size_t row, parent_row;
        int depth;
    } want[] = {{3, 0, 0}, {4, 3, 1}, {5, 4, 2}, {6, 0, 0},
                {7, 3, 1}, {8, 6, 1}, {9, 4, 2}, {10, 4, 2}};
    for (size_t i = 0; i < p.n; i++) {
        assert_int_equal(p.rows[i].row, want[i].row);
        assert_int_equal(p.rows[i].parent < 0 ? 0 : p.rows[p.rows[i].parent].row,
                         want[i].parent_row);
        assert_int_equal(p.rows[i].depth, want[i].depth);
    }
    int64_t id;
    struct err e = {0};
    assert_int_equal(db_begin(f->db), DB_OK);
    assert_int_equal(import_store(f->db, &f->sys, &p, &id, &e), 0);
    assert_int_equal(db_commit(f->db), DB_OK);
    for (size_t i = 0; i < p.n; i++) {
        int64_t parent = 0, row = 0;
        assert_true(p.rows[i].item_id > 0);
        assert_int_equal(db_query_int64(f->db,
                                        "SELECT coalesce(parent_id, 0) FROM items WHERE id = ?1", 1,
                                        p.rows[i].item_id, &parent),
                         DB_OK);
        assert_int_equal(parent, p.rows[i].parent < 0 ? 0 : p.rows[p.rows[i].parent].item_id);
        assert_int_equal(db_query_int64(f->db,
                                        "SELECT sheet_row FROM import_items WHERE item_id = ?1", 1,
                                        p.rows[i].item_id, &row),
                         DB_OK);
        assert_int_equal(row, (int64_t)p.rows[i].row);
    }
    assert_int_equal(db_begin(f->db), DB_OK);
    assert_int_equal(import_store(f->db, &f->sys, &p, &id, &e), -1);
    assert_string_equal(e.code, "import_duplicate");
    db_rollback(f->db);
    import_plan_free(&p);
}

static void test_wrong_parents(void **state)
{
    struct fixture *f = *state;
    struct import_plan p;
    plan_of(f,
            "序号,任务名称,牵头单位,上级\n"
            "1,甲,yjj,\n"
            "1.2.1,乙,yjj,\n"
            "3,丙,yjj,4\n"
            "4,丁,yjj,3\n"
            "5,戊,yjj,5\n"
            "6,己,yjj,第99行\n"
            "7,甲,yjj,\n"
            "7,甲,yjj,\n"
            "1..2,庚,yjj,\n",
            &p);
    static const struct {
        size_t row;
        enum import_field field;
        const char *code;
    } want[] = {
        {3, IMPORT_OUTLINE, "unknown_parent"},
        {4, IMPORT_PARENT, "parent_cycle"},
        {5, IMPORT_PARENT, "parent_cycle"},
        {6, IMPORT_PARENT, "parent_cycle"},
        {7, IMPORT_PARENT, "unknown_parent"},
        {8, IMPORT_TITLE, "duplicate_title"},
        /* 甲 of row 2, also without a parent */ {9, IMPORT_OUTLINE, "duplicate_outline"},
        {9, IMPORT_TITLE, "duplicate_title"},
        {10, IMPORT_OUTLINE, "bad_outline"},
    };
    assert_int_equal(p.n_problems, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < p.n_problems; i++) {
        assert_int_equal(p.problems[i].row, want[i].row);
        assert_int_equal(p.problems[i].field, want[i].field);
        assert_string_equal(p.problems[i].code, want[i].code);
    }
    for (size_t i = 0; i < p.n; i++)
        assert_true(p.rows[i].depth <= 1);
    int64_t id;
    struct err e = {0};
    assert_int_equal(import_store(f->db, &f->sys, &p, &id, &e), -1);
    assert_string_equal(e.code, "import_invalid");
    import_plan_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_parents, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wrong_parents, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
