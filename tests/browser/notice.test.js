// A supervisor's path through the notice pages in Debian's chromium: the
// dashboard's charts (inline SVG, no script needed), the notice preview for a
// period, issuing it, the issued notice's page, the print layout (A4 PDF) and
// the phone width.  Screenshots go to tests/artifacts/notice-*.png.
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

test('the dashboard charts, a notice preview, issuing and printing it', async (t) => {
  fs.mkdirSync(ART, { recursive: true });
  const s = await startServer({ demo: true });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS });
  t.after(async () => { await browser.close(); await s.stop(); });
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN',
    javaScriptEnabled: false });
  const page = await ctx.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
  const shot = (name, p = page) => p.screenshot({ path: path.join(ART, `notice-${name}.png`), fullPage: true });

  await page.goto(s.url + '/login');
  await page.fill('#username', 'supervisor');
  await page.fill('#password', s.logins.supervisor);
  await page.click('button[type=submit]');
  await page.waitForURL(s.url + '/');

  // The dashboard: six chart cards, the SVGs drawn by the server.
  const dash = new URL(page.url()).pathname === '/' && await page.locator('.charts').count() ? '/' : '/dashboard';
  await page.goto(s.url + dash);
  assert.equal(await page.locator('.charts .chart-card').count(), 6);
  assert.equal(await page.locator('.charts svg.chart.bars').count(), 2);
  assert.equal(await page.locator('.charts svg.chart.line polyline').count(), 1);
  const token = await s.login('supervisor');
  const counts = (await s.api('GET', '/api/v1/items?light=red&limit=1', { token })).json.total_count;
  const redBar = await page.locator('svg.chart.bars').first().locator('text').nth(1).textContent();
  assert.equal(Number(redBar), counts);
  await shot('1-dashboard');

  // The notice page: choose a period, preview.
  await page.click('nav a[href="/notices"]');
  assert.equal(await page.locator('main h1').first().textContent(), '督查通报');
  const year = new Date().getFullYear();
  await page.fill('input[name=from]', `${year - 1}-01-01`);
  await page.fill('input[name=to]', `${year + 1}-12-31`);
  await page.click('form.filters button[type=submit]');
  await page.locator('article.notice').waitFor();
  assert.equal(await page.locator('article.notice h1').textContent(), '督查通报');
  assert.match(await page.locator('article.notice .number').textContent(), /预览/);
  assert.ok(await page.locator('article.notice table.units tbody tr').count() >= 2);
  await shot('2-preview');

  // Issue it: its own page, numbered, with the hash and downloads.
  await page.click('form.notice-actions button[type=submit]');
  await page.waitForURL(/\/notices\/\d+$/);
  const number = await page.locator('article.notice .number').textContent();
  assert.match(number, /^〔\d{4}〕1号$/);
  assert.match(await page.locator('.hash code').textContent(), /^[0-9a-f]{64}$/);
  await shot('3-issued');
  const pdf = await page.pdf({ path: path.join(ART, 'notice-4-print.pdf'), format: 'A4', printBackground: true });
  assert.ok(pdf.length > 10000);
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('header.top').isVisible(), false);
  assert.equal(await page.locator('article.notice').isVisible(), true);
  await shot('4-print');
  await page.emulateMedia({ media: 'screen' });

  // The issued list names it; the phone width keeps the notice readable.
  await page.goto(s.url + '/notices');
  assert.equal(await page.locator(`a:text("${number}")`).count(), 1);
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN',
    storageState: await ctx.storageState() });
  const pp = await phone.newPage();
  await pp.goto(s.url + dash);
  const width = await pp.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `dashboard is ${width}px wide on a phone`);
  await shot('5-dashboard-phone', pp);
  await pp.goto(page.url().replace(/\/notices$/, '') + '/notices/1');
  await shot('6-notice-phone', pp);
  await phone.close();
  assert.deepEqual(problems, []);
});
