// End-to-end tests of the office's ledger (issue 15, parts 2 and 3): editing
// an open item over the API and through the item page's form, and the lists
// exported as CSV and XLSX, against the real binary (SQLite, or PostgreSQL
// with LUOSHI_TEST_PG).  The clock is fixed at Monday 2025-03-03.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('../lib/server.js');

const FORM = 'application/x-www-form-urlencoded';
let s, sup, yjj, leader, unitOf;

function must(r, status, what) {
  assert.equal(r.status, status, `${what}: ${r.status} ${r.text}`);
  return r.json;
}

function act(token, id, body) {
  return s.api('POST', `/api/v1/items/${id}/actions`, { token, body });
}

async function create(body) {
  return must(await s.api('POST', '/api/v1/items', { token: sup, body: { kind: 'task', ...body } }),
    201, 'create').id;
}

async function lastEvent(id) {
  const events = must(await s.api('GET', `/api/v1/items/${id}/events`, { token: sup }), 200, 'events').events;
  return events[events.length - 1];
}

// A cookie session for user and the CSRF token its pages carry.
async function session(user) {
  const body = new URLSearchParams({ username: user, password: s.logins[user] }).toString();
  const r = await fetch(s.url + '/login', { method: 'POST', redirect: 'manual', body,
    headers: { 'Content-Type': FORM } });
  assert.equal(r.status, 303);
  const cookie = r.headers.get('set-cookie').split(';')[0];
  const page = await (await fetch(s.url + '/inbox', { headers: { Cookie: cookie } })).text();
  return { cookie, csrf: page.match(/name="csrf" value="([0-9a-f]{64})"/)[1] };
}

function post(sess, path, fields) {
  return fetch(s.url + path, { method: 'POST', redirect: 'manual',
    body: new URLSearchParams(fields).toString(),
    headers: { Cookie: sess.cookie, 'Content-Type': FORM } });
}

before(async () => {
  s = await startServer({ env: { LUOSHI_NOW: '2025-03-03' } });
  [sup, yjj, leader] = await Promise.all(['supervisor', 'yjj', 'leader'].map((u) => s.login(u)));
  const units = must(await s.api('GET', '/api/v1/units', { token: sup }), 200, 'units').units;
  unitOf = (code) => units.find((u) => u.code === code).id;
});
after(async () => {
  assert.equal(await s.stop(), 0, s.log().slice(-3000));
});

test('edit: the event carries before/after of exactly the fields changed, and the item shows them', async () => {
  const id = await create({ title: '旧标题', description: '旧内容', deadline: '2025-04-30',
    feedback_cycle: 'monthly' });
  must(await act(sup, id, { action: 'assign', lead_unit_id: unitOf('yjj') }), 200, 'assign');
  const it = must(await act(sup, id, { action: 'edit', title: '新标题', description: '旧内容',
    feedback_cycle: 'weekly', metric: { target: 12.5, unit: '亩' }, co_unit_ids: [unitOf('jxj')] }),
  200, 'edit');
  assert.equal(it.title, '新标题');
  assert.equal(it.feedback_cycle, 'weekly');
  assert.deepEqual(it.metric, { target: 12.5, unit: '亩', value: null });
  assert.deepEqual(it.co_unit_ids, [unitOf('jxj')]);
  assert.equal(it.status, 'assigned');
  assert.equal(it.deadline, '2025-04-30');
  const ev = await lastEvent(id);
  assert.equal(ev.action, 'edit');
  assert.deepEqual(ev.data, {
    before: { title: '旧标题', feedback_cycle: 'monthly', metric_target: null, metric_unit: null, co_unit_ids: [] },
    after: { title: '新标题', feedback_cycle: 'weekly', metric_target: 12.5, metric_unit: '亩', co_unit_ids: [unitOf('jxj')] },
  });
  // verify replays the edit: the chain and the item row agree
  const v = s.cli(['verify']);
  assert.equal(v.status, 0, v.stdout + v.stderr);
});

test('edit: refused with 422 when closed or unchanged, 403 for a handler or a leader', async () => {
  const id = await create({ title: '关闭前', deadline: '2025-04-30' });
  let r = await act(sup, id, { action: 'edit', title: '关闭前' });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.code, 'nothing_changed');
  r = await act(sup, id, { action: 'edit', deadline: '2025-05-30' });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.code, 'unknown_field');
  must(await act(sup, id, { action: 'assign', lead_unit_id: unitOf('yjj') }), 200, 'assign');
  r = await act(yjj, id, { action: 'edit', title: '改' });
  assert.equal(r.status, 403);
  r = await act(leader, id, { action: 'edit', title: '改' });
  assert.equal(r.status, 403);
  must(await act(sup, id, { action: 'cancel', reason: '不再需要' }), 200, 'cancel');
  r = await act(sup, id, { action: 'edit', title: '改' });
  assert.equal(r.status, 422);
  assert.deepEqual(r.json.error.code, 'item_closed');
  assert.equal((await lastEvent(id)).action, 'cancel');
});

test('edit: the item page form (office only, CSRF) posts the same edit', async () => {
  const id = await create({ title: '页面修改', description: '原内容', deadline: '2025-04-30' });
  const office = await session('supervisor');
  const page = await (await fetch(`${s.url}/items/${id}`, { headers: { Cookie: office.cookie } })).text();
  assert.ok(page.includes('<input id="edit-title" name="title" maxlength="200" value="页面修改">'), 'prefilled title');
  assert.ok(page.includes('<option value="none" selected>不需定期反馈</option>'), 'cycle selected');
  const handler = await session('yjj');
  const hp = await (await fetch(`${s.url}/items/${id}`, { headers: { Cookie: handler.cookie } })).text();
  assert.equal(hp.includes('name="action" value="edit"'), false, 'no edit form for a handler');
  // without the token: refused, nothing changed
  let r = await post(office, `/items/${id}/act`, { action: 'edit', title: '未改' });
  assert.equal(r.status, 403);
  r = await post(office, `/items/${id}/act`, [['csrf', office.csrf], ['action', 'edit'],
    ['title', '页面已改'], ['description', '原内容'], ['feedback_cycle', 'none'],
    ['metric_target', ''], ['metric_unit', '']]);
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), `/items/${id}?done=edit`);
  const ev = await lastEvent(id);
  assert.deepEqual(ev.data, { before: { title: '页面修改' }, after: { title: '页面已改' } });
  const shown = await (await fetch(`${s.url}/items/${id}`, { headers: { Cookie: office.cookie } })).text();
  assert.ok(shown.includes('修改事项，标题改为“页面已改”。'), 'the timeline says what changed');
});
