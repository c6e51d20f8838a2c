// An admin's path through the directory pages in Debian's chromium
// (playwright-core): a person added on /admin/users, their display name and
// roles changed, their account disabled after the page asks (data-confirm);
// a unit added and moved on /admin/units; an Open311 key created (shown once)
// and revoked on /admin/apikeys; the timeline naming the person by display
// name; the users page at a phone's width.  Screenshots in
// tests/artifacts/people-*.png.
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

test('an admin adds, changes and disables a person, a unit and a key', async (t) => {
  fs.mkdirSync(ART, { recursive: true });
  const s = await startServer({ env: { LUOSHI_NOW: '2025-03-03' } });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS });
  t.after(async () => { await browser.close(); await s.stop(); });
  const problems = [];
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  const page = await login(ctx, s, 'admin');
  page.on('console', (m) => { if (m.type() === 'error' && !/status of 422/.test(m.text())) problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
  const shot = (name, p = page) => p.screenshot({ path: path.join(ART, `people-${name}.png`), fullPage: true });

  await page.goto(s.url + '/admin/settings');
  await page.click('nav.tabs a[href="/admin/users"]');
  assert.equal(await page.textContent('h1'), '人员管理');
  await page.fill('#username', 'zhangsan');
  await page.fill('#name', '张三');
  await page.selectOption('#unit_code', 'yjj');
  await page.check('section.form input[name=role_handler]');
  await page.fill('#password', 'password');
  await page.click('section.form button.primary');
  assert.match(await page.textContent('p.alert'), /^未能保存：/);
  assert.equal(await page.inputValue('#username'), 'zhangsan', 'what was typed is kept');
  await shot('refused');
  await page.fill('#password', 'amber quarry lantern 42');
  await page.check('section.form input[name=role_handler]');
  await page.click('section.form button.primary');
  const row = page.locator('tr', { has: page.locator('code', { hasText: /^zhangsan$/ }) });
  assert.equal(await row.locator('td').nth(1).textContent(), '张三');
  await row.locator('summary').click();
  await row.locator('input[name=name]').fill('张三（应急）');
  await row.locator('input[name=role_leader]').check();
  await shot('edit');
  await row.locator('form:has(input[value=edit]) button').click();
  assert.equal(await row.locator('td').nth(3).textContent(), '领导、承办人');
  // disabling asks first: dismissed, nothing happens; accepted, the account is off
  await row.locator('summary').click();
  page.once('dialog', (d) => d.dismiss());
  await row.locator('button.danger').click();
  assert.equal(await row.locator('td').nth(4).textContent(), '正常');
  page.once('dialog', (d) => { assert.match(d.message(), /停用后此人不能再登录/); d.accept(); });
  await row.locator('button.danger').click();
  await page.waitForURL(s.url + '/admin/users');
  assert.equal(await row.locator('td').nth(4).textContent(), '已停用');
  await shot('users');

  await page.click('nav.tabs a[href="/admin/units"]');
  await page.fill('#code', 'hbj');
  await page.fill('#name', '生态环境局');
  await page.selectOption('#kind', 'department');
  await page.click('section.form button.primary');
  const unit = page.locator('tr', { has: page.locator('code', { hasText: /^hbj$/ }) });
  await unit.locator('summary').click();
  await unit.locator('select[name=parent]').selectOption('swb');
  await unit.locator('button').click();
  assert.equal(await unit.locator('td').nth(3).textContent(), '市委办公室');
  await shot('units');

  await page.click('nav.tabs a[href="/admin/apikeys"]');
  await page.fill('#name', '12345 热线');
  await page.click('section.form button.primary');
  assert.match(await page.textContent('code.apikey'), /^[0-9a-f]{64}$/);
  await shot('apikey-once');
  await page.goto(s.url + '/admin/apikeys'); // (a reload would post the form again: a second key)
  assert.equal(await page.locator('code.apikey').count(), 0, 'shown once');
  page.once('dialog', (d) => d.accept());
  await page.locator('tr', { hasText: '12345 热线' }).locator('button.danger').click();
  await page.waitForURL(s.url + '/admin/apikeys');
  assert.equal(await page.locator('tr', { hasText: '12345 热线' }).locator('td').nth(2).textContent(), '已吊销');
  await shot('apikeys');

  // the timeline names the supervisor by display name
  await page.goto(s.url + '/items/1');
  assert.equal(await page.locator('.timeline .by', { hasText: 'supervisor' }).count(), 0);

  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', isMobile: true });
  const pp = await login(phone, s, 'admin');
  await pp.goto(s.url + '/admin/users');
  await shot('users-phone', pp);
  assert.deepEqual(problems, []);
});
