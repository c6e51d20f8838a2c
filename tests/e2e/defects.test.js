// The domain defects issue 17 found by exercising every feature, one named
// test each (numbers as in the issue): 8 allowed_actions from the actions' own
// checks; 9 the settings the docs name are settable and used; 10 lights follow
// a change of the schedule thresholds at once; 11 a hazard cannot be made by
// POST /items without its report; 12 a re-routed hazard's default title names
// its new category; 13 a major hazard's overdue acceptance is lit and urged
// once; 14 only the office delists a major hazard; 17 the
// dashboard's overdue trend ends with today's overdue work; 19 plan weights.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startServer } = require('../lib/server.js');

const TODAY = '2025-03-10';
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const PLAN = { targets: '清退钢瓶', measures: '改用管道气', funds: '2 万元', responsible: '店主', time_limit: '30 日', safety: '停用厨房' };
let s, sup, yjj, grid, adm, u;

before(async () => {
  s = await startServer({ env: { LUOSHI_NOW: TODAY } });
  [sup, yjj, grid, adm] = await Promise.all(['supervisor', 'yjj', 'grid', 'admin'].map((n) => s.login(n)));
  u = Object.fromEntries((await s.api('GET', '/api/v1/units', { token: sup })).json.units.map((x) => [x.code, x.id]));
});
after(async () => {
  assert.equal(await s.stop(), 0, s.log().slice(-3000));
});

function must(r, status, what) {
  assert.equal(r.status, status, `${what}: ${r.status} ${r.text}`);
  return r.json;
}
const act = (token, id, body) => s.api('POST', `/api/v1/items/${id}/actions`, { token, body });
const allowed = async (token, id) => must(await s.api('GET', `/api/v1/items/${id}`, { token }), 200, 'item').allowed_actions;

async function accepted(title, deadline = '2025-06-30') {
  const id = must(await s.api('POST', '/api/v1/items', { token: sup, body: { kind: 'task', title, lead_unit_id: u.yjj, deadline } }), 201, 'create').id;
  must(await act(sup, id, { action: 'assign' }), 200, 'assign');
  must(await act(yjj, id, { action: 'accept' }), 200, 'accept');
  return id;
}

test('8: allowed_actions offers an extension decision only while a request waits, a request only while none does', async () => {
  const id = await accepted('延期按钮');
  assert.deepEqual(await allowed(sup, id), ['urge', 'escalate', 'cancel', 'edit', 'suspend']);
  assert.deepEqual(await allowed(yjj, id), ['feedback', 'request_extension', 'submit']);
  must(await act(yjj, id, { action: 'request_extension', deadline: '2025-07-31', reason: '汛期' }), 200, 'request');
  assert.deepEqual(await allowed(sup, id), ['approve_extension', 'deny_extension', 'urge', 'escalate', 'cancel', 'edit', 'suspend']);
  assert.deepEqual(await allowed(yjj, id), ['feedback', 'submit']);
  must(await act(sup, id, { action: 'deny_extension', text: '不同意' }), 200, 'deny');
  assert.deepEqual(await allowed(sup, id), ['urge', 'escalate', 'cancel', 'edit', 'suspend']);
  const r = await act(sup, id, { action: 'approve_extension' });
  assert.deepEqual([r.status, r.json.error.code], [409, 'no_pending_extension']);
});

test('9: hazard.acceptance_days and notice.accept_working_days are settable and used', async () => {
  const set = must(await s.api('POST', '/api/v1/settings', { token: adm, body: { 'hazard.acceptance_days': 5, 'notice.accept_working_days': 2 } }), 200, 'settings');
  assert.deepEqual(set.settings.filter((x) => /^(hazard|notice)\./.test(x.key)).map((x) => [x.key, x.value]),
    [['hazard.acceptance_days', 5], ['notice.accept_working_days', 2], ['notice.sign_own', 0]]);
  const h = must(await s.api('POST', '/api/v1/hazards', { token: grid, body: { category: 'other', description: '井盖松动', address: '东城 人民路 9 号' } }), 201, 'report');
  must(await act(sup, h.id, { action: 'triage', level: 'general', deadline: '2025-03-31' }), 200, 'triage');
  must(await act(sup, h.id, { action: 'assign' }), 200, 'assign');
  must(await act(yjj, h.id, { action: 'accept' }), 200, 'accept');
  must(await act(yjj, h.id, { action: 'submit', text: '已更换', photos: [PNG.toString('base64')] }), 200, 'submit');
  const got = must(await s.api('GET', `/api/v1/hazards/${h.id}`, { token: sup }), 200, 'hazard');
  assert.equal(got.hazard.acceptance_due, '2025-03-15', 'five days, as set');
  const n = must(await s.api('GET', '/api/v1/notices?from=2025-03-01&to=2025-03-31&format=json', { token: sup }), 200, 'notice');
  assert.equal(n.accept_working_days, 2);
  must(await s.api('POST', '/api/v1/settings', { token: adm, body: { 'hazard.acceptance_days': 10, 'notice.accept_working_days': 1 } }), 200, 'reset');
});

test('10: a change of the schedule thresholds shows in the lights at once', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'luoshi-defect10-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const db = path.join(dir, 'city.db');
  // assigned on Monday 2025-03-03, due 2025-03-31, 10% reported that day
  let a = await startServer({ db, env: { LUOSHI_NOW: '2025-03-03' } });
  const boss = await a.login('supervisor');
  const units = (await a.api('GET', '/api/v1/units', { token: boss })).json.units;
  const id = (await a.api('POST', '/api/v1/items', { token: boss, body: { kind: 'task', title: '序时进度', lead_unit_id: units.find((x) => x.code === 'yjj').id, deadline: '2025-03-31' } })).json.id;
  assert.equal((await a.api('POST', `/api/v1/items/${id}/actions`, { token: boss, body: { action: 'assign' } })).status, 200);
  const h = await a.login('yjj');
  assert.equal((await a.api('POST', `/api/v1/items/${id}/actions`, { token: h, body: { action: 'accept' } })).status, 200);
  assert.equal((await a.api('POST', `/api/v1/items/${id}/actions`, { token: h, body: { action: 'feedback', text: '起步', progress: 10 } })).status, 200);
  assert.equal(await a.stop(), 0);
  // a week later: 25% expected, 10% done, 15 points behind: yellow under the defaults
  const b = await startServer({ db, init: false, env: { LUOSHI_NOW: '2025-03-10' } });
  t.after(() => b.stop());
  const boss2 = await b.login('supervisor', a.logins.supervisor);
  const admin = await b.login('admin', a.logins.admin);
  const light = async () => (await b.api('GET', `/api/v1/items/${id}`, { token: boss2 })).json.light;
  const events = async () => (await b.api('GET', `/api/v1/items/${id}/events`, { token: boss2 })).json.events.length;
  assert.equal(await light(), 'yellow');
  const n = await events();
  // red from 12 points behind: red now, not at the item's next change
  assert.equal((await b.api('POST', '/api/v1/settings', { token: admin, body: { 'light.behind_red': 12 } })).status, 200);
  assert.equal(await light(), 'red');
  assert.equal((await b.api('GET', '/api/v1/items?light=red&limit=100', { token: boss2 })).json.items.some((i) => i.id === id), true, 'the red list agrees');
  assert.equal(await events(), n, 'a derived light is no event');
  assert.equal((await b.api('POST', '/api/v1/settings', { token: admin, body: { 'light.behind_red': 30, 'light.behind_yellow': 20 } })).status, 200);
  assert.equal(await light(), 'green', '15 points behind is under both again');
  assert.equal(b.cli(['verify']).status, 0, 'the chain still verifies');
});

test('11: POST /items cannot make a hazard without its report', async () => {
  const before = (await s.api('GET', '/api/v1/items?kind=hazard&limit=1', { token: sup })).json.total_count;
  const r = await s.api('POST', '/api/v1/items', { token: sup, body: { kind: 'hazard', title: '巡查发现' } });
  assert.deepEqual([r.status, r.json.error.code, r.json.error.message],
    [422, 'invalid_field', '隐患须通过隐患上报提交（类别、描述和位置），不能作为普通事项创建。']);
  assert.equal((await s.api('GET', '/api/v1/items?kind=hazard&limit=1', { token: sup })).json.total_count, before);
});

test('12: a re-routed hazard\'s default title names its new category; a written title stays', async () => {
  const h = must(await s.api('POST', '/api/v1/hazards', { token: grid, body: { category: 'gas', description: '配电箱冒烟', address: '东城 金城路 20 号', attributes: { gas_type: 'pipeline' } } }), 201, 'report');
  assert.equal(h.title, '燃气隐患：东城 金城路 20 号');
  const t = must(await act(sup, h.id, { action: 'triage', category: 'electric', level: 'general' }), 200, 'triage');
  assert.equal(t.title, '用电隐患：东城 金城路 20 号');
  const ev = must(await s.api('GET', `/api/v1/items/${h.id}/events`, { token: sup }), 200, 'events').events.pop();
  assert.deepEqual([ev.data.before.title, ev.data.after.title], ['燃气隐患：东城 金城路 20 号', '用电隐患：东城 金城路 20 号']);
  const own = must(await s.api('POST', '/api/v1/hazards', { token: grid, body: { category: 'gas', title: '金城路老旧燃气管', description: '锈蚀', address: '东城 金城路 21 号', attributes: { gas_type: 'pipeline' } } }), 201, 'report');
  assert.equal(must(await act(sup, own.id, { action: 'triage', category: 'fire' }), 200, 'triage').title, '金城路老旧燃气管');
  assert.equal(s.cli(['verify']).status, 0, 'the title change is vouched for by the chain');
});

async function cookiePage(srv, who, password, p) {
  const l = await fetch(srv.url + '/login', { method: 'POST', redirect: 'manual',
    body: new URLSearchParams({ username: who, password }).toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  const cookie = l.headers.get('set-cookie').split(';')[0];
  return (await fetch(srv.url + p, { headers: { Cookie: cookie } })).text();
}

test('13: a major hazard\'s acceptance is lit (red once past) and urged once when it passes', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'luoshi-defect13-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const db = path.join(dir, 'city.db');
  // submitted on Monday 2025-03-03: acceptance due ten days later, 2025-03-13
  const a = await startServer({ db, env: { LUOSHI_NOW: '2025-03-03' } });
  const logins = a.logins;
  let [boss, h, g] = await Promise.all(['supervisor', 'yjj', 'grid'].map((n) => a.login(n)));
  const submitted = async (level, n) => {
    const r = must(await a.api('POST', '/api/v1/hazards', { token: g, body: { category: 'gas', description: `钢瓶 ${n}`,
      address: `东城 金城路 ${n} 号`, attributes: { gas_type: 'bottled' } } }), 201, 'report');
    const x = (body) => a.api('POST', `/api/v1/items/${r.id}/actions`, { token: body.action === 'triage' || body.action === 'assign' ? boss : h, body });
    must(await x({ action: 'triage', level, deadline: '2025-04-30', plan: level === 'major' ? PLAN : undefined }), 200, 'triage');
    must(await x({ action: 'assign' }), 200, 'assign');
    must(await x({ action: 'accept' }), 200, 'accept');
    must(await x({ action: 'submit', text: '已清退', photos: [PNG.toString('base64')] }), 200, 'submit');
    return r.id;
  };
  const major = await submitted('major', 41), general = await submitted('general', 42);
  const hz = async (srv, token, id) => must(await srv.api('GET', `/api/v1/hazards/${id}`, { token }), 200, 'hazard');
  let m = await hz(a, boss, major);
  assert.deepEqual([m.hazard.acceptance_due, m.hazard.acceptance_light], ['2025-03-13', 'green']);
  assert.equal(m.allowed_actions.includes('urge'), false, 'nothing to urge before the day');
  let r = await a.api('POST', `/api/v1/items/${major}/actions`, { token: boss, body: { action: 'urge', text: '催' } });
  assert.deepEqual([r.status, r.json.error.code], [409, 'invalid_transition']);
  assert.equal((await hz(a, boss, general)).hazard.acceptance_light, null, 'a general hazard is the grid\'s check');
  assert.equal(await a.stop(), 0);

  const urges = async (srv, token, id) => must(await srv.api('GET', `/api/v1/items/${id}/records`, { token }), 200, 'records')
    .urges.map((x) => [x.user, x.auto, x.text]);
  // on the day: yellow, in the office's 待办, not urged yet
  const b = await startServer({ db, init: false, env: { LUOSHI_NOW: '2025-03-13' } });
  boss = await b.login('supervisor', logins.supervisor);
  assert.equal((await hz(b, boss, major)).hazard.acceptance_light, 'yellow');
  let entry = must(await b.api('GET', '/api/v1/inbox', { token: boss }), 200, 'inbox').acceptance_due.find((x) => x.id === major);
  assert.equal(entry.light, 'yellow');
  assert.deepEqual(await urges(b, boss, major), []);
  assert.equal(await b.stop(), 0);

  // the day after: red on the hazard, the item and in the 待办, and urged once by the scheduler
  const c = await startServer({ db, init: false, env: { LUOSHI_NOW: '2025-03-14' } });
  boss = await c.login('supervisor', logins.supervisor);
  m = await hz(c, boss, major);
  assert.equal(m.hazard.acceptance_light, 'red');
  assert.equal(m.allowed_actions.includes('urge'), true);
  entry = must(await c.api('GET', '/api/v1/inbox', { token: boss }), 200, 'inbox').acceptance_due.find((x) => x.id === major);
  assert.equal(entry.light, 'red');
  const text = '重大隐患复查验收逾期：应于 2025-03-13 前完成复查验收，请尽快组织验收销号。';
  let got = [];
  for (let k = 0; k < 50 && !got.length; k++) {
    got = await urges(c, boss, major);
    if (!got.length) await new Promise((res) => setTimeout(res, 100));
  }
  assert.deepEqual(got, [[null, true, text]]);
  assert.deepEqual(await urges(c, boss, general), [], 'a general hazard is not the office\'s acceptance');
  const page = await cookiePage(c, 'supervisor', logins.supervisor, `/hazards/${major}`);
  assert.match(page, /<dd class="acceptance">2025-03-13 <span class="light l-red"><i><\/i>红灯<\/span> <span class="tag late">验收逾期<\/span><\/dd>/);
  const item = await cookiePage(c, 'supervisor', logins.supervisor, `/items/${major}`);
  assert.match(item, /<span class="tag late acceptance-late">验收逾期<\/span>/);
  assert.equal(await c.stop(), 0);

  // days later: still the one urge
  const d = await startServer({ db, init: false, env: { LUOSHI_NOW: '2025-03-17' } });
  t.after(() => d.stop());
  boss = await d.login('supervisor', logins.supervisor);
  await new Promise((res) => setTimeout(res, 500));
  assert.deepEqual(await urges(d, boss, major), [[null, true, text]]);
  assert.equal(d.cli(['verify']).status, 0, 'the urge is in the chain');
});

test('14: only the office delists a major hazard; its grid may send it back', async () => {
  const h = must(await s.api('POST', '/api/v1/hazards', { token: grid, body: { category: 'gas', description: '后厨违规存放钢瓶', address: '东城 金城路 30 号', attributes: { gas_type: 'bottled' } } }), 201, 'report');
  must(await act(sup, h.id, { action: 'triage', level: 'major', deadline: '2025-04-30', plan: PLAN }), 200, 'triage');
  must(await act(sup, h.id, { action: 'assign' }), 200, 'assign');
  must(await act(yjj, h.id, { action: 'accept' }), 200, 'accept');
  must(await act(yjj, h.id, { action: 'submit', text: '已清退', photos: [PNG.toString('base64')] }), 200, 'submit');
  assert.deepEqual(await allowed(grid, h.id), ['reject']);
  const r = await act(grid, h.id, { action: 'verify' });
  assert.deepEqual([r.status, r.json.error.code, r.json.error.message],
    [403, 'forbidden', '重大隐患的验收销号（摘牌）由督查室进行，网格员可以退回整改。']);
  const done = must(await act(sup, h.id, { action: 'verify' }), 200, 'verify');
  assert.equal(done.status, 'done');
  assert.ok(must(await s.api('GET', `/api/v1/hazards/${h.id}`, { token: sup }), 200, 'hazard').hazard.delisted_at);
});

test('17: the dashboard\'s overdue trend ends with today\'s overdue work', async () => {
  const id = await accepted('逾期的旧台账', '2025-02-28');
  assert.equal((await s.api('GET', `/api/v1/items/${id}`, { token: sup })).json.light, 'red');
  const body = new URLSearchParams({ username: 'supervisor', password: s.logins.supervisor }).toString();
  const login = await fetch(s.url + '/login', { method: 'POST', redirect: 'manual', body, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  const html = await (await fetch(s.url + '/dashboard', { headers: { Cookie: login.headers.get('set-cookie').split(';')[0] } })).text();
  const svg = html.match(/<svg class="chart line"[\s\S]*?<\/svg>/)[0];
  const values = [...svg.matchAll(/fill="#1f2933">(\d+)<\/text>/g)].map((m) => Number(m[1]));
  const labels = [...svg.matchAll(/fill="#5f6b7a">([^<]+)<\/text>/g)].map((m) => m[1]);
  assert.equal(values.length, 12);
  assert.equal(labels[labels.length - 1], '3月', 'months read as months');
  // every open, assigned item past its deadline today
  const all = (await s.api('GET', '/api/v1/items?limit=100', { token: sup })).json.items;
  const overdue = all.filter((i) => ['assigned', 'accepted', 'in_progress', 'submitted'].includes(i.status) && i.deadline && i.deadline < TODAY).length;
  assert.ok(overdue >= 1);
  assert.equal(values[11], overdue);
});

test('19: plan weights are set at creation and weigh in the roll-up', async () => {
  const parent = must(await s.api('POST', '/api/v1/items', { token: sup, body: { kind: 'task', title: '规划', lead_unit_id: u.yjj, deadline: '2025-12-31' } }), 201, 'parent').id;
  const heavy = must(await s.api('POST', '/api/v1/items', { token: sup, body: { kind: 'task', title: '重点目标', parent_id: parent, weight: 3, lead_unit_id: u.yjj, deadline: '2025-12-31' } }), 201, 'heavy').id;
  must(await s.api('POST', '/api/v1/items', { token: sup, body: { kind: 'task', title: '一般目标', parent_id: parent, lead_unit_id: u.yjj, deadline: '2025-12-31' } }), 201, 'light');
  for (const w of [0, 101, 2.5, '3']) {
    const r = await s.api('POST', '/api/v1/items', { token: sup, body: { kind: 'task', title: 'x', weight: w } });
    assert.deepEqual([r.status, r.json.error.code], [422, 'invalid_field'], String(w));
  }
  const tree = must(await s.api('GET', `/api/v1/items/${parent}/tree`, { token: sup }), 200, 'tree');
  assert.deepEqual(tree.tree.children.map((c) => [c.title, c.weight]), [['重点目标', 3], ['一般目标', 1]]);
  must(await act(sup, heavy, { action: 'assign' }), 200, 'assign');
  must(await act(yjj, heavy, { action: 'accept' }), 200, 'accept');
  must(await act(yjj, heavy, { action: 'feedback', text: '完成', progress: 100 }), 200, 'feedback');
  assert.equal(must(await s.api('GET', `/api/v1/items/${parent}`, { token: sup }), 200, 'parent').progress, 75);
});
