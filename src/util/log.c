/* log.c — stderr logging.  A single fprintf per line keeps lines whole across threads. */
#include "util/log.h"

#include <stdarg.h>
#include <stdio.h>

#include "util/time.h"

static int log_is_quiet;

void log_quiet(int quiet)
{
    log_is_quiet = quiet;
}

static void log_line(const char *level, const char *fmt, va_list ap)
{
    char msg[2048], at[40];
    vsnprintf(msg, sizeof msg, fmt, ap);
    time_format_iso(time_now_ms(), at, sizeof at);
    fprintf(stderr, "%s %s %s\n", at, level, msg);
}

void log_info(const char *fmt, ...)
{
    if (log_is_quiet) return;
    va_list ap;
    va_start(ap, fmt);
    log_line("info", fmt, ap);
    va_end(ap);
}

void log_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    log_line("error", fmt, ap);
    va_end(ap);
}
