/* routes.c — every route of the server, one row each, sorted by pattern and
 * method (a unit test checks the order, uniqueness and documentation).
 * The dispatcher (route.c) enforces the roles and flags; handlers live in
 * api/ and web/. */
#include "http/route.h"

#include "api/api.h"
#include "core/core.h"
#include "web/web.h"

#define ANY ROLE_ALL
#define SUPERVISE (ROLE_ADMIN | ROLE_SUPERVISOR)

const struct route routes[] = {
    {"GET", "/", web_home, ANY, ROUTE_PAGE, "the landing page: a handler's inbox, else the dashboard"},
    {"GET", "/api/v1/campaigns", api_campaigns_list, ANY, 0, "campaigns (一月一主题)"},
    {"POST", "/api/v1/campaigns", api_campaigns_create, SUPERVISE, ROUTE_JSON,
     "create a monthly campaign"},
    {"GET", "/api/v1/campaigns/{id}", api_campaign_get, ANY, 0,
     "a campaign with its figures by town and grid"},
    {"POST", "/api/v1/campaigns/{id}/items", api_campaign_attach, SUPERVISE, ROUTE_JSON,
     "attach an item to a campaign"},
    {"POST", "/api/v1/feedback", api_feedback_batch, ANY, ROUTE_JSON,
     "batch feedback on several items, all or nothing"},
    {"GET", "/api/v1/hazard-categories", api_hazard_categories, ANY, 0,
     "the hazard taxonomy (the Open311 services)"},
    {"GET", "/api/v1/hazard-routes", api_hazard_routes, ANY, 0,
     "routing rules category × area → unit (?history=1 for all)"},
    {"POST", "/api/v1/hazard-routes", api_hazard_routes_set, SUPERVISE, ROUTE_JSON,
     "set a routing rule, keeping the old one as history"},
    {"POST", "/api/v1/hazards", api_hazards_create, ROLE_REPORTER | SUPERVISE, ROUTE_JSON,
     "report a hazard"},
    {"GET", "/api/v1/hazards/{id}", api_hazard_get, ANY, 0, "a hazard: the item and its hazard part"},
    {"GET", "/api/v1/inbox", api_inbox, ANY, 0, "the caller's inbox (待办)"},
    {"POST", "/api/v1/intake", api_intake, SUPERVISE | ROLE_LEADER, ROUTE_JSON,
     "read a meeting report: paragraphs, articles, meetings, directives"},
    {"GET", "/api/v1/items", api_items_list, ANY, 0, "list visible items with filters"},
    {"POST", "/api/v1/items", api_items_create, SUPERVISE, ROUTE_JSON, "create an item"},
    {"GET", "/api/v1/items/{id}", api_item_get, ANY, 0, "one item with allowed_actions"},
    {"POST", "/api/v1/items/{id}/actions", api_item_act, ANY, ROUTE_JSON,
     "take an action of the supervision loop"},
    {"GET", "/api/v1/items/{id}/events", api_item_events, ANY, 0, "an item's event chain"},
    {"POST", "/api/v1/items/{id}/photos", api_item_photo_add, ANY, ROUTE_UPLOAD,
     "add a photo (raw image/jpeg or image/png, ?phase=report|after)"},
    {"GET", "/api/v1/items/{id}/records", api_item_records, ANY, 0,
     "an item's feedback, extensions, urges, escalations, instructions"},
    {"GET", "/api/v1/items/{id}/tree", api_item_tree, ANY, 0,
     "the project list of a subtree (json, csv, xlsx)"},
    {"GET", "/api/v1/me", api_me, ANY, 0, "the logged-in user"},
    {"POST", "/api/v1/meetings", api_meetings_create, SUPERVISE, ROUTE_JSON,
     "store a meeting report and create the chosen drafts"},
    {"GET", "/api/v1/meetings/{id}", api_meeting_get, ANY, 0,
     "a meeting with its paragraphs and visible items"},
    {"DELETE", "/api/v1/session", api_session_delete, ANY, 0, "revoke this bearer token"},
    {"POST", "/api/v1/session", api_session_create, 0, ROUTE_JSON, "log in; get a bearer token"},
    {"GET", "/api/v1/units", api_units_list, ANY, 0, "list units"},
    {"POST", "/api/v1/units", api_units_create, ROLE_ADMIN, ROUTE_JSON, "add a unit"},
    {"GET", "/dashboard", web_dashboard, ANY, ROUTE_PAGE, "the dashboard (驾驶舱)"},
    {"GET", "/feedback", web_feedback_get, ANY, ROUTE_PAGE, "batch feedback form (report once)"},
    {"POST", "/feedback", web_feedback_post, ANY, ROUTE_PAGE | ROUTE_FORM,
     "file the batch feedback, all or nothing"},
    {"GET", "/healthz", api_healthz, 0, 0, "liveness and database check"},
    {"GET", "/inbox", web_inbox, ANY, ROUTE_PAGE, "the inbox (待办) of the user's unit"},
    {"GET", "/intake", web_intake_get, SUPERVISE, ROUTE_PAGE, "meeting intake: paste a report"},
    {"POST", "/intake", web_intake_post, SUPERVISE, ROUTE_PAGE | ROUTE_FORM,
     "meeting intake: the cleaned text and directives to pick"},
    {"GET", "/items", web_items, ANY, ROUTE_PAGE, "item list page"},
    {"GET", "/items/new", web_item_new_get, SUPERVISE, ROUTE_PAGE, "new item form"},
    {"POST", "/items/new", web_item_new_post, SUPERVISE, ROUTE_PAGE | ROUTE_FORM, "create an item"},
    {"GET", "/items/{id}", web_item, ANY, ROUTE_PAGE, "item page with timeline"},
    {"POST", "/items/{id}/act", web_item_act, ANY, ROUTE_PAGE | ROUTE_FORM,
     "take an action from the item page's forms"},
    {"GET", "/items/{id}/tree", web_item_tree, ANY, ROUTE_PAGE,
     "the plan tree (项目清单) under an item, with progress"},
    {"GET", "/login", web_login_get, 0, ROUTE_PAGE, "login form"},
    {"POST", "/login", web_login_post, 0, ROUTE_PAGE | ROUTE_FORM | ROUTE_NO_CSRF, "log in"},
    {"POST", "/logout", web_logout, ANY, ROUTE_PAGE | ROUTE_FORM, "log out"},
    {"POST", "/meetings", web_meetings_post, SUPERVISE, ROUTE_PAGE | ROUTE_FORM,
     "store a meeting with the drafts picked on the intake page"},
    {"GET", "/meetings/{id}", web_meeting, ANY, ROUTE_PAGE, "a meeting's paragraphs and items"},
    {"GET", "/photos/{id}", api_photo_get, ANY, 0, "a hazard photo, to those who see the hazard"},
    {"GET", "/static/app.js", api_static, 0, 0, "progressive enhancement script"},
    {"GET", "/static/intake.css", api_static, 0, 0, "the intake and meeting pages' styles"},
    {"GET", "/static/intake.js", api_static, 0, 0, "reads a chosen .txt into the intake box"},
    {"GET", "/static/style.css", api_static, 0, 0, "the style sheet"},
    {"GET", "/units", web_units, ANY, ROUTE_PAGE, "unit tree page"},
};

const size_t routes_count = sizeof routes / sizeof routes[0];
