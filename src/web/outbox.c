/* outbox.c — the admin pages of what leaves the system: the delivery
 * channels (/admin/channels: email over SMTP, the webhook, the DingTalk
 * robot, and the site's address for links) and the outbox (/admin/outbox:
 * the pending and dead deliveries with their errors, and retrying them).
 *
 * A channel's form becomes the object POST /api/v1/channels takes for it,
 * so core checks both the same way.  A secret is never written into a
 * page: its field is empty, says whether one is set, and an empty field
 * keeps it (a box clears it). */
#include <string.h>

#include "core/channel.h"
#include "core/outbox.h"
#include "core/setting.h"
#include "http/write.h"
#include "util/str.h"
#include "web/page.h"
#include "web/web.h"

/* ---- /admin/channels ---- */

static void text_field(struct req *r, const char *label, const char *name, const char *value)
{
    html_printf(&r->out, "<label>%s<input name=\"%s\" value=\"%s\"></label>", T(r, label), name,
                value);
}

/* The TLS choice of the email channel. */
static void tls_field(struct req *r, const char *tls)
{
    static const char *const modes[] = {"none", "try", "require"};
    html_printf(&r->out, "<label>%s<select name=\"tls\">", T(r, "channels.tls"));
    for (size_t k = 0; k < 3; k++) {
        html_printf(&r->out, "<option value=\"%s\"", modes[k]);
        if (!strcmp(tls, modes[k])) html_raw(&r->out, " selected");
        html_printf(&r->out, ">%s</option>", i18n_label(r, "tls", modes[k]));
    }
    html_raw(&r->out, "</select></label>");
}

static void channel_card(struct req *r, json_t *c)
{
    struct buf *o = &r->out;
    const char *name = json_string_value(json_object_get(c, "name"));
    int email = !strcmp(name, "email");
    html_printf(o,
                "<section class=\"card form\" id=\"ch-%s\"><h2>%s</h2>"
                "<form method=\"post\" action=\"/admin/channels\">"
                "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                "<input type=\"hidden\" name=\"channel\" value=\"%s\">"
                "<label class=\"check\"><input type=\"checkbox\" name=\"enabled\"",
                name, i18n_label(r, "channel", name), r->session.csrf, name);
    if (json_is_true(json_object_get(c, "enabled"))) html_raw(o, " checked");
    html_printf(o, "> %s</label>", T(r, "channels.enabled"));
    text_field(r, email ? "channels.smtp_url" : "channels.url", "url",
               json_string_value(json_object_get(c, "url")));
    if (email) {
        text_field(r, "channels.sender", "sender", json_string_value(json_object_get(c, "sender")));
        text_field(r, "channels.username", "username",
                   json_string_value(json_object_get(c, "username")));
        tls_field(r, json_string_value(json_object_get(c, "tls")));
    }
    int set = json_is_true(json_object_get(c, "secret_set"));
    html_printf(o,
                "<label>%s <small>%s</small><input type=\"password\" name=\"secret\""
                " autocomplete=\"new-password\"></label>",
                T(r, email ? "channels.password" : "channels.secret"),
                T(r, set ? "channels.secret_set" : "channels.secret_none"));
    if (set)
        html_printf(o,
                    "<label class=\"check\"><input type=\"checkbox\" name=\"clear_secret\"> "
                    "%s</label>",
                    T(r, "channels.clear_secret"));
    html_printf(o,
                "<div class=\"buttons\"><button type=\"submit\" class=\"primary\">%s</button>"
                "</div></form></section>",
                T(r, "admin.save"));
}

static void channels_page(struct req *r, int status, const char *error)
{
    struct db *db = page_db(r);
    if (!db) return;
    struct err e = {0};
    const char *base = NULL;
    json_t *v = channel_list_json(db, &e);
    if (!v || setting_text(db, "notify.base_url", r->arena, &base, &e)) {
        json_decref(v);
        page_fail(r, &e);
        return;
    }
    struct buf *o = &r->out;
    layout_begin(r, T(r, "admin.channels"), NAV_NONE, NULL);
    html_printf(o, "<h1>%s</h1>", T(r, "admin.channels"));
    web_admin_tabs(r, "/admin/channels");
    if (error)
        html_printf(o, "<p class=\"alert\" role=\"alert\">%s: %s</p>", T(r, "new.error"), error);
    html_printf(o,
                "<p>%s</p><section class=\"card form\"><form method=\"post\""
                " action=\"/admin/channels\"><input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                "<input type=\"hidden\" name=\"channel\" value=\"base_url\">",
                T(r, "channels.hint"), r->session.csrf);
    text_field(r, "channels.base_url", "base_url", base ? base : "");
    html_printf(o,
                "<div class=\"buttons\"><button type=\"submit\">%s</button></div></form>"
                "</section>",
                T(r, "admin.save"));
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(v, "channels"), i, c) channel_card(r, c);
    json_decref(v);
    layout_end(r, status);
}

void web_admin_channels(struct req *r)
{
    channels_page(r, 200, NULL);
}

/* The site's address, or one channel as channel_set's object. */
static int channels_form_run(struct db *db, struct write_job *j)
{
    json_t *body = WRITE_OF(j, struct write_body)->body;
    const char *key;
    json_t *v;
    json_object_foreach(body, key, v)
    {
        if (!strcmp(key, "base_url")) {
            if (channel_base_url_set(db, j->actor, json_string_value(v), &j->e)) return -1;
        } else if (channel_set(db, j->actor, key, v, &j->e)) {
            return -1;
        }
    }
    return 0;
}

static const struct write_ops channels_form_ops = {.what = "storing the channels",
                                                   .run = channels_form_run,
                                                   .next = "/admin/channels",
                                                   .form = channels_page,
                                                   .release = write_body_release};

void web_admin_channels_post(struct req *r)
{
    struct write_body *b = WRITE_NEW(r, struct write_body, &channels_form_ops);
    const char *ch = req_form(r, "channel"), *base = req_form(r, "base_url");
    b->body = json_object();
    if (!ch || (strcmp(ch, "base_url") && !channel_bit(ch))) {
        err_set(&b->job.e, 422, "invalid_field", "choose a channel: email, webhook or dingtalk");
        write_refuse(r, &b->job);
        return;
    }
    if (!strcmp(ch, "base_url")) {
        json_object_set_new(b->body, "base_url", json_string(base ? base : ""));
    } else {
        json_t *c = json_object();
        static const char *const fields[] = {"url", "sender", "username", "tls"};
        for (size_t k = 0; k < sizeof fields / sizeof fields[0]; k++)
            if (req_form(r, fields[k]))
                json_object_set_new(c, fields[k], json_string(req_form(r, fields[k])));
        json_object_set_new(c, "enabled", json_boolean(req_form(r, "enabled") != NULL));
        const char *secret = req_form(r, "secret");
        if (req_form(r, "clear_secret"))
            json_object_set_new(c, "secret", json_string(""));
        else if (secret && *secret)
            json_object_set_new(c, "secret", json_string(secret));
        json_object_set_new(b->body, ch, c);
    }
    write_start(r, &b->job);
}

/* ---- /admin/outbox ---- */

static void outbox_row(struct req *r, json_t *x)
{
    struct buf *o = &r->out;
    json_int_t id = json_integer_value(json_object_get(x, "id"));
    const char *status = json_string_value(json_object_get(x, "status"));
    const char *who = json_string_value(json_object_get(json_object_get(x, "user"), "username"));
    const char *next = json_string_value(json_object_get(x, "next_at"));
    html_printf(o,
                "<tr class=\"o-%s\"><td>%lld</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td>"
                "<td>%lld</td><td>%s</td><td>%s</td><td>",
                status, (long long)id, i18n_label(r, "outbox", status),
                i18n_label(r, "channel", json_string_value(json_object_get(x, "channel"))),
                who ? who : "—", json_string_value(json_object_get(x, "subject")),
                (long long)json_integer_value(json_object_get(x, "attempts")),
                next ? page_time(r, next) : "—",
                json_string_value(json_object_get(x, "last_error")));
    if (strcmp(status, "sent"))
        html_printf(o,
                    "<form method=\"post\" action=\"/admin/outbox\" class=\"inline\">"
                    "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                    "<input type=\"hidden\" name=\"id\" value=\"%lld\">"
                    "<button type=\"submit\">%s</button></form>",
                    r->session.csrf, (long long)id, T(r, "outbox.retry"));
    html_raw(o, "</td></tr>");
}

static void outbox_page(struct req *r, int status, const char *error)
{
    struct db *db = page_db(r);
    if (!db) return;
    const char *which = req_query(r, "status");
    struct err e = {0};
    json_t *v = outbox_list_json(db, which && *which ? which : NULL, 0, 200, &e);
    if (!v) {
        page_fail(r, &e);
        return;
    }
    struct buf *o = &r->out;
    json_t *counts = json_object_get(v, "counts");
    layout_begin(r, T(r, "admin.outbox"), NAV_NONE, NULL);
    html_printf(o, "<h1>%s</h1>", T(r, "admin.outbox"));
    web_admin_tabs(r, "/admin/outbox");
    if (error)
        html_printf(o, "<p class=\"alert\" role=\"alert\">%s: %s</p>", T(r, "new.error"), error);
    html_printf(o,
                "<p class=\"badges\"><span>%s <b>%lld</b></span><span>%s <b>%lld</b></span>"
                "<a href=\"/admin/outbox?status=sent\">%s</a></p>",
                T(r, "outbox.pending"),
                (long long)json_integer_value(json_object_get(counts, "pending")),
                T(r, "outbox.dead"), (long long)json_integer_value(json_object_get(counts, "dead")),
                T(r, "outbox.show_sent"));
    if (json_integer_value(json_object_get(counts, "dead")))
        html_printf(o,
                    "<form method=\"post\" action=\"/admin/outbox\"><input type=\"hidden\""
                    " name=\"csrf\" value=\"%s\"><input type=\"hidden\" name=\"dead\" value=\"1\">"
                    "<button type=\"submit\" class=\"primary\">%s</button></form>",
                    r->session.csrf, T(r, "outbox.retry_dead"));
    html_printf(o,
                "<section class=\"card\"><table class=\"admin\"><thead><tr><th>#</th><th>%s</th>"
                "<th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th>"
                "</tr></thead><tbody>",
                T(r, "outbox.status"), T(r, "outbox.channel"), T(r, "outbox.user"),
                T(r, "outbox.subject"), T(r, "outbox.attempts"), T(r, "outbox.next_at"),
                T(r, "outbox.error"), T(r, "outbox.action"));
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(v, "rows"), i, x) outbox_row(r, x);
    html_raw(o, "</tbody></table></section>");
    json_decref(v);
    layout_end(r, status);
}

void web_admin_outbox(struct req *r)
{
    outbox_page(r, 200, NULL);
}

struct retry_form {
    struct write_job job;
    int64_t id; /* 0: every dead row */
};

static int retry_form_run(struct db *db, struct write_job *j)
{
    struct retry_form *x = WRITE_OF(j, struct retry_form);
    int64_t n;
    return x->id ? outbox_retry(db, x->id, &j->e) : outbox_retry_dead(db, &n, &j->e);
}

static const struct write_ops retry_form_ops = {.what = "retrying deliveries",
                                                .run = retry_form_run,
                                                .next = "/admin/outbox",
                                                .form = outbox_page};

void web_admin_outbox_post(struct req *r)
{
    struct retry_form *x = WRITE_NEW(r, struct retry_form, &retry_form_ops);
    const char *id = req_form(r, "id");
    if (!req_form(r, "dead") && (!id || str_to_int64(id, strlen(id), &x->id) || x->id <= 0)) {
        err_set(&x->job.e, 422, "invalid_field", "give a delivery's id, or dead=1");
        write_refuse(r, &x->job);
        return;
    }
    write_start(r, &x->job);
}
