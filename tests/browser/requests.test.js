// An enterprise files a request (诉求) from a phone (390×844) in Debian's chromium, the
// office assigns it and the lead unit replies over the API, and the enterprise reads the
// reply and rates it on the same page; the office sees the rating.  Screenshots to
// tests/artifacts/requests-*.png.
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

test('an enterprise files a request from its phone, reads the reply and rates it', async (t) => {
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
  page.on('console', (m) => { if (m.type() === 'error' && !/status of 422/.test(m.text())) problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
  const shot = (name) => page.screenshot({ path: path.join(ART, `requests-${name}.png`), fullPage: true });
  const noSideScroll = async () => assert.ok(await page.evaluate(
    () => document.documentElement.scrollWidth <= window.innerWidth + 1), 'no sideways scroll at 390 px');

  await page.goto(s.url + '/login?next=/requests');
  await page.fill('#username', 'qiye');
  await page.fill('#password', s.logins.qiye);
  await page.click('button[type=submit]');
  await page.waitForURL(/\/requests$/);
  assert.equal(await page.textContent('h1'), '企业诉求');
  assert.match(await page.textContent('.mine'), /还没有诉求/);
  assert.equal(await page.locator('#requester_unit_id').count(), 0, 'an enterprise names no other');
  await noSideScroll();
  await shot('1-form');

  // a title left blank is refused by the browser; filled in, the request is filed
  await page.selectOption('#category', 'help');
  await page.fill('#title', '新厂房用电增容');
  await page.fill('#description', '新厂房 6 月投产，需要增容到 2000 千伏安');
  await page.click('form[action="/requests"] button[type=submit]');
  await page.waitForURL(/\/requests\?done=\d+$/);
  const id = Number(new URL(page.url()).searchParams.get('done'));
  assert.match(await page.textContent('.ok'), /已提交/);
  assert.match(await page.textContent('.requests'), /新厂房用电增容/);
  assert.match(await page.textContent('.requests'), /求助 · 青沐工贸有限公司/);
  await shot('2-filed');

  // the office assigns, 应急管理局 answers, the office verifies
  const sup = await s.login('supervisor'), yjj = await s.login('yjj');
  const units = (await s.api('GET', '/api/v1/units', { token: sup })).json.units;
  const act = async (token, body) => {
    const r = await s.api('POST', `/api/v1/items/${id}/actions`, { token, body });
    assert.equal(r.status, 200, r.text);
  };
  await act(sup, { action: 'assign', lead_unit_id: units.find((u) => u.code === 'yjj').id });
  await act(yjj, { action: 'accept' });
  await act(yjj, { action: 'submit', reply: '已联系供电公司，下周上门勘查' });
  await act(sup, { action: 'verify' });

  // the enterprise reads the reply and rates it: unsatisfied needs a comment, then it is rated
  await page.goto(s.url + '/requests');
  assert.match(await page.textContent('.reply'), /已联系供电公司，下周上门勘查/);
  await page.click('details.a-rate summary');
  await shot('3-rate');
  await page.check('input[name=rating][value=unsatisfied]');
  await page.click('details.a-rate button[type=submit]');
  assert.match(await page.textContent('.alert'), /comment|评价意见|必填|不能为空|缺少/);
  await page.click('details.a-rate summary');
  await page.check('input[name=rating][value=basic]');
  await page.fill('details.a-rate textarea[name=comment]', '希望更快');
  await page.click('details.a-rate button[type=submit]');
  await page.waitForURL(/\/requests\?done=/);
  assert.match(await page.textContent('.rating'), /基本满意/);
  assert.equal(await page.locator('details.a-rate').count(), 0, 'rated once');
  await noSideScroll();
  await shot('4-rated');

  const item = (await s.api('GET', `/api/v1/items/${id}`, { token: sup })).json;
  assert.equal(item.request.rating, 'basic');
  assert.equal(item.request.rating_comment, '希望更快');
  assert.deepEqual(problems, []);
});
