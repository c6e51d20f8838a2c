// End-to-end tests of the office's ledger (issue 15, parts 2 and 3): editing
// an open item over the API and through the item page's form, and the lists
// exported as CSV and XLSX, against the real binary (SQLite, or PostgreSQL
// with LUOSHI_TEST_PG).  The clock is fixed at Monday 2025-03-03.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { startServer } = require('../lib/server.js');

const FORM = 'application/x-www-form-urlencoded';
let s, sup, yjj, leader, unitOf;

function must(r, status, what) {
  assert.equal(r.status, status, `${what}: ${r.status} ${r.text}`);
  return r.json;
}

function act(token, id, body) {
  return s.api('POST', `/api/v1/items/${id}/actions`, { token, body });
}

async function create(body) {
  return must(await s.api('POST', '/api/v1/items', { token: sup, body: { kind: 'task', ...body } }),
    201, 'create').id;
}

async function lastEvent(id) {
  const events = must(await s.api('GET', `/api/v1/items/${id}/events`, { token: sup }), 200, 'events').events;
  return events[events.length - 1];
}

// A cookie session for user and the CSRF token its pages carry.
async function session(user) {
  const body = new URLSearchParams({ username: user, password: s.logins[user] }).toString();
  const r = await fetch(s.url + '/login', { method: 'POST', redirect: 'manual', body,
    headers: { 'Content-Type': FORM } });
  assert.equal(r.status, 303);
  const cookie = r.headers.get('set-cookie').split(';')[0];
  const page = await (await fetch(s.url + '/inbox', { headers: { Cookie: cookie } })).text();
  return { cookie, csrf: page.match(/name="csrf" value="([0-9a-f]{64})"/)[1] };
}

function post(sess, path, fields) {
  return fetch(s.url + path, { method: 'POST', redirect: 'manual',
    body: new URLSearchParams(fields).toString(),
    headers: { Cookie: sess.cookie, 'Content-Type': FORM } });
}

before(async () => {
  s = await startServer({ env: { LUOSHI_NOW: '2025-03-03' } });
  [sup, yjj, leader] = await Promise.all(['supervisor', 'yjj', 'leader'].map((u) => s.login(u)));
  const units = must(await s.api('GET', '/api/v1/units', { token: sup }), 200, 'units').units;
  unitOf = (code) => units.find((u) => u.code === code).id;
});
after(async () => {
  assert.equal(await s.stop(), 0, s.log().slice(-3000));
});

test('edit: the event carries before/after of exactly the fields changed, and the item shows them', async () => {
  const id = await create({ title: '旧标题', description: '旧内容', deadline: '2025-04-30',
    feedback_cycle: 'monthly' });
  must(await act(sup, id, { action: 'assign', lead_unit_id: unitOf('yjj') }), 200, 'assign');
  const it = must(await act(sup, id, { action: 'edit', title: '新标题', description: '旧内容',
    feedback_cycle: 'weekly', metric: { target: 12.5, unit: '亩' }, co_unit_ids: [unitOf('jxj')] }),
  200, 'edit');
  assert.equal(it.title, '新标题');
  assert.equal(it.feedback_cycle, 'weekly');
  assert.deepEqual(it.metric, { target: 12.5, unit: '亩', value: null });
  assert.deepEqual(it.co_unit_ids, [unitOf('jxj')]);
  assert.equal(it.status, 'assigned');
  assert.equal(it.deadline, '2025-04-30');
  const ev = await lastEvent(id);
  assert.equal(ev.action, 'edit');
  assert.deepEqual(ev.data, {
    before: { title: '旧标题', feedback_cycle: 'monthly', metric_target: null, metric_unit: null, co_unit_ids: [] },
    after: { title: '新标题', feedback_cycle: 'weekly', metric_target: 12.5, metric_unit: '亩', co_unit_ids: [unitOf('jxj')] },
  });
  // verify replays the edit: the chain and the item row agree
  const v = s.cli(['verify']);
  assert.equal(v.status, 0, v.stdout + v.stderr);
});

test('edit: refused with 422 when closed or unchanged, 403 for a handler or a leader', async () => {
  const id = await create({ title: '关闭前', deadline: '2025-04-30' });
  let r = await act(sup, id, { action: 'edit', title: '关闭前' });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.code, 'nothing_changed');
  r = await act(sup, id, { action: 'edit', deadline: '2025-05-30' });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.code, 'unknown_field');
  must(await act(sup, id, { action: 'assign', lead_unit_id: unitOf('yjj') }), 200, 'assign');
  r = await act(yjj, id, { action: 'edit', title: '改' });
  assert.equal(r.status, 403);
  r = await act(leader, id, { action: 'edit', title: '改' });
  assert.equal(r.status, 403);
  must(await act(sup, id, { action: 'cancel', reason: '不再需要' }), 200, 'cancel');
  r = await act(sup, id, { action: 'edit', title: '改' });
  assert.equal(r.status, 422);
  assert.deepEqual(r.json.error.code, 'item_closed');
  assert.equal((await lastEvent(id)).action, 'cancel');
});

test('edit: the item page form (office only, CSRF) posts the same edit', async () => {
  const id = await create({ title: '页面修改', description: '原内容', deadline: '2025-04-30' });
  const office = await session('supervisor');
  const page = await (await fetch(`${s.url}/items/${id}`, { headers: { Cookie: office.cookie } })).text();
  assert.ok(page.includes('<input id="edit-title" name="title" maxlength="200" value="页面修改">'), 'prefilled title');
  assert.ok(page.includes('<option value="none" selected>不需定期反馈</option>'), 'cycle selected');
  const handler = await session('yjj');
  const hp = await (await fetch(`${s.url}/items/${id}`, { headers: { Cookie: handler.cookie } })).text();
  assert.equal(hp.includes('name="action" value="edit"'), false, 'no edit form for a handler');
  // without the token: refused, nothing changed
  let r = await post(office, `/items/${id}/act`, { action: 'edit', title: '未改' });
  assert.equal(r.status, 403);
  r = await post(office, `/items/${id}/act`, [['csrf', office.csrf], ['action', 'edit'],
    ['title', '页面已改'], ['description', '原内容'], ['feedback_cycle', 'none'],
    ['metric_target', ''], ['metric_unit', '']]);
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), `/items/${id}?done=edit`);
  const ev = await lastEvent(id);
  assert.deepEqual(ev.data, { before: { title: '页面修改' }, after: { title: '页面已改' } });
  const shown = await (await fetch(`${s.url}/items/${id}`, { headers: { Cookie: office.cookie } })).text();
  assert.ok(shown.includes('修改事项，标题改为“页面已改”。'), 'the timeline says what changed');
});

// A unit of its own with a handler, so its list holds only this file's items.
async function handlerUnit(code) {
  let r = s.cli(['unit', 'add', '--code', code, '--name', '台账' + code, '--kind', 'department']);
  assert.equal(r.status, 0, r.stderr);
  r = s.cli(['user', 'add', '--username', code + 'h', '--unit', code, '--role', 'handler',
    '--password-stdin'], { input: 'pw-' + code + '-ledger-42\n' });
  assert.equal(r.status, 0, r.stderr);
  const list = must(await s.api('GET', '/api/v1/units', { token: sup }), 200, 'units').units;
  return { id: list.find((u) => u.code === code).id, token: await s.login(code + 'h', 'pw-' + code + '-ledger-42') };
}

async function download(token, query) {
  const r = await fetch(`${s.url}/api/v1/items?${query}`, { headers: { Authorization: 'Bearer ' + token } });
  return { status: r.status, headers: r.headers, body: Buffer.from(await r.arrayBuffer()) };
}

const CSV_HEAD = '编号,事项,类型,状态,预警,牵头单位,期限,进度(%),反馈周期,指标目标,指标当前值,指标单位,来源,创建时间';

test('export: the item list as CSV (BOM, exact rows, filters) and XLSX (frozen header, dates as dates)', async () => {
  const lx = await handlerUnit('lx');
  const a = await create({ title: '=SUM(A1)', deadline: '2025-03-31', lead_unit_id: lx.id });
  const b = await create({ title: '用地, "整治"', deadline: '2025-03-01', lead_unit_id: lx.id,
    metric: { target: 1200, unit: '亩' }, feedback_cycle: 'monthly' });
  must(await act(sup, a, { action: 'assign' }), 200, 'assign a');
  must(await act(sup, b, { action: 'assign' }), 200, 'assign b');
  await create({ title: '别的单位的事项', deadline: '2025-03-31', lead_unit_id: unitOf('yjj') });
  const created = must(await s.api('GET', `/api/v1/items/${a}`, { token: sup }), 200, 'a').created_at;
  const at = created.slice(0, 10) + ' ' + created.slice(11, 16);
  const want = [CSV_HEAD,
    `${b},"用地, ""整治""",任务,已交办,红灯,台账lx,2025-03-01,0,每月,1200,,亩,规划,${at}`,
    `${a},"'=SUM(A1)",任务,已交办,绿灯,台账lx,2025-03-31,0,不需定期反馈,,,,规划,${at}`,
    ''].join('\r\n');
  // the handler's export holds exactly what its list shows
  let r = await download(lx.token, 'format=csv');
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'text/csv; charset=utf-8');
  assert.equal(r.headers.get('content-disposition'),
    "attachment; filename=\"items-2025-03-03.csv\"; filename*=UTF-8''%E4%BA%8B%E9%A1%B9%E5%8F%B0%E8%B4%A6-2025-03-03.csv");
  assert.deepEqual([...r.body.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  assert.equal(r.body.subarray(3).toString('utf8'), want);
  const list = must(await s.api('GET', '/api/v1/items?limit=100', { token: lx.token }), 200, 'list');
  assert.deepEqual(list.items.map((i) => i.id), [b, a]);
  // the office's export with the board's filters: unit, light
  r = await download(sup, `unit=${lx.id}&format=csv`);
  assert.equal(r.body.subarray(3).toString('utf8'), want);
  r = await download(sup, `unit=${lx.id}&light=red&format=csv`);
  assert.equal(r.body.subarray(3).toString('utf8'), [CSV_HEAD, want.split('\r\n')[1], ''].join('\r\n'));
  r = await download(lx.token, 'format=pdf');
  assert.equal(r.status, 422);
  // XLSX: the same rows, read back from the sheet
  r = await download(lx.token, 'format=xlsx');
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  assert.equal(r.headers.get('content-disposition'),
    "attachment; filename=\"items-2025-03-03.xlsx\"; filename*=UTF-8''%E4%BA%8B%E9%A1%B9%E5%8F%B0%E8%B4%A6-2025-03-03.xlsx");
  const file = path.join(s.dir, 'items.xlsx');
  fs.writeFileSync(file, r.body);
  const unzip = (member) => execFileSync('unzip', ['-p', file, member]).toString('utf8');
  assert.match(unzip('xl/workbook.xml'), /<sheet name="事项台账"/);
  const sheet = unzip('xl/worksheets/sheet1.xml');
  assert.match(sheet, /<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"\/>/);
  assert.match(sheet, /<col min="2" max="2" width="48.7109375" customWidth="1"\/>/);
  const rows = [...sheet.matchAll(/<row r="(\d+)"[^>]*>(.*?)<\/row>/g)].map((m) => m[2]);
  assert.equal(rows.length, 3);
  const cells = (row) => [...row.matchAll(/<c r="([A-Z]+)\d+"([^>]*)>(?:<v>([^<]*)<\/v>|<is><t[^>]*>([^<]*)<\/t><\/is>)<\/c>/g)]
    .map((m) => [m[1], m[4] !== undefined ? m[4] : Number(m[3])]);
  assert.deepEqual(cells(rows[0]).map((c) => c[1]), CSV_HEAD.split(','));
  const row1 = Object.fromEntries(cells(rows[1]));
  assert.equal(row1.A, b);
  assert.equal(row1.B, '用地, "整治"');
  assert.equal(row1.E, '红灯');
  assert.equal(row1.G, 45717); /* 2025-03-01 as an Excel date */
  assert.equal(row1.J, 1200);
  assert.equal(row1.L, '亩');
  assert.match(rows[1], /<c r="G2" s="\d+"><v>45717<\/v><\/c>/);
  const row2 = Object.fromEntries(cells(rows[2]));
  assert.equal(row2.B, '=SUM(A1)'); /* a string cell, never a formula */
  assert.equal(row2.G, 45747);
});

test('export: the inbox (待办) as CSV holds the entries its lists show, one row each', async () => {
  const lz = await handlerUnit('lz');
  const a = await create({ title: '待签收一', deadline: '2025-03-31', lead_unit_id: lz.id });
  const b = await create({ title: '已逾期二', deadline: '2025-03-01', lead_unit_id: lz.id });
  must(await act(sup, a, { action: 'assign' }), 200, 'assign a');
  must(await act(sup, b, { action: 'assign' }), 200, 'assign b');
  const inbox = must(await s.api('GET', '/api/v1/inbox', { token: lz.token }), 200, 'inbox');
  assert.deepEqual(inbox.to_accept.map((i) => i.id).sort(), [a, b].sort());
  assert.deepEqual(inbox.overdue.map((i) => i.id), [b]);
  const r = await fetch(`${s.url}/api/v1/inbox?format=csv`, { headers: { Authorization: 'Bearer ' + lz.token } });
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-disposition'),
    "attachment; filename=\"inbox-2025-03-03.csv\"; filename*=UTF-8''%E5%BE%85%E5%8A%9E-2025-03-03.csv");
  const body = Buffer.from(await r.arrayBuffer());
  assert.deepEqual([...body.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const row = (list, it) => [list, it.id, it.title, '任务', '已交办', it.id === b ? '红灯' : '绿灯', '台账lz', it.deadline, 0, ''].join(',');
  const names = { to_accept: '待签收', overdue: '已逾期' };
  const want = ['清单,编号,事项,类型,状态,预警,牵头单位,期限,进度(%),说明'];
  for (const [key, list] of Object.entries(inbox))
    if (Array.isArray(list) && key !== 'objections') for (const it of list) want.push(row(names[key], it));
  assert.equal(want.length, 4);
  assert.equal(body.subarray(3).toString('utf8'), want.join('\r\n') + '\r\n');
  const page = await (await fetch(`${s.url}/inbox`, { headers: { Cookie: (await session('supervisor')).cookie } })).text();
  assert.ok(page.includes('<a class="button" href="/api/v1/inbox?format=xlsx">Excel 表格</a>'), 'the 待办 page links the export');
  const items = await (await fetch(`${s.url}/items?light=red`, { headers: { Cookie: (await session('supervisor')).cookie } })).text();
  assert.ok(items.includes('<a class="button" href="/api/v1/items?light=red&amp;format=csv">CSV</a>'), 'the list links its export with its filters');
});

test('print: the stylesheet prints the item page and the list without navigation, forms or filters', async () => {
  const css = await (await fetch(`${s.url}/static/style.css`)).text();
  const print = css.slice(css.lastIndexOf('@media print {'));
  assert.ok(print.includes('header.top, nav, .skip, .no-print, .filters, .exports, .pager, .card.acts, .act-buttons,\n' +
    '  details.act, form, .buttons, .lang { display: none !important; }'), print);
  assert.ok(print.includes('thead { display: table-header-group; }'), 'the list repeats its header on every page');
});

test('export: the 考核 deductions as CSV and XLSX, the office only', async () => {
  let d;
  for (let k = 0; k < 100; k++) { // the start-up run of the scheduler records the demo city's
    d = must(await s.api('GET', '/api/v1/deductions', { token: sup }), 200, 'ledger');
    if (d.count) break;
    await new Promise((res) => setTimeout(res, 50));
  }
  assert.ok(d.count >= 1, 'the demo city has a deduction');
  const cell = (v) => (v === null || v === undefined ? '' : /[",\r\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));
  const want = ['编号,单位,事项编号,事项,规则,依据,扣分,记录时间,说明',
    ...d.deductions.map((x) => [x.id, x.unit_name, x.item_id, x.item_title, x.rule, x.ref, x.points, x.at, x.note].map(cell).join(',')),
    ''].join('\r\n');
  let r = await fetch(`${s.url}/api/v1/deductions?format=csv`, { headers: { Authorization: 'Bearer ' + sup } });
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-disposition'),
    "attachment; filename=\"deductions-2025-03-03.csv\"; filename*=UTF-8''%E6%89%A3%E5%88%86%E5%8F%B0%E8%B4%A6-2025-03-03.csv");
  const body = Buffer.from(await r.arrayBuffer());
  assert.deepEqual([...body.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  assert.equal(body.subarray(3).toString('utf8'), want);
  r = await fetch(`${s.url}/api/v1/deductions?format=xlsx`, { headers: { Authorization: 'Bearer ' + sup } });
  assert.equal(r.status, 200);
  const file = path.join(s.dir, 'deductions.xlsx');
  fs.writeFileSync(file, Buffer.from(await r.arrayBuffer()));
  const sheet = execFileSync('unzip', ['-p', file, 'xl/worksheets/sheet1.xml']).toString('utf8');
  assert.match(sheet, /state="frozen"/);
  assert.equal([...sheet.matchAll(/<row r="/g)].length, d.count + 1);
  assert.ok(sheet.includes(`<c r="A2"><v>${d.deductions[0].id}</v></c>`), 'ids as numbers');
  r = await fetch(`${s.url}/api/v1/deductions?format=csv`, { headers: { Authorization: 'Bearer ' + yjj } });
  assert.equal(r.status, 403);
});

// A value as the one CSV writer writes it (null and absent: an empty cell).
function csvCell(v) {
  if (v === null || v === undefined) return '';
  const t = String(v);
  return /[",\r\n]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
}

async function csvOf(token, url, name, zh) {
  const r = await fetch(s.url + url, { headers: { Authorization: 'Bearer ' + token } });
  assert.equal(r.status, 200, `${url}: ${r.status}`);
  assert.equal(r.headers.get('content-disposition'),
    `attachment; filename="${name}-2025-03-03.csv"; filename*=UTF-8''${encodeURIComponent(zh)}-2025-03-03.csv`);
  assert.equal(r.headers.get('content-type'), 'text/csv; charset=utf-8');
  const body = Buffer.from(await r.arrayBuffer());
  assert.deepEqual([...body.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  return body.subarray(3).toString('utf8');
}

test('export: a user\'s messages (read and unread) as CSV and XLSX, only their own', async () => {
  const id = await create({ title: '消息导出', deadline: '2025-04-30' });
  must(await act(sup, id, { action: 'assign', lead_unit_id: unitOf('yjj') }), 200, 'assign');
  must(await act(sup, id, { action: 'urge', text: '请加快, "今天" 报送' }), 200, 'urge');
  const list = must(await s.api('GET', '/api/v1/messages?limit=100', { token: yjj }), 200, 'messages');
  must(await s.api('POST', '/api/v1/messages/read', { token: yjj, body: { ids: [list.messages[0].id] } }),
    200, 'read');
  const m = must(await s.api('GET', '/api/v1/messages?limit=100', { token: yjj }), 200, 'messages').messages;
  assert.ok(m.length >= 2 && m.length < 100, `${m.length} messages`);
  assert.equal(m[0].read, true);
  assert.equal(m[1].read, false);
  const want = ['编号,时间,标题,内容,事项编号,发送人,动作,状态',
    ...m.map((x) => [x.id, x.at, x.title, x.text, x.item_id, x.actor, x.action, x.read ? '已读' : '未读']
      .map(csvCell).join(',')), ''].join('\r\n');
  assert.equal(await csvOf(yjj, '/api/v1/messages?format=csv', 'messages', '消息'), want);
  const unread = m.filter((x) => !x.read);
  assert.equal((await csvOf(yjj, '/api/v1/messages?format=csv&unread=1', 'messages', '消息')).split('\r\n').length,
    unread.length + 2);
  const own = must(await s.api('GET', '/api/v1/messages?limit=100', { token: sup }), 200, 'messages').messages;
  assert.equal((await csvOf(sup, '/api/v1/messages?format=csv', 'messages', '消息')).split('\r\n').length,
    own.length + 2, 'the office exports its own messages, not the unit\'s');
  const r = await fetch(`${s.url}/api/v1/messages?format=xlsx`, { headers: { Authorization: 'Bearer ' + yjj } });
  assert.equal(r.status, 200);
  const file = path.join(s.dir, 'messages.xlsx');
  fs.writeFileSync(file, Buffer.from(await r.arrayBuffer()));
  const sheet = execFileSync('unzip', ['-p', file, 'xl/worksheets/sheet1.xml']).toString('utf8');
  assert.match(sheet, /state="frozen"/);
  assert.equal([...sheet.matchAll(/<row r="/g)].length, m.length + 1);
  const bad = await s.api('GET', '/api/v1/messages?format=pdf', { token: yjj });
  assert.equal(bad.status, 422);
  assert.equal(bad.json.error.code, 'invalid_parameter');
});

test('export: a campaign\'s items as CSV and XLSX, each caller only those it sees', async () => {
  const c = must(await s.api('POST', '/api/v1/campaigns', { token: sup, body: {
    theme: '导出专项', month: '2025-03', description: '台账导出', categories: ['fire'] } }), 201, 'campaign');
  const cid = c.campaign.id;
  const a = await create({ title: '专项甲', deadline: '2025-03-20' });
  const b = await create({ title: '专项乙, "引号"', deadline: '2025-03-05' });
  must(await act(sup, a, { action: 'assign', lead_unit_id: unitOf('yjj') }), 200, 'assign');
  must(await act(sup, b, { action: 'assign', lead_unit_id: unitOf('jxj') }), 200, 'assign');
  for (const id of [a, b])
    must(await s.api('POST', `/api/v1/campaigns/${cid}/items`, { token: sup, body: { item_id: id } }), 200, 'attach');
  const zh = { draft: '草稿', assigned: '已交办', accepted: '已签收', in_progress: '办理中', submitted: '待销号',
    done: '已办结', green: '绿灯', yellow: '黄灯', red: '红灯', none: '—' };
  const rowsFor = async (token) => {
    const ids = must(await s.api('GET', `/api/v1/campaigns/${cid}`, { token }), 200, 'campaign').items;
    const rows = [];
    for (const id of ids) {
      const it = must(await s.api('GET', `/api/v1/items/${id}`, { token }), 200, 'item');
      rows.push([it.id, it.title, zh[it.status], it.light ? zh[it.light] : '', it.lead_unit && it.lead_unit.name,
        it.deadline, it.progress, it.created_at].map(csvCell).join(','));
    }
    return ['编号,事项,状态,预警,牵头单位,期限,进度(%),上报时间', ...rows, ''].join('\r\n');
  };
  const office = await csvOf(sup, `/api/v1/campaigns/${cid}?format=csv`, 'campaign', '专项行动');
  assert.equal(office, await rowsFor(sup));
  assert.ok(office.includes(',"专项乙, ""引号""",已交办,'), office);
  const unit = await csvOf(yjj, `/api/v1/campaigns/${cid}?format=csv`, 'campaign', '专项行动');
  assert.equal(unit, await rowsFor(yjj));
  assert.ok(unit.includes(',专项甲,已交办,') && !unit.includes('专项乙'), unit);
  const r = await fetch(`${s.url}/api/v1/campaigns/${cid}?format=xlsx`, { headers: { Authorization: 'Bearer ' + sup } });
  assert.equal(r.status, 200);
  const file = path.join(s.dir, 'campaign.xlsx');
  fs.writeFileSync(file, Buffer.from(await r.arrayBuffer()));
  const sheet = execFileSync('unzip', ['-p', file, 'xl/worksheets/sheet1.xml']).toString('utf8');
  assert.equal([...sheet.matchAll(/<row r="/g)].length, 3);
  assert.equal((await s.api('GET', `/api/v1/campaigns/${cid}?format=doc`, { token: sup })).status, 422);
});
