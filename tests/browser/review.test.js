// Review before a unit reports (issue 18 part 5) in Debian's chromium: the
// office turns 经信局's review on from the unit page; two reports of a clerk
// wait; the unit head opens their 待办, approves one and sends the other
// back with a reason, right in the list; the office then sees the approved
// one only, and the clerk's 待办 says why the other came back.  Screenshots
// go to tests/artifacts/.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { chromium } = require('playwright-core');
const { startServer } = require('../lib/server.js');

const ART = path.join(__dirname, '..', 'artifacts');
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const PW = 'pw-review-page-kite-52';

async function login(page, s, username, password) {
  await page.goto(s.url + '/login');
  await page.fill('#username', username);
  await page.fill('#password', password);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('button[type=submit]')]);
}

test('a unit head approves and sends back held reports from their 待办', async (t) => {
  fs.mkdirSync(ART, { recursive: true });
  const s = await startServer({ demo: true });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS });
  t.after(async () => { await browser.close(); await s.stop(); });
  const problems = [];
  for (const [name, roles] of [['jxclerk', 'handler'], ['jxhead', 'handler,head']]) {
    const r = s.cli(['user', 'add', '--username', name, '--unit', 'jxj', '--role', roles, '--password-stdin'],
      { input: PW + '\n' });
    assert.equal(r.status, 0, r.stderr);
  }
  const sup = await s.login('supervisor');
  const clerk = await s.login('jxclerk', PW);
  const units = (await s.api('GET', '/api/v1/units', { token: sup })).json.units;
  const jxj = units.find((u) => u.code === 'jxj').id;

  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  const page = await ctx.newPage();
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
  // the office turns the review on from the unit page
  await login(page, s, 'supervisor', s.logins.supervisor);
  await page.goto(s.url + '/units');
  await Promise.all([page.waitForURL(s.url + '/units'), page.click(`form[action="/units/${jxj}/review"] button`)]);
  assert.equal(await page.textContent(`form[action="/units/${jxj}/review"] button`), '关闭报送审核');
  assert.deepEqual((await s.api('GET', '/api/v1/units/review', { token: sup })).json.unit_ids, [jxj]);

  const items = [];
  for (const title of ['企业技改项目申报', '数字化改造试点']) {
    const c = await s.api('POST', '/api/v1/items', { token: sup, body: {
      kind: 'task', title, lead_unit_id: jxj, deadline: '2030-06-30' } });
    assert.equal(c.status, 201, c.text);
    for (const [token, action] of [[sup, 'assign'], [clerk, 'accept']]) {
      const a = await s.api('POST', `/api/v1/items/${c.json.id}/actions`, { token, body: { action } });
      assert.equal(a.status, 200, a.text);
    }
    const held = await s.api('POST', `/api/v1/items/${c.json.id}/actions`, { token: clerk,
      body: { action: 'feedback', text: `${title}：已完成材料初审`, progress: 60 } });
    assert.equal(held.status, 202, held.text);
    items.push({ id: c.json.id, review: held.json.review.id });
  }

  const hctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  const hp = await hctx.newPage();
  hp.on('pageerror', (e) => problems.push(String(e)));
  await login(hp, s, 'jxhead', PW);
  await hp.goto(s.url + '/inbox');
  assert.equal(await hp.textContent('.i-reviews h2 small'), '2');
  await hp.screenshot({ path: path.join(ART, 'review-inbox.png'), fullPage: true });
  await Promise.all([hp.waitForURL(s.url + '/inbox'),
    hp.click(`#review-${items[0].review} button.primary`)]);
  await hp.fill(`#review-${items[1].review} input[name=reason]`, '进度数字与台账不符，请核实');
  await Promise.all([hp.waitForURL(s.url + '/inbox'),
    hp.click(`#review-${items[1].review} form:has(input[name=reason]) button`)]);
  assert.equal(await hp.textContent('.i-reviews h2 small'), '0');
  assert.equal(await hp.textContent('.i-reviews .empty'), '没有待审核的报送。');
  await hp.screenshot({ path: path.join(ART, 'review-decided.png'), fullPage: true });

  const a = (await s.api('GET', `/api/v1/items/${items[0].id}`, { token: sup })).json;
  const b = (await s.api('GET', `/api/v1/items/${items[1].id}`, { token: sup })).json;
  assert.deepEqual([a.status, a.progress, b.status, b.progress], ['in_progress', 60, 'accepted', 0]);
  // the clerk's 待办 says why
  const cp = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
  await login(cp, s, 'jxclerk', PW);
  await cp.goto(s.url + '/inbox');
  assert.match(await cp.textContent('.i-reviews-returned'), /进度数字与台账不符，请核实/);
  assert.deepEqual(problems, []);
});
