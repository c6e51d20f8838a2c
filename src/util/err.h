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
    /* 1 when message is already written in the reader's language (err_say,
     * by a page); 0 when it is the English detail of err_set, which the
     * surfaces put into the reader's language by the code (core/errtext.h). */
    int said;
    /* A key naming this error more exactly than its code (err_detail): the
     * error texts' row "code:detail" (core/errtext.c), e.g. "not_found:meeting".
     * NULL: the row is found by the code and the field the message names. */
    const char *detail;
    /* What the error is about in the data's own words (an attribute's
     * description, a unit's name), shown after the text in every language
     * (err_subject); "" when none. */
    char subject[96];
};

/* Fill e (which may be NULL) and return -1, so callers can `return err_set(…)`.
 * The message is the English detail; a field it is about is quoted the way
 * the messages do it, 'name' first ("'deadline' must be …"), which is how
 * the error texts find a field's own row and label.  Clears detail,
 * subject and allowed. */
int err_set(struct err *e, int status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Fill e with text already in the reader's language (a page's own words),
 * so it is shown as it is.  Returns -1 like err_set. */
int err_say(struct err *e, int status, const char *code, const char *text);
/* Name e more exactly by detail (a string literal, a row "code:detail" of
 * the error texts).  Returns -1, so `return err_detail(e, "…")` follows an
 * err_set. */
int err_detail(struct err *e, const char *detail);
/* Set what e is about in the data's own words (copied, cut at a character
 * boundary to fit).  Returns -1. */
int err_subject(struct err *e, const char *text);
#endif
