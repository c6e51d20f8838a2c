// The permissions matrix: every route of the binary (as `luoshi routes --json`
// prints its table) × every role (admin, supervisor, leader, handler,
// reporter, applicant) × the object of the user's own unit, of another unit, and no
// login, each with its exact expected status.  A route the binary serves
// without a row here fails the first test by name, and so does a row without a
// route: a new route cannot ship without someone deciding who may call it.
//
// API routes are called with a bearer token, pages with the session cookie
// (and, for their POSTs, the page's CSRF token: this matrix is about who may,
// tests/e2e/csrf.test.js is about forged posts).  POST bodies are minimal and
// invalid on purpose: the dispatcher answers 401/403 before it looks at a
// body, so a role that may call the route gets the handler's refusal of the
// body (400/404/409/422) and nothing changes; one that may not gets 403.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { startServer, cli } = require('../lib/server.js');

const ROLES = ['admin', 'supervisor', 'leader', 'handler', 'reporter', 'applicant'];
// the demo login holding each role, and its unit
const USER = { admin: 'admin', supervisor: 'supervisor', leader: 'leader', handler: 'yjj', reporter: 'grid',
  applicant: 'jiebang' };
const UNIT = { admin: 'swb', supervisor: 'dcs', leader: 'swb', handler: 'yjj', reporter: 'dc-01', applicant: 'hdkj' };
const SEES_ALL = new Set(['admin', 'supervisor', 'leader']);
const ANY = ROLES;
const SUP = ['admin', 'supervisor'];
const NOTICE = ['admin', 'supervisor', 'leader'];
// The own hazard is triaged to the handler's unit but not yet assigned: a
// draft is the office's until then (issue 17, major 4), so the handler gets
// the refusal a stranger gets; everyone else what the row says.  An applicant
// (an enterprise's 揭榜 contact) sees no hazard: it gets the stranger's refusal too.
const UNASSIGNED = (ok, handler) => ({ admin: ok, supervisor: ok, leader: ok, handler, reporter: ok,
  applicant: handler });
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

// One row per route.  roles: who gets past the dispatcher (others get 403;
// [] = public).  id: which object {id} stands for.  ok: the status for a role
// that may call it on a visible object (a number, or {role: status}).
// other: the status for a handler or reporter on another unit's object (only
// rows with a unit-scoped id).  anon: without a login (default 401 for API,
// 303 to /login for pages, ok for public routes).  path: the concrete path
// when the pattern ends in *.  body/form/upload: what a POST sends.
// fresh: the call ends its session (logout), so it gets a session of its own.
const ROWS = [
  // a reporter only reports: "/" sends them on to /report (issue 17)
  // …and an applicant only applies: on to /board
  { m: 'GET', p: '/', roles: ANY, ok: { admin: 200, supervisor: 200, leader: 200, handler: 200, reporter: 303,
    applicant: 303 } },
  { m: 'GET', p: '/account/password', roles: ANY, ok: 200 },
  { m: 'POST', p: '/account/password', roles: ANY, form: {}, ok: 422 },
  { m: 'GET', p: '/admin/apikeys', roles: ['admin'], ok: 200 },
  { m: 'POST', p: '/admin/apikeys', roles: ['admin'], form: {}, ok: 422 },
  { m: 'GET', p: '/admin/calendar', roles: SUP, ok: 200 },
  { m: 'GET', p: '/admin/channels', roles: ['admin'], ok: 200 },
  { m: 'POST', p: '/admin/channels', roles: ['admin'], form: {}, ok: 422 },
  { m: 'POST', p: '/admin/calendar', roles: ['admin'], form: {}, ok: 422 },
  { m: 'GET', p: '/admin/deductions', roles: SUP, ok: 200 },
  { m: 'GET', p: '/admin/history', roles: SUP, ok: 200 },
  { m: 'GET', p: '/admin/keywords', roles: SUP, ok: 200 },
  { m: 'POST', p: '/admin/keywords', roles: ['admin'], form: {}, ok: 422 },
  { m: 'GET', p: '/admin/outbox', roles: ['admin'], ok: 200 },
  { m: 'POST', p: '/admin/outbox', roles: ['admin'], form: {}, ok: 422 },
  { m: 'GET', p: '/admin/request-categories', roles: SUP, ok: 200 },
  { m: 'POST', p: '/admin/request-categories', roles: ['admin'], form: {}, ok: 422 },
  { m: 'GET', p: '/admin/settings', roles: SUP, ok: 200 },
  { m: 'POST', p: '/admin/settings', roles: ['admin'], form: {}, ok: 422 },
  { m: 'GET', p: '/admin/units', roles: ['admin'], ok: 200 },
  { m: 'POST', p: '/admin/units', roles: ['admin'], form: {}, ok: 422 },
  { m: 'GET', p: '/admin/users', roles: ['admin'], ok: 200 },
  { m: 'POST', p: '/admin/users', roles: ['admin'], form: {}, ok: 422 },
  { m: 'GET', p: '/api/v1/assessment', roles: ANY, ok: 200 },
  { m: 'POST', p: '/api/v1/assessment/entries', roles: NOTICE, body: {}, ok: 422 },
  { m: 'POST', p: '/api/v1/assessment/entries/{id}/objection', path: '/api/v1/assessment/entries/999999/objection', roles: ANY, body: {}, ok: 422 },
  { m: 'GET', p: '/api/v1/assessment/objections', roles: ANY, ok: 200 },
  { m: 'POST', p: '/api/v1/assessment/objections/{id}', path: '/api/v1/assessment/objections/999999', roles: SUP, body: {}, ok: 422 },
  { m: 'GET', p: '/api/v1/assessment/rules', roles: NOTICE, ok: 200 },
  { m: 'POST', p: '/api/v1/assessment/rules', roles: ['admin'], body: {}, ok: 422 },
  { m: 'GET', p: '/api/v1/attachments/{id}', id: 'attachment', roles: ANY,
    ok: { admin: 200, supervisor: 200, leader: 200, handler: 200, reporter: 404, applicant: 404 }, other: 404 },
  { m: 'GET', p: '/api/v1/board', roles: [], ok: 200 },
  { m: 'GET', p: '/api/v1/calendar', roles: SUP, ok: 200 },
  { m: 'POST', p: '/api/v1/calendar', roles: ['admin'], body: {}, ok: 422 },
  { m: 'GET', p: '/api/v1/campaigns', roles: ANY, ok: 200 },
  { m: 'POST', p: '/api/v1/campaigns', roles: SUP, body: {}, ok: 422 },
  { m: 'GET', p: '/api/v1/campaigns/{id}', id: 'campaign', roles: ANY, ok: 200 },
  { m: 'POST', p: '/api/v1/campaigns/{id}/items', id: 'campaign', roles: SUP, body: {}, ok: 422 },
  { m: 'GET', p: '/api/v1/channels', roles: ['admin'], ok: 200 },
  { m: 'POST', p: '/api/v1/channels', roles: ['admin'], body: {}, ok: 422 },
  { m: 'GET', p: '/api/v1/config-history', roles: SUP, ok: 200 },
  { m: 'GET', p: '/api/v1/deductions', roles: SUP, ok: 200 },
  { m: 'GET', p: '/api/v1/documents/{id}', id: 'document', roles: ANY,
    ok: { admin: 200, supervisor: 200, leader: 200, handler: 200, reporter: 404, applicant: 404 }, other: 404 },
  { m: 'GET', p: '/api/v1/documents/{id}/copy', id: 'document', roles: ANY,
    ok: { admin: 200, supervisor: 200, leader: 200, handler: 200, reporter: 404, applicant: 404 }, other: 404 },
  // the 亩均效益评价 (issue 21): year 2030 has no data, so each call is refused after the role check
  { m: 'POST', p: '/api/v1/efficiency/objections/{id}', path: '/api/v1/efficiency/objections/999999', roles: SUP, body: {}, ok: 422 },
  { m: 'GET', p: '/api/v1/efficiency/{id}/config', path: '/api/v1/efficiency/2030/config', roles: NOTICE, ok: 200 },
  { m: 'POST', p: '/api/v1/efficiency/{id}/config', path: '/api/v1/efficiency/2030/config', roles: SUP, body: {}, ok: 422 },
  { m: 'POST', p: '/api/v1/efficiency/{id}/data', path: '/api/v1/efficiency/2030/data', roles: SUP, file: true, ok: 400 },
  { m: 'POST', p: '/api/v1/efficiency/{id}/evaluate', path: '/api/v1/efficiency/2030/evaluate', roles: SUP, body: {}, ok: 422 },
  { m: 'POST', p: '/api/v1/efficiency/{id}/finalize', path: '/api/v1/efficiency/2030/finalize', roles: SUP, body: {}, ok: 409 },
  { m: 'GET', p: '/api/v1/efficiency/{id}/objections', path: '/api/v1/efficiency/2030/objections', roles: ANY, ok: 200 },
  { m: 'POST', p: '/api/v1/efficiency/{id}/objections', path: '/api/v1/efficiency/2030/objections', roles: ANY, body: {}, ok: 422 },
  { m: 'POST', p: '/api/v1/efficiency/{id}/publish', path: '/api/v1/efficiency/2030/publish', roles: SUP, body: {}, ok: 409 },
  { m: 'GET', p: '/api/v1/efficiency/{id}/results', path: '/api/v1/efficiency/2030/results', roles: ANY, ok: 200 },
  { m: 'POST', p: '/api/v1/feedback', roles: ANY, body: {}, ok: 422 },
  { m: 'GET', p: '/api/v1/hazard-categories', roles: ANY, ok: 200 },
  { m: 'GET', p: '/api/v1/hazard-routes', roles: ANY, ok: 200 },
  { m: 'POST', p: '/api/v1/hazard-routes', roles: SUP, body: {}, ok: 422 },
  { m: 'POST', p: '/api/v1/hazards', roles: ['admin', 'supervisor', 'reporter'], body: {}, ok: 422 },
  { m: 'GET', p: '/api/v1/hazards/{id}', id: 'hazard', roles: ANY, ok: UNASSIGNED(200, 403), other: 403 },
  // a PNG is no spreadsheet: its NUL bytes are no text
  { m: 'POST', p: '/api/v1/imports', roles: SUP, file: true, ok: 400 },
  { m: 'GET', p: '/api/v1/inbox', roles: ANY, ok: 200 },
  { m: 'GET', p: '/api/v1/inbox/counts', roles: ANY, ok: 200 },
  { m: 'POST', p: '/api/v1/intake', roles: ['admin', 'supervisor', 'leader'], body: {}, ok: 422 },
  // the 批示件 register (issue 18): the office and the leaders
  { m: 'GET', p: '/api/v1/instruction-files', roles: NOTICE, ok: 200 },
  { m: 'POST', p: '/api/v1/instruction-files', roles: NOTICE, body: {}, ok: 422 },
  { m: 'GET', p: '/api/v1/instruction-files/{id}', path: '/api/v1/instruction-files/999999', roles: NOTICE, ok: 404 },
  { m: 'POST', p: '/api/v1/instruction-files/{id}/close', path: '/api/v1/instruction-files/999999/close', roles: NOTICE, body: {}, ok: 404 },
  { m: 'POST', p: '/api/v1/instruction-files/{id}/items', path: '/api/v1/instruction-files/999999/items', roles: NOTICE, body: {}, ok: 404 },
  { m: 'GET', p: '/api/v1/items', roles: ANY, ok: 200 },
  // a handler creates only sub-items of its unit's own items (转办/分办, issue 18)
  { m: 'POST', p: '/api/v1/items', roles: [...SUP, 'handler'], body: {}, ok: 422 },
  { m: 'GET', p: '/api/v1/items/{id}', id: 'item', roles: ANY, ok: 200, other: 403 },
  { m: 'POST', p: '/api/v1/items/{id}/actions', id: 'item', roles: ANY, body: { action: 'accept' }, ok: 409, other: 403 },
  { m: 'GET', p: '/api/v1/items/{id}/dossier.pdf', id: 'item', roles: ANY, ok: 200, other: 404 },
  { m: 'GET', p: '/api/v1/items/{id}/events', id: 'item', roles: ANY, ok: 200, other: 403 },
  // evidence: uploaded by whoever may act on the item now (the reporter's own item is
  // cancelled; a leader may instruct on any item), read by whoever sees its record
  // a challenge's applications: the office and leaders read all, an applicant its own
  // (none yet) and files one (the empty body: 422, nothing filed)
  { m: 'GET', p: '/api/v1/items/{id}/applications', id: 'challenge', roles: ['admin', 'supervisor', 'leader', 'applicant'], ok: 200 },
  { m: 'POST', p: '/api/v1/items/{id}/applications', id: 'challenge', roles: ['applicant'], body: {}, ok: 422 },
  { m: 'POST', p: '/api/v1/items/{id}/attachments', id: 'item', roles: ANY, file: true,
    ok: { admin: 201, supervisor: 201, leader: 201, handler: 201, reporter: 403, applicant: 403 }, other: 404 },
  // another unit's hazard is one the handler or reporter cannot see: 404 (finding 9); so is
  // the own unit's while it is not yet assigned, for its handler (issue 17, major 4)
  { m: 'POST', p: '/api/v1/items/{id}/photos', id: 'hazard', roles: ANY, upload: true,
    ok: { admin: 201, supervisor: 201, leader: 403, handler: 404, reporter: 201, applicant: 404 }, other: 404 },
  { m: 'GET', p: '/api/v1/items/{id}/proof', id: 'item', roles: ANY, ok: 200, other: 403 },
  { m: 'GET', p: '/api/v1/items/{id}/records', id: 'item', roles: ANY, ok: 200, other: 403 },
  { m: 'GET', p: '/api/v1/items/{id}/tree', id: 'item', roles: ANY, ok: 200, other: 403 },
  { m: 'GET', p: '/api/v1/keywords', roles: SUP, ok: 200 },
  { m: 'POST', p: '/api/v1/keywords', roles: ['admin'], body: {}, ok: 422 },
  { m: 'POST', p: '/api/v1/keywords/remove', roles: ['admin'], body: {}, ok: 422 },
  { m: 'GET', p: '/api/v1/me', roles: ANY, ok: 200 },
  { m: 'POST', p: '/api/v1/me/password', roles: ANY, body: {}, ok: 422 },
  { m: 'GET', p: '/api/v1/me/prefs', roles: ANY, ok: 200 },
  { m: 'POST', p: '/api/v1/me/prefs', roles: ANY, body: {}, ok: 422 },
  { m: 'POST', p: '/api/v1/meetings', roles: SUP, body: {}, ok: 422 },
  { m: 'GET', p: '/api/v1/meetings/{id}', id: 'meeting', roles: ANY, ok: 200 },
  { m: 'GET', p: '/api/v1/messages', roles: ANY, ok: 200 },
  { m: 'POST', p: '/api/v1/messages/read', roles: ANY, body: {}, ok: 422 },
  { m: 'POST', p: '/api/v1/notice-drafts', roles: SUP, body: {}, ok: 422 },
  { m: 'GET', p: '/api/v1/notice-drafts/{id}', path: '/api/v1/notice-drafts/999999', roles: NOTICE, ok: 404 },
  { m: 'POST', p: '/api/v1/notice-drafts/{id}', path: '/api/v1/notice-drafts/999999', roles: SUP, body: {}, ok: 404 },
  { m: 'POST', p: '/api/v1/notice-drafts/{id}/sign', path: '/api/v1/notice-drafts/999999/sign', roles: ['admin', 'leader'], body: { confirm: true }, ok: 404 },
  { m: 'GET', p: '/api/v1/notices', roles: NOTICE, ok: 200 },
  { m: 'POST', p: '/api/v1/notices', roles: SUP, body: {}, ok: 422 },
  { m: 'GET', p: '/api/v1/openapi.json', roles: [], ok: 200 },
  { m: 'GET', p: '/api/v1/outbox', roles: ['admin'], ok: 200 },
  { m: 'POST', p: '/api/v1/outbox/retry', roles: ['admin'], body: {}, ok: 422 },
  { m: 'GET', p: '/api/v1/notices/{id}', id: 'notice', roles: NOTICE, ok: 200 },
  { m: 'GET', p: '/api/v1/remediations/summary', roles: NOTICE, ok: 200 },
  { m: 'GET', p: '/api/v1/request-categories', roles: ANY, ok: 200 },
  { m: 'POST', p: '/api/v1/request-categories', roles: ['admin'], body: {}, ok: 422 },
  { m: 'GET', p: '/api/v1/request-routes', roles: SUP, ok: 200 },
  { m: 'POST', p: '/api/v1/request-routes', roles: SUP, body: {}, ok: 422 },
  { m: 'POST', p: '/api/v1/requests', roles: ['admin', 'supervisor', 'reporter'], body: {}, ok: 422 },
  { m: 'GET', p: '/api/v1/requests/categories', roles: ANY, ok: 200 },
  { m: 'GET', p: '/api/v1/requests/stats', roles: NOTICE, ok: 200 },
  // review before a unit reports: who decides is core's (a head of the unit); an empty body is 422 first
  { m: 'GET', p: '/api/v1/reviews', roles: ANY, ok: 200 },
  { m: 'POST', p: '/api/v1/reviews/{id}', path: '/api/v1/reviews/999999', roles: ANY, body: {}, ok: 422 },
  { m: 'DELETE', p: '/api/v1/session', roles: ANY, fresh: true, ok: 200 },
  { m: 'POST', p: '/api/v1/session', roles: [], body: {}, ok: 422 },
  { m: 'GET', p: '/api/v1/settings', roles: SUP, ok: 200 },
  { m: 'POST', p: '/api/v1/settings', roles: ['admin'], body: {}, ok: 422 },
  { m: 'GET', p: '/api/v1/settings/texts', roles: SUP, ok: 200 },
  { m: 'POST', p: '/api/v1/settings/texts', roles: ['admin'], body: {}, ok: 422 },
  { m: 'GET', p: '/api/v1/units', roles: ANY, ok: 200 },
  { m: 'POST', p: '/api/v1/units', roles: ['admin'], body: {}, ok: 422 },
  { m: 'GET', p: '/api/v1/units/review', roles: ANY, ok: 200 },
  { m: 'POST', p: '/api/v1/units/{id}/review', path: '/api/v1/units/999999/review', roles: SUP, body: {}, ok: 422 },
  { m: 'GET', p: '/assessment', roles: ANY, ok: 200 },
  { m: 'POST', p: '/assessment', roles: NOTICE, form: {}, ok: 422 },
  { m: 'POST', p: '/assessment/decide', roles: SUP, form: {}, ok: 422 },
  { m: 'POST', p: '/assessment/objection', roles: ANY, form: {}, ok: 422 },
  { m: 'GET', p: '/board', roles: [], ok: 200 },
  { m: 'GET', p: '/board/{id}', id: 'challenge', roles: [], ok: 200 },
  { m: 'POST', p: '/board/{id}/apply', id: 'challenge', roles: ['applicant'], form: {}, ok: 422 },
  { m: 'GET', p: '/campaigns', roles: ANY, ok: 200 },
  { m: 'POST', p: '/campaigns', roles: SUP, form: {}, ok: 422 },
  { m: 'GET', p: '/campaigns/{id}', id: 'campaign', roles: ANY, ok: 200 },
  { m: 'GET', p: '/dashboard', roles: ANY, ok: 200 },
  { m: 'GET', p: '/efficiency', roles: ANY, ok: 200 },
  { m: 'POST', p: '/efficiency', roles: SUP, form: {}, ok: 422 },
  { m: 'POST', p: '/efficiency/objection', roles: ANY, form: {}, ok: 422 },
  { m: 'GET', p: '/feedback', roles: ANY, ok: 200 },
  { m: 'POST', p: '/feedback', roles: ANY, form: {}, ok: 422 },
  { m: 'GET', p: '/hazards', roles: SUP, ok: 200 },
  { m: 'GET', p: '/hazards/{id}', id: 'hazard', roles: ANY, ok: UNASSIGNED(200, 403), other: 403 },
  { m: 'POST', p: '/hazards/{id}/triage', id: 'hazard', roles: SUP, form: { level: 'no_such_level' }, ok: 422 },
  { m: 'GET', p: '/healthz', roles: [], ok: 200 },
  { m: 'GET', p: '/import', roles: SUP, ok: 200 },
  { m: 'POST', p: '/import', roles: SUP, form: {}, ok: 422 },
  { m: 'GET', p: '/import/template.xlsx', roles: SUP, ok: 200, anon: 401 },
  { m: 'GET', p: '/inbox', roles: ANY, ok: 200 },
  { m: 'GET', p: '/intake', roles: SUP, ok: 200 },
  { m: 'POST', p: '/intake', roles: SUP, form: {}, ok: 422 },
  // the 批示件 pages (issue 18): the office and the leaders; an empty form is refused, a missing file 404
  { m: 'GET', p: '/instructions', roles: NOTICE, ok: 200 },
  { m: 'POST', p: '/instructions', roles: NOTICE, form: {}, ok: 422 },
  { m: 'GET', p: '/instructions/{id}', path: '/instructions/999999', roles: NOTICE, ok: 404 },
  { m: 'POST', p: '/instructions/{id}/close', path: '/instructions/999999/close', roles: NOTICE, form: {}, ok: 404 },
  { m: 'POST', p: '/instructions/{id}/items', path: '/instructions/999999/items', roles: NOTICE, form: {}, ok: 404 },
  { m: 'GET', p: '/items', roles: ANY, ok: 200 },
  { m: 'GET', p: '/items/new', roles: SUP, ok: 200 },
  { m: 'POST', p: '/items/new', roles: SUP, form: {}, ok: 422 },
  { m: 'GET', p: '/items/{id}', id: 'item', roles: ANY, ok: 200, other: 403 },
  { m: 'POST', p: '/items/{id}/act', id: 'item', roles: ANY, form: {}, ok: 422, other: 403 },
  // 转办/分办 (issue 18): the empty form is refused on the own item's page; another unit's is not seen
  { m: 'POST', p: '/items/{id}/delegate', id: 'item', roles: ['handler'], form: {}, ok: 422, other: 403 },
  { m: 'GET', p: '/items/{id}/tree', id: 'item', roles: ANY, ok: 200, other: 403 },
  { m: 'GET', p: '/login', roles: [], ok: 303, anon: 200 }, // logged in: on to /
  { m: 'POST', p: '/login', roles: [], form: {}, ok: 401 },
  { m: 'POST', p: '/logout', roles: ANY, form: {}, fresh: true, ok: 303 },
  { m: 'POST', p: '/meetings', roles: SUP, form: {}, ok: 422 },
  { m: 'GET', p: '/meetings/{id}', id: 'meeting', roles: ANY, ok: 200 },
  { m: 'GET', p: '/messages', roles: ANY, ok: 200 },
  { m: 'POST', p: '/messages', roles: ANY, form: {}, ok: 422 },
  { m: 'GET', p: '/notices', roles: NOTICE, ok: 200 },
  { m: 'POST', p: '/notices', roles: SUP, form: {}, ok: 422 },
  { m: 'GET', p: '/prefs', roles: ANY, ok: 200 },
  { m: 'GET', p: '/remediations', roles: NOTICE, ok: 200 },
  { m: 'GET', p: '/requests', roles: ANY, ok: 200 },
  { m: 'POST', p: '/requests', roles: ['admin', 'supervisor', 'reporter'], form: {}, ok: 422 },
  { m: 'GET', p: '/requests/stats', roles: NOTICE, ok: 200 },
  { m: 'POST', p: '/requests/{id}/act', id: 'item', roles: ANY, form: {}, ok: 422 },
  { m: 'POST', p: '/reviews/{id}', path: '/reviews/999999', roles: ANY, form: {}, ok: 422 },
  { m: 'POST', p: '/prefs', roles: ANY, form: {}, ok: 303 },
  { m: 'POST', p: '/notices/drafts', roles: SUP, form: {}, ok: 422 },
  { m: 'GET', p: '/notices/drafts/{id}', id: 'draft', roles: NOTICE, ok: 200 },
  { m: 'POST', p: '/notices/drafts/{id}', id: 'draft', roles: SUP, form: {}, ok: 422 },
  { m: 'GET', p: '/notices/drafts/{id}/sign', id: 'draft', roles: ['admin', 'leader'], ok: 200 },
  { m: 'POST', p: '/notices/drafts/{id}/sign', id: 'draft', roles: ['admin', 'leader'], form: {}, ok: 422 },
  { m: 'GET', p: '/notices/{id}', id: 'notice', roles: NOTICE, ok: 200 },
  { m: 'GET', p: '/open311/v2/*', path: '/open311/v2/discovery.json', roles: [], ok: 200 },
  { m: 'POST', p: '/open311/v2/*', path: '/open311/v2/requests.json', roles: [], form: {}, ok: 403 },
  { m: 'GET', p: '/attachments/{id}', id: 'attachment', roles: ANY,
    ok: { admin: 200, supervisor: 200, leader: 200, handler: 200, reporter: 404, applicant: 404 }, other: 404 },
  { m: 'GET', p: '/photos/{id}', id: 'photo', roles: ANY, ok: UNASSIGNED(200, 404), other: 404 },
  { m: 'GET', p: '/report', roles: ['admin', 'supervisor', 'reporter'], ok: 200 },
  { m: 'POST', p: '/report', roles: ['admin', 'supervisor', 'reporter'], form: {}, ok: 422 },
  { m: 'GET', p: '/static/app.js', roles: [], ok: 200 },
  { m: 'GET', p: '/static/hazard.css', roles: [], ok: 200 },
  { m: 'GET', p: '/static/intake.css', roles: [], ok: 200 },
  { m: 'GET', p: '/static/intake.js', roles: [], ok: 200 },
  { m: 'GET', p: '/static/notice.css', roles: [], ok: 200 },
  { m: 'GET', p: '/static/report.js', roles: [], ok: 200 },
  { m: 'GET', p: '/static/style.css', roles: [], ok: 200 },
  { m: 'GET', p: '/units', roles: ANY, ok: 200 },
  { m: 'POST', p: '/units/{id}/review', path: '/units/999999/review', roles: SUP, form: {}, ok: 404 },
];

let s, binRoutes;
const tokens = {}, cookies = {}, csrfs = {};
const objects = {}; // objects[kind] = {own: {role: id}, other: {role: id}}

function must(r, status, what) {
  assert.equal(r.status, status, `${what}: ${r.status} ${r.text}`);
  return r.json;
}

async function cookieLogin(role) {
  const body = new URLSearchParams({ username: USER[role], password: s.logins[USER[role]] }).toString();
  const r = await fetch(s.url + '/login', {
    method: 'POST', redirect: 'manual', body,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  assert.equal(r.status, 303, `cookie login of ${role}`);
  const cookie = r.headers.get('set-cookie').split(';')[0];
  const html = await (await fetch(s.url + '/units', { headers: { Cookie: cookie } })).text();
  const m = html.match(/name="csrf" value="([0-9a-f]{64})"/);
  assert.ok(m, `the ${role}'s pages carry a CSRF token`);
  return { cookie, csrf: m[1] };
}

before(async () => {
  s = await startServer();
  const r = cli(['routes', '--json']);
  assert.equal(r.status, 0, r.stderr);
  binRoutes = JSON.parse(r.stdout).routes;
  for (const role of ROLES) {
    tokens[role] = await s.login(USER[role]);
    const c = await cookieLogin(role);
    cookies[role] = c.cookie;
    csrfs[role] = c.csrf;
  }
  const sup = tokens.supervisor;
  const u = Object.fromEntries(must(await s.api('GET', '/api/v1/units', { token: sup }), 200, 'units')
    .units.map((x) => [x.code, x.id]));

  // items: one led by each role's unit, one by a unit no tested user belongs to
  const item = async (unit, title) => must(await s.api('POST', '/api/v1/items', {
    token: sup, body: { kind: 'task', title, lead_unit_id: u[unit], deadline: '2030-12-31' },
  }), 201, 'item ' + title).id;
  const otherItem = await item('jxj', '矩阵：他单位事项');
  objects.item = { own: {}, other: {} };
  for (const role of ROLES) {
    objects.item.own[role] = await item(UNIT[role], `矩阵：${role} 本单位事项`);
    objects.item.other[role] = otherItem;
  }
  // a unit's own item is its work once assigned (a draft is the office's):
  // the handler's is assigned and signed for, the grid's assigned and then
  // cancelled (so that nothing in the matrix can move either on)
  const step = async (token, id, body) => must(await s.api('POST', `/api/v1/items/${id}/actions`,
    { token, body }), 200, `${body.action} ${id}`);
  await step(sup, objects.item.own.handler, { action: 'assign' });
  await step(tokens.handler, objects.item.own.handler, { action: 'accept' });
  await step(sup, objects.item.own.reporter, { action: 'assign' });
  await step(sup, objects.item.own.reporter, { action: 'cancel', reason: '矩阵：不再办理' });
  await step(sup, objects.item.own.applicant, { action: 'assign' });
  await step(sup, objects.item.own.applicant, { action: 'cancel', reason: '矩阵：不再办理' });
  // the demo city's challenge (揭榜挂帅), published: the same id in both cases
  const board = must(await s.api('GET', '/api/v1/board'), 200, 'board');
  objects.challenge = { own: {}, other: {} };
  for (const role of ROLES) objects.challenge.own[role] = objects.challenge.other[role] = board.challenges[0].id;

  // hazards: the grid worker's own report (triaged to the proposed unit, 应急管理局,
  // the handler's), and one in another grid, still untriaged; each with a photo
  const own = must(await s.api('POST', '/api/v1/hazards', { token: tokens.reporter, body: {
    category: 'fire', description: '矩阵：本网格隐患', address: '东城街道 金城路 9 号',
    photos: [PNG.toString('base64')],
  } }), 201, 'own hazard');
  const tri = must(await s.api('POST', `/api/v1/items/${own.id}/actions`, {
    token: sup, body: { action: 'triage', level: 'general', deadline: '2030-12-31' },
  }), 200, 'triage');
  assert.equal(tri.lead_unit_id, u.yjj, 'the triaged hazard is the handler\'s unit\'s');
  const other = must(await s.api('POST', '/api/v1/hazards', { token: sup, body: {
    category: 'fire', description: '矩阵：他网格隐患', grid_unit_id: u['xc-01'],
    photos: [PNG.toString('base64')],
  } }), 201, 'other hazard');
  const photoId = (h) => Number(h.hazard.photos[0].url.match(/^\/photos\/(\d+)$/)[1]);
  objects.hazard = { own: {}, other: {} };
  objects.photo = { own: {}, other: {} };
  for (const role of ROLES) {
    objects.hazard.own[role] = own.id;
    objects.hazard.other[role] = other.id;
    objects.photo.own[role] = photoId(own);
    objects.photo.other[role] = photoId(other);
  }

  // evidence on the handler's own item (for every role: the grid's reporter does not see it)
  // and on another unit's draft
  const attach = async (id) => must(await s.api('POST', `/api/v1/items/${id}/attachments?name=m.png`,
    { token: sup, raw: PNG, headers: { 'Content-Type': 'image/png' } }), 201, 'attachment ' + id).id;
  const ownAtt = await attach(objects.item.own.handler), otherAtt = await attach(otherItem);
  objects.attachment = { own: {}, other: {} };
  for (const role of ROLES) {
    objects.attachment.own[role] = ownAtt;
    objects.attachment.other[role] = otherAtt;
  }

  // documents (core/document.h): the 交办通知单 of the handler's own item, and of another
  // unit's assigned item
  const otherAssigned = await item('jxj', '矩阵：他单位已交办事项');
  await step(sup, otherAssigned, { action: 'assign' });
  const docOf = async (id) => must(await s.api('GET', `/api/v1/items/${id}`, { token: sup }), 200,
    'item ' + id).documents[0].id;
  const ownDoc = await docOf(objects.item.own.handler), otherDoc = await docOf(otherAssigned);
  objects.document = { own: {}, other: {} };
  for (const role of ROLES) {
    objects.document.own[role] = ownDoc;
    objects.document.other[role] = otherDoc;
  }

  // objects without a unit of their own: the same id in both cases
  const camp = must(await s.api('POST', '/api/v1/campaigns', { token: sup, body: {
    theme: '矩阵专项行动', month: '2030-01', categories: ['fire'], unit_ids: [u.dc],
  } }), 201, 'campaign').campaign.id;
  const meet = must(await s.api('POST', '/api/v1/meetings', {
    token: sup, body: { text: '市委召开常委会议。会议要求，各部门要抓好落实。', items: [] },
  }), 201, 'meeting');
  const meetId = meet.meeting_id;
  const notice = must(await s.api('POST', '/api/v1/notices', {
    token: sup, body: { from: '2025-03-01', to: '2025-03-31' },
  }), 201, 'notice').id;
  const draftId = must(await s.api('POST', '/api/v1/notice-drafts', {
    token: sup, body: { from: '2025-03-01', to: '2025-03-31' },
  }), 201, 'notice draft').id;
  for (const [kind, id] of [['campaign', camp], ['meeting', meetId], ['notice', notice], ['draft', draftId]]) {
    objects[kind] = { own: {}, other: {} };
    for (const role of ROLES) objects[kind].own[role] = objects[kind].other[role] = id;
  }
  // a signed checkpoint over the objects, so that their proofs exist (init makes
  // a key beside a SQLite database; PostgreSQL's is given)
  const key = s.db.startsWith('postgres') ? path.join(s.dir, 'checkpoint.key') : s.db + '.key';
  if (!fs.existsSync(key)) assert.equal(s.cli(['init', '--key', key]).status, 0);
  const cp = s.cli(['checkpoint', '--key', key]);
  assert.equal(cp.status, 0, cp.stderr);
});
after(async () => {
  assert.equal(await s.stop(), 0, s.log().slice(-3000));
});

// The status a row expects for role (null = no login) in case 'own'/'other'.
function expected(row, role, kase) {
  const page = row.p === '/' || !/^\/(api|open311|static|photos|attachments|healthz)/.test(row.p);
  if (role === null) return row.anon ?? (row.roles.length === 0 ? row.ok : page ? 303 : 401);
  if (row.roles.length && !row.roles.includes(role)) return 403;
  if (kase === 'other' && row.other && !SEES_ALL.has(role)) return row.other;
  return typeof row.ok === 'object' ? row.ok[role] : row.ok;
}

function isPage(row) {
  const br = binRoutes.find((b) => b.method === row.m && b.pattern === row.p);
  return br && br.flags.includes('page');
}

async function call(row, role, kase) {
  let path = row.path || row.p;
  if (row.id) path = path.replace('{id}', objects[row.id][kase][role || 'supervisor']);
  if (row.upload) path += '?phase=report';
  if (row.file) path += '?name=matrix.png';
  const headers = {};
  let body;
  let auth = role && { token: tokens[role], cookie: cookies[role], csrf: csrfs[role] };
  if (role && row.fresh) {
    auth = isPage(row) ? { ...(await cookieLogin(role)) } : { token: await s.login(USER[role]) };
  }
  if (auth) {
    if (isPage(row)) headers.Cookie = auth.cookie;
    else headers.Authorization = 'Bearer ' + auth.token;
  }
  if (row.body) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(row.body);
  } else if (row.form) {
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
    const f = { ...row.form };
    if (auth && isPage(row)) f.csrf = auth.csrf;
    body = new URLSearchParams(f).toString();
  } else if (row.upload || row.file) {
    headers['Content-Type'] = 'image/png';
    body = PNG;
  }
  const r = await fetch(s.url + path, { method: row.m, headers, body, redirect: 'manual' });
  const text = await r.text();
  return { status: r.status, text, location: r.headers.get('location'), path };
}

test('every route of the binary has a row, and every row a route', () => {
  const key = (m, p) => `${m} ${p}`;
  const rows = new Set(ROWS.map((r) => key(r.m, r.p)));
  const bins = new Set(binRoutes.map((r) => key(r.method, r.pattern)));
  const missing = [...bins].filter((k) => !rows.has(k));
  const stale = [...rows].filter((k) => !bins.has(k));
  assert.deepEqual(missing, [], `routes without a row in the permissions matrix: ${missing.join(', ')}`);
  assert.deepEqual(stale, [], `rows for routes the binary does not serve: ${stale.join(', ')}`);
  assert.equal(rows.size, ROWS.length, 'one row per route');
});

test('every route × role × own unit / other unit / no login answers the expected status', async () => {
  const wrong = [];
  let checks = 0;
  for (const row of ROWS) {
    if (!binRoutes.some((b) => b.method === row.m && b.pattern === row.p)) continue;
    const cases = [];
    for (const role of ROLES) {
      cases.push([role, 'own']);
      cases.push([role, 'other']);
    }
    cases.push([null, 'own']);
    for (const [role, kase] of cases) {
      const want = expected(row, role, kase);
      const r = await call(row, role, kase);
      checks++;
      if (r.status !== want) {
        wrong.push(`${row.m} ${r.path} as ${role || 'no login'} (${kase}): ${r.status}, expected ${want}` +
          ` ${r.text.slice(0, 160).replace(/\s+/g, ' ')}`);
      } else if (role === null && want === 303) {
        if (r.location !== '/login?next=' + r.path) wrong.push(`${row.m} ${r.path}: redirect to ${r.location}`);
      }
    }
  }
  if (process.env.MATRIX_VERBOSE) console.log(`permissions matrix: ${ROWS.length} routes, ${checks} checks`);
  assert.deepEqual(wrong, []);
});

// The unit tree (issue 18): a unit sees, read-only, the items of the units
// below it; never those above it, beside it or beside its parent.  The town
// 东城街道 (dc) has the grids dc-01 and dc-02; 西城街道 (xc) has xc-01.  Each
// case: who (a handler of dc, the reporter of dc-01), whose item (relative to
// them), and the exact statuses of reading it, its events, its tree, and of
// acting on it ('accept' on an assigned item: 403 when it is not theirs).
test('the unit tree: parent, child, sibling and cousin cases', async () => {
  const sup = tokens.supervisor;
  const u = Object.fromEntries(must(await s.api('GET', '/api/v1/units', { token: sup }), 200, 'units')
    .units.map((x) => [x.code, x.id]));
  const r = s.cli(['user', 'add', '--username', 'tree-dc', '--unit', 'dc', '--role', 'handler',
    '--password-stdin'], { input: 'pw-matrix-otter-58\n' });
  assert.equal(r.status, 0, r.stderr);
  const who = { town: await s.login('tree-dc', 'pw-matrix-otter-58'), grid: tokens.reporter };
  const ids = {};
  for (const code of ['dc', 'dc-01', 'dc-02', 'xc', 'xc-01']) {
    ids[code] = must(await s.api('POST', '/api/v1/items', { token: sup, body: {
      kind: 'task', title: `矩阵树：${code}`, lead_unit_id: u[code], deadline: '2030-12-31' } }), 201, code).id;
    must(await s.api('POST', `/api/v1/items/${ids[code]}/actions`, { token: sup, body: { action: 'assign' } }),
      200, 'assign ' + code);
  }
  const CASES = [
    // [who, relation, item's unit, read, events, tree, accept]
    ['town', 'own', 'dc', 200, 200, 200, 200],
    ['town', 'child', 'dc-01', 200, 200, 200, 403],
    ['town', 'child', 'dc-02', 200, 200, 200, 403],
    ['town', 'sibling', 'xc', 403, 403, 403, 403],
    ['town', 'cousin (the sibling\'s child)', 'xc-01', 403, 403, 403, 403],
    ['grid', 'parent', 'dc', 403, 403, 403, 403],
    ['grid', 'own', 'dc-01', 200, 200, 200, 200],
    ['grid', 'sibling', 'dc-02', 403, 403, 403, 403],
    ['grid', 'cousin', 'xc-01', 403, 403, 403, 403],
  ];
  const wrong = [];
  for (const [w, rel, code, ...want] of CASES) {
    const id = ids[code];
    const got = [];
    for (const p of [`/api/v1/items/${id}`, `/api/v1/items/${id}/events`, `/api/v1/items/${id}/tree`])
      got.push((await s.api('GET', p, { token: who[w] })).status);
    got.push((await s.api('POST', `/api/v1/items/${id}/actions`, { token: who[w], body: { action: 'accept' } })).status);
    if (JSON.stringify(got) !== JSON.stringify(want)) wrong.push(`${w} on its ${rel} (${code}): ${got}, expected ${want}`);
  }
  assert.deepEqual(wrong, []);
});

// The science bureau drafts challenges (issue 20): a handler of 科技局 (kjj, the
// text setting challenge.creator_units' default) creates one; another bureau's
// handler (应急管理局, the matrix's) may not; the bureau does not publish (the
// office does, after its internal review); its draft is seen by the bureau and
// the office, not by another unit nor by an applicant.
test('the science bureau drafts challenges: who creates, publishes and sees the draft', async () => {
  const sup = tokens.supervisor;
  const u = Object.fromEntries(must(await s.api('GET', '/api/v1/units', { token: sup }), 200, 'units')
    .units.map((x) => [x.code, x.id]));
  const r = s.cli(['user', 'add', '--username', 'kjj-handler', '--unit', 'kjj', '--role', 'handler',
    '--password-stdin'], { input: 'pw-matrix-heron-71\n' });
  assert.equal(r.status, 0, r.stderr);
  const kjj = await s.login('kjj-handler', 'pw-matrix-heron-71');
  const body = { kind: 'challenge', title: '矩阵：科技局拟发榜单', problem: '难题', owner_unit_id: u.dldq,
    field: '先进制造', reward_wan: 50, apply_until: '2030-12-31' };
  const other = await s.api('POST', '/api/v1/items', { token: tokens.handler, body });
  assert.deepEqual([other.status, other.json.error.code], [403, 'forbidden']);
  const made = must(await s.api('POST', '/api/v1/items', { token: kjj, body }), 201, 'kjj creates');
  assert.deepEqual([made.status, made.challenge.phase, made.challenge.author_unit_id, made.allowed_actions],
    ['draft', 'draft', u.kjj, ['edit']]);
  const pub = await s.api('POST', `/api/v1/items/${made.id}/actions`, { token: kjj, body: { action: 'publish' } });
  assert.deepEqual([pub.status, pub.json.error.code], [403, 'forbidden']);
  const got = [];
  for (const [who, token] of [['kjj', kjj], ['supervisor', sup], ['handler', tokens.handler],
    ['applicant', tokens.applicant]]) {
    got.push([who, (await s.api('GET', `/api/v1/items/${made.id}`, { token })).status]);
    const list = must(await s.api('GET', '/api/v1/items?kind=challenge', { token }), 200, 'list ' + who);
    got.push([who, list.items.some((x) => x.id === made.id)]);
  }
  assert.deepEqual(got, [['kjj', 200], ['kjj', true], ['supervisor', 200], ['supervisor', true],
    ['handler', 403], ['handler', false], ['applicant', 403], ['applicant', false]]);
  const edit = must(await s.api('POST', `/api/v1/items/${made.id}/actions`, { token: kjj,
    body: { action: 'edit', title: '矩阵：科技局拟发榜单（改）' } }), 200, 'kjj edits its draft');
  assert.equal(edit.title, '矩阵：科技局拟发榜单（改）');
});
