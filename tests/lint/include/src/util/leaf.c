/* leaf.c — lint fixture: util includes no other folder. */
#include "db/db.h"
#include "util/buf.h"
