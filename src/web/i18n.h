/* i18n.h — the pages' words in Chinese (first) and English.
 *
 * One sorted table of {key, zh, en}; T(r, "key") picks the request's language.
 * Labels for contract values (statuses, lights, actions, kinds …) are keys
 * "status.done", "light.red" and so on, looked up with i18n_label(). */
#ifndef LUOSHI_WEB_I18N_H
#define LUOSHI_WEB_I18N_H

#include <stddef.h>

#include "http/req.h"

struct i18n_msg {
    const char *key, *zh, *en;
};

/* The text of key in lang; the key itself when the table lacks it (a test
 * checks that every key the pages use is there).  Never NULL. */
const char *i18n_get(enum req_lang lang, const char *key);
/* The label of a contract value: the text of "<prefix>.<value>", or value
 * itself when there is none (so an unknown value still shows).  The result
 * lives in r's arena or the table. */
const char *i18n_label(struct req *r, const char *prefix, const char *value);
/* The table, for tests: *n gets its length. */
const struct i18n_msg *i18n_table(size_t *n);

/* The text of key in r's language. */
#define T(r, key) i18n_get((r)->lang, key)

#endif
