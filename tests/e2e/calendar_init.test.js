// The shipped official calendars (issue 17, defect 15): `luoshi init`
// without --demo loads every year of data/calendar the database lists no
// day of, so a new city counts holidays from the start, and leaves the years
// it has alone (an admin's change survives an upgrade); the dashboard and
// the calendar page warn when the current or the next year has no listed
// day.  The clock is fixed at 2026-12-03: 2026 is shipped, 2027 is not.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('../lib/server.js');

let s, adm, cookie;

function must(r, status, what) {
  assert.equal(r.status, status, `${what}: ${r.status} ${r.text.slice(0, 300)}`);
  return r.json;
}
async function page(p) {
  const r = await fetch(s.url + p, { headers: { Cookie: cookie } });
  return r.text();
}

before(async () => {
  s = await startServer({ demo: false, env: { LUOSHI_NOW: '2026-12-03' } });
  assert.equal(s.cli(['unit', 'add', '--code', 'swb', '--name', '市委办公室', '--kind', 'department']).status, 0);
  const r = s.cli(['user', 'add', '--username', 'root', '--unit', 'swb', '--role', 'admin', '--password-stdin'],
    { input: 'amber quarry lantern 42\n' });
  assert.equal(r.status, 0, r.stderr);
  adm = await s.login('root', 'amber quarry lantern 42');
  const l = await fetch(s.url + '/login', { method: 'POST', redirect: 'manual',
    body: new URLSearchParams({ username: 'root', password: 'amber quarry lantern 42' }).toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  cookie = l.headers.get('set-cookie').split(';')[0];
});
after(async () => {
  assert.equal(await s.stop(), 0, s.log().slice(-3000));
});

test('init without --demo loads the official calendars, 2026 included', async () => {
  const c = must(await s.api('GET', '/api/v1/calendar?year=2026', { token: adm }), 200, 'calendar');
  assert.deepEqual(c.years, [2022, 2023, 2024, 2025, 2026]);
  const days = Object.fromEntries(c.days.map((d) => [d.date, d.kind]));
  assert.equal(c.days.length, 39); // 33 days off in 7 holidays, 6 adjusted working days
  assert.deepEqual([days['2026-01-04'], days['2026-02-15'], days['2026-02-23'], days['2026-10-07'], days['2026-10-10']],
    ['workday', 'holiday', 'holiday', 'holiday', 'workday']);
});

test('the dashboard and the calendar page warn that 2027 is missing, until it is there', async () => {
  const warn = /<p class="alert calendar-missing" role="alert">工作日历缺少这些年份的法定节假日安排，期限和预警会把节假日算作工作日：2027 <a href="\/admin\/calendar\?year=2027">导入日历<\/a><\/p>/;
  assert.match(await page('/'), warn);
  assert.match(await page('/admin/calendar'), warn);
  must(await s.api('POST', '/api/v1/calendar', { token: adm, body: { text: '2027-01-01 holiday 元旦\n' } }), 200, 'import');
  assert.ok(!(await page('/')).includes('calendar-missing'));
});

test('init again keeps what the admin changed in a year it has', async () => {
  must(await s.api('POST', '/api/v1/calendar', { token: adm, body: { remove: ['2026-10-10'] } }), 200, 'remove');
  const r = s.cli(['init']);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(!r.stdout.includes('calendar:'), r.stdout);
  const c = must(await s.api('GET', '/api/v1/calendar?year=2026', { token: adm }), 200, 'calendar');
  assert.equal(c.days.length, 38);
  assert.ok(!c.days.some((d) => d.date === '2026-10-10'));
});
