// An admin's path through the admin section (管理) in Debian's chromium
// (playwright-core), without JavaScript doing anything but the page's own
// script: the nav entry, a keyword added by form, a holiday added on the
// calendar, a rule changed and refused, and the read-only deductions ledger
// filtered by month; then the same pages as a supervisor, read-only, at a
// phone's width.  Screenshots in tests/artifacts/admin-*.png.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { chromium } = require('playwright-core');
const { startServer } = require('../lib/server.js');

const ART = path.join(__dirname, '..', 'artifacts');
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

async function login(ctx, s, who) {
  const page = await ctx.newPage();
  await page.goto(s.url + '/login');
  await page.fill('#username', who);
  await page.fill('#password', s.logins[who]);
  await page.click('button[type=submit]');
  return page;
}

test('an admin edits keywords, the calendar and a rule; a supervisor reads them on a phone', async (t) => {
  fs.mkdirSync(ART, { recursive: true });
  const s = await startServer({ env: { LUOSHI_NOW: '2025-03-03' } });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS });
  t.after(async () => { await browser.close(); await s.stop(); });
  const problems = [];
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  const page = await login(ctx, s, 'admin');
  // the refused forms answer 422 on purpose: chromium logs that as a console error
  page.on('console', (m) => { if (m.type() === 'error' && !/status of 422/.test(m.text())) problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
  const shot = (name, p = page) => p.screenshot({ path: path.join(ART, `admin-${name}.png`), fullPage: true });

  await page.click('nav.main a:has-text("管理")');
  assert.equal(new URL(page.url()).pathname, '/admin/keywords');
  await page.fill('#keyword', '河道治理');
  await page.selectOption('#unit_code', 'zgj');
  await page.click('button:has-text("添加")');
  assert.equal(await page.locator('tr:has(td:text-is("河道治理")) td').nth(1).innerText(), '自然资源和规划局 zgj');
  await shot('keywords');

  await page.click('nav.tabs a:has-text("工作日历")');
  assert.equal(await page.locator('h1').innerText(), '工作日历 2025');
  await page.fill('#date', '2025-03-04');
  await page.selectOption('#kind', 'holiday');
  await page.fill('#name', '测试假日');
  await page.click('button:has-text("添加")');
  assert.deepEqual(await page.locator('tr:has(td:text-is("2025-03-04")) td').allInnerTexts(),
    ['2025-03-04', '周二', '放假', '测试假日', '删除']);
  await page.fill('#text', '2025-03-05 holiday\n2025-03-32 holiday');
  await page.click('button:has-text("导入")');
  assert.match(await page.locator('[role=alert]').innerText(), /未能保存：工作日历的内容有误：第 2 行。/);
  await shot('calendar');
  await page.click('tr:has(td:text-is("2025-03-04")) button:has-text("删除")');
  assert.equal(await page.locator('tr:has(td:text-is("2025-03-04"))').count(), 0);

  await page.click('nav.tabs a:has-text("亮灯与督办规则")');
  await page.fill('input[name="light.behind_red"]', '5');
  await page.click('button:has-text("保存")');
  assert.match(await page.locator('[role=alert]').innerText(),
    /未能保存：亮红灯的落后百分点不能小于亮黄灯的：红灯 5、黄灯 10。/);
  await page.fill('input[name="light.behind_red"]', '40');
  await page.click('button:has-text("保存")');
  assert.equal(new URL(page.url()).pathname, '/admin/settings');
  assert.equal(await page.inputValue('input[name="light.behind_red"]'), '40');
  await shot('settings');

  await page.click('nav.tabs a:has-text("考核扣分台账")');
  await page.fill('#month', '2025-03');
  await page.click('button:has-text("筛选")');
  assert.equal(new URL(page.url()).search, '?unit=&month=2025-03');
  assert.deepEqual(await page.locator('section:has(h2:text-is("按单位合计")) tbody td').allInnerTexts(),
    ['应急管理局', '1', '-2']);
  await shot('deductions');

  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
  const sp = await login(phone, s, 'supervisor');
  await sp.goto(s.url + '/admin/settings');
  assert.equal(await sp.locator('input[name="light.behind_red"]').count(), 0, 'read-only');
  assert.equal(await sp.locator('tr:has(code:text-is("light.behind_red")) td').nth(2).innerText(), '40');
  await shot('settings-phone', sp);
  await sp.goto(s.url + '/admin/keywords');
  assert.equal(await sp.locator('button:has-text("删除")').count(), 0);
  assert.deepEqual(problems, []);
});
