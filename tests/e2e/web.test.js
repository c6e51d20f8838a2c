// End-to-end tests of the pages' security: the login cookie, CSRF on cookie
// forms, and escaping of stored text in HTML.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('../lib/server.js');

let s, sup;
before(async () => {
  s = await startServer();
  sup = await s.login('supervisor');
});
after(async () => {
  assert.equal(await s.stop(), 0, s.log().slice(-3000));
});

async function formLogin(username, password) {
  const body = new URLSearchParams({ username, password }).toString();
  return fetch(s.url + '/login', {
    method: 'POST', redirect: 'manual', body,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
}

async function cookieFor(username) {
  const r = await formLogin(username, s.logins[username]);
  assert.equal(r.status, 303);
  const c = r.headers.get('set-cookie');
  return c.split(';')[0];
}

test('the login form sets an HttpOnly, SameSite=Strict session cookie', async () => {
  const r = await formLogin('supervisor', s.logins.supervisor);
  assert.equal(r.status, 303);
  const c = r.headers.get('set-cookie');
  assert.match(c, /^luoshi_session=[0-9a-f]{64};/);
  assert.match(c, /HttpOnly/);
  assert.match(c, /SameSite=Strict/);
  assert.match(c, /Path=\//);
});

test('a wrong password shows the form again without a cookie', async () => {
  const r = await formLogin('leader', 'not-the-password');
  assert.equal(r.status, 401);
  assert.equal(r.headers.get('set-cookie'), null);
  assert.match(await r.text(), /<form/);
});

test('pages redirect to the login without a session', async () => {
  const r = await fetch(s.url + '/items', { redirect: 'manual' });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/login?next=/items');
});

test('a cookie form post without the CSRF token is refused and changes nothing', async () => {
  const cookie = await cookieFor('supervisor');
  const before = await s.api('GET', '/api/v1/items?limit=1', { token: sup });
  const body = new URLSearchParams({ title: '伪造的事项', kind: 'task' }).toString();
  let r = await fetch(s.url + '/items/new', {
    method: 'POST', redirect: 'manual', body,
    headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  assert.equal(r.status, 403);
  assert.match(await r.text(), /<p>表单已失效或来源不明，请刷新页面后重新提交。<\/p>/);
  r = await fetch(s.url + '/logout', {
    method: 'POST', redirect: 'manual', body: 'csrf=' + '0'.repeat(64),
    headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  assert.equal(r.status, 403);
  const after = await s.api('GET', '/api/v1/items?limit=1', { token: sup });
  assert.equal(after.json.total_count, before.json.total_count);
  // the session still works: the forged logout did nothing
  r = await fetch(s.url + '/items', { headers: { Cookie: cookie }, redirect: 'manual' });
  assert.equal(r.status, 200);
});

test('with the page\'s CSRF token the same form works', async () => {
  const cookie = await cookieFor('supervisor');
  const page = await (await fetch(s.url + '/items/new', { headers: { Cookie: cookie } })).text();
  const csrf = page.match(/name="csrf" value="([0-9a-f]{64})"/)[1];
  const body = new URLSearchParams({ csrf, title: '页面新建的事项', kind: 'task', feedback_cycle: 'none' }).toString();
  const r = await fetch(s.url + '/items/new', {
    method: 'POST', redirect: 'manual', body,
    headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  assert.equal(r.status, 303);
  assert.match(r.headers.get('location'), /^\/items\/\d+$/);
});

test('a script title is shown escaped in the item page and the list', async () => {
  const title = '<script>alert(1)</script>';
  const c = await s.api('POST', '/api/v1/items', { token: sup, body: { kind: 'task', title } });
  assert.equal(c.status, 201);
  const cookie = await cookieFor('supervisor');
  for (const path of [`/items/${c.json.id}`, '/items', '/items?q=' + encodeURIComponent('<script>')]) {
    const html = await (await fetch(s.url + path, { headers: { Cookie: cookie } })).text();
    assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'), path);
    assert.ok(!html.includes('<script>alert(1)'), path);
  }
});

test('pages speak Chinese by default and English on request', async () => {
  const cookie = await cookieFor('supervisor');
  let html = await (await fetch(s.url + '/items', { headers: { Cookie: cookie } })).text();
  assert.match(html, /<html lang="zh-CN"/);
  html = await (await fetch(s.url + '/items?lang=en', { headers: { Cookie: cookie } })).text();
  assert.match(html, /<html lang="en"/);
  html = await (await fetch(s.url + '/items', { headers: { Cookie: cookie, 'Accept-Language': 'en-US,en;q=0.9' } })).text();
  assert.match(html, /<html lang="en"/);
});

test('a handler\'s page for another unit\'s item is 403', async () => {
  const all = await s.api('GET', '/api/v1/items?limit=100', { token: sup });
  const other = all.json.items.find((it) => it.lead_unit && it.lead_unit.code === 'jxj');
  const cookie = await cookieFor('yjj');
  const r = await fetch(s.url + `/items/${other.id}`, { headers: { Cookie: cookie } });
  assert.equal(r.status, 403);
});

// Whether an error is a page or JSON follows the matched route's page flag;
// for a path no route matches, the application's rule (pages but under
// /api/, /open311/ and /healthz).  A photo is not a page: its errors are JSON.
test('errors are HTML exactly on page routes and page paths, JSON elsewhere', async () => {
  const cookie = await cookieFor('supervisor');
  const page = async (method, p, status, headers = {}) => {
    const r = await fetch(s.url + p, { method, headers: { Cookie: cookie, ...headers }, redirect: 'manual' });
    assert.equal(r.status, status, `${method} ${p}`);
    assert.equal(r.headers.get('content-type'), 'text/html; charset=utf-8', `${method} ${p}`);
    const html = await r.text();
    assert.ok(html.includes(`<section class="card error"><h1><span>${status}</span> `), html.slice(0, 400));
    return html;
  };
  const json = async (method, p, status, error, o = {}) => {
    const r = await s.api(method, p, o);
    assert.equal(r.status, status, `${method} ${p}`);
    assert.equal(r.headers.get('content-type'), 'application/json; charset=utf-8', `${method} ${p}`);
    assert.deepEqual(r.json, { error }, `${method} ${p}`);
  };
  assert.ok((await page('GET', '/nowhere', 404)).includes('<p>没有这个页面。</p>'));
  assert.ok((await page('GET', '/nowhere?lang=en', 404)).includes('<p>no such path: /nowhere</p>'));
  assert.ok((await page('POST', '/items', 405, { 'Content-Type': 'application/x-www-form-urlencoded' }))
    .includes('<p>此地址不支持这种请求方式。</p>'));
  assert.ok((await page('POST', '/items?lang=en', 405, { 'Content-Type': 'application/x-www-form-urlencoded' }))
    .includes('<p>POST is not allowed on /items</p>'));
  await page('POST', '/items/new', 403, { 'Content-Type': 'application/x-www-form-urlencoded' });
  await json('GET', '/api/v1/nowhere', 404, { code: 'not_found', message: '没有这个页面。', detail: 'no such path: /api/v1/nowhere' });
  await json('POST', '/healthz', 405, { code: 'method_not_allowed', message: '此地址不支持这种请求方式。', detail: 'POST is not allowed on /healthz' });
  await json('GET', '/photos/999999', 404, { code: 'not_found', message: '未找到所要的内容。', detail: 'no such photo' }, { token: sup });
  await json('GET', '/photos/999999', 401, { code: 'unauthorized', message: '请先登录。', detail: 'log in first: POST /api/v1/session' });
  const en = { headers: { 'Accept-Language': 'en' } };
  await json('GET', '/api/v1/nowhere', 404, { code: 'not_found', message: 'no such path: /api/v1/nowhere' }, en);
  await json('POST', '/healthz', 405, { code: 'method_not_allowed', message: 'POST is not allowed on /healthz' }, en);
});

test('a refused form names the field by its label, marks it invalid and ties the message to it; required fields are marked', async () => {
  const cookie = await cookieFor('supervisor');
  const page = await (await fetch(s.url + '/items/new', { headers: { Cookie: cookie } })).text();
  assert.match(page, /<label for="title">标题<span class="req" aria-hidden="true">\*<\/span><\/label><input id="title" name="title" required maxlength="200" value="">/);
  assert.match(page, /<label for="lead_unit_id">牵头单位<span class="req" aria-hidden="true">\*<\/span><\/label><select id="lead_unit_id" name="lead_unit_id" required data-filter="输入名称筛选单位">/);
  assert.ok(!page.includes('aria-invalid'), 'nothing is invalid before a refusal');
  const csrf = page.match(/name="csrf" value="([0-9a-f]{64})"/)[1];
  const body = new URLSearchParams({ csrf, title: '日期有误的事项', deadline: '2025-02-30', feedback_cycle: 'none' }).toString();
  const r = await fetch(s.url + '/items/new', {
    method: 'POST', redirect: 'manual', body,
    headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  assert.equal(r.status, 422);
  const html = await r.text();
  const alert = html.match(/<p class="alert" id="form-error" role="alert">([^<]*)<\/p>/);
  assert.ok(alert, 'the message has the id the field points to');
  assert.ok(!/deadline/.test(alert[1]), `the message names the label, not the JSON field: ${alert[1]}`);
  assert.match(html, /<input id="deadline" name="deadline" type="date" value="2025-02-30" placeholder="YYYY-MM-DD" aria-invalid="true" aria-describedby="form-error">/);
  assert.equal((html.match(/aria-invalid/g) || []).length, 1, 'only the field the message is about');
});
