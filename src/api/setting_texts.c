/* setting_texts.c — the documents' text settings over the API
 * (core/setting_text.h): GET /api/v1/settings/texts lists them with their
 * defaults; POST changes some, all or nothing, each a change of the
 * configuration chain, and answers the list. */
#include "api/api.h"
#include "core/setting_text.h"
#include "http/req.h"
#include "http/write.h"

void api_setting_texts(struct req *r)
{
    struct db *db = api_db(r);
    if (!db) return;
    struct err e = {0};
    json_t *v = setting_text_list_json(db, &e);
    if (v)
        req_reply_json(r, 200, v);
    else
        req_reply_err(r, &e);
}

static int texts_run(struct db *db, struct write_job *j)
{
    return setting_text_update(db, j->actor, WRITE_OF(j, struct write_body)->body, &j->e);
}

static void texts_done(struct req *r, struct write_job *j)
{
    (void)j;
    api_setting_texts(r);
}

static const struct write_ops texts_ops = {
    .what = "writing the settings", .run = texts_run, .done = texts_done};

void api_setting_texts_set(struct req *r)
{
    struct write_body *x = WRITE_NEW(r, struct write_body, &texts_ops);
    x->body = r->json;
    write_start(r, &x->job);
}
