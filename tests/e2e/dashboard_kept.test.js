// The dashboard's kept parts (issue 25): the red-and-yellow card and the
// figures by responsible leader are rendered once and put into later views
// while the data stamp, the score stamp (units), the configuration stamp
// and the session stamp (users) stay the same.  Each change those parts show
// must reach the very next view: a new yellow item, its title edited, its
// lead unit renamed, its leader renamed — and nothing else on the page is
// needed to move them.  Today is Monday 2030-01-07; a deadline on Tuesday
// is within the warning window, so the item is yellow once assigned.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('../lib/server.js');

let s, sup, adm, supPage;

function must(r, status, what) {
  assert.equal(r.status, status, `${what}: ${r.status} ${r.text.slice(0, 300)}`);
  return r.json;
}
async function cookieSession(username) {
  const r = await fetch(s.url + '/login', {
    method: 'POST', redirect: 'manual',
    body: new URLSearchParams({ username, password: s.logins[username] }).toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  assert.equal(r.status, 303, 'login ' + username);
  const cookie = r.headers.get('set-cookie').split(';')[0];
  const html = await (await fetch(s.url + '/units', { headers: { Cookie: cookie } })).text();
  return { cookie, csrf: html.match(/name="csrf" value="([0-9a-f]{64})"/)[1] };
}
async function postForm(session, p, fields) {
  const f = new URLSearchParams(fields);
  f.append('csrf', session.csrf);
  const r = await fetch(s.url + p, { method: 'POST', redirect: 'manual', body: f.toString(),
    headers: { Cookie: session.cookie, 'Content-Type': 'application/x-www-form-urlencoded' } });
  return r.status;
}
// The dashboard's attention card and leaders' card, as the supervisor sees them.
async function cards() {
  const r = await fetch(s.url + '/dashboard', { headers: { Cookie: supPage.cookie } });
  assert.equal(r.status, 200);
  const html = await r.text();
  const attention = html.match(/<section class="card"><h2>红灯、黄灯事项<\/h2>[\s\S]*?<\/section>/);
  const leaders = html.match(/<section class="card leaders">[\s\S]*?<\/section>/);
  return { attention: attention ? attention[0] : '', leaders: leaders ? leaders[0] : '' };
}

before(async () => {
  s = await startServer({ env: { LUOSHI_NOW: '2030-01-07' } });
  sup = await s.login('supervisor');
  adm = await cookieSession('admin');
  supPage = await cookieSession('supervisor');
});
after(async () => {
  assert.equal(await s.stop(), 0, s.log().slice(-3000));
});

async function until(ok, ms, what) {
  for (const end = Date.now() + ms; !ok();) {
    if (Date.now() > end) throw new Error('waited for ' + what);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('the scheduler computes the city\'s dashboard figures and 考核 card after its first run, once', async () => {
  await until(() => /dashboard: the city's figures computed in \d+ ms/.test(s.log()), 20000,
    'the dashboard figures');
  const log = s.log();
  assert.ok(log.indexOf('scheduler: ') < log.indexOf('dashboard: the city'), 'after the day\'s run');
  assert.equal(log.match(/dashboard: the city's figures computed/g).length, 1);
  // and its 考核 card (both languages, one computation), so that no first view computes the year
  await until(() => /dashboard: the 考核 card computed in \d+ ms/.test(s.log()), 20000, 'the 考核 card');
  assert.equal(s.log().match(/dashboard: the 考核 card computed/g).length, 1);
  const r = await fetch(s.url + '/dashboard', { headers: { Cookie: supPage.cookie } });
  assert.equal(r.status, 200);
  assert.match(await r.text(), /<div class="charts">/);
});

test('a kept dashboard card shows each change to what it shows at the next view', async () => {
  const units = must(await s.api('GET', '/api/v1/units', { token: sup }), 200, 'units').units;
  const yjj = units.find((x) => x.code === 'yjj');
  const me = must(await s.api('GET', '/api/v1/me', { token: await s.login('leader') }), 200, 'me');
  const lid = me.user ? me.user.id : me.id;
  let c = await cards();
  assert.doesNotMatch(c.attention, /看板缓存事项/);
  assert.doesNotMatch(c.leaders, /市领导 李书记/);
  assert.deepEqual(await cards(), c, 'two views without a change are the same');

  // a new yellow item with a leader, assigned
  const id = must(await s.api('POST', '/api/v1/items', { token: sup, body: { kind: 'task',
    title: '看板缓存事项', lead_unit_id: yjj.id, deadline: '2030-01-08', leader_id: lid } }), 201, 'create').id;
  must(await s.api('POST', `/api/v1/items/${id}/actions`, { token: sup, body: { action: 'assign' } }), 200, 'assign');
  c = await cards();
  assert.match(c.attention, new RegExp(`<a href="/items/${id}">看板缓存事项</a></td><td class="u">应急管理局</td><td class="d">2030-01-08</td>`));
  assert.match(c.leaders, new RegExp(`<a href="/items\\?leader=${lid}">市领导 李书记</a></td><td>1</td><td>0</td><td>0</td>`));

  // its title edited
  must(await s.api('POST', `/api/v1/items/${id}/actions`, { token: sup,
    body: { action: 'edit', title: '看板缓存事项（改）' } }), 200, 'edit');
  c = await cards();
  assert.match(c.attention, new RegExp(`<a href="/items/${id}">看板缓存事项（改）</a>`));

  // its lead unit renamed (the units' configuration, not an item)
  assert.equal(await postForm(adm, '/admin/units', { op: 'edit', code: 'yjj', name: '应急管理局（新）',
    kind: yjj.kind, parent: '' }), 303);
  c = await cards();
  assert.match(c.attention, new RegExp(`<a href="/items/${id}">看板缓存事项（改）</a></td><td class="u">应急管理局（新）</td>`));

  // its leader renamed (a user, not an item)
  assert.equal(await postForm(adm, '/admin/users', { op: 'edit', username: 'leader', name: '市领导 李书记（新）',
    unit_code: 'swb', role_leader: 'on' }), 303);
  c = await cards();
  assert.match(c.leaders, new RegExp(`<a href="/items\\?leader=${lid}">市领导 李书记（新）</a></td><td>1</td><td>0</td><td>0</td>`));

  // in English, the same card in the reader's language (a slot of its own)
  const en = await (await fetch(s.url + '/dashboard?lang=en', { headers: { Cookie: supPage.cookie } })).text();
  assert.match(en, /<h2>Red and yellow items<\/h2>/);
  assert.match(en, new RegExp(`<a href="/items/${id}">看板缓存事项（改）</a>`));
});
