/* setting_test.c — the editable rules (core/setting.c): the table is sorted
 * and unique, its defaults are the rules' own defaults and within range, a
 * written value is read back by light_rules_load and scheduler_rules_load, and
 * bad values are refused with nothing written. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/light.h"
#include "core/scheduler.h"
#include "core/setting.h"
#include "db/db.h"

struct fixture {
    char path[64];
    struct db *db;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    snprintf(f->path, sizeof f->path, "/tmp/luoshi-setting-test-XXXXXX");
    int fd = mkstemp(f->path);
    if (fd < 0) return -1;
    close(fd);
    char err[256];
    int applied;
    f->db = db_open(f->path, DB_OPEN_CREATE, err, sizeof err);
    if (!f->db || db_migrate(f->db, &applied, err, sizeof err) != DB_OK) return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    db_close(f->db);
    char p[80];
    unlink(f->path);
    snprintf(p, sizeof p, "%s-wal", f->path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", f->path);
    unlink(p);
    free(f);
    return 0;
}

static int def_of(const char *key)
{
    size_t n;
    const struct setting_def *d = setting_defs(&n);
    for (size_t i = 0; i < n; i++)
        if (!strcmp(d[i].key, key)) return d[i].def;
    fail_msg("no setting %s", key);
    return 0;
}

static void test_table(void **state)
{
    (void)state;
    size_t n;
    const struct setting_def *d = setting_defs(&n);
    /* with the two the docs name (issue 17, defect 9), the outbox's four, the request's
     * rating window, the attachments' size (issue 15) and notice.sign_own (issue 16) */
    assert_int_equal(n, 19);
    for (size_t i = 0; i < n; i++) {
        if (i) assert_true(strcmp(d[i - 1].key, d[i].key) < 0);
        assert_true(d[i].min <= d[i].def && d[i].def <= d[i].max);
    }
    assert_int_equal(def_of("light.warn_working_days"), light_rules_default.warn_working_days);
    assert_int_equal(def_of("light.behind_yellow"), light_rules_default.behind_yellow);
    assert_int_equal(def_of("light.behind_red"), light_rules_default.behind_red);
    assert_int_equal(def_of("escalation.general_after"), scheduler_rules_default.escalate_after[1]);
    assert_int_equal(def_of("escalation.key_after"), scheduler_rules_default.escalate_after[2]);
    assert_int_equal(def_of("escalation.listed_after"), scheduler_rules_default.escalate_after[3]);
    assert_int_equal(def_of("deduction.late_feedback"),
                     (int)scheduler_rules_default.late_feedback_points);
    assert_int_equal(def_of("deduction.overdue"), (int)scheduler_rules_default.overdue_points);
    assert_int_equal(def_of("scheduler.urge_overdue"), scheduler_rules_default.urge_overdue);
    assert_int_equal(def_of("scheduler.urge_feedback"), scheduler_rules_default.urge_feedback);
    assert_int_equal(def_of("request.rate_days"), 7);
}

static int update(struct db *db, const char *json, struct err *e)
{
    json_t *v = json_loads(json, 0, NULL);
    assert_non_null(v);
    memset(e, 0, sizeof *e);
    assert_int_equal(db_begin(db), DB_OK);
    int rc = setting_update(db, NULL, v, e);
    assert_int_equal(rc ? db_rollback(db) : db_commit(db), DB_OK);
    json_decref(v);
    return rc;
}

static void test_update(void **state)
{
    struct fixture *f = *state;
    struct err e;
    assert_int_equal(
        update(f->db, "{\"light.warn_working_days\": 5, \"deduction.overdue\": -3}", &e), 0);
    struct light_rules lr;
    struct scheduler_rules sr;
    assert_int_equal(light_rules_load(f->db, &lr), DB_OK);
    assert_int_equal(scheduler_rules_load(f->db, &sr), DB_OK);
    assert_int_equal(lr.warn_working_days, 5);
    assert_true(sr.overdue_points == -3);

    static const struct {
        const char *json, *message;
    } bad[] = {
        {"{\"light.warn_working_days\": 31}",
         "light.warn_working_days must be an integer from 0 to 30"},
        {"{\"light.warn_working_days\": 2.5}",
         "light.warn_working_days must be an integer from 0 to 30"},
        {"{\"light.warn_working_days\": \"4\"}",
         "light.warn_working_days must be an integer from 0 to 30"},
        {"{\"deduction.overdue\": 1}", "deduction.overdue must be an integer from -100 to 0"},
        {"{\"scheduler.urge_overdue\": 2}",
         "scheduler.urge_overdue must be an integer from 0 to 1"},
        {"{\"light.nothing\": 1}", "no setting 'light.nothing'"},
        {"{\"light.behind_red\": 9}",
         "light.behind_red (9) must be at least light.behind_yellow (10)"},
        {"{\"light.behind_yellow\": 40, \"light.warn_working_days\": 1}",
         "light.behind_red (30) must be at least light.behind_yellow (40)"},
        {"{}", "send an object of setting → integer"},
        {"[]", "send an object of setting → integer"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(update(f->db, bad[i].json, &e), -1);
        assert_int_equal(e.status, 422);
        assert_string_equal(e.message, bad[i].message);
    }
    assert_int_equal(light_rules_load(f->db, &lr), DB_OK);
    assert_int_equal(lr.warn_working_days, 5); /* nothing written by a refused update */
    assert_int_equal(update(f->db, "{\"light.behind_yellow\": 40, \"light.behind_red\": 50}", &e),
                     0);
    /* the numbers the docs name are settable too (issue 17, defect 9) */
    assert_int_equal(
        update(f->db, "{\"hazard.acceptance_days\": 7, \"notice.accept_working_days\": 2}", &e), 0);
    assert_int_equal(update(f->db, "{\"hazard.acceptance_days\": 0}", &e), -1);
    assert_string_equal(e.message, "hazard.acceptance_days must be an integer from 1 to 365");
    json_t *v = setting_list_json(f->db, &e);
    assert_non_null(v);
    char *s = json_dumps(json_array_get(json_object_get(v, "settings"), 7), JSON_COMPACT);
    assert_string_equal(
        s, "{\"key\":\"light.behind_red\",\"value\":50,\"default\":30,\"min\":1,\"max\":100}");
    free(s);
    json_decref(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test_setup_teardown(test_update, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
