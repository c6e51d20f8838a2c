/* err.c — filling struct err.  See err.h. */
#include "util/err.h"

#include <stdarg.h>
#include <stdio.h>

#include "util/utf8.h"

int err_set(struct err *e, int status, const char *code, const char *fmt, ...)
{
    if (!e) return -1;
    e->status = status;
    e->code = code;
    e->allowed[0] = '\0';
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof e->message, fmt, ap);
    va_end(ap);
    utf8_sanitize(e->message); /* cut by its buffer or a precision: still text */
    return -1;
}
