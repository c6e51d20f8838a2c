/* setting_text.h — the text settings of the official documents, people may
 * change: the notice's office, 发文字号 prefix, 主送 and 抄送 defaults and
 * font families (notice/notice.c reads them), and the item documents'
 * series prefixes (core/document.h); beside them the lists of unit codes
 * the kinds read: remediation.co_units (core/remediation.h) and
 * challenge.creator_units (core/challenge.h).  One static table says which keys
 * exist and their defaults; a value "" means the default.  Every change is
 * an event of the configuration chain (setting_write). */
#ifndef LUOSHI_CORE_SETTING_TEXT_H
#define LUOSHI_CORE_SETTING_TEXT_H

#include <jansson.h>

#include "core/core.h"
#include "db/db.h"

#define SETTING_TEXT_MAX 200 /* characters of a value */

/* {"texts":[{"key","value","default"}]} in key order, value as stored (""
 * when unset).  NULL with e. */
json_t *setting_text_list_json(struct db *db, struct err *e);

/* Write values (key → string) as changed by a, inside the caller's write,
 * all or nothing, each an event of the configuration chain: every key in
 * the table, every value a string of at most SETTING_TEXT_MAX characters
 * without control characters (trimmed; "" restores the default).  0, or -1
 * with e: 422 invalid_field naming the key, storage. */
int setting_text_update(struct db *db, const struct actor *a, json_t *values, struct err *e);

#endif
