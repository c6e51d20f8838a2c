// End-to-end tests of the 亩均效益评价 (issue 21 parts 1-4) against the real binary (SQLite, or
// PostgreSQL with LUOSHI_TEST_PG): the register (a demo enterprise given its credit code and a
// parcel), a year's sheet with every kind of bad row refused whole, the good sheet creating the
// enterprises it does not know, exact scores for a hand-built set on round divisors (one
// enterprise per track, one missing indicator, ties at the A and B thresholds, one flagged mixed
// case), ranks and class counts, who sees what before and after publication, an objection
// accepted and re-scored, the frozen year, finalize's C/D list (after the window, from the CLI,
// and right after publishing when objection_days is 0), the files.  The clock is 2025-04-01.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { startServer, cli } = require('../lib/server.js');

let s, sup, qiye, yjj, units;

function must(r, status, what) {
  assert.equal(r.status, status, `${what}: ${r.status} ${r.text}`);
  return r.json;
}
const sha = (t) => crypto.createHash('sha256').update(Buffer.from(t)).digest('hex');
function upload(year, text, query = '', token = sup) {
  return s.api('POST', `/api/v1/efficiency/${year}/data${query}`,
    { token, raw: Buffer.from(text), headers: { 'Content-Type': 'text/csv' } });
}
const post = (p, body = {}, token = sup) => s.api('POST', p, { token, body });
const get = (p, token = sup) => s.api('GET', p, { token });

const HEAD = 'credit_code,name,town,scale,land_mu,tax_wan,value_added_wan,revenue_wan,employees,energy_tce,emission_t,rd_wan,electricity_mwh\n';
// The codes' check characters by GB 32100-2015 (tests/unit/core/efficiency_test.c works two by hand).
const E = {
  e1: '91330784MA2E00001L', e2: '91330784MA2E00002P', e3: '91330784MA2E00003T', e4: '92330784MA2E00004T',
  e5: '91330784MA2E000051', e6: '91330784MA2E000064', e7: '91330784MA2E000077',
};
const GOOD = HEAD
  + `${E.e1},甲机械,dc,above,10,20,100,100,20,100,1,2,\n`
  + `${E.e2},乙五金,dc,above,10,10,50,100,20,50,,1,\n`
  + `${E.e3},丙塑业,xc,below,5,5,,,,,,,20\n`
  + `${E.e4},丁加工,dc,below,2,1.2,,,,,,,4\n`
  + `${E.e5},青沐工贸有限公司,dc,below,4,2,,,,,,,20\n`
  + `${E.e6},己电器,xc,above,10,16,60,100,20,60,1,2.4,\n`
  + `${E.e7},庚铸造,gs,规下,12,2.4,,,,,,,24\n`;
// Round divisors, so every figure below is worked out by hand.
const CONFIG = {
  above: { divisors: { tax_per_mu: 2, va_per_mu: 10, va_per_energy: 1, va_per_emission: 100, productivity: 5, rd_ratio: 2 } },
  below: { divisors: { tax_per_mu: 1, tax_per_mwh: 0.5 } },
};

before(async () => {
  s = await startServer({ env: { LUOSHI_NOW: '2025-04-01' } });
  [sup, qiye, yjj] = await Promise.all(['supervisor', 'qiye', 'yjj'].map((u) => s.login(u)));
  const r = s.cli(['efficiency', 'register', '--unit', 'qmgm', '--credit-code', E.e5, '--industry', '五金']);
  assert.equal(r.status, 0, r.stderr);
  const p = s.cli(['efficiency', 'parcel', '--unit', 'qmgm', '--number', 'DK-2025-01', '--area', '4', '--use', '工业']);
  assert.equal(p.status, 0, p.stderr);
});
after(async () => {
  assert.equal(await s.stop(), 0, 'the server stops cleanly\n' + s.log().slice(-3000));
});

async function unitIds() {
  const list = must(await get('/api/v1/units'), 200, 'units');
  return Object.fromEntries(list.units.map((u) => [u.code, u.id]));
}

test('the register: a bad check character is refused; the enterprise shows its code and parcels', () => {
  const bad = s.cli(['efficiency', 'register', '--unit', 'qmgm', '--credit-code', '91330784MA2E000052']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /is not a 统一社会信用代码/);
  const town = s.cli(['efficiency', 'register', '--unit', 'dc', '--credit-code', E.e1]);
  assert.equal(town.status, 2);
  assert.match(town.stderr, /unit 'dc' is a town, not an enterprise/);
  const r = s.cli(['efficiency', 'enterprise', '--unit', 'qmgm']);
  assert.equal(r.status, 0, r.stderr);
  const v = JSON.parse(r.stdout);
  assert.deepEqual([v.code, v.credit_code, v.industry, v.parcel_mu, v.parcels],
    ['qmgm', E.e5, '五金', 4, [{ number: 'DK-2025-01', area_mu: 4, use: '工业' }]]);
});

test('a sheet with every kind of bad row is refused whole, each problem by row and column', async () => {
  const bad = HEAD
    + `${E.e1},甲机械,nowhere,above,10,20,100,100,20,100,1,2,\n`
    + '91330784MA2E00002X,乙五金,dc,above,10,10,50,100,20,50,,1,\n'
    + `${E.e3},丙塑业,xc,below,-5,5,,,,,,,20\n`
    + `${E.e4},丁加工,dc,below,2,一点二,,,,,,,4\n`
    + `${E.e3},戊,dc,below,2,1,,,,,,,4\n`
    + `${E.e6},,xc,middle,10,16,60,100,20,60,1,-1,\n`;
  const want = [
    { row: 2, column: 'town', code: 'unknown_town', value: 'nowhere' },
    { row: 3, column: 'credit_code', code: 'bad_credit_code', value: '91330784MA2E00002X' },
    { row: 4, column: 'land_mu', code: 'negative_land', value: '-5' },
    { row: 5, column: 'tax_wan', code: 'not_a_number', value: '一点二' },
    { row: 6, column: 'credit_code', code: 'duplicate_credit_code', value: E.e3 },
    { row: 7, column: 'name', code: 'missing_field', value: '' },
    { row: 7, column: 'scale', code: 'bad_scale', value: 'middle' },
    { row: 7, column: 'rd_wan', code: 'negative_value', value: '-1' },
  ];
  const before_ = await unitIds();
  const dry = must(await upload(2025, bad, '?dry_run=1'), 200, 'dry run');
  assert.deepEqual(dry.problems, want);
  assert.equal(dry.dry_run, true);
  const r = await upload(2025, bad);
  assert.equal(r.status, 422, r.text);
  assert.equal(r.json.error.code, 'efficiency_data_invalid');
  assert.deepEqual(r.json.error.problems, want);
  assert.deepEqual(await unitIds(), before_, 'no enterprise was created');
  const res = must(await get('/api/v1/efficiency/2025/results'), 200, 'results');
  assert.deepEqual([res.state, res.results, res.totals], ['open', [], { A: 0, B: 0, C: 0, D: 0 }]);
  const none = await post('/api/v1/efficiency/2025/evaluate');
  assert.equal(none.status, 422);
  assert.equal(none.json.error.code, 'efficiency_no_data');
  // not a sheet at all
  const nohead = await upload(2025, 'a,b\n1,2\n');
  assert.equal(nohead.json.error.code, 'efficiency_no_header');
});

// Scores by hand (round divisors; points = value / divisor × weight):
//  甲 above: tax 20/10=2 → 30; va 100/10=10 → 20; va/energy 1 → 20; va/emission 100 → 10;
//     va/staff 5 → 10; rd 2/100 = 2 % → 10: 100, A
//  己 above: 1.6 → 24; 6 → 12; 1 → 20; 60 → 6; 3 → 6; 2.4 % → 12: exactly 80, A (a tie at A)
//  乙 above, no emission: 1 → 15; 5 → 10; 1 → 20; missing → 0; 2.5 → 5; 1 % → 5: 55, C
//  丙 below (5 亩): 1 → 50; 5/20 = 0.25 → 25: 75, B
//  丁 below_small (2 亩, below's config): 0.6 → 30; 0.3 → 30: exactly 60, B (a tie at B)
//  青沐 below (4 亩): 0.5 → 25; 0.1 → 10: 35, D
//  庚 below on 12 亩 (flagged large_below): 0.2 → 10; 0.1 → 10: 20, D
const ROWS = {
  [E.e1]: ['甲机械', 'dc', 'above', 10, 100, 'A', 1, 1, [30, 20, 20, 10, 10, 10], [], []],
  [E.e6]: ['己电器', 'xc', 'above', 10, 80, 'A', 1, 2, [24, 12, 20, 6, 6, 12], [], []],
  [E.e3]: ['丙塑业', 'xc', 'below', 5, 75, 'B', 1, 1, [50, 25], [], []],
  [E.e4]: ['丁加工', 'dc', 'below_small', 2, 60, 'B', 1, 1, [30, 30], [], []],
  [E.e2]: ['乙五金', 'dc', 'above', 10, 55, 'C', 2, 3, [15, 10, 20, 0, 5, 5], ['va_per_emission'], ['missing_input']],
  [E.e5]: ['青沐工贸有限公司', 'dc', 'below', 4, 35, 'D', 1, 2, [25, 10], [], []],
  [E.e7]: ['庚铸造', 'gs', 'below', 12, 20, 'D', 1, 3, [10, 10], [], ['large_below']],
};
function shape(r) {
  return [r.name, r.town_code, r.track, r.land_mu, r.score, r.class, r.rank_town, r.rank_city,
    Object.values(r.indicators).map((i) => i.points), r.missing, r.flags];
}

test('the year: config, the good sheet, evaluate with exact scores, ranks and class counts', async () => {
  const c = must(await post('/api/v1/efficiency/2025/config', CONFIG), 200, 'config');
  assert.deepEqual(c.config.classes, { A: 80, B: 60, C: 40 });
  assert.equal(c.config.objection_days, 7);
  assert.deepEqual(c.config.above.weights, { tax_per_mu: 30, va_per_mu: 20, va_per_energy: 20, va_per_emission: 10, productivity: 10, rd_ratio: 10 });
  assert.equal(c.config.below_small, undefined, 'below_small takes below\'s config');
  const bad = await post('/api/v1/efficiency/2025/config', { above: { weights: { tax_per_mwh: 1 } } });
  assert.equal(bad.status, 422);
  const dry = must(await upload(2025, GOOD, '?dry_run=1'), 200, 'dry run');
  assert.deepEqual(dry, { dry_run: true, rows: 7, tracks: { above: 3, below: 3, below_small: 1 }, mixed: 1,
    new_enterprises: 6, sha256: sha(GOOD), problems: [] });
  const stored = must(await upload(2025, GOOD), 201, 'upload');
  assert.equal(stored.dry_run, false);
  units = await unitIds();
  assert.equal(units[E.e1] > 0, true, 'an unknown credit code created its enterprise');
  assert.equal(units[E.e5], undefined, 'a registered one kept its unit (qmgm)');
  const evr = await post('/api/v1/efficiency/2025/evaluate');
  const ev = must(evr, 200, 'evaluate');
  assert.equal(ev.state, 'evaluated');
  // the read writes its JSON by hand: byte for byte what the step's reply (jansson) wrote
  assert.equal((await get('/api/v1/efficiency/2025/results')).text, evr.text);
  assert.deepEqual(ev.results.map((r) => r.credit_code), [E.e1, E.e6, E.e3, E.e4, E.e2, E.e5, E.e7]);
  for (const r of ev.results) assert.deepEqual(shape(r), ROWS[r.credit_code], r.credit_code);
  const e2 = ev.results.find((r) => r.credit_code === E.e2);
  assert.deepEqual(e2.indicators.va_per_emission, { value: null, divisor: 100, weight: 10, points: 0, missing: true });
  assert.deepEqual(e2.indicators.rd_ratio, { value: 1, divisor: 2, weight: 10, points: 5, missing: false });
  assert.equal(ev.results.find((r) => r.credit_code === E.e5).enterprise_unit_id, units.qmgm);
  assert.equal(ev.results.find((r) => r.credit_code === E.e1).label, '重点扶持');
  assert.deepEqual(ev.class_counts.map((t) => [t.town_code, t.A, t.B, t.C, t.D]),
    [['dc', 1, 1, 1, 1], ['gs', 0, 0, 0, 1], ['xc', 1, 1, 0, 0]]);
  assert.deepEqual(ev.totals, { A: 2, B: 2, C: 1, D: 2 });
  // before publication an enterprise sees nothing
  const mine = must(await get('/api/v1/efficiency/2025/results', qiye), 200, 'qiye before');
  assert.deepEqual(mine.results, []);
});

test('the files: CSV and XLSX of the results', async () => {
  const r = await fetch(s.url + '/api/v1/efficiency/2025/results?format=csv', { headers: { Authorization: 'Bearer ' + sup } });
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-disposition'), 'attachment; filename="efficiency-2025.csv"');
  const lines = (await r.text()).replace(/^\ufeff/, '').split('\r\n');
  assert.equal(lines[0], '市排名,镇街排名,统一社会信用代码,企业名称,镇街,组别,用地面积（亩）,得分,类别,政策,亩均税收,亩均增加值,单位能耗增加值,单位排放增加值,全员劳动生产率,研发经费占比,单位电耗税收');
  assert.equal(lines[1], `1,1,${E.e1},甲机械,东城街道,规上,10,100.00,A,重点扶持,30.00,20.00,20.00,10.00,10.00,10.00,`);
  assert.equal(lines[4], `1,1,${E.e4},丁加工,东城街道,规下（3亩以下）,2,60.00,B,鼓励提升,30.00,,,,,,30.00`);
  const x = await fetch(s.url + '/api/v1/efficiency/2025/results?format=xlsx', { headers: { Authorization: 'Bearer ' + sup } });
  assert.equal(x.status, 200);
  assert.equal(x.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  assert.equal(x.headers.get('content-disposition'), 'attachment; filename="efficiency-2025.xlsx"');
  assert.equal(Buffer.from(await x.arrayBuffer()).subarray(0, 2).toString(), 'PK');
});

test('publish freezes the config and the data; an enterprise sees only its own result', async () => {
  const pr = await post('/api/v1/efficiency/2025/publish');
  const p = must(pr, 200, 'publish');
  assert.equal(p.state, 'published');
  assert.equal((await get('/api/v1/efficiency/2025/results')).text, pr.text);
  assert.match(p.objections_until, /^2025-04-08T12:00:00/);
  for (const r of [await post('/api/v1/efficiency/2025/config', { objection_days: 3 }), await upload(2025, GOOD)]) {
    assert.equal(r.status, 409, r.text);
    assert.equal(r.json.error.code, 'efficiency_frozen');
  }
  assert.equal((await post('/api/v1/efficiency/2025/publish')).json.error.code, 'efficiency_state');
  const mine = must(await get('/api/v1/efficiency/2025/results', qiye), 200, 'qiye');
  assert.deepEqual(mine.results.map((r) => [r.credit_code, r.score, r.class]), [[E.e5, 35, 'D']]);
  assert.deepEqual([mine.class_counts, mine.totals], [[], { A: 0, B: 0, C: 0, D: 0 }]);
  const other = must(await get('/api/v1/efficiency/2025/results', yjj), 200, 'a bureau');
  assert.deepEqual(other.results, []);
  const cfg = await get('/api/v1/efficiency/2025/config', qiye);
  assert.equal(cfg.status, 403);
});

test('an objection accepted with corrected data is re-scored and recorded; finalize waits for the window', async () => {
  const o = must(await post('/api/v1/efficiency/2025/objections', { text: '用电量统计有误，附供电公司证明', attachment_ids: [] }, qiye), 201, 'objection');
  const again = await post('/api/v1/efficiency/2025/objections', { text: '再次' }, qiye);
  assert.equal(again.json.error.code, 'efficiency_objection_pending');
  const stranger = await post('/api/v1/efficiency/2025/objections', { text: '不是企业' }, yjj);
  assert.equal(stranger.status, 403);
  const list = must(await get('/api/v1/efficiency/2025/objections', yjj), 200, 'a bureau\'s list');
  assert.deepEqual(list.objections, []);
  const early = cli(['efficiency', 'finalize', '--year', '2025', '--db', s.db],
    { env: { ...process.env, LUOSHI_NOW: '2025-04-09' } });
  assert.equal(early.status, 2, 'past the window, a pending objection still holds finalize');
  assert.match(early.stderr, /1 objection\(s\) wait for a decision/);
  const d = must(await post(`/api/v1/efficiency/objections/${o.id}`,
    { decision: 'accept', reason: '核实供电公司数据', data: { electricity_mwh: 10 } }), 200, 'accept');
  assert.deepEqual([d.status, d.decision_reason, d.correction], ['accepted', '核实供电公司数据', { electricity_mwh: 10 }]);
  const twice = await post(`/api/v1/efficiency/objections/${o.id}`, { decision: 'reject', reason: 'x' });
  assert.equal(twice.json.error.code, 'objection_decided');
  // 2/10 = 0.2 per MWh → 0.2/0.5 × 50 = 20, with 25 for the tax per 亩: 45, C
  const mine = must(await get('/api/v1/efficiency/2025/results', qiye), 200, 'qiye');
  assert.deepEqual(mine.results.map((r) => [r.score, r.class, r.indicators.tax_per_mwh.points]), [[45, 'C', 20]]);
  const all = must(await get('/api/v1/efficiency/2025/results'), 200, 'all');
  assert.deepEqual(all.totals, { A: 2, B: 2, C: 2, D: 1 });
  const win = await post('/api/v1/efficiency/2025/finalize');
  assert.equal(win.status, 409);
  assert.equal(win.json.error.code, 'objection_window_open');
});

test('finalize after the window (the CLI, a week on): the C and D enterprises, then frozen', async () => {
  const env = { ...process.env, LUOSHI_NOW: '2025-04-09' };
  const r = cli(['efficiency', 'finalize', '--year', '2025', '--db', s.db], { env });
  assert.equal(r.status, 0, r.stderr);
  const v = JSON.parse(r.stdout);
  assert.equal(v.state, 'final');
  assert.deepEqual(v.remediation.map(({ item_id, ...x }) => x), [
    { enterprise_unit_id: units[E.e2], town_unit_id: units.dc, land_mu: 10, class: 'C' },
    { enterprise_unit_id: units.qmgm, town_unit_id: units.dc, land_mu: 4, class: 'C' },
    { enterprise_unit_id: units[E.e7], town_unit_id: units.gs, land_mu: 12, class: 'D' },
  ]);
  // finalize opened one remediation (低效用地整治) for each: led by its town, its land the target
  // in 亩, the economy and natural-resources bureaus cooperating, assigned for a year from today
  for (const m of v.remediation) {
    const it = must(await get(`/api/v1/items/${m.item_id}`), 200, 'remediation');
    assert.deepEqual([it.kind, it.status, it.source, it.lead_unit_id, it.deadline, it.feedback_cycle,
      it.metric, [...it.co_unit_ids].sort((a, b) => a - b)],
    ['remediation', 'assigned', 'evaluation', m.town_unit_id, '2026-04-09', 'monthly',
      { target: m.land_mu, unit: '亩', value: null }, [units.jxj, units.zgj].sort((a, b) => a - b)]);
    assert.deepEqual([it.remediation.enterprise_unit_id, it.remediation.year, it.remediation.class],
      [m.enterprise_unit_id, 2025, m.class]);
    assert.match(it.title, /^2025年度低效用地整治：.+（[CD]类）$/);
  }
  const sum = must(await get('/api/v1/remediations/summary?year=2025'), 200, 'summary');
  assert.deepEqual(sum.towns.map((t) => [t.code, t.items, t.target_mu]), [['dc', 2, 14], ['gs', 1, 12]]);
  const late = await post('/api/v1/efficiency/2025/objections', { text: '迟到的异议' }, qiye);
  assert.equal(late.json.error.code, 'efficiency_state');
  const shown = s.cli(['efficiency', 'results', '--year', '2025', '--format', 'csv']);
  assert.equal(shown.status, 0, shown.stderr);
  assert.equal(shown.stdout.split('\r\n').length, 9);
});

test('objection_days 0: finalize right after publishing answers the C/D list; objections are closed', async () => {
  must(await post('/api/v1/efficiency/2026/config', { ...CONFIG, objection_days: 0, labels: { D: '差别化电价加价0.3元/千瓦时' } }), 200, 'config');
  const sheet = HEAD + `${E.e1},甲机械,dc,above,10,20,100,100,20,100,1,2,\n${E.e5},青沐工贸有限公司,dc,below,4,2,,,,,,,20\n`;
  must(await upload(2026, sheet), 201, 'upload');
  must(await post('/api/v1/efficiency/2026/evaluate'), 200, 'evaluate');
  must(await post('/api/v1/efficiency/2026/publish'), 200, 'publish');
  const late = await post('/api/v1/efficiency/2026/objections', { text: '异议' }, qiye);
  assert.equal(late.json.error.code, 'objection_window_closed');
  const f = must(await post('/api/v1/efficiency/2026/finalize'), 200, 'finalize');
  assert.equal(f.state, 'final');
  assert.deepEqual(f.remediation.map(({ item_id, ...x }) => x),
    [{ enterprise_unit_id: units.qmgm, town_unit_id: units.dc, land_mu: 4, class: 'D' }]);
  assert.equal(typeof f.remediation[0].item_id, 'number', 'a new remediation for the new year');
  assert.equal(f.results.find((r) => r.class === 'D').label, '差别化电价加价0.3元/千瓦时');
});

test('the config chain records every config and state change with its actor', async () => {
  const h = must(await get('/api/v1/config-history?limit=100'), 200, 'history');
  const mine = h.events.filter((e) => e.key && e.key.startsWith('efficiency.2026.'));
  assert.deepEqual(mine.map((e) => [e.key, e.actor]).reverse(), [
    ['efficiency.2026.config', 'supervisor'], ['efficiency.2026.state', 'supervisor'],
    ['efficiency.2026.published_at', 'supervisor'], ['efficiency.2026.state', 'supervisor'],
    ['efficiency.2026.state', 'supervisor'],
  ]);
  const v = s.cli(['verify']);
  assert.equal(v.status, 0, v.stdout + v.stderr);
});

async function cookieSession(username) {
  const r = await fetch(s.url + '/login', { method: 'POST', redirect: 'manual',
    body: new URLSearchParams({ username, password: s.logins[username] }).toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  assert.equal(r.status, 303);
  const cookie = r.headers.get('set-cookie').split(';')[0];
  const html = await (await fetch(s.url + '/efficiency', { headers: { Cookie: cookie } })).text();
  return { cookie, csrf: html.match(/name="csrf" value="([0-9a-f]{64})"/)[1] };
}
const page = async (who, p) => (await fetch(s.url + p, { headers: { Cookie: who.cookie } })).text();

test('the pages: the office runs a year without JavaScript; an enterprise sees its own result and objects', async () => {
  const office = await cookieSession('supervisor');
  const nav = await page(office, '/');
  assert.match(nav, /href="\/efficiency"/);
  const form = (fields) => {
    const fd = new FormData();
    fd.append('csrf', office.csrf);
    fd.append('year', '2027');
    for (const [k, v] of fields) fd.append(k, v);
    return fetch(s.url + '/efficiency', { method: 'POST', headers: { Cookie: office.cookie }, body: fd, redirect: 'manual' });
  };
  let r = await form([['op', 'config'], ['config', JSON.stringify({ ...CONFIG, objection_days: 5 })]]);
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/efficiency?year=2027');
  const bad = new Blob([HEAD + `${E.e1},甲机械,nowhere,above,10,20,100,100,20,100,1,2,\n`], { type: 'text/csv' });
  r = await form([['op', 'data'], ['file', bad, 'bad.csv']]);
  assert.equal(r.status, 422);
  assert.match(await r.text(), /2 town unknown_town/);
  r = await form([['op', 'data'], ['file', new Blob([GOOD], { type: 'text/csv' }), 'good.csv']]);
  assert.equal(r.status, 303);
  r = await form([['op', 'evaluate']]);
  assert.equal(r.status, 303);
  r = await form([['op', 'publish']]); // the confirmation box unticked
  assert.equal(r.status, 303, 'the box is the browser\'s check; the server takes the step');
  let html = await page(office, '/efficiency?year=2027');
  assert.match(html, /id="eff-state">阶段：公示中/);
  assert.match(html, /<td>1<\/td><td>91330784MA2E00001L<\/td><td>甲机械<\/td><td>东城街道<\/td><td>规上<\/td><td>100.00<\/td><td>A<\/td><td>重点扶持<\/td>/);
  assert.match(html, /<tr><td>东城街道<\/td><td>1<\/td><td>1<\/td><td>1<\/td><td>1<\/td><\/tr>/);
  assert.match(html, /id="eff-finalize"/);
  const ent = await cookieSession('qiye');
  // an enterprise's reporter finds its result in the navigation, in either language; a grid reporter does not
  assert.match(await page(ent, '/requests'), /<a href="\/efficiency"[^>]*>亩均评价结果<\/a>/);
  const enNav = await (await fetch(s.url + '/requests', { headers: { Cookie: ent.cookie, 'Accept-Language': 'en' } })).text();
  assert.match(enNav, /<a href="\/efficiency"[^>]*>Efficiency result<\/a>/);
  assert.doesNotMatch(await page(await cookieSession('grid'), '/report'), /href="\/efficiency"/);
  html = await page(ent, '/efficiency?year=2027');
  assert.match(html, /id="eff-own"><p>青沐工贸有限公司 · 得分：35.00 · 类别：D · 落后淘汰/);
  assert.doesNotMatch(html, /甲机械/);
  r = await fetch(s.url + '/efficiency/objection', { method: 'POST', redirect: 'manual',
    headers: { Cookie: ent.cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrf: ent.csrf, year: '2027', text: '页面异议：用电量有误' }).toString() });
  assert.equal(r.status, 303);
  html = await page(office, '/efficiency?year=2027');
  assert.match(html, /青沐工贸有限公司 · 页面异议：用电量有误 · 待处理/);
  const id = html.match(/name="id" value="(\d+)"/)[1];
  r = await form([['op', 'decide'], ['id', id], ['decision', 'reject'], ['reason', '数据核实无误']]);
  assert.equal(r.status, 303);
  html = await page(ent, '/efficiency?year=2027');
  assert.match(html, /页面异议：用电量有误 · 已驳回/);
  const en = await (await fetch(s.url + '/efficiency?year=2027', { headers: { Cookie: ent.cookie, 'Accept-Language': 'en' } })).text();
  assert.match(en, /Land efficiency 2027/);
});
