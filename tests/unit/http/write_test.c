/* write_test.c — the write helper (http/write.c) on a real storage pool: a
 * job the pool runs again (DB_RETRY) starts each run with a cleared error;
 * core's results map onto the pool's codes; a refusal is answered with its
 * error (or the form, or the job's own answer) and an undescribed failure
 * as a storage error naming the operation; release runs exactly once on
 * every path; and the standard answers (JSON with a Location, a loaded
 * object, a redirect) are exact.  On SQLite, and again on PostgreSQL when
 * LUOSHI_TEST_PG names a cluster (testdb.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testdb.h"

#include "http/req.h"
#include "http/server.h"
#include "http/write.h"

struct fixture {
    struct testdb t;
    struct server_config cfg;
    struct req r;
};

static const struct actor tester = {7, "tester", 3, ROLE_SUPERVISOR};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    char err[512];
    if (testdb_open(&f->t, "write")) return -1;
    f->cfg.pool = db_pool_open(f->t.target, 1, err, sizeof err);
    assert_non_null(f->cfg.pool);
    f->r.server = &f->cfg;
    f->r.arena = arena_new();
    f->r.actor = &tester;
    f->r.method = "POST";
    f->r.path = "/api/v1/things";
    f->r.lang = LANG_EN; /* the English messages as core wrote them (Chinese: below) */
    buf_init(&f->r.out, 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    buf_free(&f->r.out);
    arena_free(f->r.arena);
    db_pool_close(f->cfg.pool);
    testdb_close(&f->t);
    free(f);
    return 0;
}

/* The answer's body as a string (in r's arena). */
static const char *body(struct req *r)
{
    return arena_strndup(r->arena, r->out.data ? r->out.data : "", r->out.len);
}

/* A job that records what happened to it. */
struct thing {
    struct write_job job;
    int runs, entry_status[4], result[4]; /* what run i finds in e, and returns */
    int done, released, form_status;
    char form_message[64];
};

static int thing_run(struct db *db, struct write_job *j)
{
    struct thing *t = WRITE_OF(j, struct thing);
    assert_ptr_equal(j->actor, &tester);
    t->entry_status[t->runs] = j->e.status;
    int rc = t->result[t->runs++];
    /* every run writes; only a kept run's write stays (a second CREATE would
     * fail if the first run's had not been rolled back) */
    assert_int_equal(db_exec(db, "CREATE TABLE thing_made (x INTEGER)"), DB_OK);
    if (rc == DB_RETRY) err_set(&j->e, 503, "busy", "changed meanwhile");
    if (rc == -1) err_set(&j->e, 422, "invalid_field", "the thing is wrong");
    return rc;
}

static void thing_done(struct req *r, struct write_job *j)
{
    WRITE_OF(j, struct thing)->done++;
    write_reply_json(r, 201, "/things/1", json_pack("{s:i}", "id", 1));
}

static void thing_release(struct write_job *j)
{
    WRITE_OF(j, struct thing)->released++;
}

static const struct write_ops thing_ops = {
    .what = "making a thing", .run = thing_run, .done = thing_done, .release = thing_release};

/* Run t as the server would: the pool's write, then the answer. */
static void run_thing(struct fixture *f, struct thing *t)
{
    int rc = db_pool_write(f->cfg.pool, write_job_run, &t->job);
    write_job_answer(&f->r, &t->job, rc);
}

static void test_a_retried_job_starts_clean(void **state)
{
    struct fixture *f = *state;
    struct thing *t = WRITE_NEW(&f->r, struct thing, &thing_ops);
    t->result[0] = DB_RETRY;
    t->result[1] = 0;
    run_thing(f, t);
    assert_int_equal(t->runs, 2);
    assert_int_equal(t->entry_status[0], 0);
    assert_int_equal(t->entry_status[1], 0); /* the first run's 503 was cleared */
    assert_int_equal(t->job.e.status, 0);
    assert_int_equal(t->done, 1);
    assert_int_equal(t->released, 1);
    assert_int_equal(f->r.status, 201);
    assert_string_equal(body(&f->r), "{\"id\":1}");
    assert_int_equal(f->r.nheaders, 1);
    assert_string_equal(f->r.headers[0][0], "Location");
    assert_string_equal(f->r.headers[0][1], "/things/1");
    int64_t n = -1;
    struct db *db = db_pool_reader(f->cfg.pool);
    assert_int_equal(db_query_int64(db, "SELECT count(*) FROM thing_made", 0, 0, &n), DB_OK);
    assert_int_equal(n, 0);
}

static void test_a_refusal_answers_its_error(void **state)
{
    struct fixture *f = *state;
    struct thing *t = WRITE_NEW(&f->r, struct thing, &thing_ops);
    t->result[0] = -1;
    run_thing(f, t);
    assert_int_equal(t->runs, 1);
    assert_int_equal(t->done, 0);
    assert_int_equal(t->released, 1);
    assert_int_equal(f->r.status, 422);
    assert_string_equal(
        body(&f->r), "{\"error\":{\"code\":\"invalid_field\",\"message\":\"the thing is wrong\"}}");
    /* the refused run's table was rolled back */
    int64_t n = -1;
    struct db *db = db_pool_reader(f->cfg.pool);
    assert_int_not_equal(db_query_int64(db, "SELECT count(*) FROM thing_made", 0, 0, &n), DB_OK);
}

static void test_an_undescribed_failure_names_the_operation(void **state)
{
    struct fixture *f = *state;
    struct thing *t = WRITE_NEW(&f->r, struct thing, &thing_ops);
    t->result[0] = DB_UNIQUE; /* core failed without saying why */
    assert_int_equal(write_job_run(db_pool_reader(f->cfg.pool), &t->job), DB_ERR);
    write_job_answer(&f->r, &t->job, DB_ERR);
    assert_int_equal(f->r.status, 500);
    assert_string_equal(body(&f->r), "{\"error\":{\"code\":\"internal\",\"message\":\"making a "
                                     "thing failed because of a storage error\"}}");
    assert_int_equal(t->released, 1);
    /* the commit itself failed: the database is gone */
    struct thing *u = WRITE_NEW(&f->r, struct thing, &thing_ops);
    write_job_answer(&f->r, &u->job, DB_UNAVAILABLE);
    assert_int_equal(f->r.status, 503);
    assert_string_equal(u->job.e.code, "database_unavailable");
    assert_int_equal(u->released, 1);
}

static struct thing *form_seen;

static void thing_form_record(struct req *r, int status, const char *message)
{
    (void)r;
    form_seen->form_status = status;
    snprintf(form_seen->form_message, sizeof form_seen->form_message, "%s", message);
}

static int refused_status;

static void thing_refused(struct req *r, struct write_job *j)
{
    (void)r;
    refused_status = j->e.status;
}

static void test_form_refuse_and_no_what(void **state)
{
    struct fixture *f = *state;
    static const struct write_ops form_ops = {.what = "making a thing",
                                              .run = thing_run,
                                              .done = thing_done,
                                              .form = thing_form_record,
                                              .release = thing_release};
    struct thing *t = WRITE_NEW(&f->r, struct thing, &form_ops);
    form_seen = t;
    err_set(&t->job.e, 422, "missing_field", "say what");
    write_refuse(&f->r, &t->job); /* refused before any write */
    assert_int_equal(t->form_status, 422);
    assert_string_equal(t->form_message, "say what");
    assert_int_equal(t->runs, 0);
    assert_int_equal(t->released, 1);
    /* a reader of Chinese gets the code's text; a page's own words stay */
    f->r.lang = LANG_ZH;
    t = WRITE_NEW(&f->r, struct thing, &form_ops);
    form_seen = t;
    err_set(&t->job.e, 422, "missing_field", "field 'title' is required");
    write_refuse(&f->r, &t->job);
    assert_string_equal(t->form_message, "请填写必填项：标题。");
    t = WRITE_NEW(&f->r, struct thing, &form_ops);
    form_seen = t;
    err_say(&t->job.e, 422, "missing_field", "请描述隐患");
    write_refuse(&f->r, &t->job);
    assert_string_equal(t->form_message, "请描述隐患");
    f->r.lang = LANG_EN;
    /* without a what, a failure core did not describe stays undescribed */
    static const struct write_ops quiet_ops = {
        .run = thing_run, .done = thing_done, .refused = thing_refused};
    struct thing *u = WRITE_NEW(&f->r, struct thing, &quiet_ops);
    refused_status = -1;
    write_job_answer(&f->r, &u->job, DB_ERR);
    assert_int_equal(refused_status, 0);
}

static json_t *load_seven(struct db *db, const struct actor *a, int64_t id, struct err *e)
{
    assert_non_null(db);
    assert_ptr_equal(a, &tester);
    if (id != 7) return err_set(e, 404, "not_found", "no thing %lld", (long long)id), NULL;
    return json_pack("{s:I}", "id", (json_int_t)id);
}

static void test_standard_answers(void **state)
{
    struct fixture *f = *state;
    write_reply_loaded(&f->r, load_seven, 7, 200, NULL);
    assert_int_equal(f->r.status, 200);
    assert_string_equal(body(&f->r), "{\"id\":7}");
    assert_int_equal(f->r.nheaders, 0);
    write_reply_loaded(&f->r, load_seven, 8, 201, "/things/8");
    assert_int_equal(f->r.status, 404);
    assert_string_equal(body(&f->r),
                        "{\"error\":{\"code\":\"not_found\",\"message\":\"no thing 8\"}}");
    assert_int_equal(f->r.nheaders, 0);
    /* in Chinese (the default): the code's text, the English as "detail" */
    f->r.lang = LANG_ZH;
    write_reply_loaded(&f->r, load_seven, 8, 201, "/things/8");
    assert_string_equal(body(&f->r), "{\"error\":{\"code\":\"not_found\",\"message\":\"未找到所要"
                                     "的内容。\",\"detail\":\"no thing 8\"}}");
    f->r.lang = LANG_EN;
    write_redirect(&f->r, "/items/%d?done=%s", 12, "verify");
    assert_int_equal(f->r.status, 303);
    assert_int_equal(f->r.out.len, 0);
    assert_string_equal(f->r.headers[0][0], "Location");
    assert_string_equal(f->r.headers[0][1], "/items/12?done=verify");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_a_retried_job_starts_clean, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_refusal_answers_its_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_an_undescribed_failure_names_the_operation, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_form_refuse_and_no_what, setup, teardown),
        cmocka_unit_test_setup_teardown(test_standard_answers, setup, teardown),
    };
    return testdb_rounds("write", tests);
}
