// What one client may hold of the server (issue 12, finding 6): connections
// per client address (per forwarded address behind a trusted proxy), the
// budget of request bodies in flight, and the login checked before an
// upload's body is read.  Raw sockets, so the test sees exactly which bytes
// the server read and answered; it asserts on answers and bytes, never on
// time.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const net = require('node:net');
const { startServer } = require('../lib/server.js');

// Open a connection from localAddress and send head (a string); resolve with
// {sock, answer()} where answer() resolves to everything the server sent
// until it closed (or 'closed' when it closed without a byte).
function open(s, head, localAddress = '127.0.0.1') {
  return new Promise((resolve) => {
    const sock = net.connect({ port: s.port, host: '127.0.0.1', localAddress });
    let data = '';
    let done;
    const finished = new Promise((r) => { done = r; });
    sock.on('data', (d) => { data += d.toString('latin1'); });
    sock.on('error', () => {});
    sock.on('close', () => done(data || 'closed'));
    sock.on('connect', () => {
      if (head) sock.write(head);
      resolve({ sock, answer: () => finished, seen: () => data });
    });
  });
}

// Wait until cond() holds, polling (bounded).
async function until(cond, what) {
  for (let i = 0; i < 400; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  assert.fail('timed out waiting for ' + what);
}

function get(path, extra = '') {
  return `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n${extra}\r\n`;
}

function rss(pid) {
  const m = fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
  return Number(m[1]) * 1024;
}

test('finding 6: a direct client holds at most --max-per-address connections; other addresses are served', async () => {
  const s = await startServer({ demo: false, serveArgs: ['--max-per-address', '8'] });
  try {
    const idle = [];
    for (let i = 0; i < 8; i++) idle.push(await open(s, 'GET /healthz HTTP/1.1\r\nHost: x\r\n')); // headers never end
    await new Promise((r) => setTimeout(r, 200));
    const ninth = await open(s, get('/healthz'));
    assert.equal(await ninth.answer(), 'closed', 'the ninth connection from one address is refused');
    const other = await open(s, get('/healthz'), '127.0.0.2');
    assert.match(await other.answer(), /^HTTP\/1\.1 200 /);
    for (const c of idle) c.sock.destroy();
    await new Promise((r) => setTimeout(r, 200));
    const again = await open(s, get('/healthz'));
    assert.match(await again.answer(), /^HTTP\/1\.1 200 /, 'the slots come back when they close');
  } finally {
    assert.equal(await s.stop(), 0, s.log().slice(-2000));
  }
});

test('finding 6: behind a trusted proxy the limit is per forwarded address, and the login throttle sees it', async () => {
  const s = await startServer({ serveArgs: ['--trusted-proxy', '127.0.0.1', '--max-per-address', '4'] });
  try {
    const body = JSON.stringify({ username: 'x', password: 'y' });
    const slow = (ip) => `POST /api/v1/session HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 198.51.100.9, ${ip}\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 5)}`;
    const held = [];
    for (let i = 0; i < 4; i++) held.push(await open(s, slow('203.0.113.5')));
    await new Promise((r) => setTimeout(r, 200));
    const fifth = await open(s, get('/healthz', 'X-Forwarded-For: 203.0.113.5\r\n'));
    const a = await fifth.answer();
    assert.match(a, /^HTTP\/1\.1 503 /);
    assert.match(a, /\r\nRetry-After: 5\r\n/i);
    assert.match(a, /"code":"too_many_connections"/);
    const other = await open(s, get('/healthz', 'X-Forwarded-For: 203.0.113.6\r\n'));
    assert.match(await other.answer(), /^HTTP\/1\.1 200 /);
    const realIp = await open(s, get('/healthz', 'X-Real-IP: 203.0.113.5\r\n'));
    assert.match(await realIp.answer(), /^HTTP\/1\.1 503 /, 'X-Real-IP names the client too');
    for (const c of held) c.sock.destroy();
    // the login throttle keys on the forwarded address too
    const login = (ip, password) => s.api('POST', '/api/v1/session',
      { body: { username: 'jxj', password }, headers: { 'X-Forwarded-For': ip } });
    for (let i = 0; i < 5; i++) assert.equal((await login('203.0.113.7', 'wrong')).status, 401);
    assert.equal((await login('203.0.113.7', s.logins.jxj)).status, 429);
    assert.equal((await login('203.0.113.8', s.logins.jxj)).status, 200, 'another client is not locked out');
  } finally {
    assert.equal(await s.stop(), 0, s.log().slice(-2000));
  }
});

test('finding 6: an upload without a login is refused before a byte of its body is read, without 100 Continue', async () => {
  const s = await startServer();
  try {
    const sup = await s.login('supervisor');
    const head = (extra) => 'POST /api/v1/items/1/photos?phase=before HTTP/1.1\r\nHost: x\r\nContent-Type: image/png\r\n' +
      `Content-Length: ${6 * 1024 * 1024}\r\nExpect: 100-continue\r\n${extra}\r\n`;
    let c = await open(s, head(''));
    let a = await c.answer();
    assert.match(a, /^HTTP\/1\.1 401 /, a.slice(0, 200));
    assert.ok(!a.includes('100 Continue'));
    assert.match(a, /"code":"unauthorized"/);
    c = await open(s, head('Authorization: Bearer ' + '0'.repeat(64) + '\r\n'));
    assert.match(await c.answer(), /^HTTP\/1\.1 401 /);
    // too large for the route: 413 at once
    c = await open(s, head('Authorization: Bearer ' + sup + '\r\n').replace(`${6 * 1024 * 1024}`, `${7 * 1024 * 1024}`));
    a = await c.answer();
    assert.match(a, /^HTTP\/1\.1 413 /);
    assert.ok(!a.includes('100 Continue'));
    // a body the server will read gets its 100 Continue
    c = await open(s, head('Authorization: Bearer ' + sup + '\r\n'));
    await until(() => c.seen().length > 0, '100 Continue');
    assert.match(c.seen(), /^HTTP\/1\.1 100 Continue\r\n/);
    c.sock.destroy();
  } finally {
    assert.equal(await s.stop(), 0, s.log().slice(-2000));
  }
});

test('finding 6: 150 unfinished 6 MiB uploads: the budget admits what fits and refuses the rest unread', async () => {
  const s = await startServer({ serveArgs: ['--body-budget', '32', '--max-per-address', '200'] });
  try {
    const sup = await s.login('supervisor');
    const before = rss(s.child.pid);
    const size = 6 * 1024 * 1024;
    const head = 'POST /api/v1/items/1/photos?phase=before HTTP/1.1\r\nHost: x\r\nContent-Type: image/png\r\n' +
      `Authorization: Bearer ${sup}\r\nContent-Length: ${size}\r\n\r\n`;
    const conns = await Promise.all(Array.from({ length: 150 }, () => open(s, head)));
    // every refusal comes at once, before the body: 503 with Retry-After
    await until(() => conns.filter((c) => c.seen().startsWith('HTTP/1.1 503 ')).length === 145, '145 refusals');
    await new Promise((r) => setTimeout(r, 300));
    const refused = conns.filter((c) => c.seen().startsWith('HTTP/1.1 503 '));
    const admitted = conns.filter((c) => c.seen() === '');
    assert.equal(refused.length, 145);
    assert.equal(admitted.length, 5, '5 × 6 MiB fit in 32 MiB');
    for (const c of refused) {
      assert.match(c.seen(), /\r\nRetry-After: 5\r\n/i);
      assert.match(c.seen(), /"code":"server_busy"/);
    }
    // the admitted ones send all but the last byte of their bodies, and hold
    const chunk = Buffer.alloc(1024 * 1024, 0x41);
    for (const c of admitted) {
      for (let k = 0; k < 5; k++) c.sock.write(chunk);
      c.sock.write(chunk.subarray(0, chunk.length - 1));
    }
    await new Promise((r) => setTimeout(r, 1500));
    const grown = rss(s.child.pid) - before;
    assert.ok(grown < 128 * 1024 * 1024, `the server grew by ${grown} bytes holding 150 uploads`);
    for (const c of conns) c.sock.destroy();
    // the budget is given back once the server has seen them close (polled, bounded)
    let admittedAgain = false;
    for (let i = 0; i < 60 && !admittedAgain; i++) {
      await new Promise((r) => setTimeout(r, 250));
      const c = await open(s, head);
      await new Promise((r) => setTimeout(r, 250));
      admittedAgain = c.seen() === '';
      c.sock.destroy();
    }
    assert.ok(admittedAgain, 'admitted again once the others are gone');
  } finally {
    assert.equal(await s.stop(), 0, s.log().slice(-2000));
  }
});
