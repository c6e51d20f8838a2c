// The operator's guide, checked where a machine can check it (issue 24):
// the shipped systemd unit and nginx site use only options and variables the
// binary knows, docs/configuration.md lists every `serve` option and every
// setting, the restore of docs/operations.md round-trips, a misspelt
// LUOSHI_TZ stops the server, and `luoshi backup` on PostgreSQL points to
// pg_dump without connecting.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { startServer, cli, BIN } = require('../lib/server.js');

const ROOT = path.resolve(__dirname, '../..');
const read = (p) => fs.readFileSync(path.join(ROOT, p), 'utf8');
const sqliteOnly = { skip: process.env.LUOSHI_TEST_PG ? 'SQLite file test' : false };

// The options `luoshi serve --help` names: ["--db", "--listen", …].
function serveOptions() {
  const h = cli(['serve', '--help']);
  assert.equal(h.status, 0, h.stderr);
  return [...new Set(h.stdout.match(/--[a-z][a-z-]+/g))];
}

test('the systemd unit starts serve with options serve knows, as the service user, on the documented paths', () => {
  const unit = read('contrib/luoshi.service');
  const exec = unit.match(/^ExecStart=(\S+) serve (.*)$/m);
  assert.ok(exec, 'ExecStart runs luoshi serve');
  assert.equal(exec[1], '/usr/local/bin/luoshi', 'where make install PREFIX=/usr/local puts it');
  const known = serveOptions();
  const used = exec[2].match(/--[a-z][a-z-]+/g);
  assert.deepEqual(used, ['--listen', '--threads', '--secure-cookies', '--trusted-proxy', '--public-url']);
  for (const o of used) assert.ok(known.includes(o), `${o} is an option of luoshi serve`);
  assert.match(unit, /^User=luoshi$/m);
  assert.match(unit, /^StateDirectory=luoshi$/m, 'the database folder exists and is the user\'s');
  assert.match(unit, /^KillSignal=SIGTERM$/m);
  const env = [...unit.matchAll(/^Environment=([A-Z_]+)=(.*)$/gm)].map((m) => [m[1], m[2]]);
  assert.deepEqual(env, [['LUOSHI_DB', '/var/lib/luoshi/city.db'], ['LUOSHI_KEY', '/etc/luoshi/city.key'],
    ['LUOSHI_TZ', 'Asia/Shanghai']]);
  const conf = read('docs/configuration.md');
  for (const [k] of env) assert.ok(conf.includes('`' + k + '`'), `docs/configuration.md names ${k}`);
  // the unit's --threads value is one serve takes
  const threads = Number(exec[2].match(/--threads (\d+)/)[1]);
  assert.ok(threads >= 1 && threads <= 64);
});

test('the nginx site forwards the client address and scheme, sets HSTS and the body limit serve expects', () => {
  const site = read('contrib/nginx-luoshi.conf');
  assert.match(site, /proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;/);
  assert.match(site, /proxy_set_header X-Forwarded-Proto \$scheme;/);
  assert.match(site, /add_header Strict-Transport-Security "max-age=\d+" always;/);
  assert.match(site, /client_max_body_size 7m;/);
  assert.match(site, /return 301 https:\/\/\$host\$request_uri;/);
  // the upstream is the unit's --listen
  const listen = read('contrib/luoshi.service').match(/--listen (\S+)/)[1];
  assert.match(site, new RegExp(`upstream luoshi \\{ server ${listen.replace(/\./g, '\\.')};`));
  const ops = read('docs/operations.md');
  assert.ok(ops.includes('contrib/nginx-luoshi.conf') && ops.includes('contrib/luoshi.service'));
});

test('docs/configuration.md lists every serve option and every setting with its default and range', async () => {
  const conf = read('docs/configuration.md');
  for (const o of serveOptions()) assert.ok(conf.includes('`' + o), `serve option ${o} is documented`);
  const s = await startServer({ demo: true });
  try {
    const token = await s.login('admin');
    const r = await s.api('GET', '/api/v1/settings', { token });
    assert.equal(r.status, 200);
    const rows = r.json.settings;
    assert.equal(rows.length, 19);
    for (const x of rows) {
      const line = conf.split('\n').find((l) => l.startsWith('| `' + x.key + '` |'));
      assert.ok(line, `setting ${x.key} is documented`);
      const cells = line.split('|').map((c) => c.trim());
      assert.equal(cells[2], String(x.default), `${x.key}: default`);
      assert.equal(cells[3], `${x.min} – ${x.max}`, `${x.key}: range`);
    }
  } finally {
    await s.stop();
  }
});

test('backup, then restore as docs/operations.md says: the copy verifies and serves what was there', sqliteOnly, async () => {
  const s = await startServer({ demo: true });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'luoshi-ops-'));
  let restored;
  try {
    const token = await s.login('supervisor');
    const before = await s.api('POST', '/api/v1/items', { token, body: { kind: 'task', title: '备份之前' } });
    assert.equal(before.status, 201);
    const copy = path.join(dir, 'city-backup.db');
    const b = s.cli(['backup', copy]);
    assert.equal(b.status, 0, b.stderr);
    const after = await s.api('POST', '/api/v1/items', { token, body: { kind: 'task', title: '备份之后' } });
    assert.equal(after.status, 201);
    assert.equal(await s.stop(), 0);
    // the restore: the copy in place of the database, its -wal and -shm gone, verify, start
    const live = path.join(dir, 'city.db');
    fs.copyFileSync(copy, live);
    for (const ext of ['-wal', '-shm']) fs.rmSync(live + ext, { force: true });
    const v = cli(['verify', '--db', live]);
    assert.equal(v.status, 0, v.stdout + v.stderr);
    restored = await startServer({ db: live, init: false });
    const t2 = await restored.login('supervisor', s.logins.supervisor);
    const got = await restored.api('GET', `/api/v1/items/${before.json.id}`, { token: t2 });
    assert.equal(got.status, 200);
    assert.equal(got.json.title, '备份之前');
    assert.equal((await restored.api('GET', `/api/v1/items/${after.json.id}`, { token: t2 })).status, 404);
  } finally {
    if (restored) await restored.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a misspelt LUOSHI_TZ stops serve and every command with exit 2, never running on UTC', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'luoshi-tz-'));
  try {
    const db = path.join(dir, 'c.db');
    for (const args of [['serve', '--db', db, '--listen', '127.0.0.1:1'], ['init', '--db', db], ['version']]) {
      const r = spawnSync(BIN, args, { encoding: 'utf8', env: { ...process.env, LUOSHI_TZ: 'Asia/Shangai' }, timeout: 10000 });
      assert.equal(r.status, 2, args[0]);
      assert.equal(r.stderr, 'luoshi: LUOSHI_TZ=Asia/Shangai is not a time zone (a name under /usr/share/zoneinfo such as Asia/Shanghai)\n');
    }
    assert.equal(fs.existsSync(db), false, 'nothing was created');
    const ok = spawnSync(BIN, ['version'], { encoding: 'utf8', env: { ...process.env, LUOSHI_TZ: 'Asia/Urumqi' } });
    assert.equal(ok.status, 0, ok.stderr);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('luoshi backup of a PostgreSQL database says to use pg_dump, without connecting', () => {
  /* nothing listens on port 1: a connection attempt would fail there and say so instead
   * (the test used to time the answer against an address that never answers) */
  const r = spawnSync(BIN, ['backup', '--db', 'postgres://luoshi@127.0.0.1:1/luoshi', path.join(os.tmpdir(), 'never.db')],
    { encoding: 'utf8', timeout: 20000 });
  assert.equal(r.status, 1);
  assert.equal(r.stderr, 'luoshi backup: a PostgreSQL database is backed up with pg_dump -Fc (see docs/operations.md)\n');
});

test('the error table of docs/api.md lists every code the server has a text for, and no other', () => {
  const src = read('src/core/errtext.c');
  const rows = src.slice(src.indexOf('rows[] = {'), src.indexOf('fields[] = {'));
  const codes = [...new Set([...rows.matchAll(/^\s*\{"([a-z_]+)(?::[^"]*)?",/gm)].map((m) => m[1]))].sort();
  assert.ok(codes.length > 50, `${codes.length} codes read`);
  const doc = read('docs/api.md');
  const at = doc.indexOf('| status | codes |');
  const table = doc.slice(at, doc.indexOf('\n\n', at));
  const notCodes = new Set(['allowed_actions']); /* a field of the 409 body, named in the table */
  const listed = [...new Set([...table.matchAll(/`([a-z_]+)`/g)].map((m) => m[1]))].filter((c) => !notCodes.has(c)).sort();
  assert.deepEqual(codes.filter((c) => !listed.includes(c)), [], 'codes missing from docs/api.md');
  assert.deepEqual(listed.filter((c) => !codes.includes(c)), [], 'codes in docs/api.md the server does not have');
});
