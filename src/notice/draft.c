/* draft.c — signing a notice's draft.  See draft.h. */
#include "notice/draft.h"

#include <stdio.h>

#include "core/notice_draft.h"
#include "core/notice_store.h"
#include "core/setting.h"
#include "notice/issue.h"
#include "util/arena.h"
#include "util/time.h"

int notice_draft_number(struct db *db, char out[128], struct err *e)
{
    int y, m, d;
    date_split(time_today(), &y, &m, &d);
    char prev[65];
    int64_t seq = 0;
    const char *prefix = NULL;
    struct arena *a = arena_new();
    int rc = setting_text(db, "notice.number_prefix", a, &prefix, e);
    if (!rc) rc = notice_store_head(db, y, prev, &seq, e);
    if (!rc)
        snprintf(out, 128, "%s〔%d〕%lld号", prefix && *prefix ? prefix : "督通", y,
                 (long long)seq);
    arena_free(a);
    return rc;
}

int notice_draft_sign(struct db *db, const struct actor *a, int64_t id,
                      const struct checkpoint_key *signer, int64_t *notice_id, struct err *e)
{
    struct notice_draft d;
    int rc = notice_draft_load(db, id, &d);
    if (rc == DB_DONE) return err_set(e, 404, "not_found", "no notice draft %lld", (long long)id);
    if (rc != DB_OK) return err_db(e, rc, "reading the draft");
    struct notice_params p;
    int ret = notice_draft_may_sign(db, a, &d, e);
    if (!ret) ret = notice_params_parse(d.from, d.to, d.unit[0] ? d.unit : NULL, &p, e);
    if (!ret) {
        p.signer = signer;
        p.main_to = d.main_to;
        p.copy_to = d.copy_to;
        p.summary = d.summary;
        ret = notice_issue(db, a, &p, notice_id, e);
    }
    if (!ret) ret = notice_draft_signed(db, a, id, *notice_id, e);
    notice_draft_free(&d);
    return ret;
}
