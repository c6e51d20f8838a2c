/* commands_test.c — the subcommand table is sorted, unique and documented,
 * and option parsing refuses what it does not know. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cli/cli.h"
#include "cli/commands.h"

static void test_table(void **state)
{
    (void)state;
    static const char *const required[] = {"backup", "help", "init",   "serve",
                                           "unit",   "user", "verify", "version"};
    for (size_t i = 0; i < commands_count; i++) {
        assert_non_null(commands[i].run);
        assert_true(strlen(commands[i].help) > 10);
        assert_non_null(strstr(commands[i].usage, commands[i].name));
        if (i > 0 && strcmp(commands[i - 1].name, commands[i].name) >= 0)
            fail_msg("commands out of order at %s", commands[i].name);
    }
    for (size_t i = 0; i < sizeof required / sizeof *required; i++)
        assert_non_null(command_find(required[i]));
    assert_null(command_find("nope"));
}

static void test_parse(void **state)
{
    (void)state;
    const char *db = NULL, *pos[2];
    int demo = 0, npos;
    struct cli_opt opts[] = {{"db", &db, NULL}, {"demo", NULL, &demo}};
    char *a1[] = {"--db", "x.db", "--demo", "file"};
    assert_int_equal(cli_parse("t", 4, a1, opts, 2, pos, 2, &npos), 0);
    assert_string_equal(db, "x.db");
    assert_int_equal(demo, 1);
    assert_int_equal(npos, 1);
    assert_string_equal(pos[0], "file");
    char *a2[] = {"--db=y.db"};
    assert_int_equal(cli_parse("t", 1, a2, opts, 2, pos, 0, &npos), 0);
    assert_string_equal(db, "y.db");
    char *a3[] = {"--colour", "red"};
    assert_int_equal(cli_parse("t", 2, a3, opts, 2, pos, 0, &npos), CLI_USAGE);
    char *a4[] = {"--db"};
    assert_int_equal(cli_parse("t", 1, a4, opts, 2, pos, 0, &npos), CLI_USAGE);
    char *a5[] = {"--demo=1"};
    assert_int_equal(cli_parse("t", 1, a5, opts, 2, pos, 0, &npos), CLI_USAGE);
    char *a6[] = {"extra"};
    assert_int_equal(cli_parse("t", 1, a6, opts, 2, pos, 0, &npos), CLI_USAGE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
