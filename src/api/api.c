/* api.c — what every handler of api.h shares. */
#include "api/api.h"

#include "http/req.h"

struct db *api_db(struct req *r)
{
    struct db *db = req_db(r);
    if (!db)
        req_reply_error(r, 503, "database_unavailable", NULL, "the database cannot be reached");
    return db;
}
