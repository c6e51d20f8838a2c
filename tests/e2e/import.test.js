// End-to-end tests of importing a 任务分解表 (issue 15 part 4) against the real binary (SQLite,
// or PostgreSQL with LUOSHI_TEST_PG): an .xlsx written by exceljs (a merged title, a two-row
// header with 责任单位 merged over 牵头单位 and 配合单位, dates in the 1900 and the 1904
// systems, a deadline in working days, units by name and by code) previewed and then stored
// all or nothing (source import, parents by outline number, the events carrying the file's
// hash); the template written by libxlsxwriter read back; CSV with a BOM; every problem of bad
// rows by row and column; hostile files each refused with its own code and nothing stored (a
// zip bomb, a part that inflates far past its size, an .xlsx with 1,048,576 rows, a PDF, 0
// bytes); the same file twice; who may import; the CLI.  The clock is 2025-04-01.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');
const ExcelJS = require('exceljs');
const { startServer } = require('../lib/server.js');

let s, sup, yjj, units;

function must(r, status, what) {
  assert.equal(r.status, status, `${what}: ${r.status} ${r.text}`);
  return r.json;
}
const sha = (b) => crypto.createHash('sha256').update(b).digest('hex');
function post(bytes, query = '', token = sup) {
  return s.api('POST', `/api/v1/imports${query}`,
    { token, raw: bytes, headers: { 'Content-Type': 'application/octet-stream' } });
}
async function itemCount() {
  const r = must(await s.api('GET', '/api/v1/items?source=import&limit=1', { token: sup }), 200, 'count');
  return r.total_count;
}

// The office's sheet as exceljs writes it.
async function officeSheet({ date1904 = false, extraRow = null } = {}) {
  const wb = new ExcelJS.Workbook();
  if (date1904) wb.properties.date1904 = true;
  const ws = wb.addWorksheet('任务分解表');
  ws.mergeCells('A1:H1');
  ws.getCell('A1').value = '永康市2025年重点任务分解表';
  const heads = { A: '序号', B: '任务名称', E: '完成时限', F: '反馈周期', G: '目标值', H: '单位' };
  for (const [c, v] of Object.entries(heads)) {
    ws.mergeCells(`${c}2:${c}3`);
    ws.getCell(`${c}2`).value = v;
  }
  ws.mergeCells('C2:D2');
  ws.getCell('C2').value = '责任单位';
  ws.getCell('C3').value = '牵头单位';
  ws.getCell('D3').value = '配合单位';
  const d = (y, m, day) => new Date(Date.UTC(y, m - 1, day));
  ws.addRow(['1', '安全生产大检查', '应急管理局', '经信局、科技局', d(2025, 6, 30), '每月']);
  ws.addRow(['1.1', '企业自查', '应急管理局', null, '10个工作日', '每周', 120, '家']);
  ws.addRow(['2', '低效用地整治', 'zb-dxyd', '自然资源和规划局', d(2025, 12, 31), '季度', 500, '亩']);
  ws.addRow(['2.1', '东城街道整治', '东城街道', null, d(2025, 9, 30), '每月', 80.5, '亩']);
  if (extraRow) ws.addRow(extraRow);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

// A zip of [name, text, {lie}] parts, deflated; lie: the uncompressed size declared.
function zip(parts) {
  const locals = [], centrals = [];
  let offset = 0;
  for (const [name, text, opt = {}] of parts) {
    const data = Buffer.isBuffer(text) ? text : Buffer.from(text);
    const comp = zlib.deflateRawSync(data);
    const n = Buffer.from(name);
    const size = opt.lie ?? data.length;
    const crc = zlib.crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(0x800, 6);
    local.writeUInt16LE(8, 8); local.writeUInt32LE(crc, 14); local.writeUInt32LE(comp.length, 18);
    local.writeUInt32LE(size, 22); local.writeUInt16LE(n.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE(20, 4); central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x800, 8); central.writeUInt16LE(8, 10); central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(comp.length, 20); central.writeUInt32LE(size, 24);
    central.writeUInt16LE(n.length, 28); central.writeUInt32LE(offset, 42);
    locals.push(local, n, comp);
    centrals.push(central, n);
    offset += 30 + n.length + comp.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10); end.writeUInt32LE(cd.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}
const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const WORKBOOK = `<workbook xmlns="${NS}"><sheets><sheet name="S" sheetId="1"/></sheets></workbook>`;
function xlsxOf(sheetXml, opt) {
  return zip([['xl/workbook.xml', WORKBOOK], ['xl/worksheets/sheet1.xml', sheetXml, opt]]);
}
const HEAD = `<worksheet xmlns="${NS}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>任务名称</t></is></c>`
  + '<c r="B1" t="inlineStr"><is><t>牵头单位</t></is></c></row>';

// The big hostile files are made before the server starts: making them blocks node for seconds,
// and a keep-alive connection the server closes meanwhile would fail the next request.
const big = {};
function makeBig() {
  const spaces = (mib) => Buffer.concat([Buffer.from(HEAD), Buffer.alloc(mib * 1024 * 1024, ' '), Buffer.from('</sheetData></worksheet>')]);
  big.bomb = xlsxOf(spaces(100));
  big.ratio = xlsxOf(spaces(8));
  big.lying = xlsxOf(spaces(100), { lie: 1000 });
  const parts = [HEAD];
  for (let r = 2; r <= 1048576; r++) parts.push(`<row r="${r}"><c r="A${r}"><v>${r}</v></c></row>`);
  parts.push('</sheetData></worksheet>');
  big.rows = xlsxOf(parts.join(''));
}

before(async () => {
  makeBig();
  s = await startServer({ env: { LUOSHI_NOW: '2025-04-01' } });
  [sup, yjj] = await Promise.all(['supervisor', 'yjj'].map((u) => s.login(u)));
  const list = await s.api('GET', '/api/v1/units', { token: sup });
  units = Object.fromEntries(list.json.units.map((u) => [u.code, u.id]));
});
after(async () => {
  const code = await s.stop();
  assert.equal(code, 0, 'the server stops cleanly\n' + s.log().slice(-3000));
});

function expectedRows(withItems) {
  const row = (r, outline, title, lead, co, deadline, cycle, metric, parent) => ({
    row: r, outline, title, lead_unit_id: units[lead[0]], lead_unit: lead[1], co_unit_ids: co.map((c) => units[c]),
    deadline, feedback_cycle: cycle, metric, description: '', parent_row: parent, problems: [],
  });
  const rows = [
    row(4, '1', '安全生产大检查', ['yjj', '应急管理局'], ['jxj', 'kjj'], '2025-06-30', 'monthly', null, null),
    row(5, '1.1', '企业自查', ['yjj', '应急管理局'], [], '2025-04-16', 'weekly', { target: 120, unit: '家' }, 4),
    row(6, '2', '低效用地整治', ['zb-dxyd', 'zb-dxyd'], ['zgj'], '2025-12-31', 'quarterly', { target: 500, unit: '亩' }, null),
    row(7, '2.1', '东城街道整治', ['dc', '东城街道'], [], '2025-09-30', 'monthly', { target: 80.5, unit: '亩' }, 6),
  ];
  return withItems ? rows : rows;
}

test('preview of an exceljs sheet: merged title and two-row header, 1900 dates, working days, every row exact', async () => {
  const file = await officeSheet();
  const before_ = await itemCount();
  const p = must(await post(file, '?name=' + encodeURIComponent('分解表.xlsx') + '&dry_run=1'), 200, 'dry run');
  assert.deepEqual(p, {
    dry_run: true, name: '分解表.xlsx', sha256: sha(file), format: 'xlsx', header_row: 3,
    columns: { outline: 'A', title: 'B', lead_unit: 'C', co_units: 'D', deadline: 'E', feedback_cycle: 'F', target: 'G', metric_unit: 'H' },
    row_count: 4, rows: expectedRows(false), problems: [],
  });
  assert.equal(await itemCount(), before_, 'a dry run stores nothing');
});

test('the same sheet in the 1904 date system gives the same dates', async () => {
  const file = await officeSheet({ date1904: true, extraRow: ['3', '另一项', '科技局'] });
  const p = must(await post(file, '?dry_run=true'), 200, 'dry run 1904');
  assert.deepEqual(p.rows.map((r) => r.deadline), ['2025-06-30', '2025-04-16', '2025-12-31', '2025-09-30', null]);
  assert.equal(p.name, 'import');
});

test('import: all rows as draft items of source import, parents first, linked to the file by its hash', async () => {
  const file = await officeSheet();
  const p = must(await post(file, '?name=plan.xlsx'), 201, 'import');
  assert.equal(p.dry_run, false);
  assert.equal(typeof p.import_id, 'number');
  assert.deepEqual(p.problems, []);
  const ids = p.rows.map((r) => r.item_id);
  assert.equal(new Set(ids).size, 4);
  const items = [];
  for (const id of ids) items.push(must(await s.api('GET', `/api/v1/items/${id}`, { token: sup }), 200, 'item'));
  assert.deepEqual(items.map((i) => [i.title, i.kind, i.status, i.source, i.parent_id, i.lead_unit_id, i.deadline, i.feedback_cycle]), [
    ['安全生产大检查', 'task', 'draft', 'import', null, units.yjj, '2025-06-30', 'monthly'],
    ['企业自查', 'task', 'draft', 'import', ids[0], units.yjj, '2025-04-16', 'weekly'],
    ['低效用地整治', 'task', 'draft', 'import', null, units['zb-dxyd'], '2025-12-31', 'quarterly'],
    ['东城街道整治', 'task', 'draft', 'import', ids[2], units.dc, '2025-09-30', 'monthly'],
  ]);
  assert.deepEqual(items[0].co_unit_ids, [units.jxj, units.kjj]);
  const ev = must(await s.api('GET', `/api/v1/items/${ids[3]}/events`, { token: sup }), 200, 'events');
  const create = (ev.events || ev).find((e) => e.action === 'create');
  assert.deepEqual(create.data.import, { id: p.import_id, row: 7, sha256: sha(file) });
  assert.deepEqual(create.data.metric, { target: 80.5, unit: '亩' });
  // the same bytes again: 409, nothing more
  const n = await itemCount();
  const again = await post(file, '?name=plan.xlsx');
  assert.equal(again.status, 409, again.text);
  assert.equal(again.json.error.code, 'import_duplicate');
  assert.equal(await itemCount(), n);
});

test('bad rows: every problem by row and column with its code; storing them is 422 and stores nothing', async () => {
  const csv = '\ufeff序号,任务名称,牵头单位,配合单位,完成时限,反馈周期,目标值,单位,上级\r\n'
    + '1,甲,无此局,经信局,2025-02-30,每天,abc,,\r\n'
    + '1.1,乙,应急管理局,应急管理局,,,,亩,\r\n'
    + '1.1,乙,应急管理局,,,,,,\r\n'
    + '3.1,丙,应急管理局,,,,,,\r\n'
    + '4,丁,应急管理局,,,,,,5\r\n'
    + '5,戊,应急管理局,,,,,,4\r\n'
    + 'x.1,,,,,,,,\r\n';
  const want = [
    [2, 'C', 'lead_unit', 'unknown_unit', '无此局'], [2, 'E', 'deadline', 'bad_date', '2025-02-30'],
    [2, 'F', 'feedback_cycle', 'bad_cycle', '每天'], [2, 'G', 'target', 'bad_number', 'abc'],
    [3, 'D', 'co_units', 'lead_is_co', '应急管理局'], [3, 'G', 'target', 'missing_value', ''],
    [4, 'A', 'outline', 'duplicate_outline', '1.1'], [4, 'B', 'title', 'duplicate_title', '乙'],
    [5, 'A', 'outline', 'unknown_parent', '3.1'],
    [6, 'I', 'parent', 'parent_cycle', '5'], [7, 'I', 'parent', 'parent_cycle', '4'],
    [8, 'A', 'outline', 'bad_outline', 'x.1'], [8, 'B', 'title', 'missing_value', ''],
    [8, 'C', 'lead_unit', 'missing_value', ''],
  ].map(([row, column, field, code, value]) => ({ row, column, field, code, value }));
  const p = must(await post(Buffer.from(csv), '?name=bad.csv&dry_run=1'), 200, 'dry run');
  assert.equal(p.format, 'csv');
  assert.deepEqual(p.problems, want);
  assert.deepEqual(p.rows[0].problems, want.slice(0, 4));
  const n = await itemCount();
  const r = await post(Buffer.from(csv), '?name=bad.csv');
  assert.equal(r.status, 422, r.text);
  assert.equal(r.json.error.code, 'import_invalid');
  assert.deepEqual(r.json.error.problems, want);
  assert.equal(await itemCount(), n);
});

test('a 责任领导 column sets each item\'s responsible leader, by display name or user name; an unknown one is a problem', async () => {
  const leader = must(await s.api('GET', '/api/v1/me', { token: await s.login('leader') }), 200, 'me').user.id;
  const bad = '任务名称,牵头单位,责任领导\r\n领导甲,应急管理局,市领导 李书记\r\n领导乙,应急管理局,张局长\r\n';
  const p = must(await post(Buffer.from(bad), '?name=leaders-bad.csv&dry_run=1'), 200, 'dry run');
  assert.equal(p.columns.leader, 'C');
  assert.deepEqual(p.rows.map((r) => [r.leader_id, r.leader]), [[leader, '市领导 李书记'], [null, '张局长']]);
  assert.deepEqual(p.problems, [{ row: 3, column: 'C', field: 'leader', code: 'unknown_leader', value: '张局长' }]);
  // by user name too; an empty cell is no leader
  const r = s.cli(['user', 'add', '--username', 'fsz', '--name', '张副市长', '--unit', 'swb', '--role', 'leader',
    '--password-stdin'], { input: 'pw-import-leader-owl-17\n' });
  assert.equal(r.status, 0, r.stderr);
  const fsz = must(await s.api('GET', '/api/v1/me', { token: await s.login('fsz', 'pw-import-leader-owl-17') }), 200, 'me').user.id;
  const csv = '任务名称,牵头单位,责任领导\r\n领导丙,应急管理局,市领导 李书记\r\n领导丁,应急管理局,\r\n领导戊,应急管理局,fsz\r\n';
  const stored = must(await post(Buffer.from(csv), '?name=leaders.csv'), 201, 'stored');
  const ids = stored.rows.map((x) => x.item_id);
  const got = await Promise.all(ids.map(async (id) => must(await s.api('GET', `/api/v1/items/${id}`, { token: sup }), 200, 'item')));
  assert.deepEqual(got.map((x) => [x.title, x.leader_id]), [['领导丙', leader], ['领导丁', null], ['领导戊', fsz]]);
  // not a leader: the supervisor's user name is refused as unknown
  const sv = must(await post(Buffer.from('任务名称,牵头单位,责任领导\r\n领导己,应急管理局,supervisor\r\n'), '?name=leaders-sv.csv&dry_run=1'), 200, 'dry run');
  assert.deepEqual(sv.problems.map((x) => x.code), ['unknown_leader']);
});

test('the template from /import/template.xlsx (libxlsxwriter) is read: its header found, no rows yet', async () => {
  const r = await fetch(s.url + '/import/template.xlsx', { headers: { Authorization: 'Bearer ' + sup } });
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  assert.match(r.headers.get('content-disposition'), /attachment; filename="import-template.xlsx"/);
  const file = Buffer.from(await r.arrayBuffer());
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(file);
  const ws = wb.worksheets[0];
  assert.deepEqual(ws.getRow(2).values.slice(1),
    ['序号', '上级', '任务名称', '牵头单位', '配合单位', '完成时限', '反馈周期', '目标值', '单位', '说明']);
  const e = await post(file, '?dry_run=1');
  assert.equal(e.status, 422, e.text);
  assert.equal(e.json.error.code, 'import_empty');
  // filled in with exceljs, it imports
  ws.getRow(3).values = ['1', null, '模板任务', '科技局', null, '2025-07-01', '每月'];
  const p = must(await post(Buffer.from(await wb.xlsx.writeBuffer()), '?dry_run=1'), 200, 'filled template');
  assert.deepEqual(p.rows.map((x) => [x.row, x.title, x.lead_unit_id, x.deadline, x.feedback_cycle]),
    [[3, '模板任务', units.kjj, '2025-07-01', 'monthly']]);
});

test('hostile files: each refused with its own 4xx code and nothing stored', async () => {
  const n = await itemCount();
  const cases = [
    ['a zip bomb (100 MiB declared)', big.bomb, 413, 'xlsx_too_large'],
    ['a part inflating 1000-fold', big.ratio, 413, 'xlsx_ratio'],
    ['a bomb whose header lies', big.lying, 413, 'xlsx_ratio'],
    ['not a zip past its signature', Buffer.from('PK\u0003\u0004 nothing more'), 422, 'invalid_xlsx'],
    ['a PDF', Buffer.from('%PDF-1.4\n%%EOF\n'), 422, 'unsupported_format'],
    ['0 bytes', Buffer.alloc(0), 400, 'file_empty'],
    ['no header', Buffer.from('a,b\n1,2\n'), 422, 'import_no_header'],
    ['a NUL in CSV', Buffer.from('任务名称,牵头单位\n\u0000,x\n'), 400, 'invalid_encoding'],
    ['a cell of 4001 bytes', Buffer.from('任务名称,牵头单位\n' + 'x'.repeat(4001) + ',y\n'), 413, 'cell_too_long'],
    ['65 columns', Buffer.from('任务名称,牵头单位' + ',c'.repeat(63) + '\n'), 413, 'too_many_columns'],
  ];
  for (const [what, bytes, status, code] of cases) {
    const r = await post(bytes, '?name=x.xlsx');
    assert.equal(r.status, status, `${what}: ${r.text}`);
    assert.equal(r.json.error.code, code, what);
  }
  assert.equal(await itemCount(), n);
});

test('an .xlsx with 1,048,576 rows is refused at the row limit', async () => {
  const r = await post(big.rows, '?dry_run=1');
  assert.equal(r.status, 413, r.text);
  assert.equal(r.json.error.code, 'too_many_rows');
  assert.match(r.json.error.message, /row 5001, column 1/);
});

test('who may import: a handler is refused; dry_run must be a boolean', async () => {
  const file = Buffer.from('任务名称,牵头单位\n甲,科技局\n');
  const r = await post(file, '?dry_run=1', yjj);
  assert.equal(r.status, 403, r.text);
  const b = await post(file, '?dry_run=maybe');
  assert.equal(b.status, 422, b.text);
  assert.equal(b.json.error.code, 'invalid_field');
});

test('CLI: luoshi import items FILE --dry-run prints the problems and exits 1; then stores', async () => {
  const dir = fs.mkdtempSync(path.join(s.dir, 'cli-'));
  const bad = path.join(dir, 'bad.csv'), good = path.join(dir, 'good.csv');
  fs.writeFileSync(bad, '任务名称,牵头单位\n甲,无此局\n');
  fs.writeFileSync(good, '序号,任务名称,牵头单位,完成时限\n1,命令行任务,科技局,2025-08-01\n1.1,命令行子任务,科技局,3个工作日\n');
  const env = { env: { ...process.env, LUOSHI_NOW: '2025-04-01' } };
  const b = s.cli(['import', 'items', bad, '--dry-run'], env);
  assert.equal(b.status, 1, b.stderr);
  assert.match(b.stdout, /^row 2 column B \(lead_unit\): unknown_unit: 无此局$/m);
  const g = s.cli(['import', 'items', good], env);
  assert.equal(g.status, 0, g.stderr);
  assert.match(g.stdout, /^row 3: 1\.1 命令行子任务 \(under row 2\), lead unit #\d+, deadline 2025-04-07 → item #\d+$/m);
  assert.match(g.stdout, /^imported 2 items \(import #\d+\)$/m);
});

test('the page: the confirm form stores the file it carries back, and refuses bytes whose hash changed', async () => {
  const login = await fetch(s.url + '/login', { method: 'POST', redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username: 'supervisor', password: s.logins.supervisor }).toString() });
  assert.equal(login.status, 303);
  const cookie = login.headers.get('set-cookie').split(';')[0];
  const form = await (await fetch(s.url + '/import', { headers: { Cookie: cookie } })).text();
  const csrf = form.match(/name="csrf" value="([0-9a-f]{64})"/)[1];
  const file = Buffer.from('任务名称,牵头单位\n页面导入的任务,科技局\n');
  const send = (fields) => fetch(s.url + '/import', { method: 'POST', redirect: 'manual',
    headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrf, name: 'page.csv', data: file.toString('base64'), ...fields }).toString() });
  const n = await itemCount();
  const bad = await send({ sha256: sha(Buffer.from('other bytes')) });
  assert.equal(bad.status, 400);
  assert.match(await bad.text(), /提交的文件数据有误，请重新上传。/);
  assert.equal(await itemCount(), n);
  const ok = await send({ sha256: sha(file) });
  assert.equal(ok.status, 303);
  assert.equal(ok.headers.get('location'), '/items?source=import');
  assert.equal(await itemCount(), n + 1);
});
