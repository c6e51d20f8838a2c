/* err.h — an error value that carries its class, a code and a message.
 *
 * Bad input and environment failures travel back as a struct err: `status`
 * is the class in HTTP's vocabulary (400, 403, 404, 409, 413, 415, 422, 429,
 * 500, 503) because that is the one every surface understands — the CLI maps
 * it to an exit code, the API sends it as is.  `code` is a snake_case constant
 * string; `message` says what was wrong in words. */
#ifndef LUOSHI_UTIL_ERR_H
#define LUOSHI_UTIL_ERR_H

struct err {
    int status;       /* 0 when there is no error */
    const char *code; /* a string literal, e.g. "invalid_field" */
    char message[512];
    /* With code "invalid_transition": the actions the actor may take instead,
     * space-separated (e.g. "accept return"), for the API's "allowed_actions".
     * err_set() clears it. */
    char allowed[256];
};

/* Fill e (which may be NULL) and return -1, so callers can `return err_set(…)`. */
int err_set(struct err *e, int status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
#endif
