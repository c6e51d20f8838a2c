// Crash safety: writers create items while the server is killed with SIGKILL
// at random moments and restarted.  Afterwards every acknowledged write (201)
// is present, nothing is half-present (`luoshi verify` checks every item has
// its chained events), and SQLite's integrity_check is ok.  make check runs a
// short version; `make soak` runs it longer (CRASH_ROUNDS, CRASH_WRITERS).
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { cli, freePort, parseLogins, BIN } = require('../lib/server.js');

const ROUNDS = Number(process.env.CRASH_ROUNDS || 3);
const WRITERS = Number(process.env.CRASH_WRITERS || 8);

async function serve(db, port) {
  const child = spawn(BIN, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`, '--threads', '2'],
    { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.on('data', (d) => { log += d; });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    try { if ((await fetch(url + '/healthz')).status === 200) return { child, url, log: () => log }; } catch (_) { /* starting */ }
    await new Promise((r) => setTimeout(r, 30));
  }
  throw new Error('server did not start: ' + log);
}

async function token(url, username, password) {
  const r = await fetch(url + '/api/v1/session', {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  return (await r.json()).token;
}

// One writer: create items until the server goes away; returns acknowledged titles.
async function writer(url, tok, name, acked) {
  for (let n = 0; ; n++) {
    const title = `crash-${name}-${n}`;
    try {
      const r = await fetch(url + '/api/v1/items', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: 'Bearer ' + tok },
        body: JSON.stringify({ kind: 'task', title, lead_unit_id: 5, deadline: '2030-01-01' }),
      });
      if (r.status === 201) acked.push(title);
      else await r.text();
    } catch (_) {
      return; // connection refused or reset: the server was killed
    }
  }
}

test(`acknowledged writes survive ${ROUNDS} SIGKILLs`, { skip: process.env.LUOSHI_TEST_PG ? 'SQLite file test' : false }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'luoshi-crash-'));
  const db = path.join(dir, 'crash.db');
  const init = cli(['init', '--db', db, '--demo']);
  assert.equal(init.status, 0, init.stderr);
  const pw = parseLogins(init.stdout).supervisor;
  const acked = [];
  for (let round = 0; round < ROUNDS; round++) {
    const s = await serve(db, await freePort());
    const tok = await token(s.url, 'supervisor', pw);
    const writers = [];
    for (let w = 0; w < WRITERS; w++) writers.push(writer(s.url, tok, `${round}-${w}`, acked));
    await new Promise((r) => setTimeout(r, 300 + Math.floor(Math.random() * 700)));
    const exited = new Promise((r) => (s.child.exitCode !== null ? r() : s.child.on('exit', r)));
    s.child.kill('SIGKILL');
    await Promise.all(writers);
    await exited;
  }
  assert.ok(acked.length > ROUNDS * 10, `only ${acked.length} writes were acknowledged`);
  // every acknowledged title is there exactly once
  const q = spawnSync('sqlite3', [db, "SELECT title FROM items WHERE title LIKE 'crash-%'"], { encoding: 'utf8' });
  assert.equal(q.status, 0, q.stderr);
  const present = new Set(q.stdout.split('\n').filter(Boolean));
  const missing = acked.filter((t) => !present.has(t));
  assert.deepEqual(missing, [], `${missing.length} acknowledged writes lost`);
  const ic = spawnSync('sqlite3', [db, 'PRAGMA integrity_check'], { encoding: 'utf8' });
  assert.equal(ic.stdout.trim(), 'ok');
  const v = cli(['verify', '--db', db]);
  assert.equal(v.status, 0, v.stderr);
  assert.match(v.stdout, /^ok: \d+ events in \d+ chains verified/);
  console.log(`crash: ${ROUNDS} kills, ${acked.length} writes acknowledged, 0 lost, ${present.size - acked.length} unacknowledged but committed`);
  fs.rmSync(dir, { recursive: true, force: true });
});
