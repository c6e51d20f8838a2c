// Start the real luoshi binary on a free loopback port against a fresh
// database, for end-to-end and browser tests.  No mocks: the binary, the
// SQLite file (or the PostgreSQL cluster named by LUOSHI_TEST_PG) are real.
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const openapi = require('./openapi.js');

const BIN = process.env.LUOSHI_BIN || path.resolve(__dirname, '../../luoshi');

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// Run the CLI synchronously: {status, stdout, stderr}.
function cli(args, opts = {}) {
  const r = spawnSync(BIN, args, { encoding: 'utf8', input: opts.input, env: { ...process.env, ...opts.env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

// With LUOSHI_TEST_PG (a cluster's URL, see scripts/with-pg) every server gets a
// PostgreSQL database of its own, so tests stay independent and may run at once.
let pgCount = 0;
function pgDatabase() {
  const base = new URL(process.env.LUOSHI_TEST_PG);
  const name = `luoshi_t${process.pid}_${++pgCount}`;
  const r = spawnSync('psql', [base.href, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c',
    `CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C.UTF-8'`],
  { encoding: 'utf8' });
  if (r.status !== 0) throw new Error('CREATE DATABASE failed: ' + (r.stderr || r.error));
  const url = new URL(base.href);
  url.pathname = '/' + name;
  return { url: url.href, drop: () => spawnSync('psql', [base.href, '-X', '-q', '-c',
    `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`]) };
}

// Parse the "demo logins" block that `init --demo` prints.
function parseLogins(out) {
  const logins = {};
  let inBlock = false;
  for (const line of out.split('\n')) {
    if (line.startsWith('demo logins')) { inBlock = true; continue; }
    const m = inBlock && line.match(/^\s+(\S+)\s+(\S+)\s+(\S+)/);
    if (m) logins[m[1]] = m[2];
  }
  return logins;
}

async function waitHealthy(url, child, ms = 15000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`luoshi exited with ${child.exitCode}`);
    try {
      const r = await fetch(url + '/healthz');
      if (r.status === 200) return;
    } catch (_) { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('luoshi did not become healthy');
}

// Start a server.  opts.demo (default true) loads the demo city; opts.init false skips init;
// opts.serveArgs are added to serve's options.
// Returns {url, port, db, dir, logins, log(), cli(args), stop(), login(user), api(...)}.
async function startServer(opts = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'luoshi-test-'));
  const pg = !opts.db && process.env.LUOSHI_TEST_PG ? pgDatabase() : null;
  const db = opts.db || (pg ? pg.url : path.join(dir, 'test.db'));
  const env = { ...process.env, ...(opts.env || {}) };
  const initArgs = ['init', '--db', db];
  if (opts.demo !== false) initArgs.push('--demo');
  // opts.init === false serves opts.db as it is (a second instance on one database)
  const init = opts.init === false ? { status: 0, stdout: '' } : cli(initArgs, { env });
  if (init.status !== 0) throw new Error('init failed: ' + init.stderr);
  const logins = parseLogins(init.stdout);
  const port = await freePort();
  // opts.serveArgs: more options for serve (limits, trusted proxies, the public URL)
  const child = spawn(BIN, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`, '--threads', '2',
    ...(opts.serveArgs || [])], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (d) => { log += d; });
  child.stderr.on('data', (d) => { log += d; });
  const url = `http://127.0.0.1:${port}`;
  await waitHealthy(url, child);
  const server = {
    url, port, db, dir, logins, child,
    log: () => log,
    cli: (args, o = {}) => cli(args.concat(['--db', db]), { ...o, env }),
    async api(method, p, { token, body, headers = {}, raw } = {}) {
      const h = { ...headers };
      if (token) h.Authorization = 'Bearer ' + token;
      let payload = raw;
      if (body !== undefined) { payload = JSON.stringify(body); h['Content-Type'] = h['Content-Type'] || 'application/json'; }
      const r = await fetch(url + p, { method, headers: h, body: payload, redirect: 'manual' });
      const text = await r.text();
      let json = null;
      try { json = JSON.parse(text); } catch (_) { /* not JSON */ }
      // every JSON answer is held to the server's OpenAPI document (tests/lib/openapi.js)
      if (json !== null && (r.headers.get('content-type') || '').startsWith('application/json')) {
        await openapi.check(url, method, p, r.status, json);
      }
      return { status: r.status, json, text, headers: r.headers };
    },
    async login(username, password) {
      const r = await server.api('POST', '/api/v1/session',
        { body: { username, password: password || logins[username] } });
      if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${r.text}`);
      return r.json.token;
    },
    // Stop with SIGTERM; resolves to the exit code (0 when the shutdown was clean).
    stop() {
      return new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        if (child.signalCode !== null) { // killed by the test (SIGKILL): clean up all the same
          fs.rmSync(dir, { recursive: true, force: true });
          if (pg) pg.drop();
          return resolve(child.signalCode);
        }
        child.on('exit', (code, sig) => {
          // a server that ends on a signal of its own (an abort) leaves its last words here
          if (sig && sig !== 'SIGTERM') process.stderr.write(`server ended with ${sig}; its log ends:\n${log.split('\n').slice(-40).join('\n')}\n`);
          fs.rmSync(dir, { recursive: true, force: true });
          if (pg) pg.drop();
          resolve(code === null ? sig : code);
        });
        child.kill('SIGTERM');
      });
    },
  };
  return server;
}

module.exports = { startServer, cli, freePort, parseLogins, pgDatabase, BIN };
