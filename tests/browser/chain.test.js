// 转办/分办 through the pages (issue 18) in Debian's chromium: the office
// gives an item to the town 东城街道; the town's handler signs for it, opens
// it, splits off a sub-item for its grid 东城街道第一网格 with the form on
// the item's page (a deadline after the item's refused first, the form kept),
// and lands on the sub-item, assigned by the town itself; the grid's reporter
// sees it.  Screenshots go to tests/artifacts/.
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
const PW = 'pw-chain-page-wren-36';

test('a town handler splits its item for a grid from the item page (转办)', async (t) => {
  fs.mkdirSync(ART, { recursive: true });
  const s = await startServer({ demo: true });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS });
  t.after(async () => { await browser.close(); await s.stop(); });
  const problems = [];
  const r = s.cli(['user', 'add', '--username', 'dch', '--unit', 'dc', '--role', 'handler',
    '--password-stdin'], { input: PW + '\n' });
  assert.equal(r.status, 0, r.stderr);
  const sup = await s.login('supervisor');
  const town = await s.login('dch', PW);
  const units = (await s.api('GET', '/api/v1/units', { token: sup })).json.units;
  const unitId = (code) => units.find((u) => u.code === code).id;
  const created = await s.api('POST', '/api/v1/items', { token: sup, body: {
    kind: 'task', title: '东城街道燃气安全排查', lead_unit_id: unitId('dc'), deadline: '2030-06-30' } });
  assert.equal(created.status, 201, created.text);
  const id = created.json.id;
  for (const [token, action] of [[sup, 'assign'], [town, 'accept']]) {
    const a = await s.api('POST', `/api/v1/items/${id}/actions`, { token, body: { action } });
    assert.equal(a.status, 200, a.text);
  }

  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  const page = await ctx.newPage();
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
  await page.goto(s.url + '/login');
  await page.fill('#username', 'dch');
  await page.fill('#password', PW);
  await Promise.all([page.waitForURL(s.url + '/'), page.click('button[type=submit]')]);
  await page.goto(`${s.url}/items/${id}`);
  await page.click('details.a-delegate summary');
  await page.fill('#delegate-title', '第一网格燃气用户逐户排查');
  await page.selectOption('#delegate-unit', String(unitId('dc-01')));
  // a deadline after the item's: refused on the item's page, the form open and filled in
  await page.$eval('#delegate-deadline', (e) => { e.removeAttribute('max'); e.value = '2030-07-01'; });
  await page.click('details.a-delegate button[type=submit]');
  await page.waitForSelector('details.a-delegate[open] .alert');
  assert.equal(await page.textContent('details.a-delegate .alert'), '分办事项的期限不能晚于原事项的期限。');
  assert.equal(await page.inputValue('#delegate-title'), '第一网格燃气用户逐户排查');
  await page.screenshot({ path: path.join(ART, 'chain-refused.png'), fullPage: true });
  await page.fill('#delegate-deadline', '2030-05-31');
  await Promise.all([page.waitForURL(/\/items\/\d+$/), page.click('details.a-delegate button[type=submit]')]);
  const sub = Number(page.url().match(/\/items\/(\d+)$/)[1]);
  assert.notEqual(sub, id);
  assert.equal(await page.textContent('h1.item-title'), '第一网格燃气用户逐户排查');
  await page.screenshot({ path: path.join(ART, 'chain-sub-item.png'), fullPage: true });
  const got = await s.api('GET', `/api/v1/items/${sub}`, { token: sup });
  assert.deepEqual([got.json.status, got.json.parent_id, got.json.lead_unit_id, got.json.deadline],
    ['assigned', id, unitId('dc-01'), '2030-05-31']);
  const grid = await s.login('grid');
  const seen = await s.api('GET', `/api/v1/items/${sub}`, { token: grid });
  assert.deepEqual(seen.json.allowed_actions, ['accept', 'return']);
  // the refused form's page answers 422 on purpose; nothing else goes wrong
  assert.deepEqual(problems.filter((m) => !m.includes('status of 422')), []);
});
