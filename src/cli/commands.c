/* commands.c — the subcommand table: one row per command, sorted by name,
 * with its one-line help and the usage its --help prints.  A unit test checks
 * the order, uniqueness and that every row is documented.  A help line that
 * starts with "internal:" keeps its command out of `luoshi help`'s list. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "version.h"

static int cmd_version(int argc, char **argv);

const struct command commands[] = {
    {"apikey", cmd_apikey, "add, list or revoke Open311 API keys",
     "luoshi apikey add [--db DB] --name NAME\n"
     "luoshi apikey list [--db DB]\n"
     "luoshi apikey revoke [--db DB] --name NAME\n"
     "  add prints the new key once on stdout; only its SHA-256 is stored"},
    {"assessment", cmd_assessment, "the yearly 考核: scores, the office's entries and the rules",
     "luoshi assessment show [--db DB] [--year YYYY] [--period month|quarter --n N]\n"
     "                       [--unit CODE] [--format text|json|csv]\n"
     "luoshi assessment add [--db DB] --unit CODE --reason TEXT [--points N] [--kind KIND]\n"
     "                      [--item ID] [--year YYYY] [--evidence TEXT]\n"
     "luoshi assessment withdraw [--db DB] --entry ID --reason TEXT\n"
     "luoshi assessment rules [--db DB] [--year YYYY] [--set RULE=POINTS]\n"
     "  show prints rank, code, score and name per unit, of the year or of its month or quarter\n"
     "  N (json: GET /api/v1/assessment's; csv: the ranking); add records a deduction (points < "
     "0), a bonus (> 0), --kind no_substance\n"
     "  (with --item) or evaluation; withdraw adds the counter-entry of entry ID; rules prints\n"
     "  the year's rules, after setting one with --set.  docs/api.md, 考核"},
    {"backup", cmd_backup, "copy the database consistently while the server runs",
     "luoshi backup [--db DB] FILE"},
    {"calendar", cmd_calendar, "import official holidays and adjusted working days",
     "luoshi calendar import [--db DB] FILE\n"
     "  one day a line: YYYY-MM-DD holiday|workday [name]; '#' starts a comment;\n"
     "  importing again replaces earlier listings of the same days; a bad line is named\n"
     "  and nothing is imported (exit 2)"},
    {"channel", cmd_channel,
     "list or set the delivery channels (email, webhook, DingTalk robot) and the site's address",
     "luoshi channel list [--db DB] [--json]\n"
     "luoshi channel set [--db DB] --name email|webhook|dingtalk [--enabled yes|no] [--url URL]\n"
     "                   [--username U] [--sender ADDRESS] [--tls none|try|require]\n"
     "                   [--secret-stdin | --clear-secret]\n"
     "luoshi channel set [--db DB] --base-url URL\n"
     "  email's URL is smtp://HOST:PORT or smtps://…, the others http(s)://; the secret (SMTP\n"
     "  password, webhook HMAC key, robot secret) is read from stdin and never printed; the\n"
     "  base URL starts the links in outside messages.  docs/operations.md"},
    {"checkpoint", cmd_checkpoint,
     "sign a checkpoint of every item and the configuration, or print the latest to publish it",
     "luoshi checkpoint [--db DB] [--key FILE]\n"
     "luoshi checkpoint [--db DB] --export\n"
     "luoshi checkpoint [--db DB] --interval MINUTES\n"
     "  signs the Merkle root over every item's (id, event count, head hash) and the\n"
     "  configuration chain's head with the Ed25519 key (--key, else $LUOSHI_KEY, else DB.key\n"
     "  beside a SQLite database) and prints it; --export prints the latest checkpoint as JSON\n"
     "  for publishing elsewhere; --interval sets how often `serve` signs one (default 60,\n"
     "  0: only at issued notices)"},
    {"copy", cmd_copy,
     "copy a SQLite database into a new PostgreSQL one (the move to several servers)",
     "luoshi copy [--db FILE] --to postgres://USER@HOST/DB\n"
     "  every row of every table, in one transaction of the destination, which must be new\n"
     "  (`luoshi init` without --demo, or an empty database: copy migrates it); the source\n"
     "  is read as one snapshot, so a server may keep running on it.  Afterwards:\n"
     "  luoshi verify --db postgres://… --pubkey FILE.pub.  docs/operations.md"},
    {"efficiency", cmd_efficiency,
     "the yearly 亩均效益评价: the enterprise register, a year's data, config, steps and results",
     "luoshi efficiency register [--db DB] --unit CODE --credit-code CODE [--industry TEXT]\n"
     "luoshi efficiency parcel [--db DB] --unit CODE --number N --area MU [--use TEXT]\n"
     "luoshi efficiency enterprise [--db DB] --unit CODE\n"
     "luoshi efficiency data [--db DB] --year YYYY FILE [--dry-run]\n"
     "luoshi efficiency config [--db DB] --year YYYY [--set JSON]\n"
     "luoshi efficiency evaluate|publish|finalize [--db DB] --year YYYY\n"
     "luoshi efficiency results [--db DB] --year YYYY [--format json|csv]\n"
     "luoshi efficiency objections [--db DB] --year YYYY\n"
     "luoshi efficiency decide [--db DB] --objection ID --decision accept|reject --reason TEXT\n"
     "                         [--data JSON]\n"
     "  data reads a CSV or .xlsx sheet (one row per enterprise) and prints every row's\n"
     "  problems (exit 1, nothing stored), else replaces the year's data (--dry-run: only\n"
     "  checks); the steps print the results (finalize adds the C/D list as remediation);\n"
     "  JSON as the API's.  docs/efficiency.md"},
    {"help", command_help, "list the commands, or show one command's usage",
     "luoshi help [COMMAND]"},
    {"import", cmd_import,
     "read a meeting report into a meeting and its draft items, or a 任务分解表 into items",
     "luoshi import meeting [--db DB] FILE [--dry-run] [--json]\n"
     "  prints the articles, the meeting and its directives with units and deadlines (--json:\n"
     "  the JSON of POST /api/v1/intake); without --dry-run stores the meeting and a draft item\n"
     "  per directive in one transaction.  FILE must be UTF-8; a dry run without a database\n"
     "  suggests units from the built-in keyword table\n"
     "luoshi import items [--db DB] FILE [--dry-run] [--json]\n"
     "  reads a 任务分解表 (.xlsx or CSV: one row per item, parents by outline number) and\n"
     "  prints every row's problems (exit 1, nothing stored); without them, stores every row as\n"
     "  a draft item of source import in one transaction (--dry-run: only prints the rows;\n"
     "  --json: the JSON of POST /api/v1/imports)"},
    {"init", cmd_init, "create or upgrade the database; --demo loads the demo city",
     "luoshi init [--db DB] [--demo] [--key FILE]\n"
     "  also makes the checkpoints' signing key when there is none: --key FILE, else\n"
     "  $LUOSHI_KEY, else DB.key (mode 0600) and DB.pub beside a SQLite database"},
    {"keyword", cmd_keyword,
     "list, add or remove the keyword → unit rows intake suggests units from",
     "luoshi keyword list [--db DB] [--json]\n"
     "luoshi keyword add [--db DB] --keyword K --unit CODE\n"
     "luoshi keyword remove [--db DB] --keyword K --unit CODE\n"
     "  a directive that names no unit and mentions K suggests the unit CODE"},
    {"notice", cmd_notice,
     "write a supervision notice (督查通报) for a period as html, xlsx, csv or json",
     "luoshi notice [--db DB] --from DATE --to DATE [--unit CODE | --campaign ID | --meeting ID\n"
     "              | --plan ID] --format html|xlsx|csv|json|pdf [-o FILE]\n"
     "  the figures of the units leading items in the period (the whole city, --unit and the\n"
     "  units under it, or only the items of a campaign, of a meeting or of a plan: an item and\n"
     "  the items under it) as of the end of --to or now if earlier; docs/notices.md defines "
     "them.\n"
     "  Writes to stdout without -o (--output FILE works too).  DATE is YYYY-MM-DD"},
    {"notice-setting", cmd_notice_setting,
     "list the documents' text settings, or change one (office, 发文字号 prefixes, 主送, fonts)",
     "luoshi notice-setting [--db DB] [KEY VALUE]\n"
     "  without KEY lists every text setting with its value (the default when unset); with KEY\n"
     "  VALUE changes it as a change of the configuration chain (\"\" restores the default).\n"
     "  KEY is notice.office, notice.number_prefix, notice.main_to, notice.copy_to,\n"
     "  notice.font_title|body|kai|hei, document.prefix.assign|escalate|urge|dossier,\n"
     "  remediation.co_units or challenge.creator_units (unit codes, comma-separated)"},
    {"outbox", cmd_outbox, "list the outbox's pending and dead deliveries, or retry them",
     "luoshi outbox list [--db DB] [--status pending|dead|sent] [--json]\n"
     "luoshi outbox retry [--db DB] (--id N | --dead)\n"
     "  a retried row goes out at the sender's next tick with a fresh day before it dies"},
    {"routes", cmd_routes, "internal: print the route table (method, pattern, roles, flags)",
     "luoshi routes [--json]\n"
     "  one line per route of the server, or "
     "{\"routes\":[{\"method\",\"pattern\",\"roles\",\"flags\",\n"
     "  \"doc\"}]}; roles [] means public.  Left out of `luoshi help`: tests use it"},
    {"serve", cmd_serve, "run the web server (pages, JSON API)",
     "luoshi serve [--db DB] [--listen ADDR:PORT] [--threads N] [--secure-cookies] [--key FILE]\n"
     "             [--trusted-proxy ADDR[,ADDR…]] [--max-per-address N] [--body-budget MIB]\n"
     "             [--public-url URL] [--card-wait MS]\n"
     "  --listen defaults to 127.0.0.1:8080; --secure-cookies when served over HTTPS; --key (else\n"
     "  $LUOSHI_KEY, else DB.key beside a SQLite database) signs checkpoints; --trusted-proxy "
     "names\n"
     "  the reverse proxies whose X-Forwarded-For/X-Real-IP give the client's address;\n"
     "  --max-per-address (default 128) connections per client address (per forwarded address\n"
     "  behind a trusted proxy); --body-budget (default 64) MiB of request bodies in flight;\n"
     "  --public-url the site's address as the public sees it (default http://ADDR:PORT);\n"
     "  --card-wait (default 100): a dashboard card whose computation took MS or more is shown\n"
     "  as last computed while it is computed again away from the view"},
    {"unit", cmd_unit,
     "add or list units (departments, task forces, towns, grids, enterprises); review before they "
     "report",
     "luoshi unit add [--db DB] --code CODE --name NAME --kind KIND [--parent CODE]\n"
     "luoshi unit list [--db DB] [--json]\n"
     "luoshi unit review [--db DB] --code CODE --on|--off\n"
     "  KIND is department, taskforce, town, grid, enterprise or university; review: the\n"
     "  unit's clerks' feedback and submissions wait for the unit head's approval\n"
     "  (docs/chain.md)"},
    {"user", cmd_user, "add, list, change the password of, or disable users; how a user is reached",
     "luoshi user add [--db DB] --username U --unit CODE --role ROLE[,ROLE…] [--name NAME]"
     " --password-stdin\n"
     "luoshi user list [--db DB] [--json]\n"
     "luoshi user passwd [--db DB] --username U --password-stdin\n"
     "luoshi user disable [--db DB] --username U\n"
     "luoshi user prefs [--db DB] --username U [--email E] [--mobile M] [--channels C,…]\n"
     "                  [--events A,…|*] [--quiet HH:MM-HH:MM|off] [--digest yes|no]\n"
     "  ROLE is admin, supervisor, leader, handler, reporter, applicant or head; prefs prints the "
     "preferences\n"
     "  after the change (docs/api.md, GET /api/v1/me/prefs)"},
    {"verify", cmd_verify,
     "check every item against its events, the configuration chain, the signed checkpoints and"
     " the issued notices; exit 1 naming what differs",
     "luoshi verify [--db DB] [--pubkey FILE|HEX] [--root FILE] [--verbose]\n"
     "luoshi verify --proof FILE --pubkey FILE|HEX\n"
     "  recomputes each item's event chain and replays it against the item, its cooperating\n"
     "  units, feedback and own rows (photos by their SHA-256); replays the configuration chain\n"
     "  against the tables; checks each checkpoint's chain and signature under the public key\n"
     "  (--pubkey, else DB.pub beside a SQLite database) and that every item the latest covered\n"
     "  still exists unchanged; then the issued notices' chain.  Exits 1 naming each item or\n"
     "  configuration entry and what differs.  --root FILE: a checkpoint published earlier\n"
     "  (checkpoint --export) must still be there unchanged.  --proof checks one item's proof\n"
     "  (GET /api/v1/items/{id}/proof) without a database"},
    {"version", cmd_version, "print the version", "luoshi version"},
};
const size_t commands_count = sizeof commands / sizeof commands[0];

const struct command *command_find(const char *name)
{
    for (size_t i = 0; i < commands_count; i++)
        if (strcmp(commands[i].name, name) == 0) return &commands[i];
    return NULL;
}

int command_help(int argc, char **argv)
{
    if (argc > 0) {
        const struct command *c = command_find(argv[0]);
        if (!c) {
            fprintf(stderr, "luoshi help: no command '%s'\n", argv[0]);
            return CLI_USAGE;
        }
        printf("%s\n\n%s\n", c->help, c->usage);
        return CLI_OK;
    }
    printf("luoshi %s — supervision and follow-through for city governments (落实)\n\n"
           "usage: luoshi COMMAND [OPTIONS]   (every command takes --help)\n\n",
           LUOSHI_VERSION);
    for (size_t i = 0; i < commands_count; i++)
        if (strncmp(commands[i].help, "internal:", 9) != 0) /* hidden from the list */
            printf("  %-10s %s\n", commands[i].name, commands[i].help);
    printf("\n--db defaults to $LUOSHI_DB, else ./luoshi.db; a postgres:// URL selects"
           " PostgreSQL.\n");
    return CLI_OK;
}

static int cmd_version(int argc, char **argv)
{
    (void)argc, (void)argv;
    printf("luoshi %s\n", LUOSHI_VERSION);
    return CLI_OK;
}
