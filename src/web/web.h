/* web.h — the server-rendered pages (zh-CN first, English second).
 * Each page handler is a row of app/routes.c; like the API handlers they
 * never check logins, roles or CSRF themselves. */
#ifndef LUOSHI_WEB_WEB_H
#define LUOSHI_WEB_WEB_H

#include <jansson.h>
#include <stdint.h>

struct req;
struct db;
struct db_pool;

/* An HTML error page with status and message (escaped). */
void web_error_page(struct req *r, int status, const char *message);

void web_home(struct req *r);      /* GET  /            the landing page: inbox or dashboard */
void web_dashboard(struct req *r); /* GET  /dashboard   the dashboard (驾驶舱) */
/* 1 when "/" is the user's inbox rather than the dashboard: a handler who
 * neither supervises nor leads. */
int web_home_is_inbox(struct req *r);
/* 1 when the user only reports (a grid's, an enterprise's): "/" sends them
 * to their own matters (/report or /requests), the menu has no dashboard. */
int web_home_is_reporter(struct req *r);
void web_notices(struct req *r); /* GET  /notices     period and scope, preview, issued ones */
void web_notices_issue(struct req *r); /* POST /notices     issue one, then its page */
void web_notice(struct req *r);        /* GET  /notices/{id} an issued notice as issued */
/* notice_draft.c: a notice's draft → sign-off (签发) */
void web_notice_drafts_create(
    struct req *r);                        /* POST /notices/drafts       draft from the preview */
void web_notice_draft(struct req *r);      /* GET  /notices/drafts/{id}  the draft, its steps */
void web_notice_draft_edit(struct req *r); /* POST /notices/drafts/{id}  change its texts */
void web_notice_draft_confirm(struct req *r); /* GET  …/{id}/sign  签发后不可撤回: confirm */
void web_notice_draft_sign(struct req *r);    /* POST …/{id}/sign  sign: issue, then its page */
/* The dashboard's charts (notices.c): lights, units, the overdue trend, due
 * soon, top and bottom units, as inline SVG. */
void notices_dashboard(struct req *r, struct db *db);
/* Compute the city's dashboard figures on a reader of pool and keep them for
 * the views (the scheduler calls it after each day's run), logging the time
 * it took: the first dashboard of a day no longer waits seconds for them. */
void notices_dashboard_warm(struct db_pool *pool);
/* request_tile.c: the requests tile of the dashboard (the city's figures this year), for
 * supervisors, admins and leaders; nothing for the others or when it cannot be read. */
void requests_dashboard(struct req *r, struct db *db);
/* The dashboard's 低效用地整治 tile (web/remediation.c): the city's 亩 done against the
 * target, for the office and the leaders, once there is any remediation. */
void remediation_dashboard(struct req *r, struct db *db);
/* A remediation's own fields (its part of the item's JSON, or NULL: nothing) as
 * <dt>/<dd> rows of the item page's fields (web/remediation.c). */
void remediation_item_fields(struct req *r, json_t *part);
void web_login_get(struct req *r);        /* GET  /login       the login form */
void web_login_post(struct req *r);       /* POST /login       check, set the cookie, redirect */
void web_logout(struct req *r);           /* POST /logout      revoke the session */
void web_account_password(struct req *r); /* GET /account/password   the form */
void web_account_password_post(struct req *r); /* POST /account/password  change it */
void web_units(struct req *r);                 /* GET  /units       the unit tree */
void web_items(struct req *r);                 /* GET  /items       the item list with filters */
void web_item(struct req *r);                  /* GET  /items/{id}  one item with its timeline */
void web_item_new_get(struct req *r);          /* GET  /items/new   the form for a new item */
void web_item_new_post(struct req *r);         /* POST /items/new   create it */
void web_item_act(struct req *r);      /* POST /items/{id}/act   take an action from a form */
void web_item_delegate(struct req *r); /* POST /items/{id}/delegate  转办/分办 to a unit below */
void web_item_tree(struct req *r);     /* GET  /items/{id}/tree  the plan tree */
void web_inbox(struct req *r);         /* GET  /inbox       the unit's inbox (待办) */
void web_feedback_get(struct req *r);  /* GET  /feedback    batch feedback form */
void web_feedback_post(struct req *r); /* POST /feedback    file it, all or nothing */
/* import.c: a 任务分解表 uploaded, previewed with its problems, confirmed */
void web_efficiency(struct req *r);      /* GET  /efficiency  a year of the 亩均效益评价 */
void web_efficiency_post(struct req *r); /* POST /efficiency  the office's upload, config, steps */
void web_efficiency_objection(
    struct req *r);                      /* POST /efficiency/objection  an enterprise objects */
void web_import_get(struct req *r);      /* GET  /import               the upload form */
void web_import_post(struct req *r);     /* POST /import               preview, or store */
void web_import_template(struct req *r); /* GET  /import/template.xlsx the template */
void web_intake_get(struct req *r);      /* GET  /intake      paste a meeting report */
void web_intake_post(struct req *r);     /* POST /intake      its cleaned text and directives */
void web_meetings_post(struct req *r);   /* POST /meetings    store it with the picked drafts */
void web_meeting(struct req *r);         /* GET  /meetings/{id}  paragraphs and items */
/* On an item's page: a <dt>/<dd> pair linking to the meeting paragraph the
 * item came from; nothing for items not from a meeting. */
void web_meeting_link(struct req *r, int64_t item_id);

/* board.c: the public board of challenges (揭榜挂帅) and applying */
void web_board(struct req *r);            /* GET  /board       the public board, no login */
void web_board_challenge(struct req *r);  /* GET  /board/{id}  one challenge; applications */
void web_board_apply_post(struct req *r); /* POST /board/{id}/apply  file an application */
/* request.c: the enterprise requests' page */
void web_requests(struct req *r);      /* GET  /requests     file, follow and rate requests */
void web_requests_post(struct req *r); /* POST /requests     file a request */
void web_request_act(struct req *r);   /* POST /requests/{id}/act  rate, follow up, redo, explain */
void web_request_stats(struct req *r); /* GET  /requests/stats  the figures per lead unit */
void web_remediations(struct req *r);  /* GET  /remediations  低效用地整治 by town */
/* instructions.c: the 批示件 pages */
void web_instructions(struct req *r);      /* GET  /instructions  the month's 批示件, register */
void web_instructions_post(struct req *r); /* POST /instructions  register one */
void web_instruction(struct req *r);       /* GET  /instructions/{id} one 批示件 */
void web_instruction_close(struct req *r); /* POST /instructions/{id}/close 办结 */
void web_instruction_spawn(struct req *r); /* POST /instructions/{id}/items turn into an item */
/* report.c, hazard.c, campaign.c: the hazard loop's pages */
void web_report_get(struct req *r);     /* GET  /report       the phone reporting page */
void web_report_post(struct req *r);    /* POST /report       report (multipart, with a photo) */
void web_hazards(struct req *r);        /* GET  /hazards      triage queue */
void web_hazard_triage(struct req *r);  /* POST /hazards/{id}/triage  triage (and assign) */
void web_hazard_view(struct req *r);    /* GET  /hazards/{id} one hazard with its photos */
void web_campaigns(struct req *r);      /* GET  /campaigns    campaigns with figures */
void web_campaigns_post(struct req *r); /* POST /campaigns    a new campaign (supervisors) */
void web_campaign(struct req *r);       /* GET  /campaigns/{id} one campaign by town and grid */

/* assessment.c: the 考核 */
void web_assessment(struct req *r);      /* GET  /assessment  the ranking, or one unit's entries */
void web_assessment_post(struct req *r); /* POST /assessment  an entry, or a withdrawal */
/* The dashboard's 考核 card: the lowest scores of the year so far and the
 * consequences fired this month, as far as the actor sees them; nothing
 * when they cannot be read. */
void assessment_dashboard(struct req *r, struct db *db);
/* The city's 考核 card (every unit, both languages) computed and kept for the
 * day's views: the scheduler's thread calls it after the day's run. */
void assessment_dashboard_warm(struct db_pool *pool);
/* What the scheduler computes for the day's dashboards after its run: the
 * city's figures and its 考核 card. */
void web_dashboard_warm(struct db_pool *pool);
/* From how long (ms) a dashboard card's last computation took, a view
 * shows it as it was while it is computed again away from the view
 * (frag_cache.h; luoshi serve --card-wait, default 100). */
void web_card_wait(int64_t ms);
void web_assessment_objection(struct req *r); /* POST /assessment/objection  a unit objects */
void web_assessment_decide(struct req *r);    /* POST /assessment/decide  the office decides */
/* The 待办 card of the office's pending 考核 objections (list: the inbox's
 * "objections", assessment_objections_json's rows). */
void assessment_objections_card(struct req *r, json_t *list);
/* review.c: review before a unit reports (报送审核) */
/* The 待办 cards of the inbox inbox (inbox_json's): a unit head's reports
 * waiting (待审核的报送) with the approve and send-back forms, and the
 * caller's reports sent back, when there are any. */
void review_cards(struct req *r, json_t *inbox);
void web_review_decide(struct req *r); /* POST /reviews/{id}  a unit head approves or sends back */
void web_unit_review(struct req *r);   /* POST /units/{id}/review  the office turns review on/off */

/* admin.c: the admin section (管理) */
void web_admin_keywords(struct req *r);      /* GET  /admin/keywords   the keyword → unit table */
void web_admin_keywords_post(struct req *r); /* POST /admin/keywords   add or remove a row */
/* admin_requests.c: the request categories (admins change and add them) and the routing rules */
void web_admin_request_categories(struct req *r);
void web_admin_request_categories_post(struct req *r);
void web_admin_calendar(struct req *r); /* GET  /admin/calendar   holidays and 调休 by year */
void web_admin_calendar_post(struct req *r); /* POST /admin/calendar   add, remove, import */
void web_admin_deductions(struct req *r);    /* GET  /admin/deductions the 考核 ledger */
void web_admin_settings(struct req *r);      /* GET  /admin/settings   the rules */
void web_admin_settings_post(struct req *r); /* POST /admin/settings   change them */
void web_admin_history(struct req *r);       /* GET  /admin/history    the configuration chain */
/* admin_users.c, admin_units.c, admin_apikeys.c: people, units and keys (admins) */
void web_admin_users(struct req *r);        /* GET  /admin/users      every user */
void web_admin_users_post(struct req *r);   /* POST /admin/users      add, edit, password, … */
void web_admin_units(struct req *r);        /* GET  /admin/units      the unit tree */
void web_admin_units_post(struct req *r);   /* POST /admin/units      add, rename, move */
void web_admin_apikeys(struct req *r);      /* GET  /admin/apikeys    Open311 keys */
void web_admin_apikeys_post(struct req *r); /* POST /admin/apikeys    create, revoke */
/* outbox.c: the delivery channels and the outbox (admins) */
void web_admin_channels(struct req *r);      /* GET  /admin/channels   email, webhook, robot */
void web_admin_channels_post(struct req *r); /* POST /admin/channels   change one */
void web_admin_outbox(struct req *r);        /* GET  /admin/outbox     pending and dead rows */
void web_admin_outbox_post(struct req *r);   /* POST /admin/outbox     retry */
/* messages.c: the user's messages and how they are reached */
void web_messages(struct req *r);      /* GET  /messages   消息 */
void web_messages_post(struct req *r); /* POST /messages   mark read */
void web_prefs(struct req *r);         /* GET  /prefs      提醒方式 */
void web_prefs_post(struct req *r);    /* POST /prefs      change them */
/* The admin section's sub-navigation, with the page at path on marked. */
void web_admin_tabs(struct req *r, const char *on);

#endif
