// The notice's draft → sign-off and an item's documents in Debian's chromium:
// a supervisor drafts from the preview (拟稿送审) and writes the summary; a
// leader opens the draft, goes to the confirmation page (签发后不可撤回 with
// the number it will take) and signs, landing on the issued notice; the item
// page lists its 交办通知单 with the receipt and the dossier link.
// Screenshots go to tests/artifacts/notice-draft-*.png.
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

async function login(browser, s, who) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN',
    javaScriptEnabled: false });
  const page = await ctx.newPage();
  await page.goto(s.url + '/login');
  await page.fill('#username', who);
  await page.fill('#password', s.logins[who]);
  await page.click('button[type=submit]');
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  return page;
}

test('a supervisor drafts, a leader confirms and signs; an item\'s documents on its page', async (t) => {
  fs.mkdirSync(ART, { recursive: true });
  const s = await startServer({ demo: true, env: { LUOSHI_NOW: '2025-04-01' } });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS });
  t.after(async () => { await browser.close(); await s.stop(); });
  const shot = (page, name) => page.screenshot({ path: path.join(ART, `notice-draft-${name}.png`), fullPage: true });

  const sup = await login(browser, s, 'supervisor');
  await sup.goto(s.url + '/notices?from=2025-03-01&to=2025-03-31');
  await sup.locator('article.notice').waitFor();
  await sup.click('form[action="/notices/drafts"] button[type=submit]');
  await sup.waitForURL(/\/notices\/drafts\/\d+$/);
  const where = new URL(sup.url()).pathname;
  await sup.fill('textarea[name=summary]', '三月份全市重点工作总体平稳，个别事项进度滞后。');
  await sup.click('form[action="' + where + '"] button[type=submit]');
  await sup.waitForURL(s.url + where);
  assert.equal(await sup.locator('textarea[name=summary]').inputValue(), '三月份全市重点工作总体平稳，个别事项进度滞后。');
  assert.equal(await sup.locator(`a[href="${where}/sign"]`).count(), 0, 'the drafter\'s office does not sign');
  await shot(sup, '1-draft');

  const leader = await login(browser, s, 'leader');
  await leader.goto(s.url + where);
  await leader.click(`a[href="${where}/sign"]`);
  await leader.waitForURL(s.url + where + '/sign');
  assert.equal(await leader.locator('main h1').textContent(), '签发确认');
  assert.match(await leader.locator('p.warning').textContent(), /^签发后不可撤回/);
  assert.equal(await leader.locator('strong.number').textContent(), '督通〔2025〕1号');
  await shot(leader, '2-confirm');
  await leader.click('form[action="' + where + '/sign"] button[type=submit]');
  await leader.waitForURL(/\/notices\/\d+$/);
  assert.equal(await leader.locator('article.notice .number').textContent(), '〔2025〕1号');
  assert.match(await leader.locator('article.notice').textContent(), /三月份全市重点工作总体平稳，个别事项进度滞后。/);
  await shot(leader, '3-issued');

  // an item's documents: the demo city's assigned items carry their 交办通知单
  const token = await s.login('supervisor');
  const items = (await s.api('GET', '/api/v1/items?status=accepted&limit=100', { token })).json.items;
  const id = items[0].id;
  await sup.goto(s.url + `/items/${id}`);
  const docs = sup.locator('ul.documents li');
  assert.ok(await docs.count() >= 2, 'a document and the dossier');
  assert.match(await docs.first().textContent(), /^交办〔2025〕\d+号 交办通知单 · 签收回执： /);
  assert.equal(await sup.locator(`ul.documents a[href="/api/v1/items/${id}/dossier.pdf"]`).count(), 1);
  await sup.locator('ul.documents').scrollIntoViewIfNeeded();
  await shot(sup, '4-item-documents');
});
