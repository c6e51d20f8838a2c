/* commands.h — the subcommand table and its lookup. */
#ifndef LUOSHI_CLI_COMMANDS_H
#define LUOSHI_CLI_COMMANDS_H

#include <stddef.h>

struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *help;  /* one line */
    const char *usage; /* the synopsis --help prints */
};

extern const struct command commands[];
extern const size_t commands_count;

/* The command called name, or NULL. */
const struct command *command_find(const char *name);
/* `luoshi help [COMMAND]`: list every command or show one's usage. */
int command_help(int argc, char **argv);

#endif
