// The 批示件 pages (issue 18, web/instructions.c) as plain form posts against
// the real binary: who sees them, registering with CSRF, a refusal shown
// again in the page's language with the typed values kept, the month list,
// turning a file into an item, the result back in the leader's 待办 with a
// link to the file, 办结 with its confirmation, instruct again, and the
// English page.  Runs on either driver (LUOSHI_TEST_PG).
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('../lib/server.js');

const FORM = 'application/x-www-form-urlencoded';
const PW = 'pw-ifile-osprey-52';
let s, sup, u;

before(async () => {
  s = await startServer({ env: { LUOSHI_NOW: '2030-01-06' } });
  sup = await s.login('supervisor');
  u = Object.fromEntries((await s.api('GET', '/api/v1/units', { token: sup })).json.units
    .map((x) => [x.code, x.id]));
  const r = s.cli(['user', 'add', '--username', 'leader2', '--unit', 'swb', '--role', 'leader',
    '--password-stdin'], { input: PW + '\n' });
  assert.equal(r.status, 0, r.stderr);
  s.logins.leader2 = PW;
});
after(async () => {
  assert.equal(await s.stop(), 0, s.log().slice(-3000));
});

async function session(user) {
  const body = new URLSearchParams({ username: user, password: s.logins[user] }).toString();
  const r = await fetch(s.url + '/login', { method: 'POST', redirect: 'manual', body,
    headers: { 'Content-Type': FORM } });
  assert.equal(r.status, 303);
  const cookie = r.headers.get('set-cookie').split(';')[0];
  const page = await (await fetch(s.url + '/account/password', { headers: { Cookie: cookie } })).text();
  return { cookie, csrf: page.match(/name="csrf" value="([0-9a-f]{64})"/)[1] };
}
const get = (sess, path) => fetch(s.url + path, { headers: { Cookie: sess.cookie }, redirect: 'manual' });
const post = (sess, path, fields) => fetch(s.url + path, { method: 'POST', redirect: 'manual',
  body: new URLSearchParams(fields).toString(), headers: { Cookie: sess.cookie, 'Content-Type': FORM } });
const act = (token, id, body) => s.api('POST', `/api/v1/items/${id}/actions`, { token, body });
async function must(r, status, what) {
  const text = await r.text();
  assert.equal(r.status, status, `${what}: ${r.status} ${text.slice(0, 2000)}`);
  return text;
}

test('who sees the pages: the office and the leaders, with a link in the navigation; a handler gets 403', async () => {
  for (const user of ['supervisor', 'leader']) {
    const page = await must(await get(await session(user), '/instructions'), 200, user);
    assert.match(page, /<a href="\/instructions" class="on" aria-current="page">批示件<\/a>/, user);
    assert.match(page, /<h1>批示件<\/h1>/);
    assert.match(page, /<form method="post" action="\/instructions"><input type="hidden" name="csrf"/);
  }
  const yjj = await session('yjj');
  assert.equal((await get(yjj, '/instructions')).status, 403);
  assert.equal((await get(yjj, '/instructions/1')).status, 403);
  assert.doesNotMatch(await must(await get(yjj, '/inbox'), 200, 'inbox'), /href="\/instructions"/);
  assert.equal((await post(yjj, '/instructions', { csrf: yjj.csrf, number: 'x', text: 'x', issued_on: '2030-01-05' })).status, 403);
});

test('a 批示件 through its pages: registered, turned into an item, answered, closed with a confirmation', async () => {
  const leader = await session('leader');
  const token = await s.login('leader');
  const me = (await s.api('GET', '/api/v1/me', { token })).json;
  const leaderId = me.user ? me.user.id : me.id;
  // the leader's own select is chosen for them; the form without CSRF is refused
  const list = await must(await get(leader, '/instructions'), 200, 'list');
  assert.match(list, new RegExp(`<option value="${leaderId}" selected>市领导 李书记</option>`));
  const fields = { csrf: leader.csrf, number: '批〔2030〕3号', text: '请住建局牵头抓好老旧小区改造，<b>月底前</b>报进展。',
    leader_id: String(leaderId), issued_on: '2030-01-04', due: '2030-02-28' };
  assert.equal((await post(leader, '/instructions', { ...fields, csrf: '0'.repeat(64) })).status, 403);
  let r = await post(leader, '/instructions', fields);
  assert.equal(r.status, 303, await r.text());
  const path = r.headers.get('location');
  const id = Number(path.match(/^\/instructions\/(\d+)$/)[1]);
  // the same number again: 409, the form shown again with the message and what was typed
  r = await post(leader, '/instructions', { ...fields, text: '重号的批示' });
  const again = await must(r, 409, 'duplicate');
  assert.match(again, /<p class="alert" id="form-error" role="alert">未能完成：与现有数据冲突/);
  assert.match(again, /<textarea id="text" name="text" rows="4" required[^>]*>重号的批示<\/textarea>/);
  // the month's list (January by default), its state and text escaped; February has none
  const jan = await must(await get(leader, '/instructions'), 200, 'january');
  assert.match(jan, new RegExp(`<a href="/instructions/${id}">批〔2030〕3号</a> <span class="status i-open">办理中</span>`));
  assert.match(jan, /请住建局牵头抓好老旧小区改造，&lt;b&gt;月底前&lt;\/b&gt;报进展。/);
  assert.match(jan, /<p class="empty">尚未转办事项。<\/p>/);
  assert.match(await must(await get(leader, '/instructions?month=2030-02'), 200, 'feb'), /<p class="empty">这段时间没有批示件。<\/p>/);
  assert.match(await must(await get(leader, '/instructions?month=all'), 200, 'all'), /批〔2030〕3号/);
  // the file's page offers the leader the spawn form, not yet the close
  let page = await must(await get(leader, path), 200, 'file');
  assert.match(page, /<h1>批示件 批〔2030〕3号<\/h1>/);
  assert.match(page, new RegExp(`action="/instructions/${id}/items"`));
  assert.doesNotMatch(page, /\/close"/);
  // another leader sees the file but may not turn it into work (403, nothing created)
  const other = await session('leader2');
  page = await must(await get(other, path), 200, 'other leader');
  assert.doesNotMatch(page, /\/items"><input/);
  r = await post(other, `${path}/items`, { csrf: other.csrf, title: '别人的批示', lead_unit_id: String(u.yjj) });
  assert.match(await must(r, 403, 'other spawn'), /只有督查室和批示的领导本人可以转办/);
  // a refused spawn keeps what was typed; then the leader turns it into an item
  r = await post(leader, `${path}/items`, { csrf: leader.csrf, title: '', description: '留着的说明' });
  assert.match(await must(r, 422, 'no title'), /<textarea id="description" name="description" rows="4"[^>]*>留着的说明<\/textarea>/);
  r = await post(leader, `${path}/items`, { csrf: leader.csrf, title: '老旧小区改造（批示件）',
    description: '月底前报进展', lead_unit_id: String(u.yjj), co_unit_ids: String(u.fgj), deadline: '2030-02-28' });
  assert.equal(r.status, 303, await r.text());
  assert.equal(r.headers.get('location'), `${path}#items`);
  const file = (await s.api('GET', `/api/v1/instruction-files/${id}`, { token: sup })).json;
  assert.equal(file.items.length, 1);
  const item = (await s.api('GET', `/api/v1/items/${file.items[0].id}`, { token: sup })).json;
  assert.deepEqual([item.status, item.source, item.leader_id, item.lead_unit && item.lead_unit.id, item.co_unit_ids, item.deadline],
    ['draft', 'instruction', leaderId, u.yjj, [u.fgj], '2030-02-28']);
  page = await must(await get(leader, path), 200, 'file');
  assert.match(page, new RegExp(`<li><a href="/items/${item.id}">老旧小区改造（批示件）</a> <span class="status s-draft">`));
  // the office takes it to the end; the file is answered, the leader's 待办 links to it
  const yjj = await s.login('yjj');
  for (const [tok, body] of [[sup, { action: 'assign' }], [yjj, { action: 'accept' }],
    [yjj, { action: 'submit', text: '改造完成 3 个小区' }], [sup, { action: 'verify' }]]) {
    const a = await act(tok, item.id, body);
    assert.equal(a.status, 200, a.text);
  }
  const inbox = await must(await get(leader, '/inbox'), 200, 'inbox');
  assert.match(inbox, new RegExp(`<a class="button primary" href="/instructions/${id}">阅示办结</a>`));
  page = await must(await get(leader, path), 200, 'answered');
  assert.match(page, /<span class="status i-answered">已反馈<\/span>/);
  assert.match(page, new RegExp(`action="/instructions/${id}/close"`));
  assert.match(page, /<h2>再次批示<\/h2>/);
  // 办结 without the confirmation is refused in the page's words; with it, closed
  r = await post(leader, `${path}/close`, { csrf: leader.csrf });
  assert.match(await must(r, 422, 'unconfirmed'), /请先勾选“已阅办理结果，确认办结”。/);
  assert.equal((await s.api('GET', `/api/v1/instruction-files/${id}`, { token: sup })).json.state, 'answered');
  r = await post(leader, `${path}/close`, { csrf: leader.csrf, confirm: '1' });
  assert.equal(r.status, 303, await r.text());
  page = await must(await get(leader, path), 200, 'closed');
  assert.match(page, /<span class="status i-closed">已办结<\/span>/);
  assert.doesNotMatch(page, /action="\/instructions\/\d+\/(items|close)"/);
  assert.doesNotMatch(await must(await get(leader, '/inbox'), 200, 'inbox'), /阅示办结/);
  // closed: no more items (409 in the page's words); the English page
  r = await post(leader, `${path}/items`, { csrf: leader.csrf, title: '再批', lead_unit_id: String(u.yjj) });
  assert.match(await must(r, 409, 'closed spawn'), /已办结的批示件不能再转办/);
  // the month's list as a file: the link on the page, the row with the state in Chinese
  assert.match(await must(await get(leader, '/instructions'), 200, 'list'),
    /href="\/api\/v1\/instruction-files\?format=csv&amp;month=2030-01"/);
  const csv = await s.api('GET', '/api/v1/instruction-files?format=csv&month=2030-01', { token: sup });
  assert.equal(csv.status, 200);
  assert.match(csv.text, /^\uFEFF?编号,批示日期,批示领导,批示内容,办理期限,状态,转办事项,已办结事项\r\n/);
  assert.match(csv.text, /\r\n批〔2030〕3号,2030-01-04,市领导 李书记,请住建局牵头抓好老旧小区改造，<b>月底前<\/b>报进展。,2030-02-28,已办结,1,1\r\n/);
  const en = await must(await get(leader, `${path}?lang=en`), 200, 'english');
  assert.match(en, /<html lang="en"/);
  assert.match(en, /<h1>Instruction 批〔2030〕3号<\/h1>/);
  assert.match(en, /<span class="status i-closed">Closed<\/span>/);
  assert.match(en, /<a href="\/instructions" class="on" aria-current="page">Instructions<\/a>|← Instructions/);
});

test('answered, the office instructs again from the page: another linked item, the file open again', async () => {
  const boss = await session('supervisor');
  const token = await s.login('leader');
  const f = (await s.api('POST', '/api/v1/instruction-files', { token, body: {
    number: '批〔2030〕4号', text: '再次批示的试验', issued_on: '2030-01-05' } })).json;
  const it = (await s.api('POST', `/api/v1/instruction-files/${f.id}/items`, { token: sup, body: {
    title: '第一次', lead_unit_id: u.yjj } })).json;
  const c = await act(sup, it.id, { action: 'cancel', reason: '不再需要' });
  assert.equal(c.status, 200, c.text);
  let page = await must(await get(boss, `/instructions/${f.id}`), 200, 'answered');
  assert.match(page, /<h2>再次批示<\/h2>/);
  const r = await post(boss, `/instructions/${f.id}/items`, { csrf: boss.csrf, title: '第二次', lead_unit_id: String(u.yjj) });
  assert.equal(r.status, 303, await r.text());
  const file = (await s.api('GET', `/api/v1/instruction-files/${f.id}`, { token: sup })).json;
  assert.deepEqual([file.state, file.items.map((x) => [x.title, x.status])],
    ['open', [['第一次', 'cancelled'], ['第二次', 'draft']]]);
  page = await must(await get(boss, `/instructions/${f.id}`), 200, 'open again');
  assert.match(page, /<h2>转为督办事项<\/h2>/);
  assert.doesNotMatch(page, /\/close"/);
});
