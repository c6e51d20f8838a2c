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

// ---- finding 9: the smaller ones ----

// A raw request (bytes as given), the whole answer as latin1 text.
function rawAll(request) {
  return new Promise((resolve, reject) => {
    const c = net.connect(s.port, '127.0.0.1', () => c.write(Buffer.from(request, 'latin1')));
    let data = '';
    c.on('data', (d) => { data += d.toString('latin1'); });
    c.on('end', () => resolve(data));
    c.on('error', reject);
  });
}
const utf8 = (t) => Buffer.from(t, 'latin1').toString('utf8');

test('finding 9: the 404 page\'s language links never point off-site', async () => {
  for (const p of ['//evil.example/x', '/\\evil.example/x', '//evil.example/x?a=1']) {
    const r = await rawAll(`GET ${p} HTTP/1.1\r\nHost: x\r\nCookie: lang=zh\r\nConnection: close\r\n\r\n`);
    assert.match(r, /^HTTP\/1\.1 404 /, p);
    assert.ok(!/href="[^"]*evil/.test(r), `${p}: ${r.slice(-600)}`);
    assert.match(r, /<a href="\/\?lang=en"/);
  }
  const page = await s.api('GET', '/items?lang=zh', { headers: { Cookie: 'luoshi_session=' } });
  assert.equal(page.status, 303, 'a routed page keeps its own links (behind the login)');
});

test('finding 9: a path or Host that is not UTF-8 is 400 with an error body', async () => {
  let r = await rawAll('GET /api/v1/items/%ff HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  assert.match(r, /^HTTP\/1\.1 400 /);
  // the message in Chinese by default (core/errtext.c), the English one as its detail
  assert.match(utf8(r), /\r\n\r\n\{"error":\{"code":"invalid_utf8","message":"内容含有无效的字符（须为 UTF-8 编码）。","detail":"the path is not valid UTF-8 at byte 14"\}\}$/);
  r = await rawAll('GET /items/%C3%28 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  assert.match(r, /^HTTP\/1\.1 400 /);
  assert.match(utf8(r), /内容含有无效的字符（须为 UTF-8 编码）。/); // a page: in its reader's language
  r = await rawAll('GET /healthz HTTP/1.1\r\nHost: \xff\xfeexample\r\nConnection: close\r\n\r\n');
  assert.match(r, /^HTTP\/1\.1 400 /);
  assert.match(r, /"code":"invalid_utf8","message":"[^"]+","detail":"the Host header is not valid UTF-8"/);
});

test('finding 9: HTTP/1.1 without Host is 400; HTTP/1.0 needs none', async () => {
  let r = await rawAll('GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n');
  assert.match(r, /^HTTP\/1\.1 400 /);
  assert.match(r, /"code":"missing_host"/);
  r = await rawAll('GET /healthz HTTP/1.0\r\n\r\n');
  assert.match(r, /^HTTP\/1\.[01] 200 /);
});

test('finding 9: 405 names the allowed methods', async () => {
  let r = await s.api('DELETE', '/api/v1/items', { token: sup });
  assert.equal(r.status, 405);
  assert.equal(r.headers.get('allow'), 'GET, HEAD, POST');
  r = await s.api('PUT', '/api/v1/session', {});
  assert.equal(r.status, 405);
  assert.equal(r.headers.get('allow'), 'DELETE, POST');
});

test('finding 9: Open311 discovery names the configured address, never the Host header', async () => {
  const r = await rawAll('GET /open311/v2/discovery.json HTTP/1.1\r\nHost: evil.example\r\nX-Forwarded-Proto: https\r\nConnection: close\r\n\r\n');
  assert.match(r, /^HTTP\/1\.1 200 /);
  assert.ok(r.includes(`"url":"${s.url}/open311/v2"`), r.slice(-400));
  assert.ok(!r.includes('evil'));
  const t = await startServer({ demo: false, serveArgs: ['--public-url', 'https://duban.example.gov.cn'] });
  try {
    const d = await t.api('GET', '/open311/v2/discovery.json', { headers: { Host: 'evil.example' } });
    assert.equal(d.json.endpoints[0].url, 'https://duban.example.gov.cn/open311/v2');
  } finally {
    assert.equal(await t.stop(), 0);
  }
});

// A PNG header declaring width x height (the rest of a 1x1 PNG after it).
function png(width, height) {
  const p = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
  p.writeUInt32BE(width, 16);
  p.writeUInt32BE(height, 20);
  return p;
}
// A JPEG whose first frame header (SOF0) declares width x height.
function jpeg(width, height) {
  return Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0,
    0xff, 0xc0, 0, 11, 8, height >> 8, height & 255, width >> 8, width & 255, 1, 1, 0x11, 0,
    0xff, 0xda, 0, 8, 1, 1, 0, 0, 0x3f, 0, 0xff, 0xd9]);
}

test('finding 9: photos: dimensions above the limit are 422, an invisible hazard is 404, nothing private is cached', async () => {
  const grid = await s.login('grid');
  const yjj = await s.login('yjj');
  const h = await s.api('POST', '/api/v1/hazards', { token: grid, body: { category: 'other', description: '井盖缺失', address: '东城 人民路' } });
  assert.equal(h.status, 201, h.text);
  const up = (token, body, type, phase = 'report') => fetch(`${s.url}/api/v1/items/${h.json.id}/photos?phase=${phase}`,
    { method: 'POST', headers: { Authorization: 'Bearer ' + token, 'Content-Type': type }, body });
  for (const [w, hgt] of [[65536, 65536], [12001, 10], [10, 12001], [10000, 5001]]) {
    for (const [body, type] of [[png(w, hgt), 'image/png'], [jpeg(Math.min(w, 65535), Math.min(hgt, 65535)), 'image/jpeg']]) {
      const r = await up(grid, body, type);
      assert.equal(r.status, 422, `${type} ${w}x${hgt}`);
      assert.equal((await r.json()).error.code, 'invalid_photo');
    }
  }
  let r = await up(grid, png(12000, 4000), 'image/png');
  assert.equal(r.status, 201);
  r = await up(grid, jpeg(4000, 3000), 'image/jpeg');
  assert.equal(r.status, 201);
  const url = (await r.json()).url;
  // the handler cannot see the office's draft: 404, not 403
  r = await up(yjj, png(1, 1), 'image/png', 'after');
  assert.equal(r.status, 404);
  assert.equal((await r.json()).error.code, 'not_found');
  // private answers are never stored: the photo, an API answer, a page after login
  const p = await fetch(s.url + url, { headers: { Authorization: 'Bearer ' + grid } });
  assert.equal(p.status, 200);
  assert.equal(p.headers.get('cache-control'), 'no-store');
  const a = await s.api('GET', '/api/v1/me', { token: grid });
  assert.equal(a.headers.get('cache-control'), 'no-store');
});

test('finding 9: a negative metric target is 422', async () => {
  for (const target of [-1, -0.5, -1e9, 1e13]) {
    const r = await s.api('POST', '/api/v1/items', { token: sup, body: { kind: 'task', title: '负目标', metric: { target, unit: '亩' } } });
    assert.equal(r.status, 422, String(target));
    assert.equal(r.json.error.code, 'invalid_field');
  }
  const r = await s.api('POST', '/api/v1/items', { token: sup, body: { kind: 'task', title: '零目标', metric: { target: 0, unit: '%' } } });
  assert.equal(r.status, 201);
});

test('finding 9: passwords are held to libpwquality, and users change their own (API and page)', async () => {
  const add = (name, pw) => s.cli(['user', 'add', '--username', name, '--unit', 'yjj', '--role', 'handler', '--password-stdin'], { input: pw + '\n' });
  for (const weak of ['password', '12345678', 'qwertyuiop']) {
    const r = add('weakling', weak);
    assert.equal(r.status, 2, weak);
    assert.match(r.stderr, /^luoshi user add: The password /, weak);
  }
  assert.equal(add('changer', 'old horse battery staple').status, 0);
  let tok = await s.login('changer', 'old horse battery staple');
  const change = (body, headers = {}) => s.api('POST', '/api/v1/me/password', { token: tok, body, headers });
  let r = await change({ current_password: 'old horse battery staple', new_password: '12345678' });
  assert.equal(r.status, 422);
  assert.deepEqual(r.json.error, { code: 'weak_password', message: '密码太简单或太有规律（如 12345678）。' });
  r = await change({ current_password: 'old horse battery staple', new_password: 'password' }, { 'Accept-Language': 'en' });
  assert.deepEqual(r.json.error, { code: 'weak_password', message: 'The password is based on a dictionary word: too easy to guess.' });
  r = await change({ current_password: 'not it at all', new_password: 'new violet quarry lamp' });
  assert.equal(r.status, 403);
  assert.equal(r.json.error.code, 'wrong_password');
  r = await change({ current_password: 'old horse battery staple' });
  assert.equal(r.status, 422);
  r = await change({ current_password: 'old horse battery staple', new_password: 'new violet quarry lamp' });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, { changed: true, sessions_revoked: true });
  assert.equal((await s.api('GET', '/api/v1/me', { token: tok })).status, 401, 'the old token is revoked');
  r = await s.api('POST', '/api/v1/session', { body: { username: 'changer', password: 'old horse battery staple' } });
  assert.equal(r.status, 401);
  tok = await s.login('changer', 'new violet quarry lamp');
  // the page: CSRF, the current password, the policy in the page's words
  const login = await fetch(s.url + '/login', { method: 'POST', redirect: 'manual',
    body: new URLSearchParams({ username: 'changer', password: 'new violet quarry lamp' }).toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  const cookie = login.headers.get('set-cookie').split(';')[0];
  const form = await (await fetch(s.url + '/account/password', { headers: { Cookie: cookie } })).text();
  const csrf = form.match(/name="csrf" value="([0-9a-f]{64})"/)[1];
  assert.match(form, /name="current_password"/);
  const post = (fields) => fetch(s.url + '/account/password', { method: 'POST', redirect: 'manual',
    headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString() });
  let p = await post({ current_password: 'new violet quarry lamp', new_password: 'third kettle orbit', new_password2: 'third kettle orbit' });
  assert.equal(p.status, 403, 'no CSRF token');
  p = await post({ csrf, current_password: 'new violet quarry lamp', new_password: 'abcdefgh', new_password2: 'abcdefgh' });
  assert.equal(p.status, 422);
  assert.match(await p.text(), /密码太简单或太有规律/);
  p = await post({ csrf, current_password: 'new violet quarry lamp', new_password: 'third kettle orbit', new_password2: 'third kettle orbt' });
  assert.equal(p.status, 422);
  assert.match(await p.text(), /两次输入的新密码不一致/);
  p = await post({ csrf, current_password: 'new violet quarry lamp', new_password: 'third kettle orbit', new_password2: 'third kettle orbit' });
  assert.equal(p.status, 200);
  assert.match(p.headers.get('set-cookie'), /^luoshi_session=; Max-Age=0/);
  assert.match(await p.text(), /密码已修改/);
  assert.equal((await fetch(s.url + '/api/v1/me', { headers: { Cookie: cookie } })).status, 401);
  assert.equal((await s.api('GET', '/api/v1/me', { token: tok })).status, 401, 'every session ends');
  await s.login('changer', 'third kettle orbit');
});
