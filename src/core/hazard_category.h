/* hazard_category.h — the hazard taxonomy (hazard_categories): codes, names
 * in both languages, groups, and each category's attribute definitions
 * (the Open311 service definitions).  Categories are also what campaigns
 * cover and what routing rules are keyed by. */
#ifndef LUOSHI_CORE_HAZARD_CATEGORY_H
#define LUOSHI_CORE_HAZARD_CATEGORY_H

#include <jansson.h>
#include <stdint.h>

#include "core/core.h"
#include "db/db.h"

/* The category id of code (0 when unknown or inactive; negative db code). */
int64_t hazard_category_id(struct db *db, const char *code);
/* {"categories":[{"id","code","name","name_en","group","description","attributes"}]}. */
json_t *hazard_categories_json(struct db *db, struct err *e);
/* Check a report's attribute values (given: {code: value} or NULL) against
 * the category's definitions: required ones present, list values among the
 * keys, nothing unknown, strings of at most 500 bytes.  0, or -1 with e
 * (422 missing_attribute / invalid_attribute, or storage). */
int hazard_attributes_check(struct db *db, int64_t category_id, json_t *given, struct err *e);

#endif
