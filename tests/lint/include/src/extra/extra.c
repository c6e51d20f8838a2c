/* extra.c — lint fixture: a file in a folder the layer table does not know. */
#include "util/buf.h"
