/* unit.h — units (单位): departments, task forces, towns, grids, enterprises,
 * in one tree. */
#ifndef LUOSHI_CORE_UNIT_H
#define LUOSHI_CORE_UNIT_H

#include <jansson.h>
#include <stdint.h>

#include "core/core.h"
#include "db/db.h"

/* 1 when kind is one of department taskforce town grid enterprise. */
int unit_kind_valid(const char *kind);
/* Add a unit as a does (inside a write transaction; an event of the
 * configuration chain).  parent_code may be NULL.  Returns 0 with *id set,
 * or -1 with e filled (422 bad field, 404 unknown parent, 409 code taken). */
int unit_add(struct db *db, const struct actor *a, const char *code, const char *name,
             const char *kind, const char *parent_code, int64_t *id, struct err *e);
/* Rename unit code, give it kind and move it under parent_code (NULL or "":
 * a root) as a does (inside a write transaction; an event "edit" of the
 * configuration chain).  0, or -1 with e (422 bad field or a parent under
 * the unit itself, 404 no such unit or parent). */
int unit_edit(struct db *db, const struct actor *a, const char *code, const char *name,
              const char *kind, const char *parent_code, struct err *e);
/* The id of the unit with this code, 0 when there is none, or a negative db code. */
int64_t unit_id_by_code(struct db *db, const char *code);
/* 1 when a unit with this id exists, 0 when not, negative on a db error. */
int unit_exists(struct db *db, int64_t id);
/* The kind (at most 15 bytes, into kind[16]) and parent (0 for none) of unit
 * id: 1 found, 0 when there is no such unit, or a negative db code. */
int unit_kind_parent(struct db *db, int64_t id, char kind[16], int64_t *parent);
/* {"units":[{"id","code","name","kind","parent_id"}…]} ordered by code, or
 * NULL with e filled.  Caller owns the result. */
json_t *unit_list_json(struct db *db, struct err *e);

#endif
