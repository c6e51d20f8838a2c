// The admin section (管理): the intake keyword → unit table, and the 考核
// deductions ledger, each as a page and its JSON twin.  Admins change, the
// supervisors read, everyone else gets 403.  The server's clock is fixed at
// Monday 2025-03-03, so the demo city's scheduler run at start-up has recorded
// exactly one deduction (the item overdue since Friday 2025-02-28).
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('../lib/server.js');

let s, adm, sup, yjj, u;

function must(r, status, what) {
  assert.equal(r.status, status, `${what}: ${r.status} ${r.text.slice(0, 300)}`);
  return r.json;
}

async function cookieSession(username) {
  const r = await fetch(s.url + '/login', {
    method: 'POST', redirect: 'manual',
    body: new URLSearchParams({ username, password: s.logins[username] }).toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  assert.equal(r.status, 303, 'login ' + username);
  const cookie = r.headers.get('set-cookie').split(';')[0];
  const html = await (await fetch(s.url + '/units', { headers: { Cookie: cookie } })).text();
  return { cookie, csrf: html.match(/name="csrf" value="([0-9a-f]{64})"/)[1], html };
}
async function page(session, p) {
  const r = await fetch(s.url + p, { headers: { Cookie: session.cookie }, redirect: 'manual' });
  return { status: r.status, text: await r.text(), location: r.headers.get('location') };
}
async function postForm(session, p, fields) {
  const f = new URLSearchParams(fields);
  f.append('csrf', session.csrf);
  const r = await fetch(s.url + p, { method: 'POST', redirect: 'manual', body: f.toString(),
    headers: { Cookie: session.cookie, 'Content-Type': 'application/x-www-form-urlencoded' } });
  return { status: r.status, text: await r.text(), location: r.headers.get('location') };
}
const rows = async (token) => must(await s.api('GET', '/api/v1/keywords', { token }), 200, 'keywords').rules
  .map((k) => `${k.keyword}→${k.unit_code}`);

before(async () => {
  s = await startServer({ env: { LUOSHI_NOW: '2025-03-03' } });
  adm = await s.login('admin');
  sup = await s.login('supervisor');
  yjj = await s.login('yjj');
  u = Object.fromEntries(must(await s.api('GET', '/api/v1/units', { token: sup }), 200, 'units')
    .units.map((x) => [x.code, x.id]));
});
after(async () => {
  assert.equal(await s.stop(), 0, s.log().slice(-3000));
});

test('keywords: the admin adds and removes a row, intake suggests from it at once', async () => {
  const before = await rows(sup);
  assert.ok(before.includes('安全生产→yjj'), 'the demo table is seeded');
  assert.ok(!before.includes('河道治理→zgj'));
  const added = must(await s.api('POST', '/api/v1/keywords', { token: adm,
    body: { keyword: '河道治理', unit_code: 'zgj' } }), 201, 'add');
  assert.deepEqual([typeof added.id, added.keyword, added.unit_code], ['number', '河道治理', 'zgj']);
  const after1 = await rows(sup);
  assert.equal(after1.length, before.length + 1);
  assert.deepEqual(after1.filter((x) => !before.includes(x)), ['河道治理→zgj']);
  const text = '市政府召开常务会议。会议要求，要加快推进河道治理工作。';
  const sug = (r) => r.directives.map((d) => d.suggested_units);
  const i1 = must(await s.api('POST', '/api/v1/intake', { token: sup, body: { text } }), 200, 'intake');
  assert.deepEqual(sug(i1), [['自然资源和规划局']]);
  must(await s.api('POST', '/api/v1/keywords/remove', { token: adm,
    body: { keyword: '河道治理', unit_code: 'zgj' } }), 200, 'remove');
  assert.deepEqual(await rows(sup), before);
  const i2 = must(await s.api('POST', '/api/v1/intake', { token: sup, body: { text } }), 200, 'intake');
  assert.deepEqual(sug(i2), [[]]);
});

test('keywords: bad input is refused with its reason, and only admins change the table', async () => {
  const before = await rows(adm);
  const add = (body, token = adm) => s.api('POST', '/api/v1/keywords', { token, body });
  let r = await add({ keyword: '安全生产', unit_code: 'yjj' });
  assert.deepEqual([r.status, r.json.error.code, r.json.error.detail],
    [409, 'conflict', "'安全生产' already suggests yjj"]);
  r = await add({ keyword: '', unit_code: 'yjj' });
  assert.deepEqual([r.status, r.json.error.detail], [422, 'the keyword must have 1 to 20 characters']);
  r = await add({ keyword: '一二三四五六七八九十一二三四五六七八九十一', unit_code: 'yjj' });
  assert.equal(r.status, 422);
  r = await add({ keyword: '河道', unit_code: 'nosuch' });
  assert.deepEqual([r.status, r.json.error.detail], [404, "no unit with code 'nosuch'"]);
  r = await add({ keyword: '河道' });
  assert.deepEqual([r.status, r.json.error.code], [422, 'invalid_field']);
  r = await add({ keyword: '河道', unit_code: 'yjj', extra: 1 });
  assert.equal(r.status, 422);
  r = await s.api('POST', '/api/v1/keywords/remove', { token: adm, body: { keyword: '河道', unit_code: 'yjj' } });
  assert.deepEqual([r.status, r.json.error.detail], [404, "'河道' does not suggest yjj"]);
  assert.equal((await add({ keyword: '河道', unit_code: 'yjj' }, sup)).status, 403);
  assert.equal((await add({ keyword: '河道', unit_code: 'yjj' }, yjj)).status, 403);
  assert.equal((await s.api('GET', '/api/v1/keywords', { token: yjj })).status, 403);
  assert.deepEqual(await rows(adm), before, 'nothing changed');
});

test('keywords page: the admin adds and removes by form; the supervisor only reads', async () => {
  const a = await cookieSession('admin');
  let r = await postForm(a, '/admin/keywords', { op: 'add', keyword: '城中村', unit_code: 'yjj' });
  assert.deepEqual([r.status, r.location], [303, '/admin/keywords']);
  assert.ok((await rows(sup)).includes('城中村→yjj'));
  r = await page(a, '/admin/keywords');
  assert.equal(r.status, 200);
  assert.match(r.text, /<td>城中村<\/td><td>应急管理局 <code>yjj<\/code><\/td>/);
  assert.match(r.text, /name="op" value="add"/);
  r = await postForm(a, '/admin/keywords', { op: 'add', keyword: '城中村', unit_code: 'yjj' });
  assert.equal(r.status, 409);
  assert.match(r.text, /role="alert">未能保存：该关键词已对应这个单位：城中村。</);
  assert.match(r.text, /id="keyword" name="keyword" required maxlength="20" value="城中村"/, 'kept what was typed');
  r = await postForm(a, '/admin/keywords', { op: 'remove', keyword: '城中村', unit_code: 'yjj' });
  assert.equal(r.status, 303);
  assert.ok(!(await rows(sup)).includes('城中村→yjj'));
  assert.equal((await postForm(a, '/admin/keywords', { op: 'rename' })).status, 422);
  const sp = await cookieSession('supervisor');
  r = await page(sp, '/admin/keywords');
  assert.equal(r.status, 200);
  assert.match(r.text, /<td>安全生产<\/td>/);
  assert.doesNotMatch(r.text, /name="op"/, 'no forms for a supervisor');
  assert.equal((await postForm(sp, '/admin/keywords', { op: 'add', keyword: '河道', unit_code: 'yjj' })).status, 403);
  assert.match(sp.html, /<a href="\/admin\/keywords">管理<\/a>/, 'the nav entry');
  const h = await cookieSession('yjj');
  assert.doesNotMatch(h.html, /\/admin\//, 'no nav entry for a handler');
  assert.equal((await page(h, '/admin/keywords')).status, 403);
});

async function ledger(q = '', token = sup) {
  return s.api('GET', '/api/v1/deductions' + q, { token });
}

test('deductions: the ledger holds the scheduler\'s entry, filtered by unit and month, with totals', async () => {
  let all;
  for (let k = 0; k < 100; k++) { // the start-up run of the scheduler
    all = must(await ledger(), 200, 'ledger');
    if (all.count) break;
    await new Promise((res) => setTimeout(res, 50));
  }
  const title = '常态化开展各领域安全隐患排查整治，形成闭环';
  assert.deepEqual(all.deductions.map((d) => [d.unit_id, d.unit_name, d.item_title, d.rule, d.ref, d.points, d.at, d.note]),
    [[u.yjj, '应急管理局', title, 'overdue', '2025-02-28', -2, '2025-03-03T12:00:00+08:00', '逾期未办结']]);
  assert.deepEqual(all.totals, [{ unit_id: u.yjj, unit_name: '应急管理局', count: 1, points: -2 }]);
  assert.deepEqual([all.count, all.points], [1, -2]);
  assert.deepEqual(must(await ledger('?month=2025-03'), 200, 'march'), all);
  assert.deepEqual(must(await ledger(`?month=2025-03&unit=${u.yjj}`, adm), 200, 'unit'), all);
  const none = { deductions: [], totals: [], count: 0, points: 0 };
  assert.deepEqual(must(await ledger('?month=2025-02'), 200, 'february'), none);
  assert.deepEqual(must(await ledger(`?unit=${u.jxj}`), 200, 'other unit'), none);
  for (const q of ['?month=2025-13', '?month=2025-3', '?month=March', '?unit=abc', '?unit=-1']) {
    const r = await ledger(q);
    assert.deepEqual([r.status, r.json.error.code], [422, 'invalid_field'], q);
  }
  assert.equal((await ledger('', yjj)).status, 403);
  assert.equal((await s.api('POST', '/api/v1/deductions', { token: adm, body: {} })).status, 405);
});

test('deductions page: totals and entries, the filters kept, read-only', async () => {
  const sp = await cookieSession('supervisor');
  const r = await page(sp, `/admin/deductions?unit=${u.yjj}&month=2025-03`);
  assert.equal(r.status, 200);
  assert.match(r.text, /<tr><td>应急管理局<\/td><td>1<\/td><td>-2<\/td><\/tr>/);
  assert.match(r.text, /<td>2025-03-03 12:00<\/td><td>应急管理局<\/td><td><a href="\/items\/\d+">常态化开展各领域安全隐患排查整治，形成闭环<\/a><\/td><td>事项逾期 <small>2025-02-28<\/small><\/td><td>-2<\/td>/);
  assert.match(r.text, new RegExp(`<option value="${u.yjj}" selected>应急管理局</option>`));
  assert.match(r.text, /name="month" type="month" placeholder="YYYY-MM" value="2025-03"/);
  assert.doesNotMatch(r.text, /method="post" action="\/admin/);
  const feb = await page(sp, '/admin/deductions?month=2025-02');
  assert.match(feb.text, /<p class="empty">暂无记录。<\/p>/);
  assert.equal((await page(sp, '/admin/deductions?month=2025-00')).status, 422);
  assert.equal((await page(await cookieSession('yjj'), '/admin/deductions')).status, 403);
});

const DEFAULTS = [
  ['attachment.max_bytes', 20971520, 1, 67108864],
  ['deduction.late_feedback', -1, -100, 0], ['deduction.overdue', -2, -100, 0],
  ['escalation.general_after', 3, 0, 366], ['escalation.key_after', 10, 0, 366],
  ['escalation.listed_after', 20, 0, 366], ['hazard.acceptance_days', 10, 1, 365],
  ['light.behind_red', 30, 1, 100], ['light.behind_yellow', 10, 1, 100],
  ['light.warn_working_days', 3, 0, 30], ['notice.accept_working_days', 1, 0, 30],
  ['notice.sign_own', 0, 0, 1],
  ['outbox.dead_after_hours', 24, 1, 720], ['outbox.digest_hour', 8, 0, 23],
  ['outbox.retry_base_seconds', 30, 1, 3600], ['outbox.retry_max_seconds', 3600, 1, 86400],
  ['request.rate_days', 7, 1, 90],
  ['scheduler.urge_feedback', 1, 0, 1], ['scheduler.urge_overdue', 1, 0, 1],
].map(([key, def, min, max]) => ({ key, value: def, default: def, min, max }));

const setRules = (body, token = adm) => s.api('POST', '/api/v1/settings', { token, body });

test('settings: the rules with defaults and ranges; a change shows in an item\'s light at once', async () => {
  assert.deepEqual(must(await s.api('GET', '/api/v1/settings', { token: sup }), 200, 'settings').settings, DEFAULTS);
  // assigned, due Monday 2025-03-10: five working days from today, outside the 3-day window
  const id = must(await s.api('POST', '/api/v1/items', { token: sup, body: {
    kind: 'task', title: '亮灯规则测试', lead_unit_id: u.yjj, deadline: '2025-03-10' } }), 201, 'item').id;
  must(await s.api('POST', `/api/v1/items/${id}/actions`, { token: sup, body: { action: 'assign' } }), 200, 'assign');
  const light = async () => must(await s.api('GET', `/api/v1/items/${id}`, { token: sup }), 200, 'item').light;
  assert.equal(await light(), 'green');
  const after = must(await setRules({ 'light.warn_working_days': 5 }), 200, 'set');
  assert.deepEqual(after.settings.find((x) => x.key === 'light.warn_working_days').value, 5);
  assert.equal(await light(), 'yellow');
  const listed = must(await s.api('GET', `/api/v1/items?light=yellow&limit=100`, { token: sup }), 200, 'list');
  assert.ok(listed.items.some((x) => x.id === id), 'the list filters by the new light');
  must(await setRules({ 'light.warn_working_days': 4 }), 200, 'set');
  assert.equal(await light(), 'green', 'Mon 10 is the fifth working day; four reach Fri 7');
  must(await setRules({ 'light.warn_working_days': 3 }), 200, 'back');
  assert.deepEqual(must(await s.api('GET', '/api/v1/settings', { token: adm }), 200, 'settings').settings, DEFAULTS);
});

test('settings: out of range, not integers, unknown keys and red below yellow are 422; only admins write', async () => {
  const cases = [
    [{ 'light.warn_working_days': 31 }, 'light.warn_working_days must be an integer from 0 to 30'],
    [{ 'light.warn_working_days': -1 }, 'light.warn_working_days must be an integer from 0 to 30'],
    [{ 'light.warn_working_days': 2.5 }, 'light.warn_working_days must be an integer from 0 to 30'],
    [{ 'deduction.overdue': 5 }, 'deduction.overdue must be an integer from -100 to 0'],
    [{ 'escalation.key_after': '10' }, 'escalation.key_after must be an integer from 0 to 366'],
    [{ 'scheduler.urge_overdue': 2 }, 'scheduler.urge_overdue must be an integer from 0 to 1'],
    [{ 'light.behind_red': 5 }, 'light.behind_red (5) must be at least light.behind_yellow (10)'],
    [{ 'light.behind_yellow': 20, 'light.behind_red': 15 }, 'light.behind_red (15) must be at least light.behind_yellow (20)'],
    [{ 'notice.office': 1 }, "no setting 'notice.office'"],
    [{ 'deduction.overdue': -3, 'light.warn_working_days': 99 }, 'light.warn_working_days must be an integer from 0 to 30'],
    [{}, 'send an object of setting → integer'],
  ];
  for (const [body, message] of cases) {
    const r = await setRules(body);
    assert.deepEqual([r.status, r.json.error.code, r.json.error.detail], [422, 'invalid_field', message], JSON.stringify(body));
  }
  assert.equal((await setRules({ 'deduction.overdue': -3 }, sup)).status, 403);
  assert.equal((await setRules({ 'deduction.overdue': -3 }, yjj)).status, 403);
  assert.equal((await s.api('GET', '/api/v1/settings', { token: yjj })).status, 403);
  assert.deepEqual(must(await s.api('GET', '/api/v1/settings', { token: adm }), 200, 'settings').settings, DEFAULTS,
    'nothing written, not even the valid half of a refused change');
});

test('settings page: meanings and values; the admin edits, a bad value comes back with its reason', async () => {
  const a = await cookieSession('admin');
  let r = await page(a, '/admin/settings');
  assert.equal(r.status, 200);
  assert.match(r.text, /<td><code>light\.warn_working_days<\/code><\/td><td>距期限多少个工作日内亮黄灯 <small>\(0–30\)<\/small><\/td><td><input name="light\.warn_working_days" aria-label="light\.warn_working_days" type="number" min="0" max="30" step="1" value="3" required><\/td><td>3<\/td>/);
  r = await postForm(a, '/admin/settings', { 'escalation.general_after': '4', 'light.behind_red': '35' });
  assert.deepEqual([r.status, r.location], [303, '/admin/settings']);
  const now = must(await s.api('GET', '/api/v1/settings', { token: sup }), 200, 'settings').settings;
  assert.deepEqual(now.filter((x) => x.value !== x.default).map((x) => [x.key, x.value]),
    [['escalation.general_after', 4], ['light.behind_red', 35]]);
  r = await postForm(a, '/admin/settings', { 'escalation.general_after': '三', 'light.behind_red': '30' });
  assert.equal(r.status, 422);
  assert.match(r.text, /role="alert">未能保存：设置值超出允许的范围：escalation\.general_after（0 到 366）。</);
  assert.match(r.text, /name="escalation\.general_after" [^>]*value="三"/, 'what was typed is kept');
  r = await postForm(a, '/admin/settings', { 'escalation.general_after': '3', 'light.behind_red': '30' });
  assert.equal(r.status, 303);
  assert.deepEqual(must(await s.api('GET', '/api/v1/settings', { token: sup }), 200, 'settings').settings, DEFAULTS);
  const sp = await cookieSession('supervisor');
  r = await page(sp, '/admin/settings');
  assert.equal(r.status, 200);
  assert.match(r.text, /<td><code>deduction\.overdue<\/code><\/td><td>每次逾期未办结的扣分（0 为不扣分） <small>\(-100–0\)<\/small><\/td><td>-2<\/td><td>-2<\/td>/);
  assert.doesNotMatch(r.text, /<input name="/, 'read-only for a supervisor');
  assert.equal((await postForm(sp, '/admin/settings', { 'deduction.overdue': '-3' })).status, 403);
});

const year = async (y, token = sup) => must(await s.api('GET', `/api/v1/calendar?year=${y}`, { token }), 200, 'calendar ' + y);
const setDays = (body, token = adm) => s.api('POST', '/api/v1/calendar', { token, body });

test('calendar: the shipped schedule by year; import, remove, all or nothing', async () => {
  const now = must(await s.api('GET', '/api/v1/calendar', { token: sup }), 200, 'this year');
  assert.deepEqual([now.year, now.years, now.days.length], [2025, [2022, 2023, 2024, 2025, 2026], 33]);
  assert.deepEqual(now.days.slice(0, 2), [
    { date: '2025-01-01', kind: 'holiday', name: '元旦', weekday: 3 },
    { date: '2025-01-26', kind: 'workday', name: '春节 调休上班', weekday: 7 }]);
  assert.deepEqual(await year(2031), { year: 2031, years: [2022, 2023, 2024, 2025, 2026, 2031], days: [] });
  assert.deepEqual(must(await setDays({ text: '# 2031\n2031-01-01 holiday 元旦\n2031-01-04 workday 调休上班\n' }), 200, 'import'),
    { imported: 2, removed: 0 });
  assert.deepEqual(must(await setDays({ remove: ['2031-01-04'], text: '2031-01-05 workday' }), 200, 'both'),
    { imported: 1, removed: 1 });
  const want = { year: 2031, years: [2022, 2023, 2024, 2025, 2026, 2031], days: [
    { date: '2031-01-01', kind: 'holiday', name: '元旦', weekday: 3 },
    { date: '2031-01-05', kind: 'workday', name: '', weekday: 7 }] };
  assert.deepEqual(await year(2031), want);
  const bad = [
    [{ text: '2031-02-30 holiday x' }, 'invalid_calendar', "line 1: '2031-02-30' is not a date as YYYY-MM-DD"],
    [{ text: '2031-01-02 holiday\n2031-01-02 workday' }, 'invalid_calendar', 'line 2: 2031-01-02 is listed twice'],
    [{ text: '2031-01-02 rest' }, 'invalid_calendar', "line 1: the kind must be 'holiday' or 'workday' after the date"],
    [{ remove: ['2031-01-01', 'x'] }, 'invalid_field', 'remove takes dates as YYYY-MM-DD'],
    [{ text: '2031-01-02 holiday', remove: ['2031-01-09'] }, 'not_found', '2031-01-09 is not listed'],
    [{ text: 1 }, 'invalid_field', null], [{}, 'invalid_field', null], [{ days: [] }, 'invalid_field', null],
  ];
  for (const [body, code, message] of bad) {
    const r = await setDays(body);
    assert.equal(r.json.error.code, code, JSON.stringify(body));
    assert.equal(r.status, code === 'not_found' ? 404 : 422, JSON.stringify(body));
    if (message) assert.equal(r.json.error.detail, message);
  }
  assert.deepEqual(await year(2031), want, 'nothing changed by a refused request');
  for (const y of ['20x', '1899', '10000']) assert.equal((await s.api('GET', `/api/v1/calendar?year=${y}`, { token: sup })).status, 422);
  assert.equal((await setDays({ remove: ['2031-01-01'] }, sup)).status, 403);
  assert.equal((await setDays({ remove: ['2031-01-01'] }, yjj)).status, 403);
  assert.equal((await s.api('GET', '/api/v1/calendar', { token: yjj })).status, 403);
  must(await setDays({ remove: ['2031-01-01', '2031-01-05'] }), 200, 'clean up');
});

test('calendar: a holiday added today moves an item\'s light; removing it moves it back', async () => {
  // due Friday 2025-03-07, the fourth working day from Monday: outside the 3-day window
  const id = must(await s.api('POST', '/api/v1/items', { token: sup, body: {
    kind: 'task', title: '日历亮灯测试', lead_unit_id: u.yjj, deadline: '2025-03-07' } }), 201, 'item').id;
  must(await s.api('POST', `/api/v1/items/${id}/actions`, { token: sup, body: { action: 'assign' } }), 200, 'assign');
  const light = async () => must(await s.api('GET', `/api/v1/items/${id}`, { token: sup }), 200, 'item').light;
  assert.equal(await light(), 'green');
  must(await setDays({ text: '2025-03-04 holiday 测试假日' }), 200, 'holiday');
  assert.equal(await light(), 'yellow', 'Wed 5, Thu 6, Fri 7 are now the three working days');
  must(await setDays({ remove: ['2025-03-04'] }), 200, 'remove');
  assert.equal(await light(), 'green');
});

test('calendar page: by year, the admin adds, removes and imports; a bad line comes back with its reason', async () => {
  const a = await cookieSession('admin');
  let r = await page(a, '/admin/calendar?year=2025');
  assert.equal(r.status, 200);
  assert.match(r.text, /<tr><td>2025-01-26<\/td><td>周日<\/td><td>调休上班<\/td><td>春节 调休上班<\/td><td><form /);
  assert.match(r.text, /<a href="\/admin\/calendar\?year=2024">2024<\/a> <b>2025<\/b>/);
  r = await postForm(a, '/admin/calendar', { op: 'add', date: '2033-10-01', kind: 'holiday', name: '国庆节' });
  assert.deepEqual([r.status, r.location], [303, '/admin/calendar?year=2033']);
  r = await postForm(a, '/admin/calendar', { op: 'import', text: '2033-10-02 holiday 国庆节\n2033-10-08 workday 国庆节 调休上班\n' });
  assert.deepEqual([r.status, r.location], [303, '/admin/calendar?year=2033']);
  assert.deepEqual((await year(2033)).days.map((d) => `${d.date} ${d.kind} ${d.name}`),
    ['2033-10-01 holiday 国庆节', '2033-10-02 holiday 国庆节', '2033-10-08 workday 国庆节 调休上班']);
  r = await postForm(a, '/admin/calendar', { op: 'import', text: '2033-10-03 holiday\n2033-10-32 holiday' });
  assert.equal(r.status, 422);
  assert.match(r.text, /role="alert">未能保存：工作日历的内容有误：第 2 行。</);
  assert.match(r.text, />2033-10-03 holiday\n2033-10-32 holiday<\/textarea>/, 'the pasted text is kept');
  r = await postForm(a, '/admin/calendar', { op: 'add', date: '2033-10-03', kind: 'holiday', name: 'a\nb' });
  assert.equal(r.status, 422);
  r = await postForm(a, '/admin/calendar', { op: 'remove', date: '2033-10-09' });
  assert.equal(r.status, 404);
  for (const date of ['2033-10-01', '2033-10-02', '2033-10-08'])
    assert.equal((await postForm(a, '/admin/calendar', { op: 'remove', date })).status, 303);
  assert.deepEqual((await year(2033)).days, []);
  const sp = await cookieSession('supervisor');
  r = await page(sp, '/admin/calendar?year=2025');
  assert.equal(r.status, 200);
  assert.match(r.text, /<tr><td>2025-01-01<\/td><td>周三<\/td><td>放假<\/td><td>元旦<\/td><\/tr>/);
  assert.doesNotMatch(r.text, /name="op"/, 'read-only for a supervisor');
  assert.equal((await page(sp, '/admin/calendar?year=abc')).status, 422);
});
