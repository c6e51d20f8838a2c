// Drafts are the office's until assigned (issue 17, major 4): a draft has no
// light and is no unit's work — overdue or not, it is neither red nor counted
// in 在办; the dashboard shows the drafts as a tile of their own; a handler
// never sees the office's unassigned drafts for their unit (item, list, plan
// tree), and sees the item, red at once when its deadline has passed, as soon
// as it is assigned.  The clock is fixed (LUOSHI_NOW) so lights are exact.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('../lib/server.js');

let s, sup, yjj, unitOf;

before(async () => {
  s = await startServer({ env: { LUOSHI_NOW: '2025-03-10' } });
  sup = await s.login('supervisor');
  yjj = await s.login('yjj');
  const units = (await s.api('GET', '/api/v1/units', { token: sup })).json.units;
  unitOf = (code) => units.find((u) => u.code === code).id;
});
after(async () => {
  assert.equal(await s.stop(), 0, s.log().slice(-3000));
});

async function cookieFor(user) {
  const body = new URLSearchParams({ username: user, password: s.logins[user] }).toString();
  const r = await fetch(s.url + '/login', { method: 'POST', redirect: 'manual', body,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  return r.headers.get('set-cookie').split(';')[0];
}

// The dashboard's tiles: {class: number}.
async function tiles(cookie) {
  const html = await (await fetch(s.url + '/dashboard', { headers: { Cookie: cookie } })).text();
  const out = {};
  for (const m of html.matchAll(/<a class="tile (\w+)" href="[^"]*"><b>(\d+)<\/b>/g)) out[m[1]] = Number(m[2]);
  return out;
}

const count = async (q, token = sup) => (await s.api('GET', `/api/v1/items?${q}&limit=1`, { token })).json.total_count;

test('a draft has no light, even overdue, and is red as soon as it is assigned', async () => {
  const r = await s.api('POST', '/api/v1/items', { token: sup,
    body: { kind: 'task', title: '旧台账里逾期的事项', deadline: '2025-01-31', lead_unit_id: unitOf('yjj') } });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.light, 'none');
  const id = r.json.id;
  const redBefore = await count('light=red');
  assert.equal((await s.api('GET', `/api/v1/items?light=red&q=${encodeURIComponent('旧台账里逾期')}`, { token: sup })).json.total_count, 0);
  // the office's draft for 应急管理局 is not the bureau's yet
  assert.equal((await s.api('GET', `/api/v1/items/${id}`, { token: yjj })).status, 403);
  assert.equal((await s.api('GET', `/api/v1/items?q=${encodeURIComponent('旧台账里逾期')}`, { token: yjj })).json.total_count, 0);
  assert.equal((await s.api('GET', `/api/v1/items/${id}/tree`, { token: yjj })).status, 403);
  const a = await s.api('POST', `/api/v1/items/${id}/actions`, { token: sup, body: { action: 'assign' } });
  assert.equal(a.status, 200, a.text);
  assert.equal(a.json.light, 'red');
  assert.equal(await count('light=red'), redBefore + 1);
  const seen = await s.api('GET', `/api/v1/items/${id}`, { token: yjj });
  assert.equal(seen.status, 200);
  assert.deepEqual(seen.json.allowed_actions, ['accept', 'return']);
});

test('the dashboard counts drafts in a tile of their own, not in 在办 or the lights', async () => {
  const cookie = await cookieFor('supervisor');
  const t = await tiles(cookie);
  const drafts = await count('status=draft');
  assert.ok(drafts > 0, 'the demo city has drafts from its meeting');
  assert.equal(t.draft, drafts);
  const red = await count('light=red'), yellow = await count('light=yellow'), green = await count('light=green');
  assert.deepEqual([t.red, t.yellow, t.green, t.open], [red, yellow, green, red + yellow + green]);
  const open = await count('status=assigned') + await count('status=accepted') + await count('status=in_progress') +
    await count('status=submitted') + await count('status=returned');
  assert.equal(t.open, open, '在办 is assigned work only');
  assert.equal(t.closed, await count('light=none') - drafts);
  // a draft with a past deadline adds to the drafts, not to 红灯 or 在办
  const r = await s.api('POST', '/api/v1/items', { token: sup, body: { kind: 'task', title: '又一个逾期草稿', deadline: '2025-02-01' } });
  assert.equal(r.status, 201);
  const t2 = await tiles(cookie);
  assert.deepEqual([t2.draft, t2.red, t2.open], [t.draft + 1, t.red, t.open]);
  // a handler's dashboard counts only what is the bureau's work
  const h = await tiles(await cookieFor('yjj'));
  assert.equal(h.draft, 0);
  assert.equal(h.open, await count('light=red', yjj) + await count('light=yellow', yjj) + await count('light=green', yjj));
});
