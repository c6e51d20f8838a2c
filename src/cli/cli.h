/* cli.h — the command line: subcommands, their option parsing and exit codes.
 *
 * Every subcommand is one row of the table in main.c with a one-line help;
 * each takes --help.  Errors go to stderr; exit 0 on success, 1 when the
 * work failed, 2 for a usage error. */
#ifndef LUOSHI_CLI_CLI_H
#define LUOSHI_CLI_CLI_H

#include "core/core.h"
#include "db/db.h"

struct err;

enum { CLI_OK = 0, CLI_FAIL = 1, CLI_USAGE = 2 };

/* One option of a subcommand: "--name VALUE" (or "--name=VALUE") when value
 * is set, a flag "--name" when flag is set. */
struct cli_opt {
    const char *name;
    const char **value;
    int *flag;
};

/* Parse argv[0..argc) against opts; positional arguments go to pos (at most
 * maxpos).  Returns 0, or CLI_USAGE after printing what was wrong. */
int cli_parse(const char *cmd, int argc, char **argv, const struct cli_opt *opts, int nopts,
              const char **pos, int maxpos, int *npos);
/* The database target: --db if given, else $LUOSHI_DB, else ./luoshi.db. */
const char *cli_db_target(const char *opt);
/* Migrate db to the newest schema (db_migrate) and bring the configuration
 * chain along: start it on a database that has none, and record what the
 * migrations changed in the configuration as an "upgrade" event.  DB_OK, or
 * a db code with err set. */
int cli_migrate(struct db *db, int *applied, char *err, size_t errlen);
/* Open the database (without creating it) and check its schema is current
 * (migrating when migrate is 1).  NULL after printing the error. */
struct db *cli_open(const char *target, int migrate);
/* The actor of changes made from the command line: no user, named
 * "cli:LOGIN" after the operating system's user (for the configuration
 * chain), with every role. */
const struct actor *cli_actor(void);
/* luoshi import items FILE [--dry-run] [--json] [--db DB] (import_items.c):
 * a 任务分解表 into items.  CLI_OK, CLI_FAIL (problems or a refusal, printed)
 * or CLI_USAGE. */
int cli_import_items(int argc, char **argv);
/* Read one line (the password) from stdin without its newline into out.
 * 0 ok, -1 after printing an error. */
int cli_read_password(char *out, size_t outlen);

struct checkpoint_key;
/* Create a key pair for checkpoints (keyfile.c): the secret seed at path
 * (mode 0600; an existing file is never overwritten), the public key beside
 * it (path's ".key" as ".pub", into pub).  0, or -1 with errno. */
int keyfile_create(const char *path, char *pub, size_t publen);
/* The signing key: --key opt, else $LUOSHI_KEY, else TARGET.key beside a
 * SQLite database; path gets the file.  1 loaded, 0 when there is none (no
 * file named and none beside), -1 after printing why (a file named but not
 * readable, or not a key). */
int cli_signing_key(const char *opt, const char *target, struct checkpoint_key *k, char *path,
                    size_t pathlen);
/* The public key `verify` trusts: --pubkey opt (a file or 64 hex digits),
 * else TARGET.pub beside a SQLite database, else the signing key's (key_opt
 * as for cli_signing_key).  1, 0 when there is none, -1 after printing. */
int cli_public_key(const char *opt, const char *key_opt, const char *target,
                   struct checkpoint_key *k);

int cmd_apikey(int argc, char **argv);
/* luoshi assessment show|add|withdraw|rules: the 考核 (assessment_cmd.c). */
int cmd_assessment(int argc, char **argv);
int cmd_backup(int argc, char **argv);
/* luoshi copy: a SQLite database into a new PostgreSQL one (db_cmds.c). */
int cmd_copy(int argc, char **argv);
int cmd_calendar(int argc, char **argv);
/* luoshi efficiency …: the 亩均效益评价 (efficiency_cmd.c). */
int cmd_efficiency(int argc, char **argv);
/* luoshi channel list|set, luoshi outbox list|retry, and `luoshi user
 * prefs` (reach_cmds.c). */
int cmd_channel(int argc, char **argv);
int cmd_outbox(int argc, char **argv);
int user_prefs_cmd(int argc, char **argv);
int cmd_checkpoint(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_init(int argc, char **argv);
int cmd_keyword(int argc, char **argv);
int cmd_notice(int argc, char **argv);
/* luoshi notice-setting [KEY VALUE]: the documents' text settings
 * (notice_setting.c), listed or one changed. */
int cmd_notice_setting(int argc, char **argv);
/* luoshi routes [--json]: the route table, for tests (routes_cmd.c). */
int cmd_routes(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_unit(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_verify(int argc, char **argv);

/* Load the demo city into an empty database and print the demo logins.
 * Returns CLI_OK or CLI_FAIL. */
int demo_load(struct db *db);
/* Import the holiday schedules the binary carries (data/calendar/) and
 * take some demo items through the loop (demo_loop.c), inside the caller's
 * write transaction.  0, or -1 with e. */
int demo_loop(struct db *db, struct err *e);
/* Import every calendar file the binary carries (under data/calendar/) inside
 * the caller's write transaction, the days of years the database lists no
 * day of (calendar_import_new_years); *count gets the days stored.  0, or -1
 * with e. */
int calendar_import_builtin(struct db *db, int *count, struct err *e);
/* Store the seed meeting report the binary carries (tests/intake/seed.txt)
 * as a meeting with a draft item per directive, after seeding the keyword →
 * unit table for this city's units (import.c).  Inside the caller's write
 * transaction.  0, or -1 with e. */
int import_seed_meeting(struct db *db, struct err *e);

#endif
