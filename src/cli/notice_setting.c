/* notice_setting.c — `luoshi notice-setting`: the documents' text settings
 * (core/setting_text.h: notice.office, notice.number_prefix, notice.main_to,
 * notice.copy_to, the fonts, document.prefix.*) listed, or one changed as a
 * change of the configuration chain by the command line's actor. */
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "core/setting_text.h"

static int list(struct db *db)
{
    struct err e = {0};
    json_t *v = setting_text_list_json(db, &e);
    if (!v) {
        fprintf(stderr, "luoshi notice-setting: %s\n", e.message);
        return CLI_FAIL;
    }
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(v, "texts"), i, x)
    {
        const char *value = json_string_value(json_object_get(x, "value"));
        printf("%s\t%s\n", json_string_value(json_object_get(x, "key")),
               *value ? value : json_string_value(json_object_get(x, "default")));
    }
    json_decref(v);
    return CLI_OK;
}

static int set(struct db *db, const char *key, const char *value)
{
    struct err e = {0};
    json_t *values = json_pack("{s:s}", key, value);
    int bad = db_begin(db) != DB_OK || setting_text_update(db, cli_actor(), values, &e) ||
              db_commit(db) != DB_OK;
    json_decref(values);
    if (bad) {
        db_rollback(db);
        fprintf(stderr, "luoshi notice-setting: %s\n", e.message[0] ? e.message : db_errmsg(db));
        return e.status == 422 ? CLI_USAGE : CLI_FAIL;
    }
    return CLI_OK;
}

int cmd_notice_setting(int argc, char **argv)
{
    const char *dbopt = NULL;
    const char *pos[3];
    int npos;
    struct cli_opt opts[] = {{"db", &dbopt, NULL}};
    if (cli_parse("notice-setting", argc, argv, opts, 1, pos, 3, &npos)) return CLI_USAGE;
    if (npos != 0 && npos != 2) {
        fprintf(stderr, "luoshi notice-setting: give KEY and VALUE, or nothing (see --help)\n");
        return CLI_USAGE;
    }
    struct db *db = cli_open(cli_db_target(dbopt), 0);
    if (!db) return CLI_FAIL;
    int rc = npos ? set(db, pos[0], pos[1]) : list(db);
    db_close(db);
    return rc;
}
