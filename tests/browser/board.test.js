// The public board of challenges (揭榜挂帅) on a phone (390×844) in Debian's chromium:
// read without a login, then an applicant logs in from a challenge's page, files an
// application with a file (a refused one keeps what was typed), sees only its own, and the cap
// takes the form away; the office sees the application on the same page.  Screenshots
// to tests/artifacts/board-*.png.
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

test('the board on a phone without a login, and an application from it', async (t) => {
  fs.mkdirSync(ART, { recursive: true });
  const s = await startServer({ demo: true });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS });
  t.after(async () => { await browser.close(); await s.stop(); });
  const ctx = await browser.newContext({
    viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
    locale: 'zh-CN',
  });
  const page = await ctx.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error' && !/status of 4\d\d/.test(m.text())) problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
  const shot = (name) => page.screenshot({ path: path.join(ART, `board-${name}.png`), fullPage: true });
  const noSideScroll = async () => assert.ok(await page.evaluate(
    () => document.documentElement.scrollWidth <= window.innerWidth + 1), 'no sideways scroll at 390 px');

  // anyone: the demo city's open challenge, without internal data
  await page.goto(s.url + '/board');
  assert.equal(await page.textContent('h1'), '揭榜挂帅');
  const card = page.locator('article.challenge').first();
  assert.match(await card.textContent(), /高效永磁电机控制器关键共性技术攻关/);
  assert.match(await card.textContent(), /发榜单位东立电器有限公司/);
  assert.match(await card.textContent(), /榜金（万元）300\.00/);
  assert.match(await card.textContent(), /揭榜中/);
  assert.ok(!(await page.content()).includes('内部审核'), 'the description stays internal');
  await noSideScroll();
  await shot('1-board');

  // the challenge's page sends a visitor to log in, and back
  await card.locator('h2 a').click();
  await page.waitForURL(/\/board\/\d+$/);
  const id = Number(page.url().match(/\/board\/(\d+)$/)[1]);
  await page.click('a[href^="/login?next=/board/"]');
  await page.fill('#username', 'jiebang');
  await page.fill('#password', s.logins.jiebang);
  await page.click('button[type=submit]');
  await page.waitForURL(new RegExp(`/board/${id}$`));
  assert.match(await page.textContent('.applications'), /尚无揭榜申报/);
  await noSideScroll();
  await shot('2-form');

  // a budget that is no amount is refused by core, and what was typed stays
  await page.fill('#team', '赫德科技电控攻关组');
  await page.fill('#plan', '矢量控制算法 + 一体化散热结构，两轮样机');
  await page.fill('#budget_wan', '280.5');
  await page.fill('#members', '张工\n李工\n\n王博士');
  await page.evaluate(() => { document.getElementById('budget_wan').type = 'text'; });
  await page.fill('#budget_wan', '很多');
  await page.click('form[action$="/apply"] button[type=submit]');
  assert.match(await page.textContent('.alert'), /budget_wan|预算|字段|有误/);
  assert.equal(await page.inputValue('#team'), '赫德科技电控攻关组');
  await page.fill('#budget_wan', '280.5');
  // with a file (申报材料), multipart without a script
  await page.setInputFiles('#attachment_ids', { name: '攻关方案.txt', mimeType: 'text/plain',
    buffer: Buffer.from('矢量控制算法要点\n') });
  await page.click('form[action$="/apply"] button[type=submit]');
  await page.waitForURL(new RegExp(`/board/${id}\\?filed=1$`));
  assert.match(await page.textContent('.ok'), /揭榜申报已提交/);
  const mine = await page.textContent('.applications');
  assert.match(mine, /赫德科技有限公司 · 赫德科技电控攻关组/);
  assert.match(mine, /预算（万元） 280\.50/);
  assert.match(mine, /张工、李工、王博士/);
  assert.match(mine, /攻关方案\.txt 1 KB/);
  assert.equal(await page.locator('form[action$="/apply"]').count(), 0, 'the cap of 1 is reached');
  assert.equal(await page.locator('.score').count(), 0, 'an applicant sees no scores');
  await noSideScroll();
  await shot('3-filed');

  // the office sees it, with the link to the item page's steps
  const office = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, locale: 'zh-CN' });
  const op = await office.newPage();
  await op.goto(s.url + `/login?next=/board/${id}`);
  await op.fill('#username', 'supervisor');
  await op.fill('#password', s.logins.supervisor);
  await op.click('button[type=submit]');
  await op.waitForURL(new RegExp(`/board/${id}$`));
  assert.match(await op.textContent('.applications h2'), /全部揭榜申报/);
  assert.match(await op.textContent('.applications'), /赫德科技电控攻关组/);
  assert.equal(await op.locator(`a[href="/items/${id}"]`).count(), 1);
  assert.equal(await op.locator('.applications a[download]').textContent(), '攻关方案.txt');
  await office.close();
  assert.deepEqual(problems, []);
});
