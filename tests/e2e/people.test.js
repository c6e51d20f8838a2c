// The admin pages of people, units and API keys (issue 17, major 5):
// /admin/users, /admin/units and /admin/apikeys, admins only (the
// permissions matrix holds who), CSRF like every form (csrf.test.js).  Each
// change is core's (the same checks as the CLI) and an event of the
// configuration chain with the admin as its actor; a refused form comes back
// with the reason in the page's language and what was typed.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('../lib/server.js');

let s, adm, sup;

function must(r, status, what) {
  assert.equal(r.status, status, `${what}: ${r.status} ${r.text.slice(0, 300)}`);
  return r.json;
}
async function cookieSession(username, password) {
  const r = await fetch(s.url + '/login', {
    method: 'POST', redirect: 'manual',
    body: new URLSearchParams({ username, password: password || s.logins[username] }).toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  assert.equal(r.status, 303, 'login ' + username);
  const cookie = r.headers.get('set-cookie').split(';')[0];
  const html = await (await fetch(s.url + '/units', { headers: { Cookie: cookie } })).text();
  return { cookie, csrf: html.match(/name="csrf" value="([0-9a-f]{64})"/)[1] };
}
async function page(session, p) {
  const r = await fetch(s.url + p, { headers: { Cookie: session.cookie }, redirect: 'manual' });
  return { status: r.status, text: await r.text(), location: r.headers.get('location') };
}
async function postForm(session, p, fields) {
  const f = new URLSearchParams(fields);
  f.append('csrf', session.csrf);
  const r = await fetch(s.url + p, { method: 'POST', redirect: 'manual', body: f.toString(),
    headers: { Cookie: session.cookie, 'Content-Type': 'application/x-www-form-urlencoded' } });
  return { status: r.status, text: await r.text(), location: r.headers.get('location') };
}
async function loginStatus(username, password) {
  return (await s.api('POST', '/api/v1/session', { body: { username, password } })).status;
}
async function history(section) {
  return must(await s.api('GET', `/api/v1/config-history?section=${section}&limit=1`, { token: sup }),
    200, 'history').events[0];
}

before(async () => {
  s = await startServer();
  adm = await cookieSession('admin');
  sup = await s.login('supervisor');
});
after(async () => {
  assert.equal(await s.stop(), 0, s.log().slice(-3000));
});

test('users page: the admin adds a person; a weak password comes back with its reason', async () => {
  const add = { op: 'add', username: 'wangdc', name: '王督查', unit_code: 'dcs', role_supervisor: 'on' };
  let r = await postForm(adm, '/admin/users', { ...add, password: 'password' });
  assert.equal(r.status, 422);
  assert.match(r.text, /<p class="alert" role="alert">未能保存：[^<]*密码/);
  assert.match(r.text, /name="username"[^>]*value="wangdc"/, 'what was typed is kept');
  assert.equal(await loginStatus('wangdc', 'password'), 401);
  r = await postForm(adm, '/admin/users', { ...add, password: 'amber quarry lantern 42' });
  assert.deepEqual([r.status, r.location], [303, '/admin/users']);
  assert.equal(await loginStatus('wangdc', 'amber quarry lantern 42'), 200);
  const me = must(await s.api('GET', '/api/v1/me', { token: await s.login('wangdc', 'amber quarry lantern 42') }),
    200, 'me').user;
  assert.equal(me.name, '王督查');
  assert.deepEqual(me.roles, ['supervisor']);
  const ev = await history('users');
  assert.deepEqual([ev.actor, ev.action], ['admin', 'add']);
  r = await page(adm, '/admin/users');
  assert.equal(r.status, 200);
  assert.match(r.text, /<input type="hidden" name="username" value="wangdc"><button type="submit" class="danger" data-confirm="停用后此人不能再登录，已登录的会话立即失效。确定停用吗？">停用账号<\/button>/);
  assert.match(r.text, /<td><code>wangdc<\/code><\/td><td>王督查<\/td><td>督查室（督考办）<\/td><td>督查员<\/td><td>正常<\/td>/);
  r = await postForm(adm, '/admin/users', { ...add, username: 'wangdc', password: 'amber quarry lantern 42' });
  assert.equal(r.status, 409, 'the name is taken');
});

test('users page: the admin edits the display name, unit and roles, resets the password, disables', async () => {
  let r = await postForm(adm, '/admin/users', { op: 'edit', username: 'wangdc', name: ' 王 督查 ',
    unit_code: 'swb', role_leader: 'on', role_supervisor: 'on' });
  assert.deepEqual([r.status, r.location], [303, '/admin/users']);
  let token = await s.login('wangdc', 'amber quarry lantern 42');
  let me = must(await s.api('GET', '/api/v1/me', { token }), 200, 'me').user;
  assert.deepEqual([me.name, me.roles], ['王 督查', ['supervisor', 'leader']]);
  const ev = await history('users');
  assert.deepEqual([ev.actor, ev.action, ev.changed], ['admin', 'edit', ['name', 'roles', 'unit_id']]);
  r = await postForm(adm, '/admin/users', { op: 'edit', username: 'wangdc', name: '王', unit_code: 'swb' });
  assert.equal(r.status, 422, 'no role');
  r = await postForm(adm, '/admin/users', { op: 'password', username: 'wangdc', password: '12345678' });
  assert.equal(r.status, 422, 'the policy holds for a reset too');
  r = await postForm(adm, '/admin/users', { op: 'password', username: 'wangdc', password: 'violet harbour engine 7' });
  assert.deepEqual([r.status, r.location], [303, '/admin/users']);
  assert.equal((await s.api('GET', '/api/v1/me', { token })).status, 401, 'the reset ends the sessions');
  assert.equal(await loginStatus('wangdc', 'amber quarry lantern 42'), 401);
  assert.equal(await loginStatus('wangdc', 'violet harbour engine 7'), 200);
  r = await postForm(adm, '/admin/users', { op: 'disable', username: 'wangdc' });
  assert.equal(r.status, 303);
  assert.equal(await loginStatus('wangdc', 'violet harbour engine 7'), 401);
  assert.match((await page(adm, '/admin/users')).text, /<td>王 督查<\/td><td>市委办公室<\/td><td>督查员、领导<\/td><td>已停用<\/td><td><details>.*?<button type="submit">启用账号<\/button>/);
  r = await postForm(adm, '/admin/users', { op: 'enable', username: 'wangdc' });
  assert.equal(r.status, 303);
  assert.equal(await loginStatus('wangdc', 'violet harbour engine 7'), 200);
  r = await postForm(adm, '/admin/users', { op: 'disable', username: 'nobody' });
  assert.equal(r.status, 404);
});

test('units page: the admin adds, renames and moves a unit, never under itself', async () => {
  let r = await postForm(adm, '/admin/units', { op: 'add', code: 'hbj', name: '环保局', kind: 'department', parent: '' });
  assert.deepEqual([r.status, r.location], [303, '/admin/units']);
  r = await postForm(adm, '/admin/units', { op: 'add', code: 'hbj-1', name: '监测站', kind: 'taskforce', parent: 'hbj' });
  assert.equal(r.status, 303);
  r = await postForm(adm, '/admin/units', { op: 'edit', code: 'hbj', name: '生态环境局', kind: 'department', parent: 'hbj-1' });
  assert.equal(r.status, 422);
  assert.match(r.text, /未能保存：单位不能移到它自己或它的下级单位之下。/);
  r = await postForm(adm, '/admin/units', { op: 'edit', code: 'hbj', name: '生态环境局', kind: 'department', parent: 'swb' });
  assert.equal(r.status, 303);
  const units = must(await s.api('GET', '/api/v1/units', { token: sup }), 200, 'units').units;
  const by = Object.fromEntries(units.map((x) => [x.code, x]));
  assert.deepEqual([by.hbj.name, by.hbj.kind, by.hbj.parent_id, by['hbj-1'].parent_id],
    ['生态环境局', 'department', by.swb.id, by.hbj.id]);
  const ev = await history('units');
  assert.deepEqual([ev.actor, ev.action, ev.changed], ['admin', 'edit', ['name', 'parent_id']]);
  r = await postForm(adm, '/admin/units', { op: 'add', code: 'hbj', name: '重复', kind: 'department' });
  assert.equal(r.status, 409);
  assert.match((await page(adm, '/admin/units')).text, /<td><code>hbj<\/code><\/td><td>生态环境局<\/td><td>部门<\/td><td>[^<—]+<\/td>/);
});

test('API keys page: a key is shown once, works on Open311, and stops when revoked', async () => {
  let r = await postForm(adm, '/admin/apikeys', { op: 'create', name: '12345 热线' });
  assert.equal(r.status, 200);
  const key = r.text.match(/<code class="apikey">([0-9a-f]{64})<\/code>/)[1];
  const post = (api_key) => fetch(s.url + '/open311/v2/requests.json', { method: 'POST',
    body: new URLSearchParams({ api_key, service_code: 'fire', description: '楼道堆放杂物', lat: '28.89', long: '105.44',
      address_string: '东城街道 1 号' }).toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  assert.notEqual((await post(key)).status, 403);
  r = await page(adm, '/admin/apikeys');
  assert.ok(!r.text.includes(key), 'never shown again');
  assert.match(r.text, /<td>12345 热线<\/td><td>[^<]+<\/td><td>正常<\/td>/);
  assert.deepEqual([(await history('api_keys')).actor, (await history('api_keys')).action], ['admin', 'add']);
  r = await postForm(adm, '/admin/apikeys', { op: 'revoke', name: '12345 热线' });
  assert.deepEqual([r.status, r.location], [303, '/admin/apikeys']);
  assert.equal((await post(key)).status, 403);
  assert.match((await page(adm, '/admin/apikeys')).text, /<td>12345 热线<\/td><td>[^<]+<\/td><td>已吊销<\/td><td><\/td>/);
  r = await postForm(adm, '/admin/apikeys', { op: 'revoke', name: '没有' });
  assert.equal(r.status, 404);
});

test('admin tabs: the three pages are linked for admins only', async () => {
  assert.match((await page(adm, '/admin/settings')).text, /href="\/admin\/users">人员管理<\/a><a href="\/admin\/units">单位管理<\/a><a href="\/admin\/apikeys">接口密钥<\/a>/);
  const sp = await cookieSession('supervisor');
  const t = (await page(sp, '/admin/settings')).text;
  assert.ok(!t.includes('/admin/users'));
  assert.equal((await page(sp, '/admin/users')).status, 403);
});

test('display names: the timeline, the events and the inbox name the person, not the login', async () => {
  const item = must(await s.api('POST', '/api/v1/items', { token: sup,
    body: { kind: 'task', title: '显示姓名测试', lead_unit_id: must(await s.api('GET', '/api/v1/units', { token: sup }),
      200, 'units').units.find((x) => x.code === 'yjj').id, deadline: '2030-12-31' } }), 201, 'item');
  must(await s.api('POST', `/api/v1/items/${item.id}/actions`, { token: sup, body: { action: 'assign' } }), 200, 'assign');
  const events = must(await s.api('GET', `/api/v1/items/${item.id}/events`, { token: sup }), 200, 'events').events;
  assert.deepEqual(events.map((e) => [e.actor, e.actor_name]),
    [['supervisor', '督查室 王督查'], ['supervisor', '督查室 王督查']]);
  const yjj = await cookieSession('yjj');
  const t = (await page(yjj, `/items/${item.id}`)).text;
  assert.match(t, /<span class="by">督查室 王督查<\/span>/);
  assert.ok(!t.includes('<span class="by">supervisor</span>'));
  const box = must(await s.api('GET', '/api/v1/inbox', { token: await s.login('yjj') }), 200, 'inbox');
  const entry = box.to_accept.find((x) => x.id === item.id);
  assert.deepEqual([entry.why.actor, entry.why.actor_name], ['supervisor', '督查室 王督查']);
  assert.match((await page(yjj, '/inbox')).text, /<span class="what-act">交办<\/span> 督查室 王督查 · /);
  // a name changed on /admin/users shows at once: the name is read, not copied into the event
  const r = await postForm(adm, '/admin/users', { op: 'edit', username: 'supervisor', name: '王督查',
    unit_code: 'dcs', role_supervisor: 'on' });
  assert.equal(r.status, 303);
  assert.match((await page(yjj, `/items/${item.id}`)).text, /<span class="by">王督查<\/span>/);
  // the records (an urge here) name the person too
  must(await s.api('POST', `/api/v1/items/${item.id}/actions`, { token: sup, body: { action: 'urge', text: '请尽快签收' } }),
    200, 'urge');
  const rec = must(await s.api('GET', `/api/v1/items/${item.id}/records`, { token: sup }), 200, 'records');
  assert.deepEqual(rec.urges.map((u) => [u.user, u.user_name, u.text]), [['supervisor', '王督查', '请尽快签收']]);
  assert.match((await page(yjj, `/items/${item.id}`)).text, /<li><div class="head"><b>王督查<\/b><span class="by"><\/span>/);
});
