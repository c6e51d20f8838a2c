// End-to-end tests of the supervision loop over the API: actions, records,
// batch feedback, the inbox and the project list with its exports, against the
// real binary.  The server's clock is fixed at Monday 2025-03-03 (LUOSHI_NOW)
// so deadlines, lights and feedback dates are exact.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('../lib/server.js');

const TODAY = '2025-03-03';
let s, sup, yjj, jxj, zzb, leader, t1, units;

function ok(r, what) {
  assert.equal(r.status, 200, `${what}: ${r.status} ${r.text}`);
  return r.json;
}

// A new unit with a handler of its own, so its inbox holds only this file's items.
async function handlerUnit(code) {
  let r = s.cli(['unit', 'add', '--code', code, '--name', '测试单位' + code, '--kind', 'department']);
  assert.equal(r.status, 0, r.stderr);
  r = s.cli(['user', 'add', '--username', code + 'h', '--unit', code, '--role', 'handler',
    '--password-stdin'], { input: 'pw-' + code + '-quail-42\n' });
  assert.equal(r.status, 0, r.stderr);
  const list = await s.api('GET', '/api/v1/units', { token: sup });
  const id = list.json.units.find((u) => u.code === code).id;
  return { id, token: await s.login(code + 'h', 'pw-' + code + '-quail-42') };
}

async function create(body) {
  const r = await s.api('POST', '/api/v1/items', { token: sup, body: { kind: 'task', ...body } });
  assert.equal(r.status, 201, r.text);
  return r.json.id;
}

function act(token, id, body) {
  return s.api('POST', `/api/v1/items/${id}/actions`, { token, body });
}

// An item led by unit lead, taken to status (assigned, accepted or in_progress).
async function itemAt(status, lead, extra = {}) {
  const id = await create({ title: '事项' + Math.random().toString(36).slice(2, 8), ...extra });
  ok(await act(sup, id, { action: 'assign', lead_unit_id: lead.id, deadline: extra.deadline || '2025-03-31' }), 'assign');
  if (status === 'assigned') return id;
  ok(await act(lead.token, id, { action: 'accept' }), 'accept');
  if (status === 'accepted') return id;
  ok(await act(lead.token, id, { action: 'feedback', text: '开始办理', progress: 10 }), 'feedback');
  return id;
}

before(async () => {
  s = await startServer({ env: { LUOSHI_NOW: TODAY } });
  [sup, yjj, jxj, zzb, leader] = await Promise.all(
    ['supervisor', 'yjj', 'jxj', 'zzb', 'leader'].map((u) => s.login(u)));
  const r = await s.api('GET', '/api/v1/units', { token: sup });
  units = Object.fromEntries(r.json.units.map((u) => [u.code, u.id]));
  t1 = await handlerUnit('t1');
});
after(async () => {
  const code = await s.stop();
  assert.equal(code, 0, 'the server stops cleanly on SIGTERM\n' + s.log().slice(-3000));
});

test('the full loop across a lead and a cooperating unit, invisible to a third', async () => {
  const id = await create({ title: '全流程事项', feedback_cycle: 'weekly' });
  let it = ok(await act(sup, id, { action: 'assign', lead_unit_id: units.yjj, co_unit_ids: [units.jxj],
    deadline: '2025-03-31' }), 'assign');
  assert.equal(it.status, 'assigned');
  assert.equal(it.lead_unit.code, 'yjj');
  assert.deepEqual(it.co_unit_ids, [units.jxj]);
  assert.deepEqual(it.allowed_actions, ['assign', 'urge', 'escalate', 'cancel', 'edit', 'suspend']);

  // a unit that is neither lead nor cooperating sees nothing and may do nothing
  let r = await s.api('GET', `/api/v1/items/${id}`, { token: zzb });
  assert.equal(r.status, 403);
  r = await act(zzb, id, { action: 'accept' });
  assert.equal(r.status, 403);
  assert.equal(r.json.error.code, 'forbidden');
  r = await s.api('GET', `/api/v1/items/${id}/records`, { token: zzb });
  assert.equal(r.status, 403);
  assert.equal(r.json.error.code, 'forbidden');

  // the cooperating unit may not sign for it
  r = await act(jxj, id, { action: 'accept' });
  assert.equal(r.status, 403);
  it = ok(await act(yjj, id, { action: 'accept' }), 'accept');
  assert.equal(it.status, 'accepted');
  assert.deepEqual(it.allowed_actions, ['feedback', 'request_extension', 'submit']);

  // a cooperating unit's note: text only, no status change
  r = await act(jxj, id, { action: 'feedback', text: '配合意见', progress: 50 });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.code, 'invalid_field');
  it = ok(await act(jxj, id, { action: 'feedback', text: '配合意见' }), 'co feedback');
  assert.equal(it.status, 'accepted');
  assert.deepEqual(it.allowed_actions, ['feedback']);

  it = ok(await act(yjj, id, { action: 'feedback', text: '已完成摸排', progress: 30 }), 'feedback');
  assert.equal(it.status, 'in_progress');
  assert.equal(it.progress, 30);

  it = ok(await act(yjj, id, { action: 'request_extension', deadline: '2025-04-15', reason: '需要协调' }), 'request');
  assert.equal(it.deadline, '2025-03-31');
  r = await act(yjj, id, { action: 'request_extension', deadline: '2025-04-20', reason: '再延' });
  assert.equal(r.status, 409);
  assert.equal(r.json.error.code, 'extension_pending');
  it = ok(await act(sup, id, { action: 'approve_extension', text: '同意' }), 'approve');
  assert.equal(it.deadline, '2025-04-15');

  it = ok(await act(yjj, id, { action: 'submit', text: '办结报告' }), 'submit');
  assert.equal(it.status, 'submitted');
  assert.deepEqual(it.allowed_actions, []);
  it = ok(await act(sup, id, { action: 'reject', reason: '证据不足' }), 'reject');
  assert.equal(it.status, 'in_progress');
  it = ok(await act(yjj, id, { action: 'submit', text: '补充证据后办结' }), 'resubmit');
  assert.equal(it.status, 'submitted');
  it = ok(await act(sup, id, { action: 'verify' }), 'verify');
  assert.equal(it.status, 'done');
  assert.equal(it.progress, 100);
  assert.equal(it.light, 'none');
  it = ok(await act(sup, id, { action: 'archive' }), 'archive');
  assert.equal(it.status, 'archived');
  assert.deepEqual(it.allowed_actions, []);

  const rec = ok(await s.api('GET', `/api/v1/items/${id}/records`, { token: jxj }), 'records');
  assert.deepEqual(rec.feedback.map((f) => [f.unit_code, f.is_lead, f.text, f.progress]),
    [['jxj', false, '配合意见', null], ['yjj', true, '已完成摸排', 30]]);
  assert.deepEqual(rec.extensions.map((x) => [x.old_deadline, x.new_deadline, x.status, x.requested_by, x.decided_by]),
    [['2025-03-31', '2025-04-15', 'approved', 'yjj', 'supervisor']]);
  assert.deepEqual(rec.loop, { feedback_cycle: 'weekly', feedback_due: '2025-03-10', assigned_on: TODAY,
    escalation: null, feedback_late: false, pending_extension: null });
  assert.deepEqual([rec.urges, rec.escalations, rec.instructions], [[], [], []]);

  const ev = ok(await s.api('GET', `/api/v1/items/${id}/events`, { token: sup }), 'events');
  assert.deepEqual(ev.events.map((e) => `${e.actor}:${e.action}`), [
    'supervisor:create', 'supervisor:assign', 'yjj:accept', 'jxj:feedback', 'yjj:feedback',
    'yjj:request_extension', 'supervisor:approve_extension', 'yjj:submit', 'supervisor:reject',
    'yjj:submit', 'supervisor:verify', 'supervisor:archive']);
  r = s.cli(['verify']);
  assert.equal(r.status, 0, r.stderr);
});

test('an action from the wrong status is 409 with the allowed actions', async () => {
  const id = await create({ title: '状态不对' });
  let r = await act(sup, id, { action: 'verify' });
  assert.equal(r.status, 409);
  assert.equal(r.json.error.code, 'invalid_transition');
  assert.deepEqual(r.json.error.allowed_actions, ['assign', 'cancel', 'edit']);
  r = await act(leader, id, { action: 'archive' });
  assert.equal(r.status, 409);
  assert.deepEqual(r.json.error.allowed_actions, ['instruct']);
  r = await act(sup, id, { action: 'instruct', text: '请抓紧' });
  assert.equal(r.status, 403);
  assert.equal(r.json.error.code, 'forbidden');
  r = await act(sup, 999999, { action: 'urge', text: 'x' });
  assert.equal(r.status, 404);
  assert.equal(r.json.error.code, 'not_found');
});

test('missing and unknown fields are 422 and change nothing', async () => {
  const id = await itemAt('assigned', t1);
  const cases = [
    [sup, {}, 'missing_field'],
    [sup, { action: 'dance' }, 'invalid_field'],
    [t1.token, { action: 'return' }, 'missing_field'],
    [t1.token, { action: 'return', reason: '   ' }, 'missing_field'],
    [t1.token, { action: 'accept', note: 'x' }, 'unknown_field'],
    [sup, { action: 'urge' }, 'missing_field'],
    [sup, { action: 'escalate', level: 'huge' }, 'invalid_field'],
    [sup, { action: 'assign', deadline: '2025-02-30' }, 'invalid_field'],
  ];
  for (const [token, body, code] of cases) {
    const r = await act(token, id, body);
    assert.equal(r.status, 422, JSON.stringify(body));
    assert.equal(r.json.error.code, code, JSON.stringify(body));
  }
  const r = await s.api('POST', `/api/v1/items/${id}/actions`, { token: sup, raw: '[1]', headers: { 'Content-Type': 'application/json' } });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.code, 'invalid_json');
  const ev = ok(await s.api('GET', `/api/v1/items/${id}/events`, { token: sup }), 'events');
  assert.deepEqual(ev.events.map((e) => e.action), ['create', 'assign']);
});

test('ten concurrent feedbacks on one item are all kept, and the chain verifies', async () => {
  const id = await itemAt('accepted', t1);
  const rs = await Promise.all(Array.from({ length: 10 }, (_, k) =>
    act(t1.token, id, { action: 'feedback', text: '并发反馈' + k, progress: (k + 1) * 5 })));
  for (const r of rs) assert.equal(r.status, 200, r.text);
  const rec = ok(await s.api('GET', `/api/v1/items/${id}/records`, { token: t1.token }), 'records');
  assert.deepEqual(rec.feedback.map((f) => f.text).sort(),
    Array.from({ length: 10 }, (_, k) => '并发反馈' + k).sort());
  const ev = ok(await s.api('GET', `/api/v1/items/${id}/events`, { token: sup }), 'events');
  assert.equal(ev.events.filter((e) => e.action === 'feedback').length, 10);
  assert.deepEqual(ev.events.map((e) => e.seq), Array.from({ length: 13 }, (_, k) => k + 1));
  const it = ok(await s.api('GET', `/api/v1/items/${id}`, { token: t1.token }), 'item');
  assert.equal(it.status, 'in_progress');
  assert.equal(it.progress, rec.feedback[9].progress, 'the newest report sets the progress');
  const r = s.cli(['verify']);
  assert.equal(r.status, 0, r.stderr);
});

test('batch feedback is all or nothing and names the failing item', async () => {
  const a = await itemAt('in_progress', t1);
  const b = await itemAt('accepted', t1, { metric: { target: 200, unit: '亩' } });
  const other = await itemAt('assigned', { id: units.jxj, token: jxj });
  const count = async (id) => ok(await s.api('GET', `/api/v1/items/${id}/records`, { token: sup }), 'rec').feedback.length;

  let r = await s.api('POST', '/api/v1/feedback', { token: t1.token, body: { items: [
    { id: a, text: '本周进展', progress: 40 }, { id: other, text: '越权' }] } });
  assert.equal(r.status, 403);
  assert.equal(r.json.error.code, 'forbidden');
  assert.equal(r.json.error.item_id, other);
  assert.match(r.json.error.detail, new RegExp(`^item ${other}: `));

  r = await s.api('POST', '/api/v1/feedback', { token: t1.token, body: { items: [
    { id: a, text: '本周进展', progress: 40 }, { id: b, text: '超过', progress: 150 }] } });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.code, 'invalid_field');
  assert.equal(r.json.error.item_id, b);
  assert.deepEqual([await count(a), await count(b)], [1, 0], 'nothing was written');

  for (const [body, code] of [
    [{}, 'missing_field'],
    [{ items: [] }, 'invalid_field'],
    [{ items: [{ text: 'x' }] }, 'invalid_field'],
    [{ items: [{ id: a, text: 'x' }, { id: a, text: 'y' }] }, 'invalid_field'],
    [{ items: [{ id: a, text: 'x' }], note: 1 }, 'unknown_field'],
    [{ items: [{ id: a, text: 'x', colour: 'red' }] }, 'unknown_field'],
  ]) {
    r = await s.api('POST', '/api/v1/feedback', { token: t1.token, body });
    assert.equal(r.status, 422, JSON.stringify(body));
    assert.equal(r.json.error.code, code, JSON.stringify(body));
  }

  r = await s.api('POST', '/api/v1/feedback', { token: t1.token, body: { items: [
    { id: a, text: '本周进展', progress: 40 }, { id: b, text: '已腾退 50 亩', value: 50 }] } });
  const out = ok(r, 'batch');
  assert.deepEqual(out.items.map((it) => [it.id, it.status, it.progress]),
    [[a, 'in_progress', 40], [b, 'in_progress', 25]]);
  assert.equal(out.items[1].metric.value, 50);
  assert.deepEqual([await count(a), await count(b)], [2, 1]);
});

test('the inbox lists what waits for a unit and for the supervisor', async () => {
  const t2 = await handlerUnit('t2');
  const toAccept = await itemAt('assigned', t2, { deadline: '2025-03-28' });
  const soon = await itemAt('accepted', t2, { deadline: '2025-03-06' });
  const late = await itemAt('in_progress', t2, { deadline: '2025-02-28' });
  const rejected = await itemAt('in_progress', t2, { deadline: '2025-03-31' });
  ok(await act(t2.token, rejected, { action: 'submit', text: '完成' }), 'submit');
  ok(await act(sup, rejected, { action: 'reject', reason: '不完整' }), 'reject');
  const submitted = await itemAt('accepted', t2, { deadline: '2025-03-31' });
  ok(await act(t2.token, submitted, { action: 'submit', text: '完成' }), 'submit');
  const returned = await itemAt('assigned', t2, { deadline: '2025-03-31' });
  ok(await act(t2.token, returned, { action: 'return', reason: '不属于本单位职责' }), 'return');

  const box = ok(await s.api('GET', '/api/v1/inbox', { token: t2.token }), 'inbox');
  const ids = (list) => list.map((x) => x.id);
  assert.deepEqual(Object.keys(box), ['to_accept', 'to_report', 'due_soon', 'overdue', 'returned', 'to_verify',
    'to_assign', 'extensions', 'urged', 'instructed', 'escalated', 'my_instructions', 'instruction_results', 'to_score', 'to_triage', 'to_check',
    'acceptance_due', 'to_rate', 'to_follow_up', 'to_answer', 'objections', 'reviews', 'reviews_returned']);
  assert.deepEqual(ids(box.to_accept), [toAccept]);
  assert.deepEqual(ids(box.to_report), [soon, late, rejected]);
  assert.deepEqual(ids(box.due_soon), [soon]);
  assert.deepEqual(ids(box.overdue), [late]);
  assert.deepEqual(ids(box.returned), [rejected]);
  assert.deepEqual({ ...box.returned[0].why, at: undefined },
    { action: 'reject', at: undefined, actor: 'supervisor', actor_name: '督查室 王督查', text: '不完整' });
  assert.deepEqual(box.to_verify, []);
  assert.deepEqual(box.due_soon[0], {
    id: soon, title: box.due_soon[0].title, kind: 'task', status: 'accepted', light: 'yellow', deadline: '2025-03-06',
    feedback_due: null, feedback_late: false, progress: 0, escalation: null,
    lead_unit: { id: t2.id, code: 't2', name: '测试单位t2' }, why: null });
  assert.equal(box.overdue[0].light, 'red');

  const sbox = ok(await s.api('GET', '/api/v1/inbox', { token: sup }), 'supervisor inbox');
  const byStatus = async (st) => ids(ok(await s.api('GET', `/api/v1/items?status=${st}&limit=100`, { token: sup }), st).items).sort((x, y) => x - y);
  assert.deepEqual(ids(sbox.returned), await byStatus('returned'));
  assert.deepEqual(ids(sbox.to_verify), await byStatus('submitted'));
  assert.ok(ids(sbox.returned).includes(returned));
  assert.equal(sbox.returned.find((x) => x.id === returned).why.text, '不属于本单位职责');
  const counts = ok(await s.api('GET', '/api/v1/inbox/counts', { token: t2.token }), 'counts');
  assert.deepEqual(counts, { counts: { to_accept: 1, returned: 1, to_verify: 0, urged: 0, instructed: 0 }, total: 2 });
  assert.ok(ids(sbox.to_verify).includes(submitted));
  assert.ok(ids(sbox.overdue).includes(late));
  assert.deepEqual([sbox.to_accept, sbox.to_report], [[], []]);
});

test('the project list: tree, CSV with BOM and XLSX', async () => {
  const root = await create({ title: '世界五金之都建设规划', lead_unit_id: t1.id, deadline: '2025-12-31' });
  const g1 = await create({ title: '目标一：产业升级', lead_unit_id: t1.id, parent_id: root,
    deadline: '2025-06-30', co_unit_ids: [units.jxj, units.kjj] });
  const g2 = await create({ title: '目标二, "用地"整治', lead_unit_id: t1.id, parent_id: root,
    deadline: '2025-03-01', metric: { target: 1200, unit: '亩' } });
  const m1 = await create({ title: '=里程碑', lead_unit_id: t1.id, parent_id: g1, deadline: '2025-03-05' });
  const hidden = await create({ title: '别的单位的子项', lead_unit_id: units.zzb, parent_id: root, deadline: '2025-09-30' });
  // drafts are the office's: the unit's tree shows nothing of the plan until it is assigned
  let r = await s.api('GET', `/api/v1/items/${root}/tree`, { token: t1.token });
  assert.equal(r.status, 403);
  for (const id of [root, g1, g2, m1, hidden]) {
    ok(await s.api('POST', `/api/v1/items/${id}/actions`, { token: sup, body: { action: 'assign' } }), 'assign');
  }

  r = await s.api('GET', `/api/v1/items/${root}/tree`, { token: t1.token });
  const tree = ok(r, 'tree');
  assert.equal(tree.count, 4, 'the other unit\'s sub-item is left out for this handler');
  const flat = [];
  (function walk(n) { flat.push([n.number, n.id, n.depth, n.light, n.deadline]); n.children.forEach(walk); })(tree.tree);
  assert.deepEqual(flat, [
    ['1', root, 0, 'green', '2025-12-31'],
    ['1.1', g1, 1, 'green', '2025-06-30'],
    ['1.1.1', m1, 2, 'yellow', '2025-03-05'],
    ['1.2', g2, 1, 'red', '2025-03-01']]);
  assert.deepEqual(tree.tree.children[0].co_units.map((u) => u.code), ['jxj', 'kjj']);
  assert.deepEqual(tree.tree.children[1].metric, { target: 1200, unit: '亩', value: null });
  r = await s.api('GET', `/api/v1/items/${root}/tree`, { token: sup });
  assert.equal(ok(r, 'tree').count, 5);
  assert.equal(r.json.tree.children[2].id, hidden);

  r = await s.api('GET', `/api/v1/items/${root}/tree?format=csv`, { token: t1.token });
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'text/csv; charset=utf-8');
  assert.equal(r.headers.get('content-disposition'), `attachment; filename="plan-${root}.csv"`);
  const raw = Buffer.from(await (await fetch(`${s.url}/api/v1/items/${root}/tree?format=csv`,
    { headers: { Authorization: 'Bearer ' + t1.token } })).arrayBuffer());
  assert.deepEqual([...raw.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  assert.equal(raw.subarray(3).toString('utf8').split('\r\n')[0],
    '序号,事项,类型,状态,预警,牵头单位,配合单位,期限,进度(%),指标目标,指标当前值,指标单位');
  assert.equal(raw.subarray(3).toString('utf8'), [
    '序号,事项,类型,状态,预警,牵头单位,配合单位,期限,进度(%),指标目标,指标当前值,指标单位',
    '1,世界五金之都建设规划,任务,已交办,绿灯,测试单位t1,,2025-12-31,0,,,',
    '1.1,目标一：产业升级,任务,已交办,绿灯,测试单位t1,经信局、科技局,2025-06-30,0,,,',
    '1.1.1,"\'=里程碑",任务,已交办,黄灯,测试单位t1,,2025-03-05,0,,,',
    '1.2,"目标二, ""用地""整治",任务,已交办,红灯,测试单位t1,,2025-03-01,0,1200,,亩',
    ''].join('\r\n'));

  const x = await fetch(`${s.url}/api/v1/items/${root}/tree?format=xlsx`, { headers: { Authorization: 'Bearer ' + t1.token } });
  assert.equal(x.status, 200);
  assert.equal(x.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  assert.equal(x.headers.get('content-disposition'), `attachment; filename="plan-${root}.xlsx"`);
  const xb = Buffer.from(await x.arrayBuffer());
  assert.equal(xb.subarray(0, 4).toString('latin1'), 'PK\x03\x04');
  assert.ok(xb.length > 4000);

  r = await s.api('GET', `/api/v1/items/${root}/tree?format=pdf`, { token: t1.token });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.code, 'invalid_parameter');
  r = await s.api('GET', `/api/v1/items/${root}/tree`, { token: zzb });
  assert.equal(r.status, 403);
  r = await s.api('GET', '/api/v1/items/999999/tree?format=csv', { token: sup });
  assert.equal(r.status, 404);
});

test('luoshi calendar import loads a file, names a bad line and imports nothing then', async () => {
  const fs = require('node:fs');
  const path = require('node:path');
  const good = path.join(s.dir, 'cal.txt');
  fs.writeFileSync(good, '# 测试\n2025-03-10 holiday 测试假\n\n2025-03-15 workday 测试调休\n');
  let r = s.cli(['calendar', 'import', good]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, `2 days imported from ${good}\n`);
  const bad = path.join(s.dir, 'bad.txt');
  fs.writeFileSync(bad, '2025-03-11 holiday\n2025-02-30 holiday\n');
  r = s.cli(['calendar', 'import', bad]);
  assert.equal(r.status, 2);
  assert.equal(r.stderr, `luoshi calendar import: ${bad}: line 2: '2025-02-30' is not a date as YYYY-MM-DD\n`);
  r = s.cli(['calendar', 'import', path.join(s.dir, 'missing.txt')]);
  assert.equal(r.status, 1);
  r = s.cli(['calendar', '--help']);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /^import official holidays and adjusted working days\n\nluoshi calendar import \[--db DB\] FILE\n/);
  // the imported holiday counts in deadlines given as working days
  const id = await create({ title: '工作日期限' });
  const it = ok(await act(sup, id, { action: 'assign', lead_unit_id: t1.id, working_days: 6 }), 'assign');
  assert.equal(it.deadline, '2025-03-12', '4 5 6 7 (10 is a holiday) 11 12');
});

test('the demo city shows every stage of the loop, and the scheduler urged the overdue item', async () => {
  const all = ok(await s.api('GET', '/api/v1/items?source=meeting&limit=100', { token: sup }), 'items');
  const byTitle = Object.fromEntries(all.items.map((it) => [it.title, it]));
  const stage = (t) => byTitle[t].status;
  assert.equal(stage('传达学习习近平总书记在中央党校建校90周年庆祝大会上的重要讲话精神'), 'returned');
  assert.equal(stage('常态化开展各领域安全隐患排查整治，形成闭环'), 'in_progress');
  assert.equal(stage('持续开展一月一主题平安大整治'), 'assigned');
  assert.equal(stage('加强专业应急队伍建设和各项应急准备'), 'accepted');
  assert.equal(stage('推进低效工业用地整治再掀热潮'), 'submitted');
  assert.equal(stage('逐条回应企业座谈会提出的意见建议'), 'done');
  assert.equal(stage('优化完善世界五金之都规划体系'), 'draft');
  const late = byTitle['常态化开展各领域安全隐患排查整治，形成闭环'];
  assert.deepEqual([late.light, late.deadline, late.progress], ['red', '2025-02-28', 30]);
  // the scheduler's first run at start-up urges it once (its deadline passed on Friday)
  let rec;
  for (let k = 0; k < 100; k++) {
    rec = ok(await s.api('GET', `/api/v1/items/${late.id}/records`, { token: yjj }), 'records');
    if (rec.urges.length === 2) break;
    await new Promise((res) => setTimeout(res, 50));
  }
  assert.deepEqual(rec.urges.map((u) => [u.user, u.auto, u.text]), [
    ['supervisor', false, '已超过办理期限，请加快整改并报送进展'],
    [null, true, '已逾期：期限 2025-02-28 已过，请尽快办理并反馈。']]);
  const ev = ok(await s.api('GET', `/api/v1/items/${late.id}/events`, { token: sup }), 'events');
  assert.deepEqual(ev.events.map((e) => `${e.actor}:${e.action}`), [
    'system:create', 'supervisor:assign', 'yjj:accept', 'yjj:feedback', 'supervisor:urge', 'system:urge']);
  const r = s.cli(['verify']);
  assert.equal(r.status, 0, r.stderr);
});
