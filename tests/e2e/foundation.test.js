// End-to-end tests of the foundation: sessions, units, items, the event chain
// and the dispatcher's checks, against the real binary and a real database.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('../lib/server.js');

let s, sup, yjj, admin;
before(async () => {
  s = await startServer();
  [sup, yjj, admin] = await Promise.all([s.login('supervisor'), s.login('yjj'), s.login('admin')]);
});
after(async () => {
  const code = await s.stop();
  assert.equal(code, 0, 'the server stops cleanly on SIGTERM\n' + s.log().slice(-3000));
});

test('healthz answers ok', async () => {
  const r = await s.api('GET', '/healthz');
  assert.equal(r.status, 200);
  assert.deepEqual(r.json, { status: 'ok' });
});

test('every response carries the security headers', async () => {
  const r = await s.api('GET', '/healthz');
  assert.match(r.headers.get('content-security-policy'), /default-src 'none'.*frame-ancestors 'none'/);
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(r.headers.get('referrer-policy'), 'same-origin');
});

test('login returns a token and the user', async () => {
  const r = await s.api('POST', '/api/v1/session', { body: { username: 'supervisor', password: s.logins.supervisor } });
  assert.equal(r.status, 200);
  assert.match(r.json.token, /^[0-9a-f]{64}$/);
  assert.deepEqual(r.json.user.roles, ['supervisor']);
  assert.equal(r.json.user.username, 'supervisor');
});

test('a wrong password is 401 invalid_credentials', async () => {
  const r = await s.api('POST', '/api/v1/session', { body: { username: 'leader', password: 'wrong-password' } });
  assert.equal(r.status, 401);
  assert.equal(r.json.error.code, 'invalid_credentials');
});

test('no token is 401; a bad token is 401 invalid_token', async () => {
  let r = await s.api('GET', '/api/v1/items');
  assert.equal(r.status, 401);
  assert.equal(r.json.error.code, 'unauthorized');
  r = await s.api('GET', '/api/v1/items', { token: 'f'.repeat(64) });
  assert.equal(r.status, 401);
  assert.equal(r.json.error.code, 'invalid_token');
});

test('units list the demo city', async () => {
  const r = await s.api('GET', '/api/v1/units', { token: yjj });
  assert.equal(r.status, 200);
  assert.equal(r.json.units.length, 24);
  const dcs = r.json.units.find((u) => u.code === 'dcs');
  assert.equal(dcs.name, '督查室（督考办）');
  assert.equal(dcs.kind, 'department');
  assert.equal(dcs.parent_id, r.json.units.find((u) => u.code === 'swb').id);
});

test('only admins add units; bad and duplicate units are refused', async () => {
  let r = await s.api('POST', '/api/v1/units', { token: sup, body: { code: 'x1', name: '新单位', kind: 'department' } });
  assert.equal(r.status, 403);
  r = await s.api('POST', '/api/v1/units', { token: admin, body: { code: 'dc-03', name: '东城街道第三网格', kind: 'grid', parent_code: 'dc' } });
  assert.equal(r.status, 201);
  assert.equal(r.json.code, 'dc-03');
  r = await s.api('POST', '/api/v1/units', { token: admin, body: { code: 'dc-03', name: '重复', kind: 'grid' } });
  assert.equal(r.status, 409);
  assert.equal(r.json.error.code, 'conflict');
  r = await s.api('POST', '/api/v1/units', { token: admin, body: { code: 'y', name: '坏', kind: 'castle' } });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.code, 'invalid_field');
});

test('supervisors see every item; paging is exact', async () => {
  let r = await s.api('GET', '/api/v1/items?limit=5&offset=10', { token: sup });
  assert.equal(r.status, 200);
  assert.ok(r.json.total_count >= 12);
  const total = r.json.total_count;
  assert.equal(r.json.limit, 5);
  assert.equal(r.json.offset, 10);
  assert.equal(r.json.items.length, Math.min(5, total - 10));
  r = await s.api('GET', '/api/v1/items', { token: sup });
  assert.equal(r.json.limit, 25);
  assert.equal(r.json.items.length, Math.min(25, total));
});

test('bad list parameters are 422', async () => {
  for (const q of ['limit=101', 'limit=0', 'limit=abc', 'offset=-1', 'status=lost', 'light=blue', 'kind=cat']) {
    const r = await s.api('GET', '/api/v1/items?' + q, { token: sup });
    assert.equal(r.status, 422, q);
    assert.equal(r.json.error.code, 'invalid_parameter', q);
  }
});

test('a handler sees only the items of their own unit', async () => {
  const r = await s.api('GET', '/api/v1/items?limit=100', { token: yjj });
  assert.equal(r.status, 200);
  // the demo's 3 assigned items; the 4 safety drafts the seed meeting proposes
  // for the bureau (init --demo) are the office's until they are assigned
  assert.equal(r.json.total_count, 3);
  const drafts = await s.api('GET', `/api/v1/items?status=draft&unit=${r.json.items[0].lead_unit.id}&limit=100`, { token: sup });
  assert.equal(drafts.json.total_count, 4);
  for (const it of r.json.items) assert.equal(it.lead_unit.code, 'yjj');
});

test('a handler gets 403 for another unit\'s item and its events', async () => {
  const all = await s.api('GET', '/api/v1/items?limit=100', { token: sup });
  const other = all.json.items.find((it) => it.lead_unit && it.lead_unit.code === 'jxj');
  let r = await s.api('GET', `/api/v1/items/${other.id}`, { token: yjj });
  assert.equal(r.status, 403);
  assert.equal(r.json.error.code, 'forbidden');
  r = await s.api('GET', `/api/v1/items/${other.id}/events`, { token: yjj });
  assert.equal(r.status, 403);
  r = await s.api('GET', '/api/v1/items/999999', { token: sup });
  assert.equal(r.status, 404);
});

test('a handler may not create items', async () => {
  const r = await s.api('POST', '/api/v1/items', { token: yjj, body: { kind: 'task', title: 'x' } });
  assert.equal(r.status, 403);
});

test('a script title is stored verbatim', async () => {
  const title = '<script>alert(1)</script>';
  const r = await s.api('POST', '/api/v1/items', { token: sup, body: { kind: 'task', title, lead_unit_id: 5, deadline: '2030-01-31' } });
  assert.equal(r.status, 201);
  assert.equal(r.json.title, title);
  assert.equal(r.json.status, 'draft');
  assert.equal(r.json.light, 'none', 'a draft has no light');
  assert.equal(r.headers.get('location'), `/api/v1/items/${r.json.id}`);
  const g = await s.api('GET', `/api/v1/items/${r.json.id}`, { token: sup });
  assert.equal(g.json.title, title);
});

test('an item created with a past deadline is red as soon as it is assigned', async () => {
  const r = await s.api('POST', '/api/v1/items', { token: sup, body: { kind: 'task', title: '旧台账事项', deadline: '2020-01-01' } });
  assert.equal(r.status, 201);
  assert.equal(r.json.light, 'none', 'a draft has no light');
  const a = await s.api('POST', `/api/v1/items/${r.json.id}/actions`, { token: sup, body: { action: 'assign', lead_unit_id: 5 } });
  assert.equal(a.status, 200, a.text);
  assert.equal(a.json.light, 'red');
});

test('item validation names the field', async () => {
  const cases = [
    [{ kind: 'task' }, 422, 'missing_field'],
    [{ kind: 'task', title: '' }, 422, 'missing_field'],
    [{ kind: 'task', title: 'x', deadline: '2026-02-30' }, 422, 'invalid_field'],
    [{ kind: 'task', title: 'x', deadline: 20260101 }, 422, 'invalid_field'],
    [{ kind: 'task', title: 'x', lead_unit_id: 99999 }, 422, 'invalid_field'],
    [{ kind: 'task', title: 'x', colour: 'red' }, 422, 'unknown_field'],
    [{ kind: 'task', title: 'x'.repeat(201) }, 422, 'invalid_field'],
    [{ kind: 'task', title: 'x', feedback_cycle: 'daily' }, 422, 'invalid_field'],
    [{ kind: 'task', title: 'x', lead_unit_id: 5, co_unit_ids: [5] }, 422, 'invalid_field'],
    [{ kind: 'planet', title: 'x' }, 422, 'invalid_field'],
    [[1, 2], 400, 'invalid_json'],
  ];
  for (const [body, status, code] of cases) {
    const r = await s.api('POST', '/api/v1/items', { token: sup, body });
    assert.equal(r.status, status, JSON.stringify(body));
    assert.equal(r.json.error.code, code, JSON.stringify(body));
    assert.ok(r.json.error.message.length > 5);
  }
});

test('malformed JSON is 400 invalid_json with a position', async () => {
  const r = await s.api('POST', '/api/v1/items', { token: sup, raw: '{"kind": "task", "title": ', headers: { 'Content-Type': 'application/json' } });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.code, 'invalid_json');
  assert.match(r.json.error.detail, /line 1 column/);
});

test('non-UTF-8 JSON is 400 invalid_utf8 naming the byte', async () => {
  const raw = Buffer.concat([Buffer.from('{"kind":"task","title":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
  const r = await s.api('POST', '/api/v1/items', { token: sup, raw, headers: { 'Content-Type': 'application/json' } });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.code, 'invalid_utf8');
  assert.equal(r.json.error.detail, 'the body is not valid UTF-8 at byte 24');
});

test('deeply nested JSON is 400', async () => {
  const raw = '['.repeat(5000) + ']'.repeat(5000);
  const r = await s.api('POST', '/api/v1/items', { token: sup, raw, headers: { 'Content-Type': 'application/json' } });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.code, 'invalid_json');
});

test('a 3 MB body is 413 and creates nothing', async () => {
  const before = await s.api('GET', '/api/v1/items?limit=1', { token: sup });
  const raw = JSON.stringify({ kind: 'task', title: 'big', description: 'x'.repeat(3 * 1024 * 1024) });
  const r = await s.api('POST', '/api/v1/items', { token: sup, raw, headers: { 'Content-Type': 'application/json' } });
  assert.equal(r.status, 413);
  assert.equal(r.json.error.code, 'body_too_large');
  const after = await s.api('GET', '/api/v1/items?limit=1', { token: sup });
  assert.equal(after.json.total_count, before.json.total_count);
});

test('a body that is not JSON is 415', async () => {
  const r = await s.api('POST', '/api/v1/items', { token: sup, raw: 'kind=task', headers: { 'Content-Type': 'text/plain' } });
  assert.equal(r.status, 415);
  assert.equal(r.json.error.code, 'unsupported_media_type');
});

test('a query that is not UTF-8 is 400', async () => {
  const r = await s.api('GET', '/api/v1/items?q=%FF%FE', { token: sup });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.code, 'invalid_utf8');
});

test('unknown paths are 404 and wrong methods 405', async () => {
  let r = await s.api('GET', '/api/v1/nothing', { token: sup });
  assert.equal(r.status, 404);
  assert.equal(r.json.error.code, 'not_found');
  r = await s.api('PUT', '/api/v1/items', { token: sup });
  assert.equal(r.status, 405);
  assert.equal(r.json.error.code, 'method_not_allowed');
});

test('search, filters and lights narrow the list', async () => {
  let r = await s.api('GET', '/api/v1/items?q=' + encodeURIComponent('低效工业用地'), { token: sup });
  // the demo item and the seed meeting's draft that quotes it
  assert.equal(r.json.total_count, 2);
  const land = r.json.items.find((it) => it.metric);
  assert.equal(land.metric.target, 1200);
  assert.equal(land.metric.unit, '亩');
  r = await s.api('GET', '/api/v1/items?q=%25', { token: sup });
  assert.equal(r.json.total_count, 0, '% is matched literally');
  r = await s.api('GET', '/api/v1/items?light=red&limit=100', { token: sup });
  for (const it of r.json.items) assert.equal(it.light, 'red');
  assert.ok(r.json.total_count >= 2);
});

test('every create writes a chained event', async () => {
  const c = await s.api('POST', '/api/v1/items', { token: sup, body: { kind: 'task', title: '链条测试' } });
  const r = await s.api('GET', `/api/v1/items/${c.json.id}/events`, { token: sup });
  assert.equal(r.status, 200);
  assert.equal(r.json.events.length, 1);
  const e = r.json.events[0];
  assert.equal(e.action, 'create');
  assert.equal(e.actor, 'supervisor');
  assert.equal(e.prev_hash, '');
  assert.match(e.hash, /^[0-9a-f]{64}$/);
  assert.equal(e.data.title, '链条测试');
  assert.match(e.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
});

test('logout revokes the token', async () => {
  const t = await s.login('leader');
  let r = await s.api('DELETE', '/api/v1/session', { token: t });
  assert.equal(r.status, 200);
  r = await s.api('GET', '/api/v1/me', { token: t });
  assert.equal(r.status, 401);
  assert.equal(r.json.error.code, 'invalid_token');
});
