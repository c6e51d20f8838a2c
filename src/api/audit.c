/* audit.c — the audit trail's JSON beyond an item's events: one item's
 * proof against the latest signed checkpoint (core/proof.h), and the
 * configuration chain's history (core/config_chain.h). */
#include <string.h>

#include "api/api.h"
#include "core/config_chain.h"
#include "core/item.h"
#include "core/perm.h"
#include "core/proof.h"
#include "http/req.h"
#include "util/str.h"

void api_item_proof(struct req *r)
{
    struct err e = {0};
    struct db *db = api_db(r);
    if (!db) return;
    int vis = perm_item_visible(db, r->actor, r->params[0]);
    if (vis <= 0) {
        /* no such item, or not the caller's, as GET /items/{id} tells them apart */
        if (vis < 0)
            err_db(&e, vis, "reading the proof");
        else
            json_decref(item_get_json(db, r->actor, r->params[0], &e));
        req_reply_err(r, &e);
        return;
    }
    json_t *v =
        perm_item_record(db, r->actor, r->params[0], &e) ? NULL : proof_json(db, r->params[0], &e);
    if (v)
        req_reply_json(r, 200, v);
    else
        req_reply_err(r, &e);
}

/* An optional integer query parameter within [min, max].  0, or -1 after
 * answering 422. */
static int query_int(struct req *r, const char *name, int64_t min, int64_t max, int64_t *out)
{
    const char *s = req_query(r, name);
    if (!s || !*s) return 0;
    if (str_to_int64(s, strlen(s), out) || *out < min || *out > max) {
        req_reply_error(r, 422, "invalid_parameter", NULL,
                        "'%s' must be an integer from %lld to %lld", name, (long long)min,
                        (long long)max);
        return -1;
    }
    return 0;
}

void api_config_history(struct req *r)
{
    const char *section = req_query(r, "section");
    int64_t offset = 0, limit = 50;
    if (section && !*section) section = NULL;
    if (section && strcmp(section, "*") && config_section_find(section) < 0) {
        req_reply_error(r, 422, "invalid_parameter", NULL, "unknown section '%.40s'", section);
        return;
    }
    if (query_int(r, "offset", 0, 1000000000, &offset) || query_int(r, "limit", 1, 500, &limit))
        return;
    struct db *db = api_db(r);
    if (!db) return;
    struct err e = {0};
    json_t *v = config_chain_list_json(db, section, offset, limit, &e);
    if (v)
        req_reply_json(r, 200, v);
    else
        req_reply_err(r, &e);
}
