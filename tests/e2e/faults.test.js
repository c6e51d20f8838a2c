// Faults: a database that cannot be opened or is newer than the binary, a
// full disk, idle and slow connections, and backup under writes.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { startServer, cli } = require('../lib/server.js');

const sqliteOnly = { skip: process.env.LUOSHI_TEST_PG ? 'SQLite file test' : false };

// GET path from a local address of our choosing: {status, body}.
function getFrom(localAddress, port, p) {
  return new Promise((resolve, reject) => {
    require('node:http').get({ host: '127.0.0.1', port, path: p, localAddress, agent: false }, (res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode, body }));
    }).on('error', reject);
  });
}

function tmpdir() {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'luoshi-fault-'));
}

test('serve refuses a missing database with a clear error', sqliteOnly, () => {
  const r = cli(['serve', '--db', '/nonexistent/dir/x.db', '--listen', '127.0.0.1:1']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /cannot open database \/nonexistent\/dir\/x\.db/);
});

test('serve refuses a file that is not a database', sqliteOnly, () => {
  const dir = tmpdir();
  const db = path.join(dir, 'junk.db');
  fs.writeFileSync(db, 'this is not a database '.repeat(100));
  const r = cli(['serve', '--db', db, '--listen', '127.0.0.1:1']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /not a database/);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a database newer than the binary is refused untouched', sqliteOnly, () => {
  const dir = tmpdir();
  const db = path.join(dir, 'new.db');
  assert.equal(cli(['init', '--db', db]).status, 0);
  spawnSync('sqlite3', [db, "INSERT INTO schema_migrations VALUES (999, 'future', 0)"]);
  const before = fs.readFileSync(db);
  for (const args of [['serve', '--listen', '127.0.0.1:1'], ['init'], ['unit', 'list'], ['verify']]) {
    const r = cli(args.concat(['--db', db]));
    assert.equal(r.status, 1, args.join(' '));
    assert.match(r.stderr, /schema version 999 but this luoshi knows only up to \d+/, args.join(' '));
  }
  assert.ok(before.equals(fs.readFileSync(db)), 'the file is unchanged');
  fs.rmSync(dir, { recursive: true, force: true });
});

// Mount a small tmpfs; null when this machine does not allow it.
function smallDisk(dir, size) {
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir]);
  return r.status === 0;
}

test('a full disk gives a clean 5xx, loses nothing, and recovers', sqliteOnly, async (t) => {
  const dir = tmpdir();
  // room for the demo city, whose assigns store their 交办通知单 PDFs (about 2 MB in all)
  if (!smallDisk(dir, '8m')) { t.skip('cannot mount a tmpfs here'); return; }
  const db = path.join(dir, 'full.db');
  let s;
  try {
    s = await startServer({ db });
    const tok = await s.login('supervisor');
    const create = (title, description = '') =>
      s.api('POST', '/api/v1/items', { token: tok, body: { kind: 'task', title, description } });
    assert.equal((await create('磁盘未满时')).status, 201);
    // fill the disk
    const filler = path.join(dir, 'filler');
    const fd = fs.openSync(filler, 'w');
    const chunk = Buffer.alloc(64 * 1024, 1);
    try { for (;;) fs.writeSync(fd, chunk); } catch (_) { /* ENOSPC */ }
    fs.closeSync(fd);
    let failed = null;
    for (let i = 0; i < 200 && !failed; i++) {
      const r = await create('磁盘已满 ' + i, '满'.repeat(15000));
      if (r.status >= 500) failed = r;
    }
    assert.ok(failed, 'some write failed once the disk was full');
    assert.ok([500, 503].includes(failed.status));
    assert.match(failed.json.error.code, /^(internal|database_unavailable|busy)$/);
    assert.ok(failed.json.error.message.length > 10);
    fs.rmSync(filler);
    const ok = await create('磁盘腾出之后');
    assert.equal(ok.status, 201);
    const v = s.cli(['verify']);
    assert.equal(v.status, 0, v.stderr);
    const ic = spawnSync('sqlite3', [db, 'PRAGMA integrity_check'], { encoding: 'utf8' });
    assert.equal(ic.stdout.trim(), 'ok');
  } finally {
    if (s) await s.stop();
    spawnSync('umount', [dir]);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('idle and slow connections do not starve others', async () => {
  const s = await startServer();
  try {
    const socks = [];
    for (let i = 0; i < 200; i++) {
      const c = net.connect(s.port, '127.0.0.1');
      c.on('error', () => {});
      if (i % 2) c.write('GET /healthz HTTP/1.1\r\nHost: x\r\n'); // never finishes its headers
      socks.push(c);
    }
    await new Promise((r) => setTimeout(r, 200));
    // 200 from one address pass the per-address limit (128): the others come
    // from another address, as other clients do
    for (let i = 0; i < 20; i++) {
      const r = await getFrom('127.0.0.2', s.port, '/healthz');
      assert.equal(r.status, 200);
    }
    for (const c of socks) c.destroy();
  } finally {
    assert.equal(await s.stop(), 0);
  }
});

test('backup while writers run is a consistent, verifiable copy', sqliteOnly, async () => {
  const s = await startServer();
  const dir = tmpdir();
  try {
    const tok = await s.login('supervisor');
    let stop = false;
    const writers = [0, 1, 2, 3].map(async (w) => {
      for (let n = 0; !stop; n++) {
        await s.api('POST', '/api/v1/items', { token: tok, body: { kind: 'task', title: `backup-${w}-${n}` } });
      }
    });
    await new Promise((r) => setTimeout(r, 300));
    const copy = path.join(dir, 'copy.db');
    const b = s.cli(['backup', copy]);
    stop = true;
    await Promise.all(writers);
    assert.equal(b.status, 0, b.stderr);
    assert.match(b.stdout, /backed up to/);
    assert.equal(s.cli(['backup', copy]).status, 1, 'an existing file is not overwritten');
    const v = cli(['verify', '--db', copy]);
    assert.equal(v.status, 0, v.stderr);
    const items = spawnSync('sqlite3', [copy, 'SELECT count(*), sum(event_seq) FROM items'], { encoding: 'utf8' });
    const events = spawnSync('sqlite3', [copy, 'SELECT count(*) FROM events'], { encoding: 'utf8' });
    assert.equal(items.stdout.trim().split('|')[1], events.stdout.trim(), 'every item has exactly its events');
    // a server starts on the copy
    const r = await startServer({ db: copy, demo: false });
    assert.equal((await r.api('GET', '/healthz')).status, 200);
    await r.stop();
  } finally {
    await s.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
