/* cli.c — lint fixture: the other half of the cycle. */
#include "app/app.h"
