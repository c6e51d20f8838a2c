/* main.c — luoshi's entry: start the libraries, set the city's time zone,
 * and dispatch to a subcommand of the table in cli/commands.c.
 *
 * Like Fossil, the web server is a subcommand (`luoshi serve`); everything
 * an operator does is there too. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "core/document.h"
#include "notice/document_pdf.h"
#include "util/log.h"
#include "util/time.h"

int main(int argc, char **argv)
{
    if (sodium_init() < 0) {
        fprintf(stderr, "luoshi: libsodium failed to start\n");
        return CLI_FAIL;
    }
    const char *zone = getenv("LUOSHI_TZ");
    if (time_set_zone(zone && *zone ? zone : "Asia/Shanghai")) {
        /* a misspelt zone must not leave the city on UTC: deadlines would move */
        fprintf(stderr,
                "luoshi: LUOSHI_TZ=%s is not a time zone (a name under /usr/share/zoneinfo such "
                "as Asia/Shanghai)\n",
                zone && *zone ? zone : "Asia/Shanghai");
        return CLI_USAGE;
    }
    document_set_renderer(document_pdf); /* core issues documents, notice draws them */
    if (argc < 2) {
        command_help(0, NULL);
        return CLI_USAGE;
    }
    const struct command *c = command_find(argv[1]);
    if (!c) {
        fprintf(stderr, "luoshi: no command '%s' (see luoshi help)\n", argv[1]);
        return CLI_USAGE;
    }
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            printf("%s\n\n%s\n", c->help, c->usage);
            return CLI_OK;
        }
    }
    return c->run(argc - 2, argv + 2);
}
