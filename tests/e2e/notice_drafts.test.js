// End-to-end tests of a notice's draft → sign-off (issue 16 part 2,
// core/notice_draft.c, notice/draft.c, api/notice_drafts.c): a supervisor
// drafts a notice with its own 主送, 抄送 and summary and edits it; a leader
// reads it with the number it would take and signs it only with
// {"confirm": true} (签发后不可撤回); signing issues the notice with the
// draft's texts; the steps are recorded; a signed draft is neither edited nor
// signed again (409 already_signed); with notice.sign_own 0 an admin who
// drafted cannot sign their own (403 sign_own_draft).  The clock is
// 2025-04-01; the demo city has issued no notice of 2025.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('../lib/server.js');

let s, sup, leader, adm, draft;

function must(r, status, what) {
  assert.equal(r.status, status, `${what}: ${r.status} ${r.text}`);
  return r.json;
}

before(async () => {
  s = await startServer({ env: { LUOSHI_NOW: '2025-04-01' } });
  [sup, leader, adm] = await Promise.all(['supervisor', 'leader', 'admin'].map((u) => s.login(u)));
});
after(async () => {
  assert.equal(await s.stop(), 0, s.log().slice(-3000));
});

test('a supervisor drafts and edits; the draft shows the number it would take', async () => {
  const d = must(await s.api('POST', '/api/v1/notice-drafts', { token: sup, body: {
    from: '2025-03-01', to: '2025-03-31', main_to: '各镇街，市直各单位', summary: '三月份全市重点工作总体平稳。' } }),
  201, 'draft');
  draft = d.id;
  assert.deepEqual({ ...d, drafted_at: undefined, steps: undefined, id: undefined }, {
    id: undefined, from: '2025-03-01', to: '2025-03-31', unit: '', main_to: '各镇街，市直各单位', copy_to: '',
    summary: '三月份全市重点工作总体平稳。', drafted_by: 'supervisor', drafted_at: undefined, version: 1,
    status: 'draft', signed_by: null, signed_at: null, notice_id: null, will_take: '督通〔2025〕1号',
    steps: undefined });
  assert.deepEqual(d.steps.map((x) => [x.user, x.action]), [['supervisor', 'draft']]);
  const e = must(await s.api('POST', `/api/v1/notice-drafts/${draft}`, { token: sup, body: { copy_to: '市委办公室' } }), 200, 'edit');
  assert.deepEqual([e.copy_to, e.version], ['市委办公室', 2]);
  assert.deepEqual(e.steps[1], { at: e.steps[1].at, user: 'supervisor', action: 'edit',
    data: { before: { copy_to: '' }, after: { copy_to: '市委办公室' } } });
  const same = await s.api('POST', `/api/v1/notice-drafts/${draft}`, { token: sup, body: { copy_to: '市委办公室' } });
  assert.deepEqual([same.status, same.json.error.code], [422, 'nothing_changed']);
  // a leader reads it; a handler may not
  must(await s.api('GET', `/api/v1/notice-drafts/${draft}`, { token: leader }), 200, 'leader reads');
  const h = await s.api('GET', `/api/v1/notice-drafts/${draft}`, { token: await s.login('yjj') });
  assert.equal(h.status, 403);
});

test('signing needs the confirmation, issues the notice with the draft\'s texts, and cannot be repeated', async () => {
  const unconfirmed = await s.api('POST', `/api/v1/notice-drafts/${draft}/sign`, { token: leader, body: {} });
  assert.equal(unconfirmed.status, 422);
  assert.equal(unconfirmed.json.error.code, 'confirm_required');
  assert.match(unconfirmed.json.error.detail, /督通〔2025〕1号/);
  const sup403 = await s.api('POST', `/api/v1/notice-drafts/${draft}/sign`, { token: sup, body: { confirm: true } });
  assert.equal(sup403.status, 403, 'a supervisor drafts, a leader or the office head signs');
  const signed = must(await s.api('POST', `/api/v1/notice-drafts/${draft}/sign`, { token: leader, body: { confirm: true } }), 200, 'sign');
  assert.deepEqual([signed.status, signed.signed_by, typeof signed.notice_id, signed.will_take],
    ['signed', 'leader', 'number', undefined]);
  assert.deepEqual(signed.steps.map((x) => [x.user, x.action]),
    [['supervisor', 'draft'], ['supervisor', 'edit'], ['leader', 'sign']]);
  assert.deepEqual(signed.steps[2].data, { notice_id: signed.notice_id });
  const n = must(await s.api('GET', `/api/v1/notices/${signed.notice_id}?format=json`, { token: sup }), 200, 'issued');
  assert.equal(n.number, '〔2025〕1号');
  assert.equal(n.summary, '三月份全市重点工作总体平稳。');
  const html = await (await fetch(`${s.url}/api/v1/notices/${signed.notice_id}?format=html`,
    { headers: { Authorization: 'Bearer ' + sup } })).text();
  assert.ok(html.includes('三月份全市重点工作总体平稳。'), 'the HTML carries the draft\'s summary');
  for (const [path, body] of [[`/api/v1/notice-drafts/${draft}/sign`, { confirm: true }],
    [`/api/v1/notice-drafts/${draft}`, { summary: '改' }]]) {
    const again = await s.api('POST', path, { token: path.endsWith('sign') ? leader : sup, body });
    assert.deepEqual([again.status, again.json.error.code], [409, 'already_signed'], path);
  }
  const v = s.cli(['verify']);
  assert.equal(v.status, 0, v.stderr);
});

test('with notice.sign_own 0 the drafter does not sign their own draft; 404 for none', async () => {
  const d = must(await s.api('POST', '/api/v1/notice-drafts', { token: adm, body: { from: '2025-03-01', to: '2025-03-31' } }), 201, 'draft').id;
  const own = await s.api('POST', `/api/v1/notice-drafts/${d}/sign`, { token: adm, body: { confirm: true } });
  assert.deepEqual([own.status, own.json.error.code], [403, 'sign_own_draft']);
  must(await s.api('POST', '/api/v1/settings', { token: adm, body: { 'notice.sign_own': 1 } }), 200, 'setting');
  const ok = must(await s.api('POST', `/api/v1/notice-drafts/${d}/sign`, { token: adm, body: { confirm: true } }), 200, 'sign own');
  assert.equal(ok.will_take, undefined);
  const n = must(await s.api('GET', `/api/v1/notices/${ok.notice_id}?format=json`, { token: sup }), 200, 'issued');
  assert.equal(n.number, '〔2025〕2号');
  assert.equal((await s.api('GET', '/api/v1/notice-drafts/999999', { token: sup })).status, 404);
  const bad = await s.api('POST', '/api/v1/notice-drafts', { token: sup, body: { from: '2025-03-31', to: '2025-03-01' } });
  assert.equal(bad.status, 422);
});

test('the text settings: listed with defaults, changed through the API and the CLI, used by the documents', async () => {
  const list = must(await s.api('GET', '/api/v1/settings/texts', { token: sup }), 200, 'texts').texts;
  assert.deepEqual(list.map((x) => x.key), ['challenge.creator_units', 'document.prefix.assign',
    'document.prefix.dossier', 'document.prefix.escalate', 'document.prefix.urge', 'notice.copy_to', 'notice.font_body',
    'notice.font_hei', 'notice.font_kai', 'notice.font_title', 'notice.main_to',
    'notice.number_prefix', 'notice.office', 'remediation.co_units']);
  assert.deepEqual(list[0], { key: 'challenge.creator_units', value: '', default: 'kjj' });
  assert.deepEqual(list[1], { key: 'document.prefix.assign', value: '', default: '交办' });
  const bad = await s.api('POST', '/api/v1/settings/texts', { token: adm, body: { 'notice.nothing': 'x' } });
  assert.deepEqual([bad.status, bad.json.error.code], [422, 'invalid_field']);
  const ctl = await s.api('POST', '/api/v1/settings/texts', { token: adm, body: { 'notice.office': 'a\tb' } });
  assert.deepEqual([ctl.status, ctl.json.error.code], [422, 'invalid_field']);
  const set = must(await s.api('POST', '/api/v1/settings/texts', { token: adm,
    body: { 'document.prefix.assign': ' 市督交 ', 'notice.number_prefix': '市督通' } }), 200, 'set').texts;
  assert.deepEqual(set.filter((x) => x.value).map((x) => [x.key, x.value]),
    [['document.prefix.assign', '市督交'], ['notice.number_prefix', '市督通'], ['notice.office', '市委督查室']]);
  const r = s.cli(['notice-setting', 'notice.main_to', '各镇（街道），市直各单位']);
  assert.equal(r.status, 0, r.stderr);
  const shown = s.cli(['notice-setting']);
  assert.equal(shown.status, 0, shown.stderr);
  assert.ok(shown.stdout.split('\n').includes('notice.main_to\t各镇（街道），市直各单位'), shown.stdout);
  assert.ok(shown.stdout.split('\n').includes('document.prefix.urge\t催办'), shown.stdout);
  assert.equal(s.cli(['notice-setting', 'notice.nothing', 'x']).status, 2);
  // each change is in the configuration chain
  const hist = must(await s.api('GET', '/api/v1/config-history?section=settings', { token: sup }), 200, 'history');
  const keys = JSON.stringify(hist);
  for (const k of ['document.prefix.assign', 'notice.number_prefix', 'notice.main_to']) assert.ok(keys.includes(k), k);
  // used: the next 交办通知单's number and the next draft's number
  const u = Object.fromEntries(must(await s.api('GET', '/api/v1/units', { token: sup }), 200, 'units').units.map((x) => [x.code, x.id]));
  const id = must(await s.api('POST', '/api/v1/items', { token: sup, body: {
    kind: 'task', title: '前缀测试', lead_unit_id: u.jxj, deadline: '2025-06-30' } }), 201, 'create').id;
  const item = must(await s.api('POST', `/api/v1/items/${id}/actions`, { token: sup, body: { action: 'assign' } }), 200, 'assign');
  // the demo city issued six 交办通知单 of 2025
  assert.equal(item.documents[0].number, '市督交〔2025〕7号');
  const d = must(await s.api('POST', '/api/v1/notice-drafts', { token: sup, body: { from: '2025-03-01', to: '2025-03-31' } }), 201, 'draft');
  assert.equal(d.will_take, '市督通〔2025〕3号');
  const v = s.cli(['verify']);
  assert.equal(v.status, 0, v.stderr);
});

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

const page = (c, p) => fetch(s.url + p, { headers: { Cookie: c.cookie }, redirect: 'manual' });
const form = (c, p, fields) => fetch(s.url + p, { method: 'POST', redirect: 'manual',
  headers: { Cookie: c.cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams({ csrf: c.csrf, ...fields }).toString() });

test('the pages: draft from the preview, edit, the confirmation page with the number, sign', async () => {
  const so = await cookieSession('supervisor'), le = await cookieSession('leader');
  const preview = await (await page(so, '/notices?from=2025-03-01&to=2025-03-31')).text();
  assert.ok(preview.includes('action="/notices/drafts"'), 'the preview offers 拟稿送审');
  const made = await form(so, '/notices/drafts', { from: '2025-03-01', to: '2025-03-31', main_to: '各镇街' });
  assert.equal(made.status, 303);
  const where = made.headers.get('location');
  assert.match(where, /^\/notices\/drafts\/\d+$/);
  const edited = await form(so, where, { main_to: '各镇街', copy_to: '', summary: '页面拟稿的总体情况。' });
  assert.equal(edited.status, 303);
  const view = await (await page(so, where)).text();
  assert.ok(view.includes('页面拟稿的总体情况。') && view.includes('流转记录'), view.slice(0, 500));
  assert.ok(!view.includes(`${where}/sign`), 'a supervisor is not offered the signature');
  const lview = await (await page(le, where)).text();
  assert.ok(lview.includes(`href="${where}/sign"`), 'a leader is');
  const confirm = await (await page(le, `${where}/sign`)).text();
  const num = must(await s.api('GET', `/api/v1${where.replace('/notices/drafts', '/notice-drafts')}`, { token: leader }), 200, 'draft').will_take;
  assert.match(num, /^市督通〔2025〕\d+号$/);
  assert.ok(confirm.includes('签发后不可撤回') && confirm.includes(num), confirm.slice(0, 2000));
  const refused = await form(le, `${where}/sign`, {});
  assert.equal(refused.status, 422);
  assert.ok((await refused.text()).includes('签发后不可撤回'));
  const signed = await form(le, `${where}/sign`, { confirm: '1' });
  assert.equal(signed.status, 303);
  assert.match(signed.headers.get('location'), /^\/notices\/\d+$/);
  const n = must(await s.api('GET', `/api/v1${signed.headers.get('location')}?format=json`, { token: sup }), 200, 'issued');
  assert.equal(n.summary, '页面拟稿的总体情况。');
  const again = await form(le, `${where}/sign`, { confirm: '1' });
  assert.equal(again.status, 409);
});
