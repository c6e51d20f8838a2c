// Reaching people (issue 14): in-app messages, preferences, and the durable
// outbox delivering to real receivers the test starts on loopback ports — an
// SMTP server that requires a login (tests/lib/sinks.js), an HTTP receiver
// for the signed webhook and one that checks the DingTalk robot's signed URL.
// Mails are read back as a mail client would (headers, the UTF-8 subject, the
// body, the link); webhooks' signatures are checked with node's crypto; a
// receiver that fails is retried with back-off and then gets each message
// once; a server killed with SIGKILL in the middle of a delivery delivers
// every message at least once after its restart; on PostgreSQL two
// instances deliver each message exactly once.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { startServer } = require('../lib/server.js');
const { smtpSink, httpReceiver, until } = require('../lib/sinks.js');

const WEBHOOK_SECRET = 'whsec-测试-0123';
const ROBOT_SECRET = 'SECtest-robot';
const SMTP = { user: 'luoshi', pass: 'p@ss 口令' };

let s, smtp, hook, robot, adm, sup, yjj, units;

function must(r, status, what) {
  assert.equal(r.status, status, `${what}: ${r.status} ${r.text}`);
  return r.json;
}

const hmac = (key, text, enc) => crypto.createHmac('sha256', key).update(text).digest(enc);

// Whether a robot request's URL carries a valid timestamp and sign.
function robotSigned(url) {
  const q = new URL(url, 'http://x').searchParams;
  const ts = q.get('timestamp');
  return !!ts && q.get('access_token') === 'tok' &&
    q.get('sign') === hmac(ROBOT_SECRET, `${ts}\n${ROBOT_SECRET}`, 'base64');
}

// Wait for the server's start-up run of the scheduler (its urges and
// escalations of the demo city reach people too), so a test counts its own.
async function settled(srv) {
  await until(() => /scheduler: \d+ urges/.test(srv.log()), 20000, 'the scheduler\'s first run');
}

// A page as a logged-in user sees it (pages take the session cookie).
async function page(srv, username, path) {
  const r = await fetch(srv.url + '/login', { method: 'POST', redirect: 'manual',
    body: new URLSearchParams({ username, password: srv.logins[username] }).toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  const cookie = r.headers.get('set-cookie').split(';')[0];
  const res = await fetch(srv.url + path, { headers: { Cookie: cookie } });
  assert.equal(res.status, 200, path);
  return res.text();
}

async function channels(body, srv = s, token = adm) {
  return must(await srv.api('POST', '/api/v1/channels', { token, body }), 200, 'channels');
}

before(async () => {
  s = await startServer();
  await settled(s);
  [smtp, hook, robot] = await Promise.all([smtpSink({ auth: SMTP }), httpReceiver(), httpReceiver()]);
  robot.answer = (req) => ({ status: 200,
    body: robotSigned(req.url) ? '{"errcode":0,"errmsg":"ok"}' : '{"errcode":310000,"errmsg":"sign not match"}' });
  adm = await s.login('admin');
  sup = await s.login('supervisor');
  yjj = await s.login('yjj');
  units = Object.fromEntries(must(await s.api('GET', '/api/v1/units', { token: sup }), 200, 'units')
    .units.map((x) => [x.code, x.id]));
  await channels({
    base_url: 'https://ls.city.test/',
    email: { enabled: true, url: smtp.url, sender: 'luoshi@city.test', tls: 'none',
      username: SMTP.user, secret: SMTP.pass },
    webhook: { enabled: true, url: hook.url + '/hooks/luoshi', secret: WEBHOOK_SECRET },
    dingtalk: { enabled: true, url: robot.url + '/robot/send?access_token=tok', secret: ROBOT_SECRET },
  });
  must(await s.api('POST', '/api/v1/settings', { token: adm,
    body: { 'outbox.retry_base_seconds': 1, 'outbox.retry_max_seconds': 2 } }), 200, 'settings');
});

after(async () => {
  await Promise.all([smtp && smtp.close(), hook && hook.close(), robot && robot.close()]);
  if (s) assert.equal(await s.stop(), 0, 'clean stop\n' + s.log().slice(-2000));
});

// A task of 应急管理局, assigned: its handler yjj is told.
async function assigned(title, srv = s, token = sup) {
  const id = must(await srv.api('POST', '/api/v1/items', { token,
    body: { kind: 'task', title, lead_unit_id: units.yjj, deadline: '2030-12-31' } }), 201, 'create').id;
  must(await srv.api('POST', `/api/v1/items/${id}/actions`, { token, body: { action: 'assign' } }), 200, 'assign');
  return id;
}

async function prefs(body, token = yjj, srv = s) {
  return must(await srv.api('POST', '/api/v1/me/prefs', { token, body }), 200, 'prefs');
}

// The outbox row of key, or null (also when it changed status between the
// three reads: callers poll).
async function outboxRow(key, srv = s) {
  for (const status of ['sent', 'pending', 'dead']) {
    const v = must(await srv.api('GET', `/api/v1/outbox?status=${status}&limit=500`, { token: adm }), 200, 'outbox');
    const row = v.rows.find((x) => x.key === key);
    if (row) return row;
  }
  return null;
}

// The newest message of token's user.
async function newest(token) {
  return must(await s.api('GET', '/api/v1/messages?limit=1', { token }), 200, 'messages').messages[0];
}

test('an action reaches the people it concerns in the app; they mark messages read', async () => {
  await prefs({ channels: [] });
  const before = must(await s.api('GET', '/api/v1/messages', { token: yjj }), 200, 'messages').unread_count;
  const id = await assigned('消息测试：整治消防通道');
  const m = await newest(yjj);
  assert.deepEqual({ ...m, id: 0, at: '' }, {
    id: 0, item_id: id, item: { id, title: '消息测试：整治消防通道', status: 'assigned' }, action: 'assign',
    actor: 'supervisor', title: '【新交办】消息测试：整治消防通道', text: '期限：2030-12-31',
    link: `/items/${id}`, at: '', read: false });
  const list = must(await s.api('GET', '/api/v1/messages?unread=1&limit=100', { token: yjj }), 200, 'unread');
  assert.equal(list.unread_count, before + 1);
  assert.ok(list.messages.every((x) => !x.read));
  // the one acting is not told of their own action
  const supTop = await newest(sup);
  assert.ok(!supTop || supTop.item_id !== id);
  // marking: one's own only
  const other = must(await s.api('POST', '/api/v1/messages/read', { token: sup, body: { ids: [m.id] } }), 200, 'other');
  assert.deepEqual(other.marked, 0);
  const mine = must(await s.api('POST', '/api/v1/messages/read', { token: yjj, body: { ids: [m.id] } }), 200, 'read');
  assert.deepEqual(mine, { marked: 1, unread_count: before });
  for (const body of [{}, { ids: [] }, { ids: ['x'] }, { all: false }, { all: true, ids: [1] }])
    assert.equal((await s.api('POST', '/api/v1/messages/read', { token: yjj, body })).status, 422, JSON.stringify(body));
  // the unit returns it: the office is told why
  must(await s.api('POST', `/api/v1/items/${id}/actions`, { token: yjj,
    body: { action: 'return', reason: '应由消防救援大队牵头' } }), 200, 'return');
  const r = await newest(sup);
  assert.deepEqual([r.item_id, r.title, r.text, r.actor], [id, '【被退回】消息测试：整治消防通道', '应由消防救援大队牵头', 'yjj']);
  const all = must(await s.api('POST', '/api/v1/messages/read', { token: yjj, body: { all: true } }), 200, 'all');
  assert.equal(all.unread_count, 0);
});

test('preferences are the caller\'s own and checked', async () => {
  const lead = await s.login('leader');
  assert.deepEqual(must(await s.api('GET', '/api/v1/me/prefs', { token: lead }), 200, 'prefs'),
    { email: '', mobile: '', channels: [], events: '*', quiet_hours: null, digest: false });
  const bad = [
    [{ email: 'nobody' }, 'invalid_field'], [{ channels: ['sms'] }, 'invalid_field'],
    [{ channels: ['email'] }, 'missing_field'], [{ events: ['accept'] }, 'invalid_field'],
    [{ quiet_hours: { start: '22:00' } }, 'invalid_field'], [{ digest: 'yes' }, 'invalid_field'],
    [{ user_id: 1 }, 'unknown_field'], [{}, 'missing_field']];
  for (const [body, code] of bad) {
    const r = await s.api('POST', '/api/v1/me/prefs', { token: lead, body });
    assert.equal(r.status, 422, JSON.stringify(body));
    assert.equal(r.json.error.code, code, JSON.stringify(body));
  }
  assert.deepEqual(await prefs({ email: 'boss@city.test', channels: ['email', 'dingtalk'],
    events: ['escalate', 'instruct'], quiet_hours: { start: '22:30', end: '07:00' }, digest: true }, lead), {
    email: 'boss@city.test', mobile: '', channels: ['email', 'dingtalk'], events: ['escalate', 'instruct'],
    quiet_hours: { start: '22:30', end: '07:00' }, digest: true });
  assert.deepEqual(must(await s.api('GET', '/api/v1/me/prefs', { token: yjj }), 200, 'yjj').email !== 'boss@city.test', true);
});

test('email over SMTP with a login: headers, UTF-8 subject and body, the link; a refused login is retried', async () => {
  await prefs({ email: 'yjj@city.test', channels: ['email'], events: '*' });
  // first the wrong password: the mail waits with the error, then the right one delivers it
  await channels({ email: { secret: 'wrong' } });
  const id = await assigned('邮件测试：燃气管道隐患排查 “第一批” & <检查>');
  const key = `luoshi-m${(await newest(yjj)).id}-email`;
  const failing = await until(async () => { const r = await outboxRow(key); return r && r.attempts >= 1 && r; }, 15000, 'a failed attempt');
  assert.equal(failing.status, 'pending');
  assert.match(failing.last_error, /^smtp: /);
  assert.equal(smtp.mails.length, 0);
  await channels({ email: { secret: SMTP.pass } });
  const mail = await until(() => smtp.mails.find((x) => x.headers['message-id'] === `<${key}@luoshi>`), 15000, 'the mail');
  assert.equal(mail.from, 'luoshi@city.test');
  assert.deepEqual(mail.to, ['yjj@city.test']);
  assert.equal(mail.headers.from, 'luoshi@city.test');
  assert.equal(mail.headers.to, 'yjj@city.test');
  assert.equal(mail.subject, '【新交办】邮件测试：燃气管道隐患排查 “第一批” & <检查>');
  assert.equal(mail.headers['content-type'], 'text/plain; charset=UTF-8');
  assert.equal(mail.headers['x-luoshi-event'], 'assign');
  assert.match(mail.headers.date, /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0800$/);
  assert.equal(mail.body, `【新交办】邮件测试：燃气管道隐患排查 “第一批” & <检查>\r\n期限：2030-12-31\r\n办理：https://ls.city.test/items/${id}`);
  const row = await until(async () => { const r = await outboxRow(key); return r && r.status === 'sent' && r; }, 10000, 'sent');
  assert.ok(row.attempts >= 2);
  assert.equal(row.last_error, '');
  await prefs({ channels: [] });
});

test('the webhook is signed; a failing receiver is retried with back-off and then gets each message once', async () => {
  await prefs({ channels: ['webhook'] });
  const id = await assigned('Webhook 测试');
  await until(() => hook.accepted.size >= 1, 15000, 'the assignment');
  hook.refuse = 3;
  must(await s.api('POST', `/api/v1/items/${id}/actions`, { token: sup, body: { action: 'urge', text: '请于本周内签收' } }), 200, 'urge');
  const key = `luoshi-m${(await newest(yjj)).id}-webhook`;
  const got = await until(() => hook.accepted.get(key), 20000, 'the urge after the failures');
  const tries = hook.requests.filter((x) => x.headers['idempotency-key'] === key);
  assert.deepEqual(tries.map((x) => x.status), [503, 503, 503, 200]);
  const at = tries.map((x) => Number(x.headers['x-luoshi-timestamp']));
  assert.ok(at[2] - at[1] >= 1 && at[3] - at[2] >= 1, `back-off between attempts: ${at}`);
  // the signature: HMAC-SHA256 of "timestamp.body" under the channel's secret
  assert.equal(got.headers['x-luoshi-signature'], 'sha256=' + hmac(WEBHOOK_SECRET, `${got.headers['x-luoshi-timestamp']}.${got.body}`, 'hex'));
  assert.equal(got.headers['content-type'], 'application/json; charset=utf-8');
  assert.equal(got.headers['x-luoshi-event'], 'urge');
  assert.equal(got.url, '/hooks/luoshi');
  const body = JSON.parse(got.body);
  assert.deepEqual({ ...body, at: '', recipient: { ...body.recipient, id: 0 } }, {
    id: key, event: 'urge', at: '', item: { id, link: `https://ls.city.test/items/${id}` },
    recipient: { id: 0, username: 'yjj', name: '应急管理局 陈科长', unit: { code: 'yjj', name: '应急管理局' } },
    title: '【催办】Webhook 测试', text: `【催办】Webhook 测试\n请于本周内签收\n办理：https://ls.city.test/items/${id}`,
    link: `https://ls.city.test/items/${id}` });
  const row = await until(async () => { const r = await outboxRow(key); return r && r.status === 'sent' && r; }, 10000, 'sent');
  assert.equal(row.attempts, 4);
  // no message was accepted twice
  const ok = hook.requests.filter((x) => x.status === 200).map((x) => x.headers['idempotency-key']);
  assert.equal(new Set(ok).size, ok.length);
  await prefs({ channels: [] });
});

test('the DingTalk robot gets a signed URL and markdown; its refusal is recorded and retried', async () => {
  await prefs({ channels: ['dingtalk'], mobile: '13800000000' });
  let refusals = 1;
  robot.answer = (req) => {
    if (!robotSigned(req.url)) return { status: 200, body: '{"errcode":310000,"errmsg":"sign not match"}' };
    if (refusals-- > 0) return { status: 200, body: '{"errcode":130101,"errmsg":"send too fast"}' };
    return { status: 200, body: '{"errcode":0,"errmsg":"ok"}' };
  };
  const id = await assigned('钉钉测试');
  const key = `luoshi-m${(await newest(yjj)).id}-dingtalk`;
  const row = await until(async () => { const r = await outboxRow(key); return r && r.status === 'sent' && r; }, 20000, 'sent');
  assert.equal(row.attempts, 2);
  const sent = robot.requests.filter((x) => x.headers['idempotency-key'] === key);
  assert.equal(sent.length, 2);
  assert.ok(sent.every((x) => robotSigned(x.url)));
  assert.deepEqual(JSON.parse(sent[1].body), {
    msgtype: 'markdown',
    markdown: { title: '【新交办】钉钉测试',
      text: `#### 【新交办】钉钉测试\n\n期限：2030-12-31\n\n[查看事项](https://ls.city.test/items/${id})\n\n@13800000000` },
    at: { atMobiles: ['13800000000'], isAtAll: false } });
  await prefs({ channels: [] });
});

test('admins see pending rows and retry them; quiet hours hold a delivery; secrets never come back', async () => {
  // quiet hours around now (city time): the row waits until they end
  const now = new Date(Date.now() + 8 * 3600e3);
  const hhmm = (d) => d.toISOString().slice(11, 16);
  const end = new Date(now.getTime() + 3600e3);
  await prefs({ channels: ['webhook'], quiet_hours: { start: hhmm(new Date(now.getTime() - 3600e3)), end: hhmm(end) } });
  await assigned('免打扰测试');
  const key = `luoshi-m${(await newest(yjj)).id}-webhook`;
  const held = await outboxRow(key);
  assert.equal(held.status, 'pending');
  assert.equal(held.next_at.slice(11, 16), hhmm(end));
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(hook.requests.filter((x) => x.headers['idempotency-key'] === key).length, 0, 'held');
  // an admin sends it now
  assert.deepEqual(must(await s.api('POST', '/api/v1/outbox/retry', { token: adm, body: { id: held.id } }), 200, 'retry'), { retried: 1 });
  await until(() => hook.accepted.get(key), 10000, 'the held message after the retry');
  const sent = await until(async () => { const r = await outboxRow(key); return r && r.status === 'sent' && r; }, 10000, 'sent');
  const again = await s.api('POST', '/api/v1/outbox/retry', { token: adm, body: { id: sent.id } });
  assert.equal(again.status, 409);
  assert.equal((await s.api('POST', '/api/v1/outbox/retry', { token: adm, body: { id: 999999 } })).status, 404);
  assert.equal((await s.api('POST', '/api/v1/outbox/retry', { token: adm, body: {} })).status, 422);
  assert.deepEqual(must(await s.api('GET', '/api/v1/outbox', { token: adm }), 200, 'outbox').counts, { pending: 0, dead: 0 });
  // the secrets: set, never shown, nor in the configuration chain's history
  const ch = must(await s.api('GET', '/api/v1/channels', { token: adm }), 200, 'channels');
  assert.equal(ch.base_url, 'https://ls.city.test', 'stored without its trailing slash');
  assert.deepEqual(ch.channels.map((c) => [c.name, c.enabled, c.secret_set]),
    [['email', true, true], ['webhook', true, true], ['dingtalk', true, true]]);
  const hist = must(await s.api('GET', '/api/v1/config-history?section=channels&limit=100', { token: adm }), 200, 'history');
  assert.ok(hist.events.length >= 3);
  for (const text of [JSON.stringify(ch), JSON.stringify(hist), await page(s, 'admin', '/admin/channels')])
    for (const secret of [WEBHOOK_SECRET, ROBOT_SECRET, SMTP.pass, 'wrong'])
      assert.ok(!text.includes(secret), 'a secret came back');
  await prefs({ channels: [], quiet_hours: null });
});

test('the command line sets channels and preferences and lists the outbox, never printing a secret', async () => {
  let r = s.cli(['channel', 'set', '--name', 'webhook', '--secret-stdin'], { input: 'cli-秘密-42\n' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'webhook set\n');
  r = s.cli(['channel', 'list']);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(!r.stdout.includes('cli-秘密-42'));
  assert.match(r.stdout, new RegExp(`^base url: https://ls.city.test\nemail     on  ${smtp.url}  \\(secret set\\)\nwebhook   on  ${hook.url}/hooks/luoshi  \\(secret set\\)\n`));
  const history = must(await s.api('GET', '/api/v1/config-history?section=channels&limit=1', { token: adm }), 200, 'history');
  assert.deepEqual([history.events[0].actor.startsWith('cli:'), history.events[0].changed], [true, ['secret']]);
  r = s.cli(['channel', 'set', '--name', 'webhook', '--tls', 'maybe']);
  assert.deepEqual([r.status, r.stderr], [2, "luoshi channel set: 'tls' must be none, try or require\n"]);
  r = s.cli(['channel', 'set', '--name', 'sms', '--enabled', 'no']);
  assert.equal(r.status, 2);
  r = s.cli(['user', 'prefs', '--username', 'jxj', '--channels', 'webhook', '--events', 'urge,escalate', '--quiet', '22:00-07:00']);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { email: '', mobile: '', channels: ['webhook'], events: ['urge', 'escalate'],
    quiet_hours: { start: '22:00', end: '07:00' }, digest: false });
  r = s.cli(['user', 'prefs', '--username', 'nobody']);
  assert.deepEqual([r.status, r.stderr], [2, "luoshi user prefs: no user 'nobody'\n"]);
  r = s.cli(['outbox', 'list', '--status', 'sent', '--json']);
  assert.equal(r.status, 0, r.stderr);
  const sent = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(sent), ['counts', 'rows', 'offset', 'limit']);
  assert.ok(sent.rows.length >= 4 && sent.rows.every((x) => x.status === 'sent'));
  r = s.cli(['outbox', 'retry', '--id', String(sent.rows[0].id)]);
  assert.deepEqual([r.status, r.stderr], [1, `luoshi outbox retry: outbox row ${sent.rows[0].id} was delivered\n`]);
  r = s.cli(['outbox', 'retry', '--dead']);
  assert.deepEqual([r.status, r.stdout], [0, '0 to deliver again\n']);
  must(await s.api('POST', '/api/v1/channels', { token: adm, body: { webhook: { secret: WEBHOOK_SECRET } } }), 200, 'secret back');
});

test('killed with SIGKILL in the middle of a delivery, the restarted server delivers every message at least once', async () => {
  const rec = await httpReceiver();
  const a = await startServer();
  await settled(a);
  const [admA, supA] = [await a.login('admin'), await a.login('supervisor')];
  await channels({ webhook: { enabled: true, url: rec.url + '/h', secret: 'k' } }, a, admA);
  must(await a.api('POST', '/api/v1/me/prefs', { token: await a.login('yjj'), body: { channels: ['webhook'] } }), 200, 'prefs');
  rec.delayMs = 3000; // the first delivery hangs while the server dies
  const ids = [];
  for (let k = 0; k < 6; k++) ids.push(await assigned(`崩溃测试 ${k}`, a, supA));
  await until(() => rec.requests.length >= 1, 15000, 'a delivery under way');
  a.child.kill('SIGKILL');
  await new Promise((r) => a.child.once('exit', r));
  rec.delayMs = 0;
  const b = await startServer({ db: a.db, init: false });
  try {
    const admB = await b.login('admin', a.logins.admin);
    const rows = await until(async () => {
      const v = must(await b.api('GET', '/api/v1/outbox?status=sent&limit=100', { token: admB }), 200, 'sent');
      const pending = must(await b.api('GET', '/api/v1/outbox', { token: admB }), 200, 'pending').counts;
      return v.rows.length === 6 && pending.pending === 0 && v.rows;
    }, 20000, 'every row delivered after the restart');
    for (const row of rows) assert.ok(rec.accepted.has(row.key), `${row.key} was never delivered`);
    assert.equal(rec.accepted.size, 6);
    assert.ok(rec.requests.length >= 6);
  } finally {
    assert.equal(await b.stop(), 0, 'clean stop\n' + b.log().slice(-2000));
    await a.stop();
    await rec.close();
  }
});

test('two instances on one PostgreSQL deliver each message once', { skip: process.env.LUOSHI_TEST_PG ? false : 'PostgreSQL only (make test-pg)' }, async () => {
  const rec = await httpReceiver();
  const a = await startServer();
  await settled(a);
  const b = await startServer({ db: a.db, init: false });
  try {
    const [admA, supA, supB] = [await a.login('admin'), await a.login('supervisor'), await b.login('supervisor', a.logins.supervisor)];
    await channels({ webhook: { enabled: true, url: rec.url + '/h', secret: 'k' } }, a, admA);
    must(await a.api('POST', '/api/v1/me/prefs', { token: await a.login('yjj'), body: { channels: ['webhook'] } }), 200, 'prefs');
    const jobs = [];
    for (let k = 0; k < 20; k++) jobs.push(k % 2 ? assigned(`双实例 ${k}`, b, supB) : assigned(`双实例 ${k}`, a, supA));
    await Promise.all(jobs);
    await until(() => rec.accepted.size === 20, 20000, 'twenty deliveries');
    await new Promise((r) => setTimeout(r, 2500)); // time for a second delivery, were there one
    const keys = rec.requests.map((x) => x.headers['idempotency-key']);
    assert.equal(keys.length, 20, 'each message delivered once');
    assert.equal(new Set(keys).size, 20);
  } finally {
    assert.equal(await b.stop(), 0, 'b stops cleanly\n' + b.log().slice(-2000));
    assert.equal(await a.stop(), 0, 'a stops cleanly\n' + a.log().slice(-2000));
    await rec.close();
  }
});
