// The 批示件 pages (issue 18) in Debian's chromium: a leader follows the
// navigation link to 批示件, registers an instruction with the form (the
// leader chosen for them), lands on its page, turns it into an item for
// 应急管理局 and sees the item listed on the page and in the month's list;
// the same pages on a phone.  Screenshots go to tests/artifacts/.
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

test('a leader registers a 批示件, turns it into an item and sees it on the page', async (t) => {
  fs.mkdirSync(ART, { recursive: true });
  const s = await startServer({ env: { LUOSHI_NOW: '2030-01-06' } });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS });
  t.after(async () => { await browser.close(); await s.stop(); });
  const problems = [];
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  const page = await ctx.newPage();
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
  await page.goto(s.url + '/login');
  await page.fill('#username', 'leader');
  await page.fill('#password', s.logins.leader);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('button[type=submit]')]);
  await Promise.all([page.waitForURL(s.url + '/instructions'), page.click('nav.main a[href="/instructions"]')]);
  assert.equal(await page.textContent('h1'), '批示件');
  assert.equal(await page.$eval('#leader_id', (e) => e.selectedOptions[0].textContent), '市领导 李书记');
  await page.fill('#number', '批〔2030〕5号');
  await page.fill('#text', '请应急管理局牵头，春节前完成全市燃气管网安全排查。');
  await page.fill('#due', '2030-01-31');
  await Promise.all([page.waitForURL(/\/instructions\/\d+$/), page.click('#register button[type=submit]')]);
  assert.equal(await page.textContent('h1'), '批示件 批〔2030〕5号');
  assert.equal(await page.textContent('.status.i-open'), '办理中');
  await page.fill('#spawn #title', '全市燃气管网安全排查（批示件）');
  await page.selectOption('#lead_unit_id', { label: '应急管理局' });
  await page.fill('#deadline', '2030-01-31');
  await Promise.all([page.waitForURL(/\/instructions\/\d+#items$/), page.click('#spawn button[type=submit]')]);
  const items = await page.$$eval('#items ul.ifile-items li', (ls) => ls.map((l) => l.textContent.trim()));
  assert.deepEqual(items, ['全市燃气管网安全排查（批示件） 待分派']);
  await page.screenshot({ path: path.join(ART, 'instructions-file.png'), fullPage: true });
  await page.goto(s.url + '/instructions');
  assert.match(await page.textContent('ul.ifiles'), /批〔2030〕5号[\s\S]*全市燃气管网安全排查（批示件）/);
  await page.screenshot({ path: path.join(ART, 'instructions-list.png'), fullPage: true });
  // the phone: nothing wider than the screen
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN',
    storageState: await ctx.storageState() });
  const p2 = await phone.newPage();
  for (const url of ['/instructions', new URL(page.url()).pathname]) {
    await p2.goto(s.url + url);
    assert.ok(await p2.evaluate(() => document.documentElement.scrollWidth <= innerWidth), url);
  }
  await p2.goto(s.url + '/instructions');
  await p2.screenshot({ path: path.join(ART, 'instructions-phone.png'), fullPage: true });
  const fileUrl = (await p2.$eval('ul.ifiles .what a', (a) => a.getAttribute('href')));
  await p2.goto(s.url + fileUrl);
  await p2.screenshot({ path: path.join(ART, 'instructions-file-phone.png'), fullPage: true });
  await phone.close();
  assert.deepEqual(problems, []);
});
