/* scope.h — the item scopes of a notice: a campaign (its attached items),
 * a meeting (the items it decided, items.meeting_id), a plan (an item and
 * every item under it by parent_id) or the enterprise requests (every item
 * of kind request, with the requests section for the whole city).
 *
 * A unit scope is notice.c's (a unit subtree decides which lead units count);
 * an item scope decides which items count, and notice.c asks
 * notice_scope_has() at every item it reads.  The figures' definitions do
 * not change.  The scoped items are few (a campaign, a meeting, a plan), so
 * they are loaded whole (core/notice_data.h reads them), with what the
 * notice needs of each that is not in item_facts: status, next expected
 * feedback, light now. */
#ifndef LUOSHI_NOTICE_SCOPE_H
#define LUOSHI_NOTICE_SCOPE_H

#include <stdint.h>

#include "core/notice_data.h"
#include "notice/notice.h"

/* The items of an item scope, by id; kind NOTICE_SCOPE_NONE: every item. */
struct notice_scope {
    int kind;
    struct notice_scope_item *items;
    int n;
};

/* Set p's item scope from the text of campaign, meeting and plan (each a
 * positive id or NULL/""): at most one of them, and not with p's unit.
 * 0, or -1 with e 422. */
int notice_params_scope(struct notice_params *p, const char *campaign, const char *meeting,
                        const char *plan, struct err *e);

/* Set p's item scope to every enterprise request when requests is "1"
 * (NULL, "" or "0": leave p as it is); not with another scope or a unit.
 * 0, or -1 with e 422. */
int notice_params_requests(struct notice_params *p, const char *requests, struct err *e);

/* "campaign", "meeting", "plan", "requests" for an item scope kind, NULL for none. */
const char *notice_scope_key(int kind);

/* Load the items of p's item scope into s (freed with notice_scope_free,
 * also after a failure) and its name ("<theme>（<month>）", the meeting's
 * name, the plan item's title; whole, in arena a) into *name.  A scope of
 * kind none loads nothing and leaves *name.  0, or -1 with e: 404 no such
 * campaign, meeting or item, 5xx storage. */
int notice_scope_load(struct db *db, const struct notice_params *p, struct arena *a,
                      struct notice_scope *s, const char **name, struct err *e);

/* The scoped item id, or NULL when it is not in scope (always NULL for a
 * scope of kind none: ask notice_scope_has). */
const struct notice_scope_item *notice_scope_find(const struct notice_scope *s, int64_t id);

/* 1 when item id counts: every item for kind none, else the scoped ones. */
int notice_scope_has(const struct notice_scope *s, int64_t id);

/* Free what notice_scope_load allocated; s may be zeroed. */
void notice_scope_free(struct notice_scope *s);

#endif
