// End-to-end tests of an item's documents (issue 16 part 3, core/document.c,
// notice/document_pdf.c): the 交办通知单 an assign issues, the 督办单 an
// escalate issues (its level's colour band), the 催办通知书 a person's urge
// issues — each numbered in its own series per year, listed in the item's
// JSON under "documents", recorded with its SHA-256 in the action's event,
// served as PDF to those who see the item's record, its 签收回执 line filled
// in a fresh copy once the unit signs (accept) while the original stays as
// issued; `luoshi verify` recomputes the hashes and names a changed PDF.
// Text is read back with pdftotext; pdftoppm renders each type to
// build/artifacts/document-*.png.  The clock is 2025-04-01; the demo city
// issued six 交办通知单 and one 催办通知书 of 2025 when it was made, so this
// file's numbers follow them.
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
const PG = !!process.env.LUOSHI_TEST_PG;
let s, sup, yjj, jxj, units, task, tmp;

function must(r, status, what) {
  assert.equal(r.status, status, `${what}: ${r.status} ${r.text}`);
  return r.json;
}
const act = (token, id, body) => s.api('POST', `/api/v1/items/${id}/actions`, { token, body });
const sha = (b) => crypto.createHash('sha256').update(b).digest('hex');
const flat = (t) => t.replace(/\s+/g, '');

// GET a PDF: status, type, disposition and bytes.
async function get(token, url) {
  const r = await fetch(s.url + url, { headers: { Authorization: 'Bearer ' + token } });
  return { status: r.status, type: r.headers.get('content-type'),
    disp: r.headers.get('content-disposition'), body: Buffer.from(await r.arrayBuffer()) };
}

// The text of a PDF's bytes (flattened), its page count and size checked.
function pdfText(bytes, name) {
  const f = path.join(tmp, name + '.pdf');
  fs.writeFileSync(f, bytes);
  const info = execFileSync('pdfinfo', [f], { encoding: 'utf8' });
  assert.match(info, /Pages:\s+1\n/);
  assert.match(info, /Page size:\s+595.276 x 841.89 pts \(A4\)/);
  fs.mkdirSync(ART, { recursive: true });
  execFileSync('pdftoppm', ['-r', '60', '-png', f, path.join(ART, 'document-' + name)]);
  return flat(execFileSync('pdftotext', [f, '-'], { encoding: 'utf8' }));
}

function includesAll(text, want) {
  for (const w of want) assert.ok(text.includes(flat(w)), `missing ${w} in ${text}`);
}

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'luoshi-docs-'));
  s = await startServer({ env: { LUOSHI_NOW: '2025-04-01' } });
  [sup, yjj, jxj] = await Promise.all(['supervisor', 'yjj', 'jxj'].map((u) => s.login(u)));
  const list = await s.api('GET', '/api/v1/units', { token: sup });
  units = Object.fromEntries(list.json.units.map((u) => [u.code, u.id]));
  task = must(await s.api('POST', '/api/v1/items', { token: sup, body: {
    kind: 'task', title: '危化品仓库专项整治', description: '全面排查全市危化品仓库，整改到位',
    lead_unit_id: units.yjj, deadline: '2025-06-30' } }), 201, 'create').id;
});
after(async () => {
  assert.equal(await s.stop(), 0, s.log().slice(-3000));
  fs.rmSync(tmp, { recursive: true, force: true });
});

test('assign issues a numbered 交办通知单: in the item JSON, in the event with its SHA-256, served as PDF', async () => {
  const draft = must(await s.api('GET', `/api/v1/items/${task}`, { token: sup }), 200, 'draft');
  assert.deepEqual(draft.documents, []);
  const item = must(await act(sup, task, { action: 'assign' }), 200, 'assign');
  assert.equal(item.documents.length, 1);
  const d = item.documents[0];
  assert.deepEqual(Object.keys(d).sort(), ['id', 'number', 'receipt', 'sha256', 'type', 'url']);
  assert.deepEqual({ type: d.type, number: d.number, url: d.url, receipt: d.receipt },
    { type: 'assign', number: '交办〔2025〕7号', url: `/api/v1/documents/${d.id}`, receipt: null });
  const events = must(await s.api('GET', `/api/v1/items/${task}/events`, { token: sup }), 200, 'events').events;
  const ev = events[events.length - 1];
  assert.equal(ev.action, 'assign');
  assert.deepEqual(ev.data.documents, [{ id: d.id, type: 'assign', number: '交办〔2025〕7号', sha256: d.sha256 }]);
  const r = await get(sup, d.url);
  assert.equal(r.status, 200);
  assert.equal(r.type, 'application/pdf');
  assert.equal(r.disp, `attachment; filename="document-${d.id}.pdf"; filename*=UTF-8''${encodeURIComponent('交办〔2025〕7号.pdf')}`);
  assert.equal(sha(r.body), d.sha256);
  const t = pdfText(r.body, 'assign');
  includesAll(t, ['市委督查室', '交办〔2025〕7号', '交办通知单', '应急管理局：',
    '现将“危化品仓库专项整治”交由你单位牵头办理，请于2025年6月30日前办结',
    `事项编号${task}`, '事项名称危化品仓库专项整治', '牵头单位应急管理局', '办理期限2025年6月30日',
    '事项内容全面排查全市危化品仓库，整改到位', '签收回执签收单位签收人签收时间市委督查室2025年4月1日']);
  // the handler of the lead unit sees it too
  assert.equal((await get(yjj, d.url)).status, 200);
});

test('the unit signs: a fresh copy fills the 签收回执, the stored original stays as issued', async () => {
  const item = must(await s.api('GET', `/api/v1/items/${task}`, { token: sup }), 200, 'item');
  const d = item.documents[0];
  const blank = await get(sup, `${d.url}/copy`);
  assert.equal(blank.status, 200);
  assert.equal(blank.disp, `attachment; filename="document-${d.id}.pdf"; filename*=UTF-8''${encodeURIComponent('交办〔2025〕7号（副本）.pdf')}`);
  assert.ok(pdfText(blank.body, 'assign-blank').endsWith('签收回执签收单位签收人签收时间市委督查室2025年4月1日—1—'));
  must(await act(yjj, task, { action: 'accept' }), 200, 'accept');
  const copy = await get(sup, `${d.url}/copy`);
  assert.equal(copy.status, 200);
  const t = pdfText(copy.body, 'assign-signed');
  includesAll(t, ['交办〔2025〕7号',
    '签收回执签收签收单位应急管理局签收人签收时间应急管理局陈科长2025年4月1日12:00市委督查室2025年4月1日']);
  const original = await get(sup, d.url);
  assert.equal(sha(original.body), d.sha256);
  // the item lists the receipt; its page shows it
  const again = must(await s.api('GET', `/api/v1/items/${task}`, { token: sup }), 200, 'again');
  assert.deepEqual(again.documents, [{ ...d, receipt: { at: '2025-04-01T12:00:00+08:00', action: 'accept',
    by: '应急管理局 陈科长', unit: '应急管理局' } }]);
  const html = await (await fetch(`${s.url}/items/${task}`, { headers: { Authorization: 'Bearer ' + sup } })).text();
  assert.ok(html.includes(`<a href="${d.url}">交办〔2025〕7号</a> 交办通知单 · 签收回执： 应急管理局 应急管理局 陈科长`), html);
  assert.ok(html.includes(`<a href="${d.url}/copy">签收回执副本</a>`));
  assert.ok(html.includes(`href="/api/v1/items/${task}/dossier.pdf"`));
});

test('escalate issues a 督办单 in its level\'s colour and urge a 催办通知书, each in its own series', async () => {
  const esc = must(await act(sup, task, { action: 'escalate', level: 'key', text: '进度滞后，列为重点督办' }), 200, 'escalate');
  assert.deepEqual(esc.documents.map((d) => [d.type, d.number]),
    [['assign', '交办〔2025〕7号'], ['escalate', '督办〔2025〕1号']]);
  const e = await get(sup, esc.documents[1].url);
  includesAll(pdfText(e.body, 'escalate'), ['督办〔2025〕1号', '督办单', '橙色督办（重点）', '应急管理局：',
    '“危化品仓库专项整治”经研究列为橙色督办（重点）事项', '督办意见进度滞后，列为重点督办']);
  const urge = must(await act(sup, task, { action: 'urge', text: '请于本周内报送整改清单' }), 200, 'urge');
  assert.deepEqual(urge.documents.map((d) => [d.type, d.number]),
    [['assign', '交办〔2025〕7号'], ['escalate', '督办〔2025〕1号'], ['urge', '催办〔2025〕2号']]);
  const u = await get(sup, urge.documents[2].url);
  includesAll(pdfText(u.body, 'urge'), ['催办〔2025〕2号', '催办通知书',
    '“危化品仓库专项整治”办理期限为2025年6月30日，现予催办', '催办意见请于本周内报送整改清单']);
  // the next assign takes the next number of its series
  const next = must(await s.api('POST', '/api/v1/items', { token: sup, body: {
    kind: 'task', title: '第二项', lead_unit_id: units.jxj, deadline: '2025-05-31' } }), 201, 'create').id;
  const n = must(await act(sup, next, { action: 'assign' }), 200, 'assign');
  assert.deepEqual(n.documents.map((d) => d.number), ['交办〔2025〕8号']);
});

test('another unit\'s handler gets 404 for the documents; verify passes', async () => {
  const item = must(await s.api('GET', `/api/v1/items/${task}`, { token: sup }), 200, 'item');
  for (const d of item.documents) {
    assert.equal((await get(jxj, d.url)).status, 404);
    assert.equal((await get(jxj, `${d.url}/copy`)).status, 404);
  }
  assert.equal((await get(sup, '/api/v1/documents/999999')).status, 404);
  const v = s.cli(['verify']);
  assert.equal(v.status, 0, v.stderr);
});

test('the dossier: on demand as it stands, and filed at archive with its number, stored and hashed', async () => {
  must(await act(yjj, task, { action: 'feedback', text: '已完成仓库排查三十家', progress: 60 }), 200, 'feedback');
  const now = await get(yjj, `/api/v1/items/${task}/dossier.pdf`);
  assert.equal(now.status, 200);
  assert.equal(now.type, 'application/pdf');
  assert.equal(now.disp, `attachment; filename="dossier-${task}.pdf"`);
  const f = path.join(tmp, 'dossier-now.pdf');
  fs.writeFileSync(f, now.body);
  const t = flat(execFileSync('pdftotext', [f, '-'], { encoding: 'utf8' }));
  includesAll(t, ['（即时生成，未归档）', '“危化品仓库专项整治”事项档案', '一、基本情况',
    `事项编号${task}`, '类别任务状态办理中', '牵头单位应急管理局', '二、办理过程', '三、反馈情况',
    '2025-04-0112:00应急管理局', '60%已完成仓库排查三十家', '四、佐证材料', '无佐证材料。', '五、已发公文',
    '交办〔2025〕7号交办通知单', '督办〔2025〕1号督办单', '催办〔2025〕2号催办通知书']);
  // every event with its actor, action and hash, in order
  const chain = must(await s.api('GET', `/api/v1/items/${task}/events`, { token: sup }), 200, 'events').events;
  assert.equal(chain.length, 6);
  const names = { create: '创建', assign: '交办', accept: '签收', escalate: '督办', urge: '催办', feedback: '反馈' };
  let at = 0;
  for (const ev of chain) {
    const row = `${ev.seq}2025-04-0112:00${ev.actor}${names[ev.action]}${ev.hash}`;
    const k = t.indexOf(row, at);
    assert.ok(k >= at || ev.seq === 6, `event ${ev.seq}: ${row}`);
    if (k >= 0) at = k;
  }
  assert.ok(t.includes(chain[5].hash), 'the last event\'s hash (its row split over the page)');
  assert.equal((await get(jxj, `/api/v1/items/${task}/dossier.pdf`)).status, 404);
  must(await act(yjj, task, { action: 'submit', text: '整治完成' }), 200, 'submit');
  must(await act(sup, task, { action: 'verify' }), 200, 'verify');
  const done = must(await act(sup, task, { action: 'archive' }), 200, 'archive');
  assert.equal(done.status, 'archived');
  const d = done.documents[done.documents.length - 1];
  assert.deepEqual([done.documents.length, d.type, d.number], [4, 'dossier', '归档〔2025〕1号']);
  const events = must(await s.api('GET', `/api/v1/items/${task}/events`, { token: sup }), 200, 'events').events;
  assert.deepEqual(events[events.length - 1].data.documents,
    [{ id: d.id, type: 'dossier', number: '归档〔2025〕1号', sha256: d.sha256 }]);
  const r = await get(sup, d.url);
  assert.equal(sha(r.body), d.sha256);
  const ff = path.join(tmp, 'dossier.pdf');
  fs.writeFileSync(ff, r.body);
  fs.mkdirSync(ART, { recursive: true });
  execFileSync('pdftoppm', ['-r', '60', '-png', ff, path.join(ART, 'document-dossier')]);
  const td = flat(execFileSync('pdftotext', [ff, '-'], { encoding: 'utf8' }));
  includesAll(td, ['归档〔2025〕1号', '“危化品仓库专项整治”事项档案', '状态已归档', '报结', '销号',
    '交办〔2025〕7号交办通知单']);
  assert.ok(!td.includes('即时生成'), td);
  const v = s.cli(['verify']);
  assert.equal(v.status, 0, v.stderr);
});

test('verify names a document whose PDF was changed behind the program\'s back', { skip: PG }, async () => {
  const item = must(await s.api('GET', `/api/v1/items/${task}`, { token: sup }), 200, 'item');
  const d = item.documents[0];
  const copy = path.join(tmp, 'tampered.db');
  const c = spawnSync('sqlite3', [s.db, `.backup '${copy}'`], { encoding: 'utf8' });
  assert.equal(c.status, 0, c.stderr);
  const r = spawnSync('sqlite3', [copy, 'DROP TRIGGER item_documents_no_update;' +
    ` UPDATE item_documents SET pdf = CAST('%PDF-1.4 forged' AS BLOB) WHERE id = ${d.id};`], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const v = s.cli(['verify']);
  assert.equal(v.status, 0, 'the served database is untouched');
  const bad = spawnSync(process.env.LUOSHI_BIN, ['verify', '--db', copy], { encoding: 'utf8' });
  assert.equal(bad.status, 1, bad.stdout + bad.stderr);
  assert.ok(bad.stderr.split('\n').includes(`luoshi verify: BROKEN: item ${task}: document ${d.id}: its PDF does not match the SHA-256 its event recorded`), bad.stderr);
});
