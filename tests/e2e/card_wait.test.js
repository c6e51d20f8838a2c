// A dashboard card that is slow to compute (the year's 考核 score: seconds
// over a large city) is not computed again in a view once what it reads
// changed: the view shows the last card and a work thread computes the new
// one (luoshi serve --card-wait MS: from how long a computation on; 0 here,
// so that the demo city's quick card takes that path).  Under steady 考核
// writes each view used to compute the year anew (bench/README.md).  The
// server's clock is fixed at Monday 2025-03-03.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('../lib/server.js');

let s, sup, u, cookie;

function must(r, status, what) {
  assert.equal(r.status, status, `${what}: ${r.status} ${r.text.slice(0, 300)}`);
  return r.json;
}
async function card() {
  const r = await fetch(s.url + '/dashboard', { headers: { Cookie: cookie } });
  assert.equal(r.status, 200);
  return (await r.text()).match(/<section class="card assessment-tile">.*?<\/section>/)[0];
}
const jxjScore = async () => must(await s.api('GET', '/api/v1/assessment?year=2025', { token: sup }), 200, 'year')
  .units.find((x) => x.unit_code === 'jxj').score;

before(async () => {
  s = await startServer({ env: { LUOSHI_NOW: '2025-03-03' }, serveArgs: ['--card-wait', '0'] });
  sup = await s.login('supervisor');
  u = Object.fromEntries(must(await s.api('GET', '/api/v1/units', { token: sup }), 200, 'units')
    .units.map((x) => [x.code, x.id]));
  for (let k = 0; k < 200 && !/dashboard: the 考核 card/.test(s.log()); k++) // the scheduler's first run
    await new Promise((res) => setTimeout(res, 50));
  const r = await fetch(s.url + '/login', {
    method: 'POST', redirect: 'manual',
    body: new URLSearchParams({ username: 'supervisor', password: s.logins.supervisor }),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  assert.equal(r.status, 303);
  cookie = r.headers.get('set-cookie').split(';')[0];
});
after(async () => {
  assert.equal(await s.stop(), 0, s.log().slice(-3000));
});

test('card-wait: after a 考核 entry the next view shows the last card, then the work thread\'s new one', async () => {
  const first = await card(); // the first view computes it: nothing was kept
  const before = await jxjScore();
  assert.equal(before, 100);
  assert.doesNotMatch(first, /经信局/);
  // when it was computed (the server's clock stands at noon)
  assert.match(first, /<h2><a href="\/assessment\?year=2025">年度考核<\/a> <small>2025 · <span class="as-of">截至 12:00<\/span><\/small><\/h2>/);
  assert.equal(await card(), first, 'kept');
  must(await s.api('POST', '/api/v1/assessment/entries',
    { token: sup, body: { unit_id: u.jxj, points: -5, reason: '整改材料弄虚作假' } }), 201, 'entry');
  assert.equal(await card(), first, 'the last card while the new one is computed away from the view');
  let now = first;
  for (let k = 0; k < 200 && now === first; k++) {
    await new Promise((res) => setTimeout(res, 50));
    now = await card();
  }
  assert.equal(await jxjScore(), 95);
  assert.match(now, new RegExp(`<ol class="lowest"><li><a href="/assessment\\?year=2025&amp;unit=${u.jxj}">经信局</a> <b>95</b></li>`));
  assert.equal(await card(), now, 'kept again');
  // the rest of the page, the notice's figures among them, is whole
  const r = await fetch(s.url + '/dashboard', { headers: { Cookie: cookie } });
  const html = await r.text();
  assert.match(html, /<\/html>\s*$/);
  assert.match(html, /<div class="charts">/);
});

test('card-wait: a value that is not a number of milliseconds is refused', () => {
  for (const bad of ['-1', 'soon', '3600001']) {
    const r = s.cli(['serve', '--listen', '127.0.0.1:1', '--card-wait', bad]);
    assert.equal(r.status, 2, r.stdout + r.stderr);
    assert.equal(r.stderr, 'luoshi serve: --card-wait wants a number from 0 to 3600000\n');
  }
});
