/* log.h — one line per message on stderr, with time and level.
 * The access log uses log_info; nothing here allocates on the hot path. */
#ifndef LUOSHI_UTIL_LOG_H
#define LUOSHI_UTIL_LOG_H

/* Log an informational line. */
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Log an error line (environment failures, 5xx causes). */
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Silence log_info (tests and CLI commands); errors still print. */
void log_quiet(int quiet);

#endif
