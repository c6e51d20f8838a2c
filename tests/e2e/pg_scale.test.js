// Scale-out on PostgreSQL: two `luoshi serve` instances on one database.
// Concurrent creates from both, concurrent actions on one item from both,
// instances that start (and migrate) at once, the database stopped and
// started under load, and passwords kept out of what the CLI prints.
//
// Needs a PostgreSQL cluster: run through scripts/with-pg (as `make test-pg`
// does), which sets LUOSHI_TEST_PG to its URL.  Without it every test is
// skipped with that message.  The outage test makes a cluster of its own with
// scripts/pg-test-cluster (start, halt, resume, stop).
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startServer, cli, pgDatabase } = require('../lib/server.js');

const PG = process.env.LUOSHI_TEST_PG;
const skip = PG ? false : 'LUOSHI_TEST_PG is not set: run it through scripts/with-pg (make test-pg)';
const CLUSTER = path.resolve(__dirname, '../../scripts/pg-test-cluster');

let a, b, supA, supB;
before(async () => {
  if (!PG) return;
  a = await startServer();
  b = await startServer({ db: a.db, init: false }); // the second instance, same database
  [supA, supB] = await Promise.all([a.login('supervisor'), b.login('supervisor', a.logins.supervisor)]);
});
after(async () => {
  if (!PG) return;
  assert.equal(await b.stop(), 0, 'instance b stops cleanly\n' + b.log().slice(-3000));
  assert.equal(await a.stop(), 0, 'instance a stops cleanly\n' + a.log().slice(-3000));
});

// Run a command without blocking the event loop (the load keeps going).
function run(cmd, args) {
  return new Promise((resolve) => {
    const c = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    c.stdout.on('data', (d) => { out += d; });
    c.stderr.on('data', (d) => { out += d; });
    c.on('close', (code) => resolve({ code, out })); // 'close': after stdout and stderr are drained
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Create an item through srv; {status, id, code, title}.
async function create(srv, token, title) {
  try {
    const r = await srv.api('POST', '/api/v1/items', { token, body: { kind: 'task', title } });
    return { status: r.status, id: r.json && r.json.id, code: r.json && r.json.error && r.json.error.code, title };
  } catch (e) {
    return { status: 0, code: String(e), title }; // no answer at all
  }
}

// Every acknowledged create is there, read through the other instance.
async function assertPresent(acked) {
  for (const c of acked) {
    const r = await b.api('GET', `/api/v1/items/${c.id}`, { token: supB });
    assert.equal(r.status, 200, `item ${c.id} acknowledged with 201 is missing`);
    assert.equal(r.json.title, c.title);
  }
}

function verify() {
  const v = cli(['verify', '--db', a.db]);
  assert.equal(v.status, 0, 'luoshi verify: ' + v.stderr);
  return v;
}

test('concurrent creates from two instances are all present and every chain verifies', { skip }, async () => {
  const jobs = [];
  for (let i = 0; i < 120; i++) {
    const [srv, tok] = i % 2 ? [b, supB] : [a, supA];
    jobs.push(create(srv, tok, `并发创建 ${i}`));
  }
  const res = await Promise.all(jobs);
  assert.deepEqual(res.filter((r) => r.status !== 201), [], 'every create is acknowledged');
  const ids = new Set(res.map((r) => r.id));
  assert.equal(ids.size, 120, 'ids are unique across instances');
  await assertPresent(res);
  const [la, lb] = await Promise.all([
    a.api('GET', '/api/v1/items?q=' + encodeURIComponent('并发创建') + '&limit=1', { token: supA }),
    b.api('GET', '/api/v1/items?q=' + encodeURIComponent('并发创建') + '&limit=1', { token: supB }),
  ]);
  assert.equal(la.json.total_count, 120);
  assert.equal(lb.json.total_count, 120);
  assert.match(verify().stdout + verify().stderr, /events in \d+ chains verified/);
});

test('concurrent actions on one item from both instances lose nothing and fork no chain', { skip }, async (t) => {
  const made = await create(a, supA, '同一事项的并发催办');
  assert.equal(made.status, 201);
  const act = (srv, tok, body) => srv.api('POST', `/api/v1/items/${made.id}/actions`, { token: tok, body });
  const probe = await act(a, supA, {});
  if (probe.status === 404 && probe.json.error.code === 'not_found' && /no such path/.test(probe.json.error.detail)) {
    // the route is not there yet; tests/unit/db/concurrency_test.c races item_act on one item
    t.skip('POST /api/v1/items/{id}/actions is not routed yet');
    return;
  }
  let r = await act(a, supA, { action: 'assign', lead_unit_id: 5, deadline: '2031-06-30' });
  assert.equal(r.status, 200, r.text);
  const jobs = [];
  for (let i = 0; i < 40; i++) {
    const [srv, tok] = i % 2 ? [b, supB] : [a, supA];
    jobs.push(act(srv, tok, { action: 'urge', text: `催办 ${i}` }).then((x) => ({ i, status: x.status, code: x.json && x.json.error && x.json.error.code })));
  }
  const res = await Promise.all(jobs);
  for (const x of res) {
    assert.ok(x.status === 200 || (x.status === 503 && x.code === 'busy'), JSON.stringify(x));
  }
  const acked = res.filter((x) => x.status === 200).map((x) => `催办 ${x.i}`);
  assert.ok(acked.length >= 36, `most urges acknowledged (${acked.length} of 40)`);
  r = await b.api('GET', `/api/v1/items/${made.id}/events`, { token: supB });
  assert.equal(r.status, 200);
  const urges = r.json.events.filter((e) => e.action === 'urge').map((e) => e.data.text);
  assert.deepEqual(urges.slice().sort(), acked.slice().sort(), 'exactly the acknowledged urges');
  const ev = r.json.events;
  for (let k = 1; k < ev.length; k++) assert.equal(ev[k].prev_hash, ev[k - 1].hash, 'one unbroken chain');
  verify();
});

test('instances starting at once on an empty database migrate it once', { skip }, async () => {
  const db = pgDatabase();
  try {
    const bin = require('../lib/server.js').BIN;
    const res = await Promise.all([1, 2, 3].map(() => run(bin, ['init', '--db', db.url])));
    let applied = 0;
    for (const r of res) {
      assert.equal(r.code, 0, r.out);
      const m = r.out.match(/\((\d+) migrations? applied\)/);
      assert.ok(m, r.out);
      applied += Number(m[1]);
    }
    const version = Number(res[0].out.match(/schema version (\d+)/)[1]);
    assert.ok(version >= 2);
    assert.equal(applied, version, 'each migration ran exactly once');
  } finally {
    db.drop();
  }
});

// A SQL answer from the cluster, as text (psql -At).
function sql(url, query) {
  const r = require('node:child_process').spawnSync('psql', [url, '-X', '-At', '-c', query], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

test('two schedulers started at once do each day\'s work once', { skip }, async () => {
  const db = pgDatabase();
  const env = { LUOSHI_NOW: '2025-03-03' }; // a Monday when demo items are overdue
  let p, q;
  try {
    const init = cli(['init', '--db', db.url, '--demo'], { env: { ...process.env, ...env } });
    assert.equal(init.status, 0, init.stderr);
    [p, q] = await Promise.all([startServer({ db: db.url, init: false, env }),
      startServer({ db: db.url, init: false, env })]);
    // both schedulers tick at start; wait until the day's run is recorded and settled
    let urges = '0', before = '';
    for (let k = 0; k < 100; k++) {
      urges = sql(db.url, 'SELECT count(*) FROM urges WHERE auto = 1');
      if (urges !== '0' && urges === before) break;
      before = urges;
      await sleep(200);
    }
    assert.notEqual(urges, '0', 'the scheduler urged the overdue demo items');
    assert.equal(sql(db.url, "SELECT count(*) FROM auto_steps WHERE step LIKE 'urge%'"), urges,
      'one automatic urge per step the scheduler recorded');
    assert.equal(sql(db.url, 'SELECT count(*) FROM (SELECT item_id, text FROM urges WHERE auto = 1' +
      ' GROUP BY item_id, text HAVING count(*) > 1) d'), '0', 'no urge twice');
    assert.equal(sql(db.url, "SELECT count(*) FROM events WHERE action = 'urge' AND actor = 'system'"), urges);
    const v = cli(['verify', '--db', db.url]);
    assert.equal(v.status, 0, v.stderr);
  } finally {
    if (q) assert.equal(await q.stop(), 0, q.log().slice(-2000));
    if (p) assert.equal(await p.stop(), 0, p.log().slice(-2000));
    db.drop();
  }
});

test('the CLI never prints the password of a postgres:// URL; backup points to pg_dump', { skip }, async () => {
  const db = pgDatabase();
  try {
    const url = new URL(db.url);
    url.password = 'hunter2'; // the test cluster trusts loopback, so any password works
    let r = cli(['verify', '--db', url.href]); // an empty database: "run luoshi init"
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /postgres:\/\/luoshi:\*\*\*@127\.0\.0\.1:\d+\/luoshi_t\S* has schema version 0/);
    r = cli(['init', '--db', url.href]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^postgres:\/\/luoshi:\*\*\*@127\.0\.0\.1:\d+\/\S+: schema version \d+/);
    const file = path.join(os.tmpdir(), `luoshi-pg-backup-${process.pid}.db`);
    r = cli(['backup', '--db', url.href, file]); // pg_dump is the tool for PostgreSQL
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /pg_dump/);
    assert.equal(fs.existsSync(file), false);
    for (const s of [r.stdout, r.stderr]) assert.doesNotMatch(s, /hunter2/);
    url.port = '1';
    r = cli(['verify', '--db', url.href]); // nothing listens there
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /cannot connect to PostgreSQL/);
    for (const s of [r.stdout, r.stderr]) assert.doesNotMatch(s, /hunter2/);
  } finally {
    db.drop();
  }
});

// The outage test stops PostgreSQL, so it runs on a cluster of its own: the
// shared one serves other test files at the same time.
test('PostgreSQL stopped and started under load: 503 database_unavailable, then recovery, nothing acknowledged lost', { skip }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'luoshi-pg-outage-'));
  fs.chmodSync(dir, 0o755);
  const started = await run(CLUSTER, ['start', dir]);
  assert.equal(started.code, 0, started.out);
  const url = started.out.trim().split('\n').pop();
  let p, q;
  try {
    p = await startServer({ db: url });
    q = await startServer({ db: url, init: false });
    const [tp, tq] = await Promise.all([p.login('supervisor'), q.login('supervisor', p.logins.supervisor)]);
    const results = [];
    let stopping = false, n = 0;
    const worker = async (srv, tok) => {
      while (!stopping) {
        const at = Date.now(); // when the request was sent; end: when it was answered
        const r = await create(srv, tok, `负载 ${n++}`);
        results.push({ at, end: Date.now(), ...r });
        await sleep(5);
      }
    };
    const load = [worker(p, tp), worker(q, tq), worker(p, tp), worker(q, tq)];
    await sleep(400);
    const down = Date.now(); // the outage begins as the server starts shutting down
    const halted = await run(CLUSTER, ['halt', dir]);
    assert.equal(halted.code, 0, halted.out);
    await sleep(1500);
    const health = await p.api('GET', '/healthz');
    assert.equal(health.status, 503);
    const resumed = await run(CLUSTER, ['resume', dir]);
    assert.equal(resumed.code, 0, resumed.out);
    const up = Date.now();
    // both instances recover by themselves
    for (const [srv, tok] of [[p, tp], [q, tq]]) {
      let ok = false;
      for (let k = 0; k < 100 && !ok; k++) {
        ok = (await create(srv, tok, `恢复 ${k}`)).status === 201;
        if (!ok) await sleep(100);
      }
      assert.ok(ok, 'an instance answers 201 again after the database is back\n' + srv.log().slice(-2000));
    }
    const recovered = Date.now();
    await sleep(1000);
    stopping = true;
    await Promise.all(load);

    const bad = results.filter((r) => r.status !== 201 && !(r.status === 503 && r.code === 'database_unavailable'));
    assert.deepEqual(bad, [], 'every answer is 201 or 503 database_unavailable');
    const outage = results.filter((r) => r.status === 503);
    assert.ok(outage.length > 0, 'requests during the outage got 503');
    assert.deepEqual(outage.filter((r) => r.end < down), [], 'no 503 before the outage');
    const later = results.filter((r) => r.at > recovered + 300);
    assert.ok(later.length > 0, 'load went on after the recovery');
    assert.deepEqual(later.filter((r) => r.status !== 201), [], 'all 201 once recovered');
    for (const c of results.filter((r) => r.status === 201)) {
      const r = await q.api('GET', `/api/v1/items/${c.id}`, { token: tq });
      assert.equal(r.status, 200, `item ${c.id} acknowledged with 201 is missing`);
      assert.equal(r.json.title, c.title);
    }
    const v = cli(['verify', '--db', url]);
    assert.equal(v.status, 0, 'luoshi verify: ' + v.stderr);
  } finally {
    if (q) assert.equal(await q.stop(), 0, 'instance q stops cleanly\n' + q.log().slice(-3000));
    if (p) assert.equal(await p.stop(), 0, 'instance p stops cleanly\n' + p.log().slice(-3000));
    await run(CLUSTER, ['stop', dir]);
  }
});
