// luoshi copy: a city on SQLite moved into a new PostgreSQL database, every
// row as it was — the chains verify there, a server on it shows the same
// lists, new ids continue after the copied ones — and a copy that cannot
// finish leaves the destination as it was.  Needs LUOSHI_TEST_PG (make test-pg).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { startServer, cli, pgDatabase } = require('../lib/server.js');

const pgOnly = { skip: process.env.LUOSHI_TEST_PG ? false : 'needs PostgreSQL (make test-pg)' };

function psql(url, sql) {
  const r = spawnSync('psql', [url, '-X', '-A', '-t', '-q', '-c', sql], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

function sqlite(file, sql) {
  const r = spawnSync('sqlite3', [file, sql], { encoding: 'utf8', maxBuffer: 1 << 28 });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

test('a SQLite city copied into PostgreSQL verifies and serves the same', pgOnly, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'luoshi-copy-'));
  const file = path.join(dir, 'city.db');
  const s = await startServer({ db: file });
  const pg = pgDatabase();
  let p = null;
  try {
    const sup = await s.login('supervisor');
    // text COPY must carry as it is: a tab, a newline, a backslash, quotes
    const odd = '第一行\t制表\n第二行 \\N 反斜杠 "引号" \'单引号\'';
    const made = await s.api('POST', '/api/v1/items', { token: sup, body: {
      kind: 'task', title: '消防通道\\整改', description: odd, lead_unit_id: 5,
      deadline: '2030-06-30', feedback_cycle: 'monthly' } });
    assert.equal(made.status, 201, made.text);
    const id = made.json.id;
    const signed = cli(['checkpoint', '--db', file, '--key', file + '.key']);
    assert.equal(signed.status, 0, signed.stderr);

    // copied while the SQLite server keeps running: the source is read as one snapshot
    const r = cli(['copy', '--db', file, '--to', pg.url]);
    assert.equal(r.status, 0, r.stderr);
    const rows = Number(r.stdout.match(/copied (\d+) rows/)[1]);
    const events = Number(sqlite(file, 'SELECT count(*) FROM events'));
    assert.match(r.stdout, new RegExp(`\\n  events +${events} rows\\n`));
    assert.ok(rows > events, r.stdout);

    // the same chains, the same signed checkpoint, on the other engine
    const vs = cli(['verify', '--db', file]);
    const vp = cli(['verify', '--db', pg.url, '--pubkey', file + '.pub']);
    assert.equal(vs.status, 0, vs.stderr);
    assert.equal(vp.status, 0, vp.stderr + vp.stdout);
    assert.equal(vp.stdout.split('\n')[0], vs.stdout.split('\n')[0]);
    assert.doesNotMatch(vp.stderr, /not checked/);
    // bytea (the documents' PDFs) byte for byte
    const pdfs = sqlite(file, 'SELECT hex(pdf) FROM item_documents ORDER BY id').split('\n').filter(Boolean);
    assert.ok(pdfs.length > 0);
    assert.equal(psql(pg.url, "SELECT string_agg(md5(pdf), ',' ORDER BY id) FROM item_documents"),
      pdfs.map((h) => crypto.createHash('md5').update(Buffer.from(h, 'hex')).digest('hex')).join(','));

    p = await startServer({ db: pg.url, init: false });
    const psup = await p.login('supervisor', s.logins.supervisor);
    for (const q of ['/api/v1/items?limit=100', '/api/v1/items?limit=25&status=assigned',
      '/api/v1/items?limit=25&q=%E6%B6%88%E9%98%B2', `/api/v1/items/${id}`]) {
      const a = await s.api('GET', q, { token: sup });
      const b = await p.api('GET', q, { token: psup });
      assert.equal(a.status, 200, a.text);
      assert.deepEqual(b.json, a.json, q);
    }
    const item = await p.api('GET', `/api/v1/items/${id}`, { token: psup });
    assert.equal(item.json.description, odd);
    assert.equal(item.json.title, '消防通道\\整改');
    // the handler's inbox, from the kept rows
    const ha = await s.login('yjj');
    const hb = await p.login('yjj', s.logins.yjj);
    assert.deepEqual((await p.api('GET', '/api/v1/inbox', { token: hb })).json,
      (await s.api('GET', '/api/v1/inbox', { token: ha })).json);

    // new rows continue after the copied ids
    const last = Number(psql(pg.url, 'SELECT max(id) FROM items'));
    const next = await p.api('POST', '/api/v1/items', { token: psup, body: {
      kind: 'task', title: '迁移后新建', lead_unit_id: 5, deadline: '2030-06-30' } });
    assert.equal(next.status, 201, next.text);
    assert.equal(next.json.id, last + 1);
    assert.equal(cli(['verify', '--db', pg.url, '--pubkey', file + '.pub']).status, 0);

    // a second copy into a database that holds a city is refused, nothing changed
    const again = cli(['copy', '--db', file, '--to', pg.url]);
    assert.equal(again.status, 1);
    assert.match(again.stderr, /already holds users, items or events/);
    assert.equal(psql(pg.url, 'SELECT max(id) FROM items'), String(last + 1));
  } finally {
    if (p) await p.stop();
    await s.stop();
    pg.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a copy that fails half-way leaves the destination as it was', pgOnly, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'luoshi-copy-'));
  const file = path.join(dir, 'city.db');
  const pg = pgDatabase();
  try {
    assert.equal(cli(['init', '--db', file, '--demo']).status, 0);
    assert.equal(cli(['init', '--db', pg.url]).status, 0);
    const shape = "SELECT (SELECT count(*) FROM pg_constraint WHERE contype = 'f') || ' ' ||" +
      ' (SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal AND tgenabled = \'O\') || \' \' ||' +
      ' (SELECT count(*) FROM config_events) || \' \' || (SELECT count(*) FROM calendar_days)';
    const before = psql(pg.url, shape);
    // a title that is not UTF-8 (written past luoshi, which would refuse it):
    // PostgreSQL's COPY rejects it after the tables before items went in
    sqlite(file, "UPDATE items SET title = CAST(X'E6B688FF' AS TEXT) WHERE id = (SELECT max(id) FROM items)");
    const r = cli(['copy', '--db', file, '--to', pg.url]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^luoshi copy: copying items: invalid byte sequence for encoding "UTF8"/);
    assert.match(r.stderr, /is as it was\n$/);
    // its foreign keys, its triggers (enabled) and its own rows as before
    assert.equal(psql(pg.url, shape), before);
    assert.equal(psql(pg.url, 'SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM items)'), '0');
    const guard = spawnSync('psql', [pg.url, '-X', '-q', '-c', 'DELETE FROM config_events'], { encoding: 'utf8' });
    assert.match(guard.stderr, /append-only/);

    // fixed, the same copy goes through
    sqlite(file, "UPDATE items SET title = '消防' WHERE id = (SELECT max(id) FROM items)");
    const ok = cli(['copy', '--db', file, '--to', pg.url]);
    assert.equal(ok.status, 0, ok.stderr);
    assert.equal(psql(pg.url, 'SELECT count(*) FROM items'), sqlite(file, 'SELECT count(*) FROM items'));

    // not into SQLite, not from PostgreSQL
    const bad = cli(['copy', '--db', pg.url, '--to', file]);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /copies a SQLite database into a new PostgreSQL one/);
  } finally {
    pg.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
