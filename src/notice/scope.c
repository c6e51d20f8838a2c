/* scope.c — a notice's item scopes (campaign, meeting, plan, requests): the parameters
 * and the items that count.  See scope.h; the reads are core's
 * (notice_data_scope). */
#include "notice/scope.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const keys[] = {NULL, "campaign", "meeting", "plan", "requests"};

const char *notice_scope_key(int kind)
{
    return kind > NOTICE_SCOPE_NONE && kind <= NOTICE_SCOPE_REQUESTS ? keys[kind] : NULL;
}

static int parse_id(const char *key, const char *text, int64_t *id, struct err *e)
{
    char *end;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (errno || end == text || *end || v <= 0)
        return err_set(e, 422, "invalid_parameter", "'%s' must be a positive id", key);
    *id = v;
    return 0;
}

int notice_params_scope(struct notice_params *p, const char *campaign, const char *meeting,
                        const char *plan, struct err *e)
{
    const char *given[] = {NULL, campaign, meeting, plan};
    p->scope = NOTICE_SCOPE_NONE;
    p->scope_id = 0;
    for (int k = NOTICE_SCOPE_CAMPAIGN; k <= NOTICE_SCOPE_PLAN; k++) {
        if (!given[k] || !*given[k]) continue;
        if (p->scope || p->unit_code[0])
            return err_set(e, 422, "invalid_parameter",
                           "a notice has one scope: unit, campaign, meeting or plan");
        if (parse_id(keys[k], given[k], &p->scope_id, e)) return -1;
        p->scope = k;
    }
    return 0;
}

int notice_params_requests(struct notice_params *p, const char *requests, struct err *e)
{
    if (!requests || !*requests || !strcmp(requests, "0")) return 0;
    if (strcmp(requests, "1"))
        return err_set(e, 422, "invalid_parameter", "'requests' must be 1 (or absent)");
    if (p->scope || p->unit_code[0])
        return err_set(e, 422, "invalid_parameter",
                       "a notice has one scope: unit, campaign, meeting, plan or requests");
    p->scope = NOTICE_SCOPE_REQUESTS;
    p->scope_id = 1;
    return 0;
}

int notice_scope_load(struct db *db, const struct notice_params *p, struct arena *a,
                      struct notice_scope *s, const char **name, struct err *e)
{
    memset(s, 0, sizeof *s);
    if (p->scope <= NOTICE_SCOPE_NONE || p->scope > NOTICE_SCOPE_REQUESTS) return 0;
    s->kind = p->scope;
    return notice_data_scope(db, p->scope, p->scope_id, a, name, &s->items, &s->n, e);
}

const struct notice_scope_item *notice_scope_find(const struct notice_scope *s, int64_t id)
{
    int lo = 0, hi = s->n;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (s->items[mid].id == id) return &s->items[mid];
        if (s->items[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

int notice_scope_has(const struct notice_scope *s, int64_t id)
{
    return s->kind == NOTICE_SCOPE_NONE || notice_scope_find(s, id) != NULL;
}

void notice_scope_free(struct notice_scope *s)
{
    free(s->items);
    memset(s, 0, sizeof *s);
}
