/* throttle.h — counting failures per key over a sliding window (the login
 * throttle per user name and per client address is core/login.c's use).
 *
 * In memory, per process: a fixed table of counters over a sliding window.
 * A key with too many failures in the window is refused until the window
 * passes; clearing forgets a key's failures.  Several instances each keep
 * their own table, which only multiplies the allowance by the instance
 * count. */
#ifndef LUOSHI_UTIL_THROTTLE_H
#define LUOSHI_UTIL_THROTTLE_H

#include <stdint.h>

struct throttle;

/* A throttle allowing `limit` failures per key within window_ms.  Never NULL. */
struct throttle *throttle_new(int limit, int64_t window_ms);
/* 1 when key has reached its limit within the window at time now. */
int throttle_blocked(struct throttle *t, const char *key, int64_t now);
/* Count one failure for key at time now. */
void throttle_fail(struct throttle *t, const char *key, int64_t now);
/* Forget key's failures. */
void throttle_clear(struct throttle *t, const char *key);
/* Free the table.  NULL is ignored. */
void throttle_free(struct throttle *t);

#endif
