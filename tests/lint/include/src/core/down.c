/* down.c — lint fixture: core may include db, util and intake, not notice. */
#include "db/db.h"
#include "intake/intake.h"
#include "notice/notice.h"
#include "util/buf.h"
