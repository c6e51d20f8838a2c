// The tamper suite (issue 13): a real database is made through the API and
// the CLI (items through the loop, feedback, a hazard with photos, changes
// to the settings and the calendar), a checkpoint is signed, and then each
// attack is made on a copy of it behind the program's back — on SQLite with
// the sqlite3 shell after dropping the append-only triggers, on PostgreSQL
// (LUOSHI_TEST_PG) as the superuser with triggers and foreign keys off
// (session_replication_role = replica).  Each attack must make `luoshi
// verify` exit 1 naming the item or configuration entry and what differs;
// the untouched copy verifies; a proof round-trips offline and a forged one
// fails.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { startServer, cli, pgDatabase } = require('../lib/server.js');

const PG = !!process.env.LUOSHI_TEST_PG;
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const PNG2 = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'luoshi-tamper-'));
const KEY = path.join(dir, 'checkpoint.key');
const PUB = path.join(dir, 'checkpoint.pub');
const env = { LUOSHI_KEY: KEY, LUOSHI_NOW: '2025-03-03' };
let s, pg, db, u = {}, fx = {};
const copies = [];

function must(r, status, what) {
  assert.equal(r.status, status, `${what}: ${r.status} ${r.text}`);
  return r.json;
}

// jansson's compact, key-sorted JSON: the canonical form the hashes cover
function canon(v) {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return '[' + v.map(canon).join(',') + ']';
  return '{' + Object.keys(v).sort().map((k) => JSON.stringify(k) + ':' + canon(v[k])).join(',') + '}';
}
const sha256 = (s) => crypto.createHash('sha256').update(s).digest('hex');
const sq = (s) => s.replace(/'/g, "''");

// A copy of the database, its contents as the server left them.
let copyCount = 0;
function copyDb() {
  const name = `${path.basename(db).replace(/\W/g, '_')}_c${++copyCount}`;
  if (PG) {
    const base = new URL(process.env.LUOSHI_TEST_PG);
    const src = new URL(db).pathname.slice(1);
    psql(base.href, `CREATE DATABASE ${name} TEMPLATE ${src}`);
    const url = new URL(base.href);
    url.pathname = '/' + name;
    copies.push(() => spawnSync('psql', [base.href, '-X', '-q', '-c', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`]));
    return url.href;
  }
  const file = path.join(dir, name + '.db');
  fs.copyFileSync(db, file);
  return file;
}

function psql(url, sql) {
  const r = spawnSync('psql', [url, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c', sql], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

// Run SQL on a copy behind the program's back: the append-only triggers
// (and on PostgreSQL foreign keys) out of the way first, as an attacker would.
function tamper(target, sql) {
  if (PG) return psql(target, `SET session_replication_role = replica; ${sql}`);
  const drop = ['events', 'feedback', 'hazard_photos', 'attachments', 'config_events', 'checkpoints']
    .map((t) => `DROP TRIGGER IF EXISTS ${t}_no_update; DROP TRIGGER IF EXISTS ${t}_no_delete;`).join(' ');
  const r = spawnSync('sqlite3', ['-cmd', '.timeout 10000', target, `${drop} ${sql}`], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

function verify(target) {
  return cli(['verify', '--db', target, '--pubkey', PUB]);
}

// verify exits 1 and names every expected line (each a whole line of stderr).
function broken(target, lines) {
  const r = verify(target);
  assert.equal(r.status, 1, r.stdout + r.stderr);
  const got = r.stderr.split('\n');
  for (const line of lines)
    assert.ok(got.includes('luoshi verify: BROKEN: ' + line), `missing "${line}" in:\n${r.stderr}`);
  return r;
}

const act = (token, id, body) => s.api('POST', `/api/v1/items/${id}/actions`, { token, body });

before(async () => {
  pg = PG ? pgDatabase() : null;
  db = pg ? pg.url : path.join(dir, 'city.db');
  s = await startServer({ db, env });
  const [sup, yjj, grid, adm] = await Promise.all(['supervisor', 'yjj', 'grid', 'admin'].map((x) => s.login(x)));
  u = Object.fromEntries(must(await s.api('GET', '/api/v1/units', { token: sup }), 200, 'units').units.map((x) => [x.code, x.id]));
  const task = async (title) => must(await s.api('POST', '/api/v1/items', { token: sup, body: {
    kind: 'task', title, lead_unit_id: u.yjj, deadline: '2025-03-31', co_unit_ids: [u.jxj] } }), 201, title).id;
  // a: accepted with feedback; r: submitted, then rejected by the supervisor;
  // d: assigned only (to be deleted); t: to be edited
  fx.a = await task('防汛物资清点');
  fx.r = await task('危化品仓库整改');
  fx.d = await task('夜市消防通道');
  fx.t = await task('老旧小区燃气管道更换');
  for (const id of [fx.a, fx.r, fx.d, fx.t]) must(await act(sup, id, { action: 'assign' }), 200, 'assign');
  for (const id of [fx.a, fx.r, fx.t]) must(await act(yjj, id, { action: 'accept' }), 200, 'accept');
  const fb = must(await act(yjj, fx.a, { action: 'feedback', text: '已清点冲锋舟 12 艘', progress: 40 }), 200, 'feedback');
  assert.equal(fb.progress, 40);
  must(await act(yjj, fx.r, { action: 'submit', text: '已完成整改' }), 200, 'submit');
  // the reject carries the office's evidence (an attachment, issue 15)
  const up = await s.api('POST', `/api/v1/items/${fx.r}/attachments?name=${encodeURIComponent('现场照片说明.txt')}`,
    { token: sup, raw: Buffer.from('现场仍有气瓶 3 只\n'), headers: { 'Content-Type': 'text/plain' } });
  fx.att = must(up, 201, 'attachment').id;
  must(await act(sup, fx.r, { action: 'reject', reason: '现场仍有违规存放', attachment_ids: [fx.att] }), 200, 'reject');
  // a hazard with a report photo and a rectification photo
  const h = must(await s.api('POST', '/api/v1/hazards', { token: grid, body: {
    category: 'fire', description: '楼道堆放杂物', address: '东城街道 金城路 3 号',
    attributes: { exit_blocked: 'yes' }, photos: [PNG.toString('base64')] } }), 201, 'hazard');
  fx.h = h.id;
  must(await act(sup, fx.h, { action: 'triage', level: 'general', deadline: '2025-03-14' }), 200, 'triage');
  must(await act(sup, fx.h, { action: 'assign' }), 200, 'assign hazard');
  must(await act(yjj, fx.h, { action: 'accept' }), 200, 'accept hazard');
  const ph = await fetch(`${s.url}/api/v1/items/${fx.h}/photos?phase=after`, { method: 'POST',
    headers: { Authorization: 'Bearer ' + yjj, 'Content-Type': 'image/png' }, body: PNG });
  assert.equal(ph.status, 201);
  fx.photo = (await ph.json()).id;
  // the configuration, through the program
  must(await s.api('POST', '/api/v1/settings', { token: adm, body: { 'light.behind_red': 40 } }), 200, 'settings');
  must(await s.api('POST', '/api/v1/calendar', { token: adm, body: { text: '2025-04-04 holiday 清明节' } }), 200, 'calendar');
  // a 考核 entry and the unit's objection to it (issue 23), through the program
  fx.entry = must(await s.api('POST', '/api/v1/assessment/entries', { token: sup, body: {
    unit_id: u.yjj, points: -3, reason: '未按时报送', evidence: '永督〔2025〕3号', year: 2025 } }), 201, 'entry').id;
  fx.objection = must(await s.api('POST', `/api/v1/assessment/entries/${fx.entry}/objection`, { token: yjj,
    body: { text: '已按时报送' } }), 201, 'objection').id;
  // a checkpoint over all of it, and the proofs the attacks start from
  const cp = s.cli(['checkpoint']);
  assert.equal(cp.status, 0, cp.stderr);
  fx.checkpoint = Number(cp.stdout.match(/^checkpoint (\d+): /)[1]);
  const exp = s.cli(['checkpoint', '--export']);
  assert.equal(exp.status, 0, exp.stderr);
  fx.published = path.join(dir, 'published.json');
  fs.writeFileSync(fx.published, exp.stdout);
  for (const k of ['a', 'r', 't']) fx['proof_' + k] = must(await s.api('GET', `/api/v1/items/${fx[k]}/proof`, { token: sup }), 200, 'proof ' + k);
  assert.equal(await s.stop(), 0, s.log().slice(-2000));
  s = null;
});

after(() => {
  for (const drop of copies) drop();
  if (pg) pg.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('an untouched copy verifies, with every item replayed and the checkpoint signed by the trusted key', () => {
  const r = cli(['verify', '--db', copyDb(), '--pubkey', PUB, '--verbose']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^ok: \d+ events in \d+ chains verified\n/);
  assert.match(r.stdout, /\nok: \d+ items replayed against their rows, cooperating units, feedback and own rows\n/);
  assert.match(r.stdout, new RegExp(`\\nok: \\d+ checkpoints signed by the trusted key; the latest, ${fx.checkpoint}, covers \\d+ items`));
  assert.equal(r.stderr, '');
});

test('deleting an item\'s last event and pointing its head back is named', () => {
  const c = copyDb();
  const ev = fx.proof_r.events;
  const last = ev[ev.length - 1], prev = ev[ev.length - 2];
  tamper(c, `DELETE FROM events WHERE item_id = ${fx.r} AND seq = ${last.seq};
    UPDATE items SET event_seq = ${prev.seq}, event_hash = '${prev.hash}' WHERE id = ${fx.r};`);
  broken(c, [
    `item ${fx.r}: its chain was rewound: checkpoint ${fx.checkpoint} covered ${last.seq} events, ${prev.seq} remain`,
    `item ${fx.r}: version: the item row says ${last.seq}, its events say ${prev.seq}`,
    `item ${fx.r}: status: the item row says "in_progress", its events say "submitted"`,
  ]);
});

test('a supervisor\'s reject rewritten as the handler\'s verify, the chain recomputed, is named', () => {
  const c = copyDb();
  const ev = fx.proof_r.events;
  const last = ev[ev.length - 1], prev = ev[ev.length - 2];
  assert.equal(last.action, 'reject');
  const data = { ...last.data, after: { status: 'done' } };
  const hash = sha256(prev.hash + canon({ action: 'verify', actor: 'yjj', at: last.at, data, item_id: fx.r, seq: last.seq }));
  // a consistent forgery: the event, the chain's head and the item row all agree
  tamper(c, `UPDATE events SET action = 'verify', actor = 'yjj', data = '${sq(canon(data))}', hash = '${hash}'
      WHERE item_id = ${fx.r} AND seq = ${last.seq};
    UPDATE items SET status = 'done', event_hash = '${hash}' WHERE id = ${fx.r};`);
  broken(c, [`item ${fx.r}: event seq ${last.seq} is not the one checkpoint ${fx.checkpoint} covered (the chain was rewritten)`]);
});

// issue 18: who split an item off (its delegator's capacity) and its responsible
// leader are the create event's, so moving either behind the program is caught
test('UPDATE items SET delegated_by, leader_id is named by field', () => {
  const c = copyDb();
  tamper(c, `UPDATE items SET delegated_by = ${u.dc}, leader_id = 1 WHERE id = ${fx.a};`);
  broken(c, [
    `item ${fx.a}: delegated_by: the item row says ${u.dc}, its events say null`,
    `item ${fx.a}: leader_id: the item row says 1, its events say null`,
  ]);
});

test('UPDATE items SET status, title is named by field', () => {
  const c = copyDb();
  tamper(c, `UPDATE items SET status = 'done', title = '已办结' WHERE id = ${fx.a};`);
  broken(c, [
    `item ${fx.a}: status: the item row says "done", its events say "in_progress"`,
    `item ${fx.a}: title: the item row says "已办结", its events say "防汛物资清点"`,
  ]);
});

test('deleting a whole item with its events and rows is named', () => {
  const c = copyDb();
  const id = fx.d;
  tamper(c, ['events', 'item_units', 'item_facts', 'light_history', 'auto_steps', 'deductions', 'merkle_dirty']
    .map((t) => `DELETE FROM ${t} WHERE item_id = ${id};`).join(' ') + ` DELETE FROM items WHERE id = ${id};`);
  broken(c, [`item ${id}: deleted after checkpoint ${fx.checkpoint} covered it (2 events)`]);
});

test('changed feedback text is named', () => {
  const c = copyDb();
  tamper(c, `UPDATE feedback SET text = '已全部清点完毕' WHERE item_id = ${fx.a};`);
  const r = broken(c, []);
  assert.match(r.stderr, new RegExp(`BROKEN: item ${fx.a}: feedback \\d+ text: the feedback row says "已全部清点完毕", its events say "已清点冲锋舟 12 艘"\\n`));
});

test('swapped photo bytes are named', () => {
  const c = copyDb();
  tamper(c, `UPDATE hazard_photos SET data = '${PNG2.toString('base64')}' WHERE id = ${fx.photo};`);
  broken(c, [`item ${fx.h}: photo ${fx.photo}: its bytes do not match the SHA-256 its event recorded`]);
});

test('a photo added behind the chain\'s back is named', () => {
  const c = copyDb();
  tamper(c, `INSERT INTO hazard_photos (item_id, phase, mime, bytes, data, created_at)
    VALUES (${fx.h}, 'after', 'image/png', ${PNG2.length}, '${PNG2.toString('base64')}', 0);`);
  const r = broken(c, []);
  assert.match(r.stderr, new RegExp(`BROKEN: item ${fx.h}: photo \\d+ is not covered by any event \\(added behind the chain's back\\)\\n`));
});

test('swapped attachment bytes, and a renamed attachment, are named', () => {
  const c = copyDb();
  const bytes = Buffer.from('现场已清理\n').toString('hex');
  tamper(c, `UPDATE attachments SET data = ${PG ? `'\\x${bytes}'::bytea` : `X'${bytes}'`} WHERE id = ${fx.att};`);
  broken(c, [`item ${fx.r}: attachment ${fx.att}: its bytes do not match the SHA-256 its event recorded`]);
  const d = copyDb();
  tamper(d, `UPDATE attachments SET name = 'other.txt', bytes = 1 WHERE id = ${fx.att};`);
  broken(d, [
    `item ${fx.r}: attachment ${fx.att} name: the attachment row says "other.txt", its events say "现场照片说明.txt"`,
    `item ${fx.r}: attachment ${fx.att} bytes: the attachment row says 1, its events say 25`,
  ]);
});

test('a setting and a calendar day changed behind the configuration chain are named', () => {
  const c = copyDb();
  tamper(c, `UPDATE settings SET value = '90' WHERE key = 'light.behind_red';
    UPDATE calendar_days SET kind = 'workday' WHERE day = '2025-04-04';
    UPDATE users SET roles = 31 WHERE username = 'grid';`);
  broken(c, [
    'config settings \'light.behind_red\': value is "90" in the table, "40" in the configuration chain',
    'config calendar \'2025-04-04\': kind is "workday" in the table, "holiday" in the configuration chain',
  ]);
  const r = verify(c);
  assert.match(r.stderr, /BROKEN: config users \d+ \(grid\): roles is 31 in the table, 16 in the configuration chain\n/);
});

test('a 考核 entry and an objection changed behind the configuration chain are named', () => {
  const c = copyDb();
  tamper(c, `DROP TRIGGER IF EXISTS assessment_entries_no_update; DROP TRIGGER IF EXISTS assessment_entries_no_delete;
    DROP TRIGGER IF EXISTS assessment_objections_decided_once;`.replace(/DROP TRIGGER[^;]*;/g, (x) => (PG ? '' : x)) +
    `UPDATE assessment_entries SET points = -1, evidence = '另一文号' WHERE id = ${fx.entry};
    UPDATE assessment_objections SET status = 'accepted' WHERE id = ${fx.objection};`);
  broken(c, [
    `config assessment ${fx.entry}: points is -1.0 in the table, -3.0 in the configuration chain`,
    `config assessment ${fx.entry}: evidence is "另一文号" in the table, "永督〔2025〕3号" in the configuration chain`,
    `config objections ${fx.objection}: status is "accepted" in the table, "pending" in the configuration chain`,
  ]);
  const d = copyDb();
  tamper(d, (PG ? '' : 'DROP TRIGGER IF EXISTS assessment_objections_no_delete; ') +
    `DELETE FROM assessment_objections WHERE id = ${fx.objection};`);
  broken(d, [`config objections ${fx.objection}: in the configuration chain but missing from the table (removed behind its back)`]);
});

test('a forged or deleted checkpoint is named; so is one published and then removed with its tree', () => {
  let c = copyDb();
  tamper(c, `UPDATE checkpoints SET root = '${'0'.repeat(64)}' WHERE seq = ${fx.checkpoint};`);
  broken(c, [`checkpoint ${fx.checkpoint}: its hash does not match its fields (it was edited)`]);
  c = copyDb();
  tamper(c, `DELETE FROM checkpoints WHERE seq = ${fx.checkpoint};`);
  const r = verify(c);
  assert.equal(r.status, 1);
  const size = JSON.parse(fs.readFileSync(fx.published, 'utf8')).size;
  if (fx.checkpoint > 1)
    assert.ok(r.stderr.includes(`luoshi verify: BROKEN: checkpoint ${fx.checkpoint - 1}: the stored tree (size ${size}, root `), r.stderr);
  else
    assert.match(r.stderr, /luoshi verify: BROKEN: checkpoints: none remain, but the tree of one covers \d+ items \(the checkpoints were deleted\)\n/);
  // every trace of checkpoints gone: only a root published elsewhere tells
  c = copyDb();
  tamper(c, 'DELETE FROM checkpoints; DELETE FROM merkle_leaves; DELETE FROM merkle_chunks;');
  const root = JSON.parse(fs.readFileSync(fx.published, 'utf8')).root;
  const w = cli(['verify', '--db', c, '--pubkey', PUB, '--root', fx.published]);
  assert.equal(w.status, 1);
  assert.ok(w.stderr.includes(`luoshi verify: BROKEN: checkpoint ${fx.checkpoint}, as published (root ${root.slice(0, 16)}…), is missing\n`), w.stderr);
  const ok = cli(['verify', '--db', copyDb(), '--pubkey', PUB, '--root', fx.published]);
  assert.equal(ok.status, 0, ok.stderr);
});

test('a proof round-trips offline; a forged proof and another key fail', () => {
  const file = path.join(dir, 'proof.json');
  fs.writeFileSync(file, JSON.stringify(fx.proof_a));
  let r = cli(['verify', '--proof', file, '--pubkey', PUB]);
  assert.equal(r.status, 0, r.stderr);
  const n = fx.proof_a.events.length;
  assert.match(r.stdout, new RegExp(`^ok: item ${fx.a}: ${n} events \\(head [0-9a-f]{16}…\\) covered by checkpoint ${fx.checkpoint} of \\d+ items \\(root [0-9a-f]{16}…\\), signed by key [0-9a-f]{16}\\n$`));
  // the feedback's text changed in the proof
  const forged = JSON.parse(JSON.stringify(fx.proof_a));
  forged.events.find((e) => e.action === 'feedback').data.text = '已全部清点完毕';
  fs.writeFileSync(file, JSON.stringify(forged));
  r = cli(['verify', '--proof', file, '--pubkey', PUB]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^luoshi verify: BROKEN: proof .*: event seq \d+ does not hash to its place in the chain\n$/);
  // a whole new chain, leaf and root: the signature does not cover it
  const root = JSON.parse(JSON.stringify(fx.proof_a));
  root.checkpoint.root = 'f'.repeat(64);
  fs.writeFileSync(file, JSON.stringify(root));
  r = cli(['verify', '--proof', file, '--pubkey', PUB]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /the leaf and path do not lead to the checkpoint's root\n$/);
  // another key
  fs.writeFileSync(file, JSON.stringify(fx.proof_a));
  r = cli(['verify', '--proof', file, '--pubkey', 'ab'.repeat(32)]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /the checkpoint is not signed by key [0-9a-f]{16}\n$/);
});
