// Hostile input: traversal, SQL metacharacters, forged and expired tokens,
// login throttling (finding 2: a parallel burst), bad dates and numbers,
// oversized fields, and the protocol cases of finding 9.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const net = require('node:net');
const { startServer } = require('../lib/server.js');

let s, sup;
before(async () => {
  s = await startServer();
  sup = await s.login('supervisor');
});
after(async () => {
  assert.equal(await s.stop(), 0, s.log().slice(-3000));
});

// A raw request, so paths reach the server exactly as written.
function raw(path) {
  return new Promise((resolve, reject) => {
    const c = net.connect(s.port, '127.0.0.1', () => c.write(`GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`));
    let data = '';
    c.on('data', (d) => { data += d; });
    c.on('end', () => resolve(Number(data.split(' ')[1])));
    c.on('error', reject);
  });
}

test('path traversal on static paths finds nothing', async () => {
  for (const p of ['/static/../Makefile', '/static/%2e%2e/Makefile', '/static/..%2fMakefile',
    '/static/style.css/../../luoshi.db', '/static//etc/passwd', '/static/', '/static/style.css%00.js']) {
    const status = await raw(p);
    assert.ok(status === 404 || status === 400, `${p} gave ${status}`);
  }
  assert.equal(await raw('/static/style.css'), 200);
});

test('SQL metacharacters are stored verbatim and searched literally', async () => {
  const title = "Robert'); DROP TABLE items;-- \" % _ \\ 落实";
  const c = await s.api('POST', '/api/v1/items', { token: sup, body: { kind: 'task', title, description: "' OR 1=1 --" } });
  assert.equal(c.status, 201);
  assert.equal(c.json.title, title);
  const r = await s.api('GET', '/api/v1/items?q=' + encodeURIComponent("'); DROP TABLE"), { token: sup });
  assert.equal(r.json.total_count, 1);
  assert.equal(r.json.items[0].title, title);
  const u = await s.api('GET', '/api/v1/items?q=' + encodeURIComponent('_'), { token: sup });
  assert.equal(u.json.total_count, 1, '_ matches only a literal underscore');
});

test('forged tokens are refused', async () => {
  for (const t of ['0'.repeat(64), 'g'.repeat(64), 'abc', '', 'A'.repeat(64), sup.toUpperCase(), sup + '0']) {
    const r = await s.api('GET', '/api/v1/me', { headers: { Authorization: 'Bearer ' + t } });
    assert.equal(r.status, 401, `token '${t}'`);
  }
});

test('a token expires after its lifetime', async () => {
  const t = await s.login('zzb');
  assert.equal((await s.api('GET', '/api/v1/me', { token: t })).status, 200);
  const later = Date.now() + 13 * 3600 * 1000;
  const s2 = await startServer({ db: s.db, demo: false, env: { LUOSHI_NOW: String(later) } });
  try {
    const r = await s2.api('GET', '/api/v1/me', { token: t });
    assert.equal(r.status, 401);
    assert.equal(r.json.error.code, 'invalid_token');
  } finally {
    await s2.stop();
  }
});

test('five failed logins lock the name from that address for a while, even with the right password', async () => {
  const out = s.cli(['user', 'add', '--username', 'victim', '--unit', 'yjj', '--role', 'handler', '--password-stdin'],
    { input: 'correct horse battery\n' });
  assert.equal(out.status, 0, out.stderr);
  for (let i = 0; i < 5; i++) {
    const r = await s.api('POST', '/api/v1/session', { body: { username: 'victim', password: 'wrong ' + i } });
    assert.equal(r.status, 401);
  }
  let r = await s.api('POST', '/api/v1/session', { body: { username: 'victim', password: 'correct horse battery' } });
  assert.equal(r.status, 429);
  assert.equal(r.json.error.code, 'too_many_attempts');
  r = await s.api('POST', '/api/v1/session', { body: { username: 'jxj', password: s.logins.jxj } });
  assert.equal(r.status, 200, 'other users are not locked out');
});

// Hardening finding 2: every attempt is counted before its password is
// checked, so a parallel burst cannot outrun the count.
test('finding 2: a parallel burst of guesses gets 429s, and the right password inside one does not log in', async () => {
  const out = s.cli(['user', 'add', '--username', 'burst', '--unit', 'yjj', '--role', 'handler', '--password-stdin'],
    { input: 'correct horse battery\n' });
  assert.equal(out.status, 0, out.stderr);
  const attempt = (password) => s.api('POST', '/api/v1/session', { body: { username: 'burst', password } });
  let rs = await Promise.all(Array.from({ length: 40 }, (_, i) => attempt('wrong ' + i)));
  let st = rs.map((r) => r.status).sort();
  assert.deepEqual(st, [...Array(5).fill(401), ...Array(35).fill(429)], st.join(','));
  const throttled = rs.find((r) => r.status === 429);
  assert.equal(throttled.json.error.code, 'too_many_attempts');
  assert.match(throttled.headers.get('retry-after'), /^\d+$/);
  rs = await Promise.all(Array.from({ length: 41 }, (_, i) => attempt(i === 20 ? 'correct horse battery' : 'wrong ' + i)));
  st = rs.map((r) => r.status);
  assert.deepEqual(st, Array(41).fill(429), st.join(','));
  assert.equal((await s.api('POST', '/api/v1/session', { body: { username: 'jxj', password: s.logins.jxj } })).status, 200,
    'other users are not locked out');
});

test('login bodies of the wrong shape are 422', async () => {
  for (const body of [{ username: 'x' }, { username: 1, password: 'x' }, { username: 'x', password: 'y', extra: 1 }, ['x', 'y']]) {
    const r = await s.api('POST', '/api/v1/session', { body });
    assert.equal(r.status, 422, JSON.stringify(body));
  }
});

test('invalid and out-of-range dates and numbers are 422', async () => {
  const bad = [
    { deadline: '2026-13-01' }, { deadline: '2026-00-10' }, { deadline: '2025-02-29' }, { deadline: '26-01-01' },
    { deadline: '2026-01-01T00:00:00' }, { deadline: '０２０２６-01-01' }, { lead_unit_id: '5' }, { lead_unit_id: -5 },
    { lead_unit_id: 1.5 }, { lead_unit_id: 9007199254740993 }, { parent_id: 0 }, { metric: { target: 'many' } },
    { metric: 12 }, { co_unit_ids: 'all' }, { co_unit_ids: [1, 1] }, { co_unit_ids: Array.from({ length: 40 }, (_, i) => i + 1) },
  ];
  for (const extra of bad) {
    const r = await s.api('POST', '/api/v1/items', { token: sup, body: { kind: 'task', title: '坏数据', ...extra } });
    assert.equal(r.status, 422, JSON.stringify(extra));
  }
  for (const q of ['offset=1e3', 'limit=25.0', 'limit=%2B5', 'unit=-1', 'offset=99999999999']) {
    const r = await s.api('GET', '/api/v1/items?' + q, { token: sup });
    assert.equal(r.status, 422, q);
  }
});

test('oversized fields are 422 and bodies over 1 MiB are 413', async () => {
  let r = await s.api('POST', '/api/v1/items', { token: sup, body: { kind: 'task', title: '长'.repeat(201) } });
  assert.equal(r.status, 422);
  r = await s.api('POST', '/api/v1/items', { token: sup, body: { kind: 'task', title: 'x', description: 'd'.repeat(20001) } });
  assert.equal(r.status, 422);
  r = await s.api('POST', '/api/v1/items', { token: sup, raw: ' '.repeat(1024 * 1024 + 1), headers: { 'Content-Type': 'application/json' } });
  assert.equal(r.status, 413);
});
