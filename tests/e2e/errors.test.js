// Errors in the reader's language (issue 17, major 3): pages speak the
// page's language (Chinese by default, English with ?lang=en), the API the
// request's Accept-Language (Chinese unless it asks for English), and the
// code never changes.  The cases are the ones found in English inside the
// Chinese pages: form validation (progress 150, an extension date, a date and
// working days both given, triage without a deadline), the 403 and 404
// pages, the CSRF page and an unknown meeting.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('../lib/server.js');

const FORM = 'application/x-www-form-urlencoded';
let s, sup, unitOf;

before(async () => {
  s = await startServer({ env: { LUOSHI_NOW: '2025-03-03' } });
  sup = await s.login('supervisor');
  const units = (await s.api('GET', '/api/v1/units', { token: sup })).json.units;
  unitOf = (code) => units.find((u) => u.code === code).id;
});
after(async () => {
  assert.equal(await s.stop(), 0, s.log().slice(-3000));
});

async function session(user, lang) {
  const body = new URLSearchParams({ username: user, password: s.logins[user] }).toString();
  const r = await fetch(s.url + '/login', { method: 'POST', redirect: 'manual', body,
    headers: { 'Content-Type': FORM } });
  assert.equal(r.status, 303);
  const cookie = r.headers.get('set-cookie').split(';')[0] + (lang ? `; lang=${lang}` : '');
  const page = await (await fetch(s.url + '/inbox', { headers: { Cookie: cookie } })).text();
  return { cookie, csrf: page.match(/name="csrf" value="([0-9a-f]{64})"/)[1] };
}

async function get(sess, path) {
  const r = await fetch(s.url + path, { headers: { Cookie: sess.cookie }, redirect: 'manual' });
  return { status: r.status, html: await r.text() };
}

async function post(sess, path, fields) {
  const r = await fetch(s.url + path, { method: 'POST', redirect: 'manual',
    body: new URLSearchParams(fields).toString(),
    headers: { Cookie: sess.cookie, 'Content-Type': FORM } });
  return { status: r.status, html: await r.text() };
}

// The text of the error page's message, or of the item page's alert.
const pageMessage = (html) => (html.match(/<section class="card error"><h1>.*?<\/h1><p>(.*?)<\/p>/) || [])[1];
const alertText = (html) => (html.match(/role="alert">(.*?)<\/p>/) || [])[1];

async function accepted(title) {
  const r = await s.api('POST', '/api/v1/items', { token: sup,
    body: { kind: 'task', title, deadline: '2025-06-30' } });
  assert.equal(r.status, 201, r.text);
  const id = r.json.id;
  const yjj = await s.login('yjj');
  assert.equal((await s.api('POST', `/api/v1/items/${id}/actions`, { token: sup,
    body: { action: 'assign', lead_unit_id: unitOf('yjj') } })).status, 200);
  assert.equal((await s.api('POST', `/api/v1/items/${id}/actions`, { token: yjj,
    body: { action: 'accept' } })).status, 200);
  return id;
}

test('the API answers in Chinese by default and in English when asked; the code stays', async () => {
  const body = { kind: 'task', title: '日期有误', deadline: '2025-02-30' };
  const cases = [
    [{}, '期限须为有效的日期（年-月-日）。'],
    [{ 'Accept-Language': 'zh-CN,zh;q=0.9' }, '期限须为有效的日期（年-月-日）。'],
    [{ 'Accept-Language': 'en-US,en;q=0.9' }, "'deadline' must be a real date as YYYY-MM-DD"],
  ];
  for (const [headers, message] of cases) {
    const r = await s.api('POST', '/api/v1/items', { token: sup, body, headers });
    assert.equal(r.status, 422);
    assert.equal(r.json.error.code, 'invalid_field');
    assert.equal(r.json.error.message, message, JSON.stringify(headers));
  }
  // in Chinese the English detail stays beside the message, for whoever debugs
  const r = await s.api('POST', '/api/v1/items', { token: sup, body });
  assert.equal(r.json.error.detail, "'deadline' must be a real date as YYYY-MM-DD");
  const en = await s.api('GET', '/api/v1/nowhere', { token: sup, headers: { 'Accept-Language': 'en' } });
  assert.deepEqual([en.status, en.json.error.code, en.json.error.message], [404, 'not_found', 'no such path: /api/v1/nowhere']);
  const zh = await s.api('GET', '/api/v1/nowhere', { token: sup });
  assert.deepEqual([zh.status, zh.json.error.code, zh.json.error.message], [404, 'not_found', '没有这个页面。']);
});

test('the item page refuses progress 150, a bad extension date and both deadlines in Chinese', async () => {
  const id = await accepted('表单校验的事项');
  const yjj = await session('yjj');
  let r = await post(yjj, `/items/${id}/act`, { csrf: yjj.csrf, action: 'feedback', text: '进展', progress: '150' });
  assert.equal(r.status, 422);
  assert.equal(alertText(r.html), '进度须为 0 到 100 之间的整数。');
  r = await post(yjj, `/items/${id}/act`, { csrf: yjj.csrf, action: 'request_extension', deadline: '2025-05-01', reason: '汛期' });
  assert.equal(r.status, 422);
  assert.equal(alertText(r.html), '申请的新期限须晚于现有期限：2025-06-30。');
  const boss = await session('supervisor');
  const d = await s.api('POST', '/api/v1/items', { token: sup, body: { kind: 'task', title: '两个期限' } });
  r = await post(boss, `/items/${d.json.id}/act`, { csrf: boss.csrf, action: 'assign',
    lead_unit_id: String(unitOf('yjj')), deadline: '2025-06-30', working_days: '5' });
  assert.equal(r.status, 422);
  assert.equal(alertText(r.html), '期限和工作日数只能填写其中一项。');
  // the same in English
  const en = await session('yjj', 'en');
  r = await post(en, `/items/${id}/act`, { csrf: en.csrf, action: 'feedback', text: 'news', progress: '150' });
  assert.equal(alertText(r.html), '&#39;progress&#39; must be an integer from 0 to 100');
});

test('triage with "assign now" and no deadline is refused in Chinese', async () => {
  const grid = await s.login('grid');
  const h = await s.api('POST', '/api/v1/hazards', { token: grid, body: { category: 'fire', description: '消防通道堵塞', address: '东城 人民路 1 号' } });
  assert.equal(h.status, 201, h.text);
  const boss = await session('supervisor');
  const r = await post(boss, `/hazards/${h.json.id}/triage`, { csrf: boss.csrf, level: 'general', category: 'fire', lead_unit_id: String(unitOf('yjj')), assign: '1' });
  assert.equal(r.status, 422);
  assert.match(alertText(r.html), new RegExp(`#${h.json.id}：请填写期限（或工作日数）：该事项还没有期限。`));
});

test('the 403, 404, CSRF and unknown-meeting pages speak the page\'s language', async () => {
  const yjj = await session('yjj');
  const cases = [
    [yjj, '/hazards', 403, '您无权进行此操作或查看此内容。', 'your role may not use GET /hazards'],
    [yjj, '/nowhere', 404, '没有这个页面。', 'no such path: /nowhere'],
    [yjj, '/meetings/999', 404, '没有这次会议的记录。', 'no meeting with id 999'],
    [yjj, '/items/99999', 404, '没有这个事项，或它已被删除。', 'no item with id 99999'],
  ];
  for (const [sess, path, status, zh, en] of cases) {
    let r = await get(sess, path);
    assert.equal(r.status, status, path);
    assert.match(r.html, /<html lang="zh-CN">/);
    assert.equal(pageMessage(r.html), zh, path);
    r = await get(sess, path + '?lang=en');
    assert.equal(r.status, status, path);
    assert.match(r.html, /<html lang="en">/);
    assert.equal(pageMessage(r.html), en, path);
  }
  const id = await accepted('没有令牌');
  let r = await post(yjj, `/items/${id}/act`, { action: 'accept' });
  assert.equal(r.status, 403);
  assert.equal(pageMessage(r.html), '表单已失效或来源不明，请刷新页面后重新提交。');
  const en = await session('yjj', 'en');
  r = await post(en, `/items/${id}/act`, { action: 'accept' });
  assert.equal(pageMessage(r.html), 'the form&#39;s CSRF token is missing or wrong; reload the page and try again');
});
