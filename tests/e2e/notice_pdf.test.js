// End-to-end tests of the notice as a PDF 公文 (src/notice/notice_pdf.c on
// src/notice/pdf.c): the preview over the API and `luoshi notice --format pdf
// -o FILE` read back with poppler's tools — the exact CJK text and figures
// (pdftotext), A4 pages (pdfinfo), every font embedded (pdffonts) — and a
// town of 200 departments whose unit table runs over pages with its head on
// each.  pdftoppm renders the pages to build/artifacts/notice-pdf-*.png.
// The clock is Monday 2025-03-03; the town PT and its departments are this
// file's own, so the figures are exact whatever the demo city holds.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const crypto = require('node:crypto');
const { execFileSync, spawnSync } = require('node:child_process');
const { startServer } = require('../lib/server.js');

const ART = path.resolve(__dirname, '../../build/artifacts');
const Q = '/api/v1/notices?from=2025-03-01&to=2025-03-31';
let s, admin, sup, tmp;

function ok(r, what, status = 200) {
  assert.equal(r.status, status, `${what}: ${r.status} ${r.text}`);
  return r.json;
}

async function unit(code, name, parent) {
  const body = { code, name, kind: parent ? 'department' : 'town' };
  if (parent) body.parent_code = parent;
  return ok(await s.api('POST', '/api/v1/units', { token: admin, body }), `unit ${code}`, 201).id;
}

async function item(title, lead, deadline) {
  const c = ok(await s.api('POST', '/api/v1/items', { token: sup, body: { kind: 'task', title } }), 'create', 201);
  ok(await s.api('POST', `/api/v1/items/${c.id}/actions`,
    { token: sup, body: { action: 'assign', lead_unit_id: lead, deadline } }), 'assign');
  return c.id;
}

function act(token, id, body) {
  return s.api('POST', `/api/v1/items/${id}/actions`, { token, body });
}

// The PDF's bytes from the API (a Buffer) and its type.
async function pdf(query) {
  const r = await fetch(s.url + query, { headers: { authorization: `Bearer ${sup}` } });
  assert.equal(r.status, 200, query);
  return { type: r.headers.get('content-type'), disp: r.headers.get('content-disposition'),
    body: Buffer.from(await r.arrayBuffer()) };
}

function save(name, bytes) {
  const f = path.join(tmp, name);
  fs.writeFileSync(f, bytes);
  return f;
}

const text = (f, ...o) => execFileSync('pdftotext', [...o, f, '-'], { encoding: 'utf8' });
const flat = (t) => t.replace(/\s+/g, '');
const pages = (f) => Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [f], { encoding: 'utf8' }))[1]);

// Every page A4 (595.276 x 841.89 pt) and every font embedded.
function checkPaper(f) {
  const info = execFileSync('pdfinfo', ['-f', '1', '-l', String(pages(f)), f], { encoding: 'utf8' });
  const sizes = [...info.matchAll(/Page\s+\d+ size:\s+(.*)/g)].map((m) => m[1]);
  assert.equal(sizes.length, pages(f));
  for (const size of sizes) assert.equal(size, '595.276 x 841.89 pts (A4)');
  const fonts = execFileSync('pdffonts', [f], { encoding: 'utf8' }).split('\n').slice(2).filter(Boolean);
  assert.ok(fonts.length >= 3, fonts.join('\n'));
  for (const line of fonts) {
    const cols = line.trim().split(/\s+/);
    assert.deepEqual(cols.slice(-5, -2), ['yes', 'yes', 'yes'], `embedded, subset, unicode: ${line}`);
  }
  assert.ok(fonts.some((l) => /NotoSerifCJK/.test(l)), 'the title font');
}

function render(f, name) {
  fs.mkdirSync(ART, { recursive: true });
  execFileSync('pdftoppm', ['-r', '60', '-png', f, path.join(ART, name)]);
}

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'luoshi-pdf-'));
  // a signing key named for both drivers (a PostgreSQL database has no DB.key beside it), so the
  // issued notice carries its checkpoint line on both
  const key = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'luoshi-pdfkey-')), 'checkpoint.key');
  s = await startServer({ env: { LUOSHI_NOW: '2025-03-03', LUOSHI_KEY: key } });
  [admin, sup] = await Promise.all(['admin', 'supervisor'].map((u) => s.login(u)));
  await unit('PT', '文档测试街道');
  const p1 = await unit('P1', '测试甲局', 'PT');
  const p2 = await unit('P2', '测试乙局', 'PT');
  const p3 = await unit('P3', '测试丙局', 'PT');
  // P1: verified the day it was assigned (on time); P2: past its deadline;
  // P3: open, nothing closed (0 %: not praised although in the better half)
  const done = await item('老旧小区改造', p1, '2025-03-10');
  await item('河道清淤整治', p2, '2025-02-20');
  await item('背街小巷提升', p3, '2025-03-20');
  const r = s.cli(['user', 'add', '--username', 'p1h', '--unit', 'P1', '--role', 'handler',
    '--password-stdin'], { input: 'pw-p1h-heron-42\n' });
  assert.equal(r.status, 0, r.stderr);
  const h1 = await s.login('p1h', 'pw-p1h-heron-42');
  ok(await act(h1, done, { action: 'accept' }), 'accept');
  ok(await act(h1, done, { action: 'submit', text: '完成' }), 'submit');
  ok(await act(sup, done, { action: 'verify' }), 'verify');
  // the town of 200 departments, one item each
  await unit('QT', '多单位测试镇');
  for (let k = 1; k <= 200; k++) {
    const id = await unit(`Q${String(k).padStart(3, '0')}`, `第${k}测试单位`, 'QT');
    await item(`任务${k}`, id, '2025-03-31');
  }
});
after(async () => {
  assert.equal(await s.stop(), 0);
  fs.rmSync(tmp, { recursive: true, force: true });
});

test('the PDF preview is a 公文: red head, number line, title, 主送, the summary and figures, 落款', async () => {
  const r = await pdf(`${Q}&unit=PT&format=pdf`);
  assert.equal(r.type, 'application/pdf');
  assert.equal(r.disp, 'attachment; filename="notice-preview.pdf"');
  assert.equal(r.body.subarray(0, 5).toString(), '%PDF-');
  const f = save('pt.pdf', r.body);
  checkPaper(f);
  assert.equal(pages(f), 3);
  render(f, 'notice-pdf-town');
  const t = flat(text(f));
  const want = [
    '市委督查室文件',
    '（预览，未编号）',
    '关于2025年3月1日至2025年3月31日文档测试街道重点工作落实情况的通报',
    '各有关单位：',
    '一、总体情况',
    '2025年3月1日至2025年3月31日，文档测试街道共交办事项3项，按时签收1项；应反馈0次，按时反馈0次；'
      + '办结1项，其中按期办结1项，按期办结率33.3%；逾期未办结1项。'
      + '按期办结率位居前列的单位：测试甲局，予以通报表扬。'
      + '排名靠后的单位：测试乙局，请认真查找原因、加快推进。'
      + '截至2025年3月3日，文档测试街道共有逾期未办结事项1项（见逾期事项清单），请责任单位限期办结。',
    '二、各单位落实情况及排名', '三、逾期未办结事项', '四、逐月情况',
    '当前灯色：红灯1项，黄灯0项，绿灯1项。',
    '五、企业诉求办理情况本期无企业诉求。',
    '附：2025年度考核情况单位类别名次得分本期变动',
    '市委督查室2025年3月3日',
    '—1—', '—2—', '—3—',
  ];
  for (const w of want) assert.ok(t.includes(w), `the PDF says ${w}\n${t}`);
  assert.ok(!t.includes('测试丙局，予以通报表扬'), 'a unit with nothing closed is not praised');
  // the rows, as laid out: rank, unit and the figures of the HTML page
  const rows = text(f, '-layout').split('\n').map((l) => l.trim().replace(/\s+/g, ' '));
  for (const row of [
    '1 测试甲局 1 1 0/0 1 1 0 0 0 0.0 100.0% 0',
    '2 测试丙局 1 0 0/0 0 0 0 0 0 — 0.0% 0',
    '3 测试乙局 1 0 0/0 0 0 1 0 0 — 0.0% 0',
    '合计 3 1 0/0 1 1 1 0 0 0.0 33.3% 0',
    '2025-03 0 1 0 1',
  ]) assert.ok(rows.includes(row), `a row "${row}" in\n${rows.join('\n')}`);
  assert.ok(rows.some((l) => /^\d+ 河道清淤整治 测试乙局 2025-02-20 11 未反馈$/.test(l)), rows.join('\n'));
  // the 考核 scores of the assessed units in scope, as the HTML page's
  for (const name of ['文档测试街道', '测试甲局', '测试乙局', '测试丙局'])
    assert.ok(rows.some((l) => new RegExp(`^${name} 1/\\d+ 100 0$`).test(l)), `${name}'s score\n${rows.join('\n')}`);
});

test('luoshi notice --format pdf -o FILE writes the same document as the API', async () => {
  const out = path.join(tmp, 'cli.pdf');
  const r = s.cli(['notice', '--from', '2025-03-01', '--to', '2025-03-31', '--unit', 'PT',
    '--format', 'pdf', '-o', out], { env: { LUOSHI_NOW: '2025-03-03' } });
  assert.equal(r.status, 0, r.stderr);
  const api = save('api.pdf', (await pdf(`${Q}&unit=PT&format=pdf`)).body);
  assert.equal(text(out, '-layout'), text(api, '-layout'));
  checkPaper(out);
  const bad = s.cli(['notice', '--from', '2025-03-01', '--to', '2025-03-31', '--format', 'doc']);
  assert.equal(bad.status, 2);
  assert.equal(bad.stderr, 'luoshi notice: --format must be html, xlsx, csv, json or pdf\n');
});

test('200 units: the unit table runs over pages, its head at the top of each', async () => {
  const f = save('qt.pdf', (await pdf(`${Q}&unit=QT&format=pdf`)).body);
  checkPaper(f);
  const n = pages(f);
  assert.ok(n >= 6, `${n} pages`);
  render(f, 'notice-pdf-200');
  // every page after the first that lists units begins with a table's head: the unit
  // table's, or the 考核 table's (the departments are assessed units too)
  const heads = { unit: 0, assessment: 0 };
  for (let p = 1; p <= n; p++) {
    const t = flat(execFileSync('pdftotext', ['-f', String(p), '-l', String(p), f, '-'], { encoding: 'utf8' }));
    assert.ok(t.includes(`—${p}—`), `page ${p} is numbered`);
    if (p === 1 || !/第\d+测试单位/.test(t)) continue;
    if (t.startsWith('排名单位交办按时签收按时反馈/应反馈')) heads.unit++;
    else if (t.startsWith('单位类别名次得分本期变动')) heads.assessment++;
    else assert.fail(`page ${p} repeats no head:\n${t.slice(0, 300)}`);
  }
  assert.ok(heads.unit >= 4 && heads.assessment >= 1, JSON.stringify(heads));
  const all = flat(text(f));
  for (let k = 1; k <= 200; k++) assert.ok(all.includes(`第${k}测试单位`), `unit ${k}`);
  assert.ok(all.includes('多单位测试镇共交办事项200项'));
});

test('format must name a known output: 422 names pdf among them', async () => {
  const r = await s.api('GET', `${Q}&format=doc`, { token: sup });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.detail, "'format' must be json, csv, xlsx, html or pdf");
});

// SQL on the test's database (SQLite or PostgreSQL), the notices' append-only
// triggers out of the way when tamper is set.
function sql(q, tamper) {
  const pg = s.db.startsWith('postgres');
  const text = (tamper ? (pg ? 'ALTER TABLE notices DISABLE TRIGGER notices_no_change; '
    : 'DROP TRIGGER IF EXISTS notices_no_update; ') : '') + q;
  const r = pg ? spawnSync('psql', ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-d', s.db, '-c', text], { encoding: 'utf8' })
    : spawnSync('sqlite3', ['-cmd', '.timeout 10000', s.db, text], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

test('an issued notice stores its PDF: numbered 督通〔2025〕N号, served as issued, hashed, verified, tamper-evident', async () => {
  const rec = ok(await s.api('POST', '/api/v1/notices',
    { token: sup, body: { from: '2025-03-01', to: '2025-03-31', unit: 'PT' } }), 'issue', 201);
  assert.match(rec.sha256.pdf, /^[0-9a-f]{64}$/);
  const r = await pdf(`/api/v1/notices/${rec.id}?format=pdf`);
  assert.equal(r.type, 'application/pdf');
  assert.equal(r.disp, `attachment; filename="notice-${rec.id}.pdf"; filename*=UTF-8''` +
    `${encodeURIComponent(`督查通报${rec.number}`)}.pdf`);
  // the sum is over the stored base64 text, as the workbook's
  assert.equal(crypto.createHash('sha256').update(r.body.toString('base64')).digest('hex'), rec.sha256.pdf);
  const f = save('issued.pdf', r.body);
  checkPaper(f);
  render(f, 'notice-pdf-issued');
  const t = flat(text(f));
  for (const w of [`督通${rec.number}`, '市委督查室文件', '文档测试街道重点工作落实情况的通报',
    '市委督查室2025年3月3日防篡改校验：签发时第', '2025年3月3日印发'])
    assert.ok(t.includes(w), `the issued PDF says ${w}\n${t}`);
  assert.ok(!t.includes('预览'));
  // the same bytes a second time: stored, not rendered again
  assert.ok((await pdf(`/api/v1/notices/${rec.id}?format=pdf`)).body.equals(r.body));
  let v = s.cli(['verify']);
  assert.equal(v.status, 0, v.stderr);
  // a PDF swapped with its sum left alone is caught; so is one with its sum "fixed" (the chain hash)
  const other = Buffer.from('%PDF-1.5 not the notice').toString('base64');
  sql(`UPDATE notices SET pdf = '${other}' WHERE id = ${rec.id}`, true);
  v = s.cli(['verify']);
  assert.equal(v.status, 1);
  assert.ok(v.stderr.includes(`luoshi verify: BROKEN: notice ${rec.id} (${rec.number}): its stored pdf output does not match its SHA-256\n`), v.stderr);
  const sum = crypto.createHash('sha256').update(other).digest('hex');
  sql(`UPDATE notices SET pdf_sha256 = '${sum}' WHERE id = ${rec.id}`, true);
  v = s.cli(['verify']);
  assert.equal(v.status, 1);
  assert.ok(v.stderr.includes(`luoshi verify: BROKEN: notice ${rec.id} (${rec.number}): its hash does not match its fields\n`), v.stderr);
  // dropping the PDF altogether does not pass for a notice issued before PDFs
  sql(`UPDATE notices SET pdf = '', pdf_sha256 = '' WHERE id = ${rec.id}`, true);
  v = s.cli(['verify']);
  assert.equal(v.status, 1);
  assert.ok(v.stderr.includes(`luoshi verify: BROKEN: notice ${rec.id} (${rec.number}): its hash does not match its fields\n`), v.stderr);
  const gone = await s.api('GET', `/api/v1/notices/${rec.id}?format=pdf`, { token: sup });
  assert.equal(gone.status, 404);
  assert.equal(gone.json.error.detail, `notice ${rec.id} was issued before PDFs were stored`);
});
