/* err.c — filling struct err.  See err.h. */
#include "util/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/utf8.h"

int err_set(struct err *e, int status, const char *code, const char *fmt, ...)
{
    if (!e) return -1;
    e->status = status;
    e->code = code;
    e->allowed[0] = '\0';
    e->said = 0;
    e->detail = NULL;
    e->subject[0] = '\0';
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof e->message, fmt, ap);
    va_end(ap);
    utf8_sanitize(e->message); /* cut by its buffer or a precision: still text */
    return -1;
}

int err_say(struct err *e, int status, const char *code, const char *text)
{
    if (!e) return -1;
    err_set(e, status, code, "%s", text);
    e->said = 1;
    return -1;
}

int err_detail(struct err *e, const char *detail)
{
    if (e) e->detail = detail;
    return -1;
}

int err_subject(struct err *e, const char *text)
{
    if (!e) return -1;
    size_t n = strlen(text);
    if (n >= sizeof e->subject) {
        n = sizeof e->subject - 1;
        while (n && ((unsigned char)text[n] & 0xc0) == 0x80) /* not inside a character */
            n--;
    }
    memcpy(e->subject, text, n);
    e->subject[n] = '\0';
    return -1;
}
