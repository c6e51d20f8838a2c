// End-to-end tests of the loop's pages as plain form posts (no browser): the
// item page's action forms (POST /items/{id}/act), the inbox, batch feedback
// and the plan tree, against the real binary with a cookie session.  Each
// test names one behaviour: CSRF, success, a refusal re-rendered with its
// message escaped and the typed values kept, all-or-nothing batches, and
// visibility across units.
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

// A cookie session for user and the CSRF token its pages carry.
async function session(user) {
  const body = new URLSearchParams({ username: user, password: s.logins[user] }).toString();
  const r = await fetch(s.url + '/login', { method: 'POST', redirect: 'manual', body,
    headers: { 'Content-Type': FORM } });
  assert.equal(r.status, 303);
  const cookie = r.headers.get('set-cookie').split(';')[0];
  const page = await (await fetch(s.url + '/inbox', { headers: { Cookie: cookie } })).text();
  const csrf = page.match(/name="csrf" value="([0-9a-f]{64})"/)[1];
  return { cookie, csrf };
}

function get(sess, path) {
  return fetch(s.url + path, { headers: { Cookie: sess.cookie }, redirect: 'manual' });
}

// POST a form as sess; fields is an object or an array of [name, value] pairs.
function post(sess, path, fields) {
  return fetch(s.url + path, { method: 'POST', redirect: 'manual',
    body: new URLSearchParams(fields).toString(),
    headers: { Cookie: sess.cookie, 'Content-Type': FORM } });
}

async function item(id) {
  return (await s.api('GET', `/api/v1/items/${id}`, { token: sup })).json;
}

async function draft(title, extra = {}) {
  const r = await s.api('POST', '/api/v1/items', { token: sup,
    body: { kind: 'task', title, deadline: '2025-06-30', ...extra } });
  assert.equal(r.status, 201, r.text);
  return r.json.id;
}

// An item of 应急管理局 taken to accepted through the API.
async function accepted(title, extra) {
  const id = await draft(title, extra);
  const yjj = await s.login('yjj');
  let r = await s.api('POST', `/api/v1/items/${id}/actions`, { token: sup,
    body: { action: 'assign', lead_unit_id: unitOf('yjj') } });
  assert.equal(r.status, 200, r.text);
  r = await s.api('POST', `/api/v1/items/${id}/actions`, { token: yjj, body: { action: 'accept' } });
  assert.equal(r.status, 200, r.text);
  return id;
}

test('an action form posted without the CSRF token is 403 and changes nothing', async () => {
  const id = await draft('没有令牌的交办');
  const boss = await session('supervisor');
  for (const csrf of [null, '0'.repeat(64)]) {
    const fields = { action: 'assign', lead_unit_id: String(unitOf('yjj')) };
    if (csrf) fields.csrf = csrf;
    const r = await post(boss, `/items/${id}/act`, fields);
    assert.equal(r.status, 403);
    assert.match(await r.text(), /<p>表单已失效或来源不明，请刷新页面后重新提交。<\/p>/);
  }
  assert.equal((await item(id)).status, 'draft');
});

test('with the token the form acts and redirects back to the item', async () => {
  const id = await draft('页面交办的事项');
  const boss = await session('supervisor');
  const r = await post(boss, `/items/${id}/act`, [['csrf', boss.csrf], ['action', 'assign'],
    ['lead_unit_id', String(unitOf('yjj'))], ['co_unit_ids', String(unitOf('jxj'))],
    ['co_unit_ids', String(unitOf('zzb'))], ['deadline', ''], ['working_days', '5']]);
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), `/items/${id}?done=assign`);
  const it = await item(id);
  assert.equal(it.status, 'assigned');
  assert.equal(it.lead_unit.code, 'yjj');
  assert.deepEqual(it.co_unit_ids.sort((a, b) => a - b), [unitOf('jxj'), unitOf('zzb')].sort((a, b) => a - b));
  assert.equal(it.deadline, '2025-03-10'); /* five working days after Monday 2025-03-03 */
  const html = await (await get(boss, r.headers.get('location'))).text();
  assert.match(html, /<p class="ok" role="status">已交办。<\/p>/);
});

test('a refused form comes back with its status, the message escaped and the input kept', async () => {
  const id = await draft('期限写错的交办');
  const boss = await session('supervisor');
  const bad = '<b>"明天"</b>';
  const r = await post(boss, `/items/${id}/act`, { csrf: boss.csrf, action: 'assign',
    lead_unit_id: String(unitOf('yjj')), deadline: bad });
  assert.equal(r.status, 422);
  const html = await r.text();
  assert.ok(html.includes('<p class="alert" role="alert">期限须为有效的日期（年-月-日）。</p>'), html);
  assert.ok(html.includes('value="&lt;b&gt;&quot;明天&quot;&lt;/b&gt;"'));
  assert.ok(!html.includes(bad));
  assert.match(html, /<details class="act a-assign" open>/);
  assert.equal((await item(id)).status, 'draft');
});

test('a handler\'s text comes back escaped when the action is refused', async () => {
  const id = await accepted('不能退回的事项');
  const yjj = await session('yjj');
  const text = '<script>alert("x")</script>';
  const r = await post(yjj, `/items/${id}/act`, { csrf: yjj.csrf, action: 'request_extension',
    deadline: '2025-05-01', reason: text });
  assert.equal(r.status, 422); /* the new deadline must be after the current one */
  const html = await r.text();
  assert.ok(html.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</textarea>'));
  assert.ok(!html.includes(text));
  assert.match(html, /role="alert">申请的新期限须晚于现有期限：2025-06-30。</);
});

test('an action not allowed now is 409 with the message on the item page', async () => {
  const id = await accepted('已签收的事项');
  const yjj = await session('yjj');
  const r = await post(yjj, `/items/${id}/act`, { csrf: yjj.csrf, action: 'accept' });
  assert.equal(r.status, 409);
  const html = await r.text();
  assert.match(html, /<h1 class="item-title">已签收的事项<\/h1>/);
  assert.match(html, /<p class="alert" role="alert">[^<]+<\/p>/);
  assert.match(html, /<details class="act a-feedback" open>/);
});

test('an unknown action is 422 and another unit\'s item is 403', async () => {
  const id = await accepted('别人的事项');
  const yjj = await session('yjj');
  let r = await post(yjj, `/items/${id}/act`, { csrf: yjj.csrf, action: 'delete' });
  assert.equal(r.status, 422);
  assert.match(await r.text(), /未知的操作。/);
  const jxj = await session('jxj');
  r = await post(jxj, `/items/${id}/act`, { csrf: jxj.csrf, action: 'feedback', text: '越权' });
  assert.equal(r.status, 403);
  assert.equal((await s.api('GET', `/api/v1/items/${id}/records`, { token: sup })).json.feedback.length, 0);
  r = await get(jxj, `/items/${id}/tree`);
  assert.equal(r.status, 403);
});

test('signing for an item in the inbox comes back to the inbox', async () => {
  const id = await draft('在待办里签收');
  await s.api('POST', `/api/v1/items/${id}/actions`, { token: sup,
    body: { action: 'assign', lead_unit_id: unitOf('yjj') } });
  const yjj = await session('yjj');
  let html = await (await get(yjj, '/')).text();
  assert.match(html, /<h1>待办<\/h1>/);
  assert.ok(html.includes(`<form method="post" action="/items/${id}/act" class="inline">`));
  const r = await post(yjj, `/items/${id}/act`, { csrf: yjj.csrf, action: 'accept', next: '/inbox' });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/inbox');
  assert.equal((await item(id)).status, 'accepted');
  // next only ever leads to the lists that post here
  const id2 = await draft('别处的 next');
  await s.api('POST', `/api/v1/items/${id2}/actions`, { token: sup,
    body: { action: 'assign', lead_unit_id: unitOf('yjj') } });
  const r2 = await post(yjj, `/items/${id2}/act`, { csrf: yjj.csrf, action: 'accept', next: '//evil.example/' });
  assert.equal(r2.headers.get('location'), `/items/${id2}?done=accept`);
  html = await (await get(yjj, '/inbox')).text();
  assert.ok(html.includes(`<a href="/items/${id}">在待办里签收</a>`));
});

test('batch feedback is all or nothing, names the refused item and keeps the input', async () => {
  const a = await accepted('批量反馈甲');
  const b = await accepted('批量反馈乙', { metric: { target: 200, unit: '亩' } });
  const yjj = await session('yjj');
  const form = (await (await get(yjj, '/feedback')).text());
  assert.ok(form.includes(`name="t${a}"`) && form.includes(`name="v${b}"`) && !form.includes(`name="v${a}"`));
  let r = await post(yjj, '/feedback', [['csrf', yjj.csrf], ['id', String(a)], ['t' + a, '甲完成一半'],
    ['p' + a, '50'], ['id', String(b)], ['t' + b, '乙 <i>进度</i>'], ['p' + b, '150']]);
  assert.equal(r.status, 422);
  const html = await r.text();
  assert.match(html, new RegExp(`#${b} 批量反馈乙 — `));
  assert.ok(html.includes('乙 &lt;i&gt;进度&lt;/i&gt;</textarea>'));
  assert.ok(html.includes(`value="50"`));
  for (const id of [a, b])
    assert.equal((await s.api('GET', `/api/v1/items/${id}/records`, { token: sup })).json.feedback.length, 0);
  r = await post(yjj, '/feedback', [['csrf', yjj.csrf], ['id', String(a)], ['t' + a, '甲完成一半'],
    ['p' + a, '50'], ['id', String(b)], ['t' + b, '乙已整治 50 亩'], ['v' + b, '50']]);
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/feedback?filed=2');
  assert.equal((await item(a)).progress, 50);
  assert.equal((await item(b)).progress, 25); /* 50 of 200 亩 */
  r = await post(yjj, '/feedback', [['csrf', yjj.csrf], ['id', String(a)], ['t' + a, '']]);
  assert.equal(r.status, 422);
  assert.match(await r.text(), /没有填写任何反馈。/);
});

test('the plan tree shows the subtree with progress and links to the exports', async () => {
  const root = await draft('五金之都规划');
  const goal = await draft('目标一', { parent_id: root });
  await draft('任务 <一>', { parent_id: goal });
  const boss = await session('supervisor');
  const r = await get(boss, `/items/${root}/tree`);
  assert.equal(r.status, 200);
  const html = await r.text();
  assert.equal((html.match(/<tr class="d\d">/g) || []).length, 3);
  assert.ok(html.includes('<tr class="d2"><td class="t"><span class="num">1.1.1</span>'));
  assert.ok(html.includes('任务 &lt;一&gt;'));
  assert.ok(html.includes(`href="/api/v1/items/${root}/tree?format=csv"`));
  assert.ok(html.includes(`href="/api/v1/items/${root}/tree?format=xlsx"`));
  const csv = await get(boss, `/api/v1/items/${root}/tree?format=csv`);
  assert.equal(csv.status, 200);
  assert.match(await csv.text(), /目标一/);
});

test('the board filters by source and deadline range and sorts by light or deadline', async () => {
  const ids = [];
  for (const [title, deadline] of [['范围内甲', '2031-01-10'], ['范围内乙', '2031-01-05'], ['范围外', '2031-02-01']])
    ids.push(await draft(title, { deadline, source: 'instruction' }));
  const q = 'source=instruction&deadline_from=2031-01-01&deadline_to=2031-01-31';
  let r = await s.api('GET', `/api/v1/items?${q}&sort=deadline`, { token: sup });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.items.map((i) => i.title), ['范围内乙', '范围内甲']);
  assert.equal(r.json.total_count, 2);
  r = await s.api('GET', '/api/v1/items?sort=light&limit=100', { token: sup });
  const rank = { red: 0, yellow: 1, green: 2, none: 3 };
  const lights = r.json.items.map((i) => rank[i.light]);
  assert.deepEqual(lights, [...lights].sort((a, b) => a - b));
  assert.ok(lights[0] === 0, 'the demo city has red items, and they come first');
  for (const bad of ['deadline_from=2031-02-30', 'deadline_to=tomorrow', 'sort=oldest']) {
    r = await s.api('GET', `/api/v1/items?${bad}`, { token: sup });
    assert.equal(r.status, 422, bad);
  }
  const boss = await session('supervisor');
  const html = await (await get(boss, `/items?${q}&sort=deadline`)).text();
  const titles = [...html.matchAll(/<td class="t"><a href="\/items\/\d+">([^<]+)<\/a>/g)].map((m) => m[1]);
  assert.deepEqual(titles, ['范围内乙', '范围内甲']);
  assert.ok(html.includes('name="deadline_from" value="2031-01-01"'));
  assert.ok(html.includes('<option value="deadline" selected>按期限</option>'));
  assert.ok(html.includes('<option value="instruction" selected>领导批示</option>'));
  // the language links keep the filters and the order
  assert.ok(html.includes(`href="/items?source=instruction&amp;deadline_from=2031-01-01&amp;deadline_to=2031-01-31&amp;sort=deadline&amp;lang=en"`), 'language link');
});

test('a reported hazard\'s item page leads the supervisor to the triage page', async () => {
  const grid = await s.login('grid');
  const r = await s.api('POST', '/api/v1/hazards', { token: grid,
    body: { category: 'fire', description: '楼道堆放杂物' } });
  assert.equal(r.status, 201, r.text);
  const boss = await session('supervisor');
  const html = await (await get(boss, `/items/${r.json.id}`)).text();
  assert.ok(html.includes('<a class="button primary" href="/hazards">研判</a>'));
  assert.ok(!html.includes('name="action" value="triage"'));
});

test('a cooperating unit files a note, text only; escalation offers only higher levels', async () => {
  const id = await accepted('配合单位也反馈');
  await s.api('POST', `/api/v1/items/${id}/actions`, { token: sup,
    body: { action: 'escalate', level: 'general' } });
  const boss = await session('supervisor');
  const page = await (await get(boss, `/items/${id}`)).text();
  const select = page.match(/<select id="escalate-level"[^>]*>(.*?)<\/select>/)[1];
  assert.deepEqual([...select.matchAll(/value="(\w+)"/g)].map((m) => m[1]), ['key', 'listed']);
  // 经信局 cooperates on an item 应急管理局 leads
  const sub = await draft('配合单位的事项');
  let r = await post(boss, `/items/${sub}/act`, [['csrf', boss.csrf], ['action', 'assign'],
    ['lead_unit_id', String(unitOf('yjj'))], ['co_unit_ids', String(unitOf('jxj'))]]);
  assert.equal(r.status, 303);
  await s.api('POST', `/api/v1/items/${sub}/actions`, { token: await s.login('yjj'), body: { action: 'accept' } });
  const jxj = await session('jxj');
  const html = await (await get(jxj, `/items/${sub}`)).text();
  const form = html.match(/<details class="act a-feedback"[^>]*>(.*?)<\/details>/)[1];
  assert.ok(form.includes('name="text"'));
  assert.ok(!form.includes('name="progress"'), 'a cooperating unit reports no progress');
  r = await post(jxj, `/items/${sub}/act`, { csrf: jxj.csrf, action: 'feedback', text: '已配合完成园区排查' });
  assert.equal(r.status, 303);
  const fb = (await s.api('GET', `/api/v1/items/${sub}/records`, { token: sup })).json.feedback;
  assert.deepEqual(fb.map((f) => [f.unit_name, f.is_lead, f.text]), [['经信局', false, '已配合完成园区排查']]);
  assert.equal((await item(sub)).status, 'accepted');
});

test('a parent item takes feedback in words only: its progress rolls up', async () => {
  const parent = await accepted('上级事项');
  const child = await accepted('下级事项', { parent_id: parent });
  const yjj = await session('yjj');
  let html = await (await get(yjj, `/items/${parent}`)).text();
  const form = html.match(/<details class="act a-feedback"[^>]*>(.*?)<\/details>/)[1];
  assert.ok(form.includes('name="text"') && !form.includes('name="progress"'));
  assert.ok(form.includes('进度由下级事项自动汇总'));
  html = await (await get(yjj, `/items/${child}`)).text();
  assert.ok(html.match(/<details class="act a-feedback"[^>]*>(.*?)<\/details>/)[1].includes('name="progress"'));
  html = await (await get(yjj, '/feedback')).text();
  assert.ok(html.includes(`name="t${parent}"`) && !html.includes(`name="p${parent}"`));
  assert.ok(html.includes(`name="p${child}"`));
  const r = await post(yjj, '/feedback', [['csrf', yjj.csrf], ['id', String(parent)], ['t' + parent, '总体推进顺利'],
    ['id', String(child)], ['t' + child, '完成六成'], ['p' + child, '60']]);
  assert.equal(r.status, 303);
  assert.equal((await item(child)).progress, 60);
  assert.equal((await item(parent)).progress, 60); /* the roll-up of its one sub-item */
});

test('暂停, 撤销 and 退回 ask before they are sent (data-confirm, read by assets/app.js)', async () => {
  const id = await draft('确认后再操作', { lead_unit_id: unitOf('yjj') });
  const r = await s.api('POST', `/api/v1/items/${id}/actions`, { token: sup, body: { action: 'assign' } });
  assert.equal(r.status, 200, r.text);
  const office = await (await get(await session('supervisor'), `/items/${id}`)).text();
  assert.ok(office.includes('<button type="submit" class="" data-confirm="确定暂停这个事项吗？">暂停</button>'), 'suspend');
  assert.ok(office.includes('class="primary" data-confirm="确定撤销这个事项吗？">撤销</button>'), 'cancel');
  const handler = await (await get(await session('yjj'), `/items/${id}?lang=en`)).text();
  assert.ok(handler.includes('class="primary" data-confirm="Send this item back to the office?">'), 'return');
  // an action that stops nothing asks nothing
  assert.ok(!/data-confirm="[^"]*">Accept</.test(handler));
});
