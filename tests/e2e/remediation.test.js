// End-to-end tests of the remediation of low-efficiency industrial land (低效用地整治,
// docs/remediation.md) over the API and the pages: creating one for an enterprise (its town
// leads by default, the land in 亩 is its metric), the refusals that leave the database as it
// was, the plan action, feedback of the 亩 done and the figures by town, one per enterprise
// and evaluation year, who sees what, and luoshi verify over the kind's row.
// The server's clock is fixed at 2025-04-01 (LUOSHI_NOW).
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('../lib/server.js');

let s, sup, leader, qiye, dcH, gsH, yjj, units;
const PW = 'Heron-Lake-7731';

function must(r, status, what) {
  assert.equal(r.status, status, `${what}: ${r.status} ${r.text}`);
  return r.json;
}

function act(token, id, body) {
  return s.api('POST', `/api/v1/items/${id}/actions`, { token, body });
}

function create(body) {
  return s.api('POST', '/api/v1/items', { token: sup, body: { kind: 'remediation', ...body } });
}

async function count() {
  return must(await s.api('GET', '/api/v1/items?kind=remediation', { token: sup }), 200, 'list').total;
}

before(async () => {
  s = await startServer({ env: { LUOSHI_NOW: '2025-04-01' } });
  for (const [name, unit] of [['dch', 'dc'], ['gsh', 'gs']]) {
    const r = s.cli(['user', 'add', '--username', name, '--unit', unit, '--role', 'handler',
      '--password-stdin'], { input: PW + '\n' });
    assert.equal(r.status, 0, r.stderr);
  }
  [sup, leader, qiye, yjj] = await Promise.all(['supervisor', 'leader', 'qiye', 'yjj'].map((u) => s.login(u)));
  dcH = await s.login('dch', PW);
  gsH = await s.login('gsh', PW);
  const list = await s.api('GET', '/api/v1/units', { token: sup });
  units = Object.fromEntries(list.json.units.map((u) => [u.code, u.id]));
});
after(async () => {
  const code = await s.stop();
  assert.equal(code, 0, 'the server stops cleanly on SIGTERM\n' + s.log().slice(-3000));
});

test('bad remediations are refused with what was wrong, and nothing is stored', async () => {
  const before = await count();
  const cases = [
    [{ title: 't', metric: { target: 5 } }, 422, 'missing_field', 'enterprise_unit_id'],
    [{ title: 't', enterprise_unit_id: units.jxj, metric: { target: 5 } }, 422, 'invalid_field', 'not an enterprise'],
    [{ title: 't', enterprise_unit_id: 999999, metric: { target: 5 } }, 422, 'invalid_field', 'no unit'],
    [{ title: 't', enterprise_unit_id: units.qmgm }, 422, 'missing_field', 'metric'],
    [{ title: 't', enterprise_unit_id: units.qmgm, metric: { target: 5, unit: '平方米' } }, 422, 'invalid_field', '亩'],
    [{ title: 't', enterprise_unit_id: units.qmgm, metric: { target: 5 }, mode: 'sell' }, 422, 'invalid_field', 'mode'],
    [{ title: 't', enterprise_unit_id: units.qmgm, metric: { target: 5 }, class: 'B' }, 422, 'invalid_field', 'class'],
    [{ title: 't', enterprise_unit_id: units.qmgm, metric: { target: 5 }, year: 1999 }, 422, 'invalid_field', 'year'],
    [{ title: 't', enterprise_unit_id: '12', metric: { target: 5 } }, 422, 'invalid_field', 'enterprise_unit_id'],
  ];
  for (const [body, status, code, word] of cases) {
    const r = await create(body);
    assert.equal(r.status, status, JSON.stringify(body) + ' ' + r.text);
    assert.equal(r.json.error.code, code, JSON.stringify(body));
    assert.ok(r.json.error.detail.includes(word), `${r.json.error.detail} names ${word}`);
  }
  // only the office creates them
  const r = await s.api('POST', '/api/v1/items', { token: dcH, body: {
    kind: 'remediation', title: 't', enterprise_unit_id: units.qmgm, metric: { target: 5 } } });
  assert.equal(r.status, 403, r.text);
  assert.equal(await count(), before);
});

let qm, dl;

test('the office opens one: the town leads, the land is the metric in 亩, the town plans and reports', async () => {
  const it = must(await create({ title: '青沐工贸低效用地整治', enterprise_unit_id: units.qmgm,
    metric: { target: 12.5 }, mode: 'reclaim' }), 201, 'create');
  qm = it.id;
  assert.equal(it.lead_unit_id, units.dc, 'the enterprise\'s town leads');
  assert.deepEqual(it.metric, { target: 12.5, unit: '亩', value: null });
  assert.deepEqual(it.remediation, { enterprise_unit_id: units.qmgm, enterprise_code: 'qmgm',
    enterprise: '青沐工贸有限公司', year: null, class: null, mode: 'reclaim', plan: '' });
  assert.equal(it.status, 'draft');
  assert.ok(it.allowed_actions.includes('plan'));

  must(await act(sup, qm, { action: 'assign', lead_unit_id: units.dc, deadline: '2025-12-31' }), 200, 'assign');
  must(await act(dcH, qm, { action: 'accept' }), 200, 'accept');
  const p = must(await act(dcH, qm, { action: 'plan', mode: 'upgrade',
    plan: '一企一方案：腾退闲置厂房 8 亩，其余提升改造' }), 200, 'plan');
  assert.deepEqual([p.remediation.mode, p.remediation.plan], ['upgrade', '一企一方案：腾退闲置厂房 8 亩，其余提升改造']);
  let r = await act(dcH, qm, { action: 'plan' });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.code, 'missing_field');
  r = await act(dcH, qm, { action: 'plan', mode: 'sell' });
  assert.equal(r.status, 422);
  r = await act(yjj, qm, { action: 'plan', plan: '别的单位' });
  assert.equal(r.status, 403, 'a unit with no part in it cannot plan: ' + r.text);
  must(await act(dcH, qm, { action: 'feedback', text: '已腾退 5 亩', progress: 40, value: 5 }), 200, 'feedback');

  dl = must(await create({ title: '东立电器低效用地整治', enterprise_unit_id: units.dldq,
    metric: { target: 3, unit: '亩' }, year: 2024, class: 'D' }), 201, 'create dldq').id;
  r = await create({ title: '重复', enterprise_unit_id: units.dldq, metric: { target: 3 }, year: 2024, class: 'C' });
  assert.equal(r.status, 409, r.text);
  assert.equal(r.json.error.code, 'remediation_exists');
  must(await create({ title: '东立电器（2023）', enterprise_unit_id: units.dldq, metric: { target: 1 },
    year: 2023, class: 'C' }), 201, 'another year');
  must(await act(sup, dl, { action: 'assign', lead_unit_id: units.gs, deadline: '2025-10-31' }), 200, 'assign dl');
  must(await act(gsH, dl, { action: 'accept' }), 200, 'accept dl');
  must(await act(gsH, dl, { action: 'feedback', text: '超额完成', progress: 100, value: 4 }), 200, 'feedback dl');
  must(await act(gsH, dl, { action: 'submit', text: '已收回土地' }), 200, 'submit dl');
  must(await act(sup, dl, { action: 'verify' }), 200, 'verify dl');
});

test('the figures by town: items, done, 亩 to remediate and done (capped at the target)', async () => {
  const v = must(await s.api('GET', '/api/v1/remediations/summary', { token: leader }), 200, 'summary');
  assert.deepEqual(v, {
    year: null,
    towns: [
      { unit_id: units.dc, code: 'dc', name: '东城街道', items: 1, done: 0, target_mu: 12.5, done_mu: 5 },
      { unit_id: units.gs, code: 'gs', name: '古山镇', items: 2, done: 1, target_mu: 4, done_mu: 3 },
    ],
    total: { items: 3, done: 1, target_mu: 16.5, done_mu: 8 },
  });
  const y = must(await s.api('GET', '/api/v1/remediations/summary?year=2024', { token: sup }), 200, 'year');
  assert.deepEqual(y.towns.map((t) => [t.code, t.items, t.target_mu, t.done_mu]), [['gs', 1, 3, 3]]);
  assert.equal(y.year, 2024);
  let r = await s.api('GET', '/api/v1/remediations/summary?year=20x4', { token: sup });
  assert.equal(r.status, 422);
  r = await s.api('GET', '/api/v1/remediations/summary', { token: dcH });
  assert.equal(r.status, 403);
});

test('the notice: 六、低效用地整治情况 as it stood at the cutoff, in JSON, HTML and CSV', async () => {
  const n = must(await s.api('GET', '/api/v1/notices?from=2025-04-01&to=2025-04-01&format=json', { token: sup }), 200, 'notice');
  assert.deepEqual(n.remediation, {
    towns: [
      { unit_id: units.dc, code: 'dc', name: '东城街道', items: 1, done: 0, target_mu: 12.5, done_mu: 5 },
      { unit_id: units.gs, code: 'gs', name: '古山镇', items: 2, done: 1, target_mu: 4, done_mu: 3 },
    ],
    total: { items: 3, done: 1, target_mu: 16.5, done_mu: 8 },
  });
  const unit = must(await s.api('GET', '/api/v1/notices?from=2025-04-01&to=2025-04-01&unit=gs&format=json', { token: sup }), 200, 'unit');
  assert.deepEqual(unit.remediation.total, { items: 2, done: 1, target_mu: 4, done_mu: 3 });
  const before = must(await s.api('GET', '/api/v1/notices?from=2025-03-01&to=2025-03-31&format=json', { token: sup }), 200, 'March');
  assert.equal(before.remediation, null, 'none had been opened by the end of March');
  const html = (await s.api('GET', '/api/v1/notices?from=2025-04-01&to=2025-04-01&format=html', { token: sup })).text;
  assert.ok(html.includes('<h3>六、低效用地整治情况</h3><p>截至本期末，低效用地整治事项3项，已验收1项；整治目标16.50亩，已完成8.00亩。</p>'), html.slice(-3000));
  assert.ok(html.includes('<tr class="total"><td>合计</td><td class="num">3</td><td class="num">1</td><td class="num">16.50</td><td class="num">8.00</td><td class="num">48.5%</td></tr>'), html.match(/<section class="remediation">.*?<\/section>/s)[0]);
  const csv = (await s.api('GET', '/api/v1/notices?from=2025-04-01&to=2025-04-01&format=csv', { token: sup })).text;
  assert.ok(csv.includes('低效用地整治情况\r\n牵头单位,整治事项,已验收,目标(亩),已完成(亩)\r\n东城街道,1,0,12.50,5.00\r\n古山镇,2,1,4.00,3.00\r\n合计,3,1,16.50,8.00\r\n'), csv.slice(-400));
});

test('the enterprise sees its own remediation, read only; no other enterprise does', async () => {
  const it = must(await s.api('GET', `/api/v1/items/${qm}`, { token: qiye }), 200, 'own');
  assert.deepEqual(it.allowed_actions, []);
  assert.equal(it.remediation.enterprise_code, 'qmgm');
  const r = await s.api('GET', `/api/v1/items/${dl}`, { token: qiye });
  assert.equal(r.status, 403);
  const list = must(await s.api('GET', '/api/v1/items?kind=remediation', { token: qiye }), 200, 'list');
  assert.deepEqual(list.items.map((x) => x.id), [qm]);
  const pr = await act(qiye, qm, { action: 'plan', plan: '企业自己改' });
  assert.equal(pr.status, 403);
});

test('the pages: the figures by town, the dashboard tile, the item\'s own fields', async () => {
  const login = await fetch(s.url + '/login', { method: 'POST', redirect: 'manual',
    body: new URLSearchParams({ username: 'supervisor', password: s.logins.supervisor }).toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  const cookie = login.headers.get('set-cookie').split(';')[0];
  const get = async (p) => (await fetch(s.url + p, { headers: { Cookie: cookie } })).text();
  const page = await get('/remediations');
  assert.match(page, /<h1>低效用地整治<\/h1>/);
  assert.match(page, /<a href="\/remediations" class="on" aria-current="page">用地整治<\/a>/, 'in the navigation');
  assert.match(page, /<a href="\/import">分解表导入<\/a>/, 'the import page has its link too');
  assert.match(page, /<a href="\/items\?kind=remediation&amp;unit=\d+">古山镇<\/a><\/th><td>2<\/td><td>1<\/td><td>4\.00<\/td><td>3\.00<\/td><td>75\.0%<\/td>/);
  assert.match(page, /<th scope="row">合计<\/th><td>3<\/td><td>1<\/td><td>16\.50<\/td><td>8\.00<\/td><td>48\.5%<\/td>/);
  const en = await get('/remediations?lang=en');
  assert.match(en, /Low-efficiency land remediation/);
  const home = await get('/dashboard');
  assert.match(home, /class="card remediation-tile"/);
  const item = await get(`/items/${qm}`);
  assert.match(item, /<dt>企业<\/dt><dd>青沐工贸有限公司<\/dd>/);
  assert.match(item, /<dt>整治方式<\/dt><dd>提升改造<\/dd>/);
  assert.match(item, /一企一方案：腾退闲置厂房 8 亩/);
});

test('luoshi verify holds the kind\'s row to its events', () => {
  const r = s.cli(['verify']);
  assert.equal(r.status, 0, r.stdout + r.stderr);
});
