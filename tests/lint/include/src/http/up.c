/* up.c — lint fixture: http including what is above it. */
#include <stdio.h>

#include "api/api.h"
#include "core/item.h"
#include "http/req.h"
#include "version.h"
#include "web/web.h"
