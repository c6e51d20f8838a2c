// Typed text is trimmed and blank text refused everywhere (issue 17, major
// 6): titles, descriptions, reasons, feedback, a hazard's description and
// address, a campaign's theme, a keyword — through the API, the pages and
// Open311 alike, with the blanks of a Chinese keyboard (U+3000) counted as
// blank; what is stored is the text without its blank ends.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('../lib/server.js');

const FORM = 'application/x-www-form-urlencoded';
let s, sup, yjj, grid, adm, unitOf;

before(async () => {
  s = await startServer({ env: { LUOSHI_NOW: '2025-03-10' } });
  [sup, yjj, grid, adm] = await Promise.all(['supervisor', 'yjj', 'grid', 'admin'].map((u) => s.login(u)));
  const units = (await s.api('GET', '/api/v1/units', { token: sup })).json.units;
  unitOf = (code) => units.find((u) => u.code === code).id;
});
after(async () => {
  assert.equal(await s.stop(), 0, s.log().slice(-3000));
});

const act = (token, id, body) => s.api('POST', `/api/v1/items/${id}/actions`, { token, body });
const refused = (r, code, what) => assert.deepEqual([r.status, r.json && r.json.error.code], [422, code], what + ': ' + r.text);

test('an item title or description of spaces is refused; a padded one is stored trimmed', async () => {
  for (const title of ['', '   ', '\u3000\u3000', ' \t\n ']) {
    refused(await s.api('POST', '/api/v1/items', { token: sup, body: { kind: 'task', title } }), 'missing_field', JSON.stringify(title));
  }
  const r = await s.api('POST', '/api/v1/items', { token: sup, body: { kind: 'task', title: '\u3000 排查燃气隐患  ', description: '  逐户排查\n' } });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual([r.json.title, r.json.description], ['排查燃气隐患', '逐户排查']);
  const ev = (await s.api('GET', `/api/v1/items/${r.json.id}/events`, { token: sup })).json.events[0];
  assert.equal(ev.data.title, '排查燃气隐患', 'the event vouches for what is stored');
});

test('reasons, feedback and submissions of spaces are refused; nothing changes', async () => {
  const c = await s.api('POST', '/api/v1/items', { token: sup, body: { kind: 'task', title: '退回理由', lead_unit_id: unitOf('yjj'), deadline: '2025-06-30' } });
  const id = c.json.id;
  assert.equal((await act(sup, id, { action: 'assign' })).status, 200);
  refused(await act(yjj, id, { action: 'return', reason: '\u3000 ' }), 'missing_field', 'return');
  assert.equal((await act(yjj, id, { action: 'accept' })).status, 200);
  refused(await act(yjj, id, { action: 'feedback', text: '  \n' }), 'missing_field', 'feedback');
  refused(await act(yjj, id, { action: 'submit', text: '  ' }), 'missing_field', 'submit');
  refused(await act(sup, id, { action: 'urge', text: ' ' }), 'missing_field', 'urge');
  refused(await act(sup, id, { action: 'cancel', reason: '\t' }), 'missing_field', 'cancel');
  const fb = await act(yjj, id, { action: 'feedback', text: '  已完成一半  ', progress: 50 });
  assert.equal(fb.status, 200, fb.text);
  const rec = (await s.api('GET', `/api/v1/items/${id}/records`, { token: sup })).json;
  assert.equal(rec.feedback[0].text, '已完成一半');
  const ev = (await s.api('GET', `/api/v1/items/${id}/events`, { token: sup })).json.events;
  assert.deepEqual(ev.map((e) => e.action), ['create', 'assign', 'accept', 'feedback']);
});

test('a hazard report of spaces is refused; its address and description are stored trimmed', async () => {
  refused(await s.api('POST', '/api/v1/hazards', { token: grid, body: { category: 'fire', description: '\u3000\u3000' } }), 'missing_field', 'description');
  const r = await s.api('POST', '/api/v1/hazards', { token: grid, body: { category: 'fire', description: '  楼道堆物  ', address: '  金城路 5 号 ' } });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual([r.json.description, r.json.hazard.address, r.json.title], ['楼道堆物', '金城路 5 号', '消防隐患：金城路 5 号']);
  // Open311 (whose description is optional): stored trimmed, a blank one as none
  const key = s.cli(['apikey', 'add', '--name', '测试']).stdout.trim().split(/\s+/).pop();
  const o = await fetch(s.url + '/open311/v2/requests.json', { method: 'POST', headers: { 'Content-Type': FORM },
    body: new URLSearchParams({ api_key: key, service_code: 'other', description: '\u3000 ', address_string: '  东城街道 人民路 2 号 ' }).toString() });
  assert.equal(o.status, 200);
  const oid = (await o.json())[0].service_request_id;
  const oh = (await s.api('GET', `/api/v1/hazards/${oid}`, { token: sup })).json;
  assert.deepEqual([oh.description, oh.hazard.address, oh.title], ['', '东城街道 人民路 2 号', '其他隐患：东城街道 人民路 2 号']);
});

test('a campaign theme and a keyword of spaces are refused; the page says so in Chinese', async () => {
  refused(await s.api('POST', '/api/v1/campaigns', { token: sup, body: { theme: '\u3000', month: '2025-04', categories: ['fire'] } }), 'missing_field', 'theme');
  refused(await s.api('POST', '/api/v1/keywords', { token: adm, body: { keyword: '  ', unit_code: 'yjj' } }), 'invalid_field', 'keyword');
  const k = await s.api('POST', '/api/v1/keywords', { token: adm, body: { keyword: ' 河长制 ', unit_code: 'yjj' } });
  assert.equal(k.status, 201, k.text);
  const list = s.cli(['keyword', 'list', '--json']);
  assert.ok(JSON.parse(list.stdout).rules.some((x) => x.keyword === '河长制'));
  // the new-item page refuses a title of spaces and keeps the form
  const login = await fetch(s.url + '/login', { method: 'POST', redirect: 'manual', headers: { 'Content-Type': FORM },
    body: new URLSearchParams({ username: 'supervisor', password: s.logins.supervisor }).toString() });
  const cookie = login.headers.get('set-cookie').split(';')[0];
  const page = await (await fetch(s.url + '/items/new', { headers: { Cookie: cookie } })).text();
  const csrf = page.match(/name="csrf" value="([0-9a-f]{64})"/)[1];
  const r = await fetch(s.url + '/items/new', { method: 'POST', redirect: 'manual', headers: { Cookie: cookie, 'Content-Type': FORM },
    body: new URLSearchParams({ csrf, kind: 'task', title: '\u3000\u3000', description: '说明' }).toString() });
  assert.equal(r.status, 422);
  const html = await r.text();
  assert.match(html, /role="alert">未能创建：请填写必填项：标题。</);
  assert.match(html, />说明<\/textarea>/);
});
