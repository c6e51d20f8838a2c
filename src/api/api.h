/* api.h — the JSON API (/api/v1) handlers.  Each handler is one row of
 * app/routes.c; none checks logins, roles or CSRF itself (the dispatcher
 * did), and object-level checks go through core/perm. */
#ifndef LUOSHI_API_API_H
#define LUOSHI_API_API_H

struct db;
struct req;

/* The request's reader connection, or NULL after answering 503
 * database_unavailable ("the database cannot be reached"). */
struct db *api_db(struct req *r);

void api_healthz(struct req *r);
void api_session_create(struct req *r);
void api_session_delete(struct req *r);
void api_me(struct req *r);
void api_me_password(struct req *r);
void api_units_list(struct req *r);
void api_units_create(struct req *r);
/* Review before a unit reports (api/reviews.c). */
void api_reviews(struct req *r);
void api_review_decide(struct req *r);
void api_units_review(struct req *r);
void api_unit_review_set(struct req *r);
/* The 批示件 register (instruction_files.c). */
void api_ifiles_list(struct req *r);
void api_ifiles_create(struct req *r);
void api_ifile_get(struct req *r);
void api_ifile_spawn(struct req *r);
void api_ifile_close(struct req *r);
void api_items_list(struct req *r);
void api_items_create(struct req *r);
/* POST /api/v1/requests' write: POST /api/v1/items' for a body whose kind
 * the caller set, without the rule of who creates which items (the route
 * says who files). */
void api_items_file(struct req *r);
void api_item_get(struct req *r);
void api_item_events(struct req *r);
/* GET /api/v1/items/{id}/proof: the item's events and audit path to the
 * latest signed checkpoint (audit.c). */
void api_item_proof(struct req *r);
/* GET /api/v1/config-history: the configuration chain, newest first (audit.c). */
void api_config_history(struct req *r);
void api_item_act(struct req *r);
void api_item_records(struct req *r);
void api_item_tree(struct req *r);
void api_feedback_batch(struct req *r);
void api_inbox(struct req *r);
void api_inbox_counts(struct req *r);
/* Messages, preferences, channels and the outbox (reach.c). */
void api_messages(struct req *r);
void api_messages_read(struct req *r);
void api_prefs(struct req *r);
void api_prefs_set(struct req *r);
void api_channels(struct req *r);
void api_channels_set(struct req *r);
void api_outbox(struct req *r);
void api_outbox_retry(struct req *r);
void api_intake(struct req *r);
/* POST /api/v1/imports?name=FILE[&dry_run=1]: a 任务分解表 (.xlsx or CSV as
 * the raw body) → 200 the plan (dry run), 201 the plan with the items, or
 * 422 import_invalid with every row's problems (core/import.h). */
void api_imports_create(struct req *r);
void api_meetings_create(struct req *r);
void api_meeting_get(struct req *r);
void api_static(struct req *r);
/* hazards.c: the hazard loop's own endpoints and campaigns */
void api_hazards_create(struct req *r);
void api_hazard_get(struct req *r);
void api_item_photo_add(struct req *r);
/* POST /api/v1/items/{id}/attachments?name=FILE: store the raw body as
 * evidence on the item (core/attachment.h) → 201 {"id","name","mime",
 * "bytes","sha256"}. */
void api_item_attachment_add(struct req *r);
/* GET /attachments/{id} and /api/v1/attachments/{id}: the file, as a
 * download, to those who see the item's record; 404 to anyone else. */
void api_attachment_get(struct req *r);
/* GET /api/v1/documents/{id}: an item's document (core/document.h) as it
 * was issued, a PDF download, to those who see the item's record; 404. */
void api_document_get(struct req *r);
/* GET /api/v1/documents/{id}/copy: a fresh rendering of the document with
 * its 签收回执 line filled once the unit has answered; 404 as above. */
void api_document_copy(struct req *r);
/* GET /api/v1/items/{id}/dossier.pdf: the item's dossier (立卷归档) as it
 * stands now, unnumbered (the one filed at archive is among its documents);
 * 404 to those who do not see the item's record. */
void api_item_dossier(struct req *r);
void api_photo_get(struct req *r);
void api_hazard_categories(struct req *r);
void api_hazard_routes(struct req *r);
void api_hazard_routes_set(struct req *r);
void api_campaigns_list(struct req *r);
void api_campaigns_create(struct req *r);
void api_campaign_get(struct req *r);
void api_campaign_attach(struct req *r);
/* challenges.c: the public board, and a challenge's applications (file, read) */
void api_board(struct req *r);
void api_challenge_apply(struct req *r);
void api_challenge_applications(struct req *r);
/* requests.c: the enterprise request's filing, categories, routing and figures */
void api_requests_create(struct req *r);
void api_request_categories(struct req *r);
void api_request_categories_set(struct req *r);
void api_request_routes(struct req *r);
void api_request_routes_set(struct req *r);
void api_request_stats(struct req *r);
void api_remediation_summary(struct req *r);
/* open311.c: GET and POST /open311/v2/… (its own sub-dispatcher) */
void api_open311(struct req *r);

/* notice_drafts.c: a notice's draft → sign-off (签发): GET one with the
 * number it would take, POST a new one (201), POST {id} to edit it, POST
 * {id}/sign {"confirm":true} to issue it (422 confirm_required without). */
void api_notice_draft_get(struct req *r);
void api_notice_drafts_create(struct req *r);
void api_notice_draft_edit(struct req *r);
void api_notice_draft_sign(struct req *r);

/* setting_texts.c: the documents' text settings (core/setting_text.h):
 * GET the list with defaults, POST {"key": "text", …} to change some. */
void api_setting_texts(struct req *r);
void api_setting_texts_set(struct req *r);

/* notices.c: supervision notices (督查通报) */
void api_notices_list(struct req *r);
void api_notices_issue(struct req *r);
void api_notice_get(struct req *r);

/* admin.c: the admin section's JSON twins */
void api_keywords_list(struct req *r);
void api_keywords_add(struct req *r);
void api_keywords_remove(struct req *r);
void api_calendar(struct req *r);
void api_calendar_set(struct req *r);
void api_deductions(struct req *r);
/* The 考核 (api/assessment.c). */
void api_assessment(struct req *r);
void api_assessment_entry_add(struct req *r);
void api_assessment_objection_add(struct req *r);    /* a unit objects to its entry */
void api_assessment_objection_decide(struct req *r); /* the office accepts or rejects */
void api_assessment_objections(struct req *r);       /* the objections (a unit: its own) */
void api_assessment_rules(struct req *r);
void api_assessment_rules_set(struct req *r);
/* The 亩均效益评价 (api/efficiency.c), year {id}. */
void api_efficiency_config(struct req *r);
void api_efficiency_config_set(struct req *r);
void api_efficiency_data(struct req *r); /* a sheet, all or nothing; ?dry_run=1 */
void api_efficiency_evaluate(struct req *r);
void api_efficiency_finalize(struct req *r);         /* answers the C/D list as "remediation" */
void api_efficiency_objection_add(struct req *r);    /* an enterprise objects */
void api_efficiency_objection_decide(struct req *r); /* the office accepts or rejects */
void api_efficiency_objections(struct req *r);
void api_efficiency_publish(struct req *r);
void api_efficiency_results(struct req *r); /* ?format=json|csv|xlsx */
void api_settings(struct req *r);
void api_settings_set(struct req *r);

#endif
