// The 签收 limit (issue 17, defect 18): an assigned item is due to be signed
// for (accepted) by the working day notice.accept_working_days [1] after its
// assignment, the rule the notices count on-time signing by.  Past it, while
// still assigned, the item's records, the inbox entry and the item page say
// so, and the dashboard counts them.  Assigned on Friday 2025-02-28: due
// Monday 2025-03-03; the server is started again on Tuesday 2025-03-04.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startServer } = require('../lib/server.js');

function must(r, status, what) {
  assert.equal(r.status, status, `${what}: ${r.status} ${r.text.slice(0, 300)}`);
  return r.json;
}
async function cookiePage(s, who, password, p) {
  const l = await fetch(s.url + '/login', { method: 'POST', redirect: 'manual',
    body: new URLSearchParams({ username: who, password }).toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  const cookie = l.headers.get('set-cookie').split(';')[0];
  return (await fetch(s.url + p, { headers: { Cookie: cookie } })).text();
}

test('an item not signed for within a working day is flagged on the item, in the inbox and on the dashboard', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'luoshi-accept-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const db = path.join(dir, 'city.db');
  const a = await startServer({ db, env: { LUOSHI_NOW: '2025-02-28' } });
  const logins = a.logins;
  let boss = await a.login('supervisor');
  const units = must(await a.api('GET', '/api/v1/units', { token: boss }), 200, 'units').units;
  const id = must(await a.api('POST', '/api/v1/items', { token: boss, body: { kind: 'task', title: '签收时限测试',
    lead_unit_id: units.find((x) => x.code === 'yjj').id, deadline: '2025-12-31' } }), 201, 'item').id;
  must(await a.api('POST', `/api/v1/items/${id}/actions`, { token: boss, body: { action: 'assign' } }), 200, 'assign');
  let loop = must(await a.api('GET', `/api/v1/items/${id}/records`, { token: boss }), 200, 'records').loop;
  assert.deepEqual([loop.accept_due, loop.accept_late], ['2025-03-03', false]);
  let entry = must(await a.api('GET', '/api/v1/inbox', { token: await a.login('yjj') }), 200, 'inbox')
    .to_accept.find((x) => x.id === id);
  assert.deepEqual([entry.accept_due, entry.accept_late], ['2025-03-03', false]);
  assert.equal(await a.stop(), 0);

  const b = await startServer({ db, init: false, env: { LUOSHI_NOW: '2025-03-04' } });
  t.after(() => b.stop());
  boss = await b.login('supervisor', logins.supervisor);
  loop = must(await b.api('GET', `/api/v1/items/${id}/records`, { token: boss }), 200, 'records').loop;
  assert.deepEqual([loop.accept_due, loop.accept_late], ['2025-03-03', true]);
  const yjj = await b.login('yjj', logins.yjj);
  entry = must(await b.api('GET', '/api/v1/inbox', { token: yjj }), 200, 'inbox').to_accept.find((x) => x.id === id);
  assert.deepEqual([entry.accept_due, entry.accept_late], ['2025-03-03', true]);
  const inbox = await cookiePage(b, 'yjj', logins.yjj, '/inbox');
  assert.match(inbox, /<span class="late">签收期限 2025-03-03 · 超期未签收<\/span>/);
  assert.ok(!inbox.includes('&quot;late&quot;'), 'the class is markup, not text');
  const item = await cookiePage(b, 'yjj', logins.yjj, `/items/${id}`);
  assert.match(item, /<span class="tag late accept-late">超期未签收<\/span>/);
  assert.match(item, /<dt>签收期限<\/dt><dd>2025-03-03 <span class="tag late">/);
  // the dashboard counts every assigned item past its limit, as the records say
  const assigned = must(await b.api('GET', '/api/v1/items?status=assigned&limit=100', { token: boss }), 200, 'list').items;
  let late = 0;
  for (const x of assigned)
    if (must(await b.api('GET', `/api/v1/items/${x.id}/records`, { token: boss }), 200, 'r').loop.accept_late) late++;
  assert.ok(late >= 1);
  const dash = await cookiePage(b, 'supervisor', logins.supervisor, '/dashboard');
  assert.match(dash, new RegExp(`<p class="alert accept-late" role="status"><a href="/items\\?status=assigned">超期未签收：${late}</a></p>`));
  // signed for: no longer flagged
  must(await b.api('POST', `/api/v1/items/${id}/actions`, { token: yjj, body: { action: 'accept' } }), 200, 'accept');
  loop = must(await b.api('GET', `/api/v1/items/${id}/records`, { token: boss }), 200, 'records').loop;
  assert.equal(loop.accept_late, undefined);
  assert.equal(must(await b.api('GET', '/api/v1/inbox', { token: yjj }), 200, 'inbox').to_accept.some((x) => x.id === id), false);
});
