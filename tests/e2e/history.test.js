// The configuration chain as people see it (issue 12, finding 8): every
// change to the settings, the calendar, keywords, routes, users, units and API
// keys — through the pages, the API and the CLI — is an event with who, when,
// the row before and after, newest first in GET /api/v1/config-history and on
// the page /admin/history; a password shows only as changed.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('../lib/server.js');

let s, adm, sup;

function must(r, status, what) {
  assert.equal(r.status, status, `${what}: ${r.status} ${r.text.slice(0, 300)}`);
  return r.json;
}
const history = async (q = '') => must(await s.api('GET', '/api/v1/config-history' + q, { token: sup }), 200, 'history');

before(async () => {
  s = await startServer({ env: { LUOSHI_NOW: '2025-03-03' } });
  adm = await s.login('admin');
  sup = await s.login('supervisor');
});
after(async () => {
  assert.equal(await s.stop(), 0, s.log().slice(-3000));
});

test('the chain starts with a baseline and holds the demo city\'s units, users and calendar as added', async () => {
  const all = await history('?limit=500');
  assert.ok(all.total_count > 100, `${all.total_count} events`);
  const first = (await history(`?offset=${all.total_count - 1}&limit=1`)).events[0];
  assert.deepEqual([first.seq, first.action, first.section, first.key, first.actor], [1, 'baseline', '*', '', 'system']);
  assert.equal(first.rows.settings > 10, true);
  const units = await history('?section=units&limit=500');
  const dcs = units.events.find((e) => e.after.code === 'dcs');
  assert.equal(dcs.action, 'add');
  assert.match(dcs.actor, /^cli:/);
  assert.equal(dcs.before, null);
  assert.deepEqual(dcs.changed, ['code', 'created_at', 'kind', 'name', 'parent_id']);
});

test('a setting changed through the API, a day through the page and a password by the CLI are recorded', async () => {
  must(await s.api('POST', '/api/v1/settings', { token: adm, body: { 'light.warn_working_days': 5 } }), 200, 'set');
  let e = (await history('?section=settings&limit=1')).events[0];
  assert.deepEqual({ ...e, at: undefined, seq: undefined },
    { at: undefined, seq: undefined, actor: 'admin', action: 'set', section: 'settings', key: 'light.warn_working_days',
      before: { value: '3' }, after: { value: '5' }, changed: ['value'] });
  // the same value again changes nothing and records nothing
  const n = (await history()).total_count;
  must(await s.api('POST', '/api/v1/settings', { token: adm, body: { 'light.warn_working_days': 5 } }), 200, 'again');
  assert.equal((await history()).total_count, n);

  must(await s.api('POST', '/api/v1/calendar', { token: adm, body: { remove: ['2025-10-01'] } }), 200, 'remove a day');
  e = (await history('?section=calendar&limit=1')).events[0];
  assert.deepEqual([e.actor, e.action, e.key, e.before.kind, e.after], ['admin', 'remove', '2025-10-01', 'holiday', null]);

  const r = s.cli(['user', 'passwd', '--username', 'yjj', '--password-stdin'], { input: 'a-new-long-password\n' });
  assert.equal(r.status, 0, r.stderr);
  e = (await history('?section=users&limit=1')).events[0];
  assert.equal(e.action, 'password');
  assert.equal(e.after.username, 'yjj');
  assert.deepEqual(e.changed, ['password']);
  assert.equal(e.after.password, undefined, 'the digest is not shown');
  assert.equal(JSON.stringify(e).includes('argon2'), false);
  assert.equal((await s.api('GET', '/api/v1/config-history?section=nope', { token: sup })).status, 422);
  assert.equal((await s.api('GET', '/api/v1/config-history', { token: await s.login('yjj', 'a-new-long-password') })).status, 403);
});

test('the page /admin/history lists the changes, a section at a time', async () => {
  const login = await fetch(s.url + '/login', { method: 'POST', redirect: 'manual',
    body: new URLSearchParams({ username: 'supervisor', password: s.logins.supervisor }).toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  const cookie = login.headers.get('set-cookie').split(';')[0];
  const get = async (p) => { const r = await fetch(s.url + p, { headers: { Cookie: cookie } }); return { status: r.status, text: await r.text() }; };
  let p = await get('/admin/history?section=settings');
  assert.equal(p.status, 200);
  assert.match(p.text, /<h1>变更记录<\/h1>/);
  assert.match(p.text, /<a href="\/admin\/history" class="on" aria-current="page">变更记录<\/a>|<a href="\/admin\/history"[^>]*>变更记录<\/a>/);
  assert.match(p.text, /<td>admin<\/td><td>规则设置<\/td><td>light\.warn_working_days<\/td><td>set<\/td><td><code>value<\/code><\/td><td><small>\{&quot;value&quot;:&quot;3&quot;\}<\/small><\/td><td><small>\{&quot;value&quot;:&quot;5&quot;\}<\/small><\/td><\/tr>/);
  assert.match(p.text, /<a href="\/admin\/history\?section=settings" class="on">规则设置<\/a>/);
  assert.doesNotMatch(p.text, /<td>工作日历<\/td>/);
  p = await get('/admin/history');
  assert.match(p.text, /<a href="\/admin\/history" class="on">全部<\/a>/);
  assert.match(p.text, /<a href="\/admin\/history\?section=&amp;offset=50">更早的记录<\/a>/);
  const total = (await history()).total_count;
  p = await get(`/admin/history?offset=${total - 1}`);
  assert.match(p.text, /<tr><td>1<\/td><td>[^<]+<\/td><td>system<\/td><td>全部<\/td><td><\/td><td>baseline<\/td><td><\/td><td colspan="2">\{&quot;api_keys&quot;:0,/);
  assert.equal((await get('/admin/history?section=nope')).status, 422);
});
