/* serve.c — lint fixture: app and cli may include anything, but not each other. */
#include "cli/cli.h"
#include "core/core.h"
